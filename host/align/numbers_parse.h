/*
 * numbers_parse.h - reading one number expression from the tokens of a
 * statement (internal; numbers.c drives it over the whole statement).
 */
#ifndef TS_NUMBERS_PARSE_H
#define TS_NUMBERS_PARSE_H

#include <stddef.h>

#include "numbers.h"
#include "numbers_lex.h"

/* What ts_num_parse found besides the ts_number. */
typedef struct ts_num_found {
    size_t first_tok; /* first token of the expression */
    size_t end_tok;   /* token after it */
    int scale_exp;    /* power of ten applied by a scale word, 0 if none */
} ts_num_found;

/* Read the number expression that starts at token k, if any.  Returns 1
 * and fills *num and *f when there is one; *next is always > k.  The
 * expression and its qualifier never reach back before token floor_tok,
 * the end of the previous number. */
int ts_num_parse(ts_num_scan *sc, size_t k, size_t floor_tok, ts_number *num, ts_num_found *f,
                 size_t *next);

/* "20-25", "20 - 25", "20 to 25": tokens [from, to) separate a range. */
int ts_num_range_between(ts_num_scan *sc, size_t from, size_t to);
/* A range shares one unit and one scale: "20-25 percent", "$5-6 billion". */
void ts_num_share_range(ts_number *n1, const ts_num_found *f1, ts_number *n2,
                        const ts_num_found *f2);

#endif
