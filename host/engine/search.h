/*
 * search.h - the search engine's internal interface (search.c).
 *
 * ts_engine_search (textsim.h) with the plan made explicit, for the tests
 * that force each plan, and on CSR matrices with a share of the query
 * strips, for textsim-mpi.  See search.c for the plans.
 */
#ifndef TS_SEARCH_H
#define TS_SEARCH_H

#include "pairs.h"
#include "text/csr.h"
#include "textsim.h"

/* Which plan a search takes (search.c): blocks of the queries x archive
 * product, scored whole and selected (on the device on GPUs), or strips of
 * queries in one pruned pass each (select_rows); AUTO takes the pruned pass
 * where the backend has it, for threshold runs and for top-k runs on
 * archives of TS_PAIRS_STRIPS_MIN statements or more.  Every plan gives
 * the same lists; tests force each one. */
typedef enum ts_search_plan { TS_SEARCH_AUTO, TS_SEARCH_BLOCKS, TS_SEARCH_PRUNED } ts_search_plan;

/* ts_engine_search (textsim.h) with the plan given; PRUNED without a
 * backend's pruned pass, or for a run with neither k nor threshold, takes
 * the blocks. */
ts_status ts_engine_search_plan(ts_engine *engine, const ts_tfidf *queries,
                                const ts_tfidf *archive, const ts_pairs_options *options,
                                ts_search_plan plan, ts_matches_fn fn, void *user, ts_diag *diag);

/* The search on CSR matrices of one vocabulary (the caller checked it: an
 * MPI rank has the queries' rows and its own copy of the index), with the
 * archive's posting lists (or NULL), computing only the query strips of
 * share (NULL: all): strips of share->tile queries, numbered from 0, each
 * computed where next() hands out its number; fn still gets every query,
 * in order, with no matches for the strips of others. */
ts_status ts_engine_search_csr(ts_engine *engine, const ts_csr *queries, const ts_csr *archive,
                               const ts_csr *postings, const ts_pairs_options *options,
                               ts_search_plan plan, const ts_pairs_share *share,
                               ts_matches_fn fn, void *user, ts_diag *diag);

#endif
