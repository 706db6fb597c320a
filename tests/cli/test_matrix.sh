# textsim matrix on the example corpus: shape, values, determinism, backends.
source "$(dirname "$0")/lib.sh"
set -e

run matrix "$CORPUS" -o m.csv
expect_rc 0 "matrix on the example corpus"
expect_file m.csv "similarity CSV written"
expect_file statements.csv "statements.csv written beside it"
expect_in "$err" "wrote m.csv" "summary on stderr"
[ -z "$out" ] && ok "nothing on stdout" || fail "stdout not empty: $out"

# Checks computed independently from the CSV: square, ids match statements.csv,
# symmetric, unit diagonal for non-empty statements, values in [0, 1].
$PY - <<'PY' && ok "matrix CSV is square, symmetric, unit diagonal, ids match" || fail "matrix CSV structure"
import csv, sys
rows = list(csv.reader(open("m.csv", newline="", encoding="utf-8")))
st = list(csv.DictReader(open("statements.csv", newline="", encoding="utf-8")))
ids = [r["id"] for r in st]
assert rows[0][0] == "id" and rows[0][1:] == ids, "header ids"
assert [r[0] for r in rows[1:]] == ids, "row ids"
n = len(ids); assert n >= 150, n
m = [[float(x) for x in r[1:]] for r in rows[1:]]
assert all(len(r) == n for r in m)
for i in range(n):
    assert all(0.0 <= v <= 1.0 for v in m[i])
    for j in range(i):
        assert m[i][j] == m[j][i], (i, j)
    assert m[i][i] == 1.0, (i, m[i][i])   # every example statement has terms
assert all(len(r[1:][0].split(".")[1]) == 4 for r in rows[1:]), "4 decimals"
sources = sorted({r["source"] for r in st}); assert len(sources) == 5, sources
PY

cp m.csv first.csv
run matrix "$CORPUS" -o m.csv
cmp -s m.csv first.csv && ok "byte-identical on a second run" || fail "output differs between runs"

run matrix "$CORPUS" -o cpu.csv --backend cpu --statements cpu-statements.csv
expect_rc 0 "cpu backend"
cmp -s statements.csv cpu-statements.csv && ok "same statements with both backends" || fail "statements differ"
$PY - <<'PY' && ok "opencl and cpu agree to the last printed digit (±1)" || fail "backends disagree"
import csv
a = list(csv.reader(open("m.csv"))); b = list(csv.reader(open("cpu.csv")))
assert a[0] == b[0]
worst = max(abs(float(x) - float(y)) for ra, rb in zip(a[1:], b[1:]) for x, y in zip(ra[1:], rb[1:]))
assert worst <= 1.0001e-4, worst
PY

run matrix "$CORPUS" -o m.npy --precision 9
expect_rc 0 "npy output"
$PY - <<'PY' && ok "npy loads with numpy and matches the CSV" || fail "npy output"
import numpy as np, csv
m = np.load("m.npy"); c = list(csv.reader(open("m.csv")))
n = len(c) - 1
assert m.shape == (n, n) and m.dtype == np.float32, (m.shape, m.dtype)
ref = np.array([[float(x) for x in r[1:]] for r in c[1:]])
assert np.abs(m - ref).max() <= 0.5e-4 + 1e-7
PY

run matrix "$CORPUS" -o - -q
expect_rc 0 "matrix to stdout"
[ "$(printf '%s\n' "$out" | head -c 3)" = "id," ] && ok "CSV on stdout" || fail "stdout CSV"
[ -z "$err" ] && ok "-q keeps stderr quiet" || fail "-q printed: $err"
finish
