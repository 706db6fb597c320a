/*
 * mpi_matrix.h - `matrix` over the ranks of an MPI job (internal).
 */
#ifndef TS_MPI_MATRIX_H
#define TS_MPI_MATRIX_H

#include "world.h"

ts_status cli_mpi_rank_matrix(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                              ts_status ready, ts_diag *diag);

#endif
