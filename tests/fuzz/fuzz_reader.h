/*
 * fuzz_reader.h - checks shared by the reader fuzz targets (test code).
 *
 * fuzz_read() adds one input to a fresh corpus through ts_corpus_add_buffer
 * (host/text/read.h) and checks what every reader promises whatever the
 * input: on success, sources have distinct non-empty UTF-8 names, statements
 * are numbered 1.. per source in flat order, are non-empty, valid UTF-8
 * without NUL, trimmed, and ascend without overlapping in one text buffer per
 * source (HTML: their offsets, in the file, ascend); on failure, the diag carries the status, names the input and the
 * corpus is empty again.  It then adds the same input a second time: a
 * failing input must fail the same way, and an input that created sources
 * must now be refused as a duplicate, leaving the corpus exactly as it was
 * (the roll-back path).
 */
#ifndef TS_FUZZ_READER_H
#define TS_FUZZ_READER_H

#include "fuzz_common.h"
#include "text/read.h"

static inline ts_read_options fuzz_options(ts_format format, ts_invalid_policy policy,
                                           ts_segment_mode segment)
{
    ts_read_options o;
    ts_read_options_init(&o);
    o.format = format;
    o.on_invalid = policy;
    o.segment = segment;
    return o;
}

static inline void fuzz_check_corpus(const ts_corpus *c, int file_offsets)
{
    size_t ns = ts_corpus_source_count(c), n = ts_corpus_statement_count(c);
    size_t next = 0;
    for (size_t s = 0; s < ns; s++) {
        const char *name = ts_corpus_source_name(c, s);
        FUZZ_CHECK(name && name[0], "source %zu has no name", s);
        FUZZ_CHECK(fuzz_utf8_valid(name, strlen(name)), "source name %zu is not UTF-8", s);
        for (size_t t = 0; t < s; t++)
            FUZZ_CHECK(strcmp(name, ts_corpus_source_name(c, t)) != 0,
                       "sources %zu and %zu are both \"%s\"", t, s, name);
        size_t first, count;
        ts_corpus_source_range(c, s, &first, &count);
        FUZZ_CHECK(first == next, "source %zu starts at %zu, expected %zu", s, first, next);
        FUZZ_CHECK(count <= n - first, "source %zu has %zu statements past the end", s, count);
        const char *base = NULL;
        uint64_t prev_end = 0;
        for (size_t i = first; i < first + count; i++) {
            ts_statement st = ts_corpus_statement(c, i);
            FUZZ_CHECK(st.source == s && st.index == i - first + 1,
                       "statement %zu is %u:%u, expected %zu:%zu", i, st.source, st.index, s,
                       i - first + 1);
            FUZZ_CHECK(st.length > 0, "statement %zu is empty", i);
            FUZZ_CHECK(fuzz_utf8_valid(st.text, st.length),
                       "statement %zu is not valid UTF-8 or holds a NUL", i);
            FUZZ_CHECK(fuzz_is_trimmed(st.text, st.length), "statement %zu is not trimmed", i);
            FUZZ_CHECK(st.offset >= prev_end, "statement %zu (at %llu) overlaps the previous",
                       i, (unsigned long long)st.offset);
            if (file_offsets) { /* the length is the text's, not the file's */
                prev_end = st.offset + 1;
                continue;
            }
            if (!base)
                base = st.text - st.offset;
            FUZZ_CHECK(st.text - st.offset == base,
                       "statement %zu is not in its source's text buffer", i);
            prev_end = st.offset + st.length;
        }
        next += count;
    }
    FUZZ_CHECK(next == n, "sources hold %zu statements, the corpus %zu", next, n);
    ts_statement past = ts_corpus_statement(c, n);
    FUZZ_CHECK(past.length == 0, "a statement past the end");
}

/* Whether two corpora hold the same sources and statements. */
static inline int fuzz_same_corpus(const ts_corpus *a, const ts_corpus *b)
{
    if (ts_corpus_source_count(a) != ts_corpus_source_count(b) ||
        ts_corpus_statement_count(a) != ts_corpus_statement_count(b))
        return 0;
    for (size_t s = 0; s < ts_corpus_source_count(a); s++)
        if (strcmp(ts_corpus_source_name(a, s), ts_corpus_source_name(b, s)) != 0)
            return 0;
    for (size_t i = 0; i < ts_corpus_statement_count(a); i++) {
        ts_statement x = ts_corpus_statement(a, i), y = ts_corpus_statement(b, i);
        if (x.source != y.source || x.index != y.index || x.offset != y.offset ||
            x.length != y.length || memcmp(x.text, y.text, x.length) != 0)
            return 0;
    }
    return 1;
}

/* Everything ts_corpus_* shows of a corpus, pointers included, for the
 * roll-back check. */
typedef struct fuzz_digest {
    size_t sources, statements;
    uint64_t hash;
} fuzz_digest;

