/*
 * test_pairs.c - ts_engine_pairs (top-k and threshold sinks) against brute
 * force.
 *
 * The reference is independent of the engine's selection code: the full
 * matrix from the cpu backend (ts_engine_similarity), each row's qualifying
 * cells sorted by (score descending, statement ascending) and cut to k.
 * Every backend's pairs (on OpenCL: the device kernels of select.cl) must
 * give the same statements in the same order with scores within 1e-5;
 * the only differences allowed are swaps among scores within 1e-5 of each
 * other (the backends round differently) and, at the min_score boundary,
 * matches within 1e-5 of it.  Cases: random matrices of many shapes and N
 * from 1 up, many tile sizes (so one statement's list is merged from many
 * blocks), k on both sides of the device's private-memory limit, threshold
 * only, cross-source groups, exact ties (duplicate rows), real text, the
 * host fallback when the device has no memory, a consumer that stops the
 * run, bad options, and the counters (pruning, skipped blocks).  One case
 * uses the checks textsim-bench uses (tests/common/pairs_ref.h): the naive
 * reference and the API's promises on a synthetic Zipf corpus.  Threshold
 * runs go through the pruned one-pass kernel (ts_pairs_pruned), whose
 * pruning counters test_pruning checks on real text.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/diag.h"
#include "engine/backend.h"
#include "engine/engine.h"
#include "engine/pairs.h"
#include "engine/search.h"
#include "text/csr.h"
#include "text/tfidf_internal.h"
#include "textsim.h"

#include "common/pairs_ref.h"
#include "common/random_csr.h"
#include "common/synth.h"

#define TOL 1e-5f

typedef struct backend_case {
    const char *name;
    ts_backend_kind kind;
    const char *defines;
} backend_case;

static backend_case cpu_case = {"cpu", TS_BACKEND_CPU, NULL};
static backend_case opencl_case = {"opencl", TS_BACKEND_OPENCL, NULL};
/* compensated float accumulation (the GPU default), a small private top-k
 * limit, so that k = 10 takes the append-all kernel, and searches selecting
 * on the device (the GPU default) */
static backend_case opencl_small_case = {"opencl", TS_BACKEND_OPENCL,
                                         "-DTS_ACCUM_DOUBLE=0 -DTS_SELECT_MAX_K=4 "
                                         "-DTS_SEARCH_SELECT=1"};

static ts_engine *engine_or_skip(const backend_case *bc, size_t tile)
{
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.backend = bc->kind;
    o.tile_rows = tile;
    o.kernel_defines = bc->defines;
    ts_engine *e = NULL;
    ts_diag d;
    ts_status st = ts_engine_create(&e, &o, &d);
    if (st == TS_ERR_NO_PLATFORM) {
        print_message("SKIP (%s): no OpenCL platform: %s\n", bc->name, d.message);
        skip();
    }
    if (st != TS_OK)
        print_message("ts_engine_create(%s): %s\n", bc->name, d.message);
    assert_int_equal(st, TS_OK);
    assert_string_equal(ts_engine_backend_name(e), bc->name);
    return e;
}

/* A pairs run's options as the tests vary them. */
typedef struct pairs_case {
    uint32_t k;
    float min_score;
    int cross;
} pairs_case;

static ts_pairs_options options_for(const pairs_case *c, const uint32_t *groups)
{
    ts_pairs_options o;
    ts_pairs_options_init(&o);
    o.top_k = c->k;
    o.min_score = c->min_score;
    o.cross_source = c->cross;
    o.groups = groups;
    return o;
}

/* ------------------------------------------------------- the reference */

typedef struct dense {
    size_t n;
    float *s; /* n * n */
} dense;

static ts_status dense_tile(void *user, const ts_tile *t)
{
    dense *d = user;
    for (size_t r = 0; r < t->nrows; r++)
        memcpy(d->s + (t->row0 + r) * d->n + t->col0, t->scores + r * t->ld,
               t->ncols * sizeof(float));
    return TS_OK;
}

static dense brute_matrix(const ts_csr *m)
{
    dense d = {m->rows, calloc((size_t)m->rows * m->rows + 1, sizeof(float))};
    assert_non_null(d.s);
    ts_engine *e = engine_or_skip(&cpu_case, 0);
    ts_diag diag;
    assert_int_equal(ts_engine_similarity_csr(e, m, dense_tile, &d, &diag), TS_OK);
    ts_engine_free(e);
    return d;
}

static int by_rank(const void *a, const void *b)
{
    const ts_match *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->statement > y->statement) - (x->statement < y->statement);
}

/* Row a's expected matches, best first, in out (n entries); returns count. */
static size_t brute_row(const dense *d, uint32_t a, const ts_pairs_options *o, ts_match *out)
{
    size_t c = 0;
    for (uint32_t b = 0; b < d->n; b++) {
        float s = d->s[(size_t)a * d->n + b];
        if (b == a || !(s > 0) || s < o->min_score ||
            (o->cross_source && o->groups[a] == o->groups[b]))
            continue;
        out[c].statement = b;
        out[c++].score = s;
    }
    qsort(out, c, sizeof *out, by_rank);
    return o->top_k && c > o->top_k ? o->top_k : c;
}

/* --------------------------------------------------------- the results */

typedef struct result {
    size_t n;
    size_t *first; /* n + 1 offsets into m */
    ts_match *m;
    size_t cap;
    uint32_t next;
    uint32_t stop_at; /* return TS_ERR_CANCELLED at this statement */
} result;

static ts_status collect(void *user, uint32_t statement, const ts_match *matches, size_t n)
{
    result *r = user;
    assert_int_equal(statement, r->next); /* ascending, each once */
    if (statement == r->stop_at)
        return TS_ERR_CANCELLED;
    r->next++;
    size_t at = r->first[statement];
    if (at + n > r->cap) {
        r->cap = (at + n) * 2;
        r->m = realloc(r->m, r->cap * sizeof *r->m);
        assert_non_null(r->m);
    }
    if (n)
        memcpy(r->m + at, matches, n * sizeof *matches);
    r->first[statement + 1] = at + n;
    return TS_OK;
}

