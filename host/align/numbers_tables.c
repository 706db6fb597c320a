/*
 * numbers_tables.c - the words of numbers (numbers_tables.h): canonical
 * units, unit words and count nouns, number words, scales, qualifiers,
 * range words, month names and currency signs, in English and (except
 * number words and months) German, French and Spanish.  Constant tables,
 * searched linearly: each holds a few hundred short words at most, and a
 * word is looked up only at a token that can belong to a number.
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

/* The languages of the table entries below: English words are read in every
 * statement, the others in their language's (ts_num_words).  A language's
 * own words are looked up first, so that German "Billion" is 1e12. */
enum { EN = TS_NUM_WORDS_EN, DE = TS_NUM_WORDS_DE, FR = TS_NUM_WORDS_FR, ES = TS_NUM_WORDS_ES };

/* Pass 0: the words of lang itself (none for English); pass 1: English. */
static int in_pass(unsigned entry, unsigned lang, int pass)
{
    return pass == 0 ? lang != EN && entry == lang : entry == EN;
}

/* Words are lowercase UTF-8 (numbers_lex.c lowercases ASCII and Latin-1). */
typedef struct unit_word {
    const char *word;
    const char *unit;
    unsigned char where;
    unsigned char lang;
} unit_word;

static const unit_word unit_words[] = {
    {"percent", "percent", TS_NUM_ANYWHERE, EN},
    {"pc", "percent", TS_NUM_ANYWHERE, EN},
    {"pct", "percent", TS_NUM_ANYWHERE, EN},
    {"pp", "pp", TS_NUM_ANYWHERE, EN},
    {"dollar", "USD", TS_NUM_ANYWHERE, EN},
    {"dollars", "USD", TS_NUM_ANYWHERE, EN},
    {"euro", "EUR", TS_NUM_ANYWHERE, EN},
    {"euros", "EUR", TS_NUM_ANYWHERE, EN},
    {"yen", "JPY", TS_NUM_ANYWHERE, EN},
    {"yuan", "CNY", TS_NUM_ANYWHERE, EN},
    {"rupee", "INR", TS_NUM_ANYWHERE, EN},
    {"rupees", "INR", TS_NUM_ANYWHERE, EN},
    {"second", "second", TS_NUM_ANYWHERE, EN},
    {"seconds", "second", TS_NUM_ANYWHERE, EN},
    {"sec", "second", TS_NUM_ANYWHERE, EN},
    {"secs", "second", TS_NUM_ANYWHERE, EN},
    {"minute", "minute", TS_NUM_ANYWHERE, EN},
    {"minutes", "minute", TS_NUM_ANYWHERE, EN},
    {"min", "minute", TS_NUM_ANYWHERE, EN},
    {"mins", "minute", TS_NUM_ANYWHERE, EN},
    {"hour", "hour", TS_NUM_ANYWHERE, EN},
    {"hours", "hour", TS_NUM_ANYWHERE, EN},
    {"hr", "hour", TS_NUM_ANYWHERE, EN},
    {"hrs", "hour", TS_NUM_ANYWHERE, EN},
    {"h", "hour", TS_NUM_ATTACHED, EN},
    {"day", "day", TS_NUM_ANYWHERE, EN},
    {"days", "day", TS_NUM_ANYWHERE, EN},
    {"week", "week", TS_NUM_ANYWHERE, EN},
    {"weeks", "week", TS_NUM_ANYWHERE, EN},
    {"month", "month", TS_NUM_ANYWHERE, EN},
    {"months", "month", TS_NUM_ANYWHERE, EN},
    {"year", "year", TS_NUM_ANYWHERE, EN},
    {"years", "year", TS_NUM_ANYWHERE, EN},
    {"yr", "year", TS_NUM_ANYWHERE, EN},
    {"yrs", "year", TS_NUM_ANYWHERE, EN},
    {"decade", "decade", TS_NUM_ANYWHERE, EN},
    {"decades", "decade", TS_NUM_ANYWHERE, EN},
    {"km", "km", TS_NUM_ANYWHERE, EN},
    {"kms", "km", TS_NUM_ANYWHERE, EN},
    {"kilometre", "km", TS_NUM_ANYWHERE, EN},
    {"kilometres", "km", TS_NUM_ANYWHERE, EN},
    {"kilometer", "km", TS_NUM_ANYWHERE, EN},
    {"kilometers", "km", TS_NUM_ANYWHERE, EN},
    {"m", "m", TS_NUM_ATTACHED, EN},
    {"metre", "m", TS_NUM_ANYWHERE, EN},
    {"metres", "m", TS_NUM_ANYWHERE, EN},
    {"meter", "m", TS_NUM_ANYWHERE, EN},
    {"meters", "m", TS_NUM_ANYWHERE, EN},
    {"mile", "mile", TS_NUM_ANYWHERE, EN},
    {"miles", "mile", TS_NUM_ANYWHERE, EN},
    {"kg", "kg", TS_NUM_ANYWHERE, EN},
    {"kilogram", "kg", TS_NUM_ANYWHERE, EN},
    {"kilograms", "kg", TS_NUM_ANYWHERE, EN},
    {"kilo", "kg", TS_NUM_ANYWHERE, EN},
    {"kilos", "kg", TS_NUM_ANYWHERE, EN},
    {"tonne", "tonne", TS_NUM_ANYWHERE, EN},
    {"tonnes", "tonne", TS_NUM_ANYWHERE, EN},
    {"ton", "tonne", TS_NUM_ANYWHERE, EN},
    {"tons", "tonne", TS_NUM_ANYWHERE, EN},
    {"degree", "degree", TS_NUM_ANYWHERE, EN},
    {"degrees", "degree", TS_NUM_ANYWHERE, EN},
    {"prozent", "percent", TS_NUM_ANYWHERE, DE},
    {"prozentpunkte", "pp", TS_NUM_ANYWHERE, DE},
    {"prozentpunkten", "pp", TS_NUM_ANYWHERE, DE},
    {"sekunde", "second", TS_NUM_ANYWHERE, DE},
    {"sekunden", "second", TS_NUM_ANYWHERE, DE},
    {"minuten", "minute", TS_NUM_ANYWHERE, DE},
    {"stunde", "hour", TS_NUM_ANYWHERE, DE},
    {"stunden", "hour", TS_NUM_ANYWHERE, DE},
    {"tag", "day", TS_NUM_ANYWHERE, DE},
    {"tage", "day", TS_NUM_ANYWHERE, DE},
    {"tagen", "day", TS_NUM_ANYWHERE, DE},
    {"woche", "week", TS_NUM_ANYWHERE, DE},
    {"wochen", "week", TS_NUM_ANYWHERE, DE},
    {"monat", "month", TS_NUM_ANYWHERE, DE},
    {"monate", "month", TS_NUM_ANYWHERE, DE},
    {"monaten", "month", TS_NUM_ANYWHERE, DE},
    {"jahr", "year", TS_NUM_ANYWHERE, DE},
    {"jahre", "year", TS_NUM_ANYWHERE, DE},
    {"jahren", "year", TS_NUM_ANYWHERE, DE},
    {"jahrzehnt", "decade", TS_NUM_ANYWHERE, DE},
    {"jahrzehnte", "decade", TS_NUM_ANYWHERE, DE},
    {"jahrzehnten", "decade", TS_NUM_ANYWHERE, DE},
    {"tonnen", "tonne", TS_NUM_ANYWHERE, DE},
    {"grad", "degree", TS_NUM_ANYWHERE, DE},
    {"meilen", "mile", TS_NUM_ANYWHERE, DE},
    {"seconde", "second", TS_NUM_ANYWHERE, FR},
    {"secondes", "second", TS_NUM_ANYWHERE, FR},
    {"heure", "hour", TS_NUM_ANYWHERE, FR},
    {"heures", "hour", TS_NUM_ANYWHERE, FR},
    {"jour", "day", TS_NUM_ANYWHERE, FR},
    {"jours", "day", TS_NUM_ANYWHERE, FR},
    {"semaine", "week", TS_NUM_ANYWHERE, FR},
    {"semaines", "week", TS_NUM_ANYWHERE, FR},
    {"mois", "month", TS_NUM_ANYWHERE, FR},
    {"an", "year", TS_NUM_ANYWHERE, FR},
    {"ans", "year", TS_NUM_ANYWHERE, FR},
    {"année", "year", TS_NUM_ANYWHERE, FR},
    {"années", "year", TS_NUM_ANYWHERE, FR},
    {"décennie", "decade", TS_NUM_ANYWHERE, FR},
    {"décennies", "decade", TS_NUM_ANYWHERE, FR},
    {"kilomètre", "km", TS_NUM_ANYWHERE, FR},
    {"kilomètres", "km", TS_NUM_ANYWHERE, FR},
    {"mètre", "m", TS_NUM_ANYWHERE, FR},
    {"mètres", "m", TS_NUM_ANYWHERE, FR},
    {"degré", "degree", TS_NUM_ANYWHERE, FR},
    {"degrés", "degree", TS_NUM_ANYWHERE, FR},
    {"dollar", "USD", TS_NUM_ANYWHERE, FR},
    {"dollars", "USD", TS_NUM_ANYWHERE, FR},
    {"segundo", "second", TS_NUM_ANYWHERE, ES},
    {"segundos", "second", TS_NUM_ANYWHERE, ES},
    {"minuto", "minute", TS_NUM_ANYWHERE, ES},
    {"minutos", "minute", TS_NUM_ANYWHERE, ES},
    {"hora", "hour", TS_NUM_ANYWHERE, ES},
    {"horas", "hour", TS_NUM_ANYWHERE, ES},
    {"día", "day", TS_NUM_ANYWHERE, ES},
    {"días", "day", TS_NUM_ANYWHERE, ES},
    {"semana", "week", TS_NUM_ANYWHERE, ES},
    {"semanas", "week", TS_NUM_ANYWHERE, ES},
    {"mes", "month", TS_NUM_ANYWHERE, ES},
    {"meses", "month", TS_NUM_ANYWHERE, ES},
    {"año", "year", TS_NUM_ANYWHERE, ES},
    {"años", "year", TS_NUM_ANYWHERE, ES},
    {"década", "decade", TS_NUM_ANYWHERE, ES},
    {"décadas", "decade", TS_NUM_ANYWHERE, ES},
    {"kilómetro", "km", TS_NUM_ANYWHERE, ES},
    {"kilómetros", "km", TS_NUM_ANYWHERE, ES},
    {"metro", "m", TS_NUM_ANYWHERE, ES},
    {"metros", "m", TS_NUM_ANYWHERE, ES},
    {"tonelada", "tonne", TS_NUM_ANYWHERE, ES},
    {"toneladas", "tonne", TS_NUM_ANYWHERE, ES},
    {"grado", "degree", TS_NUM_ANYWHERE, ES},
    {"grados", "degree", TS_NUM_ANYWHERE, ES},
    {"dólar", "USD", TS_NUM_ANYWHERE, ES},
    {"dólares", "USD", TS_NUM_ANYWHERE, ES},
};

