/*
 * world.h - the MPI job every file of textsim-mpi shares (internal): the
 * ranks, the messages they exchange, the broadcast of the TF-IDF matrix and
 * the agreement that starts a run (world.c).
 */
#ifndef TS_MPI_WORLD_H
#define TS_MPI_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "cli/dist.h"
#include "text/csr.h"
#include "textsim.h"

enum { TAG_JOB = 1, TAG_DATA, TAG_STOP };
enum { MSG_PART = 1, MSG_END, MSG_ERROR };
enum { MAX_IN_FLIGHT = 8 };
/* Broadcast pieces stay below MPI's int counts. */
#define BCAST_PIECE ((size_t)1 << 30)

typedef struct msg_head {
    uint32_t kind, status;
    uint64_t row0, nrows;
} msg_head;

/* What a rank did in the run; the root prints them all with -v. */
typedef struct rank_report {
    double run_s;   /* the run, from the agreement to the last message */
    double wait_s;  /* blocked on other ranks */
    uint64_t units; /* blocks (pairs) or strips (matrix) computed */
    uint64_t bytes_sent;
    ts_engine_stats stats;
} rank_report;

typedef struct job_head {
    int32_t code;  /* exit code when job is 0: rank 0 stopped before any job */
    int32_t job;   /* cli_dist_job, or 0 */
    uint32_t rows, cols, nnz, has_groups;
    uint64_t fingerprint; /* search: rank 0's index (ts_index_fingerprint); else 0 */
} job_head;

/* The job as this rank sees it: set up by cli_mpi_init, one per process. */
typedef struct cli_mpi_world {
    int rank, size, local_rank;
    int dynamic, one_node;
    char name[48];
    char device[32];
    int begun;   /* the job header went out (rank 0) or came in */
    int started; /* the run's agreement happened */
    cli_dist_job job;
    ts_csr m;          /* the other ranks' copy */
    uint32_t *groups;  /* the other ranks' copy */
    uint64_t fingerprint; /* search: the index rank 0 opened */
    uint64_t bcast_bytes;
    rank_report *reports; /* rank 0: every rank's, after a run */
    const char *unit;     /* "blocks" or "strips" */
} cli_mpi_world;
extern cli_mpi_world cli_world;

/* MPI_Init, ranks, the --schedule option (removed from argv) and each
 * rank's device.  Returns an exit code (usage errors print on rank 0). */
int cli_mpi_init(int *argc, char ***argv);
int cli_mpi_rank(void);
/* Every rank once its part is over: releases ranks still waiting for a job
 * or for the run to start, and agrees on the job's exit code. */
int cli_mpi_end(int code);
void cli_mpi_finalize(void);

void cli_mpi_bcast_matrix(ts_csr *m, uint32_t **groups, int has_groups);
/* Every rank says once whether it is ready to run (and its tile edge); 0
 * when all are, else the failing rank + 1 with its status in *status.  The
 * tile becomes the smallest of all ranks' (their devices may differ). */
int cli_mpi_agree(ts_status mine, uint64_t *tile, ts_status *status);
/* Another rank (who - 1) could not start the run: rank 0 says so and
 * fails with its status; the others just stop. */
ts_status cli_mpi_not_mine(ts_status failed, int who, ts_diag *diag);

#endif
