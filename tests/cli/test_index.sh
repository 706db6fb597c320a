# textsim index build/add/info and textsim search: search checked against
# scikit-learn (fit on the archive, transform the queries, the full product
# sorted; an archive of 117 statements and one of 8,150, where top-k
# searches take the pruned pass) and against pairs --against; add against scikit-learn's transform
# (the archive's IDF kept); byte-identical builds; the bad-input table
# (truncated, corrupted, foreign, empty, missing files; contradicting
# TF-IDF options) with exit codes and no partial output; an interrupted add
# leaves the old index or the complete new one, and no temporary.
source "$(dirname "$0")/lib.sh"
set -e

A="$CORPUS/000_2b4761951d907736.txt $CORPUS/001_cb0c55db5773bf71.txt $CORPUS/002_843aef7b8957214e.txt"
D=$CORPUS/003_e4ef00173f70e238.txt
Q=$CORPUS/004_2d8858a757586965.txt

no_temps() { # no_temps DIR NAME
  if ls -A "$1" | grep -q '\.tmp'; then fail "$2: temporaries left: $(ls -A "$1")"; else ok "$2"; fi
}

# ----------------------------------------------------------------- build
# shellcheck disable=SC2086
run index build $A $D -o four.tsidx
expect_rc 0 "index build of four outlets"
expect_file four.tsidx "the index file"
# shellcheck disable=SC2086
run index build $A $D -o again.tsidx -q
cmp -s four.tsidx again.tsidx && ok "the same input twice gives the same bytes" ||
  fail "two builds of the same input differ"
no_temps . "no temporary beside the index"

# shellcheck disable=SC2086
run statements $A $D -o archive.csv -q
run statements "$Q" -o queries.csv -q
run index info four.tsidx
expect_rc 0 "index info"
n=$(($(wc -l <archive.csv) - 1))
expect_in "$out" "statements: $n" "info counts the archive's statements"
expect_in "$out" "sources: 4" "info counts the sources"
expect_in "$out" "norm: l2" "info shows the options"
expect_in "$out" "003_e4ef00173f70e238,46" "info lists each source's statements"

# ------------------------------------------------- search vs scikit-learn
# check_search SEARCH.csv ARCHIVE.csv QUERIES.csv TOP_K MIN_SCORE [ADDED.csv]
# The reference: TfidfVectorizer fitted on ARCHIVE's texts (the index's
# build input); the archive rows are those texts and ADDED's, transformed;
# each query's row of the full product, scores > 0 and >= MIN_SCORE, best
# first (equal scores: the earlier archive statement), cut to TOP_K.  Ids in
# the same order, scores within 1e-4 of the printed 4 decimals; a different
# id at a rank only where its score ties the reference's within 1e-5.
check_search() {
  $PY - "$@" <<'PY'
import csv, sys
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
path, apath, qpath, k, t = sys.argv[1:6]
k, t = int(k), float(t)
read = lambda p: list(csv.DictReader(open(p, newline="", encoding="utf-8")))
arch, qs = read(apath), read(qpath)
added = read(sys.argv[6]) if len(sys.argv) > 6 else []
vec = TfidfVectorizer().fit([r["text"] for r in arch])
A = vec.transform([r["text"] for r in arch + added])
ids = [r["id"] for r in arch + added]
S = (vec.transform([r["text"] for r in qs]) @ A.T).toarray()
got = {}
for r in read(path):
    got.setdefault(r["query"], []).append(r)
bad = 0
for i, q in enumerate(qs):
    row = S[i]
    order = sorted((j for j in range(len(ids)) if row[j] > 0 and row[j] >= t), key=lambda j: (-row[j], j))
    if k:
        order = order[:k]
    mine = got.get(q["id"], [])
    if len(mine) != len(order):
        print(f"{q['id']}: {len(mine)} matches, reference {len(order)}"); bad += 1; continue
    for rank, (m, j) in enumerate(zip(mine, order), 1):
        if int(m["rank"]) != rank or abs(float(m["score"]) - row[j]) > 1e-4:
            print(f"{q['id']} rank {rank}: {m} against {ids[j]} {row[j]:.6f}"); bad += 1
        elif m["match"] != ids[j] and abs(row[ids.index(m["match"])] - row[j]) > 1e-5:
            print(f"{q['id']} rank {rank}: {m['match']} against {ids[j]}"); bad += 1
sys.exit(1 if bad else 0)
PY
}

