/*
 * run_pairs.c - what textsim-bench's pairs modes share (bench.h).
 *
 * --mode topk and --mode threshold (run_topk.c, run_threshold.c) both run
 * ts_engine_pairs and write the long CSV statement_a,statement_b,score,rank
 * into memory.  Every backend's lists are checked for the API's promises
 * (order, no self match, scores > 0 and >= min_score, other group, at most
 * k, every match listed from both sides unless k cuts a list), the sampled
 * statements against a naive reference (exact sparse dot products with all
 * others, sorted), and each device's lists row by row against the cpu
 * backend's (tests/common/pairs_ref.h: the unit tests' own checks).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "bench.h"
#include "output/csv_cells.h"
#include "text/tfidf_internal.h"

typedef struct pairs_sink {
    const ts_corpus *corpus;
    int precision;
    int write;
    ts_buf out;
    double write_s;
    uint64_t csv_bytes, matches;
    tk_lists *collect; /* first pass: keep every list */
    double collect_s;
    uint32_t next;        /* the statement expected next */
    int out_of_order;
} pairs_sink;

/* The long CSV as textsim pairs writes it, formatted into memory and
 * discarded every 64 KiB. */
static void format_pairs(pairs_sink *s, uint32_t a, const ts_match *m, size_t n)
{
    ts_statement sa = ts_corpus_statement(s->corpus, a);
    const char *na = ts_corpus_source_name(s->corpus, sa.source);
    for (size_t i = 0; i < n; i++) {
        ts_statement sb = ts_corpus_statement(s->corpus, m[i].statement);
        ts_csv_id(&s->out, na, sa.index, 0);
        ts_buf_putc(&s->out, ',');
        ts_csv_id(&s->out, ts_corpus_source_name(s->corpus, sb.source), sb.index, 0);
        ts_buf_putc(&s->out, ',');
        ts_csv_fixed(&s->out, m[i].score, s->precision);
        ts_buf_printf(&s->out, ",%zu\n", i + 1);
    }
    if (s->out.len >= (1u << 16)) {
        s->csv_bytes += s->out.len;
        s->out.len = 0;
    }
}

static ts_status on_matches(void *user, uint32_t statement, const ts_match *m, size_t n)
{
    pairs_sink *s = user;
    if (statement != s->next)
        s->out_of_order = 1;
    s->next = statement + 1;
    s->matches += n;
    if (s->collect) {
        double t0 = bench_now();
        tk_lists_append(s->collect, m, n);
        s->collect_s += bench_now() - t0;
    }
    if (s->write) {
        double t0 = bench_now();
        format_pairs(s, statement, m, n);
        s->write_s += bench_now() - t0;
    }
    return TS_OK;
}

/* One pass of ts_engine_pairs; returns its wall time less the callback's
 * formatting and collecting. */
static double pairs_pass(ts_engine *e, const ts_tfidf *tfidf, const ts_pairs_options *po,
                         pairs_sink *s, ts_engine_stats *stats)
{
    s->write_s = s->collect_s = 0;
    s->csv_bytes = s->matches = 0;
    s->out.len = 0;
    s->next = 0;
    s->out_of_order = 0;
    ts_buf_puts(&s->out, "statement_a,statement_b,score,rank\n");
    ts_engine_stats_reset(e);
    ts_diag d;
    double t0 = bench_now();
    ts_status st = ts_engine_pairs(e, tfidf, po, on_matches, s, &d);
    double t = bench_now() - t0;
    if (st != TS_OK)
        bench_die("pairs", st, &d);
    s->csv_bytes += s->out.len;
    ts_engine_get_stats(e, stats);
    return t - s->write_s - s->collect_s;
}

/* First pass (collecting every list for the checks), then --repeat timed
 * passes that format the CSV. */
