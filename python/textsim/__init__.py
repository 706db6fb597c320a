"""textsim from Python: TF-IDF, all-pairs cosine similarity, top-k pairs and
cross-source alignment on the textsim C library (OpenCL on a GPU, or pocl
and BLIS on the CPU).

    import textsim
    X, vocabulary = textsim.tfidf(["the pizza", "", "the beer"])   # scipy CSR
    S = textsim.matrix(statements)                 # numpy float32, N x N
    P = textsim.pairs(statements, top_k=10)        # scipy CSR, N x N
    ix = textsim.Index.build(archive); ix.save("archive.tsidx")
    R = textsim.Index.open("archive.tsidx").search(queries, top_k=10)  # CSR, Q x N
    al = textsim.align(["article one ...", "article two ..."], sources=["bbc", "ap"])

Options have the command line's names in Python spelling (--min-df is
min_df) and its defaults, which for TF-IDF are scikit-learn's
TfidfVectorizer's; align's are the CLI's (sublinear_tf=True, stem="english").
Every input string is one statement (align: one text to segment), empty
strings included: an empty statement is a row of zeros that counts in the IDF's
document count, as scikit-learn counts it.  Errors raise textsim.Error with
the library's message.  The library releases the GIL while it works.
"""
import os
import re
import tempfile

import numpy as np
import scipy.sparse as sp

from ._binding import ffi, lib, library_path

__all__ = ["tfidf", "TfidfVectorizer", "Index", "matrix", "pairs", "align", "devices", "Alignment",
           "Error", "__version__", "library_path"]

__version__ = ffi.string(lib.ts_version_string()).decode()


class Error(Exception):
    """A failure of the C library: `status` (its TS_ERR_* name), `message`
    (what happened, where, and what to do), `path`, `line` and `byte_offset`
    when they apply (else "", None, None)."""

    def __init__(self, status, message, path="", line=None, byte_offset=None):
        super().__init__(message)
        self.status, self.message = status, message
        self.path, self.line, self.byte_offset = path, line, byte_offset


def _raise(st, diag):
    name = ffi.string(lib.ts_status_name(st)).decode()
    message = ffi.string(diag.message).decode("utf-8", "replace") if diag.message[0] else ""
    if not message:
        message = ffi.string(lib.ts_status_message(st)).decode()
    path = ffi.string(diag.path).decode("utf-8", "replace")
    line = int(diag.line) or None
    offset = None if diag.byte_offset == 2 ** 64 - 1 else int(diag.byte_offset)
    raise Error(name, message, path, line, offset)


def _check(st, diag):
    if st != lib.TS_OK:
        _raise(st, diag)


def _new_diag():
    d = ffi.new("ts_diag *")
    lib.ts_diag_clear(d)
    return d


# --------------------------------------------------------------- options

def _choice(name, value, table):
    key = value if not isinstance(value, str) else value.lower()
    if key not in table:
        raise ValueError(f"{name} must be one of {', '.join(repr(k) for k in table)}, "
                         f"not {value!r}")
    return table[key]


class _Keep:
    """C strings and temporary files that must live as long as a call."""

    def __init__(self):
        self.objects, self.files = [], []

    def cstr(self, s):
        if s is None:
            return ffi.NULL
        b = ffi.new("char[]", os.fsencode(s) if isinstance(s, os.PathLike) else s.encode())
        self.objects.append(b)
        return b

    def lines_file(self, lines, what):
        f = tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False)
        with f:
            for line in lines:
                if not isinstance(line, str) or "\n" in line:
                    raise ValueError(f"{what}: every entry must be a string without a line "
                                     f"break, not {line!r}")
                f.write(line + "\n")
        self.files.append(f.name)
        return f.name

    def close(self):
        for path in self.files:
            try:
                os.unlink(path)
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_LOWERCASE = {True: lib.TS_CASE_LOWER, False: lib.TS_CASE_NONE, "lower": lib.TS_CASE_LOWER,
              "fold": lib.TS_CASE_FOLD, "none": lib.TS_CASE_NONE}
_ANALYZER = {"word": lib.TS_ANALYZER_WORD, "char_wb": lib.TS_ANALYZER_CHAR_WB,
             "char": lib.TS_ANALYZER_CHAR}
_TOKENIZER = {"sklearn": lib.TS_TOKENS_SKLEARN, "unicode-words": lib.TS_TOKENS_UNICODE_WORDS}
_ACCENTS = {None: lib.TS_ACCENTS_KEEP, "none": lib.TS_ACCENTS_KEEP,
            "ascii": lib.TS_ACCENTS_ASCII, "unicode": lib.TS_ACCENTS_UNICODE}
_NORM = {None: lib.TS_NORM_NONE, "none": lib.TS_NORM_NONE, "l2": lib.TS_NORM_L2,
         "l1": lib.TS_NORM_L1}
_BACKEND = {"auto": lib.TS_BACKEND_AUTO, "opencl": lib.TS_BACKEND_OPENCL,
            "cpu": lib.TS_BACKEND_CPU}
