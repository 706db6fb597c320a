/*
 * test_numbers.c - extracting the numbers of a statement and the discrepancy
 * rule.
 *
 * Every expected value, unit, qualifier and byte span is worked out by hand
 * from the text (spans are [begin, end) byte offsets, counted in the comment
 * where they are not obvious).  The fuzz loop feeds 10,000 random strings of
 * number-like fragments, multibyte characters and invalid bytes and checks
 * the invariants every result must satisfy; run it under ASan/UBSan
 * (-DTS_SANITIZE=ON) to catch memory errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "align/numbers.h"

/* Extract from a C string in a locale (NULL: English); fails the test on
 * error. */
static ts_number_list extract_in(const char *locale, const char *text)
{
    ts_number_list list;
    ts_number_list_init(&list);
    ts_diag diag;
    ts_diag_clear(&diag);
    ts_num_locale loc = ts_num_locale_of(locale);
    ts_status st = ts_numbers_extract(text, strlen(text), &loc, &list, &diag);
    if (st != TS_OK)
        fail_msg("extracting from \"%s\": %s", text, diag.message);
    return list;
}

static ts_number_list extract(const char *text) { return extract_in(NULL, text); }

/* Check one number: value (relative 1e-12), unit, qualifier and span. */
static void check_number(const char *text, const ts_number *n, double value, const char *unit,
                         ts_number_qualifier qual, size_t begin, size_t end)
{
    if (fabs(n->value - value) > 1e-12 * fmax(1.0, fabs(value)))
        fail_msg("\"%s\": value %.17g, expected %.17g", text, n->value, value);
    if (strcmp(n->unit, unit) != 0)
        fail_msg("\"%s\": unit \"%s\", expected \"%s\"", text, n->unit, unit);
    if (n->qualifier != qual)
        fail_msg("\"%s\": qualifier \"%s\", expected \"%s\"", text,
                 ts_number_qualifier_name(n->qualifier), ts_number_qualifier_name(qual));
    if (n->begin != begin || n->end != end)
        fail_msg("\"%s\": span [%zu, %zu), expected [%zu, %zu)", text, n->begin, n->end, begin,
                 end);
}

/* The text, read in locale, holds exactly one number. */
static void expect_one_in(const char *locale, const char *text, double value, const char *unit,
                          ts_number_qualifier qual, size_t begin, size_t end)
{
    ts_number_list list = extract_in(locale, text);
    if (list.count != 1)
        fail_msg("\"%s\": %zu numbers, expected 1", text, list.count);
    check_number(text, &list.items[0], value, unit, qual, begin, end);
    ts_number_list_free(&list);
}

static void expect_one(const char *text, double value, const char *unit,
                       ts_number_qualifier qual, size_t begin, size_t end)
{
    expect_one_in(NULL, text, value, unit, qual, begin, end);
}

static void expect_none_in(const char *locale, const char *text)
{
    ts_number_list list = extract_in(locale, text);
    if (list.count != 0)
        fail_msg("\"%s\": %zu numbers (first %.17g \"%s\"), expected none", text, list.count,
                 list.items[0].value, list.items[0].unit);
    ts_number_list_free(&list);
}

static void expect_none(const char *text) { expect_none_in(NULL, text); }

/* ------------------------------------------------------------------ percent */

static void percent_forms_agree(void **state)
{
    (void)state;
    expect_one("19%", 19, "percent", TS_NUMBER_EXACT, 0, 3);
    expect_one("19 percent", 19, "percent", TS_NUMBER_EXACT, 0, 10);
    expect_one("19 per cent", 19, "percent", TS_NUMBER_EXACT, 0, 11);
    expect_one("19pc", 19, "percent", TS_NUMBER_EXACT, 0, 4);
    expect_one("19 %", 19, "percent", TS_NUMBER_EXACT, 0, 4);
    expect_one("19 PERCENT", 19, "percent", TS_NUMBER_EXACT, 0, 10);
    /* "over " is bytes 0..5; the number "19 percent" is 5..15 */
    ts_number_list list = extract("over 19 percent");
    assert_int_equal(list.count, 1);
    check_number("over 19 percent", &list.items[0], 19, "percent", TS_NUMBER_OVER, 5, 15);
    assert_int_equal(list.items[0].qualifier_begin, 0);
    ts_number_list_free(&list);
    /* percentage points are not percent */
    expect_one("3 percentage points", 3, "pp", TS_NUMBER_EXACT, 0, 19);
}

static void qualifiers_are_recorded_value_kept(void **state)
{
    (void)state;
    /* "more than " = 10 bytes, so "1,000 people" is 10..22 */
    ts_number_list list = extract("more than 1,000 people");
    assert_int_equal(list.count, 1);
    check_number("more than", &list.items[0], 1000, "people", TS_NUMBER_OVER, 10, 22);
    assert_int_equal(list.items[0].qualifier_begin, 0);
    ts_number_list_free(&list);
    /* "no more than" is "up to", not "over" (the longer pattern wins) */
    expect_one("no more than 3 km", 3, "km", TS_NUMBER_UP_TO, 13, 17);
    expect_one("about 40 hours", 40, "hour", TS_NUMBER_ABOUT, 6, 14);
    expect_one("approximately 40 hours", 40, "hour", TS_NUMBER_ABOUT, 14, 22);
    expect_one("nearly 40 hours", 40, "hour", TS_NUMBER_NEARLY, 7, 15);
    expect_one("almost 40 hours", 40, "hour", TS_NUMBER_NEARLY, 7, 15);
    expect_one("some 40 hours", 40, "hour", TS_NUMBER_ABOUT, 5, 13);
    expect_one("around 40 hours", 40, "hour", TS_NUMBER_ABOUT, 7, 15);
    expect_one("up to 40 hours", 40, "hour", TS_NUMBER_UP_TO, 6, 14);
    expect_one("at least 40 hours", 40, "hour", TS_NUMBER_AT_LEAST, 9, 17);
    expect_one("At Least 40 hours", 40, "hour", TS_NUMBER_AT_LEAST, 9, 17);
    expect_one("fewer than 40 hours", 40, "hour", TS_NUMBER_UNDER, 11, 19);
    /* a qualifier must be right before: "over the 40 hours" has none */
    expect_one("over the 40 hours", 40, "hour", TS_NUMBER_EXACT, 9, 17);
    assert_string_equal(ts_number_qualifier_name(TS_NUMBER_EXACT), "");
    assert_string_equal(ts_number_qualifier_name(TS_NUMBER_AT_LEAST), "at least");
}

