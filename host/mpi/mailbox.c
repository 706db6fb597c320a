/*
 * mailbox.c - the messages of a run (mailbox.h).
 *
 * A rank posts its parts to the root through at most MAX_IN_FLIGHT pending
 * MPI_Isends and watches for the root's stop; the root receives from each
 * rank in order, never blocking while it has work of its own (receive_poll),
 * and at the end sends each rank its stop and drains what it still sends.
 */
#include "mailbox.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"


static void outbox_wait_oldest(cli_outbox *o)
{
    double t0 = MPI_Wtime();
    MPI_Wait(&o->req[o->head], MPI_STATUS_IGNORE);
    o->report.wait_s += MPI_Wtime() - t0;
    ts_buf_free(&o->buf[o->head]);
    o->head = (o->head + 1) % MAX_IN_FLIGHT;
    o->count--;
}

/* Send b to the root (b is taken and emptied). */
ts_status cli_outbox_post(cli_outbox *o, ts_buf *b, ts_diag *diag)
{
    if (b->failed)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for a message to rank 0");
    if (b->len > INT_MAX) {
        ts_buf_free(b);
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "a message of %zu bytes for rank 0 is over MPI's 2 GiB: raise --min-score "
                       "or lower --top-k",
                       b->len);
    }
    if (o->count == MAX_IN_FLIGHT)
        outbox_wait_oldest(o);
    int slot = (o->head + o->count) % MAX_IN_FLIGHT;
    o->buf[slot] = *b;
    memset(b, 0, sizeof *b);
    MPI_Isend(o->buf[slot].data, (int)o->buf[slot].len, MPI_BYTE, 0, TAG_DATA, MPI_COMM_WORLD,
              &o->req[slot]);
    o->report.bytes_sent += o->buf[slot].len;
    o->count++;
    return TS_OK;
}

void cli_put_head(ts_buf *b, uint32_t kind, uint32_t status, uint64_t row0, uint64_t nrows)
{
    msg_head h = {kind, status, row0, nrows};
    ts_buf_append(b, &h, sizeof h);
}

int cli_outbox_stop_arrived(cli_outbox *o)
{
    if (!o->stopped) {
        int flag = 0;
        MPI_Test(&o->stop, &flag, MPI_STATUS_IGNORE);
        o->stopped = flag;
    }
    return o->stopped;
}

/* A rank's last message (its figures, or its failure), then the wait for
 * its sends and for the root's stop. */
void cli_outbox_close(cli_outbox *o, ts_status st)
{
    ts_buf b = {0};
    cli_put_head(&b, st == TS_OK || st == TS_ERR_CANCELLED ? MSG_END : MSG_ERROR, st, 0, 0);
    ts_buf_append(&b, &o->report, sizeof o->report);
    ts_diag ignored;
    if (cli_outbox_post(o, &b, &ignored) != TS_OK) /* no memory for 100 bytes: end anyway */
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILURE);
    while (o->count)
        outbox_wait_oldest(o);
    if (!o->stopped)
        MPI_Wait(&o->stop, MPI_STATUS_IGNORE);
}

ts_status cli_inbox_open(cli_inbox *in, ts_diag *diag)
{
    memset(in, 0, sizeof *in);
    in->msg = calloc((size_t)cli_world.size, sizeof *in->msg);
    in->pos = calloc((size_t)cli_world.size, sizeof *in->pos);
    in->req = malloc((size_t)cli_world.size * sizeof *in->req);
    in->ended = calloc((size_t)cli_world.size, 1);
    in->stop_sent = calloc((size_t)cli_world.size, 1);
    free(cli_world.reports);
    cli_world.reports = calloc((size_t)cli_world.size, sizeof *cli_world.reports);
    if (!in->msg || !in->pos || !in->req || !in->ended || !in->stop_sent || !cli_world.reports) {
        /* without this bookkeeping rank 0 cannot stop the others cleanly */
        TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for %d ranks' messages", cli_world.size);
        fprintf(stderr, "%s: error: %s\n", cli_world.name, diag->message);
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILURE);
    }
    for (int r = 0; r < cli_world.size; r++)
        in->req[r] = MPI_REQUEST_NULL;
    return TS_OK;
}

/* Rank `from`'s next message into in->msg[from]; *h its head.  A failure
 * message becomes this rank's failure.  With `wait` 0 it never blocks: it
 * starts the receive when the message is announced and returns with
 * *done 0 until the bytes are in.  (A blocking receive would wait for the
 * sender to enter MPI again, a whole block of its work, wherever MPI moves
 * large messages only when both ends call it: Open MPI's shared memory
 * without CMA, TCP.) */
