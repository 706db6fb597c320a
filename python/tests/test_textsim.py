"""textsim's Python package against scikit-learn and against textsim's own CLI.

Run by ctest (label python) with /usr/bin/python3 -m pytest and
  TEXTSIM_LIBRARY  the built libtextsim.so
  TEXTSIM          the textsim CLI (the outputs the package must equal)
  TS_SOURCE_DIR    the repository (example corpus, tests/data)
"""
import csv
import io
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

import textsim

ROOT = pathlib.Path(os.environ.get("TS_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
EXAMPLE = ROOT / "examples" / "moscow-talks-2025"
CLI = os.environ.get("TEXTSIM", str(ROOT / "build" / "textsim"))


@pytest.fixture(scope="module")
def msrp():
    """The distinct sentences of the MSRP training set, first-seen order."""
    path = ROOT / "tests" / "data" / "msrp" / "msr_paraphrase_train.txt"
    seen, out = set(), []
    lines = path.read_text(encoding="utf-8-sig").split("\n")[1:]
    for line in lines:
        fields = line.rstrip("\r").split("\t")
        if len(fields) == 5:
            for s in fields[3:5]:
                if s not in seen:
                    seen.add(s)
                    out.append(s)
    return out


def test_version_is_the_library_s():
    header = (ROOT / "include" / "textsim.h").read_text()
    version = re.search(r'#define TS_VERSION_STRING "([^"]+)"', header).group(1)
    assert textsim.__version__ == version
    pyproject = (ROOT / "python" / "pyproject.toml").read_text()
    assert re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1) == version


# ------------------------------------------------------------ TF-IDF parity

CONFIGS = [
    {},
    dict(sublinear_tf=True, stop_words="english"),
    dict(analyzer="char_wb", ngram_range=(3, 5)),
    dict(norm=None),
    dict(binary=True, smooth_idf=False, norm="l1"),
    dict(ngram_range=(1, 2), min_df=2, max_df=0.5),
    dict(strip_accents="unicode", token_pattern=r"(?u)\b\w+\b"),
    dict(use_idf=False, lowercase=False),
]


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: ",".join(kw) or "default")
def test_tfidf_equals_scikit_learn(msrp, kw):
    texts = msrp[:3000]
    want = TfidfVectorizer(**kw)
    Xw = want.fit_transform(texts)
    X, vocabulary = textsim.tfidf(texts, dtype=np.float64, **kw)
    assert vocabulary == want.get_feature_names_out().tolist()
    assert X.shape == Xw.shape and X.dtype == np.float64
    assert abs(X - Xw).max() <= 1e-12
    X32, _ = textsim.tfidf(texts, **kw)
    assert X32.dtype == np.float32 and abs(X32 - Xw).max() <= 1e-6


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: ",".join(kw) or "default")
def test_transform_equals_scikit_learn(msrp, kw):
    """fit(A).transform(B): B's unknown terms dropped, empty and all-unknown
    statements as empty rows, A's IDF."""
    fit, queries = msrp[:2000], msrp[2000:2600] + ["", "zzzqqq xxyyzz", "   "]
    want = TfidfVectorizer(**kw).fit(fit)
    got = textsim.TfidfVectorizer(**kw).fit(fit)
    assert got.get_feature_names_out().tolist() == want.get_feature_names_out().tolist()
    assert got.vocabulary_ == want.vocabulary_
    if kw.get("use_idf", True):
        assert abs(got.idf_ - want.idf_).max() <= 1e-12
    Xw, X = want.transform(queries), got.transform(queries)
    assert X.shape == Xw.shape and X.dtype == np.float64
    assert abs(X - Xw).max() <= 1e-12
    assert X[-3:].nnz == 0
    X32 = textsim.TfidfVectorizer(dtype=np.float32, **kw).fit(fit).transform(queries)
    assert X32.dtype == np.float32 and abs(X32 - Xw).max() <= 1e-6
    # transform of the fitted texts is fit_transform
    assert abs(got.transform(fit[:300]) - got.fit_transform(fit)[:300]).max() == 0


