/*
 * dist_mpi.c - textsim-mpi: one command shared among the ranks of an MPI job.
 *
 * Rank 0 (the root) does what textsim does: it reads the sources, builds
 * the TF-IDF matrix and writes the outputs.  It broadcasts the matrix (and,
 * for --cross-source, each statement's source) once, so the vocabulary and
 * IDF are computed once and are the same bytes everywhere.  Every rank then
 * opens its own device (the local rank's, when none is named) and computes a
 * share of the blocks through the engine's share hooks (engine.h):
 *   pairs  - the upper-triangle tile pairs of ts_engine_pairs, numbered in
 *            plan order, handed out block-cyclically (--schedule static)
 *            or one at a time from a counter in a window on rank 0
 *            (--schedule dynamic, MPI_Fetch_and_op).  The default, auto,
 *            is dynamic when every rank shares rank 0's node (measured
 *            better balanced and faster there, bench/RESULTS.md) and
 *            static across nodes, where a passive-target counter may only
 *            advance when rank 0 enters MPI.  Each rank sends
 *            the root, per row tile, its own list of every statement; every
 *            pair lies in exactly one block, so the union of the ranks' k
 *            best holds the k best, and the root's merge under the engine's
 *            order (score descending, lower statement first) is exact.
 *   matrix - row strips (the single-process plan), strip s on rank s mod P;
 *            each rank formats its strips (the CSV numbers or the .npy
 *            floats) and the root writes them in order, adding the row ids.
 * The same tile grid and the same kernels compute every score, so the files
 * are byte-identical to textsim's for any number of ranks.
 *
 * Messages: ranks send the root MSG_PART (one row tile or strip), then one
 * MSG_END (their figures) or MSG_ERROR (their failure, after printing it),
 * through at most MAX_IN_FLIGHT pending MPI_Isends; they never wait for the
 * root otherwise.  The root receives from each rank in order and sends each
 * rank exactly one TAG_STOP: at once when the run fails anywhere (the rank
 * stops at its next block and ends), else after the rank's MSG_END.  So a
 * failure ends every rank with its own message printed once, the root
 * removes its temporary outputs, and nothing hangs.
 * Every rank is assumed to share the root's byte order (one cluster).
 *
 * The files: world.c (set-up, broadcast, agreement, end), mailbox.c (the
 * messages), schedule.c (who computes what), mpi_pairs.c and mpi_matrix.c
 * (the two jobs); this file runs the other ranks' side of a job and reports
 * every rank's figures.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

#include "dist_mpi.h"
#include "mpi_matrix.h"
#include "mpi_pairs.h"
#include "mpi_search.h"
#include "world.h"

void cli_dist_report(const cli_options *opt)
{
    if (!cli_world.reports || cli_world.size < 2)
        return;
    cli_note(opt, "%d ranks, %s schedule; %s broadcast %.1f MB to each rank", cli_world.size,
             cli_world.dynamic && cli_world.job != CLI_DIST_MATRIX ? "dynamic" : "static",
             cli_world.job == CLI_DIST_SEARCH ? "the queries' TF-IDF rows" : "TF-IDF",
             (double)cli_world.bcast_bytes / 1e6);
    for (int r = 0; r < cli_world.size; r++) {
        const rank_report *x = &cli_world.reports[r];
        cli_note(opt,
                 "rank %d: %llu %s in %.3f s (kernels %.3f s, host select %.3f s), waited %.3f s, "
                 "sent %.2f MB",
                 r, (unsigned long long)x->units, cli_world.unit ? cli_world.unit : "blocks",
                 x->run_s, x->stats.kernel_s + x->stats.select_kernel_s, x->stats.select_s,
                 x->wait_s, (double)x->bytes_sent / 1e6);
    }
}

/* ------------------------------------------------------------ other ranks */

int cli_mpi_worker(int argc, char **argv)
{
    job_head h;
    MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (h.job == 0)
        return h.code;
    cli_world.begun = 1;
    cli_world.job = (cli_dist_job)h.job;
    cli_world.fingerprint = h.fingerprint;
    cli_world.m.rows = h.rows;
    cli_world.m.cols = h.cols;
    cli_world.m.ptr = malloc(((size_t)h.rows + 1) * sizeof *cli_world.m.ptr);
    cli_world.m.idx = malloc((h.nnz ? h.nnz : 1) * sizeof *cli_world.m.idx);
    cli_world.m.val = malloc((h.nnz ? h.nnz : 1) * sizeof *cli_world.m.val);
    cli_world.groups =
        h.has_groups ? malloc(((size_t)h.rows ? h.rows : 1) * sizeof *cli_world.groups) : NULL;
    if (!cli_world.m.ptr || !cli_world.m.idx || !cli_world.m.val ||
        (h.has_groups && !cli_world.groups)) {
        fprintf(stderr, "%s: error: out of memory for the TF-IDF matrix (%u non-zeros)\n",
                cli_world.name, h.nnz);
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILURE);
    }
    cli_mpi_bcast_matrix(&cli_world.m, &cli_world.groups, h.has_groups);

    /* the same command line as rank 0's, which parsed it without error */
    cli_options opt;
    ts_engine *engine = NULL;
    ts_index *index = NULL;
    ts_diag diag;
    ts_diag_clear(&diag);
    ts_status ready = TS_OK;
    int code = cli_parse(argc, argv, argv[0], NULL, NULL, &opt);
    opt.verbosity = 0; /* rank 0 speaks for the job; errors still print */
    if (!code && cli_world.job == CLI_DIST_SEARCH) { /* its own mapping of rank 0's index */
        const char *path = opt.ninputs ? opt.inputs[0] : "";
        if (!(code = cli_open_index(&opt, "search", &index)))
            code = cli_mpi_check_index(index, path);
    }
    if (code)
        ready = code == CLI_EXIT_USAGE ? TS_ERR_ARG : TS_ERR_FORMAT;
    else {
        if ((code = cli_create_engine(&opt, &engine)))
            ready = TS_ERR_DEVICE;
    }
    ts_status st;
    if (cli_world.job == CLI_DIST_PAIRS) {
        if (opt.pairs.cross_source)
            opt.pairs.groups = cli_world.groups;
        st = cli_mpi_run_pairs(&opt, engine, &cli_world.m, &opt.pairs, ready, NULL, NULL, &diag);
    } else if (cli_world.job == CLI_DIST_SEARCH) {
        st = cli_mpi_run_search(engine, index, &cli_world.m, &opt.pairs, ready, NULL, NULL, &diag);
    } else {
        st = cli_mpi_rank_matrix(&opt, engine, &cli_world.m, ready, &diag);
    }
    ts_engine_free(engine);
    ts_index_free(index);
    if (code)
        return code;
    return st == TS_OK || st == TS_ERR_CANCELLED ? CLI_EXIT_OK : CLI_EXIT_DEVICE;
}
