/*
 * search.c - ts_engine_search: each query's best archive statements, over
 * a queries x archive plan (no archive x archive work).
 *
 * PRUNED (where the backend has select_rows, for top-k runs on archives of
 * TS_PAIRS_STRIPS_MIN statements or more and for threshold runs): strips
 * of TS_SEARCH_STRIP queries, each in one pass of the pruned kernel of pairs
 * (kernels/cosine.cl), the queries as its rows and the archive as its
 * columns: the prefix bounds come from the archive's term maxima, so a
 * query's frequent terms are not scattered when they cannot lift a pair to
 * its bar, and only pairs whose partial score can reach it are scored
 * exactly; owner_shift tells it that no query is an archive statement.
 * BLOCKS (elsewhere, and for a strip the device has no memory for): row
 * strips of the queries against every archive statement
 * (ts_engine_plan_strips over Q x N), blocks ascending by column within a
 * strip.  Where the backend selects on the device (OpenCL on a GPU;
 * select_search in backend.h), each block is computed there and only the
 * cells that can still be among a query's best come back (the select op of
 * pairs); elsewhere (cpu, pocl) the block is computed whole and every cell
 * >= min_score and >= its query's floor (the k-th best so far) is offered
 * here.  SINK: the offers go to each query's list (ts_topk: its k best by
 * score, then the lower archive statement), and when a strip is done its
 * queries are final and handed to the caller, in query order.  So the
 * result is exactly the sorted rows of the full Q x N product, whatever
 * the plan and the block sizes.  A query is never compared with another
 * query, and an archive statement with the same number as a query is an
 * ordinary match.
 * SHARE (textsim-mpi, ts_search_share in search.h): the work cut into
 * units, a strip of queries against a part of the archive (the kernel's
 * column range, or the blocks of that part); each process computes the
 * units its share hands it and hands over every query with the k best of
 * its own units, which the caller merges (each pair lies in one unit).
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "base/diag.h"
#include "engine.h"
#include "front.h"
#include "pairs.h"
#include "search.h"
#include "text/tfidf_internal.h"
#include "topk.h"

typedef struct search_run {
    ts_engine *engine;
    ts_backend *be;
    const ts_pairs_options *opt;
    ts_topk *lists;
    size_t nrows;       /* queries */
    size_t ncols;       /* archive statements */
    float *floors;      /* one per query of a block */
    ts_candidates cand;
    ts_matches_fn fn;
    void *user;
    ts_diag *diag;
} search_run;

/* The floor below which a cell cannot enter query q's list. */
static float floor_of(const search_run *s, uint32_t q)
{
    float bar = ts_topk_floor(s->lists, q);
    return bar < s->opt->min_score ? s->opt->min_score : bar;
}

/* Cells scanned at a time for their largest score. */
#define SCAN_CHUNK 256

/* The largest of v[0, n) as a float's bits read as an integer: for the
 * non-negative scores of TF-IDF rows that order is the floats' order, and
 * an integer maximum vectorizes where a float one (NaN rules) may not.  A
 * negative score or a NaN can only make the result larger, never hide a
 * cell that qualifies. */
static int32_t chunk_max_bits(const float *v, size_t n)
{
    int32_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t b;
        memcpy(&b, v + i, sizeof b);
        m = b > m ? b : m;
    }
    return m;
}

/* The dense path: offer the block's cells that can enter their lists.
 * Most cells of a large archive are below their query's floor, so each
 * chunk's largest score is compared first: scanning 10^10 cells this way
 * runs at memory speed, where testing each cell did not. */
static ts_status offer_scores(search_run *s, const ts_block *blk, const float *scores)
{
    for (size_t r = 0; r < blk->nrows; r++) {
        const float *row = scores + r * blk->ncols;
        uint32_t q = (uint32_t)(blk->row0 + r);
        float bar = floor_of(s, q);
        for (size_t c0 = 0; c0 < blk->ncols; c0 += SCAN_CHUNK) {
            size_t c1 = c0 + SCAN_CHUNK < blk->ncols ? c0 + SCAN_CHUNK : blk->ncols;
            int32_t top = chunk_max_bits(row + c0, c1 - c0);
            float best;
            memcpy(&best, &top, sizeof best);
            if (!(best > 0.0f && best >= bar))
                continue;
            for (size_t c = c0; c < c1; c++) {
                float v = row[c];
                if (!(v > 0.0f && v >= bar))
                    continue;
                ts_status st = ts_topk_offer(s->lists, q, (uint32_t)(blk->col0 + c), v, s->diag);
                if (st != TS_OK)
                    return st;
                bar = floor_of(s, q);
            }
        }
    }
    return TS_OK;
}

/* One block: selected on the device where the backend can (only the cells
 * that can still be among a query's best come back), else computed whole
 * and selected here. */
