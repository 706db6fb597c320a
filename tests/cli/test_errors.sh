# Bad input and bad output: clear messages naming the place, documented exit
# codes, and no partial output file.
source "$(dirname "$0")/lib.sh"
set -e

run matrix missing.txt -o m.csv
expect_rc 3 "missing input file"
expect_in "$err" "missing.txt" "names the missing file"
expect_no_file m.csv "no output for a missing input"

printf 'Good line one.\nBad \xff byte here.\n' > bad.txt
run matrix bad.txt -o m.csv
expect_rc 3 "invalid UTF-8"
expect_in "$err" "bad.txt" "names the file"
expect_in "$err" "byte 19" "gives the byte offset"
expect_in "$err" "--on-invalid=replace" "says what to do"
expect_no_file m.csv "no output for invalid UTF-8"

run statements bad.txt --on-invalid=replace
expect_rc 0 "--on-invalid=replace reads it"
expect_in "$out" $'Bad \xef\xbf\xbd byte here.' "U+FFFD substituted"

printf 'text\0with NUL\n' > nul.txt
run matrix nul.txt -o m.csv
expect_rc 3 "NUL byte"
expect_in "$err" "NUL" "says NUL"
expect_in "$err" "byte 4" "gives the NUL's offset"

: > empty.txt
run matrix empty.txt -o m.csv
expect_rc 3 "empty input"
expect_in "$err" "no statements" "says there are no statements"

printf 'the of and\n' > stop.txt
run matrix stop.txt -o m.csv --stop-words english
expect_rc 3 "only stop words"
expect_in "$err" "vocabulary" "explains the empty vocabulary"

printf 'A statement.\n' > a.txt
mkdir -p ro && chmod 555 ro
if [ "$(id -u)" -ne 0 ]; then
  run matrix a.txt -o ro/m.csv
  expect_rc 5 "unwritable output directory"
  expect_in "$err" "ro/m.csv" "names the output"
fi
run matrix a.txt -o no/such/dir/m.csv
expect_rc 5 "output directory missing"
expect_in "$err" "no/such/dir" "names the output path"
mkdir -p adir
run pairs a.txt -o adir
expect_rc 5 "-o names a directory"
expect_in "$err" "adir: is a directory; give the path of a file to write, such as adir/out.csv" \
  "says the output is a directory and what to give"

if [ -w /dev/full ]; then
  run tfidf a.txt -o /dev/full
  expect_rc 5 "full disk (/dev/full)"
  expect_in "$err" "/dev/full" "names /dev/full"
  expect_in "$err" "No space left" "says the disk is full"
fi

# A failed run keeps the previous output intact.
run matrix a.txt -o keep.csv
expect_rc 0 "first run"
cp keep.csv keep.orig
run matrix bad.txt -o keep.csv
expect_rc 3 "failing second run"
cmp -s keep.csv keep.orig && ok "previous output untouched" || fail "previous output changed"
expect_no_temps . "no temporaries left"

run matrix a.txt -o m.csv --backend opencl --device 97:3
expect_rc 4 "invalid --device"
expect_in "$err" "textsim devices" "points to textsim devices"
TEXTSIM_DEVICE=no-such-device-name run matrix a.txt -o m.csv --backend opencl
expect_rc 4 "invalid TEXTSIM_DEVICE"

run matrix a.txt -o m.csv --backend opencl --kernel-defines "-DTS_SYNTAX_ERROR"
expect_rc 4 "kernel build failure"
expect_in "$err" "error" "shows the build log"

# A build that warns succeeds; the compiler's messages are shown with -v only
# (pocl itself may still print clang's "N warnings generated." line).
run matrix a.txt -o m.csv --backend opencl --kernel-defines "-DTS_WARNING_PROBE" -v
expect_rc 0 "kernel build with a warning"
expect_in "$err" "warns on purpose" "-v shows the kernel compiler's messages"
run matrix a.txt -o m.csv --backend opencl --kernel-defines "-DTS_WARNING_PROBE"
expect_rc 0 "kernel build with a warning, not verbose"
case "$err" in
  *"warns on purpose"*) fail "the compiler's messages shown without -v: $err" ;;
  *) ok "no compiler messages without -v" ;;
esac

run matrix a.txt -o m.csv --stem klingon
expect_rc 3 "unknown stemmer"
expect_in "$err" "english" "lists available stemmers"

# Interrupted while writing: no partial file, no temporaries.
$PY - <<'PY'
import random
random.seed(7)
words = [f"w{i}" for i in range(3000)]
with open("big.txt", "w") as f:
    for _ in range(6000):
        f.write(" ".join(random.choice(words) for _ in range(12)) + ".\n")
PY
set +e
"$TEXTSIM" matrix big.txt -o big.csv --segment line 2>sig.err &
pid=$!
for _ in $(seq 1 200); do ls -A | grep -q '\.big\.csv\.tmp-' && break; sleep 0.05; done
kill -INT $pid; wait $pid; rc=$?
set -e
[ "$rc" -eq 130 ] && ok "SIGINT exits 130" || fail "SIGINT exit code $rc"
expect_no_file big.csv "no partial output after SIGINT"
expect_no_temps . "temporaries removed after SIGINT"
finish
