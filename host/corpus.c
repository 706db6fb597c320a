/*
 * corpus.c - reading sources and their statements (ts_corpus_*).
 *
 * A corpus is a list of sources in order of first appearance.  Each source
 * owns its text buffer (a whole file, or the texts of its JSONL records or TSV
 * statements joined with '\n') and an array of statement spans {offset, length}
 * into that buffer; offsets rather than pointers because buffers grow when
 * more text arrives.  A flat array {source, index} in source-then-index order
 * makes ts_corpus_statement() O(1).  It is brought up to date at the end of
 * every successful add_* call, from the first source that call touched, so a
 * sequence of calls that each add new sources costs time linear in what they
 * add.  A name -> source table (json-c's linkhash) keeps lookups O(1) when
 * many JSONL or TSV records name their sources.
 *
 * Every file is read whole (fopen/fread, binary), validated as UTF-8 (or
 * repaired, per options->on_invalid) before it is parsed, and then parsed:
 * TEXT segments the file, JSONL parses each line with json-c's tokener,
 * TSV splits each line at its first TAB (the name is trimmed of white space,
 * the statement is trimmed and not re-segmented).  With on_invalid REPLACE,
 * offsets refer to the repaired text.
 *
 * Source ownership: each input file gets a fresh owner id and may only create
 * sources or add to those it created itself, so a name claimed by two files
 * is TS_ERR_DUPLICATE.  Text given to ts_corpus_add_text (owner 0) may extend
 * any source.  A failing call rolls the corpus back to its state before the
 * call (new sources removed, an extended source cut back to its old length).
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <json-c/linkhash.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "corpus_internal.h"
#include "diag.h"
#include "file.h"
#include "segment.h"
#include "utf8.h"

#define STDIN_NAME "stdin"
#define TEXT_ORIGIN "<text>"
#define JSONL_SHAPE "each line must be an object like {\"source\": \"...\", \"text\": \"...\"}"

typedef struct stmt_span {
    uint64_t offset; /* in the source's text */
    uint64_t length;
} stmt_span;

typedef struct corpus_source {
    char *name;
    char *origin;   /* the input that created it, for messages */
    uint64_t owner; /* the input file that created it; 0: ts_corpus_add_text */
    char *text;
    size_t text_len, text_cap;
    stmt_span *stmts;
    size_t n_stmts, cap_stmts;
    size_t first; /* flat index of its first statement */
} corpus_source;

typedef struct flat_ref {
    uint32_t source;
    uint32_t index0; /* 0-based position within the source */
} flat_ref;

struct ts_corpus {
    corpus_source *sources;
    size_t n_sources, cap_sources;
    struct lh_table *by_name; /* name -> source index + 1 */
    flat_ref *flat;
    size_t cap_flat;
    size_t n_stmts;      /* all statements; the flat array holds this many */
    uint64_t last_owner; /* owner ids handed out so far */
};

/* State of one add_* call. */
typedef struct reader {
    ts_corpus *corpus;
    const ts_read_options *opt;
    ts_segmenter *seg; /* created on first use */
    ts_diag *diag;
    size_t dirty_from; /* first source this call changed */
} reader;

/* ------------------------------------------------------------ helpers */

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static uint64_t line_of(const char *buf, size_t offset)
{
    uint64_t line = 1;
    const char *p = buf;
    const char *end = buf + offset;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        line++;
        p++;
    }
    return line;
}

static int is_trimmable(UChar32 c)
{
    return c == 0xFEFF || u_isUWhiteSpace(c);
}

/* Trim Unicode white space (and U+FEFF) from both ends of s[*start, *end).
 * The same rule as segment.c applies to its spans; TSV statements are not
 * segmented, so corpus.c trims them itself. */