def test_vectorizer_is_a_scikit_learn_estimator(msrp):
    from sklearn.base import clone
    from sklearn.decomposition import TruncatedSVD
    from sklearn.pipeline import Pipeline
    v = textsim.TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))
    c = clone(v)
    assert c.get_params() == v.get_params() and c is not v
    assert v.set_params(min_df=2) is v and v.min_df == 2
    with pytest.raises(ValueError, match="invalid parameter"):
        v.set_params(min_dfs=2)
    with pytest.raises(ValueError, match="not fitted"):
        textsim.TfidfVectorizer().transform(["a b"])
    pipe = Pipeline([("tfidf", textsim.TfidfVectorizer()), ("svd", TruncatedSVD(5, random_state=0))])
    ref = Pipeline([("tfidf", TfidfVectorizer()), ("svd", TruncatedSVD(5, random_state=0))])
    texts = msrp[:500]
    a, b = pipe.fit(texts).transform(msrp[500:600]), ref.fit(texts).transform(msrp[500:600])
    assert np.allclose(np.abs(a), np.abs(b), atol=1e-8)  # SVD signs may flip
    assert textsim.TfidfVectorizer().fit(texts).transform([]).shape == (0, len(ref[0].vocabulary_))


def assert_search_rows(P, S, top_k, min_score):
    """Each row of the CSR P is row q of the dense reference S sorted (score
    descending, column ascending), positive scores >= min_score, cut to
    top_k: the same length, scores within 1e-5 rank by rank, and a column
    other than the reference's only where S ties it within 1e-5."""
    for q in range(S.shape[0]):
        want = sorted((-S[q, a], a) for a in range(S.shape[1]) if S[q, a] > 0 and S[q, a] >= min_score)
        want = want[:top_k] if top_k else want
        row = P.getrow(q)
        got = sorted(zip(-row.data, row.indices))
        assert len(got) == len(want), q
        for (gs, ga), (ws, wa) in zip(got, want):
            assert abs(gs - ws) < 1e-5, (q, ga, wa)
            assert ga == wa or abs(S[q, ga] + ws) < 1e-5, (q, ga, wa)


@pytest.mark.parametrize("top_k,min_score", [(5, 0.0), (0, 0.3), (1, 0.0)])
def test_pairs_against_an_archive(msrp, top_k, min_score):
    """pairs(queries, against=archive) = the sorted rows of scikit-learn's
    fit(archive).transform(queries) @ archive.T (ties: the lower column)."""
    archive, queries = msrp[:1200], msrp[1200:1300] + msrp[:50:10] + ["zzqx wwvy", ""]
    P = textsim.pairs(queries, against=archive, top_k=top_k, min_score=min_score,
                      sublinear_tf=True)
    v = TfidfVectorizer(sublinear_tf=True).fit(archive)
    S = (v.transform(queries) @ v.transform(archive).T).toarray()
    assert P.shape == (len(queries), len(archive))
    assert_search_rows(P, S, top_k, min_score)
    assert P[len(queries) - 2].nnz == 0 and P[len(queries) - 1].nnz == 0
    assert P[100].max() > 0.9999  # msrp[0] is in the archive
    with pytest.raises(ValueError, match="do not apply"):
        textsim.pairs(queries, against=archive, cross_source=True)


@pytest.mark.parametrize("options", [{}, dict(sublinear_tf=True, stop_words="english"),
                                     dict(analyzer="char_wb", ngram_range=(2, 4), norm="l1")])
