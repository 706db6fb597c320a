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
# Strict options: each command accepts what its --help lists, errors name the
# option as typed and the command, and suggest the nearest option.
run align "$CORPUS" --top-k 5 --cross-source -o strict-al
expect_rc 2 "align refuses pairs' --top-k"
expect_in "$err" "--top-k is not an option of align" "names the option and the command"
expect_no_file strict-al "nothing written after a usage error"
run statements "$CORPUS" --threshold 0.3
expect_rc 2 "statements refuses --threshold"
run statements "$CORPUS" --stem klingon
expect_rc 2 "statements refuses the TF-IDF option --stem"
expect_in "$err" "--stem is not an option of statements" "says so"
run tfidf "$CORPUS" --backend cpu
expect_rc 2 "tfidf refuses the engine option --backend"
run pairs "$CORPUS" -top-k 5
expect_rc 2 "single-dash long option"
expect_in "$err" "unknown option '-top-k'; did you mean '--top-k'?" "named as typed, with a suggestion"
run pairs "$CORPUS" --min-scor 0.2
expect_in "$err" "unknown option '--min-scor'; did you mean '--min-score'?" "misspelt option suggested"
run pairs "$CORPUS" --top 3
expect_in "$err" "unknown option '--top'; did you mean '--top-k'?" "abbreviations are not taken"
run statements -dash.txt
expect_rc 2 "a file named like an option"
expect_in "$err" "unknown option '-dash.txt'" "blames the argument, not the command"
expect_in "$err" "./-dash.txt" "says how to name such a file"
for c in align matrix pairs tfidf statements; do
  run "$c" --help
  for o in $(printf '%s\n' "$out" | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    case $o in --help) continue ;; esac
    # every option the help lists is accepted (a usage error would name it)
    run "$c" "$o" 2>/dev/null
    case "$err" in *"unknown option '$o'"* | *"$o is not an option"*) fail "$c refuses $o, which its help lists" ;; esac
  done
done
ok "every command accepts every option its help lists"
# -o per command: align needs a directory and refuses -; matrix -o - says
# where statements.csv went (nowhere, unless --statements).
mkdir -p dash && cd dash
run align "$CORPUS" -o -
expect_rc 2 "align -o - is refused"
expect_in "$err" "give -o a directory" "says what to give"
expect_no_file ./- "no directory named -"
cd ..
run matrix "$CORPUS" -o -
expect_rc 0 "matrix -o -"
expect_in "$err" "statements.csv is not written; give --statements FILE" "says where statements.csv went"
expect_in "$out" "id," "the matrix on stdout"
run matrix "$CORPUS" -o - --statements stm.csv
expect_file stm.csv "matrix -o - --statements writes statements.csv"
finish
