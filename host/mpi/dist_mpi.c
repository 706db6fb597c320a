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
 */
#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "diag.h"
#include "dist.h"
#include "dist_mpi.h"
#include "engine.h"
#include "pairs.h"
#include "topk.h"
#include "output/writers.h"

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
} job_head;

static struct {
    int rank, size, local_rank;
    int dynamic, one_node;
    char name[48];
    char device[32];
    int begun;   /* the job header went out (rank 0) or came in */
    int started; /* the run's agreement happened */
    cli_dist_job job;
    ts_csr m;          /* the other ranks' copy */
    uint32_t *groups;  /* the other ranks' copy */
    uint64_t bcast_bytes;
    rank_report *reports; /* rank 0: every rank's, after a run */
    const char *unit;     /* "blocks" or "strips" */
} W;

/* ------------------------------------------------------------ start, end */

int cli_mpi_init(int *argc, char ***argv)
{
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "textsim-mpi: error: MPI_Init failed: start it with mpirun or srun\n");
        return CLI_EXIT_FAILURE;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &W.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &W.size);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, W.rank, MPI_INFO_NULL, &local);
    MPI_Comm_rank(local, &W.local_rank);
    int local_size;
    MPI_Comm_size(local, &local_size);
    MPI_Comm_free(&local);
    W.one_node = local_size == W.size;
    if (W.rank == 0)
        snprintf(W.name, sizeof W.name, "textsim-mpi");
    else
        snprintf(W.name, sizeof W.name, "textsim-mpi rank %d", W.rank);
    cli_name = W.name;

    /* --schedule auto|static|dynamic, anywhere after the command */
    W.dynamic = W.one_node;
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
            W.dynamic = W.one_node;
        else if (strcmp(val, "static") == 0 || strcmp(val, "dynamic") == 0)
            W.dynamic = strcmp(val, "dynamic") == 0;
        else {
            if (W.rank == 0)
                fprintf(stderr, "textsim-mpi: --schedule is auto, static or dynamic, not '%s'\n",
                        val);
            return CLI_EXIT_USAGE;
        }
    }
    v[out] = NULL;
    *argc = out;
    return CLI_EXIT_OK;
}

int cli_mpi_rank(void) { return W.rank; }

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
        if (d[i].is_gpu == d[def].is_gpu && k++ == (size_t)W.local_rank % same)
            pick = i;
    snprintf(W.device, sizeof W.device, "%u:%u", d[pick].platform, d[pick].device);
    ts_devices_free(d);
    return W.device;
}

static void bcast(void *data, size_t bytes)
{
    for (size_t at = 0; at < bytes; at += BCAST_PIECE) {
        size_t n = bytes - at < BCAST_PIECE ? bytes - at : BCAST_PIECE;
        MPI_Bcast((char *)data + at, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
    W.bcast_bytes += bytes;
}

static void bcast_matrix(ts_csr *m, uint32_t **groups, int has_groups)
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
    job_head h = {0, (int32_t)job, m->rows, m->cols, m->ptr[m->rows], groups != NULL};
    MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, MPI_COMM_WORLD);
    ts_csr copy = *m;
    uint32_t *g = (uint32_t *)groups;
    bcast_matrix(&copy, &g, groups != NULL);
    W.begun = 1;
    W.job = job;
    return CLI_EXIT_OK;
}

/* Every rank says once whether it is ready to run (and its tile edge); 0
 * when all are, else the failing rank + 1 with its status in *status.  The
 * tile becomes the smallest of all ranks' (their devices may differ). */
