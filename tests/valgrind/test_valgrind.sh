# Memory errors and leaks: runs the CLI on small inputs under valgrind memcheck
# (docs/ROBUSTNESS.md).  Each run fails on any invalid access, use of
# uninitialised memory or *definite* leak (exit 99); "possibly lost" and
# "still reachable" blocks are not errors (pocl's worker threads and BLIS's
# memory pools live until exit).  Success paths and error paths (bad input,
# bad output, kernel build failure, device memory) are both covered: error
# paths are where cleanup is easiest to get wrong.
#
# Library internals are suppressed in tests/valgrind/textsim.supp, each entry
# with the reason.  Build with -DCMAKE_BUILD_TYPE=Debug (or RelWithDebInfo) to
# get file:line in the reports.  Set VG_LOG_DIR to keep every log.
# Exits 77 (skipped) without valgrind or with a sanitizer build.
source "$(dirname "$0")/../cli/lib.sh"
set -e

if ! command -v valgrind >/dev/null; then
  echo "SKIP: valgrind is not installed (apt-get install valgrind)"
  exit 77
fi
if ldd "$TEXTSIM" 2>/dev/null | grep -q 'libasan\|libtsan'; then
  echo "SKIP: $TEXTSIM is built with a sanitizer; valgrind cannot run it"
  exit 77
fi
SUPP=$TS_SOURCE_DIR/tests/valgrind/textsim.supp
# A private pocl kernel cache, filled by native runs before the valgrind runs,
# so that no kernel is compiled by LLVM under valgrind (minutes instead of seconds).
export POCL_CACHE_DIR=$WORK/pocl-cache
mkdir -p "$POCL_CACHE_DIR"
VG=(valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --error-exitcode=99 --num-callers=40
    --suppressions="$SUPP" ${VALGRIND_EXTRA:-})

