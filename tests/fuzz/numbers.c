/*
 * numbers.c - fuzz target: number extraction and the discrepancy rule
 * (host/align/numbers.h).
 *
 * The input is cut in two at its first TAB (at its middle when it has none)
 * and each half, raw bytes (the extractor accepts any), is copied to a buffer
 * of exactly its size and scanned in each locale convention (English, the
 * decimal comma with German, French and Spanish words, Swiss).  Checked:
 *   - extraction succeeds and is deterministic;
 *   - numbers are in text order: qualifier_begin <= begin < end <= length,
 *     a number (its qualifier included) starts at or after the end of the one
 *     before; qualifier_begin == begin exactly when there is no qualifier;
 *     values are finite; units are short names of letters and '-';
 *   - ts_numbers_discrepancies agrees with a naive implementation of the
 *     rule in numbers.h (keys in order of first occurrence in A, first
 *     indices, values, approximate flag), is symmetric in its keys, finds
 *     nothing between a statement and itself, and never more than
 *     min(na, nb) (the documented sufficient capacity).
 */
#include <math.h>

#include "align/numbers.h"
#include "fuzz_common.h"

static void check_list(const ts_number_list *l, size_t length)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < l->count; i++) {
        const ts_number *x = &l->items[i];
        FUZZ_CHECK(x->qualifier_begin <= x->begin && x->begin < x->end && x->end <= length,
                   "number %zu spans %zu/%zu..%zu in %zu bytes", i, x->qualifier_begin,
                   x->begin, x->end, length);
        FUZZ_CHECK(x->qualifier_begin >= prev_end, "number %zu (at %zu) overlaps the one "
                   "before (end %zu)", i, x->qualifier_begin, prev_end);
        FUZZ_CHECK((x->qualifier == TS_NUMBER_EXACT) == (x->qualifier_begin == x->begin),
                   "number %zu: qualifier %d but qualifier_begin %zu, begin %zu", i,
                   (int)x->qualifier, x->qualifier_begin, x->begin);
        FUZZ_CHECK((unsigned)x->qualifier <= TS_NUMBER_UP_TO, "number %zu: qualifier %d", i,
                   (int)x->qualifier);
        FUZZ_CHECK(isfinite(x->value), "number %zu is not finite", i);
        FUZZ_CHECK(x->unit != NULL && strlen(x->unit) < 32, "number %zu: bad unit", i);
        for (const char *u = x->unit; *u; u++)
            FUZZ_CHECK((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') || *u == '-',
                       "number %zu: unit \"%s\"", i, x->unit);
        prev_end = x->end;
    }
}

static ts_number_list extract(const uint8_t *data, size_t n, const ts_num_locale *loc)
{
    /* An exact-size copy, so that a read past the half is a sanitizer report. */
    char *copy = malloc(n ? n : 1);
    FUZZ_CHECK(copy != NULL, "out of memory");
    if (n)
        memcpy(copy, data, n);
    ts_number_list l, again;
    ts_number_list_init(&l);
    ts_number_list_init(&again);
    ts_diag d;
    ts_status st = ts_numbers_extract(copy, n, loc, &l, &d);
    FUZZ_CHECK(st == TS_OK, "ts_numbers_extract: %s", d.message);
    check_list(&l, n);
    st = ts_numbers_extract(copy, n, loc, &again, &d);
    FUZZ_CHECK(st == TS_OK && again.count == l.count, "a second extraction differs");
    for (size_t i = 0; i < l.count; i++) {
        const ts_number *x = &l.items[i], *y = &again.items[i];
        FUZZ_CHECK(x->begin == y->begin && x->end == y->end &&
                       x->qualifier_begin == y->qualifier_begin && x->qualifier == y->qualifier &&
                       strcmp(x->unit, y->unit) == 0 &&
                       memcmp(&x->value, &y->value, sizeof x->value) == 0,
                   "a second extraction differs at number %zu", i);
    }
    ts_number_list_free(&again);
    free(copy);
    return l;
}

/* ------------------------------------------------- the rule, written naively */

static int equal_values(double x, double y)
{
    double m = fabs(x) > fabs(y) ? fabs(x) : fabs(y);
    return fabs(x - y) <= 1e-9 * m;
}

static int key_is(const ts_number *x, const char *key) { return strcmp(x->unit, key) == 0; }

