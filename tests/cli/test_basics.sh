# CLI basics: help to stdout, version, usage errors with exit code 2.
source "$(dirname "$0")/lib.sh"
set -e

run --help;            expect_rc 0 "--help";       expect_in "$out" "Usage: textsim COMMAND" "--help on stdout"
run --version;         expect_rc 0 "--version";    expect_in "$out" "textsim 0." "version printed"
run;                   expect_rc 2 "no command"
run frobnicate;        expect_rc 2 "unknown command"; expect_in "$err" "unknown command 'frobnicate'" "names the command"
for c in matrix tfidf statements devices; do
  run $c --help;       expect_rc 0 "$c --help";    expect_in "$out" "Usage: textsim $c" "$c help on stdout"
  [ -z "$err" ] && ok "$c --help: nothing on stderr" || fail "$c --help wrote to stderr: $err"
done
run matrix "$CORPUS";  expect_rc 2 "matrix without -o"; expect_in "$err" "-o FILE" "says to give -o"
run matrix -o x.csv;   expect_rc 2 "matrix without sources"
run matrix "$CORPUS" -o x.csv --analyzer bogus; expect_rc 2 "bad --analyzer"; expect_in "$err" "--analyzer must be" "explains --analyzer"
run matrix "$CORPUS" -o x.csv --ngram-range 3,1; expect_rc 2 "bad --ngram-range"
run matrix "$CORPUS" -o x.csv --precision 12; expect_rc 2 "bad --precision"
run matrix "$CORPUS" -o x.csv --min-df 1.5; expect_rc 2 "fraction above 1 for --min-df"
run matrix "$CORPUS" -o x.csv --no-such-option; expect_rc 2 "unknown option"; expect_in "$err" "--no-such-option" "names the option"
expect_no_file x.csv "no output after usage errors"
printf 'One statement here. Another one there.\n' > s.txt
run tfidf s.txt --analyzer char_wb --stop-words english
expect_rc 0 "stop words with char_wb"
expect_in "$err" "apply to the word analyzer only" "notice: stop words ignored by char analyzers"
run tfidf s.txt --analyzer char_wb
[ -z "$err" ] && ok "no notice without word options" || fail "unexpected stderr: $err"
run devices;           expect_rc 0 "devices"
expect_in "$out" "*" "devices marks the default"
printf 'One statement here. Another one here.\n' > one.txt
run align one.txt -o one-out
expect_in "$out" "2 statements from 1 source;" "align summary: one source, singular"
run pairs one.txt -o one.csv -v
expect_in "$err" "2 statements from 1 source," "-v corpus line: one source, singular"
finish