static ts_status run_block(search_run *s, const ts_block *blk)
{
    ts_status st;
    if (s->be->ops->select && s->be->select_search && s->nrows + s->ncols < UINT32_MAX) {
        for (size_t r = 0; r < blk->nrows; r++)
            s->floors[r] = ts_topk_floor(s->lists, (uint32_t)(blk->row0 + r));
        /* owner_shift: query q is statement ncols + q where the kernel
         * compares it with archive statements, so no query is "itself" */
        ts_select sel = {s->opt->top_k, s->opt->min_score, NULL, 0, s->floors,
                         (uint32_t)s->ncols, 0, 0};
        s->cand.n = 0;
        st = s->be->ops->select(s->be, blk, &sel, &s->cand, s->diag);
        for (size_t i = 0; st == TS_OK && i < s->cand.n; i++)
            st = ts_topk_offer(s->lists, s->cand.owner[i], s->cand.other[i], s->cand.score[i],
                               s->diag);
        if (st != TS_ERR_DEVICE_MEMORY)
            return st;
        ts_diag_clear(s->diag);
        s->be->stats.dense_blocks++;
    }
    const float *scores;
    st = ts_engine_compute(s->engine, blk, &scores, s->diag);
    return st == TS_OK ? offer_scores(s, blk, scores) : st;
}

