/*
 * numbers_parse.c - reading one number expression (numbers_parse.h).
 *
 * At each token that can start a number (a digit literal, a number word, a
 * currency sign, a minus sign) ts_num_parse reads the whole expression in
 * steps - prefix (currency or minus), core (digits or words), scale and
 * clock time, unit, date or year - and looks back a few tokens for a
 * qualifier or a month name.  Every step looks at a bounded number of
 * tokens (numbers_lex.h) and the caller resumes after what it consumed, so
 * the work is linear.  The words come from numbers_tables.h.
 */
#include "numbers_parse.h"

#include <math.h>
#include <string.h>

#include "numbers_tables.h"

/* Month number 1..12 of a capitalised month name at k, 0 if none. */
static int month_at(ts_num_scan *sc, size_t k)
{
    if (!ts_num_kind_at(sc, k, TS_TK_WORD) || !ts_num_is_upper_at(sc, k))
        return 0;
    return ts_num_month(ts_num_low_at(sc, k));
}

static const char *unit_word_at(ts_num_scan *sc, size_t k, unsigned where)
{
    return ts_num_unit_word(ts_num_low_at(sc, k), where, sc->loc.words);
}

static ts_num_word_class number_word_at(ts_num_scan *sc, size_t k, double *value)
{
    return ts_num_number_word(ts_num_low_at(sc, k), sc->loc.words, value);
}

