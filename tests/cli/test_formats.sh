# Input formats: directory, single files, JSONL, TSV, stdin; statement ids.
source "$(dirname "$0")/lib.sh"
set -e

printf 'The U.S. envoy met Mr. So in Moscow. Talks lasted five hours.\n\n   \nNo deal was reached.\n' > alpha.txt
run statements alpha.txt
expect_rc 0 "text file"
$PY - "$out" <<'PY' && ok "sentences, abbreviations kept, blank lines dropped, ids SOURCE:INDEX" || fail "segmentation"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert [r["id"] for r in rows] == ["alpha:1", "alpha:2", "alpha:3"], rows
assert rows[0]["text"] == "The U.S. envoy met Mr. So in Moscow.", rows[0]
assert rows[2]["text"] == "No deal was reached." and rows[0]["source"] == "alpha"
PY
run statements alpha.txt --segment line
$PY - "$out" <<'PY' && ok "--segment line" || fail "--segment line"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert len(rows) == 2 and rows[1]["text"] == "No deal was reached.", rows
PY

printf '{"source": "wire", "text": "First claim. Second claim."}\n\n{"source": "blog", "text": "=SUM(A1) is not a formula here."}\n{"source": "wire", "text": "Third claim."}\n' > in.jsonl
run statements in.jsonl
expect_rc 0 "JSONL"
$PY - "$out" <<'PY' && ok "JSONL records of one source continue its numbering; formulas escaped" || fail "JSONL"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert [r["id"] for r in rows] == ["wire:1", "wire:2", "wire:3", "blog:1"], [r["id"] for r in rows]
assert rows[3]["text"] == "'=SUM(A1) is not a formula here.", rows[3]
PY
run statements in.jsonl --no-formula-escape
expect_in "$out" $'\n''blog:1,blog,1,0,=SUM(A1)' "--no-formula-escape writes cells verbatim"

printf '{"source": "x", "text": "ok"}\n{"source": "x" "text": 1}\n' > broken.jsonl
run statements broken.jsonl
expect_rc 3 "malformed JSONL"
expect_in "$err" "broken.jsonl:2" "names file and line"

printf 'a\tOne statement, not split. Really.\nb\tAnother one.\n' > in.tsv
run statements in.tsv
expect_rc 0 "TSV"
expect_in "$out" 'a:1,a,1,' "TSV source column"
expect_in "$out" '"One statement, not split. Really."' "TSV statement kept whole, quoted (comma)"
printf 'a\tfine\nno tab here\n' > broken.tsv
run statements broken.tsv
expect_rc 3 "TSV without a TAB"
expect_in "$err" "broken.tsv:2" "names file and line"

set +e
printf 'From standard input. Two sentences.\n' | "$TEXTSIM" statements - > stdin.csv 2>/dev/null
rc=$?
set -e
expect_rc 0 "stdin"
grep -q '^stdin:2,stdin,2,' stdin.csv && ok "stdin source is named stdin" || fail "stdin: $(cat stdin.csv)"

