/*
 * buf.h - growable memory (internal): a byte buffer and arrays.
 *
 * Writers format a row into a ts_buf and hand it to ts_outfile_write in one
 * call.  Arrays grow through ts_grow (TS_GROW), the one growth helper of the
 * library.  Growth doubles, so appends are amortised O(1); a failed growth
 * keeps the old block, which its owner still frees.
 */
#ifndef TS_BUF_H
#define TS_BUF_H

#include <stddef.h>

typedef struct ts_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed; /* an allocation failed: the content is incomplete */
} ts_buf;

/* Make room for `extra` more bytes; returns 0 (and sets failed) on failure. */
int ts_buf_reserve(ts_buf *b, size_t extra);
void ts_buf_append(ts_buf *b, const void *data, size_t n);
void ts_buf_putc(ts_buf *b, char c);
void ts_buf_puts(ts_buf *b, const char *s);
void ts_buf_printf(ts_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ts_buf_free(ts_buf *b);

/* The capacity, in elements, that holds `need` elements of elem bytes: cap
 * doubled (from 16 when 0) until it does; 0 when that many bytes overflow. */
size_t ts_grow_cap(size_t cap, size_t need, size_t elem);
/* Reallocate the array whose address is pp (a T ** passed as void *) to n
 * elements of elem bytes; returns 0, with the array untouched, when out of
 * memory. */
int ts_resize(void *pp, size_t n, size_t elem);
/* Make the array at pp, of capacity *cap elements, hold at least need:
 * returns 1, or 0 with the array and *cap untouched. */
int ts_grow(void *pp, size_t *cap, size_t need, size_t elem);
#define TS_GROW(ptr, cap, need) ts_grow(&(ptr), &(cap), (need), sizeof *(ptr))

#endif
