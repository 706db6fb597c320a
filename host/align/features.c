/*
 * features.c - the match model's features for the candidate pairs, and
 * their scores (features.h).
 *
 * The word cosine comes with each candidate from the engine.  The char_wb
 * cosine needs a second TF-IDF over the corpus (the model's n-gram range,
 * sublinear tf, L2 rows); it is read for the candidates only: they are
 * counting-sorted by their first statement, whose row is scattered into a
 * dense array once, and each partner's row is gathered against it - the
 * work is the partners' non-zeros, never rows x columns.  Digit groups are
 * found once per statement (a byte scan: [0-9]+([.,][0-9]+)*, as the
 * fitting script's ASCII regular expression) and kept as sorted 64-bit
 * hashes, so a pair's "shares a group" is a merge of two short lists.  A
 * hash collision could only call two different groups equal; at 64 bits
 * over the few groups of two statements that is not a practical concern.
 * Everything is in a fixed order: the same input gives the same scores.
 */
#include "features.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/sort.h"

/* ------------------------------------------------------------ digit groups */

typedef struct digit_groups {
    size_t *first;   /* [n + 1] */
    uint64_t *hash;  /* sorted, unique within a statement */
} digit_groups;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The groups of one statement appended at hash[at ..]; returns the new end,
 * or (size_t)-1 when growing failed. */
static size_t scan_groups(const char *t, size_t len, uint64_t **hash, size_t *cap, size_t at)
{
    size_t start = at;
    for (size_t i = 0; i < len;) {
        if (!is_digit(t[i])) {
            i++;
            continue;
        }
        size_t j = i;
        for (;;) {
            while (j < len && is_digit(t[j]))
                j++;
            if (j + 1 < len && (t[j] == '.' || t[j] == ',') && is_digit(t[j + 1]))
                j++;
            else
                break;
        }
        if (at == *cap) {
            size_t nc = *cap ? 2 * *cap : 1024;
            uint64_t *g = realloc(*hash, nc * sizeof *g);
            if (!g)
                return (size_t)-1;
            *hash = g;
            *cap = nc;
        }
        (*hash)[at++] = fnv1a(t + i, j - i);
        i = j;
    }
    if (at - start < 2)
        return at; /* nothing to sort (and *hash may still be NULL) */
    ts_sort_u64(*hash + start, at - start);
    size_t w = start;
    for (size_t k = start; k < at; k++)
        if (w == start || (*hash)[w - 1] != (*hash)[k])
            (*hash)[w++] = (*hash)[k];
    return w;
}

static ts_status digit_groups_build(digit_groups *g, const ts_corpus *corpus, ts_diag *diag)
{
    size_t n = ts_corpus_statement_count(corpus), cap = 0, at = 0;
    g->hash = NULL;
    g->first = malloc((n + 1) * sizeof *g->first);
    if (!g->first)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory finding digit groups");
    for (size_t i = 0; i < n; i++) {
        g->first[i] = at;
        ts_statement s = ts_corpus_statement(corpus, i);
        at = scan_groups(s.text, s.length, &g->hash, &cap, at);
        if (at == (size_t)-1)
            return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory finding digit groups");
    }
    g->first[n] = at;
    return TS_OK;
}

/* TS_DIGITS_* of statements a and b. */
static unsigned char digits_of(const digit_groups *g, uint32_t a, uint32_t b)
{
    size_t i = g->first[a], ie = g->first[a + 1], j = g->first[b], je = g->first[b + 1];
    if (i == ie || j == je)
        return 0;
    while (i < ie && j < je) {
        if (g->hash[i] == g->hash[j])
            return TS_DIGITS_SHARED;
        if (g->hash[i] < g->hash[j])
            i++;
        else
            j++;
    }
    return TS_DIGITS_DISAGREE;
}

/* ------------------------------------------------------------- rescoring */

/* The candidates sorted by (a, b): a counting sort by a, then each run by b. */
static int cmp_b(const void *x, const void *y)
{
    uint32_t a = ((const ts_align_pair *)x)->b, b = ((const ts_align_pair *)y)->b;
    return (a > b) - (a < b);
}

