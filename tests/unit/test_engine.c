/*
 * test_engine.c - the similarity engine over both backends.
 *
 * One suite, run once per backend from a table: random sparse l2-normalised
 * CSR matrices (seeded PRNG) of many shapes are compared with a naive
 * double-precision merge written here; OpenCL and cpu are compared with each
 * other; strips must arrive in order and cover every row once; a sink's
 * error stops the run; device memory failures are retried with smaller
 * blocks; build and device errors are reported.  OpenCL tests skip only when
 * no OpenCL platform exists at all, and say so.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/diag.h"
#include "engine/backend.h"
#include "engine/engine.h"
#include "engine/front.h"
#include "text/csr.h"
#include "textsim.h"

#include "common/random_csr.h"

/* The exact dot product of two float rows, in double. */
static double ref_dot(const ts_csr *a, uint32_t r, const ts_csr *b, uint32_t c)
{
    uint32_t i = a->ptr[r], ie = a->ptr[r + 1], j = b->ptr[c], je = b->ptr[c + 1];
    double s = 0;
    while (i < ie && j < je) {
        if (a->idx[i] == b->idx[j])
            s += (double)a->val[i++] * (double)b->val[j++];
        else if (a->idx[i] < b->idx[j])
            i++;
        else
            j++;
    }
    return s;
}

/* ------------------------------------------------------------- backends */

typedef struct backend_case {
    const char *name;
    ts_backend_kind kind;
    const char *defines; /* kernel defines */
} backend_case;

static backend_case cpu_case = {"cpu", TS_BACKEND_CPU, NULL};
/* the device's default kernel (on pocl: double accumulation) */
static backend_case opencl_case = {"opencl", TS_BACKEND_OPENCL, NULL};
/* compensated float accumulation, the default on GPUs */
static backend_case opencl_float_case = {"opencl", TS_BACKEND_OPENCL, "-DTS_ACCUM_DOUBLE=0"};
/* what a GPU runs: float accumulation and the register-tiled dense front,
 * here on every term in a statement or more, up to the 32 most frequent
 * (the default takes only the terms in an eighth of the statements) */
static backend_case opencl_tiled_case = {"opencl", TS_BACKEND_OPENCL,
                                         "-DTS_ACCUM_DOUBLE=0 -DTS_DENSE_MODE=2 "
                                         "-DTS_DENSE_DF=4000000000"};

/* Create an engine of the case's kind, or skip the test when the case is
 * OpenCL and no platform exists. */
static ts_engine *engine_or_skip(const backend_case *bc, size_t tile_rows, size_t tile_cols,
                                 const char *defines)
{
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.backend = bc->kind;
    o.tile_rows = tile_rows;
    o.tile_cols = tile_cols;
    o.kernel_defines = defines ? defines : bc->defines;
    ts_engine *e = NULL;
    ts_diag d;
    ts_status st = ts_engine_create(&e, &o, &d);
    if (st == TS_ERR_NO_PLATFORM) {
        print_message("SKIP (%s): no OpenCL platform: %s\n", bc->name, d.message);
        skip();
    }
    if (st != TS_OK)
        print_message("ts_engine_create(%s): %s: %s\n", bc->name, ts_status_name(st), d.message);
    assert_int_equal(st, TS_OK);
    assert_string_equal(ts_engine_backend_name(e), bc->name);
    assert_false(ts_engine_fell_back(e));
    return e;
}

/* ----------------------------------------------------------- collecting */

typedef struct collect {
    size_t n;          /* rows = cols of the square result */
    float *full;       /* n x n */
    size_t next_row;   /* strips must start here */
    size_t strips;
    size_t cancel_at;  /* return TS_ERR_CANCELLED on this strip (1-based), 0: never */
} collect;

static ts_status collect_strip(void *user, const ts_tile *t)
{
    collect *c = user;
    c->strips++;
    assert_int_equal(t->row0, c->next_row); /* ascending, no gap, no repeat */
    assert_true(t->nrows >= 1);
    assert_int_equal(t->col0, 0);
    assert_int_equal(t->ncols, c->n);
    assert_true(t->ld >= t->ncols);
    assert_true(t->row0 + t->nrows <= c->n);
    for (size_t r = 0; r < t->nrows; r++)
        memcpy(c->full + (t->row0 + r) * c->n, t->scores + r * t->ld, c->n * sizeof(float));
    c->next_row += t->nrows;
    if (c->cancel_at && c->strips == c->cancel_at)
        return TS_ERR_CANCELLED;
    return TS_OK;
}

/* Run the engine over m; returns the n x n result (malloc'd). */
static float *similarity(ts_engine *e, const ts_csr *m)
{
    collect c = {m->rows, NULL, 0, 0, 0};
    c.full = malloc(((size_t)m->rows * m->rows + 1) * sizeof(float));
    assert_non_null(c.full);
    for (size_t i = 0; i < (size_t)m->rows * m->rows; i++)
        c.full[i] = NAN; /* every cell must be written */
    ts_diag d;
    ts_status st = ts_engine_similarity_csr(e, m, collect_strip, &c, &d);
    if (st != TS_OK)
        print_message("similarity: %s: %s\n", ts_status_name(st), d.message);
    assert_int_equal(st, TS_OK);
    assert_int_equal(c.next_row, m->rows); /* every row exactly once */
    return c.full;
}

