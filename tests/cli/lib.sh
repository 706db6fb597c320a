# Shared helpers for the CLI tests (sourced).  Each test script runs the built
# binary ($TEXTSIM) in a private temporary directory and counts failures; it
# exits 1 if any check failed and prints "N passed, N failed".
set -u
: "${TEXTSIM:?set TEXTSIM to the textsim binary}"
: "${TS_SOURCE_DIR:?set TS_SOURCE_DIR to the repository root}"
TS_TEST_DATA=${TS_TEST_DATA:-$TS_SOURCE_DIR/tests/data}
CORPUS=$TS_SOURCE_DIR/examples/moscow-talks-2025
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/textsim-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
passed=0
failed=0

ok()   { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }

# run CMD...: runs textsim, captures stdout/stderr/exit code in $out $err $rc.
run() {
  set +e
  "$TEXTSIM" "$@" >"$WORK/.out" 2>"$WORK/.err"
  rc=$?
  set -e
  out=$(cat "$WORK/.out")
  err=$(cat "$WORK/.err")
}

expect_rc() { # expect_rc CODE NAME
  if [ "$rc" -eq "$1" ]; then ok "$2 (exit $1)"; else fail "$2: exit $rc, expected $1; stderr: $err"; fi
}
expect_in() { # expect_in HAYSTACK NEEDLE NAME
  case "$1" in *"$2"*) ok "$3";; *) fail "$3: '$2' not in: $1";; esac
}
expect_file() { [ -s "$1" ] && ok "$2" || fail "$2: $1 missing or empty"; }
expect_no_file() { [ ! -e "$1" ] && ok "$2" || fail "$2: $1 should not exist"; }
# No temporaries left in a directory.
expect_no_temps() {
  if ls -A "$1" | grep -q '\.tmp-'; then fail "$2: temporaries left: $(ls -A "$1")"; else ok "$2"; fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
