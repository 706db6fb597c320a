# textsim align: outputs, boilerplate, cluster rules end to end, determinism.
source "$(dirname "$0")/lib.sh"
set -e

run align "$CORPUS" -o out
expect_rc 0 "align on the example corpus"
for f in statements.csv similarity.csv alignment.csv clusters.csv clusters.jsonl report.html; do
  expect_file "out/$f" "writes $f"
done
expect_in "$out" "statements from 5 sources" "summary on stdout"
expect_in "$out" "clusters by number of sources" "summary has clusters by support"
expect_in "$out" "results in out/" "summary says where the results are"
expect_no_temps out "no temporaries in OUTDIR"
expect_in "$out" "statements: 60 clustered (2 of them restatements), 17 matched but not clustered" "summary counts the statuses"

# Every status agrees with similarity.csv: clustered = in a cluster of 2+
# sources; otherwise matched exactly when an unflagged statement of another
# source scores >= the threshold (0.2), with the best such one (ties: the
# lower) as best_match; unique when none does; flagged = a flag.
$PY - <<'PY' && ok "statuses agree with similarity.csv; no statement with a cross-source match is unique" || fail "statuses"
import csv
st = list(csv.DictReader(open("out/statements.csv", encoding="utf-8")))
rows = list(csv.reader(open("out/similarity.csv", encoding="utf-8")))
ids = rows[0][1:]
sim = {r[0]: [float(v) for v in r[1:]] for r in rows[1:]}
assert [r["id"] for r in st] == ids
seen = set()
for i, r in enumerate(st):
    seen.add(r["status"])
    if r["flag"]:
        assert r["status"] == "flagged", r
        continue
    cand = [(sim[r["id"]][j], -j) for j, o in enumerate(st)
            if o["source"] != r["source"] and not o["flag"] and sim[r["id"]][j] >= 0.2 - 5e-5]
    if int(r["support"]) >= 2:
        assert r["status"] == "clustered", r
    elif cand:
        best = max(cand)
        assert r["status"] == "matched" and r["why"], r
        assert abs(float(r["best_score"]) - best[0]) <= 1e-4, (r, best)
        assert sim[r["id"]][ids.index(r["best_match"])] == best[0], (r, best)
    else:
        assert r["status"] == "unique" and r["best_match"] == "" and r["why"] == "", r
assert seen == {"clustered", "matched", "unique", "flagged"}, seen
# "The meeting lasted nearly five hours." restates 001:3's cluster (the five-hour meeting)
one = {r["id"]: r for r in st}["001_cb0c55db5773bf71:5"]
assert one["status"] == "clustered" and one["cluster"] == "1", one
assert any(r["status"] == "matched" and "already clustered with" in r["why"] for r in st)
PY

$PY - <<'PY' && ok "tables agree: support = sources, links and restatements, JSONL = CSV, boilerplate unaligned" || fail "align tables"
import csv, json
st = list(csv.DictReader(open("out/statements.csv", encoding="utf-8")))
cl = list(csv.DictReader(open("out/clusters.csv", encoding="utf-8")))
al = list(csv.DictReader(open("out/alignment.csv", encoding="utf-8")))
js = [json.loads(l) for l in open("out/clusters.jsonl", encoding="utf-8")]
assert len(st) == 153
# every statement in exactly one cluster; support counts sources; one statement
# per source except restatements, each linked to a member of another source
ids = sorted(r["id"] for r in cl); assert ids == sorted(r["id"] for r in st)
by = {}
for r in cl: by.setdefault(int(r["cluster"]), []).append(r)
restated = 0
for c, m in by.items():
    assert len({r["source"] for r in m}) == int(m[0]["support"]), c
    assert len(m) - sum(r["restatement"] == "1" for r in m) == int(m[0]["support"]), c
    for r in m:
        if int(r["support"]) < 2:
            assert r["link"] == r["link_score"] == r["restatement"] == "", r
            continue
        other = [o for o in m if o["id"] == r["link"]]
        assert other and other[0]["source"] != r["source"] and float(r["link_score"]) >= 0.2, r
        if r["restatement"] == "1":
            restated += 1
            assert other[0]["restatement"] == "0", r  # no chain through a restatement
