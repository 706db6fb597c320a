/*
 * align.h - aligning statements across sources (internal).
 *
 * Three pure steps, free of I/O and OpenCL:
 *
 *  1. Matching inside one block of scores between two sources A and B
 *     (ts_align_mutual_best, ts_align_assignment): which statement of A
 *     says the same as which statement of B.
 *  2. Clustering the matched pairs of every source pair into groups that
 *     hold at most one statement per source (ts_align_cluster).
 *  3. Explaining a pair: the terms two TF-IDF rows share, largest
 *     contribution to their cosine first (ts_align_explain).
 *
 * Everything is deterministic: ties are broken by the rules written next to
 * each function, never by memory addresses or hashing.
 */
#ifndef TS_ALIGN_H
#define TS_ALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "textsim.h"

/* ------------------------------------------------------------------ pairs */

/* A matched pair: statement a of one side, statement b of the other. */
typedef struct ts_align_pair {
    uint32_t a;
    uint32_t b;
    float score;
} ts_align_pair;

/* A growable array of pairs; the matchers append to it. */
typedef struct ts_align_pairs {
    ts_align_pair *items;
    size_t count;
    size_t capacity;
} ts_align_pairs;

void ts_align_pairs_init(ts_align_pairs *pairs);
/* Frees the items and leaves an empty list; NULL is a no-op. */
void ts_align_pairs_free(ts_align_pairs *pairs);
/* Append one pair (TS_ERR_NOMEM is the only failure). */
ts_status ts_align_pairs_push(ts_align_pairs *pairs, uint32_t a, uint32_t b, float score,
                              ts_diag *diag);

/* ------------------------------------------------------------------ blocks */

/* The scores between the na statements of source A and the nb statements of
 * source B: scores[ia * ld + ib], ld >= nb.  A statement whose eligible flag
 * is 0 (boilerplate) takes no part; a NULL mask means all are eligible.
 * Pairs are written as (a0 + ia, b0 + ib), so that a block cut out of the
 * whole similarity matrix can report global statement ids directly; the
 * tie rules below speak of the block indices ia, ib. */
typedef struct ts_align_block {
    const float *scores;
    size_t na, nb, ld;
    const unsigned char *eligible_a; /* na flags or NULL */
    const unsigned char *eligible_b; /* nb flags or NULL */
    uint32_t a0, b0;                 /* added to the indices written out */
} ts_align_block;

/* Mutual best matches.  For each eligible ia, best(ia) is the eligible ib with
 * the highest score, the lowest ib among equal scores; likewise best(ib) for
 * each eligible ib, the lowest ia among equal scores.  (ia, ib) is written
 * when best(ia) = ib, best(ib) = ia and score >= threshold.  NaN scores never
 * match.  So with a tie a statement still has exactly one best: when A0 and
 * A1 both score 0.9 with B0, only (A0, B0) can be mutual.  Pairs are appended
 * to *out in increasing ia.  O(na * nb) time, O(na + nb) memory.
 * Fails with TS_ERR_ARG (bad block, NaN threshold) or TS_ERR_NOMEM; *out
 * then holds what it held before. */
ts_status ts_align_mutual_best(const ts_align_block *block, float threshold,
                               ts_align_pairs *out, ts_diag *diag);

/* ts_align_mutual_best on a sparse block: pairs[0..n) are its only cells
 * (every other one never matches), sorted by (a, b) without repeats, their
 * indices statement numbers.  Written: the same pairs as from the dense
 * block, in increasing a.  O(n log n) time, O(n) memory: what the aligner
 * uses, so that matching costs what the candidates cost, not rows x columns.
 * Fails with TS_ERR_ARG (NaN threshold or score, pairs out of order) or
 * TS_ERR_NOMEM; *out then holds what it held before. */
ts_status ts_align_mutual_best_pairs(const ts_align_pair *pairs, size_t n, float threshold,
                                     ts_align_pairs *out, ts_diag *diag);

