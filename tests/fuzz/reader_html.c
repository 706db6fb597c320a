/*
 * reader_html.c - fuzz target: the HTML reader (one source per page).
 *
 * The input is read as the file "fuzz.html" three times: --on-invalid=error
 * with sentence segmentation, --on-invalid=replace with sentence and with line
 * segmentation.  Besides the common reader checks (fuzz_reader.h, offsets in
 * the file):
 *   - error mode succeeds exactly when the input is valid UTF-8 without NUL;
 *     otherwise it reports TS_ERR_UTF8 or TS_ERR_NUL;
 *   - replace mode always succeeds, and on valid input gives what error mode
 *     gives;
 *   - on valid input every statement's offset is inside the file, and the
 *     file holds its first byte there, or the '&' of the entity it decodes.
 * Which elements are dropped is checked by the CLI tests (test_formats.sh).
 */
#include "fuzz_reader.h"

#define PATH "fuzz.html"

static void check_offsets(const ts_corpus *c, const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < ts_corpus_statement_count(c); i++) {
        ts_statement s = ts_corpus_statement(c, i);
        FUZZ_CHECK(s.offset < size, "statement %zu at %llu is past the file's %zu bytes", i,
                   (unsigned long long)s.offset, size);
        FUZZ_CHECK(data[s.offset] == (uint8_t)s.text[0] || data[s.offset] == '&',
                   "statement %zu (\"%.*s\") at %llu: the file holds 0x%02x there", i,
                   (int)(s.length < 20 ? s.length : 20), s.text,
                   (unsigned long long)s.offset, data[s.offset]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_refused_as_binary(data, size, PATH, TS_FORMAT_HTML))
        return 0;
    int is_nul = 0;
    size_t bad = fuzz_utf8_first_bad(data, size, &is_nul);

    ts_status st;
    ts_diag d;
    ts_read_options o = fuzz_options(TS_FORMAT_HTML, TS_INVALID_ERROR, TS_SEGMENT_SENTENCE);
    ts_corpus *strict = fuzz_read(data, size, PATH, &o, &st, &d);
    if (bad == size) {
        FUZZ_CHECK(st == TS_OK, "valid input refused: %s", d.message);
        check_offsets(strict, data, size);
    } else {
        FUZZ_CHECK(st == (is_nul ? TS_ERR_NUL : TS_ERR_UTF8), "invalid input at %zu gave %s",
                   bad, ts_status_name(st));
    }

    o = fuzz_options(TS_FORMAT_HTML, TS_INVALID_REPLACE, TS_SEGMENT_SENTENCE);
    ts_corpus *lenient = fuzz_read(data, size, PATH, &o, &st, &d);
    FUZZ_CHECK(st == TS_OK, "replace mode failed: %s", d.message);
    if (bad == size)
        FUZZ_CHECK(fuzz_same_corpus(strict, lenient), "error and replace modes differ");

    o = fuzz_options(TS_FORMAT_HTML, TS_INVALID_REPLACE, TS_SEGMENT_LINE);
    ts_corpus *lines = fuzz_read(data, size, PATH, &o, &st, &d);
    FUZZ_CHECK(st == TS_OK, "replace mode (lines) failed: %s", d.message);
    fuzz_check_no_line_breaks(lines);

    ts_corpus_free(strict);
    ts_corpus_free(lenient);
    ts_corpus_free(lines);
    return 0;
}
