/*
 * dist_mpi.h - the other ranks' side of a textsim-mpi job (dist_mpi.c).
 *
 * main_mpi.c calls, in order: cli_mpi_init; on rank 0 the command itself
 * (which reaches the other ranks through dist.h) or on the other ranks
 * cli_mpi_worker; cli_mpi_end with the exit code; cli_mpi_finalize (those
 * three in world.h).
 */
#ifndef TS_DIST_MPI_H
#define TS_DIST_MPI_H

/* A rank other than 0: wait for rank 0's job, compute its share, return
 * an exit code.  argv: the command and its options (the same as rank 0's). */
int cli_mpi_worker(int argc, char **argv);

#endif
