/*
 * backend_opencl.c - the OpenCL similarity backend.
 *
 * create() selects the device (devices.c), makes a context and an in-order
 * queue and builds kernels/cosine.cl (embedded at build time) once, with
 * "-cl-std=CL1.2" and the caller's kernel_defines: the program lives as long
 * as the backend, which is the per-device, per-process program cache since an
 * engine is created once and reused.  Two defaults depend on the device:
 * on CPU devices with fp64 the kernel accumulates in double
 * (-DTS_ACCUM_DOUBLE=1) instead of compensated float, which is as precise
 * and faster there, and the scatter kernel's column chunk (-DTS_CHUNK) is
 * sized from the local memory.  bind() uploads the CSR matrices (once
 * when rows and cols are the same matrix) and, for the scatter kernel, the
 * transpose of cols.  compute() launches the kernel over one block and reads
 * the scores back.  The kernel's work-group shape comes from its
 * reqd_work_group_size attribute and its algorithm from its name, so tuning
 * needs only -D options.  Allocation and resource failures come back as
 * TS_ERR_DEVICE_MEMORY so that the engine can retry with smaller blocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "diag.h"
#include "opencl_util.h"
#include "resource.h"

#define KERNEL_SOURCE "kernels/cosine.cl"

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

static void unbind(ocl_backend *o)
{
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
static ts_status upload(ocl_backend *o, const void *data, size_t n, cl_mem *out, ts_diag *diag)
{
    static const uint32_t zero = 0;
    cl_int err;
    if (n == 0) {
        data = &zero;
        n = sizeof zero;
    }
    *out = clCreateBuffer(o->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, n, (void *)data,
                          &err);
    if (!*out)
        return ts_opencl_fail(diag, err, "clCreateBuffer", o->info.name);
    o->bound_bytes += n;
    return TS_OK;
}

static ts_status upload_csr(ocl_backend *o, const uint32_t *ptr, const uint32_t *idx,
                            const float *val, uint32_t rows, csr_buffers *c, ts_diag *diag)
{
    size_t nnz = ptr[rows];
    ts_status st = upload(o, ptr, ((size_t)rows + 1) * sizeof *ptr, &c->ptr, diag);
    if (st == TS_OK)
        st = upload(o, idx, nnz * sizeof *idx, &c->idx, diag);
    if (st == TS_OK)
        st = upload(o, val, nnz * sizeof *val, &c->val, diag);
    return st;
}

/* Upload the transpose of m: for each term, the rows that contain it in
 * ascending order (a counting sort, O(nnz)). */
static ts_status upload_transpose(ocl_backend *o, const ts_csr *m, ts_diag *diag)
{
    size_t nnz = ts_csr_nnz(m);
    uint32_t *ptr = calloc((size_t)m->cols + 1, sizeof *ptr);
    uint32_t *idx = malloc((nnz ? nnz : 1) * sizeof *idx);
    float *val = malloc((nnz ? nnz : 1) * sizeof *val);
    uint32_t *next = malloc(((size_t)m->cols + 1) * sizeof *next);
    ts_status st = TS_OK;
    if (!ptr || !idx || !val || !next) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory transposing a %u x %u matrix",
                     m->rows, m->cols);
        goto done;
    }
    for (size_t p = 0; p < nnz; p++) {
        if (m->idx[p] >= m->cols) {
            st = TS_FAIL(diag, TS_ERR_INTERNAL,
                         "column index %u out of range (%u columns) in a CSR matrix",
                         m->idx[p], m->cols);
            goto done;
        }
        ptr[m->idx[p] + 1]++;
    }
    for (uint32_t k = 0; k < m->cols; k++)
        ptr[k + 1] += ptr[k];
    memcpy(next, ptr, ((size_t)m->cols + 1) * sizeof *next);
    for (uint32_t r = 0; r < m->rows; r++)
        for (uint32_t p = m->ptr[r]; p < m->ptr[r + 1]; p++) {
            uint32_t q = next[m->idx[p]]++;
            idx[q] = r;
            val[q] = m->val[p];
        }
    st = upload_csr(o, ptr, idx, val, m->cols, &o->bt, diag);
done:
    free(ptr);
    free(idx);
    free(val);
    free(next);
    return st;
}

static ts_status ocl_bind(ts_backend *b, const ts_csr *rows, const ts_csr *cols, ts_diag *diag)
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
    ts_status st = upload_csr(o, rows->ptr, rows->idx, rows->val, rows->rows, &o->a, diag);
    if (st == TS_OK) {
        if (rows == cols) {
            o->b = o->a;
            o->shared = 1;
        } else {
            st = upload_csr(o, cols->ptr, cols->idx, cols->val, cols->rows, &o->b, diag);
        }
    }
    if (st == TS_OK && o->scatter)
        st = upload_transpose(o, cols, diag);
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

