#!/usr/bin/python3
"""Fit align's match model on the MSRP training split: data/match-model.json.

The match model decides whether two statements of different sources report the
same thing.  It is a logistic regression on four features of a pair, each
computed by textsim exactly as `textsim align` computes it (host/align/model.h):

  word_cosine      the word TF-IDF cosine of align's defaults (--stem english
                   --sublinear-tf), from `textsim matrix` over the data's sentences
  char_cosine      the char_wb 3-5 TF-IDF cosine (--sublinear-tf), likewise
  digits_shared    1 when the two share a digit group ("19", "3.5", "1,000")
  digits_disagree  1 when both have digit groups and share none

The weights are constrained in sign (non-negative for the overlaps, non-positive
for the disagreement): MSRP's negatives are same-story sentences with high
overlap, and an unconstrained fit learns to penalise overlap features against
their correlated twins, which ranks the unrelated pairs align must reject above
related ones (docs/QUALITY.md, "Towards a match model").  Features whose
effect does not carry from MSRP to align's candidates (the length ratio, names)
were measured and left out: see docs/QUALITY.md.

Fitting is Newton's method on the standardised features with an active set for
the sign constraints, to convergence (|step| < 1e-12), so the printed weights
(8 significant digits) are the same on every machine; the file is
byte-identical run to run.  The decision threshold the model carries for align
is its score at word and char cosine 0.2 without digits: the strictness of the
cosine rule's default (0.2), carried over, not tuned on any gold.

Usage: /usr/bin/python3 scripts/fit_match_model.py [--textsim BIN] [-o FILE]
       (default: build/textsim, data/match-model.json; --check compares instead
       of writing, exit 1 on a difference; --cv prints 10-fold cross-validated
       MSRP accuracy and F1 as JSON; --recall prints cross-source R@1: for each
       paraphrase pair, does its partner score first among all the sentences of
       the other column, the model's weights fitted on the other 9 folds)
"""
import json
import os
import re
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quality import msrp_cosines, msrp_matrix, msrp_pairs  # noqa: E402  (MSRP, by textsim)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = ["--stem", "english", "--sublinear-tf"]
CHAR = ["--analyzer", "char_wb", "--ngram-range", "3,5", "--sublinear-tf"]
FEATURES = ["word_cosine", "char_cosine", "digits_shared", "digits_disagree"]
SIGN = [1, 1, 1, -1]
DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*", re.ASCII)
ALIGN_COSINE = 0.2  # the cosine rule's default threshold, carried over


def cosines(textsim, sentences, pairs, options, work):
    return msrp_cosines(textsim, sentences, pairs, options, work).astype(np.float64)


def digit_features(a, b):
    p, q = set(DIGITS.findall(a)), set(DIGITS.findall(b))
    return [float(bool(p & q)), float(bool(p and q and not p & q))]


def features(textsim):
    pairs, sentences = msrp_pairs()
    with tempfile.TemporaryDirectory(prefix="textsim-fit-") as work:
        word = cosines(textsim, sentences, pairs, WORD, work)
        char = cosines(textsim, sentences, pairs, CHAR, work)
    digits = np.array([digit_features(sentences[a], sentences[b]) for a, b, _ in pairs])
    x = np.c_[word, char, digits]
    y = np.array([float(label) for _, _, label in pairs])
    return x, y


def fit(x, y, ridge=1e-6):
    """Sign-constrained logistic regression by Newton's method with an active
    set: a weight that would cross zero against its sign is held at zero."""
    mu, sd = x.mean(0), x.std(0)
    sd[sd == 0] = 1.0
    z = np.c_[(x - mu) / sd, np.ones(len(y))]
    k = z.shape[1]
    w = np.zeros(k)
    free = np.ones(k, bool)
    for _ in range(200):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        g = z.T @ (p - y) / len(y) + ridge * np.r_[w[:-1], 0.0]
        h = (z * (p * (1 - p))[:, None]).T @ z / len(y) + ridge * np.diag(np.r_[np.ones(k - 1), 0.0])
        step = np.zeros(k)
        step[free] = np.linalg.solve(h[np.ix_(free, free)], g[free])
        new = w - step
        bad = [i for i in range(k - 1) if free[i] and SIGN[i] * new[i] < 0]
        if bad:
            for i in bad:
                free[i] = False
                w[i] = 0.0
            continue
        w = new
        if np.abs(step).max() < 1e-12:
            # a held weight whose gradient now pulls it into its sign is freed
            back = [i for i in range(k - 1) if not free[i] and SIGN[i] * -g[i] > 0]
            if not back:
                break
            for i in back:
                free[i] = True
    weights = w[:-1] / sd
    return weights, float(w[-1] - weights @ mu)


def score(x, model):
    weights, intercept = model
    return 1.0 / (1.0 + np.exp(-(x @ weights + intercept)))


