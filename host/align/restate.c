/*
 * restate.c - restatements and member links (restate.h).
 *
 * One pass over the merged pairs gives each member its link; one pass over
 * the candidates gives each statement outside the multi-source clusters its
 * best candidate, and with it whether it may restate a cluster's fact; a
 * second pass counts the cluster's statements each such one matches; a sort
 * keeps the best-linked ones per source and cluster, as many as allowed.  The
 * clusters are then rebuilt from the new cluster of each statement: empty
 * (moved) singletons dropped, numbers kept in order, members ascending.
 * O(n + candidates + members).
 */
#include "restate.h"

#include <stdlib.h>
#include <string.h>

#include "base/diag.h"

/* The pair (score, other) beats the link held (best, held): higher score,
 * then the lower id. */
static int better(float score, uint32_t other, float best, uint32_t held)
{
    return held == TS_ALIGN_NO_LINK || score > best || (score == best && other < held);
}

static void take(ts_align_links *l, uint32_t x, uint32_t other, float score)
{
    if (better(score, other, l->score[x], l->link[x])) {
        l->link[x] = other;
        l->score[x] = score;
    }
}

/* Other sources of the cluster a restatement must match at or above the
 * threshold (restate.h). */
#define RESTATE_SOURCES 2

/* A statement that may restate a cluster's fact. */
typedef struct restate_pick {
    uint32_t cluster, source;
    float score; /* its link's */
    uint32_t id;
} restate_pick;

/* By cluster, then source, then the best link first (the lower id on ties). */
static int compare_picks(const void *x, const void *y)
{
    const restate_pick *p = x, *q = y;
    if (p->cluster != q->cluster)
        return p->cluster < q->cluster ? -1 : 1;
    if (p->source != q->source)
        return p->source < q->source ? -1 : 1;
    if (p->score != q->score)
        return p->score > q->score ? -1 : 1;
    return p->id < q->id ? -1 : p->id > q->id;
}

/* Cluster c holds a statement of source src. */
static int holds_source(const ts_align_clusters *cl, const uint32_t *source_of, uint32_t c,
                        uint32_t src)
{
    for (uint32_t k = cl->first[c - 1]; k < cl->first[c]; k++)
        if (source_of[cl->member[k]] == src)
            return 1;
    return 0;
}

/* Move each restatement into the cluster of its link, then rebuild
 * first[], member[] and count, dropping the clusters no statement is in any
 * more (numbers kept in order, members ascending).  Nothing changes when
 * it fails. */
static ts_status move_restatements(ts_align_clusters *cl, const ts_align_links *links,
                                   ts_diag *diag)
{
    size_t n = cl->statements, count = cl->count;
    uint32_t *size = calloc(count + 1, sizeof *size);
    uint32_t *renum = calloc(count + 1, sizeof *renum);
    if (!size || !renum) {
        free(size);
        free(renum);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory regrouping clusters");
    }
    for (size_t i = 0; i < n; i++)
        if (links->restated[i])
            cl->cluster[i] = cl->cluster[links->link[i]]; /* a link is never moved */
    for (size_t i = 0; i < n; i++)
        size[cl->cluster[i]]++;
    size_t kept = 0;
    cl->first[0] = 0;
    for (size_t c = 1; c <= count; c++) {
        if (!size[c])
            continue;
        renum[c] = (uint32_t)++kept; /* kept <= c: nothing unread is overwritten */
        cl->support[kept] = cl->support[c];
        cl->first[kept] = cl->first[kept - 1] + size[c];
        size[kept] = cl->first[kept - 1]; /* from now on: where its next member goes */
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t c = renum[cl->cluster[i]];
        cl->cluster[i] = c;
        cl->member[size[c]++] = (uint32_t)i;
    }
    cl->count = kept;
    free(size);
    free(renum);
    return TS_OK;
}