for case in "3 0" "0 0.1" "1 0" "10 0.3"; do
  set -- $case
  run search four.tsidx "$Q" --top-k "$1" --min-score "$2" -o s.csv -q
  expect_rc 0 "search --top-k $1 --min-score $2"
  if check_search s.csv archive.csv queries.csv "$1" "$2"; then
    ok "search --top-k $1 --min-score $2 equals scikit-learn's fit(archive).transform(queries)"
  else
    fail "search --top-k $1 --min-score $2 differs from scikit-learn"
  fi
done
head -1 s.csv | grep -qx 'query,match,score,rank' && ok "the CSV header" || fail "header: $(head -1 s.csv)"

# An archive large enough for top-k searches to take the pruned pass (4,096
# statements or more): MSRP's 8,150 training sentences; the queries 40 of
# them (each finds itself, and its duplicates, at 1) and the fifth outlet.
awk -F'\t' 'NR > 1 { print $4; print $5 }' "$TS_TEST_DATA/msrp/msr_paraphrase_train.txt" >msrp.txt
{ sed -n '2001,2040p' msrp.txt; cat "$Q"; } >mq.txt
run index build --segment line msrp.txt -o msrp.tsidx -q
expect_rc 0 "index build of the MSRP sentences"
run statements --segment line msrp.txt -o msrp.csv -q
run statements --segment line mq.txt -o mq.csv -q
for case in "10 0" "1 0" "3 0.2"; do
  set -- $case
  run search msrp.tsidx --segment line mq.txt --top-k "$1" --min-score "$2" -o s.csv -v
  expect_rc 0 "search of 8,150 statements --top-k $1 --min-score $2"
  expect_in "$err" "pruned pass" "... takes the pruned pass"
  if check_search s.csv msrp.csv mq.csv "$1" "$2"; then
    ok "search of 8,150 statements --top-k $1 --min-score $2 equals scikit-learn"
  else
    fail "search of 8,150 statements --top-k $1 --min-score $2 differs from scikit-learn"
  fi
done

# the same lines as pairs --against, which fits the same model on the fly
run search four.tsidx "$Q" --top-k 5 --with-text -o s5.csv -q
# shellcheck disable=SC2086
run pairs "$Q" $(for f in $A $D; do printf -- '--against %s ' "$f"; done) --top-k 5 --with-text -o p5.csv -q
if [ "$(tail -n +2 s5.csv)" = "$(tail -n +2 p5.csv)" ] && [ "$(wc -l <s5.csv)" -gt 10 ]; then
  ok "search equals pairs --against line for line (with text)"
else
  fail "search and pairs --against differ"
fi
head -1 s5.csv | grep -qx 'query,match,score,rank,text_query,text_match' &&
  ok "--with-text adds text_query,text_match" || fail "with-text header: $(head -1 s5.csv)"
run search four.tsidx "$Q" --top-k 5 --with-text
[ "$out" = "$(cat s5.csv)" ] && ok "without -o the CSV goes to stdout" || fail "stdout differs from -o"
run search four.tsidx "$Q" --top-k 5 --with-text --backend cpu -o c5.csv -q
cmp -s s5.csv c5.csv && ok "the cpu backend gives the same bytes" || fail "cpu and opencl differ"
POCL_MAX_PTHREAD_COUNT=1 OMP_NUM_THREADS=1 BLIS_NUM_THREADS=1 \
  run search four.tsidx "$Q" --top-k 5 --with-text -o t5.csv -q
cmp -s s5.csv t5.csv && ok "one thread gives the same bytes" || fail "one thread differs"

# ------------------------------------------------------------------ add
# shellcheck disable=SC2086
run index build $A -o three.tsidx -q
cp three.tsidx three.orig
run index add three.tsidx "$D"
expect_rc 0 "index add"
run statements "$D" -o added.csv -q
# shellcheck disable=SC2086
run statements $A -o three.csv -q
run search three.tsidx "$Q" --top-k 0 -o sa.csv -q
if check_search sa.csv three.csv queries.csv 0 0 added.csv; then
  ok "after add, search equals scikit-learn with the IDF of the first build (transform)"
