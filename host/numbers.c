/*
 * numbers.c - extracting and comparing the numbers statements state.
 *
 * A lexer cuts the bytes into tokens that cover the text without gaps: runs
 * of letters (words, with a lowercase copy), digit literals with their
 * thousands commas and decimals (already converted to mantissa and power of
 * ten), runs of spaces, and single other code points.  Tokens are made on
 * demand into a fixed ring, so memory does not grow with the text.  The
 * parser walks the tokens once; at each token that can start a number (a
 * digit literal, a number word, a currency sign, a minus sign) it reads the
 * whole expression - currency, core, scale, unit - and looks back a few
 * tokens for a qualifier or a month name.  Every step looks at a bounded
 * number of tokens and the walk resumes after what it consumed, so the work
 * is linear.  Hand-written, not a regex engine: see numbers.h for why.  All
 * tables are constant; nothing is global and mutable.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "numbers.h"

/* ------------------------------------------------------------ canonical units */

static const char UNIT_NONE[] = "";
static const char UNIT_PERCENT[] = "percent";
static const char UNIT_PP[] = "pp";
static const char UNIT_USD[] = "USD";
static const char UNIT_EUR[] = "EUR";
static const char UNIT_GBP[] = "GBP";
static const char UNIT_JPY[] = "JPY";
static const char UNIT_INR[] = "INR";
static const char UNIT_AUD[] = "AUD";
static const char UNIT_CAD[] = "CAD";
static const char UNIT_HKD[] = "HKD";
static const char UNIT_NZD[] = "NZD";
static const char UNIT_DEGREE[] = "degree";
static const char UNIT_CELSIUS[] = "celsius";
static const char UNIT_FAHRENHEIT[] = "fahrenheit";
static const char UNIT_CALENDAR_YEAR[] = "calendar-year";
static const char UNIT_DATE[] = "date";
static const char UNIT_CLOCK[] = "clock";
static const char UNIT_ORDINAL[] = "ordinal";

/* Units that carry dates and positions rather than amounts: they are never
 * passed from one end of a range to the other. */
static int unit_is_special(const char *unit)
{
    return unit == UNIT_CALENDAR_YEAR || unit == UNIT_DATE || unit == UNIT_CLOCK ||
           unit == UNIT_ORDINAL;
}

/* Where a unit word may stand relative to the number. */
enum { AFTER_SPACE = 1, ATTACHED = 2, AFTER_HYPHEN = 4, ANYWHERE = 7 };

typedef struct unit_word {
    const char *word; /* lowercase ASCII */
    const char *unit;
    unsigned char where;
} unit_word;

static const unit_word unit_words[] = {
    {"percent", "percent", ANYWHERE},   {"pc", "percent", ANYWHERE},
    {"pct", "percent", ANYWHERE},       {"pp", "pp", ANYWHERE},
    {"dollar", "USD", ANYWHERE},        {"dollars", "USD", ANYWHERE},
    {"euro", "EUR", ANYWHERE},          {"euros", "EUR", ANYWHERE},
    {"yen", "JPY", ANYWHERE},           {"yuan", "CNY", ANYWHERE},
    {"rupee", "INR", ANYWHERE},         {"rupees", "INR", ANYWHERE},
    {"second", "second", ANYWHERE},     {"seconds", "second", ANYWHERE},
    {"sec", "second", ANYWHERE},        {"secs", "second", ANYWHERE},
    {"minute", "minute", ANYWHERE},     {"minutes", "minute", ANYWHERE},
    {"min", "minute", ANYWHERE},        {"mins", "minute", ANYWHERE},
    {"hour", "hour", ANYWHERE},         {"hours", "hour", ANYWHERE},
    {"hr", "hour", ANYWHERE},           {"hrs", "hour", ANYWHERE},
    {"h", "hour", ATTACHED},            {"day", "day", ANYWHERE},
    {"days", "day", ANYWHERE},          {"week", "week", ANYWHERE},
    {"weeks", "week", ANYWHERE},        {"month", "month", ANYWHERE},
    {"months", "month", ANYWHERE},      {"year", "year", ANYWHERE},
    {"years", "year", ANYWHERE},        {"yr", "year", ANYWHERE},
    {"yrs", "year", ANYWHERE},          {"decade", "decade", ANYWHERE},
    {"decades", "decade", ANYWHERE},    {"km", "km", ANYWHERE},
    {"kms", "km", ANYWHERE},            {"kilometre", "km", ANYWHERE},
    {"kilometres", "km", ANYWHERE},     {"kilometer", "km", ANYWHERE},
    {"kilometers", "km", ANYWHERE},     {"m", "m", ATTACHED},
    {"metre", "m", ANYWHERE},           {"metres", "m", ANYWHERE},
    {"meter", "m", ANYWHERE},           {"meters", "m", ANYWHERE},
    {"mile", "mile", ANYWHERE},         {"miles", "mile", ANYWHERE},
    {"kg", "kg", ANYWHERE},             {"kilogram", "kg", ANYWHERE},
    {"kilograms", "kg", ANYWHERE},      {"kilo", "kg", ANYWHERE},
    {"kilos", "kg", ANYWHERE},          {"tonne", "tonne", ANYWHERE},
    {"tonnes", "tonne", ANYWHERE},      {"ton", "tonne", ANYWHERE},
    {"tons", "tonne", ANYWHERE},        {"degree", "degree", ANYWHERE},
    {"degrees", "degree", ANYWHERE},
};

