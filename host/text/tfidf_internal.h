/*
 * tfidf_internal.h - what the library sees of a ts_tfidf beyond textsim.h
 * (internal): its CSR matrix, and the token counts its tokenizing pass made.
 */
#ifndef TS_TFIDF_INTERNAL_H
#define TS_TFIDF_INTERNAL_H

#include "csr.h"
#include "textsim.h"

const ts_csr *ts_tfidf_csr(const ts_tfidf *tfidf);

/* Each statement's number of word tokens under scikit-learn's default word
 * pattern on the lowercased text, counted while the matrix was built - when
 * its options tokenize that way (word analyzer, default pattern, str.lower,
 * no accent stripping; stop words, stemming and n-grams allowed: the count
 * is taken before them) - else NULL, and whoever needs the count tokenizes
 * again (align/filter.c). */
const uint32_t *ts_tfidf_word_tokens(const ts_tfidf *tfidf);

/* The Snowball language the word terms were stemmed with, or NULL. */
const char *ts_tfidf_stem_language(const ts_tfidf *tfidf);

#endif
