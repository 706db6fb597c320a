/*
 * status.h - what alignment made of each statement (internal).
 *
 * After matching and clustering, each statement is clustered (in a cluster
 * with statements of other sources), matched (some unflagged statement of
 * another source scores at or above the threshold with it, yet it is in no
 * such cluster), unique (none does) or flagged (it took no part).  A matched
 * statement also carries why it was not merged.  Pure and deterministic,
 * like match.h and cluster.h.
 */
#ifndef TS_ALIGN_STATUS_H
#define TS_ALIGN_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "match.h"
#include "textsim.h"

#define TS_ALIGN_NONE UINT32_MAX

/* Why a matched statement is in no multi-source cluster. */
typedef enum ts_align_why {
    TS_ALIGN_WHY_NONE = 0,
    TS_ALIGN_WHY_REFUSED,     /* it was matched with `partner`, whose cluster already holds
                                 `other`, a statement of its own source */
    TS_ALIGN_WHY_NOT_MUTUAL,  /* its best match `partner` scores higher with `other` */
    TS_ALIGN_WHY_ASSIGNED,    /* the one-to-one assignment paired `partner` with `other` */
    TS_ALIGN_WHY_LEFT_OUT     /* the one-to-one assignment left it out */
} ts_align_why;

/* What the statuses are computed from: the statements, the candidates (every
 * cross-source pair of unflagged statements at or above the threshold), the
 * matched pairs with what clustering did with each (cluster.h) and the
 * clusters. */
typedef struct ts_align_status_input {
    size_t statements;
    const uint32_t *source_of;        /* [statements] */
    const unsigned char *flags;       /* [statements]: nonzero took no part */
    const ts_align_pair *candidates;  /* any order */
    size_t ncandidates;
    const ts_align_pair *pairs;       /* matched */
    size_t npairs;
    const unsigned char *fate;        /* [npairs]: ts_align_fate */
    const ts_align_clusters *clusters;
    ts_match_mode mode;
} ts_align_status_input;

typedef struct ts_align_statuses {
    unsigned char *status; /* [statements]: ts_alignment_status */
    uint32_t *best;        /* [statements]: the best candidate partner, TS_ALIGN_NONE */
    float *best_score;     /* [statements] */
    unsigned char *why;    /* [statements]: ts_align_why, for a matched statement */
    uint32_t *partner;     /* [statements]: the statement the reason starts from */
    float *partner_score;  /* [statements] */
    uint32_t *other;       /* [statements]: the statement it names, TS_ALIGN_NONE */
    float *other_score;    /* [statements]: partner's score with other (NOT_MUTUAL) */
} ts_align_statuses;

/* Best partner: the highest score, then the lowest statement number.  For a
 * matched statement the reason is, in this order: a refused pair (the
 * highest-scoring one, its partner's cluster-mate of the same source); in
 * mutual mode, the statement of its source that its best partner prefers; in
 * assignment mode, the statement its best partner was assigned to, or "left
 * out".  Fails with TS_ERR_NOMEM (out emptied) or TS_ERR_ARG. */
ts_status ts_align_statuses_compute(const ts_align_status_input *in, ts_align_statuses *out,
                                    ts_diag *diag);
/* NULL is a no-op. */
void ts_align_statuses_free(ts_align_statuses *statuses);

#endif
