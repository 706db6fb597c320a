/*
 * pairs_ref.c - what ts_engine_pairs must deliver, checked (pairs_ref.h):
 * the naive reference, row comparison with near-tie tolerance, and the
 * API's promises.  One descriptor for the unit tests (test_pairs.c) and
 * textsim-bench, so both hold the engine to the same rules.
 */
#include "pairs_ref.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synth.h"

void tk_check_fail(tk_check *r, const char *fmt, ...)
{
    if (r->rows_bad++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->first, sizeof r->first, fmt, ap);
        va_end(ap);
    }
}

void tk_lists_init(tk_lists *l, size_t rows)
{
    memset(l, 0, sizeof *l);
    l->off = tk_xcalloc(rows + 1, sizeof *l->off);
}

void tk_lists_append(tk_lists *l, const ts_match *m, size_t n)
{
    if (l->cap - l->n < n) {
        size_t cap = l->cap ? l->cap : 4096;
        while (cap - l->n < n)
            cap *= 2;
        ts_match *p = realloc(l->m, cap * sizeof *p);
        if (!p) {
            fprintf(stderr, "out of memory keeping %zu matches\n", cap);
            exit(1);
        }
        l->m = p;
        l->cap = cap;
    }
    if (n)
        memcpy(l->m + l->n, m, n * sizeof *m);
    l->n += n;
    l->off[++l->rows] = l->n;
}

void tk_lists_free(tk_lists *l)
{
    free(l->off);
    free(l->m);
    memset(l, 0, sizeof *l);
}

int tk_match_before(const ts_match *a, const ts_match *b)
{
    return a->score > b->score || (a->score == b->score && a->statement < b->statement);
}

static int cmp_rank(const void *pa, const void *pb)
{
    const ts_match *a = pa, *b = pb;
    return tk_match_before(a, b) ? -1 : tk_match_before(b, a) ? 1 : 0;
}

static int cmp_statement(const void *pa, const void *pb)
{
    const ts_match *a = pa, *b = pb;
    return (a->statement > b->statement) - (a->statement < b->statement);
}

/* The lowest score a list can hold: its last when k cut it, else the
 * floor every match is above. */
static double list_cut(const ts_match *m, size_t n, const ts_pairs_options *po)
{
    if (po->top_k && n == po->top_k)
        return m[n - 1].score;
    return po->min_score > 0 ? po->min_score : 0;
}

/* Row `row` of `got` against the same row of a reference, both best first.
 * Scores at each rank and of each shared pair must agree within tol; a
 * statement that only one list holds must score within tol of the other
 * list's cut (a near-tie at the cut, or at min_score).  Together these
 * allow other orders and memberships only among near-ties. */
void tk_compare_row(tk_check *res, const char *what, uint32_t row, const ts_match *ref,
                    size_t nr, const ts_match *got, size_t ng, const ts_pairs_options *po,
                    double tol)
{
    int tie = 0;
    uint64_t bad0 = res->rows_bad;
    size_t m = nr < ng ? nr : ng;
    for (size_t i = 0; i < m; i++) {
        if (fabs((double)ref[i].score - got[i].score) > tol) {
            tk_check_fail(res, "statement %u, rank %zu: score %.7f, %s has %.7f", row, i + 1,
                       got[i].score, what, ref[i].score);
            return;
        }
        if (ref[i].statement != got[i].statement)
            tie = 1;
    }
    ts_match *a = tk_xcalloc(nr + ng, sizeof *a), *b = a + nr;
    if (nr) {
        memcpy(a, ref, nr * sizeof *a);
        qsort(a, nr, sizeof *a, cmp_statement);
    }
    if (ng) {
        memcpy(b, got, ng * sizeof *b);
        qsort(b, ng, sizeof *b, cmp_statement);
    }
    double cut_ref = list_cut(ref, nr, po), cut_got = list_cut(got, ng, po);
    size_t i = 0, j = 0;
    while ((i < nr || j < ng) && res->rows_bad == bad0) {
        if (i < nr && j < ng && a[i].statement == b[j].statement) {
            double dd = fabs((double)a[i].score - b[j].score);
            res->max_diff = fmax(res->max_diff, dd);
            if (dd > tol)
                tk_check_fail(res, "statements %u and %u: score %.7f, %s has %.7f", row,
                           b[j].statement, b[j].score, what, a[i].score);
            i++, j++;
        } else if (j < ng && (i == nr || b[j].statement < a[i].statement)) {
            if (fabs(b[j].score - cut_ref) > tol)
                tk_check_fail(res, "statement %u lists %u (score %.7f), %s does not (its cut %.7f)",
                           row, b[j].statement, b[j].score, what, cut_ref);
            tie = 1, j++;
        } else {
            if (fabs(a[i].score - cut_got) > tol)
                tk_check_fail(res, "statement %u misses %u (score %.7f in %s; cut %.7f)", row,
                           a[i].statement, a[i].score, what, cut_got);
            tie = 1, i++;
        }
    }
    free(a);
    if (tie && res->rows_bad == bad0)
        res->near_ties++;
}

