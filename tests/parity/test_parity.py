#!/usr/bin/python3
"""Parity of textsim with scikit-learn 1.2's TfidfVectorizer and cosine_similarity.

Run by ctest as `/usr/bin/python3 test_parity.py` with
  TEXTSIM       path of the textsim CLI binary
  TS_SOURCE_DIR repository root (for examples/moscow-talks-2025)
  TS_TEST_DATA  tests/data (for msrp/msr_paraphrase_train.txt)

Corpora
  moscow  examples/moscow-talks-2025, segmented into sentences by textsim; the
          statement texts of its statements.csv are the documents given to
          sklearn (so this checks the vectors, not the segmentation).
  msrp    the distinct sentences of the MSRP training set (both columns,
          first-seen order, BOM stripped), given to textsim as a TSV
          `msrp<TAB>sentence`; statements.csv must give back the same texts.

For each configuration and corpus:
  - `textsim tfidf` (CSV, 9 decimals) against TfidfVectorizer.fit_transform,
    keyed by (statement, term); a term present on one side only counts with
    its weight; the vocabularies must be identical and the CSV rows must come
    in statement order, then sklearn's term order;
  - `textsim matrix` (.npy) with --backend opencl and --backend cpu against
    cosine_similarity of sklearn's TF-IDF matrix.
Every maximum absolute difference must be <= 1e-6.  Exits non-zero on any
failure and prints a table of the figures.
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.preprocessing import normalize

TOL = 1e-6
BACKENDS = ("opencl", "cpu")
CONFIGS = [
    # name, textsim options, TfidfVectorizer keyword arguments
    ("default", [], {}),
    ("sublinear+stop", ["--sublinear-tf", "--stop-words", "english"],
     dict(sublinear_tf=True, stop_words="english")),
    ("char_wb(3,5)", ["--analyzer", "char_wb", "--ngram-range", "3,5"],
     dict(analyzer="char_wb", ngram_range=(3, 5))),
    ("binary+sharp-idf", ["--binary", "--no-smooth-idf"],
     dict(binary=True, smooth_idf=False)),
    ("binary+sublinear(1,2)", ["--binary", "--sublinear-tf", "--ngram-range", "1,2"],
     dict(binary=True, sublinear_tf=True, ngram_range=(1, 2))),
    # max_features "auto": a cut with no tie at it (scikit-learn breaks ties at
    # the cut by an unstable sort; textsim keeps the alphabetically first)
    ("max-features", ["--max-features", "AUTO"], dict(max_features="auto")),
    ("max-features+binary", ["--max-features", "AUTO", "--binary"],
     dict(max_features="auto", binary=True)),
    # vocabulary "auto": every third term of the default vocabulary, in reverse
    # order, and a term the corpus lacks (a column of zeros)
    ("vocabulary", ["--vocabulary", "VOCAB"], dict(vocabulary="auto")),
    ("strip-accents=unicode", ["--strip-accents", "unicode"], dict(strip_accents="unicode")),
    ("strip-accents=ascii", ["--strip-accents", "ascii"], dict(strip_accents="ascii")),
    ("strip-accents+char_wb", ["--strip-accents", "unicode", "--analyzer", "char_wb"],
     dict(strip_accents="unicode", analyzer="char_wb")),
    ("strip-accents+no-lower", ["--strip-accents", "ascii", "--no-lowercase"],
     dict(strip_accents="ascii", lowercase=False)),
    ("token-pattern", ["--token-pattern", r"(?u)\b\w+\b"], dict(token_pattern=r"(?u)\b\w+\b")),
    ("token-pattern-group", ["--token-pattern", r"(?u)\b(\w+)(?:'s|’s)?\b"],
     dict(token_pattern=r"(?u)\b(\w+)(?:'s|’s)?\b")),
    ("token-pattern(1,2)", ["--token-pattern", r"[a-z0-9]{3,}", "--ngram-range", "1,2"],
     dict(token_pattern=r"[a-z0-9]{3,}", ngram_range=(1, 2))),
    # textsim's extension: names (name_weights below is the reference)
    ("name-weight", ["--name-weight", "0.5"], dict(name_weight=0.5)),
    ("name-weight+stop(1,2)", ["--name-weight", "0.25", "--stop-words", "english",
                               "--ngram-range", "1,2"],
     dict(name_weight=0.25, stop_words="english", ngram_range=(1, 2))),
    # weight 0: the names' weights are zero, and the CSV lists non-zeros only
    ("name-weight+strip", ["--name-weight", "0", "--strip-accents", "unicode"],
     dict(name_weight=0.0, strip_accents="unicode")),
    ("name-weight+no-lower", ["--name-weight", "0.5", "--no-lowercase"],
     dict(name_weight=0.5, lowercase=False)),
]
COMMON = ["-q", "--precision", "9", "--no-formula-escape"]
# Token patterns in Python's syntax whose meaning differs in ICU's (pattern.c
# rewrites them): \w, \W, \b, \B, \s, \S, \Z, named groups, literal braces,
# {,n}, '[' and '&' in a class, a group that takes no part (an empty token).
# Not here: (?i), whose case closure differs (README: Python's matches "ı" to
# [A-Z], ICU's does not).
PATTERNS = [
    r"(?u)\b\w+\b", r"\w+", r"\W+", r"\S+", r"\s\w", r"\b\w", r"\B\w+", r"[^\W\d_]+",
    r"[\w&]+", r"\w+\Z", r"(?P<c>\w)(?P=c)", r"\w{,3}", r"[a-z]{2}}?", r"{?[a-z]+", r"[[\]a]",
    r"(\d+)?[a-z]+",
]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, flush=True)


def run_textsim(args):
    cmd = [os.environ["TEXTSIM"]] + args
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError("%s exited with %d:\n%s%s" % (" ".join(cmd), res.returncode,
                                                         res.stdout, res.stderr))
    return res


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def read_statements(path):
    header, rows = read_csv(path)
    if header != ["id", "source", "index", "offset", "text"]:
        raise RuntimeError("%s: unexpected header %r" % (path, header))
    return [r[0] for r in rows], [r[4] for r in rows]


def msrp_sentences(data_dir):
    """Distinct sentences of both columns, first-seen order."""
    path = os.path.join(data_dir, "msrp", "msr_paraphrase_train.txt")
    seen, out = set(), []
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = f.read().split("\n")
    for line in lines[1:]:
        line = line.rstrip("\r")
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            raise RuntimeError("%s: malformed line %r" % (path, line[:80]))
        for s in fields[3:5]:
            if s not in seen:
                seen.add(s)
                out.append(s)
    return out


def compare_tfidf(name, corpus, csv_path, ids, X, vocab):
    """Max abs difference of the weights; also checks vocabulary and order."""
    header, rows = read_csv(csv_path)
    if header != ["statement", "term", "weight"]:
        fail("%s/%s: tfidf header %r" % (name, corpus, header))
        return float("inf")
    row_of = {sid: i for i, sid in enumerate(ids)}
    col_of = {t: j for j, t in enumerate(vocab)}
    try:
        r = np.array([row_of[sid] for sid, _, _ in rows], dtype=np.int64)
    except KeyError as e:
        fail("%s/%s: tfidf names unknown statement %s" % (name, corpus, e))
        return float("inf")
    c = np.array([col_of.get(term, -1) for _, term, _ in rows], dtype=np.int64)
    w = np.array([float(v) for _, _, v in rows], dtype=np.float64)
    known = c >= 0
    our_terms = {rows[i][1] for i in np.flatnonzero(~known)} | set(
        vocab[j] for j in np.unique(c[known]))
    # the CSV lists the terms with a weight: sklearn's columns that are not all zero
    # (a --vocabulary term the corpus lacks is a column of zeros on both sides)
    weighted = {vocab[j] for j in np.unique(X.nonzero()[1])}
    if our_terms != weighted:
        fail("%s/%s: vocabularies differ (%d vs %d terms); sklearn only: %r; textsim only: %r"
             % (name, corpus, len(weighted), len(our_terms),
                sorted(weighted - our_terms)[:5], sorted(our_terms - weighted)[:5]))
    # Statement order, then term order (sklearn's column order: sorted as Python
    # sorts strings, or a given vocabulary's), so within a statement the columns
    # must strictly increase.
    if known.all() and len(r) > 1:
        step_r, step_c = np.diff(r), np.diff(c)
        if (step_r < 0).any() or ((step_r == 0) & (step_c <= 0)).any():
            fail("%s/%s: tfidf rows are not in statement, then term order (or repeat)"
                 % (name, corpus))
    Y = sp.csr_matrix((w[known], (r[known], c[known])), shape=X.shape)
    diff = float(abs(X - Y).max()) if X.nnz or Y.nnz else 0.0
    if (~known).any():  # terms sklearn does not have count with their weight
        diff = max(diff, float(np.abs(w[~known]).max()))
    return diff


def compare_cosine(X, npy_paths):
    """Max abs difference of each .npy matrix from sklearn's cosine_similarity."""
    n = X.shape[0]
    mats = {}
    for key, path in npy_paths.items():
        M = np.load(path, mmap_mode="r")
        if M.shape != (n, n) or M.dtype != np.dtype("<f4"):
            raise RuntimeError("%s: shape %r dtype %s, expected (%d, %d) float32"
                               % (path, M.shape, M.dtype, n, n))
        mats[key] = M
    diff = {key: 0.0 for key in mats}
    for a in range(0, n, 1024):
        ref = cosine_similarity(X[a:a + 1024], X)
        for key, M in mats.items():
            d = np.abs(ref - np.asarray(M[a:a + 1024], dtype=np.float64)).max()
            diff[key] = max(diff[key], float(d))
    return diff


