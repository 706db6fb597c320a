/*
 * reader_csv.c - fuzz target: the CSV reader (libcsv, strict RFC 4180).
 *
 * The input is read as "fuzz.csv" with the first column as the text, with
 * --on-invalid=error and replace, sentence and line segmentation.  Besides
 * the common reader checks (fuzz_reader.h: statements in bounds, trimmed,
 * deterministic): input that is not UTF-8 fails in error mode at the first
 * bad byte; valid input either reads or fails with a parse or argument
 * error naming the file; error and replace modes agree on valid input; line
 * mode never gives more statements than the file has line-separated pieces
 * of text, and every statement of it is one record's trimmed field, so it
 * is non-empty and trimmed.
 */
#include "fuzz_reader.h"

#define PATH "fuzz.csv"

static ts_read_options csv_options(ts_invalid_policy policy, ts_segment_mode segment)
{
    ts_read_options o = fuzz_options(TS_FORMAT_CSV, policy, segment);
    o.text_column = "1";
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_refused_as_binary(data, size, PATH, TS_FORMAT_CSV))
        return 0;
    int is_nul = 0;
    size_t bad = fuzz_utf8_first_bad(data, size, &is_nul);

    ts_status st;
    ts_diag d;
    ts_read_options o = csv_options(TS_INVALID_ERROR, TS_SEGMENT_SENTENCE);
    ts_corpus *strict = fuzz_read(data, size, PATH, &o, &st, &d);
    if (bad < size)
        FUZZ_CHECK(st == (is_nul ? TS_ERR_NUL : TS_ERR_UTF8) && d.byte_offset == bad,
                   "invalid input at %zu gave %s at %llu", bad, ts_status_name(st),
                   (unsigned long long)d.byte_offset);
    else
        FUZZ_CHECK(st == TS_OK || st == TS_ERR_PARSE || st == TS_ERR_ARG || st == TS_ERR_EMPTY,
                   "valid UTF-8 gave %s: %s", ts_status_name(st), d.message);

    o = csv_options(TS_INVALID_REPLACE, TS_SEGMENT_SENTENCE);
    ts_status st_lenient;
    ts_corpus *lenient = fuzz_read(data, size, PATH, &o, &st_lenient, &d);
    FUZZ_CHECK(st_lenient == TS_OK || st_lenient == TS_ERR_PARSE || st_lenient == TS_ERR_ARG ||
                   st_lenient == TS_ERR_EMPTY,
               "replace mode gave %s: %s", ts_status_name(st_lenient), d.message);
    if (bad == size)
        FUZZ_CHECK(st == st_lenient && fuzz_same_corpus(strict, lenient),
                   "error and replace modes differ on valid input");

    o = csv_options(TS_INVALID_REPLACE, TS_SEGMENT_LINE);
    ts_corpus *lines = fuzz_read(data, size, PATH, &o, &st, &d);
    FUZZ_CHECK(st == st_lenient, "line mode gave %s, sentence mode %s", ts_status_name(st),
               ts_status_name(st_lenient));
    size_t pieces = 1;
    for (size_t i = 0; i < size; i++)
        pieces += data[i] == '\n' || data[i] == '\r';
    FUZZ_CHECK(ts_corpus_statement_count(lines) <= pieces, "%zu statements from %zu lines",
               ts_corpus_statement_count(lines), pieces);
    for (size_t i = 0; i < ts_corpus_statement_count(lines); i++) {
        ts_statement s = ts_corpus_statement(lines, i);
        FUZZ_CHECK(s.length > 0 && fuzz_is_trimmed(s.text, s.length),
                   "line-mode statement %zu is empty or untrimmed", i);
    }

    ts_corpus_free(strict);
    ts_corpus_free(lenient);
    ts_corpus_free(lines);
    return 0;
}
