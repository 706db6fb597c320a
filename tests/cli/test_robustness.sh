# Robustness: hostile and degenerate inputs, faults, interruption, output
# confinement and determinism.  docs/ROBUSTNESS.md has the full table; rows
# that other tests already check (missing file, invalid UTF-8 and NUL in a
# text file, empty file, malformed JSONL/TSV, invalid --device, kernel build
# failure, no OpenCL platform, SIGINT on matrix, report.html escaping) are
# referenced there and not repeated here.
source "$(dirname "$0")/lib.sh"
set -e

# Under AddressSanitizer (make test-asan) time and memory grow several times.
SLOW=1
if ldd "$TEXTSIM" 2>/dev/null | grep -q 'libasan'; then SLOW=4; fi

# measure LIMIT_S ARGS...: runs textsim under `timeout LIMIT_S` and
# /usr/bin/time; sets rc, out, err, and cpu_s (user + system seconds) and
# rss_mb (peak resident set) when /usr/bin/time is installed.
measure() {
  local limit=$1
  shift
  cpu_s=0 rss_mb=0
  set +e
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%U %S %M' -o "$WORK/.time" timeout "$limit" "$TEXTSIM" "$@" >"$WORK/.out" 2>"$WORK/.err"
    rc=$?
    read -r u s kb < <(tail -1 "$WORK/.time")
    cpu_s=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.1f", u + s }')
    rss_mb=$((kb / 1024))
  else
    timeout "$limit" "$TEXTSIM" "$@" >"$WORK/.out" 2>"$WORK/.err"
    rc=$?
  fi
  set -e
  out=$(head -c 20000 "$WORK/.out")
  err=$(cat "$WORK/.err")
  echo "   ($1: ${cpu_s} s CPU, ${rss_mb} MB peak RSS)"
}
expect_rss_below() { # expect_rss_below MB NAME
  if [ ! -x /usr/bin/time ]; then echo "SKIP: $2: /usr/bin/time is not installed"; return; fi
  [ "$rss_mb" -le $(($1 * SLOW)) ] && ok "$2 (${rss_mb} MB <= $(($1 * SLOW)) MB)" ||
    fail "$2: peak RSS ${rss_mb} MB > $(($1 * SLOW)) MB"
}
# Nothing in DIR newer than the marker file except the listed paths.
expect_only_new() { # expect_only_new NAME PATH...
  local name=$1
  shift
  local got want
  got=$(cd "$WORK" && find . -newer .marker ! -type d | sort)
  want=$(printf './%s\n' "$@" | sort)
  [ "$got" = "$want" ] && ok "$name" || fail "$name: new files: $(echo $got) (expected: $(echo $want))"
}

# ----------------------------------------------------------------- binary input
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10' > image.png
run matrix image.png -o m.csv
expect_rc 3 "PNG bytes"
expect_in "$err" "image.png: this is a PNG image, not text" "PNG: named by its first bytes"
expect_in "$err" "OCR it first" "PNG: says what to do"
expect_no_file m.csv "PNG: no output"
run matrix image.png -o m.csv --on-invalid=replace
expect_rc 3 "PNG bytes are refused even with --on-invalid=replace"
expect_no_file m.csv "PNG with replace: no output"
printf 'The envoy met the president.\n' | gzip -n > text.gz
run statements text.gz
expect_rc 3 "gzip bytes"
expect_in "$err" "text.gz: this is a gzip-compressed file, not text; decompress it first (gunzip text.gz)" \
  "gzip: named, with the command to run"