/* ------------------------------------------------------------- units, words */

static void brief_examples(void **state)
{
    (void)state;
    /* "five-hour" = bytes 0..9 */
    expect_one("five-hour meeting", 5, "hour", TS_NUMBER_EXACT, 0, 9);
    /* 1.2 billion = 12 * 10^8 exactly; "$1.2 billion" is 12 bytes */
    expect_one("$1.2 billion", 1.2e9, "USD", TS_NUMBER_EXACT, 0, 12);
    expect_one("2,000 troops", 2000, "troops", TS_NUMBER_EXACT, 0, 12);
    /* "four-year" = 0..9; "-old" is not part of the unit */
    expect_one("four-year-old conflict", 4, "year", TS_NUMBER_EXACT, 0, 9);
    expect_one("In 2025", 2025, "calendar-year", TS_NUMBER_EXACT, 3, 7);
    expect_one("decimals 3.5", 3.5, "", TS_NUMBER_EXACT, 9, 12);
}

static void digits_and_signs(void **state)
{
    (void)state;
    expect_one("5", 5, "", TS_NUMBER_EXACT, 0, 1);
    expect_one("1,200", 1200, "", TS_NUMBER_EXACT, 0, 5);
    expect_one("1,200,000.5", 1200000.5, "", TS_NUMBER_EXACT, 0, 11);
    expect_one("-4", -4, "", TS_NUMBER_EXACT, 0, 2);
    /* U+2212 is E2 88 92: "−4" is 4 bytes */
    expect_one("\xE2\x88\x92" "4", -4, "", TS_NUMBER_EXACT, 0, 4);
    expect_one("(-4)", -4, "", TS_NUMBER_EXACT, 1, 3);
    expect_one("0.05", 0.05, "", TS_NUMBER_EXACT, 0, 4);
    expect_one("it was .5", 0.5, "", TS_NUMBER_EXACT, 7, 9);
    expect_one("007", 7, "", TS_NUMBER_EXACT, 0, 3);
    /* a full stop after a number is not a decimal point */
    expect_one("They counted 12.", 12, "", TS_NUMBER_EXACT, 13, 15);
    /* 1,2000 and 12345,678 break the thousands grouping: not numbers */
    expect_none("1,20 3.5.2 192.168.0.1 12345,678");
    /* a 19-digit integer is not a quantity */
    expect_none("1234567890123456789");
    /* a comma followed by a space is punctuation: two numbers */
    ts_number_list list = extract("5, 6");
    assert_int_equal(list.count, 2);
    check_number("5, 6", &list.items[0], 5, "", TS_NUMBER_EXACT, 0, 1);
    check_number("5, 6", &list.items[1], 6, "", TS_NUMBER_EXACT, 3, 4);
    ts_number_list_free(&list);
}

static void names_are_not_numbers(void **state)
{
    (void)state;
    expect_none("COVID-19");
    expect_none("the G7 summit");
    expect_none("an A380-800 jet");
    expect_none("open 24/7");
    expect_none("5G networks");
    expect_none("a 4x4 car");
    expect_none("the 1990s");
    expect_none("F-35A jets");
    /* but "mid-2025" is a year */
    expect_one("by mid-2025", 2025, "calendar-year", TS_NUMBER_EXACT, 7, 11);
}

static void number_words(void **state)
{
    (void)state;
    expect_one("twenty-one people", 21, "people", TS_NUMBER_EXACT, 0, 17);
    expect_one("twenty one", 21, "", TS_NUMBER_EXACT, 0, 10);
    expect_one("five hundred", 500, "", TS_NUMBER_EXACT, 0, 12);
    expect_one("one hundred and five", 105, "", TS_NUMBER_EXACT, 0, 20);
    expect_one("a dozen", 12, "", TS_NUMBER_EXACT, 0, 7);
    expect_one("two dozen eggs", 24, "", TS_NUMBER_EXACT, 0, 9);
    expect_one("a million people", 1e6, "people", TS_NUMBER_EXACT, 0, 16);
    /* 2 * 10^6 + 3 * 100 * 1000 */
    expect_one("two million three hundred thousand", 2300000, "", TS_NUMBER_EXACT, 0, 34);
    expect_one("Twelve", 12, "", TS_NUMBER_EXACT, 0, 6);
    expect_one("zero", 0, "", TS_NUMBER_EXACT, 0, 4);
    expect_one("one person", 1, "people", TS_NUMBER_EXACT, 0, 10);
    /* "one" alone is a pronoun more often than a count */
    expect_none("one of the victims");
    expect_none("no one came");
    /* words that merely contain number words are not numbers */
    expect_none("someone often tends to be alone");
    /* "five six" is not 11: two numbers */
    ts_number_list list = extract("five six");
    assert_int_equal(list.count, 2);
    check_number("five six", &list.items[0], 5, "", TS_NUMBER_EXACT, 0, 4);
    check_number("five six", &list.items[1], 6, "", TS_NUMBER_EXACT, 5, 8);
    ts_number_list_free(&list);
    /* "a" alone is not a number */
    expect_none("a man");
}