assert restated == 2, restated
assert list(by) == sorted(by)
sup = [int(by[c][0]["support"]) for c in sorted(by)]; assert sup == sorted(sup, reverse=True)
# JSONL equals CSV
assert [(j["cluster"], [(m["id"], m.get("link", ""), m.get("restatement")) for m in j["members"]])
        for j in js] == \
       [(c, [(r["id"], r["link"], {"1": True, "0": False, "": None}[r["restatement"]])
             for r in by[c]]) for c in sorted(by)]
# statements.csv cluster column agrees
cof = {r["id"]: int(r["cluster"]) for r in cl}
assert all(int(r["cluster"]) == cof[r["id"]] for r in st)
# boilerplate is flagged and never aligned
flag = {r["id"]: r["flag"] for r in st}
text = {r["id"]: r["text"] for r in st}
for t in ["Sign up to read this article", "NEWSLETTER", "Join the GlobalSecurity.org mailing list",
          "Euronews", "Watch This Important Video"]:
    sid = [i for i in text if text[i] == t]; assert sid, t
    assert flag[sid[0]] != "", (t, flag[sid[0]])
    assert len(by[cof[sid[0]]]) == 1, t
aligned = set()
for r in al:
    a = r["source_a"] + ":" + r["index_a"]; b = r["source_b"] + ":" + r["index_b"]
    assert flag[a] == "" and flag[b] == "" and r["source_a"] != r["source_b"]
    assert float(r["score"]) >= 0.2 - 1e-9
    if r["cluster"]: assert cof[a] == cof[b] == int(r["cluster"])
    assert r["discrepancy"] in ("0", "1")
PY

cp -r out first
run align "$CORPUS" -o out
for f in statements.csv similarity.csv alignment.csv clusters.csv clusters.jsonl report.html; do
  cmp -s out/$f first/$f && ok "$f byte-identical on a second run" || fail "$f differs between runs"
done
run align "$CORPUS" -o cpu --backend cpu
for f in alignment.csv clusters.csv clusters.jsonl; do
  cmp -s cpu/$f first/$f && ok "$f identical with the cpu backend" || fail "$f differs with the cpu backend"
done

run align "$CORPUS" -o asg --match assignment
expect_rc 0 "--match assignment"

run align "$CORPUS" -o small --max-matrix 10
expect_rc 0 "--max-matrix below N"
expect_no_file small/similarity.csv "similarity.csv skipped"
expect_in "$err" "--max-matrix" "notice says why"
# without the matrix, align selects its candidates as `pairs` does (on the
# device, threshold and cross-source): the same alignment, to the byte
for f in statements.csv alignment.csv clusters.csv clusters.jsonl; do
  cmp -s small/$f first/$f && ok "$f identical without the matrix" || fail "$f differs without the matrix"
done
run align "$CORPUS" -o small-cpu --max-matrix 10 --backend cpu
for f in alignment.csv clusters.csv clusters.jsonl; do
  cmp -s small-cpu/$f first/$f && ok "$f identical without the matrix on cpu" || fail "$f differs without the matrix on cpu"
done

printf '[unclosed\n' > bad-patterns.txt
run align "$CORPUS" -o x --exclude bad-patterns.txt
expect_rc 3 "invalid exclusion pattern"
expect_in "$err" "bad-patterns.txt:1" "names the pattern file and line"
run align "$CORPUS" -o x --exclude no-such-file.txt
expect_rc 3 "missing exclusion file"

# A chain A-B, B-C with A-C below the threshold forms one cluster of three
# (hand-built: A and C share no term, so their cosine is 0).
printf 'a\talpha bravo charlie delta\nb\talpha bravo charlie delta echo foxtrot\nc\techo foxtrot golf hotel\n' > chain.tsv
run align chain.tsv -o chain --min-tokens 1 --threshold 0.2
expect_rc 0 "chain corpus"
$PY - <<'PY' && ok "chain A-B, B-C (A-C = 0) makes one cluster of 3" || fail "chain cluster"
import csv
cl = list(csv.DictReader(open("chain/clusters.csv")))
assert [(r["cluster"], r["id"]) for r in cl] == [("1", "a:1"), ("1", "b:1"), ("1", "c:1")], cl
al = list(csv.DictReader(open("chain/alignment.csv")))
assert {(r["source_a"], r["source_b"]) for r in al} == {("a", "b"), ("b", "c")}, al
PY