static size_t naive_discrepancies(const ts_number *a, size_t na, const ts_number *b, size_t nb,
                                  ts_number_discrepancy *out)
{
    size_t found = 0;
    for (size_t i = 0; i < na; i++) {
        const char *key = a[i].unit;
        int seen = 0;
        for (size_t p = 0; p < i; p++)
            seen |= key_is(&a[p], key);
        size_t j = 0;
        while (j < nb && !key_is(&b[j], key))
            j++;
        if (seen || j == nb)
            continue;
        int common = 0, approximate = 0;
        for (size_t x = 0; x < na; x++) {
            if (!key_is(&a[x], key))
                continue;
            approximate |= a[x].qualifier != TS_NUMBER_EXACT;
            for (size_t y = 0; y < nb; y++)
                /* with a unit: same key; without: a bare number may be any of B's */
                if ((key[0] == '\0' || key_is(&b[y], key)) && equal_values(a[x].value, b[y].value))
                    common = 1;
        }
        for (size_t y = 0; y < nb; y++) {
            if (!key_is(&b[y], key))
                continue;
            approximate |= b[y].qualifier != TS_NUMBER_EXACT;
            if (key[0] == '\0')
                for (size_t x = 0; x < na; x++)
                    if (equal_values(a[x].value, b[y].value))
                        common = 1;
        }
        if (common)
            continue;
        ts_number_discrepancy d = {key, i, j, a[i].value, b[j].value, approximate};
        out[found++] = d;
    }
    return found;
}

static void check_discrepancies(const ts_number_list *a, const ts_number_list *b)
{
    size_t cap = (a->count < b->count ? a->count : b->count);
    ts_number_discrepancy *got = malloc((cap + 1) * sizeof *got);
    ts_number_discrepancy *want = malloc((a->count + 1) * sizeof *want);
    FUZZ_CHECK(got && want, "out of memory");
    size_t n = ts_numbers_discrepancies(a->items, a->count, b->items, b->count, got, cap);
    size_t m = naive_discrepancies(a->items, a->count, b->items, b->count, want);
    FUZZ_CHECK(n <= cap, "%zu discrepancies between lists of %zu and %zu numbers", n,
               a->count, b->count);
    FUZZ_CHECK(n == m, "%zu discrepancies, the naive rule finds %zu", n, m);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(strcmp(got[i].unit, want[i].unit) == 0 && got[i].a == want[i].a &&
                       got[i].b == want[i].b && got[i].value_a == want[i].value_a &&
                       got[i].value_b == want[i].value_b &&
                       got[i].approximate == want[i].approximate,
                   "discrepancy %zu (\"%s\" %zu/%zu approx %d) differs from the naive rule's "
                   "(\"%s\" %zu/%zu approx %d)",
                   i, got[i].unit, got[i].a, got[i].b, got[i].approximate, want[i].unit,
                   want[i].a, want[i].b, want[i].approximate);
    FUZZ_CHECK(ts_numbers_discrepancies(a->items, a->count, b->items, b->count, NULL, 0) == n,
               "the count depends on the capacity");

    /* Symmetry: the same keys, whichever side is A. */
    ts_number_discrepancy *back = malloc((b->count + 1) * sizeof *back);
    FUZZ_CHECK(back != NULL, "out of memory");
    size_t r = ts_numbers_discrepancies(b->items, b->count, a->items, a->count, back, b->count);
    FUZZ_CHECK(r == n, "%zu discrepancies one way, %zu the other", n, r);
    for (size_t i = 0; i < r; i++) {
        int found = 0;
        for (size_t k = 0; k < n && !found; k++)
            found = strcmp(back[i].unit, got[k].unit) == 0;
        FUZZ_CHECK(found, "key \"%s\" differs only one way", back[i].unit);
    }
    free(back);
    free(got);
    free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *tab = memchr(data, '\t', size);
    size_t cut = tab ? (size_t)(tab - data) : size / 2;
    size_t rest = tab ? cut + 1 : cut;
    static const char *const locales[] = {"en", "de", "fr", "es", "de_CH"};
    for (size_t l = 0; l < sizeof locales / sizeof locales[0]; l++) {
        ts_num_locale loc = ts_num_locale_of(locales[l]);
        ts_number_list a = extract(data, cut, &loc), b = extract(data + rest, size - rest, &loc);

        check_discrepancies(&a, &b);
        FUZZ_CHECK(ts_numbers_discrepancies(a.items, a.count, a.items, a.count, NULL, 0) == 0,
                   "a statement disagrees with itself");
        FUZZ_CHECK(ts_numbers_discrepancies(b.items, b.count, b.items, b.count, NULL, 0) == 0,
                   "a statement disagrees with itself");

        ts_number_list_free(&a);
        ts_number_list_free(&b);
    }
    return 0;
}
