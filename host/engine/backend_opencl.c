/*
 * backend_opencl.c - the OpenCL similarity backend.
 *
 * create() selects the device (devices.c), makes a context and an in-order
 * queue and builds kernels/cosine.cl (embedded at build time) once, with
 * "-cl-std=CL1.2" and the caller's kernel_defines: the program lives as long
 * as the backend, which is the per-device, per-process program cache since an
 * engine is created once and reused.  Defaults that depend on the device:
 * on CPU devices with fp64 the kernel accumulates in double
 * (-DTS_ACCUM_DOUBLE=1) instead of compensated float, which is as precise
 * and faster there; the scatter kernel's column chunk (-DTS_CHUNK) is
 * sized from the local memory; the dense front is computed row by row on
 * CPU devices and register-tiled on GPUs, from a lower df on GPUs.  bind() uploads the CSR matrices (once
 * when rows and cols are the same matrix) and, for the scatter kernel, the
 * transpose of cols and the dense front (the most frequent terms' weights,
 * term-major; see choose_front).  compute() launches the kernel over one
 * block (after ts_cosine_dense, when the front is tiled) and reads the
 * scores back.  select() runs the same kernel into device memory and
 * then kernels/select.cl over the block's rows (and columns), and reads back
 * only the selected cells: each line's k best for k <= TS_SELECT_MAX_K, or
 * every qualifying cell, growing the candidate buffers and running the
 * selection again when they overflow.  The kernel's work-group shape comes
 * from its reqd_work_group_size attribute and its algorithm from its name,
 * so tuning needs only -D options.  The queue profiles every command, and
 * the transfer and kernel times add up in the backend's stats.  Allocation
 * and resource failures come back as TS_ERR_DEVICE_MEMORY so that the
 * engine can retry with smaller blocks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "base/diag.h"
#include "base/resource.h"
#include "base/sort.h"
#include "devices.h"
#include "front.h"
#include "opencl_util.h"

#define KERNEL_SOURCE "kernels/cosine.cl"
#define SELECT_SOURCE "kernels/select.cl"
/* select.cl's default TS_SELECT_MAX_K */
#define SELECT_MAX_K 32u
/* cosine.cl's defaults TS_DENSE_MICRO and TS_DENSE_TERMS */
#define DENSE_MICRO 4u
#define DENSE_TERMS 32u
/* The dense front takes the terms in at least 1 statement in DENSE_DF_*
 * (see choose_front; measured on pocl, bench/RESULTS.md). */
#define DENSE_DF_CPU 8u
#define DENSE_DF_GPU 16u
/* cosine.cl's TS_DENSE_ROWS and TS_DENSE_TILED: the front's share computed
 * by the scatter kernel, row by row (CPU devices), or by the register-tiled
 * ts_cosine_dense before it (GPUs) */
#define DENSE_ROWS 1u
#define DENSE_TILED 2u

/* The tuning parameters the caller's kernel defines (--kernel-defines) set,
 * read once from that string: a value the caller gives wins over the
 * device-dependent default the backend would pass.  TS_DENSE_DF,
 * TS_DENSE_MODE (see choose_front) and TS_SEARCH_SELECT (ts_backend's
 * select_search) are the host's alone. */
typedef enum tuning_name {
    TUNE_ACCUM_DOUBLE, /* -DTS_ACCUM_DOUBLE[=...] */
    TUNE_CHUNK,        /* -DTS_CHUNK[=N] (1 for -DTS_CHUNK, as the compiler reads it) */
    TUNE_PAIRS_CHUNK,  /* -DTS_PAIRS_CHUNK=N */
    TUNE_SELECT_MAX_K, /* -DTS_SELECT_MAX_K=N */
    TUNE_DENSE_DF,     /* -DTS_DENSE_DF=N */
    TUNE_DENSE_MODE,   /* -DTS_DENSE_MODE=1|2 */
    TUNE_DENSE_MICRO,  /* -DTS_DENSE_MICRO=N */
    TUNE_DENSE_TERMS,  /* -DTS_DENSE_TERMS=N */
    TUNE_SEARCH_SELECT, /* -DTS_SEARCH_SELECT=0|1 */
    TUNE_COUNT
} tuning_name;

static const char *const TUNING_NAMES[TUNE_COUNT] = {
    "TS_ACCUM_DOUBLE", "TS_CHUNK",     "TS_PAIRS_CHUNK",   "TS_SELECT_MAX_K",
    "TS_DENSE_DF",     "TS_DENSE_MODE", "TS_DENSE_MICRO", "TS_DENSE_TERMS",
    "TS_SEARCH_SELECT",
};

typedef struct kernel_tuning {
    int given[TUNE_COUNT];
    unsigned value[TUNE_COUNT];
} kernel_tuning;

/* The caller's value of parameter n, or fallback when not given. */
static unsigned tuning_of(const kernel_tuning *t, tuning_name n, unsigned fallback)
{
    return t->given[n] ? t->value[n] : fallback;
}

typedef struct csr_buffers {
    cl_mem ptr, idx, val;
} csr_buffers;

typedef struct ocl_backend {
    ts_backend base; /* first: the engine sees a ts_backend */
    ts_device_info info;
    cl_context context;
    cl_command_queue queue;
    cl_program program;
    cl_kernel kernel;
    int scatter;    /* ts_cosine_scatter (1) or ts_cosine_merge (0) */
    unsigned chunk; /* the scatter kernel's TS_CHUNK (its loop copes with a wrong value) */
    size_t wg[2];   /* the kernel's reqd_work_group_size */
    uint64_t budget; /* bytes of device memory the backend may use */
    /* bound matrices */
    csr_buffers a, b, bt;
    int shared;      /* b is a (self-similarity): released once */
    uint64_t bound_bytes;
    uint32_t a_rows, b_rows;
    /* output of the last compute, reused while big enough */
    cl_mem out;
    size_t out_cells;
    /* selection (kernels/select.cl) */
    cl_program select_program;
    cl_kernel select_topk, select_all;
    size_t select_wg;
    uint32_t select_max_k;
    cl_mem floors, groups, count;
    size_t floors_cap;
    int groups_bound;
    cl_mem cand_line, cand_other, cand_score;
    size_t cand_cap;
    /* threshold pairs of whole rows (ts_pairs_pruned in cosine.cl) */
    cl_kernel pairs;
    size_t pairs_wg;
    unsigned pairs_chunk;    /* its TS_PAIRS_CHUNK */
    const ts_csr *rows_host, *cols_host; /* the bound matrices, for its inputs */
    const ts_csr *cols_t_host; /* the columns' transpose when the caller has it, or NULL */
    int pairs_ready;         /* ord_pos, ord_bound (and bt) uploaded for this bind */
    cl_mem ord_pos, ord_bound, front_len, front_norm, chunk_group, work;
    cl_mem col_front_norm;   /* the columns' front norms: front_norm when shared */
    size_t work_cap;
    cl_mem slot_other, slot_score; /* top-k runs: k per row */
    size_t slot_cap;
    /* the dense front of the similarity kernel (ts_cosine_dense) */
    cl_kernel dense;
    size_t dense_wg;          /* its work-group side, TS_DENSE_WG */
    unsigned dense_tile;      /* TS_DENSE_WG * TS_DENSE_MICRO */
    unsigned dense_max_terms; /* TS_DENSE_TERMS */
    unsigned dense_df;        /* a term joins the front when in 1 statement in dense_df */
    unsigned dense_mode;      /* DENSE_ROWS or DENSE_TILED (cosine.cl's TS_DENSE_*) */
    uint32_t front_terms;     /* of the bound matrices; 0: no front */
    cl_uint front_lda, front_ldb; /* the term-major arrays' row lengths */
    cl_mem front_flag, front_a, front_b;
    unsigned char *front_flag_host; /* per term: 1 + its slot, or 0 */
    uint32_t *front_slot;     /* per term: its slot, until the arrays are uploaded */
    uint32_t front_pending;   /* terms chosen by the bind, not uploaded yet (0: none) */
    uint64_t front_reserved;  /* their bytes, counted in bound_bytes meanwhile */
} ocl_backend;

static void release_mem(cl_mem *m)
{
    if (*m)
        clReleaseMemObject(*m);
    *m = NULL;
}

static void release_csr(csr_buffers *c)
{
    release_mem(&c->ptr);
    release_mem(&c->idx);
    release_mem(&c->val);
}

static void release_candidates(ocl_backend *o)
{
    release_mem(&o->cand_line);
    release_mem(&o->cand_other);
    release_mem(&o->cand_score);
    o->cand_cap = 0;
    release_mem(&o->work);
    o->work_cap = 0;
    release_mem(&o->slot_other);
    release_mem(&o->slot_score);
    o->slot_cap = 0;
}