static ts_align_pair *sort_by_a(const ts_align_pairs *cand, size_t n, ts_diag *diag)
{
    size_t *at = calloc(n + 1, sizeof *at);
    ts_align_pair *out = malloc((cand->count ? cand->count : 1) * sizeof *out);
    if (!at || !out) {
        free(at);
        free(out);
        TS_FAIL(diag, TS_ERR_NOMEM, "out of memory sorting %zu candidates", cand->count);
        return NULL;
    }
    for (size_t p = 0; p < cand->count; p++)
        at[cand->items[p].a + 1]++;
    for (size_t i = 0; i < n; i++)
        at[i + 1] += at[i];
    for (size_t p = 0; p < cand->count; p++)
        out[at[cand->items[p].a]++] = cand->items[p];
    for (size_t p = 0; p < cand->count;) { /* at[a] is now the end of a's run */
        size_t end = at[out[p].a];
        qsort(out + p, end - p, sizeof *out, cmp_b);
        p = end;
    }
    free(at);
    return out;
}

ts_status ts_align_model_rescore(const ts_align_model *model, const ts_corpus *corpus,
                                 double threshold, ts_align_pairs *cand,
                                 ts_align_evidence **evidence, ts_diag *diag)
{
    *evidence = NULL;
    size_t n = ts_corpus_statement_count(corpus);
    if (cand->count == 0)
        return TS_OK; /* nothing to score: no second TF-IDF */
    for (size_t p = 0; p < cand->count; p++)
        if (cand->items[p].a >= cand->items[p].b || cand->items[p].b >= n)
            return TS_FAIL(diag, TS_ERR_ARG, "ts_align_model_rescore: pair %zu is not a < b < %zu",
                           p, n);
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    vo.analyzer = TS_ANALYZER_CHAR_WB;
    vo.ngram_min = model->char_min;
    vo.ngram_max = model->char_max;
    vo.sublinear_tf = 1;
    ts_tfidf *chars = NULL;
    digit_groups groups = {0};
    ts_align_pair *sorted = NULL;
    ts_align_evidence *ev = NULL;
    float *dense = NULL;
    ts_status st = ts_tfidf_build(&chars, corpus, &vo, diag);
    if (st == TS_OK)
        st = digit_groups_build(&groups, corpus, diag);
    if (st == TS_OK && !(sorted = sort_by_a(cand, n, diag)))
        st = TS_ERR_NOMEM;
    if (st == TS_OK) {
        ev = malloc((cand->count ? cand->count : 1) * sizeof *ev);
        dense = calloc(ts_tfidf_cols(chars) ? ts_tfidf_cols(chars) : 1, sizeof *dense);
        if (!ev || !dense)
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory scoring %zu candidates", cand->count);
    }
    size_t kept = 0;
    for (size_t p = 0; st == TS_OK && p < cand->count;) {
        uint32_t a = sorted[p].a;
        const uint32_t *ca, *cb;
        const float *va, *vb;
        size_t na = ts_tfidf_row(chars, a, &ca, &va);
        for (size_t k = 0; k < na; k++)
            dense[ca[k]] = va[k];
        for (; p < cand->count && sorted[p].a == a; p++) {
            uint32_t b = sorted[p].b;
            size_t nb = ts_tfidf_row(chars, b, &cb, &vb);
            float dot = 0.0f;
            for (size_t k = 0; k < nb; k++)
                dot += dense[cb[k]] * vb[k];
            ts_align_evidence e = {.a = a, .b = b, .cosine = sorted[p].score,
                                   .char_cosine = dot, .digits = digits_of(&groups, a, b)};
            double x[TS_FEATURES];
            ts_align_evidence_features(&e, x);
            double s = ts_align_model_score(model, x);
            if (s < threshold)
                continue;
            e.score = (float)s;
            ev[kept] = e;
            sorted[kept++] = (ts_align_pair){a, b, e.score};
        }
        for (size_t k = 0; k < na; k++)
            dense[ca[k]] = 0.0f;
    }
    free(dense);
    free(groups.first);
    free(groups.hash);
    ts_tfidf_free(chars);
    if (st != TS_OK) {
        free(sorted);
        free(ev);
        return st;
    }
    free(cand->items);
    cand->items = sorted;
    cand->count = cand->capacity = kept;
    *evidence = ev;
    return TS_OK;
}
