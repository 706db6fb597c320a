/*
 * segment.c - fuzz target: the statement segmenter (host/text/segment.h).
 *
 * The input, repaired to valid UTF-8 when it is not (the segmenter's
 * precondition, which every reader ensures), is segmented in sentence mode
 * (default locale "en@ss=standard") and in line mode.  Checked for both:
 * spans lie inside the text, ascend, do not overlap, are non-empty, start and
 * end on character boundaries, are trimmed, and only trimmable characters lie
 * between and around them (nothing is lost).  Line mode must give exactly the
 * spans of a naive splitter (LF, CR LF, CR; trim; drop empty).  Sentence mode
 * must give the same spans again after a run that the callback stopped early
 * (the iterator is reset), and the stopped run must stop at once.
 */
#include "fuzz_common.h"
#include "text/segment.h"

typedef struct span_list {
    size_t *v; /* offset, length pairs */
    size_t n, cap;
    size_t stop_after; /* return TS_ERR_CANCELLED at this span (0: never) */
    size_t calls;
} span_list;

static ts_status collect(void *user, size_t offset, size_t length)
{
    span_list *l = user;
    l->calls++;
    if (l->stop_after && l->calls == l->stop_after)
        return TS_ERR_CANCELLED;
    FUZZ_CHECK(l->stop_after == 0 || l->calls < l->stop_after, "called after a stop");
    if (l->n + 2 > l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        FUZZ_CHECK(l->v != NULL, "out of memory");
    }
    l->v[l->n++] = offset;
    l->v[l->n++] = length;
    return TS_OK;
}

static ts_segmenter *segmenter(ts_segment_mode mode)
{
    static ts_segmenter *seg[2]; /* made once: creation loads ICU data */
    if (!seg[mode]) {
        ts_diag d;
        ts_status st = ts_segmenter_create(&seg[mode], mode, NULL, &d);
        FUZZ_CHECK(st == TS_OK, "ts_segmenter_create: %s", d.message);
    }
    return seg[mode];
}

static span_list run(ts_segment_mode mode, const char *text, size_t n, size_t stop_after)
{
    span_list l = {NULL, 0, 0, stop_after, 0};
    ts_diag d;
    ts_diag_clear(&d);
    ts_status st = ts_segmenter_run(segmenter(mode), text, n, collect, &l, &d);
    if (stop_after && l.calls >= stop_after)
        FUZZ_CHECK(st == TS_ERR_CANCELLED, "a stopped run returned %s", ts_status_name(st));
    else
        FUZZ_CHECK(st == TS_OK, "ts_segmenter_run (mode %d): %s: %s", (int)mode,
                   ts_status_name(st), d.message);
    return l;
}

static void check_spans(const span_list *l, const char *text, size_t n, ts_segment_mode mode)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < l->n; i += 2) {
        size_t off = l->v[i], len = l->v[i + 1];
        FUZZ_CHECK(len > 0, "empty span at %zu", off);
        FUZZ_CHECK(off <= n && len <= n - off, "span %zu+%zu outside the text of %zu bytes",
                   off, len, n);
        FUZZ_CHECK(off >= prev_end, "span at %zu overlaps or precedes the previous one (end %zu)",
                   off, prev_end);
        FUZZ_CHECK(fuzz_on_boundary(text, n, off) && fuzz_on_boundary(text, n, off + len),
                   "span %zu+%zu cuts a character", off, len);
        FUZZ_CHECK(fuzz_is_trimmed(text + off, len), "span %zu+%zu is not trimmed", off, len);
        FUZZ_CHECK(fuzz_only_trimmable(text, prev_end, off),
                   "text between %zu and %zu was dropped but is not white space", prev_end, off);
        if (mode == TS_SEGMENT_LINE)
            FUZZ_CHECK(!memchr(text + off, '\n', len) && !memchr(text + off, '\r', len),
                       "line span %zu+%zu holds a line break", off, len);
        prev_end = off + len;
    }
    FUZZ_CHECK(fuzz_only_trimmable(text, prev_end, n),
               "text after %zu was dropped but is not white space", prev_end);
}

static void check_lines(const span_list *l, const char *text, size_t n)
{
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && text[i] != '\n' && text[i] != '\r')
            continue;
        size_t a = start, b = i;
        fuzz_trim(text, &a, &b);
        if (a < b) {
            FUZZ_CHECK(k < l->n, "line %zu+%zu is missing", a, b - a);
            FUZZ_CHECK(l->v[k] == a && l->v[k + 1] == b - a,
                       "line span %zu+%zu, expected %zu+%zu", l->v[k], l->v[k + 1], a, b - a);
            k += 2;
        }
        if (i < n && text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
            i++;
        start = i + 1;
    }
    FUZZ_CHECK(k == l->n, "%zu line spans, expected %zu", l->n / 2, k / 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n;
    char *text = fuzz_valid_copy(data, size, &n);

    span_list lines = run(TS_SEGMENT_LINE, text, n, 0);
    check_spans(&lines, text, n, TS_SEGMENT_LINE);
    check_lines(&lines, text, n);

    span_list first = run(TS_SEGMENT_SENTENCE, text, n, 0);
    check_spans(&first, text, n, TS_SEGMENT_SENTENCE);
    if (first.n >= 2) {
        span_list stopped = run(TS_SEGMENT_SENTENCE, text, n, 1);
        FUZZ_CHECK(stopped.calls == 1, "the callback was called %zu times after a stop",
                   stopped.calls);
        free(stopped.v);
        span_list again = run(TS_SEGMENT_SENTENCE, text, n, 0);
        FUZZ_CHECK(again.n == first.n &&
                       (first.n == 0 || memcmp(again.v, first.v, first.n * sizeof *first.v) == 0),
                   "a second run gave other spans");
        free(again.v);
    }
    free(first.v);
    free(lines.v);
    free(text);
    return 0;
}