printf '\x80\x81 unknown binary' > odd.bin
run statements odd.bin
expect_rc 3 "unrecognised binary bytes"
expect_in "$err" "odd.bin:1: invalid UTF-8 at byte 0" "unrecognised binary: names the file, line and byte"
expect_in "$err" "--on-invalid=replace" "unrecognised binary: says what to do"
printf '{"source": "a", "text": "ok"}\n{"source": "a", "text": "x\0y"}\n' > raw-nul.jsonl
run statements raw-nul.jsonl
expect_rc 3 "raw NUL byte in JSONL"
expect_in "$err" "raw-nul.jsonl:2: NUL byte at byte" "raw NUL in JSONL: names line 2"
printf '{"source": "a", "text": "x\\u0000y"}\n' > esc-nul.jsonl
run statements esc-nul.jsonl
expect_rc 3 "escaped \\u0000 in JSONL"
expect_in "$err" "esc-nul.jsonl:1:" "escaped NUL: names the line"

# ------------------------------------------------------------- empty corpora
: > empty.txt
printf '  \n\t\n\n' > blank.txt
run align empty.txt blank.txt -o nothing
expect_rc 3 "align on a corpus without statements"
expect_in "$err" "no statements" "says there are no statements"
expect_no_file nothing "OUTDIR not created when the input fails"
mkdir -p notext/sub && printf 'hidden.\n' > notext/.hidden && printf 'nested.\n' > notext/sub/x.txt
run statements notext
expect_rc 3 "directory with only a hidden file and a subdirectory"
expect_in "$err" "no text files" "says the directory has no text files"

# ------------------------------------------------------------- single source
printf 'The envoy met the president in Moscow for talks today.\nThe president met the envoy in Moscow for long talks.\nNo deal was reached after five hours of talks.\n' > solo.txt
run align solo.txt -o solo
expect_rc 0 "align with a single source"
[ "$(cat solo/alignment.csv)" = "source_a,index_a,source_b,index_b,score,model_score,cluster,reasons,shared_terms,numbers_a,numbers_b,discrepancy,discrepancy_values,text_a,text_b" ] &&
  ok "single source: alignment.csv has only its header" || fail "single source: alignment.csv: $(cat solo/alignment.csv)"
$PY - <<'PY' && ok "single source: every statement a singleton (support 1)" || fail "single source clusters"
import csv
cl = list(csv.DictReader(open("solo/clusters.csv", encoding="utf-8")))
assert len(cl) == 3 and all(r["support"] == "1" for r in cl), cl
assert sorted(r["cluster"] for r in cl) == ["1", "2", "3"], cl
PY

# --------------------------------------------- two sources with the same name
printf 'A statement from the text file.\n' > dup.txt
printf 'dup\tA statement from the TSV file.\n' > other.tsv
run statements dup.txt other.tsv
expect_rc 3 "a text file and a TSV source with the same name"
expect_in "$err" 'other.tsv: source "dup" is also given by dup.txt' "names both inputs"
run statements dup.txt dup.txt
expect_rc 3 "the same file given twice"
expect_in "$err" "read twice" "says it is read twice"

# ------------------------------------------------- a 10 MB line, no boundary
# 10 MB of words without a sentence end, and 10 MB of a single "word".
yes 'alpha bravo charlie delta echo' | head -c 10000000 | tr '\n' ' ' > longline.txt
echo >> longline.txt
head -c 10000000 /dev/zero | tr '\0' 'x' > longword.txt
echo >> longword.txt
measure $((30 * SLOW)) statements longline.txt -o long-st.csv
expect_rc 0 "10 MB line: statements within $((30 * SLOW)) s"
[ "$(wc -l < long-st.csv)" -eq 2 ] && ok "10 MB line is one statement" || fail "10 MB line: $(wc -l < long-st.csv) lines"
measure $((30 * SLOW)) matrix longline.txt -o long-m.csv --statements long-m-st.csv
expect_rc 0 "10 MB line: matrix within $((30 * SLOW)) s"
expect_in "$(cat long-m.csv)" "longline:1,1.0000" "10 MB line: 1 x 1 matrix"
measure $((30 * SLOW)) tfidf longword.txt -o long-tf.csv
expect_rc 0 "10 MB single word: tfidf within $((30 * SLOW)) s"