static void unbind(ocl_backend *o)
{
    release_mem(&o->front_flag);
    free(o->front_flag_host);
    o->front_flag_host = NULL;
    free(o->front_slot);
    o->front_slot = NULL;
    o->front_pending = 0;
    o->front_reserved = 0;
    if (o->front_a != o->front_b)
        release_mem(&o->front_a);
    o->front_a = NULL;
    release_mem(&o->front_b);
    o->front_terms = 0;
    release_mem(&o->groups);
    release_mem(&o->chunk_group);
    o->groups_bound = 0;
    release_mem(&o->ord_pos);
    release_mem(&o->ord_bound);
    release_mem(&o->front_len);
    if (o->col_front_norm != o->front_norm)
        release_mem(&o->col_front_norm);
    o->col_front_norm = NULL;
    release_mem(&o->front_norm);
    o->pairs_ready = 0;
    o->rows_host = o->cols_host = o->cols_t_host = NULL;
    release_csr(&o->a);
    if (o->shared)
        memset(&o->b, 0, sizeof o->b);
    else
        release_csr(&o->b);
    release_csr(&o->bt);
    o->shared = 0;
    o->bound_bytes = 0;
    o->a_rows = o->b_rows = 0;
}

/* A read-only device copy of n bytes at data (n may be 0: buffers of size
 * 0 are invalid, so allocate a word). */
static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Add the device time of a finished command to *slot and release it. */
static void account(cl_event *ev, double *slot)
{
    if (!*ev)
        return;
    cl_ulong start = 0, end = 0;
    if (clGetEventProfilingInfo(*ev, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL) ==
            CL_SUCCESS &&
        clGetEventProfilingInfo(*ev, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL) ==
            CL_SUCCESS &&
        end > start)
        *slot += (double)(end - start) * 1e-9;
    clReleaseEvent(*ev);
    *ev = NULL;
}

/* Run kernel over global (dims 1 or 2) and wait for it; its time goes to
 * *slot, a failure is reported as `what`. */
static ts_status run_kernel(ocl_backend *o, cl_kernel kernel, cl_uint dims, const size_t *global,
                            const size_t *local, double *slot, const char *what, ts_diag *diag)
{
    cl_event ev = NULL;
    cl_int err = clEnqueueNDRangeKernel(o->queue, kernel, dims, NULL, global, local, 0, NULL, &ev);
    if (err == CL_SUCCESS)
        err = clWaitForEvents(1, &ev);
    account(&ev, slot);
    if (err != CL_SUCCESS)
        return ts_opencl_fail(diag, err, what, o->info.name);
    return TS_OK;
}

static ts_status upload(ocl_backend *o, const void *data, size_t n, cl_mem *out, ts_diag *diag)
{
    static const uint32_t zero = 0;
    cl_int err;
    double t0 = wall_now();
    if (n == 0) {
        data = &zero;
        n = sizeof zero;
    }
    *out = clCreateBuffer(o->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n, (void *)data,
                          &err);
    if (!*out)
        return ts_opencl_fail(diag, err, "clCreateBuffer", o->info.name);
    o->bound_bytes += n;
    o->base.stats.upload_s += wall_now() - t0;
    o->base.stats.upload_bytes += n;
    return TS_OK;
}

/* A read-only device buffer over n bytes at data that stay alive and
 * unchanged while it does (the bound matrices, until the next bind): on a
 * CPU device the host's memory is the device's, and the buffer uses it in
 * place (CL_MEM_USE_HOST_PTR; pocl reads the caller's array, or an index
 * file's mapped pages, instead of a copy: 280 MB less to copy for a search
 * of a 1,000,000-statement index); elsewhere a copy on the device. */
static ts_status upload_kept(ocl_backend *o, const void *data, size_t n, cl_mem *out,
                             ts_diag *diag)
{
    if (!o->info.is_cpu || n == 0)
        return upload(o, data, n, out, diag);
    cl_int err;
    *out = clCreateBuffer(o->context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, n, (void *)data,
                          &err);
    if (!*out)
        return ts_opencl_fail(diag, err, "clCreateBuffer", o->info.name);
    o->bound_bytes += n;
    return TS_OK;
}

/* The CSR arrays of a matrix that stays alive while they are bound (kept:
 * see upload_kept), or of a temporary one (copied). */
static ts_status upload_csr(ocl_backend *o, const uint32_t *ptr, const uint32_t *idx,
                            const float *val, uint32_t rows, int kept, csr_buffers *c,
                            ts_diag *diag)
{
    size_t nnz = ptr[rows];
    ts_status (*put)(ocl_backend *, const void *, size_t, cl_mem *, ts_diag *) =
        kept ? upload_kept : upload;
    ts_status st = put(o, ptr, ((size_t)rows + 1) * sizeof *ptr, &c->ptr, diag);
    if (st == TS_OK)
        st = put(o, idx, nnz * sizeof *idx, &c->idx, diag);
    if (st == TS_OK)
        st = put(o, val, nnz * sizeof *val, &c->val, diag);
    return st;
}

/* Upload the posting lists of the columns (bt): the caller's (an index
 * file keeps them), or m's transpose built here. */
static ts_status upload_transpose(ocl_backend *o, const ts_csr *m, ts_diag *diag)
{
    if (o->cols_t_host)
        return upload_csr(o, o->cols_t_host->ptr, o->cols_t_host->idx, o->cols_t_host->val,
                          o->cols_t_host->rows, 1, &o->bt, diag);
    ts_csr t;
    ts_status st = ts_csr_transpose(m, &t, diag);
    if (st == TS_OK)
        st = upload_csr(o, t.ptr, t.idx, t.val, t.rows, 0, &o->bt, diag);
    ts_csr_release(&t);
    return st;
}

/* The front's weights of m, term-major with rows of *ld floats (m's
 * statements and 8 zeros past them: the scatter kernel reads 8 at a time),
 * uploaded into *out. */
static ts_status upload_front(ocl_backend *o, const ts_csr *m, const uint32_t *slot, uint32_t n,
                              cl_uint *ld, cl_mem *out, ts_diag *diag)
{
    *ld = (m->rows + 15) / 8 * 8;
    float *dense = malloc((size_t)*ld * n * sizeof *dense);
    if (!dense)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory laying out the dense front (%u x %u)",
                       m->rows, n);
    ts_front_term_major(m, slot, n, *ld, dense);
    ts_status st = upload(o, dense, (size_t)*ld * n * sizeof *dense, out, diag);
    free(dense);
    return st;
}

/* The dense front (kernels/cosine.cl): the terms of cols in at least one
 * statement in o->dense_df, at most o->dense_max_terms of them (the most
 * frequent), in slots numbered in ascending term order; a flag per term
 * (1 + its slot) for the scatter kernel to pass them by, and the weights
 * of cols (and, tiled, of rows) term-major.  A term pays its way dense
 * when its density p is high enough: row by row, a row holding it makes p
 * * N scattered products or N dense multiply-adds (8 a vector), so p above
 * about 1/8 on pocl; tiled, N^2 multiply-adds against p^2 * N^2 scattered
 * products (the sweep is in bench/RESULTS.md).  dense_df 0: no front.
 *
 * The bind chooses the terms and reserves the front's device memory (so
 * that the blocks planned after it leave room for it); the arrays are laid
 * out and uploaded by the first similarity block (upload_front_arrays):
 * a run of the pruned kernel alone (pairs' strips, a pruned search) never
 * needs them, and laying out 1,000,000 statements' front costs more than
 * its search's scores. */
static ts_status choose_front(ocl_backend *o, const ts_csr *rows, const ts_csr *cols,
                              ts_diag *diag)
{
    if (o->dense_df == 0 || !o->scatter || cols->rows == 0 || rows->rows == 0)
        return TS_OK;
    uint32_t *df = malloc(((size_t)cols->cols + 1) * sizeof *df);
    uint32_t *slot = calloc((size_t)cols->cols + 1, sizeof *slot);
    uint32_t *terms = malloc(((size_t)o->dense_max_terms + 1) * sizeof *terms);
    unsigned char *flag = calloc((size_t)cols->cols + 1, 1);
    ts_status st = TS_OK;
    if (!df || !slot || !terms || !flag) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory choosing the dense front of %u terms",
                     cols->cols);
        goto done;
    }
    ts_front_df_lists(o->cols_host, o->cols_t_host, df);
    uint32_t min_df = (uint32_t)(((uint64_t)cols->rows + o->dense_df - 1) / o->dense_df);
    uint32_t n = (uint32_t)ts_front_pick(df, cols->cols, min_df, o->dense_max_terms, terms);
    if (n == 0)
        goto done;
    /* at most a quarter of the device memory the matrices leave, the rest
     * for the blocks; otherwise no front (the scatter alone is as exact) */
    uint64_t need = cols->cols + (uint64_t)n * (cols->rows + 16) * sizeof(float);
    if (o->dense_mode == DENSE_TILED && rows != cols)
        need += (uint64_t)n * (rows->rows + 16) * sizeof(float);
    if (o->bound_bytes >= o->budget || need > (o->budget - o->bound_bytes) / 4)
        goto done;
    for (uint32_t i = 0; i < n; i++)
        flag[terms[i]] = 1;
    for (uint32_t t = 0, i = 0; t < cols->cols; t++) /* ascending term order */
        if (flag[t])
            flag[t] = (unsigned char)(slot[t] = ++i);
    o->front_pending = n;
    o->front_reserved = need;
    o->bound_bytes += need;
    o->front_flag_host = flag;
    o->front_slot = slot;
    flag = NULL;
    slot = NULL;
