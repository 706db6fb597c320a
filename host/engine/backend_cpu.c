/*
 * backend_cpu.c - the reference similarity backend on BLIS.
 *
 * For a block of rows x cols only the terms present on both sides
 * contribute, so compute() collects those terms, gathers the two dense
 * sub-matrices (rows x terms and cols x terms) in double precision and
 * multiplies them with BLIS's dgemm; the result is rounded to float once.
 * A block is cut into sub-blocks of at most TS_CPU_SUB_ROWS x
 * TS_CPU_SUB_COLS (fewer when a dense operand would exceed DENSE_LIMIT
 * doubles): the fewer rows and columns, the fewer terms they have in common
 * and the less of the dense product is zeros; measured best on Zipf-like
 * term distributions at 32 x 128.  Terms are numbered in order of first appearance, so results do
 * not depend on hashing or addresses.  BLIS is called through the expert
 * interface with a local rntm_t initialised from BLIS's global defaults
 * (BLIS_NUM_THREADS / OMP_NUM_THREADS, else one thread); no global BLIS
 * state is changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <blis.h>

#include "backend.h"
#include "base/diag.h"

/* Most doubles in one dense operand (32 MiB); only rows with very many
 * terms make a sub-block reach it. */
#define DENSE_LIMIT ((size_t)4 << 20)
/* Sub-block shape: small enough that few terms are common to a sub-block
 * (the dense product's k grows with it), big enough for dgemm to be
 * efficient.  Measured on 8000 x 15000 Zipf rows; see the report. */
#ifndef TS_CPU_SUB_ROWS
#define TS_CPU_SUB_ROWS 32
#endif
#ifndef TS_CPU_SUB_COLS
#define TS_CPU_SUB_COLS 128
#endif

typedef struct cpu_backend {
    ts_backend base; /* first: the engine sees a ts_backend */
    const ts_csr *rows, *cols;
    uint32_t vocab;
    uint32_t *stamp; /* per term: == gen when a row of the current sub-block has it */
    uint32_t gen;
    uint32_t *slot;  /* per term: 1 + its dense column in the current sub-block, or 0 */
    uint32_t *terms; /* the terms that have a slot, in slot order */
    double *a, *b, *c; /* dense operands and result, grown on demand */
    size_t a_cap, b_cap, c_cap;
} cpu_backend;

static void cpu_unbind(cpu_backend *p)
{
    free(p->stamp);
    free(p->slot);
    free(p->terms);
    free(p->a);
    free(p->b);
    free(p->c);
    p->stamp = p->slot = p->terms = NULL;
    p->a = p->b = p->c = NULL;
    p->a_cap = p->b_cap = p->c_cap = 0;
    p->rows = p->cols = NULL;
    p->vocab = 0;
    p->gen = 0;
}

static ts_status cpu_bind(ts_backend *b, const ts_csr *rows, const ts_csr *cols,
                         const ts_csr *cols_t, ts_diag *diag)
{
    (void)cols_t; /* the products gather rows: no posting lists */
    cpu_backend *p = (cpu_backend *)b;
    cpu_unbind(p);
    if (rows->cols != cols->cols)
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "similarity of matrices with %u and %u columns: they must share one "
                       "vocabulary",
                       rows->cols, cols->cols);
    size_t v = (size_t)rows->cols + 1;
    p->stamp = calloc(v, sizeof *p->stamp);
    p->slot = calloc(v, sizeof *p->slot);
    p->terms = malloc(v * sizeof *p->terms);
    if (!p->stamp || !p->slot || !p->terms) {
        cpu_unbind(p);
        return TS_FAIL(diag, TS_ERR_NOMEM,
                       "out of memory preparing the cpu backend for %u terms", rows->cols);
    }
    for (size_t i = 0; i < ts_csr_nnz(rows); i++)
        if (rows->idx[i] >= rows->cols)
            goto bad_index;
    for (size_t i = 0; i < ts_csr_nnz(cols); i++)
        if (cols->idx[i] >= cols->cols)
            goto bad_index;
    p->rows = rows;
    p->cols = cols;
    p->vocab = rows->cols;
    return TS_OK;
bad_index:
    cpu_unbind(p);
    return TS_FAIL(diag, TS_ERR_INTERNAL, "a CSR matrix has a column index out of range");
}

static size_t cpu_max_block_cells(const ts_backend *b)
{
    (void)b;
    /* compute() works in sub-blocks of its own, so this only bounds the
     * engine's float block buffer (256 MiB) */
    return (size_t)64 << 20;
}