/* One-to-one assignment of maximum total score.  Only pairs of eligible
 * statements with score >= threshold and score > 0 may be matched; all
 * others are forbidden, not merely low.  Among all one-to-one matchings over
 * the allowed pairs, the one written is the first by these rules:
 *   1. the largest sum of scores;
 *   2. then the most pairs;
 *   3. then the smallest sum of ia + ib over its pairs (lower indices first);
 *   4. then the largest sum of ia * ib (equal statements are paired in
 *      order: lowest with lowest).
 * Scores are summed exactly as multiples of 2^-36 (every float >= 2^-13 is
 * such a multiple; smaller scores are rounded to one), so exact ties are
 * seen as ties and never decided by rounding.  Should two matchings still
 * tie on all four rules, the algorithm's fixed order decides, which is the
 * same on every run.
 * Method: the allowed pairs split the block into connected components; each
 * is solved by the Hungarian algorithm (shortest augmenting paths with
 * potentials, O(r^2 c) for an r x c component, r <= c) in exact integer
 * arithmetic on the four rules.  Memory is O(na + nb); the scores are read
 * in place.  Pairs are appended to *out in increasing ia.
 * Fails with TS_ERR_ARG (bad block, NaN threshold, an allowed score that is
 * infinite or above 16 in magnitude - these are cosines), TS_ERR_TOO_LARGE
 * (na or nb above 65535) or TS_ERR_NOMEM; *out then holds what it held
 * before. */
ts_status ts_align_assignment(const ts_align_block *block, float threshold,
                              ts_align_pairs *out, ts_diag *diag);

/* ts_align_assignment on a sparse block: pairs[0..n) as in
 * ts_align_mutual_best_pairs.  The block is the rows and columns that hold
 * pairs, compacted in order (every other cell is forbidden), so its tie
 * rules speak of those compacted indices.  Memory: that block, rows x
 * columns floats. */
ts_status ts_align_assignment_pairs(const ts_align_pair *pairs, size_t n, float threshold,
                                    ts_align_pairs *out, ts_diag *diag);

/* -------------------------------------------------------------- clustering */

/* What clustering did with one pair. */
typedef enum ts_align_fate {
    TS_ALIGN_REFUSED = 0, /* the clusters of a and b share a source (or a is b) */
    TS_ALIGN_MERGED = 1,  /* the pair joined two clusters */
    TS_ALIGN_REDUNDANT = 2 /* a and b were already in one cluster */
} ts_align_fate;

/* A partition of statements 0 .. statements-1 into clusters numbered from 1.
 * Cluster c (1 <= c <= count) has members member[first[c-1] .. first[c]),
 * ascending; its support, the number of sources it covers, is its size,
 * first[c] - first[c-1], because it holds at most one statement per source. */
typedef struct ts_align_clusters {
    size_t statements;
    size_t count;
    uint32_t *cluster; /* [statements]: the cluster number of each statement */
    uint32_t *first;   /* [count + 1] */
    uint32_t *member;  /* [statements] */
} ts_align_clusters;

/* Cluster `statements` statements, statement i belonging to source
 * source_of[i] (any uint32 values; any number of sources), from the matched
 * pairs of every source pair (a, b global statement ids, any order).
 * Rule: pairs are taken by score descending, then by the lower of their two
 * ids ascending, then by the higher id ascending.  A pair merges the
 * clusters of its two statements when their sets of sources are disjoint,
 * and is refused otherwise, so no cluster ever holds two statements of one
 * source.  Statements no pair merged stay singletons.  Clusters are numbered
 * from 1 by support descending, then by their smallest statement id.
 * fate, when not NULL, receives npairs entries: what became of pairs[i].
 * Union-find with a sorted array of sources per cluster: O(P log P) to sort
 * plus O(S) per pair for clusters of S sources.
 * Fails with TS_ERR_ARG (an id >= statements, a NaN score, NULL arrays),
 * TS_ERR_TOO_LARGE (statements > UINT32_MAX - 1) or TS_ERR_NOMEM; *out is
 * then NULL. */
ts_status ts_align_cluster(const uint32_t *source_of, size_t statements,
                           const ts_align_pair *pairs, size_t npairs,
                           ts_align_clusters **out, unsigned char *fate, ts_diag *diag);
void ts_align_clusters_free(ts_align_clusters *clusters);

/* Support (size) of cluster c, 1 <= c <= count; 0 for any other c. */
size_t ts_align_cluster_support(const ts_align_clusters *clusters, size_t c);

/* ------------------------------------------------------------- explanation */

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

#endif
