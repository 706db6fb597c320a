/*
 * numbers.h - the numbers a statement states, normalised for comparison (internal).
 *
 * ts_numbers_extract() finds every quantity in a statement and records its
 * value, canonical unit, approximate qualifier and byte span:
 *
 *   "19%", "19 percent", "19 per cent", "19pc"  -> 19, "percent"
 *   "over 19 percent"                          -> 19, "percent", qualifier "over"
 *   "$1.2 billion", "1.2 billion dollars"      -> 1.2e9, "USD"
 *   "five-hour meeting"                        -> 5, "hour"
 *   "four-year-old conflict"                   -> 4, "year"
 *   "2,000 troops"                             -> 2000, "troops"
 *   "twenty-one", "five hundred", "a dozen"    -> 21, 500, 12 (no unit)
 *   "In 2025"                                  -> 2025, "calendar-year"
 *   "March 5" or "5 March"                     -> 305, "date" (month * 100 + day)
 *   "10:30 pm"                                 -> 22.5, "clock" (hours)
 *   "the 5th"                                  -> 5, "ordinal"
 *   "-4", "\u22124" (minus sign), "3.5", ".5"  -> -4, -4, 3.5, 0.5
 *
 * What is a number (the statement's locale, ts_num_locale_of, decides how
 * digits are grouped and which words are read):
 *   - A run of ASCII digits that starts a word: "COVID-19", "G7", "A380",
 *     "5G", "4x4", "1990s" are names, not numbers, and give nothing.
 *     English (and every language not named below): commas group exactly
 *     three digits ("1,200,000"); one point starts decimals.  Languages that
 *     write a decimal comma (de, fr, es, it, pt, nl, ru, pl and the others
 *     listed in numbers.c): one comma starts decimals ("3,5"), and a point
 *     or a space (also U+00A0, U+2009, U+202F) groups exactly three digits,
 *     the same separator throughout ("1.200", "1 200", "1.200.000,50").
 *     Swiss locales (de_CH, fr_CH, it_CH): a point starts decimals and an
 *     apostrophe groups ("1'200.50").
 *     A run that fits none of these ("1,20" in English, "1.5" in German,
 *     "3.5.2", "192.168.0.1", "12.03.2025") gives nothing.
 *   - Number words (English statements only), case-insensitive: zero..nineteen, twenty..ninety, hundred,
 *     thousand, million, billion, trillion, dozen, combined as in English
 *     ("twenty-one", "one hundred and five", "two million three hundred
 *     thousand", "a hundred", "a dozen").  A lone "one" with no unit is not a
 *     number ("one of the", "no one").  Ordinal words ("first") are not read.
 *   - A scale after digits: "2.5 million", "3bn", "5k", "$4m" (an attached
 *     "m" means million only after a currency sign; otherwise it is metres);
 *     de "Tausend", "Mio", "Millionen", "Mrd", "Milliarden", "Billionen"
 *     (1e12); fr "mille", "millions", "milliards", "Md"; es "mil", "millones",
 *     "mil millones" (two scales multiply), "billones" (1e12).
 *   - Qualifiers just before the number: about, approximately, around,
 *     roughly, some, circa, (an) estimated -> "about"; over, more than, above,
 *     in excess of, upwards of, greater than -> "over"; under, less than, fewer
 *     than, below -> "under"; nearly, almost, close to -> "nearly"; at least,
 *     no fewer than, no less than -> "at least"; up to, as many as, as much
 *     as, at most, no more than -> "up to".  The value is kept as written.
 *     German: rund, etwa, ungefähr, circa, ca., zirka -> about; mehr als,
 *     über -> over; weniger als, unter -> under; knapp, fast, beinahe ->
 *     nearly; mindestens, wenigstens -> at least; bis zu, höchstens ->
 *     up to.  French: environ, quelque, approximativement, autour de ->
 *     about; plus de -> over; moins de -> under; près de, presque, quasi ->
 *     nearly; au moins, pas moins de -> at least; jusqu'à, au plus -> up to.
 *     Spanish: unos, unas, alrededor de, aproximadamente, cerca de -> about;
 *     más de -> over; menos de -> under; casi -> nearly; al menos, por lo
 *     menos -> at least; hasta -> up to.  English qualifiers are read in
 *     every language.
 *   - Units right after the number (after a space, a hyphen or attached):
 *     a small table of percent, percentage points ("pp"), currencies (USD
 *     for "$" and dollars, EUR, GBP for "£", JPY, CNY), durations (second,
 *     minute, hour, day, week, month, year, decade), distances (km, m,
 *     mile), masses (kg, tonne), "degree", and count nouns ("people",
 *     "troops", "children", "deaths", ...; canonical plural).  Words that
 *     name the same thing share a unit: soldiers and troops are "troops",
 *     dead and fatalities "deaths", injured and wounded "injuries".  German,
 *     French and Spanish words of each unit are read in their language
 *     ("Prozent", "pour cent", "por ciento"; "Soldaten", "soldats",
 *     "soldados", "Truppen" -> "troops"; "Stunden", "heures", "horas"),
 *     English ones in every language.
 *   - A range "20-25 percent", "20 to 25 percent" ("bis", "à", "a" in
 *     German, French, Spanish) gives two numbers; the first takes the unit
 *     (and scale) of the second when it has none of its own.
 *   - A four-digit integer 1900..2100 with no comma, unit, currency, scale or
 *     qualifier other than "about" is a calendar year ("calendar-year"), kept
 *     apart from durations in years so that "in 2025" never contradicts "a
 *     four-year war".
 *
 * Discrepancy rule (the README quotes this paragraph):
 *   Two aligned statements A and B each give a list of numbers.  A number's
 *   key is its canonical unit; calendar years, dates, clock times and
 *   ordinals have keys of their own, so a year is only ever compared with a
 *   year.  Two values are equal when they differ by at most 1e-9 of the
 *   larger magnitude.  For every key K other than "no unit" that occurs on
 *   BOTH sides, let VA and VB be the sets of values with key K in A and B:
 *   K is a possible discrepancy when VA and VB have no value in common
 *   ("19 percent" against "20 percent"; "19%" against "19 percent" is not).
 *   Numbers without a unit are compared only with numbers without a unit,
 *   and only when no unitless value of A equals ANY value of B (whatever its
 *   unit) and no unitless value of B equals any value of A: a bare "19" in
 *   one statement may be the other's "19 percent" with the unit left out.
 *   Qualifiers do not change values ("over 19 percent" against "20 percent" is
 *   reported) but mark the discrepancy as approximate.  A key present on one
 *   side only is never a discrepancy: a statement may simply say less.
 *
 * The scanner is hand-written rather than built on a regex library: it runs
 * once per statement, must return byte spans of multi-part expressions
 * ("more than $1.2 billion") and needs a few tokens of context on either side
 * (names such as "COVID-19", units after a hyphen), which is clumsy with
 * POSIX regex and needs no dependency this way.  It is linear in the length
 * of the text and accepts any bytes (invalid UTF-8 and NUL included).
 */
