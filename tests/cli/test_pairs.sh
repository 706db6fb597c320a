# textsim pairs: each statement's top-k / thresholded matches, checked against
# a brute-force reference computed from `textsim matrix`'s full matrix, a
# hand-computed tiny corpus, output handling, usage errors and backends.
source "$(dirname "$0")/lib.sh"
set -e

# ------------------------------------------------------------ the reference
# The full matrix as exact float32 (matrix -o m.npy; statements.csv beside it).
run matrix "$CORPUS" -o m.npy -q
expect_rc 0 "reference matrix of the example corpus"

# check_pairs PAIRS.csv TOP_K MIN_SCORE CROSS(0|1) PRECISION [MATRIX.npy STATEMENTS.csv]
# Recomputes every statement's list from the matrix (no diagonal, score > 0
# and >= min-score, other source only with CROSS, best first, equal scores by
# lower statement number, at most TOP_K unless 0) and compares it with the
# pairs CSV line by line: same ids, same order, rank 1.., and the score as
# printed at PRECISION or within 1e-5 of the matrix value.
check_pairs() {
  $PY - "$@" <<'PY'
import csv, sys
import numpy as np
path, k, t, cross, prec = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5])
mpath = sys.argv[6] if len(sys.argv) > 6 else "m.npy"
spath = sys.argv[7] if len(sys.argv) > 7 else "statements.csv"
m = np.load(mpath)
st = list(csv.DictReader(open(spath, newline="", encoding="utf-8")))
ids = [r["id"] for r in st]
src = [r["source"] for r in st]
n = len(ids)
assert m.shape == (n, n), (m.shape, n)
t32 = np.float32(t)
expected = []
for i in range(n):
    row = m[i]
    cand = [j for j in range(n)
            if j != i and row[j] > 0 and row[j] >= t32 and not (cross and src[j] == src[i])]
    cand.sort(key=lambda j: (-row[j], j))
    if k:
        cand = cand[:k]
    expected += [(ids[i], ids[j], float(row[j]), r + 1) for r, j in enumerate(cand)]
rows = list(csv.reader(open(path, newline="", encoding="utf-8")))
assert rows[0] == ["statement_a", "statement_b", "score", "rank"], rows[0]
got = rows[1:]
assert len(got) == len(expected), ("lines", len(got), "expected", len(expected))
exact = 0
for line, (g, e) in enumerate(zip(got, expected), 2):
    assert (g[0], g[1], int(g[3])) == (e[0], e[1], e[3]), ("line", line, g, e)
    want = "%.*f" % (prec, e[2])
    if g[2] == want:
        exact += 1
    else:
        assert abs(float(g[2]) - e[2]) <= 0.5 * 10 ** -prec + 1e-5, ("score", line, g, e)
    assert len(g[2].split(".")[-1]) == prec or prec == 0, g[2]
print(f"{len(got)} matches as the reference, {exact} scores printed identically")
assert len(expected) > 0 or k < 0
PY
}

run pairs "$CORPUS" --top-k 1 -o k1.csv
expect_rc 0 "pairs --top-k 1"
expect_in "$err" "wrote k1.csv" "summary on stderr"
[ -z "$out" ] && ok "nothing on stdout with -o FILE" || fail "stdout not empty: $out"
check_pairs k1.csv 1 0 0 4 && ok "top-k 1 = brute-force reference" || fail "top-k 1 differs from the reference"

run pairs "$CORPUS" -o k10.csv
expect_rc 0 "pairs with the defaults (top-k 10)"
check_pairs k10.csv 10 0 0 4 && ok "top-k 10 (default) = reference" || fail "top-k 10 differs"

run pairs "$CORPUS" --top-k 0 --min-score 0.3 -o all.csv --precision 6
expect_rc 0 "pairs --top-k 0 --min-score 0.3"
check_pairs all.csv 0 0.3 0 6 && ok "top-k 0, min-score 0.3, precision 6 = reference" \
  || fail "top-k 0 min-score 0.3 differs"