static void scales_and_currencies(void **state)
{
    (void)state;
    expect_one("2.5 million", 2.5e6, "", TS_NUMBER_EXACT, 0, 11);
    expect_one("$3 billion", 3e9, "USD", TS_NUMBER_EXACT, 0, 10);
    expect_one("3bn", 3e9, "", TS_NUMBER_EXACT, 0, 3);
    expect_one("5k", 5e3, "", TS_NUMBER_EXACT, 0, 2);
    /* attached "m" is million after a currency sign, metres otherwise */
    expect_one("$4m", 4e6, "USD", TS_NUMBER_EXACT, 0, 3);
    expect_one("400m", 400, "m", TS_NUMBER_EXACT, 0, 4);
    /* U+20AC is E2 82 AC, U+00A3 is C2 A3 */
    expect_one("\xE2\x82\xAC" "3.5bn", 3.5e9, "EUR", TS_NUMBER_EXACT, 0, 8);
    expect_one("\xC2\xA3" "20", 20, "GBP", TS_NUMBER_EXACT, 0, 4);
    expect_one("20 \xE2\x82\xAC", 20, "EUR", TS_NUMBER_EXACT, 0, 6);
    expect_one("US$5", 5, "USD", TS_NUMBER_EXACT, 0, 4);
    expect_one("1.2 billion dollars", 1.2e9, "USD", TS_NUMBER_EXACT, 0, 19);
    expect_one("1.2 billion US dollars", 1.2e9, "USD", TS_NUMBER_EXACT, 0, 22);
    expect_one("ten euros", 10, "EUR", TS_NUMBER_EXACT, 0, 9);
    expect_one("USD 40", 40, "USD", TS_NUMBER_EXACT, 0, 6);
    expect_one("over $3 billion", 3e9, "USD", TS_NUMBER_OVER, 5, 15);
}

static void other_units(void **state)
{
    (void)state;
    expect_one("12 km", 12, "km", TS_NUMBER_EXACT, 0, 5);
    expect_one("12km", 12, "km", TS_NUMBER_EXACT, 0, 4);
    expect_one("12 kilometres", 12, "km", TS_NUMBER_EXACT, 0, 13);
    expect_one("a 10-km march", 10, "km", TS_NUMBER_EXACT, 2, 7);
    expect_one("3 miles", 3, "mile", TS_NUMBER_EXACT, 0, 7);
    expect_one("48 hours", 48, "hour", TS_NUMBER_EXACT, 0, 8);
    expect_one("48h", 48, "hour", TS_NUMBER_EXACT, 0, 3);
    expect_one("3 days", 3, "day", TS_NUMBER_EXACT, 0, 6);
    expect_one("a 19-year-old man", 19, "year", TS_NUMBER_EXACT, 2, 9);
    expect_one("7 children", 7, "children", TS_NUMBER_EXACT, 0, 10);
    expect_one("1 child", 1, "children", TS_NUMBER_EXACT, 0, 7);
    expect_one("a 5-member panel", 5, "members", TS_NUMBER_EXACT, 2, 10);
    /* U+00B0 is C2 B0 */
    expect_one("30\xC2\xB0" "C", 30, "celsius", TS_NUMBER_EXACT, 0, 5);
    /* the unit must come right after: "2,000 US troops" has none */
    expect_one("2,000 US troops", 2000, "", TS_NUMBER_EXACT, 0, 5);
}

static void years_dates_times_ordinals(void **state)
{
    (void)state;
    expect_one("in 1999", 1999, "calendar-year", TS_NUMBER_EXACT, 3, 7);
    expect_one("around 2030", 2030, "calendar-year", TS_NUMBER_ABOUT, 7, 11);
    /* out of range, grouped, with a unit or an "over": not a year */
    expect_one("in 1850", 1850, "", TS_NUMBER_EXACT, 3, 7);
    expect_one("2,025 votes", 2025, "votes", TS_NUMBER_EXACT, 0, 11);
    expect_one("over 2000 troops", 2000, "troops", TS_NUMBER_OVER, 5, 16);
    expect_one("over 2000", 2000, "", TS_NUMBER_OVER, 5, 9);
    /* a date is month * 100 + day; "March 5" = 0..7, then ", " and 2025 = 9..13 */
    ts_number_list list = extract("March 5, 2025");
    assert_int_equal(list.count, 2);
    check_number("March 5, 2025", &list.items[0], 305, "date", TS_NUMBER_EXACT, 0, 7);
    check_number("March 5, 2025", &list.items[1], 2025, "calendar-year", TS_NUMBER_EXACT, 9, 13);
    ts_number_list_free(&list);
    expect_one("on 5 March", 305, "date", TS_NUMBER_EXACT, 3, 10);
    expect_one("the 5th of March", 305, "date", TS_NUMBER_EXACT, 4, 16);
    expect_one("Dec 31", 1231, "date", TS_NUMBER_EXACT, 0, 6);
    /* lowercase "march" is the verb */
    expect_one("5 march", 5, "", TS_NUMBER_EXACT, 0, 1);
    /* clock: 10:30 pm = 22.5 hours */
    expect_one("at 10:30 pm", 22.5, "clock", TS_NUMBER_EXACT, 3, 11);
    expect_one("at 10:30", 10.5, "clock", TS_NUMBER_EXACT, 3, 8);
    expect_one("at 5 p.m.", 17, "clock", TS_NUMBER_EXACT, 3, 9);
    expect_one("at 12am", 0, "clock", TS_NUMBER_EXACT, 3, 7);
    expect_one("the 21st round", 21, "ordinal", TS_NUMBER_EXACT, 4, 8);
}

