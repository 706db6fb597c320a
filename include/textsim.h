/*
 * textsim.h - public API of libtextsim.
 *
 * libtextsim turns several sources that report the same story into statements,
 * weights them as TF-IDF vectors (scikit-learn's TfidfVectorizer semantics) and
 * computes their cosine similarities on an OpenCL device or on the CPU.
 *
 * Conventions:
 *   - Every fallible call returns a ts_status; TS_OK is 0.  A ts_diag, when the
 *     caller passes one (it may be NULL), receives the file, line, byte offset and
 *     a human-readable message that says what to do.  The library never prints,
 *     never aborts and never exits.
 *   - Handles are opaque and come in create/free pairs; every free accepts NULL.
 *   - The library has no global state: two handles never share anything mutable.
 *   - Strings are UTF-8.  Statement text is not NUL-terminated: use its length.
 */
#ifndef TEXTSIM_H
#define TEXTSIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The one version of textsim: CMake reads it from here (project version,
 * libtextsim.so's), and textsim --version prints ts_version_string(). */
#define TS_VERSION_MAJOR 0
#define TS_VERSION_MINOR 6
#define TS_VERSION_PATCH 0
#define TS_VERSION_STRING "0.6.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, as ts_version_number() returns. */
#define TS_VERSION_NUMBER (TS_VERSION_MAJOR * 10000 + TS_VERSION_MINOR * 100 + TS_VERSION_PATCH)

/* The functions libtextsim.so exports; everything else in it is hidden. */
#if defined(TS_BUILDING_LIBRARY) && defined(__GNUC__)
#define TS_API __attribute__((visibility("default")))
#else
#define TS_API
#endif

/* The version of the library linked at run time (the header's may differ). */
TS_API unsigned ts_version_number(void);
TS_API const char *ts_version_string(void);

/* ---------------------------------------------------------------- status */

typedef enum ts_status {
    TS_OK = 0,
    TS_ERR_NOMEM,         /* out of host memory */
    TS_ERR_ARG,           /* invalid argument or option value */
    TS_ERR_IO,            /* a file could not be opened, read or written */
    TS_ERR_UTF8,          /* invalid UTF-8 in a text input */
    TS_ERR_NUL,           /* a NUL byte in a text input */
    TS_ERR_PARSE,         /* malformed JSONL or TSV record */
    TS_ERR_DUPLICATE,     /* two inputs claim the same source name */
    TS_ERR_EMPTY,         /* nothing to work on: no statements, empty vocabulary */
    TS_ERR_UNICODE,       /* ICU failed (segmentation, case mapping) */
    TS_ERR_STEMMER,       /* libstemmer does not know the language */
    TS_ERR_NO_PLATFORM,   /* no OpenCL platform or device is installed */
    TS_ERR_DEVICE,        /* the requested device does not exist or cannot be used */
    TS_ERR_BUILD,         /* an OpenCL kernel failed to build (log in ts_diag) */
    TS_ERR_OPENCL,        /* an OpenCL call failed */
    TS_ERR_DEVICE_MEMORY, /* the device ran out of memory or resources */
    TS_ERR_TOO_LARGE,     /* the input exceeds an index limit */
    TS_ERR_CANCELLED,     /* a callback asked to stop */
    TS_ERR_INTERNAL,      /* a bug in textsim: please report it */
    TS_ERR_FORMAT,        /* a file is not a valid index: truncated, corrupted, foreign,
                             another version or byte order */
    TS_STATUS_COUNT
} ts_status;

/* Short fixed description of a status ("invalid UTF-8"); never NULL. */
TS_API const char *ts_status_message(ts_status status);
/* Symbolic name of a status ("TS_ERR_UTF8"); never NULL. */
TS_API const char *ts_status_name(ts_status status);

#define TS_DIAG_NO_LINE 0
#define TS_DIAG_NO_OFFSET UINT64_MAX

/* Where and why a call failed.  Fields that do not apply are empty, 0 or
 * TS_DIAG_NO_OFFSET.  message already names the place and says what to do. */
typedef struct ts_diag {
    ts_status status;
    char path[1024];      /* file concerned, "" if none */
    uint64_t line;        /* 1-based line, TS_DIAG_NO_LINE if none */
    uint64_t byte_offset; /* 0-based byte offset in the file, or TS_DIAG_NO_OFFSET */
    char message[4096];   /* complete message (may end with a compiler log) */
} ts_diag;

/* Reset a diag to "no error". */
TS_API void ts_diag_clear(ts_diag *diag);

/* ---------------------------------------------------------------- corpus */

