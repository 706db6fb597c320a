/*
 * segment.c - splitting text into statements.
 *
 * Sentence mode runs one ICU sentence break iterator per segmenter over the
 * UTF-8 text directly (utext_openUTF8), so boundaries come back as UTF-8 byte
 * offsets and nothing is converted to UTF-16.  Line mode splits at LF, CR LF
 * and CR with a plain byte scan.  Either way each span is trimmed of Unicode
 * white space (u_isUWhiteSpace, plus U+FEFF) and empty spans are dropped.
 *
 * Abbreviations.  Every locale (the default is "en@ss=standard"; "fr" as
 * "fr@ss=standard"; "@ss=none" turns them off) gets ICU's sentence-break
 * suppressions: the locale's
 * list of abbreviations after which a sentence does not end ("Mr.", "U.S.",
 * "Prof.", ...; 151 entries for English in ICU 72).  ICU's own filter
 * (FilteredBreakIteratorBuilder, which the keyword turns on in ubrk_open)
 * matches that list badly in ICU 72: it matches word suffixes, so "pp."
 * suppresses the break in "One app. One membership.", and it never suppresses
 * "U.S." because "U.S.A." is on the list too, so "Kushner, U.S. President
 * Trump's son-in-law" is split.  It is also C++ only.  So this file reads the
 * same list from ICU's data (ures_*, the "brkitr" tree, exceptions/
 * SentenceBreak), opens the plain iterator (the locale without ss), and drops
 * an ICU boundary when the text before it, past its trailing white space,
 * ends with a listed abbreviation that is a whole token (not preceded by a
 * letter, digit, '.', '-' or apostrophe) and no line end lies in that white
 * space.  The check looks
 * back only over that white space (since the previous boundary) and at most
 * the longest abbreviation, with one binary search per abbreviation length,
 * so segmentation stays linear.
 *
 * ICU indexes text with int32_t, so texts longer than INT32_MAX bytes are
 * refused (in both modes, so that the limit does not depend on the mode).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/udata.h>
#include <unicode/uloc.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "base/diag.h"
#include "base/utf8.h"
#include "segment.h"

#define TS_DEFAULT_SENTENCE_LOCALE "en@ss=standard"
#define TS_BRKITR_DATA U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr"
#define ABBREVIATION_MAX 64 /* longer list entries (none in ICU 72) are ignored */

typedef struct abbreviation {
    const char *text; /* UTF-8, in seg->pool */
    size_t length;
} abbreviation;

struct ts_segmenter {
    ts_segment_mode mode;
    UBreakIterator *breaker; /* sentence mode only */
    abbreviation *abbrevs;   /* sorted by length, then bytes */
    size_t n_abbrevs;
    char *pool;
    size_t lengths[ABBREVIATION_MAX + 1]; /* distinct lengths, ascending */
    size_t n_lengths;
};

static int compare_abbreviations(const void *a, const void *b)
{
    const abbreviation *x = a, *y = b;
    if (x->length != y->length)
        return x->length < y->length ? -1 : 1;
    return memcmp(x->text, y->text, x->length);
}

/* ------------------------------------------------------ locale handling */

/* Suppressions unless the locale turns them off: "fr" gets French's list
 * as "fr@ss=standard" does; "fr@ss=none" gets none. */
static int asks_for_suppressions(const char *locale)
{
    char value[32];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = uloc_getKeywordValue(locale, "ss", value, (int32_t)sizeof value, &err);
    if (U_FAILURE(err) || n <= 0 || n >= (int32_t)sizeof value)
        return 1;
    return strcmp(value, "none") != 0;
}

/* A locale whose language (and region, when given) ICU knows. */
static ts_status check_locale(const char *locale, ts_diag *diag)
{
    char lang[ULOC_LANG_CAPACITY] = "", region[ULOC_COUNTRY_CAPACITY] = "";
    UErrorCode err = U_ZERO_ERROR;
    uloc_getLanguage(locale, lang, (int32_t)sizeof lang, &err);
    uloc_getCountry(locale, region, (int32_t)sizeof region, &err);
    const char *what = U_FAILURE(err) || !lang[0]           ? "it names no language"
                       : !uloc_getISO3Language(locale)[0]    ? "ICU knows no such language"
                       : region[0] && !uloc_getISO3Country(locale)[0] ? "ICU knows no such region"
                                                             : NULL;
    if (what)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "unknown locale \"%s\" (%s); give a locale such as en, fr, de_CH or "
                       "pt_BR, optionally with @ss=none to turn off its abbreviation list",
                       locale, what);
    return TS_OK;
}

/* Copy ICU's exceptions/SentenceBreak list for the locale (base name) into
 * seg.  A locale without a list simply gets none. */
