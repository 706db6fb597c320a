/*
 * schedule.c - which blocks or strips a rank computes (schedule.h): the
 * engine's share->next.  Static: rank r takes r, r + P, r + 2P, ...;
 * dynamic: MPI_Fetch_and_op on a counter in a window on rank 0.  Pairs
 * hand out blocks, search strips of queries, matrix (mpi_matrix.c) strips.
 */
#include "schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

void cli_schedule_open(cli_schedule *s, int dynamic, cli_outbox *box, uint64_t *units,
                       ts_diag *diag)
{
    memset(s, 0, sizeof *s);
    s->first = 1;
    s->dynamic = dynamic;
    s->box = box;
    s->units = units;
    s->diag = diag;
    /* Fault injection for the tests (tests/mpi/test_mpi.sh): "RANK:UNITS"
     * makes RANK fail as a device would after computing UNITS blocks. */
    const char *fault = getenv("TEXTSIM_MPI_FAULT");
    int rank;
    unsigned long long after;
    if (fault && sscanf(fault, "%d:%llu", &rank, &after) == 2 && rank == cli_world.rank)
        s->fail_after = after + 1;
    if (dynamic) {
        MPI_Win_allocate(cli_world.rank == 0 ? sizeof(uint64_t) : 0, sizeof(uint64_t),
                         MPI_INFO_NULL, MPI_COMM_WORLD, &s->counter, &s->win);
        if (cli_world.rank == 0)
            *s->counter = 0;
        MPI_Barrier(MPI_COMM_WORLD); /* the counter is 0 before anyone draws */
        MPI_Win_lock_all(MPI_MODE_NOCHECK, s->win);
    }
}

void cli_schedule_close(cli_schedule *s)
{
    if (s->dynamic) {
        MPI_Win_unlock_all(s->win);
        MPI_Win_free(&s->win);
    }
}

ts_status cli_schedule_fault(const cli_schedule *s, uint64_t done)
{
    if (!s->fail_after || done + 1 < s->fail_after)
        return TS_OK;
    return TS_FAIL(s->diag, TS_ERR_DEVICE, "injected device failure after %llu %s "
                   "(TEXTSIM_MPI_FAULT)", (unsigned long long)done, cli_world.unit);
}

/* The engine's share->next: this rank's next block (or strip) number. */
ts_status cli_schedule_next(void *user, uint64_t *number)
{
    cli_schedule *s = user;
    if (!s->first)
        (*s->units)++;
    if (s->box && cli_outbox_stop_arrived(s->box))
        return TS_ERR_CANCELLED;
    if (cli_world.job != CLI_DIST_MATRIX && cli_schedule_fault(s, *s->units) != TS_OK)
        return s->diag->status;
    ts_status st;
    if (s->poll && !s->first && (st = s->poll(s->poll_user)) != TS_OK)
        return st;
    if (s->dynamic) {
        const uint64_t one = 1;
        MPI_Fetch_and_op(&one, number, MPI_UINT64_T, 0, 0, MPI_SUM, s->win);
        MPI_Win_flush(0, s->win);
    } else {
        *number = s->first ? (uint64_t)cli_world.rank : s->next + (uint64_t)cli_world.size;
        s->next = *number;
    }
    s->first = 0;
    return TS_OK;
}