/* Largest |got - exact| over the matrix; fails above tol. */
static double check_against_reference(const ts_csr *m, const float *got, double tol,
                                      const char *what)
{
    double worst = 0;
    size_t n = m->rows;
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < n; c++) {
            double exact = ref_dot(m, (uint32_t)r, m, (uint32_t)c);
            double err = fabs((double)got[r * n + c] - exact);
            if (!(err <= tol))
                print_message("%s: cell (%zu, %zu) = %.9g, exact %.9g\n", what, r, c,
                              got[r * n + c], exact);
            assert_true(err <= tol);
            if (err > worst)
                worst = err;
        }
    return worst;
}

/* -------------------------------------------------------------- shapes */

typedef struct shape {
    const char *name;
    gen_spec g;
    size_t tile_rows, tile_cols;
} shape;

#define NO_LONG UINT32_MAX
static const shape shapes[] = {
    {"N=1", {1, 10, 1, 5, 0, NO_LONG, 0, 0, 0, 11}, 0, 0},
    {"N=2", {2, 10, 1, 5, 0, NO_LONG, 0, 0, 0, 12}, 0, 0},
    {"N=2 tile 1", {2, 10, 1, 5, 0, NO_LONG, 0, 0, 0, 13}, 1, 1},
    {"N=257 tile 64", {257, 500, 1, 30, 0.05, NO_LONG, 0, 0, 0, 14}, 64, 0},
    {"N=257 tile 64x100", {257, 500, 1, 30, 0.05, NO_LONG, 0, 0, 0, 15}, 64, 100},
    {"N=1000 tile 128 zipf", {1000, 3000, 5, 40, 0.02, NO_LONG, 0, 1.0, 0, 16}, 128, 0},
    {"N=1000 tile 128x333", {1000, 3000, 1, 25, 0, NO_LONG, 0, 0, 0, 17}, 128, 333},
    {"empty rows", {300, 200, 1, 10, 0.5, NO_LONG, 0, 0, 0, 18}, 64, 0},
    {"long row 5000", {300, 20000, 5, 50, 0.1, 7, 5000, 0, 0, 19}, 64, 0},
    {"long row zipf", {300, 20000, 5, 50, 0, 250, 5000, 0.8, 0, 20}, 0, 0},
    {"all empty", {50, 100, 1, 1, 1.0, NO_LONG, 0, 0, 0, 21}, 16, 0},
    {"one column", {100, 1, 1, 1, 0.3, NO_LONG, 0, 0, 0, 22}, 32, 0},
    {"char n-grams 400 nnz", {200, 6000, 380, 420, 0, NO_LONG, 0, 0.7, 400, 23}, 0, 0},
    {"wide chunks", {40, 100, 1, 10, 0, NO_LONG, 0, 0, 0, 24}, 7, 0},
    {"N=3000 > chunk", {3000, 2000, 1, 12, 0.1, NO_LONG, 0, 1.0, 0, 25}, 0, 0},
};

static void test_shapes(void **state)
{
    const backend_case *bc = *state;
    double worst_all = 0;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const shape *s = &shapes[i];
        ts_csr m;
        make_csr(&m, &s->g);
        ts_engine *e = engine_or_skip(bc, s->tile_rows, s->tile_cols, NULL);
        float *got = similarity(e, &m);
        double worst = check_against_reference(&m, got, 1e-6, s->name);
        print_message("%-7s %-22s N=%-5u nnz=%-7u max |err| = %.3g\n", bc->name, s->name,
                      m.rows, ts_csr_nnz(&m), worst);
        if (i == 0 && bc->defines)
            print_message("(kernel defines %s)\n", bc->defines);
        if (worst > worst_all)
            worst_all = worst;
        free(got);
        ts_engine_free(e);
        csr_free(&m);
    }
    print_message("%s: max |error| over all shapes = %.3g\n", bc->name, worst_all);
    assert_true(worst_all <= 1.5e-7); /* about one float ulp: compensation works */
}

/* A matrix with no rows: nothing to deliver, no error. */
static void test_zero_rows(void **state)
{
    ts_engine *e = engine_or_skip(*state, 0, 0, NULL);
    uint32_t ptr0 = 0;
    ts_csr m = {0, 10, &ptr0, NULL, NULL};
    collect c = {0, NULL, 0, 0, 0};
    ts_diag d;
    assert_int_equal(ts_engine_similarity_csr(e, &m, collect_strip, &c, &d), TS_OK);
    assert_int_equal(c.strips, 0);
    ts_engine_free(e);
}

/* The engine reused for several matrices (the program is built once). */
static void test_reuse(void **state)
{
    ts_engine *e = engine_or_skip(*state, 32, 0, NULL);
    for (int i = 0; i < 3; i++) {
        gen_spec g = {(uint32_t)(50 + 30 * i), 300, 1, 20, 0.1, NO_LONG, 0, 0, 0,
                      (uint64_t)(100 + i)};
        ts_csr m;
        make_csr(&m, &g);
        float *got = similarity(e, &m);
        check_against_reference(&m, got, 1e-6, "reuse");
        free(got);
        csr_free(&m);
    }
    ts_engine_free(e);
}

