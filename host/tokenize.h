/*
 * tokenize.h - from statement text to terms (internal).
 *
 * Reproduces scikit-learn's TfidfVectorizer analyzers: lowercase, then the
 * word analyzer ((?u)\b\w\w+\b with Python's \w, or ICU word break), stop
 * words, optional Snowball stemming and word n-grams joined by one space; or
 * the char_wb / char analyzers.  Terms are produced as UTF-8 byte strings.
 */
#ifndef TS_TOKENIZE_H
#define TS_TOKENIZE_H

#include <stddef.h>

#include "textsim.h"

typedef struct ts_tokenizer ts_tokenizer;

/* Loads stop words and the stemmer; fails with TS_ERR_IO (stop-word file),
 * TS_ERR_STEMMER or TS_ERR_ARG (bad n-gram range) and a message. */
ts_status ts_tokenizer_create(ts_tokenizer **out, const ts_vectorizer_options *options,
                              ts_diag *diag);
void ts_tokenizer_free(ts_tokenizer *tok);

/* Receives each term in statement order; a term may repeat. */
typedef ts_status (*ts_term_fn)(void *user, const char *term, size_t length);

/* Whether s[0..n) is one of the tokenizer's stop words (0 without them). */
int ts_tokenizer_is_stop_word(const ts_tokenizer *tok, const char *s, size_t n);

/* text: valid UTF-8, not necessarily NUL-terminated. */
ts_status ts_tokenizer_run(ts_tokenizer *tok, const char *text, size_t length, ts_term_fn fn,
                           void *user, ts_diag *diag);

#endif