static void trim_range(const char *s, size_t *start, size_t *end)
{
    const uint8_t *u = (const uint8_t *)s;
    size_t i = *start, e = *end;
    while (i < e) {
        size_t next = i;
        UChar32 c;
        U8_NEXT(u, next, e, c);
        if (!is_trimmable(c))
            break;
        i = next;
    }
    while (e > i) {
        /* Step back to the lead byte (U8_PREV takes int32_t offsets only). */
        size_t prev = e - 1;
        while (prev > i && e - prev < 4 && (u[prev] & 0xC0) == 0x80)
            prev--;
        size_t next = prev;
        UChar32 c;
        U8_NEXT(u, next, e, c);
        if (next != e || !is_trimmable(c))
            break;
        e = prev;
    }
    *start = i;
    *end = e;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* "a/b.txt" -> "b", "x.tar.gz" -> "x.tar", ".hidden" -> ".hidden". */
static char *source_name_of_file(const char *path)
{
    const char *base = base_name(path);
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    char *name = malloc(n + 1);
    if (name) {
        memcpy(name, base, n);
        name[n] = '\0';
    }
    return name;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static ts_format format_by_extension(const char *path)
{
    if (has_suffix(path, ".jsonl"))
        return TS_FORMAT_JSONL;
    if (has_suffix(path, ".tsv"))
        return TS_FORMAT_TSV;
    return TS_FORMAT_TEXT;
}

/* ------------------------------------------------------------- sources */

static void source_release(corpus_source *s)
{
    free(s->name);
    free(s->origin);
    free(s->text);
    free(s->stmts);
}

static ts_status find_source(const ts_corpus *c, const char *name, size_t *index)
{
    void *v = NULL;
    if (!lh_table_lookup_ex(c->by_name, name, &v))
        return TS_ERR_ARG;
    *index = (size_t)((uintptr_t)v - 1);
    return TS_OK;
}

/* The source called `name`, created if new.  An input file (owner > 0) may
 * only extend sources it created itself. */
static ts_status source_for(reader *r, const char *name, uint64_t owner, const char *path,
                            size_t *out)
{
    ts_corpus *c = r->corpus;
    size_t idx;
    if (find_source(c, name, &idx) == TS_OK) {
        const corpus_source *s = &c->sources[idx];
        if (owner == 0 || s->owner == owner) {
            *out = idx;
            return TS_OK;
        }
        if (strcmp(s->origin, path) == 0)
            return ts_diag_set(r->diag, TS_ERR_DUPLICATE, path, TS_DIAG_NO_LINE,
                               TS_DIAG_NO_OFFSET,
                               "%s: source \"%s\" is read twice: this input was already "
                               "added; give each input only once",
                               path, name);
        return ts_diag_set(r->diag, TS_ERR_DUPLICATE, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: source \"%s\" is also given by %s; two inputs cannot claim the "
                           "same source name: rename one of them",
                           path, name, s->origin);
    }
    if (c->n_sources >= UINT32_MAX)
        return ts_diag_set(r->diag, TS_ERR_TOO_LARGE, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: more than %u sources; split the inputs into several runs",
                           path, (unsigned)UINT32_MAX);
    if (!TS_GROW(c->sources, c->cap_sources, c->n_sources + 1))
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory adding source \"%s\"", path,
                       name);
    corpus_source *s = &c->sources[c->n_sources];
    memset(s, 0, sizeof *s);
    s->name = dup_string(name);
    s->origin = dup_string(path);
    s->owner = owner;
    s->first = c->n_stmts;
    if (!s->name || !s->origin ||
        lh_table_insert(c->by_name, s->name, (void *)(uintptr_t)(c->n_sources + 1)) != 0) {
        source_release(s);
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory adding source \"%s\"", path,
                       name);
    }
    *out = c->n_sources++;
    return TS_OK;
}

/* -------------------------------------------------------------- statements */

typedef struct span_sink {
    reader *r;
    size_t source;
    size_t base; /* offset of the segmented text in the source's text */
    const char *path;
} span_sink;

static ts_status push_statement(void *user, size_t offset, size_t length)
{
    span_sink *k = user;
    ts_corpus *c = k->r->corpus;
    corpus_source *s = &c->sources[k->source];
    if (c->n_stmts >= UINT32_MAX)
        return ts_diag_set(k->r->diag, TS_ERR_TOO_LARGE, k->path, TS_DIAG_NO_LINE,
                           TS_DIAG_NO_OFFSET,
                           "%s: more than %u statements; split the inputs into several runs",
                           k->path, (unsigned)UINT32_MAX);
    if (!TS_GROW(s->stmts, s->cap_stmts, s->n_stmts + 1))
        return ts_diag_set(k->r->diag, TS_ERR_NOMEM, k->path, TS_DIAG_NO_LINE,
                           TS_DIAG_NO_OFFSET, "%s: out of memory storing statements", k->path);
    s->stmts[s->n_stmts].offset = (uint64_t)(k->base + offset);
    s->stmts[s->n_stmts].length = (uint64_t)length;
    s->n_stmts++;
    c->n_stmts++;
    return TS_OK;
}

