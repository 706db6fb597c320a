/*
 * read_csv.c - the CSV reader (read_csv.h).
 *
 * RFC 4180 records - quoted fields with embedded commas, quotes and line
 * breaks, CRLF or LF - are parsed by libcsv (Debian's libcsv, strict mode:
 * a stray quote or an unterminated quoted field is an error), not by hand.
 * The first record is the header.  The text column and the source column
 * are each a header name or a 1-based number; by default the text is the
 * column named "text" (any case), or the only column, and every record
 * belongs to one source named after the file.  Each record's text is
 * appended to its source ('\n' between records) and then split into
 * statements as text is, or kept whole as one statement with --segment
 * line.  Errors name the file, the record (the header is record 1) and the
 * column.
 */
#include "read_csv.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/utf8.h"

typedef struct csv_state {
    ts_reader *r;
    const char *path;
    const char *file_source; /* the source when there is no source column */
    uint64_t owner;
    size_t record;           /* records completed; the header is record 1 */
    ts_buf fields;           /* the current record's fields, back to back */
    size_t *off;             /* nfields + 1 offsets into fields */
    size_t nfields, cap;
    size_t text_col, source_col; /* 0-based; SIZE_MAX: none */
    size_t header_fields;
    ts_status st;            /* the first failure; later callbacks do nothing */
} csv_state;

static void on_field(void *data, size_t len, void *user)
{
    csv_state *c = user;
    if (c->st != TS_OK)
        return;
    if (!TS_GROW(c->off, c->cap, c->nfields + 2)) {
        c->st = TS_FAIL(c->r->diag, TS_ERR_NOMEM, "%s: out of memory reading a record", c->path);
        return;
    }
    if (c->nfields == 0)
        c->off[0] = 0;
    ts_buf_append(&c->fields, data ? data : "", data ? len : 0);
    c->off[++c->nfields] = c->fields.len;
    if (c->fields.failed)
        c->st = TS_FAIL(c->r->diag, TS_ERR_NOMEM, "%s: out of memory reading a record", c->path);
}

static const char *field(const csv_state *c, size_t k, size_t *len)
{
    *len = c->off[k + 1] - c->off[k];
    return c->fields.data ? c->fields.data + c->off[k] : "";
}

/* Column `spec` (a header name or a 1-based number) among the header's
 * fields; `what` names the option in messages. */
static ts_status resolve(csv_state *c, const char *spec, const char *what, size_t *col)
{
    char *end;
    unsigned long n = strtoul(spec, &end, 10);
    if (spec[0] >= '0' && spec[0] <= '9' && !*end) {
        if (n >= 1 && n <= c->nfields) {
            *col = n - 1;
            return TS_OK;
        }
        return ts_diag_set(c->r->diag, TS_ERR_ARG, c->path, 1, TS_DIAG_NO_OFFSET,
                           "%s: %s %s: the header has %zu columns", c->path, what, spec,
                           c->nfields);
    }
    for (size_t k = 0; k < c->nfields; k++) {
        size_t len;
        const char *f = field(c, k, &len);
        if (strlen(spec) == len && memcmp(f, spec, len) == 0) {
            *col = k;
            return TS_OK;
        }
    }
    ts_buf names = {0};
    for (size_t k = 0; k < c->nfields; k++) {
        size_t len;
        const char *f = field(c, k, &len);
        ts_buf_printf(&names, "%s\"%.*s\"", k ? ", " : "", (int)len, f);
    }
    ts_status st = ts_diag_set(c->r->diag, TS_ERR_ARG, c->path, 1, TS_DIAG_NO_OFFSET,
                               "%s: %s \"%s\" is not a column of the header (its columns: %s)",
                               c->path, what, spec, names.data ? names.data : "none");
    ts_buf_free(&names);
    return st;
}

/* The header: where the text and the source are. */
static ts_status read_header(csv_state *c)
{
    const ts_read_options *o = c->r->opt;
    c->header_fields = c->nfields;
    if (o->source_column) {
        ts_status st = resolve(c, o->source_column, "--source-column", &c->source_col);
        if (st != TS_OK)
            return st;
    }
    if (o->text_column)
        return resolve(c, o->text_column, "--text-column", &c->text_col);
    for (size_t k = 0; k < c->nfields; k++) {
        size_t len;
        const char *f = field(c, k, &len);
        if (len == 4 && strncasecmp(f, "text", 4) == 0) {
            c->text_col = k;
            return TS_OK;
        }
    }
    if (c->nfields == 1) {
        c->text_col = 0;
        return TS_OK;
    }
    return ts_diag_set(c->r->diag, TS_ERR_ARG, c->path, 1, TS_DIAG_NO_OFFSET,
                       "%s: which column holds the text? The header has %zu columns and none "
                       "is named \"text\"; give --text-column NAME or NUMBER",
                       c->path, c->nfields);
}

