/*
 * test_corpus.c - reading sources: TEXT, DIR, JSONL, TSV, text, errors.
 *
 * Inputs live in tests/data/read/ (and examples/moscow-talks-2025); expected
 * statements, offsets, lines and bytes are worked out by hand from them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "textsim.h"

#define DATA TS_TEST_DATA "/read/"
#define EXAMPLES TS_SOURCE_DIR "/examples/moscow-talks-2025"

/* ----------------------------------------------------------------- helpers */

static ts_corpus *new_corpus(void)
{
    ts_corpus *c = NULL;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    assert_non_null(c);
    return c;
}

static ts_read_options options(ts_invalid_policy on_invalid)
{
    ts_read_options o;
    ts_read_options_init(&o);
    o.on_invalid = on_invalid;
    return o;
}

static ts_status add(ts_corpus *c, const char *path, ts_diag *diag)
{
    ts_read_options o = options(TS_INVALID_ERROR);
    ts_diag_clear(diag);
    return ts_corpus_add_path(c, path, &o, diag);
}

static void add_ok(ts_corpus *c, const char *path)
{
    ts_diag diag;
    ts_status st = add(c, path, &diag);
    if (st != TS_OK)
        fail_msg("%s: %s", path, diag.message);
}

/* Statement i has this source, index, offset and text. */
static void expect_statement(const ts_corpus *c, size_t i, uint32_t source, uint32_t index,
                             uint64_t offset, const char *text)
{
    ts_statement s = ts_corpus_statement(c, i);
    if (s.length != strlen(text) || memcmp(s.text, text, s.length) != 0)
        fail_msg("statement %zu: got [%.*s], expected [%s]", i, (int)s.length, s.text, text);
    assert_int_equal(s.source, source);
    assert_int_equal(s.index, index);
    assert_int_equal(s.offset, offset);
}

static void expect_range(const ts_corpus *c, size_t source, size_t first, size_t count)
{
    size_t f = 99, n = 99;
    ts_corpus_source_range(c, source, &f, &n);
    assert_int_equal(f, first);
    assert_int_equal(n, count);
}

