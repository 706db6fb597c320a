/*
 * test_segment.c - sentence and line segmentation.
 *
 * Expected statements are written out by hand from the input texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "text/segment.h"

typedef struct spans {
    const char *text;
    size_t n, cap;
    size_t *offset, *length;
    size_t stop_after; /* return TS_ERR_CANCELLED after this many; 0: never */
} spans;

static ts_status collect(void *user, size_t offset, size_t length)
{
    spans *s = user;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->offset = realloc(s->offset, s->cap * sizeof *s->offset);
        s->length = realloc(s->length, s->cap * sizeof *s->length);
        assert_non_null(s->offset);
        assert_non_null(s->length);
    }
    s->offset[s->n] = offset;
    s->length[s->n] = length;
    s->n++;
    return s->stop_after && s->n >= s->stop_after ? TS_ERR_CANCELLED : TS_OK;
}

static void spans_free(spans *s)
{
    free(s->offset);
    free(s->length);
}

static spans segment(ts_segment_mode mode, const char *locale, const char *text, size_t len)
{
    ts_segmenter *seg = NULL;
    ts_diag diag;
    assert_int_equal(ts_segmenter_create(&seg, mode, locale, &diag), TS_OK);
    spans s = {text, 0, 0, NULL, NULL, 0};
    assert_int_equal(ts_segmenter_run(seg, text, len, collect, &s, &diag), TS_OK);
    ts_segmenter_free(seg);
    return s;
}

/* Segment text and compare with the expected statements (NULL-terminated). */
static void expect_statements(ts_segment_mode mode, const char *locale, const char *text,
                              const char *const *expected)
{
    spans s = segment(mode, locale, text, strlen(text));
    size_t n = 0;
    while (expected[n])
        n++;
    for (size_t i = 0; i < s.n && i < n; i++) {
        if (s.length[i] != strlen(expected[i]) ||
            memcmp(text + s.offset[i], expected[i], s.length[i]) != 0)
            fail_msg("statement %zu: got [%.*s], expected [%s]", i, (int)s.length[i],
                     text + s.offset[i], expected[i]);
    }
    assert_int_equal(s.n, n);
    spans_free(&s);
}

#define SENTENCES(text, ...)                                                     \
    do {                                                                         \
        const char *const want_[] = {__VA_ARGS__, NULL};                         \
        expect_statements(TS_SEGMENT_SENTENCE, NULL, (text), want_);             \
    } while (0)

static void abbreviations_do_not_split(void **state)
{
    (void)state;
    SENTENCES("The U.S. envoy met Mr. So in Moscow. He left.",
              "The U.S. envoy met Mr. So in Moscow.", "He left.");
    /* "U.S." before a capital: ICU 72's own filter splits here. */
    SENTENCES("Kushner, U.S. President Trump's son-in-law, came. Prof. Jones and Mr. Smith "
              "agreed. (U.S. Rep. Smith said no.)",
              "Kushner, U.S. President Trump's son-in-law, came.",
              "Prof. Jones and Mr. Smith agreed.", "(U.S. Rep. Smith said no.)");
    /* Only whole tokens match: "pp." is listed but "app." is a word (ICU 72's
     * filter merges these), "I." is listed but not "II.", "K." but not "U.K.". */
    SENTENCES("One app. One membership. Since World War II. The meeting lasted.",
              "One app.", "One membership.", "Since World War II.", "The meeting lasted.");
    SENTENCES("We met in the U.K. Then we left.", "We met in the U.K.", "Then we left.");
    /* A line end always ends a statement. */
    SENTENCES("He went to the U.S.\nThen he left.", "He went to the U.S.", "Then he left.");
    /* A plain language gets its list too; @ss=none turns it off. */
    const char *const kept[] = {"The envoy met Mr. So in Moscow.", NULL};
    expect_statements(TS_SEGMENT_SENTENCE, "en", "The envoy met Mr. So in Moscow.", kept);
    const char *const plain[] = {"The envoy met Mr.", "So in Moscow.", NULL};
    expect_statements(TS_SEGMENT_SENTENCE, "en@ss=none", "The envoy met Mr. So in Moscow.", plain);
}

