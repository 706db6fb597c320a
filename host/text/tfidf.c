/*
 * tfidf.c - the TF-IDF matrix of a corpus, as scikit-learn's TfidfVectorizer.
 *
 * One pass over the statements tokenizes each once (tokenize.c); every term
 * goes through the vocabulary hash table (vocab.c, hand-written because it is
 * the per-token hot path) and each statement's distinct terms are appended as
 * (term id, count) pairs, counting document frequencies on the way.  Terms are
 * queued per statement and interned in a batch that prefetches the table a
 * few terms ahead: with a large vocabulary the lookups are cache misses, and
 * overlapping them is worth about a third of the build time.  Memory is
 * therefore proportional to the distinct terms per statement, not to the text.
 * Then, as CountVectorizer._limit_features and TfidfTransformer do:
 *   - keep terms with low <= df <= high, where high = max_df (a count) or
 *     max_df * n (a fraction), and low likewise from min_df;
 *   - number the kept terms in byte order of their UTF-8, which is Python's
 *     code point order, so columns match sklearn's sorted vocabulary;
 *   - tf = count, or 1 + ln(count) when sublinear; idf = ln((1 + n) / (1 + df)) + 1
 *     when smooth, else ln(n / df) + 1, or 1 without idf;
 *   - weights tf * idf and their l2 / l1 norm in double, stored as float (and
 *     as double too with double_weights).
 * A textsim extension, off by default: with name_weight != 1 the weights of
 * names (names.h: terms the sources write capitalised mid-sentence) are
 * multiplied by name_weight before normalisation.  The same pass counts them:
 * the tokenizer says how each term's token was written, and each term id
 * counts its capitalised occurrences beside its document frequency.
 * Every statement is a row, including those without terms (empty rows).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/sort.h"
#include "names.h"
#include "tfidf_internal.h"
#include "tokenize.h"
#include "vocab.h"

struct ts_tfidf {
    ts_csr csr;
    char *terms;      /* kept terms in column order, each NUL-terminated */
    size_t *term_off; /* cols entries: offset of each term in `terms` */
    double *idf;      /* cols entries */
    double *val64;    /* nnz entries: the weights in double (double_weights), or NULL */
    float *factor;    /* cols entries: name weighting (names.h), 1 for other terms */
    uint32_t *word_tokens; /* rows entries, or NULL: see ts_tfidf_word_tokens */
    char *stem;            /* the Snowball language its terms were stemmed with, or NULL */
    ts_vectorizer_options opt; /* what it was built with, for ts_tfidf_transform: its
                                  strings are copies (pattern, stop_words; stem above), and
                                  vocabulary is NULL (the columns are fixed) */
    char *token_pattern, *stop_words; /* those copies */
    char *stop_list;  /* the words of a stop-word file (its bytes, read once when the
                         model was built), or NULL: transform never reads it again */
    size_t stop_size;
    int borrowed;     /* a view (ts_tfidf_view): csr, terms, idf, factor and val64
                         belong to the caller, and term_off too unless term_off_owned */
    ts_csr postings;  /* a view's posting lists (csr transposed; the caller's), or
                         all zero */
    int term_off_owned;
};

void ts_vectorizer_options_init(ts_vectorizer_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->lowercase = TS_CASE_LOWER;
    options->analyzer = TS_ANALYZER_WORD;
    options->tokens = TS_TOKENS_SKLEARN;
    options->token_pattern = NULL;
    options->strip_accents = TS_ACCENTS_KEEP;
    options->ngram_min = 1;
    options->ngram_max = 1;
    options->stop_words = NULL;
    options->stem = NULL;
    options->min_df = 1;
    options->min_df_is_fraction = 0;
    options->max_df = 1.0;
    options->max_df_is_fraction = 1;
    options->use_idf = 1;
    options->smooth_idf = 1;
    options->sublinear_tf = 0;
    options->binary = 0;
    options->double_weights = 0;
    options->norm = TS_NORM_L2;
    options->name_weight = 1.0;
}

/* ------------------------------------------------------------ counting */

typedef struct builder {
    ts_vocab *vocab;
    uint32_t *df;        /* per term id: statements containing it */
    size_t *last;        /* per term id: index of its latest pair, or SIZE_MAX */
    uint32_t *seen;      /* names only, per term id: occurrences whose case is known */
    uint32_t *capital;   /*   and those of them written capitalised */
    size_t ids_cap;
    uint32_t *pair_id;   /* (term id, count) of each statement's distinct terms */
    uint32_t *pair_count;
    size_t npairs, pairs_cap;
    size_t row_start;    /* first pair of the current statement */
    char *batch;         /* queued terms of the current statement, back to back */
    size_t batch_len, batch_cap;
    struct pending {
        size_t off, len;
        uint64_t hash;
        int casing;      /* ts_term_case */
    } *pend;             /* the queue */
    size_t npend, pend_cap;
    ts_tokenizer *tok;   /* names only: asked for each term's case */
    ts_diag *diag;
} builder;

/* Flush the queue when it holds this many bytes or terms. */
#define BATCH_BYTES 65536
#define BATCH_TERMS 4096
/* Prefetch distances, in terms: the slot, then the term it points to. */
#define AHEAD_SLOT 16
#define AHEAD_TERM 8

static ts_status nomem(ts_diag *diag)
{
    return TS_FAIL(diag, TS_ERR_NOMEM,
                   "out of memory while building the TF-IDF matrix; use a smaller corpus, "
                   "fewer n-grams or a higher --min-df");
}