static int contains(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

static void expect_message(const ts_diag *d, const char *needle)
{
    if (!contains(d->message, needle))
        fail_msg("message [%s] lacks [%s]", d->message, needle);
}

/* ------------------------------------------------------------------- TEXT */

static void options_defaults(void **state)
{
    (void)state;
    ts_read_options o;
    memset(&o, 0x5A, sizeof o);
    ts_read_options_init(&o);
    assert_int_equal(o.format, TS_FORMAT_AUTO);
    assert_int_equal(o.segment, TS_SEGMENT_SENTENCE);
    assert_int_equal(o.on_invalid, TS_INVALID_ERROR);
    assert_null(o.locale);
    ts_corpus_free(NULL);
}

static void file_name_gives_source_name(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    add_ok(c, DATA "names/b.txt");
    add_ok(c, DATA "names/x.tar.gz");
    add_ok(c, DATA "names/README");
    add_ok(c, DATA "names/.hidden");
    assert_int_equal(ts_corpus_source_count(c), 4);
    assert_string_equal(ts_corpus_source_name(c, 0), "b");
    assert_string_equal(ts_corpus_source_name(c, 1), "x.tar");
    assert_string_equal(ts_corpus_source_name(c, 2), "README");
    assert_string_equal(ts_corpus_source_name(c, 3), ".hidden");
    assert_null(ts_corpus_source_name(c, 4));
    assert_int_equal(ts_corpus_statement_count(c), 4);
    expect_statement(c, 0, 0, 1, 0, "Alpha text.");
    expect_statement(c, 1, 1, 1, 0, "Tar text.");
    expect_statement(c, 3, 3, 1, 0, "Hidden text.");
    ts_corpus_free(c);
}

static void bom_is_skipped(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    add_ok(c, DATA "bom.txt");
    assert_int_equal(ts_corpus_statement_count(c), 2);
    /* Offsets count from after the BOM: "  Hello world. Bye.\n". */
    expect_statement(c, 0, 0, 1, 2, "Hello world.");
    expect_statement(c, 1, 0, 2, 15, "Bye.");
    ts_corpus_free(c);
}

static void blank_file_makes_a_source_without_statements(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    add_ok(c, DATA "blank.txt");
    assert_int_equal(ts_corpus_source_count(c), 1);
    assert_string_equal(ts_corpus_source_name(c, 0), "blank");
    assert_int_equal(ts_corpus_statement_count(c), 0);
    expect_range(c, 0, 0, 0);
    ts_corpus_free(c);
}

static void line_mode_reads_one_statement_per_line(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_read_options o = options(TS_INVALID_ERROR);
    o.segment = TS_SEGMENT_LINE;
    assert_int_equal(ts_corpus_add_path(c, DATA "dir/b.txt", &o, NULL), TS_OK);
    assert_int_equal(ts_corpus_statement_count(c), 1);
    expect_statement(c, 0, 0, 1, 0, "Bee one. Bee two.");
    ts_corpus_free(c);
}

/* -------------------------------------------------------------------- DIR */

static void directory_is_read_in_name_order(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    add_ok(c, DATA "dir");
    /* strcmp order; .hidden.txt and the sub/ directory are skipped. */
    assert_int_equal(ts_corpus_source_count(c), 4);
    assert_string_equal(ts_corpus_source_name(c, 0), "C");
    assert_string_equal(ts_corpus_source_name(c, 1), "a");
    assert_string_equal(ts_corpus_source_name(c, 2), "b");
    assert_string_equal(ts_corpus_source_name(c, 3), "empty");
    assert_int_equal(ts_corpus_statement_count(c), 4);
    expect_statement(c, 0, 0, 1, 0, "Cee one.");
    expect_statement(c, 1, 1, 1, 0, "Ay one.");
    expect_statement(c, 2, 2, 1, 0, "Bee one.");
    expect_statement(c, 3, 2, 2, 9, "Bee two.");
    expect_range(c, 2, 2, 2);
    expect_range(c, 3, 4, 0);
    ts_corpus_free(c);
}

static void empty_directory_is_an_error(void **state)
{
    (void)state;
    char dir[] = "/tmp/textsim-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char hidden[256], sub[256];
    snprintf(hidden, sizeof hidden, "%s/.keep", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    FILE *f = fopen(hidden, "w");
    assert_non_null(f);
    fputs("hidden\n", f);
    fclose(f);
    assert_int_equal(mkdir(sub, 0700), 0);

    ts_corpus *c = new_corpus();
    ts_diag d;
    assert_int_equal(add(c, dir, &d), TS_ERR_EMPTY);
    assert_int_equal(d.status, TS_ERR_EMPTY);
    assert_string_equal(d.path, dir);
    expect_message(&d, "no text files in this directory");
    assert_int_equal(ts_corpus_source_count(c), 0);
    ts_corpus_free(c);
    rmdir(sub);
    unlink(hidden);
    rmdir(dir);
}

static void missing_file_is_an_io_error(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_diag d;
    assert_int_equal(add(c, DATA "no-such-file.txt", &d), TS_ERR_IO);
    assert_string_equal(d.path, DATA "no-such-file.txt");
    expect_message(&d, "no-such-file.txt: cannot open: No such file or directory");
    ts_read_options o = options(TS_INVALID_ERROR);
    o.format = TS_FORMAT_TEXT;
    assert_int_equal(ts_corpus_add_path(c, DATA "missing.txt", &o, &d), TS_ERR_IO);
    expect_message(&d, "cannot open");
    assert_int_equal(ts_corpus_source_count(c), 0);
    ts_corpus_free(c);
}

/* ------------------------------------------------------------------ JSONL */

static void jsonl_records_append_to_their_source(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    add_ok(c, DATA "records.jsonl");
    assert_int_equal(ts_corpus_source_count(c), 2);
    assert_string_equal(ts_corpus_source_name(c, 0), "alpha");
    assert_string_equal(ts_corpus_source_name(c, 1), "beta");
    assert_int_equal(ts_corpus_statement_count(c), 5);
    /* alpha's text is "One. Two.\nFour.\nFive": the records joined with '\n'. */
    expect_statement(c, 0, 0, 1, 0, "One.");
    expect_statement(c, 1, 0, 2, 5, "Two.");
    expect_statement(c, 2, 0, 3, 10, "Four.");
    expect_statement(c, 3, 0, 4, 16, "Five");
    expect_statement(c, 4, 1, 1, 0, "Three.");
    expect_range(c, 0, 0, 4);
    expect_range(c, 1, 4, 1);
    ts_corpus_free(c);
}

static void malformed_jsonl_names_its_line(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_diag d;
    assert_int_equal(add(c, DATA "malformed.jsonl", &d), TS_ERR_PARSE);
    assert_string_equal(d.path, DATA "malformed.jsonl");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.byte_offset, 31); /* 30-byte line 1, blank line 2 */
    expect_message(&d, "malformed.jsonl:3: malformed JSON (unexpected character): each line "
                       "must be an object like {\"source\": \"...\", \"text\": \"...\"}");
    /* Nothing of the file is kept. */
    assert_int_equal(ts_corpus_source_count(c), 0);
    assert_int_equal(ts_corpus_statement_count(c), 0);
    ts_corpus_free(c);
}

static void jsonl_member_errors(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_diag d;
    assert_int_equal(add(c, DATA "missing_text.jsonl", &d), TS_ERR_PARSE);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.byte_offset, 30);
    expect_message(&d, "missing_text.jsonl:2: the record has no \"text\" member");

    assert_int_equal(add(c, DATA "nonstring_source.jsonl", &d), TS_ERR_PARSE);
    assert_int_equal(d.line, 1);
    expect_message(&d, "the \"source\" member is not a string");

    assert_int_equal(add(c, DATA "empty_source.jsonl", &d), TS_ERR_PARSE);
    assert_int_equal(d.line, 1);
    expect_message(&d, "the \"source\" member is empty");

    assert_int_equal(add(c, DATA "escaped_nul.jsonl", &d), TS_ERR_NUL);
    assert_int_equal(d.line, 1);
    expect_message(&d, "\\u0000");
    assert_int_equal(ts_corpus_source_count(c), 0);

    ts_read_options o = options(TS_INVALID_REPLACE);
    assert_int_equal(ts_corpus_add_path(c, DATA "escaped_nul.jsonl", &o, &d), TS_OK);
    expect_statement(c, 0, 0, 1, 0, "x\xEF\xBF\xBDy");
    ts_corpus_free(c);
}