static void run_pairs(ts_engine *e, const ts_tfidf *tfidf, const ts_corpus *corpus,
                      const config *c, const ts_pairs_options *po, tk_lists *lists,
                      result *r)
{
    pairs_sink s = {.corpus = corpus, .precision = c->precision, .write = 1};
    size_t n = ts_tfidf_rows(tfidf);
    tk_lists_init(lists, n);
    s.collect = lists;
    r->first_s = pairs_pass(e, tfidf, po, &s, &r->first);
    if (s.out_of_order)
        tk_check_fail(&r->own, "statements delivered out of order");
    s.collect = NULL;
    /* --repeat 0: the first pass stands for the steady state too */
    r->steady_s = c->repeat ? 1e30 : r->first_s;
    r->st = r->first;
    r->write_s = s.write_s;
    r->matches = s.matches;
    r->csv_bytes = s.csv_bytes;
    for (int k = 0; k < c->repeat; k++) {
        ts_engine_stats st;
        double t = pairs_pass(e, tfidf, po, &s, &st);
        if (t < r->steady_s) {
            r->steady_s = t;
            r->st = st;
            r->write_s = s.write_s;
            r->matches = s.matches;
            r->csv_bytes = s.csv_bytes;
        }
    }
    ts_buf_free(&s.out);
}

void bench_pairs_prepare(bench *b, uint32_t top_k, float min_score)
{
    b->po.top_k = top_k;
    b->po.min_score = min_score;
    b->po.cross_source = b->c->cross_source;
    b->po.groups = b->groups;
    double t0 = bench_now();
    tk_naive_lists(&b->naive, ts_tfidf_csr(b->tfidf), b->check_rows, b->ncheck, &b->po);
    b->naive_s = bench_now() - t0;
    b->ideal = (double)b->n * (double)(b->n - 1) / 2;
}

/* --mode topk or threshold on every backend: every list against the API's
 * promises, the sampled rows against the naive reference, and each
 * device's lists row by row against the cpu backend's. */
void bench_pairs_run(bench *b)
{
    const config *c = b->c;
    size_t n = b->n;
    tk_lists ref_lists = {0};
    int have_ref = 0;
    for (int k = 0; k < b->nb; k++) {
        ts_engine *e = bench_start_engine(b, k);
        result *r = &b->res[k];
        int is_ref = b->eo[k].backend == TS_BACKEND_CPU;
        tk_lists got;
        run_pairs(e, b->tfidf, b->corpus, c, &b->po, &got, r);
        if (c->inject_fault && (!is_ref || b->nb == 1))
            tk_inject_fault(&got, b->check_rows, b->ncheck, c->max_diff);
        tk_check_promises(&r->own, &got, n, &b->po, c->max_diff);
        for (size_t i = 0; i < b->ncheck; i++) {
            size_t row = b->check_rows[i];
            tk_compare_row(&r->naive, "the naive reference", (uint32_t)row,
                           b->naive.m + b->naive.off[i], b->naive.off[i + 1] - b->naive.off[i],
                           got.m + got.off[row], got.off[row + 1] - got.off[row], &b->po,
                           c->max_diff);
        }
        if (is_ref) {
            tk_lists_free(&ref_lists);
            ref_lists = got;
            have_ref = 1;
        } else {
            if (have_ref && got.rows == n) {
                for (size_t row = 0; row < n; row++)
                    tk_compare_row(&r->ref, "cpu", (uint32_t)row,
                                   ref_lists.m + ref_lists.off[row],
                                   ref_lists.off[row + 1] - ref_lists.off[row],
                                   got.m + got.off[row], got.off[row + 1] - got.off[row],
                                   &b->po, c->max_diff);
                r->max_diff = r->ref.max_diff;
                r->checked_ref = 1;
            }
            tk_lists_free(&got);
        }
        ts_engine_free(e);
    }
    tk_lists_free(&ref_lists);
}

void bench_pairs_describe(const bench *b)
{
    printf("mode: %s (top-k %u, min-score %g%s), %.3g unordered pairs; naive reference of "
           "%zu statements %.2f s\n",
           b->c->runner->name, b->po.top_k, b->po.min_score,
           b->po.cross_source ? ", cross-source" : "", b->ideal, b->ncheck, b->naive_s);
}
