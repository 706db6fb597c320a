/*
 * vocab.h - a set of byte strings numbered in order of first insertion (internal).
 *
 * Used for the TF-IDF vocabulary (term -> column before sorting) and for the
 * stop-word set.  Ids are 0, 1, 2, ... in the order terms were first added, so
 * everything built on it is deterministic.
 */
#ifndef TS_VOCAB_H
#define TS_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "textsim.h"

#define TS_VOCAB_NONE UINT32_MAX

typedef struct ts_vocab ts_vocab;

/* NULL on out of memory. */
ts_vocab *ts_vocab_create(void);
void ts_vocab_free(ts_vocab *vocab);

/* Id of `term`, adding it if it is new (*added, may be NULL, says which).
 * Fails with TS_ERR_NOMEM, or TS_ERR_TOO_LARGE past 2^32 - 2 terms or a term
 * of 4 GiB (no diag: the caller words the message). */
ts_status ts_vocab_intern(ts_vocab *vocab, const char *term, size_t length, uint32_t *id,
                          int *added);

/* The same with h = ts_vocab_hash(term, length) already computed. */
ts_status ts_vocab_intern_hashed(ts_vocab *vocab, const char *term, size_t length, uint64_t h,
                                 uint32_t *id, int *added);

/* The hash ts_vocab_intern uses. */
uint64_t ts_vocab_hash(const char *term, size_t length);

/* Hint that a term with this hash will be interned soon: stage 0 prefetches
 * its home slot, stage 1 (a few terms later, once the slot is in cache) the
 * term bytes the slot points to.  No effect on results. */
void ts_vocab_prefetch(const ts_vocab *vocab, uint64_t hash, int stage);

/* Id of `term`, or TS_VOCAB_NONE. */
uint32_t ts_vocab_find(const ts_vocab *vocab, const char *term, size_t length);

size_t ts_vocab_size(const ts_vocab *vocab);

/* The term with that id, NUL-terminated; *length (may be NULL) gets its bytes.
 * Valid until the next ts_vocab_intern. */
const char *ts_vocab_term(const ts_vocab *vocab, uint32_t id, size_t *length);

#endif
