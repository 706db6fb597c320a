/*
 * explain.h - why two statements matched (internal).
 *
 * The terms two TF-IDF rows share, largest contribution to their cosine
 * first (ts_align_explain), and for every matched pair of an alignment its
 * shared terms, the numbers of each side and where they disagree
 * (ts_align_explain_pairs, read through ts_alignment_pair_*).
 */
#ifndef TS_ALIGN_EXPLAIN_H
#define TS_ALIGN_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "textsim.h"

/* A term two statements share and what it adds to their cosine. */
typedef struct ts_align_term {
    uint32_t col;        /* TF-IDF column (term) */
    float wa, wb;        /* its weight in each row */
    double contribution; /* wa * wb; over all shared terms of L2-normalised
                            rows these sum to the cosine */
} ts_align_term;

/* The shared columns of two sparse rows (columns strictly ascending, as in
 * ts_tfidf_row), by contribution descending, then column ascending; the
 * first min(k, shared) are written to out[0 .. *count).  No allocation:
 * O((na + nb) log k).  Fails with TS_ERR_ARG when a row's columns are not
 * strictly ascending, a weight is not finite, or a needed pointer is NULL. */
ts_status ts_align_explain(const uint32_t *cols_a, const float *vals_a, size_t na,
                           const uint32_t *cols_b, const float *vals_b, size_t nb,
                           size_t k, ts_align_term *out, size_t *count, ts_diag *diag);

/* The explanations of pairs[0..count), each a string ("" when empty). */
typedef struct ts_align_explained {
    size_t count;
    char **terms;      /* "term; term": the top_terms shared terms */
    char **numbers[2]; /* the numbers of side a and side b */
    char **disc_text;  /* "unit: value_a vs value_b; ..." */
    int *disc;         /* 1 when the sides' numbers disagree */
} ts_align_explained;

/* Explain every pair (statements of corpus, rows of tfidf): top_terms shared
 * terms, the numbers (numbers.h) of each side, their discrepancies.  On
 * failure *out holds what was done so far; ts_align_explained_free frees it
 * either way. */
ts_status ts_align_explain_pairs(const ts_align_pair *pairs, size_t count,
                                 const ts_corpus *corpus, const ts_tfidf *tfidf,
                                 size_t top_terms, ts_align_explained *out, ts_diag *diag);
void ts_align_explained_free(ts_align_explained *explained);

#endif