typedef enum ts_format {
    TS_FORMAT_AUTO = 0, /* directory -> DIR, *.jsonl -> JSONL, *.tsv -> TSV, *.csv -> CSV,
                           *.html, *.htm, *.xhtml -> HTML, else HTML when the file starts
                           with <!DOCTYPE html> or <html>, else TEXT */
    TS_FORMAT_TEXT,     /* one source per file: the name is the file name without extension */
    TS_FORMAT_DIR,      /* every regular file in a directory (not recursive), sorted by name */
    TS_FORMAT_JSONL,    /* {"source": ..., "text": ...} per line */
    TS_FORMAT_TSV,      /* source<TAB>statement per line, already segmented */
    TS_FORMAT_CSV,      /* RFC 4180 with a header: the text (and source) columns of records */
    TS_FORMAT_HTML      /* one source per page: its visible text, segmented; offsets are
                           byte offsets in the HTML file */
} ts_format;

typedef enum ts_segment_mode {
    TS_SEGMENT_SENTENCE = 0, /* ICU sentence break with abbreviation suppressions */
    TS_SEGMENT_LINE          /* one statement per line */
} ts_segment_mode;

typedef enum ts_invalid_policy {
    TS_INVALID_ERROR = 0, /* invalid UTF-8 or NUL is an error naming the file and byte */
    TS_INVALID_REPLACE    /* each invalid sequence or NUL becomes U+FFFD */
} ts_invalid_policy;

typedef struct ts_read_options {
    ts_format format;
    ts_segment_mode segment;
    ts_invalid_policy on_invalid;
    const char *locale; /* sentence-break locale, and the sources' numbers' (see
                           ts_corpus_source_locale); NULL means "en@ss=standard" */
    /* CSV: the columns (a header name or a 1-based number) of the text (NULL:
     * the one named "text", or the only one) and of the source (NULL: one
     * source named after the file). */
    const char *text_column;
    const char *source_column;
} ts_read_options;

TS_API void ts_read_options_init(ts_read_options *options);

/* One statement.  text points into the corpus and stays valid until the corpus
 * is freed or another input is added.  Its id is "SOURCE:INDEX". */
typedef struct ts_statement {
    const char *text;  /* trimmed statement text, not NUL-terminated */
    size_t length;     /* bytes */
    uint32_t source;   /* source number, 0-based, in order of first appearance */
    uint32_t index;    /* 1-based position within its source */
    uint64_t offset;   /* byte offset of the statement in its source's text (HTML: in
                          the file) */
} ts_statement;

typedef struct ts_corpus ts_corpus;

TS_API ts_status ts_corpus_create(ts_corpus **out);
TS_API void ts_corpus_free(ts_corpus *corpus);

/* Read a file, a directory or "-" (standard input) and add its sources. */
TS_API ts_status ts_corpus_add_path(ts_corpus *corpus, const char *path,
                                    const ts_read_options *options, ts_diag *diag);

/* Add text that belongs to the source `source` (created if new) and segment it
 * according to options->segment.  `origin` names where the text came from, for
 * messages (may be NULL).  Text added to an existing source continues its
 * numbering. */
TS_API ts_status ts_corpus_add_text(ts_corpus *corpus, const char *source, const char *text,
                                    size_t length, const char *origin,
                                    const ts_read_options *options, ts_diag *diag);

/* Add count texts to the source `source` (created if new), each as one
 * statement exactly as given: not segmented, not trimmed, and an empty text
 * is an empty statement (a document without terms, as scikit-learn counts
 * it).  Invalid UTF-8 in texts[i] is an error naming "origin[i]" (or is
 * repaired, per options->on_invalid). */
TS_API ts_status ts_corpus_add_statements(ts_corpus *corpus, const char *source,
                                          const char *const *texts, const size_t *lengths,
                                          size_t count, const char *origin,
                                          const ts_read_options *options, ts_diag *diag);

TS_API size_t ts_corpus_source_count(const ts_corpus *corpus);
TS_API const char *ts_corpus_source_name(const ts_corpus *corpus, size_t source);
/* The input a source came from: its file's path, "stdin", or the origin
 * given to ts_corpus_add_text ("<text>" when none); NULL for no such source. */
TS_API const char *ts_corpus_source_origin(const ts_corpus *corpus, size_t source);
/* Give a source another name (an outlet's, say), used from then on in its
 * statements' ids; TS_ERR_DUPLICATE when another source has that name. */
TS_API ts_status ts_corpus_rename_source(ts_corpus *corpus, size_t source, const char *name,
                                         ts_diag *diag);
