/*
 * file.h - reading a whole file into memory (internal).
 *
 * The one whole-file reader of the library: inputs, exclusion patterns and
 * stop-word files all come through it, so they share one error contract.
 */
#ifndef TS_FILE_H
#define TS_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "textsim.h"

/* Read all of `path` (binary), or of `stream` when it is not NULL (standard
 * input: `path` then only names it).  *out receives a malloc'ed block of
 * *cap >= *len + 1 bytes holding the *len bytes read (not NUL-terminated).
 * Messages name path and, when not NULL, `what` ("the stop words"), and end
 * with `hint` (what to do) or "check the path and permissions".  Fails with
 * TS_ERR_IO or TS_ERR_NOMEM; *out is then untouched. */
ts_status ts_file_read(const char *path, FILE *stream, const char *what, const char *hint,
                       char **out, size_t *len, size_t *cap, ts_diag *diag);

#endif