done:
    free(df);
    free(slot);
    free(terms);
    free(flag);
    return st;
}

/* The chosen front's flags and term-major weights onto the device, in the
 * memory choose_front reserved. */
static ts_status upload_front_arrays(ocl_backend *o, ts_diag *diag)
{
    const ts_csr *rows = o->rows_host, *cols = o->cols_host;
    uint32_t n = o->front_pending;
    o->bound_bytes -= o->front_reserved;
    o->front_pending = 0;
    o->front_reserved = 0;
    ts_status st = upload(o, o->front_flag_host, cols->cols, &o->front_flag, diag);
    if (st == TS_OK)
        st = upload_front(o, cols, o->front_slot, n, &o->front_ldb, &o->front_b, diag);
    if (st == TS_OK && o->dense_mode == DENSE_TILED && rows == cols) {
        o->front_a = o->front_b;
        o->front_lda = o->front_ldb;
    } else if (st == TS_OK && o->dense_mode == DENSE_TILED) {
        st = upload_front(o, rows, o->front_slot, n, &o->front_lda, &o->front_a, diag);
    }
    free(o->front_slot);
    o->front_slot = NULL;
    if (st == TS_OK)
        o->front_terms = n;
    return st;
}

static ts_status ocl_bind(ts_backend *b, const ts_csr *rows, const ts_csr *cols,
                          const ts_csr *cols_t, ts_diag *diag)
{
    ocl_backend *o = (ocl_backend *)b;
    unbind(o);
    release_mem(&o->out);
    o->out_cells = 0;
    if (rows->cols != cols->cols)
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "similarity of matrices with %u and %u columns: they must share one "
                       "vocabulary",
                       rows->cols, cols->cols);
    o->rows_host = rows;
    o->cols_host = cols;
    o->cols_t_host = cols_t;
    ts_status st = upload_csr(o, rows->ptr, rows->idx, rows->val, rows->rows, 1, &o->a, diag);
    if (st == TS_OK) {
        if (rows == cols) {
            o->b = o->a;
            o->shared = 1;
        } else {
            st = upload_csr(o, cols->ptr, cols->idx, cols->val, cols->rows, 1, &o->b, diag);
        }
    }
    if (st == TS_OK && o->scatter)
        st = upload_transpose(o, cols, diag);
    if (st == TS_OK && o->scatter)
        st = choose_front(o, rows, cols, diag);
    if (st == TS_OK && o->bound_bytes > o->budget)
        st = TS_FAIL(diag, TS_ERR_DEVICE_MEMORY,
                     "the TF-IDF matrices need %llu bytes on OpenCL device \"%s\" but only %llu "
                     "are allowed: raise the device memory limit (--max-device-memory) or use "
                     "--backend=cpu",
                     (unsigned long long)o->bound_bytes, o->info.name,
                     (unsigned long long)o->budget);
    if (st != TS_OK) {
        unbind(o);
        return st;
    }
    o->a_rows = rows->rows;
    o->b_rows = cols->rows;
    return TS_OK;
}

static size_t ocl_max_block_cells(const ts_backend *b)
{
    const ocl_backend *o = (const ocl_backend *)b;
    uint64_t bytes = o->info.max_allocation / 4;
    uint64_t left = o->budget > o->bound_bytes ? o->budget - o->bound_bytes : 0;
    if (bytes > left)
        bytes = left;
    uint64_t cells = bytes / sizeof(float);
    if (cells > UINT32_MAX) /* the kernel indexes the block with uint */
        cells = UINT32_MAX;
    if (cells > SIZE_MAX)
        cells = SIZE_MAX;
    return cells ? (size_t)cells : 1;
}

/* The buffer *m of at least n bytes (grown, its contents dropped). */
static ts_status ensure(ocl_backend *o, cl_mem *m, size_t *cap, size_t n, size_t unit,
                        cl_mem_flags flags, ts_diag *diag)
{
    if (*m && n <= *cap)
        return TS_OK;
    release_mem(m);
    *cap = 0;
    cl_int err;
    *m = clCreateBuffer(o->context, flags, (n ? n : 1) * unit, NULL, &err);
    if (!*m)
        return ts_opencl_fail(diag, err, "clCreateBuffer", o->info.name);
    *cap = n;
    return TS_OK;
}

static ts_status set_args(ocl_backend *o, cl_kernel k, const size_t *sizes,
                          const void *const *values, cl_uint n, ts_diag *diag)
{
    for (cl_uint i = 0; i < n; i++) {
        cl_int err = clSetKernelArg(k, i, sizes[i], values[i]);
        if (err != CL_SUCCESS)
            return ts_opencl_fail(diag, err, "clSetKernelArg", o->info.name);
    }
    return TS_OK;
}

static ts_status check_block(const ocl_backend *o, const ts_block *blk, ts_diag *diag)
{
    if (blk->row0 + blk->nrows > o->a_rows || blk->col0 + blk->ncols > o->b_rows ||
        blk->row0 + blk->nrows < blk->row0 || blk->col0 + blk->ncols < blk->col0)
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "block rows %zu+%zu, columns %zu+%zu outside the bound %u x %u matrix",
                       blk->row0, blk->nrows, blk->col0, blk->ncols, o->a_rows, o->b_rows);
    if (blk->nrows && blk->ncols > UINT32_MAX / blk->nrows)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "block of %zu x %zu cells exceeds 2^32",
                       blk->nrows, blk->ncols);
    return TS_OK;
}

/* The dense front's share of the block into o->out (ts_cosine_dense). */
static ts_status launch_dense(ocl_backend *o, const ts_block *blk, ts_diag *diag)
{
    cl_uint terms = o->front_terms, row0 = (cl_uint)blk->row0, nrows = (cl_uint)blk->nrows;
    cl_uint col0 = (cl_uint)blk->col0, ncols = (cl_uint)blk->ncols;
    const size_t m = sizeof(cl_mem), u = sizeof(cl_uint);
    const size_t sizes[] = {m, u, m, u, u, u, u, u, u, m};
    const void *values[] = {&o->front_a, &o->front_lda, &o->front_b, &o->front_ldb, &terms,
                            &row0,       &nrows,        &col0,       &ncols,        &o->out};
    ts_status st = set_args(o, o->dense, sizes, values, 10, diag);
    if (st != TS_OK)
        return st;
    size_t local[2] = {o->dense_wg, o->dense_wg};
    size_t global[2] = {o->dense_wg * ((blk->ncols + o->dense_tile - 1) / o->dense_tile),
                        o->dense_wg * ((blk->nrows + o->dense_tile - 1) / o->dense_tile)};
    st = run_kernel(o, o->dense, 2, global, local, &o->base.stats.kernel_s,
                    "running the dense front kernel", diag);
    if (st != TS_OK)
        return st;
    o->base.stats.dense_products += (uint64_t)blk->nrows * blk->ncols * o->front_terms;
    return TS_OK;
}

/* How many entries of the block's rows are front terms (the row-by-row
 * front's multiply-adds are this times the block's columns). */
static uint64_t front_entries(const ocl_backend *o, const ts_block *blk)
{
    const ts_csr *m = o->rows_host;
    uint64_t n = 0;
    for (uint32_t p = m->ptr[blk->row0]; p < m->ptr[blk->row0 + blk->nrows]; p++)
        n += o->front_flag_host[m->idx[p]] != 0;
    return n;
}

/* Run the similarity kernel over a non-empty block into o->out (after the
 * dense front's share, when there is a front). */
