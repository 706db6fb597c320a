/*
 * read_text.h - reading a plain-text input (internal).
 */
#ifndef TS_READ_TEXT_H
#define TS_READ_TEXT_H

#include "corpus_internal.h"

/* buf[0..len) (valid UTF-8, capacity cap) becomes the source `name`,
 * segmented into statements; a leading byte order mark is dropped.  Takes
 * over *buf (it becomes NULL) when the source is new. */
ts_status ts_read_text(ts_reader *r, const char *name, char **buf, size_t len, size_t cap,
                       const char *path);

#endif
