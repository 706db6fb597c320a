/*
 * html.h - text made safe for report.html (internal, the output wing).
 *
 * Every piece of input text reaches the page through one of these: as HTML
 * text or attribute value (& < > " ' escaped, invalid UTF-8 and control
 * characters replaced by U+FFFD), or as a JSON string inside a <script>
 * element (JSON's escapes plus < > & and U+2028/2029 as \uXXXX, so that no
 * input can close the script or break the JavaScript parser).
 */
#ifndef TS_OUTPUT_HTML_H
#define TS_OUTPUT_HTML_H

#include <stddef.h>

#include "base/buf.h"

/* s[0..len) as HTML text or attribute value. */
void ts_html_put(ts_buf *b, const char *s, size_t len);
void ts_html_put_str(ts_buf *b, const char *s);
/* s[0..len) as a JSON string literal, quotes included, safe inside <script>. */
void ts_html_json(ts_buf *b, const char *s, size_t len);
void ts_html_json_str(ts_buf *b, const char *s);
/* p[0..n) in base64 (RFC 4648, padded). */
void ts_html_base64(ts_buf *b, const unsigned char *p, size_t n);

#endif
