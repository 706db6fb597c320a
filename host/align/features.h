/*
 * features.h - the match model's features for align's candidates, and
 * their scores (internal).
 */
#ifndef TS_ALIGN_FEATURES_H
#define TS_ALIGN_FEATURES_H

#include "match.h"
#include "model.h"
#include "textsim.h"

/* Score the candidates (pairs a < b, their cosine in score, any order) by
 * the model: the pairs scoring at or above threshold stay in
 * *cand, sorted by (a, b), each with the model's score in place of its
 * cosine, and *evidence[0 .. cand->count) says what each was scored on
 * (free it with free()).  Fails with TS_ERR_NOMEM or the TF-IDF builder's
 * statuses; *cand is then unchanged and *evidence NULL. */
ts_status ts_align_model_rescore(const ts_align_model *model, const ts_corpus *corpus,
                                 double threshold, ts_align_pairs *cand,
                                 ts_align_evidence **evidence, ts_diag *diag);

#endif
