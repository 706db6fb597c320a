/*
 * numbers_lex.c - the tokens of a statement for the number parser
 * (numbers_lex.h).
 *
 * The lexer cuts the bytes into tokens that cover the text without gaps:
 * runs of letters (words, with a lowercase copy), digit literals with their
 * thousands separators and decimals in the locale's conventions (already
 * converted to mantissa and power of ten), runs of spaces, and single other code points (decoded by utf8.c).
 * Tokens are made on demand into a fixed ring, so memory does not grow with
 * the text.
 */
#include "numbers_lex.h"

#include <string.h>

#include "base/utf8.h"

#define MAX_SIGNIFICANT 15 /* digits kept in the mantissa: stays below 2^53 */
#define MAX_INT_DIGITS 18  /* longer integer parts are not quantities */

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

/* The length of a thousands separator at s[j] in the conventions of loc
 * (0 if none there): English a comma; decimal-comma languages a point or a
 * space; Swiss locales an apostrophe. */
static size_t group_separator(const unsigned char *s, size_t n, size_t j,
                              const ts_num_locale *loc)
{
    if (j >= n)
        return 0;
    if (loc->apostrophe_groups)
        return s[j] == '\'' ? 1
               : (j + 2 < n && s[j] == 0xE2 && s[j + 1] == 0x80 && s[j + 2] == 0x99) ? 3
                                                                                    : 0;
    if (!loc->decimal_comma)
        return s[j] == ',';
    if (s[j] == '.' || s[j] == ' ')
        return 1;
    if (j + 1 < n && s[j] == 0xC2 && s[j + 1] == 0xA0) /* no-break space */
        return 2;
    if (j + 2 < n && s[j] == 0xE2 && s[j + 1] == 0x80 && (s[j + 2] == 0x89 || s[j + 2] == 0xAF))
        return 3; /* thin space, narrow no-break space */
    return 0;
}

/* A digit literal starting at s[i] (a digit, or a decimal separator before
 * a digit).  Fills *t and returns its end.  A run that is not a well-formed
 * number ("1,20" in English, "3.5.2", a 40-digit integer) becomes a
 * non-ASCII word so that it neither counts nor lends itself to a neighbour. */
