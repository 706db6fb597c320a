/*
 * fuzz_common.h - helpers shared by the fuzz targets (test code, not library).
 *
 * Each target defines LLVMFuzzerTestOneInput and checks invariants with
 * FUZZ_CHECK, which prints what broke and aborts: libFuzzer reports the abort
 * as a crash, and the replay driver (replay_main.c) dies with it, so that the
 * ctest fails.  The UTF-8 validator here is written independently of
 * host/utf8.c (a plain decoder following Unicode's table 3-7) so that the
 * targets can check the library against it.
 */
#ifndef TS_FUZZ_COMMON_H
#define TS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "base/utf8.h"
#include "textsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                         \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* Length of the valid, non-NUL UTF-8 character at s[i] (n bytes in all), or 0
 * when s[i] starts an ill-formed sequence or is NUL. */
static inline size_t fuzz_utf8_char(const uint8_t *s, size_t n, size_t i)
{
    uint8_t b = s[i];
    if (b == 0)
        return 0;
    if (b < 0x80)
        return 1;
    size_t len;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2;
    else if (b == 0xE0)
        len = 3, lo = 0xA0;
    else if (b == 0xED)
        len = 3, hi = 0x9F;
    else if (b >= 0xE1 && b <= 0xEF)
        len = 3;
    else if (b == 0xF0)
        len = 4, lo = 0x90;
    else if (b >= 0xF1 && b <= 0xF3)
        len = 4;
    else if (b == 0xF4)
        len = 4, hi = 0x8F;
    else
        return 0;
    if (n - i < len)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
            return 0;
    return len;
}

/* Offset of the first byte that is not valid UTF-8 or is NUL; n if none. */
static inline size_t fuzz_utf8_first_bad(const void *p, size_t n, int *is_nul)
{
    const uint8_t *s = p;
    size_t i = 0;
    while (i < n) {
        size_t len = fuzz_utf8_char(s, n, i);
        if (len == 0) {
            if (is_nul)
                *is_nul = s[i] == 0;
            return i;
        }
        i += len;
    }
    if (is_nul)
        *is_nul = 0;
    return n;
}

static inline int fuzz_utf8_valid(const void *p, size_t n)
{
    return fuzz_utf8_first_bad(p, n, NULL) == n;
}

/* The rule the library trims statements with (segment.h). */
static inline int fuzz_is_trimmable(UChar32 c)
{
    return c == 0xFEFF || u_isUWhiteSpace(c);
}

/* Whether s[a, b) (valid UTF-8) holds only trimmable characters. */
static inline int fuzz_only_trimmable(const char *s, size_t a, size_t b)
{
    const uint8_t *u = (const uint8_t *)s;
    while (a < b) {
        UChar32 c;
        size_t len = fuzz_utf8_char(u, b, a);
        if (len == 0)
            return 0;
        int32_t i = 0;
        U8_NEXT(u + a, i, (int32_t)len, c);
        if (!fuzz_is_trimmable(c))
            return 0;
        a += len;
    }
    return 1;
}

/* Trim [*a, *b) of s by the library's white-space rule, written naively
 * (a character at a time) as the reference for the segmenter and readers. */
static inline void fuzz_trim(const char *s, size_t *a, size_t *b)
{
    const uint8_t *u = (const uint8_t *)s;
    while (*a < *b) {
        size_t len = fuzz_utf8_char(u, *b, *a);
        if (len == 0 || !fuzz_only_trimmable(s, *a, *a + len))
            break;
        *a += len;
    }
    while (*b > *a) {
        size_t last = *b - 1;
        while (last > *a && (u[last] & 0xC0) == 0x80)
            last--;
        if (!fuzz_only_trimmable(s, last, *b))
            break;
        *b = last;
    }
}

/* Whether s[0, n) (valid UTF-8, n > 0) starts and ends with a character that
 * is not trimmable. */
static inline int fuzz_is_trimmed(const char *s, size_t n)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t first = fuzz_utf8_char(u, n, 0);
    size_t last = n - 1;
    while (last > 0 && (u[last] & 0xC0) == 0x80)
        last--;
    return first > 0 && !fuzz_only_trimmable(s, 0, first) && !fuzz_only_trimmable(s, last, n);
}

/* Whether byte i of s is the first byte of a character (or the end). */
static inline int fuzz_on_boundary(const char *s, size_t n, size_t i)
{
    return i == n || ((const uint8_t *)s)[i] < 0x80 || ((const uint8_t *)s)[i] >= 0xC0;
}

/* A malloc'd copy of data that is valid UTF-8 without NUL: the data itself
 * when it already is, else its repair by the library (U+FFFD replacements,
 * which is what every reader feeds the segmenter and tokenizer). */
static inline char *fuzz_valid_copy(const uint8_t *data, size_t size, size_t *out_len)
{
    char *out = NULL;
    if (fuzz_utf8_valid(data, size)) {
        out = malloc(size ? size : 1);
        FUZZ_CHECK(out != NULL, "out of memory");
        if (size)
            memcpy(out, data, size);
        *out_len = size;
        return out;
    }
    char *fixed = NULL;
    ts_status st = ts_utf8_sanitize((const char *)data, size, &fixed, out_len);
    FUZZ_CHECK(st == TS_OK, "ts_utf8_sanitize: %s", ts_status_name(st));
    FUZZ_CHECK(fuzz_utf8_valid(fixed, *out_len), "the repaired text is not valid UTF-8");
    /* An exact-size copy, so that AddressSanitizer sees any read past the end. */
    out = malloc(*out_len ? *out_len : 1);
    FUZZ_CHECK(out != NULL, "out of memory");
    memcpy(out, fixed, *out_len);
    free(fixed);
    return out;
}

#endif
