/*
 * csr.h - compressed sparse row matrix of float weights (internal).
 *
 * The TF-IDF matrix and every backend speak this layout: row r's non-zeros
 * are idx[ptr[r] .. ptr[r+1]) with values val[...], column indices strictly
 * ascending within a row.  32-bit indices keep device buffers small; builders
 * fail with TS_ERR_TOO_LARGE before any count would overflow them.
 */
#ifndef TS_CSR_H
#define TS_CSR_H

#include <stdint.h>

#include "textsim.h"

typedef struct ts_csr {
    uint32_t rows;
    uint32_t cols;
    uint32_t *ptr; /* rows + 1 entries, ptr[0] = 0, ptr[rows] = nnz */
    uint32_t *idx; /* nnz column indices */
    float *val;    /* nnz values */
} ts_csr;

static inline uint32_t ts_csr_nnz(const ts_csr *m) { return m->ptr[m->rows]; }

/* m's transpose into *t (t->rows = m->cols, each row's columns ascending),
 * in new arrays that ts_csr_release frees; TS_ERR_NOMEM, or TS_ERR_INTERNAL
 * for a column index out of range. */
ts_status ts_csr_transpose(const ts_csr *m, ts_csr *t, ts_diag *diag);
/* Free the arrays of a matrix ts_csr_transpose made and zero it; NULL is a
 * no-op. */
void ts_csr_release(ts_csr *t);

#endif