ts_status ts_align_restate(const ts_align_restate_input *in, ts_align_clusters *cl,
                           ts_align_links *links, ts_diag *diag)
{
    size_t n = in->statements, m = n ? n : 1;
    memset(links, 0, sizeof *links);
    if (!cl || cl->statements != n || (n && !in->source_of) ||
        (in->ncandidates && !in->candidates) || (in->npairs && (!in->pairs || !in->fate)))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_restate: inconsistent input");
    ts_status st = TS_OK;
    links->link = malloc(m * sizeof *links->link);
    links->score = calloc(m, sizeof *links->score);
    links->restated = calloc(m, 1);
    uint32_t *best = malloc(m * sizeof *best);   /* best candidate outside the clusters */
    float *best_score = calloc(m, sizeof *best_score);
    uint32_t *agree = calloc(m, sizeof *agree);  /* the cluster's sources it matches */
    restate_pick *pick = malloc(m * sizeof *pick);
    if (!links->link || !links->score || !links->restated || !best || !best_score || !agree ||
        !pick) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory linking %zu statements", n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        links->link[i] = best[i] = TS_ALIGN_NO_LINK;

    /* the merged pair that brought each member in */
    for (size_t p = 0; p < in->npairs; p++) {
        if (in->fate[p] != TS_ALIGN_MERGED)
            continue;
        const ts_align_pair *q = &in->pairs[p];
        take(links, q->a, q->b, q->score);
        take(links, q->b, q->a, q->score);
    }
    if (!in->restatements || n == 0)
        goto done;

    /* the best candidate of each statement outside the multi-source clusters */
    for (size_t p = 0; p < in->ncandidates; p++) {
        const ts_align_pair *q = &in->candidates[p];
        uint32_t side[2] = {q->a, q->b};
        for (int s = 0; s < 2; s++) {
            uint32_t x = side[s], other = side[1 - s];
            if (x >= n || other >= n || cl->support[cl->cluster[x]] >= 2 ||
                (in->flags && (in->flags[x] || in->flags[other])))
                continue;
            if (better(q->score, other, best_score[x], best[x])) {
                best[x] = other;
                best_score[x] = q->score;
            }
        }
    }
    /* candidates: the best candidate's cluster already holds its source */
    for (size_t i = 0; i < n; i++) {
        uint32_t j = best[i];
        if (j != TS_ALIGN_NO_LINK && cl->support[cl->cluster[j]] >= 2 &&
            holds_source(cl, in->source_of, cl->cluster[j], in->source_of[i]))
            links->restated[i] = 1;
    }
    /* corroboration: the cluster's statements (one per other source) it matches */
    for (size_t p = 0; p < in->ncandidates; p++) {
        const ts_align_pair *q = &in->candidates[p];
        if (q->a >= n || q->b >= n)
            continue;
        if (links->restated[q->a] && cl->cluster[q->b] == cl->cluster[best[q->a]])
            agree[q->a]++;
        if (links->restated[q->b] && cl->cluster[q->a] == cl->cluster[best[q->b]])
            agree[q->b]++;
    }
    /* two other sources agree; then the best-linked `restatements` per source and cluster */
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        if (links->restated[i] && agree[i] >= RESTATE_SOURCES)
            pick[np++] = (restate_pick){cl->cluster[best[i]], in->source_of[i], best_score[i],
                                        (uint32_t)i};
        links->restated[i] = 0;
    }
    if (np > 1)
        qsort(pick, np, sizeof *pick, compare_picks);
    size_t run = 0; /* restatements of this pick's source and cluster so far */
    for (size_t k = 0; k < np; k++) {
        if (k > 0 && pick[k].cluster == pick[k - 1].cluster && pick[k].source == pick[k - 1].source)
            run++;
        else
            run = 0;
        if (run >= (size_t)in->restatements)
            continue; /* a weaker restatement of a source that has its share */
        uint32_t i = pick[k].id;
        links->restated[i] = 1;
        links->link[i] = best[i];
        links->score[i] = best_score[i];
        links->restatements++;
    }
    if (links->restatements)
        st = move_restatements(cl, links, diag);
done:
    free(best);
    free(best_score);
    free(agree);
    free(pick);
    if (st != TS_OK)
        ts_align_links_free(links);
    return st;
}

void ts_align_links_free(ts_align_links *links)
{
    if (!links)
        return;
    free(links->link);
    free(links->score);
    free(links->restated);
    memset(links, 0, sizeof *links);
}