static int agree(ts_status mine, uint64_t *tile, ts_status *status)
{
    uint64_t a[2] = {mine != TS_OK ? (uint64_t)W.rank + 1 : 0, UINT64_MAX - (tile ? *tile : 0)};
    uint64_t r[2];
    MPI_Allreduce(a, r, 2, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
    W.started = 1;
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
static ts_status not_mine(ts_status failed, int who, ts_diag *diag)
{
    if (W.rank != 0)
        return TS_ERR_CANCELLED;
    return TS_FAIL(diag, failed, "rank %d failed before the run (%s; its message is above): no "
                   "output was written", who - 1, ts_status_message(failed));
}

int cli_mpi_end(int code)
{
    if (W.rank == 0) {
        if (!W.begun) { /* the other ranks still wait for a job: there is none */
            job_head h = {code, 0, 0, 0, 0, 0};
            MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, MPI_COMM_WORLD);
            return code;
        }
        if (!W.started) { /* failed between the broadcast and the run */
            ts_status st;
            agree(TS_ERR_CANCELLED, NULL, &st);
        }
    }
    if (!W.begun) /* no job came: rank 0 has ended already */
        return code;
    int root = code;
    MPI_Bcast(&root, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return code ? code : root;
}

void cli_mpi_finalize(void)
{
    free(W.m.ptr);
    free(W.m.idx);
    free(W.m.val);
    free(W.groups);
    free(W.reports);
    MPI_Finalize();
}

/* --------------------------------------------------------------- sending */

typedef struct outbox {
    MPI_Request req[MAX_IN_FLIGHT];
    ts_buf buf[MAX_IN_FLIGHT];
    int head, count;
    MPI_Request stop;
    int stop_buf, stopped;
    rank_report report;
} outbox;

static void outbox_wait_oldest(outbox *o)
{
    double t0 = MPI_Wtime();
    MPI_Wait(&o->req[o->head], MPI_STATUS_IGNORE);
    o->report.wait_s += MPI_Wtime() - t0;
    ts_buf_free(&o->buf[o->head]);
    o->head = (o->head + 1) % MAX_IN_FLIGHT;
    o->count--;
}

/* Send b to the root (b is taken and emptied). */
static ts_status post(outbox *o, ts_buf *b, ts_diag *diag)
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

static void put_head(ts_buf *b, uint32_t kind, uint32_t status, uint64_t row0, uint64_t nrows)
{
    msg_head h = {kind, status, row0, nrows};
    ts_buf_append(b, &h, sizeof h);
}

static int stop_arrived(outbox *o)
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
static void outbox_close(outbox *o, ts_status st)
{
    ts_buf b = {0};
    put_head(&b, st == TS_OK || st == TS_ERR_CANCELLED ? MSG_END : MSG_ERROR, st, 0, 0);
    ts_buf_append(&b, &o->report, sizeof o->report);
    ts_diag ignored;
    if (post(o, &b, &ignored) != TS_OK) /* no memory for 100 bytes: end anyway */
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILURE);
    while (o->count)
        outbox_wait_oldest(o);
    if (!o->stopped)
        MPI_Wait(&o->stop, MPI_STATUS_IGNORE);
}

/* ------------------------------------------------------------- receiving */

typedef struct inbox {
    ts_buf *msg;        /* one per rank */
    size_t *pos;        /* read position in msg[r] */
    MPI_Request *req;   /* a receive into msg[r] under way */
    char *ended;        /* the rank's MSG_END or MSG_ERROR arrived */
    char *stop_sent;
    double wait_s;
} inbox;

static ts_status inbox_open(inbox *in, ts_diag *diag)
{
    memset(in, 0, sizeof *in);
    in->msg = calloc((size_t)W.size, sizeof *in->msg);
    in->pos = calloc((size_t)W.size, sizeof *in->pos);
    in->req = malloc((size_t)W.size * sizeof *in->req);
    in->ended = calloc((size_t)W.size, 1);
    in->stop_sent = calloc((size_t)W.size, 1);
    free(W.reports);
    W.reports = calloc((size_t)W.size, sizeof *W.reports);
    if (!in->msg || !in->pos || !in->req || !in->ended || !in->stop_sent || !W.reports) {
        /* without this bookkeeping rank 0 cannot stop the others cleanly */
        TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for %d ranks' messages", W.size);
        fprintf(stderr, "%s: error: %s\n", W.name, diag->message);
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILURE);
    }
    for (int r = 0; r < W.size; r++)
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
static ts_status receive_poll(inbox *in, int from, int wait, int *done, msg_head *h,
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
            memcpy(&W.reports[from], b->data + sizeof *h, sizeof(rank_report));
    }
    if (h->kind == MSG_ERROR) {
        ts_status st = h->status > TS_OK && h->status < TS_STATUS_COUNT ? (ts_status)h->status
                                                                          : TS_ERR_INTERNAL;
        return TS_FAIL(diag, st, "rank %d failed (%s; its message is above): no output was written",
                       from, ts_status_message(st));
    }
    return TS_OK;
}

