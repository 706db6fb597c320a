/*
 * dist_mpi.h - the MPI job around a command (textsim-mpi, dist_mpi.c).
 *
 * main_mpi.c calls, in order: cli_mpi_init; on rank 0 the command itself
 * (which reaches the other ranks through dist.h) or on the other ranks
 * cli_mpi_worker; cli_mpi_end with the exit code; cli_mpi_finalize.
 */
#ifndef TS_DIST_MPI_H
#define TS_DIST_MPI_H

/* MPI_Init, ranks, the --schedule option (removed from argv) and each
 * rank's device.  Returns an exit code (usage errors print on rank 0). */
int cli_mpi_init(int *argc, char ***argv);
int cli_mpi_rank(void);
/* A rank other than 0: wait for rank 0's job, compute its share, return
 * an exit code.  argv: the command and its options (the same as rank 0's). */
int cli_mpi_worker(int argc, char **argv);
/* Every rank once its part is over: releases ranks still waiting for a job
 * or for the run to start, and agrees on the job's exit code. */
int cli_mpi_end(int code);
void cli_mpi_finalize(void);

#endif
