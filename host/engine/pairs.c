/*
 * pairs.c - ts_engine_pairs: every statement's best matches, without the
 * N x N matrix.
 *
 * TRIANGLE (top-k runs below TS_PAIRS_STRIPS_MIN statements, and every run
 * with top_k 0 whose min_score does not exceed 0):
 * PLAN: the statements are cut into tiles of B; tile pair (i, j) is
 * computed for j >= i only, so each unordered pair is computed once and its
 * score offered to both statements: off-diagonal blocks are selected along
 * their rows and their columns, diagonal blocks (which hold both orders of
 * each pair) along their rows.  With cross_source, a block whose rows and
 * columns all lie in one group is never computed.
 * EXECUTE: the backend's select op computes a block on the device and sends
 * back only the cells that can still enter a statement's list (its k best
 * in the block that reach the statement's floor: the worst score its list
 * holds already, passed with the block, so later blocks send back less).
 * Backends without select (cpu), and blocks the device has no memory for,
 * are computed densely and selected on the host by the same rules.
 * SINK: each statement's list lives in ts_topk (N * k matches).  When the
 * blocks of row tile i are done, the statements of tile i are final (the
 * earlier row tiles offered them their columns), so they are handed to the
 * caller then, in order: results stream out while the run goes on.
 * STRIPS: threshold runs (top_k = 0, min_score > 0), and top-k runs on
 * TS_PAIRS_STRIPS_MIN statements or more, take another plan: row strips of B
 * against every statement, so that a pair is kept only from its own row's
 * side and a row's bar is the threshold or its own k-th best so far.  The
 * backend's select_rows op (OpenCL: ts_pairs_pruned in kernels/cosine.cl)
 * does a strip in one pass, never storing a block: the prefix bound skips
 * the posting lists of each row's frequent terms that cannot lift a pair
 * to the bar, only pairs whose partial score can reach it are scored, and
 * each row's k best stay on the device.  Without select_rows, or without
 * device memory, the strip's B x B blocks are computed densely and
 * selected on the host along their rows.  Lists are final after their
 * strip, as in the triangle plan after their row tile.
 * SHARE (ts_engine_pairs_shared, for textsim-mpi): several processes walk
 * the same plan, each computing only the blocks its share hands it; every
 * process still hands over every statement, with the matches of its own
 * blocks, and the caller merges the lists (each pair lies in one block).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "base/diag.h"
#include "candidates.h"
#include "engine.h"
#include "pairs.h"
#include "text/tfidf_internal.h"
#include "topk.h"

/* Default tile: 4096 statements (a 64 MiB block of floats). */
#define PAIRS_TILE 4096u
#define MIXED UINT32_MAX