/* Count nouns: the unit is the plural; the singular is read too. */
static const struct {
    const char *plural;
    const char *singular;
} count_nouns[] = {
    {"people", "person"},       {"persons", "person"},     {"troops", "troop"},
    {"soldiers", "soldier"},    {"civilians", "civilian"}, {"children", "child"},
    {"deaths", "death"},        {"victims", "victim"},     {"casualties", "casualty"},
    {"refugees", "refugee"},    {"migrants", "migrant"},   {"residents", "resident"},
    {"workers", "worker"},      {"employees", "employee"}, {"jobs", "job"},
    {"homes", "home"},          {"houses", "house"},       {"buildings", "building"},
    {"vehicles", "vehicle"},    {"cars", "car"},           {"students", "student"},
    {"patients", "patient"},    {"cases", "case"},         {"votes", "vote"},
    {"seats", "seat"},          {"protesters", "protester"}, {"protestors", "protestor"},
    {"officers", "officer"},    {"prisoners", "prisoner"}, {"hostages", "hostage"},
    {"passengers", "passenger"}, {"families", "family"},   {"households", "household"},
    {"barrels", "barrel"},      {"doses", "dose"},         {"members", "member"},
    {"fighters", "fighter"},    {"militants", "militant"}, {"rockets", "rocket"},
    {"missiles", "missile"},    {"drones", "drone"},       {"countries", "country"},
    {"flights", "flight"},      {"tourists", "tourist"},   {"infections", "infection"},
    {"arrests", "arrest"},      {"injuries", "injury"},
};

/* -------------------------------------------------------------- number words */

typedef enum word_class {
    W_NONE = 0,
    W_START,   /* before the first word */
    W_A,       /* "a" before hundred, dozen or a scale */
    W_ZERO,
    W_UNIT,    /* one .. nine */
    W_TEEN,    /* ten .. nineteen */
    W_TENS,    /* twenty .. ninety */
    W_HUNDRED,
    W_DOZEN,
    W_SCALE    /* thousand, million, billion, trillion */
} word_class;

static const struct {
    const char *word;
    word_class cls;
    double value;
} number_words[] = {
    {"zero", W_ZERO, 0},        {"one", W_UNIT, 1},         {"two", W_UNIT, 2},
    {"three", W_UNIT, 3},       {"four", W_UNIT, 4},        {"five", W_UNIT, 5},
    {"six", W_UNIT, 6},         {"seven", W_UNIT, 7},       {"eight", W_UNIT, 8},
    {"nine", W_UNIT, 9},        {"ten", W_TEEN, 10},        {"eleven", W_TEEN, 11},
    {"twelve", W_TEEN, 12},     {"thirteen", W_TEEN, 13},   {"fourteen", W_TEEN, 14},
    {"fifteen", W_TEEN, 15},    {"sixteen", W_TEEN, 16},    {"seventeen", W_TEEN, 17},
    {"eighteen", W_TEEN, 18},   {"nineteen", W_TEEN, 19},   {"twenty", W_TENS, 20},
    {"thirty", W_TENS, 30},     {"forty", W_TENS, 40},      {"fifty", W_TENS, 50},
    {"sixty", W_TENS, 60},      {"seventy", W_TENS, 70},    {"eighty", W_TENS, 80},
    {"ninety", W_TENS, 90},     {"hundred", W_HUNDRED, 100}, {"dozen", W_DOZEN, 12},
    {"thousand", W_SCALE, 1e3}, {"million", W_SCALE, 1e6},  {"billion", W_SCALE, 1e9},
    {"trillion", W_SCALE, 1e12},
};

/* Which class of number word may follow which. */
static int word_may_follow(word_class last, word_class next)
{
    switch (last) {
    case W_START:
        return next == W_ZERO || next == W_UNIT || next == W_TEEN || next == W_TENS;
    case W_A:
        return next == W_HUNDRED || next == W_DOZEN || next == W_SCALE;
    case W_UNIT:
        return next == W_HUNDRED || next == W_DOZEN || next == W_SCALE;
    case W_TEEN:
        return next == W_HUNDRED || next == W_SCALE;
    case W_TENS:
        return next == W_UNIT || next == W_SCALE;
    case W_HUNDRED:
        return next == W_UNIT || next == W_TEEN || next == W_TENS || next == W_SCALE;
    case W_SCALE:
        return next == W_UNIT || next == W_TEEN || next == W_TENS;
    default:
        return 0;
    }
}

/* Scales after digits: "2.5 million" (spaced) and "3bn" (attached). */
static const struct {
    const char *word;
    int exp10;
    unsigned char where;
} digit_scales[] = {
    {"hundred", 2, AFTER_SPACE}, {"thousand", 3, AFTER_SPACE}, {"million", 6, AFTER_SPACE},
    {"billion", 9, AFTER_SPACE}, {"trillion", 12, AFTER_SPACE}, {"k", 3, ATTACHED},
    {"mn", 6, ATTACHED},         {"mln", 6, ATTACHED},         {"bn", 9, ATTACHED},
    {"tn", 12, ATTACHED},
};

/* ---------------------------------------------------------------- qualifiers */

