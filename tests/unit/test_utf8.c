/*
 * test_utf8.c - UTF-8 validation and repair.
 *
 * Offsets are hand-computed; the repaired bytes follow the Unicode Standard's
 * "maximal subpart" practice (chapter 3, U+FFFD substitution), and were
 * cross-checked against Python's bytes.decode("utf-8", "replace").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/utf8.h"

#define CHECK(lit) ts_utf8_check((lit), sizeof(lit) - 1, NULL)

static void valid_text_passes(void **state)
{
    (void)state;
    assert_int_equal(CHECK(""), 0);
    assert_int_equal(CHECK("plain ascii"), 11);
    assert_int_equal(CHECK("caf\xC3\xA9"), 5);                 /* U+00E9, 2 bytes */
    assert_int_equal(CHECK("\xE2\x82\xAC 5"), 5);              /* U+20AC, 3 bytes */
    assert_int_equal(CHECK("\xF0\x9D\x84\x9E"), 4);            /* U+1D11E, 4 bytes */
    assert_int_equal(CHECK("\xF4\x8F\xBF\xBF"), 4);            /* U+10FFFF, the last one */
    assert_int_equal(CHECK("\xEF\xBB\xBF\xED\x9F\xBF"), 6);    /* U+FEFF, U+D7FF */
    assert_int_equal(CHECK("\xEE\x80\x80\xF0\x90\x80\x80"), 7); /* U+E000, U+10000 */
}

static void overlongs_are_rejected(void **state)
{
    (void)state;
    assert_int_equal(CHECK("ab\xC0\xAF"), 2);         /* "/" in two bytes */
    assert_int_equal(CHECK("ab\xC1\xBF"), 2);
    assert_int_equal(CHECK("\xE0\x80\xAF"), 0);       /* "/" in three bytes */
    assert_int_equal(CHECK("x\xE0\x9F\xBF"), 1);      /* U+07FF in three bytes */
    assert_int_equal(CHECK("xyz\xF0\x8F\xBF\xBF"), 3); /* U+FFFF in four bytes */
}

static void surrogates_are_rejected(void **state)
{
    (void)state;
    assert_int_equal(CHECK("abc\xED\xA0\x80"), 3); /* U+D800 */
    assert_int_equal(CHECK("\xED\xBF\xBF"), 0);    /* U+DFFF */
}

static void truncated_sequences_are_rejected(void **state)
{
    (void)state;
    assert_int_equal(CHECK("ok\xE2\x82"), 2);        /* end of text inside U+20AC */
    assert_int_equal(CHECK("ok\xF0\x9D\x84"), 2);
    assert_int_equal(CHECK("ok\xC3"), 2);
    assert_int_equal(CHECK("ok\xE2\x82 more"), 2);  /* interrupted by a space */
    assert_int_equal(CHECK("ok\x80"), 2);            /* a lone continuation byte */
}

static void above_max_code_point_is_rejected(void **state)
{
    (void)state;
    assert_int_equal(CHECK("\xF4\x90\x80\x80"), 0); /* U+110000 */
    assert_int_equal(CHECK("a\xF5\x80\x80\x80"), 1);
    assert_int_equal(CHECK("ab\xFF"), 2);
    assert_int_equal(CHECK("ab\xFE"), 2);
}

static void nul_is_reported_as_nul(void **state)
{
    (void)state;
    int is_nul = -1;
    assert_int_equal(ts_utf8_check("ab\0c", 4, &is_nul), 2);
    assert_int_equal(is_nul, 1);
    assert_int_equal(ts_utf8_check("ab\xC3", 3, &is_nul), 2);
    assert_int_equal(is_nul, 0);
    assert_int_equal(ts_utf8_check("abc", 3, &is_nul), 3);
    assert_int_equal(is_nul, 0);
}