/* A pairs run with the plan given (every plan must give the same lists). */
static result run_plan(ts_engine *e, const ts_csr *m, const ts_pairs_options *o,
                       ts_pairs_plan plan)
{
    result r = {m->rows, calloc((size_t)m->rows + 2, sizeof(size_t)), NULL, 0, 0, UINT32_MAX};
    assert_non_null(r.first);
    ts_diag d;
    ts_status st = ts_engine_pairs_plan(e, m, o, NULL, plan, collect, &r, &d);
    if (st != TS_OK)
        print_message("ts_engine_pairs: %s\n", d.message);
    assert_int_equal(st, TS_OK);
    assert_int_equal(r.next, m->rows);
    return r;
}

static result run_pairs(ts_engine *e, const ts_csr *m, const ts_pairs_options *o)
{
    return run_plan(e, m, o, TS_PAIRS_AUTO);
}

static void result_free(result *r)
{
    free(r->first);
    free(r->m);
}

static int near(float a, float b) { return fabsf(a - b) <= TOL; }

/* got must equal the brute-force lists up to near-ties (see the top). */
static void check_against(const dense *d, const result *got, const ts_pairs_options *o,
                          const char *what)
{
    ts_match *want = malloc((d->n + 1) * sizeof *want);
    assert_non_null(want);
    size_t swaps = 0;
    for (uint32_t a = 0; a < d->n; a++) {
        size_t nw = brute_row(d, a, o, want);
        const ts_match *g = got->m + got->first[a];
        size_t ng = got->first[a + 1] - got->first[a];
        size_t common = nw < ng ? nw : ng;
        for (size_t i = common; i < nw; i++) /* a missing match must be at the threshold */
            if (!near(want[i].score, o->min_score) || o->top_k) {
                print_message("%s: statement %u: expected %zu matches, got %zu (missing %u "
                              "%.8f)\n",
                              what, a, nw, ng, want[i].statement, want[i].score);
                fail();
            }
        for (size_t i = common; i < ng; i++)
            if (!near(g[i].score, o->min_score) || o->top_k) {
                print_message("%s: statement %u: unexpected match %u %.8f\n", what, a,
                              g[i].statement, g[i].score);
                fail();
            }
        for (size_t i = 0; i < common; i++) {
            const ts_match *w = &want[i], *x = &g[i];
            /* the match is real: its score is the matrix's */
            assert_true(x->statement < d->n && x->statement != a);
            if (o->cross_source)
                assert_int_not_equal(o->groups[x->statement], o->groups[a]);
            float truth = d->s[(size_t)a * d->n + x->statement];
            if (!near(x->score, truth) || !near(x->score, w->score)) {
                print_message("%s: statement %u rank %zu: got %u %.8f (matrix %.8f), expected "
                              "%u %.8f\n",
                              what, a, i + 1, x->statement, x->score, truth, w->statement,
                              w->score);
                fail();
            }
            if (x->statement != w->statement)
                swaps++; /* a near-tie: allowed, scores checked above */
            if (i > 0) /* the order is total */
                assert_true(x->score < g[i - 1].score ||
                            (x->score == g[i - 1].score && x->statement > g[i - 1].statement));
        }
    }
    /* near-ties are rare on random data: swaps must not hide a broken order */
    if (swaps > d->n / 50 + 2) {
        print_message("%s: %zu order differences\n", what, swaps);
        fail();
    }
    free(want);
}

/* ------------------------------------------------------------- tests */

typedef struct shape {
    gen_spec g;
    size_t tiles[3];
} shape;

static void check_shape(const backend_case *bc, const shape *sh)
{
    ts_csr m;
    make_csr(&m, &sh->g);
    dense d = brute_matrix(&m);
    uint32_t *groups = malloc((m.rows + 1) * sizeof *groups);
    assert_non_null(groups);
    /* contiguous groups of irregular sizes, as sources are */
    for (uint32_t i = 0, g = 0, left = 3; i < m.rows; i++) {
        groups[i] = g;
        if (--left == 0) {
            g++;
            left = 3 + (g * 37) % 200;
        }
    }
    static const pairs_case opts[] = {{1, 0, 0}, {10, 0, 0}, {10, 0, 1}, {32, 0.05f, 0}, {33, 0, 0},
                {200, 0, 1}, {0, 0.3f, 0}, {0, 0.5f, 1}};
    for (size_t t = 0; t < 3; t++) {
        if (t > 0 && sh->tiles[t] == 0)
            continue;
        ts_engine *e = engine_or_skip(bc, sh->tiles[t]);
        for (size_t i = 0; i < 2 * sizeof opts / sizeof opts[0]; i++) {
            ts_pairs_options o = options_for(&opts[i / 2], groups);
            ts_pairs_plan plan = i % 2 ? TS_PAIRS_STRIPS : TS_PAIRS_TRIANGLE;
            result r = run_plan(e, &m, &o, plan);
            char what[160];
            snprintf(what, sizeof what, "%s rows %u tile %zu k %u min %.2f cross %d plan %s",
                     bc->name, m.rows, sh->tiles[t], o.top_k, o.min_score, o.cross_source,
                     plan == TS_PAIRS_STRIPS ? "strips" : "triangle");
            check_against(&d, &r, &o, what);
            result_free(&r);
        }
        ts_engine_free(e);
    }
    free(groups);
    free(d.s);
    csr_free(&m);
}