/* The locale a source's numbers are read in - decimal and thousands
 * separators, qualifier and unit words (the README's "Numbers"): the read
 * options' locale of the call that created it, or what
 * ts_corpus_set_source_locale set; "en" when neither.  NULL for no such
 * source. */
TS_API const char *ts_corpus_source_locale(const ts_corpus *corpus, size_t source);
/* Read a source's numbers in another locale ("de", "fr_CH", "es"): a
 * language code, optionally with a region; TS_ERR_ARG otherwise. */
TS_API ts_status ts_corpus_set_source_locale(ts_corpus *corpus, size_t source,
                                             const char *locale, ts_diag *diag);
TS_API size_t ts_corpus_statement_count(const ts_corpus *corpus);
/* Statements are in source order, then in index order.  i < statement_count. */
TS_API ts_statement ts_corpus_statement(const ts_corpus *corpus, size_t i);
/* First statement of a source and how many it has. */
TS_API void ts_corpus_source_range(const ts_corpus *corpus, size_t source, size_t *first,
                                   size_t *count);

/* -------------------------------------------------------------- vectorizer */

typedef enum ts_analyzer {
    TS_ANALYZER_WORD = 0, /* word tokens and word n-grams */
    TS_ANALYZER_CHAR_WB,  /* character n-grams inside word boundaries, padded with spaces */
    TS_ANALYZER_CHAR      /* character n-grams over the whole statement */
} ts_analyzer;

typedef enum ts_token_rule {
    TS_TOKENS_SKLEARN = 0,   /* scikit-learn's default (?u)\b\w\w+\b */
    TS_TOKENS_UNICODE_WORDS  /* ICU word break: words and numbers, one character too */
} ts_token_rule;

typedef enum ts_accents {
    TS_ACCENTS_KEEP = 0, /* scikit-learn's strip_accents=None */
    TS_ACCENTS_ASCII,    /* "ascii": NFKD, then every non-ASCII character dropped */
    TS_ACCENTS_UNICODE   /* "unicode": NFKD, then every combining character dropped */
} ts_accents;

typedef enum ts_case {
    TS_CASE_NONE = 0, /* keep case */
    TS_CASE_LOWER,    /* full Unicode lowercase mapping, as Python's str.lower() (sklearn) */
    TS_CASE_FOLD      /* full Unicode case folding (also maps "ß" to "ss") */
} ts_case;

typedef enum ts_norm { TS_NORM_NONE = 0, TS_NORM_L2, TS_NORM_L1 } ts_norm;

typedef struct ts_vectorizer_options {
    ts_case lowercase;       /* default TS_CASE_LOWER */
    ts_analyzer analyzer;    /* default TS_ANALYZER_WORD */
    ts_token_rule tokens;    /* default TS_TOKENS_SKLEARN; word analyzer only */
    const char *token_pattern; /* NULL: the rule above; else an ICU regular expression
                                  whose matches are the tokens, or its one capturing
                                  group's (scikit-learn's token_pattern); word analyzer */
    ts_accents strip_accents;  /* default TS_ACCENTS_KEEP; applied after lowercase */
    unsigned ngram_min;      /* default 1 */
    unsigned ngram_max;      /* default 1 */
    const char *stop_words;  /* NULL: none; "english": sklearn's list; else a file, one word per line */
    const char *stem;        /* NULL: none; else a Snowball language ("english", "porter", ...) */
    double min_df;           /* default 1 (a count) */
    int min_df_is_fraction;  /* 0: min_df is a document count; 1: a fraction of documents */
    double max_df;           /* default 1.0 (a fraction) */
    int max_df_is_fraction;  /* default 1 */
    size_t max_features;     /* 0: all; else keep the N terms most frequent in the corpus
                                (after min_df/max_df; ties at the cut: alphabetical) */
    const char *vocabulary;  /* NULL; else a file of terms, one per line: the columns, in
                                its order (min_df, max_df, max_features then do not apply) */
    int use_idf;             /* default 1 */
    int smooth_idf;          /* default 1 */
    int sublinear_tf;        /* default 0 */
    int binary;              /* default 0; 1: every count is 1 (scikit-learn's binary) */
    ts_norm norm;            /* default TS_NORM_L2 */
    int double_weights;      /* default 0; 1: also keep the weights in double precision
                                (ts_tfidf_row_double) */
    double name_weight;      /* default 1 (off, as scikit-learn): weight factor of terms that
                                the sources write capitalised mid-sentence (names) */
} ts_vectorizer_options;