/* Longest patterns first, so that "no more than" wins over "more than". */
static const struct {
    const char *words[3];
    ts_number_qualifier qualifier;
} qualifiers[] = {
    {{"no", "fewer", "than"}, TS_NUMBER_AT_LEAST},
    {{"no", "less", "than"}, TS_NUMBER_AT_LEAST},
    {{"no", "more", "than"}, TS_NUMBER_UP_TO},
    {{"as", "many", "as"}, TS_NUMBER_UP_TO},
    {{"as", "much", "as"}, TS_NUMBER_UP_TO},
    {{"in", "excess", "of"}, TS_NUMBER_OVER},
    {{"more", "than", NULL}, TS_NUMBER_OVER},
    {{"greater", "than", NULL}, TS_NUMBER_OVER},
    {{"upwards", "of", NULL}, TS_NUMBER_OVER},
    {{"less", "than", NULL}, TS_NUMBER_UNDER},
    {{"fewer", "than", NULL}, TS_NUMBER_UNDER},
    {{"at", "least", NULL}, TS_NUMBER_AT_LEAST},
    {{"up", "to", NULL}, TS_NUMBER_UP_TO},
    {{"at", "most", NULL}, TS_NUMBER_UP_TO},
    {{"close", "to", NULL}, TS_NUMBER_NEARLY},
    {{"an", "estimated", NULL}, TS_NUMBER_ABOUT},
    {{"over", NULL, NULL}, TS_NUMBER_OVER},
    {{"above", NULL, NULL}, TS_NUMBER_OVER},
    {{"exceeding", NULL, NULL}, TS_NUMBER_OVER},
    {{"under", NULL, NULL}, TS_NUMBER_UNDER},
    {{"below", NULL, NULL}, TS_NUMBER_UNDER},
    {{"nearly", NULL, NULL}, TS_NUMBER_NEARLY},
    {{"almost", NULL, NULL}, TS_NUMBER_NEARLY},
    {{"about", NULL, NULL}, TS_NUMBER_ABOUT},
    {{"approximately", NULL, NULL}, TS_NUMBER_ABOUT},
    {{"approx", NULL, NULL}, TS_NUMBER_ABOUT},
    {{"around", NULL, NULL}, TS_NUMBER_ABOUT},
    {{"roughly", NULL, NULL}, TS_NUMBER_ABOUT},
    {{"some", NULL, NULL}, TS_NUMBER_ABOUT},
    {{"circa", NULL, NULL}, TS_NUMBER_ABOUT},
    {{"estimated", NULL, NULL}, TS_NUMBER_ABOUT},
};

static const char *const months[12][2] = {
    {"january", "jan"}, {"february", "feb"}, {"march", "mar"},     {"april", "apr"},
    {"may", NULL},      {"june", "jun"},     {"july", "jul"},      {"august", "aug"},
    {"september", "sep"}, {"october", "oct"}, {"november", "nov"}, {"december", "dec"},
};

/* Words that may stand before a hyphen and a year without making a name:
 * "mid-2025" is a year, "COVID-19" is not a number. */
static const char *const year_prefixes[] = {"mid", "pre", "post", "early", "late"};

/* -------------------------------------------------------------------- lexer */

enum tok_kind { TK_SPACE, TK_WORD, TK_NUM, TK_PUNCT };

typedef struct tok {
    unsigned char kind;
    unsigned char ascii;   /* TK_WORD: ASCII letters only */
    unsigned char grouped; /* TK_NUM: has thousands commas */
    unsigned char point;   /* TK_NUM: has a decimal point */
    unsigned int int_digits; /* TK_NUM: digits before the point (saturates) */
    int exp10;             /* TK_NUM: value = mant * 10^exp10 */
    uint64_t mant;         /* TK_NUM */
    uint32_t cp;           /* TK_PUNCT: the code point, 0xFFFD for a bad byte */
    size_t begin, end;
    char low[16];          /* TK_WORD: lowercase copy if ASCII and shorter than 16 */
} tok;

#define MAX_SIGNIFICANT 15 /* digits kept in the mantissa: stays below 2^53 */
#define MAX_INT_DIGITS 18  /* longer integer parts are not quantities */

/* Decode one code point at s[i]; an invalid or truncated sequence is one
 * byte long and decodes to U+FFFD. */
