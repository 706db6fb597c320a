/*
 * synth.c - the synthetic corpus of the tests and the bench (synth.h).
 *
 * Words follow Zipf's law with exponent 1.07 over a vocabulary (close to
 * news text); statement lengths are log-normal around 18 tokens (5..80), as
 * in sentence-segmented news.  Everything is driven by one seeded stream,
 * so a seed gives the same text on every machine: the corpora measured in
 * bench/RESULTS.md are named by their digests.
 */
#include "synth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *tk_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    return p;
}

/* xorshift64*: a small seeded generator, the same sequence everywhere. */
uint64_t tk_rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

double tk_rng_unit(uint64_t *s) { return (double)(tk_rng_next(s) >> 11) * 0x1.0p-53; }

/* Zipf's law with exponent 1.07 over `vocab` words (close to news text):
 * the cumulative distribution, and a guide table that maps the top bits of
 * a uniform draw to the first word it can land on, so a draw costs a few
 * comparisons instead of a binary search over the whole vocabulary (the
 * generator's hot loop: a million statements are 18 million draws). */
#define GUIDE_BITS 16
struct tk_zipf {
    double *cdf;
    size_t vocab;
    uint32_t guide[(1u << GUIDE_BITS) + 1];
};

tk_zipf *tk_zipf_create(size_t vocab)
{
    tk_zipf *z = tk_xcalloc(1, sizeof *z);
    z->vocab = vocab;
    z->cdf = tk_xcalloc(vocab, sizeof *z->cdf);
    double total = 0;
    for (size_t i = 0; i < vocab; i++)
        total += pow((double)(i + 1), -1.07);
    double acc = 0;
    for (size_t i = 0; i < vocab; i++) {
        acc += pow((double)(i + 1), -1.07) / total;
        z->cdf[i] = acc;
    }
    size_t w = 0;
    for (size_t g = 0; g <= (1u << GUIDE_BITS); g++) {
        double u = (double)g / (double)(1u << GUIDE_BITS);
        while (w + 1 < vocab && z->cdf[w] < u)
            w++;
        z->guide[g] = (uint32_t)w;
    }
    return z;
}

void tk_zipf_free(tk_zipf *z)
{
    if (!z)
        return;
    free(z->cdf);
    free(z);
}

/* The first word whose cumulative frequency reaches u (the last word if
 * rounding leaves u above them all): what a binary search would find. */
static size_t zipf_word(const tk_zipf *z, double u)
{
    size_t g = (size_t)(u * (double)(1u << GUIDE_BITS));
    size_t lo = z->guide[g], hi = g < (1u << GUIDE_BITS) ? z->guide[g + 1] : z->vocab - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (z->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One statement and its line end: a log-normal length around 18 tokens
 * (5..80), as in sentence-segmented news; word i is the base-26 letters of
 * i + 26, at least two letters (the token rule). */
void tk_synth_statement(const tk_zipf *z, uint64_t *s, ts_buf *text)
{
    double u1 = tk_rng_unit(s), u2 = tk_rng_unit(s); /* Box-Muller */
    double g = sqrt(-2 * log(u1 + 1e-300)) * cos(6.283185307179586 * u2);
    long len = lround(exp(log(18.0) + 0.45 * g));
    len = len < 5 ? 5 : len > 80 ? 80 : len;
    for (long w = 0; w < len; w++) {
        char word[16];
        int p = 0;
        size_t v = zipf_word(z, tk_rng_unit(s)) + 26;
        while (v) {
            word[p++] = (char)('a' + v % 26);
            v /= 26;
        }
        if (w)
            ts_buf_putc(text, ' ');
        ts_buf_append(text, word, (size_t)p);
    }
    ts_buf_putc(text, '\n');
}

/* "s00".."sNN": zero-padded so that name order is number order. */
void tk_source_name(char *out, size_t size, size_t src, size_t sources)
{
    int width = 2;
    for (size_t m = 100; m < sources && width < 19; m *= 10)
        width++;
    snprintf(out, size, "s%0*zu", width, src);
}

uint64_t tk_synth_seed(uint64_t seed)
{
    return seed * 0x9E3779B97F4A7C15ULL + 1;
}

ts_status tk_synth_corpus(ts_corpus *corpus, size_t statements, size_t sources, size_t vocab,
                          uint64_t seed, ts_diag *diag)
{
    tk_zipf *z = tk_zipf_create(vocab);
    uint64_t s = tk_synth_seed(seed);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ts_buf text = {0};
    ts_status st = TS_OK;
    for (size_t src = 0; src < sources && st == TS_OK; src++) {
        char name[32];
        tk_source_name(name, sizeof name, src, sources);
        text.len = 0;
        for (size_t k = src * statements / sources; k < (src + 1) * statements / sources; k++)
            tk_synth_statement(z, &s, &text);
        st = text.failed ? TS_ERR_NOMEM
                         : ts_corpus_add_text(corpus, name, text.data, text.len, "synthetic",
                                              &ro, diag);
    }
    ts_buf_free(&text);
    tk_zipf_free(z);
    return st;
}
