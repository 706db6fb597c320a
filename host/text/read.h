/*
 * read.h - reading an input that is already in memory (internal).
 *
 * ts_corpus_add_buffer() takes the bytes a file would hold and runs them
 * through exactly the code that ts_corpus_add_path() runs after reading the
 * file: UTF-8 validation or repair, then the TEXT, JSONL or TSV reader.  It
 * exists for the fuzz targets (tests/fuzz/), which feed inputs without
 * touching the file system.  (The public ts_corpus_add_* of textsim.h are
 * defined in read.c too.)
 */
#ifndef TS_READ_H
#define TS_READ_H

#include <stddef.h>

#include "textsim.h"

/* Add data[0 .. length) as if it were the contents of the file `path`: the
 * format is options->format (TS_FORMAT_AUTO: by the extension of path;
 * TS_FORMAT_DIR is refused), a TEXT source is named after path, and every
 * message names path.  The data is copied; it need not be NUL-terminated.
 * On failure the corpus is left as it was before the call. */
ts_status ts_corpus_add_buffer(ts_corpus *corpus, const char *path, const char *data,
                               size_t length, const ts_read_options *options, ts_diag *diag);

/* What data[0..length) is when its first bytes say it is not text (PDF,
 * Office and ZIP, RTF, images, compressed files and archives, programs):
 * "a PDF document", ...; NULL otherwise.  Every reader refuses such input
 * with TS_ERR_PARSE and a message that names the format and what to do. */
const char *ts_read_binary_format(const char *data, size_t length);

#endif