static ts_status ocl_compute(ts_backend *b, const ts_block *blk, float *out, ts_diag *diag)
{
    ocl_backend *o = (ocl_backend *)b;
    if (blk->row0 + blk->nrows > o->a_rows || blk->col0 + blk->ncols > o->b_rows ||
        blk->row0 + blk->nrows < blk->row0 || blk->col0 + blk->ncols < blk->col0)
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "block rows %zu+%zu, columns %zu+%zu outside the bound %u x %u matrix",
                       blk->row0, blk->nrows, blk->col0, blk->ncols, o->a_rows, o->b_rows);
    if (blk->nrows == 0 || blk->ncols == 0)
        return TS_OK;
    if (blk->ncols > UINT32_MAX / blk->nrows)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "block of %zu x %zu cells exceeds 2^32",
                       blk->nrows, blk->ncols);
    size_t cells = blk->nrows * blk->ncols;
    cl_int err;
    if (cells > o->out_cells) {
        release_mem(&o->out);
        o->out_cells = 0;
        o->out = clCreateBuffer(o->context, CL_MEM_WRITE_ONLY | CL_MEM_HOST_READ_ONLY,
                                cells * sizeof(float), NULL, &err);
        if (!o->out)
            return ts_opencl_fail(diag, err, "clCreateBuffer", o->info.name);
        o->out_cells = cells;
    }
    cl_uint row0 = (cl_uint)blk->row0, nrows = (cl_uint)blk->nrows;
    cl_uint col0 = (cl_uint)blk->col0, ncols = (cl_uint)blk->ncols, b_rows = o->b_rows;
    const csr_buffers *bt_set = o->scatter ? &o->bt : &o->b; /* merge ignores them */
    struct {
        size_t size;
        const void *value;
    } args[] = {
        {sizeof(cl_mem), &o->a.ptr},   {sizeof(cl_mem), &o->a.idx},
        {sizeof(cl_mem), &o->a.val},   {sizeof(cl_mem), &o->b.ptr},
        {sizeof(cl_mem), &o->b.idx},   {sizeof(cl_mem), &o->b.val},
        {sizeof(cl_mem), &bt_set->ptr}, {sizeof(cl_mem), &bt_set->idx},
        {sizeof(cl_mem), &bt_set->val}, {sizeof row0, &row0},
        {sizeof nrows, &nrows},        {sizeof col0, &col0},
        {sizeof ncols, &ncols},        {sizeof b_rows, &b_rows},
        {sizeof(cl_mem), &o->out},
    };
    for (cl_uint i = 0; i < sizeof args / sizeof args[0]; i++) {
        err = clSetKernelArg(o->kernel, i, args[i].size, args[i].value);
        if (err != CL_SUCCESS)
            return ts_opencl_fail(diag, err, "clSetKernelArg", o->info.name);
    }
    size_t global[2], local[2] = {o->wg[0], o->wg[1]};
    if (o->scatter) { /* a group per row and chunk of columns */
        global[0] = o->wg[0] * ((blk->ncols + o->chunk - 1) / o->chunk);
        global[1] = blk->nrows;
    } else {
        global[0] = (blk->ncols + o->wg[0] - 1) / o->wg[0] * o->wg[0];
        global[1] = (blk->nrows + o->wg[1] - 1) / o->wg[1] * o->wg[1];
    }
    err = clEnqueueNDRangeKernel(o->queue, o->kernel, 2, NULL, global, local, 0, NULL, NULL);
    if (err == CL_SUCCESS)
        err = clEnqueueReadBuffer(o->queue, o->out, CL_TRUE, 0, cells * sizeof(float), out, 0,
                                  NULL, NULL);
    if (err != CL_SUCCESS) {
        ts_status st = ts_opencl_fail(diag, err, "running the similarity kernel", o->info.name);
        clFinish(o->queue);
        release_mem(&o->out); /* give the memory back before the engine retries */
        o->out_cells = 0;
        return st;
    }
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
    if (o->kernel)
        clReleaseKernel(o->kernel);
    if (o->program)
        clReleaseProgram(o->program);
    if (o->queue)
        clReleaseCommandQueue(o->queue);
    if (o->context)
        clReleaseContext(o->context);
    free(o);
}