_MATCH = {"mutual": lib.TS_MATCH_MUTUAL, "assignment": lib.TS_MATCH_ASSIGNMENT}
_SEGMENT = {"sentence": lib.TS_SEGMENT_SENTENCE, "line": lib.TS_SEGMENT_LINE}
_INVALID = {"error": lib.TS_INVALID_ERROR, "replace": lib.TS_INVALID_REPLACE}

VECTORIZER_OPTIONS = ("lowercase", "analyzer", "tokenizer", "token_pattern", "strip_accents",
                      "ngram_range", "stop_words", "stem", "min_df", "max_df", "max_features",
                      "vocabulary", "binary", "use_idf", "smooth_idf", "sublinear_tf", "norm",
                      "name_weight")


def _df(o, name, value):
    """scikit-learn's rule: an int is a count of statements, a float a fraction."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be an int (a count) or a float (a fraction), "
                        f"not {value!r}")
    fraction = isinstance(value, (float, np.floating))
    if value < 0 or (fraction and value > 1):
        raise ValueError(f"{name} must be a count >= 0 or a fraction in [0, 1], not {value!r}")
    setattr(o, name, float(value))
    setattr(o, name + "_is_fraction", int(fraction))


def _vectorizer(keep, options, defaults=None):
    o = ffi.new("ts_vectorizer_options *")
    lib.ts_vectorizer_options_init(o)
    opts = dict(defaults or {})
    opts.update(options)
    for name, value in opts.items():
        if name not in VECTORIZER_OPTIONS:
            raise TypeError(f"unknown option {name!r}; the TF-IDF options are "
                            f"{', '.join(VECTORIZER_OPTIONS)}")
        if name == "lowercase":
            o.lowercase = _choice(name, value, _LOWERCASE)
        elif name == "analyzer":
            o.analyzer = _choice(name, value, _ANALYZER)
        elif name == "tokenizer":
            o.tokens = _choice(name, value, _TOKENIZER)
        elif name == "token_pattern":
            o.token_pattern = keep.cstr(value)
        elif name == "strip_accents":
            o.strip_accents = _choice(name, value, _ACCENTS)
        elif name == "ngram_range":
            lo, hi = value
            if not (1 <= int(lo) <= int(hi) <= 64):
                raise ValueError(f"ngram_range must be (min, max) with 1 <= min <= max <= 64, "
                                 f"not {value!r}")
            o.ngram_min, o.ngram_max = int(lo), int(hi)
        elif name == "stop_words":
            if value is None or value == "none":
                o.stop_words = ffi.NULL
            elif isinstance(value, (str, os.PathLike)):
                o.stop_words = keep.cstr(value)  # "english" or a file
            else:
                o.stop_words = keep.cstr(keep.lines_file(value, "stop_words"))
        elif name == "stem":
            o.stem = keep.cstr(value)
        elif name in ("min_df", "max_df"):
            _df(o, name, value)
        elif name == "max_features":
            if value is not None and (int(value) != value or value < 1):
                raise ValueError(f"max_features must be None or a count >= 1, not {value!r}")
            o.max_features = 0 if value is None else int(value)
        elif name == "vocabulary":
            if value is None:
                o.vocabulary = ffi.NULL
            elif isinstance(value, (str, os.PathLike)):
                o.vocabulary = keep.cstr(value)  # a file, one term per line
            else:
                if isinstance(value, dict):  # scikit-learn's {term: column}
                    if sorted(value.values()) != list(range(len(value))):
                        raise ValueError("vocabulary: the columns of a mapping must be "
                                         "0 .. len - 1")
                    value = sorted(value, key=value.get)
                o.vocabulary = keep.cstr(keep.lines_file(value, "vocabulary"))
        elif name == "norm":
            o.norm = _choice(name, value, _NORM)
        elif name == "name_weight":
            o.name_weight = float(value)
        else:  # binary, use_idf, smooth_idf, sublinear_tf
            setattr(o, name, int(bool(value)))
    return o


def _engine(backend, device):
    eo = ffi.new("ts_engine_options *")
    lib.ts_engine_options_init(eo)
    eo.backend = _choice("backend", backend, _BACKEND)
    dev = ffi.new("char[]", str(device).encode()) if device is not None else ffi.NULL
    eo.device = dev
    out = ffi.new("ts_engine **")
    diag = _new_diag()
    _check(lib.ts_engine_create(out, eo, diag), diag)
    return ffi.gc(out[0], lib.ts_engine_free)


def _texts(texts, what="texts"):
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{what} must be a list of strings, not a single string")
    out = []
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"{what}[{i}] must be a str, not {type(t).__name__}")
        out.append(t.encode("utf-8", "surrogatepass"))
    return out


def _statements(texts, on_invalid="error"):
    """A corpus of one source holding each text as one statement, as is."""
    data = _texts(texts)
    ro = ffi.new("ts_read_options *")
    lib.ts_read_options_init(ro)
    ro.on_invalid = _choice("on_invalid", on_invalid, _INVALID)
    cptr = ffi.new("ts_corpus **")
    _check(lib.ts_corpus_create(cptr), _new_diag())
    corpus = ffi.gc(cptr[0], lib.ts_corpus_free)
    bufs = [ffi.from_buffer(b) for b in data]
    arr = ffi.new("const char *[]", max(len(bufs), 1))
    lens = ffi.new("size_t[]", max(len(bufs), 1))
    for i, b in enumerate(bufs):
        arr[i] = ffi.cast("const char *", b)
        lens[i] = len(data[i])
    diag = _new_diag()
    _check(lib.ts_corpus_add_statements(corpus, b"texts", arr, lens, len(data), b"texts", ro,
                                        diag), diag)
    return corpus


def _build(corpus, o):
    out = ffi.new("ts_tfidf **")
    diag = _new_diag()
    _check(lib.ts_tfidf_build(out, corpus, o, diag), diag)
    return ffi.gc(out[0], lib.ts_tfidf_free)


def _csr(m, dtype):
    """The TF-IDF matrix as scipy CSR (rows, then columns ascending)."""
    rows, nnz = lib.ts_tfidf_rows(m), lib.ts_tfidf_nnz(m)
    indptr = np.zeros(rows + 1, dtype=np.int64)
    indices = np.empty(nnz, dtype=np.int32)
    data = np.empty(nnz, dtype=dtype)
    cols = ffi.new("const uint32_t **")
    fvals = ffi.new("const float **")
    dvals = ffi.new("const double **")
    double = dtype == np.float64
    at = 0
    for r in range(rows):
        if double:
            n = lib.ts_tfidf_row_double(m, r, cols, dvals)
            vals, size = dvals[0], 8
        else:
            n = lib.ts_tfidf_row(m, r, cols, fvals)
            vals, size = fvals[0], 4
        if n:
            indices[at:at + n] = np.frombuffer(ffi.buffer(cols[0], 4 * n), dtype=np.uint32)
            data[at:at + n] = np.frombuffer(ffi.buffer(vals, size * n), dtype=dtype)
        at += n
        indptr[r + 1] = at
    shape = (rows, lib.ts_tfidf_cols(m))
    return sp.csr_matrix((data, indices, indptr), shape=shape)


def _vocabulary(m):
    return [ffi.string(lib.ts_tfidf_term(m, c)).decode() for c in range(lib.ts_tfidf_cols(m))]


# ------------------------------------------------------------------ API

def tfidf(texts, *, dtype=np.float32, on_invalid="error", **options):
    """TF-IDF of each string (one statement each), as TfidfVectorizer
    .fit_transform: returns (X, vocabulary), X a scipy.sparse.csr_matrix of
    len(texts) rows and len(vocabulary) columns, vocabulary the terms in
    column order.  dtype float64 gives the weights as computed (in double);
    float32 (the engine's precision) rounds them."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, not {dtype}")
    with _Keep() as keep:
        o = _vectorizer(keep, options)
        o.double_weights = int(dtype == np.float64)
        corpus = _statements(texts, on_invalid)
        m = _build(corpus, o)
    return _csr(m, dtype), _vocabulary(m)


class TfidfVectorizer:
    """scikit-learn's TfidfVectorizer interface on textsim's TF-IDF: fit on
    one list of strings (each one statement), transform others with the
    fitted vocabulary and IDF (unknown terms dropped, as scikit-learn).
    The parameters are textsim's TF-IDF options with scikit-learn's
    defaults (tfidf() above lists them; stem and name_weight are textsim's
    own); dtype float64 (the default, as scikit-learn) gives the weights as
    computed in double, float32 the engine's precision.  Usable in a
    scikit-learn Pipeline: get_params / set_params and clone work.

    Fitted attributes: vocabulary_ ({term: column}), idf_ (float64 array),
    get_feature_names_out()."""

    _PARAMS = ("lowercase", "analyzer", "tokenizer", "token_pattern", "strip_accents",
               "ngram_range", "stop_words", "stem", "min_df", "max_df", "max_features",
               "vocabulary", "binary", "use_idf", "smooth_idf", "sublinear_tf", "norm",
               "name_weight", "dtype")

    def __init__(self, *, lowercase=True, analyzer="word", tokenizer="sklearn",
                 token_pattern=None, strip_accents=None, ngram_range=(1, 1), stop_words=None,
                 stem=None, min_df=1, max_df=1.0, max_features=None, vocabulary=None,
                 binary=False, use_idf=True, smooth_idf=True, sublinear_tf=False, norm="l2",
                 name_weight=1.0, dtype=np.float64):
        self.lowercase, self.analyzer, self.tokenizer = lowercase, analyzer, tokenizer
        self.token_pattern, self.strip_accents, self.ngram_range = (token_pattern,
                                                                    strip_accents, ngram_range)
        self.stop_words, self.stem, self.min_df, self.max_df = stop_words, stem, min_df, max_df
        self.max_features, self.vocabulary, self.binary = max_features, vocabulary, binary
        self.use_idf, self.smooth_idf, self.sublinear_tf = use_idf, smooth_idf, sublinear_tf
        self.norm, self.name_weight, self.dtype = norm, name_weight, dtype

    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params):
        for name, value in params.items():
            if name not in self._PARAMS:
                raise ValueError(f"invalid parameter {name!r} for TfidfVectorizer; the "
                                 f"parameters are {', '.join(self._PARAMS)}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        return "TfidfVectorizer(" + ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()
                                              if k != "dtype") + ")"

    def _dtype(self):
        dtype = np.dtype(self.dtype)
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, not {dtype}")
        return dtype

    def _fit(self, raw_documents):
        dtype = self._dtype()
        options = {k: v for k, v in self.get_params().items() if k != "dtype"}
        with _Keep() as keep:
            o = _vectorizer(keep, options)
            o.double_weights = int(dtype == np.float64)
            m = _build(_statements(list(raw_documents)), o)
        self._model = m
        terms = _vocabulary(m)
        self.vocabulary_ = {t: c for c, t in enumerate(terms)}
        self.idf_ = np.array([lib.ts_tfidf_idf(m, c) for c in range(len(terms))])
        self._terms = terms
        return m

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and IDF of raw_documents (a list of str)."""
        self._fit(raw_documents)
        return self

    def fit_transform(self, raw_documents, y=None):
        """fit, then the TF-IDF of raw_documents (scipy CSR)."""
        return _csr(self._fit(raw_documents), self._dtype())

    def transform(self, raw_documents):
        """The TF-IDF of raw_documents with the fitted vocabulary and IDF:
        scipy CSR, len(raw_documents) x len(vocabulary_)."""
        if not hasattr(self, "_model"):
            raise ValueError("this TfidfVectorizer is not fitted yet; call fit first")
        corpus = _statements(list(raw_documents))
        out = ffi.new("ts_tfidf **")
        diag = _new_diag()
        _check(lib.ts_tfidf_transform(out, self._model, corpus, diag), diag)
        m = ffi.gc(out[0], lib.ts_tfidf_free)
        X = _csr(m, self._dtype())
        return X

    def get_feature_names_out(self, input_features=None):
        if not hasattr(self, "_terms"):
            raise ValueError("this TfidfVectorizer is not fitted yet; call fit first")
        return np.array(self._terms, dtype=object)


class _Progress:
    """Calls progress(done, total); an exception there, or in the callback
    that calls it, stops the engine and is raised when it returns."""

    def __init__(self, progress, total):
        self.progress, self.total, self.error = progress, total, None

    def failed(self, exc_type, exc_value, traceback):
        if self.error is None:
            self.error = exc_value

    def __call__(self, done):
        if self.progress is None or self.error is not None:
            return
        try:
            self.progress(done, self.total)
        except BaseException as e:  # stop the engine, raise it afterwards
            self.error = e


def matrix(texts, *, backend="auto", device=None, progress=None, on_invalid="error",
           **options):
    """The cosine similarity of every pair of statements: a float32 numpy
    array of shape (N, N), as sklearn's cosine_similarity of the TF-IDF.
    progress(done_rows, total_rows) is called after each strip of rows."""
    with _Keep() as keep:
        o = _vectorizer(keep, options)
        corpus = _statements(texts, on_invalid)
        m = _build(corpus, o)
    n = lib.ts_tfidf_rows(m)
    out = np.zeros((n, n), dtype=np.float32)
    engine = _engine(backend, device)
    tell = _Progress(progress, n)

    @ffi.callback("ts_status(void *, const ts_tile *)", error=lib.TS_ERR_CANCELLED,
                  onerror=tell.failed)
    def on_tile(user, t):
        block = np.frombuffer(ffi.buffer(t.scores, 4 * ((t.nrows - 1) * t.ld + t.ncols)),
                              dtype=np.float32)
        rows = np.lib.stride_tricks.as_strided(block, shape=(t.nrows, t.ncols),
                                               strides=(4 * t.ld, 4))
        out[t.row0:t.row0 + t.nrows, t.col0:t.col0 + t.ncols] = rows
        tell(t.row0 + t.nrows)
        return lib.TS_OK if tell.error is None else lib.TS_ERR_CANCELLED

    diag = _new_diag()
    if n:
        st = lib.ts_engine_similarity(engine, m, on_tile, ffi.NULL, diag)
        if tell.error is not None:
            raise tell.error
        _check(st, diag)
    return out


def _groups(sources, n):
    if sources is None:
        return None, None
    if len(sources) != n:
        raise ValueError(f"sources has {len(sources)} entries for {n} texts")
    ids, names = {}, []
    groups = np.empty(n, dtype=np.uint32)
    for i, s in enumerate(sources):
        if s not in ids:
            ids[s] = len(names)
            names.append(s)
        groups[i] = ids[s]
    return groups, names


def pairs(texts, sources=None, top_k=10, min_score=0.0, cross_source=False, *,
          against=None, backend="auto", device=None, progress=None, on_invalid="error",
          **options):
    """Each statement's best matches, as sparse_dot_topn gives them: a scipy
    CSR matrix of shape (N, N) whose row i holds statement i's matches (at
    most top_k, 0 for all; scores >= min_score and > 0; never i itself).
    cross_source keeps only matches from another source (sources: one label
    per text).  Exact: the same matches as sorting each row of matrix().
    With against (a list of strings: the archive), the TF-IDF model is
    fitted on against, texts are the queries weighted with it, and the
    result is (len(texts), len(against)): each query's best archive
    statements (textsim pairs --against)."""
    if against is not None:
        return _search(texts, against, top_k, min_score, cross_source, sources, backend,
                       device, on_invalid, options)
    if cross_source and sources is None:
        raise ValueError("cross_source needs sources: one source label per text")
    if not (0 <= int(top_k) <= 1024):
        raise ValueError(f"top_k must be 0 (no limit) to 1024, not {top_k!r}")
    with _Keep() as keep:
        o = _vectorizer(keep, options)
        corpus = _statements(texts, on_invalid)
        m = _build(corpus, o)
    n = lib.ts_tfidf_rows(m)
    groups, _ = _groups(sources, n)
    po = ffi.new("ts_pairs_options *")
    lib.ts_pairs_options_init(po)
    po.top_k = int(top_k)
    po.min_score = float(min_score)
    po.cross_source = int(bool(cross_source))
    if groups is not None:
        po.groups = ffi.cast("const uint32_t *", ffi.from_buffer(groups))
    engine = _engine(backend, device)
    indptr = np.zeros(n + 1, dtype=np.int64)
    found = bytearray()  # (uint32 statement, float32 score) records, as the engine gives them
    tell = _Progress(progress, n)

    @ffi.callback("ts_status(void *, uint32_t, const ts_match *, size_t)",
                  error=lib.TS_ERR_CANCELLED, onerror=tell.failed)
    def on_matches(user, statement, matches, k):
        if k:  # one copy per row, no NumPy call: this runs once per statement
            found.extend(ffi.buffer(matches, 8 * k))
        indptr[statement + 1] = k
        if statement % 1024 == 1023 or statement + 1 == n:
            tell(statement + 1)
        return lib.TS_OK if tell.error is None else lib.TS_ERR_CANCELLED

    diag = _new_diag()
    if n:
        st = lib.ts_engine_pairs(engine, m, po, on_matches, ffi.NULL, diag)
        if tell.error is not None:
            raise tell.error
        _check(st, diag)
    np.cumsum(indptr, out=indptr)
    rec = np.frombuffer(found, dtype=[("j", "<u4"), ("s", "<f4")])
    return sp.csr_matrix((rec["s"].copy(), rec["j"].astype(np.int32), indptr), shape=(n, n))


def _search(texts, against, top_k, min_score, cross_source, sources, backend, device,
            on_invalid, options):
    if cross_source or sources is not None:
        raise ValueError("cross_source and sources do not apply with against: queries and "
                         "archive are different statements already")
    with _Keep() as keep:
        o = _vectorizer(keep, options)
        archive = _build(_statements(against, on_invalid), o)
    out = ffi.new("ts_tfidf **")
    diag = _new_diag()
    _check(lib.ts_tfidf_transform(out, archive, _statements(texts, on_invalid), diag), diag)
    queries = ffi.gc(out[0], lib.ts_tfidf_free)
    nq, na = lib.ts_tfidf_rows(queries), lib.ts_tfidf_rows(archive)
    return _collect_search(nq, na, top_k, min_score, backend, device,
                           lambda engine, po, fn, diag: lib.ts_engine_search(
                               engine, queries, archive, po, fn, ffi.NULL, diag))


def _collect_search(nq, na, top_k, min_score, backend, device, run):
    """The (nq, na) CSR of run(engine, options, callback, diag), a search."""
    if not (0 <= int(top_k) <= 1024):
        raise ValueError(f"top_k must be 0 (no limit) to 1024, not {top_k!r}")
    po = ffi.new("ts_pairs_options *")
    lib.ts_pairs_options_init(po)
    po.top_k = int(top_k)
    po.min_score = float(min_score)
    indptr = np.zeros(nq + 1, dtype=np.int64)
    found = bytearray()

    @ffi.callback("ts_status(void *, uint32_t, const ts_match *, size_t)",
                  error=lib.TS_ERR_CANCELLED)
    def on_matches(user, statement, matches, k):
        if k:
            found.extend(ffi.buffer(matches, 8 * k))
        indptr[statement + 1] = k
        return lib.TS_OK

    engine = _engine(backend, device)
    diag = _new_diag()
    _check(run(engine, po, on_matches, diag), diag)
    np.cumsum(indptr, out=indptr)
    rec = np.frombuffer(found, dtype=[("j", "<u4"), ("s", "<f4")])
    return sp.csr_matrix((rec["s"].copy(), rec["j"].astype(np.int32), indptr), shape=(nq, na))


class Index:
    """A saved TF-IDF model and its archive (textsim index; docs/FORMAT.md):
    fit once, search many times.  Build one from a list of strings (each
    one statement) with Index.build(texts, **tfidf_options), or open a file
    written by textsim index build or Index.save with Index.open(path)
    (mapped, checked; a damaged file raises textsim.Error).

        ix = textsim.Index.build(archive_texts, stop_words="english")
        ix.add(more_texts)             # weighted with the model as it is
        ix.save("archive.tsidx")       # atomic; same input, same bytes
        R = textsim.Index.open("archive.tsidx").search(queries, top_k=10)

    search gives a scipy CSR of shape (len(queries), len(index)): row q holds
    query q's best archive statements (columns: statement numbers in index
    order, as ids() names them), the same as sorting the rows of
    TfidfVectorizer().fit(archive).transform(queries) @ archive_rows.T."""

    def __init__(self, handle):
        self._h = handle

    @classmethod
    def build(cls, texts, *, on_invalid="error", **options):
        """Fit the model on texts (a list of str) and keep them as the archive,
        one source named "texts"; options are tfidf()'s."""
        with _Keep() as keep:
            o = _vectorizer(keep, options)
            corpus = _statements(texts, on_invalid)
            out = ffi.new("ts_index **")
            diag = _new_diag()
            _check(lib.ts_index_build(out, corpus, o, diag), diag)
        return cls(ffi.gc(out[0], lib.ts_index_free))

    @classmethod
    def open(cls, path):
        """Open an index file (memory-mapped, every section checked)."""
        out = ffi.new("ts_index **")
        diag = _new_diag()
        _check(lib.ts_index_open(out, os.fsencode(path), diag), diag)
        return cls(ffi.gc(out[0], lib.ts_index_free))

    def add(self, texts, *, on_invalid="error"):
        """Append texts, weighted with the model as it is (scikit-learn's
        transform: vocabulary and IDF unchanged, unknown terms dropped);
        numbered after the source "texts"'s statements."""
        diag = _new_diag()
        _check(lib.ts_index_add(self._h, _statements(texts, on_invalid), diag), diag)
        return self

    def save(self, path):
        """Write the index to path atomically (the old file stays on failure)."""
        diag = _new_diag()
        _check(lib.ts_index_save(self._h, os.fsencode(path), diag), diag)

    def __len__(self):
        return lib.ts_index_statement_count(self._h)

    def ids(self):
        """Each archive statement's id, SOURCE:INDEX, in index order."""
        out = []
        for i in range(len(self)):
            s = lib.ts_index_statement(self._h, i)
            name = ffi.string(lib.ts_index_source_name(self._h, s.source)).decode()
            out.append(f"{name}:{s.index}")
        return out

    def text(self, i):
        """Archive statement i's text."""
        if not 0 <= i < len(self):
            raise IndexError(f"statement {i} of {len(self)}")
        s = lib.ts_index_statement(self._h, i)
        return ffi.unpack(s.text, s.length).decode("utf-8", "surrogatepass")

    def get_feature_names_out(self):
        """The model's terms, in column order."""
        return np.array(_vocabulary(lib.ts_index_model(self._h)), dtype=object)

    def rows(self):
        """The archive's TF-IDF rows: scipy CSR float32, len(self) x terms."""
        return _csr(lib.ts_index_model(self._h), np.float32)

    def transform(self, texts, *, on_invalid="error"):
        """texts weighted with the index's model (scikit-learn's transform):
        scipy CSR float32, len(texts) x terms, the columns of rows()."""
        out = ffi.new("ts_tfidf **")
        diag = _new_diag()
        _check(lib.ts_tfidf_transform(out, lib.ts_index_model(self._h),
                                      _statements(texts, on_invalid), diag), diag)
        return _csr(ffi.gc(out[0], lib.ts_tfidf_free), np.float32)

    def search(self, texts, top_k=10, min_score=0.0, *, backend="auto", device=None,
               on_invalid="error"):
        """Each query's best archive statements: a (len(texts), len(self))
        scipy CSR, at most top_k per row (0: all), scores >= min_score and
        > 0, computed over a queries x archive plan."""
        queries = _statements(texts, on_invalid)
        nq = lib.ts_corpus_statement_count(queries)
        return _collect_search(nq, len(self), top_k, min_score, backend, device,
                               lambda engine, po, fn, diag: lib.ts_index_search(
                                   engine, self._h, queries, po, fn, ffi.NULL, diag))

    def __repr__(self):
        m = lib.ts_index_model(self._h)
        return (f"<textsim.Index: {len(self)} statements, {lib.ts_tfidf_cols(m)} terms, "
                f"{lib.ts_tfidf_nnz(m)} non-zeros>")


