/*
 * mpi_pairs.h - `pairs` over the ranks of an MPI job (internal).
 */
#ifndef TS_MPI_PAIRS_H
#define TS_MPI_PAIRS_H

#include "engine/pairs.h"
#include "world.h"

/* This rank's share of a run that makes one list per statement (pairs'
 * rows, search's queries): the engine call with the share's hooks. */
typedef ts_status (*cli_mpi_work)(void *work, const ts_pairs_share *share, ts_matches_fn fn,
                                  void *user, ts_diag *diag);

/* The run every rank agreed to start: the schedule hands out the units
 * (named `unit` in -v), work computes this rank's, every rank sends the
 * root its lists of each tile of `tile` statements, and the root merges
 * them (the union of k best, cut to k) and hands them to fn in order. */
ts_status cli_mpi_run_lists(ts_engine *engine, size_t n, uint64_t tile, uint32_t k,
                            const char *unit, cli_mpi_work work, void *work_user,
                            ts_matches_fn fn, void *user, ts_diag *diag);

ts_status cli_mpi_run_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                            const ts_pairs_options *pairs, ts_status ready, ts_matches_fn fn,
                            void *user, ts_diag *diag);

#endif