/* Resize the per-term arrays to `need` entries (capacity shared by all). */
static int grow_ids(builder *b, size_t need)
{
    if (need <= b->ids_cap)
        return 1;
    size_t cap = ts_grow_cap(b->ids_cap, need, sizeof *b->last);
    if (!cap || !ts_resize(&b->df, cap, sizeof *b->df) || !ts_resize(&b->last, cap, sizeof *b->last))
        return 0;
    if (b->tok && (!ts_resize(&b->seen, cap, sizeof *b->seen) ||
                   !ts_resize(&b->capital, cap, sizeof *b->capital)))
        return 0;
    b->ids_cap = cap;
    return 1;
}

static int grow_pairs(builder *b, size_t need)
{
    if (need <= b->pairs_cap)
        return 1;
    size_t cap = ts_grow_cap(b->pairs_cap, need, sizeof *b->pair_id);
    if (!cap || !ts_resize(&b->pair_id, cap, sizeof *b->pair_id) ||
        !ts_resize(&b->pair_count, cap, sizeof *b->pair_count))
        return 0;
    b->pairs_cap = cap;
    return 1;
}

static ts_status add_term(builder *b, const char *term, size_t length, uint64_t hash,
                          int casing)
{
    uint32_t id;
    int added;
    ts_status st = ts_vocab_intern_hashed(b->vocab, term, length, hash, &id, &added);
    if (st == TS_ERR_NOMEM)
        return nomem(b->diag);
    if (st != TS_OK)
        return TS_FAIL(b->diag, st,
                       "the vocabulary exceeds 2^32 - 2 terms (or a term 4 GiB); use fewer "
                       "n-grams or split the corpus");
    if (added) {
        if (!grow_ids(b, (size_t)id + 1))
            return nomem(b->diag);
        b->df[id] = 0;
        b->last[id] = SIZE_MAX;
        if (b->tok)
            b->seen[id] = b->capital[id] = 0;
    }
    if (casing != TS_TERM_CASE_UNKNOWN && b->seen[id] < UINT32_MAX) {
        b->seen[id]++;
        b->capital[id] += casing == TS_TERM_CASE_CAPITAL;
    }
    size_t p = b->last[id];
    if (p != SIZE_MAX && p >= b->row_start) {
        /* Seen earlier in this statement. */
        if (b->pair_count[p] == UINT32_MAX)
            return TS_FAIL(b->diag, TS_ERR_TOO_LARGE,
                           "a term occurs more than 2^32 - 1 times in one statement");
        b->pair_count[p]++;
        return TS_OK;
    }
    if (!grow_pairs(b, b->npairs + 1))
        return nomem(b->diag);
    b->pair_id[b->npairs] = id;
    b->pair_count[b->npairs] = 1;
    b->last[id] = b->npairs++;
    b->df[id]++;
    return TS_OK;
}

static ts_status flush_terms(builder *b)
{
    const struct pending *p = b->pend;
    size_t n = b->npend;
    for (size_t i = 0; i < n && i < AHEAD_SLOT; i++)
        ts_vocab_prefetch(b->vocab, p[i].hash, 0);
    ts_status st = TS_OK;
    for (size_t i = 0; i < n && st == TS_OK; i++) {
        if (i + AHEAD_SLOT < n)
            ts_vocab_prefetch(b->vocab, p[i + AHEAD_SLOT].hash, 0);
        if (i + AHEAD_TERM < n)
            ts_vocab_prefetch(b->vocab, p[i + AHEAD_TERM].hash, 1);
        st = add_term(b, b->batch + p[i].off, p[i].len, p[i].hash, p[i].casing);
    }
    b->npend = 0;
    b->batch_len = 0;
    return st;
}

/* Tokenizer callback: queue the term. */
static ts_status on_term(void *user, const char *term, size_t length)
{
    builder *b = user;
    /* + 1: the batch is allocated even for "" */
    if (!TS_GROW(b->batch, b->batch_cap, b->batch_len + length + 1) ||
        !TS_GROW(b->pend, b->pend_cap, b->npend + 1))
        return nomem(b->diag);
    memcpy(b->batch + b->batch_len, term, length);
    int casing = b->tok ? ts_tokenizer_term_case(b->tok) : TS_TERM_CASE_UNKNOWN;
    b->pend[b->npend++] =
        (struct pending){b->batch_len, length, ts_vocab_hash(term, length), casing};
    b->batch_len += length;
    if (b->batch_len >= BATCH_BYTES || b->npend >= BATCH_TERMS)
        return flush_terms(b);
    return TS_OK;
}

/* ------------------------------------------------------------ options */

static ts_status check_df(double v, int is_fraction, const char *name, ts_diag *diag)
{
    if (is_fraction) {
        if (!(v >= 0.0 && v <= 1.0))
            return TS_FAIL(diag, TS_ERR_ARG,
                           "%s %g is not a valid fraction of statements: give a value in "
                           "[0.0, 1.0], or an integer count >= 1",
                           name, v);
    } else if (!(v >= 1.0 && v <= 4294967295.0 && v == floor(v))) {
        return TS_FAIL(diag, TS_ERR_ARG,
                       "%s %g is not a valid statement count: give an integer >= 1, or a "
                       "fraction in [0.0, 1.0] written with a '.'",
                       name, v);
    }
    return TS_OK;
}

static ts_status check_options(const ts_vectorizer_options *o, ts_diag *diag)
{
    ts_status st = check_df(o->min_df, o->min_df_is_fraction, "min_df", diag);
    if (st == TS_OK)
        st = check_df(o->max_df, o->max_df_is_fraction, "max_df", diag);
    if (st == TS_OK && (unsigned)o->norm > TS_NORM_L1)
        st = TS_FAIL(diag, TS_ERR_ARG, "invalid norm %d; use l2, l1 or none", (int)o->norm);
    if (st == TS_OK && !(o->name_weight >= 0.0 && o->name_weight <= 1.0))
        st = TS_FAIL(diag, TS_ERR_ARG, "name_weight must be in [0, 1], not %g", o->name_weight);
    return st;
}

