/*
 * html.c - text made safe for report.html (html.h).
 *
 * Hand-written rather than taken from a library: the rules are a few lines
 * (HTML's five characters; JSON's escapes plus the three that can end a
 * <script>), and ICU, already linked, decodes the UTF-8.
 */
#include "html.h"

#include <stdint.h>
#include <string.h>

#include <unicode/utf8.h>

/* Decode one code point of s[*i..len); advances *i; negative if invalid. */
static UChar32 next_code_point(const char *s, size_t len, size_t *i)
{
    int32_t k = 0, avail = len - *i < 4 ? (int32_t)(len - *i) : 4;
    UChar32 c;
    U8_NEXT((const uint8_t *)s + *i, k, avail, c);
    *i += (size_t)k;
    return c;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* s[0..len) as HTML text or attribute value. */
void ts_html_put(ts_buf *b, const char *s, size_t len)
{
    size_t i = 0, run = 0; /* s[run..i) is copied as is */
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        const char *rep = NULL;
        size_t next = i + 1;
        if (ch >= 0x80) {
            next = i;
            if (next_code_point(s, len, &next) < 0)
                rep = replacement;
        } else if (ch == '&') {
            rep = "&amp;";
        } else if (ch == '<') {
            rep = "&lt;";
        } else if (ch == '>') {
            rep = "&gt;";
        } else if (ch == '"') {
            rep = "&quot;";
        } else if (ch == '\'') {
            rep = "&#39;";
        } else if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f) {
            rep = replacement;
        }
        if (rep) {
            ts_buf_append(b, s + run, i - run);
            ts_buf_puts(b, rep);
            run = next;
        }
        i = next;
    }
    ts_buf_append(b, s + run, len - run);
}

void ts_html_put_str(ts_buf *b, const char *s) { ts_html_put(b, s, strlen(s)); }

/* json-c escapes only '/', which leaves "<!--" and the line separators,
 * hence this small loop. */
void ts_html_json(ts_buf *b, const char *s, size_t len)
{
    size_t i = 0;
    ts_buf_putc(b, '"');
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        size_t next = i + 1;
        if (ch >= 0x80) {
            next = i;
            UChar32 c = next_code_point(s, len, &next);
            if (c < 0)
                ts_buf_puts(b, "\\ufffd");
            else if (c == 0x2028 || c == 0x2029)
                ts_buf_printf(b, "\\u%04x", (unsigned)c);
            else
                ts_buf_append(b, s + i, next - i);
        } else if (ch == '"' || ch == '\\') {
            ts_buf_putc(b, '\\');
            ts_buf_putc(b, (char)ch);
        } else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x7f) {
            ts_buf_printf(b, "\\u%04x", ch);
        } else {
            ts_buf_putc(b, (char)ch);
        }
        i = next;
    }
    ts_buf_putc(b, '"');
}

void ts_html_json_str(ts_buf *b, const char *s) { ts_html_json(b, s, strlen(s)); }

void ts_html_base64(ts_buf *b, const unsigned char *p, size_t n)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (!ts_buf_reserve(b, (n + 2) / 3 * 4))
        return;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {digits[v >> 18], digits[(v >> 12) & 63], i + 1 < n ? digits[(v >> 6) & 63] : '=',
                     i + 2 < n ? digits[v & 63] : '='};
        ts_buf_append(b, q, 4);
    }
}


