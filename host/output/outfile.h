/*
 * outfile.h - output files that appear complete or not at all (internal).
 *
 * A ts_outfile writes to a temporary file in the destination's directory and
 * renames it over the destination only on ts_outfile_publish(); abandoning it
 * (ts_outfile_abort, or any write error) removes the temporary, so an
 * interrupted or failed run leaves the previous output, or none, in place.
 */
#ifndef TS_OUTFILE_H
#define TS_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "textsim.h"

typedef struct ts_outfile ts_outfile;

/* path "-" writes to standard output directly (publish flushes it). */
ts_status ts_outfile_open(ts_outfile **out, const char *path, ts_diag *diag);
/* The same, telling track() the temporary's name before the file is created
 * (and untrack() when a name is given up), for a signal handler's clean-up. */
typedef void (*ts_temp_fn)(const char *temp_path);
ts_status ts_outfile_open_tracked(ts_outfile **out, const char *path, ts_temp_fn track,
                                  ts_temp_fn untrack, ts_diag *diag);
/* Buffered writes; the first failure is remembered and reported by finish. */
ts_status ts_outfile_write(ts_outfile *f, const void *data, size_t size, ts_diag *diag);
FILE *ts_outfile_stream(ts_outfile *f);
/* Flush, sync and close, reporting any error (a full disk shows here); the
 * file stays a temporary.  Several outputs that belong together are all
 * finished before any is published, so a failure leaves none of them. */
ts_status ts_outfile_finish(ts_outfile *f, ts_diag *diag);
/* Rename a finished file into place (finishing it first if needed); frees f
 * whatever happens, removing the temporary on failure. */
ts_status ts_outfile_publish(ts_outfile *f, ts_diag *diag);
/* Close and delete the temporary; frees f.  NULL is a no-op. */
void ts_outfile_abort(ts_outfile *f);
/* Path of the temporary file (for signal-time cleanup); NULL for stdout. */
const char *ts_outfile_temp_path(const ts_outfile *f);

#endif
