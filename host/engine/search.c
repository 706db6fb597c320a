/*
 * search.c - ts_engine_search: each query's best archive statements, over
 * a queries x archive plan (no archive x archive work).
 *
 * PLAN: row strips of the queries against every archive statement
 * (ts_engine_plan_strips over Q x N); blocks ascend by column within a
 * strip.  EXECUTE: the backend computes each block densely on the device
 * (the same cosine kernels as the similarity matrix); SINK: every cell with
 * a score > 0 and >= min_score is offered to its query's list (ts_topk:
 * its k best by score, then the lower archive statement), and when a
 * strip's last block is done its queries are final and handed to the
 * caller, in query order.  So the result is exactly the sorted rows of the
 * full Q x N product, whatever the block sizes.  A query is never compared
 * with another query, and an archive statement with the same number as a
 * query is an ordinary match (the two matrices index different statements).
 * This first version scores every cell of Q x N; the pruned pass of
 * pairs.c (prefix bounds, select_rows) assumes one matrix against itself
 * and is the next step for large archives (issue 28).
 */
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "engine.h"
#include "pairs.h"
#include "text/tfidf_internal.h"
#include "topk.h"

typedef struct search_run {
    const ts_pairs_options *opt;
    ts_topk *lists;
    size_t ncols;       /* archive statements */
    ts_matches_fn fn;
    void *user;
    ts_diag *diag;
} search_run;

static ts_status search_sink(void *user, const ts_tile *t)
{
    search_run *s = user;
    for (size_t r = 0; r < t->nrows; r++) {
        const float *row = t->scores + r * t->ld;
        uint32_t q = (uint32_t)(t->row0 + r);
        for (size_t c = 0; c < t->ncols; c++) {
            float v = row[c];
            if (!(v > 0.0f && v >= s->opt->min_score))
                continue;
            ts_status st = ts_topk_offer(s->lists, q, (uint32_t)(t->col0 + c), v, s->diag);
            if (st != TS_OK)
                return st;
        }
    }
    if (t->col0 + t->ncols < s->ncols)
        return TS_OK; /* the strip goes on */
    for (size_t r = 0; r < t->nrows; r++) {
        const ts_match *m;
        size_t n;
        uint32_t q = (uint32_t)(t->row0 + r);
        ts_status st = ts_topk_take(s->lists, q, &m, &n, s->diag);
        if (st == TS_OK)
            st = s->fn(s->user, q, m, n);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
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

ts_status ts_engine_search(ts_engine *engine, const ts_tfidf *queries, const ts_tfidf *archive,
                           const ts_pairs_options *options, ts_matches_fn fn, void *user,
                           ts_diag *diag)
{
    if (!engine || !queries || !archive || !fn)
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
    if (!same_columns(queries, archive))
        return TS_FAIL(diag, TS_ERR_ARG,
                       "the queries and the archive have different vocabularies: weight the "
                       "queries with ts_tfidf_transform(archive)");
    size_t nq = ts_tfidf_rows(queries), na = ts_tfidf_rows(archive);
    if (nq == 0 || na == 0) { /* nothing to compute: every query has no match */
        for (size_t q = 0; st == TS_OK && q < nq; q++)
            st = fn(user, (uint32_t)q, NULL, 0);
        return st;
    }
    ts_topk *lists = NULL;
    ts_block *plan = NULL;
    size_t nblocks = 0;
    st = ts_topk_create(&lists, nq, options->top_k, diag);
    if (st == TS_OK)
        st = ts_engine_bind(engine, ts_tfidf_csr(queries), ts_tfidf_csr(archive), diag);
    if (st == TS_OK)
        st = ts_engine_plan_strips(engine, nq, na, ts_engine_max_block_cells(engine), &plan,
                                   &nblocks, diag);
    search_run run = {options, lists, na, fn, user, diag};
    if (st == TS_OK)
        st = ts_engine_execute(engine, plan, nblocks, search_sink, &run, diag);
    free(plan);
    ts_topk_free(lists);
    return st;
}
