/*
 * synth.h - the synthetic corpus the tests and textsim-bench share
 * (tests/common, linked as textsim_testkit).
 */
#ifndef TS_TK_SYNTH_H
#define TS_TK_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "textsim.h"

/* calloc that prints and exits on failure (test and bench tools only). */
void *tk_xcalloc(size_t n, size_t size);

/* xorshift64*: a small seeded generator, the same sequence everywhere. */
uint64_t tk_rng_next(uint64_t *s);
/* Uniform in [0, 1). */
double tk_rng_unit(uint64_t *s);

/* Zipf's law (exponent 1.07) over vocab words. */
typedef struct tk_zipf tk_zipf;
tk_zipf *tk_zipf_create(size_t vocab);
void tk_zipf_free(tk_zipf *z);

/* The generator state of a seed. */
uint64_t tk_synth_seed(uint64_t seed);
/* One statement and its '\n' appended to text; word i is the base-26
 * letters of i + 26 (at least two letters: the token rule). */
void tk_synth_statement(const tk_zipf *z, uint64_t *s, ts_buf *text);
/* "s00".."sNN": zero-padded so that name order is number order. */
void tk_source_name(char *out, size_t size, size_t src, size_t sources);

/* The synthetic corpus into `corpus`: statements [src*N/S, (src+1)*N/S)
 * belong to source src, generated in statement order from one stream, one
 * statement per line (so they do not depend on S). */
ts_status tk_synth_corpus(ts_corpus *corpus, size_t statements, size_t sources, size_t vocab,
                          uint64_t seed, ts_diag *diag);

#endif
