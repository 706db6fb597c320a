/*
 * mailbox.h - the messages of a run (internal, mailbox.c): each rank's
 * outbox to the root, the root's inbox from every rank.
 */
#ifndef TS_MPI_MAILBOX_H
#define TS_MPI_MAILBOX_H

#include <mpi.h>

#include "base/buf.h"
#include "world.h"

typedef struct cli_outbox {
    MPI_Request req[MAX_IN_FLIGHT];
    ts_buf buf[MAX_IN_FLIGHT];
    int head, count;
    MPI_Request stop;
    int stop_buf, stopped;
    rank_report report;
} cli_outbox;

typedef struct cli_inbox {
    ts_buf *msg;        /* one per rank */
    size_t *pos;        /* read position in msg[r] */
    MPI_Request *req;   /* a receive into msg[r] under way */
    char *ended;        /* the rank's MSG_END or MSG_ERROR arrived */
    char *stop_sent;
    double wait_s;
} cli_inbox;

/* Send b to the root (b is taken and emptied). */
ts_status cli_outbox_post(cli_outbox *o, ts_buf *b, ts_diag *diag);
void cli_put_head(ts_buf *b, uint32_t kind, uint32_t status, uint64_t row0, uint64_t nrows);
int cli_outbox_stop_arrived(cli_outbox *o);
/* A rank's last message (its figures, or its failure), then the wait for
 * its sends and for the root's stop. */
void cli_outbox_close(cli_outbox *o, ts_status st);
ts_status cli_inbox_open(cli_inbox *in, ts_diag *diag);
/* Rank `from`'s next message into in->msg[from]; *h its head.  A failure
 * message becomes this rank's failure.  With `wait` 0 it never blocks: it
 * starts the receive when the message is announced and returns with
 * *done 0 until the bytes are in.  (A blocking receive would wait for the
 * sender to enter MPI again, a whole block of its work, wherever MPI moves
 * large messages only when both ends call it: Open MPI's shared memory
 * without CMA, TCP.) */
ts_status cli_inbox_receive_poll(cli_inbox *in, int from, int wait, int *done, msg_head *h,
                                 ts_diag *diag);
ts_status cli_inbox_receive(cli_inbox *in, int from, msg_head *h, ts_diag *diag);
/* Rank `from`'s part starting at row0, the next message it sends; *done as
 * receive_poll's. */
ts_status cli_inbox_receive_part_poll(cli_inbox *in, int from, uint64_t row0, int wait, int *done,
                                      ts_diag *diag);
ts_status cli_inbox_receive_part(cli_inbox *in, int from, uint64_t row0, ts_diag *diag);
/* The next `bytes` of b from *pos on (advanced past them); NULL when b
 * ends before. */
const void *cli_take(const ts_buf *b, size_t *pos, size_t bytes);
/* The end of a run on the root: ok - every rank's MSG_END is next (take
 * them); then, or at once after a failure, send each rank its stop and take
 * what it still sends until its last message. */
void cli_inbox_close(cli_inbox *in, int ok, ts_diag *diag);

#endif
