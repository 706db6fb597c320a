/*
 * tfidf_internal.h - what the library sees of a ts_tfidf beyond textsim.h
 * (internal): its CSR matrix, the token counts its tokenizing pass made, and
 * its arrays as parts, for the index file (index/) to write them and to
 * wrap a mapped file's arrays without copying them.
 */
#ifndef TS_TFIDF_INTERNAL_H
#define TS_TFIDF_INTERNAL_H

#include "csr.h"
#include "textsim.h"

const ts_csr *ts_tfidf_csr(const ts_tfidf *tfidf);
/* The matrix's posting lists (its transpose: a row per term), when it is a
 * view that was given them (an index file keeps them), else NULL. */
const ts_csr *ts_tfidf_postings(const ts_tfidf *tfidf);

/* Each statement's number of word tokens under scikit-learn's default word
 * pattern on the lowercased text, counted while the matrix was built - when
 * its options tokenize that way (word analyzer, default pattern, str.lower,
 * no accent stripping; stop words, stemming and n-grams allowed: the count
 * is taken before them) - else NULL, and whoever needs the count tokenizes
 * again (align/filter.c). */
const uint32_t *ts_tfidf_word_tokens(const ts_tfidf *tfidf);

/* The Snowball language the word terms were stemmed with, or NULL. */
const char *ts_tfidf_stem_language(const ts_tfidf *tfidf);

/* Every array and option of a matrix, as the index file stores them. */
typedef struct ts_tfidf_parts {
    ts_csr csr;
    const char *terms;        /* cols NUL-terminated terms, back to back */
    size_t terms_size;        /* bytes of terms */
    const size_t *term_off;   /* from ts_tfidf_get_parts: cols offsets into terms */
    const double *idf;        /* cols */
    const float *factor;      /* cols */
    const double *val64;      /* nnz, or NULL */
    ts_vectorizer_options opt; /* strings borrowed; vocabulary NULL */
    const char *stop_list;    /* a stop-word file's bytes, or NULL */
    size_t stop_size;
    ts_csr postings;          /* csr transposed, or all zero: a view keeps them (borrowed) */
} ts_tfidf_parts;

/* The parts of a matrix; pointers into it, valid while it lives. */
void ts_tfidf_get_parts(const ts_tfidf *tfidf, ts_tfidf_parts *parts);
/* A matrix over the caller's arrays (they must outlive it and hold what the
 * struct promises: ptr monotone to nnz, columns ascending and < cols, term
 * offsets inside terms, NUL-terminated), with the term offsets given as
 * 64-bit numbers (term_off; parts->term_off is not read).  The option
 * strings and the stop list are copied, the arrays are not. */
ts_status ts_tfidf_view(ts_tfidf **out, const ts_tfidf_parts *parts, const uint64_t *term_off,
                        ts_diag *diag);
/* archive's rows, then more's (weighted with archive's model: the same
 * columns), in a new matrix with archive's columns and options. */
ts_status ts_tfidf_append(ts_tfidf **out, const ts_tfidf *archive, const ts_tfidf *more,
                          ts_diag *diag);

#endif