static size_t lex_number(const unsigned char *s, size_t n, size_t i, const ts_num_locale *loc,
                         ts_num_tok *t)
{
    const unsigned char decimal = loc->decimal_comma ? ',' : '.';
    size_t j = i;
    uint64_t mant = 0;
    int sig = 0, exp10 = 0, bad = 0;
    size_t int_digits = 0, sep_len = 0, sep_at = 0;
    memset(t, 0, sizeof *t);
    t->kind = TS_TK_NUM;
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
        /* a thousands group: a separator and exactly three digits, the first
         * group having at most three, every separator the same */
        size_t g = group_separator(s, n, j, loc);
        int group = g && j + g + 3 <= n && is_digit(s[j + g]) && is_digit(s[j + g + 1]) &&
                    is_digit(s[j + g + 2]) && (j + g + 3 == n || !is_digit(s[j + g + 3])) &&
                    (!t->grouped || (g == sep_len && memcmp(s + j, s + sep_at, g) == 0));
        if (!group || (!t->grouped && int_digits > 3))
            break;
        t->grouped = 1;
        sep_len = g;
        sep_at = j;
        j += g;
    }
    if (j + 1 < n && s[j] == decimal && is_digit(s[j + 1])) {
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
        t->kind = TS_TK_WORD;
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

/* The lowercase copy of the word text[b, e) into low (size cap), or an
 * empty string when it holds a letter outside ASCII and Latin-1 or does not
 * fit: ASCII capitals and the Latin-1 ones (U+00C0..U+00DE, UTF-8 C3 80..
 * C3 9E) have their lowercase 32 code points above. */
static void lower_word(const unsigned char *text, size_t b, size_t e, char *low, size_t cap)
{
    low[0] = '\0';
    if (e - b >= cap)
        return;
    for (size_t c = b; c < e; c++) {
        unsigned char ch = text[c];
        if (ch >= 'A' && ch <= 'Z') {
            ch = (unsigned char)(ch - 'A' + 'a');
        } else if (ch == 0xC3 && c + 1 < e && text[c + 1] >= 0x80 && text[c + 1] <= 0xBF) {
            unsigned char next = text[c + 1];
            low[c - b] = (char)ch;
            c++;
            ch = (unsigned char)(next <= 0x9E && next != 0x97 ? next + 0x20 : next);
        } else if (ch >= 0x80) {
            low[0] = '\0';
            return;
        }
        low[c - b] = (char)ch;
    }
    low[e - b] = '\0';
}

/* Lex the token that starts at byte i of text into *t; returns its end. */
static size_t lex_one(const char *text, size_t length, size_t i, const ts_num_locale *loc,
                      ts_num_tok *t)
{
    const unsigned char *s = (const unsigned char *)text;
    uint32_t cp;
    size_t len = ts_utf8_decode(text + i, length - i, &cp);
    int point_number = cp == (loc->decimal_comma ? ',' : '.') && i + 1 < length &&
                       is_digit(s[i + 1]) && (i == 0 || !is_digit(s[i - 1]));
    if (is_digit(s[i]) || point_number)
        return lex_number(s, length, i, loc, t);
    memset(t, 0, sizeof *t);
    t->begin = i;
    if (is_space_cp(cp) || is_letter_cp(cp)) {
        int letters = is_letter_cp(cp);
        t->kind = letters ? TS_TK_WORD : TS_TK_SPACE;
        t->ascii = 1;
        while (i < length) {
            len = ts_utf8_decode(text + i, length - i, &cp);
            if (letters ? !is_letter_cp(cp) : !is_space_cp(cp))
                break;
            if (cp >= 0x80)
                t->ascii = 0;
            i += len;
        }
        if (letters)
            lower_word(s, t->begin, i, t->low, sizeof t->low);
    } else {
        t->kind = TS_TK_PUNCT;
        t->cp = cp;
        i += len;
    }
    t->end = i;
    return i;
}

void ts_num_scan_init(ts_num_scan *sc, const char *text, size_t length,
                      const ts_num_locale *loc)
{
    static const ts_num_locale english = {TS_NUM_WORDS_EN, 0, 0};
    sc->loc = loc ? *loc : english;
    sc->text = text;
    sc->length = length;
    sc->pos = 0;
    sc->lexed = 0;
}

/* Token k, or NULL past the end of the text (or, by construction never,
 * when it has left the ring). */
const ts_num_tok *ts_num_tok_at(ts_num_scan *sc, size_t k)
{
    while (sc->lexed <= k && sc->pos < sc->length) {
        ts_num_tok *t = &sc->ring[sc->lexed % TS_NUM_RING];
        sc->pos = lex_one(sc->text, sc->length, sc->pos, &sc->loc, t);
        sc->lexed++;
    }
    if (k >= sc->lexed || sc->lexed - k > TS_NUM_RING)
        return NULL;
    return &sc->ring[k % TS_NUM_RING];
}

int ts_num_kind_at(ts_num_scan *sc, size_t k, int kind)
{
    const ts_num_tok *t = ts_num_tok_at(sc, k);
    return t && t->kind == kind;
}

uint32_t ts_num_punct_at(ts_num_scan *sc, size_t k)
{
    return ts_num_kind_at(sc, k, TS_TK_PUNCT) ? ts_num_tok_at(sc, k)->cp : 0xFFFFFFFFu;
}

/* The lowercase text of token k if it is a word of ASCII and Latin-1
 * letters shorter than 24 bytes, else NULL. */
const char *ts_num_low_at(ts_num_scan *sc, size_t k)
{
    const ts_num_tok *t = ts_num_tok_at(sc, k);
    return t && t->kind == TS_TK_WORD && t->low[0] ? t->low : NULL;
}

static int same_word(const char *low, const char *word)
{
    return low && low[0] == word[0] && strcmp(low, word) == 0;
}

/* Token k is an ASCII word equal to `word` (lowercase), ignoring case. */
int ts_num_word_at(ts_num_scan *sc, size_t k, const char *word)
{
    return same_word(ts_num_low_at(sc, k), word);
}

int ts_num_is_upper_at(ts_num_scan *sc, size_t k)
{
    const ts_num_tok *t = ts_num_tok_at(sc, k);
    char c = t ? sc->text[t->begin] : '\0';
    return c >= 'A' && c <= 'Z';
}