static ts_status need_segmenter(reader *r)
{
    if (r->seg)
        return TS_OK;
    return ts_segmenter_create(&r->seg, r->opt->segment, r->opt->locale, r->diag);
}

/* Append text (valid UTF-8) to a source, joined with '\n' to earlier text.
 * When `adopt` is set and the source has no text yet, the buffer (of capacity
 * cap) is taken over instead of copied; otherwise it is left to the caller.
 * Returns the offset where the text starts in *base. */
static ts_status append_text(reader *r, size_t src, char **text, size_t len, size_t cap,
                             int adopt, const char *path, size_t *base)
{
    corpus_source *s = &r->corpus->sources[src];
    if (src < r->dirty_from)
        r->dirty_from = src;
    if (adopt && !s->text) {
        s->text = *text;
        s->text_len = len;
        s->text_cap = cap;
        *text = NULL;
        *base = 0;
        return TS_OK;
    }
    size_t sep = s->text_len > 0 ? 1 : 0;
    if (len > SIZE_MAX - s->text_len - sep - 1 ||
        !TS_GROW(s->text, s->text_cap, s->text_len + sep + len + 1))
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory storing the text of \"%s\"",
                       path, s->name);
    if (sep)
        s->text[s->text_len++] = '\n';
    *base = s->text_len;
    if (len > 0)
        memcpy(s->text + s->text_len, *text, len);
    s->text_len += len;
    return TS_OK;
}

/* Segment s->text[base, base + len) into statements. */
static ts_status segment_into(reader *r, size_t src, size_t base, size_t len, const char *path)
{
    ts_status st = need_segmenter(r);
    if (st != TS_OK)
        return st;
    span_sink sink = {r, src, base, path};
    const corpus_source *s = &r->corpus->sources[src];
    st = ts_segmenter_run(r->seg, s->text + base, len, push_statement, &sink, r->diag);
    if (st != TS_OK && r->diag && !r->diag->path[0]) {
        /* Put the file name in front of the segmenter's own messages. */
        char msg[sizeof r->diag->message];
        snprintf(msg, sizeof msg, "%s", r->diag->message);
        ts_diag_set(r->diag, st, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET, "%s: %s", path, msg);
    }
    return st;
}

/* ----------------------------------------------------------- validation */

/* Validate s.  In replace mode an invalid s is repaired into *fixed (left
 * NULL when s is valid).  `line` 0 means s is a whole file, so the line and
 * byte are computed from s; otherwise s is a JSON member from that line,
 * which starts at byte line_offset. */
static ts_status check_utf8(reader *r, const char *s, size_t len, const char *path,
                            uint64_t line, uint64_t line_offset, const char *member,
                            char **fixed, size_t *fixed_len)
{
    *fixed = NULL;
    *fixed_len = 0;
    int is_nul = 0;
    size_t bad = ts_utf8_check(s, len, &is_nul);
    if (bad == len)
        return TS_OK;
    if (r->opt->on_invalid == TS_INVALID_REPLACE) {
        ts_status st = ts_utf8_sanitize(s, len, fixed, fixed_len);
        if (st != TS_OK)
            return TS_FAIL(r->diag, st, "%s: cannot repair the text: %s", path,
                           ts_status_message(st));
        return TS_OK;
    }
    ts_status st = is_nul ? TS_ERR_NUL : TS_ERR_UTF8;
    if (line == 0) {
        uint64_t at = line_of(s, bad);
        if (is_nul)
            return ts_diag_set(r->diag, st, path, at, bad,
                               "%s:%llu: NUL byte at byte %llu: this looks like a binary file, "
                               "not text; remove it from the inputs or pass "
                               "--on-invalid=replace",
                               path, (unsigned long long)at, (unsigned long long)bad);
        return ts_diag_set(r->diag, st, path, at, bad,
                           "%s:%llu: invalid UTF-8 at byte %llu; convert the file to UTF-8 "
                           "(e.g. iconv -f latin1 -t utf-8) or pass --on-invalid=replace",
                           path, (unsigned long long)at, (unsigned long long)bad);
    }
    return ts_diag_set(r->diag, st, path, line, line_offset,
                       "%s:%llu: the \"%s\" member contains %s; remove it or pass "
                       "--on-invalid=replace",
                       path, (unsigned long long)line, member,
                       is_nul ? "a NUL character (\\u0000)" : "invalid UTF-8");
}