static void ranges_share_units(void **state)
{
    (void)state;
    ts_number_list list = extract("20-25 percent");
    assert_int_equal(list.count, 2);
    check_number("20-25", &list.items[0], 20, "percent", TS_NUMBER_EXACT, 0, 2);
    check_number("20-25", &list.items[1], 25, "percent", TS_NUMBER_EXACT, 3, 13);
    ts_number_list_free(&list);

    /* "$5-6 billion": the first takes the scale, the second the currency */
    list = extract("$5-6 billion");
    assert_int_equal(list.count, 2);
    check_number("$5-6", &list.items[0], 5e9, "USD", TS_NUMBER_EXACT, 0, 2);
    check_number("$5-6", &list.items[1], 6e9, "USD", TS_NUMBER_EXACT, 3, 12);
    ts_number_list_free(&list);

    list = extract("3 to 4 million people");
    assert_int_equal(list.count, 2);
    check_number("3 to 4", &list.items[0], 3e6, "people", TS_NUMBER_EXACT, 0, 1);
    check_number("3 to 4", &list.items[1], 4e6, "people", TS_NUMBER_EXACT, 5, 21);
    ts_number_list_free(&list);

    /* years keep their own unit */
    list = extract("2020-2025");
    assert_int_equal(list.count, 2);
    check_number("2020-2025", &list.items[0], 2020, "calendar-year", TS_NUMBER_EXACT, 0, 4);
    check_number("2020-2025", &list.items[1], 2025, "calendar-year", TS_NUMBER_EXACT, 5, 9);
    ts_number_list_free(&list);
}

static void sentence_with_several(void **state)
{
    (void)state;
    const char *text = "Over 200 people died in the 3-day storm in 2024, about 12% more.";
    /* "Over " 0..5, "200 people" 5..15; " died in the " 15..28, "3-day"
     * 28..33; " storm in " 33..43, "2024" 43..47; ", " then "about " 49..55,
     * "12%" 55..58 */
    ts_number_list list = extract(text);
    assert_int_equal(list.count, 4);
    check_number(text, &list.items[0], 200, "people", TS_NUMBER_OVER, 5, 15);
    check_number(text, &list.items[1], 3, "day", TS_NUMBER_EXACT, 28, 33);
    check_number(text, &list.items[2], 2024, "calendar-year", TS_NUMBER_EXACT, 43, 47);
    check_number(text, &list.items[3], 12, "percent", TS_NUMBER_ABOUT, 55, 58);
    assert_int_equal(list.items[3].qualifier_begin, 49);
    ts_number_list_free(&list);
    expect_none("No numbers at all here.");
    expect_none("");
}

static void extract_errors_and_reuse(void **state)
{
    (void)state;
    ts_diag diag;
    ts_diag_clear(&diag);
    assert_int_equal(ts_numbers_extract("5", 1, NULL, NULL, &diag), TS_ERR_ARG);
    assert_true(strlen(diag.message) > 0);
    ts_number_list list;
    ts_number_list_init(&list);
    assert_int_equal(ts_numbers_extract(NULL, 3, NULL, &list, &diag), TS_ERR_ARG);
    assert_int_equal(ts_numbers_extract(NULL, 0, NULL, &list, NULL), TS_OK);
    assert_int_equal(list.count, 0);
    /* the list is replaced, not appended to */
    assert_int_equal(ts_numbers_extract("1 2 3", 5, NULL, &list, NULL), TS_OK);
    assert_int_equal(list.count, 3);
    assert_int_equal(ts_numbers_extract("7", 1, NULL, &list, NULL), TS_OK);
    assert_int_equal(list.count, 1);
    assert_true(list.items[0].value == 7);
    /* text need not be NUL-terminated: only "12" of "123" is read */
    assert_int_equal(ts_numbers_extract("123", 2, NULL, &list, NULL), TS_OK);
    assert_int_equal(list.count, 1);
    assert_true(list.items[0].value == 12);
    ts_number_list_free(&list);
    ts_number_list_free(&list); /* twice is harmless */
    ts_number_list_free(NULL);
}

/* ------------------------------------------------------------ discrepancies */

/* Discrepancies between two texts read in their locales, up to 8. */
static size_t compare_in(const char *la, const char *ta, const char *lb, const char *tb,
                         ts_number_discrepancy *d)
{
    ts_number_list a = extract_in(la, ta), b = extract_in(lb, tb);
    size_t n = ts_numbers_discrepancies(a.items, a.count, b.items, b.count, d, 8);
    ts_number_list_free(&a);
    ts_number_list_free(&b);
    return n;
}

static size_t compare_texts(const char *ta, const char *tb, ts_number_discrepancy *d)
{
    return compare_in(NULL, ta, NULL, tb, d);
}