/* -------------------------------------------------------------------- TSV */

static void tsv_statements_are_not_resegmented(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    add_ok(c, DATA "statements.tsv");
    assert_int_equal(ts_corpus_source_count(c), 3);
    assert_string_equal(ts_corpus_source_name(c, 0), "alpha");
    assert_string_equal(ts_corpus_source_name(c, 1), "beta");
    assert_string_equal(ts_corpus_source_name(c, 2), "gamma");
    assert_int_equal(ts_corpus_statement_count(c), 3);
    expect_statement(c, 0, 0, 1, 0, "One. Two.");
    expect_statement(c, 1, 0, 2, 10, "Four.");
    expect_statement(c, 2, 1, 1, 0, "Three.");
    expect_range(c, 2, 3, 0); /* whitespace-only statement: none */
    ts_corpus_free(c);
}

static void tsv_line_without_tab_is_an_error(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_diag d;
    assert_int_equal(add(c, DATA "notab.tsv", &d), TS_ERR_PARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(d.byte_offset, 21);
    expect_message(&d, "notab.tsv:3: no TAB");
    assert_int_equal(ts_corpus_source_count(c), 0);
    ts_corpus_free(c);
}

/* ------------------------------------------------------------- duplicates */

static void a_name_from_two_files_is_a_duplicate(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_diag d;
    add_ok(c, DATA "dup/a/x.txt");
    assert_int_equal(add(c, DATA "dup/b/x.txt", &d), TS_ERR_DUPLICATE);
    expect_message(&d, "dup/b/x.txt");
    expect_message(&d, "dup/a/x.txt");
    expect_message(&d, "rename");
    assert_int_equal(add(c, DATA "dup/x.jsonl", &d), TS_ERR_DUPLICATE);
    expect_message(&d, "dup/x.jsonl");
    expect_message(&d, "dup/a/x.txt");
    assert_int_equal(add(c, DATA "dup/a/x.txt", &d), TS_ERR_DUPLICATE);
    /* The failed inputs left nothing behind. */
    assert_int_equal(ts_corpus_source_count(c), 1);
    assert_int_equal(ts_corpus_statement_count(c), 1);
    expect_statement(c, 0, 0, 1, 0, "Same name A.");
    ts_corpus_free(c);
}

/* ----------------------------------------------------------- invalid text */

static void invalid_utf8_error_and_replace(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_diag d;
    assert_int_equal(add(c, DATA "bad_utf8.txt", &d), TS_ERR_UTF8);
    assert_int_equal(d.status, TS_ERR_UTF8);
    assert_string_equal(d.path, DATA "bad_utf8.txt");
    assert_int_equal(d.line, 3);
    assert_int_equal(d.byte_offset, 21);
    expect_message(&d, "bad_utf8.txt:3: invalid UTF-8 at byte 21; convert the file to UTF-8 "
                       "(e.g. iconv -f latin1 -t utf-8) or pass --on-invalid=replace");
    assert_int_equal(ts_corpus_source_count(c), 0);

    assert_int_equal(add(c, DATA "nul.txt", &d), TS_ERR_NUL);
    assert_int_equal(d.line, 2);
    assert_int_equal(d.byte_offset, 5);
    expect_message(&d, "nul.txt:2: NUL byte at byte 5: this looks like a binary file");

    ts_read_options o = options(TS_INVALID_REPLACE);
    assert_int_equal(ts_corpus_add_path(c, DATA "bad_utf8.txt", &o, &d), TS_OK);
    assert_int_equal(ts_corpus_add_path(c, DATA "nul.txt", &o, &d), TS_OK);
    assert_int_equal(ts_corpus_statement_count(c), 5);
    expect_statement(c, 0, 0, 1, 0, "line one");
    expect_statement(c, 1, 0, 2, 9, "line two");
    expect_statement(c, 2, 0, 3, 18, "abc\xEF\xBF\xBD( def");
    expect_statement(c, 3, 1, 1, 0, "ab");
    expect_statement(c, 4, 1, 2, 3, "cd\xEF\xBF\xBD" "ef");
    ts_corpus_free(c);
}

static void failed_directory_leaves_corpus_unchanged(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_diag d;
    add_ok(c, DATA "names/README");
    /* mixed/a.txt is fine, mixed/b.txt is not: neither is kept. */
    assert_int_equal(add(c, DATA "mixed", &d), TS_ERR_UTF8);
    assert_string_equal(d.path, DATA "mixed/b.txt");
    assert_int_equal(d.line, 1);
    assert_int_equal(d.byte_offset, 4);
    assert_int_equal(ts_corpus_source_count(c), 1);
    assert_int_equal(ts_corpus_statement_count(c), 1);
    expect_statement(c, 0, 0, 1, 0, "Readme text.");
    expect_range(c, 0, 0, 1);
    /* And the corpus still works. */
    add_ok(c, DATA "names/b.txt");
    assert_int_equal(ts_corpus_statement_count(c), 2);
    expect_statement(c, 1, 1, 1, 0, "Alpha text.");
    ts_corpus_free(c);
}

/* ------------------------------------------------------------ add_text */

static void add_text_continues_numbering_and_keeps_source_order(void **state)
{
    (void)state;
    ts_corpus *c = new_corpus();
    ts_read_options o = options(TS_INVALID_ERROR);
    ts_diag d;
    assert_int_equal(ts_corpus_add_text(c, "first", "One. Two.", 9, "mem", &o, &d), TS_OK);
    assert_int_equal(ts_corpus_add_text(c, "second", "Six.", 4, NULL, &o, &d), TS_OK);
    assert_int_equal(ts_corpus_add_text(c, "first", "Ten.", 4, NULL, &o, &d), TS_OK);
    assert_int_equal(ts_corpus_statement_count(c), 4);
    expect_statement(c, 0, 0, 1, 0, "One.");
    expect_statement(c, 1, 0, 2, 5, "Two.");
    expect_statement(c, 2, 0, 3, 10, "Ten."); /* "One. Two.\nTen." */
    expect_statement(c, 3, 1, 1, 0, "Six.");
    expect_range(c, 1, 3, 1);

    /* Invalid text: error fields, and nothing added. */
    assert_int_equal(ts_corpus_add_text(c, "first", "ok\nab\xFF", 6, NULL, &o, &d),
                     TS_ERR_UTF8);
    assert_string_equal(d.path, "<text>");
    assert_int_equal(d.line, 2);
    assert_int_equal(d.byte_offset, 5);
    assert_int_equal(ts_corpus_statement_count(c), 4);

    /* A file cannot claim a name given as text. */
    assert_int_equal(ts_corpus_add_text(c, "x", "Yes.", 4, NULL, &o, &d), TS_OK);
    assert_int_equal(add(c, DATA "dup/a/x.txt", &d), TS_ERR_DUPLICATE);
    assert_int_equal(ts_corpus_source_count(c), 3);
    assert_int_equal(ts_corpus_add_text(c, "", "Yes.", 4, NULL, &o, &d), TS_ERR_ARG);
    ts_corpus_free(c);
}

/* --------------------------------------------------------------- examples */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static int is_space_at(const char *s, size_t len, int from_end)
{
    const uint8_t *u = (const uint8_t *)s;
    int32_t i = from_end ? (int32_t)len : 0;
    UChar32 c;
    if (from_end)
        U8_PREV(u, 0, i, c);
    else
        U8_NEXT(u, i, (int32_t)len, c);
    return c == 0xFEFF || u_isUWhiteSpace(c);
}

static int has_statement(const ts_corpus *c, uint32_t source, const char *text)
{
    for (size_t i = 0; i < ts_corpus_statement_count(c); i++) {
        ts_statement s = ts_corpus_statement(c, i);
        if (s.source == source && s.length == strlen(text) && memcmp(s.text, text, s.length) == 0)
            return 1;
    }
    return 0;
}

static void example_corpus(void **state)
{
    (void)state;
    /* Counts checked by reading the segmented output (ICU 72). */
    static const size_t counts[] = {25, 22, 24, 46, 36};
    static const char *const names[] = {"000_2b4761951d907736", "001_cb0c55db5773bf71",
                                        "002_843aef7b8957214e", "003_e4ef00173f70e238",
                                        "004_2d8858a757586965"};
    ts_corpus *c = new_corpus();
    add_ok(c, EXAMPLES);
    assert_int_equal(ts_corpus_source_count(c), 5);
    size_t expected_first = 0;
    for (size_t s = 0; s < 5; s++) {
        assert_string_equal(ts_corpus_source_name(c, s), names[s]);
        size_t first, count;
        ts_corpus_source_range(c, s, &first, &count);
        assert_int_equal(first, expected_first);
        assert_int_equal(count, counts[s]);
        expected_first += count;
        printf("# %s: %zu statements\n", names[s], count);

        char path[512];
        snprintf(path, sizeof path, "%s/%s.txt", EXAMPLES, names[s]);
        size_t flen;
        char *file = slurp(path, &flen);
        for (size_t i = first; i < first + count; i++) {
            ts_statement st = ts_corpus_statement(c, i);
            assert_int_equal(st.source, s);
            assert_int_equal(st.index, i - first + 1);
            assert_true(st.length > 0);
            assert_false(is_space_at(st.text, st.length, 0));
            assert_false(is_space_at(st.text, st.length, 1));
            /* No statement ends in the middle of "U.S. ...". */
            assert_false(st.length >= 4 && memcmp(st.text + st.length - 4, "U.S.", 4) == 0);
            /* The offset is the statement's place in the file. */
            assert_true(st.offset + st.length <= flen);
            assert_memory_equal(file + st.offset, st.text, st.length);
        }
        free(file);
    }
    assert_int_equal(expected_first, ts_corpus_statement_count(c));

    /* Line 25 of 003 has "U.S. President" twice and no sentence end. */
    assert_true(has_statement(
        c, 3,
        "Talks with U.S. special envoy Steve Witkoff, second left, and Jared Kushner, U.S. "
        "President Donald Trump's son-in-law, third, at the Senate Palace of the Kremlin in "
        "Moscow (Talks with U.S. special envoy Steve Witkoff, second left, and Jared Kushner, "
        "U.S. President Donald Trump's son-in-law, third, at the Senate Palace of the Kremlin "
        "in Moscow)"));
    /* 001 line 4: starts with "U.S. President"; "World War II." does end a sentence. */
    assert_true(has_statement(
        c, 1,
        "U.S. President Donald Trump\xE2\x80\x99s special envoy, Steve Witkoff, and his "
        "son-in-law Jared Kushner met Putin on Tuesday as Washington attempts to broker an end "
        "to Europe\xE2\x80\x99s deadliest conflict since World War II."));
    assert_true(has_statement(c, 1, "The meeting lasted nearly five hours."));
    /* 003 line 57: "app." is not the listed "pp." (ICU 72's own filter merges these). */
    assert_true(has_statement(c, 3, "One app."));
    assert_true(has_statement(c, 3, "One membership."));
    ts_corpus_free(c);
}

/* Renaming a source: ids follow, lookups by the new name extend it, the old
 * name is free again, a taken name is refused. */
static void rename_source(void **state)
{
    (void)state;
    ts_corpus *c = NULL;
    ts_diag d;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    assert_int_equal(ts_corpus_add_text(c, "a", "One. Two.", 9, "text-a", NULL, &d), TS_OK);
    assert_int_equal(ts_corpus_add_text(c, "b", "Three.", 6, NULL, NULL, &d), TS_OK);
    assert_string_equal(ts_corpus_source_origin(c, 0), "text-a");
    assert_string_equal(ts_corpus_source_origin(c, 1), "<text>");
    assert_null(ts_corpus_source_origin(c, 2));
    assert_int_equal(ts_corpus_rename_source(c, 0, "Press TV", &d), TS_OK);
    assert_string_equal(ts_corpus_source_name(c, 0), "Press TV");
    assert_int_equal(ts_corpus_rename_source(c, 1, "Press TV", &d), TS_ERR_DUPLICATE);
    assert_non_null(strstr(d.message, "(text-a) has that name"));
    assert_int_equal(ts_corpus_rename_source(c, 1, "", &d), TS_ERR_ARG);
    assert_int_equal(ts_corpus_rename_source(c, 5, "x", &d), TS_ERR_ARG);
    assert_int_equal(ts_corpus_rename_source(c, 0, "Press TV", &d), TS_OK); /* the same name */
    /* text for "Press TV" extends source 0; "a" is a new source */
    assert_int_equal(ts_corpus_add_text(c, "Press TV", "Four.", 5, NULL, NULL, &d), TS_OK);
    assert_int_equal(ts_corpus_source_count(c), 2);
    size_t first, count;
    ts_corpus_source_range(c, 0, &first, &count);
    assert_int_equal(count, 3);
    assert_int_equal(ts_corpus_add_text(c, "a", "Five.", 5, NULL, NULL, &d), TS_OK);
    assert_int_equal(ts_corpus_source_count(c), 3);
    ts_corpus_free(c);
}

/* A source's locale: the read options' when it was created ("en" when
 * none), then what set_source_locale says; malformed locales are refused. */
static void source_locale(void **state)
{
    (void)state;
    ts_corpus *c = NULL;
    ts_diag d;
    ts_read_options o;
    ts_read_options_init(&o);
    o.locale = "de_DE";
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    assert_int_equal(ts_corpus_add_text(c, "a", "Eins. Zwei.", 11, NULL, &o, &d), TS_OK);
    assert_int_equal(ts_corpus_add_text(c, "b", "Three.", 6, NULL, NULL, &d), TS_OK);
    /* a later call with another locale extends "a" but leaves its locale */
    o.locale = "fr";
    assert_int_equal(ts_corpus_add_text(c, "a", "Drei.", 5, NULL, &o, &d), TS_OK);
    assert_string_equal(ts_corpus_source_locale(c, 0), "de_DE");
    assert_string_equal(ts_corpus_source_locale(c, 1), "en");
    assert_null(ts_corpus_source_locale(c, 2));
    assert_int_equal(ts_corpus_set_source_locale(c, 1, "es", &d), TS_OK);
    assert_string_equal(ts_corpus_source_locale(c, 1), "es");
    assert_int_equal(ts_corpus_set_source_locale(c, 1, "fr_CH@x=y", &d), TS_OK);
    assert_string_equal(ts_corpus_source_locale(c, 1), "fr_CH@x=y");
    static const char *const bad[] = {"", "1de", "de!", "de ch", "_de"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ts_corpus_set_source_locale(c, 1, bad[i], &d), TS_ERR_ARG);
        assert_non_null(strstr(d.message, "is not a locale for source \"b\""));
    }
    assert_string_equal(ts_corpus_source_locale(c, 1), "fr_CH@x=y");
    assert_int_equal(ts_corpus_set_source_locale(c, 2, "de", &d), TS_ERR_ARG);
    assert_int_equal(ts_corpus_set_source_locale(c, 0, NULL, &d), TS_ERR_ARG);
    ts_corpus_free(c);
}