/* Validate (or repair) a whole buffer read from path, in place. */
static ts_status check_buffer(reader *r, char **buf, size_t *len, size_t *cap, const char *path)
{
    char *fixed;
    size_t fixed_len;
    ts_status st = check_utf8(r, *buf, *len, path, 0, 0, NULL, &fixed, &fixed_len);
    if (st != TS_OK || !fixed)
        return st;
    free(*buf);
    *buf = fixed;
    *len = fixed_len;
    *cap = fixed_len + 1;
    return TS_OK;
}

static size_t bom_length(const char *buf, size_t len)
{
    return (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
            (unsigned char)buf[2] == 0xBF)
               ? 3
               : 0;
}

/* ---------------------------------------------------------------- reading */

/* A TEXT input: the whole buffer is one source.  Takes over buf. */
static ts_status add_text_file(reader *r, const char *name, char **buf, size_t len, size_t cap,
                               const char *path)
{
    size_t bom = bom_length(*buf, len);
    if (bom) {
        memmove(*buf, *buf + bom, len - bom);
        len -= bom;
    }
    size_t src = 0, base = 0;
    ts_status st = source_for(r, name, ++r->corpus->last_owner, path, &src);
    if (st == TS_OK)
        st = append_text(r, src, buf, len, cap, 1, path, &base);
    if (st == TS_OK)
        st = segment_into(r, src, base, len, path);
    return st;
}

/* Calls fn for each line of buf[start, len) that is not blank; the line
 * excludes its '\n' and a '\r' before it. */
typedef ts_status (*line_fn)(reader *r, const char *path, uint64_t owner, const char *line,
                             size_t length, uint64_t number, uint64_t offset);

static ts_status for_each_line(reader *r, const char *buf, size_t len, size_t start,
                               const char *path, uint64_t owner, line_fn fn)
{
    uint64_t number = 1;
    size_t pos = start;
    while (pos < len) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) : len;
        size_t stop = end;
        if (stop > pos && buf[stop - 1] == '\r')
            stop--;
        size_t a = pos, b = stop;
        trim_range(buf, &a, &b);
        if (a < b) {
            ts_status st = fn(r, path, owner, buf + pos, stop - pos, number, pos);
            if (st != TS_OK)
                return st;
        }
        number++;
        pos = end + 1;
    }
    return TS_OK;
}

static ts_status jsonl_error(reader *r, const char *path, uint64_t number, uint64_t offset,
                             const char *what)
{
    return ts_diag_set(r->diag, TS_ERR_PARSE, path, number, offset, "%s:%llu: %s: " JSONL_SHAPE,
                       path, (unsigned long long)number, what);
}

/* The string member `key` of a JSONL record, or an error naming it. */
static ts_status jsonl_member(reader *r, json_object *obj, const char *key, const char *path,
                              uint64_t number, uint64_t offset, const char **value,
                              size_t *length)
{
    json_object *m = NULL;
    char what[128];
    if (!json_object_object_get_ex(obj, key, &m)) {
        snprintf(what, sizeof what, "the record has no \"%s\" member", key);
        return jsonl_error(r, path, number, offset, what);
    }
    if (!json_object_is_type(m, json_type_string)) {
        snprintf(what, sizeof what, "the \"%s\" member is not a string", key);
        return jsonl_error(r, path, number, offset, what);
    }
    *value = json_object_get_string(m);
    *length = (size_t)json_object_get_string_len(m);
    return TS_OK;
}

/* Validated copy (or repair) of a JSON string member, NUL-terminated. */
static ts_status jsonl_clean(reader *r, const char *s, size_t len, const char *path,
                             uint64_t number, uint64_t offset, const char *member, char **out,
                             size_t *out_len)
{
    ts_status st = check_utf8(r, s, len, path, number, offset, member, out, out_len);
    if (st != TS_OK || *out)
        return st;
    *out = malloc(len + 1);
    if (!*out)
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory", path);
    memcpy(*out, s, len);
    (*out)[len] = '\0';
    *out_len = len;
    return TS_OK;
}

