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
# Every word of every option that takes one of a few words reaches the
# library as the value it names (the words and values are one table in
# cli/options.c; the usage error lists them from it).  Expected terms and
# weights are worked out by hand for one line.
printf 'Die Stra\xc3\x9fe in PARIS. It'"'"'s a caf\xc3\xa9, it'"'"'s it.\n' > w.txt
terms() { # terms OPTIONS...: the tfidf terms of w.txt, one line, sorted
  run tfidf w.txt --segment line -q -o w.csv "$@"
  [ "$rc" -eq 0 ] || fail "tfidf $*: exit $rc: $err"
  tail -n +2 w.csv | cut -d, -f2 | sort | tr '\n' ' '
}
weights() { tail -n +2 w.csv | cut -d, -f3 | tr '\n' ' '; }
t=$(terms --lowercase lower);   expect_in "$t" "café die in it paris straße " "--lowercase lower"
t=$(terms --lowercase fold);    expect_in "$t" "café die in it paris strasse " "--lowercase fold"
t=$(terms --lowercase none);    expect_in "$t" "It PARIS Straße café in it " "--lowercase none"
t=$(terms --strip-accents ascii); expect_in "$t" "cafe die in it paris strae " "--strip-accents ascii"
t=$(terms --strip-accents unicode); expect_in "$t" "cafe die in it paris straße " "--strip-accents unicode"
t=$(terms --strip-accents none); expect_in "$t" "café die" "--strip-accents none"
t=$(terms --tokenizer unicode-words); expect_in "$t" "a café die in it it's paris straße " "--tokenizer unicode-words"
t=$(terms --tokenizer sklearn); expect_in "$t" "café die in it paris straße " "--tokenizer sklearn"
t=$(terms --analyzer char --ngram-range 1,1); expect_in "$t" " a c d e f i n p r s t ß é " "--analyzer char"
terms --analyzer char_wb --ngram-range 5,5 > /dev/null
expect_in "$(cat w.csv)" "w:1, die ," "--analyzer char_wb: padded words"
t=$(terms --analyzer word);     expect_in "$t" "café die in it paris straße " "--analyzer word"
terms --no-use-idf --norm none > /dev/null; expect_in "$(weights)" "1.0000 1.0000 1.0000 3.0000 1.0000 1.0000 " "--norm none"
terms --no-use-idf --norm l1 > /dev/null;   expect_in "$(weights)" "0.1250 0.1250 0.1250 0.3750 0.1250 0.1250 " "--norm l1"
terms --no-use-idf --norm l2 > /dev/null    # 1/sqrt(14), 3/sqrt(14)
expect_in "$(weights)" "0.2673 0.2673 0.2673 0.8018 0.2673 0.2673 " "--norm l2"
printf 'One. Two.\nThree.\n' > seg.txt
run statements seg.txt --segment sentence -o seg.csv -q; expect_in "$(wc -l < seg.csv)" "4" "--segment sentence: 3 statements"
run statements seg.txt --segment line -o seg.csv -q;     expect_in "$(wc -l < seg.csv)" "3" "--segment line: 2 statements"
run statements "$TS_TEST_DATA/read/bad_utf8.txt" --on-invalid error -o bad.csv -q; expect_rc 3 "--on-invalid error"
run statements "$TS_TEST_DATA/read/bad_utf8.txt" --on-invalid replace -o bad.csv -q; expect_rc 0 "--on-invalid replace"
printf 'outlet\tA statement here.\n' > f.txt
for f in auto text tsv; do
  run statements f.txt --format $f -o f.csv -q
  expect_rc 0 "--format $f"
  src=$(tail -n 1 f.csv | cut -d, -f2)
  case $f in tsv) want=outlet;; *) want=f;; esac
  [ "$src" = "$want" ] && ok "--format $f reads f.txt as $f" || fail "--format $f: source '$src', expected '$want'"
done
run statements "$TS_TEST_DATA/read/records.jsonl" --format jsonl -o f.csv -q; expect_rc 0 "--format jsonl"
run statements "$TS_TEST_DATA/read/records.jsonl" --format tsv -o f.csv -q; expect_rc 3 "--format tsv refuses JSONL lines"
run statements "$TS_TEST_DATA/html/article.html" --format html -o f.csv -q; expect_rc 0 "--format html"
expect_in "$(cat f.csv)" "article" "--format html: the page is one source"
printf 'text\nA statement here.\n' > g.csv
run statements g.csv --format csv -o f.csv -q; expect_rc 0 "--format csv"
mkdir -p d && cp f.txt d/
run statements d --format dir -o f.csv -q; expect_rc 0 "--format dir"
run matrix --format bogus "$CORPUS" -o x.csv
expect_in "$err" "--format must be auto, text, dir, jsonl, tsv, csv or html, not 'bogus'" "--format's error lists every format"
for b in cpu opencl auto; do
  run pairs "$CORPUS" --backend $b -v -o p.csv
  case $b in auto) want="backend opencl";; *) want="backend $b";; esac
  expect_in "$err" "$want" "--backend $b"
done
for m in mutual assignment; do
  run align "$CORPUS" --match $m -o al-$m
  expect_in "$(cat al-$m/report.html)" "$([ $m = mutual ] && echo 'mutual best' || echo assignment) matching" "--match $m"
done

finish