# vg NAME EXPECTED_EXIT ARGS...: textsim ARGS under memcheck.
vg() {
  local name=$1 want=$2
  shift 2
  local log=$WORK/vg-$name.log t0=$SECONDS
  set +e
  "${VG[@]}" --log-file="$log" "$TEXTSIM" "$@" >"$WORK/.out" 2>"$WORK/.err" </dev/null
  rc=$?
  set -e
  [ -n "${VG_LOG_DIR:-}" ] && mkdir -p "$VG_LOG_DIR" && cp "$log" "$VG_LOG_DIR/"
  if [ "$rc" -eq 99 ]; then
    fail "$name: memcheck errors (textsim $*):"
    sed -n '/ERROR SUMMARY/p; /^==[0-9]*== [A-Z]/,/^==[0-9]*== $/p' "$log" | head -80
  elif [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, expected $want: $(head -c 500 "$WORK/.err")"
  else
    ok "$name: no memcheck error, exit $rc ($((SECONDS - t0)) s)"
  fi
}
# warm ARGS...: the same command natively, to fill the pocl kernel cache.
warm() { "$TEXTSIM" "$@" >/dev/null 2>&1 || true; }

# Small inputs: three formats, numbers that disagree, a boilerplate line.
{
  printf 'wire\tThe envoy met the president in Moscow for five hours on Tuesday.\n'
  printf 'wire\tRussia controls about 19 percent of Ukrainian territory.\n'
  printf 'wire\tSign up to read this article.\n'
  printf 'blog\tThe president met the envoy in Moscow for five long hours.\n'
  printf 'blog\tRussia holds 20%% of the territory of Ukraine, officials said.\n'
} > in.tsv
printf '{"source": "feed", "text": "Talks in Moscow lasted five hours. No deal was reached on territory."}\n' > in.jsonl
printf 'The envoy and the president met in Moscow.\nNo agreement was reached, the envoy said.\n' > notes.txt
printf 'Good line.\nBad \xff byte.\n' > bad.txt
printf '{"source": "x", "text": "ok"}\n{"source": "x" "text": 1}\n' > broken.jsonl
printf '[unclosed\n' > bad-patterns.txt
printf '<!DOCTYPE html><html><head><script>x()</script></head><body><nav>Menu</nav>\n<p>The envoy &amp; the president met in Moscow.<br>Caf&eacute; talks.</p><div hidden>no</div><p>unclosed <b>tags\n' > page.html
IN=(in.tsv in.jsonl notes.txt)

vg statements 0 statements "${IN[@]}" -o st.csv
vg statements-replace 0 statements bad.txt --on-invalid=replace -o st2.csv
vg tfidf 0 tfidf "${IN[@]}" -o tf.csv --analyzer char_wb --ngram-range 2,4 --stop-words english --sublinear-tf
vg tfidf-stem 0 tfidf "${IN[@]}" -o tf2.csv --stem english --lowercase fold --name-weight 0.5
vg html-pattern-accents 0 tfidf page.html "${IN[@]}" -o tf3.csv --strip-accents unicode --token-pattern '(?u)\b(\w+)\b'
vg matrix-cpu 0 matrix "${IN[@]}" -o m.csv --backend cpu
vg matrix-cpu-npy 0 matrix "${IN[@]}" -o m.npy --backend cpu --tile 2,3
vg align-cpu 0 align "${IN[@]}" -o al-cpu --backend cpu --min-tokens 3 --match assignment --max-matrix 3
vg index-build 0 index build in.tsv in.jsonl -o ix.tsidx --ngram-range 1,2 --stop-words english
vg index-add 0 index add ix.tsidx notes.txt
vg index-info 0 index info ix.tsidx
vg search-cpu 0 search ix.tsidx notes.txt page.html --backend cpu --top-k 3 --with-text -o se.csv
# error paths
vg usage 2 matrix "${IN[@]}" -o m.csv --ngram-range 3,1
vg invalid-utf8 3 statements bad.txt -o x.csv
vg malformed-jsonl 3 statements broken.jsonl -o x.csv
vg token-pattern-error 2 tfidf "${IN[@]}" --token-pattern '(a)(b)' -o x.csv
vg bad-pattern 3 align "${IN[@]}" -o x --exclude bad-patterns.txt --backend cpu
vg no-outdir 5 matrix "${IN[@]}" -o no/such/dir/m.csv --backend cpu
vg full-disk 5 tfidf "${IN[@]}" -o /dev/full
head -c 1000 ix.tsidx > trunc.tsidx
vg index-truncated 3 search trunc.tsidx notes.txt --backend cpu -o x.csv
vg index-foreign 3 search in.tsv notes.txt --backend cpu -o x.csv
vg index-contradiction 2 search ix.tsidx notes.txt --norm l1 --backend cpu -o x.csv

if "$TEXTSIM" devices | grep -q '^ *\*'; then
  warm matrix "${IN[@]}" -o warm.csv --backend opencl
  warm matrix "${IN[@]}" -o warm.csv --backend opencl --kernel-defines "-DTS_SYNTAX_ERROR"
  vg devices 0 devices
  vg matrix-opencl 0 matrix "${IN[@]}" -o m-ocl.csv --backend opencl
  vg align-opencl 0 align "${IN[@]}" -o al-ocl --backend opencl --min-tokens 3
  vg kernel-build-failure 4 matrix "${IN[@]}" -o x.csv --backend opencl --kernel-defines "-DTS_SYNTAX_ERROR"
  vg device-memory 4 matrix "${IN[@]}" -o x.csv --backend opencl --max-device-memory 1K
  cmp -s m.csv m-ocl.csv && ok "opencl and cpu matrices identical under valgrind" || fail "m.csv differs from m-ocl.csv"
else
  echo "SKIP: OpenCL runs: no OpenCL device"
fi

# The suppressions hide no leak of the library's own: leak_probe frees all
# it made (must pass), or leaves its TF-IDF allocated (must be reported as a
# definite leak, ts_tfidf_build in the stack).
if [ -n "${LEAK_PROBE:-}" ]; then
  set +e
  "${VG[@]}" --log-file="$WORK/vg-probe.log" "$LEAK_PROBE" >/dev/null 2>&1
  rc=$?
  "${VG[@]}" --log-file="$WORK/vg-probe-leak.log" "$LEAK_PROBE" leak >/dev/null 2>&1
  rc_leak=$?
  set -e
  [ "$rc" -eq 0 ] && ok "leak probe, all freed: no memcheck error" ||
    fail "leak probe, all freed: exit $rc: $(grep -m3 'lost\|Invalid' "$WORK/vg-probe.log")"
  if [ "$rc_leak" -eq 99 ] && grep -q "definitely lost" "$WORK/vg-probe-leak.log" &&
     grep -q "ts_tfidf_build" "$WORK/vg-probe-leak.log"; then
    ok "leak probe: a leak in the library is caught (exit 99, ts_tfidf_build's blocks)"
  else
    fail "leak probe: the deliberate leak was not reported (exit $rc_leak)"
  fi
fi
finish