/* ------------------------------------------------------ vocabulary order */

typedef struct term_ref {
    uint64_t prefix; /* first 8 bytes, big-endian, zero-padded */
    const char *s;
    size_t len;
    uint32_t id;
} term_ref;

static uint64_t term_prefix(const char *s, size_t len)
{
    uint64_t p = 0;
    for (size_t i = 0; i < 8; i++)
        p = p << 8 | (i < len ? (unsigned char)s[i] : 0u);
    return p;
}

/* Byte order of UTF-8 = code point order = Python's sorted().  The prefix
 * decides most comparisons without touching the term bytes. */
static int cmp_term(const void *pa, const void *pb)
{
    const term_ref *a = pa, *b = pb;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

/* --------------------------------------------------------------- build */

static void builder_free(builder *b)
{
    ts_vocab_free(b->vocab);
    free(b->df);
    free(b->last);
    free(b->seen);
    free(b->capital);
    free(b->pair_id);
    free(b->pair_count);
    free(b->batch);
    free(b->pend);
}

/* Tokenize every statement into b; row_ptr gets n + 1 pair offsets, and
 * word_tokens (unless NULL) each statement's word token count. */
static ts_status count_terms(builder *b, const ts_corpus *corpus, size_t n, size_t *row_ptr,
                             const ts_tfidf *m, uint32_t *word_tokens,
                             const ts_vectorizer_options *options, ts_diag *diag)
{
    ts_tokenizer *tok = NULL;
    ts_status st = ts_tokenizer_create_with(&tok, options, m->stop_list, m->stop_size, diag);
    if (st != TS_OK)
        return st;
    if (ts_names_wanted(options)) {
        ts_tokenizer_track_case(tok);
        b->tok = tok;
    }
    for (size_t i = 0; i < n && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        row_ptr[i] = b->npairs;
        b->row_start = b->npairs;
        st = ts_tokenizer_run(tok, s.text, s.length, on_term, b, diag);
        if (st == TS_OK)
            st = flush_terms(b);
        if (word_tokens) {
            size_t k = ts_tokenizer_word_count(tok);
            word_tokens[i] = k > UINT32_MAX ? UINT32_MAX : (uint32_t)k;
        }
        if (st != TS_OK && diag) {
            char where[512];
            snprintf(where, sizeof where, " (statement %s:%u)",
                     ts_corpus_source_name(corpus, s.source), (unsigned)s.index);
            ts_diag_append_tail(diag, where);
        }
    }
    row_ptr[n] = b->npairs;
    b->tok = NULL; /* the counts stay */
    ts_tokenizer_free(tok);
    return st;
}

/* Whether the analyzer's word tokens are those of scikit-learn's default
 * pattern on the lowercased text, which ts_tfidf_word_tokens promises (the
 * tokenizer counts them before stop words, stemming and n-grams; other case
 * rules, another pattern or rule and accent stripping could change them). */
static int counts_word_tokens(const ts_vectorizer_options *o)
{
    return o->analyzer == TS_ANALYZER_WORD && o->tokens == TS_TOKENS_SKLEARN &&
           !o->token_pattern && o->strip_accents == TS_ACCENTS_KEEP &&
           o->lowercase == TS_CASE_LOWER;
}

/* A term's tf in a statement from its count: 1 with binary (scikit-learn
 * sets the counts to 1 before weighting), 1 + ln(count) when sublinear. */
static double term_tf(const ts_vectorizer_options *o, uint32_t count)
{
    double tf = o->binary ? 1.0 : (double)count;
    return o->sublinear_tf ? log(tf) + 1.0 : tf;
}

/* "0.5 x 10 statements = 5" for a fraction, "3 statements" for a count. */
static void describe_df(char *buf, size_t size, double v, int is_fraction, double n)
{
    if (is_fraction)
        snprintf(buf, size, "%g x %.0f statements = %g", v, n, v * n);
    else
        snprintf(buf, size, "%.0f statements", v);
}

/* Columns of the kept terms (TS_VOCAB_NONE for pruned ones), the sorted
 * term strings and their idf. */
/* Rank order for max_features: the larger corpus frequency first, then the
 * alphabetical order (refs' position). */
typedef struct ranked_term {
    uint64_t total;
    size_t at;
} ranked_term;

static int cmp_ranked(const void *pa, const void *pb)
{
    const ranked_term *a = pa, *b = pb;
    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

/* Keep the max_features terms of refs[0..*kept) (alphabetical) with the
 * largest corpus frequency - the sum of their counts, or with binary their
 * document frequency, as scikit-learn's _limit_features - in place, still
 * alphabetical.  scikit-learn breaks ties at the cut by an unstable sort;
 * here the alphabetically first win. */
static ts_status limit_features(const builder *b, term_ref *refs, size_t *kept,
                                const ts_vectorizer_options *o, ts_diag *diag)
{
    size_t nterms = ts_vocab_size(b->vocab), n = *kept;
    uint64_t *total = calloc(nterms ? nterms : 1, sizeof *total);
    ranked_term *rank = malloc(n * sizeof *rank);
    unsigned char *keep = calloc(n, 1);
    if (!total || !rank || !keep) {
        free(total);
        free(rank);
        free(keep);
        return nomem(diag);
    }
    for (size_t p = 0; p < b->npairs; p++)
        total[b->pair_id[p]] += o->binary ? 1 : b->pair_count[p];
    for (size_t c = 0; c < n; c++)
        rank[c] = (ranked_term){total[refs[c].id], c};
    qsort(rank, n, sizeof *rank, cmp_ranked);
    for (size_t k = 0; k < o->max_features; k++)
        keep[rank[k].at] = 1;
    size_t w = 0;
    for (size_t c = 0; c < n; c++)
        if (keep[c])
            refs[w++] = refs[c];
    *kept = w;
    free(total);
    free(rank);
    free(keep);
    return TS_OK;
}

/* --vocabulary FILE: the columns are the file's terms, one per line (a
 * trailing CR dropped, blank lines skipped), in the file's order, as
 * scikit-learn's vocabulary= with a list; a term the corpus lacks is a
 * column of zeros.  min_df, max_df and max_features do not apply, as in
 * scikit-learn.  *text keeps the terms alive until the caller frees it. */
static ts_status fixed_columns(const builder *b, const ts_vectorizer_options *o,
                               term_ref **out, size_t *kept, size_t *bytes, char **text,
                               ts_diag *diag)
{
    size_t len = 0, cap = 0;
    ts_status st = ts_file_read(o->vocabulary, NULL, "the vocabulary",
                                "give a file with one term per line", text, &len, &cap, diag);
    if (st != TS_OK)
        return st;
    term_ref *refs = malloc((len / 2 + 1) * sizeof *refs);
    ts_vocab *seen = ts_vocab_create();
    size_t n = 0, line = 0;
    *bytes = 0;
    for (size_t pos = 0; st == TS_OK && refs && seen && pos < len;) {
        const char *nl = memchr(*text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - *text) : len, stop = end;
        if (stop > pos && (*text)[stop - 1] == '\r')
            stop--;
        line++;
        if (stop > pos) {
            uint32_t id;
            int added = 0;
            st = ts_vocab_intern(seen, *text + pos, stop - pos, &id, &added);
            if (st == TS_OK && !added)
                st = ts_diag_set(diag, TS_ERR_ARG, o->vocabulary, line, TS_DIAG_NO_OFFSET,
                                 "%s:%zu: the term \"%.*s\" is listed twice; list each term "
                                 "once", o->vocabulary, line, (int)(stop - pos), *text + pos);
            if (st == TS_OK) {
                (*text)[stop] = '\0'; /* a term is copied with its NUL */
                refs[n].s = *text + pos;
                refs[n].len = stop - pos;
                refs[n].id = ts_vocab_find(b->vocab, *text + pos, stop - pos);
                *bytes += refs[n].len + 1;
                n++;
            }
        }
        pos = end + 1;
    }
    ts_vocab_free(seen);
    if (st == TS_OK && (!refs || !seen))
        st = nomem(diag);
    if (st == TS_OK && n == 0)
        st = ts_diag_set(diag, TS_ERR_EMPTY, o->vocabulary, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                         "%s: the vocabulary lists no terms; give one term per line",
                         o->vocabulary);
    if (st != TS_OK) {
        free(refs);
        return st;
    }
    *out = refs;
    *kept = n;
    return TS_OK;
}

static ts_status make_columns(ts_tfidf *m, const builder *b, size_t n_docs,
                              const ts_vectorizer_options *o, uint32_t *col_of, ts_diag *diag)
{
    size_t nterms = ts_vocab_size(b->vocab);
    double n = (double)n_docs;
    double high = o->max_df_is_fraction ? o->max_df * n : o->max_df;
    double low = o->min_df_is_fraction ? o->min_df * n : o->min_df;
    if (high < low) {
        char hi[96], lo[96];
        describe_df(hi, sizeof hi, o->max_df, o->max_df_is_fraction, n);
        describe_df(lo, sizeof lo, o->min_df, o->min_df_is_fraction, n);
        return TS_FAIL(diag, TS_ERR_ARG,
                       "max_df (%s) corresponds to fewer statements than min_df (%s); raise "
                       "--max-df or lower --min-df",
                       hi, lo);
    }

    size_t kept = 0, bytes = 0;
    char *vocab_text = NULL;
    term_ref *refs = NULL;
    for (size_t id = 0; id < nterms; id++)
        col_of[id] = TS_VOCAB_NONE;
    if (o->vocabulary) {
        ts_status st = fixed_columns(b, o, &refs, &kept, &bytes, &vocab_text, diag);
        if (st != TS_OK) {
            free(vocab_text);
            return st;
        }
        goto columns;
    }
    refs = malloc((nterms ? nterms : 1) * sizeof *refs);
    if (!refs)
        return nomem(diag);
    for (size_t id = 0; id < nterms; id++) {
        double df = (double)b->df[id];
        if (df >= low && df <= high) {
            refs[kept].s = ts_vocab_term(b->vocab, (uint32_t)id, &refs[kept].len);
            refs[kept].prefix = term_prefix(refs[kept].s, refs[kept].len);
            refs[kept].id = (uint32_t)id;
            bytes += refs[kept].len + 1;
            kept++;
        }
    }
    if (kept == 0) {
        free(refs);
        return TS_FAIL(diag, TS_ERR_EMPTY,
                       "after pruning, no terms remain; try a lower --min-df or a higher "
                       "--max-df");
    }
    qsort(refs, kept, sizeof *refs, cmp_term);
    if (o->max_features && kept > o->max_features) {
        ts_status st = limit_features(b, refs, &kept, o, diag);
        if (st != TS_OK) {
            free(refs);
            return st;
        }
        bytes = 0;
        for (size_t c = 0; c < kept; c++)
            bytes += refs[c].len + 1;
    }

columns:
    m->terms = malloc(bytes);
    m->term_off = malloc(kept * sizeof *m->term_off);
    m->idf = malloc(kept * sizeof *m->idf);
    if (!m->terms || !m->term_off || !m->idf) {
        free(refs);
        free(vocab_text);
        return nomem(diag);
    }
    size_t at = 0;
    double smooth = o->smooth_idf ? 1.0 : 0.0;
    for (size_t c = 0; c < kept; c++) {
        memcpy(m->terms + at, refs[c].s, refs[c].len + 1);
        m->term_off[c] = at;
        at += refs[c].len + 1;
        uint32_t id = refs[c].id;
        if (id != TS_VOCAB_NONE)
            col_of[id] = (uint32_t)c;
        /* As TfidfTransformer.fit: np.log(n_samples / df) + 1 in float64 (a
         * vocabulary term the corpus lacks: df 0, as scikit-learn). */
        double df = id != TS_VOCAB_NONE ? (double)b->df[id] : 0.0;
        m->idf[c] = o->use_idf ? log((n + smooth) / (df + smooth)) + 1.0 : 1.0;
    }
    m->csr.cols = (uint32_t)kept;
    free(refs);
    free(vocab_text);
    return TS_OK;
}

/* Each column's weight factor: name_weight for names, 1 otherwise. */
static void name_factors(ts_tfidf *m, const builder *b, const uint32_t *col_of,
                         const ts_vectorizer_options *o)
{
    for (size_t c = 0; c < m->csr.cols; c++)
        m->factor[c] = 1.0f;
    if (!b->seen)
        return;
    size_t nterms = ts_vocab_size(b->vocab);
    for (size_t id = 0; id < nterms; id++)
        if (col_of[id] != TS_VOCAB_NONE)
            m->factor[col_of[id]] = ts_names_factor(b->capital[id], b->seen[id], o->name_weight);
}

/* Keep the pairs of kept terms, renumbered and sorted by column, then weight
 * and normalise each row. */
static ts_status make_rows(ts_tfidf *m, builder *b, size_t n_docs, const size_t *row_ptr,
                           const uint32_t *col_of, const ts_vectorizer_options *o,
                           ts_diag *diag)
{
    m->csr.rows = (uint32_t)n_docs;
    m->csr.ptr = malloc((n_docs + 1) * sizeof *m->csr.ptr);
    if (!m->csr.ptr)
        return nomem(diag);
    size_t longest = 0;
    for (size_t r = 0; r < n_docs; r++)
        if (row_ptr[r + 1] - row_ptr[r] > longest)
            longest = row_ptr[r + 1] - row_ptr[r];
    uint64_t *keys = malloc((longest ? longest : 1) * sizeof *keys);
    if (!keys)
        return nomem(diag);

    /* Compact in place: the write position never passes the read position. */
    size_t w = 0;
    m->csr.ptr[0] = 0;
    for (size_t r = 0; r < n_docs; r++) {
        size_t k = 0;
        for (size_t p = row_ptr[r]; p < row_ptr[r + 1]; p++) {
            uint32_t c = col_of[b->pair_id[p]];
            if (c != TS_VOCAB_NONE)
                keys[k++] = (uint64_t)c << 32 | b->pair_count[p];
        }
        ts_sort_u64(keys, k); /* column << 32 | count */
        for (size_t i = 0; i < k; i++) {
            b->pair_id[w + i] = (uint32_t)(keys[i] >> 32);
            b->pair_count[w + i] = (uint32_t)keys[i];
        }
        w += k;
        if (w > UINT32_MAX) {
            free(keys);
            return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                           "the TF-IDF matrix has more than 2^32 - 1 non-zeros; use a smaller "
                           "corpus, fewer n-grams or a higher --min-df");
        }
        m->csr.ptr[r + 1] = (uint32_t)w;
    }
    free(keys);

    m->csr.val = malloc((w ? w : 1) * sizeof *m->csr.val);
    if (o->double_weights)
        m->val64 = malloc((w ? w : 1) * sizeof *m->val64);
    if (!m->csr.val || (o->double_weights && !m->val64))
        return nomem(diag);
    for (size_t r = 0; r < n_docs; r++) {
        size_t a = m->csr.ptr[r], e = m->csr.ptr[r + 1];
        double norm = 0.0;
        for (size_t p = a; p < e; p++) {
            double v = term_tf(o, b->pair_count[p]) * m->idf[b->pair_id[p]] *
                       m->factor[b->pair_id[p]];
            norm += o->norm == TS_NORM_L1 ? fabs(v) : v * v;
        }
        if (o->norm == TS_NORM_L2)
            norm = sqrt(norm);
        if (o->norm == TS_NORM_NONE || norm == 0.0)
            norm = 1.0;
        for (size_t p = a; p < e; p++) {
            double v = term_tf(o, b->pair_count[p]) * m->idf[b->pair_id[p]] *
                       m->factor[b->pair_id[p]] / norm;
            m->csr.val[p] = (float)v;
            if (m->val64)
                m->val64[p] = v;
        }
    }
    /* The pair ids are now the column indices: hand them over. */
    uint32_t *idx = realloc(b->pair_id, (w ? w : 1) * sizeof *idx);
    if (idx)
        b->pair_id = idx;
    m->csr.idx = b->pair_id;
    b->pair_id = NULL;
    return TS_OK;
}

static ts_status too_many(size_t n, ts_diag *diag)
{
    return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                   "%zu statements exceed the limit of 2^32 - 2; split the corpus", n);
}