TS_API void ts_vectorizer_options_init(ts_vectorizer_options *options);
/* Whether libstemmer has a stemmer for `language` (a Snowball name such as
 * "german", or an ISO 639 code such as "de" or "deu"). */
TS_API int ts_stemmer_exists(const char *language);

/* The TF-IDF matrix: one row per statement, one column per term; terms are
 * sorted by their UTF-8 bytes (as scikit-learn sorts its vocabulary). */
typedef struct ts_tfidf ts_tfidf;

TS_API ts_status ts_tfidf_build(ts_tfidf **out, const ts_corpus *corpus,
                                const ts_vectorizer_options *options, ts_diag *diag);
TS_API void ts_tfidf_free(ts_tfidf *tfidf);
/* New statements weighted by a built matrix's model, as scikit-learn's
 * fit(A).transform(B): tokenized with the options `model` was built with
 * (a stop-word file's words as it read them then), terms outside its columns dropped, its
 * IDF and name factors applied, rows normalised; the result has the
 * model's columns and one row per statement of `corpus` (a statement
 * without a known term is an empty row; a corpus of no statements gives
 * no rows).  `model` is not changed, and the result can itself serve as a
 * model (it carries the same columns and options). */
TS_API ts_status ts_tfidf_transform(ts_tfidf **out, const ts_tfidf *model,
                                    const ts_corpus *corpus, ts_diag *diag);

/* The options the matrix's model was built with (its strings belong to the
 * matrix; vocabulary is NULL: the columns are fixed). */
TS_API const ts_vectorizer_options *ts_tfidf_options(const ts_tfidf *tfidf);

TS_API size_t ts_tfidf_rows(const ts_tfidf *tfidf);
TS_API size_t ts_tfidf_cols(const ts_tfidf *tfidf);
TS_API size_t ts_tfidf_nnz(const ts_tfidf *tfidf);
/* Term of a column (NUL-terminated) and its IDF weight (1 when use_idf is 0). */
TS_API const char *ts_tfidf_term(const ts_tfidf *tfidf, size_t col);
TS_API double ts_tfidf_idf(const ts_tfidf *tfidf, size_t col);
/* Non-zeros of a row, columns ascending. */
TS_API size_t ts_tfidf_row(const ts_tfidf *tfidf, size_t row, const uint32_t **cols,
                           const float **values);
/* The same weights in double precision; *values is NULL unless the matrix was
 * built with double_weights. */
TS_API size_t ts_tfidf_row_double(const ts_tfidf *tfidf, size_t row, const uint32_t **cols,
                                  const double **values);

/* ------------------------------------------------------------------ devices */

typedef struct ts_device_info {
    unsigned platform;         /* index of the platform */
    unsigned device;           /* index of the device within its platform */
    char platform_name[128];
    char name[128];
    char vendor[128];
    char version[128];         /* "OpenCL 3.0 ..." */
    char driver[128];
    int is_gpu;
    int is_cpu;
    unsigned compute_units;
    uint64_t global_memory;    /* bytes */
    uint64_t local_memory;     /* bytes */
    uint64_t max_allocation;   /* bytes */
} ts_device_info;

/* List every OpenCL device.  *default_index is the device textsim picks when
 * none is asked for (the first GPU, else the first CPU device).  With no
 * platform installed, returns TS_ERR_NO_PLATFORM.  Free with ts_devices_free. */
TS_API ts_status ts_devices_list(ts_device_info **out, size_t *count, size_t *default_index,
                                 ts_diag *diag);
TS_API void ts_devices_free(ts_device_info *devices);

/* ------------------------------------------------------------------- engine */

typedef enum ts_backend_kind {
    TS_BACKEND_AUTO = 0, /* OpenCL if a platform exists, else cpu (ts_engine_fell_back says so) */
    TS_BACKEND_OPENCL,
    TS_BACKEND_CPU       /* reference on BLIS */
} ts_backend_kind;

typedef struct ts_engine_options {
    ts_backend_kind backend;
    const char *device;       /* "PLATFORM:DEVICE" indices or a name substring; NULL: default */
    size_t tile_rows;         /* rows per tile; 0: automatic */
    size_t tile_cols;         /* columns per tile; 0: automatic */
    uint64_t max_device_memory; /* bytes the engine may allocate on the device; 0: automatic */
    const char *kernel_defines;   /* extra OpenCL build options, e.g. "-DTS_WG=64"; NULL: none */
} ts_engine_options;

TS_API void ts_engine_options_init(ts_engine_options *options);

typedef struct ts_engine ts_engine;

