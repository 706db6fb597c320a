/*
 * numbers.c - extracting and comparing the numbers statements state
 * (numbers.h).
 *
 * ts_numbers_extract walks the tokens of a statement once (numbers_lex.c,
 * a fixed ring, so memory does not grow with the text); at each token
 * numbers_parse.c reads the number expression that starts there, if any,
 * and the walk resumes after what it consumed; two numbers separated by a
 * range dash or "to" share their unit and scale.  ts_num_locale_of maps a
 * locale to the conventions the lexer and the tables follow.  The words it knows are
 * numbers_tables.c's.  Hand-written, not a regex engine: see numbers.h for
 * why.  All tables are constant; nothing is global and mutable.
 * ts_numbers_discrepancies compares two statements' numbers unit by unit.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "numbers.h"
#include "numbers_lex.h"
#include "numbers_parse.h"

/* -------------------------------------------------------------------- API */

void ts_number_list_init(ts_number_list *list)
{
    if (!list)
        return;
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

void ts_number_list_free(ts_number_list *list)
{
    if (!list)
        return;
    free(list->items);
    ts_number_list_init(list);
}

static ts_status list_push(ts_number_list *list, const ts_number *n, ts_diag *diag)
{
    if (!TS_GROW(list->items, list->capacity, list->count + 1))
        return TS_FAIL(diag, TS_ERR_NOMEM,
                       "out of memory while collecting the numbers of a statement");
    list->items[list->count++] = *n;
    return TS_OK;
}

/* Languages that write a decimal comma (CLDR's conventions); they group
 * thousands with a point or a space. */
static const char *const decimal_comma_languages[] = {
    "az", "be", "bg", "bs", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fr",
    "gl", "hr", "hu", "hy", "id", "is", "it", "ka", "kk", "lt", "lv", "mk", "nb", "nl",
    "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk", "vi"};

static int is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void ts_num_locale_language(const char *locale, char lang[4])
{
    size_t n = 0;
    while (locale && n < 3 && is_ascii_letter(locale[n])) {
        lang[n] = (char)(locale[n] | 0x20);
        n++;
    }
    if (n < 2 || is_ascii_letter(locale[n]))
        n = 0; /* no code of two or three letters */
    lang[n] = '\0';
}

ts_num_locale ts_num_locale_of(const char *locale)
{
    ts_num_locale loc = {TS_NUM_WORDS_EN, 0, 0};
    char lang[4], region[3] = "";
    ts_num_locale_language(locale, lang);
    size_t n = strlen(lang);
    if (n == 0)
        return loc; /* no language code of two or three letters */
    if ((locale[n] == '_' || locale[n] == '-') && locale[n + 1] && locale[n + 2]) {
        region[0] = (char)(locale[n + 1] | 0x20);
        region[1] = (char)(locale[n + 2] | 0x20);
    }
    for (size_t i = 0; i < sizeof decimal_comma_languages / sizeof decimal_comma_languages[0];
         i++)
        if (strcmp(lang, decimal_comma_languages[i]) == 0)
            loc.decimal_comma = 1;
    loc.words = strcmp(lang, "de") == 0   ? TS_NUM_WORDS_DE
                : strcmp(lang, "fr") == 0 ? TS_NUM_WORDS_FR
                : strcmp(lang, "es") == 0 ? TS_NUM_WORDS_ES
                                          : TS_NUM_WORDS_EN;
    if ((strcmp(region, "ch") == 0 || strcmp(region, "li") == 0) &&
        (strcmp(lang, "de") == 0 || strcmp(lang, "fr") == 0 || strcmp(lang, "it") == 0)) {
        loc.decimal_comma = 0; /* Swiss: "1'200.50" */
        loc.apostrophe_groups = 1;
    }
    return loc;
}

ts_status ts_numbers_extract(const char *text, size_t length, const ts_num_locale *locale,
                             ts_number_list *list, ts_diag *diag)
{
    if (!list)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_numbers_extract: the output list is NULL");
    list->count = 0;
    if (!text && length)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_numbers_extract: text is NULL but length is %zu",
                       length);
    if (length == 0)
        return TS_OK;
    ts_num_scan *sc = malloc(sizeof *sc);
    if (!sc)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory scanning a statement");
    ts_num_scan_init(sc, text, length, locale);

    ts_status st = TS_OK;
    ts_num_found last = {0, 0, 0};
    size_t k = 0;
    while (ts_num_tok_at(sc, k) && st == TS_OK) {
        ts_number num;
        ts_num_found f;
        size_t next;
        int got = ts_num_parse(sc, k, last.end_tok, &num, &f, &next);
        if (next <= k) { /* cannot happen; guarantees progress all the same */
            st = TS_FAIL(diag, TS_ERR_INTERNAL, "the number scanner stalled at byte %zu",
                         ts_num_tok_at(sc, k)->begin);
            break;
        }
        if (got) {
            if (list->count > 0 && num.qualifier == TS_NUMBER_EXACT &&
                f.first_tok - last.end_tok <= 3 && ts_num_range_between(sc, last.end_tok, f.first_tok))
                ts_num_share_range(&list->items[list->count - 1], &last, &num, &f);
            st = list_push(list, &num, diag);
            last = f;
        }
        k = next;
    }
    free(sc);
    if (st != TS_OK)
        list->count = 0;
    return st;
}