/* The start of a build or a transform over n statements: an empty builder,
 * the row offsets, the matrix (each NULL when out of memory). */
static void start(builder *b, size_t n, size_t **row_ptr, ts_tfidf **m, ts_diag *diag)
{
    memset(b, 0, sizeof *b);
    b->diag = diag;
    b->vocab = ts_vocab_create();
    *row_ptr = malloc((n + 1) * sizeof **row_ptr);
    *m = calloc(1, sizeof **m);
}

/* The end of a build or a transform: the scratch freed, and *out = m on
 * success (m freed on failure). */
static ts_status finish(ts_tfidf **out, ts_tfidf *m, ts_status st, builder *b, size_t *row_ptr,
                        uint32_t *col_of)
{
    free(col_of);
    free(row_ptr);
    builder_free(b);
    if (st != TS_OK) {
        ts_tfidf_free(m);
        return st;
    }
    *out = m;
    return TS_OK;
}

/* Keep the options in m, its strings copied (m->stem must be set first),
 * and the words of a stop-word file: the list's (`list`, a model's) or,
 * when list is NULL, the file's bytes read now. */
static ts_status keep_options(ts_tfidf *m, const ts_vectorizer_options *o, const char *list,
                              size_t list_size, ts_diag *diag)
{
    m->opt = *o;
    m->opt.vocabulary = NULL;
    m->opt.stem = m->stem;
    m->opt.token_pattern = m->opt.stop_words = NULL;
    if ((o->token_pattern && !(m->token_pattern = strdup(o->token_pattern))) ||
        (o->stop_words && !(m->stop_words = strdup(o->stop_words))))
        return nomem(diag);
    m->opt.token_pattern = m->token_pattern;
    m->opt.stop_words = m->stop_words;
    if (!o->stop_words || o->analyzer != TS_ANALYZER_WORD || ts_stop_words_builtin(o->stop_words))
        return TS_OK;
    if (list) {
        if (!(m->stop_list = malloc(list_size ? list_size : 1)))
            return nomem(diag);
        memcpy(m->stop_list, list, list_size);
        m->stop_size = list_size;
        return TS_OK;
    }
    size_t cap = 0;
    return ts_file_read(o->stop_words, NULL, "the stop words",
                        "give english, german, french, spanish or the path of a readable file "
                        "with one word per line",
                        &m->stop_list, &m->stop_size, &cap, diag);
}