def test_index_build_save_open_add_search(msrp, tmp_path, options):
    """Index.search = the sorted rows of scikit-learn's fit(archive)
    .transform(queries) @ rows.T, where rows are the archive's and the added
    texts' transformed with the archive's model (add keeps the IDF); the
    saved file opens as the same index, byte-identical saved twice."""
    archive, more = msrp[:900], msrp[900:1000]
    queries = msrp[1000:1080] + msrp[:40:8] + msrp[950:960] + ["zzqx wwvy", ""]
    ix = textsim.Index.build(archive, **options)
    assert len(ix) == len(archive)
    ix.save(tmp_path / "a.tsidx")
    textsim.Index.build(archive, **options).save(tmp_path / "b.tsidx")
    assert (tmp_path / "a.tsidx").read_bytes() == (tmp_path / "b.tsidx").read_bytes()
    opened = textsim.Index.open(tmp_path / "a.tsidx").add(more)
    assert len(opened) == len(archive) + len(more)
    assert opened.ids()[0] == "texts:1" and opened.ids()[-1] == f"texts:{len(archive) + len(more)}"
    assert opened.text(len(archive)) == more[0]
    ref = {k: v for k, v in options.items()}
    v = TfidfVectorizer(**ref).fit(archive)
    assert list(opened.get_feature_names_out()) == list(v.get_feature_names_out())
    rows = v.transform(archive + more)
    assert abs(opened.rows() - rows).max() < 1e-6
    assert abs(opened.transform(queries) - v.transform(queries)).max() < 1e-6
    S = (v.transform(queries) @ rows.T).toarray()
    for top_k, min_score in ((10, 0.0), (0, 0.25), (1, 0.0)):
        R = opened.search(queries, top_k=top_k, min_score=min_score, backend="cpu")
        assert R.shape == (len(queries), len(archive) + len(more))
        assert_search_rows(R, S, top_k, min_score)
    assert R[len(queries) - 1].nnz == 0
    opened.save(tmp_path / "c.tsidx")
    again = textsim.Index.open(tmp_path / "c.tsidx")
    assert (again.search(queries, backend="cpu") != opened.search(queries, backend="cpu")).nnz == 0


def test_index_bad_files(tmp_path):
    (tmp_path / "foreign.tsidx").write_text("source,text\na,b\n")
    with pytest.raises(textsim.Error, match="not a textsim index"):
        textsim.Index.open(tmp_path / "foreign.tsidx")
    textsim.Index.build(["the talks lasted five hours", "no deal"]).save(tmp_path / "x.tsidx")
    data = bytearray((tmp_path / "x.tsidx").read_bytes())
    (tmp_path / "t.tsidx").write_bytes(data[:-64])
    with pytest.raises(textsim.Error, match="truncated"):
        textsim.Index.open(tmp_path / "t.tsidx")
    data[len(data) - 70] ^= 1
    (tmp_path / "c.tsidx").write_bytes(data)
    with pytest.raises(textsim.Error, match="checksum mismatch"):
        textsim.Index.open(tmp_path / "c.tsidx")
    with pytest.raises(textsim.Error, match="missing.tsidx"):
        textsim.Index.open(tmp_path / "missing.tsidx")


def test_empty_strings_are_rows_and_documents():
    texts = ["the pizza", "", "the beer"]
    for norm in ("l2", None):
        want = TfidfVectorizer(norm=norm).fit_transform(texts)
        X, vocabulary = textsim.tfidf(texts, norm=norm, dtype=np.float64)
        assert vocabulary == ["beer", "pizza", "the"]
        assert X.shape == (3, 3) and X[1].nnz == 0
        assert abs(X - want).max() == 0.0


def test_float64_keeps_what_float32_rounds():
    # unnormalised weights are large: float32 misses scikit-learn by > 1e-6
    texts = ["ww " * 83 + "xx", "xx", ""]
    want = TfidfVectorizer(norm=None).fit_transform(texts)
    X64, _ = textsim.tfidf(texts, norm=None, dtype="float64")
    X32, _ = textsim.tfidf(texts, norm=None)
    assert abs(X64 - want).max() <= 1e-12
    assert abs(X32.astype(np.float64) - want).max() > 1e-7


def test_vocabulary_and_stop_word_lists():
    texts = ["the envoy met the president", "the president met the envoy again"]
    vocab = ["president", "envoy", "absent"]
    want = TfidfVectorizer(vocabulary=vocab).fit_transform(texts)
    X, got = textsim.tfidf(texts, vocabulary=vocab, dtype=np.float64)
    assert got == vocab and abs(X - want).max() <= 1e-12
    X, got = textsim.tfidf(texts, vocabulary={"envoy": 1, "president": 0})
    assert got == ["president", "envoy"]
    X, got = textsim.tfidf(texts, stop_words=["the", "again"])
    assert got == ["envoy", "met", "president"]


# ------------------------------------------------------------ similarity

@pytest.mark.parametrize("backend", ["opencl", "cpu"])
def test_matrix_equals_cosine_similarity(msrp, backend):
    texts = msrp[:800] + [""]
    want = cosine_similarity(TfidfVectorizer().fit_transform(texts))
    got = textsim.matrix(texts, backend=backend)
    assert got.dtype == np.float32 and got.shape == want.shape
    assert np.abs(got - want).max() <= 1e-6