static size_t utf8_decode(const unsigned char *s, size_t n, size_t i, uint32_t *cp)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2, c = b & 0x1Fu, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, c = b & 0x0Fu, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, c = b & 0x07u, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (n - i < len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = (c << 6) | (s[i + k] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return len;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static int is_space_cp(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

/* Letters of words.  Outside ASCII this is an approximation that needs no
 * tables: everything except Latin-1 punctuation, the general punctuation,
 * currency, symbol and arrow blocks, CJK punctuation and U+FFFD. */
static int is_letter_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c <= 0xBF || c == 0xD7 || c == 0xF7)
        return 0;
    if (c >= 0x2000 && c <= 0x2BFF)
        return 0;
    if (c >= 0x3000 && c <= 0x303F)
        return 0;
    if (c >= 0xFE30 && c <= 0xFE6F)
        return 0;
    if (c >= 0xFF00 && c <= 0xFF0F)
        return 0;
    return c != 0xFFFD;
}

/* A digit literal starting at s[i] (a digit, or a point before a digit).
 * Fills *t and returns its end.  A run that is not a well-formed number
 * ("1,20", "3.5.2", a 40-digit integer) becomes a non-ASCII word so that
 * it neither counts nor lends itself to a neighbour. */
static size_t lex_number(const unsigned char *s, size_t n, size_t i, tok *t)
{
    size_t j = i;
    uint64_t mant = 0;
    int sig = 0, exp10 = 0, bad = 0;
    size_t int_digits = 0;
    memset(t, 0, sizeof *t);
    t->kind = TK_NUM;
    for (;;) {
        while (j < n && is_digit(s[j])) {
            unsigned d = (unsigned)(s[j] - '0');
            int_digits++;
            if (mant == 0 && d == 0) {
                /* leading zero */
            } else if (sig < MAX_SIGNIFICANT) {
                mant = mant * 10 + d;
                sig++;
            } else {
                exp10++;
            }
            j++;
        }
        /* a thousands group: a comma and exactly three digits, the first
         * group having at most three */
        int group = j + 4 <= n && s[j] == ',' && is_digit(s[j + 1]) && is_digit(s[j + 2]) &&
                    is_digit(s[j + 3]) && (j + 4 == n || !is_digit(s[j + 4]));
        if (!group || (!t->grouped && int_digits > 3))
            break;
        t->grouped = 1;
        j++;
    }
    if (j + 1 < n && s[j] == '.' && is_digit(s[j + 1])) {
        t->point = 1;
        j++;
        while (j < n && is_digit(s[j])) {
            unsigned d = (unsigned)(s[j] - '0');
            if (sig < MAX_SIGNIFICANT && exp10 > -40) {
                mant = mant * 10 + d;
                exp10--;
                if (mant != 0)
                    sig++;
            }
            j++;
        }
    }
    /* a comma or point followed by a digit: not a number this scanner knows */
    if (j + 1 < n && (s[j] == '.' || s[j] == ',') && is_digit(s[j + 1]))
        bad = 1;
    if (int_digits > MAX_INT_DIGITS)
        bad = 1;
    if (bad) {
        while (j < n && (is_digit(s[j]) ||
                         ((s[j] == '.' || s[j] == ',') && j + 1 < n && is_digit(s[j + 1]))))
            j++;
        memset(t, 0, sizeof *t);
        t->kind = TK_WORD;
        t->ascii = 0;
    } else {
        t->mant = mant;
        t->exp10 = exp10;
        t->int_digits = int_digits > 255 ? 255u : (unsigned)int_digits;
    }
    t->begin = i;
    t->end = j;
    return j;
}

/* Lex the token that starts at byte i of text into *t; returns its end. */
static size_t lex_one(const char *text, size_t length, size_t i, tok *t)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t cp;
    size_t len = utf8_decode(s, length, i, &cp);
    int point_number = cp == '.' && i + 1 < length && is_digit(s[i + 1]) &&
                       (i == 0 || !is_digit(s[i - 1]));
    if (is_digit(s[i]) || point_number)
        return lex_number(s, length, i, t);
    memset(t, 0, sizeof *t);
    t->begin = i;
    if (is_space_cp(cp) || is_letter_cp(cp)) {
        int letters = is_letter_cp(cp);
        t->kind = letters ? TK_WORD : TK_SPACE;
        t->ascii = 1;
        while (i < length) {
            len = utf8_decode(s, length, i, &cp);
            if (letters ? !is_letter_cp(cp) : !is_space_cp(cp))
                break;
            if (cp >= 0x80)
                t->ascii = 0;
            i += len;
        }
        size_t n = i - t->begin;
        if (letters && t->ascii && n < sizeof t->low) {
            for (size_t c = 0; c < n; c++) {
                char ch = text[t->begin + c];
                t->low[c] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
            }
            t->low[n] = '\0';
        }
    } else {
        t->kind = TK_PUNCT;
        t->cp = cp;
        i += len;
    }
    t->end = i;
    return i;
}

/* ------------------------------------------------------------ token helpers */

/* Tokens are lexed on demand into a ring, so memory stays constant however
 * long the text.  The parser looks at most RING_LOOKBACK tokens behind the
 * token it starts from and, a number being at most a few dozen tokens long
 * (number words have at most four scales), far less than the ring ahead. */
#define RING 512
#define RING_LOOKBACK 16

typedef struct scan {
    const char *text;
    size_t length;
    size_t pos;   /* byte where the next token to lex starts */
    size_t lexed; /* tokens lexed so far */
    tok ring[RING];
} scan;

/* Token k, or NULL past the end of the text (or, by construction never,
 * when it has left the ring). */
static const tok *tk(scan *sc, size_t k)
{
    while (sc->lexed <= k && sc->pos < sc->length) {
        sc->pos = lex_one(sc->text, sc->length, sc->pos, &sc->ring[sc->lexed % RING]);
        sc->lexed++;
    }
    if (k >= sc->lexed || sc->lexed - k > RING)
        return NULL;
    return &sc->ring[k % RING];
}

static int kind_at(scan *sc, size_t k, int kind)
{
    const tok *t = tk(sc, k);
    return t && t->kind == kind;
}

static uint32_t punct_at(scan *sc, size_t k)
{
    return kind_at(sc, k, TK_PUNCT) ? tk(sc, k)->cp : 0xFFFFFFFFu;
}

/* The lowercase text of token k if it is an ASCII word shorter than 16
 * letters (longer words are never in the tables), else NULL. */
static const char *low_at(scan *sc, size_t k)
{
    const tok *t = tk(sc, k);
    return t && t->kind == TK_WORD && t->low[0] ? t->low : NULL;
}

static int same_word(const char *low, const char *word)
{
    return low && low[0] == word[0] && strcmp(low, word) == 0;
}

/* Token k is an ASCII word equal to `word` (lowercase), ignoring case. */
static int word_at(scan *sc, size_t k, const char *word)
{
    return same_word(low_at(sc, k), word);
}