/* Count nouns, each form with its unit: the English plural, shared by the
 * words that name the same thing (soldiers and troops are "troops"). */
static const struct {
    const char *word;
    const char *unit;
    unsigned char lang;
} count_nouns[] = {
    {"people", "people", EN},
    {"person", "people", EN},
    {"persons", "people", EN},
    {"troops", "troops", EN},
    {"troop", "troops", EN},
    {"soldiers", "troops", EN},
    {"soldier", "troops", EN},
    {"civilians", "civilians", EN},
    {"civilian", "civilians", EN},
    {"children", "children", EN},
    {"child", "children", EN},
    {"deaths", "deaths", EN},
    {"death", "deaths", EN},
    {"dead", "deaths", EN},
    {"fatalities", "deaths", EN},
    {"victims", "victims", EN},
    {"victim", "victims", EN},
    {"casualties", "casualties", EN},
    {"casualty", "casualties", EN},
    {"refugees", "refugees", EN},
    {"refugee", "refugees", EN},
    {"migrants", "migrants", EN},
    {"migrant", "migrants", EN},
    {"residents", "residents", EN},
    {"resident", "residents", EN},
    {"workers", "workers", EN},
    {"worker", "workers", EN},
    {"employees", "employees", EN},
    {"employee", "employees", EN},
    {"jobs", "jobs", EN},
    {"job", "jobs", EN},
    {"homes", "homes", EN},
    {"home", "homes", EN},
    {"houses", "houses", EN},
    {"house", "houses", EN},
    {"buildings", "buildings", EN},
    {"building", "buildings", EN},
    {"vehicles", "vehicles", EN},
    {"vehicle", "vehicles", EN},
    {"cars", "cars", EN},
    {"car", "cars", EN},
    {"students", "students", EN},
    {"student", "students", EN},
    {"patients", "patients", EN},
    {"patient", "patients", EN},
    {"cases", "cases", EN},
    {"case", "cases", EN},
    {"votes", "votes", EN},
    {"vote", "votes", EN},
    {"seats", "seats", EN},
    {"seat", "seats", EN},
    {"protesters", "protesters", EN},
    {"protester", "protesters", EN},
    {"protestors", "protestors", EN},
    {"protestor", "protestors", EN},
    {"officers", "officers", EN},
    {"officer", "officers", EN},
    {"prisoners", "prisoners", EN},
    {"prisoner", "prisoners", EN},
    {"hostages", "hostages", EN},
    {"hostage", "hostages", EN},
    {"passengers", "passengers", EN},
    {"passenger", "passengers", EN},
    {"families", "families", EN},
    {"family", "families", EN},
    {"households", "households", EN},
    {"household", "households", EN},
    {"barrels", "barrels", EN},
    {"barrel", "barrels", EN},
    {"doses", "doses", EN},
    {"dose", "doses", EN},
    {"members", "members", EN},
    {"member", "members", EN},
    {"fighters", "fighters", EN},
    {"fighter", "fighters", EN},
    {"militants", "militants", EN},
    {"militant", "militants", EN},
    {"rockets", "rockets", EN},
    {"rocket", "rockets", EN},
    {"missiles", "missiles", EN},
    {"missile", "missiles", EN},
    {"drones", "drones", EN},
    {"drone", "drones", EN},
    {"countries", "countries", EN},
    {"country", "countries", EN},
    {"flights", "flights", EN},
    {"flight", "flights", EN},
    {"tourists", "tourists", EN},
    {"tourist", "tourists", EN},
    {"infections", "infections", EN},
    {"infection", "infections", EN},
    {"arrests", "arrests", EN},
    {"arrest", "arrests", EN},
    {"injuries", "injuries", EN},
    {"injury", "injuries", EN},
    {"injured", "injuries", EN},
    {"wounded", "injuries", EN},
    {"menschen", "people", DE},
    {"personen", "people", DE},
    {"person", "people", DE},
    {"leute", "people", DE},
    {"soldaten", "troops", DE},
    {"soldat", "troops", DE},
    {"truppen", "troops", DE},
    {"zivilisten", "civilians", DE},
    {"kinder", "children", DE},
    {"kindern", "children", DE},
    {"kind", "children", DE},
    {"tote", "deaths", DE},
    {"toten", "deaths", DE},
    {"todesopfer", "deaths", DE},
    {"opfer", "victims", DE},
    {"flüchtlinge", "refugees", DE},
    {"flüchtlingen", "refugees", DE},
    {"migranten", "migrants", DE},
    {"einwohner", "residents", DE},
    {"arbeiter", "workers", DE},
    {"beschäftigte", "employees", DE},
    {"mitarbeiter", "employees", DE},
    {"arbeitsplätze", "jobs", DE},
    {"häuser", "houses", DE},
    {"gebäude", "buildings", DE},
    {"fahrzeuge", "vehicles", DE},
    {"autos", "cars", DE},
    {"studenten", "students", DE},
    {"patienten", "patients", DE},
    {"fälle", "cases", DE},
    {"stimmen", "votes", DE},
    {"sitze", "seats", DE},
    {"demonstranten", "protesters", DE},
    {"polizisten", "officers", DE},
    {"gefangene", "prisoners", DE},
    {"geiseln", "hostages", DE},
    {"passagiere", "passengers", DE},
    {"familien", "families", DE},
    {"haushalte", "households", DE},
    {"mitglieder", "members", DE},
    {"kämpfer", "fighters", DE},
    {"raketen", "rockets", DE},
    {"drohnen", "drones", DE},
    {"länder", "countries", DE},
    {"flüge", "flights", DE},
    {"touristen", "tourists", DE},
    {"verletzte", "injuries", DE},
    {"verletzten", "injuries", DE},
    {"festnahmen", "arrests", DE},
    {"personnes", "people", FR},
    {"personne", "people", FR},
    {"gens", "people", FR},
    {"soldats", "troops", FR},
    {"soldat", "troops", FR},
    {"troupes", "troops", FR},
    {"militaires", "troops", FR},
    {"civils", "civilians", FR},
    {"enfants", "children", FR},
    {"enfant", "children", FR},
    {"morts", "deaths", FR},
    {"mort", "deaths", FR},
    {"décès", "deaths", FR},
    {"tués", "deaths", FR},
    {"victimes", "victims", FR},
    {"victime", "victims", FR},
    {"réfugiés", "refugees", FR},
    {"migrants", "migrants", FR},
    {"habitants", "residents", FR},
    {"travailleurs", "workers", FR},
    {"salariés", "employees", FR},
    {"emplois", "jobs", FR},
    {"maisons", "houses", FR},
    {"logements", "homes", FR},
    {"bâtiments", "buildings", FR},
    {"véhicules", "vehicles", FR},
    {"voitures", "cars", FR},
    {"étudiants", "students", FR},
    {"patients", "patients", FR},
    {"cas", "cases", FR},
    {"voix", "votes", FR},
    {"sièges", "seats", FR},
    {"manifestants", "protesters", FR},
    {"policiers", "officers", FR},
    {"prisonniers", "prisoners", FR},
    {"otages", "hostages", FR},
    {"passagers", "passengers", FR},
    {"familles", "families", FR},
    {"ménages", "households", FR},
    {"barils", "barrels", FR},
    {"doses", "doses", FR},
    {"membres", "members", FR},
    {"combattants", "fighters", FR},
    {"roquettes", "rockets", FR},
    {"missiles", "missiles", FR},
    {"drones", "drones", FR},
    {"pays", "countries", FR},
    {"vols", "flights", FR},
    {"touristes", "tourists", FR},
    {"blessés", "injuries", FR},
    {"arrestations", "arrests", FR},
    {"personas", "people", ES},
    {"persona", "people", ES},
    {"soldados", "troops", ES},
    {"soldado", "troops", ES},
    {"tropas", "troops", ES},
    {"militares", "troops", ES},
    {"civiles", "civilians", ES},
    {"niños", "children", ES},
    {"muertos", "deaths", ES},
    {"muertes", "deaths", ES},
    {"fallecidos", "deaths", ES},
    {"víctimas", "victims", ES},
    {"refugiados", "refugees", ES},
    {"migrantes", "migrants", ES},
    {"habitantes", "residents", ES},
    {"residentes", "residents", ES},
    {"trabajadores", "workers", ES},
    {"empleados", "employees", ES},
    {"empleos", "jobs", ES},
    {"viviendas", "homes", ES},
    {"casas", "houses", ES},
    {"edificios", "buildings", ES},
    {"vehículos", "vehicles", ES},
    {"coches", "cars", ES},
    {"estudiantes", "students", ES},
    {"pacientes", "patients", ES},
    {"casos", "cases", ES},
    {"votos", "votes", ES},
    {"escaños", "seats", ES},
    {"manifestantes", "protesters", ES},
    {"policías", "officers", ES},
    {"presos", "prisoners", ES},
    {"rehenes", "hostages", ES},
    {"pasajeros", "passengers", ES},
    {"familias", "families", ES},
    {"hogares", "households", ES},
    {"barriles", "barrels", ES},
    {"dosis", "doses", ES},
    {"miembros", "members", ES},
    {"combatientes", "fighters", ES},
    {"cohetes", "rockets", ES},
    {"misiles", "missiles", ES},
    {"drones", "drones", ES},
    {"países", "countries", ES},
    {"vuelos", "flights", ES},
    {"turistas", "tourists", ES},
    {"heridos", "injuries", ES},
    {"detenidos", "arrests", ES},
};

