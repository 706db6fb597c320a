/*
 * engine.c - backend choice and the tile loop of the similarity engine.
 *
 * ts_engine_create picks the backend (OpenCL, falling back to the BLIS cpu
 * backend under TS_BACKEND_AUTO when no OpenCL platform exists).  The tile
 * loop is split into a plan (an array of blocks), an executor and a sink, as
 * engine.h describes, so that other plans and sinks can reuse the executor.
 * The executor computes each planned block into one reusable buffer; when
 * the backend reports TS_ERR_DEVICE_MEMORY it halves the block (rows first,
 * which keeps the pieces contiguous, then columns), remembers the smaller
 * size for the following blocks, and gives up with a clear message below
 * TS_ENGINE_MIN_BLOCK_CELLS.  ts_engine_similarity plans row strips and
 * assembles their column blocks into one strip buffer, so memory is bounded
 * by a strip, never by the whole matrix.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "text/tfidf_internal.h"

/* Automatic strip height: about this many cells (64 MiB of floats) per strip. */
#define STRIP_CELLS ((size_t)16 << 20)

struct ts_engine {
    ts_backend *backend;
    int fell_back;
    size_t tile_rows, tile_cols; /* options; 0 = automatic */
    size_t cell_cap;             /* lowered after a device memory failure; 0 = none */
    int bound;
    float *block;                /* the executor's block buffer */
    size_t block_cap;
    float *scratch;              /* a column-split piece before it is copied */
    size_t scratch_cap;
};

void ts_engine_options_init(ts_engine_options *options)
{
    if (!options)
        return;
    memset(options, 0, sizeof *options);
    options->backend = TS_BACKEND_AUTO;
}

ts_status ts_engine_create_with_backend(ts_engine **out, ts_backend *backend,
                                        const ts_engine_options *options, ts_diag *diag)
{
    if (!out || !backend) {
        if (backend)
            backend->ops->free(backend);
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_create_with_backend: NULL argument");
    }
    *out = NULL;
    ts_engine *e = calloc(1, sizeof *e);
    if (!e) {
        backend->ops->free(backend);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory creating the similarity engine");
    }
    e->backend = backend;
    if (options) {
        e->tile_rows = options->tile_rows;
        e->tile_cols = options->tile_cols;
    }
    *out = e;
    return TS_OK;
}

ts_status ts_engine_create(ts_engine **out, const ts_engine_options *options, ts_diag *diag)
{
    if (!out)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_create: out must not be NULL");
    *out = NULL;
    ts_engine_options defaults;
    if (!options) {
        ts_engine_options_init(&defaults);
        options = &defaults;
    }
    ts_backend *backend = NULL;
    int fell_back = 0;
    ts_status st;
    switch (options->backend) {
    case TS_BACKEND_AUTO:
        st = ts_backend_opencl_create(&backend, options, diag);
        if (st == TS_ERR_NO_PLATFORM) {
            fell_back = 1;
            ts_diag_clear(diag);
            st = ts_backend_cpu_create(&backend, options, diag);
        }
        break;
    case TS_BACKEND_OPENCL:
        st = ts_backend_opencl_create(&backend, options, diag);
        break;
    case TS_BACKEND_CPU:
        st = ts_backend_cpu_create(&backend, options, diag);
        break;
    default:
        return TS_FAIL(diag, TS_ERR_ARG,
                       "unknown backend kind %d: use auto, opencl or cpu", (int)options->backend);
    }
    if (st != TS_OK)
        return st;
    st = ts_engine_create_with_backend(out, backend, options, diag);
    if (st == TS_OK)
        (*out)->fell_back = fell_back;
    return st;
}

void ts_engine_free(ts_engine *engine)
{
    if (!engine)
        return;
    engine->backend->ops->free(engine->backend);
    free(engine->block);
    free(engine->scratch);
    free(engine);
}

const char *ts_engine_backend_name(const ts_engine *engine)
{
    return engine ? engine->backend->ops->name : "";
}

const char *ts_engine_device_name(const ts_engine *engine)
{
    return engine ? engine->backend->device_name : "";
}

const char *ts_engine_build_log(const ts_engine *engine)
{
    return engine && engine->backend->build_log ? engine->backend->build_log : "";
}

int ts_engine_fell_back(const ts_engine *engine)
{
    return engine ? engine->fell_back : 0;
}