/* Terms of row r not yet stamped with gen. */
static size_t new_row_terms(const cpu_backend *p, uint32_t r)
{
    size_t n = 0;
    for (uint32_t q = p->rows->ptr[r]; q < p->rows->ptr[r + 1]; q++)
        n += p->stamp[p->rows->idx[q]] != p->gen;
    return n;
}

/* Terms of column-side row c that the rows have and that have no slot yet. */
static size_t new_common_terms(const cpu_backend *p, uint32_t c)
{
    size_t n = 0;
    for (uint32_t q = p->cols->ptr[c]; q < p->cols->ptr[c + 1]; q++) {
        uint32_t k = p->cols->idx[q];
        n += p->stamp[k] == p->gen && p->slot[k] == 0;
    }
    return n;
}

/* dense[i * k + slot] = the values of CSR row first + i, for the slotted terms. */
static void gather(const cpu_backend *p, const ts_csr *m, uint32_t first, uint32_t n, size_t k,
                   double *dense)
{
    memset(dense, 0, (size_t)n * k * sizeof *dense);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t q = m->ptr[first + i]; q < m->ptr[first + i + 1]; q++) {
            uint32_t s = p->slot[m->idx[q]];
            if (s)
                dense[(size_t)i * k + s - 1] = m->val[q];
        }
}

/* Exact-enough fallback for a pair whose common terms alone overflow the
 * dense buffers: a merge of the two sorted rows in double. */
static double sparse_dot(const ts_csr *x, uint32_t r, const ts_csr *y, uint32_t c)
{
    uint32_t i = x->ptr[r], ie = x->ptr[r + 1], j = y->ptr[c], je = y->ptr[c + 1];
    double s = 0.0;
    while (i < ie && j < je) {
        if (x->idx[i] == y->idx[j])
            s += (double)x->val[i++] * y->val[j++];
        else if (x->idx[i] < y->idx[j])
            i++;
        else
            j++;
    }
    return s;
}

static int reserve(double **buf, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 1;
    double *p = realloc(*buf, n * sizeof *p);
    if (!p)
        return 0;
    *buf = p;
    *cap = n;
    return 1;
}

/* Rows [r0, r1) x columns [c0, c1) with the k slotted terms; out points at
 * (r0, c0) of the block, whose leading dimension is ld. */
static ts_status sub_block(cpu_backend *p, uint32_t r0, uint32_t r1, uint32_t c0, uint32_t c1,
                           size_t k, float *out, size_t ld, ts_diag *diag)
{
    size_t m = r1 - r0, n = c1 - c0;
    if (k == 0) {
        for (size_t i = 0; i < m; i++)
            memset(out + i * ld, 0, n * sizeof *out);
        return TS_OK;
    }
    if (m * k > DENSE_LIMIT || n * k > DENSE_LIMIT) { /* one huge row: see sparse_dot */
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++)
                out[i * ld + j] =
                    (float)sparse_dot(p->rows, r0 + (uint32_t)i, p->cols, c0 + (uint32_t)j);
        return TS_OK;
    }
    if (!reserve(&p->a, &p->a_cap, m * k) || !reserve(&p->b, &p->b_cap, n * k) ||
        !reserve(&p->c, &p->c_cap, m * n))
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for a %zu x %zu x %zu product", m,
                       n, k);
    gather(p, p->rows, r0, (uint32_t)m, k, p->a);
    gather(p, p->cols, c0, (uint32_t)n, k, p->b);
    double one = 1.0, zero = 0.0;
    rntm_t rntm = BLIS_RNTM_INITIALIZER;
    bli_rntm_init_from_global(&rntm);
    /* C (m x n, row-major) = A (m x k, row-major) * B^T, B being n x k row-major. */
    bli_dgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, (dim_t)m, (dim_t)n, (dim_t)k, &one, p->a,
                 (inc_t)k, 1, p->b, 1, (inc_t)k, &zero, p->c, (inc_t)n, 1, NULL, &rntm);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            out[i * ld + j] = (float)p->c[i * n + j];
    return TS_OK;
}

/* Extend [r0, ...) by rows while rows x (their distinct terms) fits in
 * DENSE_LIMIT (at least one row); stamps their terms with a new generation. */