static ts_status launch_cosine(ocl_backend *o, const ts_block *blk, ts_diag *diag)
{
    size_t cells = blk->nrows * blk->ncols;
    ts_status st = o->front_pending ? upload_front_arrays(o, diag) : TS_OK;
    if (st == TS_OK)
        st = ensure(o, &o->out, &o->out_cells, cells, sizeof(float), CL_MEM_READ_WRITE, diag);
    if (st != TS_OK)
        return st;
    cl_uint row0 = (cl_uint)blk->row0, nrows = (cl_uint)blk->nrows;
    cl_uint col0 = (cl_uint)blk->col0, ncols = (cl_uint)blk->ncols, b_rows = o->b_rows;
    const csr_buffers *bt_set = o->scatter ? &o->bt : &o->b; /* merge ignores them */
    cl_uint dense = o->front_terms ? o->dense_mode : 0;
    if (dense == DENSE_TILED) {
        st = launch_dense(o, blk, diag);
        if (st != TS_OK)
            return st;
    }
    const size_t m = sizeof(cl_mem), u = sizeof(cl_uint);
    const size_t sizes[] = {m, m, m, m, m, m, m, m, m, u, u, u, u, u, m, m, u, u, m};
    const void *values[] = {&o->a.ptr,      &o->a.idx,    &o->a.val,    &o->b.ptr,
                            &o->b.idx,      &o->b.val,    &bt_set->ptr, &bt_set->idx,
                            &bt_set->val,   &row0,        &nrows,       &col0,
                            &ncols,         &b_rows,      &o->front_flag, &o->front_b,
                            &o->front_ldb,  &dense,       &o->out};
    st = set_args(o, o->kernel, sizes, values, 19, diag);
    if (st != TS_OK)
        return st;
    size_t global[2], local[2] = {o->wg[0], o->wg[1]};
    if (o->scatter) { /* a group per row and chunk of columns */
        global[0] = o->wg[0] * ((blk->ncols + o->chunk - 1) / o->chunk);
        global[1] = blk->nrows;
    } else {
        global[0] = (blk->ncols + o->wg[0] - 1) / o->wg[0] * o->wg[0];
        global[1] = (blk->nrows + o->wg[1] - 1) / o->wg[1] * o->wg[1];
    }
    st = run_kernel(o, o->kernel, 2, global, local, &o->base.stats.kernel_s,
                    "running the similarity kernel", diag);
    if (st != TS_OK)
        return st;
    o->base.stats.blocks++;
    o->base.stats.pairs += cells;
    if (dense == DENSE_ROWS) /* done by the kernel just run */
        o->base.stats.dense_products += (uint64_t)blk->ncols * front_entries(o, blk);
    return TS_OK;
}

/* Read n bytes of m into dst, blocking, and count them. */
static ts_status download(ocl_backend *o, cl_mem m, size_t n, void *dst, ts_diag *diag)
{
    if (n == 0)
        return TS_OK;
    cl_event ev = NULL;
    cl_int err = clEnqueueReadBuffer(o->queue, m, CL_TRUE, 0, n, dst, 0, NULL, &ev);
    account(&ev, &o->base.stats.download_s);
    if (err != CL_SUCCESS)
        return ts_opencl_fail(diag, err, "clEnqueueReadBuffer", o->info.name);
    o->base.stats.download_bytes += n;
    return TS_OK;
}

/* A failed device step: wait for the queue and give the memory back
 * before the engine retries with a smaller block. */
static ts_status device_failed(ocl_backend *o, ts_status st)
{
    clFinish(o->queue);
    release_mem(&o->out);
    o->out_cells = 0;
    release_candidates(o);
    return st;
}

static ts_status ocl_compute(ts_backend *b, const ts_block *blk, float *out, ts_diag *diag)
{
    ocl_backend *o = (ocl_backend *)b;
    ts_status st = check_block(o, blk, diag);
    if (st != TS_OK || blk->nrows == 0 || blk->ncols == 0)
        return st;
    st = launch_cosine(o, blk, diag);
    if (st == TS_OK)
        st = download(o, o->out, blk->nrows * blk->ncols * sizeof(float), out, diag);
    return st == TS_OK ? TS_OK : device_failed(o, st);
}

/* Upload what the selection kernels read besides the scores: the floors
 * of this block's lines and, once per bind, the groups. */
static ts_status upload_select_inputs(ocl_backend *o, const ts_select *sel, size_t nfloors,
                                      ts_diag *diag)
{
    ts_status st = ensure(o, &o->floors, &o->floors_cap, nfloors, sizeof(float),
                          CL_MEM_READ_ONLY, diag);
    if (st != TS_OK)
        return st;
    cl_event ev = NULL;
    cl_int err = clEnqueueWriteBuffer(o->queue, o->floors, CL_TRUE, 0, nfloors * sizeof(float),
                                      sel->floors, 0, NULL, &ev);
    account(&ev, &o->base.stats.upload_s);
    if (err != CL_SUCCESS)
        return ts_opencl_fail(diag, err, "clEnqueueWriteBuffer", o->info.name);
    o->base.stats.upload_bytes += nfloors * sizeof(float);
    if (sel->groups && !o->groups_bound) {
        release_mem(&o->groups);
        st = upload(o, sel->groups, (size_t)o->b_rows * sizeof *sel->groups, &o->groups, diag);
        if (st != TS_OK)
            return st;
        o->groups_bound = 1;
    }
    return TS_OK;
}

/* Launch a selection kernel over the rows (slot0 = 0) or the columns
 * (slot0 = nrows) of the block in o->out. */
static ts_status launch_select(ocl_backend *o, const ts_block *blk, const ts_select *sel,
                               int columns, ts_diag *diag)
{
    cl_uint nlines = (cl_uint)(columns ? blk->ncols : blk->nrows);
    cl_uint ncells = (cl_uint)(columns ? blk->nrows : blk->ncols);
    cl_uint by_column = columns != 0, ld = (cl_uint)blk->ncols;
    cl_uint owner0 = (cl_uint)(columns ? blk->col0 : blk->row0 + sel->owner_shift);
    cl_uint other0 = (cl_uint)(columns ? blk->row0 : blk->col0);
    cl_uint slot0 = columns ? (cl_uint)blk->nrows : 0;
    cl_uint k = sel->k, use_groups = sel->groups != NULL, cap = (cl_uint)o->cand_cap;
    float min_score = sel->min_score;
    cl_mem groups = o->groups ? o->groups : o->floors; /* unread without groups */
    const size_t m = sizeof(cl_mem), u = sizeof(cl_uint), f = sizeof(float);
    int topk = k >= 1 && k <= o->select_max_k;
    cl_kernel kernel = topk ? o->select_topk : o->select_all;
    ts_status st;
    if (topk) {
        const size_t sizes[] = {m, u, u, u, u, u, u, u, u, f, m, m, u, m, m};
        const void *values[] = {&o->out,    &nlines, &ncells, &by_column,     &ld,
                                &slot0,     &owner0, &other0, &k,             &min_score,
                                &o->floors, &groups, &use_groups, &o->cand_other, &o->cand_score};
        st = set_args(o, kernel, sizes, values, 15, diag);
    } else {
        const size_t sizes[] = {m, u, u, u, u, u, u, u, f, m, m, u, m, u, m, m, m};
        const void *values[] = {&o->out,       &nlines,        &ncells,   &by_column,
                                &ld,  &slot0,         &owner0,   &other0,
                                &min_score,    &o->floors,     &groups,   &use_groups,
                                &o->count,     &cap,           &o->cand_line, &o->cand_other,
                                &o->cand_score};
        st = set_args(o, kernel, sizes, values, 17, diag);
    }
    if (st != TS_OK)
        return st;
    size_t local = o->select_wg, global = (nlines + local - 1) / local * local;
    return run_kernel(o, kernel, 1, &global, &local, &o->base.stats.select_kernel_s,
                      "running the selection kernel", diag);
}

/* Run the selection kernel(s) over the block; for ts_select_all, *count
 * receives how many cells qualified (possibly more than the capacity). */
static ts_status run_select(ocl_backend *o, const ts_block *blk, const ts_select *sel,
                            cl_uint *count, ts_diag *diag)
{
    int topk = sel->k >= 1 && sel->k <= o->select_max_k;
    if (!topk) {
        static const cl_uint zero = 0;
        cl_event ev = NULL;
        cl_int err = clEnqueueWriteBuffer(o->queue, o->count, CL_TRUE, 0, sizeof zero, &zero, 0,
                                          NULL, &ev);
        account(&ev, &o->base.stats.upload_s);
        if (err != CL_SUCCESS)
            return ts_opencl_fail(diag, err, "clEnqueueWriteBuffer", o->info.name);
    }
    ts_status st = launch_select(o, blk, sel, 0, diag);
    if (st == TS_OK && sel->columns)
        st = launch_select(o, blk, sel, 1, diag);
    if (st == TS_OK && !topk)
        st = download(o, o->count, sizeof *count, count, diag);
    return st;
}

/* Read the first n selected cells (others, scores and, with lines, their
 * lines) into out's arrays after its n held ones (room reserved). */
static ts_status read_cells(ocl_backend *o, size_t n, int lines, ts_candidates *out,
                            ts_diag *diag)
{
    ts_status st = download(o, o->cand_other, n * sizeof(cl_uint), out->other + out->n, diag);
    if (st == TS_OK)
        st = download(o, o->cand_score, n * sizeof(float), out->score + out->n, diag);
    if (st == TS_OK && lines)
        st = download(o, o->cand_line, n * sizeof(cl_uint), out->owner + out->n, diag);
    return st;
}

