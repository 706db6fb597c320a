/*
 * read_csv.h - reading a CSV input (internal).
 */
#ifndef TS_READ_CSV_H
#define TS_READ_CSV_H

#include "corpus_internal.h"

/* The records of buf[0..len) (valid UTF-8; a header first) become
 * statements: the text column's, of the source column's source or of
 * `source` (named after the file) - as r->opt says.  Errors name path, the
 * record and the column. */
ts_status ts_read_csv(ts_reader *r, const char *buf, size_t len, const char *path,
                      const char *source);

#endif