ts_status cli_inbox_receive_poll(cli_inbox *in, int from, int wait, int *done, msg_head *h,
                                 ts_diag *diag)
{
    ts_buf *b = &in->msg[from];
    double t0 = MPI_Wtime();
    *done = 0;
    if (in->req[from] == MPI_REQUEST_NULL) {
        MPI_Status s;
        int flag = 1, n;
        if (wait)
            MPI_Probe(from, TAG_DATA, MPI_COMM_WORLD, &s);
        else
            MPI_Iprobe(from, TAG_DATA, MPI_COMM_WORLD, &flag, &s);
        if (!flag)
            return TS_OK;
        MPI_Get_count(&s, MPI_BYTE, &n);
        b->len = 0;
        if (!ts_buf_reserve(b, (size_t)n)) /* the message stays queued */
            return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for a message of %d bytes", n);
        /* one thread receives, and MPI keeps one sender's order on a tag:
         * this receive takes the message just probed */
        MPI_Irecv(b->data, n, MPI_BYTE, from, TAG_DATA, MPI_COMM_WORLD, &in->req[from]);
        b->len = (size_t)n;
    }
    int flag = 1;
    if (wait)
        MPI_Wait(&in->req[from], MPI_STATUS_IGNORE);
    else
        MPI_Test(&in->req[from], &flag, MPI_STATUS_IGNORE);
    if (wait)
        in->wait_s += MPI_Wtime() - t0;
    if (!flag)
        return TS_OK;
    *done = 1;
    if (b->len < sizeof *h)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "rank %d sent a message of %zu bytes", from, b->len);
    memcpy(h, b->data, sizeof *h);
    in->pos[from] = sizeof *h;
    if (h->kind == MSG_END || h->kind == MSG_ERROR) {
        in->ended[from] = 1;
        if (b->len >= sizeof *h + sizeof(rank_report))
            memcpy(&cli_world.reports[from], b->data + sizeof *h, sizeof(rank_report));
    }
    if (h->kind == MSG_ERROR) {
        ts_status st = h->status > TS_OK && h->status < TS_STATUS_COUNT ? (ts_status)h->status
                                                                          : TS_ERR_INTERNAL;
        return TS_FAIL(diag, st, "rank %d failed (%s; its message is above): no output was written",
                       from, ts_status_message(st));
    }
    return TS_OK;
}

ts_status cli_inbox_receive(cli_inbox *in, int from, msg_head *h, ts_diag *diag)
{
    int done;
    return cli_inbox_receive_poll(in, from, 1, &done, h, diag);
}

/* Rank `from`'s part starting at row0, the next message it sends; *done as
 * receive_poll's. */
ts_status cli_inbox_receive_part_poll(cli_inbox *in, int from, uint64_t row0, int wait, int *done,
                                      ts_diag *diag)
{
    msg_head h = {0};
    ts_status st = cli_inbox_receive_poll(in, from, wait, done, &h, diag);
    if (st == TS_OK && *done && (h.kind != MSG_PART || h.row0 != row0))
        st = TS_FAIL(diag, TS_ERR_INTERNAL, "rank %d sent message kind %u from row %llu; expected "
                     "the part from row %llu",
                     from, h.kind, (unsigned long long)h.row0, (unsigned long long)row0);
    return st;
}

ts_status cli_inbox_receive_part(cli_inbox *in, int from, uint64_t row0, ts_diag *diag)
{
    int done;
    return cli_inbox_receive_part_poll(in, from, row0, 1, &done, diag);
}

/* The next `bytes` of b from *pos on (advanced past them); NULL when b
 * ends before. */
const void *cli_take(const ts_buf *b, size_t *pos, size_t bytes)
{
    if (*pos + bytes > b->len || *pos + bytes < bytes)
        return NULL;
    const void *p = b->data + *pos;
    *pos += bytes;
    return p;
}

/* The end of a run on the root: ok - every rank's MSG_END is next (take
 * them); then, or at once after a failure, send each rank its stop and take
 * what it still sends until its last message. */
void cli_inbox_close(cli_inbox *in, int ok, ts_diag *diag)
{
    ts_diag ignored;
    for (int r = 1; r < cli_world.size && ok; r++) {
        msg_head h;
        if (!in->ended[r] && cli_inbox_receive(in, r, &h, diag) != TS_OK)
            ok = 0;
        else if (!in->ended[r])
            ok = 0, TS_FAIL(diag, TS_ERR_INTERNAL, "rank %d sent more parts than the run has", r);
    }
    int stop = 1;
    for (int r = 1; r < cli_world.size; r++)
        if (!in->stop_sent[r]) {
            MPI_Send(&stop, 1, MPI_INT, r, TAG_STOP, MPI_COMM_WORLD);
            in->stop_sent[r] = 1;
        }
    for (int r = 1; r < cli_world.size; r++)
        while (!in->ended[r]) {
            msg_head h;
            cli_inbox_receive(in, r, &h, &ignored);
        }
    for (int r = 0; r < cli_world.size; r++)
        ts_buf_free(&in->msg[r]);
    free(in->msg);
    free(in->pos);
    free(in->req);
    free(in->ended);
    free(in->stop_sent);
}