static void test_random(void **state)
{
    const backend_case *bc = *state;
    const shape shapes[] = {
        {{1, 50, 3, 8, 0, UINT32_MAX, 0, 0, 0, 1}, {0, 0, 0}},
        {{2, 50, 3, 8, 0, UINT32_MAX, 0, 0, 0, 2}, {0, 1, 0}},
        {{7, 20, 1, 6, 0.2, UINT32_MAX, 0, 0, 0, 3}, {0, 3, 0}},
        {{300, 400, 5, 30, 0.05, 17, 300, 1.07, 0, 4}, {0, 37, 128}},
        {{1000, 3000, 5, 40, 0.02, UINT32_MAX, 0, 1.07, 0, 5}, {0, 97, 512}},
        /* near-duplicates: many close and equal scores */
        {{800, 500, 10, 20, 0, UINT32_MAX, 0, 0, 15, 6}, {0, 64, 0}},
        {{2500, 8000, 8, 30, 0, UINT32_MAX, 0, 1.0, 0, 7}, {0, 1000, 0}},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
        check_shape(bc, &shapes[i]);
}

/* Exact ties: duplicate rows give equal scores, and the lower statement
 * must come first, also across blocks (tile 2). */
static void test_ties(void **state)
{
    const backend_case *bc = *state;
    /* statements 0, 2, 3, 5 are the same text; 1 and 4 another; 6 shares
     * one term with the first group */
    static uint32_t ptr[] = {0, 2, 4, 6, 8, 10, 12, 14};
    static uint32_t idx[] = {0, 1, 2, 3, 0, 1, 0, 1, 2, 3, 0, 1, 1, 4};
    float h = (float)sqrt(0.5);
    float val[] = {h, h, h, h, h, h, h, h, h, h, h, h, h, h};
    ts_csr m = {7, 5, ptr, idx, val};
    for (size_t run = 0; run < 4; run++) { /* tiles 0 and 2, each plan */
        size_t tile = run % 2 * 2;
        ts_pairs_plan plan = run < 2 ? TS_PAIRS_TRIANGLE : TS_PAIRS_STRIPS;
        ts_engine *e = engine_or_skip(bc, tile);
        ts_pairs_options o;
        ts_pairs_options_init(&o);
        o.top_k = 2;
        result r = run_plan(e, &m, &o, plan);
        /* 0's best: 2 and 3 (score 1; 5 ties too but is later) */
        assert_int_equal(r.first[1] - r.first[0], 2);
        assert_int_equal(r.m[r.first[0]].statement, 2);
        assert_int_equal(r.m[r.first[0] + 1].statement, 3);
        /* 5's best: 0 and 2 */
        assert_int_equal(r.m[r.first[5]].statement, 0);
        assert_int_equal(r.m[r.first[5] + 1].statement, 2);
        /* 1's best: 4 only (score 1), then nothing else shares a term */
        assert_int_equal(r.first[2] - r.first[1], 1);
        assert_int_equal(r.m[r.first[1]].statement, 4);
        /* 6 shares term 1 with 0, 2, 3, 5 (score 0.5): the two lowest */
        assert_int_equal(r.first[7] - r.first[6], 2);
        assert_int_equal(r.m[r.first[6]].statement, 0);
        assert_int_equal(r.m[r.first[6] + 1].statement, 2);
        assert_true(fabsf(r.m[r.first[6]].score - 0.5f) < 1e-6f);
        result_free(&r);
        /* threshold 0.9: the score-1 pairs only, both sides */
        o.top_k = 0;
        o.min_score = 0.9f;
        r = run_plan(e, &m, &o, plan);
        size_t expect[7] = {3, 1, 3, 3, 1, 3, 0};
        for (int s = 0; s < 7; s++)
            assert_int_equal(r.first[s + 1] - r.first[s], expect[s]);
        result_free(&r);
        ts_engine_free(e);
    }
}

/* The TF-IDF of the MSRP training file's lines (one statement each) and,
 * with `example`, the example corpus's lines. */
static ts_tfidf *real_text(ts_corpus **c, int example)
{
    assert_int_equal(ts_corpus_create(c), TS_OK);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ts_diag d;
    assert_int_equal(
        ts_corpus_add_path(*c, TS_TEST_DATA "/msrp/msr_paraphrase_train.txt", &ro, &d), TS_OK);
    if (example)
        assert_int_equal(
            ts_corpus_add_path(*c, TS_SOURCE_DIR "/examples/moscow-talks-2025", &ro, &d), TS_OK);
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    ts_tfidf *t;
    assert_int_equal(ts_tfidf_build(&t, *c, &vo, &d), TS_OK);
    return t;
}

/* Real text: the lines of the MSRP training file (statement per line). */
static void test_real_text(void **state)
{
    const backend_case *bc = *state;
    ts_corpus *c;
    ts_tfidf *t = real_text(&c, 1);
    const ts_csr *m = ts_tfidf_csr(t);
    dense dm = brute_matrix(m);
    uint32_t *groups = malloc(m->rows * sizeof *groups);
    assert_non_null(groups);
    for (uint32_t i = 0; i < m->rows; i++)
        groups[i] = ts_corpus_statement(c, i).source;
    ts_engine *e = engine_or_skip(bc, 1500);
    const uint32_t ks[] = {10, 1, 0};
    for (size_t i = 0; i < 3; i++) {
        pairs_case pc = {ks[i], ks[i] ? 0 : 0.6f, i == 1};
        ts_pairs_options o = options_for(&pc, groups);
        result r = run_plan(e, m, &o, TS_PAIRS_TRIANGLE);
        check_against(&dm, &r, &o, "MSRP + example lines, triangle");
        result_free(&r);
        r = run_plan(e, m, &o, TS_PAIRS_STRIPS);
        check_against(&dm, &r, &o, "MSRP + example lines, strips");
        result_free(&r);
    }
    ts_engine_free(e);
    free(groups);
    free(dm.s);
    ts_tfidf_free(t);
    ts_corpus_free(c);
}

/* The descriptor the bench shares (tests/common): a synthetic Zipf corpus,
 * every list checked against the API's promises and every row against the
 * naive reference, on both plans; the checks must also catch a swapped
 * pair of ranks. */
static void test_synthetic_descriptor(void **state)
{
    const backend_case *bc = *state;
    ts_corpus *c;
    ts_diag d;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    assert_int_equal(tk_synth_corpus(c, 1500, 3, 4000, 7, &d), TS_OK);
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    ts_tfidf *t;
    assert_int_equal(ts_tfidf_build(&t, c, &vo, &d), TS_OK);
    const ts_csr *m = ts_tfidf_csr(t);
    size_t n = m->rows, *rows = malloc(n * sizeof *rows);
    uint32_t *groups = malloc(n * sizeof *groups);
    assert_true(rows && groups);
    for (size_t i = 0; i < n; i++) {
        rows[i] = i;
        groups[i] = ts_corpus_statement(c, i).source;
    }
    ts_engine *e = engine_or_skip(bc, 256);
    const pairs_case cases[] = {{10, 0, 0}, {0, 0.3f, 0}, {5, 0, 1}, {40, 0.05f, 1}};
    const ts_pairs_plan plans[] = {TS_PAIRS_TRIANGLE, TS_PAIRS_STRIPS};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ts_pairs_options o = options_for(&cases[k], groups);
        tk_lists naive;
        tk_naive_lists(&naive, m, rows, n, &o);
        for (size_t p = 0; p < 2; p++) {
            result r = run_plan(e, m, &o, plans[p]);
            tk_lists got;
            tk_lists_init(&got, n);
            for (size_t i = 0; i < n; i++)
                tk_lists_append(&got, r.m + r.first[i], r.first[i + 1] - r.first[i]);
            for (int fault = 0; fault < 2; fault++) {
                if (fault)
                    tk_inject_fault(&got, rows, n, TOL);
                tk_check promises = {0}, ref = {0};
                tk_check_promises(&promises, &got, n, &o, TOL);
                for (size_t i = 0; i < n; i++)
                    tk_compare_row(&ref, "the naive reference", (uint32_t)i,
                                   naive.m + naive.off[i], naive.off[i + 1] - naive.off[i],
                                   got.m + got.off[i], got.off[i + 1] - got.off[i], &o, TOL);
                if (!fault && (promises.rows_bad || ref.rows_bad))
                    print_message("case %zu plan %zu: %s%s\n", k, p, promises.first, ref.first);
                assert_int_equal(promises.rows_bad + ref.rows_bad == 0, !fault);
            }
            tk_lists_free(&got);
            result_free(&r);
        }
        tk_lists_free(&naive);
    }
    ts_engine_free(e);
    free(rows);
    free(groups);
    ts_tfidf_free(t);
    ts_corpus_free(c);
}