/* The promises of ts_engine_pairs, on every list a backend delivered. */
void tk_check_promises(tk_check *res, const tk_lists *l, size_t n, const ts_pairs_options *po,
                       double tol)
{
    if (l->rows != n) {
        tk_check_fail(res, "%zu statements delivered, not %zu", l->rows, n);
        return;
    }
    /* each row sorted by statement, for duplicates and the other side */
    ts_match *by = tk_xcalloc(l->n, sizeof *by);
    if (l->n)
        memcpy(by, l->m, l->n * sizeof *by);
    for (size_t r = 0; r < n; r++)
        if (l->off[r + 1] > l->off[r])
            qsort(by + l->off[r], l->off[r + 1] - l->off[r], sizeof *by, cmp_statement);
    for (size_t r = 0; r < n; r++) {
        const ts_match *m = l->m + l->off[r];
        size_t k = l->off[r + 1] - l->off[r];
        if (po->top_k && k > po->top_k)
            tk_check_fail(res, "statement %zu has %zu matches, more than k = %u", r, k, po->top_k);
        for (size_t i = 0; i < k; i++) {
            uint32_t o = m[i].statement;
            float s = m[i].score;
            if (o >= n || o == r || !(s > 0) || s < po->min_score ||
                (po->cross_source && po->groups[o] == po->groups[r])) {
                tk_check_fail(res, "statement %zu: match %u with score %.7f breaks the rules", r, o,
                           s);
                break;
            }
            if (i && !tk_match_before(&m[i - 1], &m[i])) {
                tk_check_fail(res, "statement %zu: rank %zu (%u, %.7f) is not after rank %zu "
                                "(%u, %.7f)",
                           r, i + 1, o, s, i, m[i - 1].statement, m[i - 1].score);
                break;
            }
            if (i && by[l->off[r] + i].statement == by[l->off[r] + i - 1].statement) {
                tk_check_fail(res, "statement %zu lists %u twice", r, by[l->off[r] + i].statement);
                break;
            }
            /* the other side: o lists r with the same score, unless k cut o's list */
            const ts_match *ob = by + l->off[o];
            size_t on = l->off[o + 1] - l->off[o];
            ts_match key = {(uint32_t)r, 0};
            const ts_match *hit = bsearch(&key, ob, on, sizeof key, cmp_statement);
            if (hit ? fabs(hit->score - s) > tol
                    : !(po->top_k && on == po->top_k &&
                        l->m[l->off[o + 1] - 1].score >= s - tol)) {
                tk_check_fail(res, "statement %zu lists %u (score %.7f) but %u %s", r, o, s, o,
                           hit ? "has another score" : "does not list it and its list is not cut");
                break;
            }
        }
    }
    free(by);
}

/* The naive reference of the sampled rows: the exact (double) dot product
 * with every other statement, the qualifying ones sorted, the first k. */
void tk_naive_lists(tk_lists *out, const ts_csr *m, const size_t *rows, size_t nrows,
                    const ts_pairs_options *po)
{
    size_t n = m->rows;
    const uint32_t *groups = po->groups;
    double *dense = tk_xcalloc(m->cols, sizeof *dense);
    ts_match *cand = tk_xcalloc(n, sizeof *cand);
    tk_lists_init(out, nrows);
    for (size_t k = 0; k < nrows; k++) {
        size_t r = rows[k], nc = 0;
        for (uint32_t t = m->ptr[r]; t < m->ptr[r + 1]; t++)
            dense[m->idx[t]] = m->val[t];
        for (size_t j = 0; j < n; j++) {
            if (j == r || (po->cross_source && groups[j] == groups[r]))
                continue;
            double dot = 0;
            for (uint32_t t = m->ptr[j]; t < m->ptr[j + 1]; t++)
                dot += dense[m->idx[t]] * m->val[t];
            float s = (float)dot;
            if (s > 0 && s >= po->min_score)
                cand[nc++] = (ts_match){(uint32_t)j, s};
        }
        for (uint32_t t = m->ptr[r]; t < m->ptr[r + 1]; t++)
            dense[m->idx[t]] = 0;
        qsort(cand, nc, sizeof *cand, cmp_rank);
        tk_lists_append(out, cand, po->top_k && nc > po->top_k ? po->top_k : nc);
    }
    free(cand);
    free(dense);
}

/* In the first sampled row whose two best scores differ by more than tol,
 * swap them: a clear order error every check must see. */
void tk_inject_fault(tk_lists *l, const size_t *rows, size_t nrows, double tol)
{
    for (size_t k = 0; k < nrows; k++) {
        ts_match *m = l->m + l->off[rows[k]];
        if (l->off[rows[k] + 1] - l->off[rows[k]] >= 2 && m[0].score - m[1].score > tol) {
            ts_match t = m[0];
            m[0] = m[1];
            m[1] = t;
            return;
        }
    }
}
