/*
 * schedule.h - which blocks or strips a rank computes (internal,
 * schedule.c): block-cyclic (static) or drawn one at a time from a counter
 * on rank 0 (dynamic).
 */
#ifndef TS_MPI_SCHEDULE_H
#define TS_MPI_SCHEDULE_H

#include "mailbox.h"

typedef struct cli_schedule {
    uint64_t next;     /* static: this rank's next number */
    int first, dynamic;
    MPI_Win win;
    uint64_t *counter; /* rank 0's window */
    cli_outbox *box;       /* the other ranks: the stop to watch */
    uint64_t *units;
    uint64_t fail_after; /* TEXTSIM_MPI_FAULT: fail after this many units; 0: never */
    ts_diag *diag;
    ts_status (*poll)(void *user); /* rank 0: work to do between blocks */
    void *poll_user;
} cli_schedule;

void cli_schedule_open(cli_schedule *s, int dynamic, cli_outbox *box, uint64_t *units,
                       ts_diag *diag);
void cli_schedule_close(cli_schedule *s);
/* TS_ERR_DEVICE (in s->diag) once `done` units are computed when
 * TEXTSIM_MPI_FAULT asks this rank to fail after them (the tests'
 * injected device failure); TS_OK otherwise. */
ts_status cli_schedule_fault(const cli_schedule *s, uint64_t done);
/* The engine's share->next: this rank's next block (or strip) number. */
ts_status cli_schedule_next(void *user, uint64_t *number);

#endif
