/*
 * backend.h - the interface every similarity backend fills (internal).
 *
 * As in BLIS's contexts, a backend is a small table of function pointers
 * filled by its create function; the engine (engine.c) plans blocks of the
 * similarity matrix and hands them to whichever backend it holds, so the
 * OpenCL and cpu backends share one tile loop and one test suite.
 */
#ifndef TS_BACKEND_H
#define TS_BACKEND_H

#include <stddef.h>

#include "csr.h"
#include "textsim.h"

/* A block of the matrix rows x cols: [row0, row0+nrows) x [col0, col0+ncols). */
typedef struct ts_block {
    size_t row0, nrows;
    size_t col0, ncols;
} ts_block;

typedef struct ts_backend ts_backend;

typedef struct ts_backend_ops {
    const char *name; /* "opencl" or "cpu" */
    /* Make `rows` and `cols` resident for the following compute calls.  They
     * may be the same matrix (self-similarity); both stay alive until the
     * next bind or free. */
    ts_status (*bind)(ts_backend *b, const ts_csr *rows, const ts_csr *cols, ts_diag *diag);
    /* Cosine of every pair in the block into out[r * blk->ncols + c]. */
    ts_status (*compute)(ts_backend *b, const ts_block *blk, float *out, ts_diag *diag);
    /* Largest nrows * ncols one compute call accepts (device memory bound). */
    size_t (*max_block_cells)(const ts_backend *b);
    void (*free)(ts_backend *b);
} ts_backend_ops;

struct ts_backend {
    const ts_backend_ops *ops;
    char device_name[256];
};

ts_status ts_backend_cpu_create(ts_backend **out, const ts_engine_options *options,
                                ts_diag *diag);
/* TS_ERR_NO_PLATFORM when no OpenCL platform/device exists at all. */
ts_status ts_backend_opencl_create(ts_backend **out, const ts_engine_options *options,
                                   ts_diag *diag);

#endif