static const ts_backend_ops ocl_ops = {
    .name = "opencl",
    .bind = ocl_bind,
    .compute = ocl_compute,
    .max_block_cells = ocl_max_block_cells,
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

static ts_status build_program(ocl_backend *o, cl_device_id device, const char *defines,
                               ts_diag *diag)
{
    const ts_resource *src = ts_resource_find(KERNEL_SOURCE);
    if (!src)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "%s is not embedded in the library: rebuild it",
                       KERNEL_SOURCE);
    cl_int err;
    const char *text = src->data;
    size_t length = src->size;
    o->program = clCreateProgramWithSource(o->context, 1, &text, &length, &err);
    if (!o->program)
        return ts_opencl_fail(diag, err, "clCreateProgramWithSource", o->info.name);
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
    int accum_double =
        o->info.is_cpu && fp64 && !(defines && strstr(defines, "TS_ACCUM_DOUBLE"));
    unsigned chunk = 0;
    const char *given = defines ? strstr(defines, "TS_CHUNK") : NULL;
    if (!given)
        for (chunk = 8192; chunk > 256 && (uint64_t)chunk * 8 > o->info.local_memory / 2;)
            chunk /= 2;
    o->chunk = chunk;
    if (given && given[8] == '=')
        o->chunk = (unsigned)strtoul(given + 9, NULL, 0);
    if (o->chunk == 0)
        o->chunk = 2048; /* the kernel's own default */
    char tuned[80];
    snprintf(tuned, sizeof tuned, "-cl-std=CL1.2%s", accum_double ? " -DTS_ACCUM_DOUBLE=1" : "");
    if (chunk)
        snprintf(tuned + strlen(tuned), sizeof tuned - strlen(tuned), " -DTS_CHUNK=%u", chunk);
    size_t n = strlen(tuned) + 2 + (defines ? strlen(defines) : 0);
    char *options = malloc(n);
    if (!options)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory building the OpenCL kernels");
    snprintf(options, n, "%s%s%s", tuned, defines && *defines ? " " : "",
             defines ? defines : "");
    err = clBuildProgram(o->program, 1, &device, options, NULL, NULL);
    if (err != CL_SUCCESS) {
        ts_status st;
        if (err == CL_BUILD_PROGRAM_FAILURE || err == CL_INVALID_BUILD_OPTIONS ||
            err == CL_COMPILER_NOT_AVAILABLE || err == CL_INVALID_BINARY) {
            st = TS_FAIL(diag, TS_ERR_BUILD,
                         "building %s for OpenCL device \"%s\" failed: %s (%d), build options "
                         "\"%s\"; check the kernel defines (--kernel-defines) or use "
                         "--backend=cpu. Build log:\n",
                         KERNEL_SOURCE, o->info.name, ts_opencl_error_name(err), (int)err,
                         options);
            char *log = build_log(o->program, device);
            ts_diag_append_tail(diag, log && *log ? log : "(the driver gave no log)");
            free(log);
        } else {
            st = ts_opencl_fail(diag, err, "clBuildProgram", o->info.name);
        }
        free(options);
        return st;
    }
    free(options);

    o->kernel = clCreateKernel(o->program, "ts_cosine_scatter", &err);
    o->scatter = o->kernel != NULL;
    if (!o->kernel)
        o->kernel = clCreateKernel(o->program, "ts_cosine_merge", &err);
    if (!o->kernel)
        return ts_opencl_fail(diag, err, "clCreateKernel", o->info.name);
    size_t reqd[3] = {0, 0, 0}, max_wg = 0;
    err = clGetKernelWorkGroupInfo(o->kernel, device, CL_KERNEL_COMPILE_WORK_GROUP_SIZE,
                                   sizeof reqd, reqd, NULL);
    if (err == CL_SUCCESS)
        err = clGetKernelWorkGroupInfo(o->kernel, device, CL_KERNEL_WORK_GROUP_SIZE,
                                       sizeof max_wg, &max_wg, NULL);
    if (err != CL_SUCCESS)
        return ts_opencl_fail(diag, err, "clGetKernelWorkGroupInfo", o->info.name);
    if (reqd[0] == 0 || reqd[1] == 0 || (o->scatter && reqd[1] != 1))
        return TS_FAIL(diag, TS_ERR_INTERNAL,
                       "%s declares no usable reqd_work_group_size: fix the kernel",
                       KERNEL_SOURCE);
    if (reqd[0] * reqd[1] > max_wg)
        return TS_FAIL(diag, TS_ERR_DEVICE,
                       "the similarity kernel's work-group of %zu x %zu items exceeds the "
                       "%zu that OpenCL device \"%s\" allows: pass smaller -DTS_WG / "
                       "-DTS_WG_X / -DTS_WG_Y kernel defines",
                       reqd[0], reqd[1], max_wg, o->info.name);
    o->wg[0] = reqd[0];
    o->wg[1] = reqd[1];
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
    o->queue = clCreateCommandQueue(o->context, device, 0, &err);
    if (!o->queue) {
        st = ts_opencl_fail(diag, err, "clCreateCommandQueue", o->info.name);
        goto fail;
    }
    st = build_program(o, device, options ? options->kernel_defines : NULL, diag);
    if (st != TS_OK)
        goto fail;
    *out = &o->base;
    return TS_OK;
fail:
    ocl_free(&o->base);
    return st;
}
