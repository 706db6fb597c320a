/*
 * numbers_tables.c - the words of numbers (numbers_tables.h): canonical
 * units, unit words and count nouns, number words, scales, qualifiers,
 * month names and currency signs.  Constant tables, searched linearly: each
 * holds a few dozen short words, and a word is looked up only at a token
 * that can belong to a number.
 */
#include "numbers_tables.h"

#include <string.h>

const char TS_UNIT_NONE[] = "";
const char TS_UNIT_PERCENT[] = "percent";
const char TS_UNIT_PP[] = "pp";
const char TS_UNIT_USD[] = "USD";
const char TS_UNIT_EUR[] = "EUR";
const char TS_UNIT_GBP[] = "GBP";
const char TS_UNIT_JPY[] = "JPY";
const char TS_UNIT_INR[] = "INR";
const char TS_UNIT_AUD[] = "AUD";
const char TS_UNIT_CAD[] = "CAD";
const char TS_UNIT_HKD[] = "HKD";
const char TS_UNIT_NZD[] = "NZD";
const char TS_UNIT_DEGREE[] = "degree";
const char TS_UNIT_CELSIUS[] = "celsius";
const char TS_UNIT_FAHRENHEIT[] = "fahrenheit";
const char TS_UNIT_CALENDAR_YEAR[] = "calendar-year";
const char TS_UNIT_DATE[] = "date";
const char TS_UNIT_CLOCK[] = "clock";
const char TS_UNIT_ORDINAL[] = "ordinal";


int ts_num_unit_is_special(const char *unit)
{
    return unit == TS_UNIT_CALENDAR_YEAR || unit == TS_UNIT_DATE || unit == TS_UNIT_CLOCK ||
           unit == TS_UNIT_ORDINAL;
}

static int same_word(const char *low, const char *word)
{
    return low && low[0] == word[0] && strcmp(low, word) == 0;
}

typedef struct unit_word {
    const char *word; /* lowercase ASCII */
    const char *unit;
    unsigned char where;
} unit_word;