static ts_status receive(inbox *in, int from, msg_head *h, ts_diag *diag)
{
    int done;
    return receive_poll(in, from, 1, &done, h, diag);
}

/* Rank `from`'s part starting at row0, the next message it sends; *done as
 * receive_poll's. */
static ts_status receive_part_poll(inbox *in, int from, uint64_t row0, int wait, int *done,
                                   ts_diag *diag)
{
    msg_head h;
    ts_status st = receive_poll(in, from, wait, done, &h, diag);
    if (st == TS_OK && *done && (h.kind != MSG_PART || h.row0 != row0))
        st = TS_FAIL(diag, TS_ERR_INTERNAL, "rank %d sent message kind %u from row %llu; expected "
                     "the part from row %llu",
                     from, h.kind, (unsigned long long)h.row0, (unsigned long long)row0);
    return st;
}

static ts_status receive_part(inbox *in, int from, uint64_t row0, ts_diag *diag)
{
    int done;
    return receive_part_poll(in, from, row0, 1, &done, diag);
}

/* The next `bytes` of b from *pos on (advanced past them); NULL when b
 * ends before. */
static const void *take(const ts_buf *b, size_t *pos, size_t bytes)
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
static void inbox_close(inbox *in, int ok, ts_diag *diag)
{
    ts_diag ignored;
    for (int r = 1; r < W.size && ok; r++) {
        msg_head h;
        if (!in->ended[r] && receive(in, r, &h, diag) != TS_OK)
            ok = 0;
        else if (!in->ended[r])
            ok = 0, TS_FAIL(diag, TS_ERR_INTERNAL, "rank %d sent more parts than the run has", r);
    }
    int stop = 1;
    for (int r = 1; r < W.size; r++)
        if (!in->stop_sent[r]) {
            MPI_Send(&stop, 1, MPI_INT, r, TAG_STOP, MPI_COMM_WORLD);
            in->stop_sent[r] = 1;
        }
    for (int r = 1; r < W.size; r++)
        while (!in->ended[r]) {
            msg_head h;
            receive(in, r, &h, &ignored);
        }
    for (int r = 0; r < W.size; r++)
        ts_buf_free(&in->msg[r]);
    free(in->msg);
    free(in->pos);
    free(in->req);
    free(in->ended);
    free(in->stop_sent);
}

/* ------------------------------------------------------------- schedules */

typedef struct schedule {
    uint64_t next;     /* static: this rank's next number */
    int first, dynamic;
    MPI_Win win;
    uint64_t *counter; /* rank 0's window */
    outbox *box;       /* the other ranks: the stop to watch */
    uint64_t *units;
    uint64_t fail_after; /* TEXTSIM_MPI_FAULT: fail after this many units; 0: never */
    ts_diag *diag;
    ts_status (*poll)(void *user); /* rank 0: work to do between blocks */
    void *poll_user;
} schedule;

static void schedule_open(schedule *s, int dynamic, outbox *box, uint64_t *units,
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
    if (fault && sscanf(fault, "%d:%llu", &rank, &after) == 2 && rank == W.rank)
        s->fail_after = after + 1;
    if (dynamic) {
        MPI_Win_allocate(W.rank == 0 ? sizeof(uint64_t) : 0, sizeof(uint64_t), MPI_INFO_NULL,
                         MPI_COMM_WORLD, &s->counter, &s->win);
        if (W.rank == 0)
            *s->counter = 0;
        MPI_Barrier(MPI_COMM_WORLD); /* the counter is 0 before anyone draws */
        MPI_Win_lock_all(MPI_MODE_NOCHECK, s->win);
    }
}

static void schedule_close(schedule *s)
{
    if (s->dynamic) {
        MPI_Win_unlock_all(s->win);
        MPI_Win_free(&s->win);
    }
}

static ts_status fault(const schedule *s, uint64_t done)
{
    if (!s->fail_after || done + 1 < s->fail_after)
        return TS_OK;
    return TS_FAIL(s->diag, TS_ERR_DEVICE, "injected device failure after %llu %s "
                   "(TEXTSIM_MPI_FAULT)", (unsigned long long)done, W.unit);
}

