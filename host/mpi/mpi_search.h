/*
 * mpi_search.h - `search` over the ranks of an MPI job (internal).
 */
#ifndef TS_MPI_SEARCH_H
#define TS_MPI_SEARCH_H

#include "world.h"

/* Every rank: the queries' rows against its own copy of the index, in the
 * strips the schedule hands it; `ready` says whether this rank could
 * start (the run begins only when every rank could). */
ts_status cli_mpi_run_search(ts_engine *engine, const ts_index *index, const ts_csr *queries,
                             const ts_pairs_options *pairs, ts_status ready, ts_matches_fn fn,
                             void *user, ts_diag *diag);

/* Another rank: whether the index it opened from path is rank 0's (0), or
 * the exit code after saying it is not. */
int cli_mpi_check_index(const ts_index *index, const char *path);

#endif