static const unit_word unit_words[] = {
    {"percent", "percent", TS_NUM_ANYWHERE},   {"pc", "percent", TS_NUM_ANYWHERE},
    {"pct", "percent", TS_NUM_ANYWHERE},       {"pp", "pp", TS_NUM_ANYWHERE},
    {"dollar", "USD", TS_NUM_ANYWHERE},        {"dollars", "USD", TS_NUM_ANYWHERE},
    {"euro", "EUR", TS_NUM_ANYWHERE},          {"euros", "EUR", TS_NUM_ANYWHERE},
    {"yen", "JPY", TS_NUM_ANYWHERE},           {"yuan", "CNY", TS_NUM_ANYWHERE},
    {"rupee", "INR", TS_NUM_ANYWHERE},         {"rupees", "INR", TS_NUM_ANYWHERE},
    {"second", "second", TS_NUM_ANYWHERE},     {"seconds", "second", TS_NUM_ANYWHERE},
    {"sec", "second", TS_NUM_ANYWHERE},        {"secs", "second", TS_NUM_ANYWHERE},
    {"minute", "minute", TS_NUM_ANYWHERE},     {"minutes", "minute", TS_NUM_ANYWHERE},
    {"min", "minute", TS_NUM_ANYWHERE},        {"mins", "minute", TS_NUM_ANYWHERE},
    {"hour", "hour", TS_NUM_ANYWHERE},         {"hours", "hour", TS_NUM_ANYWHERE},
    {"hr", "hour", TS_NUM_ANYWHERE},           {"hrs", "hour", TS_NUM_ANYWHERE},
    {"h", "hour", TS_NUM_ATTACHED},            {"day", "day", TS_NUM_ANYWHERE},
    {"days", "day", TS_NUM_ANYWHERE},          {"week", "week", TS_NUM_ANYWHERE},
    {"weeks", "week", TS_NUM_ANYWHERE},        {"month", "month", TS_NUM_ANYWHERE},
    {"months", "month", TS_NUM_ANYWHERE},      {"year", "year", TS_NUM_ANYWHERE},
    {"years", "year", TS_NUM_ANYWHERE},        {"yr", "year", TS_NUM_ANYWHERE},
    {"yrs", "year", TS_NUM_ANYWHERE},          {"decade", "decade", TS_NUM_ANYWHERE},
    {"decades", "decade", TS_NUM_ANYWHERE},    {"km", "km", TS_NUM_ANYWHERE},
    {"kms", "km", TS_NUM_ANYWHERE},            {"kilometre", "km", TS_NUM_ANYWHERE},
    {"kilometres", "km", TS_NUM_ANYWHERE},     {"kilometer", "km", TS_NUM_ANYWHERE},
    {"kilometers", "km", TS_NUM_ANYWHERE},     {"m", "m", TS_NUM_ATTACHED},
    {"metre", "m", TS_NUM_ANYWHERE},           {"metres", "m", TS_NUM_ANYWHERE},
    {"meter", "m", TS_NUM_ANYWHERE},           {"meters", "m", TS_NUM_ANYWHERE},
    {"mile", "mile", TS_NUM_ANYWHERE},         {"miles", "mile", TS_NUM_ANYWHERE},
    {"kg", "kg", TS_NUM_ANYWHERE},             {"kilogram", "kg", TS_NUM_ANYWHERE},
    {"kilograms", "kg", TS_NUM_ANYWHERE},      {"kilo", "kg", TS_NUM_ANYWHERE},
    {"kilos", "kg", TS_NUM_ANYWHERE},          {"tonne", "tonne", TS_NUM_ANYWHERE},
    {"tonnes", "tonne", TS_NUM_ANYWHERE},      {"ton", "tonne", TS_NUM_ANYWHERE},
    {"tons", "tonne", TS_NUM_ANYWHERE},        {"degree", "degree", TS_NUM_ANYWHERE},
    {"degrees", "degree", TS_NUM_ANYWHERE},
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

const char *ts_num_unit_word(const char *low, unsigned where)
{
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

static const struct {
    const char *word;
    ts_num_word_class cls;
    double value;
} number_words[] = {
    {"zero", TS_NW_ZERO, 0},        {"one", TS_NW_UNIT, 1},         {"two", TS_NW_UNIT, 2},
    {"three", TS_NW_UNIT, 3},       {"four", TS_NW_UNIT, 4},        {"five", TS_NW_UNIT, 5},
    {"six", TS_NW_UNIT, 6},         {"seven", TS_NW_UNIT, 7},       {"eight", TS_NW_UNIT, 8},
    {"nine", TS_NW_UNIT, 9},        {"ten", TS_NW_TEEN, 10},        {"eleven", TS_NW_TEEN, 11},
    {"twelve", TS_NW_TEEN, 12},     {"thirteen", TS_NW_TEEN, 13},   {"fourteen", TS_NW_TEEN, 14},
    {"fifteen", TS_NW_TEEN, 15},    {"sixteen", TS_NW_TEEN, 16},    {"seventeen", TS_NW_TEEN, 17},
    {"eighteen", TS_NW_TEEN, 18},   {"nineteen", TS_NW_TEEN, 19},   {"twenty", TS_NW_TENS, 20},
    {"thirty", TS_NW_TENS, 30},     {"forty", TS_NW_TENS, 40},      {"fifty", TS_NW_TENS, 50},
    {"sixty", TS_NW_TENS, 60},      {"seventy", TS_NW_TENS, 70},    {"eighty", TS_NW_TENS, 80},
    {"ninety", TS_NW_TENS, 90},     {"hundred", TS_NW_HUNDRED, 100}, {"dozen", TS_NW_DOZEN, 12},
    {"thousand", TS_NW_SCALE, 1e3}, {"million", TS_NW_SCALE, 1e6},  {"billion", TS_NW_SCALE, 1e9},
    {"trillion", TS_NW_SCALE, 1e12},
};

ts_num_word_class ts_num_number_word(const char *low, double *value)
{
    if (!low)
        return TS_NW_NONE;
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++)
        if (same_word(low, number_words[i].word)) {
            *value = number_words[i].value;
            return number_words[i].cls;
        }
    return TS_NW_NONE;
}

int ts_num_word_may_follow(ts_num_word_class last, ts_num_word_class next)
{
    switch (last) {
    case TS_NW_START:
        return next == TS_NW_ZERO || next == TS_NW_UNIT || next == TS_NW_TEEN || next == TS_NW_TENS;
    case TS_NW_A:
        return next == TS_NW_HUNDRED || next == TS_NW_DOZEN || next == TS_NW_SCALE;
    case TS_NW_UNIT:
        return next == TS_NW_HUNDRED || next == TS_NW_DOZEN || next == TS_NW_SCALE;
    case TS_NW_TEEN:
        return next == TS_NW_HUNDRED || next == TS_NW_SCALE;
    case TS_NW_TENS:
        return next == TS_NW_UNIT || next == TS_NW_SCALE;
    case TS_NW_HUNDRED:
        return next == TS_NW_UNIT || next == TS_NW_TEEN || next == TS_NW_TENS ||
               next == TS_NW_SCALE;
    case TS_NW_SCALE:
        return next == TS_NW_UNIT || next == TS_NW_TEEN || next == TS_NW_TENS;
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
    {"hundred", 2, TS_NUM_AFTER_SPACE},  {"thousand", 3, TS_NUM_AFTER_SPACE},
    {"million", 6, TS_NUM_AFTER_SPACE},  {"billion", 9, TS_NUM_AFTER_SPACE},
    {"trillion", 12, TS_NUM_AFTER_SPACE}, {"k", 3, TS_NUM_ATTACHED},
    {"mn", 6, TS_NUM_ATTACHED},          {"mln", 6, TS_NUM_ATTACHED},
    {"bn", 9, TS_NUM_ATTACHED},          {"tn", 12, TS_NUM_ATTACHED},
};

int ts_num_digit_scale(const char *low, unsigned where)
{
    for (size_t q = 0; low && q < sizeof digit_scales / sizeof digit_scales[0]; q++)
        if (digit_scales[q].where == where && same_word(low, digit_scales[q].word))
            return digit_scales[q].exp10;
    return 0;
}

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

ts_number_qualifier ts_num_qualifier(const char *const before[3], int *nwords)
{
    for (size_t q = 0; q < sizeof qualifiers / sizeof qualifiers[0]; q++) {
        int n = 0;
        while (n < 3 && qualifiers[q].words[n])
            n++;
        int ok = 1;
        for (int w = 0; w < n && ok; w++)
            ok = same_word(before[w], qualifiers[q].words[n - 1 - w]);
        if (ok) {
            *nwords = n;
            return qualifiers[q].qualifier;
        }
    }
    *nwords = 0;
    return TS_NUMBER_EXACT;
}

static const char *const months[12][2] = {
    {"january", "jan"}, {"february", "feb"}, {"march", "mar"},     {"april", "apr"},
    {"may", NULL},      {"june", "jun"},     {"july", "jul"},      {"august", "aug"},
    {"september", "sep"}, {"october", "oct"}, {"november", "nov"}, {"december", "dec"},
};

/* Words that may stand before a hyphen and a year without making a name:
 * "mid-2025" is a year, "COVID-19" is not a number. */
static const char *const year_prefixes[] = {"mid", "pre", "post", "early", "late"};

int ts_num_month(const char *low)
{
    for (int m = 0; low && m < 12; m++)
        if (same_word(low, months[m][0]) || (months[m][1] && same_word(low, months[m][1])))
            return m + 1;
    return same_word(low, "sept") ? 9 : 0;
}

int ts_num_year_prefix(const char *low)
{
    for (size_t y = 0; y < sizeof year_prefixes / sizeof year_prefixes[0]; y++)
        if (same_word(low, year_prefixes[y]))
            return 1;
    return 0;
}

const char *ts_num_currency_sign(uint32_t cp)
{
    switch (cp) {
    case '$':
        return TS_UNIT_USD;
    case 0x20AC:
        return TS_UNIT_EUR;
    case 0xA3:
        return TS_UNIT_GBP;
    case 0xA5:
        return TS_UNIT_JPY;
    case 0x20B9:
        return TS_UNIT_INR;
    default:
        return NULL;
    }
}

const char *ts_num_dollar_prefix(const char *low)
{
    static const struct {
        const char *word;
        const char *unit;
    } prefixes[] = {{"us", TS_UNIT_USD}, {"a", TS_UNIT_AUD}, {"au", TS_UNIT_AUD},
                    {"c", TS_UNIT_CAD},  {"ca", TS_UNIT_CAD}, {"hk", TS_UNIT_HKD},
                    {"nz", TS_UNIT_NZD}};
    for (size_t q = 0; q < sizeof prefixes / sizeof prefixes[0]; q++)
        if (same_word(low, prefixes[q].word))
            return prefixes[q].unit;
    return NULL;
}