# b:1 and b:2 both match a:1 (and c:1): b:1 (1.0) is clustered with a:1
# and c:1, and b:2, whose best match a:1 (0.616) is in that cluster and
# which also reaches c:1 (0.477), joins as a restatement linked to a:1;
# with --no-restatements it stays out.  Without c, two sources only: no
# restatement (one link is the evidence every match has).
printf 'a\tkilo lima mike november oscar\nb\tkilo lima mike november oscar\nb\tkilo lima mike november papa\nc\tkilo lima mike november oscar quebec\n' > conflict.tsv
run align conflict.tsv -o conflict --min-tokens 1 --threshold 0.2
$PY - <<'PY' && ok "a source restating a fact joins its cluster, linked to its best match" || fail "conflict"
import csv
cl = list(csv.DictReader(open("conflict/clusters.csv")))
assert [(r["cluster"], r["id"], r["link"], r["restatement"]) for r in cl] == \
    [("1", "a:1", "b:1", "0"), ("1", "b:1", "a:1", "0"), ("1", "b:2", "a:1", "1"),
     ("1", "c:1", "a:1", "0")], cl
assert cl[0]["support"] == "3" and cl[0]["link_score"] == "1.0000"
sim = {r["id"]: r for r in csv.DictReader(open("conflict/similarity.csv"))}
assert cl[2]["link_score"] == sim["b:2"]["a:1"] and float(sim["b:2"]["c:1"]) >= 0.2
PY
run align conflict.tsv -o conflict1 --min-tokens 1 --threshold 0.2 --no-restatements
$PY - <<'PY' && ok "--no-restatements: one statement per source in a cluster" || fail "conflict, no restatements"
import csv
cl = list(csv.DictReader(open("conflict1/clusters.csv")))
assert [(r["cluster"], r["id"]) for r in cl] == [("1", "a:1"), ("1", "b:1"), ("1", "c:1"), ("2", "b:2")], cl
PY
grep -v '^c' conflict.tsv > conflict2.tsv
run align conflict2.tsv -o conflict2 --min-tokens 1 --threshold 0.2
$PY - <<'PY' && ok "two sources: no restatement" || fail "conflict, two sources"
import csv
cl = list(csv.DictReader(open("conflict2/clusters.csv")))
assert [(r["cluster"], r["id"], r["restatement"]) for r in cl] == [("1", "a:1", "0"), ("1", "b:1", "0"), ("2", "b:2", "")], cl
PY

# Numbers that differ are flagged.
printf 'x\tRussia controls about 19 percent of Ukrainian territory after the war.\ny\tRussia controls 20%% of Ukrainian territory after the war.\nz\tRussia controls over 19%% of Ukrainian territory after the war.\n' > nums.tsv
run align nums.tsv -o nums --min-tokens 1
$PY - <<'PY' && ok "19 percent vs 20% flagged; 19 percent vs over 19% not" || fail "discrepancy flags"
import csv
al = {(r["source_a"], r["source_b"]): r for r in csv.DictReader(open("nums/alignment.csv"))}
assert al[("x", "y")]["discrepancy"] == "1" and "19" in al[("x", "y")]["discrepancy_values"], al
assert al[("y", "z")]["discrepancy"] == "1"
assert al[("x", "z")]["discrepancy"] == "0", al[("x", "z")]
# "~" stands before the value stated with a qualifier
assert al[("x", "y")]["discrepancy_values"] == "percent: ~19 vs 20", al[("x", "y")]
assert al[("y", "z")]["discrepancy_values"] == "percent: 20 vs ~19", al[("y", "z")]
PY
expect_in "$(cat nums/report.html)" '<div class="numbers-differ">numbers differ: percent: 19 (x, z) vs 20 (y)</div>' \
  "a cluster's differing numbers in its row, with who says what"
expect_in "$(cat nums/report.html)" '<span class="number">20%</span>' "numbers highlighted in the cluster's texts"