static ts_status load_abbreviations(ts_segmenter *seg, const char *base, ts_diag *diag)
{
    UErrorCode err = U_ZERO_ERROR;
    UResourceBundle *bundle = ures_open(TS_BRKITR_DATA, base, &err);
    UResourceBundle *exceptions = ures_getByKey(bundle, "exceptions", NULL, &err);
    UResourceBundle *list = ures_getByKey(exceptions, "SentenceBreak", NULL, &err);
    ts_status st = TS_OK;
    if (err == U_MISSING_RESOURCE_ERROR)
        goto done;
    if (U_FAILURE(err)) {
        st = TS_FAIL(diag, TS_ERR_UNICODE,
                     "cannot read ICU's sentence-break exceptions for \"%s\": %s; check the "
                     "ICU data or use a locale without @ss=standard",
                     base, u_errorName(err));
        goto done;
    }
    int32_t n = ures_getSize(list);
    size_t pool_size = 0;
    for (int pass = 0; pass < 2 && st == TS_OK; pass++) {
        if (pass == 1) {
            seg->pool = malloc(pool_size ? pool_size : 1);
            seg->abbrevs = malloc((size_t)(n > 0 ? n : 1) * sizeof *seg->abbrevs);
            if (!seg->pool || !seg->abbrevs) {
                st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory loading abbreviations");
                break;
            }
        }
        size_t used = 0;
        for (int32_t i = 0; i < n; i++) {
            int32_t ulen = 0, len = 0;
            const UChar *u = ures_getStringByIndex(list, i, &ulen, &err);
            if (U_SUCCESS(err))
                u_strToUTF8(NULL, 0, &len, u, ulen, &err);
            if (err == U_BUFFER_OVERFLOW_ERROR || err == U_STRING_NOT_TERMINATED_WARNING)
                err = U_ZERO_ERROR;
            if (U_FAILURE(err)) {
                st = TS_FAIL(diag, TS_ERR_UNICODE, "cannot read ICU's abbreviation %d for "
                             "\"%s\": %s", (int)i, base, u_errorName(err));
                break;
            }
            if (len <= 0 || len > ABBREVIATION_MAX)
                continue;
            if (pass == 1) {
                u_strToUTF8(seg->pool + used, len, NULL, u, ulen, &err);
                err = U_ZERO_ERROR; /* exactly len bytes: "not terminated" is expected */
                seg->abbrevs[seg->n_abbrevs].text = seg->pool + used;
                seg->abbrevs[seg->n_abbrevs].length = (size_t)len;
                seg->n_abbrevs++;
            }
            used += (size_t)len;
        }
        pool_size = used;
    }
    if (st == TS_OK && seg->n_abbrevs > 0) {
        qsort(seg->abbrevs, seg->n_abbrevs, sizeof *seg->abbrevs, compare_abbreviations);
        for (size_t i = 0; i < seg->n_abbrevs; i++)
            if (seg->n_lengths == 0 || seg->lengths[seg->n_lengths - 1] != seg->abbrevs[i].length)
                seg->lengths[seg->n_lengths++] = seg->abbrevs[i].length;
    }
done:
    ures_close(list);
    ures_close(exceptions);
    ures_close(bundle);
    return st;
}

static ts_status open_sentence_breaker(ts_segmenter *seg, const char *locale, ts_diag *diag)
{
    char base[ULOC_FULLNAME_CAPACITY];
    const char *use = locale;
    ts_status known = check_locale(locale, diag);
    if (known != TS_OK)
        return known;
    if (asks_for_suppressions(locale)) {
        UErrorCode err = U_ZERO_ERROR;
        int32_t n = uloc_getBaseName(locale, base, (int32_t)sizeof base, &err);
        if (U_FAILURE(err) || n >= (int32_t)sizeof base)
            return TS_FAIL(diag, TS_ERR_ARG, "invalid locale \"%s\"; use e.g. \"en@ss=standard\"",
                           locale);
        ts_status st = load_abbreviations(seg, base, diag);
        if (st != TS_OK)
            return st;
        use = base; /* the plain iterator: suppressions are applied here */
    }
    UErrorCode err = U_ZERO_ERROR;
    seg->breaker = ubrk_open(UBRK_SENTENCE, use, NULL, 0, &err);
    if (U_FAILURE(err) || !seg->breaker)
        return TS_FAIL(diag, TS_ERR_UNICODE,
                       "cannot create an ICU sentence break iterator for locale \"%s\": %s; "
                       "check the locale (e.g. \"en@ss=standard\") and the ICU data",
                       locale, u_errorName(err));
    return TS_OK;
}

ts_status ts_segmenter_create(ts_segmenter **out, ts_segment_mode mode, const char *locale,
                              ts_diag *diag)
{
    if (!out)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_segmenter_create: out is NULL");
    *out = NULL;
    if (mode != TS_SEGMENT_SENTENCE && mode != TS_SEGMENT_LINE)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "unknown segmentation mode %d; use sentence or line", (int)mode);
    ts_segmenter *seg = calloc(1, sizeof *seg);
    if (!seg)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory creating a segmenter");
    seg->mode = mode;
    if (mode == TS_SEGMENT_SENTENCE) {
        ts_status st = open_sentence_breaker(seg, locale ? locale : TS_DEFAULT_SENTENCE_LOCALE,
                                             diag);
        if (st != TS_OK) {
            ts_segmenter_free(seg);
            return st;
        }
    }
    *out = seg;
    return TS_OK;
}