/* The engine's share->next: this rank's next block (or strip) number. */
static ts_status schedule_next(void *user, uint64_t *number)
{
    schedule *s = user;
    if (!s->first)
        (*s->units)++;
    if (s->box && stop_arrived(s->box))
        return TS_ERR_CANCELLED;
    if (W.job == CLI_DIST_PAIRS && fault(s, *s->units) != TS_OK)
        return s->diag->status;
    ts_status st;
    if (s->poll && !s->first && (st = s->poll(s->poll_user)) != TS_OK)
        return st;
    if (s->dynamic) {
        const uint64_t one = 1;
        MPI_Fetch_and_op(&one, number, MPI_UINT64_T, 0, 0, MPI_SUM, s->win);
        MPI_Win_flush(0, s->win);
    } else {
        *number = s->first ? (uint64_t)W.rank : s->next + (uint64_t)W.size;
        s->next = *number;
    }
    s->first = 0;
    return TS_OK;
}

/* ----------------------------------------------------------------- pairs */

typedef struct pairs_job {
    size_t n, tile, ntiles;
    uint32_t k;
    /* rank 0 */
    ts_matches_fn fn;
    void *user;
    inbox in;
    ts_buf *own;     /* its own lists of each row tile not merged yet */
    char *own_done;  /* ... complete */
    char *have;      /* per rank: its part of tile `next` is in in.msg[r] */
    size_t next;     /* the oldest row tile not written yet */
    ts_buf merged;   /* one statement's lists, ts_match after ts_match */
    ts_diag *diag;
    /* the others */
    outbox *box;
    ts_buf part;
} pairs_job;

static int match_order(const void *a, const void *b)
{
    const ts_match *x = a, *y = b;
    return ts_match_before(x->score, x->statement, y->score, y->statement)   ? -1
           : ts_match_before(y->score, y->statement, x->score, x->statement) ? 1
                                                                             : 0;
}

/* Append one statement's list (count, then the matches) to b. */
static void put_list(ts_buf *b, const ts_match *m, size_t n)
{
    uint32_t count = (uint32_t)n;
    ts_buf_append(b, &count, sizeof count);
    if (n)
        ts_buf_append(b, m, n * sizeof *m);
}

/* Append the next list in b at *pos (rank r's part; r = 0: its own lists)
 * to the merge buffer. */
static ts_status take_list(pairs_job *p, const ts_buf *b, size_t *pos, int r)
{
    uint32_t count;
    const void *c = take(b, pos, sizeof count);
    if (c)
        memcpy(&count, c, sizeof count);
    const void *list = c ? take(b, pos, (size_t)count * sizeof(ts_match)) : NULL;
    if (!list)
        return TS_FAIL(p->diag, TS_ERR_INTERNAL, "rank %d's part is cut short", r);
    ts_buf_append(&p->merged, list, (size_t)count * sizeof(ts_match));
    if (p->merged.failed)
        return TS_FAIL(p->diag, TS_ERR_NOMEM, "out of memory merging a statement's lists");
    return TS_OK;
}

/* Write every row tile whose parts are all in, oldest first: rank 0's own
 * lists and each rank's, merged into the lists one process would have made
 * (sorted by the engine's order, cut to k).  Without `wait`, a rank whose
 * part has not arrived yet ends the round, so rank 0 goes back to its own
 * blocks instead of idling; with it, rank 0 waits for the parts. */
