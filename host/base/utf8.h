/*
 * utf8.h - UTF-8 validation, repair and trimming (internal).
 *
 * Hand-written rather than through ICU because it runs over every input byte
 * and must report the exact offset of the first bad byte; ICU's converters
 * only say that something failed.  Follows RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF.
 */
#ifndef TS_UTF8_H
#define TS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "textsim.h"

/* Offset of the first byte that is not valid UTF-8 or is NUL; len if none.
 * *is_nul (may be NULL) tells which of the two was found. */
size_t ts_utf8_check(const char *s, size_t len, int *is_nul);

/* Decode the code point at s (n > 0 bytes left) into *cp and return its
 * length; an invalid or truncated sequence is one byte long and decodes to
 * U+FFFD.  A NUL byte decodes to 0. */
size_t ts_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Copy s with each maximal invalid subsequence and each NUL replaced by
 * U+FFFD (EF BF BD).  *out is malloc'd and NUL-terminated. */
ts_status ts_utf8_sanitize(const char *s, size_t len, char **out, size_t *out_len);

/* Whether c is trimmed from the ends of statements: Unicode white space
 * (ICU's u_isUWhiteSpace) or U+FEFF. */
int ts_utf8_is_trimmable(uint32_t c);

/* Shrink the valid UTF-8 span s[*start, *end) past trimmable code points at
 * both ends: every reader and the segmenter apply this one rule. */
void ts_utf8_trim(const char *s, size_t *start, size_t *end);

#endif