static ts_status jsonl_record(reader *r, json_object *obj, const char *path, uint64_t owner,
                              uint64_t number, uint64_t offset)
{
    if (!json_object_is_type(obj, json_type_object))
        return jsonl_error(r, path, number, offset, "the record is not a JSON object");
    const char *name, *text;
    size_t name_len, text_len;
    ts_status st = jsonl_member(r, obj, "source", path, number, offset, &name, &name_len);
    if (st == TS_OK)
        st = jsonl_member(r, obj, "text", path, number, offset, &text, &text_len);
    if (st != TS_OK)
        return st;
    if (name_len == 0)
        return jsonl_error(r, path, number, offset, "the \"source\" member is empty");
    char *clean_name = NULL, *clean_text = NULL;
    size_t clean_name_len, clean_text_len;
    st = jsonl_clean(r, name, name_len, path, number, offset, "source", &clean_name,
                     &clean_name_len);
    if (st == TS_OK)
        st = jsonl_clean(r, text, text_len, path, number, offset, "text", &clean_text,
                         &clean_text_len);
    size_t src, base;
    if (st == TS_OK)
        st = source_for(r, clean_name, owner, path, &src);
    if (st == TS_OK)
        st = append_text(r, src, &clean_text, clean_text_len, 0, 0, path, &base);
    if (st == TS_OK)
        st = segment_into(r, src, base, clean_text_len, path);
    free(clean_name);
    free(clean_text);
    return st;
}

static ts_status jsonl_line(reader *r, const char *path, uint64_t owner, const char *line,
                            size_t length, uint64_t number, uint64_t offset)
{
    if (length > (size_t)INT32_MAX)
        return ts_diag_set(r->diag, TS_ERR_TOO_LARGE, path, number, offset,
                           "%s:%llu: a JSONL line of %zu bytes is too long (at most %d); "
                           "split the record",
                           path, (unsigned long long)number, length, (int)INT32_MAX);
    struct json_tokener *tok = json_tokener_new();
    if (!tok)
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory parsing JSON", path);
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *obj = json_tokener_parse_ex(tok, line, (int)length);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    ts_status st;
    char what[256];
    if (!obj || jerr != json_tokener_success) {
        snprintf(what, sizeof what, "malformed JSON (%s)",
                 jerr == json_tokener_continue ? "the line ends inside the object"
                                               : json_tokener_error_desc(jerr));
        st = jsonl_error(r, path, number, offset, what);
    } else {
        size_t a = end, b = length;
        trim_range(line, &a, &b);
        if (a < b)
            st = jsonl_error(r, path, number, offset, "extra text after the JSON object");
        else
            st = jsonl_record(r, obj, path, owner, number, offset);
    }
    json_object_put(obj);
    return st;
}

static ts_status tsv_line(reader *r, const char *path, uint64_t owner, const char *line,
                          size_t length, uint64_t number, uint64_t offset)
{
    const char *tab = memchr(line, '\t', length);
    if (!tab)
        return ts_diag_set(r->diag, TS_ERR_PARSE, path, number, offset,
                           "%s:%llu: no TAB in this line: each line must be "
                           "SOURCE<TAB>STATEMENT",
                           path, (unsigned long long)number);
    size_t name_a = 0, name_b = (size_t)(tab - line);
    trim_range(line, &name_a, &name_b);
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
    trim_range(line, &a, &b);
    size_t src, base;
    ts_status st = source_for(r, name, owner, path, &src);
    free(name);
    if (st != TS_OK || a == b)
        return st;
    char *stmt = (char *)line + a;
    st = append_text(r, src, &stmt, b - a, 0, 0, path, &base);
    if (st == TS_OK) {
        span_sink sink = {r, src, base, path};
        st = push_statement(&sink, 0, b - a);
    }
    return st;
}

/* Check buf (UTF-8, NUL) and add it as `format`: JSONL and TSV line by line,
 * anything else as one text source named after the file (or "stdin").
 * Shared by files, standard input and in-memory buffers, so every input
 * takes the same path.  Takes over *buf for a text source. */
static ts_status add_contents(reader *r, char **buf, size_t len, size_t cap, const char *path,
                              ts_format format, int is_stdin)
{
    ts_status st = check_buffer(r, buf, &len, &cap, path);
    if (st != TS_OK)
        return st;
    if (format == TS_FORMAT_JSONL || format == TS_FORMAT_TSV)
        return for_each_line(r, *buf, len, bom_length(*buf, len), path, ++r->corpus->last_owner,
                             format == TS_FORMAT_JSONL ? jsonl_line : tsv_line);
    char *name = is_stdin ? dup_string(STDIN_NAME) : source_name_of_file(path);
    if (!name)
        st = TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory", path);
    else if (!name[0])
        st = ts_diag_set(r->diag, TS_ERR_ARG, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                         "%s: cannot name a source after this path; give a file name", path);
    else
        st = add_text_file(r, name, buf, len, cap, path);
    free(name);
    return st;
}

