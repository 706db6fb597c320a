/*
 * read_html.h - reading an HTML page (internal).
 */
#ifndef TS_READ_HTML_H
#define TS_READ_HTML_H

#include <stddef.h>

#include "corpus_internal.h"

/* The visible text of the page buf[0..len) (valid UTF-8) becomes the source
 * `name`, segmented as text is, each block element ending a statement; the
 * statements' offsets are byte offsets in buf. */
ts_status ts_read_html(ts_reader *r, const char *name, const char *buf, size_t len,
                       const char *path);

/* Whether buf starts like an HTML page: after a byte-order mark, white
 * space, an XML declaration and comments, "<!DOCTYPE html" or "<html"
 * (any case). */
int ts_html_sniff(const char *buf, size_t len);

#endif