static void discrepancy_rule(void **state)
{
    (void)state;
    ts_number_discrepancy d[8];
    /* 19 vs 20 percent: the percent key on both sides, no common value */
    assert_int_equal(compare_texts("Turnout was 19 percent.", "Turnout was 20%.", d), 1);
    assert_string_equal(d[0].unit, "percent");
    assert_true(d[0].value_a == 19 && d[0].value_b == 20);
    assert_int_equal(d[0].a, 0);
    assert_int_equal(d[0].b, 0);
    assert_int_equal(d[0].approximate, 0);
    /* same quantity, different spelling */
    assert_int_equal(compare_texts("19%", "19 percent", d), 0);
    assert_int_equal(compare_texts("over 19 percent", "19%", d), 0);
    /* a qualifier keeps the value but marks the discrepancy approximate */
    assert_int_equal(compare_texts("over 19 percent", "20%", d), 1);
    assert_int_equal(d[0].approximate, 1);
    /* no numbers: nothing */
    assert_int_equal(compare_texts("No figures.", "None here either.", d), 0);
    assert_int_equal(compare_texts("19 percent", "No figures.", d), 0);
    /* different units never compare: 19 percent vs 20 people */
    assert_int_equal(compare_texts("19 percent", "20 people", d), 0);
    /* value sets: {19, 30} vs {30} share 30 -> no discrepancy */
    assert_int_equal(compare_texts("19% and 30%", "30%", d), 0);
    /* 1.2 billion dollars and $1,200,000,000 are equal */
    assert_int_equal(compare_texts("$1.2 billion", "1,200,000,000 dollars", d), 0);
    assert_int_equal(compare_texts("$1.2 billion", "$1.3 billion", d), 1);
    assert_string_equal(d[0].unit, "USD");
    /* years compare only with years */
    assert_int_equal(compare_texts("In 2025, a four-year war", "In 2024, a four-year war", d), 1);
    assert_string_equal(d[0].unit, "calendar-year");
    assert_int_equal(compare_texts("In 2025", "a 4-year war", d), 0);
    assert_int_equal(compare_texts("In 2025 a five-year war", "In 2025 a four-year war", d), 1);
    assert_string_equal(d[0].unit, "year");
    assert_true(d[0].value_a == 5 && d[0].value_b == 4);
    /* two keys disagree: reported in A's order; indices point at the numbers */
    assert_int_equal(compare_texts("3 days and 40 people", "50 people over 4 days", d), 2);
    assert_string_equal(d[0].unit, "day");
    assert_int_equal(d[0].a, 0);
    assert_int_equal(d[0].b, 1);
    assert_string_equal(d[1].unit, "people");
    assert_int_equal(d[1].a, 1);
    assert_int_equal(d[1].b, 0);
    assert_true(d[1].value_a == 40 && d[1].value_b == 50);
}

static void unitless_rule(void **state)
{
    (void)state;
    ts_number_discrepancy d[8];
    /* unitless against unitless, no common value: flagged */
    assert_int_equal(compare_texts("Police arrested 12.", "Police arrested 15.", d), 1);
    assert_string_equal(d[0].unit, "");
    /* a bare 19 may be the other side's "19 percent": not flagged */
    assert_int_equal(compare_texts("It rose to 19, from 12", "It rose to 19 pc, from 14", d), 0);
    assert_int_equal(compare_texts("It rose to 19 pc, from 14", "It rose to 19, from 12", d), 0);
    /* unitless against a unit only: nothing to compare */
    assert_int_equal(compare_texts("12", "15 people", d), 0);
    /* capacity: the count is still complete */
    ts_number_list a = extract("1 day, 2 km, 3 people"), b = extract("4 days, 5 km, 6 people");
    assert_int_equal(ts_numbers_discrepancies(a.items, a.count, b.items, b.count, d, 1), 3);
    assert_string_equal(d[0].unit, "day");
    assert_int_equal(ts_numbers_discrepancies(a.items, a.count, b.items, b.count, NULL, 0), 3);
    ts_number_list_free(&a);
    ts_number_list_free(&b);
    assert_int_equal(ts_numbers_discrepancies(NULL, 0, NULL, 0, d, 8), 0);
}

/* --------------------------------------------------------------- languages */