def devices():
    """Every OpenCL device, as a list of dicts (platform, device, name,
    vendor, version, driver, is_gpu, is_cpu, compute_units, global_memory,
    local_memory, max_allocation, default); [] when no platform is installed."""
    out = ffi.new("ts_device_info **")
    count = ffi.new("size_t *")
    default = ffi.new("size_t *")
    diag = _new_diag()
    st = lib.ts_devices_list(out, count, default, diag)
    if st == lib.TS_ERR_NO_PLATFORM:
        return []
    _check(st, diag)
    result = []
    try:
        for i in range(count[0]):
            d = out[0][i]
            text = lambda f: ffi.string(getattr(d, f)).decode("utf-8", "replace")
            result.append({"platform": d.platform, "device": d.device,
                           "platform_name": text("platform_name"), "name": text("name"),
                           "vendor": text("vendor"), "version": text("version"),
                           "driver": text("driver"), "is_gpu": bool(d.is_gpu),
                           "is_cpu": bool(d.is_cpu), "compute_units": d.compute_units,
                           "global_memory": d.global_memory, "local_memory": d.local_memory,
                           "max_allocation": d.max_allocation, "default": i == default[0]})
    finally:
        lib.ts_devices_free(out[0])
    return result


class Alignment:
    """What align() found.

    statements: one dict per statement (id, source, index, offset, text,
        tokens, flag: "" or "short"/"excluded", cluster, status: "clustered",
        "matched", "unique" or "flagged", best_match and best_score: its best
        match in another source at or above the threshold, or None, why: for
        a matched statement, why it is in no shared cluster)
    pairs: one dict per matched pair (a, b: statement ids; score: the word
        cosine; model_score: the match model's score, None under the cosine
        rule; cluster, 0 when clustering refused the pair; reasons: what
        carried it under the model; terms; numbers_a, numbers_b; discrepancy)
    clusters: one list of statement ids per cluster, numbered from 1 (the
        list's first entry is cluster 1), by support descending
    backend, device: what computed it.
    """

    def __init__(self, statements, pairs, clusters, backend, device):
        self.statements, self.pairs, self.clusters = statements, pairs, clusters
        self.backend, self.device = backend, device

    def to_pandas(self):
        """{"statements", "pairs", "clusters"} as pandas DataFrames (pandas
        must be installed)."""
        import pandas as pd
        clusters = [{"cluster": c + 1, "support": len({self._source[m] for m in members}),
                     "members": "; ".join(members)} for c, members in enumerate(self.clusters)]
        return {"statements": pd.DataFrame(self.statements),
                "pairs": pd.DataFrame(self.pairs, columns=_PAIR_COLUMNS),
                "clusters": pd.DataFrame(clusters, columns=["cluster", "support", "members"])}

    @property
    def _source(self):
        return {s["id"]: s["source"] for s in self.statements}

    def __repr__(self):
        return (f"<textsim.Alignment: {len(self.statements)} statements, {len(self.pairs)} "
                f"pairs, {len(self.clusters)} clusters>")