run pairs "$CORPUS" --top-k 5 --min-score 0.2 --tile 16 -o tiled.csv
expect_rc 0 "pairs in 16-statement blocks"
check_pairs tiled.csv 5 0.2 0 4 && ok "many blocks (--tile 16) = reference" || fail "--tile 16 differs"

run pairs "$CORPUS" --cross-source -o cross.csv
expect_rc 0 "pairs --cross-source"
check_pairs cross.csv 10 0 1 4 && ok "--cross-source = reference" || fail "--cross-source differs"

run pairs "$CORPUS" --cross-source --top-k 0 --min-score 0.25 --tile 24 -o cross-all.csv
expect_rc 0 "pairs --cross-source --top-k 0 --tile 24"
check_pairs cross-all.csv 0 0.25 1 4 && ok "--cross-source, all >= 0.25, tiled = reference" \
  || fail "--cross-source --top-k 0 differs"

# Every match is listed from both sides when no top-k cuts a list.
$PY - <<'PY' && ok "top-k 0 lists every match from both sides" || fail "top-k 0 is not symmetric"
import csv
for f in ("all.csv", "cross-all.csv"):
    rows = list(csv.reader(open(f, newline="")))[1:]
    pairs = {(r[0], r[1]): r[2] for r in rows}
    assert len(pairs) == len(rows) and len(rows) > 0
    assert all(pairs.get((b, a)) == s for (a, b), s in pairs.items()), f
PY

# ------------------------------------------------------------- --with-text
run pairs "$CORPUS" --with-text -o text.csv
expect_rc 0 "pairs --with-text"
$PY - <<'PY' && ok "--with-text: texts as in statements.csv, other columns unchanged" || fail "--with-text"
import csv
st = {r["id"]: r["text"] for r in csv.DictReader(open("statements.csv", newline="", encoding="utf-8"))}
t = list(csv.reader(open("text.csv", newline="", encoding="utf-8")))
p = list(csv.reader(open("k10.csv", newline="", encoding="utf-8")))
assert t[0] == ["statement_a", "statement_b", "score", "rank", "text_a", "text_b"], t[0]
assert len(t) == len(p) and all(len(r) == 6 for r in t)
assert [r[:4] for r in t[1:]] == p[1:]
assert all(r[4] == st[r[0]] and r[5] == st[r[1]] for r in t[1:])
assert any("," in r[4] or '"' in r[4] for r in t[1:]), "no quoted text exercised"
PY

