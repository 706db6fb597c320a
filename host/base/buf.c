/*
 * buf.c - growable memory (see buf.h).
 *
 * ts_resize reads and writes the caller's pointer through memcpy, so that one
 * function serves arrays of any element type without aliasing a T * as a
 * void *.
 */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ts_buf_reserve(ts_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void ts_buf_append(ts_buf *b, const void *data, size_t n)
{
    if (!ts_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ts_buf_putc(ts_buf *b, char c) { ts_buf_append(b, &c, 1); }

void ts_buf_puts(ts_buf *b, const char *s) { ts_buf_append(b, s, strlen(s)); }

void ts_buf_printf(ts_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !ts_buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void ts_buf_free(ts_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

size_t ts_grow_cap(size_t cap, size_t need, size_t elem)
{
    size_t n = cap ? cap : 16;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    return elem && n > SIZE_MAX / elem ? 0 : n;
}

int ts_resize(void *pp, size_t n, size_t elem)
{
    void *p;
    memcpy(&p, pp, sizeof p);
    void *q = realloc(p, (n ? n : 1) * elem);
    if (!q)
        return 0;
    memcpy(pp, &q, sizeof q);
    return 1;
}

int ts_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 1;
    size_t n = ts_grow_cap(*cap, need, elem);
    if (!n || !ts_resize(pp, n, elem))
        return 0;
    *cap = n;
    return 1;
}
