/*
 * corpus_internal.h - what the readers see of a corpus (internal).
 *
 * corpus.c keeps the corpus: its sources, their texts and statement spans.
 * The readers of each input format (read_text.c, read_jsonl.c, read_tsv.c,
 * read_csv.c, read_html.c), driven by read.c, add to it only through a
 * ts_reader: one add_* call of the public API, bracketed by ts_reader_begin
 * and ts_reader_end, so that a failing call leaves the corpus as it was.
 */
#ifndef TS_CORPUS_INTERNAL_H
#define TS_CORPUS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "segment.h"
#include "textsim.h"

/* The corpus as it was when a call began, to roll back to. */
typedef struct ts_corpus_snapshot {
    size_t n_sources;
    size_t n_stmts;
    size_t touched; /* an existing source add_text may extend, or SIZE_MAX */
    size_t touched_text_len, touched_n_stmts;
} ts_corpus_snapshot;

/* State of one add_* call. */
typedef struct ts_reader {
    ts_corpus *corpus;
    const ts_read_options *opt;
    ts_segmenter *seg; /* created on first use */
    ts_diag *diag;
    size_t dirty_from; /* first source this call changed */
    ts_corpus_snapshot snap;
} ts_reader;

/* Begin a call on corpus; `touched`, when not NULL, names an existing source
 * the call may extend (ts_corpus_add_text). */
void ts_reader_begin(ts_reader *r, ts_corpus *corpus, const ts_read_options *options,
                     ts_diag *diag, const char *touched);
/* End the call with its status st: on success the statement index is
 * brought up to date, on failure the corpus is rolled back.  Returns the
 * call's final status. */
ts_status ts_reader_end(ts_reader *r, ts_status st);

/* A fresh owner id for one input file: it may create sources and extend
 * only those; owner 0 (ts_corpus_add_text) may extend any source. */
uint64_t ts_reader_new_owner(ts_reader *r);
/* The source called name, created if new; TS_ERR_DUPLICATE when another
 * input owns it. */
ts_status ts_reader_source(ts_reader *r, const char *name, uint64_t owner, const char *path,
                           size_t *src);
/* Append text (valid UTF-8) to source src, joined with '\n' to earlier text.
 * When adopt is set and the source has no text yet, the buffer (of capacity
 * cap) is taken over (*text becomes NULL) instead of copied.  *base: where
 * the text starts in the source's text. */
ts_status ts_reader_append(ts_reader *r, size_t src, char **text, size_t len, size_t cap,
                           int adopt, const char *path, size_t *base);
/* Segment the source's text [base, base + len) into statements. */
ts_status ts_reader_segment(ts_reader *r, size_t src, size_t base, size_t len,
                            const char *path);
/* The source's statements (all of them: it is one file's) report
 * file_offset(user, their offset in its text) as their offset from now on. */
typedef uint64_t (*ts_offset_fn)(const void *user, uint64_t text_offset);
ts_status ts_reader_map_offsets(ts_reader *r, size_t src, ts_offset_fn file_offset,
                                const void *user, const char *path);
/* Add the source's text [base, base + len) as one statement, unsegmented. */
ts_status ts_reader_push(ts_reader *r, size_t src, size_t base, size_t len, const char *path);

/* Validate s as UTF-8 without NUL.  With --on-invalid=replace an invalid s
 * is repaired into a malloc'ed *fixed (left NULL when s is valid); otherwise
 * the error names path and the place: line 0 means s is a whole file (line
 * and byte computed from s), else s is the JSON member `member` of that
 * line, which starts at byte line_offset. */
ts_status ts_reader_check_utf8(ts_reader *r, const char *s, size_t len, const char *path,
                               uint64_t line, uint64_t line_offset, const char *member,
                               char **fixed, size_t *fixed_len);

/* 3 when buf starts with a UTF-8 byte order mark, else 0. */
size_t ts_reader_bom(const char *buf, size_t len);

/* Calls fn for each line of buf[start, len) that is not blank; the line
 * excludes its '\n' and a '\r' before it; number counts from 1 and offset
 * is the line's first byte in buf. */
typedef ts_status (*ts_line_fn)(ts_reader *r, const char *path, uint64_t owner,
                                const char *line, size_t length, uint64_t number,
                                uint64_t offset);
ts_status ts_reader_lines(ts_reader *r, const char *buf, size_t len, size_t start,
                          const char *path, uint64_t owner, ts_line_fn fn);

#endif
