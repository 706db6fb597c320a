/*
 * main_mpi.c - textsim-mpi: `pairs`, `matrix` and `search` over the ranks of
 * an MPI job (mpirun -np P textsim-mpi pairs ...).  Rank 0 runs the command as
 * textsim does and shares the work through dist_mpi.c; the other ranks
 * compute their share.  The outputs are the same bytes as textsim's.
 */
#include "cli/cli.h"
#include "dist_mpi.h"
#include "world.h"

static const char usage[] =
    "Usage: mpirun -np P textsim-mpi COMMAND [--schedule auto|static|dynamic] [options]\n"
    "\n"
    "textsim's pairs, matrix and search commands shared among the ranks of an MPI job:\n"
    "rank 0 reads the sources and writes the outputs (the same bytes as textsim's),\n"
    "every rank computes a share of the similarity blocks (search: of the query\n"
    "strips, against its own mapping of the index, which every rank must be able to\n"
    "open at the same path) on its own device (by default the device of its local\n"
    "rank).\n"
    "\n"
    "Commands:\n"
    "  pairs       each statement's most similar statements (see textsim pairs --help)\n"
    "  matrix      all-pairs cosine similarity matrix (see textsim matrix --help)\n"
    "  search      query statements against an index (see textsim search --help)\n"
    "The other commands (align, tfidf, statements, index, devices) run with textsim\n"
    "itself.\n"
    "\n"
    "  --schedule S    pairs, search: how blocks (search: strips of queries) are handed\n"
    "                  out: static (block-cyclic), dynamic (one at a time from a\n"
    "                  counter on rank 0), or auto (the default: dynamic when all\n"
    "                  ranks share one node, else static)\n"
    "  -h, --help      this help\n"
    "  -V, --version   version\n";

static const cli_command commands[] = {
    {"pairs", cmd_pairs},
    {"matrix", cmd_matrix},
    {"search", cmd_search},
};

int main(int argc, char **argv)
{
    int code = cli_mpi_init(&argc, &argv);
    if (code == CLI_EXIT_OK) {
        if (cli_mpi_rank() == 0) {
            code = cli_dispatch(argc, argv, usage, commands,
                                sizeof commands / sizeof commands[0]);
        } else {
            /* rank 0 always sends a job, or word that there is none */
            code = cli_mpi_worker(argc - 1, argv + 1);
        }
        code = cli_mpi_end(code);
    }
    cli_mpi_finalize();
    return code;
}
