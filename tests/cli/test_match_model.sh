# align's match model end to end: --match-model msrp on the example corpus
# (model_score and reasons in alignment.csv, every match at or above the
# model's threshold, the same bytes twice), --match-model none as the
# default, a user's model file, and the errors of bad model files and
# options (a message naming the file and the member, no output written).
# Each model score is recomputed here from the shipped weights, the
# pair's word cosine, its char_wb cosine from `textsim matrix` and digit
# groups by Python's re: an independent check of host/align/features.c.
source "$(dirname "$0")/lib.sh"
set -e
MODEL=$TS_SOURCE_DIR/data/match-model.json

run align "$CORPUS" -o model -q --match-model msrp
expect_rc 0 "align --match-model msrp"
run align "$CORPUS" -o model2 -q --match-model msrp
for f in statements.csv alignment.csv clusters.csv clusters.jsonl report.html; do
  cmp -s model/$f model2/$f && ok "the model's $f is the same twice" || fail "$f differs between runs"
done
run align "$CORPUS" -o file -q --match-model "$MODEL"
cmp -s model/alignment.csv file/alignment.csv && ok "the model as a file = msrp" ||
  fail "--match-model FILE differs from msrp"
run align "$CORPUS" -o plain -q
run align "$CORPUS" -o none -q --match-model none
cmp -s plain/alignment.csv none/alignment.csv && ok "--match-model none is the default" ||
  fail "--match-model none differs from the default"
grep -q 'cosine rule, threshold 0.2,' plain/report.html && ok "the report names the cosine rule" ||
  fail "the report's settings do not name the cosine rule"
grep -q 'best model score' model/report.html && ok "the report shows model scores and reasons" ||
  fail "the report lacks the model's scores"

# alignment.csv: model_score and reasons, recomputed independently
"$TEXTSIM" matrix "$CORPUS" -o chars.csv -q --analyzer char_wb --ngram-range 3,5 --sublinear-tf
if "$PY" - "$MODEL" model/alignment.csv none/alignment.csv chars.csv <<'PY'; then ok "model scores recomputed from the weights"; else fail "model scores"; fi
import csv, json, math, re, sys
model = json.load(open(sys.argv[1]))
w = {f["name"]: f["weight"] for f in model["features"]}
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
plain = list(csv.DictReader(open(sys.argv[3], newline="", encoding="utf-8")))
with open(sys.argv[4], newline="", encoding="utf-8") as f:
    r = csv.reader(f)
    ids = next(r)[1:]
    char = {row[0]: dict(zip(ids, map(float, row[1:]))) for row in r}
digits = re.compile(r"[0-9]+(?:[.,][0-9]+)*", re.ASCII)
assert rows and all(p["model_score"] == "" and p["reasons"] == "" for p in plain)
for p in rows:
    a, b = f"{p['source_a']}:{p['index_a']}", f"{p['source_b']}:{p['index_b']}"
    da, db = set(digits.findall(p["text_a"])), set(digits.findall(p["text_b"]))
    x = {"word_cosine": float(p["score"]), "char_cosine": char[a][b],
         "digits_shared": float(bool(da & db)), "digits_disagree": float(bool(da and db and not da & db))}
    z = model["intercept"] + sum(w[k] * x[k] for k in w)
    s = 1 / (1 + math.exp(-z))
    got = float(p["model_score"])
    assert abs(got - s) < 2e-4, (a, b, got, s, x)
    assert got >= model["threshold"] - 1e-4, (a, b, got)
    assert p["reasons"].split(";")[0].split(" ")[0] in ("words", "character"), p["reasons"]
print(len(rows), "pairs")
PY

# bad model files: the file and the member named, exit 3, no output
printf '{"format": "textsim-match-model", "version": 1}' > nochar.json
printf '{"format": "textsim-match-model", "version": 9}' > future.json
sed 's/digits_disagree/length_ratio/' "$MODEL" > unknown.json
head -c 100 "$MODEL" > cut.json
for f in nochar.json:char_ngram_range future.json:"version 9" unknown.json:length_ratio \
         cut.json:"not valid JSON" missing.json:"cannot open"; do
  file=${f%%:*} want=${f#*:}
  run align "$CORPUS" -o "out-$file" -q --match-model "$file"
  expect_rc 3 "bad model $file"
  expect_in "$err" "$file" "the message names $file"
  expect_in "$err" "$want" "the message says what is wrong in $file"
  expect_no_file "out-$file/alignment.csv" "no alignment.csv for $file"
done

# bad options: usage errors
for o in "--max-restatements -1" "--max-restatements x" "--candidate-floor 0" \
         "--candidate-floor 1.5" "--threshold 0"; do
  run align "$CORPUS" -o bad -q $o
  expect_rc 2 "align $o"
done

# restatements: 0 leaves one statement per source in every cluster
run align "$CORPUS" -o norest -q --max-restatements 0
"$PY" - norest/clusters.csv <<'PY' && ok "--max-restatements 0: one statement per source and cluster" || fail "--max-restatements 0"
import csv, sys, collections
seen = collections.Counter((r["cluster"], r["source"]) for r in csv.DictReader(open(sys.argv[1])))
assert max(seen.values()) == 1, seen.most_common(3)
PY
finish
