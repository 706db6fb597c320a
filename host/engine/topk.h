/*
 * topk.h - each statement's best matches so far (internal).
 *
 * ts_topk keeps, for every statement ("owner"), the matches offered to it:
 * with k > 0 the k best under the order (score descending, other statement
 * ascending), in a bounded heap; with k = 0 all of them, in a growing list.
 * The pairs engine offers every candidate a block yields, then takes an
 * owner's final list once no later block can reach it.  The result does not
 * depend on the order of the offers.
 */
#ifndef TS_TOPK_H
#define TS_TOPK_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "textsim.h"

typedef struct ts_topk ts_topk;

/* Lists for n owners, k matches each (0: unbounded). */
ts_status ts_topk_create(ts_topk **out, size_t n, uint32_t k, ts_diag *diag);
void ts_topk_free(ts_topk *t);

/* Offer `other` with `score` to owner's list. */
ts_status ts_topk_offer(ts_topk *t, uint32_t owner, uint32_t other, float score, ts_diag *diag);

/* The lowest score that can still enter owner's list (a tie may enter
 * too, by a lower statement number): its worst score when full, else
 * -INFINITY. */
float ts_topk_floor(const ts_topk *t, uint32_t owner);

/* Owner's list, best first, in *matches (valid until the next take or
 * free); the owner's memory is released (an unbounded list) or reset. */
ts_status ts_topk_take(ts_topk *t, uint32_t owner, const ts_match **matches, size_t *n,
                       ts_diag *diag);

/* Total order of matches: 1 when (sa, a) ranks before (sb, b). */
static inline int ts_match_before(float sa, uint32_t a, float sb, uint32_t b)
{
    return sa > sb || (sa == sb && a < b);
}

#endif