static void locales_map_to_conventions(void **state)
{
    (void)state;
    static const struct {
        const char *locale;
        int words, decimal_comma, apostrophe;
    } cases[] = {
        {NULL, TS_NUM_WORDS_EN, 0, 0},     {"", TS_NUM_WORDS_EN, 0, 0},
        {"en", TS_NUM_WORDS_EN, 0, 0},     {"en@ss=standard", TS_NUM_WORDS_EN, 0, 0},
        {"de", TS_NUM_WORDS_DE, 1, 0},     {"DE_de", TS_NUM_WORDS_DE, 1, 0},
        {"de-AT", TS_NUM_WORDS_DE, 1, 0},  {"de_CH", TS_NUM_WORDS_DE, 0, 1},
        {"fr", TS_NUM_WORDS_FR, 1, 0},     {"fr-ch", TS_NUM_WORDS_FR, 0, 1},
        {"es@collation=traditional", TS_NUM_WORDS_ES, 1, 0},
        {"it", TS_NUM_WORDS_EN, 1, 0},     {"it_CH", TS_NUM_WORDS_EN, 0, 1},
        {"pt_BR", TS_NUM_WORDS_EN, 1, 0},  {"ru", TS_NUM_WORDS_EN, 1, 0},
        {"ja", TS_NUM_WORDS_EN, 0, 0},     {"german", TS_NUM_WORDS_EN, 0, 0},
        {"en_CH", TS_NUM_WORDS_EN, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ts_num_locale loc = ts_num_locale_of(cases[i].locale);
        if (loc.words != cases[i].words || loc.decimal_comma != cases[i].decimal_comma ||
            loc.apostrophe_groups != cases[i].apostrophe)
            fail_msg("locale \"%s\": words %d comma %d apostrophe %d", cases[i].locale,
                     loc.words, loc.decimal_comma, loc.apostrophe_groups);
    }
}

static void german_numbers(void **state)
{
    (void)state;
    /* the case: a point groups thousands, "Rund" and "Etwa" are "about" */
    expect_one_in("de", "Rund 1.200 Soldaten", 1200, "troops", TS_NUMBER_ABOUT, 5, 19);
    expect_one_in("de", "Etwa 1000 Soldaten", 1000, "troops", TS_NUMBER_ABOUT, 5, 18);
    expect_one_in("de", "1.200.000 Menschen", 1200000, "people", TS_NUMBER_EXACT, 0, 18);
    expect_one_in("de", "1 200 Soldaten", 1200, "troops", TS_NUMBER_EXACT, 0, 14);
    expect_one_in("de", "3,5 Prozent", 3.5, "percent", TS_NUMBER_EXACT, 0, 11);
    expect_one_in("de", "1.234,5 Euro", 1234.5, "EUR", TS_NUMBER_EXACT, 0, 12);
    expect_one_in("de", "2,5 Mio Euro", 2.5e6, "EUR", TS_NUMBER_EXACT, 0, 12);
    expect_one_in("de", "1,5 Milliarden Dollar", 1.5e9, "USD", TS_NUMBER_EXACT, 0, 21);
    /* German "Billion" is 1e12, English "billion" 1e9 */
    expect_one_in("de", "3 Billionen", 3e12, "", TS_NUMBER_EXACT, 0, 11);
    expect_one_in("de", "3 Billion", 3e12, "", TS_NUMBER_EXACT, 0, 9);
    expect_one("3 billion", 3e9, "", TS_NUMBER_EXACT, 0, 9);
    /* "über" (5 bytes, a Latin-1 letter) and "ca." (an abbreviation) */
    expect_one_in("de", "über 200 Tote", 200, "deaths", TS_NUMBER_OVER, 6, 14);
    expect_one_in("de", "ca. 300 Menschen", 300, "people", TS_NUMBER_ABOUT, 4, 16);
    expect_one_in("de", "mehr als 1.000 Verletzte", 1000, "injuries", TS_NUMBER_OVER, 9, 24);
    expect_one_in("de", "bis zu 50 Kilometer", 50, "km", TS_NUMBER_UP_TO, 7, 19);
    expect_one_in("de", "knapp 5 Stunden", 5, "hour", TS_NUMBER_NEARLY, 6, 15);
    /* a point that does not group three digits is no German number */
    expect_none_in("de", "Version 1.5");
    expect_none_in("de", "am 12.03.2025");
    expect_none_in("de", "um 10.30 Uhr");
    /* a comma is German decimals, English thousands */
    expect_one_in("de", "1,200", 1.2, "", TS_NUMBER_EXACT, 0, 5);
    expect_one("1,200", 1200, "", TS_NUMBER_EXACT, 0, 5);
    /* one separator throughout: a space after point groups starts a number */
    ts_number_list l = extract_in("de", "1.200 300.000");
    assert_int_equal(l.count, 2);
    check_number("1.200 300.000", &l.items[0], 1200, "", TS_NUMBER_EXACT, 0, 5);
    check_number("1.200 300.000", &l.items[1], 300000, "", TS_NUMBER_EXACT, 6, 13);
    ts_number_list_free(&l);
    /* a range with "bis" shares the unit */
    l = extract_in("de", "20 bis 25 Prozent");
    assert_int_equal(l.count, 2);
    check_number("20 bis 25 Prozent", &l.items[0], 20, "percent", TS_NUMBER_EXACT, 0, 2);
    check_number("20 bis 25 Prozent", &l.items[1], 25, "percent", TS_NUMBER_EXACT, 7, 17);
    ts_number_list_free(&l);
    /* German words mean nothing in English statements */
    expect_one("Rund 1.200 Soldaten", 1.2, "", TS_NUMBER_EXACT, 5, 10);
}

static void french_numbers(void **state)
{
    (void)state;
    expect_one_in("fr", "1 200 soldats", 1200, "troops", TS_NUMBER_EXACT, 0, 13);
    /* no-break space (2 bytes) and narrow no-break space (3 bytes) */
    expect_one_in("fr", "1\xC2\xA0" "200 soldats", 1200, "troops", TS_NUMBER_EXACT, 0, 14);
    expect_one_in("fr", "1\xE2\x80\xAF" "200 soldats", 1200, "troops", TS_NUMBER_EXACT, 0, 15);
    expect_one_in("fr", "environ 3,5 pour cent", 3.5, "percent", TS_NUMBER_ABOUT, 8, 21);
    expect_one_in("fr", "plus de 2 millions", 2e6, "", TS_NUMBER_OVER, 8, 18);
    /* "jusqu'à": two words joined by an apostrophe; "à" is 2 bytes */
    expect_one_in("fr", "jusqu'\xC3\xA0 300 personnes", 300, "people", TS_NUMBER_UP_TO, 9, 22);
    expect_one_in("fr", "quelque 200 morts", 200, "deaths", TS_NUMBER_ABOUT, 8, 17);
    expect_one_in("fr", "3 milliards d'euros", 3e9, "", TS_NUMBER_EXACT, 0, 11);
    expect_one_in("fr", "5 ans", 5, "year", TS_NUMBER_EXACT, 0, 5);
    /* "20 à 25 %": a range */
    ts_number_list l = extract_in("fr", "de 20 \xC3\xA0 25 %");
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[0].unit, "percent");
    assert_string_equal(l.items[1].unit, "percent");
    ts_number_list_free(&l);
    /* English does not group with spaces: "1 200" is two numbers */
    l = extract("1 200 soldiers");
    assert_int_equal(l.count, 2);
    check_number("1 200 soldiers", &l.items[1], 200, "troops", TS_NUMBER_EXACT, 2, 14);
    ts_number_list_free(&l);
}