ts_status ts_tfidf_build(ts_tfidf **out, const ts_corpus *corpus,
                         const ts_vectorizer_options *options, ts_diag *diag)
{
    if (!out || !corpus)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_tfidf_build: NULL argument");
    *out = NULL;
    ts_vectorizer_options defaults;
    if (!options) {
        ts_vectorizer_options_init(&defaults);
        options = &defaults;
    }
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;
    size_t n = ts_corpus_statement_count(corpus);
    if (n == 0)
        return TS_FAIL(diag, TS_ERR_EMPTY,
                       "the corpus has no statements; give sources that contain text");
    if (n > UINT32_MAX - 1)
        return too_many(n, diag);
    builder b;
    size_t *row_ptr;
    ts_tfidf *m;
    uint32_t *col_of = NULL;
    start(&b, n, &row_ptr, &m, diag);
    if (!b.vocab || !row_ptr || !m || (options->stem && options->analyzer == TS_ANALYZER_WORD &&
                                      !(m->stem = strdup(options->stem)))) {
        st = nomem(diag);
        goto done;
    }
    if (counts_word_tokens(options) && !(m->word_tokens = malloc(n * sizeof *m->word_tokens))) {
        st = nomem(diag);
        goto done;
    }
    st = keep_options(m, options, NULL, 0, diag);
    if (st == TS_OK)
        st = count_terms(&b, corpus, n, row_ptr, m, m->word_tokens, options, diag);
    if (st != TS_OK)
        goto done;
    /* The per-term "latest pair" array is no longer needed. */
    free(b.last);
    b.last = NULL;
    if (ts_vocab_size(b.vocab) == 0 && options->token_pattern) {
        st = TS_FAIL(diag, TS_ERR_EMPTY,
                     "empty vocabulary: the token pattern '%s' matches nothing in the "
                     "statements (or only stop words); check the pattern against the "
                     "lowercased text",
                     options->token_pattern);
        goto done;
    }
    if (ts_vocab_size(b.vocab) == 0) {
        st = TS_FAIL(diag, TS_ERR_EMPTY,
                     "empty vocabulary: the statements contain only stop words or tokens "
                     "shorter than two characters; check the input, drop --stop-words, or use "
                     "--tokenizer unicode-words or --analyzer char_wb");
        goto done;
    }
    col_of = malloc(ts_vocab_size(b.vocab) * sizeof *col_of);
    if (!col_of) {
        st = nomem(diag);
        goto done;
    }
    st = make_columns(m, &b, n, options, col_of, diag);
    if (st == TS_OK && !(m->factor = malloc((m->csr.cols ? m->csr.cols : 1) * sizeof *m->factor)))
        st = nomem(diag);
    if (st == TS_OK)
        name_factors(m, &b, col_of, options);
    if (st == TS_OK)
        st = make_rows(m, &b, n, row_ptr, col_of, options, diag);
done:
    return finish(out, m, st, &b, row_ptr, col_of);
}

