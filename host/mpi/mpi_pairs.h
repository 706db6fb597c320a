/*
 * mpi_pairs.h - `pairs` over the ranks of an MPI job (internal).
 */
#ifndef TS_MPI_PAIRS_H
#define TS_MPI_PAIRS_H

#include "engine/pairs.h"
#include "world.h"

ts_status cli_mpi_run_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                            const ts_pairs_options *pairs, ts_status ready, ts_matches_fn fn,
                            void *user, ts_diag *diag);

#endif
