/*
 * status.c - each statement's status and, for a matched one, why it was not
 * merged (status.h).
 *
 * One pass over the candidates gives every statement its best partner; the
 * cluster sizes give "clustered"; the reasons look up the refused pairs, or
 * the candidates (mutual mode) or matched pairs (assignment mode) of the best
 * partner, through two adjacency lists built once: O(N + P) time and memory
 * for P candidates, plus the degree of each partner asked about.
 */
#include "status.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

/* Both directions of a list of pairs, by statement: CSR of (other, score). */
typedef struct adjacency {
    size_t *start; /* [statements + 1] */
    uint32_t *other;
    float *score;
} adjacency;

static void adjacency_free(adjacency *g)
{
    free(g->start);
    free(g->other);
    free(g->score);
}

static int adjacency_build(adjacency *g, size_t n, const ts_align_pair *pairs, size_t np)
{
    size_t entries = np ? 2 * np : 1;
    g->start = calloc(n + 1, sizeof *g->start);
    g->other = malloc(entries * sizeof *g->other);
    g->score = malloc(entries * sizeof *g->score);
    if (!g->start || !g->other || !g->score)
        return 0;
    for (size_t k = 0; k < np; k++) {
        g->start[pairs[k].a + 1]++;
        g->start[pairs[k].b + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        g->start[i + 1] += g->start[i];
    size_t *at = malloc((n ? n : 1) * sizeof *at);
    if (!at)
        return 0;
    memcpy(at, g->start, n * sizeof *at);
    for (size_t k = 0; k < np; k++) {
        const ts_align_pair *p = &pairs[k];
        g->other[at[p->a]] = p->b;
        g->score[at[p->a]++] = p->score;
        g->other[at[p->b]] = p->a;
        g->score[at[p->b]++] = p->score;
    }
    free(at);
    return 1;
}

/* Whether (score, id) beats the current best (higher score, then lower id). */
static int better(float score, uint32_t id, float best_score, uint32_t best)
{
    return best == TS_ALIGN_NONE || score > best_score || (score == best_score && id < best);
}

/* The best neighbour of p among the statements of source `source`. */
static uint32_t best_in_source(const adjacency *g, const uint32_t *source_of, uint32_t p,
                               uint32_t source, float *score)
{
    uint32_t best = TS_ALIGN_NONE;
    float best_score = 0.0f;
    for (size_t k = g->start[p]; k < g->start[p + 1]; k++)
        if (source_of[g->other[k]] == source && better(g->score[k], g->other[k], best_score, best)) {
            best = g->other[k];
            best_score = g->score[k];
        }
    *score = best_score;
    return best;
}

/* The member of cluster c from source `source`, or TS_ALIGN_NONE. */
static uint32_t member_of_source(const ts_align_clusters *cl, const uint32_t *source_of,
                                 uint32_t c, uint32_t source)
{
    for (uint32_t k = cl->first[c - 1]; k < cl->first[c]; k++)
        if (source_of[cl->member[k]] == source)
            return cl->member[k];
    return TS_ALIGN_NONE;
}

/* For each entry of `matched` (built from in->pairs), whether its pair was
 * refused: the entries of pair k sit in the lists of its a and b in pair
 * order, as adjacency_build put them.  NULL when out of memory. */
static unsigned char *refused_entries(const adjacency *matched, size_t n,
                                      const ts_align_status_input *in)
{
    unsigned char *refused = malloc(2 * in->npairs + 1);
    size_t *at = malloc((n ? n : 1) * sizeof *at);
    if (!refused || !at) {
        free(refused);
        free(at);
        return NULL;
    }
    memcpy(at, matched->start, n * sizeof *at);
    for (size_t k = 0; k < in->npairs; k++) {
        unsigned char r = in->fate[k] == TS_ALIGN_REFUSED;
        refused[at[in->pairs[k].a]++] = r;
        refused[at[in->pairs[k].b]++] = r;
    }
    free(at);
    return refused;
}

/* Why matched statement i is in no shared cluster (status.h's order). */
static void find_reason(const ts_align_status_input *in, const adjacency *matched,
                        const adjacency *cand, const unsigned char *refused_of, size_t i,
                        ts_align_statuses *out)
{
    const uint32_t *src = in->source_of;
    uint32_t partner = TS_ALIGN_NONE;
    float score = 0.0f;
    for (size_t k = matched->start[i]; k < matched->start[i + 1]; k++)
        if (refused_of[k] && better(matched->score[k], matched->other[k], score, partner)) {
            partner = matched->other[k];
            score = matched->score[k];
        }
    if (partner != TS_ALIGN_NONE) {
        out->why[i] = TS_ALIGN_WHY_REFUSED;
        out->partner[i] = partner;
        out->partner_score[i] = score;
        out->other[i] = member_of_source(in->clusters, src, in->clusters->cluster[partner], src[i]);
        return;
    }
    partner = out->best[i];
    out->partner[i] = partner;
    out->partner_score[i] = out->best_score[i];
    const adjacency *g = in->mode == TS_MATCH_MUTUAL ? cand : matched;
    float other_score;
    uint32_t other = best_in_source(g, src, partner, src[i], &other_score);
    if (in->mode == TS_MATCH_MUTUAL) {
        out->why[i] = TS_ALIGN_WHY_NOT_MUTUAL;
    } else {
        out->why[i] = other == TS_ALIGN_NONE ? TS_ALIGN_WHY_LEFT_OUT : TS_ALIGN_WHY_ASSIGNED;
        if (other == TS_ALIGN_NONE)
            return;
    }
    out->other[i] = other;
    out->other_score[i] = other_score;
}

ts_status ts_align_statuses_compute(const ts_align_status_input *in, ts_align_statuses *out,
                                    ts_diag *diag)
{
    memset(out, 0, sizeof *out);
    size_t n = in->statements, m = n ? n : 1;
    if (!in->source_of || !in->flags || !in->clusters || (in->npairs && !in->fate) ||
        in->clusters->statements != n)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_statuses_compute: bad input");
    out->status = malloc(m);
    out->best = malloc(m * sizeof *out->best);
    out->best_score = calloc(m, sizeof *out->best_score);
    out->why = calloc(m, 1);
    out->partner = malloc(m * sizeof *out->partner);
    out->partner_score = calloc(m, sizeof *out->partner_score);
    out->other = malloc(m * sizeof *out->other);
    out->other_score = calloc(m, sizeof *out->other_score);
    adjacency matched = {0}, cand = {0};
    unsigned char *refused_of = NULL;
    int ok = out->status && out->best && out->best_score && out->why && out->partner &&
             out->partner_score && out->other && out->other_score &&
             adjacency_build(&matched, n, in->pairs, in->npairs) &&
             adjacency_build(&cand, n, in->candidates, in->ncandidates) &&
             (refused_of = refused_entries(&matched, n, in));
    if (!ok) {
        adjacency_free(&matched);
        adjacency_free(&cand);
        ts_align_statuses_free(out);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory computing the statements' statuses");
    }
    for (size_t i = 0; i < n; i++) {
        out->best[i] = out->partner[i] = out->other[i] = TS_ALIGN_NONE;
        for (size_t k = cand.start[i]; k < cand.start[i + 1]; k++)
            if (better(cand.score[k], cand.other[k], out->best_score[i], out->best[i])) {
                out->best[i] = cand.other[k];
                out->best_score[i] = cand.score[k];
            }
    }
    const ts_align_clusters *cl = in->clusters;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cl->cluster[i];
        if (in->flags[i])
            out->status[i] = TS_ALIGNMENT_FLAGGED;
        else if (cl->support[c] >= 2)
            out->status[i] = TS_ALIGNMENT_CLUSTERED;
        else if (out->best[i] != TS_ALIGN_NONE)
            out->status[i] = TS_ALIGNMENT_MATCHED;
        else
            out->status[i] = TS_ALIGNMENT_UNIQUE;
        if (out->status[i] == TS_ALIGNMENT_MATCHED)
            find_reason(in, &matched, &cand, refused_of, i, out);
    }
    free(refused_of);
    adjacency_free(&matched);
    adjacency_free(&cand);
    return TS_OK;
}

void ts_align_statuses_free(ts_align_statuses *s)
{
    if (!s)
        return;
    free(s->status);
    free(s->best);
    free(s->best_score);
    free(s->why);
    free(s->partner);
    free(s->partner_score);
    free(s->other);
    free(s->other_score);
    memset(s, 0, sizeof *s);
}
