/*
 * front.c - the front: the few most frequent terms of a TF-IDF matrix.
 *
 * With stop words kept, a handful of terms occur in a large share of the
 * statements and make most of the products of a sparse A * A^T (on news
 * text the 8 most frequent make 83% of sum df^2).  Their posting lists
 * cover nearly every column, the worst case for a scatter, so two kernels
 * treat them apart (kernels/cosine.cl): the pruned pairs pass bounds their
 * share per column instead of scattering it, and the similarity kernel
 * multiplies them dense and scatters the rest.  Here are the host's parts:
 * the document frequencies, the choice of terms, and their weights as
 * dense term-major arrays.
 */
#include <string.h>

#include "front.h"

void ts_front_df(const ts_csr *m, uint32_t *df)
{
    memset(df, 0, (size_t)m->cols * sizeof *df);
    for (uint32_t p = 0; p < ts_csr_nnz(m); p++)
        df[m->idx[p]]++;
}

void ts_front_df_lists(const ts_csr *m, const ts_csr *t, uint32_t *df)
{
    if (!t) {
        ts_front_df(m, df);
        return;
    }
    for (uint32_t c = 0; c < t->rows; c++)
        df[c] = t->ptr[c + 1] - t->ptr[c];
}

/* (t, df) ranks before (u, du): more frequent, then lower term. */
static int ranks_before(uint32_t t, uint32_t dt, uint32_t u, uint32_t du)
{
    return dt > du || (dt == du && t < u);
}

size_t ts_front_pick(const uint32_t *df, uint32_t cols, uint32_t min_df, size_t max_terms,
                     uint32_t *terms)
{
    size_t n = 0;
    if (min_df == 0)
        min_df = 1;
    /* an insertion into the sorted short list: max_terms is a few dozen and
     * few terms pass min_df, so this is one pass over df */
    for (uint32_t t = 0; t < cols && max_terms > 0; t++) {
        if (df[t] < min_df)
            continue;
        if (n == max_terms && !ranks_before(t, df[t], terms[n - 1], df[terms[n - 1]]))
            continue;
        size_t q = n < max_terms ? n++ : n - 1;
        for (; q > 0 && ranks_before(t, df[t], terms[q - 1], df[terms[q - 1]]); q--)
            terms[q] = terms[q - 1];
        terms[q] = t;
    }
    return n;
}

void ts_front_term_major(const ts_csr *m, const uint32_t *slot, uint32_t n, uint32_t ld,
                         float *out)
{
    memset(out, 0, (size_t)n * ld * sizeof *out);
    for (uint32_t r = 0; r < m->rows; r++)
        for (uint32_t p = m->ptr[r]; p < m->ptr[r + 1]; p++)
            if (slot[m->idx[p]])
                out[(size_t)(slot[m->idx[p]] - 1) * ld + r] = m->val[p];
}
