# The installed library and programs (cmake --install into a temporary prefix):
# every file in place, libtextsim.so with its SONAME exporting only the API,
# one version everywhere, the man page listing every command, and a C program
# (hello.c) built against the installation three ways - pkg-config with the
# shared library, pkg-config --static with libtextsim.a, and
# find_package(textsim) - each run and checked.
: "${TS_BUILD_DIR:?set TS_BUILD_DIR to the build directory}"
TEXTSIM=${TEXTSIM:-$TS_BUILD_DIR/textsim}
source "$(dirname "$0")/../cli/lib.sh" # WORK (cd there), ok, fail, finish
check() { # check NAME COMMAND...: the command succeeds
  local name=$1; shift
  if "$@" >"$WORK/.log" 2>&1; then ok "$name"; else fail "$name: $(tail -5 "$WORK/.log")"; fi
}

P=$WORK/prefix
check "cmake --install" cmake --install "$TS_BUILD_DIR" --prefix "$P"
LIB=$(dirname "$(find "$P" -name libtextsim.a | head -1)")
for f in bin/textsim bin/textsim-bench include/textsim.h share/man/man1/textsim.1; do
  [ -e "$P/$f" ] && ok "installed $f" || fail "not installed: $f"
done
for f in libtextsim.a pkgconfig/textsim.pc cmake/textsim/textsimConfig.cmake \
         cmake/textsim/textsimConfigVersion.cmake cmake/textsim/textsimTargets.cmake; do
  [ -e "$LIB/$f" ] && ok "installed lib/$f" || fail "not installed: lib/$f"
done
if [ -x "$TS_BUILD_DIR/textsim-mpi" ]; then
  [ -x "$P/bin/textsim-mpi" ] && ok "installed bin/textsim-mpi" || fail "textsim-mpi not installed"
fi

# one version: the header, textsim --version, pkg-config, the SONAME
V=$(sed -n 's/^#define TS_VERSION_STRING "\(.*\)"$/\1/p' "$TS_SOURCE_DIR/include/textsim.h")
MAJMIN=${V%.*}
[ -n "$V" ] && ok "header version $V" || fail "no TS_VERSION_STRING in textsim.h"
[ "$("$P/bin/textsim" --version)" = "textsim $V" ] && ok "textsim --version is $V" ||
  fail "textsim --version: $("$P/bin/textsim" --version)"
export PKG_CONFIG_PATH=$LIB/pkgconfig
[ "$(pkg-config --modversion textsim)" = "$V" ] && ok "pkg-config version $V" ||
  fail "pkg-config --modversion: $(pkg-config --modversion textsim)"
SONAME=$(readelf -d "$LIB/libtextsim.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$SONAME" = "libtextsim.so.$MAJMIN" ] && ok "SONAME $SONAME" || fail "SONAME: '$SONAME'"
[ -e "$LIB/libtextsim.so.$V" ] && ok "libtextsim.so.$V" || fail "no libtextsim.so.$V"

# the shared library exports the functions of textsim.h and nothing else
nm -D --defined-only "$LIB/libtextsim.so" | awk '$2 == "T" {print $3}' | sort >exported
sed -n 's/^TS_API [^(]*[ *]\(ts_[a-z0-9_]*\)(.*/\1/p' "$P/include/textsim.h" | sort >declared
if [ -s declared ] && cmp -s exported declared; then
  ok "libtextsim.so exports the $(wc -l <declared) functions of textsim.h, nothing else"
else
  fail "exports differ from textsim.h: $(diff declared exported | head -5 | tr '\n' ' ')"
fi

# the man page: renders, and names every command of textsim --help
if command -v man >/dev/null 2>&1; then
  MANWIDTH=100 man -l "$P/share/man/man1/textsim.1" >man.txt 2>/dev/null
  for c in $("$P/bin/textsim" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
    grep -q "^   $c" man.txt && ok "man page: command $c" || fail "man page lacks command $c"
  done
  grep -q -- "--top-k" man.txt && ok "man page: options" || fail "man page lacks --top-k"
fi

# hello.c three ways
cp "$TS_SOURCE_DIR/tests/install/hello.c" "$TS_SOURCE_DIR/tests/install/CMakeLists.txt" .
expect_hello() { # expect_hello NAME BINARY
  local out
  if ! out=$(LD_LIBRARY_PATH=$LIB "$2" 2>&1); then fail "$1 runs: $out"; return; fi
  case "$out" in
    *"0 -> 1 "*"1 -> 0 "*"textsim $V (header $V), 3 statements"*) ok "$1 runs and matches" ;;
    *) fail "$1 output: $out" ;;
  esac
}
# shellcheck disable=SC2046
check "pkg-config build (shared)" cc -std=c11 -o hello_shared hello.c \
  $(pkg-config --cflags --libs textsim)
expect_hello "pkg-config shared" ./hello_shared
if readelf -d hello_shared | grep -q "libtextsim.so.$MAJMIN"; then
  ok "hello_shared needs libtextsim.so.$MAJMIN"
else
  fail "hello_shared does not link libtextsim.so"
fi
# shellcheck disable=SC2046
check "pkg-config build (static)" cc -std=c11 -o hello_static hello.c \
  $(pkg-config --cflags textsim) "$LIB/libtextsim.a" \
  $(pkg-config --static --libs textsim | sed 's/-ltextsim\b//')
expect_hello "pkg-config static" ./hello_static
check "find_package configure" cmake -S . -B consumer -DCMAKE_PREFIX_PATH="$P" \
  -DTS_WANT_VERSION="$MAJMIN"
check "find_package build" cmake --build consumer
expect_hello "find_package(textsim)" ./consumer/hello

finish
