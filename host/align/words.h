/*
 * words.h - the words behind a pair's shared TF-IDF terms (internal).
 *
 * A term may be a stem ("presid") or a lowercased word; a reader wants the
 * words as the texts write them ("President", "presidential") and no
 * function words ("of", "them").  A ts_align_words holds the word tokens of
 * two statements with their keys - lowercased and stemmed as the terms were
 * - and finds the surface form of a term on each side.
 */
#ifndef TS_ALIGN_WORDS_H
#define TS_ALIGN_WORDS_H

#include <stddef.h>

#include "textsim.h"

typedef struct ts_align_words ts_align_words;

/* stem_language: the Snowball language of the terms (ts_tfidf_stem_language),
 * or NULL when they were not stemmed. */
ts_status ts_align_words_create(ts_align_words **out, const char *stem_language, ts_diag *diag);
void ts_align_words_free(ts_align_words *words);

/* The word tokens of one side's statement (side 0 or 1). */
ts_status ts_align_words_load(ts_align_words *words, int side, const char *text, size_t length,
                              ts_diag *diag);

/* The first word of that side's statement whose key is `term`: its text in
 * *surface (not NUL-terminated) and length; 0 when none is (an n-gram, a
 * character n-gram).  *function says whether the word is an English
 * function word (scikit-learn's stop-word list). */
int ts_align_words_find(const ts_align_words *words, int side, const char *term,
                        const char **surface, size_t *length, int *function);

#endif