/* The columns of model (terms, IDF, name factors) copied into m. */
static ts_status copy_columns(ts_tfidf *m, const ts_tfidf *model, ts_diag *diag)
{
    size_t cols = model->csr.cols, last = model->term_off[cols - 1];
    size_t bytes = last + strlen(model->terms + last) + 1;
    m->terms = malloc(bytes);
    m->term_off = malloc(cols * sizeof *m->term_off);
    m->idf = malloc(cols * sizeof *m->idf);
    m->factor = malloc(cols * sizeof *m->factor);
    if (!m->terms || !m->term_off || !m->idf || !m->factor)
        return nomem(diag);
    memcpy(m->terms, model->terms, bytes);
    memcpy(m->term_off, model->term_off, cols * sizeof *m->term_off);
    memcpy(m->idf, model->idf, cols * sizeof *m->idf);
    memcpy(m->factor, model->factor, cols * sizeof *m->factor);
    m->csr.cols = (uint32_t)cols;
    return TS_OK;
}

/* As TfidfVectorizer.transform: the statements are tokenized with the
 * model's options; their terms are looked up in the model's columns (one
 * lookup of each column's term in the new statements' small vocabulary,
 * so the cost is the model's columns plus the new tokens) and the rest
 * dropped; the weights use the model's IDF and name factors, then each row
 * is normalised.  A statement without a known term is an empty row. */