ts_status ts_engine_check_csr(const ts_csr *m, const char *what, ts_diag *diag)
{
    if (!m || !m->ptr || (ts_csr_nnz(m) && (!m->idx || !m->val)) || m->ptr[0] != 0)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "%s: malformed CSR matrix (missing arrays)", what);
    for (uint32_t r = 0; r < m->rows; r++) {
        if (m->ptr[r + 1] < m->ptr[r])
            return TS_FAIL(diag, TS_ERR_INTERNAL, "%s: CSR row pointers descend at row %u",
                           what, r);
        for (uint32_t p = m->ptr[r]; p < m->ptr[r + 1]; p++)
            if (m->idx[p] >= m->cols || (p > m->ptr[r] && m->idx[p] <= m->idx[p - 1]))
                return TS_FAIL(diag, TS_ERR_INTERNAL,
                               "%s: CSR row %u has column index %u out of range (%u columns) "
                               "or out of order",
                               what, r, m->idx[p], m->cols);
    }
    return TS_OK;
}

ts_status ts_engine_bind(ts_engine *e, const ts_csr *rows, const ts_csr *cols, ts_diag *diag)
{
    return ts_engine_bind_postings(e, rows, cols, NULL, diag);
}

ts_status ts_engine_bind_postings(ts_engine *e, const ts_csr *rows, const ts_csr *cols,
                                  const ts_csr *cols_t, ts_diag *diag)
{
    if (!e || !rows || !cols)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_bind: NULL argument");
    e->bound = 0;
    ts_status st = ts_engine_check_csr(rows, "similarity rows", diag);
    if (st == TS_OK && cols != rows)
        st = ts_engine_check_csr(cols, "similarity columns", diag);
    if (st == TS_OK && cols_t)
        st = ts_engine_check_csr(cols_t, "posting lists", diag);
    if (st == TS_OK && rows->cols != cols->cols)
        st = TS_FAIL(diag, TS_ERR_INTERNAL,
                     "similarity of matrices with %u and %u columns: they must share one "
                     "vocabulary",
                     rows->cols, cols->cols);
    if (st == TS_OK && cols_t &&
        (cols_t->rows != cols->cols || cols_t->cols != cols->rows ||
         ts_csr_nnz(cols_t) != ts_csr_nnz(cols)))
        st = TS_FAIL(diag, TS_ERR_INTERNAL,
                     "posting lists of %u terms x %u statements (%u entries) for a %u x %u "
                     "matrix of %u entries",
                     cols_t->rows, cols_t->cols, ts_csr_nnz(cols_t), cols->rows, cols->cols,
                     ts_csr_nnz(cols));
    if (st == TS_OK)
        st = e->backend->ops->bind(e->backend, rows, cols, cols_t, diag);
    e->bound = st == TS_OK;
    return st;
}

size_t ts_engine_max_block_cells(const ts_engine *e)
{
    size_t cells = e->backend->ops->max_block_cells(e->backend);
    if (e->cell_cap && e->cell_cap < cells)
        cells = e->cell_cap;
    return cells ? cells : 1;
}

ts_status ts_engine_plan_strips(const ts_engine *e, size_t nrows, size_t ncols,
                                size_t max_cells, ts_block **plan, size_t *nblocks,
                                ts_diag *diag)
{
    *plan = NULL;
    *nblocks = 0;
    if (nrows == 0 || ncols == 0)
        return TS_OK;
    size_t rows = e->tile_rows;
    if (rows == 0) {
        rows = STRIP_CELLS / ncols;
        if (rows == 0)
            rows = 1;
    }
    if (rows > nrows)
        rows = nrows;
    size_t width = max_cells / rows;
    if (width == 0)
        width = 1; /* the executor splits the rows of such a block */
    if (e->tile_cols && e->tile_cols < width)
        width = e->tile_cols;
    if (width > ncols)
        width = ncols;
    size_t strips = (nrows + rows - 1) / rows, per_strip = (ncols + width - 1) / width;
    if (per_strip > SIZE_MAX / sizeof(ts_block) / strips)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "the similarity plan of %zu x %zu blocks is too large: raise the tile "
                       "size",
                       strips, per_strip);
    ts_block *p = malloc(strips * per_strip * sizeof *p);
    if (!p)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory planning %zu similarity blocks",
                       strips * per_strip);
    size_t n = 0;
    for (size_t r = 0; r < nrows; r += rows)
        for (size_t c = 0; c < ncols; c += width) {
            p[n].row0 = r;
            p[n].nrows = rows < nrows - r ? rows : nrows - r;
            p[n].col0 = c;
            p[n].ncols = width < ncols - c ? width : ncols - c;
            n++;
        }
    *plan = p;
    *nblocks = n;
    return TS_OK;
}

