/*
 * topk.c - each statement's best matches so far.
 *
 * With k > 0 every owner has k slots in one array (n * k matches in all,
 * allocated once), kept as a binary heap whose root is the worst match, so
 * an offer that cannot enter costs one comparison against the floor and one
 * that can costs O(log k).  With k = 0 every owner has a growing array.
 * ts_topk_take sorts an owner's matches into the final order; since the
 * order is total (score, then statement number) the result is the same
 * whatever order the offers came in.
 */
#include "topk.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/heap.h"

/* An owner's list when k = 0.  Its counts are uint32_t (an owner has fewer
 * matches than there are statements) so that the header is 16 bytes, one per
 * statement: TS_GROW's size_t capacity would make it 24, which is why the
 * list grows by hand in ts_topk_offer. */
typedef struct growing {
    ts_match *v;
    uint32_t n, cap;
} growing;

struct ts_topk {
    size_t n;
    uint32_t k;
    ts_match *slots;   /* k > 0: n * k */
    uint32_t *count;   /* k > 0: filled slots per owner */
    growing *lists;    /* k = 0 */
    ts_match *taken;   /* the last ts_topk_take's result (k > 0) */
};

ts_status ts_topk_create(ts_topk **out, size_t n, uint32_t k, ts_diag *diag)
{
    *out = NULL;
    ts_topk *t = calloc(1, sizeof *t);
    if (!t)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for the match lists");
    t->n = n;
    t->k = k;
    size_t owners = n ? n : 1;
    if (k) {
        if (owners > SIZE_MAX / sizeof(ts_match) / k) {
            free(t);
            return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                           "%zu statements x top-k %u matches do not fit in memory", n, k);
        }
        t->slots = malloc(owners * k * sizeof *t->slots);
        t->count = calloc(owners, sizeof *t->count);
        t->taken = malloc(k * sizeof *t->taken);
    } else {
        t->lists = calloc(owners, sizeof *t->lists);
    }
    if ((k && (!t->slots || !t->count || !t->taken)) || (!k && !t->lists)) {
        ts_topk_free(t);
        return TS_FAIL(diag, TS_ERR_NOMEM,
                       "out of memory for the match lists of %zu statements (top-k %u): lower "
                       "--top-k",
                       n, k);
    }
    *out = t;
    return TS_OK;
}

void ts_topk_free(ts_topk *t)
{
    if (!t)
        return;
    if (t->lists)
        for (size_t i = 0; i < t->n; i++)
            free(t->lists[i].v);
    free(t->lists);
    free(t->slots);
    free(t->count);
    free(t->taken);
    free(t);
}

/* Heap order: the root is the worst match. */
static int worse(const ts_match *x, const ts_match *y)
{
    return ts_match_before(y->score, y->statement, x->score, x->statement);
}

TS_HEAP_DEFINE(match_heap, ts_match, worse)

ts_status ts_topk_offer(ts_topk *t, uint32_t owner, uint32_t other, float score, ts_diag *diag)
{
    ts_match m = {other, score};
    if (t->k == 0) {
        growing *g = &t->lists[owner];
        if (g->n == g->cap) {
            uint32_t cap = g->cap ? (g->cap > UINT32_MAX / 2 ? UINT32_MAX : g->cap * 2) : 8;
            ts_match *v = cap > g->cap ? realloc(g->v, (size_t)cap * sizeof *v) : NULL;
            if (!v)
                return TS_FAIL(diag, TS_ERR_NOMEM,
                               "out of memory holding the matches of statement %u: raise "
                               "--min-score or set --top-k",
                               owner);
            g->v = v;
            g->cap = cap;
        }
        g->v[g->n++] = m;
        return TS_OK;
    }
    ts_match *h = t->slots + (size_t)owner * t->k;
    uint32_t *n = &t->count[owner];
    if (*n < t->k) {
        h[*n] = m;
        match_heap_sift_up(h, (*n)++);
    } else if (ts_match_before(score, other, h[0].score, h[0].statement)) {
        h[0] = m;
        match_heap_sift_down(h, *n, 0);
    }
    return TS_OK;
}

float ts_topk_floor(const ts_topk *t, uint32_t owner)
{
    if (t->k == 0 || t->count[owner] < t->k)
        return -INFINITY;
    return t->slots[(size_t)owner * t->k].score;
}

static int by_rank(const void *a, const void *b)
{
    const ts_match *x = a, *y = b;
    if (ts_match_before(x->score, x->statement, y->score, y->statement))
        return -1;
    return ts_match_before(y->score, y->statement, x->score, x->statement);
}

ts_status ts_topk_take(ts_topk *t, uint32_t owner, const ts_match **matches, size_t *n,
                       ts_diag *diag)
{
    (void)diag;
    if (t->k == 0) {
        growing *g = &t->lists[owner];
        if (g->n > 1)
            qsort(g->v, g->n, sizeof *g->v, by_rank);
        /* hand the list over in the scratch slot; it is freed at the next take */
        free(t->taken);
        t->taken = g->v;
        *matches = g->v;
        *n = g->n;
        memset(g, 0, sizeof *g);
        return TS_OK;
    }
    uint32_t c = t->count[owner];
    memcpy(t->taken, t->slots + (size_t)owner * t->k, c * sizeof *t->taken);
    if (c > 1)
        qsort(t->taken, c, sizeof *t->taken, by_rank);
    t->count[owner] = 0;
    *matches = t->taken;
    *n = c;
    return TS_OK;
}