static int is_upper_at(scan *sc, size_t k)
{
    const tok *t = tk(sc, k);
    char c = t ? sc->text[t->begin] : '\0';
    return c >= 'A' && c <= 'Z';
}

/* Month number 1..12 of a capitalised month name at k, 0 if none. */
static int month_at(scan *sc, size_t k)
{
    if (!kind_at(sc, k, TK_WORD) || !is_upper_at(sc, k))
        return 0;
    for (int m = 0; m < 12; m++)
        if (word_at(sc, k, months[m][0]) || (months[m][1] && word_at(sc, k, months[m][1])))
            return m + 1;
    if (word_at(sc, k, "sept"))
        return 9;
    return 0;
}

static const char *unit_word_at(scan *sc, size_t k, unsigned where)
{
    const char *low = low_at(sc, k);
    if (!low)
        return NULL;
    for (size_t i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++)
        if ((unit_words[i].where & where) && same_word(low, unit_words[i].word))
            return unit_words[i].unit;
    for (size_t i = 0; i < sizeof count_nouns / sizeof count_nouns[0]; i++)
        if (same_word(low, count_nouns[i].plural) || same_word(low, count_nouns[i].singular))
            return count_nouns[i].plural;
    return NULL;
}

static word_class number_word_at(scan *sc, size_t k, double *value)
{
    const char *low = low_at(sc, k);
    if (!low)
        return W_NONE;
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++)
        if (same_word(low, number_words[i].word)) {
            *value = number_words[i].value;
            return number_words[i].cls;
        }
    return W_NONE;
}

static const char *currency_sign(uint32_t cp)
{
    switch (cp) {
    case '$':
        return UNIT_USD;
    case 0x20AC:
        return UNIT_EUR;
    case 0xA3:
        return UNIT_GBP;
    case 0xA5:
        return UNIT_JPY;
    case 0x20B9:
        return UNIT_INR;
    default:
        return NULL;
    }
}

static int is_hyphen(uint32_t cp) { return cp == '-'; }
static int is_range_dash(uint32_t cp) { return cp == '-' || cp == 0x2013; }

/* ------------------------------------------------------------------ parser */

/* The core of a number: digits or number words. */
typedef struct core {
    int from_digits;
    int integer;        /* digits without a decimal point */
    int grouped;
    unsigned int_digits;
    int lone_one;       /* just the word "one" */
    uint64_t mant;
    int exp10;
    double value;       /* words only */
    int word_scale_exp; /* words ending in a scale: "six million" -> 6 */
    size_t end;         /* token after the core */
} core;

static double pow10_value(uint64_t mant, int exp10)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    double v = (double)mant;
    /* mant < 2^53 and |exp10| <= 22: one correctly rounded operation */
    while (exp10 > 22) {
        v *= 1e22;
        exp10 -= 22;
    }
    while (exp10 < -22) {
        v /= 1e22;
        exp10 += 22;
    }
    return exp10 >= 0 ? v * p10[exp10] : v / p10[-exp10];
}

/* Number words from token k: "twenty-one", "one hundred and five", "a
 * dozen", "two million three hundred thousand".  Returns 0 if none. */
static int parse_words(scan *sc, size_t k, core *c)
{
    word_class last = W_START;
    double total = 0, current = 0, last_scale = INFINITY, v;
    size_t j = k, words = 0, end = k;
    int only_one = 0, last_exp = 0;
    if (word_at(sc, k, "a") && kind_at(sc, k + 1, TK_SPACE)) {
        word_class next = number_word_at(sc, k + 2, &v);
        if (next == W_HUNDRED || next == W_DOZEN || next == W_SCALE) {
            last = W_A;
            current = 1;
            j = k + 2;
        }
    }
    for (;;) {
        word_class cls = number_word_at(sc, j, &v);
        if (cls == W_NONE || !word_may_follow(last, cls))
            break;
        if (cls == W_SCALE && v >= last_scale)
            break;
        switch (cls) {
        case W_HUNDRED:
        case W_DOZEN:
            current *= v;
            break;
        case W_SCALE:
            total += current * v;
            current = 0;
            last_scale = v;
            break;
        default:
            current += v;
            break;
        }
        last_exp = cls == W_HUNDRED ? 2 : cls == W_SCALE ? (int)lround(log10(v)) : 0;
        only_one = words == 0 && word_at(sc, j, "one");
        words++;
        last = cls;
        end = j + 1;
        if (is_hyphen(punct_at(sc, end)) && last == W_TENS &&
            number_word_at(sc, end + 1, &v) == W_UNIT) {
            j = end + 1;
        } else if (kind_at(sc, end, TK_SPACE) && word_at(sc, end + 1, "and") &&
                   (last == W_HUNDRED || last == W_SCALE) && kind_at(sc, end + 2, TK_SPACE)) {
            word_class after = number_word_at(sc, end + 3, &v);
            if (after != W_UNIT && after != W_TEEN && after != W_TENS)
                break;
            j = end + 3;
        } else if (kind_at(sc, end, TK_SPACE)) {
            j = end + 1;
        } else {
            break;
        }
    }
    if (words == 0)
        return 0;
    memset(c, 0, sizeof *c);
    c->value = total + current;
    c->word_scale_exp = last_exp;
    c->lone_one = only_one && words == 1;
    c->end = end;
    return 1;
}

/* Skip a name made of digits and letters ("COVID-19", "A380-800", "24/7"):
 * returns the token after it. */
