"""The C library through cffi in ABI mode: the declarations of textsim.h that
the package uses, and the shared library they are looked up in.

ABI mode needs no compiler at install time; the price is that these
declarations must match the header's, which tests/test_binding.py checks
against a C compiler's sizeof and offsetof for every struct.

The library is, in order: $TEXTSIM_LIBRARY; the libtextsim.so the package
build put beside this file (_lib/); the one the system's loader finds
(an installed textsim, `make install`).
"""
import ctypes.util
import glob
import os

from cffi import FFI

CDEF = r"""
typedef enum ts_status {
    TS_OK = 0, TS_ERR_NOMEM, TS_ERR_ARG, TS_ERR_IO, TS_ERR_UTF8, TS_ERR_NUL, TS_ERR_PARSE,
    TS_ERR_DUPLICATE, TS_ERR_EMPTY, TS_ERR_UNICODE, TS_ERR_STEMMER, TS_ERR_NO_PLATFORM,
    TS_ERR_DEVICE, TS_ERR_BUILD, TS_ERR_OPENCL, TS_ERR_DEVICE_MEMORY, TS_ERR_TOO_LARGE,
    TS_ERR_CANCELLED, TS_ERR_INTERNAL, TS_ERR_FORMAT, TS_STATUS_COUNT
} ts_status;

unsigned ts_version_number(void);
const char *ts_version_string(void);
int ts_stemmer_exists(const char *language);
const char *ts_status_message(ts_status status);
const char *ts_status_name(ts_status status);

typedef struct ts_diag {
    ts_status status;
    char path[1024];
    uint64_t line;
    uint64_t byte_offset;
    char message[4096];
} ts_diag;
void ts_diag_clear(ts_diag *diag);

typedef enum ts_format {
    TS_FORMAT_AUTO = 0, TS_FORMAT_TEXT, TS_FORMAT_DIR, TS_FORMAT_JSONL, TS_FORMAT_TSV,
    TS_FORMAT_CSV, TS_FORMAT_HTML
} ts_format;
typedef enum ts_segment_mode { TS_SEGMENT_SENTENCE = 0, TS_SEGMENT_LINE } ts_segment_mode;
typedef enum ts_invalid_policy { TS_INVALID_ERROR = 0, TS_INVALID_REPLACE } ts_invalid_policy;

typedef struct ts_read_options {
    ts_format format;
    ts_segment_mode segment;
    ts_invalid_policy on_invalid;
    const char *locale;
    const char *text_column;
    const char *source_column;
} ts_read_options;
void ts_read_options_init(ts_read_options *options);

typedef struct ts_statement {
    const char *text;
    size_t length;
    uint32_t source;
    uint32_t index;
    uint64_t offset;
} ts_statement;

typedef struct ts_corpus ts_corpus;
ts_status ts_corpus_create(ts_corpus **out);
void ts_corpus_free(ts_corpus *corpus);
ts_status ts_corpus_add_path(ts_corpus *corpus, const char *path,
                             const ts_read_options *options, ts_diag *diag);
ts_status ts_corpus_add_text(ts_corpus *corpus, const char *source, const char *text,
                             size_t length, const char *origin,
                             const ts_read_options *options, ts_diag *diag);
ts_status ts_corpus_add_statements(ts_corpus *corpus, const char *source,
                                   const char *const *texts, const size_t *lengths,
                                   size_t count, const char *origin,
                                   const ts_read_options *options, ts_diag *diag);
size_t ts_corpus_source_count(const ts_corpus *corpus);
const char *ts_corpus_source_name(const ts_corpus *corpus, size_t source);
const char *ts_corpus_source_origin(const ts_corpus *corpus, size_t source);
ts_status ts_corpus_rename_source(ts_corpus *corpus, size_t source, const char *name,
                                  ts_diag *diag);
const char *ts_corpus_source_locale(const ts_corpus *corpus, size_t source);
ts_status ts_corpus_set_source_locale(ts_corpus *corpus, size_t source, const char *locale,
                                      ts_diag *diag);
size_t ts_corpus_statement_count(const ts_corpus *corpus);
ts_statement ts_corpus_statement(const ts_corpus *corpus, size_t i);

typedef enum ts_analyzer { TS_ANALYZER_WORD = 0, TS_ANALYZER_CHAR_WB, TS_ANALYZER_CHAR } ts_analyzer;
typedef enum ts_token_rule { TS_TOKENS_SKLEARN = 0, TS_TOKENS_UNICODE_WORDS } ts_token_rule;
typedef enum ts_accents { TS_ACCENTS_KEEP = 0, TS_ACCENTS_ASCII, TS_ACCENTS_UNICODE } ts_accents;
typedef enum ts_case { TS_CASE_NONE = 0, TS_CASE_LOWER, TS_CASE_FOLD } ts_case;
typedef enum ts_norm { TS_NORM_NONE = 0, TS_NORM_L2, TS_NORM_L1 } ts_norm;

typedef struct ts_vectorizer_options {
    ts_case lowercase;
    ts_analyzer analyzer;
    ts_token_rule tokens;
    const char *token_pattern;
    ts_accents strip_accents;
    unsigned ngram_min;
    unsigned ngram_max;
    const char *stop_words;
    const char *stem;
    double min_df;
    int min_df_is_fraction;
    double max_df;
    int max_df_is_fraction;
    size_t max_features;
    const char *vocabulary;
    int use_idf;
    int smooth_idf;
    int sublinear_tf;
    int binary;
    ts_norm norm;
    int double_weights;
    double name_weight;
} ts_vectorizer_options;
void ts_vectorizer_options_init(ts_vectorizer_options *options);

typedef struct ts_tfidf ts_tfidf;
ts_status ts_tfidf_build(ts_tfidf **out, const ts_corpus *corpus,
                         const ts_vectorizer_options *options, ts_diag *diag);
void ts_tfidf_free(ts_tfidf *tfidf);
ts_status ts_tfidf_transform(ts_tfidf **out, const ts_tfidf *model, const ts_corpus *corpus,
                             ts_diag *diag);
size_t ts_tfidf_rows(const ts_tfidf *tfidf);
size_t ts_tfidf_cols(const ts_tfidf *tfidf);
size_t ts_tfidf_nnz(const ts_tfidf *tfidf);
const char *ts_tfidf_term(const ts_tfidf *tfidf, size_t col);
double ts_tfidf_idf(const ts_tfidf *tfidf, size_t col);
size_t ts_tfidf_row(const ts_tfidf *tfidf, size_t row, const uint32_t **cols,
                    const float **values);
size_t ts_tfidf_row_double(const ts_tfidf *tfidf, size_t row, const uint32_t **cols,
                           const double **values);

typedef struct ts_device_info {
    unsigned platform;
    unsigned device;
    char platform_name[128];
    char name[128];
    char vendor[128];
    char version[128];
    char driver[128];
    int is_gpu;
    int is_cpu;
    unsigned compute_units;
    uint64_t global_memory;
    uint64_t local_memory;
    uint64_t max_allocation;
} ts_device_info;
ts_status ts_devices_list(ts_device_info **out, size_t *count, size_t *default_index,
                          ts_diag *diag);
void ts_devices_free(ts_device_info *devices);

typedef enum ts_backend_kind { TS_BACKEND_AUTO = 0, TS_BACKEND_OPENCL, TS_BACKEND_CPU } ts_backend_kind;
typedef struct ts_engine_options {
    ts_backend_kind backend;
    const char *device;
    size_t tile_rows;
    size_t tile_cols;
    uint64_t max_device_memory;
    const char *kernel_defines;
} ts_engine_options;
void ts_engine_options_init(ts_engine_options *options);

typedef struct ts_engine ts_engine;
ts_status ts_engine_create(ts_engine **out, const ts_engine_options *options, ts_diag *diag);
void ts_engine_free(ts_engine *engine);
const char *ts_engine_backend_name(const ts_engine *engine);
const char *ts_engine_device_name(const ts_engine *engine);
int ts_engine_fell_back(const ts_engine *engine);

typedef struct ts_tile {
    size_t row0, nrows;
    size_t col0, ncols;
    size_t ld;
    const float *scores;
} ts_tile;
typedef ts_status (*ts_tile_fn)(void *user, const ts_tile *tile);
ts_status ts_engine_similarity(ts_engine *engine, const ts_tfidf *tfidf, ts_tile_fn fn,
                               void *user, ts_diag *diag);

typedef struct ts_pairs_options {
    uint32_t top_k;
    float min_score;
    int cross_source;
    const uint32_t *groups;
} ts_pairs_options;
void ts_pairs_options_init(ts_pairs_options *options);
typedef struct ts_match {
    uint32_t statement;
    float score;
} ts_match;
typedef ts_status (*ts_matches_fn)(void *user, uint32_t statement, const ts_match *matches,
                                   size_t n);
ts_status ts_engine_pairs(ts_engine *engine, const ts_tfidf *tfidf,
                          const ts_pairs_options *options, ts_matches_fn fn, void *user,
                          ts_diag *diag);
ts_status ts_engine_search(ts_engine *engine, const ts_tfidf *queries, const ts_tfidf *archive,
                           const ts_pairs_options *options, ts_matches_fn fn, void *user,
                           ts_diag *diag);

typedef struct ts_index ts_index;
ts_status ts_index_build(ts_index **out, const ts_corpus *corpus,
                         const ts_vectorizer_options *options, ts_diag *diag);
ts_status ts_index_open(ts_index **out, const char *path, ts_diag *diag);
ts_status ts_index_add(ts_index *index, const ts_corpus *corpus, ts_diag *diag);
ts_status ts_index_save(const ts_index *index, const char *path, ts_diag *diag);
void ts_index_free(ts_index *index);
const ts_tfidf *ts_index_model(const ts_index *index);
size_t ts_index_statement_count(const ts_index *index);
size_t ts_index_source_count(const ts_index *index);
const char *ts_index_source_name(const ts_index *index, size_t source);
ts_statement ts_index_statement(const ts_index *index, size_t i);
ts_status ts_index_search(ts_engine *engine, const ts_index *index, const ts_corpus *queries,
                          const ts_pairs_options *options, ts_matches_fn fn, void *user,
                          ts_diag *diag);

typedef enum ts_match_mode { TS_MATCH_MUTUAL = 0, TS_MATCH_ASSIGNMENT } ts_match_mode;
typedef struct ts_alignment_options {
    double threshold;
    ts_match_mode match;
    unsigned min_tokens;
    const char *exclude;
    int builtin_exclude;
    unsigned top_terms;
    size_t heatmap_size;
    int restatements;
    const char *match_model;
    double candidate_floor;
} ts_alignment_options;
void ts_alignment_options_init(ts_alignment_options *options);

typedef struct ts_alignment ts_alignment;
ts_status ts_alignment_run(ts_alignment **out, ts_engine *engine, const ts_corpus *corpus,
                           const ts_tfidf *tfidf, const ts_alignment_options *options,
                           ts_tile_fn tile_fn, void *tile_user, ts_diag *diag);
void ts_alignment_free(ts_alignment *alignment);
unsigned ts_alignment_statement_flags(const ts_alignment *alignment, size_t statement);
unsigned ts_alignment_statement_tokens(const ts_alignment *alignment, size_t statement);
typedef enum ts_alignment_status {
    TS_ALIGNMENT_CLUSTERED = 0, TS_ALIGNMENT_MATCHED, TS_ALIGNMENT_UNIQUE, TS_ALIGNMENT_FLAGGED
} ts_alignment_status;
ts_alignment_status ts_alignment_statement_status(const ts_alignment *alignment,
                                                  size_t statement);
int ts_alignment_statement_best(const ts_alignment *alignment, size_t statement,
                                size_t *other, float *score);
const char *ts_alignment_statement_reason(const ts_alignment *alignment, size_t statement);
typedef struct ts_aligned_pair {
    size_t a, b;
    float score;
    size_t cluster;
    int discrepancy;
    float model_score;
    float char_cosine;
} ts_aligned_pair;
size_t ts_alignment_pair_count(const ts_alignment *alignment);
ts_aligned_pair ts_alignment_pair(const ts_alignment *alignment, size_t i);
const char *ts_alignment_pair_terms(const ts_alignment *alignment, size_t i);
const char *ts_alignment_pair_numbers(const ts_alignment *alignment, size_t i, int side);
const char *ts_alignment_pair_discrepancy(const ts_alignment *alignment, size_t i);
const char *ts_alignment_pair_reasons(const ts_alignment *alignment, size_t i);
int ts_alignment_uses_model(const ts_alignment *alignment);
double ts_alignment_threshold(const ts_alignment *alignment);
size_t ts_alignment_cluster_count(const ts_alignment *alignment);
size_t ts_alignment_cluster_members(const ts_alignment *alignment, size_t cluster,
                                    const uint32_t **members);
size_t ts_alignment_cluster_of(const ts_alignment *alignment, size_t statement);
size_t ts_alignment_cluster_support(const ts_alignment *alignment, size_t cluster);
int ts_alignment_statement_link(const ts_alignment *alignment, size_t statement,
                                size_t *other, float *score);
"""

# The structs whose layout tests/test_binding.py compares with the C compiler's.
STRUCTS = ["ts_diag", "ts_read_options", "ts_statement", "ts_vectorizer_options",
           "ts_device_info", "ts_engine_options", "ts_tile", "ts_pairs_options", "ts_match",
           "ts_alignment_options", "ts_aligned_pair"]

ffi = FFI()
ffi.cdef(CDEF)


def _candidates():
    env = os.environ.get("TEXTSIM_LIBRARY")
    if env:
        yield env
        return
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_lib")
    yield from sorted(glob.glob(os.path.join(here, "libtextsim.so*")), key=len)
    found = ctypes.util.find_library("textsim")
    if found:
        yield found


def _load():
    tried = []
    for path in _candidates():
        try:
            return ffi.dlopen(path), path
        except OSError as e:
            tried.append(f"{path}: {e}")
    raise ImportError(
        "textsim: cannot load the C library libtextsim.so ("
        + ("; ".join(tried) if tried else "none found")
        + "); install the package with pip from the textsim source tree, run "
        "`make install`, or set TEXTSIM_LIBRARY to the library's path")


lib, library_path = _load()