static void test_cancel(void **state)
{
    gen_spec g = {200, 300, 1, 20, 0, NO_LONG, 0, 0, 0, 31};
    ts_csr m;
    make_csr(&m, &g);
    ts_engine *e = engine_or_skip(*state, 50, 0, NULL);
    collect c = {m.rows, malloc((size_t)m.rows * m.rows * sizeof(float)), 0, 0, 2};
    ts_diag d;
    ts_status st = ts_engine_similarity_csr(e, &m, collect_strip, &c, &d);
    assert_int_equal(st, TS_ERR_CANCELLED);
    assert_int_equal(d.status, TS_ERR_CANCELLED);
    assert_int_equal(c.strips, 2); /* nothing after the sink said stop */
    assert_int_equal(c.next_row, 100);
    free(c.full);
    ts_engine_free(e);
    csr_free(&m);
}

/* ------------------------------------------ a plan other than strips */

typedef struct block_log {
    const ts_csr *a, *b;
    const ts_block *plan;
    size_t seen;
    double worst;
} block_log;

static ts_status check_block(void *user, const ts_tile *t)
{
    block_log *l = user;
    const ts_block *want = &l->plan[l->seen++]; /* plan order, one call per block */
    assert_int_equal(t->row0, want->row0);
    assert_int_equal(t->nrows, want->nrows);
    assert_int_equal(t->col0, want->col0);
    assert_int_equal(t->ncols, want->ncols);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            double exact = ref_dot(l->a, (uint32_t)(t->row0 + r), l->b, (uint32_t)(t->col0 + c));
            double err = fabs(t->scores[r * t->ld + c] - exact);
            assert_true(err <= 1e-6);
            if (err > l->worst)
                l->worst = err;
        }
    return TS_OK;
}

/* Two different matrices and an upper-triangle-like plan through bind and execute. */
static void test_custom_plan(void **state)
{
    gen_spec ga = {90, 400, 1, 30, 0.1, NO_LONG, 0, 1.0, 0, 41};
    gen_spec gb = {70, 400, 1, 30, 0.1, NO_LONG, 0, 1.0, 0, 42};
    ts_csr a, b;
    make_csr(&a, &ga);
    make_csr(&b, &gb);
    ts_engine *e = engine_or_skip(*state, 0, 0, NULL);
    ts_block plan[] = {
        {0, 30, 0, 70}, {30, 30, 25, 45}, {60, 30, 50, 20}, {89, 1, 69, 1}, {5, 0, 0, 10},
    };
    block_log l = {&a, &b, plan, 0, 0};
    ts_diag d;
    ts_status st = ts_engine_bind(e, &a, &b, &d);
    if (st == TS_OK)
        st = ts_engine_execute(e, plan, 5, check_block, &l, &d);
    assert_int_equal(st, TS_OK);
    assert_int_equal(l.seen, 5);
    ts_engine_free(e);
    csr_free(&a);
    csr_free(&b);
}

static void test_bad_matrix(void **state)
{
    ts_engine *e = engine_or_skip(*state, 0, 0, NULL);
    uint32_t ptr[] = {0, 2, 3};
    uint32_t idx[] = {3, 1, 9}; /* descending in row 0, out of range in row 1 */
    float val[] = {1, 1, 1};
    ts_csr m = {2, 5, ptr, idx, val};
    collect c = {2, malloc(4 * sizeof(float)), 0, 0, 0};
    ts_diag d;
    assert_int_equal(ts_engine_similarity_csr(e, &m, collect_strip, &c, &d), TS_ERR_INTERNAL);
    assert_non_null(strstr(d.message, "row 0"));
    assert_int_equal(c.strips, 0);
    free(c.full);
    ts_engine_free(e);
}

/* ------------------------------------------- device memory: halving */

typedef struct fault_backend {
    ts_backend base;
    ts_backend *inner;
    size_t limit;     /* compute fails with TS_ERR_DEVICE_MEMORY above this many cells */
    size_t calls, failures, largest_ok;
} fault_backend;

static ts_status fault_bind(ts_backend *b, const ts_csr *rows, const ts_csr *cols,
                            const ts_csr *cols_t, ts_diag *d)
{
    fault_backend *f = (fault_backend *)b;
    return f->inner->ops->bind(f->inner, rows, cols, cols_t, d);
}

static ts_status fault_compute(ts_backend *b, const ts_block *blk, float *out, ts_diag *d)
{
    fault_backend *f = (fault_backend *)b;
    f->calls++;
    size_t cells = blk->nrows * blk->ncols;
    if (cells > f->limit) {
        f->failures++;
        return TS_FAIL(d, TS_ERR_DEVICE_MEMORY, "injected: %zu cells", cells);
    }
    if (cells > f->largest_ok)
        f->largest_ok = cells;
    return f->inner->ops->compute(f->inner, blk, out, d);
}

static size_t fault_max_cells(const ts_backend *b)
{
    const fault_backend *f = (const fault_backend *)b;
    return f->inner->ops->max_block_cells(f->inner);
}

static void fault_free(ts_backend *b)
{
    fault_backend *f = (fault_backend *)b;
    if (!f)
        return;
    f->inner->ops->free(f->inner);
    free(f);
}

static const ts_backend_ops fault_ops = {.name = "fault",
                                         .bind = fault_bind,
                                         .compute = fault_compute,
                                         .max_block_cells = fault_max_cells,
                                         .free = fault_free};

