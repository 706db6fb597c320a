/*
 * mpi_matrix.c - `matrix` over the ranks (mpi_matrix.h, dist.h's
 * cli_dist_matrix).
 *
 * Row strips (the single-process plan), strip s on rank s mod P; each rank
 * formats its strips (the CSV numbers or the .npy floats) and the root
 * writes them in order, adding the row ids.  The same tile grid and kernels
 * compute every score, so the file is byte-identical to textsim's.
 */
#include "mpi_matrix.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "engine/engine.h"
#include "mailbox.h"
#include "output/writers.h"
#include "schedule.h"

typedef struct matrix_job {
    size_t n, strip_rows, next_strip, strips;
    ts_matrix_format format;
    int precision;
    /* rank 0 */
    ts_matrix_writer *writer;
    cli_progress *progress;
    cli_inbox in;
    ts_diag *diag;
    cli_schedule *sched; /* its fault injection */
    uint64_t done;   /* strips computed here */
    /* the others */
    cli_outbox *box;
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
    int from = (int)(s % (size_t)cli_world.size);
    size_t row0 = s * j->strip_rows;
    ts_status st = cli_inbox_receive_part(&j->in, from, row0, j->diag);
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
        const uint32_t *lens = cli_take(b, pos, rows * sizeof *lens);
        size_t total = 0;
        for (size_t r = 0; lens && r < rows; r++)
            total += lens[r];
        const char *text = lens ? cli_take(b, pos, total) : NULL;
        if (!text)
            return TS_FAIL(j->diag, TS_ERR_INTERNAL, "rank %d's strip is cut short", from);
        st = ts_matrix_writer_text(j->writer, row0, rows, text, lens);
    } else {
        const float *v = cli_take(b, pos, rows * j->n * sizeof *v);
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
    if ((st = cli_schedule_fault(j->sched, j->done++)) != TS_OK)
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
    if (cli_outbox_stop_arrived(j->box))
        return TS_ERR_CANCELLED;
    ts_status st = cli_schedule_fault(j->sched, j->done++);
    if (st != TS_OK)
        return st;
    ts_buf part = {0};
    cli_put_head(&part, MSG_PART, 0, t->row0, t->nrows);
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
    return cli_outbox_post(j->box, &part, j->diag);
}

ts_status cli_dist_matrix(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                          ts_matrix_writer *w, cli_progress *progress, ts_diag *diag)
{
    ts_status failed;
    ts_diag_clear(diag);
    int who = cli_mpi_agree(TS_OK, NULL, &failed);
    if (who)
        return cli_mpi_not_mine(failed, who, diag);
    double t0 = MPI_Wtime();
    cli_world.unit = "strips";
    uint64_t units = 0;
    cli_schedule s;
    cli_schedule_open(&s, 0, NULL, &units, diag);
    matrix_job j = {m->rows, 0, 0, 0, ts_matrix_format_for(opt->output), opt->write.precision,
                    w, progress, {0}, diag, &s, 0, NULL, NULL, 0, {0}};
    ts_status st = cli_inbox_open(&j.in, diag);
    if (st == TS_OK)
        st = ts_engine_similarity_shared(engine, m, cli_schedule_next, &s, root_strip, &j, diag);
    while (st == TS_OK && j.next_strip < j.strips)
        st = write_remote(&j, j.next_strip++);
    cli_inbox_close(&j.in, st == TS_OK, diag);
    if (st == TS_OK && diag->status != TS_OK)
        st = diag->status;
    cli_schedule_close(&s);
    if (cli_world.reports) {
        cli_world.reports[0].units = j.done;
        cli_world.reports[0].wait_s = j.in.wait_s;
        cli_world.reports[0].run_s = MPI_Wtime() - t0;
        ts_engine_get_stats(engine, &cli_world.reports[0].stats);
    }
    return st;
}

ts_status cli_mpi_rank_matrix(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                              ts_status ready, ts_diag *diag)
{
    ts_status failed;
    int who = cli_mpi_agree(ready, NULL, &failed);
    if (who)
        return ready != TS_OK ? ready : cli_mpi_not_mine(failed, who, diag);
    double t0 = MPI_Wtime();
    cli_world.unit = "strips";
    cli_outbox box = {0};
    MPI_Irecv(&box.stop_buf, 1, MPI_INT, 0, TAG_STOP, MPI_COMM_WORLD, &box.stop);
    uint64_t units = 0;
    cli_schedule s;
    cli_schedule_open(&s, 0, &box, &units, diag);
    matrix_job j = {m->rows, 0, 0, 0, ts_matrix_format_for(opt->output), opt->write.precision,
                    NULL, NULL, {0}, diag, &s, 0, &box, NULL, 0, {0}};
    ts_status st =
        ts_engine_similarity_shared(engine, m, cli_schedule_next, &s, rank_strip, &j, diag);
    if (st != TS_OK && st != TS_ERR_CANCELLED)
        cli_fail(st, diag, CLI_PHASE_DEVICE);
    box.report.units = j.done;
    box.report.run_s = MPI_Wtime() - t0;
    ts_engine_get_stats(engine, &box.report.stats);
    cli_outbox_close(&box, st);
    cli_schedule_close(&s);
    free(j.lens);
    ts_buf_free(&j.text);
    return st;
}
