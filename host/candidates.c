/*
 * candidates.c - the growable arrays of selected cells (see candidates.h).
 *
 * Three parallel arrays (owner, other, score) so that a backend can read
 * each device buffer into one of them without repacking; growth doubles.
 */
#include <stdlib.h>
#include <string.h>

#include "candidates.h"
#include "diag.h"

ts_status ts_candidates_reserve(ts_candidates *c, size_t more, ts_diag *diag)
{
    if (more <= c->cap - c->n)
        return TS_OK;
    size_t cap = c->cap ? c->cap : 1024;
    while (cap - c->n < more)
        cap *= 2;
    uint32_t *owner = realloc(c->owner, cap * sizeof *owner);
    if (owner)
        c->owner = owner;
    uint32_t *other = realloc(c->other, cap * sizeof *other);
    if (other)
        c->other = other;
    float *score = realloc(c->score, cap * sizeof *score);
    if (score)
        c->score = score;
    if (!owner || !other || !score)
        return TS_FAIL(diag, TS_ERR_NOMEM,
                       "out of memory for %zu candidate matches: set a smaller --top-k or "
                       "a higher --min-score",
                       cap);
    c->cap = cap;
    return TS_OK;
}

void ts_candidates_free(ts_candidates *c)
{
    free(c->owner);
    free(c->other);
    free(c->score);
    memset(c, 0, sizeof *c);
}
