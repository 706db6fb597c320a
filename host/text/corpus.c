/*
 * corpus.c - the corpus: its sources and their statements (ts_corpus_*).
 *
 * A corpus is a list of sources in order of first appearance.  Each source
 * owns its text buffer (a whole file, or the texts of its JSONL records or TSV
 * statements joined with '\n') and an array of statement spans {offset, length}
 * into that buffer; offsets rather than pointers because buffers grow when
 * more text arrives.  A flat array {source, index} in source-then-index order
 * makes ts_corpus_statement() O(1).  It is brought up to date at the end of
 * every successful add_* call (ts_reader_end), from the first source that
 * call touched, so a sequence of calls that each add new sources costs time
 * linear in what they add.  A name -> source table (json-c's linkhash) keeps
 * lookups O(1) when many JSONL or TSV records name their sources.
 *
 * Reading is read.c's and the readers' (read_text.c, read_jsonl.c,
 * read_tsv.c); they change a corpus only through the ts_reader services here
 * (corpus_internal.h): sources, text, statements, UTF-8 checks with messages
 * that name the place, lines.  With on_invalid REPLACE, offsets refer to the
 * repaired text.  An HTML source's text is the page's visible text; its
 * statements report offsets in the HTML file (file_offsets).
 *
 * Source ownership: each input file gets a fresh owner id and may only create
 * sources or add to those it created itself, so a name claimed by two files
 * is TS_ERR_DUPLICATE.  Text given to ts_corpus_add_text (owner 0) may extend
 * any source.  A failing call rolls the corpus back to its state before the
 * call (new sources removed, an extended source cut back to its old length).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <json-c/linkhash.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/utf8.h"
#include "corpus_internal.h"
#include "segment.h"

typedef struct stmt_span {
    uint64_t offset; /* in the source's text */
    uint64_t length;
} stmt_span;

