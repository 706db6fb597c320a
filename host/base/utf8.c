/*
 * utf8.c - UTF-8 validation and repair.
 *
 * Every input byte passes through here, so it is hand-written for speed (see
 * utf8.h for why not ICU): runs of ASCII are skipped eight bytes at a time
 * with a word-wide test for "high bit set or zero byte", and anything else is
 * decoded with the RFC 3629 table (no overlongs, no surrogates, nothing above
 * U+10FFFF).  Repair replaces each maximal subpart of an ill-formed sequence
 * (the longest prefix that could still have begun a valid sequence, or one
 * byte) and each NUL with U+FFFD, as ICU and the WHATWG Encoding Standard do.
 * Both functions are linear; repair makes one counting pass and one writing
 * pass so that the output is allocated exactly once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "diag.h"
#include "utf8.h"

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* 1 when the 8 bytes at p are all ASCII and none is NUL. */
static int word_is_plain_ascii(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    /* (v - ONES) & ~v & HIGHS is non-zero iff some byte is 0 (classic
     * "has zero byte"); v & HIGHS is non-zero iff some byte is >= 0x80. */
    return ((v | ((v - ONES) & ~v)) & HIGHS) == 0;
}

/* Examine the sequence that starts at p (n > 0 bytes left).  Returns its length
 * when it is one valid, non-NUL character; otherwise returns 0 and sets *bad
 * to the length of the maximal subpart to replace (at least 1). */
static size_t sequence_at(const unsigned char *p, size_t n, size_t *bad)
{
    unsigned b = p[0];
    size_t need;         /* continuation bytes required */
    unsigned lo = 0x80;  /* allowed range of the first continuation byte */
    unsigned hi = 0xBF;

    if (b < 0x80) {
        *bad = 1;
        return b != 0 ? 1 : 0;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        if (b == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (b == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        if (b == 0xF0)
            lo = 0x90; /* no overlongs */
        else if (b == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *bad = 1; /* 80..C1 (stray continuation, overlong lead) or F5..FF */
        return 0;
    }
    size_t i = 1;
    if (i >= n || p[i] < lo || p[i] > hi) {
        *bad = i;
        return 0;
    }
    for (i = 2; i <= need; i++) {
        if (i >= n || (p[i] & 0xC0) != 0x80) {
            *bad = i;
            return 0;
        }
    }
    return need + 1;
}

size_t ts_utf8_check(const char *s, size_t len, int *is_nul)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (is_nul)
        *is_nul = 0;
    while (i < len) {
        if (len - i >= 8 && word_is_plain_ascii(p + i)) {
            i += 8;
            continue;
        }
        size_t bad;
        size_t n = sequence_at(p + i, len - i, &bad);
        if (n == 0) {
            if (is_nul)
                *is_nul = p[i] == 0;
            return i;
        }
        i += n;
    }
    return len;
}

size_t ts_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t bad, len = sequence_at(p, n, &bad);
    if (len == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t c = p[0] & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
    for (size_t k = 1; k < len; k++)
        c = (c << 6) | (p[k] & 0x3Fu);
    *cp = c;
    return len;
}

/* The counting pass and the writing pass share this walk; out NULL counts. */
static size_t repair(const unsigned char *p, size_t len, char *out)
{
    static const char replacement[3] = {(char)0xEF, (char)0xBF, (char)0xBD};
    size_t i = 0;
    size_t o = 0;
    while (i < len) {
        /* Copy the valid run up to the next bad sequence in one memcpy. */
        size_t good = ts_utf8_check((const char *)p + i, len - i, NULL);
        if (out)
            memcpy(out + o, p + i, good);
        o += good;
        i += good;
        if (i == len)
            break;
        size_t bad;
        (void)sequence_at(p + i, len - i, &bad);
        if (out)
            memcpy(out + o, replacement, sizeof replacement);
        o += sizeof replacement;
        i += bad;
    }
    return o;
}

ts_status ts_utf8_sanitize(const char *s, size_t len, char **out, size_t *out_len)
{
    if (!out || !out_len || (!s && len > 0))
        return TS_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    /* Each replaced subpart is at least one byte and becomes three, so the
     * output is at most 3 * len bytes; refuse sizes where that could wrap. */
    if (len > (SIZE_MAX - 1) / 3)
        return TS_ERR_TOO_LARGE;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = repair(p, len, NULL);
    char *buf = malloc(n + 1);
    if (!buf)
        return TS_ERR_NOMEM;
    size_t written = repair(p, len, buf);
    buf[written] = '\0';
    *out = buf;
    *out_len = written;
    return TS_OK;
}

int ts_utf8_is_trimmable(uint32_t c)
{
    return c == 0xFEFF || u_isUWhiteSpace((UChar32)c);
}

void ts_utf8_trim(const char *s, size_t *start, size_t *end)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t i = *start, e = *end;
    while (i < e) {
        size_t next = i;
        UChar32 c;
        U8_NEXT(u, next, e, c);
        if (!ts_utf8_is_trimmable((uint32_t)c))
            break;
        i = next;
    }
    while (e > i) {
        /* Step back to the lead byte (U8_PREV takes int32_t offsets only). */
        size_t prev = e - 1;
        while (prev > i && e - prev < 4 && (u[prev] & 0xC0) == 0x80)
            prev--;
        size_t next = prev;
        UChar32 c;
        U8_NEXT(u, next, e, c);
        if (next != e || !ts_utf8_is_trimmable((uint32_t)c))
            break;
        e = prev;
    }
    *start = i;
    *end = e;
}
