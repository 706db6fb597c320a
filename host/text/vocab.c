/*
 * vocab.c - open-addressing hash set of byte strings with insertion-order ids.
 *
 * Hand-written rather than taken from a library because every token of every
 * statement goes through ts_vocab_intern (tens of millions of lookups for a
 * large corpus) and C has no standard hash map.  Linear probing over a
 * power-of-two table of slots kept at most half full.  A slot holds the
 * term's pool offset as well as its hash and id, and the pool stores each
 * term's length just before its bytes, so a lookup touches two cache lines
 * (slot, term) rather than three.  Terms live NUL-terminated, back to back,
 * in one growing pool: no per-term malloc.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "vocab.h"

typedef struct slot {
    uint64_t off;  /* pool offset of the term's bytes */
    uint32_t hash; /* low 32 bits of the term's hash */
    uint32_t id;   /* TS_VOCAB_NONE when empty */
} slot;

/* Pool entry: uint32 length (unaligned, memcpy'd), bytes, NUL. */
#define LEN_BYTES 4

struct ts_vocab {
    slot *slots;
    size_t mask;     /* table size - 1 */
    size_t count;    /* terms */
    char *pool;      /* entries: length, bytes, NUL */
    size_t pool_len;
    size_t pool_cap;
    size_t *offsets; /* count entries: pool offset of term i's bytes */
    size_t offsets_cap;
};

#define INITIAL_SLOTS 1024u

/* A fast 64-bit mix over 8-byte words (splitmix64 finaliser constants). */
uint64_t ts_vocab_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t k;
        memcpy(&k, s, 8);
        h = (h ^ k) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    uint64_t k = 0;
    if (n)
        memcpy(&k, s, n);
    h = (h ^ k) * 0x94D049BB133111EBu;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 32;
    return h;
}

static slot *slots_alloc(size_t n)
{
    slot *s = malloc(n * sizeof *s);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s[i].id = TS_VOCAB_NONE;
    return s;
}

ts_vocab *ts_vocab_create(void)
{
    ts_vocab *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->slots = slots_alloc(INITIAL_SLOTS);
    v->offsets_cap = 256;
    v->offsets = malloc(v->offsets_cap * sizeof *v->offsets);
    if (!v->slots || !v->offsets) {
        ts_vocab_free(v);
        return NULL;
    }
    v->mask = INITIAL_SLOTS - 1;
    return v;
}

void ts_vocab_free(ts_vocab *vocab)
{
    if (!vocab)
        return;
    free(vocab->slots);
    free(vocab->pool);
    free(vocab->offsets);
    free(vocab);
}

size_t ts_vocab_size(const ts_vocab *vocab) { return vocab->count; }

static size_t entry_length(const ts_vocab *v, size_t off)
{
    uint32_t len;
    memcpy(&len, v->pool + off - LEN_BYTES, LEN_BYTES);
    return len;
}

const char *ts_vocab_term(const ts_vocab *vocab, uint32_t id, size_t *length)
{
    size_t off = vocab->offsets[id];
    if (length)
        *length = entry_length(vocab, off);
    return vocab->pool + off;
}

static int slot_matches(const ts_vocab *v, const slot *s, uint32_t hash, const char *term,
                        size_t length)
{
    if (s->hash != hash || entry_length(v, s->off) != length)
        return 0;
    /* Terms are short: an inline loop beats a call to memcmp. */
    const char *t = v->pool + s->off;
    for (size_t i = 0; i < length; i++)
        if (t[i] != term[i])
            return 0;
    return 1;
}

uint32_t ts_vocab_find(const ts_vocab *vocab, const char *term, size_t length)
{
    uint64_t h = ts_vocab_hash(term, length);
    for (size_t i = (size_t)h & vocab->mask;; i = (i + 1) & vocab->mask) {
        const slot *s = &vocab->slots[i];
        if (s->id == TS_VOCAB_NONE)
            return TS_VOCAB_NONE;
        if (slot_matches(vocab, s, (uint32_t)h, term, length))
            return s->id;
    }
}

/* Double the table and reinsert every id (hashes are recomputed from the pool). */
static ts_status grow_slots(ts_vocab *v)
{
    size_t n = (v->mask + 1) * 2;
    slot *s = slots_alloc(n);
    if (!s)
        return TS_ERR_NOMEM;
    for (size_t id = 0; id < v->count; id++) {
        size_t len;
        const char *t = ts_vocab_term(v, (uint32_t)id, &len);
        uint64_t h = ts_vocab_hash(t, len);
        size_t i = (size_t)h & (n - 1);
        while (s[i].id != TS_VOCAB_NONE)
            i = (i + 1) & (n - 1);
        s[i] = (slot){.off = v->offsets[id], .hash = (uint32_t)h, .id = (uint32_t)id};
    }
    free(v->slots);
    v->slots = s;
    v->mask = n - 1;
    return TS_OK;
}

void ts_vocab_prefetch(const ts_vocab *vocab, uint64_t hash, int stage)
{
#if defined(__GNUC__)
    const slot *s = &vocab->slots[(size_t)hash & vocab->mask];
    if (stage == 0)
        __builtin_prefetch(s);
    else if (s->id != TS_VOCAB_NONE && s->hash == (uint32_t)hash)
        __builtin_prefetch(vocab->pool + s->off - LEN_BYTES);
#else
    (void)vocab;
    (void)hash;
    (void)stage;
#endif
}

ts_status ts_vocab_intern(ts_vocab *vocab, const char *term, size_t length, uint32_t *id,
                          int *added)
{
    return ts_vocab_intern_hashed(vocab, term, length, ts_vocab_hash(term, length), id, added);
}

ts_status ts_vocab_intern_hashed(ts_vocab *vocab, const char *term, size_t length, uint64_t h,
                                 uint32_t *id, int *added)
{
    size_t i = (size_t)h & vocab->mask;
    for (;; i = (i + 1) & vocab->mask) {
        const slot *s = &vocab->slots[i];
        if (s->id == TS_VOCAB_NONE)
            break;
        if (slot_matches(vocab, s, (uint32_t)h, term, length)) {
            *id = s->id;
            if (added)
                *added = 0;
            return TS_OK;
        }
    }
    if (vocab->count >= (size_t)TS_VOCAB_NONE - 1 || length >= UINT32_MAX)
        return TS_ERR_TOO_LARGE;
    if (!TS_GROW(vocab->pool, vocab->pool_cap, vocab->pool_len + LEN_BYTES + length + 1) ||
        !TS_GROW(vocab->offsets, vocab->offsets_cap, vocab->count + 1))
        return TS_ERR_NOMEM;
    char *pool = vocab->pool;
    size_t *offsets = vocab->offsets;
    uint32_t len32 = (uint32_t)length;
    memcpy(pool + vocab->pool_len, &len32, LEN_BYTES);
    size_t off = vocab->pool_len + LEN_BYTES;
    if (length)
        memcpy(pool + off, term, length);
    pool[off + length] = '\0';
    vocab->pool_len = off + length + 1;
    uint32_t new_id = (uint32_t)vocab->count++;
    offsets[new_id] = off;
    vocab->slots[i] = (slot){.off = off, .hash = (uint32_t)h, .id = new_id};
    *id = new_id;
    if (added)
        *added = 1;
    /* Keep the table at most half full so probe sequences stay short. */
    if (vocab->count * 2 > vocab->mask + 1) {
        ts_status st = grow_slots(vocab);
        if (st != TS_OK) {
            /* The term is stored and findable; only the growth failed. */
            return st;
        }
    }
    return TS_OK;
}
