/*
 * numbers_tables.h - the words of numbers (internal): what numbers_parse.c
 * looks up.  Words are given lowercase (NULL: no word); a unit is one of the
 * canonical unit strings, compared by address.
 */
#ifndef TS_NUMBERS_TABLES_H
#define TS_NUMBERS_TABLES_H

#include <stdint.h>

#include "numbers.h"

/* Canonical units. */
extern const char TS_UNIT_NONE[];
extern const char TS_UNIT_PERCENT[];
extern const char TS_UNIT_PP[];
extern const char TS_UNIT_USD[];
extern const char TS_UNIT_EUR[];
extern const char TS_UNIT_GBP[];
extern const char TS_UNIT_JPY[];
extern const char TS_UNIT_INR[];
extern const char TS_UNIT_AUD[];
extern const char TS_UNIT_CAD[];
extern const char TS_UNIT_HKD[];
extern const char TS_UNIT_NZD[];
extern const char TS_UNIT_DEGREE[];
extern const char TS_UNIT_CELSIUS[];
extern const char TS_UNIT_FAHRENHEIT[];
extern const char TS_UNIT_CALENDAR_YEAR[];
extern const char TS_UNIT_DATE[];
extern const char TS_UNIT_CLOCK[];
extern const char TS_UNIT_ORDINAL[];


/* Units that carry dates and positions rather than amounts: never passed
 * from one end of a range to the other. */
int ts_num_unit_is_special(const char *unit);

/* Where a unit or scale word may stand relative to the number. */
enum { TS_NUM_AFTER_SPACE = 1, TS_NUM_ATTACHED = 2, TS_NUM_AFTER_HYPHEN = 4, TS_NUM_ANYWHERE = 7 };

/* Every lookup takes the statement's language (ts_num_words): its own
 * words are read, and the English ones. */

/* The unit of a unit word or count noun allowed at `where`, or NULL. */
const char *ts_num_unit_word(const char *low, unsigned where, unsigned lang);
/* The unit of two words after the number ("per cent", "pour cent"), or NULL. */
const char *ts_num_unit_pair(const char *first, const char *second, unsigned lang);
/* The word joins the two ends of a range ("to", "bis", "à", "a"). */
int ts_num_range_word(const char *low, unsigned lang);

/* Number words. */
typedef enum ts_num_word_class {
    TS_NW_NONE = 0,
    TS_NW_START,   /* before the first word */
    TS_NW_A,       /* "a" before hundred, dozen or a scale */
    TS_NW_ZERO,
    TS_NW_UNIT,    /* one .. nine */
    TS_NW_TEEN,    /* ten .. nineteen */
    TS_NW_TENS,    /* twenty .. ninety */
    TS_NW_HUNDRED,
    TS_NW_DOZEN,
    TS_NW_SCALE    /* thousand, million, billion, trillion */
} ts_num_word_class;
/* The class of a number word (TS_NW_NONE if none, and in languages other
 * than English) and its *value. */
ts_num_word_class ts_num_number_word(const char *low, unsigned lang, double *value);
/* Whether a number word of class next may follow one of class last. */
int ts_num_word_may_follow(ts_num_word_class last, ts_num_word_class next);
/* The power of ten of a scale word after digits at `where` (TS_NUM_ATTACHED:
 * "3bn"; TS_NUM_AFTER_SPACE: "2.5 million"), or 0. */
int ts_num_digit_scale(const char *low, unsigned where, unsigned lang);

/* The qualifier ending with the words before[0] (nearest the number),
 * before[1], before[2] (NULL where there is none), longest pattern first;
 * *nwords: how many words it takes (0: TS_NUMBER_EXACT). */
ts_number_qualifier ts_num_qualifier(const char *const before[3], unsigned lang, int *nwords);

/* A qualifier that may be written with a point: "ca.", "approx.". */
int ts_num_qualifier_abbreviation(const char *low);

/* Month 1..12 of a month name or abbreviation, 0 if none. */
int ts_num_month(const char *low);
/* "mid", "pre", ...: may stand before "-2025" without making a name. */
int ts_num_year_prefix(const char *low);
/* The currency of a sign ("$", euro, pound, yen, rupee), or NULL. */
const char *ts_num_currency_sign(uint32_t cp);
/* The dollar of a prefix before "$" ("US$", "A$", "HK$"), or NULL. */
const char *ts_num_dollar_prefix(const char *low);

#endif
