/*
 * read_tsv.c - the TSV reader (read_tsv.h).
 *
 * Each line is SOURCE<TAB>STATEMENT: split at its first TAB, the name
 * trimmed of white space, the statement trimmed and kept whole (not
 * segmented).  Blank lines are skipped.
 */
#include "read_tsv.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/utf8.h"

static ts_status tsv_line(ts_reader *r, const char *path, uint64_t owner, const char *line,
                          size_t length, uint64_t number, uint64_t offset)
{
    const char *tab = memchr(line, '\t', length);
    if (!tab)
        return ts_diag_set(r->diag, TS_ERR_PARSE, path, number, offset,
                           "%s:%llu: no TAB in this line: each line must be "
                           "SOURCE<TAB>STATEMENT",
                           path, (unsigned long long)number);
    size_t name_a = 0, name_b = (size_t)(tab - line);
    ts_utf8_trim(line, &name_a, &name_b);
    if (name_a == name_b)
        return ts_diag_set(r->diag, TS_ERR_PARSE, path, number, offset,
                           "%s:%llu: the source name before the TAB is empty: each line must "
                           "be SOURCE<TAB>STATEMENT",
                           path, (unsigned long long)number);
    char *name = malloc(name_b - name_a + 1);
    if (!name)
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory", path);
    memcpy(name, line + name_a, name_b - name_a);
    name[name_b - name_a] = '\0';
    size_t a = (size_t)(tab - line) + 1, b = length;
    ts_utf8_trim(line, &a, &b);
    size_t src, base;
    ts_status st = ts_reader_source(r, name, owner, path, &src);
    free(name);
    if (st != TS_OK || a == b)
        return st;
    char *stmt = (char *)line + a;
    st = ts_reader_append(r, src, &stmt, b - a, 0, 0, path, &base);
    if (st == TS_OK)
        st = ts_reader_push(r, src, base, b - a, path);
    return st;
}

ts_status ts_read_tsv(ts_reader *r, const char *buf, size_t len, const char *path)
{
    return ts_reader_lines(r, buf, len, ts_reader_bom(buf, len), path, ts_reader_new_owner(r),
                           tsv_line);
}
