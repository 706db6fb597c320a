/*
 * world.c - the MPI job around a command (dist_mpi.h, world.h): MPI set-up,
 * each rank's device, the broadcast of the job and its TF-IDF matrix, the
 * agreement that starts a run and the end every rank agrees on.
 */
#include "world.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

cli_mpi_world cli_world;

int cli_mpi_init(int *argc, char ***argv)
{
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "textsim-mpi: error: MPI_Init failed: start it with mpirun or srun\n");
        return CLI_EXIT_FAILURE;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &cli_world.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &cli_world.size);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, cli_world.rank, MPI_INFO_NULL,
                        &local);
    MPI_Comm_rank(local, &cli_world.local_rank);
    int local_size;
    MPI_Comm_size(local, &local_size);
    MPI_Comm_free(&local);
    cli_world.one_node = local_size == cli_world.size;
    if (cli_world.rank == 0)
        snprintf(cli_world.name, sizeof cli_world.name, "textsim-mpi");
    else
        snprintf(cli_world.name, sizeof cli_world.name, "textsim-mpi rank %d", cli_world.rank);
    cli_name = cli_world.name;

    /* --schedule auto|static|dynamic, anywhere after the command */
    cli_world.dynamic = cli_world.one_node;
    int n = *argc, out = 0;
    char **v = *argv;
    for (int i = 0; i < n; i++) {
        const char *val = NULL;
        if (strcmp(v[i], "--schedule") == 0 && i + 1 < n)
            val = v[++i];
        else if (strncmp(v[i], "--schedule=", 11) == 0)
            val = v[i] + 11;
        else {
            v[out++] = v[i];
            continue;
        }
        if (strcmp(val, "auto") == 0)
            cli_world.dynamic = cli_world.one_node;
        else if (strcmp(val, "static") == 0 || strcmp(val, "dynamic") == 0)
            cli_world.dynamic = strcmp(val, "dynamic") == 0;
        else {
            if (cli_world.rank == 0)
                fprintf(stderr, "textsim-mpi: --schedule is auto, static or dynamic, not '%s'\n",
                        val);
            return CLI_EXIT_USAGE;
        }
    }
    v[out] = NULL;
    *argc = out;
    return CLI_EXIT_OK;
}

int cli_mpi_rank(void) { return cli_world.rank; }

int cli_dist_ranks(void) { return cli_world.size; }

const char *cli_dist_device(void)
{
    ts_device_info *d;
    size_t count, def;
    if (ts_devices_list(&d, &count, &def, NULL) != TS_OK)
        return NULL;
    /* the devices of the default's kind (GPUs if any), one per local rank */
    size_t same = 0, pick = def;
    for (size_t i = 0; i < count; i++)
        if (d[i].is_gpu == d[def].is_gpu)
            same++;
    for (size_t i = 0, k = 0; i < count; i++)
        if (d[i].is_gpu == d[def].is_gpu && k++ == (size_t)cli_world.local_rank % same)
            pick = i;
    snprintf(cli_world.device, sizeof cli_world.device, "%u:%u", d[pick].platform, d[pick].device);
    ts_devices_free(d);
    return cli_world.device;
}

static void bcast(void *data, size_t bytes)
{
    for (size_t at = 0; at < bytes; at += BCAST_PIECE) {
        size_t n = bytes - at < BCAST_PIECE ? bytes - at : BCAST_PIECE;
        MPI_Bcast((char *)data + at, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
    cli_world.bcast_bytes += bytes;
}

void cli_mpi_bcast_matrix(ts_csr *m, uint32_t **groups, int has_groups)
{
    bcast(m->ptr, ((size_t)m->rows + 1) * sizeof *m->ptr);
    size_t nnz = m->ptr[m->rows];
    bcast(m->idx, nnz * sizeof *m->idx);
    bcast(m->val, nnz * sizeof *m->val);
    if (has_groups)
        bcast(*groups, (size_t)m->rows * sizeof **groups);
}

int cli_dist_begin(const cli_options *opt, cli_dist_job job, const ts_csr *m,
                   const uint32_t *groups)
{
    (void)opt;
    job_head h = {0, (int32_t)job, m->rows, m->cols, m->ptr[m->rows], groups != NULL,
                  job == CLI_DIST_SEARCH ? cli_world.fingerprint : 0};
    MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, MPI_COMM_WORLD);
    ts_csr copy = *m;
    uint32_t *g = (uint32_t *)groups;
    cli_mpi_bcast_matrix(&copy, &g, groups != NULL);
    cli_world.begun = 1;
    cli_world.job = job;
    return CLI_EXIT_OK;
}

/* Every rank says once whether it is ready to run (and its tile edge); 0
 * when all are, else the failing rank + 1 with its status in *status.  The
 * tile becomes the smallest of all ranks' (their devices may differ). */
int cli_mpi_agree(ts_status mine, uint64_t *tile, ts_status *status)
{
    uint64_t a[2] = {mine != TS_OK ? (uint64_t)cli_world.rank + 1 : 0,
                     UINT64_MAX - (tile ? *tile : 0)};
    uint64_t r[2];
    MPI_Allreduce(a, r, 2, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    cli_world.started = 1;
    if (tile)
        *tile = UINT64_MAX - r[1];
    if (r[0]) {
        int st = mine;
        MPI_Bcast(&st, 1, MPI_INT, (int)r[0] - 1, MPI_COMM_WORLD);
        *status = (ts_status)st;
    }
    return (int)r[0];
}

/* Another rank (who - 1) could not start the run: rank 0 says so and
 * fails with its status; the others just stop. */
ts_status cli_mpi_not_mine(ts_status failed, int who, ts_diag *diag)
{
    if (cli_world.rank != 0)
        return TS_ERR_CANCELLED;
    return TS_FAIL(diag, failed, "rank %d failed before the run (%s; its message is above): no "
                   "output was written", who - 1, ts_status_message(failed));
}

int cli_mpi_end(int code)
{
    if (cli_world.rank == 0) {
        if (!cli_world.begun) { /* the other ranks still wait for a job: there is none */
            job_head h = {code, 0, 0, 0, 0, 0, 0};
            MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, MPI_COMM_WORLD);
            return code;
        }
        if (!cli_world.started) { /* failed between the broadcast and the run */
            ts_status st;
            cli_mpi_agree(TS_ERR_CANCELLED, NULL, &st);
        }
    }
    if (!cli_world.begun) /* no job came: rank 0 has ended already */
        return code;
    int root = code;
    MPI_Bcast(&root, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return code ? code : root;
}

void cli_mpi_finalize(void)
{
    free(cli_world.m.ptr);
    free(cli_world.m.idx);
    free(cli_world.m.val);
    free(cli_world.groups);
    free(cli_world.reports);
    MPI_Finalize();
}