static ts_status add_file(reader *r, const char *path, ts_format format, int is_stdin)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ts_status st = ts_file_read(path, is_stdin ? stdin : NULL, NULL, NULL, &buf, &len, &cap, r->diag);
    if (st == TS_OK)
        st = add_contents(r, &buf, len, cap, path, format, is_stdin);
    free(buf);
    return st;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Regular, non-hidden files directly in dir, as full paths sorted by name. */
static ts_status list_directory(reader *r, const char *dir, char ***out, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return ts_diag_set(r->diag, TS_ERR_IO, dir, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: cannot open: %s; check the path and permissions", dir,
                           strerror(errno));
    size_t dlen = strlen(dir);
    int slash = dlen > 0 && dir[dlen - 1] == '/';
    char **files = NULL;
    size_t n = 0, cap = 0;
    ts_status st = TS_OK;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno != 0)
                st = ts_diag_set(r->diag, TS_ERR_IO, dir, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                                 "%s: cannot list the directory: %s; check the permissions",
                                 dir, strerror(errno));
            break;
        }
        if (e->d_name[0] == '.')
            continue;
        size_t plen = dlen + 1 + strlen(e->d_name) + 1;
        char *full = malloc(plen);
        if (!full || !TS_GROW(files, cap, n + 1)) {
            free(full);
            st = TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory listing the directory", dir);
            break;
        }
        snprintf(full, plen, "%s%s%s", dir, slash ? "" : "/", e->d_name);
        struct stat sb;
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(full);
            continue;
        }
        files[n++] = full;
    }
    closedir(d);
    if (st != TS_OK) {
        free_strings(files, n);
        return st;
    }
    /* Same directory prefix, so ordering full paths orders the names. */
    if (n > 1)
        qsort(files, n, sizeof *files, compare_strings);
    *out = files;
    *count = n;
    return TS_OK;
}

static ts_status add_directory(reader *r, const char *dir)
{
    char **files = NULL;
    size_t n = 0;
    ts_status st = list_directory(r, dir, &files, &n);
    if (st != TS_OK)
        return st;
    if (n == 0)
        st = ts_diag_set(r->diag, TS_ERR_EMPTY, dir, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                         "%s: DIR: no text files in this directory; put one .txt file per "
                         "source in it",
                         dir);
    for (size_t i = 0; i < n && st == TS_OK; i++)
        st = add_file(r, files[i], format_by_extension(files[i]), 0);
    free_strings(files, n);
    return st;
}

/* ------------------------------------------------------ call bracketing */

typedef struct snapshot {
    size_t n_sources;
    size_t n_stmts;
    size_t touched; /* an existing source add_text may extend, or SIZE_MAX */
    size_t touched_text_len, touched_n_stmts;
} snapshot;

static snapshot take_snapshot(const ts_corpus *c, size_t touched)
{
    snapshot s = {c->n_sources, c->n_stmts, touched, 0, 0};
    if (touched < c->n_sources) {
        s.touched_text_len = c->sources[touched].text_len;
        s.touched_n_stmts = c->sources[touched].n_stmts;
    }
    return s;
}

static void roll_back(ts_corpus *c, const snapshot *s)
{
    while (c->n_sources > s->n_sources) {
        corpus_source *src = &c->sources[--c->n_sources];
        lh_table_delete(c->by_name, src->name);
        source_release(src);
    }
    if (s->touched < c->n_sources) {
        corpus_source *src = &c->sources[s->touched];
        src->text_len = s->touched_text_len;
        src->n_stmts = s->touched_n_stmts;
    }
    c->n_stmts = s->n_stmts;
}

/* Bring the flat index up to date from source `from` on. */
static ts_status rebuild_flat(ts_corpus *c, size_t from, ts_diag *diag)
{
    if (!TS_GROW(c->flat, c->cap_flat, c->n_stmts))
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory indexing %zu statements", c->n_stmts);
    size_t pos = from == 0 ? 0 : c->sources[from - 1].first + c->sources[from - 1].n_stmts;
    for (size_t s = from; s < c->n_sources; s++) {
        corpus_source *src = &c->sources[s];
        src->first = pos;
        for (size_t i = 0; i < src->n_stmts; i++) {
            c->flat[pos].source = (uint32_t)s;
            c->flat[pos].index0 = (uint32_t)i;
            pos++;
        }
    }
    return TS_OK;
}

