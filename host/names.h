/*
 * names.h - down-weighting the actors' names (internal).
 *
 * In a corpus about one event every source names the same actors, so plain
 * TF-IDF scores two statements high when they share only names.  A term is
 * taken for a name when its word is written with a capital first letter in
 * at least 80% of its occurrences that do not start a statement (and it
 * occurs there at least twice): "Putin", "Witkoff", "NATO", "Kremlin".  Its
 * weight is multiplied by name_weight before the rows are normalised.
 */
#ifndef TS_NAMES_H
#define TS_NAMES_H

#include "textsim.h"

/* The columns' terms, sorted by their bytes: column c's term is the
 * NUL-terminated string at terms + term_off[c]. */
typedef struct ts_names_vocab {
    const char *terms;
    const size_t *term_off;
    size_t cols;
} ts_names_vocab;

/* factor[c] for every column c of the vocabulary: options->name_weight for
 * names, 1 otherwise.  Word analyzer only; every factor is 1 for the char
 * analyzers. */
ts_status ts_names_factors(const ts_corpus *corpus, const ts_names_vocab *vocab,
                           const ts_vectorizer_options *options, float *factor, ts_diag *diag);

#endif