ts_status ts_tfidf_transform(ts_tfidf **out, const ts_tfidf *model, const ts_corpus *corpus,
                             ts_diag *diag)
{
    if (!out || !model || !corpus)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_tfidf_transform: NULL argument");
    *out = NULL;
    size_t n = ts_corpus_statement_count(corpus);
    if (n > UINT32_MAX - 1)
        return too_many(n, diag);
    const ts_vectorizer_options *o = &model->opt;
    builder b;
    size_t *row_ptr;
    ts_tfidf *m;
    uint32_t *col_of = NULL;
    start(&b, n, &row_ptr, &m, diag);
    ts_status st = TS_OK;
    if (!b.vocab || !row_ptr || !m || (model->stem && !(m->stem = strdup(model->stem))) ||
        (counts_word_tokens(o) && !(m->word_tokens = malloc((n ? n : 1) * sizeof *m->word_tokens)))) {
        st = nomem(diag);
        goto done;
    }
    st = keep_options(m, o, model->stop_list, model->stop_size, diag);
    if (st == TS_OK)
        st = count_terms(&b, corpus, n, row_ptr, m, m->word_tokens, o, diag);
    if (st != TS_OK)
        goto done;
    free(b.last);
    b.last = NULL;
    size_t nterms = ts_vocab_size(b.vocab);
    col_of = malloc((nterms ? nterms : 1) * sizeof *col_of);
    if (!col_of) {
        st = nomem(diag);
        goto done;
    }
    for (size_t id = 0; id < nterms; id++)
        col_of[id] = TS_VOCAB_NONE;
    for (size_t c = 0; nterms && c < model->csr.cols; c++) {
        const char *t = model->terms + model->term_off[c];
        uint32_t id = ts_vocab_find(b.vocab, t, strlen(t));
        if (id != TS_VOCAB_NONE)
            col_of[id] = (uint32_t)c;
    }
    st = copy_columns(m, model, diag);
    if (st == TS_OK)
        st = make_rows(m, &b, n, row_ptr, col_of, o, diag);
done:
    return finish(out, m, st, &b, row_ptr, col_of);
}

void ts_tfidf_free(ts_tfidf *tfidf)
{
    if (!tfidf)
        return;
    free(tfidf->token_pattern);
    free(tfidf->stop_words);
    free(tfidf->stop_list);
    free(tfidf->stem);
    free(tfidf->word_tokens);
    if (!tfidf->borrowed || tfidf->term_off_owned)
        free(tfidf->term_off);
    if (!tfidf->borrowed) {
        free(tfidf->factor);
        free(tfidf->csr.ptr);
        free(tfidf->csr.idx);
        free(tfidf->csr.val);
        free(tfidf->val64);
        free(tfidf->terms);
        free(tfidf->idf);
    }
    free(tfidf);
}

size_t ts_tfidf_rows(const ts_tfidf *tfidf) { return tfidf ? tfidf->csr.rows : 0; }

size_t ts_tfidf_cols(const ts_tfidf *tfidf) { return tfidf ? tfidf->csr.cols : 0; }

size_t ts_tfidf_nnz(const ts_tfidf *tfidf)
{
    return tfidf && tfidf->csr.ptr ? ts_csr_nnz(&tfidf->csr) : 0;
}

const char *ts_tfidf_term(const ts_tfidf *tfidf, size_t col)
{
    if (!tfidf || col >= tfidf->csr.cols)
        return NULL;
    return tfidf->terms + tfidf->term_off[col];
}

double ts_tfidf_idf(const ts_tfidf *tfidf, size_t col)
{
    if (!tfidf || col >= tfidf->csr.cols)
        return 0.0;
    return tfidf->idf[col];
}

size_t ts_tfidf_row(const ts_tfidf *tfidf, size_t row, const uint32_t **cols,
                    const float **values)
{
    if (!tfidf || row >= tfidf->csr.rows) {
        if (cols)
            *cols = NULL;
        if (values)
            *values = NULL;
        return 0;
    }
    uint32_t a = tfidf->csr.ptr[row], e = tfidf->csr.ptr[row + 1];
    if (cols)
        *cols = tfidf->csr.idx + a;
    if (values)
        *values = tfidf->csr.val + a;
    return e - a;
}

size_t ts_tfidf_row_double(const ts_tfidf *tfidf, size_t row, const uint32_t **cols,
                           const double **values)
{
    size_t n = ts_tfidf_row(tfidf, row, cols, NULL);
    if (values) {
        int kept = tfidf && tfidf->val64 && row < tfidf->csr.rows;
        *values = kept ? tfidf->val64 + tfidf->csr.ptr[row] : NULL;
    }
    return n;
}

const ts_csr *ts_tfidf_csr(const ts_tfidf *tfidf) { return tfidf ? &tfidf->csr : NULL; }

const ts_csr *ts_tfidf_postings(const ts_tfidf *tfidf)
{
    return tfidf && tfidf->postings.ptr ? &tfidf->postings : NULL;
}

const char *ts_tfidf_stem_language(const ts_tfidf *tfidf)
{
    return tfidf ? tfidf->stem : NULL;
}

const uint32_t *ts_tfidf_word_tokens(const ts_tfidf *tfidf)
{
    return tfidf ? tfidf->word_tokens : NULL;
}

const ts_vectorizer_options *ts_tfidf_options(const ts_tfidf *tfidf)
{
    return tfidf ? &tfidf->opt : NULL;
}