# --------------------------------------------------- hand-computed tiny corpus
# With --no-use-idf the vectors are l2-normalised term counts:
#   a:1 cat sat   a:2 dog ran   b:1 cat sat   b:2 cat sat mat   c:1 cat ran   c:2 cat sat
# cos(cat sat, cat sat) = 1, cos(cat sat, cat sat mat) = 2/sqrt(6) = 0.8165,
# cos(cat sat, cat ran) = cos(dog ran, cat ran) = 1/2, cos(cat sat mat, cat ran) =
# 1/(sqrt(3)*sqrt(2)) = 0.4082; dog ran shares a term with cat ran only.  Equal
# scores come from identical products, so ties are exact and go to the lower id.
printf 'a\tcat sat\na\tdog ran\nb\tcat sat\nb\tcat sat mat\nc\tcat ran\nc\tcat sat\n' >tiny.tsv
cat >tiny-all.expected <<'EOF'
statement_a,statement_b,score,rank
a:1,b:1,1.0000,1
a:1,c:2,1.0000,2
a:1,b:2,0.8165,3
a:1,c:1,0.5000,4
a:2,c:1,0.5000,1
b:1,a:1,1.0000,1
b:1,c:2,1.0000,2
b:1,b:2,0.8165,3
b:1,c:1,0.5000,4
b:2,a:1,0.8165,1
b:2,b:1,0.8165,2
b:2,c:2,0.8165,3
b:2,c:1,0.4082,4
c:1,a:1,0.5000,1
c:1,a:2,0.5000,2
c:1,b:1,0.5000,3
c:1,c:2,0.5000,4
c:1,b:2,0.4082,5
c:2,a:1,1.0000,1
c:2,b:1,1.0000,2
c:2,b:2,0.8165,3
c:2,c:1,0.5000,4
EOF
cat >tiny-k1.expected <<'EOF'
statement_a,statement_b,score,rank
a:1,b:1,1.0000,1
a:2,c:1,0.5000,1
b:1,a:1,1.0000,1
b:2,a:1,0.8165,1
c:1,a:1,0.5000,1
c:2,a:1,1.0000,1
EOF
cat >tiny-k2-min.expected <<'EOF'
statement_a,statement_b,score,rank
a:1,b:1,1.0000,1
a:1,c:2,1.0000,2
b:1,a:1,1.0000,1
b:1,c:2,1.0000,2
b:2,a:1,0.8165,1
b:2,b:1,0.8165,2
c:2,a:1,1.0000,1
c:2,b:1,1.0000,2
EOF
cat >tiny-cross.expected <<'EOF'
statement_a,statement_b,score,rank
a:1,b:1,1.0000,1
a:1,c:2,1.0000,2
a:1,b:2,0.8165,3
a:1,c:1,0.5000,4
a:2,c:1,0.5000,1
b:1,a:1,1.0000,1
b:1,c:2,1.0000,2
b:1,c:1,0.5000,3
b:2,a:1,0.8165,1
b:2,c:2,0.8165,2
b:2,c:1,0.4082,3
c:1,a:1,0.5000,1
c:1,a:2,0.5000,2
c:1,b:1,0.5000,3
c:1,b:2,0.4082,4
c:2,a:1,1.0000,1
c:2,b:1,1.0000,2
c:2,b:2,0.8165,3
EOF
cat >tiny-text.expected <<'EOF'
statement_a,statement_b,score,rank,text_a,text_b
a:1,b:1,1.0000,1,cat sat,cat sat
a:2,c:1,0.5000,1,dog ran,cat ran
b:1,a:1,1.0000,1,cat sat,cat sat
b:2,a:1,0.8165,1,cat sat mat,cat sat
c:1,a:1,0.5000,1,cat ran,cat sat
c:2,a:1,1.0000,1,cat sat,cat sat
EOF
tiny() { # tiny NAME OPTIONS...: textsim pairs on tiny.tsv, compared with NAME.expected
  local name=$1; shift
  run pairs tiny.tsv --no-use-idf -o "tiny-$name.csv" "$@"
  if [ "$rc" -eq 0 ] && cmp -s "tiny-$name.csv" "tiny-$name.expected"; then
    ok "tiny corpus, hand-computed: $name ($*)"
  else
    fail "tiny corpus $name ($*): exit $rc; $err; diff: $(diff "tiny-$name.expected" "tiny-$name.csv" 2>&1)"
  fi
}
tiny all --top-k 0
tiny k1 --top-k 1
tiny k2-min --top-k 2 --min-score 0.6
tiny cross --cross-source
tiny text --top-k 1 --with-text
run pairs tiny.tsv --no-use-idf --min-score 1.5 -o tiny-none.csv
[ "$rc" -eq 0 ] && [ "$(cat tiny-none.csv)" = "statement_a,statement_b,score,rank" ] \
  && ok "min-score above every score: header only" || fail "min-score 1.5: exit $rc, $(cat tiny-none.csv)"

