/*
 * test_pattern.c - the rewriting of Python token patterns into ICU's dialect
 * (host/text/pattern.c).  Expected strings are written by hand from the rules in
 * pattern.c; that the rewritten patterns match what Python's re matches is
 * checked against scikit-learn by tests/parity/test_parity.py (PATTERNS).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/pattern.h"

#define W "[\\p{L}\\p{N}_]"

static void check(const char *python, const char *icu)
{
    char *got = NULL;
    ts_diag diag;
    assert_int_equal(ts_pattern_from_python(python, &got, &diag), TS_OK);
    if (strcmp(got, icu) != 0)
        fail_msg("%s became %s, expected %s", python, got, icu);
    free(got);
}

static void test_unchanged(void **state)
{
    (void)state;
    check("", "");
    check("[a-z0-9]{3,}", "[a-z0-9]{3,}");
    check("(?u)\\d+(?:\\.\\d+)?", "(?u)\\d+(?:\\.\\d+)?");
    check("\\\\w", "\\\\w"); /* an escaped backslash, then a literal w */
}

static void test_classes_of_characters(void **state)
{
    (void)state;
    check("\\w+", W "+");
    check("\\W", "[^\\p{L}\\p{N}_]");
    check("[\\w-]", "[\\p{L}\\p{N}_-]");
    check("[^\\W\\d_]+", "[^[^\\p{L}\\p{N}_]\\d_]+");
    check("\\s", "[\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}]");
    check("[\\s,]", "[\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85},]");
    check("\\S", "[^\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}]");
}

static void test_boundaries_and_anchors(void **state)
{
    (void)state;
    check("\\bx", "(?:(?<=" W ")(?!" W ")|(?<!" W ")(?=" W "))x");
    check("\\Bx", "(?:(?<=" W ")(?=" W ")|(?<!" W ")(?!" W "))x");
    check("[\\b]", "[\\x{08}]");
    check("x\\Z", "x\\z");
    check("\\Ax", "\\Ax");
}

static void test_syntax(void **state)
{
    (void)state;
    check("(?P<c>\\d)(?P=c)", "(?<c>\\d)\\k<c>");
    check("a{2}b{2,}c{,3}d{1,3}", "a{2}b{2,}c{0,3}d{1,3}");
    check("{a}", "\\{a\\}");
    check("a{}", "a\\{\\}");
    check("a{2,x}", "a\\{2,x\\}");
    check("[[]", "[\\[]");
    check("[]a]", "[\\]a]");
    check("[^]a]", "[^\\]a]");
    check("[a&&b]", "[a\\&\\&b]");
    check("x\\", "x\\"); /* a trailing backslash is left for ICU to reject */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged),
        cmocka_unit_test(test_classes_of_characters),
        cmocka_unit_test(test_boundaries_and_anchors),
        cmocka_unit_test(test_syntax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
