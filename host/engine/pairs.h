/*
 * pairs.h - the pairs engine's internal interface (pairs.c).
 *
 * ts_engine_pairs (textsim.h) on a CSR matrix, with the plan and the share
 * of the work made explicit: textsim-mpi hands each process a share of the
 * blocks, and the tests force each plan.  See pairs.c for the plans.
 */
#ifndef TS_PAIRS_H
#define TS_PAIRS_H

#include <stddef.h>
#include <stdint.h>

#include "text/csr.h"
#include "textsim.h"

/* TS_ERR_ARG unless top_k is at most TS_PAIRS_MAX_TOP_K, min_score is a
 * number and cross_source comes with groups (ts_engine_pairs and
 * ts_engine_search check their options so). */
ts_status ts_pairs_check_options(const ts_pairs_options *options, ts_diag *diag);

/* ts_engine_pairs on a CSR matrix (statement i is row i). */
ts_status ts_engine_pairs_csr(ts_engine *engine, const ts_csr *m,
                              const ts_pairs_options *options, ts_matches_fn fn, void *user,
                              ts_diag *diag);

/* The square tile edge ts_engine_pairs uses for m (the tile_rows option, or
 * the largest power of two up to 4096 whose block and selection buffers fit
 * the device memory bound); binds m. */
ts_status ts_engine_pairs_tile(ts_engine *engine, const ts_csr *m, size_t *tile, ts_diag *diag);

/* A share of a pairs run's blocks (textsim-mpi).  The blocks of the plan
 * that are computed (not skipped by cross_source; in the strip plan, the
 * strips) are numbered from 0 in plan order; next() sets *block to this
 * process's next one (ascending), or to TS_PAIRS_NO_BLOCK, or returns a
 * status that stops the run. */
#define TS_PAIRS_NO_BLOCK UINT64_MAX
typedef struct ts_pairs_share {
    size_t tile; /* the tile edge, the same in every process */
    ts_status (*next)(void *user, uint64_t *block);
    void *user;
} ts_pairs_share;

/* ts_engine_pairs_csr computing only the blocks of share (NULL: all of
 * them).  fn still gets every statement, in order, with the matches found
 * in this process's blocks: the k best of those (all with top_k = 0). */
ts_status ts_engine_pairs_shared(ts_engine *engine, const ts_csr *m,
                                 const ts_pairs_options *options, const ts_pairs_share *share,
                                 ts_matches_fn fn, void *user, ts_diag *diag);

/* Top-k runs on at least this many statements take the strip plan (and
 * top-k searches on archives this large the pruned pass, search.h): since each row's
 * bar starts from the statements sharing its rarest terms, it was faster
 * on pocl from 7,816 statements (MSRP, 0.23 s against 0.33 s) to 100,000,
 * and tied at 2,000-4,000, where the triangle is one block
 * (bench/RESULTS.md). */
#define TS_PAIRS_STRIPS_MIN 4096u

/* Which plan a pairs run takes (pairs.c): the upper triangle of tiles
 * selected by select.cl, or row strips in one pruned pass; AUTO picks by
 * the options and the number of statements.  Every plan gives the same
 * lists; tests force each one. */
typedef enum ts_pairs_plan { TS_PAIRS_AUTO, TS_PAIRS_TRIANGLE, TS_PAIRS_STRIPS } ts_pairs_plan;

/* ts_engine_pairs_shared with the plan given. */
ts_status ts_engine_pairs_plan(ts_engine *engine, const ts_csr *m,
                               const ts_pairs_options *options, const ts_pairs_share *share,
                               ts_pairs_plan plan, ts_matches_fn fn, void *user, ts_diag *diag);

#endif