static inline fuzz_digest fuzz_digest_of(const ts_corpus *c)
{
    fuzz_digest d = {ts_corpus_source_count(c), ts_corpus_statement_count(c), 1469598103934665603u};
    for (size_t i = 0; i < d.statements; i++) {
        ts_statement s = ts_corpus_statement(c, i);
        uint64_t v[5] = {(uint64_t)(uintptr_t)s.text, s.length, s.source, s.index, s.offset};
        for (size_t k = 0; k < 5; k++)
            d.hash = (d.hash ^ v[k]) * 1099511628211u;
    }
    return d;
}

static inline void fuzz_check_failure(ts_status st, const ts_diag *d, const char *path)
{
    FUZZ_CHECK(d->status == st, "diag status %s, returned %s", ts_status_name(d->status),
               ts_status_name(st));
    FUZZ_CHECK(d->message[0] != '\0', "no message for %s", ts_status_name(st));
    FUZZ_CHECK(strstr(d->message, path) != NULL, "the message does not name %s: %s", path,
               d->message);
}

/* In line mode no statement may hold a line break. */
static inline void fuzz_check_no_line_breaks(const ts_corpus *c)
{
    for (size_t i = 0; i < ts_corpus_statement_count(c); i++) {
        ts_statement s = ts_corpus_statement(c, i);
        FUZZ_CHECK(!memchr(s.text, '\n', s.length) && !memchr(s.text, '\r', s.length),
                   "line statement %zu holds a line break", i);
    }
}

/* Read data as `path` into a new corpus (returned; *status and *diag say how
 * it went) and run the checks above. */

static inline ts_corpus *fuzz_read(const uint8_t *data, size_t size, const char *path,
                                   const ts_read_options *o, ts_status *status, ts_diag *diag)
{
    ts_corpus *c = NULL;
    FUZZ_CHECK(ts_corpus_create(&c) == TS_OK, "ts_corpus_create");
    ts_diag_clear(diag);
    ts_status st = ts_corpus_add_buffer(c, path, (const char *)data, size, o, diag);
    *status = st;
    if (st != TS_OK) {
        fuzz_check_failure(st, diag, path);
        FUZZ_CHECK(ts_corpus_source_count(c) == 0 && ts_corpus_statement_count(c) == 0,
                   "a failed read left %zu sources", ts_corpus_source_count(c));
    }
    fuzz_check_corpus(c, o->format == TS_FORMAT_HTML);

    fuzz_digest before = fuzz_digest_of(c);
    ts_diag again;
    ts_diag_clear(&again);
    ts_status st2 = ts_corpus_add_buffer(c, path, (const char *)data, size, o, &again);
    if (st != TS_OK) {
        FUZZ_CHECK(st2 == st && strcmp(again.message, diag->message) == 0,
                   "a second read failed otherwise: %s", again.message);
    } else if (before.sources > 0) {
        FUZZ_CHECK(st2 == TS_ERR_DUPLICATE, "the same input read twice gave %s",
                   ts_status_name(st2));
        fuzz_check_failure(st2, &again, path);
    } else {
        FUZZ_CHECK(st2 == TS_OK && ts_corpus_source_count(c) == 0,
                   "an input without sources read twice gave %s", ts_status_name(st2));
    }
    fuzz_digest after = fuzz_digest_of(c);
    FUZZ_CHECK(after.sources == before.sources && after.statements == before.statements &&
                   after.hash == before.hash,
               "a refused input changed the corpus");
    fuzz_check_corpus(c, o->format == TS_FORMAT_HTML);
    return c;
}

/* Input whose first bytes name a binary format (read.h) is refused in every
 * mode with TS_ERR_PARSE, a message naming the path, and nothing added;
 * returns 1 when that was the case (the other invariants do not apply). */
static inline int fuzz_refused_as_binary(const uint8_t *data, size_t size, const char *path,
                                         ts_format format)
{
    if (!ts_read_binary_format((const char *)data, size))
        return 0;
    const ts_invalid_policy policies[2] = {TS_INVALID_ERROR, TS_INVALID_REPLACE};
    for (int k = 0; k < 2; k++) {
        ts_status st;
        ts_diag d;
        ts_read_options o = fuzz_options(format, policies[k], TS_SEGMENT_SENTENCE);
        ts_corpus *c = fuzz_read(data, size, path, &o, &st, &d);
        FUZZ_CHECK(st == TS_ERR_PARSE, "binary input gave %s", ts_status_name(st));
        FUZZ_CHECK(strstr(d.message, path) != NULL && strstr(d.message, "not text") != NULL,
                   "binary input message: %s", d.message);
        FUZZ_CHECK(ts_corpus_statement_count(c) == 0, "binary input added statements");
        ts_corpus_free(c);
    }
    return 1;
}

#endif