static fault_backend *fault_or_skip(const backend_case *bc, size_t limit)
{
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.kernel_defines = bc->defines;
    ts_backend *inner = NULL;
    ts_diag d;
    ts_status st = bc->kind == TS_BACKEND_CPU ? ts_backend_cpu_create(&inner, &o, &d)
                                              : ts_backend_opencl_create(&inner, &o, &d);
    if (st == TS_ERR_NO_PLATFORM) {
        print_message("SKIP (%s): no OpenCL platform: %s\n", bc->name, d.message);
        skip();
    }
    assert_int_equal(st, TS_OK);
    fault_backend *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->base.ops = &fault_ops;
    f->inner = inner;
    f->limit = limit;
    return f;
}

static void test_halving(void **state)
{
    gen_spec g = {300, 500, 1, 20, 0.1, NO_LONG, 0, 1.0, 0, 51};
    ts_csr m;
    make_csr(&m, &g);
    fault_backend *f = fault_or_skip(*state, 5000);
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.tile_rows = 100; /* planned blocks of 100 x 300 = 30000 cells */
    ts_engine *e = NULL;
    ts_diag d;
    assert_int_equal(ts_engine_create_with_backend(&e, &f->base, &o, &d), TS_OK);
    float *got = similarity(e, &m);
    check_against_reference(&m, got, 1e-6, "halving");
    assert_true(f->failures >= 1);
    assert_true(f->largest_ok <= 5000 && f->largest_ok >= 2500 / 2);
    /* later blocks start at the learned size: far fewer failures than blocks */
    assert_true(f->failures <= 4);
    assert_true(ts_engine_max_block_cells(e) <= 5000 * 2);
    free(got);
    ts_engine_free(e);
    csr_free(&m);
}

/* Column halving: a single row wider than the limit. */
static void test_halving_columns(void **state)
{
    gen_spec g = {3000, 400, 1, 8, 0, NO_LONG, 0, 0, 0, 52};
    ts_csr m;
    make_csr(&m, &g);
    fault_backend *f = fault_or_skip(*state, 1100);
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.tile_rows = 1;
    ts_engine *e = NULL;
    ts_diag d;
    assert_int_equal(ts_engine_create_with_backend(&e, &f->base, &o, &d), TS_OK);
    /* compare only the first strips: the full 3000^2 check is slow */
    ts_block plan[] = {{0, 1, 0, 3000}, {1, 1, 0, 3000}, {2999, 1, 0, 3000}};
    block_log l = {&m, &m, plan, 0, 0};
    assert_int_equal(ts_engine_bind(e, &m, &m, &d), TS_OK);
    assert_int_equal(ts_engine_execute(e, plan, 3, check_block, &l, &d), TS_OK);
    assert_int_equal(l.seen, 3);
    assert_true(f->largest_ok <= 1100);
    ts_engine_free(e);
    csr_free(&m);
}

static void test_halving_gives_up(void **state)
{
    gen_spec g = {100, 50, 1, 5, 0, NO_LONG, 0, 0, 0, 53};
    ts_csr m;
    make_csr(&m, &g);
    fault_backend *f = fault_or_skip(*state, 0); /* nothing ever fits */
    ts_engine *e = NULL;
    ts_diag d;
    assert_int_equal(ts_engine_create_with_backend(&e, &f->base, NULL, &d), TS_OK);
    collect c = {m.rows, malloc((size_t)m.rows * m.rows * sizeof(float)), 0, 0, 0};
    assert_int_equal(ts_engine_similarity_csr(e, &m, collect_strip, &c, &d),
                     TS_ERR_DEVICE_MEMORY);
    assert_non_null(strstr(d.message, "injected"));
    assert_non_null(strstr(d.message, "--backend=cpu"));
    assert_int_equal(c.strips, 0);
    assert_true(f->calls < 20); /* halving, not an endless retry */
    free(c.full);
    ts_engine_free(e);
    csr_free(&m);
}

/* ---------------------------------------------------- OpenCL specifics */

static void test_opencl_vs_cpu(void **state)
{
    (void)state;
    const shape *picks[] = {&shapes[5], &shapes[8], &shapes[12], &shapes[14]};
    double worst = 0;
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        ts_csr m;
        make_csr(&m, &picks[i]->g);
        ts_engine *cl = engine_or_skip(&opencl_case, 0, 0, NULL);
        ts_engine *clf = engine_or_skip(&opencl_float_case, 0, 0, NULL);
        ts_engine *cpu = engine_or_skip(&cpu_case, 0, 0, NULL);
        float *x = similarity(cl, &m), *xf = similarity(clf, &m), *y = similarity(cpu, &m);
        for (size_t k = 0; k < (size_t)m.rows * m.rows; k++) {
            double err = fmax(fabs((double)x[k] - y[k]), fabs((double)xf[k] - y[k]));
            assert_true(err <= 1e-5);
            if (err > worst)
                worst = err;
        }
        free(x);
        free(xf);
        free(y);
        ts_engine_free(cl);
        ts_engine_free(clf);
        ts_engine_free(cpu);
        csr_free(&m);
    }
    print_message("opencl vs cpu: max |difference| = %.3g\n", worst);
}