/* The word-at-a-time ASCII path must not skip a bad byte anywhere in a word. */
static void bad_byte_found_at_every_position(void **state)
{
    (void)state;
    char buf[100];
    for (size_t pos = 0; pos < 40; pos++) {
        for (int kind = 0; kind < 3; kind++) {
            memset(buf, 'a', sizeof buf);
            buf[pos] = kind == 0 ? '\0' : kind == 1 ? (char)0x80 : (char)0xC3;
            if (kind == 2)
                buf[pos + 1] = 'z'; /* lead byte followed by a non-continuation */
            int is_nul = -1;
            assert_int_equal(ts_utf8_check(buf, sizeof buf, &is_nul), pos);
            assert_int_equal(is_nul, kind == 0);
        }
    }
    /* Valid multi-byte characters between long ASCII runs. */
    memset(buf, 'a', sizeof buf);
    memcpy(buf + 13, "\xF0\x9D\x84\x9E", 4);
    memcpy(buf + 50, "\xC3\xA9", 2);
    assert_int_equal(ts_utf8_check(buf, sizeof buf, NULL), sizeof buf);
}

static void assert_sanitized(const char *in, size_t in_len, const char *expect, size_t expect_len)
{
    char *out = NULL;
    size_t out_len = 0;
    assert_int_equal(ts_utf8_sanitize(in, in_len, &out, &out_len), TS_OK);
    assert_non_null(out);
    assert_int_equal(out_len, expect_len);
    assert_memory_equal(out, expect, expect_len);
    assert_int_equal(out[out_len], '\0');
    /* The repair is itself valid. */
    assert_int_equal(ts_utf8_check(out, out_len, NULL), out_len);
    free(out);
}

#define SANITIZED(in, expect) assert_sanitized((in), sizeof(in) - 1, (expect), sizeof(expect) - 1)
#define R "\xEF\xBF\xBD"

static void sanitize_replaces_maximal_subparts(void **state)
{
    (void)state;
    /* The Unicode Standard's own example (Table 3-8 discussion). */
    SANITIZED("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
              "a" R R R "b" R "c" R R "d");
    SANITIZED("\xED\xA0\x80", R R R);          /* surrogate: ED alone is a subpart */
    SANITIZED("\xF4\x90\x80\x80", R R R R);    /* above U+10FFFF */
    SANITIZED("\xC0\xAF", R R);                /* overlong lead */
    SANITIZED("\xE0\x80\xAF", R R R);
    SANITIZED("ok\xE2\x82", "ok" R);           /* truncated: one replacement */
    SANITIZED("\xF0\x9D\x84x", R "x");
    SANITIZED("a\0b\0", "a" R "b" R);          /* NUL */
    SANITIZED("caf\xC3\xA9 \xF0\x9D\x84\x9E", "caf\xC3\xA9 \xF0\x9D\x84\x9E"); /* unchanged */
    SANITIZED("", "");
}

/* s[start, end) trimmed must be s[want_start, want_end) (hand-counted bytes). */
static void assert_trimmed(const char *s, size_t start, size_t end, size_t want_start,
                           size_t want_end)
{
    ts_utf8_trim(s, &start, &end);
    assert_int_equal(start, want_start);
    assert_int_equal(end, want_end);
}

static void trim_takes_unicode_white_space(void **state)
{
    (void)state;
    assert_trimmed("  ab \t\n", 0, 7, 2, 4);
    /* U+FEFF (3 bytes), U+00A0 (2), a, U+3000 (3), U+2029 (3) */
    const char *s = "\xef\xbb\xbf\xc2\xa0" "a\xe3\x80\x80\xe2\x80\xa9";
    assert_trimmed(s, 0, strlen(s), 5, 6);
    /* a multi-byte letter at either end stays whole: " é " and "ü" */
    assert_trimmed(" \xc3\xa9 ", 0, 4, 1, 3);
    assert_trimmed("\xc3\xbc", 0, 2, 0, 2);
    /* only within the span given; all white space leaves it empty */
    assert_trimmed("x  y", 1, 3, 3, 3);
    assert_trimmed("", 0, 0, 0, 0);
    assert_true(ts_utf8_is_trimmable(0x2003) && ts_utf8_is_trimmable(0xFEFF));
    assert_false(ts_utf8_is_trimmable('a') || ts_utf8_is_trimmable(0x200B));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_text_passes),
        cmocka_unit_test(overlongs_are_rejected),
        cmocka_unit_test(surrogates_are_rejected),
        cmocka_unit_test(truncated_sequences_are_rejected),
        cmocka_unit_test(above_max_code_point_is_rejected),
        cmocka_unit_test(nul_is_reported_as_nul),
        cmocka_unit_test(bad_byte_found_at_every_position),
        cmocka_unit_test(sanitize_replaces_maximal_subparts),
        cmocka_unit_test(trim_takes_unicode_white_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