static uint32_t grow_rows(cpu_backend *p, uint32_t r0, uint32_t row_end)
{
    if (++p->gen == 0) { /* wrapped: restart the stamps */
        memset(p->stamp, 0, ((size_t)p->vocab + 1) * sizeof *p->stamp);
        p->gen = 1;
    }
    uint32_t r1 = r0;
    size_t kr = 0;
    while (r1 < row_end) {
        size_t m = (size_t)(r1 - r0) + 1, add = new_row_terms(p, r1);
        if (r1 > r0 && (m > TS_CPU_SUB_ROWS || m * (kr + add) > DENSE_LIMIT))
            break;
        for (uint32_t q = p->rows->ptr[r1]; q < p->rows->ptr[r1 + 1]; q++)
            p->stamp[p->rows->idx[q]] = p->gen;
        kr += add;
        r1++;
    }
    return r1;
}

/* Extend [c0, ...) by columns while the dense operands and the m x n result
 * fit in DENSE_LIMIT (at least one column); gives the common terms slots. */
static uint32_t grow_cols(cpu_backend *p, uint32_t c0, uint32_t col_end, size_t m, size_t *k)
{
    uint32_t c1 = c0;
    *k = 0;
    while (c1 < col_end) {
        size_t n = (size_t)(c1 - c0) + 1, add = new_common_terms(p, c1);
        size_t wide = n > m ? n : m;
        if (c1 > c0 &&
            (n > TS_CPU_SUB_COLS || wide * (*k + add) > DENSE_LIMIT || m * n > DENSE_LIMIT))
            break;
        for (uint32_t q = p->cols->ptr[c1]; q < p->cols->ptr[c1 + 1]; q++) {
            uint32_t t = p->cols->idx[q];
            if (p->stamp[t] == p->gen && p->slot[t] == 0) {
                p->terms[*k] = t;
                p->slot[t] = (uint32_t)++*k;
            }
        }
        c1++;
    }
    return c1;
}

static ts_status cpu_compute(ts_backend *b, const ts_block *blk, float *out, ts_diag *diag)
{
    cpu_backend *p = (cpu_backend *)b;
    if (!p->rows)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "cpu backend: compute before bind");
    if (blk->row0 + blk->nrows > p->rows->rows || blk->col0 + blk->ncols > p->cols->rows ||
        blk->row0 + blk->nrows < blk->row0 || blk->col0 + blk->ncols < blk->col0)
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "block rows %zu+%zu, columns %zu+%zu outside the bound %u x %u matrix",
                       blk->row0, blk->nrows, blk->col0, blk->ncols, p->rows->rows,
                       p->cols->rows);
    const uint32_t row_end = (uint32_t)(blk->row0 + blk->nrows);
    const uint32_t col_end = (uint32_t)(blk->col0 + blk->ncols);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint32_t r0 = (uint32_t)blk->row0; r0 < row_end;) {
        uint32_t r1 = grow_rows(p, r0, row_end);
        for (uint32_t c0 = (uint32_t)blk->col0; c0 < col_end;) {
            size_t k;
            uint32_t c1 = grow_cols(p, c0, col_end, r1 - r0, &k);
            ts_status st =
                sub_block(p, r0, r1, c0, c1, k,
                          out + (size_t)(r0 - blk->row0) * blk->ncols + (c0 - blk->col0),
                          blk->ncols, diag);
            for (size_t i = 0; i < k; i++)
                p->slot[p->terms[i]] = 0;
            if (st != TS_OK)
                return st;
            c0 = c1;
        }
        r0 = r1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    b->stats.kernel_s += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    b->stats.blocks++;
    b->stats.pairs += (uint64_t)blk->nrows * blk->ncols;
    return TS_OK;
}

static void cpu_free(ts_backend *b)
{
    cpu_backend *p = (cpu_backend *)b;
    if (!p)
        return;
    cpu_unbind(p);
    free(p);
}

static const ts_backend_ops cpu_ops = {
    .name = "cpu",
    .bind = cpu_bind,
    .compute = cpu_compute,
    .max_block_cells = cpu_max_block_cells,
    .free = cpu_free,
};

ts_status ts_backend_cpu_create(ts_backend **out, const ts_engine_options *options,
                                ts_diag *diag)
{
    (void)options;
    if (!out)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_backend_cpu_create: out must not be NULL");
    cpu_backend *p = calloc(1, sizeof *p);
    if (!p) {
        *out = NULL;
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory creating the cpu backend");
    }
    p->base.ops = &cpu_ops;
    snprintf(p->base.device_name, sizeof p->base.device_name, "BLIS %s",
             bli_info_get_version_str());
    *out = &p->base;
    return TS_OK;
}