static ts_status finish_call(reader *r, const snapshot *snap, ts_status st)
{
    ts_corpus *c = r->corpus;
    size_t from = r->dirty_from < snap->n_sources ? r->dirty_from : snap->n_sources;
    if (st == TS_OK && from < c->n_sources)
        st = rebuild_flat(c, from, r->diag);
    if (st != TS_OK)
        roll_back(c, snap);
    ts_segmenter_free(r->seg);
    return st;
}

static ts_status check_options(const ts_read_options *o, ts_diag *diag)
{
    if ((unsigned)o->format > TS_FORMAT_TSV)
        return TS_FAIL(diag, TS_ERR_ARG, "unknown input format %d; use auto, text, dir, jsonl "
                                         "or tsv", (int)o->format);
    if ((unsigned)o->segment > TS_SEGMENT_LINE)
        return TS_FAIL(diag, TS_ERR_ARG, "unknown segmentation %d; use sentence or line",
                       (int)o->segment);
    if ((unsigned)o->on_invalid > TS_INVALID_REPLACE)
        return TS_FAIL(diag, TS_ERR_ARG, "unknown invalid-input policy %d; use error or replace",
                       (int)o->on_invalid);
    return TS_OK;
}

/* ------------------------------------------------------------- public API */

void ts_read_options_init(ts_read_options *options)
{
    if (!options)
        return;
    options->format = TS_FORMAT_AUTO;
    options->segment = TS_SEGMENT_SENTENCE;
    options->on_invalid = TS_INVALID_ERROR;
    options->locale = NULL;
}

ts_status ts_corpus_create(ts_corpus **out)
{
    if (!out)
        return TS_ERR_ARG;
    *out = NULL;
    ts_corpus *c = calloc(1, sizeof *c);
    if (!c)
        return TS_ERR_NOMEM;
    c->by_name = lh_kchar_table_new(64, NULL);
    if (!c->by_name) {
        free(c);
        return TS_ERR_NOMEM;
    }
    *out = c;
    return TS_OK;
}

void ts_corpus_free(ts_corpus *corpus)
{
    if (!corpus)
        return;
    for (size_t i = 0; i < corpus->n_sources; i++)
        source_release(&corpus->sources[i]);
    free(corpus->sources);
    lh_table_free(corpus->by_name);
    free(corpus->flat);
    free(corpus);
}

ts_status ts_corpus_add_path(ts_corpus *corpus, const char *path,
                             const ts_read_options *options, ts_diag *diag)
{
    ts_read_options defaults;
    if (!options) {
        ts_read_options_init(&defaults);
        options = &defaults;
    }
    if (!corpus || !path || !path[0])
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_add_path: no corpus or no path");
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;

    reader r = {corpus, options, NULL, diag, SIZE_MAX};
    snapshot snap = take_snapshot(corpus, SIZE_MAX);
    int is_stdin = strcmp(path, "-") == 0;
    ts_format format = options->format;
    if (is_stdin) {
        if (format == TS_FORMAT_DIR)
            st = TS_FAIL(diag, TS_ERR_ARG, "-: standard input cannot be read as a directory; "
                                           "use --format text, jsonl or tsv");
        else
            st = add_file(&r, STDIN_NAME, format == TS_FORMAT_AUTO ? TS_FORMAT_TEXT : format,
                          1);
    } else {
        if (format == TS_FORMAT_AUTO) {
            struct stat sb;
            if (stat(path, &sb) != 0)
                st = ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                                 "%s: cannot open: %s; check the path and permissions", path,
                                 strerror(errno));
            else
                format = S_ISDIR(sb.st_mode) ? TS_FORMAT_DIR : format_by_extension(path);
        }
        if (st == TS_OK)
            st = format == TS_FORMAT_DIR ? add_directory(&r, path)
                                         : add_file(&r, path, format, 0);
    }
    return finish_call(&r, &snap, st);
}

/* The in-memory twin of add_file (corpus_internal.h): the same validation and
 * readers, with a copy of data in place of the file's contents. */