/* Grow the candidate buffers to hold `want` cells (contents dropped). */
static ts_status ensure_candidates(ocl_backend *o, size_t want, ts_diag *diag)
{
    if (o->cand_cap >= want)
        return TS_OK;
    release_mem(&o->cand_line);
    release_mem(&o->cand_other);
    release_mem(&o->cand_score);
    o->cand_cap = 0;
    size_t cap = 0;
    ts_status st = ensure(o, &o->cand_other, &cap, want, sizeof(cl_uint), CL_MEM_READ_WRITE, diag);
    if (st == TS_OK)
        st = ensure(o, &o->cand_score, &cap, want, sizeof(float), CL_MEM_READ_WRITE, diag);
    if (st == TS_OK)
        st = ensure(o, &o->cand_line, &cap, want, sizeof(cl_uint), CL_MEM_READ_WRITE, diag);
    if (st == TS_OK)
        o->cand_cap = want;
    return st;
}

static ts_status ocl_select(ts_backend *b, const ts_block *blk, const ts_select *sel,
                            ts_candidates *out, ts_diag *diag)
{
    ocl_backend *o = (ocl_backend *)b;
    ts_status st = check_block(o, blk, diag);
    if (st != TS_OK || blk->nrows == 0 || blk->ncols == 0)
        return st;
    size_t nlines = blk->nrows + (sel->columns ? blk->ncols : 0);
    int topk = sel->k >= 1 && sel->k <= o->select_max_k;
    /* k slots per line, or for all qualifying cells a first guess of 16
     * per line, grown to the count when the kernel finds more */
    size_t want = topk ? nlines * sel->k : (o->cand_cap > nlines * 16 ? o->cand_cap : nlines * 16);
    if (want > UINT32_MAX)
        want = UINT32_MAX;
    cl_uint count = 0;
    st = launch_cosine(o, blk, diag);
    if (st == TS_OK)
        st = upload_select_inputs(o, sel, nlines, diag);
    for (int attempt = 0; st == TS_OK; attempt++) {
        st = ensure_candidates(o, want, diag);
        if (st != TS_OK)
            break;
        st = run_select(o, blk, sel, &count, diag);
        if (st != TS_OK || topk || count <= o->cand_cap)
            break;
        if (attempt > 0 || count > UINT32_MAX / 2)
            st = TS_FAIL(diag, TS_ERR_INTERNAL,
                         "the selection kernel found %u cells, then more on the same block",
                         count);
        want = (size_t)count + count / 8;
    }
    size_t n = topk ? want : count;
    if (st == TS_OK)
        st = ts_candidates_reserve(out, n, diag);
    if (st != TS_OK)
        return st == TS_ERR_DEVICE_MEMORY ? device_failed(o, st) : st;
    /* read the selected cells straight into the candidate arrays, then
     * turn slots / lines into owners */
    size_t at = out->n;
    st = read_cells(o, n, !topk, out, diag);
    if (st != TS_OK)
        return device_failed(o, st);
    size_t kept = at;
    for (size_t i = 0; i < n; i++) {
        size_t line = topk ? i / sel->k : out->owner[at + i];
        if (out->other[at + i] == UINT32_MAX)
            continue; /* an unused slot */
        out->owner[kept] = (uint32_t)(line < blk->nrows ? blk->row0 + line
                                                         : blk->col0 + (line - blk->nrows));
        out->other[kept] = out->other[at + i];
        out->score[kept] = out->score[at + i];
        kept++;
    }
    b->stats.candidates += kept - at;
    out->n = kept;
    return TS_OK;
}

/* The terms of row r of m in the pruned kernel's order: most frequent
 * first (df descending), then by term; keys[] is scratch of the row's
 * length. */
static void order_row(const ts_csr *m, uint32_t r, const uint32_t *df, uint64_t *keys)
{
    uint32_t p0 = m->ptr[r], n = m->ptr[r + 1] - p0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = m->idx[p0 + i];
        keys[i] = (uint64_t)(UINT32_MAX - df[t]) << 32 | t;
    }
    ts_sort_u64(keys, n);
}

/* The front: the terms in at least one statement in PAIRS_FRONT_DF (at
 * most PAIRS_FRONT_MAX of them, the most frequent).  With stop words kept,
 * the 8 most frequent terms make 83-84% of sum df^2 on news-mix, clauses
 * and synthetic text, each in 12-23% of the statements or more; the pruned
 * kernel bounds their part per column instead of scattering it.  Returns
 * the order_row key that ends the front (smaller keys belong to it). */
#define PAIRS_FRONT_DF 8
#define PAIRS_FRONT_MAX 32
static uint64_t front_limit(const uint32_t *df, uint32_t cols, uint32_t rows)
{
    uint32_t terms[PAIRS_FRONT_MAX];
    uint32_t min_df = (uint32_t)(((uint64_t)rows + PAIRS_FRONT_DF - 1) / PAIRS_FRONT_DF);
    size_t n = ts_front_pick(df, cols, min_df, PAIRS_FRONT_MAX, terms);
    /* keys are unique: the last term's key + 1 ends the front */
    return n ? ((uint64_t)(UINT32_MAX - df[terms[n - 1]]) << 32 | terms[n - 1]) + 1 : 0;
}

/* What the bounds need of the columns, in one pass over them after their
 * document frequencies: each term's largest weight (maxw), the largest
 * norm of a statement (returned, rounded up) and, unless norm is NULL,
 * the norm of each statement's front part (the entries whose order_row key
 * is below front_key), rounded up. */
static double column_maxima(const ts_csr *m, const uint32_t *df, uint64_t front_key, float *maxw,
                            float *norm)
{
    double maxnorm = 0;
    for (uint32_t r = 0; r < m->rows; r++) {
        double sq = 0, front = 0;
        for (uint32_t p = m->ptr[r]; p < m->ptr[r + 1]; p++) {
            uint32_t t = m->idx[p];
            float w = fabsf(m->val[p]);
            if (w > maxw[t])
                maxw[t] = w;
            sq += (double)w * w;
            if (norm && ((uint64_t)(UINT32_MAX - df[t]) << 32 | t) < front_key)
                front += (double)w * w;
        }
        if (sq > maxnorm)
            maxnorm = sq;
        if (norm)
            norm[r] = front > 0 ? nextafterf((float)(sqrt(front) * (1 + 1e-12)), INFINITY) : 0;
    }
    return sqrt(maxnorm) * (1 + 1e-12);
}

/* The pruned kernel's inputs for the bound rows (once per bind): each
 * row's terms in order (ord_idx) and the bound of each prefix (ord_bound,
 * see cosine.cl), from the columns' document frequencies and maxima,
 * computed in double and rounded up; the front norms of the rows and (when
 * they are another matrix) of the columns; and the columns' transpose when
 * the similarity kernel did not need it. */
static ts_status prepare_pairs(ocl_backend *o, ts_diag *diag)
{
    const ts_csr *m = o->rows_host, *cols = o->cols_host;
    const int shared = m == cols;
    size_t nnz = ts_csr_nnz(m), longest = 1;
    uint32_t *df = calloc((size_t)m->cols + 1, sizeof *df);
    float *maxw = calloc((size_t)m->cols + 1, sizeof *maxw);
    uint32_t *ord_pos = malloc((nnz ? nnz : 1) * sizeof *ord_pos);
    float *ord_bound = malloc((nnz ? nnz : 1) * sizeof *ord_bound);
    uint32_t *front_len = malloc(((size_t)m->rows + 1) * sizeof *front_len);
    /* padded with zeros: the kernel reads 32 cells at a time */
    float *front_norm = calloc((size_t)m->rows + 32, sizeof *front_norm);
    float *col_norm = shared ? NULL : calloc((size_t)cols->rows + 32, sizeof *col_norm);
    uint64_t *keys = NULL;
    ts_status st = TS_OK;
    for (uint32_t r = 0; r < m->rows; r++)
        if (m->ptr[r + 1] - m->ptr[r] > longest)
            longest = m->ptr[r + 1] - m->ptr[r];
    keys = malloc(longest * sizeof *keys);
    if (!df || !maxw || !ord_pos || !ord_bound || !keys || !front_len || !front_norm ||
        (!shared && !col_norm)) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory preparing the pairs of %u statements",
                     m->rows);
        goto done;
    }
    ts_front_df_lists(o->cols_host, o->cols_t_host, df);
    uint64_t front_key = front_limit(df, cols->cols, cols->rows);
    double maxnorm = column_maxima(cols, df, front_key, maxw, shared ? NULL : col_norm);
    for (uint32_t r = 0; r < m->rows; r++) {
        uint32_t p0 = m->ptr[r], n = m->ptr[r + 1] - p0;
        order_row(m, r, df, keys);
        double sum = 0, sq = 0;
        front_len[r] = 0;
        front_norm[r] = 0;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t t = (uint32_t)keys[i], lo = p0, hi = p0 + n;
            while (lo < hi) { /* the entry of term t: a row's terms ascend */
                uint32_t mid = lo + (hi - lo) / 2;
                if (m->idx[mid] < t)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            double w = fabs((double)m->val[lo]);
            sum += w * maxw[t];
            sq += w * w;
            double bound = fmin(sum, sqrt(sq) * maxnorm) * (1 + 1e-12);
            ord_pos[p0 + i] = lo; /* the entry, not the term: the kernel reads both */
            ord_bound[p0 + i] = nextafterf((float)bound, INFINITY);
            if (keys[i] < front_key) { /* the front comes first in this order */
                front_len[r] = i + 1;
                front_norm[r] = nextafterf((float)(sqrt(sq) * (1 + 1e-12)), INFINITY);
            }
        }
    }
    st = upload(o, ord_pos, nnz * sizeof *ord_pos, &o->ord_pos, diag);
    if (st == TS_OK)
        st = upload(o, ord_bound, nnz * sizeof *ord_bound, &o->ord_bound, diag);
    if (st == TS_OK)
        st = upload(o, front_len, ((size_t)m->rows + 1) * sizeof *front_len, &o->front_len, diag);
    if (st == TS_OK)
        st = upload(o, front_norm, ((size_t)m->rows + 32) * sizeof *front_norm, &o->front_norm,
                    diag);
    if (st == TS_OK && shared) {
        o->col_front_norm = o->front_norm;
    } else if (st == TS_OK) {
        st = upload(o, col_norm, ((size_t)cols->rows + 32) * sizeof *col_norm,
                    &o->col_front_norm, diag);
    }
    if (st == TS_OK && !o->bt.ptr)
        st = upload_transpose(o, cols, diag);
    if (st == TS_OK)
        o->pairs_ready = 1;
