/*
 * read_jsonl.h - reading a JSON Lines input (internal).
 */
#ifndef TS_READ_JSONL_H
#define TS_READ_JSONL_H

#include "corpus_internal.h"

/* Every non-blank line of buf[0..len) (valid UTF-8) is one record whose
 * text is added to the source it names; errors name path and the line. */
ts_status ts_read_jsonl(ts_reader *r, const char *buf, size_t len, const char *path);

#endif