static ts_status grow(float **buf, size_t *cap, size_t cells, ts_diag *diag)
{
    if (cells <= *cap)
        return TS_OK;
    if (cells > SIZE_MAX / sizeof(float))
        return TS_FAIL(diag, TS_ERR_TOO_LARGE, "a block of %zu cells is too large", cells);
    float *p = realloc(*buf, cells * sizeof(float));
    if (!p)
        return TS_FAIL(diag, TS_ERR_NOMEM,
                       "out of memory for a block of %zu similarities: set a smaller tile size",
                       cells);
    *buf = p;
    *cap = cells;
    return TS_OK;
}

/* Compute blk into out (leading dimension ld), splitting it while it exceeds
 * the cell limit or the device runs out of memory. */
static ts_status execute_block(ts_engine *e, const ts_block *blk, float *out, size_t ld,
                               ts_diag *diag)
{
    size_t cells = blk->nrows * blk->ncols;
    if (cells == 0)
        return TS_OK;
    if (cells <= ts_engine_max_block_cells(e)) {
        float *dst = out;
        if (ld != blk->ncols) {
            ts_status st = grow(&e->scratch, &e->scratch_cap, cells, diag);
            if (st != TS_OK)
                return st;
            dst = e->scratch;
        }
        ts_status st = e->backend->ops->compute(e->backend, blk, dst, diag);
        if (st == TS_OK) {
            if (dst != out)
                for (size_t r = 0; r < blk->nrows; r++)
                    memcpy(out + r * ld, dst + r * blk->ncols, blk->ncols * sizeof *out);
            return TS_OK;
        }
        if (st != TS_ERR_DEVICE_MEMORY)
            return st;
        if (cells <= TS_ENGINE_MIN_BLOCK_CELLS) {
            ts_diag_append_tail(diag, " (even a block of so few similarities failed: free "
                                      "device memory or use --backend=cpu)");
            return st;
        }
        e->cell_cap = cells / 2; /* later blocks start at the size that may work */
    }
    ts_block a = *blk, b = *blk;
    float *out_b;
    if (blk->nrows > 1) {
        a.nrows = blk->nrows / 2;
        b.row0 = blk->row0 + a.nrows;
        b.nrows = blk->nrows - a.nrows;
        out_b = out + a.nrows * ld;
    } else {
        a.ncols = blk->ncols / 2;
        b.col0 = blk->col0 + a.ncols;
        b.ncols = blk->ncols - a.ncols;
        out_b = out + a.ncols;
    }
    ts_status st = execute_block(e, &a, out, ld, diag);
    if (st == TS_OK)
        st = execute_block(e, &b, out_b, ld, diag);
    return st;
}

ts_status ts_engine_execute(ts_engine *e, const ts_block *plan, size_t nblocks,
                            ts_tile_fn sink, void *sink_user, ts_diag *diag)
{
    if (!e || (!plan && nblocks) || !sink)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_execute: NULL argument");
    if (!e->bound)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "ts_engine_execute before a successful bind");
    for (size_t i = 0; i < nblocks; i++) {
        const ts_block *blk = &plan[i];
        if (blk->nrows && blk->ncols > SIZE_MAX / blk->nrows)
            return TS_FAIL(diag, TS_ERR_TOO_LARGE, "similarity block %zu is too large", i);
        size_t cells = blk->nrows * blk->ncols;
        ts_status st = grow(&e->block, &e->block_cap, cells ? cells : 1, diag);
        if (st == TS_OK)
            st = execute_block(e, blk, e->block, blk->ncols, diag);
        if (st != TS_OK)
            return st;
        ts_tile tile = {blk->row0, blk->nrows, blk->col0, blk->ncols, blk->ncols, e->block};
        ts_diag_clear(diag);
        st = sink(sink_user, &tile);
        if (st != TS_OK) {
            if (!diag || diag->status != st)
                TS_FAIL(diag, st, "the similarity consumer stopped the run: %s",
                        ts_status_message(st));
            return st;
        }
    }
    return TS_OK;
}

ts_backend *ts_engine_backend(ts_engine *e) { return e->backend; }

size_t ts_engine_tile_rows(const ts_engine *e) { return e->tile_rows; }

ts_status ts_engine_compute(ts_engine *e, const ts_block *blk, const float **scores,
                            ts_diag *diag)
{
    if (!e->bound)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "ts_engine_compute before a successful bind");
    if (blk->nrows && blk->ncols > SIZE_MAX / blk->nrows)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE, "a similarity block is too large");
    size_t cells = blk->nrows * blk->ncols;
    ts_status st = grow(&e->block, &e->block_cap, cells ? cells : 1, diag);
    if (st == TS_OK)
        st = execute_block(e, blk, e->block, blk->ncols, diag);
    *scores = e->block;
    return st;
}