done:
    free(df);
    free(maxw);
    free(ord_pos);
    free(ord_bound);
    free(front_len);
    free(front_norm);
    free(col_norm);
    free(keys);
    return st;
}

/* The groups (unless the select path bound them) and each kernel chunk's
 * group (or UINT32_MAX when mixed), once per bind. */
static ts_status upload_groups(ocl_backend *o, const uint32_t *groups, ts_diag *diag)
{
    size_t n = o->b_rows, nchunks = (n + o->pairs_chunk - 1) / o->pairs_chunk;
    uint32_t *cg = malloc((nchunks ? nchunks : 1) * sizeof *cg);
    if (!cg)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory preparing the pairs of %zu statements",
                       n);
    for (size_t c = 0; c < nchunks; c++) {
        size_t first = c * o->pairs_chunk, last = first + o->pairs_chunk < n ? first + o->pairs_chunk : n;
        cg[c] = groups[first];
        for (size_t i = first + 1; i < last; i++)
            if (groups[i] != cg[c])
                cg[c] = UINT32_MAX;
    }
    ts_status st = o->groups_bound ? TS_OK : upload(o, groups, n * sizeof *groups, &o->groups, diag);
    if (st == TS_OK)
        o->groups_bound = 1;
    if (st == TS_OK)
        st = upload(o, cg, nchunks * sizeof *cg, &o->chunk_group, diag);
    free(cg);
    return st;
}

/* Launch ts_pairs_pruned over rows [row0, row0 + nrows); with k = 0,
 * *count receives how many matches it found (possibly more than cand_cap). */
static ts_status launch_pairs(ocl_backend *o, size_t row0, size_t nrows, const ts_select *sel,
                              cl_uint *count, ts_diag *diag)
{
    static const cl_uint zero = 0;
    cl_uint r0 = (cl_uint)row0, nr = (cl_uint)nrows, k = sel->k;
    cl_uint col0 = (cl_uint)sel->col0;
    cl_uint col1 = sel->ncols ? (cl_uint)(sel->col0 + sel->ncols) : o->b_rows;
    cl_uint shift = sel->owner_shift;
    cl_uint use_groups = sel->groups != NULL, cap = (cl_uint)o->cand_cap;
    float min_score = sel->min_score;
    cl_mem any = o->count; /* stands in for the buffers the kernel skips */
    cl_mem groups = use_groups ? o->groups : any, cg = use_groups ? o->chunk_group : any;
    cl_mem so = k ? o->slot_other : any, ss = k ? o->slot_score : any;
    cl_mem cl_ = k ? any : o->cand_line, co = k ? any : o->cand_other;
    cl_mem cs = k ? any : o->cand_score;
    cl_event ev = NULL;
    cl_int err = CL_SUCCESS;
    if (!k) {
        err = clEnqueueWriteBuffer(o->queue, o->count, CL_TRUE, 0, sizeof zero, &zero, 0, NULL,
                                   &ev);
        account(&ev, &o->base.stats.upload_s);
        if (err != CL_SUCCESS)
            return ts_opencl_fail(diag, err, "clEnqueueWriteBuffer", o->info.name);
    }
    const size_t m = sizeof(cl_mem), u = sizeof(cl_uint), f = sizeof(float);
    const size_t list = (k ? k : 1) * sizeof(float); /* the best k: floats, then uints */
    const size_t sizes[] = {m, m, m, m, m, m, m, m, m, m, m, m, m, m, u, u, u, u, u, u, f,
                            m, m, u, m, m, m, u, m, m, m, m, list, list};
    const void *values[] = {&o->a.ptr,     &o->a.idx,      &o->a.val,          &o->b.ptr,
                            &o->b.idx,     &o->b.val,      &o->bt.ptr,         &o->bt.idx,
                            &o->bt.val,    &o->ord_pos,    &o->ord_bound,      &o->front_len,
                            &o->front_norm, &o->col_front_norm, &r0,           &nr,
                            &col0,         &col1,          &shift,             &k,
                            &min_score,    &groups,        &cg,                &use_groups,
                            &so,           &ss,            &o->count,          &cap,
                            &cl_,          &co,            &cs,                &o->work,
                            NULL,          NULL};
    ts_status st = set_args(o, o->pairs, sizes, values, 34, diag);
    if (st != TS_OK)
        return st;
    size_t local = o->pairs_wg, global = nrows * local;
    st = run_kernel(o, o->pairs, 1, &global, &local, &o->base.stats.select_kernel_s,
                    "running the pairs kernel", diag);
    if (st != TS_OK)
        return st;
    return k ? TS_OK : download(o, o->count, sizeof *count, count, diag);
}

/* The strip's pruning counters into the stats. */
static ts_status count_work(ocl_backend *o, size_t nrows, size_t ncols, ts_diag *diag)
{
    cl_uint *w = malloc(2 * nrows * sizeof *w);
    if (!w)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory reading the pairs counters");
    ts_status st = download(o, o->work, 2 * nrows * sizeof *w, w, diag);
    uint64_t posted = 0, scored = 0;
    for (size_t i = 0; st == TS_OK && i < nrows; i++) {
        posted += w[2 * i];
        scored += w[2 * i + 1];
    }
    free(w);
    o->base.stats.products += posted;
    o->base.stats.pairs += scored;
    /* scored counts a top-k row's first-bar statements too, which its
     * ranges may score again: never more pruned than pairs */
    uint64_t cells = (uint64_t)nrows * ncols;
    o->base.stats.pairs_pruned += cells > scored ? cells - scored : 0;
    return st;
}

static ts_status ocl_select_rows(ts_backend *b, size_t row0, size_t nrows, const ts_select *sel,
                                 ts_candidates *out, ts_diag *diag)
{
    ocl_backend *o = (ocl_backend *)b;
    if (row0 + nrows > o->a_rows || row0 + nrows < row0 || (sel->groups && !o->shared) ||
        (uint64_t)o->a_rows + sel->owner_shift > UINT32_MAX || sel->col0 > o->b_rows ||
        sel->ncols > o->b_rows - sel->col0)
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "pruned pairs of rows %zu+%zu, columns %zu+%zu (shift %u): bind at "
                       "least that many rows and columns, and one matrix for groups",
                       row0, nrows, sel->col0, sel->ncols, sel->owner_shift);
    if (nrows == 0)
        return TS_OK;
    ts_status st = o->pairs_ready ? TS_OK : prepare_pairs(o, diag);
    if (st == TS_OK && sel->groups && !o->chunk_group)
        st = upload_groups(o, sel->groups, diag);
    if (st == TS_OK)
        st = ensure(o, &o->work, &o->work_cap, 2 * nrows, sizeof(cl_uint), CL_MEM_READ_WRITE,
                    diag);
    size_t k = sel->k;
    if (st == TS_OK && k) {
        size_t cap = o->slot_cap;
        st = ensure(o, &o->slot_other, &cap, nrows * k, sizeof(cl_uint), CL_MEM_READ_WRITE, diag);
        if (st == TS_OK)
            st = ensure(o, &o->slot_score, &o->slot_cap, nrows * k, sizeof(float),
                        CL_MEM_READ_WRITE, diag);
    }
    /* k = 0: a first guess of 16 matches per row, grown to the count when
     * the kernel finds more */
    size_t want = o->cand_cap > nrows * 16 ? o->cand_cap : nrows * 16;
    cl_uint count = 0;
    for (int attempt = 0; st == TS_OK; attempt++) {
        if (!k)
            st = ensure_candidates(o, want, diag);
        if (st == TS_OK)
            st = launch_pairs(o, row0, nrows, sel, &count, diag);
        if (st != TS_OK || k || count <= o->cand_cap)
            break;
        if (attempt > 0 || count > UINT32_MAX / 2)
            st = TS_FAIL(diag, TS_ERR_INTERNAL,
                         "the pairs kernel found %u matches, then more on the same rows", count);
        want = (size_t)count + count / 8;
    }
    size_t n = k ? nrows * k : count;
    if (st == TS_OK)
        st = count_work(o, nrows, sel->ncols ? sel->ncols : o->b_rows, diag);
    if (st == TS_OK)
        st = ts_candidates_reserve(out, n, diag);
    if (st != TS_OK)
        return st == TS_ERR_DEVICE_MEMORY ? device_failed(o, st) : st;
    size_t at = out->n;
    if (k) {
        st = download(o, o->slot_other, n * sizeof(cl_uint), out->other + at, diag);
        if (st == TS_OK)
            st = download(o, o->slot_score, n * sizeof(float), out->score + at, diag);
    } else {
        st = read_cells(o, n, 1, out, diag);
    }
    if (st != TS_OK)
        return device_failed(o, st);
    size_t kept = at;
    for (size_t i = 0; i < n; i++) {
        if (out->other[at + i] == UINT32_MAX)
            continue; /* an unused slot */
        out->owner[kept] = (uint32_t)(row0 + (k ? i / k : out->owner[at + i]));
        out->other[kept] = out->other[at + i];
        out->score[kept] = out->score[at + i];
        kept++;
    }
    b->stats.candidates += kept - at;
    b->stats.blocks++;
    out->n = kept;
    return TS_OK;
}

