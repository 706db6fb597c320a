/*
 * read_tsv.h - reading a SOURCE<TAB>STATEMENT input (internal).
 */
#ifndef TS_READ_TSV_H
#define TS_READ_TSV_H

#include "corpus_internal.h"

/* Every non-blank line of buf[0..len) (valid UTF-8) is one statement of the
 * source it names; errors name path and the line. */
ts_status ts_read_tsv(ts_reader *r, const char *buf, size_t len, const char *path);

#endif
