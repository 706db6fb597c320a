/*
 * diag.h - filling a ts_diag (internal).
 *
 * Every error path in the library ends in ts_diag_set(), which records the
 * status, the file, the line and byte where known, and a printf-style message,
 * and returns the status so that callers can write `return ts_diag_set(...)`.
 */
#ifndef TS_DIAG_H
#define TS_DIAG_H

#include "textsim.h"

#if defined(__GNUC__)
#define TS_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TS_PRINTF(f, a)
#endif

/* diag may be NULL.  path may be NULL; line TS_DIAG_NO_LINE and offset
 * TS_DIAG_NO_OFFSET when they do not apply. */
ts_status ts_diag_set(ts_diag *diag, ts_status status, const char *path, uint64_t line,
                      uint64_t offset, const char *fmt, ...) TS_PRINTF(6, 7);

/* Shorthand for errors with no place. */
#define TS_FAIL(diag, status, ...) \
    ts_diag_set((diag), (status), NULL, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET, __VA_ARGS__)

/* Append text (e.g. a compiler log) to diag->message, truncating the front of
 * `extra` if it does not fit so that the end of a log is kept. */
void ts_diag_append_tail(ts_diag *diag, const char *extra);

#endif