# Spreadsheet guard and RFC 4180 quoting of ids and texts.
printf '=x\t"hi", cat\n=x\t"hi", cat\n' >guard.tsv
run pairs guard.tsv --with-text
[ "$rc" -eq 0 ] && [ "$out" = "$(printf 'statement_a,statement_b,score,rank,text_a,text_b\n'"'"'=x:1,'"'"'=x:2,1.0000,1,"""hi"", cat","""hi"", cat"\n'"'"'=x:2,'"'"'=x:1,1.0000,1,"""hi"", cat","""hi"", cat"')" ] \
  && ok "ids and texts quoted and formula-guarded" || fail "quoting: exit $rc: $out"

# ------------------------------------------------------------------ stdout
run pairs "$CORPUS" -q
expect_rc 0 "pairs to stdout (no -o)"
printf '%s\n' "$out" | cmp -s - k10.csv && ok "stdout = the file output" || fail "stdout differs from k10.csv"
[ -z "$err" ] && ok "-q keeps stderr quiet" || fail "-q printed: $err"
run pairs "$CORPUS" -o - --top-k 1
expect_rc 0 "pairs -o -"
printf '%s\n' "$out" | cmp -s - k1.csv && ok "-o - writes stdout" || fail "-o - differs from k1.csv"

# ------------------------------------------------------------- single source
run pairs "$CORPUS/000_2b4761951d907736.txt" --cross-source -o one.csv
expect_rc 0 "--cross-source with one source"
expect_in "$err" "single source" "warning that nothing can match"
[ "$(cat one.csv)" = "statement_a,statement_b,score,rank" ] && ok "header-only CSV" || fail "one.csv: $(head -3 one.csv)"
run pairs "$CORPUS/000_2b4761951d907736.txt" --top-k 2 -o one-all.csv
[ "$rc" -eq 0 ] && [ "$(wc -l <one-all.csv)" -gt 1 ] && ok "one source without --cross-source matches within it" \
  || fail "one source: exit $rc"

# ------------------------------------------------------------ usage errors
usage() { # usage NEEDLE ARGS...
  local needle=$1; shift
  run pairs "$@"
  if [ "$rc" -eq 2 ] && case "$err" in *"$needle"*) true;; *) false;; esac; then
    ok "usage error: $*"
  else
    fail "usage error $*: exit $rc, stderr: $err"
  fi
}
usage "--top-k" "$CORPUS" --top-k 1025 -o u.csv
usage "--top-k" "$CORPUS" --top-k -1 -o u.csv
usage "--top-k" "$CORPUS" --top-k abc -o u.csv
usage "--top-k" "$CORPUS" --top-k 3x -o u.csv
usage "--top-k" "$CORPUS" --top-k= -o u.csv
usage "--min-score" "$CORPUS" --min-score nan -o u.csv
usage "--min-score" "$CORPUS" --min-score inf -o u.csv
usage "--min-score" "$CORPUS" --min-score 1e40 -o u.csv
usage "--min-score" "$CORPUS" --min-score 0.5x -o u.csv
usage "--min-score" "$CORPUS" --min-score "" -o u.csv
usage "needs a value" "$CORPUS" -o u.csv --top-k
usage "at least one source" --top-k 3
usage "unknown option" "$CORPUS" --topk 3
expect_no_file u.csv "no output after usage errors"
run pairs --top-k 1024 --min-score -1 --help
[ "$rc" -eq 0 ] && expect_in "$out" "--cross-source" "pairs --help lists its options" || fail "pairs --help: exit $rc"
run --help
expect_in "$out" "pairs " "textsim --help lists pairs"

# ---------------------------------------------------------- failed outputs
run pairs "$CORPUS" -o missing-dir/p.csv
expect_rc 5 "unwritable output path"
expect_no_file missing-dir "nothing created for the unwritable path"
mkdir -p outdir && echo old >outdir/p.csv
run pairs "$CORPUS" nonexistent.txt -o outdir/p.csv
expect_rc 3 "unreadable input"
[ "$(cat outdir/p.csv)" = old ] && ok "a failed run leaves the previous file" || fail "outdir/p.csv changed"
mkdir -p outdir/dir.csv
run pairs "$CORPUS" -o outdir/dir.csv
expect_rc 5 "output path is a directory"
expect_no_temps outdir "no temporaries left after the failures"
if [ "$(id -u)" != 0 ]; then
  mkdir ro && chmod 555 ro
  run pairs "$CORPUS" -o ro/p.csv
  expect_rc 5 "read-only directory"
  expect_no_file ro/p.csv "no file in the read-only directory"
  chmod 755 ro