/* Choose the backend and device, build the kernels (once per engine). */
TS_API ts_status ts_engine_create(ts_engine **out, const ts_engine_options *options, ts_diag *diag);
TS_API void ts_engine_free(ts_engine *engine);

/* "opencl" or "cpu". */
TS_API const char *ts_engine_backend_name(const ts_engine *engine);
/* Device name, e.g. "pthread-haswell-AMD EPYC" or "BLIS". */
TS_API const char *ts_engine_device_name(const ts_engine *engine);
/* 1 when TS_BACKEND_AUTO found no OpenCL platform and chose the cpu backend. */
TS_API int ts_engine_fell_back(const ts_engine *engine);
/* The OpenCL compiler's messages from building the kernels, each program's
 * as "kernels/NAME.cl:\n" and its log; "" when the compiler gave none (the
 * cpu backend has none).  A failed build's log is in the ts_diag instead. */
TS_API const char *ts_engine_build_log(const ts_engine *engine);

/* A rectangular block of the similarity matrix: scores[r * ld + c] is the
 * cosine of statement row0 + r with statement col0 + c. */
typedef struct ts_tile {
    size_t row0, nrows;
    size_t col0, ncols;
    size_t ld;
    const float *scores;
} ts_tile;

/* Called for every block; return TS_OK to go on, anything else to stop (the
 * engine then returns that status). */
typedef ts_status (*ts_tile_fn)(void *user, const ts_tile *tile);

/* All-pairs cosine similarity of the rows of `tfidf`, delivered as full row
 * strips (col0 = 0, ncols = rows) in increasing row order.  Memory use is
 * bounded by the strip, never by the whole matrix. */
TS_API ts_status ts_engine_similarity(ts_engine *engine, const ts_tfidf *tfidf, ts_tile_fn fn,
                                      void *user, ts_diag *diag);

/* ------------------------------------------------- pairs: top-k and threshold */

/* Which matches ts_engine_pairs keeps for each statement.  A match of
 * statement a is another statement b (never a itself) whose cosine with a is
 * at least min_score and above 0 (statements that share no term never
 * match).  Every match is listed from both sides: b is a match of a exactly
 * when a is a match of b, unless top_k cuts one of the lists. */
typedef struct ts_pairs_options {
    uint32_t top_k;         /* at most this many matches per statement, best first; 0: all */
    float min_score;        /* keep scores >= min_score (default 0: every positive score) */
    int cross_source;       /* 1: only statements of another group are matches */
    const uint32_t *groups; /* group (e.g. source number) of each statement; needed with
                               cross_source, ignored without it */
} ts_pairs_options;

/* top_k 10, min_score 0, cross_source 0, groups NULL. */
TS_API void ts_pairs_options_init(ts_pairs_options *options);

/* Largest top_k ts_engine_pairs accepts. */
#define TS_PAIRS_MAX_TOP_K 1024u

typedef struct ts_match {
    uint32_t statement; /* 0-based statement number (row of the TF-IDF matrix) */
    float score;
} ts_match;

/* Called once for every statement, in ascending order, as soon as its
 * matches are final, with those matches best first (equal scores: lower
 * statement number first); matches[i] has rank i + 1 and n may be 0.
 * Return TS_OK to go on, anything else to stop (the engine returns it). */
typedef ts_status (*ts_matches_fn)(void *user, uint32_t statement, const ts_match *matches,
                                   size_t n);

/* The matches of every statement (the rows of `tfidf`), without ever
 * holding the N x N matrix: the backend computes one block of at most the
 * device memory limit at a time, keeps on the device only the scores that
 * can still be among a statement's top_k (or reach min_score) and sends
 * those back; each unordered pair is computed once, and with cross_source
 * blocks that lie within one group are not computed at all.  Host memory
 * grows with N * top_k (or with the matches found when top_k is 0).  Exact:
 * the same matches as sorting each row of the full matrix. */
TS_API ts_status ts_engine_pairs(ts_engine *engine, const ts_tfidf *tfidf,
                                 const ts_pairs_options *options, ts_matches_fn fn, void *user,
                                 ts_diag *diag);

/* Each query's best archive statements: for every row of `queries` (in
 * order, once), its matches among the rows of `archive` by the rules of
 * `options` (top_k, min_score; scores > 0; equal scores: the lower archive
 * statement first), computed over a queries x archive plan, never the
 * archive against itself.  `queries` must have the archive's columns:
 * weight them with ts_tfidf_transform(archive) (TS_ERR_ARG otherwise, and
 * with cross_source, which does not apply).  Matches name archive rows.
 * Exact: the sorted rows of the full product. */
