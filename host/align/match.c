/*
 * match.c - matching the statements of two sources one-to-one (match.h).
 *
 * Mutual best is two passes over the block (best column of each row, best
 * row of each column), or over a sparse list of pairs.  The assignment
 * splits the allowed pairs into connected components with a union-find and
 * runs the Hungarian algorithm (e-maxx formulation: rows added one by one
 * along shortest augmenting paths, with potentials) on each component.  Its
 * weights are triples of 64-bit integers compared lexicographically - score
 * on a 2^-36 grid, then a pair count with an index penalty, then an index
 * product - so the tie rules of match.h hold exactly; the algorithm needs
 * only addition, subtraction and comparison, which an ordered group of
 * triples provides.  Hand-written: no library on the system offers an
 * assignment solver.  ts_align_match_sources sorts the candidates by one
 * composite key (source pair, then statements) and matches each run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "match.h"

/* ------------------------------------------------------------------ pairs */

void ts_align_pairs_init(ts_align_pairs *pairs)
{
    if (!pairs)
        return;
    pairs->items = NULL;
    pairs->count = 0;
    pairs->capacity = 0;
}

void ts_align_pairs_free(ts_align_pairs *pairs)
{
    if (!pairs)
        return;
    free(pairs->items);
    ts_align_pairs_init(pairs);
}

ts_status ts_align_pairs_push(ts_align_pairs *pairs, uint32_t a, uint32_t b, float score,
                              ts_diag *diag)
{
    if (!pairs)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_pairs_push: the pair list is NULL");
    if (!TS_GROW(pairs->items, pairs->capacity, pairs->count + 1))
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory storing %zu matched pairs",
                       pairs->count + 1);
    pairs->items[pairs->count++] = (ts_align_pair){a, b, score};
    return TS_OK;
}

/* ------------------------------------------------------------------ blocks */

static ts_status check_block(const ts_align_block *block, float threshold,
                             const ts_align_pairs *out, const char *who, ts_diag *diag)
{
    if (!block)
        return TS_FAIL(diag, TS_ERR_ARG, "%s: the block is NULL", who);
    if (!out)
        return TS_FAIL(diag, TS_ERR_ARG, "%s: the output list is NULL", who);
    if (isnan(threshold))
        return TS_FAIL(diag, TS_ERR_ARG, "%s: the threshold is NaN; give a number", who);
    if (block->na == 0 || block->nb == 0)
        return TS_OK;
    if (!block->scores)
        return TS_FAIL(diag, TS_ERR_ARG, "%s: a %zu x %zu block has no scores", who,
                       block->na, block->nb);
    if (block->ld < block->nb)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "%s: the leading dimension %zu is smaller than the %zu columns", who,
                       block->ld, block->nb);
    if ((uint64_t)block->a0 + block->na > (uint64_t)UINT32_MAX + 1 ||
        (uint64_t)block->b0 + block->nb > (uint64_t)UINT32_MAX + 1)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "%s: statement ids of the block do not fit in 32 bits", who);
    return TS_OK;
}

static int eligible(const unsigned char *mask, size_t i) { return !mask || mask[i]; }

static float score_at(const ts_align_block *block, size_t ia, size_t ib)
{
    return block->scores[ia * block->ld + ib];
}

ts_status ts_align_mutual_best(const ts_align_block *block, float threshold,
                               ts_align_pairs *out, ts_diag *diag)
{
    ts_status st = check_block(block, threshold, out, "ts_align_mutual_best", diag);
    if (st != TS_OK)
        return st;
    size_t na = block->na, nb = block->nb, before = out->count;
    if (na == 0 || nb == 0)
        return TS_OK;
    /* best_b[ia], best_a[ib]: SIZE_MAX when nothing eligible scores a number */
    size_t *best_b = malloc(na * sizeof *best_b);
    size_t *best_a = malloc(nb * sizeof *best_a);
    if (!best_b || !best_a) {
        free(best_b);
        free(best_a);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory matching a %zu x %zu block", na, nb);
    }
    for (size_t ib = 0; ib < nb; ib++)
        best_a[ib] = SIZE_MAX;
    for (size_t ia = 0; ia < na; ia++) {
        best_b[ia] = SIZE_MAX;
        if (!eligible(block->eligible_a, ia))
            continue;
        for (size_t ib = 0; ib < nb; ib++) {
            if (!eligible(block->eligible_b, ib))
                continue;
            float s = score_at(block, ia, ib);
            if (isnan(s))
                continue;
            /* strict '>' keeps the lowest index among equal scores */
            if (best_b[ia] == SIZE_MAX || s > score_at(block, ia, best_b[ia]))
                best_b[ia] = ib;
            if (best_a[ib] == SIZE_MAX || s > score_at(block, best_a[ib], ib))
                best_a[ib] = ia;
        }
    }
    for (size_t ia = 0; ia < na && st == TS_OK; ia++) {
        size_t ib = best_b[ia];
        if (ib == SIZE_MAX || best_a[ib] != ia)
            continue;
        float s = score_at(block, ia, ib);
        if (s >= threshold)
            st = ts_align_pairs_push(out, (uint32_t)(block->a0 + ia), (uint32_t)(block->b0 + ib),
                                     s, diag);
    }
    free(best_b);
    free(best_a);
    if (st != TS_OK)
        out->count = before;
    return st;
}

