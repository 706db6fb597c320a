/*
 * read_text.c - the TEXT reader (read_text.h): a whole file is one source,
 * segmented into statements (sentences or lines, segment.c).
 */
#include "read_text.h"

#include <string.h>

ts_status ts_read_text(ts_reader *r, const char *name, char **buf, size_t len, size_t cap,
                       const char *path)
{
    size_t bom = ts_reader_bom(*buf, len);
    if (bom) {
        memmove(*buf, *buf + bom, len - bom);
        len -= bom;
    }
    size_t src = 0, base = 0;
    ts_status st = ts_reader_source(r, name, ts_reader_new_owner(r), path, &src);
    if (st == TS_OK)
        st = ts_reader_append(r, src, buf, len, cap, 1, path, &base);
    if (st == TS_OK)
        st = ts_reader_segment(r, src, base, len, path);
    return st;
}