ts_status ts_corpus_add_buffer(ts_corpus *corpus, const char *path, const char *data,
                               size_t length, const ts_read_options *options, ts_diag *diag)
{
    ts_read_options defaults;
    if (!options) {
        ts_read_options_init(&defaults);
        options = &defaults;
    }
    if (!corpus || !path || !path[0] || (!data && length > 0))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_add_buffer: no corpus, path or data");
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;
    ts_format format = options->format == TS_FORMAT_AUTO ? format_by_extension(path)
                                                         : options->format;
    if (format == TS_FORMAT_DIR)
        return TS_FAIL(diag, TS_ERR_ARG, "%s: a buffer cannot be read as a directory; use "
                                         "--format text, jsonl or tsv", path);
    if (length == SIZE_MAX)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE, "%s: the buffer is too large", path);
    size_t len = length, cap = length + 1;
    char *buf = malloc(cap);
    if (!buf)
        return TS_FAIL(diag, TS_ERR_NOMEM, "%s: out of memory copying the input", path);
    if (length > 0)
        memcpy(buf, data, length);

    reader r = {corpus, options, NULL, diag, SIZE_MAX};
    snapshot snap = take_snapshot(corpus, SIZE_MAX);
    st = add_contents(&r, &buf, len, cap, path, format, 0);
    free(buf);
    return finish_call(&r, &snap, st);
}

ts_status ts_corpus_add_text(ts_corpus *corpus, const char *source_name, const char *text,
                             size_t length, const char *origin,
                             const ts_read_options *options, ts_diag *diag)
{
    ts_read_options defaults;
    if (!options) {
        ts_read_options_init(&defaults);
        options = &defaults;
    }
    if (!origin)
        origin = TEXT_ORIGIN;
    if (!corpus || !source_name || (!text && length > 0))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_add_text: no corpus, source or text");
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;
    reader r = {corpus, options, NULL, diag, SIZE_MAX};

    /* The source name must be clean text as well. */
    if (!source_name[0])
        return ts_diag_set(diag, TS_ERR_ARG, origin, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: the source name is empty; give the text a source name", origin);
    char *name = NULL;
    size_t name_len = strlen(source_name);
    if (ts_utf8_check(source_name, name_len, NULL) != name_len) {
        if (options->on_invalid != TS_INVALID_REPLACE)
            return ts_diag_set(diag, TS_ERR_UTF8, origin, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                               "%s: the source name is not valid UTF-8; convert it to UTF-8 "
                               "or pass --on-invalid=replace",
                               origin);
        st = ts_utf8_sanitize(source_name, name_len, &name, &name_len);
        if (st != TS_OK)
            return TS_FAIL(diag, st, "%s: cannot repair the source name", origin);
    }
    const char *use_name = name ? name : source_name;

    char *fixed = NULL;
    size_t fixed_len = 0;
    st = check_utf8(&r, text ? text : "", length, origin, 0, 0, NULL, &fixed, &fixed_len);
    if (st != TS_OK) {
        free(name);
        return st;
    }
    size_t existing;
    snapshot snap = take_snapshot(
        corpus, find_source(corpus, use_name, &existing) == TS_OK ? existing : SIZE_MAX);
    char *body = fixed ? fixed : (char *)(text ? text : "");
    size_t body_len = fixed ? fixed_len : length;
    size_t src, base;
    st = source_for(&r, use_name, 0, origin, &src);
    if (st == TS_OK)
        st = append_text(&r, src, &body, body_len, 0, 0, origin, &base);
    if (st == TS_OK)
        st = segment_into(&r, src, base, body_len, origin);
    free(fixed);
    free(name);
    return finish_call(&r, &snap, st);
}

size_t ts_corpus_source_count(const ts_corpus *corpus)
{
    return corpus ? corpus->n_sources : 0;
}

const char *ts_corpus_source_name(const ts_corpus *corpus, size_t source)
{
    if (!corpus || source >= corpus->n_sources)
        return NULL;
    return corpus->sources[source].name;
}

size_t ts_corpus_statement_count(const ts_corpus *corpus)
{
    return corpus ? corpus->n_stmts : 0;
}

ts_statement ts_corpus_statement(const ts_corpus *corpus, size_t i)
{
    ts_statement out = {"", 0, 0, 0, 0};
    if (!corpus || i >= corpus->n_stmts)
        return out;
    flat_ref ref = corpus->flat[i];
    const corpus_source *s = &corpus->sources[ref.source];
    const stmt_span *span = &s->stmts[ref.index0];
    out.text = s->text + span->offset;
    out.length = (size_t)span->length;
    out.source = ref.source;
    out.index = ref.index0 + 1;
    out.offset = span->offset;
    return out;
}

void ts_corpus_source_range(const ts_corpus *corpus, size_t source, size_t *first,
                            size_t *count)
{
    size_t f = corpus ? corpus->n_stmts : 0, n = 0;
    if (corpus && source < corpus->n_sources) {
        f = corpus->sources[source].first;
        n = corpus->sources[source].n_stmts;
    }
    if (first)
        *first = f;
    if (count)
        *count = n;
}
