/*
 * reader_jsonl.c - fuzz target: the JSONL reader ({"source":..., "text":...}).
 *
 * The input is read as "fuzz.jsonl" with --on-invalid=error and with replace
 * (sentence segmentation of each record's text), then with replace and line
 * segmentation.  Besides the common reader checks (fuzz_reader.h):
 *   - error mode fails with TS_ERR_UTF8 / TS_ERR_NUL at the first bad byte
 *     when the file is not valid UTF-8; otherwise only with TS_ERR_PARSE, or
 *     TS_ERR_UTF8 / TS_ERR_NUL for a member whose escapes decode to a NUL or
 *     to invalid UTF-8 (a lone surrogate), always on a line of the file;
 *   - replace mode fails only with TS_ERR_PARSE, and succeeds whenever error
 *     mode does, with the same corpus;
 *   - a record's text gives statements without line breaks in line mode.
 */
#include "fuzz_reader.h"

#define PATH "fuzz.jsonl"

static uint64_t count_lines(const char *s, size_t n)
{
    uint64_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

static void check_parse_error(ts_status st, const ts_diag *d, const char *text, size_t n)
{
    if (st == TS_OK)
        return;
    FUZZ_CHECK(d->line >= 1 && d->line <= count_lines(text, n),
               "%s on line %llu of a %llu-line input", ts_status_name(st),
               (unsigned long long)d->line, (unsigned long long)count_lines(text, n));
    FUZZ_CHECK(d->byte_offset < n, "%s at byte %llu of %zu", ts_status_name(st),
               (unsigned long long)d->byte_offset, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_refused_as_binary(data, size, PATH, TS_FORMAT_JSONL))
        return 0;
    int is_nul = 0;
    size_t bad = fuzz_utf8_first_bad(data, size, &is_nul);
    size_t n;
    char *text = fuzz_valid_copy(data, size, &n);

    ts_status st;
    ts_diag d;
    ts_read_options o = fuzz_options(TS_FORMAT_JSONL, TS_INVALID_ERROR, TS_SEGMENT_SENTENCE);
    ts_corpus *strict = fuzz_read(data, size, PATH, &o, &st, &d);
    if (bad < size) {
        FUZZ_CHECK(st == (is_nul ? TS_ERR_NUL : TS_ERR_UTF8) && d.byte_offset == bad,
                   "invalid input at %zu gave %s at %llu", bad, ts_status_name(st),
                   (unsigned long long)d.byte_offset);
    } else {
        FUZZ_CHECK(st == TS_OK || st == TS_ERR_PARSE || st == TS_ERR_UTF8 || st == TS_ERR_NUL,
                   "valid UTF-8 gave %s: %s", ts_status_name(st), d.message);
        check_parse_error(st, &d, text, n);
    }

    o = fuzz_options(TS_FORMAT_JSONL, TS_INVALID_REPLACE, TS_SEGMENT_SENTENCE);
    ts_status st_lenient;
    ts_corpus *lenient = fuzz_read(data, size, PATH, &o, &st_lenient, &d);
    FUZZ_CHECK(st_lenient == TS_OK || st_lenient == TS_ERR_PARSE, "replace mode gave %s: %s",
               ts_status_name(st_lenient), d.message);
    check_parse_error(st_lenient, &d, text, n);
    if (st == TS_OK)
        FUZZ_CHECK(st_lenient == TS_OK && fuzz_same_corpus(strict, lenient),
                   "error and replace modes differ");

    o = fuzz_options(TS_FORMAT_JSONL, TS_INVALID_REPLACE, TS_SEGMENT_LINE);
    ts_corpus *lines = fuzz_read(data, size, PATH, &o, &st, &d);
    FUZZ_CHECK(st == st_lenient, "line mode gave %s, sentence mode %s", ts_status_name(st),
               ts_status_name(st_lenient));
    FUZZ_CHECK(ts_corpus_source_count(lines) == ts_corpus_source_count(lenient),
               "line and sentence modes give different sources");
    fuzz_check_no_line_breaks(lines);

    ts_corpus_free(strict);
    ts_corpus_free(lenient);
    ts_corpus_free(lines);
    free(text);
    return 0;
}