/* Both kernels, with several work-group shapes, give the same numbers. */
static void test_opencl_kernel_variants(void **state)
{
    (void)state;
    /* groups of variants that must agree bit for bit: the same arithmetic in
     * the same order, whatever the kernel and work-group shape */
    static const struct {
        const char *defines;
        int group; /* 0: no bit-identity expected */
    } variants[] = {
        /* without the dense front, which adds its terms out of term order */
        {"-DTS_ACCUM_DOUBLE=0 -DTS_DENSE_DF=0", 1},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_ALGO=2", 1},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_ALGO=2 -DTS_WG_X=8 -DTS_WG_Y=4 -DTS_GALLOP_RATIO=2", 1},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_WG=16 -DTS_CHUNK=64 -DTS_DENSE_DF=0", 1},
        {"-DTS_ACCUM_DOUBLE=1 -DTS_DENSE_DF=0", 2},
        {"-DTS_ACCUM_DOUBLE=1 -DTS_ALGO=2 -DTS_WG_X=16 -DTS_WG_Y=2", 2},
        /* the host cannot read "(100)": its launch guesses 2048, the kernel loops */
        {"-DTS_ACCUM_DOUBLE=1 -DTS_WG=8 -DTS_CHUNK=(100) -DTS_DENSE_DF=0", 2},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_EXACT_PRODUCTS=0", 0},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_EXACT_PRODUCTS=0 -DTS_COMPENSATED=0", 0},
        /* the dense front, both ways, on up to 32 terms, 3 or 1 */
        {"-DTS_ACCUM_DOUBLE=0 -DTS_DENSE_MODE=1 -DTS_DENSE_DF=1000", 0},
        {"-DTS_ACCUM_DOUBLE=1 -DTS_DENSE_MODE=1 -DTS_DENSE_DF=1000 -DTS_WG=8 -DTS_CHUNK=64", 0},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_DENSE_MODE=2 -DTS_DENSE_DF=1000", 0},
        {"-DTS_ACCUM_DOUBLE=1 -DTS_DENSE_MODE=2 -DTS_DENSE_DF=1000 -DTS_DENSE_WG=8 "
         "-DTS_DENSE_MICRO=2 -DTS_DENSE_TERMS=3",
         0},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_DENSE_MODE=2 -DTS_DENSE_DF=1000 -DTS_DENSE_WG=4 "
         "-DTS_DENSE_MICRO=3 -DTS_DENSE_TERMS=1",
         0},
    };
    gen_spec g = {300, 3000, 380, 420, 0.05, 3, 2000, 1.0, 400, 61};
    ts_csr m;
    make_csr(&m, &g);
    float *first[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        const char *defs = variants[i].defines;
        ts_engine *e = engine_or_skip(&opencl_case, 100, 0, defs);
        float *got = similarity(e, &m);
        /* compensated: within about one float ulp; plain summation only reported */
        int plain = strstr(defs, "TS_COMPENSATED=0") != NULL;
        double worst = check_against_reference(&m, got, plain ? 1e-3 : 1.5e-7, defs);
        print_message("kernel %-72s max |err| = %.3g\n", defs, worst);
        int grp = variants[i].group;
        if (grp && !first[grp]) {
            first[grp] = got;
        } else {
            if (grp)
                assert_memory_equal(first[grp], got, (size_t)m.rows * m.rows * sizeof(float));
            free(got);
        }
        ts_engine_free(e);
    }
    free(first[1]);
    free(first[2]);
    csr_free(&m);
}

/* The front's choice and layout, by hand: the most frequent first, ties
 * to the lower term, at most max_terms, none below min_df. */
static void test_front_pick(void **state)
{
    (void)state;
    const uint32_t df[] = {3, 9, 0, 9, 5, 1, 7, 9};
    uint32_t terms[8];
    assert_int_equal(ts_front_pick(df, 8, 5, 8, terms), 5);
    const uint32_t want[] = {1, 3, 7, 6, 4};
    assert_memory_equal(terms, want, sizeof want);
    assert_int_equal(ts_front_pick(df, 8, 5, 2, terms), 2);
    assert_int_equal(terms[0], 1);
    assert_int_equal(terms[1], 3);
    assert_int_equal(ts_front_pick(df, 8, 10, 8, terms), 0);
    assert_int_equal(ts_front_pick(df, 8, 0, 0, terms), 0);
    assert_int_equal(ts_front_pick(df, 8, 0, 8, terms), 7); /* min_df 0 counts as 1 */
    /* rows {0: t1 .5, t4 .25}, {1: t2 1}, {2: t1 2, t3 3}; slots t1 -> 2, t3 -> 1 */
    uint32_t ptr[] = {0, 2, 3, 5}, idx[] = {1, 4, 2, 1, 3};
    float val[] = {.5f, .25f, 1, 2, 3};
    ts_csr m = {3, 5, ptr, idx, val};
    uint32_t mdf[5], slot[5] = {0, 2, 0, 1, 0};
    ts_front_df(&m, mdf);
    const uint32_t want_df[] = {0, 2, 1, 1, 1};
    assert_memory_equal(mdf, want_df, sizeof want_df);
    float out[2 * 4];
    memset(out, 0xff, sizeof out);
    ts_front_term_major(&m, slot, 2, 4, out);
    const float want_out[] = {0, 0, 3, 0, .5f, 0, 2, 0};
    assert_memory_equal(out, want_out, sizeof want_out);
}

/* The dense front is taken where terms are frequent and its work is
 * counted: with the front on the 3 most frequent terms, the row-by-row
 * front does (front entries of the rows) x N multiply-adds, the tiled one
 * N x N x 3; with -DTS_DENSE_DF=0 none.  Scores within one ulp either way. */