static ts_status merge_ready(pairs_job *p, int wait)
{
    ts_status st = TS_OK;
    while (p->next < p->ntiles && p->own_done[p->next]) {
        size_t first = p->next * p->tile;
        for (int r = 1; r < W.size; r++) {
            if (p->have[r])
                continue;
            int done;
            if ((st = receive_part_poll(&p->in, r, first, wait, &done, p->diag)) != TS_OK)
                return st;
            if (!done)
                return TS_OK;
            p->have[r] = 1;
        }
        size_t rows = p->n - first < p->tile ? p->n - first : p->tile, own_pos = 0;
        for (size_t s = first; s < first + rows; s++) {
            p->merged.len = 0;
            st = take_list(p, &p->own[p->next], &own_pos, 0);
            for (int r = 1; r < W.size && st == TS_OK; r++)
                st = take_list(p, &p->in.msg[r], &p->in.pos[r], r);
            if (st != TS_OK)
                return st;
            ts_match *merged = (ts_match *)p->merged.data;
            size_t total = p->merged.len / sizeof *merged;
            if (total > 1)
                qsort(merged, total, sizeof *merged, match_order);
            if (p->k && total > p->k)
                total = p->k;
            ts_diag_clear(p->diag);
            if ((st = p->fn(p->user, (uint32_t)s, merged, total)) != TS_OK) {
                if (p->diag->status != st)
                    TS_FAIL(p->diag, st, "the match consumer stopped the run: %s",
                            ts_status_message(st));
                return st;
            }
        }
        ts_buf_free(&p->own[p->next]);
        memset(p->have, 0, (size_t)W.size);
        p->next++;
    }
    return TS_OK;
}

/* Rank 0's ts_matches_fn: keeps its own list until the other ranks' parts
 * of the row tile are in (merge_ready). */
static ts_status root_matches(void *user, uint32_t statement, const ts_match *own, size_t n)
{
    pairs_job *p = user;
    size_t t = statement / p->tile;
    put_list(&p->own[t], own, n);
    if (p->own[t].failed)
        return TS_FAIL(p->diag, TS_ERR_NOMEM, "out of memory keeping the lists of row tile %zu", t);
    if (statement + 1 < p->n && (statement + 1) % p->tile != 0)
        return TS_OK;
    p->own_done[t] = 1;
    return merge_ready(p, 0);
}

/* Rank 0 between its blocks: write what the other ranks have completed. */
static ts_status root_poll(void *user) { return merge_ready(user, 0); }

/* The other ranks' ts_matches_fn: the statement's list into the row
 * tile's part, sent when the tile is complete. */
static ts_status rank_matches(void *user, uint32_t statement, const ts_match *own, size_t n)
{
    pairs_job *p = user;
    size_t first = statement - statement % p->tile;
    if (statement == first) {
        size_t rows = p->n - first < p->tile ? p->n - first : p->tile;
        put_head(&p->part, MSG_PART, 0, first, rows);
    }
    put_list(&p->part, own, n);
    if (statement + 1 == p->n || (statement + 1) % p->tile == 0)
        return post(p->box, &p->part, p->diag);
    return TS_OK;
}

static ts_status run_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                           const ts_pairs_options *pairs, ts_status ready, ts_matches_fn fn,
                           void *user, ts_diag *diag)
{
    uint64_t tile = 0;
    if (ready == TS_OK && (ready = ts_engine_pairs_tile(engine, m, &tile, diag)) != TS_OK &&
        W.rank != 0)
        cli_fail(ready, diag, CLI_PHASE_DEVICE);
    ts_status failed;
    int who = agree(ready, &tile, &failed);
    if (who)
        return ready != TS_OK ? ready : not_mine(failed, who, diag);
    (void)opt;
    double t0 = MPI_Wtime();
    W.unit = "blocks";
    pairs_job p = {0};
    p.n = m->rows;
    p.tile = tile ? tile : 1;
    p.ntiles = (p.n + p.tile - 1) / p.tile;
    p.k = pairs->top_k;
    p.fn = fn;
    p.user = user;
    p.diag = diag;
    outbox box = {0};
    uint64_t units = 0;
    schedule s;
    ts_status st = TS_OK;
    if (W.rank == 0) {
        st = inbox_open(&p.in, diag);
        p.own = calloc(p.ntiles + 1, sizeof *p.own);
        p.own_done = calloc(p.ntiles + 1, 1);
        p.have = calloc((size_t)W.size, 1);
        if (st == TS_OK && (!p.own || !p.own_done || !p.have))
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for %zu row tiles", p.ntiles);
    } else {
        MPI_Irecv(&box.stop_buf, 1, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, &box.stop);
        p.box = &box;
    }
    schedule_open(&s, W.dynamic, W.rank == 0 ? NULL : &box, &units, diag);
    if (W.rank == 0) {
        s.poll = root_poll;
        s.poll_user = &p;
    }
    ts_pairs_share share = {p.tile, schedule_next, &s};
    ts_matches_fn mine = W.rank == 0 ? root_matches : rank_matches;
    if (st == TS_OK)
        st = ts_engine_pairs_shared(engine, m, pairs, &share, mine, &p, diag);
    if (W.rank == 0) {
        if (st == TS_OK)
            st = merge_ready(&p, 1);
        if (st == TS_OK && p.next != p.ntiles)
            st = TS_FAIL(diag, TS_ERR_INTERNAL, "rank 0 wrote %zu of %zu row tiles", p.next,
                         p.ntiles);
        inbox_close(&p.in, st == TS_OK, diag);
        if (st == TS_OK && diag && diag->status != TS_OK)
            st = diag->status;
        for (size_t t = 0; p.own && t < p.ntiles; t++)
            ts_buf_free(&p.own[t]);
        free(p.own);
        free(p.own_done);
        free(p.have);
    } else {
        if (st != TS_OK && st != TS_ERR_CANCELLED)
            cli_fail(st, diag, CLI_PHASE_DEVICE);
        box.report.units = units;
        ts_engine_get_stats(engine, &box.report.stats);
        box.report.run_s = MPI_Wtime() - t0;
        ts_buf_free(&p.part);
        outbox_close(&box, st);
    }
    schedule_close(&s);
    if (W.rank == 0 && W.reports) {
        W.reports[0].wait_s = p.in.wait_s;
        W.reports[0].units = units;
        W.reports[0].run_s = MPI_Wtime() - t0;
        ts_engine_get_stats(engine, &W.reports[0].stats);
    }
    ts_buf_free(&p.merged);
    return st;
}