def top_scores(S, i, k):
    row = np.delete(S[i], i)
    row = np.sort(row[row > 0])[::-1]
    return row[:k] if k else row


@pytest.mark.parametrize("k", [1, 10, 0])
def test_pairs_are_the_top_k_of_each_row(msrp, k):
    texts = msrp[:1500]
    S = cosine_similarity(TfidfVectorizer().fit_transform(texts))
    P = textsim.pairs(texts, top_k=k, min_score=0.3 if k == 0 else 0.0)
    assert isinstance(P, sp.csr_matrix) and P.shape == (1500, 1500)
    for i in range(len(texts)):
        row = P.getrow(i)
        assert i not in row.indices
        want = top_scores(S, i, k)
        if k == 0:
            want = want[want >= 0.3]
        got = np.sort(row.data)[::-1]
        assert len(got) == len(want), i
        assert np.abs(got - want).max(initial=0) <= 1e-6, i
        assert np.abs(row.data - S[i, row.indices]).max(initial=0) <= 1e-6, i


def test_pairs_cross_source(msrp):
    texts = msrp[:600]
    sources = ["a" if i % 3 else "b" for i in range(len(texts))]
    P = textsim.pairs(texts, sources=sources, top_k=5, cross_source=True)
    S = cosine_similarity(TfidfVectorizer().fit_transform(texts))
    other = np.array([[sa != sb for sb in sources] for sa in sources])
    for i in range(len(texts)):
        row = P.getrow(i)
        assert all(sources[j] != sources[i] for j in row.indices)
        want = np.sort(S[i][other[i] & (S[i] > 0)])[::-1][:5]
        assert np.abs(np.sort(row.data)[::-1] - want).max(initial=0) <= 1e-6
    with pytest.raises(ValueError, match="cross_source needs sources"):
        textsim.pairs(texts, cross_source=True)


# ---------------------------------------------------- the CLI's outputs

def run_cli(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, check=True)


def test_equals_the_cli(msrp, tmp_path):
    texts = msrp[:400]
    tsv = tmp_path / "s.tsv"
    tsv.write_text("".join(f"s\t{t}\n" for t in texts), encoding="utf-8")
    out = run_cli("tfidf", tsv, "--precision", "9", "--no-formula-escape", "-q").stdout
    X, vocabulary = textsim.tfidf(texts)
    column = {t: j for j, t in enumerate(vocabulary)}
    rows = list(csv.reader(io.StringIO(out)))[1:]
    assert len(rows) == X.nnz
    for sid, term, weight in rows:
        i = int(sid.split(":")[1]) - 1
        assert abs(X[i, column[term]] - float(weight)) <= 5e-10

    out = run_cli("pairs", tsv, "--top-k", "3", "--precision", "9", "-q").stdout
    P = textsim.pairs(texts, top_k=3)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == P.nnz
    for r in rows:
        a, b = (int(r[c].split(":")[1]) - 1 for c in ("statement_a", "statement_b"))
        assert abs(P[a, b] - float(r["score"])) <= 5e-10


def test_align_equals_the_cli(tmp_path):
    paths = sorted(EXAMPLE.glob("*.txt"))
    al = textsim.align(paths)
    run_cli("align", EXAMPLE, "-o", tmp_path / "al", "-q", "--backend", al.backend)
    statements = list(csv.DictReader(open(tmp_path / "al" / "statements.csv", encoding="utf-8")))
    assert [s["id"] for s in statements] == [s["id"] for s in al.statements]
    assert [int(s["cluster"]) for s in statements] == [s["cluster"] for s in al.statements]
    for cli, py in zip(statements, al.statements):  # the CLI escapes formulas with a '
        assert cli["text"] in (py["text"], "'" + py["text"])
        assert (cli["status"], cli["best_match"], cli["why"]) == \
            (py["status"], py["best_match"] or "", py["why"])
    pairs = list(csv.DictReader(open(tmp_path / "al" / "alignment.csv", encoding="utf-8")))
    assert len(pairs) == len(al.pairs) > 20
    for r, p in zip(pairs, al.pairs):
        assert p["a"] == f"{r['source_a']}:{r['index_a']}"
        assert p["b"] == f"{r['source_b']}:{r['index_b']}"
        assert abs(p["score"] - float(r["score"])) <= 5e-5
        assert p["terms"] == r["shared_terms"] and p["cluster"] == int(r["cluster"] or 0)
    assert len(al.clusters) == max(s["cluster"] for s in al.statements)