fi

# SIGINT while the matches are being written: exit 130, nothing at the path.
$PY - <<'PY'
import random
random.seed(7)
words = [f"w{i}" for i in range(3000)]
with open("big.txt", "w") as f:
    for _ in range(6000):
        f.write(" ".join(random.choice(words) for _ in range(12)) + ".\n")
PY
mkdir sig
set +e
"$TEXTSIM" pairs big.txt --segment line --top-k 0 -o sig/big.csv 2>sig.err &
pid=$!
for _ in $(seq 1 400); do ls -A sig | grep -q '\.tmp-' && break; sleep 0.025; done
kill -INT $pid; wait $pid; rc=$?
set -e
[ "$rc" -eq 130 ] && ok "SIGINT exits 130" || fail "SIGINT exit code $rc: $(cat sig.err)"
[ -z "$(ls -A sig)" ] && ok "SIGINT: no partial output, no temporaries" || fail "SIGINT left: $(ls -A sig)"

# ------------------------------------------------- determinism and backends
run pairs "$CORPUS" -o k10-again.csv
cmp -s k10.csv k10-again.csv && ok "byte-identical on a second run" || fail "output differs between runs"
for opts in "--top-k 10" "--top-k 0 --min-score 0.3 --with-text" "--cross-source --top-k 3"; do
  # shellcheck disable=SC2086
  run pairs "$CORPUS" $opts --backend opencl --precision 9 -o ocl.csv
  r1=$rc
  # shellcheck disable=SC2086
  run pairs "$CORPUS" $opts --backend cpu --precision 9 -o cpu.csv
  [ "$r1" -eq 0 ] && [ "$rc" -eq 0 ] && cmp -s ocl.csv cpu.csv \
    && ok "opencl and cpu give identical files ($opts, precision 9)" \
    || fail "backends differ ($opts): exit $r1/$rc; $(diff ocl.csv cpu.csv | head -5)"
done
run pairs "$CORPUS" --backend cpu --tile 16 --cross-source -o cpu-cross.csv
cmp -s cpu-cross.csv cross.csv && ok "cpu backend in 16-statement blocks = opencl" \
  || fail "cpu --tile 16 --cross-source differs from opencl"

run pairs "$CORPUS" -v --top-k 2 -o v.csv
expect_in "$err" "pairs in" "-v prints the stage times"
# Progress: --progress draws from the start even off a terminal, at most
# about 10 times a second, with rate and time left; off a terminal nothing
# is drawn by default; --no-progress never draws.
MSRP=$TS_TEST_DATA/msrp/msr_paraphrase_train.txt
t0=$(date +%s.%N)
run pairs "$MSRP" --segment line -o prog.csv --progress
t1=$(date +%s.%N)
expect_rc 0 "pairs --progress"
draws=$(printf '%s' "$err" | tr '\r' '\n' | grep -c 'rows/s' || true)
limit=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 10 + 2 }')
[ "$draws" -ge 1 ] && [ "$draws" -le "$limit" ] && ok "progress drawn $draws times (at most $limit)" ||
  fail "progress drawn $draws times in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s"
