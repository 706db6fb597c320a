/*
 * mpi_pairs.c - `pairs` over the ranks (mpi_pairs.h, dist.h's cli_dist_pairs),
 * and the merge of per-statement lists that `search` shares with it.
 *
 * The upper-triangle tile pairs of ts_engine_pairs, numbered in plan order,
 * are handed out by the schedule (schedule.c).  Each rank sends the root,
 * per row tile, its own list of every statement; every pair lies in exactly
 * one block, so the union of the ranks' k best holds the k best, and the
 * root's merge under the engine's order (score descending, lower statement
 * first) is exact.  The root merges between its own blocks, so the ranks'
 * lists never wait for the end.  A search (mpi_search.c) hands out strips
 * of queries the same way (cli_mpi_run_lists): a query's list comes from
 * the one rank that computed its strip, the others send it empty.
 */
#include "mpi_pairs.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "engine/engine.h"
#include "engine/topk.h"
#include "mailbox.h"
#include "schedule.h"

typedef struct pairs_job {
    size_t n, tile, ntiles;
    uint32_t k;
    /* rank 0 */
    ts_matches_fn fn;
    void *user;
    cli_inbox in;
    ts_buf *own;     /* its own lists of each row tile not merged yet */
    char *own_done;  /* ... complete */
    char *have;      /* per rank: its part of tile `next` is in in.msg[r] */
    size_t next;     /* the oldest row tile not written yet */
    ts_buf merged;   /* one statement's lists, ts_match after ts_match */
    ts_diag *diag;
    /* the others */
    cli_outbox *box;
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
    const void *c = cli_take(b, pos, sizeof count);
    if (c)
        memcpy(&count, c, sizeof count);
    const void *list = c ? cli_take(b, pos, (size_t)count * sizeof(ts_match)) : NULL;
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
        for (int r = 1; r < cli_world.size; r++) {
            if (p->have[r])
                continue;
            int done;
            if ((st = cli_inbox_receive_part_poll(&p->in, r, first, wait, &done, p->diag)) != TS_OK)
                return st;
            if (!done)
                return TS_OK;
            p->have[r] = 1;
        }
        size_t rows = p->n - first < p->tile ? p->n - first : p->tile, own_pos = 0;
        for (size_t s = first; s < first + rows; s++) {
            p->merged.len = 0;
            st = take_list(p, &p->own[p->next], &own_pos, 0);
            for (int r = 1; r < cli_world.size && st == TS_OK; r++)
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
        memset(p->have, 0, (size_t)cli_world.size);
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
        cli_put_head(&p->part, MSG_PART, 0, first, rows);
    }
    put_list(&p->part, own, n);
    if (statement + 1 == p->n || (statement + 1) % p->tile == 0)
        return cli_outbox_post(p->box, &p->part, p->diag);
    return TS_OK;
}

ts_status cli_mpi_run_lists(ts_engine *engine, size_t n, uint64_t tile, uint32_t k,
                            const char *unit, cli_mpi_work work, void *work_user,
                            ts_matches_fn fn, void *user, ts_diag *diag)
{
    double t0 = MPI_Wtime();
    cli_world.unit = unit;
    pairs_job p = {0};
    p.n = n;
    p.tile = tile ? tile : 1;
    p.ntiles = (p.n + p.tile - 1) / p.tile;
    p.k = k;
    p.fn = fn;
    p.user = user;
    p.diag = diag;
    cli_outbox box = {0};
    uint64_t units = 0;
    cli_schedule s;
    ts_status st = TS_OK;
    if (cli_world.rank == 0) {
        st = cli_inbox_open(&p.in, diag);
        p.own = calloc(p.ntiles + 1, sizeof *p.own);
        p.own_done = calloc(p.ntiles + 1, 1);
        p.have = calloc((size_t)cli_world.size, 1);
        if (st == TS_OK && (!p.own || !p.own_done || !p.have))
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for %zu row tiles", p.ntiles);
    } else {
        MPI_Irecv(&box.stop_buf, 1, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, &box.stop);
        p.box = &box;
    }
    cli_schedule_open(&s, cli_world.dynamic, cli_world.rank == 0 ? NULL : &box, &units, diag);
    if (cli_world.rank == 0) {
        s.poll = root_poll;
        s.poll_user = &p;
    }
    ts_pairs_share share = {p.tile, cli_schedule_next, &s};
    ts_matches_fn mine = cli_world.rank == 0 ? root_matches : rank_matches;
    if (st == TS_OK)
        st = work(work_user, &share, mine, &p, diag);
    if (cli_world.rank == 0) {
        if (st == TS_OK)
            st = merge_ready(&p, 1);
        if (st == TS_OK && p.next != p.ntiles)
            st = TS_FAIL(diag, TS_ERR_INTERNAL, "rank 0 wrote %zu of %zu row tiles", p.next,
                         p.ntiles);
        cli_inbox_close(&p.in, st == TS_OK, diag);
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
        cli_outbox_close(&box, st);
    }
    cli_schedule_close(&s);
    if (cli_world.rank == 0 && cli_world.reports) {
        cli_world.reports[0].wait_s = p.in.wait_s;
        cli_world.reports[0].units = units;
        cli_world.reports[0].run_s = MPI_Wtime() - t0;
        ts_engine_get_stats(engine, &cli_world.reports[0].stats);
    }
    ts_buf_free(&p.merged);
    return st;
}

typedef struct pairs_work {
    ts_engine *engine;
    const ts_csr *m;
    const ts_pairs_options *pairs;
} pairs_work;

static ts_status run_pairs_share(void *user, const ts_pairs_share *share, ts_matches_fn fn,
                                 void *fn_user, ts_diag *diag)
{
    pairs_work *w = user;
    return ts_engine_pairs_shared(w->engine, w->m, w->pairs, share, fn, fn_user, diag);
}

ts_status cli_mpi_run_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                            const ts_pairs_options *pairs, ts_status ready, ts_matches_fn fn,
                            void *user, ts_diag *diag)
{
    uint64_t tile = 0;
    if (ready == TS_OK && (ready = ts_engine_pairs_tile(engine, m, &tile, diag)) != TS_OK &&
        cli_world.rank != 0)
        cli_fail(ready, diag, CLI_PHASE_DEVICE);
    ts_status failed;
    int who = cli_mpi_agree(ready, &tile, &failed);
    if (who)
        return ready != TS_OK ? ready : cli_mpi_not_mine(failed, who, diag);
    (void)opt;
    pairs_work w = {engine, m, pairs};
    return cli_mpi_run_lists(engine, m->rows, tile, pairs->top_k, "blocks", run_pairs_share, &w,
                             fn, user, diag);
}

ts_status cli_dist_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                         const ts_pairs_options *pairs, ts_matches_fn fn, void *user, ts_diag *diag)
{
    return cli_mpi_run_pairs(opt, engine, m, pairs, TS_OK, fn, user, diag);
}