static void ocl_free(ts_backend *b)
{
    ocl_backend *o = (ocl_backend *)b;
    if (!o)
        return;
    if (o->queue)
        clFinish(o->queue);
    unbind(o);
    release_mem(&o->out);
    release_candidates(o);
    release_mem(&o->floors);
    release_mem(&o->count);
    if (o->pairs)
        clReleaseKernel(o->pairs);
    if (o->dense)
        clReleaseKernel(o->dense);
    if (o->select_topk)
        clReleaseKernel(o->select_topk);
    if (o->select_all)
        clReleaseKernel(o->select_all);
    if (o->select_program)
        clReleaseProgram(o->select_program);
    if (o->kernel)
        clReleaseKernel(o->kernel);
    if (o->program)
        clReleaseProgram(o->program);
    if (o->queue)
        clReleaseCommandQueue(o->queue);
    if (o->context)
        clReleaseContext(o->context);
    free(o->base.build_log);
    free(o);
}

static const ts_backend_ops ocl_ops = {
    .name = "opencl",
    .bind = ocl_bind,
    .compute = ocl_compute,
    .max_block_cells = ocl_max_block_cells,
    .select = ocl_select,
    .select_rows = ocl_select_rows,
    .free = ocl_free,
};

/* The program's build log for the device, or NULL; free() it. */
static char *build_log(cl_program program, cl_device_id device)
{
    size_t size = 0;
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size) !=
            CL_SUCCESS ||
        size == 0)
        return NULL;
    char *log = malloc(size + 1);
    if (!log)
        return NULL;
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log, NULL) !=
        CL_SUCCESS) {
        free(log);
        return NULL;
    }
    log[size] = '\0';
    return log;
}

/* Keep the non-empty log of a successful build of `path` for
 * ts_engine_build_log (a compiler's warnings; the CLI shows them with -v).
 * Out of memory loses the log, never the build. */
static void keep_log(ocl_backend *o, const char *path, char *log)
{
    size_t n = log ? strlen(log) : 0;
    while (n > 0 && (log[n - 1] == '\n' || log[n - 1] == ' ' || log[n - 1] == '\r'))
        n--;
    if (n == 0)
        return;
    size_t old = o->base.build_log ? strlen(o->base.build_log) : 0;
    size_t size = old + strlen(path) + n + 4; /* "\n" (after another log) "PATH:\n" LOG NUL */
    char *all = realloc(o->base.build_log, size);
    if (!all)
        return;
    snprintf(all + old, size - old, "%s%s:\n%.*s", old ? "\n" : "", path, (int)n, log);
    o->base.build_log = all;
}

/* Build the embedded source `path` for the device with `options`. */
static ts_status compile(ocl_backend *o, cl_device_id device, const char *path,
                         const char *options, cl_program *program, ts_diag *diag)
{
    const ts_resource *src = ts_resource_find(path);
    if (!src)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "%s is not embedded in the library: rebuild it",
                       path);
    cl_int err;
    const char *text = src->data;
    size_t length = src->size;
    *program = clCreateProgramWithSource(o->context, 1, &text, &length, &err);
    if (!*program)
        return ts_opencl_fail(diag, err, "clCreateProgramWithSource", o->info.name);
    err = clBuildProgram(*program, 1, &device, options, NULL, NULL);
    if (err == CL_SUCCESS) {
        char *log = build_log(*program, device);
        keep_log(o, path, log);
        free(log);
        return TS_OK;
    }
    if (err != CL_BUILD_PROGRAM_FAILURE && err != CL_INVALID_BUILD_OPTIONS &&
        err != CL_COMPILER_NOT_AVAILABLE && err != CL_INVALID_BINARY)
        return ts_opencl_fail(diag, err, "clBuildProgram", o->info.name);
    ts_status st = TS_FAIL(diag, TS_ERR_BUILD,
                           "building %s for OpenCL device \"%s\" failed: %s (%d), build options "
                           "\"%s\"; check the kernel defines (--kernel-defines) or use "
                           "--backend=cpu. Build log:\n",
                           path, o->info.name, ts_opencl_error_name(err), (int)err, options);
    char *log = build_log(*program, device);
    ts_diag_append_tail(diag, log && *log ? log : "(the driver gave no log)");
    free(log);
    return st;
}

/* "BASE DEFINES" in a new string (NULL when out of memory). */
static char *join_options(const char *base, const char *defines)
{
    size_t n = strlen(base) + 2 + (defines ? strlen(defines) : 0);
    char *options = malloc(n);
    if (options)
        snprintf(options, n, "%s%s%s", base, defines && *defines ? " " : "",
                 defines ? defines : "");
    return options;
}

/* The kernel's reqd_work_group_size, checked against the device. */
static ts_status work_group(ocl_backend *o, cl_kernel kernel, cl_device_id device,
                            const char *path, size_t reqd[3], ts_diag *diag)
{
    size_t max_wg = 0;
    reqd[0] = reqd[1] = reqd[2] = 0;
    cl_int err = clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_COMPILE_WORK_GROUP_SIZE,
                                          3 * sizeof *reqd, reqd, NULL);
    if (err == CL_SUCCESS)
        err = clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE, sizeof max_wg,
                                       &max_wg, NULL);
    if (err != CL_SUCCESS)
        return ts_opencl_fail(diag, err, "clGetKernelWorkGroupInfo", o->info.name);
    if (reqd[0] == 0 || reqd[1] == 0)
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "%s declares no usable reqd_work_group_size: fix the kernel", path);
    if (reqd[0] * reqd[1] > max_wg)
        return TS_FAIL(diag, TS_ERR_DEVICE,
                       "a work-group of %zu x %zu items in %s exceeds the %zu that OpenCL "
                       "device \"%s\" allows: pass smaller work-group kernel defines "
                       "(-DTS_WG, -DTS_WG_X, -DTS_WG_Y, -DTS_SELECT_WG)",
                       reqd[0], reqd[1], path, max_wg, o->info.name);
    return TS_OK;
}

/* The kernel `name` of program (built from path) into *kernel, and its
 * reqd_work_group_size, checked against the device. */
static ts_status create_kernel(ocl_backend *o, cl_device_id device, cl_program program,
                               const char *path, const char *name, cl_kernel *kernel,
                               size_t reqd[3], ts_diag *diag)
{
    cl_int err;
    *kernel = clCreateKernel(program, name, &err);
    if (!*kernel)
        return ts_opencl_fail(diag, err, "clCreateKernel", o->info.name);
    return work_group(o, *kernel, device, path, reqd, diag);
}

/* Read the -DNAME[=VALUE] options (or "-D NAME[=VALUE]") of defines that
 * the backend itself sets; any other option is left to the compiler. */
