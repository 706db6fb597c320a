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

#include "candidates.h"
#include "text/csr.h"
#include "textsim.h"

/* A block of the matrix rows x cols: [row0, row0+nrows) x [col0, col0+ncols). */
typedef struct ts_block {
    size_t row0, nrows;
    size_t col0, ncols;
} ts_block;

typedef struct ts_backend ts_backend;

/* What a selecting backend keeps of a block (see pairs.c).  A "line" is a
 * row of the block (owner: the row's statement) or, with `columns`, a
 * column (owner: the column's statement).  A cell qualifies when its score
 * is > 0, >= min_score and >= the line's floor, its other statement is not
 * the owner and, with groups, is in another group. */
typedef struct ts_select {
    uint32_t k;              /* keep each line's k best qualifying cells; 0: all of them */
    float min_score;
    const uint32_t *groups;  /* group of each statement, or NULL */
    int columns;             /* select along the columns too (the block's mirror image) */
    const float *floors;     /* blk->nrows row floors, then (with columns) blk->ncols */
    uint32_t owner_shift;    /* added to a row's statement number where it is compared
                                with the others' (not in what comes back): a search's
                                queries and archive are different statements, and a
                                shift of the archive's size keeps them apart; 0 in pairs */
    size_t col0, ncols;      /* select_rows: the columns [col0, col0 + ncols) only (a
                                search's part of the archive); ncols 0: all of them */
} ts_select;

typedef struct ts_backend_ops {
    const char *name; /* "opencl" or "cpu" */
    /* Make `rows` and `cols` resident for the following compute calls.  They
     * may be the same matrix (self-similarity); cols_t, when not NULL, is
     * cols transposed (an index file's posting lists), which a backend that
     * needs them uses instead of building its own; all stay alive until the
     * next bind or free. */
    ts_status (*bind)(ts_backend *b, const ts_csr *rows, const ts_csr *cols,
                      const ts_csr *cols_t, ts_diag *diag);
    /* Cosine of every pair in the block into out[r * blk->ncols + c]. */
    ts_status (*compute)(ts_backend *b, const ts_block *blk, float *out, ts_diag *diag);
    /* Largest nrows * ncols one compute call accepts (device memory bound). */
    size_t (*max_block_cells)(const ts_backend *b);
    /* Optional (NULL: the engine computes the block and selects on the
     * host): compute the block and append to out every qualifying cell that
     * can be among its line's best `k` (all qualifying cells when k = 0),
     * sending back only those.  TS_ERR_DEVICE_MEMORY makes the engine fall
     * back to the host for this block. */
    ts_status (*select)(ts_backend *b, const ts_block *blk, const ts_select *sel,
                        ts_candidates *out, ts_diag *diag);
    /* Optional (NULL: the engine selects on the host): append to out the
     * matches of each row statement of [row0, row0 + nrows) among all the
     * column statements, by the rules of ts_select (its k best, or with
     * k = 0 all, and then min_score > 0; groups only when one matrix is
     * bound as rows and columns; owner_shift, a search's, keeps a row from
     * being "itself"), scoring only the pairs that the prefix bound (from
     * the columns' term maxima) cannot rule out.
     * TS_ERR_DEVICE_MEMORY makes the engine fall back to the host for these
     * rows. */
    ts_status (*select_rows)(ts_backend *b, size_t row0, size_t nrows, const ts_select *sel,
                             ts_candidates *out, ts_diag *diag);
    void (*free)(ts_backend *b);
} ts_backend_ops;

struct ts_backend {
    const ts_backend_ops *ops;
    char device_name[256];
    ts_engine_stats stats; /* the backend adds its build, transfer and kernel times */
    char *build_log;       /* the kernel compiler's messages of successful builds, or
                            * NULL when it gave none; the backend's free frees it */
    int select_search;     /* a search (search.c) uses select: on GPUs; not on CPU
                            * devices, where a block read back is a copy and the host's
                            * scan of it beats the selection kernels (bench/RESULTS.md);
                            * -DTS_SEARCH_SELECT=0|1 says otherwise */
};

ts_status ts_backend_cpu_create(ts_backend **out, const ts_engine_options *options,
                                ts_diag *diag);
/* TS_ERR_NO_PLATFORM when no OpenCL platform/device exists at all. */
ts_status ts_backend_opencl_create(ts_backend **out, const ts_engine_options *options,
                                   ts_diag *diag);

#endif
