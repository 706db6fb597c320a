#!/usr/bin/python3
"""Measure alignment quality: pairwise precision, recall and F1.

Two data sets (docs/QUALITY.md explains the method):

* gold: the example corpus with hand-labelled facts
  (tests/data/gold/moscow-talks-2025-facts.csv).  A gold pair is two statements
  of different sources that share a fact.  textsim's predicted pairs are the
  cross-source pairs inside one cluster of clusters.csv ("cluster pairs") and
  the matched pairs of alignment.csv ("matched pairs").
* msrp: the labelled MSRP training pairs.  Each pair's cosine comes from
  `textsim matrix` over all distinct MSRP sentences (the same TF-IDF options as
  align); a pair is predicted a paraphrase when its cosine >= threshold.

Usage:
  scripts/quality.py gold  [--textsim BIN] [-- ALIGN OPTIONS...]
  scripts/quality.py msrp  [--textsim BIN] [--thresholds 0.2,0.3] [-- MATRIX OPTIONS...]
  scripts/quality.py sweep [--textsim BIN]      the table of docs/QUALITY.md
Prints JSON (gold, msrp) or a Markdown table (sweep).
"""
import csv
import itertools
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "examples", "moscow-talks-2025")
GOLD = os.path.join(ROOT, "tests", "data", "gold", "moscow-talks-2025-facts.csv")
GOLD_STATEMENTS = os.path.join(ROOT, "tests", "data", "gold", "statements-moscow-talks-2025.csv")
MSRP = os.path.join(ROOT, "tests", "data", "msrp", "msr_paraphrase_train.txt")


def source_of(statement_id):
    return statement_id.rsplit(":", 1)[0]


def gold_pairs():
    facts = {}
    with open(GOLD, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            facts.setdefault(row["fact"], set()).add(row["statement"])
    pairs = set()
    for members in facts.values():
        for a, b in itertools.combinations(sorted(members), 2):
            if source_of(a) != source_of(b):
                pairs.add((a, b))
    return pairs


def prf(predicted, gold):
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"predicted": len(predicted), "correct": tp, "gold": len(gold),
            "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def run_align(textsim, options):
    out = tempfile.mkdtemp(prefix="textsim-quality-")
    subprocess.run([textsim, "align", CORPUS, "-o", out, "-q", "--no-formula-escape"] + options,
                   check=True)
    # The gold names statements by id: the segmentation must still be the one labelled.
    def id_text(path):
        with open(path, newline="", encoding="utf-8") as f:
            return [(r["id"], r["text"]) for r in csv.DictReader(f)]
    if id_text(os.path.join(out, "statements.csv")) != id_text(GOLD_STATEMENTS):
        sys.exit("quality.py: the statements differ from the labelled ones "
                 "(tests/data/gold/statements-moscow-talks-2025.csv): relabel the gold")
    clusters = {}
    with open(os.path.join(out, "clusters.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            clusters.setdefault(row["cluster"], []).append(row["id"])
    cluster_pairs = set()  # a restatement's pairs with its own source are not predictions
    for members in clusters.values():
        for a, b in itertools.combinations(sorted(members), 2):
            if source_of(a) != source_of(b):
                cluster_pairs.add((a, b))
    matched = set()
    with open(os.path.join(out, "alignment.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a = row["source_a"] + ":" + row["index_a"]
            b = row["source_b"] + ":" + row["index_b"]
            matched.add(tuple(sorted((a, b))))
    support = {}
    for members in clusters.values():
        k = len({source_of(m) for m in members})
        if k >= 2:
            support[k] = support.get(k, 0) + 1
    return cluster_pairs, matched, support


def gold(textsim, options):
    g = gold_pairs()
    cluster_pairs, matched, support = run_align(textsim, options)
    return {"options": options, "cluster_pairs": prf(cluster_pairs, g),
            "matched_pairs": prf(matched, g),
            "clusters_by_support": {str(k): v for k, v in sorted(support.items())}}


def msrp_pairs():
    with open(MSRP, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()[1:]
    pairs, sentences, index = [], [], {}
    for line in lines:
        q, _, _, s1, s2 = line.split("\t")
        for s in (s1.strip(), s2.strip()):
            if s not in index:
                index[s] = len(sentences)
                sentences.append(s)
        pairs.append((index[s1.strip()], index[s2.strip()], q == "1"))
    return pairs, sentences


def msrp_matrix(textsim, sentences, options, work):
    """The path of the .npy that `textsim matrix` writes over the distinct
    sentences with `options` (float32 cosines), in directory work."""
    tsv = os.path.join(work, "msrp.tsv")
    with open(tsv, "w", encoding="utf-8") as f:
        for s in sentences:
            f.write("msrp\t" + s + "\n")
    npy = os.path.join(work, "m.npy")
    subprocess.run([textsim, "matrix", tsv, "-o", npy, "-q"] + options, check=True)
    return npy


def msrp_cosines(textsim, sentences, pairs, options, work):
    """The cosine of each pair (float32, as textsim computes it) from `textsim
    matrix` over the distinct sentences with `options`, in directory work."""
    import numpy as np
    npy = msrp_matrix(textsim, sentences, options, work)
    m = np.load(npy, mmap_mode="r")
    scores = np.array([m[a, b] for a, b, _ in pairs])
    del m
    os.unlink(npy)
    return scores


def msrp(textsim, thresholds, options):
    import numpy as np
    pairs, sentences = msrp_pairs()
    with tempfile.TemporaryDirectory(prefix="textsim-msrp-") as work:
        scores = msrp_cosines(textsim, sentences, pairs, options, work)
    labels = np.array([y for _, _, y in pairs])
    # ROC AUC by ranks (Mann-Whitney), no scikit-learn needed.
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    npos, nneg = labels.sum(), (~labels).sum()
    auc = (ranks[labels].sum() - npos * (npos + 1) / 2) / (npos * nneg)
    rows = []
    for t in thresholds:
        pred = scores >= t
        tp = int((pred & labels).sum())
        p = tp / pred.sum() if pred.sum() else 0.0
        r = tp / npos
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append({"threshold": t, "precision": round(p, 4), "recall": round(r, 4),
                     "f1": round(f, 4), "accuracy": round(float((pred == labels).mean()), 4)})
    return {"options": options, "pairs": len(pairs), "positives": int(npos),
            "roc_auc": round(float(auc), 4), "by_threshold": rows}


def main(argv):
    textsim = os.path.join(ROOT, "build", "textsim")
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    if "--textsim" in argv:
        textsim = argv[argv.index("--textsim") + 1]
    thresholds = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7]
    if "--thresholds" in argv:
        thresholds = [float(x) for x in argv[argv.index("--thresholds") + 1].split(",")]
    what = argv[1] if len(argv) > 1 else "gold"
    if what == "gold":
        print(json.dumps(gold(textsim, extra), indent=1))
    elif what == "msrp":
        print(json.dumps(msrp(textsim, thresholds, extra), indent=1))
    else:
        sys.exit("usage: quality.py gold|msrp [--textsim BIN] [-- OPTIONS]")


if __name__ == "__main__":
    main(sys.argv)