/* A run of the pruned kernel on the MSRP training file's lines, checked
 * against brute force; *st receives the engine's counters. */
static void pruned_run(const ts_pairs_options *o, const char *what, ts_engine_stats *st,
                       uint64_t *n)
{
    ts_corpus *c;
    ts_tfidf *t = real_text(&c, 0);
    const ts_csr *m = ts_tfidf_csr(t);
    dense dm = brute_matrix(m);
    ts_engine *e = engine_or_skip(&opencl_case, 0);
    ts_engine_stats_reset(e);
    result r = run_plan(e, m, o, TS_PAIRS_STRIPS);
    ts_engine_get_stats(e, st);
    check_against(&dm, &r, o, what);
    *n = m->rows;
    assert_int_equal(st->dense_blocks, 0);
    assert_true(st->products > 0);
    result_free(&r);
    ts_engine_free(e);
    free(dm.s);
    ts_tfidf_free(t);
    ts_corpus_free(c);
}

/* A threshold run on real text prunes: the pruned kernel scores a small
 * share of the pairs and scans a small share of the products of a full
 * sparse product, and still gives brute force's lists. */
static void test_pruning(void **state)
{
    (void)state;
    ts_pairs_options o;
    ts_pairs_options_init(&o);
    o.top_k = 0;
    o.min_score = 0.8f;
    ts_engine_stats st;
    uint64_t n;
    pruned_run(&o, "MSRP lines, threshold 0.8", &st, &n);
    assert_int_equal(st.pairs + st.pairs_pruned, n * n);
    assert_true(st.pairs > 0);
    assert_true(st.pairs < n * n / 100);
    assert_true(st.products < st.products_full / 4);
}

/* A top-10 run on real text, strip plan: the front (the terms in an
 * eighth of the statements or more) is bounded per column, not scattered,
 * so a third of the products of a full sparse product are never done, and
 * the lists are still brute force's. */
static void test_pruning_top_k(void **state)
{
    (void)state;
    ts_pairs_options o;
    ts_pairs_options_init(&o);
    ts_engine_stats st;
    uint64_t n;
    pruned_run(&o, "MSRP lines, top-10, strips", &st, &n);
    print_message("top-10 strips: %llu of %llu products, %llu pairs scored\n",
                  (unsigned long long)st.products, (unsigned long long)st.products_full,
                  (unsigned long long)st.pairs);
    /* 77% of them without the front, 54% with it (2026-11-27) */
    assert_true(st.products < st.products_full * 2 / 3);
}

/* A larger random corpus: the device's pairs against the cpu backend's
 * (whose selection runs on the host), several default-size tiles. */
static void test_large(void **state)
{
    (void)state;
    gen_spec g = {20000, 30000, 5, 40, 0.01, UINT32_MAX, 0, 1.07, 0, 11};
    ts_csr m;
    make_csr(&m, &g);
    ts_engine *cpu = engine_or_skip(&cpu_case, 0);
    ts_engine *ocl = engine_or_skip(&opencl_case, 0);
    ts_pairs_options o;
    ts_pairs_options_init(&o);
    result want = run_pairs(cpu, &m, &o);
    ts_engine_stats_reset(ocl);
    result got = run_plan(ocl, &m, &o, TS_PAIRS_TRIANGLE);
    ts_engine_stats st;
    ts_engine_get_stats(ocl, &st);
    /* upper triangle of 4096-tiles: 5 x 5 tiles, 15 computed */
    assert_int_equal(st.blocks, 15);
    uint64_t n = m.rows, tile = 4096, full = n / tile;
    uint64_t pairs = 0;
    for (uint64_t i = 0; i <= full; i++)
        for (uint64_t j = i; j <= full; j++)
            pairs += (i < full ? tile : n - full * tile) * (j < full ? tile : n - full * tile);
    assert_int_equal(st.pairs, pairs);
    /* the device sent back at most k per line and block */
    assert_true(st.candidates <= (uint64_t)2 * 15 * 4096 * o.top_k);
    assert_int_equal(st.dense_blocks, 0);
    size_t diff = 0;
    for (uint32_t a = 0; a < m.rows; a++) {
        assert_int_equal(got.first[a + 1] - got.first[a], want.first[a + 1] - want.first[a]);
        for (size_t i = got.first[a]; i < got.first[a + 1]; i++) {
            assert_true(near(got.m[i].score, want.m[i].score));
            diff += got.m[i].statement != want.m[i].statement;
        }
    }
    assert_true(diff <= m.rows / 100);
    /* the strip plan (what a run of this size takes) gives the device's
     * triangle lists exactly (both score each pair with the same kernels'
     * arithmetic) */
    result strips = run_pairs(ocl, &m, &o);
    for (uint32_t a = 0; a < m.rows; a++) {
        assert_int_equal(strips.first[a + 1] - strips.first[a], got.first[a + 1] - got.first[a]);
        for (size_t i = got.first[a]; i < got.first[a + 1]; i++) {
            assert_int_equal(strips.m[i].statement, got.m[i].statement);
            assert_true(strips.m[i].score == got.m[i].score);
        }
    }
    result_free(&strips);
    result_free(&want);
    result_free(&got);
    ts_engine_free(cpu);
    ts_engine_free(ocl);
    csr_free(&m);
}

/* Cross-source runs skip the blocks within one group and compute fewer
 * pairs. */
