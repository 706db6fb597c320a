/*
 * model.h - align's match model: whether two statements of different
 * sources report the same thing (internal).
 *
 * A logistic regression on four features of a candidate pair, fitted on the
 * MSRP training split by scripts/fit_match_model.py and shipped as
 * data/match-model.json (embedded in the library; a user may give another
 * file of the same format):
 *   word_cosine      the pair's cosine in align's TF-IDF (the candidate score)
 *   char_cosine      its cosine in a char_wb TF-IDF (sublinear tf, the
 *                    model's char_ngram_range) over the whole corpus
 *   digits_shared    1 when the statements share a digit group ("19",
 *                    "3.5", "1,000": [0-9]+([.,][0-9]+)*, ASCII digits)
 *   digits_disagree  1 when both have digit groups and share none
 * The score is 1 / (1 + exp(-(w . x + b))), in double precision; the
 * model's threshold is the lowest score that can match.  The script computes
 * each feature exactly as features.c does (the same textsim TF-IDF and the
 * same digit rule), so a file it fits means the same here.  Computing the
 * features of align's candidates and scoring them is features.h's.
 *
 * The file: a JSON object {"format": "textsim-match-model", "version": 1,
 * "char_ngram_range": [min, max], "features": [{"name", "weight"}...],
 * "intercept", "threshold", ...}; other members are ignored (notes such as
 * "about", "msrp_threshold"); a feature not named has weight 0; an unknown
 * feature name, a repeated one, a missing member or a value out of range is
 * an error that names the file and the member.
 */
#ifndef TS_ALIGN_MODEL_H
#define TS_ALIGN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "match.h"
#include "textsim.h"

typedef enum ts_align_feature {
    TS_FEATURE_WORD = 0,
    TS_FEATURE_CHAR,
    TS_FEATURE_DIGITS_SHARED,
    TS_FEATURE_DIGITS_DISAGREE,
    TS_FEATURES
} ts_align_feature;

typedef struct ts_align_model {
    double weight[TS_FEATURES];
    double intercept;
    double threshold;        /* in (0, 1) */
    unsigned char_min, char_max; /* char_wb n-gram range, 1 <= min <= max <= 16 */
} ts_align_model;

/* The bundled model's resource name. */
#define TS_ALIGN_MODEL_BUNDLED "data/match-model.json"

/* Parse a model from text[0 .. length); name (the file) goes into every
 * message.  Fails with TS_ERR_PARSE (not JSON, a member missing, of the
 * wrong type or out of range, an unknown or repeated feature) or
 * TS_ERR_NOMEM; *model is then untouched. */
ts_status ts_align_model_parse(ts_align_model *model, const char *text, size_t length,
                               const char *name, ts_diag *diag);

/* Load the model of file path, or the bundled one when path is NULL. */
ts_status ts_align_model_load(ts_align_model *model, const char *path, ts_diag *diag);

/* Score of feature vector x. */
double ts_align_model_score(const ts_align_model *model, const double x[TS_FEATURES]);

/* What a candidate pair a < b was scored on. */
typedef struct ts_align_evidence {
    uint32_t a, b;
    float cosine;         /* word TF-IDF cosine */
    float char_cosine;
    float score;          /* the model's */
    unsigned char digits; /* TS_DIGITS_* bits */
} ts_align_evidence;

#define TS_DIGITS_SHARED 1u
#define TS_DIGITS_DISAGREE 2u

/* The feature vector of a pair's evidence. */
void ts_align_evidence_features(const ts_align_evidence *e, double x[TS_FEATURES]);

/* The features that carried a pair, in words, the largest contribution to
 * the model's score first ("character n-grams 0.52 (+1.31); words 0.31
 * (+1.23); no digit group in common (-0.14)"), appended to *out. */
void ts_align_model_reasons(const ts_align_model *model, const ts_align_evidence *e,
                            ts_buf *out);

/* The evidence of pair (a, b) in ev[0 .. n), sorted by (a, b); NULL if absent. */
const ts_align_evidence *ts_align_evidence_find(const ts_align_evidence *ev, size_t n,
                                                uint32_t a, uint32_t b);

#endif