void ts_tfidf_get_parts(const ts_tfidf *tfidf, ts_tfidf_parts *parts)
{
    memset(parts, 0, sizeof *parts);
    parts->csr = tfidf->csr;
    size_t cols = tfidf->csr.cols;
    parts->terms = tfidf->terms;
    if (cols) {
        size_t last = tfidf->term_off[cols - 1];
        parts->terms_size = last + strlen(tfidf->terms + last) + 1;
    }
    parts->term_off = tfidf->term_off;
    parts->idf = tfidf->idf;
    parts->factor = tfidf->factor;
    parts->val64 = tfidf->val64;
    parts->opt = tfidf->opt;
    parts->stop_list = tfidf->stop_list;
    parts->stop_size = tfidf->stop_size;
    parts->postings = tfidf->postings;
}

/* A ts_tfidf whose arrays are the caller's (an index file's mapping): only
 * the option strings, the stop list and (where size_t is not 64 bits) the
 * term offsets are copied; the index reader checked the arrays. */
ts_status ts_tfidf_view(ts_tfidf **out, const ts_tfidf_parts *parts, const uint64_t *term_off,
                        ts_diag *diag)
{
    *out = NULL;
    ts_tfidf *m = calloc(1, sizeof *m);
    if (!m)
        return nomem(diag);
    m->borrowed = 1;
    m->csr = parts->csr;
    m->terms = (char *)parts->terms;
    m->idf = (double *)parts->idf;
    m->factor = (float *)parts->factor;
    m->val64 = (double *)parts->val64;
    m->postings = parts->postings;
    ts_status st = TS_OK;
    if (sizeof(size_t) == sizeof(uint64_t)) {
        m->term_off = (size_t *)term_off;
    } else if ((m->term_off = malloc((m->csr.cols ? m->csr.cols : 1) * sizeof *m->term_off))) {
        m->term_off_owned = 1;
        for (size_t c = 0; c < m->csr.cols; c++)
            m->term_off[c] = (size_t)term_off[c];
    } else {
        st = nomem(diag);
    }
    if (st == TS_OK && parts->opt.stem && !(m->stem = strdup(parts->opt.stem)))
        st = nomem(diag);
    if (st == TS_OK)
        st = keep_options(m, &parts->opt, parts->stop_list ? parts->stop_list : "",
                          parts->stop_size, diag);
    if (st != TS_OK) {
        ts_tfidf_free(m);
        return st;
    }
    *out = m;
    return TS_OK;
}

/* archive's rows followed by more's (weighted with archive's model, so the
 * same columns), in a new matrix with archive's columns and options. */
ts_status ts_tfidf_append(ts_tfidf **out, const ts_tfidf *archive, const ts_tfidf *more,
                          ts_diag *diag)
{
    *out = NULL;
    if (more->csr.cols != archive->csr.cols)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_tfidf_append: %lu columns against the archive's %lu",
                       (unsigned long)more->csr.cols, (unsigned long)archive->csr.cols);
    size_t ra = archive->csr.rows, rb = more->csr.rows;
    size_t na = ts_csr_nnz(&archive->csr), nb = ts_csr_nnz(&more->csr);
    if (ra + rb > UINT32_MAX - 1)
        return too_many(ra + rb, diag);
    if (na + nb > UINT32_MAX)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "the index would hold more than 2^32 - 1 non-zeros; start another index");
    ts_tfidf *m = calloc(1, sizeof *m);
    if (!m)
        return nomem(diag);
    ts_status st = TS_OK;
    if ((archive->stem && !(m->stem = strdup(archive->stem))))
        st = nomem(diag);
    if (st == TS_OK)
        st = keep_options(m, &archive->opt, archive->stop_list ? archive->stop_list : "",
                          archive->stop_size, diag);
    if (st == TS_OK && archive->csr.cols)
        st = copy_columns(m, archive, diag);
    size_t n = na + nb ? na + nb : 1;
    int wide = archive->val64 && more->val64;
    if (st == TS_OK) {
        m->csr.rows = (uint32_t)(ra + rb);
        m->csr.cols = archive->csr.cols;
        m->csr.ptr = malloc((ra + rb + 1) * sizeof *m->csr.ptr);
        m->csr.idx = malloc(n * sizeof *m->csr.idx);
        m->csr.val = malloc(n * sizeof *m->csr.val);
        if (wide)
            m->val64 = malloc(n * sizeof *m->val64);
        if (archive->word_tokens && more->word_tokens)
            m->word_tokens = malloc((ra + rb ? ra + rb : 1) * sizeof *m->word_tokens);
        if (!m->csr.ptr || !m->csr.idx || !m->csr.val || (wide && !m->val64) ||
            (archive->word_tokens && more->word_tokens && !m->word_tokens))
            st = nomem(diag);
    }
    if (st != TS_OK) {
        ts_tfidf_free(m);
        return st;
    }
    memcpy(m->csr.ptr, archive->csr.ptr, (ra + 1) * sizeof *m->csr.ptr);
    for (size_t r = 1; r <= rb; r++)
        m->csr.ptr[ra + r] = (uint32_t)(na + more->csr.ptr[r]);
    memcpy(m->csr.idx, archive->csr.idx, na * sizeof *m->csr.idx);
    memcpy(m->csr.idx + na, more->csr.idx, nb * sizeof *m->csr.idx);
    memcpy(m->csr.val, archive->csr.val, na * sizeof *m->csr.val);
    memcpy(m->csr.val + na, more->csr.val, nb * sizeof *m->csr.val);
    if (wide) {
        memcpy(m->val64, archive->val64, na * sizeof *m->val64);
        memcpy(m->val64 + na, more->val64, nb * sizeof *m->val64);
    }
    if (m->word_tokens) {
        memcpy(m->word_tokens, archive->word_tokens, ra * sizeof *m->word_tokens);
        memcpy(m->word_tokens + ra, more->word_tokens, rb * sizeof *m->word_tokens);
    }
    *out = m;
    return TS_OK;
}