def untied_cut(texts, kw):
    """A max_features N near a quarter of the vocabulary where the N-th and
    the (N+1)-th most frequent terms differ in corpus frequency."""
    count_kw = {k: v for k, v in kw.items()
                if k not in ("max_features", "norm", "use_idf", "smooth_idf", "sublinear_tf")}
    X = CountVectorizer(**count_kw).fit_transform(texts)
    tfs = np.sort(np.asarray(X.sum(axis=0)).ravel())[::-1]
    quarter = max(1, len(tfs) // 4)
    for n in list(range(quarter, len(tfs))) + list(range(quarter - 1, 0, -1)):
        if tfs[n - 1] > tfs[n]:
            return n
    raise RuntimeError("no untied cut in %d terms" % len(tfs))


def name_weights(texts, kw):
    """TfidfVectorizer(**kw) with textsim's name weighting (README, --name-weight).

    A term is a name when the tokens it comes from start with an upper- or
    title-case letter in at least 80% of its occurrences that are not a
    statement's first token, and there are at least two such occurrences.
    Tokens are those of the analyzer's token pattern in the preprocessed
    (lowercased, accent-stripped) statement; a token's case is that of the
    original character its first character comes from, followed through the
    preprocessing one character at a time (a statement where that does not give
    back the whole-string preprocessing is skipped).  Its weight is multiplied
    by name_weight before the rows are normalised."""
    kw = dict(kw)
    weight = kw.pop("name_weight")
    norm = kw.pop("norm", "l2")
    vec = TfidfVectorizer(norm=None, **kw)
    X = vec.fit_transform(texts).tocsc().astype(np.float64)
    col_of = vec.vocabulary_
    preprocess = vec.build_preprocessor()
    unigram = TfidfVectorizer(**dict(kw, ngram_range=(1, 1))).build_analyzer()
    token = re.compile(kw.get("token_pattern", r"(?u)\b\w\w+\b"))
    upper, total = np.zeros(len(col_of)), np.zeros(len(col_of))
    for text in texts:
        pieces = [preprocess(ch) for ch in text]
        mapped = preprocess(text)
        if "".join(pieces) != mapped:
            continue
        capital = [ch.isupper() or ch.istitle() for ch, piece in zip(text, pieces)
                   for _ in piece]
        for k, m in enumerate(token.finditer(mapped)):
            terms = unigram(m.group())
            if k == 0 or len(terms) != 1 or terms[0] not in col_of:
                continue
            total[col_of[terms[0]]] += 1
            upper[col_of[terms[0]]] += capital[m.start()]
    names = (total >= 2) & (upper >= 0.8 * total)
    X = X @ sp.diags(np.where(names, weight, 1.0))
    if norm:
        X = normalize(X, norm=norm)
    return X.tocsr(), vec.get_feature_names_out().tolist(), int(names.sum())


def check_corpus(corpus, sources, extra, expect_texts, min_statements, tmp, table):
    known_texts = None  # from the first configuration (default options)
    for name, opts, kw in CONFIGS:
        t0 = time.time()
        row = {"config": name, "corpus": corpus}
        if kw.get("vocabulary") == "auto":
            terms = TfidfVectorizer().fit(known_texts).get_feature_names_out().tolist()
            terms = terms[::3][::-1] + ["zzzz-not-in-the-corpus"]
            path = os.path.join(tmp, "%s-vocabulary.txt" % corpus)
            with open(path, "w", encoding="utf-8") as f:
                f.write("".join(t + "\n" for t in terms))
            kw = dict(kw, vocabulary=terms)
            opts = [path if o == "VOCAB" else o for o in opts]
        if kw.get("max_features") == "auto":
            n = untied_cut(known_texts, kw)
            kw = dict(kw, max_features=n)
            opts = [str(n) if o == "AUTO" else o for o in opts]
            name = "%s=%d" % (name, n)
            row["config"] = name
        try:
            texts = ids = None
            npys = {}
            for backend in BACKENDS:
                out = os.path.join(tmp, "%s-%s" % (corpus, backend))
                os.makedirs(out, exist_ok=True)
                npys[backend] = os.path.join(out, "matrix.npy")
                run_textsim(["matrix"] + sources + ["-o", npys[backend], "--backend", backend]
                            + extra + opts + COMMON)
                b_ids, b_texts = read_statements(os.path.join(out, "statements.csv"))
                if texts is None:
                    ids, texts = b_ids, b_texts
                elif (b_ids, b_texts) != (ids, texts):
                    fail("%s/%s: statements.csv differs between backends" % (name, corpus))
            if len(texts) < min_statements:
                fail("%s: only %d statements (expected >= %d)"
                     % (corpus, len(texts), min_statements))
            if expect_texts is not None and texts != [s.strip() for s in expect_texts]:
                fail("%s: statements.csv texts differ from the input sentences (%d vs %d)"
                     % (corpus, len(texts), len(expect_texts)))
            known_texts = known_texts or texts
            if "name_weight" in kw:
                X, vocab, row["names"] = name_weights(texts, kw)
            else:
                vec = TfidfVectorizer(**kw)
                X = vec.fit_transform(texts)
                vocab = vec.get_feature_names_out().tolist()
            row.update(n=len(texts), terms=len(vocab))
            row.update(compare_cosine(X, npys))
            for path in npys.values():
                shutil.rmtree(os.path.dirname(path))
            tf_csv = os.path.join(tmp, "tfidf.csv")
            run_textsim(["tfidf"] + sources + ["-o", tf_csv] + extra + opts + COMMON)
            row["tfidf"] = compare_tfidf(name, corpus, tf_csv, ids, X, vocab)
            os.remove(tf_csv)
        except Exception as e:  # report and go on with the next configuration
            fail("%s/%s: %s" % (name, corpus, e))
        row["seconds"] = "%.1f" % (time.time() - t0)
        for key in ("tfidf",) + BACKENDS:
            if key in row and not row[key] <= TOL:
                fail("%s/%s: max |difference| of %s = %.3g > %g"
                     % (name, corpus, key, row[key], TOL))
        table.append(row)


def check_patterns(texts, tmp, table):
    """Term counts under each of PATTERNS, as CountVectorizer(token_pattern=P)."""
    tsv = os.path.join(tmp, "patterns.tsv")
    with open(tsv, "w", encoding="utf-8", newline="") as f:
        f.write("".join("p\t%s\n" % t for t in texts))
    out = os.path.join(tmp, "patterns.csv")
    for pattern in PATTERNS:
        vec = CountVectorizer(token_pattern=pattern)
        with warnings.catch_warnings():  # "Possible nested set" for [[...]
            warnings.simplefilter("ignore", FutureWarning)
            X = vec.fit_transform(texts).tocoo()
        vocab = vec.get_feature_names_out()
        want = {("p:%d" % (i + 1), vocab[j]): float(v) for i, j, v in zip(X.row, X.col, X.data)}
        run_textsim(["tfidf", tsv, "--format", "tsv", "-o", out, "--token-pattern", pattern,
                     "--no-use-idf", "--norm", "none"] + COMMON)
        _, rows = read_csv(out)
        got = {(sid, term): float(w) for sid, term, w in rows}
        if got != want:
            diff = sorted(set(got.items()) ^ set(want.items()))[:4]
            fail("token pattern %r: counts differ from CountVectorizer's: %r" % (pattern, diff))
        table.append({"config": "pattern %s" % pattern, "corpus": "accents+moscow",
                      "n": len(texts), "terms": len(vocab)})


def main():
    for var in ("TEXTSIM", "TS_SOURCE_DIR", "TS_TEST_DATA"):
        if not os.environ.get(var):
            print("test_parity.py: set %s" % var, file=sys.stderr)
            return 2
    start = time.time()
    table = []
    with tempfile.TemporaryDirectory(prefix="textsim-parity-") as tmp:
        moscow = os.path.join(os.environ["TS_SOURCE_DIR"], "examples", "moscow-talks-2025")
        check_corpus("moscow", [moscow], ["--segment", "sentence"], None, 150, tmp, table)
        moscow_csv = os.path.join(tmp, "moscow-statements.csv")
        run_textsim(["statements", moscow, "--segment", "sentence", "-q", "-o", moscow_csv])

        sentences = msrp_sentences(os.environ["TS_TEST_DATA"])
        tsv = os.path.join(tmp, "msrp.tsv")
        with open(tsv, "w", encoding="utf-8", newline="") as f:
            for s in sentences:
                f.write("msrp\t%s\n" % s)
        check_corpus("msrp", [tsv], ["--format", "tsv"], sentences, len(sentences), tmp, table)

        accents = os.path.join(os.environ["TS_TEST_DATA"], "accents", "accents.tsv")
        with open(accents, encoding="utf-8") as f:
            lines = [line.rstrip("\n").split("\t", 1)[1] for line in f]
        check_corpus("accents", [accents], ["--format", "tsv"], lines, len(lines), tmp, table)
        moscow_texts = read_statements(moscow_csv)[1]
        check_patterns(lines + moscow_texts, tmp, table)

    def fmt(v):
        return "%.2e" % v if isinstance(v, float) else str(v)
    cols = ["config", "corpus", "n", "terms", "names", "tfidf", "opencl", "cpu", "seconds"]
    print("\nmax |textsim - sklearn|  (tfidf: weights; opencl, cpu: cosine matrix)")
    print("  ".join("%-14s" % c for c in cols))
    for row in table:
        print("  ".join("%-14s" % (fmt(row[c]) if c in row else "-") for c in cols))
    print("total %.1f s" % (time.time() - start))
    if failures:
        print("\n%d failure(s)" % len(failures))
        return 1
    print("parity OK (tolerance %g)" % TOL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