TS_API ts_status ts_engine_search(ts_engine *engine, const ts_tfidf *queries,
                                  const ts_tfidf *archive, const ts_pairs_options *options,
                                  ts_matches_fn fn, void *user, ts_diag *diag);

/* ------------------------------------------------------------------ index */

/* A saved TF-IDF model and its archive: the options, the vocabulary and
 * IDF, the archive's statements (sources, ids, offsets, texts) and their
 * rows, in one file (docs/FORMAT.md).  Fit once, search many times: a
 * saved index opens by mapping the file (no copy, no re-tokenizing), and
 * queries are weighted with its model (ts_tfidf_transform). */
typedef struct ts_index ts_index;

/* Fit the model on `corpus` and keep its statements as the archive. */
TS_API ts_status ts_index_build(ts_index **out, const ts_corpus *corpus,
                                const ts_vectorizer_options *options, ts_diag *diag);
/* Open an index file, memory-mapped.  Every section's bounds, checksum and
 * structure are checked first: a truncated, corrupted or foreign file, a
 * wrong version or another byte order is TS_ERR_FORMAT (or TS_ERR_IO) with a
 * message naming the file and the section. */
TS_API ts_status ts_index_open(ts_index **out, const char *path, ts_diag *diag);
/* Append corpus's statements, weighted with the index's model as it is
 * (scikit-learn's transform: vocabulary and IDF unchanged, unknown terms
 * dropped).  A statement of a source the index has continues its
 * numbering.  On failure the index is unchanged. */
TS_API ts_status ts_index_add(ts_index *index, const ts_corpus *corpus, ts_diag *diag);
/* Write the index to `path` atomically (a temporary beside it, synced, then
 * renamed over it): a failure or an interruption leaves the old file.  The
 * same index gives the same bytes. */
TS_API ts_status ts_index_save(const ts_index *index, const char *path, ts_diag *diag);
TS_API void ts_index_free(ts_index *index);

/* The model and the archive's rows (one per statement, in index order). */
TS_API const ts_tfidf *ts_index_model(const ts_index *index);
TS_API size_t ts_index_statement_count(const ts_index *index);
TS_API size_t ts_index_source_count(const ts_index *index);
TS_API const char *ts_index_source_name(const ts_index *index, size_t source);
/* Statement i (text not NUL-terminated, valid while the index lives and
 * is not added to); statements are in the order they were added. */
TS_API ts_statement ts_index_statement(const ts_index *index, size_t i);

/* Each query statement's best archive statements: the queries weighted with
 * the index's model, then ts_engine_search (matches name index
 * statements; options->cross_source does not apply). */
TS_API ts_status ts_index_search(ts_engine *engine, const ts_index *index,
                                 const ts_corpus *queries, const ts_pairs_options *options,
                                 ts_matches_fn fn, void *user, ts_diag *diag);

/* Where the engine's time and bytes went since it was created (or since
 * ts_engine_stats_reset).  Times are seconds; on OpenCL they come from the
 * device's own profiling, on cpu from the host clock. */
typedef struct ts_engine_stats {
    double build_s;          /* building the kernels (at create) */
    double upload_s;         /* matrices and per-block inputs to the device */
    double kernel_s;         /* similarity kernel (cpu: the BLIS products) */
    double select_kernel_s;  /* pairs: the fused similarity-and-selection kernel */
    double download_s;       /* scores and candidates back to the host */
    double select_s;         /* host: merging candidates into each statement's list */
    uint64_t upload_bytes, download_bytes;
    uint64_t blocks;         /* blocks computed */
    uint64_t blocks_skipped; /* blocks never computed (within one group) */
    uint64_t pairs;          /* similarities computed (cells of dense blocks, or pairs
                              * scored exactly by the pruned pairs kernel) */
    uint64_t pairs_pruned;   /* pairs and searches: never scored (bound below the bar, no
                              * shared term) */
    uint64_t products;       /* posting-list entries scanned by the pruned kernel */
    uint64_t products_full;  /* the products of a full sparse product: pairs, sum of df^2
                              * (A * A^T); a pruned search, the archive's df summed over
                              * the queries' entries (Q * A^T) */
    uint64_t candidates;     /* scores sent back by the device's selection */
    uint64_t dense_blocks;   /* blocks whose selection fell back to the host (overflow) */
    uint64_t dense_products; /* multiply-adds of the dense front (OpenCL similarity kernel) */
} ts_engine_stats;

