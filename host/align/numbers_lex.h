/*
 * numbers_lex.h - the tokens of a statement for the number parser (internal).
 */
#ifndef TS_NUMBERS_LEX_H
#define TS_NUMBERS_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "numbers.h"

enum { TS_TK_SPACE, TS_TK_WORD, TS_TK_NUM, TS_TK_PUNCT };

typedef struct ts_num_tok {
    unsigned char kind;
    unsigned char ascii;   /* TS_TK_WORD: ASCII letters only */
    unsigned char grouped; /* TS_TK_NUM: has thousands separators */
    unsigned char point;   /* TS_TK_NUM: has decimals (after a point or a comma) */
    unsigned int int_digits; /* TS_TK_NUM: digits before the point (saturates) */
    int exp10;             /* TS_TK_NUM: value = mant * 10^exp10 */
    uint64_t mant;         /* TS_TK_NUM */
    uint32_t cp;           /* TS_TK_PUNCT: the code point, 0xFFFD for a bad byte */
    size_t begin, end;
    char low[24];          /* TS_TK_WORD: lowercase copy if made of ASCII and Latin-1
                              letters and shorter than 24 bytes */
} ts_num_tok;

/* Tokens are lexed on demand into a ring, so memory stays constant however
 * long the text.  The parser looks at most TS_NUM_RING_LOOKBACK tokens behind the
 * token it starts from and, a number being at most a few dozen tokens long
 * (number words have at most four scales), far less than the ring ahead. */
#define TS_NUM_RING 512
#define TS_NUM_RING_LOOKBACK 16

typedef struct ts_num_scan {
    ts_num_locale loc;
    const char *text;
    size_t length;
    size_t pos;   /* byte where the next token to lex starts */
    size_t lexed; /* tokens lexed so far */
    ts_num_tok ring[TS_NUM_RING];
} ts_num_scan;

void ts_num_scan_init(ts_num_scan *sc, const char *text, size_t length,
                      const ts_num_locale *loc);
/* Token k, or NULL past the end of the text (or, by construction never,
 * when it has left the ring). */
const ts_num_tok *ts_num_tok_at(ts_num_scan *sc, size_t k);
/* Token k exists and is of that kind. */
int ts_num_kind_at(ts_num_scan *sc, size_t k, int kind);
/* The code point of punctuation token k, else 0xFFFFFFFF. */
uint32_t ts_num_punct_at(ts_num_scan *sc, size_t k);
/* The lowercase text of token k if it is a word of ASCII and Latin-1
 * letters shorter than 24 bytes (longer words are never in the tables),
 * else NULL. */
const char *ts_num_low_at(ts_num_scan *sc, size_t k);
/* Token k is an ASCII word equal to `word` (lowercase), ignoring case. */
int ts_num_word_at(ts_num_scan *sc, size_t k, const char *word);
/* Token k starts with an ASCII capital. */
int ts_num_is_upper_at(ts_num_scan *sc, size_t k);

#endif