static void spanish_and_swiss_numbers(void **state)
{
    (void)state;
    expect_one_in("es", "unos 1.200 soldados", 1200, "troops", TS_NUMBER_ABOUT, 5, 19);
    /* "más" is 4 bytes */
    expect_one_in("es", "m\xC3\xA1s de 300 muertos", 300, "deaths", TS_NUMBER_OVER, 8, 19);
    expect_one_in("es", "3,5 por ciento", 3.5, "percent", TS_NUMBER_EXACT, 0, 14);
    /* two scales multiply: "mil millones" is 1e9 */
    expect_one_in("es", "5 mil millones", 5e9, "", TS_NUMBER_EXACT, 0, 14);
    expect_one_in("es", "2.000 millones", 2e9, "", TS_NUMBER_EXACT, 0, 14);
    expect_one_in("es", "alrededor de 40 a\xC3\xB1os", 40, "year", TS_NUMBER_ABOUT, 13, 21);
    expect_one_in("es", "hasta 20 horas", 20, "hour", TS_NUMBER_UP_TO, 6, 14);
    /* Swiss: an apostrophe groups, a point starts decimals */
    expect_one_in("de_CH", "1'200.50 Franken", 1200.5, "", TS_NUMBER_EXACT, 0, 8);
    expect_one_in("de_CH", "1\xE2\x80\x99" "200 Soldaten", 1200, "troops", TS_NUMBER_EXACT, 0,
                  16);
    expect_none_in("de_CH", "3,5");
}

static void discrepancies_across_languages(void **state)
{
    (void)state;
    ts_number_discrepancy d[8];
    /* 1.200 is 1200 in German: no discrepancy */
    assert_int_equal(compare_in("de", "Rund 1.200 Soldaten", "de", "1200 Soldaten", d), 0);
    /* the pair: approximately 1200 against 1000 troops */
    assert_int_equal(compare_in("de", "Rund 1.200 Soldaten", "de", "Etwa 1000 Soldaten", d), 1);
    assert_string_equal(d[0].unit, "troops");
    assert_true(d[0].value_a == 1200 && d[0].value_b == 1000);
    assert_int_equal(d[0].approximate, 1);
    /* French "1 200" is one number, not 1 and 200 */
    assert_int_equal(compare_in("fr", "1 200 soldats", "fr", "1200 soldats", d), 0);
    /* soldiers and troops name the same thing */
    assert_int_equal(compare_texts("about 1,200 soldiers", "some 1,000 troops", d), 1);
    assert_string_equal(d[0].unit, "troops");
    assert_int_equal(d[0].approximate, 1);
    assert_int_equal(compare_texts("1,200 soldiers", "1,200 troops", d), 0);
    /* statements in two languages compare by unit */
    assert_int_equal(compare_in("de", "1.200 Soldaten", "en", "1,200 troops", d), 0);
    assert_int_equal(compare_in("es", "3,5 por ciento", "fr", "3,6 pour cent", d), 1);
    assert_string_equal(d[0].unit, "percent");
}

/* -------------------------------------------------------------------- fuzz */

static uint64_t rng_next(uint64_t *s)
{
    /* splitmix64: deterministic, independent of the C library */
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static const char *const fragments[] = {
    "1",        "19",     "2025",     "1,200",   ",",       ".",       "5.",     ".5",
    "-",        "\xE2\x88\x92", "%",  "$",       "US",      "\xE2\x82\xAC", "\xC2\xA3",
    " ",        "  ",     "\t",       "\n",      "percent", "per",     "cent",   "pc",
    "over",     "more",   "than",     "at",      "least",   "up",      "to",     "a",
    "dozen",    "hundred", "million", "and",     "twenty",  "one",     "five",   "hour",
    "year",     "old",    "March",    "May",     "of",      "5th",     "st",     ":",
    "30",       "pm",     "p.m.",     "bn",      "k",       "m",       "km",     "people",
    "COVID",    "G",      "/",        "\xC2\xB0", "C",      "\xC2\xA0", "\xE2\x80\x93",
    "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "\xFF",  "\xC3",    "\x80",    "\xED\xA0\x80",
    "999999999999999999999", "0.000000000000000000000000000001", "e",  "\0",
    "1.200",    "3,5",    "'",        "\xE2\x80\x99", "\xE2\x80\xAF", "rund", "Prozent",
    "\xC3\xBC" "ber", "ca.", "bis", "zu", "Mio", "mil", "millones", "jusqu", "\xC3\xA0",
    "pour",     "por",    "ciento",   "Soldaten",
};

static void check_invariants(const char *text, size_t len, const ts_number_list *list)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < list->count; i++) {
        const ts_number *n = &list->items[i];
        if (!(n->qualifier_begin <= n->begin && n->begin < n->end && n->end <= len))
            fail_msg("bad span [%zu, %zu) (qualifier %zu) in %zu bytes", n->begin, n->end,
                     n->qualifier_begin, len);
        if (n->qualifier_begin < prev_end)
            fail_msg("numbers overlap at %zu", n->begin);
        if (!isfinite(n->value) || !n->unit)
            fail_msg("bad value or unit");
        if ((unsigned)n->qualifier > TS_NUMBER_UP_TO)
            fail_msg("bad qualifier");
        prev_end = n->end;
    }
    (void)text;
}