void ts_segmenter_free(ts_segmenter *seg)
{
    if (!seg)
        return;
    ubrk_close(seg->breaker);
    free(seg->abbrevs);
    free(seg->pool);
    free(seg);
}

/* A span trimmed of white space (ts_utf8_trim), unless nothing is left. */

static ts_status emit(const char *text, int32_t start, int32_t end, ts_span_fn fn, void *user)
{
    size_t a = (size_t)start, b = (size_t)end;
    ts_utf8_trim(text, &a, &b);
    if (b <= a)
        return TS_OK;
    return fn(user, a, b - a);
}

/* ---------------------------------------------------------- suppression */

static int is_line_end(UChar32 c)
{
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 ||
           c == 0x2029;
}

/* Characters that make one token of what surrounds them. */
static int joins_token(UChar32 c)
{
    return c < 0 || u_isalnum(c) || c == '.' || c == '-' || c == '_' || c == '\'' ||
           c == 0x2019;
}

static int is_listed(const ts_segmenter *seg, const char *s, size_t length)
{
    abbreviation key = {s, length};
    return bsearch(&key, seg->abbrevs, seg->n_abbrevs, sizeof *seg->abbrevs,
                   compare_abbreviations) != NULL;
}

/* Whether the ICU boundary at `at` follows a listed abbreviation.  `floor`
 * is the previous boundary: the white space looked through lies after it. */
static int follows_abbreviation(const ts_segmenter *seg, const char *text, int32_t floor,
                                int32_t at)
{
    const uint8_t *s = (const uint8_t *)text;
    int32_t j = at;
    while (j > floor) { /* the white space ICU keeps before its boundary */
        int32_t prev = j;
        UChar32 c;
        U8_PREV(s, floor, prev, c);
        if (is_line_end(c))
            return 0;
        if (!ts_utf8_is_trimmable((uint32_t)c))
            break;
        j = prev;
    }
    if (j == floor)
        return 0;
    for (size_t k = 0; k < seg->n_lengths; k++) {
        int32_t len = (int32_t)seg->lengths[k];
        if (len > j)
            break;
        int32_t w = j - len;
        if (!is_listed(seg, text + w, (size_t)len))
            continue;
        if (w == 0)
            return 1;
        /* The abbreviation must be a whole token: "pp." does not match
         * "app.", nor "S." the end of "U.S.". */
        int32_t prev = w;
        UChar32 c;
        U8_PREV(s, 0, prev, c);
        if (!joins_token(c))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------- running */

static ts_status run_lines(const char *text, int32_t length, ts_span_fn fn, void *user)
{
    int32_t start = 0;
    for (int32_t i = 0; i < length; i++) {
        char ch = text[i];
        if (ch != '\n' && ch != '\r')
            continue;
        ts_status st = emit(text, start, i, fn, user);
        if (st != TS_OK)
            return st;
        if (ch == '\r' && i + 1 < length && text[i + 1] == '\n')
            i++;
        start = i + 1;
    }
    return emit(text, start, length, fn, user);
}

static ts_status run_sentences(ts_segmenter *seg, const char *text, int32_t length,
                               ts_span_fn fn, void *user, ts_diag *diag)
{
    UErrorCode err = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, text, length, &err);
    ubrk_setUText(seg->breaker, &ut, &err);
    if (U_FAILURE(err)) {
        utext_close(&ut);
        return TS_FAIL(diag, TS_ERR_UNICODE, "ICU sentence segmentation failed: %s",
                       u_errorName(err));
    }
    ts_status st = TS_OK;
    int32_t start = ubrk_first(seg->breaker);
    int32_t floor = start;
    for (int32_t end = ubrk_next(seg->breaker); end != UBRK_DONE;
         end = ubrk_next(seg->breaker)) {
        int suppressed =
            seg->n_abbrevs > 0 && end < length && follows_abbreviation(seg, text, floor, end);
        floor = end;
        if (suppressed)
            continue;
        st = emit(text, start, end, fn, user);
        if (st != TS_OK)
            break;
        start = end;
    }
    /* The iterator keeps a shallow clone of the UText: point it at an empty
     * text so that it never refers to the caller's buffer after this call. */
    UErrorCode reset = U_ZERO_ERROR;
    static const UChar empty[1] = {0};
    ubrk_setText(seg->breaker, empty, 0, &reset);
    utext_close(&ut);
    return st;
}

ts_status ts_segmenter_run(ts_segmenter *seg, const char *text, size_t length, ts_span_fn fn,
                           void *user, ts_diag *diag)
{
    if (!seg || !fn || (!text && length > 0))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_segmenter_run: invalid argument");
    if (length > (size_t)INT32_MAX)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "a text of %zu bytes is too long to segment (at most %d bytes per "
                       "source text); split it into several files",
                       length, (int)INT32_MAX);
    if (length == 0)
        return TS_OK;
    if (seg->mode == TS_SEGMENT_LINE)
        return run_lines(text, (int32_t)length, fn, user);
    return run_sentences(seg, text, (int32_t)length, fn, user, diag);
}