static void other_locales_use_their_own_list(void **state)
{
    (void)state;
    const char *text = "Das war gut. Dr. M\xC3\xBCller kam.";
    const char *const with_list[] = {"Das war gut.", "Dr. M\xC3\xBCller kam.", NULL};
    expect_statements(TS_SEGMENT_SENTENCE, "de@ss=standard", text, with_list);
    expect_statements(TS_SEGMENT_SENTENCE, "de", text, with_list); /* automatically */
    const char *const without[] = {"Das war gut.", "Dr.", "M\xC3\xBCller kam.", NULL};
    expect_statements(TS_SEGMENT_SENTENCE, "de@ss=none", text, without);
    /* French: "M. S\xC3\xA1nchez" is one statement with plain "fr". */
    const char *const fr[] = {"M. S\xC3\xA1nchez est arriv\xC3\xA9.", "Il a parl\xC3\xA9.", NULL};
    expect_statements(TS_SEGMENT_SENTENCE, "fr", "M. S\xC3\xA1nchez est arriv\xC3\xA9. Il a parl\xC3\xA9.", fr);
    /* A locale ICU does not know is refused, naming it. */
    const char *const unknown[] = {"xx_YY", "fr_YY", "root", "", "123"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        ts_segmenter *seg = NULL;
        ts_diag d;
        assert_int_equal(ts_segmenter_create(&seg, TS_SEGMENT_SENTENCE, unknown[i], &d), TS_ERR_ARG);
        assert_null(seg);
        assert_non_null(strstr(d.message, "unknown locale"));
    }
    /* A locale without a list (ICU has none for Japanese) still segments. */
#define TODAY "\xE4\xBB\x8A\xE6\x97\xA5\xE3\x80\x82"    /* "today." */
#define TOMORROW "\xE6\x98\x8E\xE6\x97\xA5\xE3\x80\x82" /* "tomorrow." */
    const char *const ja[] = {TODAY, TOMORROW, NULL};
    expect_statements(TS_SEGMENT_SENTENCE, "ja@ss=standard", TODAY TOMORROW, ja);
}

static void several_sentences_per_line_and_blank_lines(void **state)
{
    (void)state;
    SENTENCES("First one. Second one!\nThird one?\n\n   \n  Fourth  \n\n",
              "First one.", "Second one!", "Third one?", "Fourth");
    /* A line end always ends a statement, even without punctuation. */
    SENTENCES("A headline without a period\nThe body starts here. It goes on.",
              "A headline without a period", "The body starts here.", "It goes on.");
}

static void curly_quotes_stay_with_their_sentence(void **state)
{
    (void)state;
    SENTENCES("He said \xE2\x80\x9CIt is over.\xE2\x80\x9D Then he left. "
              "\xE2\x80\x98Maybe,\xE2\x80\x99 she said.",
              "He said \xE2\x80\x9CIt is over.\xE2\x80\x9D", "Then he left.",
              "\xE2\x80\x98Maybe,\xE2\x80\x99 she said.");
}

static void white_space_is_trimmed_and_empty_spans_dropped(void **state)
{
    (void)state;
    /* space, tab, NBSP, ideographic space, BOM, line separator */
    const char *blank = " \t\xC2\xA0\xE3\x80\x80\xEF\xBB\xBF\xE2\x80\xA8\n\r\n";
    for (int mode = 0; mode < 2; mode++) {
        spans s = segment((ts_segment_mode)mode, NULL, blank, strlen(blank));
        assert_int_equal(s.n, 0);
        spans_free(&s);
        s = segment((ts_segment_mode)mode, NULL, "", 0);
        assert_int_equal(s.n, 0);
        spans_free(&s);
    }
    /* Offsets point past the trimmed white space. */
    const char *text = "\xEF\xBB\xBF\xC2\xA0 Hello there.\xE3\x80\x80";
    spans s = segment(TS_SEGMENT_SENTENCE, NULL, text, strlen(text));
    assert_int_equal(s.n, 1);
    assert_int_equal(s.offset[0], 6);
    assert_int_equal(s.length[0], strlen("Hello there."));
    spans_free(&s);
}

