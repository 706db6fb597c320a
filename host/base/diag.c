/*
 * diag.c - filling a ts_diag (diag.h): the detailed message of a failure,
 * with the file, line and byte it concerns.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ts_diag_clear(ts_diag *diag)
{
    if (!diag)
        return;
    diag->status = TS_OK;
    diag->path[0] = '\0';
    diag->line = TS_DIAG_NO_LINE;
    diag->byte_offset = TS_DIAG_NO_OFFSET;
    diag->message[0] = '\0';
}

ts_status ts_diag_set(ts_diag *diag, ts_status status, const char *path, uint64_t line,
                      uint64_t offset, const char *fmt, ...)
{
    if (!diag)
        return status;
    ts_diag_clear(diag);
    diag->status = status;
    if (path)
        snprintf(diag->path, sizeof diag->path, "%s", path);
    diag->line = line;
    diag->byte_offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(diag->message, sizeof diag->message, fmt, ap);
    va_end(ap);
    return status;
}

void ts_diag_append_tail(ts_diag *diag, const char *extra)
{
    if (!diag || !extra)
        return;
    size_t used = strlen(diag->message);
    size_t room = sizeof diag->message - used - 1;
    size_t n = strlen(extra);
    if (n > room) {
        extra += n - room;
        n = room;
    }
    memcpy(diag->message + used, extra, n);
    diag->message[used + n] = '\0';
}