static void test_skipped_blocks(void **state)
{
    const backend_case *bc = *state;
    gen_spec g = {1200, 2000, 5, 20, 0, UINT32_MAX, 0, 1.07, 0, 12};
    ts_csr m;
    make_csr(&m, &g);
    uint32_t *groups = malloc(m.rows * sizeof *groups);
    assert_non_null(groups);
    for (uint32_t i = 0; i < m.rows; i++)
        groups[i] = i / 400; /* three groups of two tiles */
    ts_engine *e = engine_or_skip(bc, 200);
    ts_pairs_options o;
    ts_pairs_options_init(&o);
    o.cross_source = 1;
    o.groups = groups;
    ts_engine_stats_reset(e);
    result r = run_pairs(e, &m, &o);
    ts_engine_stats st;
    ts_engine_get_stats(e, &st);
    /* 6 tiles of 200; groups cover tiles {0,1}, {2,3}, {4,5}: of the 21
     * upper-triangle blocks, (0,0) (0,1) (1,1) and the same for the other
     * two groups are skipped */
    assert_int_equal(st.blocks_skipped, 9);
    assert_int_equal(st.blocks, 12);
    assert_int_equal(st.pairs, 12u * 200 * 200);
    for (uint32_t a = 0; a < m.rows; a++)
        for (size_t i = r.first[a]; i < r.first[a + 1]; i++)
            assert_int_not_equal(groups[r.m[i].statement], groups[a]);
    result_free(&r);
    ts_engine_free(e);
    free(groups);
    csr_free(&m);
}

/* ------------------------------------------ shares (textsim-mpi's ranks) */

/* A share as a rank sees it: static (block-cyclic) or a scattered
 * ascending hand-out standing in for the dynamic counter. */
typedef struct fake_rank {
    int rank, ranks, scattered;
    uint64_t next, handed;
} fake_rank;

static int scattered_owner(uint64_t b, int ranks) { return (int)((b * 2654435761u >> 7) % ranks); }

static ts_status fake_next(void *user, uint64_t *block)
{
    fake_rank *f = user;
    uint64_t b = f->handed ? f->next + 1 : 0;
    if (f->scattered)
        while (scattered_owner(b, f->ranks) != f->rank)
            b++;
    else
        b = f->handed ? f->next + (uint64_t)f->ranks : (uint64_t)f->rank;
    f->next = *block = b;
    f->handed++;
    return TS_OK;
}

/* Every rank's share, merged as dist_mpi.c merges them (the union of the
 * ranks' lists, sorted, cut to k), must be exactly - same statements, same
 * float bits - the single-process result; and the ranks together compute
 * each block once. */
static void test_shares(void **state)
{
    const backend_case *bc = *state;
    gen_spec g = {900, 2500, 4, 30, 0.02, 5, 300, 1.07, 0, 21};
    ts_csr m;
    make_csr(&m, &g);
    uint32_t *groups = malloc(m.rows * sizeof *groups);
    assert_non_null(groups);
    for (uint32_t i = 0; i < m.rows; i++)
        groups[i] = i / 250;
    ts_engine *e = engine_or_skip(bc, 64);
    static const pairs_case opts[] = {{10, 0, 0}, {40, 0, 1}, {0, 0.25f, 0}};
    for (size_t oi = 0; oi < sizeof opts / sizeof opts[0]; oi++) {
        ts_pairs_options o = options_for(&opts[oi], groups);
        const size_t tile = 64; /* the engine's tile: the single-process grid */
        ts_engine_stats_reset(e);
        result one = run_pairs(e, &m, &o);
        ts_engine_stats st1;
        ts_engine_get_stats(e, &st1);
        ts_diag d;
        for (int ranks = 2; ranks <= 5; ranks += 3)
            for (int scattered = 0; scattered <= 1; scattered++) {
                result *part = calloc((size_t)ranks, sizeof *part);
                assert_non_null(part);
                uint64_t blocks = 0;
                for (int r = 0; r < ranks; r++) {
                    part[r] = (result){m.rows, calloc((size_t)m.rows + 2, sizeof(size_t)), NULL,
                                       0, 0, UINT32_MAX};
                    fake_rank f = {r, ranks, scattered, 0, 0};
                    ts_pairs_share sh = {tile, fake_next, &f};
                    ts_engine_stats_reset(e);
                    assert_int_equal(ts_engine_pairs_shared(e, &m, &o, &sh, collect, &part[r], &d),
                                     TS_OK);
                    assert_int_equal(part[r].next, m.rows); /* every statement, in order */
                    ts_engine_stats st;
                    ts_engine_get_stats(e, &st);
                    blocks += st.blocks;
                }
                assert_int_equal(blocks, st1.blocks); /* each block once */
                ts_match *merged = malloc(sizeof(ts_match) * (m.rows + 1) * (size_t)ranks);
                assert_non_null(merged);
                for (uint32_t a = 0; a < m.rows; a++) {
                    size_t n = 0;
                    for (int r = 0; r < ranks; r++)
                        for (size_t i = part[r].first[a]; i < part[r].first[a + 1]; i++)
                            merged[n++] = part[r].m[i];
                    qsort(merged, n, sizeof *merged, by_rank);
                    if (o.top_k && n > o.top_k)
                        n = o.top_k;
                    size_t want = one.first[a + 1] - one.first[a];
                    if (n != want)
                        print_message("%s k %u ranks %d: statement %u: %zu matches, want %zu\n",
                                      bc->name, o.top_k, ranks, a, n, want);
                    assert_int_equal(n, want);
                    assert_memory_equal(merged, one.m + one.first[a], n * sizeof *merged);
                }
                free(merged);
                for (int r = 0; r < ranks; r++)
                    result_free(&part[r]);
                free(part);
            }
        result_free(&one);
    }
    ts_engine_free(e);
    free(groups);
    csr_free(&m);
}

typedef struct strips {
    dense full;
    size_t rows_seen;
} strips;

static ts_status strip_into(void *user, const ts_tile *t)
{
    strips *s = user;
    assert_int_equal(t->col0, 0);
    assert_int_equal(t->ncols, s->full.n);
    for (size_t r = 0; r < t->nrows; r++)
        memcpy(s->full.s + (t->row0 + r) * s->full.n, t->scores + r * t->ld,
               t->ncols * sizeof(float));
    s->rows_seen += t->nrows;
    return TS_OK;
}

/* Row strips handed out to 3 ranks rebuild the single-process matrix, bit
 * for bit, each row once. */