static void line_mode_splits_at_lf_crlf_and_cr(void **state)
{
    (void)state;
    const char *text = "a. b.\r\n\r\n  c\rd\n\ne  ";
    spans s = segment(TS_SEGMENT_LINE, NULL, text, strlen(text));
    assert_int_equal(s.n, 4);
    const size_t off[] = {0, 11, 13, 16};
    const size_t len[] = {5, 1, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s.offset[i], off[i]);
        assert_int_equal(s.length[i], len[i]);
    }
    spans_free(&s);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 10 MB with no sentence boundary: must be linear, one statement. */
static void ten_megabyte_line_is_linear(void **state)
{
    (void)state;
    const size_t n = 10u * 1024u * 1024u;
    char *text = malloc(n);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (i % 7 == 6) ? ' ' : (char)('a' + i % 5);
    text[n - 1] = ' ';
    for (int mode = 0; mode < 2; mode++) {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        spans s = segment((ts_segment_mode)mode, NULL, text, n);
        double secs = seconds_since(&t0);
        printf("# 10 MB single line, %s mode: %.3f s\n", mode == 0 ? "sentence" : "line", secs);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.offset[0], 0);
        assert_int_equal(s.length[0], n - 1); /* the last byte is a space */
        assert_true(secs < 5.0);
        spans_free(&s);
    }
    /* Many abbreviation candidates in a row ("U.S. U.S. ...") stay linear too. */
    for (size_t i = 0; i + 5 <= n; i += 5)
        memcpy(text + i, "U.S. ", 5);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    spans s = segment(TS_SEGMENT_SENTENCE, NULL, text, n);
    double secs = seconds_since(&t0);
    printf("# 10 MB of \"U.S. \": %.3f s\n", secs);
    assert_int_equal(s.n, 1);
    assert_true(secs < 5.0);
    spans_free(&s);
    free(text);
}

static void callback_status_stops_the_run(void **state)
{
    (void)state;
    ts_segmenter *seg = NULL;
    assert_int_equal(ts_segmenter_create(&seg, TS_SEGMENT_SENTENCE, NULL, NULL), TS_OK);
    const char *text = "One. Two. Three.";
    spans s = {text, 0, 0, NULL, NULL, 2};
    assert_int_equal(ts_segmenter_run(seg, text, strlen(text), collect, &s, NULL),
                     TS_ERR_CANCELLED);
    assert_int_equal(s.n, 2);
    /* The segmenter is reusable afterwards. */
    s.n = 0;
    s.stop_after = 0;
    assert_int_equal(ts_segmenter_run(seg, text, strlen(text), collect, &s, NULL), TS_OK);
    assert_int_equal(s.n, 3);
    spans_free(&s);
    ts_segmenter_free(seg);
}

static void oversized_text_is_refused(void **state)
{
    (void)state;
    ts_segmenter *seg = NULL;
    ts_diag diag;
    assert_int_equal(ts_segmenter_create(&seg, TS_SEGMENT_LINE, NULL, &diag), TS_OK);
    spans s = {NULL, 0, 0, NULL, NULL, 0};
    /* The length is checked before any byte is read. */
    const char small[1] = {'x'};
    assert_int_equal(ts_segmenter_run(seg, small, (size_t)INT32_MAX + 1, collect, &s, &diag),
                     TS_ERR_TOO_LARGE);
    assert_int_equal(diag.status, TS_ERR_TOO_LARGE);
    assert_int_equal(s.n, 0);
    ts_segmenter_free(seg);
    ts_segmenter_free(NULL);
    assert_int_equal(ts_segmenter_create(&seg, (ts_segment_mode)7, NULL, &diag), TS_ERR_ARG);
    assert_null(seg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(abbreviations_do_not_split),
        cmocka_unit_test(other_locales_use_their_own_list),
        cmocka_unit_test(several_sentences_per_line_and_blank_lines),
        cmocka_unit_test(curly_quotes_stay_with_their_sentence),
        cmocka_unit_test(white_space_is_trimmed_and_empty_spans_dropped),
        cmocka_unit_test(line_mode_splits_at_lf_crlf_and_cr),
        cmocka_unit_test(ten_megabyte_line_is_linear),
        cmocka_unit_test(callback_status_stops_the_run),
        cmocka_unit_test(oversized_text_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
