/*
 * engine.h - the similarity engine's internal interface.
 *
 * The engine computes blocks of rows x cols cosine similarities in three
 * separable parts:
 *   PLAN     - an ordered array of ts_block (ts_engine_plan_strips builds the
 *              row-strip plan used by ts_engine_similarity; other plans -
 *              upper triangle only, cross-source blocks only, a share of the
 *              blocks for one of several devices or MPI ranks - are just
 *              other arrays);
 *   EXECUTOR - ts_engine_execute runs each planned block on the backend into
 *              a buffer, halving blocks that the device has no memory for;
 *   SINK     - a ts_tile_fn that receives every computed block, once, in
 *              plan order (the strip assembler behind ts_engine_similarity,
 *              or later top-k and threshold sinks).
 */
#ifndef TS_ENGINE_H
#define TS_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "text/csr.h"
#include "textsim.h"

/* Smallest block (cells) the executor still halves after
 * TS_ERR_DEVICE_MEMORY; a failing block this small is an error. */
#define TS_ENGINE_MIN_BLOCK_CELLS 1024

/* An engine around an existing backend (tests use it to inject faults).
 * Takes ownership of backend, even on failure. */
ts_status ts_engine_create_with_backend(ts_engine **out, ts_backend *backend,
                                        const ts_engine_options *options, ts_diag *diag);

/* Check that m is a well-formed CSR matrix (ptr ascending from 0, column
 * indices in range and strictly ascending within each row). */
ts_status ts_engine_check_csr(const ts_csr *m, const char *what, ts_diag *diag);

/* Make rows and cols (same vocabulary; may be the same matrix) resident on
 * the backend for the following ts_engine_execute calls.  Both must stay
 * alive until the next bind or ts_engine_free. */
ts_status ts_engine_bind(ts_engine *e, const ts_csr *rows, const ts_csr *cols, ts_diag *diag);
/* ts_engine_bind with cols's transpose (cols_t: a row per term, its
 * statements ascending), as an index file keeps it, for the backend to use
 * instead of building it; NULL: none.  It too must stay alive. */
ts_status ts_engine_bind_postings(ts_engine *e, const ts_csr *rows, const ts_csr *cols,
                                  const ts_csr *cols_t, ts_diag *diag);

/* Largest block (nrows * ncols) one compute call takes now: the backend's
 * limit after bind, lowered by any device memory failure seen so far. */
size_t ts_engine_max_block_cells(const ts_engine *e);

/* Row strips of tile_rows rows (the engine's option, or automatic) across
 * all ncols columns, each cut into column blocks of at most max_cells /
 * tile_rows columns (and the tile_cols option).  Strips ascend; within a
 * strip, blocks ascend by column.  *plan is malloc'd. */
ts_status ts_engine_plan_strips(const ts_engine *e, size_t nrows, size_t ncols,
                                size_t max_cells, ts_block **plan, size_t *nblocks,
                                ts_diag *diag);

/* Compute each block of plan on the bound matrices and hand it to sink as a
 * ts_tile with ld = ncols, in plan order.  A status other than TS_OK from
 * the sink stops the run and is returned. */
ts_status ts_engine_execute(ts_engine *e, const ts_block *plan, size_t nblocks,
                            ts_tile_fn sink, void *sink_user, ts_diag *diag);

/* The engine's backend (pairs.c, see pairs.h, drives its select ops and
 * adds to its stats). */
ts_backend *ts_engine_backend(ts_engine *e);

/* The tile_rows option (0: automatic). */
size_t ts_engine_tile_rows(const ts_engine *e);

/* Compute one block on the bound matrices into the engine's buffer
 * (*scores, ld = blk->ncols, valid until the next call), halving it on
 * device memory failures as ts_engine_execute does. */
ts_status ts_engine_compute(ts_engine *e, const ts_block *blk, const float **scores,
                            ts_diag *diag);

/* All-pairs similarity of the rows of m, delivered to fn as full row strips
 * (col0 = 0, ncols = m->rows), rows ascending, each row exactly once. */
ts_status ts_engine_similarity_csr(ts_engine *e, const ts_csr *m, ts_tile_fn fn, void *user,
                                   ts_diag *diag);

/* ts_engine_similarity_csr computing only the row strips that next() hands
 * out (strip numbers ascending, as in pairs.h's ts_pairs_share); fn gets
 * those strips. */
ts_status ts_engine_similarity_shared(ts_engine *e, const ts_csr *m,
                                      ts_status (*next)(void *user, uint64_t *strip),
                                      void *next_user, ts_tile_fn fn, void *user, ts_diag *diag);

#endif