/* A data record: its text into its source. */
static ts_status read_record(csv_state *c)
{
    uint64_t number = c->record + 1;
    size_t need = c->text_col > c->source_col || c->source_col == SIZE_MAX ? c->text_col
                                                                            : c->source_col;
    if (need >= c->nfields)
        return ts_diag_set(c->r->diag, TS_ERR_PARSE, c->path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: record %llu has %zu columns, the header %zu: column %zu is "
                           "missing; check the quoting of the record before",
                           c->path, (unsigned long long)number, c->nfields, c->header_fields,
                           need + 1);
    char *name = NULL;
    if (c->source_col != SIZE_MAX) {
        size_t len;
        const char *f = field(c, c->source_col, &len);
        size_t a = 0, b = len;
        ts_utf8_trim(f, &a, &b);
        if (a == b)
            return ts_diag_set(c->r->diag, TS_ERR_PARSE, c->path, TS_DIAG_NO_LINE,
                               TS_DIAG_NO_OFFSET,
                               "%s: record %llu: the source (column %zu) is empty; every record "
                               "needs one",
                               c->path, (unsigned long long)number, c->source_col + 1);
        if (!(name = malloc(b - a + 1)))
            return TS_FAIL(c->r->diag, TS_ERR_NOMEM, "%s: out of memory", c->path);
        memcpy(name, f + a, b - a);
        name[b - a] = '\0';
    }
    size_t len;
    const char *text = field(c, c->text_col, &len);
    size_t a = 0, b = len;
    ts_utf8_trim(text, &a, &b);
    size_t src, base;
    ts_status st = ts_reader_source(c->r, name ? name : c->file_source, c->owner, c->path, &src);
    free(name);
    if (st != TS_OK || a == b)
        return st;
    char *body = (char *)text + a;
    st = ts_reader_append(c->r, src, &body, b - a, 0, 0, c->path, &base);
    if (st != TS_OK)
        return st;
    return c->r->opt->segment == TS_SEGMENT_LINE
               ? ts_reader_push(c->r, src, base, b - a, c->path)
               : ts_reader_segment(c->r, src, base, b - a, c->path);
}

static void on_record(int terminator, void *user)
{
    (void)terminator;
    csv_state *c = user;
    size_t len;
    int blank = c->nfields == 0 || (c->nfields == 1 && (field(c, 0, &len), len == 0));
    if (c->st == TS_OK && !blank) {
        c->st = c->record == 0 ? read_header(c) : read_record(c);
        c->record++;
    }
    c->nfields = 0;
    c->fields.len = 0;
}

ts_status ts_read_csv(ts_reader *r, const char *buf, size_t len, const char *path,
                      const char *source)
{
    csv_state c = {.r = r, .path = path, .file_source = source, .owner = ts_reader_new_owner(r),
                   .text_col = SIZE_MAX, .source_col = SIZE_MAX};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory for the CSV parser", path);
    size_t start = ts_reader_bom(buf, len);
    size_t done = csv_parse(&p, buf + start, len - start, on_field, on_record, &c);
    int bad = done < len - start;
    if (!bad && c.st == TS_OK)
        bad = csv_fini(&p, on_field, on_record, &c) != 0;
    if (bad && c.st == TS_OK && csv_error(&p) == CSV_ENOMEM)
        c.st = TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory parsing the CSV", path);
    if (bad && c.st == TS_OK) {
        uint64_t line = 1;
        for (size_t i = start; i < start + done && i < len; i++)
            line += buf[i] == '\n';
        c.st = ts_diag_set(r->diag, TS_ERR_PARSE, path, line, TS_DIAG_NO_OFFSET,
                           "%s:%llu: record %zu: malformed CSV (a quote inside an unquoted "
                           "field, text after a closing quote, or a quoted field that never "
                           "ends); quote fields that hold quotes, commas or line breaks, and "
                           "double the quotes inside them",
                           path, (unsigned long long)line, c.record + 1);
    }
    if (c.st == TS_OK && c.record == 0)
        c.st = ts_diag_set(r->diag, TS_ERR_EMPTY, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: no header and no records; a CSV file starts with a header "
                           "line naming its columns", path);
    csv_free(&p);
    ts_buf_free(&c.fields);
    free(c.off);
    return c.st;
}