mkdir -p dir && cp alpha.txt dir/b.txt && cp alpha.txt dir/a.txt
run statements dir
expect_rc 0 "directory"
$PY - "$out" <<'PY' && ok "directory sources in name order" || fail "directory order"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert [r["source"] for r in rows] == ["a"] * 3 + ["b"] * 3, rows
PY
mkdir -p dir2 && cp alpha.txt dir2/a.txt
run statements dir dir2
expect_rc 3 "duplicate source names"
expect_in "$err" "a.txt" "names the clashing files"
mkdir -p emptydir
run statements emptydir
expect_rc 3 "directory with no text files"
# Files that are not text, known by their first bytes: refused (exit 3) with
# the format named and what to do, nothing written.
printf '%%PDF-1.4\n%%\342\343\317\323\n1 0 obj\n' > report.pdf
printf 'PK\003\004\024\000\006\000' > letter.docx
printf '\320\317\021\340\241\261\032\341' > old.doc
printf '\211PNG\r\n\032\n\000\000' > scan.png
printf '\037\213\010\000\000' > news.txt.gz
for f in report.pdf:"a PDF document":"pdftotext report.pdf" \
         letter.docx:"a ZIP archive":"libreoffice --convert-to txt letter.docx" \
         old.doc:"an old Office document":"libreoffice --convert-to txt old.doc" \
         scan.png:"a PNG image":"tesseract" news.txt.gz:"a gzip-compressed file":"gunzip news.txt.gz"; do
  file=${f%%:*}; rest=${f#*:}; what=${rest%%:*}; todo=${rest#*:}
  run pairs "$file" -o bin.csv
  expect_rc 3 "$file refused"
  expect_in "$err" "$file: this is $what" "$file: names the format"
  expect_in "$err" "not text" "$file: says it is not text"
  expect_in "$err" "$todo" "$file: says what to do"
  expect_no_file bin.csv "$file: nothing written"
done
printf 'A good statement here.\n' > good.txt
run statements good.txt report.pdf -o both.csv
expect_rc 3 "a PDF among text sources"
expect_no_file both.csv "nothing written when one source is not text"
# Locales: a language gets its abbreviation list; an unknown locale is refused.
printf 'M. S\303\241nchez est arriv\303\251. Il a parl\303\251.\n' > fr.txt
run statements fr.txt --locale fr
expect_rc 0 "--locale fr"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 3 ] && ok "--locale fr keeps 'M. Sanchez' whole" ||
  fail "--locale fr split: $out"
run statements fr.txt --locale fr@ss=none
[ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] && ok "fr@ss=none splits after 'M.'" || fail "fr@ss=none: $out"
run statements fr.txt --locale xx_YY
expect_rc 2 "an unknown locale is refused"
expect_in "$err" 'unknown locale "xx_YY"' "names it"
# CSV (RFC 4180 through libcsv): header, quoting with embedded commas, quotes
# and line breaks, a BOM, CRLF; columns by name or number; a source column.
printf '\357\273\277id,outlet,text\r\n1,wire,"The envoy met the president, in Moscow. They talked."\r\n2,blog,"He said ""no"" twice.\nThen he left."\r\n3,wire,Short one here.\r\n\r\n' > news.csv
run statements news.csv
expect_rc 0 "CSV by extension"
expect_in "$out" 'news:1,news,1,0,"The envoy met the president, in Moscow."' "quoted field with a comma, one source named after the file"
expect_in "$out" 'news:3,news,3,' "sentences split as text"
expect_in "$out" '"He said ""no"" twice."' "doubled quotes"
[ "$(printf '%s\n' "$out" | grep -c '^news:')" -eq 5 ] && ok "5 statements (BOM, CRLF, blank record)" ||
  fail "CSV statements: $out"
run statements news.csv --source-column outlet --segment line
expect_in "$out" "wire:2,wire,2," "--source-column: records grouped by source"
expect_in "$out" "blog:1,blog,1,0,\"He said \"\"no\"\" twice.
Then he left.\"" "--segment line: one statement per record, embedded line break kept"
run statements news.csv --source-column 2 --text-column 3 --segment line
expect_in "$out" "blog:1,blog,1,0," "columns by number"
cp news.csv news.dat
run statements news.dat --format csv
expect_rc 0 "--format csv on another extension"
run statements news.csv --text-column body -o csv-out.csv
expect_rc 3 "unknown text column"
expect_in "$err" 'news.csv: --text-column "body" is not a column of the header (its columns: "id", "outlet", "text")' "names the file and lists the columns"
expect_no_file csv-out.csv "nothing written"
run statements news.csv --text-column 9
expect_in "$err" "--text-column 9: the header has 3 columns" "column number out of range"
printf 'a,b\n1,x"y\n' > stray.csv
run statements stray.csv --text-column b -o csv-out.csv
expect_rc 3 "a stray quote"
expect_in "$err" "stray.csv:2: record 2: malformed CSV" "names the file, line and record"
expect_no_file csv-out.csv "nothing written after a malformed record"
printf 'a,b\n1,"never closed\n' > open.csv
run statements open.csv --text-column b
expect_rc 3 "an unterminated quoted field"
printf 'a,b\n1\n' > short.csv
run statements short.csv --text-column b
expect_in "$err" "short.csv: record 2 has 1 columns, the header 2: column 2 is missing" "names the record and the column"
printf 'a,b\nx,y\n' > which.csv
run statements which.csv
expect_in "$err" "which column holds the text?" "no text column: asks for --text-column"
printf 'Plain text here.\n' > plain.txt
run statements plain.txt --text-column text
expect_rc 0 "--text-column is an input option of every reading command"
# --vocabulary FILE: the columns in the file's order; errors name the file and line.
printf 'The envoy met the president. The president met the envoy again.\n' > v.txt
printf 'president\nenvoy\nabsent\n' > vocab.txt
run tfidf v.txt --vocabulary vocab.txt
expect_rc 0 "--vocabulary"
[ "$(printf '%s\n' "$out" | sed -n 2p | cut -d, -f2)" = "president" ] &&
  ok "--vocabulary: columns in the file's order" || fail "--vocabulary order: $out"
