/*
 * candidates.h - scores a backend selected on the device (internal).
 *
 * The pairs engine (pairs.c) hands a backend's select op a ts_candidates to
 * append to; the backend reads the device's selected cells straight into it
 * and the engine offers them to each statement's list.  Kept apart from both
 * so that neither calls into the other.
 */
#ifndef TS_CANDIDATES_H
#define TS_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

#include "textsim.h"

/* Selected cells: owner's candidate `other` with `score`. */
typedef struct ts_candidates {
    uint32_t *owner, *other;
    float *score;
    size_t n, cap;
} ts_candidates;

/* Room for `more` candidates after the n already held. */
ts_status ts_candidates_reserve(ts_candidates *c, size_t more, ts_diag *diag);

/* Release the arrays; the struct is left empty (free of an empty one is a
 * no-op). */
void ts_candidates_free(ts_candidates *c);

#endif