# Numbers by language: with --locale de (or a sources file's locale column)
# "1.200" is 1200, "Rund" and "etwa" mark approximate numbers and Soldaten
# are troops; in English the same statements read 1.2 against 1200.
printf 'x\tRund 1.200 Soldaten nahmen an der Übung im Norden des Landes teil.\ny\tAn der Übung im Norden des Landes nahmen 1200 Soldaten teil.\nz\tAn der Übung im Norden des Landes nahmen etwa 1000 Soldaten teil.\n' > de.tsv
check_de() { # OUTDIR WHAT
  $PY - "$1" <<'PY' && ok "$2: 1.200 = 1200; about 1200 vs about 1000 troops flagged" || fail "$2"
import csv, sys
al = {(r["source_a"], r["source_b"]): r for r in csv.DictReader(open(sys.argv[1] + "/alignment.csv"))}
assert set(al) == {("x", "y"), ("x", "z"), ("y", "z")}, al
assert al[("x", "y")]["discrepancy"] == "0", al[("x", "y")]
assert al[("x", "y")]["numbers_a"] == "about 1200 troops" and al[("x", "y")]["numbers_b"] == "1200 troops", al[("x", "y")]
assert al[("x", "z")]["discrepancy"] == "1" and al[("x", "z")]["discrepancy_values"] == "troops: ~1200 vs ~1000", al[("x", "z")]
assert al[("y", "z")]["numbers_b"] == "about 1000 troops" and al[("y", "z")]["discrepancy"] == "1", al[("y", "z")]
PY
}
run align de.tsv -o de --min-tokens 1 --locale de
expect_rc 0 "align --locale de"
check_de de "--locale de"
expect_in "$(cat de/report.html)" "stemmer de," "--locale de stems German (no --stem given)"
$PY - "$TS_SOURCE_DIR/data/stop_words_german.txt" <<'PY' && ok "German shared terms leave out German function words" || fail "German function words"
import csv, sys
stop = {l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not l.startswith("#")}
rows = list(csv.DictReader(open("de/alignment.csv", encoding="utf-8")))
terms = [t for r in rows for t in r["shared_terms"].split("; ") if t]
assert terms and not [t for t in terms if t.lower() in stop], terms
assert "Soldaten" in terms, terms
PY
run align de.tsv -o de-stem --min-tokens 1 --locale de --stem none
expect_in "$(cat de-stem/report.html)" "stemmer none," "--stem wins over --locale's stemmer"
printf 'source,name,locale\nx,x,de\ny,y,de\nz,z,de_DE\n' > de-sources.csv
run align de.tsv -o de-src --min-tokens 1 --sources de-sources.csv
check_de de-src "a sources file's locale column"
run align de.tsv -o de-en --min-tokens 1
$PY - <<'PY' && ok "read as English, 1.200 is 1.2" || fail "English reading of 1.200"
import csv
al = {(r["source_a"], r["source_b"]): r for r in csv.DictReader(open("de-en/alignment.csv"))}
assert al[("x", "y")]["discrepancy"] == "1" and al[("x", "y")]["discrepancy_values"] == "number: 1.2 vs 1200", al[("x", "y")]
PY
printf 'source,name,locale\nx,x,de!\n' > bad-locale.csv
run align de.tsv -o bad-locale --min-tokens 1 --sources bad-locale.csv
expect_rc 3 "a bad locale in a sources file"
expect_in "$err" 'bad-locale.csv:2: "de!" is not a locale for source "x"' "names the file, record and value"
expect_no_file bad-locale/alignment.csv "nothing written"

# Outlet names: --sources FILE (CSV: source or file, name, url, date) and
# --source-name; every output carries the names, errors name the place.
SRC=$TS_SOURCE_DIR/examples/moscow-talks-2025.sources.csv
run align "$CORPUS" --sources "$SRC" -o named
expect_rc 0 "align --sources"
$PY - <<'PY' && ok "--sources: names in every output and the report, ids included" || fail "--sources"
import csv, json
st = list(csv.DictReader(open("named/statements.csv", encoding="utf-8")))
names = {"Unnamed outlet A", "Unnamed outlet B", "Press TV (via GlobalSecurity.org)",
         "Euronews (via inkl)", "Unnamed outlet C"}