static void test_similarity_shares(void **state)
{
    const backend_case *bc = *state;
    gen_spec g = {700, 2000, 4, 30, 0.02, UINT32_MAX, 0, 1.07, 0, 22};
    ts_csr m;
    make_csr(&m, &g);
    ts_engine *e = engine_or_skip(bc, 50);
    strips one = {{m.rows, calloc((size_t)m.rows * m.rows, sizeof(float))}, 0};
    strips all = {{m.rows, calloc((size_t)m.rows * m.rows, sizeof(float))}, 0};
    assert_non_null(one.full.s);
    assert_non_null(all.full.s);
    ts_diag d;
    assert_int_equal(ts_engine_similarity_csr(e, &m, strip_into, &one, &d), TS_OK);
    for (int r = 0; r < 3; r++) {
        fake_rank f = {r, 3, 0, 0, 0};
        assert_int_equal(ts_engine_similarity_shared(e, &m, fake_next, &f, strip_into, &all, &d),
                         TS_OK);
    }
    assert_int_equal(all.rows_seen, m.rows);
    assert_memory_equal(one.full.s, all.full.s, (size_t)m.rows * m.rows * sizeof(float));
    free(one.full.s);
    free(all.full.s);
    ts_engine_free(e);
    csr_free(&m);
}

/* ----------------------------------- the host fallback and the consumer */

typedef struct flaky {
    ts_backend base;
    ts_backend *inner;
    int calls;
} flaky;

static ts_status flaky_bind(ts_backend *b, const ts_csr *r, const ts_csr *c,
                            const ts_csr *t, ts_diag *d)
{
    flaky *f = (flaky *)b;
    return f->inner->ops->bind(f->inner, r, c, t, d);
}

static ts_status flaky_compute(ts_backend *b, const ts_block *blk, float *out, ts_diag *d)
{
    flaky *f = (flaky *)b;
    return f->inner->ops->compute(f->inner, blk, out, d);
}

/* every other block: no device memory */
static ts_status flaky_select(ts_backend *b, const ts_block *blk, const ts_select *sel,
                              ts_candidates *out, ts_diag *d)
{
    flaky *f = (flaky *)b;
    if (f->calls++ % 2)
        return TS_FAIL(d, TS_ERR_DEVICE_MEMORY, "injected");
    return f->inner->ops->select(f->inner, blk, sel, out, d);
}

/* every other strip of a threshold run: no device memory */
static ts_status flaky_select_rows(ts_backend *b, size_t row0, size_t nrows,
                                   const ts_select *sel, ts_candidates *out, ts_diag *d)
{
    flaky *f = (flaky *)b;
    if (f->calls++ % 2)
        return TS_FAIL(d, TS_ERR_DEVICE_MEMORY, "injected");
    return f->inner->ops->select_rows(f->inner, row0, nrows, sel, out, d);
}

static size_t flaky_max_cells(const ts_backend *b)
{
    const flaky *f = (const flaky *)b;
    return f->inner->ops->max_block_cells(f->inner);
}

static void flaky_free(ts_backend *b)
{
    flaky *f = (flaky *)b;
    f->inner->ops->free(f->inner);
    free(f);
}

static const ts_backend_ops flaky_ops = {.name = "flaky",
                                         .bind = flaky_bind,
                                         .compute = flaky_compute,
                                         .max_block_cells = flaky_max_cells,
                                         .select = flaky_select,
                                         .select_rows = flaky_select_rows,
                                         .free = flaky_free};

static void test_device_memory_fallback(void **state)
{
    (void)state;
    ts_engine_options eo;
    ts_engine_options_init(&eo);
    ts_backend *inner;
    ts_diag d;
    ts_status st = ts_backend_opencl_create(&inner, &eo, &d);
    if (st == TS_ERR_NO_PLATFORM)
        skip();
    assert_int_equal(st, TS_OK);
    flaky *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->base.ops = &flaky_ops;
    f->inner = inner;
    eo.tile_rows = 50;
    ts_engine *e;
    assert_int_equal(ts_engine_create_with_backend(&e, &f->base, &eo, &d), TS_OK);
    gen_spec g = {400, 600, 5, 20, 0, UINT32_MAX, 0, 1.07, 0, 13};
    ts_csr m;
    make_csr(&m, &g);
    dense dm = brute_matrix(&m);
    ts_pairs_options o;
    ts_pairs_options_init(&o);
    result r = run_pairs(e, &m, &o);
    check_against(&dm, &r, &o, "half the blocks on the host");
    assert_true(f->calls >= 36); /* 8 tiles: 36 blocks */
    result_free(&r);
    /* the strip plan: every other strip on the host */
    f->calls = 0;
    r = run_plan(e, &m, &o, TS_PAIRS_STRIPS);
    check_against(&dm, &r, &o, "half the strips on the host");
    assert_int_equal(f->calls, 8); /* 8 strips of 50 */
    result_free(&r);
    /* a threshold run: row strips, every other one on the host */
    f->calls = 0;
    o.top_k = 0;
    o.min_score = 0.3f;
    r = run_pairs(e, &m, &o);
    check_against(&dm, &r, &o, "half the threshold strips on the host");
    assert_int_equal(f->calls, 8); /* 8 strips of 50 */
    result_free(&r);
    ts_engine_free(e);
    free(dm.s);
    csr_free(&m);
}

static void test_consumer_stops(void **state)
{
    const backend_case *bc = *state;
    gen_spec g = {300, 400, 5, 20, 0, UINT32_MAX, 0, 1.07, 0, 14};
    ts_csr m;
    make_csr(&m, &g);
    ts_engine *e = engine_or_skip(bc, 64);
    result r = {m.rows, calloc(m.rows + 2, sizeof(size_t)), NULL, 0, 0, 130};
    ts_diag d;
    assert_int_equal(ts_engine_pairs_csr(e, &m, NULL, collect, &r, &d), TS_ERR_CANCELLED);
    assert_int_equal(d.status, TS_ERR_CANCELLED);
    assert_int_equal(r.next, 130); /* nothing after the refusal */
    result_free(&r);
    /* the engine is usable afterwards */
    result again = run_pairs(e, &m, NULL);
    result_free(&again);
    ts_engine_free(e);
    csr_free(&m);
}

