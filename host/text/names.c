/*
 * names.c - which terms are names, from how the sources write them.
 *
 * The rule of names.h on the counts the TF-IDF pass gathers: a term seen at
 * least TS_NAME_MIN_COUNT times after a statement's first token, capitalised
 * in at least TS_NAME_SHARE of them.  A term's case is that of the letter
 * its token starts with in the statement as written, followed through case
 * mapping and accent stripping by the tokenizer (tokenize.c, follow_case).
 */
#include "names.h"

#define TS_NAME_SHARE 0.8
#define TS_NAME_MIN_COUNT 2

int ts_names_wanted(const ts_vectorizer_options *options)
{
    return options->name_weight != 1.0 && options->analyzer == TS_ANALYZER_WORD;
}

float ts_names_factor(uint32_t capital, uint32_t seen, double name_weight)
{
    if (seen >= TS_NAME_MIN_COUNT && capital >= TS_NAME_SHARE * seen)
        return (float)name_weight;
    return 1.0f;
}