assert {r["source"] for r in st} == names, {r["source"] for r in st}
assert all(r["id"].startswith(r["source"] + ":") for r in st)
al = list(csv.DictReader(open("named/alignment.csv", encoding="utf-8")))
assert {r["source_a"] for r in al} | {r["source_b"] for r in al} <= names
cl = [json.loads(l) for l in open("named/clusters.jsonl", encoding="utf-8")]
assert {m["source"] for c in cl for m in c["members"]} == names
html = open("named/report.html", encoding="utf-8").read()
assert "Press TV (via GlobalSecurity.org) <span class=\"date\">2025-12-03</span>" in html
assert "000_2b4761951d907736" not in html
PY
run statements "$CORPUS" --source-name 001_cb0c55db5773bf71=AP --source-name "$CORPUS/003_e4ef00173f70e238.txt=Euronews"
expect_in "$out" $'\n''AP:1,AP,1,' "--source-name by source name"
expect_in "$out" $'\n''Euronews:1,Euronews,1,' "--source-name by the file's path"
run statements "$CORPUS" --source-name nosuch.txt=X -o nosuch.csv
expect_rc 3 "--source-name of no source"
expect_in "$err" "--source-name nosuch.txt=X: no input is the source \"nosuch.txt\"" "names the key"
expect_no_file nosuch.csv "nothing written"
run statements "$CORPUS" --source-name 000_2b4761951d907736=Same --source-name 001_cb0c55db5773bf71=Same
expect_rc 3 "two sources given one name"
expect_in "$err" "000_2b4761951d907736.txt) has that name" "says which input has the name"
printf 'source,name\n000_2b4761951d907736.txt,A\nnosuch,B\n' > bad-sources.csv
run statements "$CORPUS" --sources bad-sources.csv
expect_rc 3 "a sources file naming no source"
expect_in "$err" "bad-sources.csv:3: no input is the source \"nosuch\"" "names the file and record"
printf 'file,title\nx,y\n' > nohead.csv
run statements "$CORPUS" --sources nohead.csv
expect_in "$err" "nohead.csv: the header needs the columns source (or file) and name" "a header without name"
printf 'source,name\n"unterminated,x\n' > broken.csv
run statements "$CORPUS" --sources broken.csv
expect_rc 3 "a malformed sources file"
run statements "$CORPUS" --source-name =X
expect_rc 2 "--source-name without a source"

# -v: each stage's time; a notice before a similarity.csv over 100 MB; the
# summary says where the answer is.
run align "$CORPUS" -o timed -v
expect_in "$err" "times: read " "-v prints each stage's time"
expect_in "$err" "cluster and status " "-v: the alignment's own stages"
expect_in "$out" "the answer: timed/report.html shows which sources report each fact" "summary says where the answer is"
$PY -c "
import random
random.seed(3)
w = ['w%d' % i for i in range(5000)]
print('\n'.join(' '.join(random.choice(w) for _ in range(6)) for _ in range(2900)))" > many.txt
run align many.txt --segment line -o many --precision 9 --min-tokens 1
expect_rc 0 "align 2,900 statements with a 9-decimal matrix"
expect_in "$err" "notice: similarity.csv will take about 101 MB (2900 x 2900); --max-matrix 2899 skips it" "notice before a matrix over 100 MB"
rm -rf many

# Reasons a person reads: every shared term is a word of both texts as they
# write it (side a's, then side b's after '/' when it differs), never a
# function word of scikit-learn's English list.
$PY - "$TS_SOURCE_DIR/data/stop_words_english.txt" <<'PY' && ok "shared terms are words of both texts, no function words" || fail "shared terms"
import csv, re, sys
stop = {l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip() and not l.startswith("#")}
rows = list(csv.DictReader(open("out/alignment.csv", encoding="utf-8")))
words = lambda t: {w.lower() for w in re.findall(r"\w\w+", t)}  # a case-only difference shows a's form
seen = 0
for r in rows:
    for term in filter(None, r["shared_terms"].split("; ")):
        a, _, b = term.partition("/")
        b = b or a
        assert a.lower() in words(r["text_a"]) and b.lower() in words(r["text_b"]), (term, r)
        assert a.lower() not in stop and b.lower() not in stop, term
        seen += 1
assert seen > 100, seen
assert any("/" in r["shared_terms"] for r in rows)
PY
finish
