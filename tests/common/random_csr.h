/*
 * random_csr.h - seeded random sparse l2-normalised CSR matrices for the
 * engine and pairs tests (include after <cmocka.h>: failures are cmocka
 * assertions).  The text generator the bench shares is synth.h.
 *
 * Shapes: uniform or Zipf terms, a range of non-zeros per row, empty rows,
 * one very long row, or clusters of near-duplicate rows (many near-equal
 * and equal scores, to test ties).
 */
#ifndef TS_TEST_RANDOM_CSR_H
#define TS_TEST_RANDOM_CSR_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/csr.h"

static inline uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline double rng_unit(uint64_t *s)
{
    return (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

typedef struct gen_spec {
    uint32_t rows, vocab;
    uint32_t nnz_min, nnz_max; /* per row, uniform */
    double empty_fraction;     /* rows left empty */
    uint32_t long_row;         /* index of a row with long_nnz non-zeros, or UINT32_MAX */
    uint32_t long_nnz;
    double zipf;               /* 0: uniform terms; else Zipf exponent */
    uint32_t cluster_nnz;      /* >0: rows are perturbations of one base row of this size */
    uint64_t seed;
} gen_spec;

static inline void csr_free(ts_csr *m)
{
    free(m->ptr);
    free(m->idx);
    free(m->val);
    memset(m, 0, sizeof *m);
}

static inline int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Draw a term: uniform, or Zipf by inverting the cumulative weights. */
static inline uint32_t draw_term(const gen_spec *g, const double *cdf, uint64_t *s)
{
    if (!cdf)
        return (uint32_t)(rng_next(s) % g->vocab);
    double u = rng_unit(s) * cdf[g->vocab - 1];
    uint32_t lo = 0, hi = g->vocab - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sorted distinct terms (up to want) into buf; returns their count. */
static inline uint32_t draw_row(const gen_spec *g, const double *cdf, uint64_t *s, uint32_t want,
                         uint32_t *buf, uint8_t *seen)
{
    if (want > g->vocab)
        want = g->vocab;
    uint32_t n = 0;
    for (uint32_t tries = 0; n < want && tries < want * 20u + 100; tries++) {
        uint32_t t = draw_term(g, cdf, s);
        if (!seen[t]) {
            seen[t] = 1;
            buf[n++] = t;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        seen[buf[i]] = 0;
    qsort(buf, n, sizeof *buf, cmp_u32);
    return n;
}

static inline void make_csr(ts_csr *m, const gen_spec *g)
{
    uint64_t s = g->seed;
    double *cdf = NULL;
    if (g->zipf > 0) {
        cdf = malloc(g->vocab * sizeof *cdf);
        assert_non_null(cdf);
        double acc = 0;
        for (uint32_t k = 0; k < g->vocab; k++)
            cdf[k] = acc += pow(k + 1.0, -g->zipf);
    }
    uint32_t maxrow = g->nnz_max > g->long_nnz ? g->nnz_max : g->long_nnz;
    if (g->cluster_nnz > maxrow)
        maxrow = g->cluster_nnz;
    maxrow += g->nnz_max + 1;
    uint32_t *buf = malloc(maxrow * sizeof *buf);
    uint8_t *seen = calloc(g->vocab, 1);
    uint32_t *base = malloc((g->cluster_nnz + 1) * sizeof *base);
    m->rows = g->rows;
    m->cols = g->vocab;
    m->ptr = calloc((size_t)g->rows + 1, sizeof *m->ptr);
    size_t cap = 1024;
    m->idx = malloc(cap * sizeof *m->idx);
    m->val = malloc(cap * sizeof *m->val);
    assert_true(buf && seen && base && m->ptr && m->idx && m->val);
    uint32_t nbase = g->cluster_nnz ? draw_row(g, cdf, &s, g->cluster_nnz, base, seen) : 0;
    size_t nnz = 0;
    for (uint32_t r = 0; r < g->rows; r++) {
        uint32_t n = 0;
        if (r == g->long_row) {
            n = draw_row(g, cdf, &s, g->long_nnz, buf, seen);
        } else if (rng_unit(&s) >= g->empty_fraction) {
            uint32_t want = g->nnz_min + (uint32_t)(rng_next(&s) % (g->nnz_max - g->nnz_min + 1));
            if (nbase) { /* keep ~90% of the base terms, add a few random ones */
                for (uint32_t i = 0; i < nbase; i++)
                    if (rng_unit(&s) < 0.9) {
                        buf[n++] = base[i];
                        seen[base[i]] = 1;
                    }
                uint32_t extra = want / 10 + 1;
                for (uint32_t i = 0; i < extra; i++) {
                    uint32_t t = draw_term(g, cdf, &s);
                    if (!seen[t]) {
                        seen[t] = 1;
                        buf[n++] = t;
                    }
                }
                for (uint32_t i = 0; i < n; i++)
                    seen[buf[i]] = 0;
                qsort(buf, n, sizeof *buf, cmp_u32);
            } else {
                n = draw_row(g, cdf, &s, want, buf, seen);
            }
        }
        if (nnz + n > cap) {
            while (nnz + n > cap)
                cap *= 2;
            m->idx = realloc(m->idx, cap * sizeof *m->idx);
            m->val = realloc(m->val, cap * sizeof *m->val);
            assert_true(m->idx && m->val);
        }
        double norm = 0;
        double *v = malloc((n + 1) * sizeof *v);
        assert_non_null(v);
        for (uint32_t i = 0; i < n; i++) {
            /* tf-idf-like positive weights with a wide range */
            v[i] = (1.0 + 3.0 * rng_unit(&s)) * (1.0 + log(1.0 + buf[i] % 97));
            norm += v[i] * v[i];
        }
        norm = sqrt(norm);
        for (uint32_t i = 0; i < n; i++) {
            m->idx[nnz + i] = buf[i];
            m->val[nnz + i] = (float)(v[i] / norm);
        }
        free(v);
        nnz += n;
        m->ptr[r + 1] = (uint32_t)nnz;
    }
    free(cdf);
    free(buf);
    free(seen);
    free(base);
}

#endif
