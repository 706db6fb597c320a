/*
 * status.c - the status enum's message table (ts_status_message,
 * ts_status_name).
 *
 * One table maps every ts_status to its symbolic name and a short fixed
 * message; diag.c formats the detailed, placed messages callers show.
 */
#include "textsim.h"

static const struct {
    const char *name;
    const char *message;
} status_table[TS_STATUS_COUNT] = {
    [TS_OK] = {"TS_OK", "success"},
    [TS_ERR_NOMEM] = {"TS_ERR_NOMEM", "out of memory"},
    [TS_ERR_ARG] = {"TS_ERR_ARG", "invalid argument"},
    [TS_ERR_IO] = {"TS_ERR_IO", "input/output error"},
    [TS_ERR_UTF8] = {"TS_ERR_UTF8", "invalid UTF-8"},
    [TS_ERR_NUL] = {"TS_ERR_NUL", "NUL byte in text"},
    [TS_ERR_PARSE] = {"TS_ERR_PARSE", "malformed record"},
    [TS_ERR_DUPLICATE] = {"TS_ERR_DUPLICATE", "duplicate source name"},
    [TS_ERR_EMPTY] = {"TS_ERR_EMPTY", "nothing to process"},
    [TS_ERR_UNICODE] = {"TS_ERR_UNICODE", "Unicode processing failed"},
    [TS_ERR_STEMMER] = {"TS_ERR_STEMMER", "unknown stemmer language"},
    [TS_ERR_NO_PLATFORM] = {"TS_ERR_NO_PLATFORM", "no OpenCL platform"},
    [TS_ERR_DEVICE] = {"TS_ERR_DEVICE", "OpenCL device not usable"},
    [TS_ERR_BUILD] = {"TS_ERR_BUILD", "OpenCL kernel build failed"},
    [TS_ERR_OPENCL] = {"TS_ERR_OPENCL", "OpenCL error"},
    [TS_ERR_DEVICE_MEMORY] = {"TS_ERR_DEVICE_MEMORY", "out of device memory or resources"},
    [TS_ERR_TOO_LARGE] = {"TS_ERR_TOO_LARGE", "input too large"},
    [TS_ERR_CANCELLED] = {"TS_ERR_CANCELLED", "cancelled"},
    [TS_ERR_INTERNAL] = {"TS_ERR_INTERNAL", "internal error"},
    [TS_ERR_FORMAT] = {"TS_ERR_FORMAT", "not a valid index file"},
};

const char *ts_status_message(ts_status status)
{
    if ((unsigned)status >= TS_STATUS_COUNT || !status_table[status].message)
        return "unknown status";
    return status_table[status].message;
}

const char *ts_status_name(ts_status status)
{
    if ((unsigned)status >= TS_STATUS_COUNT || !status_table[status].name)
        return "TS_ERR_UNKNOWN";
    return status_table[status].name;
}