def test_align_paths_with_outlet_names():
    paths = sorted(EXAMPLE.glob("*.txt"))
    names = [f"outlet {i}" for i in range(len(paths))]
    al = textsim.align(paths, sources=names)
    assert [s["source"] for s in al.statements][0] == "outlet 0"
    assert {s["source"] for s in al.statements} == set(names)
    with pytest.raises(ValueError, match="several sources"):
        textsim.align([EXAMPLE], sources=["all"])


def test_align_texts_with_source_names():
    texts = [(EXAMPLE / f).read_text(encoding="utf-8") for f in sorted(os.listdir(EXAMPLE))]
    names = ["bbc", "ap", "reuters", "afp", "dw"]
    al = textsim.align(texts, sources=names)
    assert {s["source"] for s in al.statements} == set(names)
    assert al.clusters[0] and all(":" in m for m in al.clusters[0])
    frames = al.to_pandas()
    assert len(frames["statements"]) == len(al.statements)
    assert list(frames["pairs"].columns)[:3] == ["a", "b", "score"]


def test_align_reads_numbers_in_the_locale():
    texts = ["Rund 1.200 Soldaten nahmen an der Übung im Norden des Landes teil.",
             "An der Übung im Norden des Landes nahmen 1200 Soldaten teil.",
             "An der Übung im Norden des Landes nahmen etwa 1000 Soldaten teil."]
    names = ["x", "y", "z"]
    de = {(p["a"], p["b"]): p for p in
          textsim.align(texts, sources=names, locale="de", min_tokens=1).pairs}
    assert de[("x:1", "y:1")]["discrepancy"] == ""
    assert de[("x:1", "z:1")]["discrepancy"] == "troops: ~1200 vs ~1000"
    en = {(p["a"], p["b"]): p for p in textsim.align(texts, sources=names, min_tokens=1).pairs}
    assert en[("x:1", "y:1")]["discrepancy"] == "number: 1.2 vs 1200"
    # one locale per entry: x read as English, y and z as German
    mixed = {(p["a"], p["b"]): p for p in textsim.align(
        texts, sources=names, locale=["en", "de", "de"], min_tokens=1).pairs}
    xy = mixed[("x:1", "y:1")]  # 1.2 without a unit is not compared with 1200 troops
    assert (xy["numbers_a"], xy["numbers_b"], xy["discrepancy"]) == ("1.2", "1200 troops", "")
    assert mixed[("y:1", "z:1")]["discrepancy"] == "troops: 1200 vs ~1000"
    # a German locale stems German: "Soldaten" and "Soldat" share a term
    de2 = textsim.align(["Rund 1.200 Soldaten nahmen an der Übung teil.",
                         "Ein Soldat nahm an der Übung teil."], locale="de", min_tokens=1)
    assert "Soldaten/Soldat" in de2.pairs[0]["terms"], de2.pairs
    with pytest.raises(ValueError, match="2 locales for 3 entries"):
        textsim.align(texts, locale=["de", "de"])


def test_align_links_and_restatements():
    # b:2 restates the fact a:1, b:1 and c:1 state (as in the CLI test)
    texts = ["kilo lima mike november oscar", "kilo lima mike november oscar\n"
             "kilo lima mike november papa", "kilo lima mike november oscar quebec"]
    al = textsim.align(texts, sources=["a", "b", "c"], min_tokens=1, segment="line")
    st = {s["id"]: s for s in al.statements}
    assert st["b:2"]["restatement"] and st["b:2"]["link"] == "a:1"
    assert abs(st["b:2"]["link_score"] - 0.616) < 1e-3
    assert st["a:1"]["link"] == "b:1" and not st["a:1"]["restatement"]
    assert al.clusters[0] == ["a:1", "b:1", "b:2", "c:1"]
    off = textsim.align(texts, sources=["a", "b", "c"], min_tokens=1, segment="line",
                        restatements=False)
    assert {s["id"]: s for s in off.statements}["b:2"]["link"] is None


# ------------------------------------------------------------------ errors

