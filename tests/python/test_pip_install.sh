# `pip install` of python/ into a fresh virtual environment, offline: the
# package's build compiles libtextsim.so with CMake and puts it in the
# package; the installed package then loads that library (not the build
# tree's) from another directory.  Also `pip wheel`: a platform wheel that
# carries the library.  The venv sees Debian's numpy, scipy and cffi
# (--system-site-packages), so nothing is downloaded (--no-index).
: "${TS_SOURCE_DIR:?set TS_SOURCE_DIR to the repository root}"
source "$(dirname "$0")/../cli/lib.sh" # WORK (cd there), ok, fail, finish
check() { # check NAME COMMAND...: the command succeeds
  local name=$1; shift
  if "$@" >"$WORK/.log" 2>&1; then ok "$name"; else fail "$name: $(tail -15 "$WORK/.log")"; fi
}

cp -r "$TS_SOURCE_DIR/python" "$WORK/python"
rm -rf "$WORK/python/build" "$WORK/python"/*.egg-info
export TEXTSIM_SOURCE_DIR=$TS_SOURCE_DIR TEXTSIM_CMAKE_BUILD=$WORK/cmake
unset TEXTSIM_LIBRARY
check "python3 -m venv" /usr/bin/python3 -m venv --system-site-packages "$WORK/venv"
check "pip install ./python" "$WORK/venv/bin/pip" install --no-index --no-build-isolation \
  --no-deps "$WORK/python"
mkdir elsewhere && cd elsewhere
check "import textsim and use the installed library" "$WORK/venv/bin/python" - "$WORK/venv" <<'PY'
import sys
import numpy as np
import textsim
assert textsim.library_path.startswith(sys.argv[1]), textsim.library_path
X, vocabulary = textsim.tfidf(["the pizza", "", "the beer"], dtype=np.float64)
assert vocabulary == ["beer", "pizza", "the"] and X.shape == (3, 3)
P = textsim.pairs(["the pizza", "the beer", "a pizza and a beer"], top_k=1, backend="cpu")
assert P.nnz == 3
PY
cd "$WORK"
check "pip wheel ./python" "$WORK/venv/bin/pip" wheel --no-index --no-build-isolation --no-deps \
  -w "$WORK/wheels" "$WORK/python"
WHEEL=$(ls "$WORK"/wheels/textsim-*.whl 2>/dev/null | head -1)
case "$WHEEL" in
  *linux_*.whl) ok "a platform wheel: $(basename "$WHEEL")";;
  *) fail "no platform wheel in $WORK/wheels: $(ls "$WORK/wheels" 2>&1)";;
esac
/usr/bin/python3 -c "import sys, zipfile; names = zipfile.ZipFile(sys.argv[1]).namelist(); \
assert 'textsim/_lib/libtextsim.so' in names, names" "$WHEEL" &&
  ok "the wheel carries textsim/_lib/libtextsim.so" || fail "the wheel lacks the library"
finish