# ------------------------------------------- a million one-word statements
# 50,000 distinct words, one per line.  statements/tfidf must be fast and
# linear in memory; align flags them all short (nothing to align) and skips
# similarity.csv; matrix refuses a 10^6 x 10^6 output.
awk 'BEGIN { for (i = 0; i < 1000000; i++) print "w" (i * 7919 % 50000) }' > million.txt
measure $((60 * SLOW)) statements million.txt -o million-st.csv
expect_rc 0 "10^6 statements: statements"
[ "$(wc -l < million-st.csv)" -eq 1000001 ] && ok "10^6 statements written" || fail "10^6 statements: $(wc -l < million-st.csv) lines"
expect_rss_below 300 "10^6 statements: statements memory"
measure $((60 * SLOW)) tfidf million.txt -o million-tf.csv
expect_rc 0 "10^6 statements: tfidf"
expect_rss_below 400 "10^6 statements: tfidf memory"
measure $((120 * SLOW)) align million.txt -o million-al
expect_rc 0 "10^6 statements: align finishes"
expect_rss_below 600 "10^6 statements: align memory"
expect_in "$out" "1000000 flagged" "10^6 statements: all flagged short"
expect_no_file million-al/similarity.csv "10^6 statements: no similarity.csv"
[ "$(wc -l < million-al/alignment.csv)" -eq 1 ] && ok "10^6 statements: alignment.csv has only its header" ||
  fail "10^6 statements: alignment.csv has $(wc -l < million-al/alignment.csv) lines"
measure $((60 * SLOW)) matrix million.txt -o million-m.csv
expect_rc 3 "10^6 statements: matrix refuses a 10^6 x 10^6 output"
expect_in "$err" "--max-matrix" "matrix refusal mentions --max-matrix"
expect_no_file million-m.csv "matrix refusal: no output"
rm -rf million*.csv million-al

# --------------------------------------------------- unreadable, unwritable
printf 'A statement.\n' > a.txt
run matrix a.txt -o a.txt/m.csv
expect_rc 5 "output below a regular file (ENOTDIR)"
expect_in "$err" "Not a directory" "ENOTDIR: says so"
run align a.txt -o a.txt/out
expect_rc 5 "align OUTDIR below a regular file"
expect_in "$err" "a.txt/out: cannot create the output directory" "align ENOTDIR: names OUTDIR"
cp a.txt a.orig
run align a.txt -o a.txt
expect_rc 5 "align OUTDIR is a regular file"
expect_in "$err" "exists and is not a directory" "align: says OUTDIR is not a directory"
cmp -s a.txt a.orig && ok "align leaves the regular file alone" || fail "align changed the file named by -o"

# As root, permissions do not apply: run those checks as user nobody.
nobody=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null && getent passwd nobody >/dev/null && getent group nogroup >/dev/null; then
    nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  fi
