/*
 * pairs_ref.h - the reference and the checks of ts_engine_pairs that the
 * unit tests and textsim-bench share (tests/common, textsim_testkit).
 *
 * A row's list is compared with a reference list within a tolerance: scores
 * at each rank and of each shared pair agree within tol, and a statement
 * only one list holds scores within tol of the other list's cut, so order
 * and membership may differ only among near-ties (counted apart).
 */
#ifndef TS_TK_PAIRS_REF_H
#define TS_TK_PAIRS_REF_H

#include <stddef.h>
#include <stdint.h>

#include "text/csr.h"
#include "textsim.h"

/* Lists of matches, row by row: row r is m[off[r] .. off[r + 1]). */
typedef struct tk_lists {
    size_t rows;
    size_t *off;
    ts_match *m;
    size_t n, cap;
} tk_lists;
void tk_lists_init(tk_lists *l, size_t rows);
/* Append the next row's list. */
void tk_lists_append(tk_lists *l, const ts_match *m, size_t n);
void tk_lists_free(tk_lists *l);

/* What the checks found for one backend. */
typedef struct tk_check {
    uint64_t rows_bad;   /* rows (or pairs) that broke a rule */
    uint64_t near_ties;  /* rows whose order or membership differed among near-ties */
    double max_diff;     /* largest score difference on pairs both lists hold */
    char first[512];     /* the first failure */
} tk_check;
void tk_check_fail(tk_check *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* a ranks before b: higher score, then lower statement (the engine's order). */
int tk_match_before(const ts_match *a, const ts_match *b);

/* For each of rows[0..nrows): the exact (double) dot product with every
 * other row of m, those that qualify under po (score > 0 and >= min_score,
 * another group with cross_source: po->groups), best first, the first
 * top_k (all with top_k 0).  O(nrows * nnz). */
void tk_naive_lists(tk_lists *out, const ts_csr *m, const size_t *rows, size_t nrows,
                    const ts_pairs_options *po);

/* Row `row` of got[0..ng) against ref[0..nr), both best first; `what`
 * names the reference in messages. */
void tk_compare_row(tk_check *res, const char *what, uint32_t row, const ts_match *ref,
                    size_t nr, const ts_match *got, size_t ng, const ts_pairs_options *po,
                    double tol);

/* The promises of ts_engine_pairs on every list of l (n statements): at
 * most k, in order, no self match, scores > 0 and >= min_score, another
 * group, no repeats, every match listed from both sides with the same
 * score unless k cut the other list. */
void tk_check_promises(tk_check *res, const tk_lists *l, size_t n, const ts_pairs_options *po,
                       double tol);

/* In the first of rows whose two best scores differ by more than tol, swap
 * them: a clear order error every check must see (bench --inject-fault). */
void tk_inject_fault(tk_lists *l, const size_t *rows, size_t nrows, double tol);

#endif