def cross_validate(x, y, folds=10):
    """10-fold CV, each fold's accuracy threshold chosen on its training folds."""
    rng = np.random.RandomState(1)
    order = rng.permutation(len(y))
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    acc, f1 = [], []
    for f in range(folds):
        test = order[f::folds]
        train = np.setdiff1d(order, test)
        model = fit(x[train], y[train])
        s = score(x[train], model)
        t = grid[int(np.argmax([((s >= g) == (y[train] == 1)).mean() for g in grid]))]
        pred = score(x[test], model) >= t
        truth = y[test] == 1
        acc.append(float((pred == truth).mean()))
        f1.append(float(2 * (pred & truth).sum() / (pred.sum() + truth.sum())))
    return {"folds": folds, "accuracy": round(float(np.mean(acc)), 4),
            "accuracy_range": [round(min(acc), 4), round(max(acc), 4)],
            "f1": round(float(np.mean(f1)), 4)}


def recall_at_1(textsim, folds=10):
    """Cross-source R@1 on MSRP's training split.  Each paraphrase pair's first
    sentence queries all distinct second sentences (the other source), and the
    second queries all first ones; a query hits when its partner scores strictly
    above every other candidate (a tie counts as a miss).  The model's weights
    come from the 9 folds the pair is not in (the folds of cross_validate)."""
    import scipy.sparse as sp
    pairs, sentences = msrp_pairs()
    with tempfile.TemporaryDirectory(prefix="textsim-recall-") as work:
        # float32, as textsim computes them: 244 MB each
        word = np.load(msrp_matrix(textsim, sentences, WORD, work))
        char = np.load(msrp_matrix(textsim, sentences, CHAR, work))
    groups, rows, cols = {}, [], []
    for i, s in enumerate(sentences):
        for g in sorted(set(DIGITS.findall(s))):
            rows.append(i)
            cols.append(groups.setdefault(g, len(groups)))
    d = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sentences), len(groups)))
    has = np.asarray(d.sum(1)).ravel() > 0
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    y = np.array([float(p[2]) for p in pairs])
    x = np.c_[word[a, b], char[a, b], [digit_features(sentences[i], sentences[j]) for i, j in zip(a, b)]]
    columns = (np.unique(b), np.unique(a))

    def hits(score, test):
        n = 0
        for q, partner, cand in ((a[test], b[test], columns[0]), (b[test], a[test], columns[1])):
            where = {c: k for k, c in enumerate(cand)}
            s = score(q, cand)
            own = s[np.arange(len(q)), [where[p] for p in partner]]
            n += int(((s >= own[:, None]).sum(1) == 1).sum())
        return n

    def model_score(weights, intercept):
        def f(q, cand):
            shared = (d[q] @ d[cand].T).toarray() > 0
            disagree = ~shared & has[q][:, None] & has[cand][None, :]
            return (weights[0] * word[np.ix_(q, cand)] + weights[1] * char[np.ix_(q, cand)] +
                    weights[2] * shared + weights[3] * disagree + intercept)
        return f

    positives = np.where(y == 1)[0]
    order = np.random.RandomState(1).permutation(len(y))
    model_hits = 0
    for f in range(folds):
        test = order[f::folds]
        train = np.setdiff1d(order, test)
        model_hits += hits(model_score(*fit(x[train], y[train])), test[y[test] == 1])
    queries = 2 * len(positives)
    out = {"queries": queries, "candidates": [len(columns[0]), len(columns[1])]}
    for name, m in (("word_cosine", word), ("char_cosine", char)):
        out[name] = round(hits(lambda q, cand, m=m: m[np.ix_(q, cand)], positives) / queries, 4)
    out["model"] = round(model_hits / queries, 4)
    return out


def model_json(x, y):
    weights, intercept = fit(x, y)
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    s = score(x, (weights, intercept))
    msrp_t = float(grid[int(np.argmax([((s >= g) == (y == 1)).mean() for g in grid]))])
    align_t = float(score(np.array([ALIGN_COSINE, ALIGN_COSINE, 0.0, 0.0]), (weights, intercept)))
    doc = {
        "format": "textsim-match-model",
        "version": 1,
        "about": "logistic regression on MSRP's 4,076 training pairs "
                 "(scripts/fit_match_model.py; docs/QUALITY.md)",
        "char_ngram_range": [3, 5],
        "features": [{"name": n, "weight": float("%.8g" % w)} for n, w in zip(FEATURES, weights)],
        "intercept": float("%.8g" % intercept),
        "threshold": float("%.4g" % align_t),
        "msrp_threshold": msrp_t,
    }
    return json.dumps(doc, indent=2) + "\n"


def main(argv):
    textsim = os.path.join(ROOT, "build", "textsim")
    out = os.path.join(ROOT, "data", "match-model.json")
    if "--textsim" in argv:
        textsim = argv[argv.index("--textsim") + 1]
    if "-o" in argv:
        out = argv[argv.index("-o") + 1]
    if "--recall" in argv:
        print(json.dumps(recall_at_1(textsim), indent=1))
        return 0
    x, y = features(textsim)
    if "--cv" in argv:
        print(json.dumps({"model": cross_validate(x, y),
                          "word_cosine": cross_validate(x[:, :1], y)}, indent=1))
        return 0
    text = model_json(x, y)
    if "--check" in argv:
        with open(out, encoding="utf-8") as f:
            if f.read() != text:
                sys.stderr.write(f"fit_match_model.py: {out} differs from the fit:\n{text}")
                return 1
        return 0
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
