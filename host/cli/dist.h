/*
 * dist.h - how a command's similarity work runs: in one process (textsim,
 * dist_local.c) or shared among the ranks of an MPI job (textsim-mpi,
 * host/mpi/dist_mpi.c).  The commands call the same four functions either
 * way; only rank 0 reads the sources and writes the outputs.
 */
#ifndef TS_CLI_DIST_H
#define TS_CLI_DIST_H

#include "cli.h"
#include "text/csr.h"

typedef enum cli_dist_job { CLI_DIST_PAIRS = 1, CLI_DIST_MATRIX, CLI_DIST_SEARCH } cli_dist_job;

/* Rank 0, once the TF-IDF matrix is built: hands m (and groups: NULL or one
 * per statement) to the other ranks, so the vocabulary and IDF are computed
 * once.  Returns an exit code. */
int cli_dist_begin(const cli_options *opt, cli_dist_job job, const ts_csr *m,
                   const uint32_t *groups);

/* Rank 0 of `search`, once the queries are weighted: hands their rows to
 * the other ranks, which open the index themselves (the command line names
 * it) and check that it is the file rank 0 opened.  Returns an exit code. */
int cli_dist_begin_search(const cli_options *opt, const ts_csr *queries, const ts_index *index);

/* The device this process should use when the user named none: the local
 * rank's device in an MPI job; NULL (textsim's default) otherwise. */
const char *cli_dist_device(void);

/* The processes sharing the work: 1 for textsim, the MPI job's size. */
int cli_dist_ranks(void);

/* ts_engine_pairs over every rank: fn receives the merged lists on rank 0. */
ts_status cli_dist_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                         const ts_pairs_options *pairs, ts_matches_fn fn, void *user,
                         ts_diag *diag);

/* The queries' rows against the index (ts_engine_search) over every rank,
 * each computing strips of queries: fn receives each query's list on rank
 * 0. */
ts_status cli_dist_search(const cli_options *opt, ts_engine *engine, const ts_index *index,
                          const ts_csr *queries, const ts_pairs_options *pairs, ts_matches_fn fn,
                          void *user, ts_diag *diag);

/* The similarity matrix over every rank, written through w in row order (the
 * progress bar sees every strip). */
ts_status cli_dist_matrix(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                          ts_matrix_writer *w, cli_progress *progress, ts_diag *diag);

/* With -v, the ranks' share of the work (nothing for one process). */
void cli_dist_report(const cli_options *opt);

#endif