fi
chmod 755 "$WORK"
printf 'A private statement.\n' > secret.txt && chmod 000 secret.txt
mkdir -p locked && chmod 555 locked
if [ "$(id -u)" -eq 0 ] && [ ${#nobody[@]} -eq 0 ]; then
  echo "SKIP: permission checks: running as root without setpriv, nogroup or nobody"
elif ! "${nobody[@]}" test -x "$TEXTSIM" -a -r a.txt; then
  echo "SKIP: permission checks: user nobody cannot run $TEXTSIM or read $WORK"
else
  nrun() { set +e; "${nobody[@]}" "$TEXTSIM" "$@" >"$WORK/.out" 2>"$WORK/.err"; rc=$?; set -e; err=$(cat "$WORK/.err"); }
  nrun statements secret.txt
  expect_rc 3 "unreadable input file"
  expect_in "$err" "secret.txt: cannot open: Permission denied" "unreadable: names the file and the reason"
  nrun matrix a.txt -o locked/m.csv --backend cpu
  expect_rc 5 "matrix into a read-only directory"
  expect_in "$err" "locked/statements.csv: cannot create a file: Permission denied" "read-only: names the first output it tried"
  nrun align a.txt -o locked/out --backend cpu
  expect_rc 5 "align OUTDIR in a read-only directory"
  nrun align a.txt -o locked --backend cpu
  expect_rc 5 "align into a read-only OUTDIR"
  expect_in "$err" "Permission denied" "read-only OUTDIR: says so"
  [ -z "$(ls -A locked)" ] && ok "nothing left in the read-only directory" || fail "locked: $(ls -A locked)"
fi

# ----------------------------------------------------------------- full disk
run statements a.txt -o /dev/full
expect_rc 5 "statements to /dev/full"
expect_in "$err" "No space left on device" "statements /dev/full: says the disk is full"
run matrix a.txt -o /dev/full --statements full-st.csv
expect_rc 5 "matrix to /dev/full"
expect_no_file full-st.csv "matrix to /dev/full: statements.csv not committed either"
# A real file system that fills up (a 128 KiB tmpfs; needs root and mount).
mkdir -p small
if mount -t tmpfs -o size=128k tmpfs small 2>/dev/null; then
  trap 'umount "$WORK/small" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  printf 'Alpha statement here.\nBravo statement there.\n' > two.txt
  run matrix two.txt -o small/m.csv
  run align two.txt -o small/out --min-tokens 1
  cp -r small keep
  run matrix "$CORPUS" -o small/m.csv
  expect_rc 5 "matrix on a full file system"
  expect_in "$err" "No space left on device" "full file system: says so"
  cmp -s small/m.csv keep/m.csv && cmp -s small/statements.csv keep/statements.csv &&
    ok "full file system: the previous matrix and statements.csv are both kept" ||
    fail "full file system: matrix left a mismatched pair (statements.csv replaced: $(head -2 small/statements.csv | tail -1 | cut -c1-40))"
  run align "$CORPUS" -o small/out
  expect_rc 5 "align on a full file system"
  diff -r small/out keep/out >/dev/null && ok "full file system: the previous align outputs are all kept" ||
    fail "full file system: align outputs changed: $(diff -rq small/out keep/out | tr '\n' ';')"
  expect_no_temps small/out "full file system: no temporaries in OUTDIR"
  expect_no_temps small "full file system: no temporaries beside the matrix"
  umount small
  trap 'rm -rf "$WORK"' EXIT
else
  echo "SKIP: full file system: cannot mount a small tmpfs (needs root); /dev/full covers ENOSPC"
fi

# -------------------------------------------------- SIGINT / SIGTERM while writing
$PY - <<'PY'
import random
random.seed(7)
words = [f"w{i}" for i in range(3000)]
with open("big.txt", "w") as f:
    for _ in range(6000):
        f.write(" ".join(random.choice(words) for _ in range(12)) + ".\n")
PY
# interrupt SIGNAL DIR ARGS...: starts textsim, waits for a temporary in DIR, signals it.
interrupt() {
  local sig=$1 dir=$2
  shift 2
  set +e
  "$TEXTSIM" "$@" 2>"$WORK/.err" >/dev/null &
  local pid=$!
  for _ in $(seq 1 400); do ls -A "$dir" 2>/dev/null | grep -q '\.tmp-' && break; sleep 0.025; done
  kill -"$sig" $pid
  wait $pid
  rc=$?
  set -e
  err=$(cat "$WORK/.err")
}
mkdir -p sig
interrupt TERM sig matrix big.txt -o sig/big.csv --segment line
expect_rc 143 "matrix: SIGTERM"
expect_in "$err" "interrupted; partial outputs removed" "SIGTERM: says so"
[ -z "$(ls -A sig)" ] && ok "matrix SIGTERM: no partial file, no temporaries" || fail "matrix SIGTERM left: $(ls -A sig)"
run align two.txt -o sigal --min-tokens 1
cp -r sigal sigal.before
for s in INT TERM; do
  interrupt $s sigal align big.txt -o sigal --segment line
  [ "$s" = INT ] && expect_rc 130 "align: SIGINT" || expect_rc 143 "align: SIGTERM"
  diff -r sigal sigal.before >/dev/null && ok "align SIG$s: previous outputs intact, no temporaries" ||
    fail "align SIG$s: OUTDIR changed: $(ls -A sigal)"
done
interrupt INT sigal-new align big.txt -o sigal-new --segment line
expect_rc 130 "align into a new OUTDIR: SIGINT"
[ -z "$(ls -A sigal-new)" ] && ok "align SIGINT: new OUTDIR left empty" || fail "align SIGINT left: $(ls -A sigal-new)"

# ------------------------------------------------ device memory limits (CLI)
# 64 KiB: the example's TF-IDF matrices take 47,728 bytes, so only ~4,400
# similarities fit per launch (the matrix has 23,409): several blocks.
run matrix "$CORPUS" -o dm-ref.csv --statements dm-st.csv --backend opencl
if [ "$rc" -eq 0 ]; then
  run matrix "$CORPUS" -o dm-64k.csv --statements dm-st.csv --backend opencl --max-device-memory 64K
  expect_rc 0 "--max-device-memory 64K"
  cmp -s dm-ref.csv dm-64k.csv && ok "64K device memory: byte-identical matrix" || fail "64K device memory: matrix differs"
  run matrix "$CORPUS" -o dm-16k.csv --statements dm-st.csv --backend opencl --max-device-memory 16K
  expect_rc 4 "--max-device-memory below the matrices' size"
  expect_in "$err" "--max-device-memory" "says which option to raise"
  expect_no_file dm-16k.csv "device memory failure: no output"
else
  echo "SKIP: device memory: no OpenCL device ($err)"
fi

# -------------------------------------------------------- formula injection
{
  printf '=cmd\t=HYPERLINK("http://evil.example/","click") alpha bravo charlie delta\n'
  printf '+plus\t+1+2 alpha bravo charlie delta echo\n'
  printf -- '-minus\t-2-3 alpha bravo charlie delta echo\n'
  printf '@at\t@SUM(A1:A9) alpha bravo charlie delta echo\n'
} > formula.tsv
printf '{"source": "\\tTAB", "text": "alpha bravo charlie delta foxtrot"}\n{"source": "\\rCR", "text": "=1+1 alpha bravo charlie delta"}\n' > formula.jsonl
run align formula.tsv formula.jsonl -o fx --min-tokens 1
expect_rc 0 "align with formula-like names and text"
run statements formula.tsv formula.jsonl -o fx/st.csv
run matrix formula.tsv formula.jsonl -o fx/m.csv --statements fx/mst.csv
run tfidf formula.tsv formula.jsonl -o fx/tf.csv --analyzer char --ngram-range 1,2
$PY - <<'PY' && ok "no CSV cell in any output starts with = + - @ TAB CR" || fail "formula escaping"
import csv, glob
files = sorted(glob.glob("fx/*.csv"))
assert len(files) == 8, files
for f in files:
    for row in csv.reader(open(f, encoding="utf-8", newline="")):
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r", (f, cell)
st = {r["id"]: r for r in csv.DictReader(open("fx/statements.csv", encoding="utf-8", newline=""))}
assert st["'=cmd:1"]["text"] == "'=HYPERLINK(\"http://evil.example/\",\"click\") alpha bravo charlie delta", st["'=cmd:1"]
assert st["'\tTAB:1"]["source"] == "'\tTAB" and st["'\rCR:1"]["text"] == "'=1+1 alpha bravo charlie delta"
al = list(csv.DictReader(open("fx/alignment.csv", encoding="utf-8", newline="")))
assert any(r["numbers_a"].startswith("'-") or r["numbers_b"].startswith("'-") for r in al), al
PY

# ---------------------------------------- output names never come from sources
mkdir -p deep/a/b
printf '{"source": "../../evil", "text": "The envoy met the president in Moscow for five hours."}\n' > deep/a/b/in.jsonl
printf '{"source": "%s/abs-evil", "text": "The president met the envoy in Moscow for five hours."}\n' "$WORK" >> deep/a/b/in.jsonl
printf '{"source": "..", "text": "The envoy and the president met in Moscow."}\n{"source": "/", "text": "Talks in Moscow lasted five hours."}\n' >> deep/a/b/in.jsonl
touch .marker
sleep 0.01
(
  cd deep/a/b
  "$TEXTSIM" align in.jsonl -o out -q && "$TEXTSIM" matrix in.jsonl -o m.csv -q &&
    "$TEXTSIM" tfidf in.jsonl -o t.csv -q && "$TEXTSIM" statements in.jsonl -o s.csv -q
) && ok "sources named ../../evil, an absolute path, .. and /" || fail "path-like source names rejected"
expect_only_new "files appear only in OUTDIR or at -o, none derived from source names" \
  deep/a/b/out/statements.csv deep/a/b/out/similarity.csv deep/a/b/out/alignment.csv \
  deep/a/b/out/clusters.csv deep/a/b/out/clusters.jsonl deep/a/b/out/report.html \
  deep/a/b/m.csv deep/a/b/statements.csv deep/a/b/t.csv deep/a/b/s.csv
expect_no_file abs-evil "nothing at the absolute path a source names"

# -------------------------------------------------------------- determinism
# Same input, same bytes: across pocl and BLIS thread counts, and between the
# OpenCL device and the cpu backend at the default precision (both round the
# exact dot product of the float weights to float: see docs/ROBUSTNESS.md).
$PY - "$TS_TEST_DATA/msrp/msr_paraphrase_train.txt" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig"), delimiter="\t", quoting=csv.QUOTE_NONE))[1:1001]
with open("msrp2000.tsv", "w", encoding="utf-8") as f:
    for k, side in ((3, "msrp_a"), (4, "msrp_b")):
        for r in rows:
            f.write(side + "\t" + r[k] + "\n")
PY
for input in "$CORPUS" msrp2000.tsv; do
  name=$(basename "$input" .tsv)
  POCL_MAX_PTHREAD_COUNT=1 run matrix "$input" -o det-p1.csv --statements det-st.csv --backend opencl
  if [ "$rc" -ne 0 ]; then echo "SKIP: determinism on OpenCL: $err"; continue; fi
  POCL_MAX_PTHREAD_COUNT=2 run matrix "$input" -o det-p2.csv --statements det-st.csv --backend opencl
  BLIS_NUM_THREADS=1 run matrix "$input" -o det-b1.csv --statements det-st.csv --backend cpu
  BLIS_NUM_THREADS=2 run matrix "$input" -o det-b2.csv --statements det-st.csv --backend cpu
  cmp -s det-p1.csv det-p2.csv && ok "$name: pocl 1 vs 2 threads byte-identical" || fail "$name: pocl thread counts differ"
  cmp -s det-b1.csv det-b2.csv && ok "$name: BLIS 1 vs 2 threads byte-identical" || fail "$name: BLIS thread counts differ"
  if cmp -s det-p1.csv det-b1.csv; then
    ok "$name: OpenCL and cpu backends byte-identical at 4 decimals"
  else
    fail "$name: OpenCL and cpu backends differ: $(cmp det-p1.csv det-b1.csv) (a value within float rounding of a 4-decimal boundary? see docs/ROBUSTNESS.md)"
  fi
done
POCL_MAX_PTHREAD_COUNT=1 run align "$CORPUS" -o det-a1 --backend opencl
POCL_MAX_PTHREAD_COUNT=2 run align "$CORPUS" -o det-a2 --backend opencl
diff -r det-a1 det-a2 >/dev/null && ok "align: pocl 1 vs 2 threads, all six files byte-identical" ||
  fail "align differs across pocl threads: $(diff -rq det-a1 det-a2 | tr '\n' ';')"
BLIS_NUM_THREADS=2 run align "$CORPUS" -o det-c2 --backend cpu
for f in statements.csv similarity.csv alignment.csv clusters.csv clusters.jsonl; do
  cmp -s det-a1/$f det-c2/$f && ok "align: $f identical on OpenCL and cpu" || fail "align: $f differs between backends"
done

finish