static void test_bad_options(void **state)
{
    const backend_case *bc = *state;
    gen_spec g = {10, 40, 2, 5, 0, UINT32_MAX, 0, 0, 0, 15};
    ts_csr m;
    make_csr(&m, &g);
    ts_engine *e = engine_or_skip(bc, 0);
    result r = {m.rows, calloc(m.rows + 2, sizeof(size_t)), NULL, 0, 0, UINT32_MAX};
    ts_pairs_options o;
    ts_diag d;
    ts_pairs_options_init(&o);
    o.top_k = TS_PAIRS_MAX_TOP_K + 1;
    assert_int_equal(ts_engine_pairs_csr(e, &m, &o, collect, &r, &d), TS_ERR_ARG);
    assert_non_null(strstr(d.message, "1025"));
    ts_pairs_options_init(&o);
    o.min_score = NAN;
    assert_int_equal(ts_engine_pairs_csr(e, &m, &o, collect, &r, &d), TS_ERR_ARG);
    ts_pairs_options_init(&o);
    o.cross_source = 1;
    assert_int_equal(ts_engine_pairs_csr(e, &m, &o, collect, &r, &d), TS_ERR_ARG);
    assert_int_equal(ts_engine_pairs_csr(e, &m, &o, NULL, &r, &d), TS_ERR_ARG);
    assert_int_equal(ts_engine_pairs(NULL, NULL, &o, collect, &r, &d), TS_ERR_ARG);
    assert_int_equal(r.next, 0); /* never called */
    result_free(&r);
    ts_engine_free(e);
    csr_free(&m);
}

/* ------------------------------------------------------------- search */

/* Query q's expected matches among the archive rows, by a plain sparse dot
 * product in double (scatter q, gather each archive row), best first. */
static size_t brute_search(const ts_tfidf *qt, const ts_tfidf *at, uint32_t q,
                           const ts_pairs_options *o, double *dense_row, ts_match *out)
{
    const uint32_t *cq, *ca;
    const float *vq, *va;
    size_t nq = ts_tfidf_row(qt, q, &cq, &vq), c = 0;
    for (size_t i = 0; i < nq; i++)
        dense_row[cq[i]] = vq[i];
    for (uint32_t a = 0; a < ts_tfidf_rows(at); a++) {
        size_t na = ts_tfidf_row(at, a, &ca, &va);
        double dot = 0;
        for (size_t i = 0; i < na; i++)
            dot += dense_row[ca[i]] * va[i];
        float sc = (float)dot;
        if (!(sc > 0) || sc < o->min_score)
            continue;
        out[c].statement = a;
        out[c++].score = sc;
    }
    for (size_t i = 0; i < nq; i++)
        dense_row[cq[i]] = 0;
    qsort(out, c, sizeof *out, by_rank);
    return o->top_k && c > o->top_k ? o->top_k : c;
}

/* Each query's list equals the brute force's: the same length, scores
 * within TOL rank by rank, and the same statement wherever the scores are
 * not within TOL of a neighbour's (a near-tie may order either way). */
static void check_search(const ts_tfidf *qt, const ts_tfidf *at, const result *got,
                         const ts_pairs_options *o, const char *what)
{
    size_t na = ts_tfidf_rows(at);
    ts_match *want = malloc((na + 1) * sizeof *want);
    double *row = calloc(ts_tfidf_cols(at) + 1, sizeof *row);
    assert_true(want && row);
    for (uint32_t q = 0; q < ts_tfidf_rows(qt); q++) {
        size_t n = brute_search(qt, at, q, o, row, want);
        const ts_match *g = got->m + got->first[q];
        size_t gn = got->first[q + 1] - got->first[q];
        if (gn != n && !(o->top_k == 0 && gn + 2 > n && n + 2 > gn))
            fail_msg("%s: query %u has %zu matches, brute force %zu", what, q, gn, n);
        for (size_t r = 0; r < gn && r < n; r++) {
            if (!near(g[r].score, want[r].score))
                fail_msg("%s: query %u rank %zu: %g, brute force %g", what, q, r + 1,
                         (double)g[r].score, (double)want[r].score);
            int tied = (r > 0 && near(want[r - 1].score, want[r].score)) ||
                       (r + 1 < n && near(want[r + 1].score, want[r].score));
            if (g[r].statement != want[r].statement && !tied)
                fail_msg("%s: query %u rank %zu: statement %u, brute force %u", what, q, r + 1,
                         g[r].statement, want[r].statement);
        }
    }
    free(row);
    free(want);
}

static result run_search(ts_engine *e, const ts_tfidf *qt, const ts_tfidf *at,
                         const ts_pairs_options *o, ts_search_plan plan)
{
    size_t nq = ts_tfidf_rows(qt);
    result r = {nq, calloc(nq + 2, sizeof(size_t)), NULL, 0, 0, UINT32_MAX};
    assert_non_null(r.first);
    ts_diag d;
    ts_status st = ts_engine_search_plan(e, qt, at, o, plan, collect, &r, &d);
    if (st != TS_OK)
        print_message("ts_engine_search: %s\n", d.message);
    assert_int_equal(st, TS_OK);
    assert_int_equal(r.next, nq);
    return r;
}

/* A share of every unit, in order (one process doing a split search's
 * whole work). */
static ts_status every_unit(void *user, uint64_t *unit)
{
    uint64_t *next = user;
    *unit = (*next)++;
    return TS_OK;
}

/* The search cut into units: strips of 7 queries against 3 parts of the
 * archive, all computed here; the lists are the same. */
static result run_search_units(ts_engine *e, const ts_tfidf *qt, const ts_tfidf *at,
                               const ts_pairs_options *o, ts_search_plan plan)
{
    size_t nq = ts_tfidf_rows(qt);
    result r = {nq, calloc(nq + 2, sizeof(size_t)), NULL, 0, 0, UINT32_MAX};
    assert_non_null(r.first);
    uint64_t next = 0;
    ts_search_share share = {7, 3, every_unit, &next};
    ts_diag d;
    ts_status st = ts_engine_search_csr(e, ts_tfidf_csr(qt), ts_tfidf_csr(at), NULL, o, plan,
                                        &share, collect, &r, &d);
    if (st != TS_OK)
        print_message("ts_engine_search_csr: %s\n", d.message);
    assert_int_equal(st, TS_OK);
    assert_int_equal(r.next, nq);
    assert_int_equal(next, (nq + 6) / 7 * 3 + 1); /* every unit, then one past the last */
    return r;
}