void ts_pairs_options_init(ts_pairs_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->top_k = 10;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct pairs_run {
    ts_engine *engine;
    ts_engine_stats *stats;
    const ts_pairs_options *opt;
    const uint32_t *groups; /* NULL unless cross_source */
    ts_topk *lists;
    ts_candidates cand;
    float *floors;          /* one per line of a block */
    const uint32_t *tgroup; /* each tile's group, or MIXED */
    size_t tile, ntiles, n;
    ts_diag *diag;
} pairs_run;

static int qualifies(const pairs_run *p, float s, uint32_t owner, uint32_t other)
{
    return s > 0.0f && s >= p->opt->min_score && owner != other &&
           !(p->groups && p->groups[owner] == p->groups[other]);
}

/* The dense path: offer every qualifying cell of the block (and, with
 * columns, its mirror image). */
static ts_status select_on_host(pairs_run *p, const ts_block *blk, const float *scores,
                                int columns)
{
    for (size_t r = 0; r < blk->nrows; r++) {
        uint32_t a = (uint32_t)(blk->row0 + r);
        const float *row = scores + r * blk->ncols;
        for (size_t c = 0; c < blk->ncols; c++) {
            uint32_t b = (uint32_t)(blk->col0 + c);
            float s = row[c];
            if (!qualifies(p, s, a, b))
                continue;
            ts_status st = ts_topk_offer(p->lists, a, b, s, p->diag);
            if (st == TS_OK && columns)
                st = ts_topk_offer(p->lists, b, a, s, p->diag);
            if (st != TS_OK)
                return st;
        }
    }
    return TS_OK;
}

/* Offer what the backend selected on the device to the statements' lists. */
static ts_status offer_candidates(pairs_run *p)
{
    double t0 = now();
    ts_status st = TS_OK;
    for (size_t i = 0; i < p->cand.n && st == TS_OK; i++)
        st = ts_topk_offer(p->lists, p->cand.owner[i], p->cand.other[i], p->cand.score[i],
                           p->diag);
    p->stats->select_s += now() - t0;
    return st;
}

static ts_status run_block(pairs_run *p, const ts_block *blk, int columns)
{
    ts_backend *be = ts_engine_backend(p->engine);
    ts_status st = TS_ERR_DEVICE_MEMORY;
    if (be->ops->select) {
        size_t nl = 0;
        for (size_t r = 0; r < blk->nrows; r++)
            p->floors[nl++] = ts_topk_floor(p->lists, (uint32_t)(blk->row0 + r));
        if (columns)
            for (size_t c = 0; c < blk->ncols; c++)
                p->floors[nl++] = ts_topk_floor(p->lists, (uint32_t)(blk->col0 + c));
        ts_select sel = {p->opt->top_k, p->opt->min_score, p->groups, columns, p->floors, 0, 0, 0};
        p->cand.n = 0;
        st = be->ops->select(be, blk, &sel, &p->cand, p->diag);
        if (st == TS_OK)
            return offer_candidates(p);
        if (st != TS_ERR_DEVICE_MEMORY)
            return st;
        ts_diag_clear(p->diag);
    }
    /* no device selection, or no device memory for it: the dense block */
    const float *scores;
    st = ts_engine_compute(p->engine, blk, &scores, p->diag);
    if (st != TS_OK)
        return st;
    if (be->ops->select)
        p->stats->dense_blocks++;
    double t0 = now();
    st = select_on_host(p, blk, scores, columns);
    p->stats->select_s += now() - t0;
    return st;
}

/* Row strip i on the host: its B x B blocks against every column tile,
 * computed densely, selected along their rows. */
static ts_status run_strip_dense(pairs_run *p, size_t i)
{
    ts_backend *be = ts_engine_backend(p->engine);
    ts_block blk = {i * p->tile, i + 1 < p->ntiles ? p->tile : p->n - i * p->tile, 0, 0};
    for (size_t j = 0; j < p->ntiles; j++) {
        blk.col0 = j * p->tile;
        blk.ncols = j + 1 < p->ntiles ? p->tile : p->n - j * p->tile;
        if (p->tgroup[i] != MIXED && p->tgroup[i] == p->tgroup[j]) {
            be->stats.blocks_skipped++;
            continue;
        }
        const float *scores;
        ts_status st = ts_engine_compute(p->engine, &blk, &scores, p->diag);
        if (st != TS_OK)
            return st;
        if (be->ops->select_rows)
            p->stats->dense_blocks++;
        double t0 = now();
        st = select_on_host(p, &blk, scores, 0);
        p->stats->select_s += now() - t0;
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

/* Row strip i: on the device in one pruned pass when the backend can, else
 * on the host. */
static ts_status run_strip(pairs_run *p, size_t i)
{
    ts_backend *be = ts_engine_backend(p->engine);
    if (be->ops->select_rows) {
        size_t row0 = i * p->tile, nrows = i + 1 < p->ntiles ? p->tile : p->n - row0;
        ts_select sel = {p->opt->top_k, p->opt->min_score, p->groups, 0, NULL, 0, 0, 0};
        p->cand.n = 0;
        ts_status st = be->ops->select_rows(be, row0, nrows, &sel, &p->cand, p->diag);
        if (st == TS_OK)
            return offer_candidates(p);
        if (st != TS_ERR_DEVICE_MEMORY)
            return st;
        ts_diag_clear(p->diag);
    }
    return run_strip_dense(p, i);
}

/* Sum of df^2 over the terms of m: the products of a full sparse m * m^T. */
static uint64_t full_products(const ts_csr *m)
{
    uint32_t *df = calloc((size_t)m->cols + 1, sizeof *df);
    if (!df)
        return 0; /* a counter only */
    for (uint32_t q = 0; q < ts_csr_nnz(m); q++)
        df[m->idx[q]]++;
    uint64_t sum = 0;
    for (uint32_t t = 0; t < m->cols; t++)
        sum += (uint64_t)df[t] * df[t];
    free(df);
    return sum;
}

/* The group of every statement in [first, first + n), or MIXED. */
static uint32_t tile_group(const uint32_t *groups, size_t first, size_t n)
{
    for (size_t i = first + 1; i < first + n; i++)
        if (groups[i] != groups[first])
            return MIXED;
    return groups[first];
}

ts_status ts_pairs_check_options(const ts_pairs_options *o, ts_diag *diag)
{
    if (o->top_k > TS_PAIRS_MAX_TOP_K)
        return TS_FAIL(diag, TS_ERR_ARG, "top-k %u is more than the %u allowed", o->top_k,
                       TS_PAIRS_MAX_TOP_K);
    if (!(o->min_score == o->min_score)) /* NaN */
        return TS_FAIL(diag, TS_ERR_ARG, "the minimum score is not a number");
    if (o->cross_source && !o->groups)
        return TS_FAIL(diag, TS_ERR_ARG, "cross-source matches need the statements' groups");
    return TS_OK;
}

ts_status ts_engine_pairs_tile(ts_engine *engine, const ts_csr *m, size_t *tile, ts_diag *diag)
{
    ts_status st = ts_engine_bind(engine, m, m, diag);
    if (st != TS_OK)
        return st;
    size_t t = ts_engine_tile_rows(engine); /* tiles are square */
    if (t == 0) {
        /* square blocks within the device memory limit, with as much again
         * left for the selected cells */
        size_t cells = ts_engine_max_block_cells(engine) / 2;
        for (t = PAIRS_TILE; t > 64 && t * t > cells;)
            t /= 2;
    }
    *tile = t;
    return TS_OK;
}

ts_status ts_engine_pairs_csr(ts_engine *engine, const ts_csr *m,
                              const ts_pairs_options *options, ts_matches_fn fn, void *user,
                              ts_diag *diag)
{
    return ts_engine_pairs_shared(engine, m, options, NULL, fn, user, diag);
}

ts_status ts_engine_pairs_shared(ts_engine *engine, const ts_csr *m,
                                 const ts_pairs_options *options, const ts_pairs_share *share,
                                 ts_matches_fn fn, void *user, ts_diag *diag)
{
    return ts_engine_pairs_plan(engine, m, options, share, TS_PAIRS_AUTO, fn, user, diag);
}

ts_status ts_engine_pairs_plan(ts_engine *engine, const ts_csr *m,
                               const ts_pairs_options *options, const ts_pairs_share *share,
                               ts_pairs_plan plan, ts_matches_fn fn, void *user, ts_diag *diag)
{
    if (!engine || !m || !fn)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_pairs: NULL argument");
    ts_diag_clear(diag);
    ts_pairs_options defaults;
    if (!options) {
        ts_pairs_options_init(&defaults);
        options = &defaults;
    }
    ts_status st = ts_pairs_check_options(options, diag);
    if (st != TS_OK)
        return st;
    size_t n = m->rows;
    if (n == 0)
        return TS_OK;

    size_t tile = share ? share->tile : 0;
    st = tile ? ts_engine_bind(engine, m, m, diag) : ts_engine_pairs_tile(engine, m, &tile, diag);
    if (st != TS_OK)
        return st;
    if (tile > n)
        tile = n;
    size_t ntiles = (n + tile - 1) / tile;
    uint64_t block = 0, mine = 0; /* the computed blocks' numbers; this process's next one */

    ts_backend *be = ts_engine_backend(engine);
    uint32_t *tgroup = NULL;
    pairs_run p = {engine, &be->stats, options, options->cross_source ? options->groups : NULL,
                   NULL, {0}, NULL, NULL, 0, 0, 0, diag};
    if (share && (st = share->next(share->user, &mine)) != TS_OK)
        goto done;
    st = ts_topk_create(&p.lists, n, options->top_k, diag);
    if (st != TS_OK)
        goto done;
    p.floors = malloc(2 * tile * sizeof *p.floors);
    tgroup = malloc(ntiles * sizeof *tgroup);
    if (!p.floors || !tgroup) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory planning the pairs of %zu statements", n);
        goto done;
    }
    for (size_t t = 0; t < ntiles; t++)
        tgroup[t] = p.groups ? tile_group(p.groups, t * tile, t + 1 < ntiles ? tile : n - t * tile)
                             : MIXED;
    p.tgroup = tgroup;
    p.tile = tile;
    p.ntiles = ntiles;
    p.n = n;
    be->stats.products_full += full_products(m);
    /* row strips, pruned, or the upper triangle (see the top of this file);
     * a backend without the pruned pass computes strips densely, twice the
     * triangle's work */
    const int strips = plan == TS_PAIRS_STRIPS ||
                       (plan == TS_PAIRS_AUTO && be->ops->select_rows &&
                        ((options->top_k == 0 && options->min_score > 0) || n >= TS_PAIRS_STRIPS_MIN));
    for (size_t i = 0; i < ntiles && st == TS_OK; i++) {
        ts_block blk = {i * tile, i + 1 < ntiles ? tile : n - i * tile, 0, 0};
        if (strips && (!share || block++ == mine)) {
            st = run_strip(&p, i);
            if (share && st == TS_OK)
                st = share->next(share->user, &mine);
        }
        for (size_t j = i; !strips && j < ntiles && st == TS_OK; j++) {
            blk.col0 = j * tile;
            blk.ncols = j + 1 < ntiles ? tile : n - j * tile;
            if (tgroup[i] != MIXED && tgroup[i] == tgroup[j]) {
                be->stats.blocks_skipped++;
                continue;
            }
            if (share && block++ != mine)
                continue; /* another process's block */
            st = run_block(&p, &blk, j != i);
            if (share && st == TS_OK)
                st = share->next(share->user, &mine);
        }
        /* the statements of row tile i are final */
        for (size_t s = blk.row0; s < blk.row0 + blk.nrows && st == TS_OK; s++) {
            const ts_match *list;
            size_t count;
            st = ts_topk_take(p.lists, (uint32_t)s, &list, &count, diag);
            if (st != TS_OK)
                break;
            ts_diag_clear(diag);
            st = fn(user, (uint32_t)s, list, count);
            if (st != TS_OK && (!diag || diag->status != st))
                TS_FAIL(diag, st, "the match consumer stopped the run: %s",
                        ts_status_message(st));
        }
    }
done:
    free(tgroup);
    free(p.floors);
    ts_candidates_free(&p.cand);
    ts_topk_free(p.lists);
    return st;
}

ts_status ts_engine_pairs(ts_engine *engine, const ts_tfidf *tfidf,
                          const ts_pairs_options *options, ts_matches_fn fn, void *user,
                          ts_diag *diag)
{
    if (!engine || !tfidf || !fn)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_pairs: NULL argument");
    const ts_csr *m = ts_tfidf_csr(tfidf);
    if (!m)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "ts_engine_pairs: the TF-IDF has no matrix");
    return ts_engine_pairs_csr(engine, m, options, fn, user, diag);
}