static kernel_tuning parse_tuning(const char *defines)
{
    kernel_tuning t = {0};
    for (const char *p = defines; p && *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *tok = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (p - tok == 2 && strncmp(tok, "-D", 2) == 0) { /* "-D NAME": the name follows */
            while (*p == ' ' || *p == '\t')
                p++;
            tok = p - 2;
            while (*p && *p != ' ' && *p != '\t')
                p++;
        } else if (p - tok < 2 || strncmp(tok, "-D", 2) != 0) {
            continue;
        }
        const char *name = tok + 2, *eq = memchr(name, '=', (size_t)(p - name));
        size_t len = (size_t)((eq ? eq : p) - name);
        unsigned value = eq ? (unsigned)strtoul(eq + 1, NULL, 0) : 1; /* -DX means X=1 */
        for (int n = 0; n < TUNE_COUNT; n++)
            if (strlen(TUNING_NAMES[n]) == len && strncmp(name, TUNING_NAMES[n], len) == 0) {
                t.given[n] = 1;
                t.value[n] = value;
            }
    }
    return t;
}

static ts_status build_program(ocl_backend *o, cl_device_id device, const char *defines,
                               const kernel_tuning *given, ts_diag *diag)
{
    /* Device-dependent defaults, unless the caller's defines set them:
     * - on CPU devices double arithmetic runs at full speed, so accumulate in
     *   double (as precise as compensation, up to twice as fast on pocl);
     * - the scatter kernel's column chunk (8 bytes of local memory per
     *   column) as large as half the local memory allows, up to 8192: fewer
     *   chunks mean fewer posting-list searches (measured 2x on pocl). */
    cl_device_fp_config fp64 = 0;
    if (clGetDeviceInfo(device, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL) !=
        CL_SUCCESS)
        fp64 = 0;
    int accum_double = o->info.is_cpu && fp64 && !given->given[TUNE_ACCUM_DOUBLE];
    unsigned chunk = 0; /* passed as -DTS_CHUNK when the caller did not set it */
    if (!given->given[TUNE_CHUNK])
        for (chunk = 8192; chunk > 256 && (uint64_t)chunk * 8 > o->info.local_memory / 2;)
            chunk /= 2;
    o->chunk = tuning_of(given, TUNE_CHUNK, chunk);
    if (o->chunk == 0)
        o->chunk = 2048; /* the kernel's own default */
    /* the pairs kernel's chunk: 12 bytes of local memory per column, within
     * half the local memory (the other half for the lists, up to 8 KiB) */
    unsigned pairs_chunk = 0;
    if (!given->given[TUNE_PAIRS_CHUNK])
        for (pairs_chunk = 8192; pairs_chunk > 256 &&
                                 (uint64_t)pairs_chunk * 12 > o->info.local_memory / 2;)
            pairs_chunk /= 2;
    o->pairs_chunk = tuning_of(given, TUNE_PAIRS_CHUNK, pairs_chunk);
    if (o->pairs_chunk == 0)
        o->pairs_chunk = 8192; /* the kernel's own default */
    char tuned[120];
    snprintf(tuned, sizeof tuned, "-cl-std=CL1.2%s", accum_double ? " -DTS_ACCUM_DOUBLE=1" : "");
    if (chunk)
        snprintf(tuned + strlen(tuned), sizeof tuned - strlen(tuned), " -DTS_CHUNK=%u", chunk);
    if (pairs_chunk)
        snprintf(tuned + strlen(tuned), sizeof tuned - strlen(tuned), " -DTS_PAIRS_CHUNK=%u",
                 pairs_chunk);
    char *options = join_options(tuned, defines);
    if (!options)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory building the OpenCL kernels");
    ts_status st = compile(o, device, KERNEL_SOURCE, options, &o->program, diag);
    free(options);
    if (st != TS_OK)
        return st;
    cl_int err;
    o->kernel = clCreateKernel(o->program, "ts_cosine_scatter", &err);
    o->scatter = o->kernel != NULL;
    if (!o->kernel)
        o->kernel = clCreateKernel(o->program, "ts_cosine_merge", &err);
    if (!o->kernel)
        return ts_opencl_fail(diag, err, "clCreateKernel", o->info.name);
    size_t reqd[3];
    st = work_group(o, o->kernel, device, KERNEL_SOURCE, reqd, diag);
    if (st == TS_OK && o->scatter && reqd[1] != 1)
        st = TS_FAIL(diag, TS_ERR_INTERNAL, "%s: the scatter kernel's work-group must be 1-D",
                     KERNEL_SOURCE);
    o->wg[0] = reqd[0];
    o->wg[1] = reqd[1];
    if (st != TS_OK)
        return st;
    st = create_kernel(o, device, o->program, KERNEL_SOURCE, "ts_pairs_pruned", &o->pairs, reqd,
                       diag);
    o->pairs_wg = reqd[0];
    if (st != TS_OK || !o->scatter)
        return st;
    st = create_kernel(o, device, o->program, KERNEL_SOURCE, "ts_cosine_dense", &o->dense, reqd,
                       diag);
    if (st != TS_OK)
        return st;
    o->dense_wg = reqd[0];
    o->dense_tile = (unsigned)reqd[0] * tuning_of(given, TUNE_DENSE_MICRO, DENSE_MICRO);
    o->dense_max_terms = tuning_of(given, TUNE_DENSE_TERMS, DENSE_TERMS);
    if (o->dense_max_terms > 255) /* the kernel's flags are bytes */
        o->dense_max_terms = 255;
    o->dense_mode = tuning_of(given, TUNE_DENSE_MODE, o->info.is_cpu ? DENSE_ROWS : DENSE_TILED);
    o->base.select_search = tuning_of(given, TUNE_SEARCH_SELECT, !o->info.is_cpu) != 0;
    if (o->dense_mode != DENSE_ROWS && o->dense_mode != DENSE_TILED)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "-DTS_DENSE_MODE=%u in the kernel defines: the dense front's mode is 1 "
                       "(row by row) or 2 (tiled); pass one of those, or leave it out for the "
                       "device's default",
                       o->dense_mode);
    o->dense_df = tuning_of(given, TUNE_DENSE_DF, o->info.is_cpu ? DENSE_DF_CPU : DENSE_DF_GPU);
    return st;
}

/* kernels/select.cl: built with the same defines as the similarity kernel
 * (each file ignores the other's). */
static ts_status build_select(ocl_backend *o, cl_device_id device, const char *defines,
                              const kernel_tuning *given, ts_diag *diag)
{
    char *options = join_options("-cl-std=CL1.2", defines);
    if (!options)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory building the OpenCL kernels");
    ts_status st = compile(o, device, SELECT_SOURCE, options, &o->select_program, diag);
    free(options);
    if (st != TS_OK)
        return st;
    o->select_max_k = tuning_of(given, TUNE_SELECT_MAX_K, SELECT_MAX_K);
    size_t reqd[3];
    st = create_kernel(o, device, o->select_program, SELECT_SOURCE, "ts_select_all",
                       &o->select_all, reqd, diag);
    if (st == TS_OK)
        st = create_kernel(o, device, o->select_program, SELECT_SOURCE, "ts_select_topk",
                           &o->select_topk, reqd, diag);
    o->select_wg = reqd[0];
    if (st != TS_OK)
        return st;
    cl_int err;
    o->count = clCreateBuffer(o->context, CL_MEM_READ_WRITE, sizeof(cl_uint), NULL, &err);
    if (!o->count)
        return ts_opencl_fail(diag, err, "clCreateBuffer", o->info.name);
    return TS_OK;
}

ts_status ts_backend_opencl_create(ts_backend **out, const ts_engine_options *options,
                                   ts_diag *diag)
{
    if (!out)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_backend_opencl_create: out must not be NULL");
    *out = NULL;
    ocl_backend *o = calloc(1, sizeof *o);
    if (!o)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory creating the OpenCL backend");
    o->base.ops = &ocl_ops;
    cl_platform_id platform;
    cl_device_id device;
    ts_status st = ts_opencl_select_device(options ? options->device : NULL, &platform,
                                           &device, &o->info, diag);
    if (st != TS_OK) {
        free(o);
        return st;
    }
    snprintf(o->base.device_name, sizeof o->base.device_name, "%s", o->info.name);
    o->budget = options && options->max_device_memory ? options->max_device_memory
                                                      : o->info.global_memory / 2;
    cl_int err;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)platform, 0};
    o->context = clCreateContext(props, 1, &device, NULL, NULL, &err);
    if (!o->context) {
        st = ts_opencl_fail(diag, err, "clCreateContext", o->info.name);
        goto fail;
    }
    o->queue = clCreateCommandQueue(o->context, device, CL_QUEUE_PROFILING_ENABLE, &err);
    if (!o->queue) {
        st = ts_opencl_fail(diag, err, "clCreateCommandQueue", o->info.name);
        goto fail;
    }
    double t0 = wall_now();
    const char *defines = options ? options->kernel_defines : NULL;
    kernel_tuning tuning = parse_tuning(defines);
    st = build_program(o, device, defines, &tuning, diag);
    if (st == TS_OK)
        st = build_select(o, device, defines, &tuning, diag);
    if (st != TS_OK)
        goto fail;
    o->base.stats.build_s = wall_now() - t0;
    *out = &o->base;
    return TS_OK;
fail:
    ocl_free(&o->base);
    return st;
}