static size_t skip_name(scan *sc, size_t k)
{
    while (tk(sc, k)) {
        if (kind_at(sc, k, TK_WORD) || kind_at(sc, k, TK_NUM)) {
            k++;
            continue;
        }
        uint32_t cp = punct_at(sc, k);
        if ((cp == '-' || cp == '_' || cp == '/') &&
            (kind_at(sc, k + 1, TK_WORD) || kind_at(sc, k + 1, TK_NUM))) {
            k++;
            continue;
        }
        break;
    }
    return k;
}

/* "am", "pm", "a.m.", "p.m." at k, after an optional space.  Returns the
 * token after it and sets *pm, or 0 if none. */
static size_t ampm_at(scan *sc, size_t k, int *pm)
{
    if (kind_at(sc, k, TK_SPACE))
        k++;
    if (word_at(sc, k, "am") || word_at(sc, k, "pm")) {
        *pm = word_at(sc, k, "pm");
        return k + 1;
    }
    if ((word_at(sc, k, "a") || word_at(sc, k, "p")) && punct_at(sc, k + 1) == '.' &&
        word_at(sc, k + 2, "m")) {
        *pm = word_at(sc, k, "p");
        return punct_at(sc, k + 3) == '.' ? k + 4 : k + 3;
    }
    return 0;
}

/* Qualifier words ending just before token k (a space between). */
static ts_number_qualifier qualifier_before(scan *sc, size_t k, size_t floor_tok, size_t *begin)
{
    /* the up to three words before k, nearest first, each after a space */
    const char *words[3] = {NULL, NULL, NULL};
    size_t pos[3] = {0, 0, 0};
    size_t p = k;
    for (int w = 0; w < 3; w++) {
        if (p < floor_tok + 2 || !kind_at(sc, p - 1, TK_SPACE) || !(words[w] = low_at(sc, p - 2)))
            break;
        p -= 2;
        pos[w] = p;
    }
    for (size_t q = 0; q < sizeof qualifiers / sizeof qualifiers[0]; q++) {
        int n = 0;
        while (n < 3 && qualifiers[q].words[n])
            n++;
        int ok = 1;
        for (int w = 0; w < n && ok; w++)
            ok = same_word(words[w], qualifiers[q].words[n - 1 - w]);
        if (ok) {
            *begin = tk(sc, pos[n - 1])->begin;
            return qualifiers[q].qualifier;
        }
    }
    *begin = tk(sc, k)->begin;
    return TS_NUMBER_EXACT;
}

/* What parse_number found besides the ts_number. */
typedef struct found {
    size_t first_tok; /* first token of the expression */
    size_t end_tok;   /* token after it */
    int scale_exp;    /* power of ten applied by a scale word, 0 if none */
} found;

/* Read the number expression that starts at token k, if any.  Returns 1
 * and fills *num when there is one; *next is always > k.  The expression
 * and its qualifier never reach back before token `floor_tok`, the end of the
 * previous number. */