static void test_opencl_dense_front(void **state)
{
    (void)state;
    gen_spec g = {700, 2000, 3, 30, 0.05, NO_LONG, 0, 1.1, 0, 71};
    ts_csr m;
    make_csr(&m, &g);
    /* the 3 most frequent terms (ties: the lower term), counted here */
    uint32_t *df = calloc(m.cols, sizeof *df), top[3] = {UINT32_MAX, UINT32_MAX, UINT32_MAX};
    assert_non_null(df);
    for (uint32_t p = 0; p < ts_csr_nnz(&m); p++)
        df[m.idx[p]]++;
    for (uint32_t t = 0; t < m.cols; t++)
        for (uint32_t k = 0, x = t; k < 3 && x != UINT32_MAX; k++)
            if (top[k] == UINT32_MAX || df[x] > df[top[k]]) {
                uint32_t y = top[k];
                top[k] = x;
                x = y;
            }
    uint64_t entries = 0;
    for (uint32_t p = 0; p < ts_csr_nnz(&m); p++)
        entries += m.idx[p] == top[0] || m.idx[p] == top[1] || m.idx[p] == top[2];
    assert_true(df[top[2]] * 8 >= m.rows); /* frequent enough for the default front */
    static const struct {
        const char *defines;
        int tiled; /* -1: no front */
    } runs[] = {
        {"-DTS_DENSE_DF=0", -1},
        {NULL, 0}, /* the device's default: on pocl, row by row */
        {"-DTS_DENSE_MODE=1 -DTS_DENSE_DF=1000 -DTS_DENSE_TERMS=3", 0},
        {"-DTS_DENSE_MODE=2 -DTS_DENSE_DF=1000 -DTS_DENSE_TERMS=3", 1},
        {"-DTS_ACCUM_DOUBLE=0 -DTS_DENSE_MODE=2 -DTS_DENSE_DF=1000 -DTS_DENSE_TERMS=3", 1},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        ts_engine *e = engine_or_skip(&opencl_case, 256, 300, runs[i].defines);
        float *got = similarity(e, &m);
        check_against_reference(&m, got, 1.5e-7, runs[i].defines ? runs[i].defines : "default");
        ts_engine_stats st;
        ts_engine_get_stats(e, &st);
        print_message("%-70s dense multiply-adds %llu\n", runs[i].defines ? runs[i].defines : "(default)",
                      (unsigned long long)st.dense_products);
        if (runs[i].tiled < 0)
            assert_true(st.dense_products == 0);
        else if (runs[i].defines == NULL)
            assert_true(st.dense_products >= entries * m.rows); /* at least the top 3 */
        else if (runs[i].tiled)
            assert_true(st.dense_products == (uint64_t)m.rows * m.rows * 3);
        else
            assert_true(st.dense_products == entries * m.rows);
        free(got);
        ts_engine_free(e);
    }
    free(df);
    csr_free(&m);
    /* a mode that does not exist is the caller's error, named */
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.backend = TS_BACKEND_OPENCL;
    o.kernel_defines = "-DTS_DENSE_MODE=3";
    ts_engine *e = NULL;
    ts_diag d;
    assert_int_equal(ts_engine_create(&e, &o, &d), TS_ERR_ARG);
    assert_null(e);
    assert_non_null(strstr(d.message, "TS_DENSE_MODE=3"));
}

/* An OpenCL engine built with `defines`; skips the test without a platform. */
static ts_status create_opencl(const char *defines, ts_engine **e, ts_diag *d)
{
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.backend = TS_BACKEND_OPENCL;
    o.kernel_defines = defines;
    *e = NULL;
    ts_status st = ts_engine_create(e, &o, d);
    if (st == TS_ERR_NO_PLATFORM) {
        print_message("SKIP: no OpenCL platform: %s\n", d->message);
        skip();
    }
    return st;
}

static void expect_build_error(const char *defines, const char *needle)
{
    ts_engine *e;
    ts_diag d;
    ts_status st = create_opencl(defines, &e, &d);
    assert_int_equal(st, TS_ERR_BUILD);
    assert_null(e);
    assert_non_null(strstr(d.message, "kernels/cosine.cl"));
    assert_non_null(strstr(d.message, "Build log"));
    if (needle)
        assert_non_null(strstr(d.message, needle));
}

static void test_opencl_build_error(void **state)
{
    (void)state;
    /* the #error text comes from the compiler's log */
    expect_build_error("-DTS_SYNTAX_ERROR", "this build fails on purpose");
    expect_build_error("-DTS_ALGO=7", "TS_ALGO must be");
    expect_build_error("-fno-such-option-for-textsim", "-fno-such-option-for-textsim");
}

/* A build that warns succeeds and keeps the compiler's messages; a clean
 * build and the cpu backend have none. */
static void test_opencl_build_log(void **state)
{
    (void)state;
    ts_engine *e;
    ts_diag d;
    assert_int_equal(create_opencl("-DTS_WARNING_PROBE", &e, &d), TS_OK);
    const char *log = ts_engine_build_log(e);
    assert_non_null(strstr(log, "kernels/cosine.cl:\n"));
    assert_non_null(strstr(log, "this build warns on purpose"));
    assert_int_not_equal(log[strlen(log) - 1], '\n');
    ts_engine_free(e);

    assert_int_equal(create_opencl(NULL, &e, &d), TS_OK);
    assert_string_equal(ts_engine_build_log(e), "");
    ts_engine_free(e);
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.backend = TS_BACKEND_CPU;
    assert_int_equal(ts_engine_create(&e, &o, &d), TS_OK);
    assert_string_equal(ts_engine_build_log(e), "");
    ts_engine_free(e);
    assert_string_equal(ts_engine_build_log(NULL), "");
}