ts_status cli_dist_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                         const ts_pairs_options *pairs, ts_matches_fn fn, void *user,
                         ts_diag *diag)
{
    return run_pairs(opt, engine, m, pairs, TS_OK, fn, user, diag);
}

/* ---------------------------------------------------------------- matrix */

typedef struct matrix_job {
    size_t n, strip_rows, next_strip, strips;
    ts_matrix_format format;
    int precision;
    /* rank 0 */
    ts_matrix_writer *writer;
    cli_progress *progress;
    inbox in;
    ts_diag *diag;
    schedule *sched; /* its fault injection */
    uint64_t done;   /* strips computed here */
    /* the others */
    outbox *box;
    uint32_t *lens;
    size_t lens_cap;
    ts_buf text;
} matrix_job;

/* Draw the progress bar for rows written without it. */
static void draw(cli_progress *p, size_t row0, size_t nrows)
{
    ts_tile_fn next = p->next;
    ts_tile t = {row0, nrows, 0, 0, 0, NULL};
    p->next = NULL;
    cli_progress_tile(p, &t);
    p->next = next;
}

/* Receive strip s from its rank and write it. */
static ts_status write_remote(matrix_job *j, size_t s)
{
    int from = (int)(s % (size_t)W.size);
    size_t row0 = s * j->strip_rows;
    ts_status st = receive_part(&j->in, from, row0, j->diag);
    if (st != TS_OK)
        return st;
    msg_head h;
    memcpy(&h, j->in.msg[from].data, sizeof h);
    size_t rows = (size_t)h.nrows;
    if (rows > j->n - row0)
        return TS_FAIL(j->diag, TS_ERR_INTERNAL, "rank %d sent %zu rows from row %zu", from, rows,
                       row0);
    const ts_buf *b = &j->in.msg[from];
    size_t *pos = &j->in.pos[from];
    if (j->format == TS_MATRIX_CSV) {
        const uint32_t *lens = take(b, pos, rows * sizeof *lens);
        size_t total = 0;
        for (size_t r = 0; lens && r < rows; r++)
            total += lens[r];
        const char *text = lens ? take(b, pos, total) : NULL;
        if (!text)
            return TS_FAIL(j->diag, TS_ERR_INTERNAL, "rank %d's strip is cut short", from);
        st = ts_matrix_writer_text(j->writer, row0, rows, text, lens);
    } else {
        const float *v = take(b, pos, rows * j->n * sizeof *v);
        if (!v)
            return TS_FAIL(j->diag, TS_ERR_INTERNAL, "rank %d's strip is cut short", from);
        ts_tile t = {row0, rows, 0, j->n, j->n, v};
        st = ts_matrix_writer_tile(j->writer, &t);
    }
    if (st != TS_OK) {
        *j->diag = *ts_matrix_writer_diag(j->writer);
        return st;
    }
    draw(j->progress, row0, rows);
    return TS_OK;
}