static int parse_number(scan *sc, size_t k, size_t floor_tok, ts_number *num, found *f,
                        size_t *next)
{
    const char *unit = NULL, *currency = NULL;
    size_t start = k, i = k;
    int negative = 0;
    uint32_t cp = punct_at(sc, k);
    *next = k + 1;
    if (kind_at(sc, k, TK_SPACE))
        return 0;

    /* currency before the number: "$", "US$", "€", "USD " */
    if (currency_sign(cp)) {
        currency = currency_sign(cp);
        if (k > floor_tok && kind_at(sc, k - 1, TK_WORD)) {
            static const struct {
                const char *word;
                const char *unit;
            } prefixes[] = {{"us", UNIT_USD}, {"a", UNIT_AUD}, {"au", UNIT_AUD},
                            {"c", UNIT_CAD},  {"ca", UNIT_CAD}, {"hk", UNIT_HKD},
                            {"nz", UNIT_NZD}};
            const char *p = NULL;
            for (size_t q = 0; q < sizeof prefixes / sizeof prefixes[0]; q++)
                if (cp == '$' && word_at(sc, k - 1, prefixes[q].word))
                    p = prefixes[q].unit;
            if (!p)
                return 0;
            currency = p;
            start = k - 1;
        }
        i = k + 1;
        if (!kind_at(sc, i, TK_NUM))
            return 0;
    } else if (kind_at(sc, k, TK_WORD) && kind_at(sc, k + 1, TK_SPACE) &&
               kind_at(sc, k + 2, TK_NUM) &&
               (word_at(sc, k, "usd") || word_at(sc, k, "eur") || word_at(sc, k, "gbp"))) {
        currency = word_at(sc, k, "usd") ? UNIT_USD : word_at(sc, k, "eur") ? UNIT_EUR : UNIT_GBP;
        i = k + 2;
    } else if ((cp == '-' || cp == 0x2212) && kind_at(sc, k + 1, TK_NUM)) {
        /* a minus sign, unless it joins a word or a number: "COVID-19", "20-25" */
        if (k > 0 && (kind_at(sc, k - 1, TK_WORD) || kind_at(sc, k - 1, TK_NUM)))
            return 0;
        negative = 1;
        i = k + 1;
    }

    core c;
    if (kind_at(sc, i, TK_NUM)) {
        const tok *t = tk(sc, i);
        if (i == k && k > 0) {
            /* joined to a word before it: a name ("G7", "COVID-19", "24/7") */
            uint32_t prev = punct_at(sc, k - 1);
            int joined = kind_at(sc, k - 1, TK_WORD);
            if ((prev == '-' || prev == '_') && k >= 2 && kind_at(sc, k - 2, TK_WORD)) {
                joined = 1;
                for (size_t y = 0; y < sizeof year_prefixes / sizeof year_prefixes[0]; y++)
                    if (prev == '-' && word_at(sc, k - 2, year_prefixes[y]))
                        joined = 0;
            }
            if (prev == '/' && k >= 2 &&
                (kind_at(sc, k - 2, TK_WORD) || kind_at(sc, k - 2, TK_NUM)))
                joined = 1;
            if (joined) {
                *next = skip_name(sc, i);
                return 0;
            }
        }
        if (punct_at(sc, i + 1) == '/' &&
            (kind_at(sc, i + 2, TK_NUM) || kind_at(sc, i + 2, TK_WORD))) {
            *next = skip_name(sc, i);
            return 0;
        }
        memset(&c, 0, sizeof c);
        c.from_digits = 1;
        c.integer = !t->point;
        c.grouped = t->grouped;
        c.int_digits = t->int_digits;
        c.mant = t->mant;
        c.exp10 = t->exp10;
        c.end = i + 1;
    } else if (i == k && parse_words(sc, k, &c)) {
        /* number words */
    } else {
        return 0;
    }

    size_t e = c.end;
    int scale_exp = 0, is_clock = 0;
    double value;

    if (c.from_digits) {
        /* scale: "2.5 million", "3bn", "$4m" */
        for (size_t q = 0; q < sizeof digit_scales / sizeof digit_scales[0] && !scale_exp; q++) {
            if (digit_scales[q].where == ATTACHED && word_at(sc, e, digit_scales[q].word)) {
                scale_exp = digit_scales[q].exp10;
                e += 1;
            } else if (digit_scales[q].where == AFTER_SPACE && kind_at(sc, e, TK_SPACE) &&
                       word_at(sc, e + 1, digit_scales[q].word)) {
                scale_exp = digit_scales[q].exp10;
                e += 2;
            }
        }
        if (!scale_exp && currency && word_at(sc, e, "m")) {
            scale_exp = 6;
            e += 1;
        }
        value = pow10_value(c.mant, c.exp10 + scale_exp);

        /* clock times: "10:30", "10:30 pm", "5pm", "5 p.m." */
        int pm = 0;
        size_t after;
        if (!currency && !negative && !scale_exp && c.integer && c.int_digits <= 2 &&
            value <= 24 && punct_at(sc, e) == ':' && kind_at(sc, e + 1, TK_NUM) &&
            !tk(sc, e + 1)->point && tk(sc, e + 1)->int_digits == 2 &&
            pow10_value(tk(sc, e + 1)->mant, 0) < 60) {
            double minutes = pow10_value(tk(sc, e + 1)->mant, 0);
            e += 2;
            if (value >= 1 && value <= 12 && (after = ampm_at(sc, e, &pm)) != 0) {
                value = fmod(value, 12) + (pm ? 12 : 0);
                e = after;
            }
            value += minutes / 60;
            is_clock = 1;
        } else if (!currency && !negative && !scale_exp && c.integer && value >= 1 &&
                   value <= 12 && (after = ampm_at(sc, e, &pm)) != 0) {
            value = fmod(value, 12) + (pm ? 12 : 0);
            e = after;
            is_clock = 1;
        }
        if (is_clock)
            unit = UNIT_CLOCK;
    } else {
        value = c.value;
        scale_exp = c.word_scale_exp;
    }
    if (negative)
        value = -value;

    /* unit */
    if (currency) {
        unit = currency;
    } else if (!unit) {
        uint32_t p = punct_at(sc, e);
        const char *u;
        if (p == '%') {
            unit = UNIT_PERCENT;
            e += 1;
        } else if (kind_at(sc, e, TK_SPACE) && punct_at(sc, e + 1) == '%') {
            unit = UNIT_PERCENT;
            e += 2;
        } else if (currency_sign(p)) {
            unit = currency_sign(p);
            e += 1;
        } else if (kind_at(sc, e, TK_SPACE) && currency_sign(punct_at(sc, e + 1)) &&
                   !kind_at(sc, e + 2, TK_NUM)) {
            unit = currency_sign(punct_at(sc, e + 1));
            e += 2;
        } else if (p == 0xB0) { /* degree sign */
            unit = UNIT_DEGREE;
            e += 1;
            if (word_at(sc, e, "c") || word_at(sc, e, "f")) {
                unit = word_at(sc, e, "c") ? UNIT_CELSIUS : UNIT_FAHRENHEIT;
                e += 1;
            }
        } else if (kind_at(sc, e, TK_WORD)) {
            /* attached: "5km", "19pc", "1st"; anything else makes a name ("5G") */
            if (c.from_digits && c.integer &&
                (word_at(sc, e, "st") || word_at(sc, e, "nd") || word_at(sc, e, "rd") ||
                 word_at(sc, e, "th"))) {
                unit = UNIT_ORDINAL;
                e += 1;
            } else if ((u = unit_word_at(sc, e, ATTACHED)) != NULL) {
                unit = u;
                e += 1;
            } else {
                *next = skip_name(sc, i);
                return 0;
            }
        } else if (is_hyphen(p) && (u = unit_word_at(sc, e + 1, AFTER_HYPHEN)) != NULL) {
            unit = u;
            e += 2;
        } else if (kind_at(sc, e, TK_SPACE) && kind_at(sc, e + 1, TK_WORD)) {
            if (word_at(sc, e + 1, "per") && kind_at(sc, e + 2, TK_SPACE) &&
                word_at(sc, e + 3, "cent")) {
                unit = UNIT_PERCENT;
                e += 4;
            } else if (word_at(sc, e + 1, "percentage") && kind_at(sc, e + 2, TK_SPACE) &&
                       (word_at(sc, e + 3, "point") || word_at(sc, e + 3, "points"))) {
                unit = UNIT_PP;
                e += 4;
            } else if (word_at(sc, e + 1, "us") && kind_at(sc, e + 2, TK_SPACE) &&
                       (word_at(sc, e + 3, "dollars") || word_at(sc, e + 3, "dollar"))) {
                unit = UNIT_USD;
                e += 4;
            } else if ((u = unit_word_at(sc, e + 1, AFTER_SPACE)) != NULL) {
                unit = u;
                e += 2;
            }
        }
    }
    if (!unit)
        unit = UNIT_NONE;
    if (c.lone_one && unit == UNIT_NONE) {
        *next = e;
        return 0;
    }
    if (!isfinite(value)) {
        *next = e;
        return 0;
    }

    size_t qbegin;
    ts_number_qualifier qual = qualifier_before(sc, start, floor_tok, &qbegin);

    /* dates: "March 5", "5 March", "5th of March" */
    if (c.from_digits && c.integer && !c.grouped && !negative && !scale_exp &&
        c.int_digits <= 2 && value >= 1 && value <= 31 &&
        (unit == UNIT_NONE || unit == UNIT_ORDINAL)) {
        int month = 0;
        if (start >= floor_tok + 2 && kind_at(sc, start - 1, TK_SPACE) &&
            (month = month_at(sc, start - 2)) != 0) {
            start -= 2;
            qual = qualifier_before(sc, start, floor_tok, &qbegin);
        } else if (kind_at(sc, e, TK_SPACE) && (month = month_at(sc, e + 1)) != 0) {
            e += 2;
        } else if (kind_at(sc, e, TK_SPACE) && word_at(sc, e + 1, "of") &&
                   kind_at(sc, e + 2, TK_SPACE) && (month = month_at(sc, e + 3)) != 0) {
            e += 4;
        }
        if (month) {
            value = month * 100 + value;
            unit = UNIT_DATE;
        }
    }
    /* calendar years: "in 2025" */
    if (unit == UNIT_NONE && c.from_digits && c.integer && !c.grouped && !negative &&
        !scale_exp && c.int_digits == 4 && value >= 1900 && value <= 2100 &&
        (qual == TS_NUMBER_EXACT || qual == TS_NUMBER_ABOUT))
        unit = UNIT_CALENDAR_YEAR;

    num->value = value;
    num->unit = unit;
    num->qualifier = qual;
    num->qualifier_begin = qbegin;
    num->begin = tk(sc, start)->begin;
    num->end = tk(sc, e - 1)->end;
    f->first_tok = start;
    f->end_tok = e;
    f->scale_exp = scale_exp;
    *next = e;
    return 1;
}

