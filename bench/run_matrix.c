/*
 * run_matrix.c - textsim-bench --mode matrix (bench.h).
 *
 * Streams the N x N matrix (ts_engine_similarity) on every backend: a first
 * pass, then --repeat timed passes and passes that format the CSV into
 * memory (the figure is the formatting cost, not the disk's); each device's
 * sampled rows are checked against the cpu backend's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "bench.h"
#include "common/synth.h"
#include "output/csv_cells.h"

typedef struct matrix_sink {
    int write_csv;
    int precision;
    ts_buf line;
    double write_seconds;
    const size_t *check_rows; /* ascending */
    size_t ncheck;
    float *check;             /* ncheck x N scores of the sampled rows */
    size_t n;
} matrix_sink;

/* Formats every row as the CSV writer does (into memory, so the figure is
 * the formatting cost, not the disk) and keeps the sampled rows. */
static ts_status on_tile(void *user, const ts_tile *t)
{
    matrix_sink *s = user;
    double t0 = bench_now();
    if (s->write_csv)
        for (size_t r = 0; r < t->nrows; r++) {
            s->line.len = 0;
            ts_csv_fixed_row(&s->line, t->scores + r * t->ld, t->ncols, s->precision);
        }
    s->write_seconds += bench_now() - t0;
    for (size_t k = 0; k < s->ncheck; k++) {
        size_t i = s->check_rows[k];
        if (i >= t->row0 && i < t->row0 + t->nrows)
            memcpy(s->check + k * s->n + t->col0, t->scores + (i - t->row0) * t->ld,
                   t->ncols * sizeof(float));
    }
    return TS_OK;
}

/* First pass, then --repeat times a timed pass and a pass that formats the
 * CSV; returns the sampled rows of the last pass. */
static float *run_matrix(ts_engine *e, const ts_tfidf *tfidf, const config *c,
                         const size_t *rows, size_t ncheck, result *r)
{
    size_t n = ts_tfidf_rows(tfidf);
    matrix_sink s = {.precision = c->precision, .check_rows = rows, .ncheck = ncheck, .n = n};
    s.check = tk_xcalloc(ncheck * n + 1, sizeof(float));
    ts_diag d;
    ts_status st;
    r->steady_s = r->write_s = 1e30;
    for (int k = -1; k < c->repeat; k++) {
        s.write_csv = 0;
        ts_engine_stats_reset(e);
        double t0 = bench_now();
        if ((st = ts_engine_similarity(e, tfidf, on_tile, &s, &d)) != TS_OK)
            bench_die("similarity", st, &d);
        double t = bench_now() - t0;
        if (k < 0) {
            r->first_s = t;
            ts_engine_get_stats(e, &r->first);
            continue;
        }
        if (t < r->steady_s) {
            r->steady_s = t;
            ts_engine_get_stats(e, &r->st);
        }
        s.write_csv = 1;
        s.write_seconds = 0;
        if ((st = ts_engine_similarity(e, tfidf, on_tile, &s, &d)) != TS_OK)
            bench_die("similarity", st, &d);
        r->write_s = fmin(r->write_s, s.write_seconds);
    }
    ts_buf_free(&s.line);
    return s.check;
}

/* --mode matrix on every backend; each device's sampled rows against the
 * cpu reference's. */
static void matrix_run(bench *b)
{
    float *ref_rows = NULL;
    for (int k = 0; k < b->nb; k++) {
        ts_engine *e = bench_start_engine(b, k);
        result *r = &b->res[k];
        float *rows = run_matrix(e, b->tfidf, b->c, b->check_rows, b->ncheck, r);
        r->matches = (uint64_t)b->n * b->n;
        r->csv_bytes = 0;
        if (b->eo[k].backend == TS_BACKEND_CPU) {
            free(ref_rows);
            ref_rows = rows;
        } else {
            if (ref_rows) {
                double worst = 0;
                for (size_t i = 0; i < b->ncheck * b->n; i++)
                    worst = fmax(worst, fabs((double)rows[i] - ref_rows[i]));
                r->max_diff = worst;
                r->checked_ref = 1;
            }
            free(rows);
        }
        ts_engine_free(e);
    }
    free(ref_rows);
}

static const char *matrix_check(const config *c)
{
    if (c->top_k >= 0 || !isnan(c->min_score) || c->cross_source)
        return "--top-k, --min-score and --cross-source need --mode topk or threshold";
    return NULL;
}

static void matrix_prepare(bench *b)
{
    b->ideal = b->cells;
}

static void matrix_describe(const bench *b)
{
    printf("mode: matrix (N x N, CSV at %d decimals), tile %s\n", b->c->precision,
           b->c->tile ? "set" : "automatic");
}

const bench_runner bench_matrix = {
    .name = "matrix",
    .check = matrix_check,
    .prepare = matrix_prepare,
    .run = matrix_run,
    .describe = matrix_describe,
    .all_cells = 1,
};