[ "$(printf '%s\n' "$out" | grep -c ',met,')" -eq 0 ] && ok "--vocabulary: other terms dropped" ||
  fail "--vocabulary kept a term it does not list: $out"
printf 'envoy\npresident\nenvoy\n' > dup.txt
run tfidf v.txt --vocabulary dup.txt -o dup.csv
expect_rc 3 "a term listed twice"
expect_in "$err" 'dup.txt:3: the term "envoy" is listed twice' "names the file, line and term"
expect_no_file dup.csv "nothing written"
: > novocab.txt
run tfidf v.txt --vocabulary novocab.txt
expect_in "$err" "novocab.txt: the vocabulary lists no terms" "an empty vocabulary"
run tfidf v.txt --vocabulary missing-vocab.txt
expect_in "$err" "missing-vocab.txt: cannot open the vocabulary" "a missing vocabulary file"
# --strip-accents: "Sánchez" (precomposed) and "Sánchez" (a + U+0301) and
# "Sanchez" become one term; without it, three different spellings.
printf 'S\xc3\xa1nchez spoke.\nSa\xcc\x81nchez spoke.\nSanchez spoke.\n' > acc.txt
run tfidf acc.txt --segment line --strip-accents unicode
expect_rc 0 "--strip-accents unicode"
[ "$(printf '%s\n' "$out" | grep -c ',sanchez,')" -eq 3 ] &&
  ok "--strip-accents: three spellings, one term" || fail "--strip-accents unicode: $out"
run tfidf acc.txt --segment line
[ "$(printf '%s\n' "$out" | grep -c ',sanchez,')" -eq 1 ] &&
  ok "without --strip-accents the spellings differ" || fail "no --strip-accents: $out"