/* "20-25", "20 - 25", "20 to 25": tokens [from, to) separate a range. */
static int range_between(scan *sc, size_t from, size_t to)
{
    if (to == from + 1)
        return is_range_dash(punct_at(sc, from));
    if (to == from + 3 && kind_at(sc, from, TK_SPACE) && kind_at(sc, from + 2, TK_SPACE))
        return is_range_dash(punct_at(sc, from + 1)) || word_at(sc, from + 1, "to");
    return 0;
}

/* A range shares one unit and one scale: "20-25 percent", "$5-6 billion". */
static void share_range(ts_number *n1, const found *f1, ts_number *n2, const found *f2)
{
    if (unit_is_special(n1->unit) || unit_is_special(n2->unit))
        return;
    if (n1->unit[0] == '\0' && n2->unit[0] != '\0')
        n1->unit = n2->unit;
    else if (n2->unit[0] == '\0' && n1->unit[0] != '\0')
        n2->unit = n1->unit;
    if (strcmp(n1->unit, n2->unit) == 0 && f1->scale_exp == 0 && f2->scale_exp > 0 &&
        f2->scale_exp <= 12) {
        static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
                                       1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
        n1->value *= scale[f2->scale_exp];
    }
}

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

ts_status ts_numbers_extract(const char *text, size_t length, ts_number_list *list,
                             ts_diag *diag)
{
    if (!list)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_numbers_extract: the output list is NULL");
    list->count = 0;
    if (!text && length)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_numbers_extract: text is NULL but length is %zu",
                       length);
    if (length == 0)
        return TS_OK;
    scan *sc = malloc(sizeof *sc);
    if (!sc)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory scanning a statement");
    sc->text = text;
    sc->length = length;
    sc->pos = 0;
    sc->lexed = 0;

    ts_status st = TS_OK;
    found last = {0, 0, 0};
    size_t k = 0;
    while (tk(sc, k) && st == TS_OK) {
        ts_number num;
        found f;
        size_t next;
        int got = parse_number(sc, k, last.end_tok, &num, &f, &next);
        if (next <= k) { /* cannot happen; guarantees progress all the same */
            st = TS_FAIL(diag, TS_ERR_INTERNAL, "the number scanner stalled at byte %zu",
                         tk(sc, k)->begin);
            break;
        }
        if (got) {
            if (list->count > 0 && num.qualifier == TS_NUMBER_EXACT &&
                f.first_tok - last.end_tok <= 3 && range_between(sc, last.end_tok, f.first_tok))
                share_range(&list->items[list->count - 1], &last, &num, &f);
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