#ifndef TS_NUMBERS_H
#define TS_NUMBERS_H

#include <stddef.h>

#include "textsim.h"

/* How a statement's language writes numbers. */
typedef enum ts_num_words {
    TS_NUM_WORDS_EN = 0, /* English words only (every language reads them) */
    TS_NUM_WORDS_DE,     /* German words too */
    TS_NUM_WORDS_FR,     /* French */
    TS_NUM_WORDS_ES      /* Spanish */
} ts_num_words;

typedef struct ts_num_locale {
    unsigned char words;             /* ts_num_words */
    unsigned char decimal_comma;     /* "3,5" is 3.5; "1.200" and "1 200" are 1200 */
    unsigned char apostrophe_groups; /* "1'200.50" (Swiss) */
} ts_num_locale;

/* The language code a locale starts with ("de" of "de_CH", "es" of
 * "es@collation=traditional"), lowercase, into lang; "" when it starts with
 * no code of two or three letters (NULL, "", "german"). */
void ts_num_locale_language(const char *locale, char lang[4]);

/* The conventions of a locale, by its language code, case-insensitive.
 * NULL, "" and languages without a decimal comma read as English. */
ts_num_locale ts_num_locale_of(const char *locale);

typedef enum ts_number_qualifier {
    TS_NUMBER_EXACT = 0, /* no qualifier */
    TS_NUMBER_ABOUT,     /* about, approximately, around, roughly, some, ... */
    TS_NUMBER_OVER,      /* over, more than, above, ... */
    TS_NUMBER_UNDER,     /* under, less than, fewer than, below */
    TS_NUMBER_NEARLY,    /* nearly, almost, close to */
    TS_NUMBER_AT_LEAST,  /* at least, no fewer than, no less than */
    TS_NUMBER_UP_TO      /* up to, as many as, at most, no more than */
} ts_number_qualifier;