static size_t find_u32(const uint32_t *sorted, size_t n, uint32_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* The a (side 0) or b (side 1) of the pairs, sorted and unique. */
static ts_status pair_side(const ts_align_pair *pairs, size_t n, int side, uint32_t **out,
                           size_t *count, ts_diag *diag)
{
    uint32_t *v = *out = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory matching %zu pairs", n);
    for (size_t k = 0; k < n; k++)
        v[k] = side ? pairs[k].b : pairs[k].a;
    qsort(v, n, sizeof *v, cmp_u32);
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (m == 0 || v[k] != v[m - 1])
            v[m++] = v[k];
    *count = m;
    return TS_OK;
}

ts_status ts_align_mutual_best_pairs(const ts_align_pair *pairs, size_t n, float threshold,
                                     ts_align_pairs *out, ts_diag *diag)
{
    if (isnan(threshold))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_mutual_best_pairs: the threshold is NaN");
    if (!out || (n && !pairs))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_mutual_best_pairs: NULL pairs or output");
    for (size_t k = 0; k < n; k++)
        if (isnan(pairs[k].score) ||
            (k && (pairs[k].a < pairs[k - 1].a ||
                   (pairs[k].a == pairs[k - 1].a && pairs[k].b <= pairs[k - 1].b))))
            return TS_FAIL(diag, TS_ERR_ARG,
                           "ts_align_mutual_best_pairs: pair %zu is %s", k,
                           isnan(pairs[k].score) ? "NaN" : "out of (a, b) order or repeated");
    size_t before = out->count;
    if (n == 0)
        return TS_OK;
    /* the columns, sorted and unique; best_a[c] is column c's best row */
    uint32_t *cols = NULL, *best_a = malloc(n * sizeof *best_a);
    float *best_s = malloc(n * sizeof *best_s);
    size_t nc;
    ts_status st = pair_side(pairs, n, 1, &cols, &nc, diag);
    if (st == TS_OK && (!best_a || !best_s))
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory matching %zu pairs", n);
    if (st != TS_OK) {
        free(cols);
        free(best_a);
        free(best_s);
        return st;
    }
    for (size_t c = 0; c < nc; c++)
        best_a[c] = UINT32_MAX;
    /* rows come in ascending order: strict '>' keeps the lowest among equals */
    for (size_t k = 0; k < n; k++) {
        size_t c = find_u32(cols, nc, pairs[k].b);
        if (best_a[c] == UINT32_MAX || pairs[k].score > best_s[c]) {
            best_a[c] = pairs[k].a;
            best_s[c] = pairs[k].score;
        }
    }
    for (size_t k = 0; k < n && st == TS_OK;) {
        size_t best = k, e = k + 1;
        for (; e < n && pairs[e].a == pairs[k].a; e++)
            if (pairs[e].score > pairs[best].score)
                best = e;
        const ts_align_pair *p = &pairs[best];
        if (best_a[find_u32(cols, nc, p->b)] == p->a && p->score >= threshold)
            st = ts_align_pairs_push(out, p->a, p->b, p->score, diag);
        k = e;
    }
    free(cols);
    free(best_a);
    free(best_s);
    if (st != TS_OK)
        out->count = before;
    return st;
}

/* -------------------------------------------------------------- assignment */

/* A weight: lexicographic triple (see the file comment and match.h). */
typedef struct weight {
    int64_t score; /* score * 2^36 */
    int64_t count; /* 2^34 per pair minus (ia + ib) */
    int64_t prod;  /* ia * ib */
} weight;

#define SCORE_SCALE 68719476736.0 /* 2^36 */
#define COUNT_UNIT ((int64_t)1 << 34)
#define MAX_SCORE 16.0f
#define MAX_ASSIGN_DIM 65535u

static weight w_add(weight x, weight y)
{
    return (weight){x.score + y.score, x.count + y.count, x.prod + y.prod};
}

static weight w_sub(weight x, weight y)
{
    return (weight){x.score - y.score, x.count - y.count, x.prod - y.prod};
}

static int w_less(weight x, weight y)
{
    if (x.score != y.score)
        return x.score < y.score;
    if (x.count != y.count)
        return x.count < y.count;
    return x.prod < y.prod;
}

/* Weight of pair (ia, ib) into *w; 0 when the pair is forbidden. */
static int pair_weight(const ts_align_block *block, float threshold, size_t ia, size_t ib,
                       weight *w)
{
    if (!eligible(block->eligible_a, ia) || !eligible(block->eligible_b, ib))
        return 0;
    float s = score_at(block, ia, ib);
    if (!(s >= threshold) || !(s > 0.0f))
        return 0;
    double q = nearbyint((double)s * SCORE_SCALE);
    if (q < 1.0)
        return 0;
    w->score = (int64_t)q;
    w->count = COUNT_UNIT - (int64_t)(ia + ib);
    w->prod = (int64_t)ia * (int64_t)ib;
    return 1;
}

/* Union-find over na + nb nodes (rows, then columns). */
static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(size_t *parent, size_t x, size_t y)
{
    x = uf_find(parent, x);
    y = uf_find(parent, y);
    /* the lower node becomes the root: the result does not depend on order */
    if (x < y)
        parent[y] = x;
    else if (y < x)
        parent[x] = y;
}

/* Work space of one component's Hungarian run, sized for the largest. */
typedef struct hungarian {
    const ts_align_block *block;
    float threshold;
    const size_t *rows, *cols; /* block indices of the component's rows and columns */
    size_t n, m;               /* n <= m */
    int transposed;            /* rows are block columns */
    weight *u, *v, *minv;      /* [n + 1], [m + 1], [m + 1] */
    size_t *p, *way;           /* [m + 1] */
    unsigned char *used;       /* [m + 1] */
} hungarian;

/* Cost of (row i, column j), 1-based: minus the weight, 0 when forbidden. */
static weight h_cost(const hungarian *h, size_t i, size_t j)
{
    size_t ia = h->transposed ? h->cols[j - 1] : h->rows[i - 1];
    size_t ib = h->transposed ? h->rows[i - 1] : h->cols[j - 1];
    weight w;
    if (!pair_weight(h->block, h->threshold, ia, ib, &w))
        return (weight){0, 0, 0};
    return (weight){-w.score, -w.count, -w.prod};
}

/* Minimum-cost assignment of every row to a distinct column (n <= m). */
static void h_solve(hungarian *h)
{
    size_t n = h->n, m = h->m;
    for (size_t j = 0; j <= m; j++) {
        h->v[j] = (weight){0, 0, 0};
        h->p[j] = 0;
        h->way[j] = 0;
    }
    for (size_t i = 0; i <= n; i++)
        h->u[i] = (weight){0, 0, 0};
    for (size_t i = 1; i <= n; i++) {
        size_t j0 = 0;
        h->p[0] = i;
        for (size_t j = 0; j <= m; j++) {
            h->used[j] = 0;
            h->minv[j] = (weight){INT64_MAX, 0, 0};
        }
        do {
            h->used[j0] = 1;
            size_t i0 = h->p[j0], j1 = 0;
            weight delta = {INT64_MAX, 0, 0};
            for (size_t j = 1; j <= m; j++) {
                if (h->used[j])
                    continue;
                weight cur = w_sub(w_sub(h_cost(h, i0, j), h->u[i0]), h->v[j]);
                if (w_less(cur, h->minv[j])) {
                    h->minv[j] = cur;
                    h->way[j] = j0;
                }
                /* among equal minima a free column ends the search at once */
                if (w_less(h->minv[j], delta) ||
                    (h->p[j] == 0 && h->p[j1] != 0 && !w_less(delta, h->minv[j]))) {
                    delta = h->minv[j];
                    j1 = j;
                }
            }
            for (size_t j = 0; j <= m; j++) {
                if (h->used[j]) {
                    h->u[h->p[j]] = w_add(h->u[h->p[j]], delta);
                    h->v[j] = w_sub(h->v[j], delta);
                } else {
                    h->minv[j] = w_sub(h->minv[j], delta);
                }
            }
            j0 = j1;
        } while (h->p[j0] != 0);
        do {
            size_t j1 = h->way[j0];
            h->p[j0] = h->p[j1];
            j0 = j1;
        } while (j0 != 0);
    }
}

static int compare_pairs(const void *x, const void *y)
{
    const ts_align_pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    return 0;
}

ts_status ts_align_assignment(const ts_align_block *block, float threshold,
                              ts_align_pairs *out, ts_diag *diag)
{
    ts_status st = check_block(block, threshold, out, "ts_align_assignment", diag);
    if (st != TS_OK)
        return st;
    size_t na = block->na, nb = block->nb, before = out->count;
    if (na == 0 || nb == 0)
        return TS_OK;
    if (na > MAX_ASSIGN_DIM || nb > MAX_ASSIGN_DIM)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "ts_align_assignment: a %zu x %zu block is too large (at most %u "
                       "statements per side); split it or use mutual best matching",
                       na, nb, MAX_ASSIGN_DIM);

    size_t nodes = na + nb;
    size_t *parent = malloc(nodes * sizeof *parent);
    size_t *order = malloc(nodes * sizeof *order);  /* nodes grouped by component */
    size_t *start = malloc((nodes + 1) * sizeof *start);
    size_t *rows = malloc(nodes * sizeof *rows), *cols = malloc(nodes * sizeof *cols);
    hungarian h = {0};
    size_t dim = (na > nb ? na : nb) + 1;
    h.u = malloc(dim * sizeof *h.u);
    h.v = malloc(dim * sizeof *h.v);
    h.minv = malloc(dim * sizeof *h.minv);
    h.p = malloc(dim * sizeof *h.p);
    h.way = malloc(dim * sizeof *h.way);
    h.used = malloc(dim);
    if (!parent || !order || !start || !rows || !cols || !h.u || !h.v || !h.minv || !h.p ||
        !h.way || !h.used) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory assigning a %zu x %zu block", na, nb);
        goto done;
    }

    /* components of the allowed pairs; check the scores on the way */
    for (size_t x = 0; x < nodes; x++)
        parent[x] = x;
    for (size_t ia = 0; ia < na; ia++) {
        for (size_t ib = 0; ib < nb; ib++) {
            weight w;
            float s = score_at(block, ia, ib);
            if (!eligible(block->eligible_a, ia) || !eligible(block->eligible_b, ib) ||
                !(s >= threshold) || !(s > 0.0f))
                continue;
            if (!(fabsf(s) <= MAX_SCORE)) {
                st = TS_FAIL(diag, TS_ERR_ARG,
                             "ts_align_assignment: score %g at (%zu, %zu) is not a cosine; "
                             "scores must be finite and within [-%g, %g]",
                             (double)s, ia, ib, (double)MAX_SCORE, (double)MAX_SCORE);
                goto done;
            }
            if (pair_weight(block, threshold, ia, ib, &w))
                uf_union(parent, ia, na + ib);
        }
    }
    /* counting sort of nodes by root keeps each component's rows and
     * columns in ascending order */
    for (size_t x = 0; x <= nodes; x++)
        start[x] = 0;
    for (size_t x = 0; x < nodes; x++)
        start[uf_find(parent, x) + 1]++;
    for (size_t x = 0; x < nodes; x++)
        start[x + 1] += start[x];
    {
        size_t *fill = cols; /* borrowed as a cursor before it is needed */
        for (size_t x = 0; x < nodes; x++)
            fill[x] = start[x];
        for (size_t x = 0; x < nodes; x++) {
            size_t r = uf_find(parent, x);
            order[fill[r]++] = x;
        }
    }

    for (size_t root = 0; root < nodes && st == TS_OK; root++) {
        size_t nr = 0, nc = 0;
        for (size_t q = start[root]; q < start[root + 1]; q++) {
            size_t x = order[q];
            if (x < na)
                rows[nr++] = x;
            else
                cols[nc++] = x - na;
        }
        if (nr == 0 || nc == 0)
            continue; /* a lone statement */
        h.block = block;
        h.threshold = threshold;
        h.transposed = nr > nc;
        h.rows = h.transposed ? cols : rows;
        h.cols = h.transposed ? rows : cols;
        h.n = h.transposed ? nc : nr;
        h.m = h.transposed ? nr : nc;
        h_solve(&h);
        for (size_t j = 1; j <= h.m && st == TS_OK; j++) {
            size_t i = h.p[j];
            if (i == 0)
                continue;
            size_t ia = h.transposed ? h.cols[j - 1] : h.rows[i - 1];
            size_t ib = h.transposed ? h.rows[i - 1] : h.cols[j - 1];
            weight w;
            if (pair_weight(block, threshold, ia, ib, &w))
                st = ts_align_pairs_push(out, (uint32_t)(block->a0 + ia),
                                         (uint32_t)(block->b0 + ib), score_at(block, ia, ib),
                                         diag);
        }
    }
    if (st == TS_OK && out->count - before > 1)
        qsort(out->items + before, out->count - before, sizeof *out->items, compare_pairs);