const char *ts_num_unit_word(const char *low, unsigned where, unsigned lang)
{
    if (!low)
        return NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++)
            if (in_pass(unit_words[i].lang, lang, pass) && (unit_words[i].where & where) &&
                same_word(low, unit_words[i].word))
                return unit_words[i].unit;
        for (size_t i = 0; i < sizeof count_nouns / sizeof count_nouns[0]; i++)
            if (in_pass(count_nouns[i].lang, lang, pass) && same_word(low, count_nouns[i].word))
                return count_nouns[i].unit;
    }
    return NULL;
}

/* Units of two words: "per cent", "percentage points", "US dollars". */
static const struct {
    const char *first, *second;
    const char *unit;
    unsigned char lang;
} unit_pairs[] = {
    {"per", "cent", "percent", EN},           {"percentage", "point", "pp", EN},
    {"percentage", "points", "pp", EN},       {"us", "dollars", "USD", EN},
    {"us", "dollar", "USD", EN},              {"pour", "cent", "percent", FR},
    {"por", "ciento", "percent", ES},         {"puntos", "porcentuales", "pp", ES},
    {"points", "pourcentage", "pp", FR},
};

const char *ts_num_unit_pair(const char *first, const char *second, unsigned lang)
{
    for (int pass = 0; first && second && pass < 2; pass++)
        for (size_t i = 0; i < sizeof unit_pairs / sizeof unit_pairs[0]; i++)
            if (in_pass(unit_pairs[i].lang, lang, pass) && same_word(first, unit_pairs[i].first) &&
                same_word(second, unit_pairs[i].second))
                return unit_pairs[i].unit;
    return NULL;
}