run tfidf acc.txt --strip-accents latin
expect_rc 2 "--strip-accents with an unknown mode"
expect_in "$err" "--strip-accents must be ascii, unicode or none, not 'latin'" "names the value"
# --token-pattern: Python's syntax and scikit-learn's one-group rule; errors at once.
run tfidf acc.txt --segment line --token-pattern '(?u)\b\w+\b'
expect_rc 0 "--token-pattern"
run tfidf acc.txt --token-pattern '(\w+'
expect_rc 2 "--token-pattern that does not compile"
expect_in "$err" "token pattern '(\\w+': unbalanced parentheses" "names the pattern and the fault"
run tfidf acc.txt --token-pattern '(\w)(\w)'
expect_rc 2 "--token-pattern with two groups"
expect_in "$err" "has 2 capturing groups" "scikit-learn's one-group rule"
run tfidf acc.txt --token-pattern '\w+' --analyzer char_wb
expect_rc 2 "--token-pattern with a char analyzer"
run tfidf acc.txt --token-pattern '\w+' --tokenizer unicode-words
expect_rc 2 "--token-pattern with --tokenizer unicode-words"
run tfidf acc.txt --token-pattern '[0-9]+' -o nomatch.csv
expect_rc 3 "--token-pattern that matches nothing"
expect_in "$err" "the token pattern '[0-9]+' matches nothing" "says the pattern matched nothing"
expect_no_file nomatch.csv "nothing written"
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n' > slow.txt
run tfidf slow.txt --token-pattern '(a+)+$' -o slow.csv
expect_rc 3 "--token-pattern that backtracks without end"
expect_in "$err" "takes too long on a statement" "stops with a message"
expect_no_file slow.csv "nothing written"
# HTML: the visible text of tests/data/html/article.html is the article's
# paragraphs (the same statements as the text of 001's first lines), its
# figure caption and byline; nothing of the head, navigation, dialogs, hidden
# or embedded elements; each offset points at the statement's first byte.
ARTICLE=$TS_TEST_DATA/html/article.html
head -n 8 "$CORPUS/001_cb0c55db5773bf71.txt" > plain001.txt
run statements plain001.txt
printf '%s\n' "$out" > plain001.csv
run statements "$ARTICLE"
expect_rc 0 "HTML page"
$PY - "$out" plain001.csv "$ARTICLE" <<'PY' && ok "HTML: the article's text, its caption and byline, and nothing else" || fail "HTML text"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
want = [r["text"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))]
want += ["The Kremlin, Moscow.", "Reporting by the Moscow bureau; editing by the world desk."]
got = [r["text"] for r in rows]
assert got == want, "\n".join(a + " | " + b for a, b in zip(got, want) if a != b) or (len(got), len(want))
assert [r["id"] for r in rows][:2] == ["article:1", "article:2"], rows[:2]
PY
$PY - "$out" "$ARTICLE" <<'PY' && ok "HTML: offsets are byte offsets in the file" || fail "HTML offsets"
import csv, io, sys
raw = open(sys.argv[2], "rb").read()
for r in csv.DictReader(io.StringIO(sys.argv[1])):
    at, first = int(r["offset"]), r["text"][0].encode()
    assert raw[at:at + len(first)] == first or raw[at:at + 1] == b"&", (r["id"], at, raw[at:at + 20])
PY
for gone in "Example News" "Politics" "cookies" "Accept" "injected" "Advertisement" "Sponsored" \
            "Enable JavaScript" "Related" "Earlier talks" "rights reserved" "Kremlin at night"; do
  case "$out" in *"$gone"*) fail "HTML: '$gone' should not be read";; esac
done
ok "HTML: head, header, nav, dialog, hidden, noscript, aside, footer and alt text dropped"
run statements "$ARTICLE" --segment line
$PY - "$out" <<'PY' && ok "HTML --segment line: one statement per block" || fail "HTML --segment line"
import csv, io, sys
rows = list(csv.DictReader(io.StringIO(sys.argv[1])))
assert len(rows) == 10, [r["text"][:30] for r in rows]
assert rows[3]["text"].endswith("significant work remains for both capitals."), rows[3]["text"]
assert "lasted nearly five hours" in rows[3]["text"], rows[3]["text"]
PY
cp "$ARTICLE" page.txt
run statements page.txt
expect_in "$out" $'\n''page:1,page,1,652,Russia says' "an HTML page named .txt is read as HTML (by its first bytes)"
run statements - < "$ARTICLE"
expect_in "$out" $'\n''stdin:1,stdin,1,652,Russia says' "HTML on standard input, by its first bytes"
run statements page.txt --format text
expect_in "$out" $'\n''page:1,page,1,0,<!'$'\n''page:2,page,2,2,DOCTYPE html>' "--format text reads the markup as text"
printf '<p>One &amp; two.</p><p>Three</p>\n' > frag.dat
run statements frag.dat --format html
expect_in "$out" $'\n''frag:1,frag,1,3,One & two.'$'\n''frag:2,frag,2,24,Three' "--format html for any name"
printf '<html><body><p>caf\xe9 cr\xe8me</p></body></html>\n' > latin1.html
run statements latin1.html -o latin1.csv
expect_rc 3 "HTML that is not UTF-8"
expect_in "$err" "latin1.html:1: invalid UTF-8 at byte 18" "names the file, line and byte"
expect_no_file latin1.csv "nothing written"
printf '<html><head><title>Only a title</title><script>x()</script></head><body><nav>Menu</nav></body></html>\n' > empty.html
run statements empty.html
expect_rc 3 "an HTML page without visible text"
expect_in "$err" "the inputs hold no statements" "says there is no text"
finish