/* Rank 0's strips: first the other ranks' strips before it, then its own. */
static ts_status root_strip(void *user, const ts_tile *t)
{
    matrix_job *j = user;
    if (!j->strip_rows) { /* strip 0 is rank 0's: it sets the strip height */
        j->strip_rows = t->nrows;
        j->strips = (j->n + t->nrows - 1) / t->nrows;
    }
    ts_status st = TS_OK;
    size_t mine = t->row0 / j->strip_rows;
    while (j->next_strip < mine && st == TS_OK)
        st = write_remote(j, j->next_strip++);
    if (st != TS_OK)
        return st;
    j->next_strip++;
    if ((st = fault(j->sched, j->done++)) != TS_OK)
        return st;
    st = cli_progress_tile(j->progress, t);
    if (st != TS_OK)
        *j->diag = *ts_matrix_writer_diag(j->writer);
    return st;
}

/* The other ranks' strips: formatted here, written by rank 0. */
static ts_status rank_strip(void *user, const ts_tile *t)
{
    matrix_job *j = user;
    if (stop_arrived(j->box))
        return TS_ERR_CANCELLED;
    ts_status st = fault(j->sched, j->done++);
    if (st != TS_OK)
        return st;
    ts_buf part = {0};
    put_head(&part, MSG_PART, 0, t->row0, t->nrows);
    if (j->format == TS_MATRIX_CSV) {
        if (t->nrows > j->lens_cap) {
            uint32_t *l = realloc(j->lens, t->nrows * sizeof *l);
            if (!l)
                return TS_FAIL(j->diag, TS_ERR_NOMEM, "out of memory formatting a strip");
            j->lens = l;
            j->lens_cap = t->nrows;
        }
        j->text.len = 0;
        ts_matrix_csv_numbers(&j->text, j->lens, t, j->precision);
        ts_buf_append(&part, j->lens, t->nrows * sizeof *j->lens);
        ts_buf_append(&part, j->text.data, j->text.len);
        if (j->text.failed)
            part.failed = 1;
    } else {
        for (size_t r = 0; r < t->nrows; r++)
            ts_buf_append(&part, t->scores + r * t->ld, t->ncols * sizeof(float));
    }
    return post(j->box, &part, j->diag);
}

ts_status cli_dist_matrix(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                          ts_matrix_writer *w, cli_progress *progress, ts_diag *diag)
{
    ts_status failed;
    ts_diag_clear(diag);
    int who = agree(TS_OK, NULL, &failed);
    if (who)
        return not_mine(failed, who, diag);
    double t0 = MPI_Wtime();
    W.unit = "strips";
    uint64_t units = 0;
    schedule s;
    schedule_open(&s, 0, NULL, &units, diag);
    matrix_job j = {m->rows, 0, 0, 0, ts_matrix_format_for(opt->output), opt->write.precision,
                    w, progress, {0}, diag, &s, 0, NULL, NULL, 0, {0}};
    ts_status st = inbox_open(&j.in, diag);
    if (st == TS_OK)
        st = ts_engine_similarity_shared(engine, m, schedule_next, &s, root_strip, &j, diag);
    while (st == TS_OK && j.next_strip < j.strips)
        st = write_remote(&j, j.next_strip++);
    inbox_close(&j.in, st == TS_OK, diag);
    if (st == TS_OK && diag->status != TS_OK)
        st = diag->status;
    schedule_close(&s);
    if (W.reports) {
        W.reports[0].units = j.done;
        W.reports[0].wait_s = j.in.wait_s;
        W.reports[0].run_s = MPI_Wtime() - t0;
        ts_engine_get_stats(engine, &W.reports[0].stats);
    }
    return st;
}

