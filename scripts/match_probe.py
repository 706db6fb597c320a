#!/usr/bin/python3
"""Probe for a learned match model (issue 27): what lexical pair features buy.

Not part of textsim: a measurement in scikit-learn, to decide what the C match
model should compute and on which pairs it must be trained.  It fits a
logistic regression on twelve lexical features of the MSRP training pairs and
reports

* MSRP: 10-fold cross-validated accuracy and F1 of the model, each fold's
  decision threshold chosen on its own training folds only (inner 5-fold), next
  to the word cosine alone under the same protocol;
* the example corpus's gold (tests/data/gold): the ROC AUC, over every
  cross-source pair of statements, of the word cosine, the char_wb cosine and
  the MSRP-trained model: whether the model ranks the pairs align must choose
  from better than the cosine does.

Features of a pair (a, b): word TF-IDF cosine (sublinear tf), char_wb 3-5
TF-IDF cosine, token length ratio, numbers disagree (both have numbers and
share none), shared numbers (at most 3), Jaccard of capitalised words, unigram
and bigram overlap over the shorter and the longer side, IDF-weighted Jaccard
of words, relative length difference.  The TF-IDF models are fitted on the
sentences of the data set itself, as an alignment run fits its corpus.

Usage: /usr/bin/python3 scripts/match_probe.py     (prints JSON; seeds fixed)
Results and what they mean: docs/QUALITY.md, "Towards a match model".
"""
import csv
import itertools
import json
import os
import re

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MSRP = os.path.join(ROOT, "tests", "data", "msrp", "msr_paraphrase_train.txt")
GOLD = os.path.join(ROOT, "tests", "data", "gold", "moscow-talks-2025-facts.csv")
GOLD_STATEMENTS = os.path.join(ROOT, "tests", "data", "gold", "statements-moscow-talks-2025.csv")
FEATURES = ["word_cos", "char_cos", "len_ratio", "num_disagree", "num_shared", "cap_jaccard",
            "uni_min", "uni_max", "bi_min", "bi_max", "idf_jaccard", "len_diff"]
TOKEN = re.compile(r"\w\w+")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def cosines(vectorizer, sentences, a, b):
    index = {s: i for i, s in enumerate(sentences)}
    x = vectorizer.fit_transform(sentences)
    xa, xb = x[[index[s] for s in a]], x[[index[s] for s in b]]
    return np.asarray(xa.multiply(xb).sum(1)).ravel()


def overlaps(n, sentences, a, b):
    v = CountVectorizer(ngram_range=(n, n), binary=True).fit(sentences)
    xa, xb = v.transform(a), v.transform(b)
    shared = np.asarray(xa.multiply(xb).sum(1)).ravel()
    na, nb = np.asarray(xa.sum(1)).ravel(), np.asarray(xb.sum(1)).ravel()
    return shared / np.maximum(1, np.minimum(na, nb)), shared / np.maximum(1, np.maximum(na, nb))


def features(sentences, a, b):
    """The pair features, one row per pair (a[i], b[i])."""
    word = cosines(TfidfVectorizer(sublinear_tf=True), sentences, a, b)
    char = cosines(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
                   sentences, a, b)
    la = np.array([len(TOKEN.findall(s)) for s in a], dtype=float)
    lb = np.array([len(TOKEN.findall(s)) for s in b], dtype=float)
    longer = np.maximum(1, np.maximum(la, lb))
    nums = [(set(NUMBER.findall(x)), set(NUMBER.findall(y))) for x, y in zip(a, b)]
    disagree = np.array([float(bool(p and q and not p & q)) for p, q in nums])
    shared = np.array([min(3, len(p & q)) for p, q in nums], dtype=float)
    caps = [({t for t in TOKEN.findall(x) if t[0].isupper()},
             {t for t in TOKEN.findall(y) if t[0].isupper()}) for x, y in zip(a, b)]
    cap = np.array([len(p & q) / max(1, len(p | q)) for p, q in caps])
    uni_min, uni_max = overlaps(1, sentences, a, b)
    bi_min, bi_max = overlaps(2, sentences, a, b)
    idf = TfidfVectorizer(binary=True, norm=None).fit(sentences)
    xa, xb = idf.transform(a), idf.transform(b)
    idf_jac = (np.asarray(xa.minimum(xb).sum(1)).ravel() /
               np.maximum(1e-9, np.asarray(xa.maximum(xb).sum(1)).ravel()))
    return np.c_[word, char, np.minimum(la, lb) / longer, disagree, shared, cap, uni_min, uni_max,
                 bi_min, bi_max, idf_jac, np.abs(la - lb) / longer]


def model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


def best_threshold(score, y, grid):
    return grid[int(np.argmax([((score >= t) == y).mean() for t in grid]))]


def msrp():
    with open(MSRP, encoding="utf-8-sig") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    y = np.array([int(r[0]) for r in rows])
    a, b = [r[3] for r in rows], [r[4] for r in rows]
    sentences = sorted(set(a) | set(b))
    x = features(sentences, a, b)
    grid = np.round(np.arange(0.05, 0.95, 0.01), 2)
    out = {"pairs": len(y), "paraphrases": int(y.sum())}
    for name, cols in (("word_cosine", [0]), ("model", list(range(len(FEATURES))))):
        acc, f1 = [], []
        for train, test in StratifiedKFold(10, shuffle=True, random_state=1).split(x, y):
            if name == "model":
                inner = cross_val_predict(model(), x[train], y[train], method="predict_proba",
                                          cv=StratifiedKFold(5, shuffle=True, random_state=2))[:, 1]
                t = best_threshold(inner, y[train], grid)
                score = model().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
            else:
                t = best_threshold(x[train, 0], y[train], grid)
                score = x[test, 0]
            pred = (score >= t).astype(int)
            acc.append((pred == y[test]).mean())
            f1.append(2 * ((pred == 1) & (y[test] == 1)).sum() / (pred.sum() + y[test].sum()))
        out[name] = {"accuracy": round(float(np.mean(acc)), 4),
                     "accuracy_range": [round(float(min(acc)), 4), round(float(max(acc)), 4)],
                     "f1": round(float(np.mean(f1)), 4)}
    fitted = model().fit(x, y)
    out["coefficients"] = dict(zip(FEATURES, (round(float(c), 3) for c in fitted[-1].coef_[0])))
    return fitted, out


def gold(fitted):
    facts = {}
    with open(GOLD, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            facts.setdefault(row["statement"], set()).add(row["fact"])
    with open(GOLD_STATEMENTS, newline="", encoding="utf-8") as f:
        statements = list(csv.DictReader(f))
    pairs = [(p, q) for p, q in itertools.combinations(statements, 2) if p["source"] != q["source"]]
    label = np.array([int(bool(facts.get(p["id"], set()) & facts.get(q["id"], set())))
                      for p, q in pairs])
    x = features([s["text"] for s in statements], [p["text"] for p, _ in pairs],
                 [q["text"] for _, q in pairs])
    prob = fitted.predict_proba(x)[:, 1]
    return {"cross_source_pairs": len(pairs), "gold_pairs": int(label.sum()),
            "auc": {"word_cosine": round(roc_auc_score(label, x[:, 0]), 4),
                    "char_wb_cosine": round(roc_auc_score(label, x[:, 1]), 4),
                    "msrp_model": round(roc_auc_score(label, prob), 4)}}


def main():
    fitted, result = msrp()
    print(json.dumps({"msrp": result, "gold": gold(fitted)}, indent=2))


if __name__ == "__main__":
    main()
