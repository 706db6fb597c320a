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
/* The same, with the stop words of a file options->stop_words names given
 * as its contents, stop_list[0..stop_size) (a model's own copy; NULL: read
 * the file).  Built-in lists are never read from stop_list. */
ts_status ts_tokenizer_create_with(ts_tokenizer **out, const ts_vectorizer_options *options,
                                   const char *stop_list, size_t stop_size, ts_diag *diag);
void ts_tokenizer_free(ts_tokenizer *tok);

/* Whether spec names a built-in stop-word list ("english", ...) rather
 * than a file. */
int ts_stop_words_builtin(const char *spec);

/* Receives each term in statement order; a term may repeat. */
typedef ts_status (*ts_term_fn)(void *user, const char *term, size_t length);

/* Whether s[0..n) is one of the tokenizer's stop words (0 without them). */
int ts_tokenizer_is_stop_word(const ts_tokenizer *tok, const char *s, size_t n);

/* How the token of a term was written, for names (names.h). */
typedef enum ts_term_case {
    TS_TERM_CASE_UNKNOWN = -1, /* not tracked, a statement's first token, an n-gram of two or
                                * more words, or a statement whose case was not followed */
    TS_TERM_CASE_OTHER = 0,    /* the token starts otherwise */
    TS_TERM_CASE_CAPITAL = 1   /* it starts with an upper- or title-case letter */
} ts_term_case;

/* From now on, follow each word token's case through case mapping and accent
 * stripping (word analyzer only; a no-op for the others).  Costs a pass over
 * each statement's bytes, and a per-code-point mapping for non-ASCII ones. */
void ts_tokenizer_track_case(ts_tokenizer *tok);
/* Inside the term callback: the ts_term_case of the term being passed. */
int ts_tokenizer_term_case(const ts_tokenizer *tok);

/* The word tokens of the statement last run, stop words included, before
 * stemming and n-grams (0 for the char analyzers). */
size_t ts_tokenizer_word_count(const ts_tokenizer *tok);

/* text: valid UTF-8, not necessarily NUL-terminated. */
ts_status ts_tokenizer_run(ts_tokenizer *tok, const char *text, size_t length, ts_term_fn fn,
                           void *user, ts_diag *diag);

#endif
