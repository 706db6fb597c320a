/*
 * match.h - matching the statements of two sources one-to-one (internal).
 *
 * Inside one block of scores between sources A and B - dense, or the sparse
 * list of candidate pairs the engine selected - which statement of A says
 * the same as which statement of B: mutual best matches or a maximum-weight
 * assignment.  ts_align_match_sources runs the chosen matcher on every
 * source pair of a candidate list.  Pure: no I/O, no OpenCL.  Everything is
 * deterministic: ties are broken by the rules written next to each
 * function, never by memory addresses or hashing.
 */
#ifndef TS_ALIGN_MATCH_H
#define TS_ALIGN_MATCH_H

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

/* --------------------------------------------------------- every source pair */

/* Match the candidates cand (pairs a < b of statements of different sources,
 * statement i of source source_of[i], any order) source pair by source pair:
 * the pairs of each (source of a, source of b) sorted by (a, b) and handed
 * to the matcher of mode, its pairs appended to *out in that order (source
 * pairs ascending).  cand is consumed: it is freed before the matching, so
 * that the sorted copy replaces it at peak memory.  Fails with the matcher's
 * statuses or TS_ERR_NOMEM. */
ts_status ts_align_match_sources(ts_align_pairs *cand, const uint32_t *source_of,
                                 ts_match_mode mode, float threshold, ts_align_pairs *out,
                                 ts_diag *diag);

#endif