typedef struct corpus_source {
    char *name;
    char *origin;   /* the input that created it, for messages */
    char *locale;   /* its numbers' conventions (numbers.h); NULL: "en" */
    uint64_t owner; /* the input file that created it; 0: ts_corpus_add_text */
    char *text;
    size_t text_len, text_cap;
    stmt_span *stmts;
    size_t n_stmts, cap_stmts;
    uint64_t *file_offsets; /* NULL, or each statement's offset in its file (HTML) */
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

/* ------------------------------------------------------------- sources */

static void source_release(corpus_source *s)
{
    free(s->name);
    free(s->origin);
    free(s->locale);
    free(s->text);
    free(s->stmts);
    free(s->file_offsets);
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
ts_status ts_reader_source(ts_reader *r, const char *name, uint64_t owner, const char *path,
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
    s->name = strdup(name);
    s->origin = strdup(path);
    const char *locale = r->opt ? r->opt->locale : NULL;
    s->locale = locale ? strdup(locale) : NULL;
    s->owner = owner;
    s->first = c->n_stmts;
    if (!s->name || !s->origin || (locale && !s->locale) ||
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
    ts_reader *r;
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

ts_status ts_reader_push(ts_reader *r, size_t src, size_t base, size_t len, const char *path)
{
    span_sink sink = {r, src, base, path};
    return push_statement(&sink, 0, len);
}

static ts_status need_segmenter(ts_reader *r)
{
    if (r->seg)
        return TS_OK;
    return ts_segmenter_create(&r->seg, r->opt->segment, r->opt->locale, r->diag);
}

/* Append text (valid UTF-8) to a source, joined with '\n' to earlier text.
 * When `adopt` is set and the source has no text yet, the buffer (of capacity
 * cap) is taken over instead of copied; otherwise it is left to the caller.
 * Returns the offset where the text starts in *base. */
ts_status ts_reader_append(ts_reader *r, size_t src, char **text, size_t len, size_t cap,
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

ts_status ts_reader_map_offsets(ts_reader *r, size_t src, ts_offset_fn file_offset,
                                const void *user, const char *path)
{
    corpus_source *s = &r->corpus->sources[src];
    free(s->file_offsets);
    s->file_offsets = malloc((s->n_stmts ? s->n_stmts : 1) * sizeof *s->file_offsets);
    if (!s->file_offsets)
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory", path);
    for (size_t i = 0; i < s->n_stmts; i++)
        s->file_offsets[i] = file_offset(user, s->stmts[i].offset);
    return TS_OK;
}

/* Segment s->text[base, base + len) into statements. */
ts_status ts_reader_segment(ts_reader *r, size_t src, size_t base, size_t len,
                            const char *path)
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
ts_status ts_reader_check_utf8(ts_reader *r, const char *s, size_t len, const char *path,
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

size_t ts_reader_bom(const char *buf, size_t len)
{
    return (len >= 3 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
            (unsigned char)buf[2] == 0xBF)
               ? 3
               : 0;
}

/* ------------------------------------------------------------------ lines */

ts_status ts_reader_lines(ts_reader *r, const char *buf, size_t len, size_t start,
                          const char *path, uint64_t owner, ts_line_fn fn)
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
        ts_utf8_trim(buf, &a, &b);
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

/* ------------------------------------------------------ call bracketing */

static ts_corpus_snapshot take_snapshot(const ts_corpus *c, size_t touched)
{
    ts_corpus_snapshot s = {c->n_sources, c->n_stmts, touched, 0, 0};
    if (touched < c->n_sources) {
        s.touched_text_len = c->sources[touched].text_len;
        s.touched_n_stmts = c->sources[touched].n_stmts;
    }
    return s;
}

static void roll_back(ts_corpus *c, const ts_corpus_snapshot *s)
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

void ts_reader_begin(ts_reader *r, ts_corpus *corpus, const ts_read_options *options,
                     ts_diag *diag, const char *touched)
{
    size_t existing = SIZE_MAX;
    if (touched && find_source(corpus, touched, &existing) != TS_OK)
        existing = SIZE_MAX;
    *r = (ts_reader){corpus, options, NULL, diag, SIZE_MAX, take_snapshot(corpus, existing)};
}

ts_status ts_reader_end(ts_reader *r, ts_status st)
{
    ts_corpus *c = r->corpus;
    const ts_corpus_snapshot *snap = &r->snap;
    size_t from = r->dirty_from < snap->n_sources ? r->dirty_from : snap->n_sources;
    if (st == TS_OK && from < c->n_sources)
        st = rebuild_flat(c, from, r->diag);
    if (st != TS_OK)
        roll_back(c, snap);
    ts_segmenter_free(r->seg);
    r->seg = NULL;
    return st;
}

uint64_t ts_reader_new_owner(ts_reader *r)
{
    return ++r->corpus->last_owner;
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

const char *ts_corpus_source_origin(const ts_corpus *corpus, size_t source)
{
    if (!corpus || source >= corpus->n_sources)
        return NULL;
    return corpus->sources[source].origin;
}

ts_status ts_corpus_rename_source(ts_corpus *corpus, size_t source, const char *name,
                                  ts_diag *diag)
{
    if (!corpus || source >= corpus->n_sources || !name)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_rename_source: no corpus, source or name");
    corpus_source *s = &corpus->sources[source];
    size_t len = strlen(name), other;
    if (len == 0 || ts_utf8_check(name, len, NULL) != len)
        return TS_FAIL(diag, TS_ERR_ARG, "the new name of source \"%s\" is empty or not UTF-8",
                       s->name);
    if (strcmp(name, s->name) == 0)
        return TS_OK;
    if (find_source(corpus, name, &other) == TS_OK)
        return TS_FAIL(diag, TS_ERR_DUPLICATE,
                       "cannot name source \"%s\" \"%s\": source \"%s\" (%s) has that name; "
                       "give each source its own name",
                       s->name, name, corpus->sources[other].name, corpus->sources[other].origin);
    char *copy = strdup(name);
    if (!copy)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory renaming a source");
    lh_table_delete(corpus->by_name, s->name);
    free(s->name);
    s->name = copy;
    if (lh_table_insert(corpus->by_name, s->name, (void *)(uintptr_t)(source + 1)) != 0)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory renaming a source");
    return TS_OK;
}

const char *ts_corpus_source_locale(const ts_corpus *corpus, size_t source)
{
    if (!corpus || source >= corpus->n_sources)
        return NULL;
    return corpus->sources[source].locale ? corpus->sources[source].locale : "en";
}

/* A locale is a language code and optional parts ("de", "de_CH",
 * "fr-CA", "en@ss=standard"): letters first, then letters, digits and
 * _-@=;. only, at most 63 bytes. */
static int is_locale(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || strchr("_-@=;.", s[i])))
            return 0;
    return 1;
}

ts_status ts_corpus_set_source_locale(ts_corpus *corpus, size_t source, const char *locale,
                                      ts_diag *diag)
{
    if (!corpus || source >= corpus->n_sources || !locale)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_set_source_locale: no corpus, source or locale");
    corpus_source *s = &corpus->sources[source];
    if (!is_locale(locale))
        return TS_FAIL(diag, TS_ERR_ARG,
                       "\"%s\" is not a locale for source \"%s\"; give a language code such "
                       "as en, de, fr or es, optionally with a region (de_CH)",
                       locale, s->name);
    char *copy = strdup(locale);
    if (!copy)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory setting a source's locale");
    free(s->locale);
    s->locale = copy;
    return TS_OK;
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
    out.offset = s->file_offsets ? s->file_offsets[ref.index0] : span->offset;
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