static int is_hyphen(uint32_t cp) { return cp == '-'; }
static int is_range_dash(uint32_t cp) { return cp == '-' || cp == 0x2013; }

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
static int parse_words(ts_num_scan *sc, size_t k, core *c)
{
    ts_num_word_class last = TS_NW_START;
    double total = 0, current = 0, last_scale = INFINITY, v;
    size_t j = k, words = 0, end = k;
    int only_one = 0, last_exp = 0;
    if (ts_num_word_at(sc, k, "a") && ts_num_kind_at(sc, k + 1, TS_TK_SPACE)) {
        ts_num_word_class next = number_word_at(sc, k + 2, &v);
        if (next == TS_NW_HUNDRED || next == TS_NW_DOZEN || next == TS_NW_SCALE) {
            last = TS_NW_A;
            current = 1;
            j = k + 2;
        }
    }
    for (;;) {
        ts_num_word_class cls = number_word_at(sc, j, &v);
        if (cls == TS_NW_NONE || !ts_num_word_may_follow(last, cls))
            break;
        if (cls == TS_NW_SCALE && v >= last_scale)
            break;
        switch (cls) {
        case TS_NW_HUNDRED:
        case TS_NW_DOZEN:
            current *= v;
            break;
        case TS_NW_SCALE:
            total += current * v;
            current = 0;
            last_scale = v;
            break;
        default:
            current += v;
            break;
        }
        last_exp = cls == TS_NW_HUNDRED ? 2 : cls == TS_NW_SCALE ? (int)lround(log10(v)) : 0;
        only_one = words == 0 && ts_num_word_at(sc, j, "one");
        words++;
        last = cls;
        end = j + 1;
        if (is_hyphen(ts_num_punct_at(sc, end)) && last == TS_NW_TENS &&
            number_word_at(sc, end + 1, &v) == TS_NW_UNIT) {
            j = end + 1;
        } else if (ts_num_kind_at(sc, end, TS_TK_SPACE) && ts_num_word_at(sc, end + 1, "and") &&
                   (last == TS_NW_HUNDRED || last == TS_NW_SCALE) &&
                   ts_num_kind_at(sc, end + 2, TS_TK_SPACE)) {
            ts_num_word_class after = number_word_at(sc, end + 3, &v);
            if (after != TS_NW_UNIT && after != TS_NW_TEEN && after != TS_NW_TENS)
                break;
            j = end + 3;
        } else if (ts_num_kind_at(sc, end, TS_TK_SPACE)) {
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
static size_t skip_name(ts_num_scan *sc, size_t k)
{
    while (ts_num_tok_at(sc, k)) {
        if (ts_num_kind_at(sc, k, TS_TK_WORD) || ts_num_kind_at(sc, k, TS_TK_NUM)) {
            k++;
            continue;
        }
        uint32_t cp = ts_num_punct_at(sc, k);
        if ((cp == '-' || cp == '_' || cp == '/') &&
            (ts_num_kind_at(sc, k + 1, TS_TK_WORD) || ts_num_kind_at(sc, k + 1, TS_TK_NUM))) {
            k++;
            continue;
        }
        break;
    }
    return k;
}

/* "am", "pm", "a.m.", "p.m." at k, after an optional space.  Returns the
 * token after it and sets *pm, or 0 if none. */
static size_t ampm_at(ts_num_scan *sc, size_t k, int *pm)
{
    if (ts_num_kind_at(sc, k, TS_TK_SPACE))
        k++;
    if (ts_num_word_at(sc, k, "am") || ts_num_word_at(sc, k, "pm")) {
        *pm = ts_num_word_at(sc, k, "pm");
        return k + 1;
    }
    if ((ts_num_word_at(sc, k, "a") || ts_num_word_at(sc, k, "p")) &&
        ts_num_punct_at(sc, k + 1) == '.' && ts_num_word_at(sc, k + 2, "m")) {
        *pm = ts_num_word_at(sc, k, "p");
        return ts_num_punct_at(sc, k + 3) == '.' ? k + 4 : k + 3;
    }
    return 0;
}

/* Qualifier words ending just before token k: a space before the number,
 * a space or an apostrophe between words ("jusqu'à"), and the nearest word
 * may be an abbreviation with its point ("ca. 1.200"). */
static ts_number_qualifier qualifier_before(ts_num_scan *sc, size_t k, size_t floor_tok,
                                            size_t *begin)
{
    /* the up to three words before k, nearest first */
    const char *words[3] = {NULL, NULL, NULL};
    size_t pos[3] = {0, 0, 0};
    size_t p = k; /* the token after the words found so far */
    for (int w = 0; w < 3; w++) {
        size_t q = p;
        int abbreviated = 0;
        uint32_t sep = q > floor_tok ? ts_num_punct_at(sc, q - 1) : 0;
        if (q > floor_tok && ts_num_kind_at(sc, q - 1, TS_TK_SPACE)) {
            q--;
            if (w == 0 && q > floor_tok + 1 && ts_num_punct_at(sc, q - 1) == '.') {
                q--; /* "ca. 1.200", "approx. 5" */
                abbreviated = 1;
            }
        } else if (w > 0 && (sep == '\'' || sep == 0x2019)) {
            q--;
        } else {
            break;
        }
        if (q <= floor_tok || !(words[w] = ts_num_low_at(sc, q - 1)) ||
            (abbreviated && !ts_num_qualifier_abbreviation(words[w]))) {
            words[w] = NULL;
            break;
        }
        p = q - 1;
        pos[w] = p;
    }
    int n;
    ts_number_qualifier q = ts_num_qualifier(words, sc->loc.words, &n);
    *begin = ts_num_tok_at(sc, n ? pos[n - 1] : k)->begin;
    return q;
}

/* A number expression being read: where it starts, how far it reaches and
 * what each step found. */
typedef struct expr {
    size_t start;         /* its first token (a currency prefix, a minus) */
    size_t i;             /* the core's first token */
    size_t e;             /* the token after what was read so far */
    int negative;
    const char *currency; /* before the number, or NULL */
    const char *unit;     /* NULL until found */
    core c;
    double value;
    int scale_exp;
    ts_number_qualifier qual;
    size_t qbegin;
} expr;

/* Step 1: a currency before the number ("$", "US$", "USD ") or a minus
 * sign.  Returns 0 when what starts at k cannot begin a number. */
static int read_prefix(ts_num_scan *sc, size_t k, size_t floor_tok, expr *x)
{
    uint32_t cp = ts_num_punct_at(sc, k);
    x->start = x->i = k;
    if (ts_num_currency_sign(cp)) {
        x->currency = ts_num_currency_sign(cp);
        if (k > floor_tok && ts_num_kind_at(sc, k - 1, TS_TK_WORD)) {
            const char *p = cp == '$' ? ts_num_dollar_prefix(ts_num_low_at(sc, k - 1)) : NULL;
            if (!p)
                return 0;
            x->currency = p;
            x->start = k - 1;
        }
        x->i = k + 1;
        return ts_num_kind_at(sc, x->i, TS_TK_NUM);
    }
    if (ts_num_kind_at(sc, k, TS_TK_WORD) && ts_num_kind_at(sc, k + 1, TS_TK_SPACE) &&
        ts_num_kind_at(sc, k + 2, TS_TK_NUM) &&
        (ts_num_word_at(sc, k, "usd") || ts_num_word_at(sc, k, "eur") ||
         ts_num_word_at(sc, k, "gbp"))) {
        x->currency = ts_num_word_at(sc, k, "usd")   ? TS_UNIT_USD
                      : ts_num_word_at(sc, k, "eur") ? TS_UNIT_EUR
                                                     : TS_UNIT_GBP;
        x->i = k + 2;
    } else if ((cp == '-' || cp == 0x2212) && ts_num_kind_at(sc, k + 1, TS_TK_NUM)) {
        /* a minus sign, unless it joins a word or a number: "COVID-19", "20-25" */
        if (k > 0 &&
            (ts_num_kind_at(sc, k - 1, TS_TK_WORD) || ts_num_kind_at(sc, k - 1, TS_TK_NUM)))
            return 0;
        x->negative = 1;
        x->i = k + 1;
    }
    return 1;
}

/* Digits at token i joined to a word or number into a name ("G7",
 * "COVID-19", "24/7", "4/5ths"). */
static int is_name(ts_num_scan *sc, size_t k, size_t i)
{
    if (i == k && k > 0) {
        uint32_t prev = ts_num_punct_at(sc, k - 1);
        int joined = ts_num_kind_at(sc, k - 1, TS_TK_WORD);
        if ((prev == '-' || prev == '_') && k >= 2 && ts_num_kind_at(sc, k - 2, TS_TK_WORD))
            joined = !(prev == '-' && ts_num_year_prefix(ts_num_low_at(sc, k - 2)));
        if (prev == '/' && k >= 2 &&
            (ts_num_kind_at(sc, k - 2, TS_TK_WORD) || ts_num_kind_at(sc, k - 2, TS_TK_NUM)))
            joined = 1;
        if (joined)
            return 1;
    }
    return ts_num_punct_at(sc, i + 1) == '/' &&
           (ts_num_kind_at(sc, i + 2, TS_TK_NUM) || ts_num_kind_at(sc, i + 2, TS_TK_WORD));
}

/* Step 2: the core - a digit literal or number words.  Returns 0 when there
 * is none (*next then skips a name the digits belong to). */
static int read_core(ts_num_scan *sc, size_t k, expr *x, size_t *next)
{
    core *c = &x->c;
    size_t i = x->i;
    if (ts_num_kind_at(sc, i, TS_TK_NUM)) {
        const ts_num_tok *t = ts_num_tok_at(sc, i);
        if (is_name(sc, k, i)) {
            *next = skip_name(sc, i);
            return 0;
        }
        memset(c, 0, sizeof *c);
        c->from_digits = 1;
        c->integer = !t->point;
        c->grouped = t->grouped;
        c->int_digits = t->int_digits;
        c->mant = t->mant;
        c->exp10 = t->exp10;
        c->end = i + 1;
    } else if (!(i == k && parse_words(sc, k, c))) {
        return 0;
    }
    x->e = c->end;
    return 1;
}

/* Step 3, digits: a scale ("2.5 million", "3bn", "$4m") and clock times
 * ("10:30", "10:30 pm", "5pm", "5 p.m."). */
static void read_scale_and_clock(ts_num_scan *sc, expr *x)
{
    const core *c = &x->c;
    size_t e = x->e;
    const unsigned lang = sc->loc.words;
    int scale_exp = ts_num_digit_scale(ts_num_low_at(sc, e), TS_NUM_ATTACHED, lang), more;
    if (scale_exp) {
        e += 1;
    } else if (ts_num_kind_at(sc, e, TS_TK_SPACE) &&
               (scale_exp = ts_num_digit_scale(ts_num_low_at(sc, e + 1), TS_NUM_AFTER_SPACE,
                                               lang))) {
        e += 2;
        /* two scales multiply: "mil millones", "thousand million" */
        if (scale_exp == 3 && ts_num_kind_at(sc, e, TS_TK_SPACE) &&
            (more = ts_num_digit_scale(ts_num_low_at(sc, e + 1), TS_NUM_AFTER_SPACE, lang)) >= 6) {
            scale_exp += more;
            e += 2;
        }
    }
    if (!scale_exp && x->currency && ts_num_word_at(sc, e, "m")) {
        scale_exp = 6;
        e += 1;
    }
    double value = pow10_value(c->mant, c->exp10 + scale_exp);

    int pm = 0, is_clock = 0;
    size_t after;
    int plain = !x->currency && !x->negative && !scale_exp && c->integer;
    if (plain && c->int_digits <= 2 && value <= 24 && ts_num_punct_at(sc, e) == ':' &&
        ts_num_kind_at(sc, e + 1, TS_TK_NUM) && !ts_num_tok_at(sc, e + 1)->point &&
        ts_num_tok_at(sc, e + 1)->int_digits == 2 &&
        pow10_value(ts_num_tok_at(sc, e + 1)->mant, 0) < 60) {
        double minutes = pow10_value(ts_num_tok_at(sc, e + 1)->mant, 0);
        e += 2;
        if (value >= 1 && value <= 12 && (after = ampm_at(sc, e, &pm)) != 0) {
            value = fmod(value, 12) + (pm ? 12 : 0);
            e = after;
        }
        value += minutes / 60;
        is_clock = 1;
    } else if (plain && value >= 1 && value <= 12 && (after = ampm_at(sc, e, &pm)) != 0) {
        value = fmod(value, 12) + (pm ? 12 : 0);
        e = after;
        is_clock = 1;
    }
    if (is_clock)
        x->unit = TS_UNIT_CLOCK;
    x->value = value;
    x->scale_exp = scale_exp;
    x->e = e;
}

/* Step 4: the unit after the number: "%", a currency sign, a degree sign,
 * an attached word ("5km", "1st"), a hyphenated one ("five-hour"), a spaced
 * one ("19 per cent", "2,000 troops").  Returns 0 when an attached word
 * makes the digits a name ("5G"; *next then skips it). */
static int read_unit(ts_num_scan *sc, expr *x, size_t *next)
{
    size_t e = x->e;
    const char *unit = NULL, *u;
    uint32_t p = ts_num_punct_at(sc, e);
    if (p == '%') {
        unit = TS_UNIT_PERCENT;
        e += 1;
    } else if (ts_num_kind_at(sc, e, TS_TK_SPACE) && ts_num_punct_at(sc, e + 1) == '%') {
        unit = TS_UNIT_PERCENT;
        e += 2;
    } else if (ts_num_currency_sign(p)) {
        unit = ts_num_currency_sign(p);
        e += 1;
    } else if (ts_num_kind_at(sc, e, TS_TK_SPACE) &&
               ts_num_currency_sign(ts_num_punct_at(sc, e + 1)) &&
               !ts_num_kind_at(sc, e + 2, TS_TK_NUM)) {
        unit = ts_num_currency_sign(ts_num_punct_at(sc, e + 1));
        e += 2;
    } else if (p == 0xB0) { /* degree sign */
        unit = TS_UNIT_DEGREE;
        e += 1;
        if (ts_num_word_at(sc, e, "c") || ts_num_word_at(sc, e, "f")) {
            unit = ts_num_word_at(sc, e, "c") ? TS_UNIT_CELSIUS : TS_UNIT_FAHRENHEIT;
            e += 1;
        }
    } else if (ts_num_kind_at(sc, e, TS_TK_WORD)) {
        /* attached: "5km", "19pc", "1st"; anything else makes a name ("5G") */
        if (x->c.from_digits && x->c.integer &&
            (ts_num_word_at(sc, e, "st") || ts_num_word_at(sc, e, "nd") ||
             ts_num_word_at(sc, e, "rd") || ts_num_word_at(sc, e, "th"))) {
            unit = TS_UNIT_ORDINAL;
            e += 1;
        } else if ((u = unit_word_at(sc, e, TS_NUM_ATTACHED)) != NULL) {
            unit = u;
            e += 1;
        } else {
            *next = skip_name(sc, x->i);
            return 0;
        }
    } else if (is_hyphen(p) && (u = unit_word_at(sc, e + 1, TS_NUM_AFTER_HYPHEN)) != NULL) {
        unit = u;
        e += 2;
    } else if (ts_num_kind_at(sc, e, TS_TK_SPACE) && ts_num_kind_at(sc, e + 1, TS_TK_WORD)) {
        if (ts_num_kind_at(sc, e + 2, TS_TK_SPACE) &&
            (u = ts_num_unit_pair(ts_num_low_at(sc, e + 1), ts_num_low_at(sc, e + 3),
                                  sc->loc.words)) != NULL) {
            unit = u; /* "per cent", "percentage points", "US dollars", "pour cent" */
            e += 4;
        } else if ((u = unit_word_at(sc, e + 1, TS_NUM_AFTER_SPACE)) != NULL) {
            unit = u;
            e += 2;
        }
    }
    x->unit = unit;
    x->e = e;
    return 1;
}

/* Step 5: a day with a month becomes a date ("March 5", "5 March", "5th of
 * March"), a four-digit number a calendar year ("in 2025"). */
static void read_date_or_year(ts_num_scan *sc, size_t floor_tok, expr *x)
{
    const core *c = &x->c;
    int plain = c->from_digits && c->integer && !c->grouped && !x->negative && !x->scale_exp;
    if (plain && c->int_digits <= 2 && x->value >= 1 && x->value <= 31 &&
        (x->unit == TS_UNIT_NONE || x->unit == TS_UNIT_ORDINAL)) {
        int month = 0;
        size_t e = x->e;
        if (x->start >= floor_tok + 2 && ts_num_kind_at(sc, x->start - 1, TS_TK_SPACE) &&
            (month = month_at(sc, x->start - 2)) != 0) {
            x->start -= 2;
            x->qual = qualifier_before(sc, x->start, floor_tok, &x->qbegin);
        } else if (ts_num_kind_at(sc, e, TS_TK_SPACE) && (month = month_at(sc, e + 1)) != 0) {
            x->e += 2;
        } else if (ts_num_kind_at(sc, e, TS_TK_SPACE) && ts_num_word_at(sc, e + 1, "of") &&
                   ts_num_kind_at(sc, e + 2, TS_TK_SPACE) && (month = month_at(sc, e + 3)) != 0) {
            x->e += 4;
        }
        if (month) {
            x->value = month * 100 + x->value;
            x->unit = TS_UNIT_DATE;
        }
    }
    if (x->unit == TS_UNIT_NONE && plain && c->int_digits == 4 && x->value >= 1900 &&
        x->value <= 2100 && (x->qual == TS_NUMBER_EXACT || x->qual == TS_NUMBER_ABOUT))
        x->unit = TS_UNIT_CALENDAR_YEAR;
}

int ts_num_parse(ts_num_scan *sc, size_t k, size_t floor_tok, ts_number *num, ts_num_found *f,
                 size_t *next)
{
    expr x;
    memset(&x, 0, sizeof x);
    *next = k + 1;
    if (ts_num_kind_at(sc, k, TS_TK_SPACE) || !read_prefix(sc, k, floor_tok, &x) ||
        !read_core(sc, k, &x, next))
        return 0;
    if (x.c.from_digits) {
        read_scale_and_clock(sc, &x);
    } else {
        x.value = x.c.value;
        x.scale_exp = x.c.word_scale_exp;
    }
    if (x.negative)
        x.value = -x.value;
    if (x.currency)
        x.unit = x.currency;
    else if (!x.unit && !read_unit(sc, &x, next))
        return 0;
    if (!x.unit)
        x.unit = TS_UNIT_NONE;
    if ((x.c.lone_one && x.unit == TS_UNIT_NONE) || !isfinite(x.value)) {
        *next = x.e;
        return 0;
    }
    x.qual = qualifier_before(sc, x.start, floor_tok, &x.qbegin);
    read_date_or_year(sc, floor_tok, &x);

    num->value = x.value;
    num->unit = x.unit;
    num->qualifier = x.qual;
    num->qualifier_begin = x.qbegin;
    num->begin = ts_num_tok_at(sc, x.start)->begin;
    num->end = ts_num_tok_at(sc, x.e - 1)->end;
    f->first_tok = x.start;
    f->end_tok = x.e;
    f->scale_exp = x.scale_exp;
    *next = x.e;
    return 1;
}

/* "20-25", "20 - 25", "20 to 25": tokens [from, to) separate a range. */
int ts_num_range_between(ts_num_scan *sc, size_t from, size_t to)
{
    if (to == from + 1)
        return is_range_dash(ts_num_punct_at(sc, from));
    if (to == from + 3 && ts_num_kind_at(sc, from, TS_TK_SPACE) &&
        ts_num_kind_at(sc, from + 2, TS_TK_SPACE))
        return is_range_dash(ts_num_punct_at(sc, from + 1)) ||
               ts_num_range_word(ts_num_low_at(sc, from + 1), sc->loc.words);
    return 0;
}

/* A range shares one unit and one scale: "20-25 percent", "$5-6 billion". */
void ts_num_share_range(ts_number *n1, const ts_num_found *f1, ts_number *n2,
                        const ts_num_found *f2)
{
    if (ts_num_unit_is_special(n1->unit) || ts_num_unit_is_special(n2->unit))
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