static void test_opencl_bad_device(void **state)
{
    (void)state;
    static const char *specs[] = {"no-such-device-xyz", "7:0", "0:99"};
    for (size_t i = 0; i < 3; i++) {
        ts_engine_options o;
        ts_engine_options_init(&o);
        o.backend = TS_BACKEND_OPENCL;
        o.device = specs[i];
        ts_engine *e = NULL;
        ts_diag d;
        ts_status st = ts_engine_create(&e, &o, &d);
        if (st == TS_ERR_NO_PLATFORM) {
            print_message("SKIP: no OpenCL platform: %s\n", d.message);
            skip();
        }
        assert_int_equal(st, TS_ERR_DEVICE);
        assert_non_null(strstr(d.message, specs[i]));
        assert_non_null(strstr(d.message, "textsim devices"));
        assert_non_null(strstr(d.message, "0:0 "));
        /* AUTO does not hide a bad device either */
        o.backend = TS_BACKEND_AUTO;
        assert_int_equal(ts_engine_create(&e, &o, &d), TS_ERR_DEVICE);
    }
}

static void test_opencl_auto(void **state)
{
    (void)state;
    ts_engine *e = NULL;
    ts_diag d;
    ts_status st = ts_engine_create(&e, NULL, &d);
    assert_int_equal(st, TS_OK);
    if (ts_engine_fell_back(e)) { /* legitimate only when there is no platform */
        ts_device_info *list;
        size_t n;
        assert_int_equal(ts_devices_list(&list, &n, NULL, &d), TS_ERR_NO_PLATFORM);
        assert_string_equal(ts_engine_backend_name(e), "cpu");
    } else {
        assert_string_equal(ts_engine_backend_name(e), "opencl");
        assert_true(strlen(ts_engine_device_name(e)) > 0);
    }
    ts_engine_free(e);
    ts_engine_free(NULL);
}

/* Device memory limit smaller than the matrices: a clear error at bind. */
static void test_opencl_memory_limit(void **state)
{
    (void)state;
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.backend = TS_BACKEND_OPENCL;
    o.max_device_memory = 1000;
    ts_engine *e = NULL;
    ts_diag d;
    ts_status st = ts_engine_create(&e, &o, &d);
    if (st == TS_ERR_NO_PLATFORM) {
        print_message("SKIP: no OpenCL platform: %s\n", d.message);
        skip();
    }
    assert_int_equal(st, TS_OK);
    gen_spec g = {300, 300, 5, 20, 0, NO_LONG, 0, 0, 0, 71};
    ts_csr m;
    make_csr(&m, &g);
    collect c = {m.rows, malloc((size_t)m.rows * m.rows * sizeof(float)), 0, 0, 0};
    st = ts_engine_similarity_csr(e, &m, collect_strip, &c, &d);
    assert_int_equal(st, TS_ERR_DEVICE_MEMORY);
    assert_non_null(strstr(d.message, "max-device-memory"));
    free(c.full);
    ts_engine_free(e);
    /* a limit that fits the matrices but only small blocks still works: the
     * matrix (uploaded once), its transpose for the scatter kernel, 20000 cells */
    uint64_t matrix = 4 * ((uint64_t)m.rows + 1) + 8 * (uint64_t)ts_csr_nnz(&m);
    uint64_t transpose = 4 * ((uint64_t)m.cols + 1) + 8 * (uint64_t)ts_csr_nnz(&m);
    o.max_device_memory = matrix + transpose + 20000 * sizeof(float);
    assert_int_equal(ts_engine_create(&e, &o, &d), TS_OK);
    float *got = similarity(e, &m);
    check_against_reference(&m, got, 1e-6, "memory limit");
    assert_true(ts_engine_max_block_cells(e) <= 20000 + transpose / sizeof(float));
    assert_true(ts_engine_max_block_cells(e) < (size_t)m.rows * m.rows); /* several blocks */
    free(got);
    ts_engine_free(e);
    csr_free(&m);
}

/* With no platform installed (OCL_ICD_VENDORS pointing at an empty place),
 * AUTO falls back to cpu and OPENCL fails with TS_ERR_NO_PLATFORM.  Runs in
 * a fresh process because the ICD loader reads its configuration once. */
static int no_platform_child(void)
{
    ts_engine *e = NULL;
    ts_diag d;
    if (ts_engine_create(&e, NULL, &d) != TS_OK || !ts_engine_fell_back(e) ||
        strcmp(ts_engine_backend_name(e), "cpu") != 0 ||
        strncmp(ts_engine_device_name(e), "BLIS ", 5) != 0)
        return 1;
    ts_engine_free(e);
    ts_engine_options o;
    ts_engine_options_init(&o);
    o.backend = TS_BACKEND_OPENCL;
    if (ts_engine_create(&e, &o, &d) != TS_ERR_NO_PLATFORM || e ||
        !strstr(d.message, "apt-get install pocl-opencl-icd") ||
        !strstr(d.message, "--backend=cpu"))
        return 2;
    return 0;
}

static void test_auto_fallback(void **state)
{
    (void)state;
    char cmd[4200];
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    snprintf(cmd, sizeof cmd,
             "OCL_ICD_VENDORS=/nonexistent-textsim OCL_ICD_FILENAMES= '%s' --no-platform-child",
             self);
    int rc = system(cmd);
    assert_int_equal(rc, 0);
}

