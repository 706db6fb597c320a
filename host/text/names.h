/*
 * names.h - down-weighting the actors' names (internal).
 *
 * In a corpus about one event every source names the same actors, so plain
 * TF-IDF scores two statements high when they share only names.  A term is
 * taken for a name when its word is written with a capital first letter in
 * at least 80% of its occurrences that do not start a statement (and it
 * occurs there at least twice): "Putin", "Witkoff", "NATO", "Kremlin".  Its
 * weight is multiplied by name_weight before the rows are normalised.
 *
 * The occurrences are counted in the TF-IDF pass (tfidf.c), which asks the
 * tokenizer how each term's token was written (ts_tokenizer_term_case): the
 * statements are tokenized once.
 */
#ifndef TS_NAMES_H
#define TS_NAMES_H

#include <stdint.h>

#include "textsim.h"

/* Whether options ask for names: the word analyzer with name_weight != 1. */
int ts_names_wanted(const ts_vectorizer_options *options);

/* The weight factor of a term of which `capital` of `seen` counted
 * occurrences are written capitalised: name_weight for a name, else 1. */
float ts_names_factor(uint32_t capital, uint32_t seen, double name_weight);

#endif