_STATUS = {lib.TS_ALIGNMENT_CLUSTERED: "clustered", lib.TS_ALIGNMENT_MATCHED: "matched",
           lib.TS_ALIGNMENT_UNIQUE: "unique", lib.TS_ALIGNMENT_FLAGGED: "flagged"}
_PAIR_COLUMNS = ["a", "b", "score", "model_score", "cluster", "reasons", "terms", "numbers_a",
                 "numbers_b", "discrepancy"]
ALIGN_DEFAULTS = {"sublinear_tf": True, "stem": "english"}


def align(texts_or_paths, sources=None, *, threshold=None, match="mutual", min_tokens=5,
          exclude=None, builtin_exclude=True, restatements=1, top_terms=5,
          match_model=None, candidate_floor=0.1,
          segment="sentence", locale=None,
          backend="auto", device=None, on_invalid="error", **options):
    """Aligns the statements of several sources, as `textsim align`: each
    entry is a text to split into statements (one source each, named by
    `sources` or "0", "1", ...), or an os.PathLike path read as the CLI reads
    it (a file, a directory, JSONL, TSV, CSV, HTML; with `sources`, each path
    must be one source, which takes that name).  `locale` ("de", "fr_CH")
    segments the statements and reads their numbers; a list gives each entry
    its own.  match_model: None (the word cosine decides, threshold 0.2 by
    default), "msrp" (the bundled match model) or a model file's path;
    threshold None takes the rule's default.  restatements: the most per
    source and cluster (True is 1, False 0).  Returns an Alignment."""
    if isinstance(texts_or_paths, (str, bytes)):
        raise TypeError("texts_or_paths must be a list (of texts or paths)")
    entries = list(texts_or_paths)
    if sources is not None and len(sources) != len(entries):
        raise ValueError(f"sources has {len(sources)} names for {len(entries)} entries")
    locales = list(locale) if isinstance(locale, (list, tuple)) else [locale] * len(entries)
    # as the CLI: one locale whose language Snowball stems ("de") is the default stemmer
    language = re.match(r"([A-Za-z]{2,3})(?![A-Za-z])", locale) if isinstance(locale, str) else None
    code = language.group(1).lower() if language else "en"
    if "stem" not in options and code != "en" and lib.ts_stemmer_exists(code.encode()):
        options = dict(options, stem=code)
    if len(locales) != len(entries):
        raise ValueError(f"locale has {len(locales)} locales for {len(entries)} entries")
    ro = ffi.new("ts_read_options *")
    lib.ts_read_options_init(ro)
    ro.segment = _choice("segment", segment, _SEGMENT)
    ro.on_invalid = _choice("on_invalid", on_invalid, _INVALID)
    with _Keep() as keep:
        cptr = ffi.new("ts_corpus **")
        _check(lib.ts_corpus_create(cptr), _new_diag())
        corpus = ffi.gc(cptr[0], lib.ts_corpus_free)
        for i, entry in enumerate(entries):
            diag = _new_diag()
            ro.locale = keep.cstr(locales[i])
            if isinstance(entry, os.PathLike):
                before = lib.ts_corpus_source_count(corpus)
                st = lib.ts_corpus_add_path(corpus, os.fsencode(entry), ro, diag)
                if st == lib.TS_OK and sources is not None:  # a file: its outlet's name
                    if lib.ts_corpus_source_count(corpus) != before + 1:
                        raise ValueError(f"sources[{i}]: {entry} holds several sources; name "
                                         f"a file, or leave sources out")
                    st = lib.ts_corpus_rename_source(corpus, before, str(sources[i]).encode(),
                                                     diag)
            elif isinstance(entry, str):
                name = str(sources[i]) if sources is not None else str(i)
                data = entry.encode("utf-8", "surrogatepass")
                st = lib.ts_corpus_add_text(corpus, name.encode(), data, len(data),
                                            f"texts_or_paths[{i}]".encode(), ro, diag)
            else:
                raise TypeError(f"texts_or_paths[{i}] must be a str (a text) or an "
                                f"os.PathLike (a path), not {type(entry).__name__}")
            _check(st, diag)
        if lib.ts_corpus_statement_count(corpus) == 0:
            raise Error("TS_ERR_EMPTY", "the inputs hold no statements (only empty or "
                        "white-space text)")
        o = _vectorizer(keep, options, ALIGN_DEFAULTS)
        m = _build(corpus, o)
        ao = ffi.new("ts_alignment_options *")
        lib.ts_alignment_options_init(ao)
        ao.threshold = 0.0 if threshold is None else float(threshold)
        ao.match_model = keep.cstr(match_model)
        ao.candidate_floor = float(candidate_floor)
        ao.match = _choice("match", match, _MATCH)
        ao.min_tokens = int(min_tokens)
        ao.exclude = keep.cstr(exclude)
        ao.builtin_exclude = int(bool(builtin_exclude))
        ao.restatements = int(restatements)
        ao.top_terms = int(top_terms)
        engine = _engine(backend, device)
        out = ffi.new("ts_alignment **")
        diag = _new_diag()
        _check(lib.ts_alignment_run(out, engine, corpus, m, ao, ffi.NULL, ffi.NULL, diag), diag)
        al = ffi.gc(out[0], lib.ts_alignment_free)
        return _collect(corpus, al, engine)


