/*
 * candidates.c - the growable arrays of selected cells (see candidates.h).
 *
 * Three parallel arrays (owner, other, score) so that a backend can read
 * each device buffer into one of them without repacking; growth doubles.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "candidates.h"

ts_status ts_candidates_reserve(ts_candidates *c, size_t more, ts_diag *diag)
{
    if (more <= c->cap - c->n)
        return TS_OK;
    size_t cap = more <= SIZE_MAX - c->n ? ts_grow_cap(c->cap, c->n + more, sizeof *c->owner) : 0;
    if (!cap || !ts_resize(&c->owner, cap, sizeof *c->owner) ||
        !ts_resize(&c->other, cap, sizeof *c->other) ||
        !ts_resize(&c->score, cap, sizeof *c->score))
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
