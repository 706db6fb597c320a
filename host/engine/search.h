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

/* Queries per pruned pass: each keeps its k best (or, for a threshold,
 * its matches) on the device until the pass ends. */
#define TS_SEARCH_STRIP 4096u

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

/* A share of a search's work (textsim-mpi): the queries cut into strips of
 * `strip`, the archive into `parts` parts of ceil(N / parts) statements;
 * the units (strip, part) are numbered strip by strip, parts ascending,
 * from 0, and next() sets *unit to this process's next one (ascending), or
 * to TS_PAIRS_NO_BLOCK, or returns a status that stops the run. */
typedef struct ts_search_share {
    size_t strip, parts;
    ts_status (*next)(void *user, uint64_t *unit);
    void *user;
} ts_search_share;

/* The search on CSR matrices of one vocabulary (the caller checked it: an
 * MPI rank has the queries' rows and its own copy of the index), with the
 * archive's posting lists (or NULL), computing only the units of share
 * (NULL: all).  fn still gets every query, in order, with the k best of
 * the matches found in this process's units (all with top_k = 0): every
 * pair lies in one unit, so the union of every process's lists holds each
 * query's k best. */
ts_status ts_engine_search_csr(ts_engine *engine, const ts_csr *queries, const ts_csr *archive,
                               const ts_csr *postings, const ts_pairs_options *options,
                               ts_search_plan plan, const ts_search_share *share,
                               ts_matches_fn fn, void *user, ts_diag *diag);

#endif
