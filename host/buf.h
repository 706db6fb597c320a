/*
 * buf.h - a growable byte buffer (internal).
 *
 * Writers format a row into a ts_buf and hand it to ts_outfile_write in one
 * call.  Growth doubles, so appends are amortised O(1).
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

#endif