/* Words between the two ends of a range: "20 to 25", "20 bis 25". */
int ts_num_range_word(const char *low, unsigned lang)
{
    static const struct {
        const char *word;
        unsigned char lang;
    } words[] = {{"to", EN}, {"bis", DE}, {"à", FR}, {"a", ES}};
    for (size_t i = 0; low && i < sizeof words / sizeof words[0]; i++)
        if ((words[i].lang == EN || words[i].lang == lang) && same_word(low, words[i].word))
            return 1;
    return 0;
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

ts_num_word_class ts_num_number_word(const char *low, unsigned lang, double *value)
{
    if (!low || lang != EN)
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
    unsigned char lang;
} digit_scales[] = {
    {"hundred", 2, TS_NUM_AFTER_SPACE, EN},    {"thousand", 3, TS_NUM_AFTER_SPACE, EN},
    {"million", 6, TS_NUM_AFTER_SPACE, EN},    {"billion", 9, TS_NUM_AFTER_SPACE, EN},
    {"trillion", 12, TS_NUM_AFTER_SPACE, EN},  {"k", 3, TS_NUM_ATTACHED, EN},
    {"mn", 6, TS_NUM_ATTACHED, EN},            {"mln", 6, TS_NUM_ATTACHED, EN},
    {"bn", 9, TS_NUM_ATTACHED, EN},            {"tn", 12, TS_NUM_ATTACHED, EN},
    {"tausend", 3, TS_NUM_AFTER_SPACE, DE},    {"mio", 6, TS_NUM_AFTER_SPACE, DE},
    {"millionen", 6, TS_NUM_AFTER_SPACE, DE},  {"mrd", 9, TS_NUM_AFTER_SPACE, DE},
    {"milliarde", 9, TS_NUM_AFTER_SPACE, DE},  {"milliarden", 9, TS_NUM_AFTER_SPACE, DE},
    {"billion", 12, TS_NUM_AFTER_SPACE, DE},   {"billionen", 12, TS_NUM_AFTER_SPACE, DE},
    {"mille", 3, TS_NUM_AFTER_SPACE, FR},      {"millions", 6, TS_NUM_AFTER_SPACE, FR},
    {"milliard", 9, TS_NUM_AFTER_SPACE, FR},   {"milliards", 9, TS_NUM_AFTER_SPACE, FR},
    {"md", 9, TS_NUM_AFTER_SPACE, FR},         {"mds", 9, TS_NUM_AFTER_SPACE, FR},
    {"mrd", 9, TS_NUM_AFTER_SPACE, FR},        {"billion", 12, TS_NUM_AFTER_SPACE, FR},
    {"billions", 12, TS_NUM_AFTER_SPACE, FR},  {"mil", 3, TS_NUM_AFTER_SPACE, ES},
    {"millón", 6, TS_NUM_AFTER_SPACE, ES},     {"millones", 6, TS_NUM_AFTER_SPACE, ES},
    {"millardo", 9, TS_NUM_AFTER_SPACE, ES},   {"millardos", 9, TS_NUM_AFTER_SPACE, ES},
    {"billón", 12, TS_NUM_AFTER_SPACE, ES},    {"billones", 12, TS_NUM_AFTER_SPACE, ES},
};

int ts_num_digit_scale(const char *low, unsigned where, unsigned lang)
{
    for (int pass = 0; low && pass < 2; pass++)
        for (size_t q = 0; q < sizeof digit_scales / sizeof digit_scales[0]; q++)
            if (in_pass(digit_scales[q].lang, lang, pass) && digit_scales[q].where == where &&
                same_word(low, digit_scales[q].word))
                return digit_scales[q].exp10;
    return 0;
}

/* Longest patterns first within each language, so that "no more than"
 * wins over "more than" (the language's own words are tried first). */
static const struct {
    const char *words[3];
    ts_number_qualifier qualifier;
    unsigned char lang;
} qualifiers[] = {
    {{"no", "fewer", "than"}, TS_NUMBER_AT_LEAST, EN},
    {{"no", "less", "than"}, TS_NUMBER_AT_LEAST, EN},
    {{"no", "more", "than"}, TS_NUMBER_UP_TO, EN},
    {{"as", "many", "as"}, TS_NUMBER_UP_TO, EN},
    {{"as", "much", "as"}, TS_NUMBER_UP_TO, EN},
    {{"in", "excess", "of"}, TS_NUMBER_OVER, EN},
    {{"more", "than", NULL}, TS_NUMBER_OVER, EN},
    {{"greater", "than", NULL}, TS_NUMBER_OVER, EN},
    {{"upwards", "of", NULL}, TS_NUMBER_OVER, EN},
    {{"less", "than", NULL}, TS_NUMBER_UNDER, EN},
    {{"fewer", "than", NULL}, TS_NUMBER_UNDER, EN},
    {{"at", "least", NULL}, TS_NUMBER_AT_LEAST, EN},
    {{"up", "to", NULL}, TS_NUMBER_UP_TO, EN},
    {{"at", "most", NULL}, TS_NUMBER_UP_TO, EN},
    {{"close", "to", NULL}, TS_NUMBER_NEARLY, EN},
    {{"an", "estimated", NULL}, TS_NUMBER_ABOUT, EN},
    {{"over", NULL, NULL}, TS_NUMBER_OVER, EN},
    {{"above", NULL, NULL}, TS_NUMBER_OVER, EN},
    {{"exceeding", NULL, NULL}, TS_NUMBER_OVER, EN},
    {{"under", NULL, NULL}, TS_NUMBER_UNDER, EN},
    {{"below", NULL, NULL}, TS_NUMBER_UNDER, EN},
    {{"nearly", NULL, NULL}, TS_NUMBER_NEARLY, EN},
    {{"almost", NULL, NULL}, TS_NUMBER_NEARLY, EN},
    {{"about", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"approximately", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"approx", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"ca", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"around", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"roughly", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"some", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"circa", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"estimated", NULL, NULL}, TS_NUMBER_ABOUT, EN},
    {{"mehr", "als", NULL}, TS_NUMBER_OVER, DE},
    {{"weniger", "als", NULL}, TS_NUMBER_UNDER, DE},
    {{"bis", "zu", NULL}, TS_NUMBER_UP_TO, DE},
    {{"rund", NULL, NULL}, TS_NUMBER_ABOUT, DE},
    {{"etwa", NULL, NULL}, TS_NUMBER_ABOUT, DE},
    {{"ungefähr", NULL, NULL}, TS_NUMBER_ABOUT, DE},
    {{"zirka", NULL, NULL}, TS_NUMBER_ABOUT, DE},
    {{"über", NULL, NULL}, TS_NUMBER_OVER, DE},
    {{"unter", NULL, NULL}, TS_NUMBER_UNDER, DE},
    {{"knapp", NULL, NULL}, TS_NUMBER_NEARLY, DE},
    {{"fast", NULL, NULL}, TS_NUMBER_NEARLY, DE},
    {{"beinahe", NULL, NULL}, TS_NUMBER_NEARLY, DE},
    {{"mindestens", NULL, NULL}, TS_NUMBER_AT_LEAST, DE},
    {{"wenigstens", NULL, NULL}, TS_NUMBER_AT_LEAST, DE},
    {{"höchstens", NULL, NULL}, TS_NUMBER_UP_TO, DE},
    {{"pas", "moins", "de"}, TS_NUMBER_AT_LEAST, FR},
    {{"autour", "de", NULL}, TS_NUMBER_ABOUT, FR},
    {{"plus", "de", NULL}, TS_NUMBER_OVER, FR},
    {{"moins", "de", NULL}, TS_NUMBER_UNDER, FR},
    {{"près", "de", NULL}, TS_NUMBER_NEARLY, FR},
    {{"au", "moins", NULL}, TS_NUMBER_AT_LEAST, FR},
    {{"jusqu", "à", NULL}, TS_NUMBER_UP_TO, FR},
    {{"au", "plus", NULL}, TS_NUMBER_UP_TO, FR},
    {{"environ", NULL, NULL}, TS_NUMBER_ABOUT, FR},
    {{"env", NULL, NULL}, TS_NUMBER_ABOUT, FR},
    {{"quelque", NULL, NULL}, TS_NUMBER_ABOUT, FR},
    {{"approximativement", NULL, NULL}, TS_NUMBER_ABOUT, FR},
    {{"presque", NULL, NULL}, TS_NUMBER_NEARLY, FR},
    {{"quasi", NULL, NULL}, TS_NUMBER_NEARLY, FR},
    {{"por", "lo", "menos"}, TS_NUMBER_AT_LEAST, ES},
    {{"alrededor", "de", NULL}, TS_NUMBER_ABOUT, ES},
    {{"cerca", "de", NULL}, TS_NUMBER_ABOUT, ES},
    {{"más", "de", NULL}, TS_NUMBER_OVER, ES},
    {{"menos", "de", NULL}, TS_NUMBER_UNDER, ES},
    {{"al", "menos", NULL}, TS_NUMBER_AT_LEAST, ES},
    {{"unos", NULL, NULL}, TS_NUMBER_ABOUT, ES},
    {{"unas", NULL, NULL}, TS_NUMBER_ABOUT, ES},
    {{"aproximadamente", NULL, NULL}, TS_NUMBER_ABOUT, ES},
    {{"aprox", NULL, NULL}, TS_NUMBER_ABOUT, ES},
    {{"casi", NULL, NULL}, TS_NUMBER_NEARLY, ES},
    {{"hasta", NULL, NULL}, TS_NUMBER_UP_TO, ES},
};

ts_number_qualifier ts_num_qualifier(const char *const before[3], unsigned lang, int *nwords)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t q = 0; q < sizeof qualifiers / sizeof qualifiers[0]; q++) {
            if (!in_pass(qualifiers[q].lang, lang, pass))
                continue;
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
    }
    *nwords = 0;
    return TS_NUMBER_EXACT;
}

int ts_num_qualifier_abbreviation(const char *low)
{
    static const char *const abbreviations[] = {"ca", "approx", "env", "aprox"};
    for (size_t i = 0; low && i < sizeof abbreviations / sizeof abbreviations[0]; i++)
        if (same_word(low, abbreviations[i]))
            return 1;
    return 0;
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