static void fuzz_random_strings(void **state)
{
    (void)state;
    uint64_t seed = 20250101;
    char buf[512];
    ts_number_list list, other;
    ts_number_list_init(&list);
    ts_number_list_init(&other);
    size_t total = 0;
    for (int iter = 0; iter < 10000; iter++) {
        size_t len = 0;
        int pieces = (int)(rng_next(&seed) % 40);
        if (iter % 4 == 0) {
            /* uniformly random bytes */
            len = (size_t)(rng_next(&seed) % sizeof buf);
            for (size_t i = 0; i < len; i++)
                buf[i] = (char)rng_next(&seed);
            pieces = 0;
        } else if (iter % 4 == 1) {
            /* random valid UTF-8: code points from every length class */
            pieces = 0;
            while (len + 4 <= sizeof buf && rng_next(&seed) % 64 != 0) {
                uint64_t r = rng_next(&seed);
                uint32_t cp;
                switch (r % 4) {
                case 0: cp = (uint32_t)(0x20 + (r >> 8) % 0x5F); break;
                case 1: cp = (uint32_t)(0x80 + (r >> 8) % 0x780); break;
                case 2: cp = (uint32_t)(0x800 + (r >> 8) % 0xF800); break;
                default: cp = (uint32_t)(0x10000 + (r >> 8) % 0x100000); break;
                }
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    cp = '7';
                if (cp < 0x80) {
                    buf[len++] = (char)cp;
                } else if (cp < 0x800) {
                    buf[len++] = (char)(0xC0 | (cp >> 6));
                    buf[len++] = (char)(0x80 | (cp & 0x3F));
                } else if (cp < 0x10000) {
                    buf[len++] = (char)(0xE0 | (cp >> 12));
                    buf[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    buf[len++] = (char)(0xF0 | (cp >> 18));
                    buf[len++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                    buf[len++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    buf[len++] = (char)(0x80 | (cp & 0x3F));
                }
            }
        }
        /* otherwise number-like fragments glued together */
        for (int p = 0; p < pieces; p++) {
            uint64_t r = rng_next(&seed);
            if (r % 8 == 0) { /* a random byte */
                if (len < sizeof buf)
                    buf[len++] = (char)(r >> 8);
                continue;
            }
            size_t f = (size_t)(r >> 8) % (sizeof fragments / sizeof fragments[0]);
            size_t flen = fragments[f][0] ? strlen(fragments[f]) : 1; /* "\0": one NUL */
            if (len + flen > sizeof buf)
                break;
            memcpy(buf + len, fragments[f], flen);
            len += flen;
        }
        /* exact-length heap copy so that ASan sees any read past the end */
        char *text = malloc(len ? len : 1);
        assert_non_null(text);
        memcpy(text, buf, len);
        /* each locale in turn: English, the decimal comma with each word
         * table, Swiss apostrophes */
        static const char *const locales[] = {"en", "de", "fr", "es", "de_CH"};
        ts_num_locale loc = ts_num_locale_of(locales[iter % 5]);
        assert_int_equal(ts_numbers_extract(text, len, &loc, &list, NULL), TS_OK);
        check_invariants(text, len, &list);
        total += list.count;
        /* the comparison must hold up on anything */
        ts_number_discrepancy d[4];
        size_t nd = ts_numbers_discrepancies(list.items, list.count, other.items, other.count,
                                             d, 4);
        assert_true(nd <= list.count);
        ts_number_list tmp = other;
        other = list;
        list = tmp;
        free(text);
    }
    print_message("[ info ] %zu numbers in 10,000 random strings\n", total);
    assert_true(total > 1000); /* the fragments do make numbers */
    ts_number_list_free(&list);
    ts_number_list_free(&other);
}

static void long_input_is_linear(void **state)
{
    (void)state;
    /* 4 MiB of number-dense text; the scanner must get through it quickly */
    const char unit[] = "Over 1,200 people, $3.5 billion, twenty-one hours, 19% in 2025; ";
    size_t ulen = sizeof unit - 1, reps = (4u << 20) / ulen, len = reps * ulen;
    char *text = malloc(len);
    assert_non_null(text);
    for (size_t r = 0; r < reps; r++)
        memcpy(text + r * ulen, unit, ulen);
    ts_number_list list;
    ts_number_list_init(&list);
    clock_t t0 = clock();
    assert_int_equal(ts_numbers_extract(text, len, NULL, &list, NULL), TS_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(list.count, 5 * reps);
    assert_true(list.items[3].value == 19);
    assert_true(list.items[5 * reps - 1].value == 2025);
    print_message("[ info ] %zu bytes, %zu numbers in %.3f s\n", len, list.count, secs);
    /* one long run of one character class must not be quadratic either */
    memset(text, '9', len);
    assert_int_equal(ts_numbers_extract(text, len, NULL, &list, NULL), TS_OK);
    assert_int_equal(list.count, 0); /* too many digits to be a quantity */
    memset(text, ' ', len);
    assert_int_equal(ts_numbers_extract(text, len, NULL, &list, NULL), TS_OK);
    assert_int_equal(list.count, 0);
    for (size_t i = 0; i < len; i++)
        text[i] = (char)(i % 2 ? ',' : '1');
    assert_int_equal(ts_numbers_extract(text, len, NULL, &list, NULL), TS_OK);
    ts_number_list_free(&list);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percent_forms_agree),
        cmocka_unit_test(qualifiers_are_recorded_value_kept),
        cmocka_unit_test(brief_examples),
        cmocka_unit_test(digits_and_signs),
        cmocka_unit_test(names_are_not_numbers),
        cmocka_unit_test(number_words),
        cmocka_unit_test(scales_and_currencies),
        cmocka_unit_test(other_units),
        cmocka_unit_test(years_dates_times_ordinals),
        cmocka_unit_test(ranges_share_units),
        cmocka_unit_test(sentence_with_several),
        cmocka_unit_test(extract_errors_and_reuse),
        cmocka_unit_test(discrepancy_rule),
        cmocka_unit_test(unitless_rule),
        cmocka_unit_test(locales_map_to_conventions),
        cmocka_unit_test(german_numbers),
        cmocka_unit_test(french_numbers),
        cmocka_unit_test(spanish_and_swiss_numbers),
        cmocka_unit_test(discrepancies_across_languages),
        cmocka_unit_test(fuzz_random_strings),
        cmocka_unit_test(long_input_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