typedef struct ts_number {
    double value;                  /* "1.2 billion" -> 1.2e9, "19%" -> 19 */
    const char *unit;              /* canonical unit, a static string; "" if none */
    ts_number_qualifier qualifier;
    size_t qualifier_begin;        /* byte where the qualifier starts; == begin if none */
    size_t begin;                  /* first byte of the number (currency sign, minus) */
    size_t end;                    /* one past its last byte (scale and unit included) */
} ts_number;

/* A growable array of numbers, in order of their position in the text. */
typedef struct ts_number_list {
    ts_number *items;
    size_t count;
    size_t capacity;
} ts_number_list;

void ts_number_list_init(ts_number_list *list);
/* Frees the items and leaves an empty list; NULL is a no-op. */
void ts_number_list_free(ts_number_list *list);

/* Replace the contents of `list` with the numbers of text[0 .. length),
 * read by the conventions of locale (NULL: English).
 * Fails only with TS_ERR_NOMEM or TS_ERR_ARG (NULL list, NULL text with a
 * non-zero length), or TS_ERR_INTERNAL for a scanner bug; the list is then
 * empty.  Memory beyond the list is constant, whatever the length. */
ts_status ts_numbers_extract(const char *text, size_t length, const ts_num_locale *locale,
                             ts_number_list *list, ts_diag *diag);

/* ts_numbers_extract on statement i of corpus, in its source's locale
 * (ts_corpus_source_locale). */
ts_status ts_numbers_of_statement(const ts_corpus *corpus, size_t i, ts_number_list *list,
                                  ts_diag *diag);

/* "" for TS_NUMBER_EXACT, else "about", "over", "under", "nearly",
 * "at least", "up to".  Never NULL. */
const char *ts_number_qualifier_name(ts_number_qualifier qualifier);

/* One key (unit) on which two statements disagree. */
typedef struct ts_number_discrepancy {
    const char *unit;   /* the key: canonical unit, "" for numbers without one */
    size_t a;           /* index in A's list of A's first number with this key */
    size_t b;           /* index in B's list of B's first number with this key */
    double value_a;     /* a's value */
    double value_b;     /* b's value */
    int approximate;    /* 1 when a number of this key on either side has a qualifier */
} ts_number_discrepancy;

/* Apply the discrepancy rule above to the numbers of two statements.  Writes
 * up to `capacity` discrepancies to `out`, in the order their key first
 * occurs in A, and returns how many it found (which may exceed capacity;
 * a capacity of min(na, nb) always suffices).  Cannot fail. */
size_t ts_numbers_discrepancies(const ts_number *a, size_t na, const ts_number *b,
                                size_t nb, ts_number_discrepancy *out, size_t capacity);

#endif