void ts_engine_get_stats(const ts_engine *engine, ts_engine_stats *stats)
{
    if (!stats)
        return;
    if (!engine) {
        memset(stats, 0, sizeof *stats);
        return;
    }
    *stats = engine->backend->stats;
}

void ts_engine_stats_reset(ts_engine *engine)
{
    if (!engine)
        return;
    double build = engine->backend->stats.build_s;
    memset(&engine->backend->stats, 0, sizeof engine->backend->stats);
    engine->backend->stats.build_s = build;
}

/* The sink behind ts_engine_similarity: copies the column blocks of a strip
 * into one buffer and hands the full strip to the user's callback. */
typedef struct strip_sink {
    ts_tile_fn fn;
    void *user;
    size_t ncols;  /* of the whole matrix */
    float *strip;
    size_t cap;
    size_t filled; /* columns of the current strip received so far */
    ts_diag *diag;
} strip_sink;

static ts_status strip_consume(void *user, const ts_tile *t)
{
    strip_sink *s = user;
    if (t->col0 == 0 && t->ncols == s->ncols) /* a whole strip: no copy */
        return s->fn(s->user, t);
    if (t->col0 != s->filled)
        return TS_FAIL(s->diag, TS_ERR_INTERNAL,
                       "strip plan out of order: columns from %zu, expected %zu", t->col0,
                       s->filled);
    ts_status st = grow(&s->strip, &s->cap, t->nrows * s->ncols, s->diag);
    if (st != TS_OK)
        return st;
    for (size_t r = 0; r < t->nrows; r++)
        memcpy(s->strip + r * s->ncols + t->col0, t->scores + r * t->ld,
               t->ncols * sizeof(float));
    s->filled += t->ncols;
    if (s->filled < s->ncols)
        return TS_OK;
    s->filled = 0;
    ts_tile strip = {t->row0, t->nrows, 0, s->ncols, s->ncols, s->strip};
    return s->fn(s->user, &strip);
}

ts_status ts_engine_similarity_csr(ts_engine *e, const ts_csr *m, ts_tile_fn fn, void *user,
                                   ts_diag *diag)
{
    return ts_engine_similarity_shared(e, m, NULL, NULL, fn, user, diag);
}

ts_status ts_engine_similarity_shared(ts_engine *e, const ts_csr *m,
                                      ts_status (*next)(void *user, uint64_t *strip),
                                      void *next_user, ts_tile_fn fn, void *user, ts_diag *diag)
{
    if (!e || !m || !fn)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_similarity: NULL argument");
    ts_diag_clear(diag);
    if (m->rows == 0)
        return TS_OK;
    ts_status st = ts_engine_bind(e, m, m, diag);
    if (st != TS_OK)
        return st;
    ts_block *plan;
    size_t nblocks;
    st = ts_engine_plan_strips(e, m->rows, m->rows, ts_engine_max_block_cells(e), &plan,
                               &nblocks, diag);
    if (st != TS_OK)
        return st;
    if (next) { /* keep the blocks of this process's strips, in order */
        uint64_t strip = 0, mine;
        size_t kept = 0;
        st = next(next_user, &mine);
        for (size_t b = 0; b < nblocks && st == TS_OK; b++) {
            if (b > 0 && plan[b].row0 != plan[b - 1].row0) {
                if (strip++ == mine)
                    st = next(next_user, &mine);
            }
            if (strip == mine)
                plan[kept++] = plan[b];
        }
        nblocks = kept;
    }
    strip_sink sink = {fn, user, m->rows, NULL, 0, 0, diag};
    if (st == TS_OK)
        st = ts_engine_execute(e, plan, nblocks, strip_consume, &sink, diag);
    free(sink.strip);
    free(plan);
    return st;
}

ts_status ts_engine_similarity(ts_engine *engine, const ts_tfidf *tfidf, ts_tile_fn fn,
                               void *user, ts_diag *diag)
{
    if (!engine || !tfidf || !fn)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_engine_similarity: NULL argument");
    const ts_csr *m = ts_tfidf_csr(tfidf);
    if (!m)
        return TS_FAIL(diag, TS_ERR_INTERNAL, "ts_engine_similarity: the TF-IDF has no matrix");
    return ts_engine_similarity_csr(engine, m, fn, user, diag);
}