/* ---------------------------------------------------------- throughput */

/* Checks a few rows of each strip against the reference, copies nothing. */
typedef struct spot {
    const ts_csr *m;
    size_t next_row;
    double worst;
} spot;

static ts_status spot_check(void *user, const ts_tile *t)
{
    spot *s = user;
    assert_int_equal(t->row0, s->next_row);
    s->next_row += t->nrows;
    for (size_t r = 0; r < t->nrows; r += 997)
        for (size_t c = 0; c < t->ncols; c++) {
            double err = fabs(t->scores[r * t->ld + c] -
                              ref_dot(s->m, (uint32_t)(t->row0 + r), s->m, (uint32_t)c));
            assert_true(err <= 1e-6);
            if (err > s->worst)
                s->worst = err;
        }
    return TS_OK;
}

/* Pairs per second on a realistic shape (best of TS_BENCH_REPS runs, 3 by
 * default): TS_BENCH=1 to run; TS_BENCH_DEFINES sets kernel defines,
 * TS_BENCH_ROWS the number of rows. */
static void test_throughput(void **state)
{
    const backend_case *bc = *state;
    if (!getenv("TS_BENCH")) {
        print_message("throughput: set TS_BENCH=1 to measure\n");
        return;
    }
    const char *defines = getenv("TS_BENCH_DEFINES");
    gen_spec g = {8000, 15000, 20, 20, 0, NO_LONG, 0, 1.0, 0, 81};
    if (getenv("TS_BENCH_ROWS"))
        g.rows = (uint32_t)atoi(getenv("TS_BENCH_ROWS"));
    if (getenv("TS_BENCH_NNZ")) /* e.g. 400 for char n-grams */
        g.nnz_min = g.nnz_max = (uint32_t)atoi(getenv("TS_BENCH_NNZ"));
    if (getenv("TS_BENCH_CLUSTER")) /* rows perturb one base row: most pairs similar */
        g.cluster_nnz = g.nnz_max;
    int reps = getenv("TS_BENCH_REPS") ? atoi(getenv("TS_BENCH_REPS")) : 3;
    ts_csr m;
    make_csr(&m, &g);
    ts_engine *e = engine_or_skip(bc, 0, 0, defines);
    double best = 1e300, best_cpu = 1e300, worst = 0;
    for (int rep = 0; rep < reps; rep++) {
        spot sp = {&m, 0, 0};
        struct timespec t0, t1, c0, c1;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ts_diag d;
        assert_int_equal(ts_engine_similarity_csr(e, &m, spot_check, &sp, &d), TS_OK);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        assert_int_equal(sp.next_row, m.rows);
        double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
        double cpu = (double)(c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;
        if (s < best)
            best = s;
        if (cpu < best_cpu)
            best_cpu = cpu;
        if (sp.worst > worst)
            worst = sp.worst;
    }
    double pairs = (double)m.rows * m.rows;
    print_message("throughput %s [%s] %s: %u rows x %u nnz%s, vocab 15000 zipf: best of %d "
                  "%.3f s, %.3g pairs/s (%.3f s of CPU time in all threads; max |err| on "
                  "spot rows %.3g)\n",
                  bc->name, ts_engine_device_name(e), defines ? defines : "", m.rows, g.nnz_max,
                  g.cluster_nnz ? " clustered" : "", reps, best, pairs / best, best_cpu, worst);
    ts_engine_free(e);
    csr_free(&m);
}

/* The suite over every backend configuration. */
#define ALL_BACKENDS(f)                                                          \
    {"cpu/" #f, f, NULL, NULL, &cpu_case},                               \
        {"opencl/" #f, f, NULL, NULL, &opencl_case},                     \
    {                                                                    \
        "opencl-float/" #f, f, NULL, NULL, &opencl_float_case            \
    }

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--no-platform-child") == 0)
        return no_platform_child();
    const struct CMUnitTest tests[] = {
        ALL_BACKENDS(test_shapes),
        ALL_BACKENDS(test_zero_rows),
        ALL_BACKENDS(test_reuse),
        ALL_BACKENDS(test_cancel),
        ALL_BACKENDS(test_custom_plan),
        ALL_BACKENDS(test_bad_matrix),
        ALL_BACKENDS(test_halving),
        ALL_BACKENDS(test_halving_columns),
        ALL_BACKENDS(test_halving_gives_up),
        cmocka_unit_test(test_opencl_vs_cpu),
        cmocka_unit_test(test_opencl_kernel_variants),
        cmocka_unit_test(test_front_pick),
        cmocka_unit_test(test_opencl_dense_front),
        {"opencl-tiled/test_shapes", test_shapes, NULL, NULL, &opencl_tiled_case},
        {"opencl-tiled/test_custom_plan", test_custom_plan, NULL, NULL, &opencl_tiled_case},
        {"opencl-tiled/test_halving_columns", test_halving_columns, NULL, NULL,
         &opencl_tiled_case},
        cmocka_unit_test(test_opencl_build_error),
        cmocka_unit_test(test_opencl_build_log),
        cmocka_unit_test(test_opencl_bad_device),
        cmocka_unit_test(test_opencl_auto),
        cmocka_unit_test(test_opencl_memory_limit),
        cmocka_unit_test(test_auto_fallback),
        ALL_BACKENDS(test_throughput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
