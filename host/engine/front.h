/*
 * front.h - the front: the few most frequent terms of a matrix (internal).
 */
#ifndef TS_FRONT_H
#define TS_FRONT_H

#include <stddef.h>
#include <stdint.h>

#include "text/csr.h"

/* The document frequency of each of m's columns into df[0 .. m->cols). */
void ts_front_df(const ts_csr *m, uint32_t *df);
/* The same from m's transpose t (its lists' lengths, O(columns)) when t is
 * not NULL (an index file's posting lists), else counted over m. */
void ts_front_df_lists(const ts_csr *m, const ts_csr *t, uint32_t *df);

/* The terms with df >= min_df (min_df >= 1), at most max_terms of them, the
 * most frequent first (ties: the lower term first), into terms[]; returns
 * how many. */
size_t ts_front_pick(const uint32_t *df, uint32_t cols, uint32_t min_df, size_t max_terms,
                     uint32_t *terms);

/* m's weights of the front, term-major: out[(slot[t] - 1) * ld + r] is row
 * r's weight of term t for every term with slot[t] != 0 (slots 1 .. n);
 * every other cell of the n x ld array (ld >= m->rows) is 0. */
void ts_front_term_major(const ts_csr *m, const uint32_t *slot, uint32_t n, uint32_t ld,
                         float *out);

#endif