done:
    if (st != TS_OK)
        out->count = before;
    free(parent);
    free(order);
    free(start);
    free(rows);
    free(cols);
    free(h.u);
    free(h.v);
    free(h.minv);
    free(h.p);
    free(h.way);
    free(h.used);
    return st;
}

ts_status ts_align_assignment_pairs(const ts_align_pair *pairs, size_t n, float threshold,
                                    ts_align_pairs *out, ts_diag *diag)
{
    if (!out || (n && !pairs))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_assignment_pairs: NULL pairs or output");
    uint32_t *rows = NULL, *cols = NULL;
    size_t nr = 0, nc = 0, before = out->count;
    float *block = NULL;
    ts_align_pairs local;
    ts_align_pairs_init(&local);
    ts_status st = pair_side(pairs, n, 0, &rows, &nr, diag);
    if (st == TS_OK)
        st = pair_side(pairs, n, 1, &cols, &nc, diag);
    if (st == TS_OK && !(block = calloc(nr && nc ? nr * nc : 1, sizeof *block)))
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for a %zu x %zu block", nr, nc);
    if (st == TS_OK) {
        for (size_t k = 0; k < n; k++)
            block[find_u32(rows, nr, pairs[k].a) * nc + find_u32(cols, nc, pairs[k].b)] =
                pairs[k].score;
        ts_align_block blk = {.scores = block, .na = nr, .nb = nc, .ld = nc};
        st = ts_align_assignment(&blk, threshold, &local, diag);
    }
    for (size_t k = 0; k < local.count && st == TS_OK; k++)
        st = ts_align_pairs_push(out, rows[local.items[k].a], cols[local.items[k].b],
                                 local.items[k].score, diag);
    if (st != TS_OK)
        out->count = before;
    ts_align_pairs_free(&local);
    free(block);
    free(rows);
    free(cols);
    return st;
}