/* Hand the final lists of queries [row0, row0 + nrows) to the caller. */
static ts_status deliver(search_run *s, size_t row0, size_t nrows)
{
    for (size_t r = 0; r < nrows; r++) {
        const ts_match *m;
        size_t n;
        uint32_t q = (uint32_t)(row0 + r);
        ts_status st = ts_topk_take(s->lists, q, &m, &n, s->diag);
        if (st == TS_OK)
            st = s->fn(s->user, q, m, n);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

/* Queries [row0, row0 + nrows) against the archive statements [col0,
 * col0 + ncols), block by block. */
static ts_status run_blocks(search_run *s, size_t row0, size_t nrows, size_t col0, size_t ncols)
{
    ts_block *plan = NULL;
    size_t nblocks = 0, most = 1;
    ts_status st = ts_engine_plan_strips(s->engine, nrows, ncols,
                                         ts_engine_max_block_cells(s->engine), &plan, &nblocks,
                                         s->diag);
    for (size_t i = 0; st == TS_OK && i < nblocks; i++) {
        plan[i].row0 += row0;
        plan[i].col0 += col0;
        most = plan[i].nrows > most ? plan[i].nrows : most;
    }
    float *floors = st == TS_OK ? realloc(s->floors, most * sizeof *floors) : NULL;
    if (st == TS_OK && !floors)
        st = TS_FAIL(s->diag, TS_ERR_NOMEM, "out of memory for the search's floors");
    if (floors)
        s->floors = floors;
    for (size_t i = 0; st == TS_OK && i < nblocks; i++)
        st = run_block(s, &plan[i]);
    free(plan);
    return st;
}

/* The same in one pruned pass on the device (select_rows: the queries as
 * rows, the archive's column maxima as the bounds), else, without device
 * memory for it, block by block. */
static ts_status run_pruned(search_run *s, size_t row0, size_t nrows, size_t col0, size_t ncols)
{
    /* owner_shift: query q is statement ncols + q among the archive's, so
     * no query is "itself" */
    ts_select sel = {s->opt->top_k, s->opt->min_score, NULL, 0, NULL, (uint32_t)s->ncols,
                     col0, ncols};
    s->cand.n = 0;
    ts_status st = s->be->ops->select_rows(s->be, row0, nrows, &sel, &s->cand, s->diag);
    if (st == TS_ERR_DEVICE_MEMORY) {
        ts_diag_clear(s->diag);
        s->be->stats.dense_blocks++;
        return run_blocks(s, row0, nrows, col0, ncols);
    }
    for (size_t i = 0; st == TS_OK && i < s->cand.n; i++)
        st = ts_topk_offer(s->lists, s->cand.owner[i], s->cand.other[i], s->cand.score[i],
                           s->diag);
    return st;
}

/* Whether the two matrices have the same columns (terms, in order). */
static int same_columns(const ts_tfidf *a, const ts_tfidf *b)
{
    size_t n = ts_tfidf_cols(a);
    if (n != ts_tfidf_cols(b))
        return 0;
    for (size_t c = 0; c < n; c++)
        if (strcmp(ts_tfidf_term(a, c), ts_tfidf_term(b, c)) != 0)
            return 0;
    return 1;
}

/* The products of a full sparse Q * A^T: for each query entry, the
 * archive statements holding its term (a counter for the stats; the
 * posting lists' lengths when the archive has them, a_t). */
static uint64_t full_products(const ts_csr *q, const ts_csr *a, const ts_csr *a_t)
{
    uint32_t *df = malloc(((size_t)a->cols + 1) * sizeof *df);
    if (!df)
        return 0; /* a counter only */
    ts_front_df_lists(a, a_t, df);
    uint64_t sum = 0;
    for (size_t p = 0; p < ts_csr_nnz(q); p++)
        sum += df[q->idx[p]];
    free(df);
    return sum;
}

ts_status ts_engine_search_csr(ts_engine *engine, const ts_csr *queries, const ts_csr *archive,
                               const ts_csr *postings, const ts_pairs_options *options,
                               ts_search_plan plan, const ts_search_share *share,
                               ts_matches_fn fn, void *user, ts_diag *diag)
{
    if (!engine || !queries || !archive || !fn ||
        (share && (!share->next || !share->strip || !share->parts)))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_search: NULL argument");
    ts_pairs_options defaults;
    if (!options) {
        ts_pairs_options_init(&defaults);
        options = &defaults;
    }
    ts_status st = ts_pairs_check_options(options, diag);
    if (st != TS_OK)
        return st;
    if (options->cross_source)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "cross_source does not apply to a search: queries and archive are "
                       "different statements already");
    size_t nq = queries->rows, na = archive->rows;
    if (nq == 0 || na == 0) { /* nothing to compute: every query has no match */
        for (size_t q = 0; st == TS_OK && q < nq; q++)
            st = fn(user, (uint32_t)q, NULL, 0);
        return st;
    }
    ts_topk *lists = NULL;
    st = ts_topk_create(&lists, nq, options->top_k, diag);
    if (st == TS_OK)
        st = ts_engine_bind_postings(engine, queries, archive, postings, diag);
    search_run run = {engine, ts_engine_backend(engine), options, lists, nq, na, NULL, {0}, fn,
                      user, diag};
    /* pruned where the backend has the pass and the run has a bar (k best,
     * or a threshold): on large archives in AUTO, as pairs takes its strips */
    int pruned = run.be->ops->select_rows && nq + na < UINT32_MAX &&
                 (options->top_k > 0 || options->min_score > 0) &&
                 (plan == TS_SEARCH_PRUNED ||
                  (plan == TS_SEARCH_AUTO &&
                   (options->top_k == 0 || na >= TS_PAIRS_STRIPS_MIN)));
    if (pruned && st == TS_OK)
        run.be->stats.products_full += full_products(queries, archive, postings);
    /* strips of queries, each against the archive's parts in turn; the
     * units (strip, part) numbered strip by strip from 0: a share computes
     * its own; a strip is final after its last part */
    size_t strip = share ? share->strip : pruned ? TS_SEARCH_STRIP : nq;
    size_t parts = share ? share->parts : 1, part = (na + parts - 1) / parts;
    uint64_t number = 0, mine = 0;
    if (share && st == TS_OK)
        st = share->next(share->user, &mine);
    for (size_t q0 = 0; st == TS_OK && q0 < nq; q0 += strip) {
        size_t nrows = nq - q0 < strip ? nq - q0 : strip;
        for (size_t c0 = 0; st == TS_OK && c0 < na; c0 += part, number++) {
            size_t ncols = na - c0 < part ? na - c0 : part;
            if (share && number != mine)
                continue;
            st = pruned ? run_pruned(&run, q0, nrows, c0, ncols)
                        : run_blocks(&run, q0, nrows, c0, ncols);
            if (share && st == TS_OK)
                st = share->next(share->user, &mine);
        }
        if (st == TS_OK) /* with no matches for the units of others */
            st = deliver(&run, q0, nrows);
    }
    free(run.floors);
    ts_candidates_free(&run.cand);
    ts_topk_free(lists);
    return st;
}

ts_status ts_engine_search_plan(ts_engine *engine, const ts_tfidf *queries,
                                const ts_tfidf *archive, const ts_pairs_options *options,
                                ts_search_plan plan, ts_matches_fn fn, void *user, ts_diag *diag)
{
    if (!engine || !queries || !archive || !fn)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_search: NULL argument");
    if (!same_columns(queries, archive))
        return TS_FAIL(diag, TS_ERR_ARG,
                       "the queries and the archive have different vocabularies: weight the "
                       "queries with ts_tfidf_transform(archive)");
    return ts_engine_search_csr(engine, ts_tfidf_csr(queries), ts_tfidf_csr(archive),
                                ts_tfidf_postings(archive), options, plan, NULL, fn, user, diag);
}

ts_status ts_engine_search(ts_engine *engine, const ts_tfidf *queries, const ts_tfidf *archive,
                           const ts_pairs_options *options, ts_matches_fn fn, void *user,
                           ts_diag *diag)
{
    return ts_engine_search_plan(engine, queries, archive, options, TS_SEARCH_AUTO, fn, user,
                                 diag);
}