/* Queries against an archive: the example corpus's lines and 200 MSRP
 * lines (so some queries are in the archive: score 1) weighted with the
 * archive's model, against 2,500 MSRP lines; small tiles so that a query
 * strip spans several blocks; top-10, top-1, a threshold; each by blocks
 * and by the pruned pass (which on OpenCL must rule pairs out unscored;
 * the cpu backend has no pruned pass and takes the blocks), whole and cut
 * into units of queries x archive parts; one query, one archive
 * statement; and the errors. */
static void test_search(void **state)
{
    const backend_case *bc = *state;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ts_diag d;
    ts_corpus *all, *archive, *queries;
    assert_int_equal(ts_corpus_create(&all), TS_OK);
    assert_int_equal(ts_corpus_add_path(all, TS_TEST_DATA "/msrp/msr_paraphrase_train.txt", &ro, &d),
                     TS_OK);
    assert_int_equal(ts_corpus_create(&archive), TS_OK);
    assert_int_equal(ts_corpus_create(&queries), TS_OK);
    for (size_t i = 0; i < 2700; i++) {
        ts_statement st = ts_corpus_statement(all, i);
        ts_corpus *to = i < 2500 ? archive : queries;
        assert_int_equal(ts_corpus_add_text(to, "s", st.text, st.length, NULL, &ro, &d), TS_OK);
    }
    for (size_t i = 0; i < 40; i++) { /* archive lines among the queries */
        ts_statement st = ts_corpus_statement(all, i * 50);
        assert_int_equal(ts_corpus_add_text(queries, "s", st.text, st.length, NULL, &ro, &d), TS_OK);
    }
    assert_int_equal(ts_corpus_add_path(queries, TS_SOURCE_DIR "/examples/moscow-talks-2025", &ro,
                                        &d), TS_OK);
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    vo.sublinear_tf = 1;
    ts_tfidf *at, *qt, *other;
    assert_int_equal(ts_tfidf_build(&at, archive, &vo, &d), TS_OK);
    assert_int_equal(ts_tfidf_transform(&qt, at, queries, &d), TS_OK);
    ts_engine *e = engine_or_skip(bc, 64);
    const pairs_case cases[] = {{10, 0, 0}, {1, 0, 0}, {0, 0.4f, 0}};
    const ts_search_plan plans[] = {TS_SEARCH_BLOCKS, TS_SEARCH_PRUNED};
    for (size_t i = 0; i < 6; i++) {
        ts_pairs_options o = options_for(&cases[i / 2], NULL);
        ts_engine_stats_reset(e);
        result r = run_search(e, qt, at, &o, plans[i % 2]);
        check_search(qt, at, &r, &o, bc->name);
        ts_engine_stats es;
        ts_engine_get_stats(e, &es);
        int pruned = plans[i % 2] == TS_SEARCH_PRUNED && bc->kind == TS_BACKEND_OPENCL;
        if (pruned != (es.pairs_pruned > 0))
            fail_msg("%s, case %zu, plan %d: %llu pairs pruned", bc->name, i / 2, plans[i % 2],
                     (unsigned long long)es.pairs_pruned);
        if (i / 2 == 0) /* the archive's own lines find themselves first */
            for (size_t k = 0; k < 40; k++) {
                size_t q = 200 + k;
                assert_true(r.first[q + 1] > r.first[q]);
                assert_true(near(r.m[r.first[q]].score, 1.0f));
            }
        result_free(&r);
    }
    /* in units of 7 queries x a third of the archive, by either plan */
    for (size_t i = 0; i < 6; i++) {
        ts_pairs_options o = options_for(&cases[i / 2], NULL);
        result r = run_search_units(e, qt, at, &o, plans[i % 2]);
        check_search(qt, at, &r, &o, bc->name);
        result_free(&r);
    }
    /* more queries than archive statements: the archive against the queries */
    {
        ts_pairs_options o = options_for(&cases[0], NULL);
        result r = run_search(e, at, qt, &o, TS_SEARCH_PRUNED);
        check_search(at, qt, &r, &o, bc->name);
        result_free(&r);
    }
    /* one archive statement: its own model, a query of the same text */
    ts_corpus *one;
    assert_int_equal(ts_corpus_create(&one), TS_OK);
    assert_int_equal(ts_corpus_add_text(one, "s", "the talks lasted five hours", 27, NULL, &ro, &d),
                     TS_OK);
    ts_tfidf *ot, *oq;
    assert_int_equal(ts_tfidf_build(&ot, one, &vo, &d), TS_OK);
    assert_int_equal(ts_tfidf_transform(&oq, ot, one, &d), TS_OK);
    ts_pairs_options o;
    ts_pairs_options_init(&o);
    result r = run_search(e, oq, ot, &o, TS_SEARCH_PRUNED);
    assert_int_equal(r.first[1], 1);
    assert_int_equal(r.m[0].statement, 0);
    assert_true(near(r.m[0].score, 1.0f));
    result_free(&r);
    /* errors: another vocabulary, cross_source */
    assert_int_equal(ts_tfidf_build(&other, queries, &vo, &d), TS_OK);
    assert_int_equal(ts_engine_search(e, other, at, &o, collect, &r, &d), TS_ERR_ARG);
    assert_non_null(strstr(d.message, "ts_tfidf_transform"));
    o.cross_source = 1;
    assert_int_equal(ts_engine_search(e, qt, at, &o, collect, &r, &d), TS_ERR_ARG);
    ts_engine_free(e);
    ts_tfidf_free(other);
    ts_tfidf_free(ot);
    ts_tfidf_free(oq);
    ts_tfidf_free(qt);
    ts_tfidf_free(at);
    ts_corpus_free(one);
    ts_corpus_free(queries);
    ts_corpus_free(archive);
    ts_corpus_free(all);
}

#define BACKENDS(f)                                                                         \
    {"cpu/" #f, f, NULL, NULL, &cpu_case}, {"opencl/" #f, f, NULL, NULL, &opencl_case},    \
    {                                                                                       \
        "opencl-small/" #f, f, NULL, NULL, &opencl_small_case                               \
    }

int main(void)
{
    const struct CMUnitTest tests[] = {
        BACKENDS(test_random),
        BACKENDS(test_ties),
        BACKENDS(test_real_text),
        BACKENDS(test_synthetic_descriptor),
        BACKENDS(test_skipped_blocks),
        BACKENDS(test_consumer_stops),
        BACKENDS(test_bad_options),
        BACKENDS(test_shares),
        BACKENDS(test_similarity_shares),
        BACKENDS(test_search),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_pruning),
        cmocka_unit_test(test_pruning_top_k),
        cmocka_unit_test(test_device_memory_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