def _collect(corpus, al, engine):
    text = lambda p: ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else ""
    sources = [text(lib.ts_corpus_source_name(corpus, s))
               for s in range(lib.ts_corpus_source_count(corpus))]
    statements, ids = [], []
    n = lib.ts_corpus_statement_count(corpus)
    for i in range(n):
        s = lib.ts_corpus_statement(corpus, i)
        ids.append(f"{sources[s.source]}:{s.index}")
    other, score = ffi.new("size_t *"), ffi.new("float *")
    for i in range(n):
        s = lib.ts_corpus_statement(corpus, i)
        flags = lib.ts_alignment_statement_flags(al, i)
        link = lib.ts_alignment_statement_link(al, i, other, score)
        linked = (ids[other[0]], float(score[0])) if link else (None, None)
        has_best = lib.ts_alignment_statement_best(al, i, other, score)
        statements.append({"id": ids[i], "source": sources[s.source], "index": s.index,
                           "offset": s.offset,
                           "text": ffi.unpack(s.text, s.length).decode("utf-8", "replace"),
                           "tokens": lib.ts_alignment_statement_tokens(al, i),
                           "flag": "short" if flags & 1 else "excluded" if flags & 2 else "",
                           "cluster": lib.ts_alignment_cluster_of(al, i),
                           "status": _STATUS[lib.ts_alignment_statement_status(al, i)],
                           "best_match": ids[other[0]] if has_best else None,
                           "best_score": float(score[0]) if has_best else None,
                           "why": text(lib.ts_alignment_statement_reason(al, i)),
                           "link": linked[0], "link_score": linked[1],
                           "restatement": link == 2})
    pairs = []
    for k in range(lib.ts_alignment_pair_count(al)):
        p = lib.ts_alignment_pair(al, k)
        model = lib.ts_alignment_uses_model(al)
        pairs.append({"a": ids[p.a], "b": ids[p.b], "score": float(p.score),
                      "model_score": float(p.model_score) if model else None,
                      "cluster": p.cluster, "reasons": text(lib.ts_alignment_pair_reasons(al, k)),
                      "terms": text(lib.ts_alignment_pair_terms(al, k)),
                      "numbers_a": text(lib.ts_alignment_pair_numbers(al, k, 0)),
                      "numbers_b": text(lib.ts_alignment_pair_numbers(al, k, 1)),
                      "discrepancy": text(lib.ts_alignment_pair_discrepancy(al, k))})
    clusters = []
    members = ffi.new("const uint32_t **")
    for c in range(1, lib.ts_alignment_cluster_count(al) + 1):
        n = lib.ts_alignment_cluster_members(al, c, members)
        clusters.append([ids[members[0][j]] for j in range(n)])
    return Alignment(statements, pairs, clusters, text(lib.ts_engine_backend_name(engine)),
                     text(lib.ts_engine_device_name(engine)))