TS_API void ts_engine_get_stats(const ts_engine *engine, ts_engine_stats *stats);
TS_API void ts_engine_stats_reset(ts_engine *engine);

/* ---------------------------------------------------------------- alignment */

typedef enum ts_match_mode {
    TS_MATCH_MUTUAL = 0,   /* mutual best matches at or above the threshold */
    TS_MATCH_ASSIGNMENT    /* maximum-weight one-to-one matching of each source pair */
} ts_match_mode;

/* Why a statement takes no part in alignment (bit flags). */
enum {
    TS_STATEMENT_SHORT = 1u,   /* fewer than min_tokens word tokens */
    TS_STATEMENT_EXCLUDED = 2u /* matches an exclusion pattern */
};

typedef struct ts_alignment_options {
    double threshold;        /* lowest decision score that can match: the cosine, or the
                                match model's score; 0 (default): TS_ALIGN_DEFAULT_THRESHOLD,
                                or the model's own threshold */
    ts_match_mode match;     /* default TS_MATCH_MUTUAL */
    unsigned min_tokens;     /* default 5: shorter statements are flagged, not aligned */
    const char *exclude;     /* file of ICU regular expressions, one per line; NULL: none */
    int builtin_exclude;     /* 1 (default): also the built-in web boilerplate patterns */
    unsigned top_terms;      /* shared terms kept per pair; default 5 */
    size_t heatmap_size;     /* cells per side of the downsampled matrix; default 400 */
    int restatements;        /* most restatements per source and cluster; default 1.  A
                                statement clustering refused only because its best match's
                                cluster holds its source joins that cluster as a restatement
                                when it also matches two of its other sources (the best-linked
                                first); 0: one statement per source in every cluster */
    const char *match_model; /* NULL (default): the word cosine decides; TS_ALIGN_MODEL_MSRP:
                                the bundled match model (data/match-model.json, fitted on
                                MSRP); else a model file of scripts/fit_match_model.py */
    double candidate_floor;  /* with a match model: lowest word cosine a pair needs to be
                                scored; default TS_ALIGN_DEFAULT_FLOOR; in (0, 1] */
} ts_alignment_options;

#define TS_ALIGN_DEFAULT_THRESHOLD 0.2
#define TS_ALIGN_DEFAULT_FLOOR 0.1
#define TS_ALIGN_MODEL_MSRP "msrp"

TS_API void ts_alignment_options_init(ts_alignment_options *options);

typedef struct ts_alignment ts_alignment;

/* Align the statements of `corpus` (rows of `tfidf`) across sources.  When
 * `tile_fn` is not NULL, the whole similarity matrix is computed and each row
 * strip is also passed to it (to write the matrix in the same pass); when it
 * is NULL, only the pairs that can match are selected, as ts_engine_pairs
 * does (statements that take part, from different sources, scoring at least
 * the threshold), and memory grows with them, not with N^2.  Both give the
 * same alignment. */
TS_API ts_status ts_alignment_run(ts_alignment **out, ts_engine *engine, const ts_corpus *corpus,
                                  const ts_tfidf *tfidf, const ts_alignment_options *options,
                                  ts_tile_fn tile_fn, void *tile_user, ts_diag *diag);
TS_API void ts_alignment_free(ts_alignment *alignment);

/* Seconds each step of ts_alignment_run took (wall clock). */
typedef struct ts_alignment_times {
    double flag_s;    /* short and boilerplate statements */
    double scores_s;  /* candidates from the engine (and the matrix strips, if asked) */
    double match_s;   /* matching per source pair */
    double cluster_s; /* clustering and each statement's status */
    double explain_s; /* shared terms, numbers, discrepancies */
    double model_s;   /* the match model's features and scores (0 under the cosine rule) */
} ts_alignment_times;
TS_API void ts_alignment_get_times(const ts_alignment *alignment, ts_alignment_times *times);

/* TS_STATEMENT_* flags of a statement; 0 when it takes part. */
TS_API unsigned ts_alignment_statement_flags(const ts_alignment *alignment, size_t statement);

/* What alignment made of a statement. */
typedef enum ts_alignment_status {
    TS_ALIGNMENT_CLUSTERED = 0, /* in a cluster with statements of other sources */
    TS_ALIGNMENT_MATCHED,       /* an unflagged statement of another source scores at or
                                   above the threshold with it, yet it is in no such
                                   cluster (ts_alignment_statement_reason says why) */
    TS_ALIGNMENT_UNIQUE,        /* no unflagged statement of another source scores at or
                                   above the threshold: reported by its source only */
    TS_ALIGNMENT_FLAGGED        /* took no part: too short or excluded */
} ts_alignment_status;

