/*
 * file.c - reading a whole file into memory (file.h).
 *
 * A regular file is read in one fread into a block of its size plus one
 * byte, so that end of file shows without growing; a pipe or a terminal
 * grows the block by doubling.
 */
#include "file.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "diag.h"

#define DEFAULT_HINT "check the path and permissions"

static ts_status read_stream(FILE *f, const char *path, const char *what, const char *hint,
                             char **out, size_t *out_len, size_t *out_cap, ts_diag *diag)
{
    size_t cap = 1 << 16, len = 0;
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size < SIZE_MAX - 1)
        cap = (size_t)sb.st_size + 1; /* +1 so that EOF is seen without growing */
    char *buf = malloc(cap);
    for (;;) {
        if (!buf || (len == cap && !TS_GROW(buf, cap, cap + 1))) {
            free(buf);
            return TS_FAIL(diag, TS_ERR_NOMEM, "%s: out of memory reading %s", path,
                           what ? what : "the file");
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0 || len < cap) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                return ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                                   "%s: cannot read%s%s: %s; %s", path, what ? " " : "",
                                   what ? what : "", strerror(e), hint);
            }
            if (feof(f))
                break;
        }
    }
    /* len < cap here: the loop ends only on a short read */
    *out = buf;
    *out_len = len;
    *out_cap = cap;
    return TS_OK;
}

ts_status ts_file_read(const char *path, FILE *stream, const char *what, const char *hint,
                       char **out, size_t *len, size_t *cap, ts_diag *diag)
{
    if (!hint)
        hint = DEFAULT_HINT;
    if (stream)
        return read_stream(stream, path, what, hint, out, len, cap, diag);
    FILE *f = fopen(path, "rb");
    if (!f)
        return ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: cannot open%s%s: %s; %s", path, what ? " " : "",
                           what ? what : "", strerror(errno), hint);
    ts_status st = read_stream(f, path, what, hint, out, len, cap, diag);
    fclose(f);
    return st;
}