/* ------------------------------------------------------- every source pair */

/* Candidates sorted by (source of a, source of b, a, b) through one composite key. */
typedef struct keyed_pair {
    uint64_t key_hi; /* source of a, source of b */
    uint64_t key_lo; /* a, b */
    float score;
} keyed_pair;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed_pair *p = x, *q = y;
    if (p->key_hi != q->key_hi)
        return p->key_hi < q->key_hi ? -1 : 1;
    return (p->key_lo > q->key_lo) - (p->key_lo < q->key_lo);
}

/* Match one source pair's candidates g[0..count) (same sources, sorted). */
static ts_status match_group(const keyed_pair *g, size_t count, ts_match_mode mode,
                             float threshold, ts_align_pairs *out, ts_diag *diag)
{
    ts_align_pair *pairs = malloc(count * sizeof *pairs);
    if (!pairs)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory matching statements");
    for (size_t k = 0; k < count; k++)
        pairs[k] = (ts_align_pair){(uint32_t)(g[k].key_lo >> 32), (uint32_t)g[k].key_lo, g[k].score};
    ts_status st = mode == TS_MATCH_ASSIGNMENT
                       ? ts_align_assignment_pairs(pairs, count, threshold, out, diag)
                       : ts_align_mutual_best_pairs(pairs, count, threshold, out, diag);
    free(pairs);
    return st;
}

ts_status ts_align_match_sources(ts_align_pairs *cand, const uint32_t *source_of,
                                 ts_match_mode mode, float threshold, ts_align_pairs *out,
                                 ts_diag *diag)
{
    size_t n = cand->count;
    keyed_pair *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory matching statements");
    for (size_t i = 0; i < n; i++) {
        const ts_align_pair *p = &cand->items[i];
        k[i].key_hi = (uint64_t)source_of[p->a] << 32 | source_of[p->b];
        k[i].key_lo = (uint64_t)p->a << 32 | p->b;
        k[i].score = p->score;
    }
    ts_align_pairs_free(cand); /* the keyed copy replaces them: peak memory */
    qsort(k, n, sizeof *k, cmp_keyed);
    ts_status st = TS_OK;
    for (size_t i = 0; i < n && st == TS_OK;) {
        size_t j = i;
        while (j < n && k[j].key_hi == k[i].key_hi)
            j++;
        st = match_group(k + i, j - i, mode, threshold, out, diag);
        i = j;
    }
    free(k);
    return st;
}