/* The version string and number of the header agree (both are edited by
 * hand on a release; CMake and the SONAME read the numbers). */
static void version_string_matches_number(void **state)
{
    (void)state;
    unsigned v = ts_version_number();
    char want[32];
    snprintf(want, sizeof want, "%u.%u.%u", v / 10000, v / 100 % 100, v % 100);
    assert_string_equal(ts_version_string(), want);
    assert_int_equal(v, TS_VERSION_NUMBER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_string_matches_number),
        cmocka_unit_test(rename_source),
        cmocka_unit_test(source_locale),
        cmocka_unit_test(options_defaults),
        cmocka_unit_test(file_name_gives_source_name),
        cmocka_unit_test(bom_is_skipped),
        cmocka_unit_test(blank_file_makes_a_source_without_statements),
        cmocka_unit_test(line_mode_reads_one_statement_per_line),
        cmocka_unit_test(directory_is_read_in_name_order),
        cmocka_unit_test(empty_directory_is_an_error),
        cmocka_unit_test(missing_file_is_an_io_error),
        cmocka_unit_test(jsonl_records_append_to_their_source),
        cmocka_unit_test(malformed_jsonl_names_its_line),
        cmocka_unit_test(jsonl_member_errors),
        cmocka_unit_test(tsv_statements_are_not_resegmented),
        cmocka_unit_test(tsv_line_without_tab_is_an_error),
        cmocka_unit_test(a_name_from_two_files_is_a_duplicate),
        cmocka_unit_test(invalid_utf8_error_and_replace),
        cmocka_unit_test(failed_directory_leaves_corpus_unchanged),
        cmocka_unit_test(add_text_continues_numbering_and_keeps_source_order),
        cmocka_unit_test(example_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
