/*
 * reader_tsv.c - fuzz target: the TSV reader (SOURCE<TAB>STATEMENT lines).
 *
 * The input is read as "fuzz.tsv" with --on-invalid=error and with replace
 * (sentence segmentation, which TSV must ignore: a line-mode read has to give
 * the same corpus).  Besides the common reader checks (fuzz_reader.h), the
 * result is compared with a naive reader written here from the format's
 * definition: skip a leading BOM; split at LF, drop a CR before it; skip lines
 * that are only white space; otherwise the first TAB is required and the name
 * before it, trimmed, must not be empty (else TS_ERR_PARSE on that line);
 * the statement after it, trimmed, is added when not empty.  Error mode must
 * behave the same on valid input and fail with TS_ERR_UTF8 / TS_ERR_NUL on
 * any other input.
 */
#include "fuzz_reader.h"

#define PATH "fuzz.tsv"

typedef struct expected {
    size_t name_a, name_b, text_a, text_b;
} expected;

/* Compare the corpus with the naive reading of text[0, n) (valid UTF-8). */
static void check_against_naive(const ts_corpus *c, ts_status st, const ts_diag *d,
                                const char *text, size_t n)
{
    expected *rows = malloc((n + 1) * sizeof *rows);
    FUZZ_CHECK(rows != NULL, "out of memory");
    size_t nrows = 0;
    uint64_t error_line = 0, line = 1;
    size_t pos = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (pos < n && error_line == 0) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - text) : n, stop = end;
        if (stop > pos && text[stop - 1] == '\r')
            stop--;
        size_t a = pos, b = stop;
        fuzz_trim(text, &a, &b);
        if (a < b) {
            const char *tab = memchr(text + pos, '\t', stop - pos);
            expected e = {pos, tab ? (size_t)(tab - text) : 0, 0, stop};
            fuzz_trim(text, &e.name_a, &e.name_b);
            if (!tab || e.name_a == e.name_b) {
                error_line = line;
            } else {
                e.text_a = (size_t)(tab - text) + 1;
                fuzz_trim(text, &e.text_a, &e.text_b);
                if (e.text_a < e.text_b)
                    rows[nrows++] = e;
            }
        }
        line++;
        pos = end + 1;
    }
    if (error_line) {
        FUZZ_CHECK(st == TS_ERR_PARSE && d->line == error_line,
                   "expected a parse error on line %llu, got %s on line %llu",
                   (unsigned long long)error_line, ts_status_name(st),
                   (unsigned long long)d->line);
        free(rows);
        return;
    }
    FUZZ_CHECK(st == TS_OK, "valid TSV refused: %s", d->message);
    FUZZ_CHECK(ts_corpus_statement_count(c) == nrows, "%zu statements, expected %zu",
               ts_corpus_statement_count(c), nrows);
    /* Sources in order of first appearance, each with its rows in order. */
    size_t i = 0;
    for (size_t s = 0; s < ts_corpus_source_count(c); s++) {
        const char *name = ts_corpus_source_name(c, s);
        size_t len = strlen(name);
        for (size_t r = 0; r < nrows; r++) {
            const expected *e = &rows[r];
            if (e->name_b - e->name_a != len || memcmp(text + e->name_a, name, len) != 0)
                continue;
            ts_statement st2 = ts_corpus_statement(c, i++);
            FUZZ_CHECK(st2.source == s, "statement %zu belongs to source %u, expected %zu",
                       i - 1, st2.source, s);
            FUZZ_CHECK(st2.length == e->text_b - e->text_a &&
                           memcmp(st2.text, text + e->text_a, st2.length) == 0,
                       "statement %zu differs from the line's statement", i - 1);
        }
    }
    FUZZ_CHECK(i == nrows, "%zu statements matched, expected %zu", i, nrows);
    free(rows);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_refused_as_binary(data, size, PATH, TS_FORMAT_TSV))
        return 0;
    int is_nul = 0;
    size_t bad = fuzz_utf8_first_bad(data, size, &is_nul);
    size_t n;
    char *text = fuzz_valid_copy(data, size, &n);

    ts_status st;
    ts_diag d;
    ts_read_options o = fuzz_options(TS_FORMAT_TSV, TS_INVALID_ERROR, TS_SEGMENT_SENTENCE);
    ts_corpus *strict = fuzz_read(data, size, PATH, &o, &st, &d);
    if (bad == size)
        check_against_naive(strict, st, &d, text, n);
    else
        FUZZ_CHECK(st == (is_nul ? TS_ERR_NUL : TS_ERR_UTF8) && d.byte_offset == bad,
                   "invalid input at %zu gave %s at %llu", bad, ts_status_name(st),
                   (unsigned long long)d.byte_offset);

    o = fuzz_options(TS_FORMAT_TSV, TS_INVALID_REPLACE, TS_SEGMENT_SENTENCE);
    ts_status st_lenient;
    ts_corpus *lenient = fuzz_read(data, size, PATH, &o, &st_lenient, &d);
    check_against_naive(lenient, st_lenient, &d, text, n);
    if (bad == size)
        FUZZ_CHECK(fuzz_same_corpus(strict, lenient), "error and replace modes differ");

    o = fuzz_options(TS_FORMAT_TSV, TS_INVALID_REPLACE, TS_SEGMENT_LINE);
    ts_corpus *lines = fuzz_read(data, size, PATH, &o, &st, &d);
    FUZZ_CHECK(st == st_lenient && fuzz_same_corpus(lenient, lines),
               "TSV statements depend on the segmentation mode");
    for (size_t i = 0; i < ts_corpus_statement_count(lines); i++) {
        ts_statement s = ts_corpus_statement(lines, i);
        FUZZ_CHECK(!memchr(s.text, '\n', s.length), "statement %zu holds a line feed", i);
    }

    ts_corpus_free(strict);
    ts_corpus_free(lenient);
    ts_corpus_free(lines);
    free(text);
    return 0;
}