ts_status ts_numbers_of_statement(const ts_corpus *corpus, size_t i, ts_number_list *list,
                                  ts_diag *diag)
{
    ts_statement st = ts_corpus_statement(corpus, i);
    ts_num_locale loc = ts_num_locale_of(ts_corpus_source_locale(corpus, st.source));
    return ts_numbers_extract(st.text, st.length, &loc, list, diag);
}

const char *ts_number_qualifier_name(ts_number_qualifier qualifier)
{
    switch (qualifier) {
    case TS_NUMBER_ABOUT:
        return "about";
    case TS_NUMBER_OVER:
        return "over";
    case TS_NUMBER_UNDER:
        return "under";
    case TS_NUMBER_NEARLY:
        return "nearly";
    case TS_NUMBER_AT_LEAST:
        return "at least";
    case TS_NUMBER_UP_TO:
        return "up to";
    default:
        return "";
    }
}

/* --------------------------------------------------------------- comparing */

static const char *unit_of(const ts_number *n) { return n->unit ? n->unit : ""; }

static int same_unit(const ts_number *x, const ts_number *y)
{
    return strcmp(unit_of(x), unit_of(y)) == 0;
}

static int same_value(double x, double y)
{
    double m = fmax(fabs(x), fabs(y));
    return fabs(x - y) <= 1e-9 * m;
}

/* Some number of `list` with unit `unit` (or any unit when unit is NULL)
 * has value v. */
static int has_value(const ts_number *list, size_t n, const char *unit, double v)
{
    for (size_t i = 0; i < n; i++)
        if ((!unit || strcmp(unit_of(&list[i]), unit) == 0) && same_value(list[i].value, v))
            return 1;
    return 0;
}

size_t ts_numbers_discrepancies(const ts_number *a, size_t na, const ts_number *b,
                                size_t nb, ts_number_discrepancy *out, size_t capacity)
{
    size_t found_count = 0;
    if (!a || !b)
        return 0;
    for (size_t i = 0; i < na; i++) {
        const char *key = unit_of(&a[i]);
        size_t earlier = 0;
        while (earlier < i && !same_unit(&a[earlier], &a[i]))
            earlier++;
        if (earlier < i)
            continue; /* key already examined */
        size_t j = 0;
        while (j < nb && !same_unit(&b[j], &a[i]))
            j++;
        if (j == nb)
            continue; /* key on one side only */
        int agree = 0, approximate = 0;
        for (size_t x = i; x < na && !agree; x++)
            if (same_unit(&a[x], &a[i]))
                agree = has_value(b, nb, key[0] ? key : NULL, a[x].value);
        if (!key[0])
            for (size_t y = j; y < nb && !agree; y++)
                if (same_unit(&b[y], &a[i]))
                    agree = has_value(a, na, NULL, b[y].value);
        if (agree)
            continue;
        for (size_t x = i; x < na; x++)
            if (same_unit(&a[x], &a[i]) && a[x].qualifier != TS_NUMBER_EXACT)
                approximate = 1;
        for (size_t y = j; y < nb; y++)
            if (same_unit(&b[y], &a[i]) && b[y].qualifier != TS_NUMBER_EXACT)
                approximate = 1;
        if (found_count < capacity && out) {
            ts_number_discrepancy *d = &out[found_count];
            d->unit = key;
            d->a = i;
            d->b = j;
            d->value_a = a[i].value;
            d->value_b = b[j].value;
            d->approximate = approximate;
        }
        found_count++;
    }
    return found_count;
}