TS_API ts_alignment_status ts_alignment_statement_status(const ts_alignment *alignment,
                                                         size_t statement);
/* Its best match in another source at or above the threshold (the highest
 * score, then the lowest statement number): 1 with *other and *score set,
 * or 0 when it has none. */
TS_API int ts_alignment_statement_best(const ts_alignment *alignment, size_t statement,
                                       size_t *other, float *score);
/* Why a MATCHED statement is in no cluster with other sources, for a reader
 * ("its best match ap:7 (0.32) matches bbc:9 (0.45) better"); "" for the
 * other statuses. */
TS_API const char *ts_alignment_statement_reason(const ts_alignment *alignment,
                                                 size_t statement);
/* Word tokens of a statement (what min_tokens is compared with). */
TS_API unsigned ts_alignment_statement_tokens(const ts_alignment *alignment, size_t statement);

typedef struct ts_aligned_pair {
    size_t a, b;          /* statements, a < b, from different sources */
    float score;          /* word TF-IDF cosine */
    size_t cluster;       /* cluster holding both, or 0 when clustering refused the pair */
    int discrepancy;      /* 1 when their comparable numbers differ */
    float model_score;    /* the match model's score (what matched them); NaN under the
                             cosine rule */
    float char_cosine;    /* the char_wb cosine the model read; NaN under the cosine rule */
} ts_aligned_pair;

/* Matched pairs, by source pair then by a. */
TS_API size_t ts_alignment_pair_count(const ts_alignment *alignment);
TS_API ts_aligned_pair ts_alignment_pair(const ts_alignment *alignment, size_t i);
/* The pair's shared terms, largest contribution first ("putin; five; hour"). */
TS_API const char *ts_alignment_pair_terms(const ts_alignment *alignment, size_t i);
/* The numbers of each side ("19 percent; 5 hour") and the discrepancy
 * ("percent: 19 vs 20"; "" when none). */
TS_API const char *ts_alignment_pair_numbers(const ts_alignment *alignment, size_t i, int side);
TS_API const char *ts_alignment_pair_discrepancy(const ts_alignment *alignment, size_t i);
/* What carried the pair under the match model, largest contribution to its
 * score first ("character n-grams 0.52 (+1.31); words 0.31 (+1.23)"); ""
 * under the cosine rule. */
TS_API const char *ts_alignment_pair_reasons(const ts_alignment *alignment, size_t i);
/* Whether the match model decided (0: the cosine rule) and the decision
 * threshold it ran with. */
TS_API int ts_alignment_uses_model(const ts_alignment *alignment);
TS_API double ts_alignment_threshold(const ts_alignment *alignment);

/* Clusters are numbered from 1 by support (sources) descending, then by their
 * first statement that matching clustered; every statement is in exactly one
 * cluster.  Members ascend; with restatements a cluster may hold several
 * statements of one source, so its support may be below its member count. */
TS_API size_t ts_alignment_cluster_count(const ts_alignment *alignment);
TS_API size_t ts_alignment_cluster_members(const ts_alignment *alignment, size_t cluster,
                                           const uint32_t **members);
/* The number of sources cluster `cluster` covers (0 for no such cluster). */
TS_API size_t ts_alignment_cluster_support(const ts_alignment *alignment, size_t cluster);
/* The link that brought a member of a multi-source cluster in: the matched
 * pair that merged it, or, for a restatement, its best match.  Returns 0
 * (not in a multi-source cluster), 1 (merged by a match) or 2 (a
 * restatement), with *other and *score set when not 0. */
TS_API int ts_alignment_statement_link(const ts_alignment *alignment, size_t statement,
                                       size_t *other, float *score);
TS_API size_t ts_alignment_cluster_of(const ts_alignment *alignment, size_t statement);

/* The similarity matrix downsampled to size x size cells (the maximum of each
 * block), row-major; bin_start[i] is the first statement of bin i (size + 1
 * entries).  size = min(statements, heatmap_size). */
TS_API const float *ts_alignment_heatmap(const ts_alignment *alignment, size_t *size,
                                         const size_t **bin_start);
/* The lowest score the heatmap holds: 0 when it was made from every pair
 * (ts_alignment_run with a tile_fn), the threshold when only the candidates
 * were computed (cross-source pairs of eligible statements at or above it);
 * cells without one are 0. */
TS_API float ts_alignment_heatmap_floor(const ts_alignment *alignment);

#ifdef __cplusplus
}
#endif
#endif /* TEXTSIM_H */
