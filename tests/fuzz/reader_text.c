/*
 * reader_text.c - fuzz target: the TEXT reader (one source per file).
 *
 * The input is read as the file "fuzz.txt" three times: --on-invalid=error
 * with sentence segmentation, --on-invalid=replace with sentence and with line
 * segmentation.  Besides the common reader checks (fuzz_reader.h):
 *   - error mode succeeds exactly when the input is valid UTF-8 without NUL
 *     (independent validator); otherwise it reports TS_ERR_UTF8 or TS_ERR_NUL
 *     at the first bad byte and its line;
 *   - replace mode always succeeds, and on valid input gives what error mode
 *     gives;
 *   - every statement is the slice of the source text (the input, repaired
 *     where needed, less a leading BOM) at its offset, and everything between
 *     statements is white space.
 */
#include "fuzz_reader.h"

#define PATH "fuzz.txt"

static void check_against_text(const ts_corpus *c, const char *text, size_t n)
{
    FUZZ_CHECK(ts_corpus_source_count(c) == 1, "%zu sources from one file",
               ts_corpus_source_count(c));
    FUZZ_CHECK(strcmp(ts_corpus_source_name(c, 0), "fuzz") == 0, "source named \"%s\"",
               ts_corpus_source_name(c, 0));
    uint64_t prev_end = 0;
    for (size_t i = 0; i < ts_corpus_statement_count(c); i++) {
        ts_statement s = ts_corpus_statement(c, i);
        FUZZ_CHECK(s.offset <= n && s.length <= n - s.offset,
                   "statement %zu (%llu+%zu) is outside the text of %zu bytes", i,
                   (unsigned long long)s.offset, s.length, n);
        FUZZ_CHECK(memcmp(text + s.offset, s.text, s.length) == 0,
                   "statement %zu is not the text at its offset", i);
        FUZZ_CHECK(fuzz_only_trimmable(text, (size_t)prev_end, (size_t)s.offset),
                   "text before statement %zu was lost", i);
        prev_end = s.offset + s.length;
    }
    FUZZ_CHECK(fuzz_only_trimmable(text, (size_t)prev_end, n), "text at the end was lost");
}

static size_t bom(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_refused_as_binary(data, size, PATH, TS_FORMAT_TEXT))
        return 0;
    int is_nul = 0;
    size_t bad = fuzz_utf8_first_bad(data, size, &is_nul);
    size_t n;
    char *text = fuzz_valid_copy(data, size, &n);
    size_t skip = bom(text, n);

    ts_status st;
    ts_diag d;
    ts_read_options o = fuzz_options(TS_FORMAT_TEXT, TS_INVALID_ERROR, TS_SEGMENT_SENTENCE);
    ts_corpus *strict = fuzz_read(data, size, PATH, &o, &st, &d);
    if (bad == size) {
        FUZZ_CHECK(st == TS_OK, "valid input refused: %s", d.message);
        check_against_text(strict, text + skip, n - skip);
    } else {
        uint64_t line = 1;
        for (size_t i = 0; i < bad; i++)
            line += data[i] == '\n';
        FUZZ_CHECK(st == (is_nul ? TS_ERR_NUL : TS_ERR_UTF8), "invalid input at %zu gave %s",
                   bad, ts_status_name(st));
        FUZZ_CHECK(d.byte_offset == bad && d.line == line,
                   "bad byte %zu (line %llu) reported at byte %llu, line %llu", bad,
                   (unsigned long long)line, (unsigned long long)d.byte_offset,
                   (unsigned long long)d.line);
        FUZZ_CHECK(strcmp(d.path, PATH) == 0, "diag path \"%s\"", d.path);
    }

    o = fuzz_options(TS_FORMAT_TEXT, TS_INVALID_REPLACE, TS_SEGMENT_SENTENCE);
    ts_corpus *lenient = fuzz_read(data, size, PATH, &o, &st, &d);
    FUZZ_CHECK(st == TS_OK, "replace mode failed: %s", d.message);
    check_against_text(lenient, text + skip, n - skip);
    if (bad == size)
        FUZZ_CHECK(fuzz_same_corpus(strict, lenient), "error and replace modes differ");

    o = fuzz_options(TS_FORMAT_TEXT, TS_INVALID_REPLACE, TS_SEGMENT_LINE);
    ts_corpus *lines = fuzz_read(data, size, PATH, &o, &st, &d);
    FUZZ_CHECK(st == TS_OK, "replace mode (lines) failed: %s", d.message);
    check_against_text(lines, text + skip, n - skip);
    fuzz_check_no_line_breaks(lines);

    ts_corpus_free(strict);
    ts_corpus_free(lenient);
    ts_corpus_free(lines);
    free(text);
    return 0;
}