expect_in "$err" "rows/s" "progress shows the rate"
expect_in "$err" " left" "progress shows the time left"
run pairs "$MSRP" --segment line -o prog2.csv
case "$err" in *rows/s*) fail "a bar drawn off a terminal without --progress" ;; *) ok "no bar off a terminal" ;; esac
run pairs "$MSRP" --segment line -o prog3.csv --progress --no-progress
case "$err" in *rows/s*) fail "--no-progress drew a bar" ;; *) ok "--no-progress" ;; esac
cmp -s prog.csv prog2.csv && ok "the bar does not touch the output" || fail "output differs with --progress"
run statements "$MSRP" --progress
expect_rc 2 "statements has no progress bar to ask for"

# --against: each query's best archive statements, with the archive's
# vocabulary and IDF, against scikit-learn's fit(archive).transform(queries)
# and a brute-force product (ties: the lower archive line first).
"$PY" - "$MSRP" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8-sig").read().split("\n")[1:]
sents = []
for line in lines:
    f = line.split("\t")
    if len(f) == 5:
        sents += [f[3].strip(), f[4].strip()]
open("archive.txt", "w").write("\n".join(sents[:1500]) + "\n")
open("archive2.txt", "w").write("\n".join(sents[1500:2000]) + "\n")
# queries: new sentences, archive sentences (exact matches), and unknown words
open("queries.txt", "w").write("\n".join(sents[2000:2150] + sents[0:1500:100] + ["zzqx wwvy"]) + "\n")
PY
for o in "--top-k 5" "--top-k 0 --min-score 0.3" "--top-k 1 --sublinear-tf --stop-words english"; do
  run pairs queries.txt --against archive.txt --against archive2.txt --segment line -o against.csv -q --precision 9 $o
  expect_rc 0 "pairs --against ($o)"
  if "$PY" - against.csv "$o" <<'PY'; then ok "--against = scikit-learn, brute force ($o)"; else fail "--against ($o)"; fi
import csv, sys
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
opts = sys.argv[2].split()
k = int(opts[opts.index("--top-k") + 1])
t = float(opts[opts.index("--min-score") + 1]) if "--min-score" in opts else 0.0
kw = {}
if "--sublinear-tf" in opts: kw["sublinear_tf"] = True
if "--stop-words" in opts: kw["stop_words"] = "english"
arch = [("archive", l) for l in open("archive.txt").read().splitlines()]
arch += [("archive2", l) for l in open("archive2.txt").read().splitlines()]
names = [f"archive:{i + 1}" for i in range(1500)] + [f"archive2:{i + 1}" for i in range(500)]
queries = open("queries.txt").read().splitlines()
v = TfidfVectorizer(**kw).fit([l for _, l in arch])
S = (v.transform(queries) @ v.transform([l for _, l in arch]).T).toarray()
want = []
for q in range(len(queries)):
    cand = [(-S[q, a], a) for a in range(len(arch)) if S[q, a] > 0 and S[q, a] >= t]
    cand.sort()
    for r, (s, a) in enumerate(cand[:k] if k else cand):
        want.append((f"queries:{q + 1}", names[a], -s, r + 1))
got = [(r["statement_a"], r["statement_b"], float(r["score"]), int(r["rank"]))
       for r in csv.DictReader(open(sys.argv[1]))]
assert len(got) == len(want), (len(got), len(want))
for g, w in zip(got, want):
    assert g[0] == w[0] and g[3] == w[3] and abs(g[2] - w[2]) < 1e-5, (g, w)
    assert g[1] == w[1] or abs(g[2] - w[2]) < 1e-5 and sum(abs(x[2] - g[2]) < 1e-5 for x in want if x[0] == g[0]) > 1, (g, w)
assert any(g[2] > 0.9999 for g in got)  # the archive's own sentences
assert not any(g[0] == f"queries:{len(queries)}" for g in got)  # unknown words: no match
PY
done
run pairs queries.txt --against archive.txt --cross-source -q
expect_rc 2 "--against with --cross-source"
run pairs queries.txt --against missing.txt -o none.csv -q
expect_rc 3 "--against a missing file"
expect_no_file none.csv "no output for a missing archive"
finish