else
  fail "after add, search differs from scikit-learn's transform"
fi
run index add three.orig "$D" -o three.new -q
cmp -s three.tsidx three.new && ok "add -o writes the same index elsewhere" || fail "add -o differs"
# a source the index has continues its numbering
printf '000_2b4761951d907736\tThe envoy carried a letter written in green ink.\n' >more.tsv
run index add three.tsidx more.tsv -q
run search three.tsidx more.tsv --top-k 1 --format tsv
expect_in "$out" "000_2b4761951d907736:1,000_2b4761951d907736:26,1.0000,1" "an added statement of a known source is numbered after its last"

# --------------------------------------------------- contradicting options
run search four.tsidx "$Q" --norm l1
expect_rc 2 "search --norm l1 against an l2 index"
expect_in "$err" "--norm contradicts the TF-IDF options of the index four.tsidx" "the message names the option and the index"
run search four.tsidx "$Q" --norm l2 --ngram-range 1,1 --stop-words none -q
expect_rc 0 "options that agree with the index are accepted"
run index add four.tsidx "$Q" --stem english
expect_rc 2 "index add --stem english against an unstemmed index"
run search four.tsidx "$Q" --vocabulary archive.csv
expect_rc 2 "--vocabulary never agrees: the index's columns are fixed"

# ---------------------------------------------------------- bad index files
bad_index() { # bad_index FILE NEEDLE NAME
  rm -f out.csv
  run search "$1" "$Q" -o out.csv
  expect_rc 3 "$3"
  expect_in "$err" "$1" "$3: the message names the file"
  expect_in "$err" "$2" "$3: the message says what"
  expect_no_file out.csv "$3: no output"
}
head -c 1000 four.tsidx >trunc.tsidx
bad_index trunc.tsidx "truncated" "a truncated index"
$PY - <<'PY'
data = bytearray(open("four.tsidx", "rb").read())
data[len(data) // 2] ^= 0x10
open("flip.tsidx", "wb").write(data)
PY
bad_index flip.tsidx "checksum mismatch" "a corrupted byte"
bad_index archive.csv "not a textsim index" "a foreign file"
: >empty.tsidx
bad_index empty.tsidx "not a textsim index" "an empty file"
run search missing.tsidx "$Q"
expect_rc 3 "a missing index"
expect_in "$err" "missing.tsidx" "the message names the missing file"
cp four.tsidx before.tsidx
run index add flip.tsidx "$Q"
expect_rc 3 "index add to a corrupted index"
run index add four.tsidx "$Q" -o no/such/dir.tsidx
expect_rc 5 "index add to an unwritable place"
cmp -s four.tsidx before.tsidx && ok "a failed add leaves the index as it was" || fail "the index changed"
no_temps . "no temporary after failed adds"

# -------------------------------------------------------- usage errors
run index
expect_rc 2 "index without a subcommand"
run index --help
expect_rc 0 "index --help"
expect_in "$out" "textsim index build" "index --help lists the subcommands"
run index build "$Q" -o -
expect_rc 2 "index build -o - (an index is a file)"
run index build "$Q"
expect_rc 2 "index build without -o"
run search four.tsidx
expect_rc 2 "search without queries"
run search four.tsidx "$Q" --cross-source
expect_rc 2 "search --cross-source (not an option of search)"

# ------------------------------------------------------ interrupted add
# SIGINT at some point of an add: the index is the old one or the complete
# new one (never a part), it opens, and no temporary stays.
run index build "$Q" -o big.tsidx -q
cp big.tsidx big.orig
run index add big.orig "$TS_TEST_DATA/msrp/msr_paraphrase_train.txt" -o big.full -q
for delay in 0.05 0.2 0.5; do
  cp big.orig big.tsidx
  "$TEXTSIM" index add big.tsidx "$TS_TEST_DATA/msrp/msr_paraphrase_train.txt" -q 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" || true
  if cmp -s big.tsidx big.orig || cmp -s big.tsidx big.full; then
    ok "interrupted after ${delay}s: the old index or the new one"
  else
    fail "interrupted after ${delay}s: the index is neither"
  fi
  run index info big.tsidx
  expect_rc 0 "interrupted after ${delay}s: the index opens"
  no_temps . "interrupted after ${delay}s: no temporary"
done

finish