static ts_status rank_matrix(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                             ts_status ready, ts_diag *diag)
{
    ts_status failed;
    int who = agree(ready, NULL, &failed);
    if (who)
        return ready != TS_OK ? ready : not_mine(failed, who, diag);
    double t0 = MPI_Wtime();
    W.unit = "strips";
    outbox box = {0};
    MPI_Irecv(&box.stop_buf, 1, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, &box.stop);
    uint64_t units = 0;
    schedule s;
    schedule_open(&s, 0, &box, &units, diag);
    matrix_job j = {m->rows, 0, 0, 0, ts_matrix_format_for(opt->output), opt->write.precision,
                    NULL, NULL, {0}, diag, &s, 0, &box, NULL, 0, {0}};
    ts_status st = ts_engine_similarity_shared(engine, m, schedule_next, &s, rank_strip, &j, diag);
    if (st != TS_OK && st != TS_ERR_CANCELLED)
        cli_fail(st, diag, CLI_PHASE_DEVICE);
    box.report.units = j.done;
    box.report.run_s = MPI_Wtime() - t0;
    ts_engine_get_stats(engine, &box.report.stats);
    outbox_close(&box, st);
    schedule_close(&s);
    free(j.lens);
    ts_buf_free(&j.text);
    return st;
}

void cli_dist_report(const cli_options *opt)
{
    if (!W.reports || W.size < 2)
        return;
    cli_note(opt, "%d ranks, %s schedule; TF-IDF broadcast %.1f MB to each rank", W.size,
             W.dynamic && W.job == CLI_DIST_PAIRS ? "dynamic" : "static",
             (double)W.bcast_bytes / 1e6);
    for (int r = 0; r < W.size; r++) {
        const rank_report *x = &W.reports[r];
        cli_note(opt,
                 "rank %d: %llu %s in %.3f s (kernels %.3f s, host select %.3f s), waited %.3f s, "
                 "sent %.2f MB",
                 r, (unsigned long long)x->units, W.unit ? W.unit : "blocks", x->run_s,
                 x->stats.kernel_s + x->stats.select_kernel_s, x->stats.select_s, x->wait_s,
                 (double)x->bytes_sent / 1e6);
    }
}

/* ------------------------------------------------------------ other ranks */

int cli_mpi_worker(int argc, char **argv)
{
    job_head h;
    MPI_Bcast(&h, sizeof h, MPI_BYTE, 0, MPI_COMM_WORLD);
    if (h.job == 0)
        return h.code;
    W.begun = 1;
    W.job = (cli_dist_job)h.job;
    W.m.rows = h.rows;
    W.m.cols = h.cols;
    W.m.ptr = malloc(((size_t)h.rows + 1) * sizeof *W.m.ptr);
    W.m.idx = malloc((h.nnz ? h.nnz : 1) * sizeof *W.m.idx);
    W.m.val = malloc((h.nnz ? h.nnz : 1) * sizeof *W.m.val);
    W.groups = h.has_groups ? malloc(((size_t)h.rows ? h.rows : 1) * sizeof *W.groups) : NULL;
    if (!W.m.ptr || !W.m.idx || !W.m.val || (h.has_groups && !W.groups)) {
        fprintf(stderr, "%s: error: out of memory for the TF-IDF matrix (%u non-zeros)\n", W.name,
                h.nnz);
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_FAILURE);
    }
    bcast_matrix(&W.m, &W.groups, h.has_groups);

    /* the same command line as rank 0's, which parsed it without error */
    cli_options opt;
    ts_engine *engine = NULL;
    ts_diag diag;
    ts_diag_clear(&diag);
    ts_status ready = TS_OK;
    int code = cli_parse(argc, argv, argv[0], "", NULL, &opt);
    if (code)
        ready = TS_ERR_ARG;
    else {
        opt.verbosity = 0; /* rank 0 speaks for the job; errors still print */
        if ((code = cli_create_engine(&opt, &engine)))
            ready = TS_ERR_DEVICE;
    }
    ts_status st;
    if (W.job == CLI_DIST_PAIRS) {
        if (opt.pairs.cross_source)
            opt.pairs.groups = W.groups;
        st = run_pairs(&opt, engine, &W.m, &opt.pairs, ready, NULL, NULL, &diag);
    } else {
        st = rank_matrix(&opt, engine, &W.m, ready, &diag);
    }
    ts_engine_free(engine);
    if (code)
        return code;
    return st == TS_OK || st == TS_ERR_CANCELLED ? CLI_EXIT_OK : CLI_EXIT_DEVICE;
}