def test_errors():
    with pytest.raises(TypeError, match="unknown option 'min_dfs'"):
        textsim.tfidf(["a b"], min_dfs=2)
    with pytest.raises(ValueError, match="norm must be one of"):
        textsim.tfidf(["aa bb"], norm="l3")
    with pytest.raises(TypeError, match="list of strings"):
        textsim.tfidf("aa bb")
    with pytest.raises(textsim.Error) as e:
        textsim.tfidf(["aa bb"], token_pattern="(a)(b)")
    assert e.value.status == "TS_ERR_ARG" and "2 capturing groups" in e.value.message
    with pytest.raises(textsim.Error) as e:
        textsim.tfidf(["fine", "caf\udce9"])
    assert e.value.status == "TS_ERR_UTF8" and "texts[1]: invalid UTF-8 at byte 3" in str(e.value)
    X, vocabulary = textsim.tfidf(["fine", "caf\udce9"], on_invalid="replace")
    assert vocabulary == ["caf", "fine"]
    with pytest.raises(textsim.Error) as e:
        textsim.tfidf(["", "a"])
    assert e.value.status == "TS_ERR_EMPTY"
    with pytest.raises(textsim.Error) as e:
        textsim.tfidf(["aa bb"], stop_words="/nonexistent/stop.txt")
    assert e.value.status == "TS_ERR_IO" and e.value.path == "/nonexistent/stop.txt"
    with pytest.raises(textsim.Error) as e:
        textsim.matrix(["aa bb"], backend="opencl", device="no-such-device")
    assert e.value.status == "TS_ERR_DEVICE"
    with pytest.raises(textsim.Error) as e:
        textsim.align([pathlib.Path("/nonexistent/dir")])
    assert e.value.status == "TS_ERR_IO"


def test_progress_and_stopping(msrp):
    seen = []
    textsim.matrix(msrp[:300], progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (300, 300)

    def stop(done, total):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        textsim.pairs(msrp[:3000], progress=stop)


def test_devices():
    devices = textsim.devices()
    assert isinstance(devices, list)
    if devices:
        assert sum(d["default"] for d in devices) == 1
        assert {"name", "version", "is_gpu", "global_memory"} <= set(devices[0])


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])


def test_no_memory_growth():
    texts = ["the envoy met the president in Moscow", "", "no deal was reached",
             "the president met the envoy"]
    for _ in range(50):  # warm: the engine's first kernels, allocator pools
        textsim.tfidf(texts)
        textsim.pairs(texts, top_k=2, backend="cpu")
    before = rss_kib()
    for _ in range(1000):
        textsim.tfidf(texts, dtype=np.float64)
        textsim.pairs(texts, top_k=2, backend="cpu")
        with pytest.raises(textsim.Error):
            textsim.tfidf(["", ""])
    grown = rss_kib() - before
    assert grown < 4096, f"RSS grew by {grown} KiB over 1,000 calls"


# ---------------------------------------------------------------- binding

def test_binding_matches_the_header(tmp_path):
    """Every struct the cffi declarations describe has the C compiler's size
    and field offsets (ABI mode trusts the declarations)."""
    from textsim._binding import STRUCTS, ffi
    fields = {s: [f for f, _ in ffi.typeof(s).fields] for s in STRUCTS}
    src = ['#include <stddef.h>', '#include <stdio.h>', '#include "textsim.h"',
           "int main(void) {"]
    for s, names in fields.items():
        src.append(f'printf("{s} %zu\\n", sizeof({s}));')
        for f in names:
            src.append(f'printf("{s}.{f} %zu\\n", offsetof({s}, {f}));')
    src.append("return 0; }")
    c = tmp_path / "layout.c"
    c.write_text("\n".join(src))
    exe = tmp_path / "layout"
    subprocess.run(["cc", "-std=c11", "-I", str(ROOT / "include"), str(c), "-o", str(exe)],
                   check=True)
    want = dict(line.split() for line in subprocess.run([str(exe)], capture_output=True,
                                                         text=True, check=True).stdout.splitlines())
    for s, names in fields.items():
        assert int(want[s]) == ffi.sizeof(s), s
        for f in names:
            assert int(want[f"{s}.{f}"]) == ffi.offsetof(s, f), f"{s}.{f}"
