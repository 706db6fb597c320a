/*
 * restate.h - restatements, and the link that brought each member into its
 * cluster (internal).
 *
 * Outlets state a fact more than once (headline, lead, a quote), but
 * clustering (cluster.h) keeps one statement per source.  A restatement is
 * a statement left out of every multi-source cluster whose best candidate
 * (the highest-scoring cross-source partner at or above the threshold, the
 * lowest id on ties) lies in a multi-source cluster that already holds a
 * statement of its own source - clustering refused it for that reason
 * alone - and which scores at or above the threshold with the cluster's
 * statements of at least two other sources.  It joins that cluster; of
 * several restatements of one source for one cluster, the `restatements`
 * best-linked (then the lowest ids) join.  Only the clusters that matching
 * built take restatements, and a restatement's own candidates are never
 * followed, so no chain grows through one: a cluster of k sources holds at
 * most k * (1 + restatements) statements.
 * Why two sources and one restatement: on the gold of tests/data/gold,
 * restatements that matched one other source were right in 4 of their 27
 * pairs, those matching two or more in 5 of 8; and on news-mix (54,173
 * statements of unrelated news in 5 sources) one link sufficing in a
 * two-source cluster let a generic statement ("He is a member of the
 * Republican Party.") gather 72 others: 7,374 restatements, clusters of up
 * to 74.  With both rules: 172 restatements, clusters of at most 6, and
 * the gold's precision rises (docs/QUALITY.md).  In a corpus of two
 * sources there are no restatements: one link is the evidence every match
 * has, and it already chose the source's statement in the cluster.
 *
 * Every member of a multi-source cluster carries its link: the matched pair
 * that merged it in (the highest-scoring merged pair it belongs to), or, for
 * a restatement, its best candidate.  The link's score shows how strongly
 * each member is held: a weak chain is visible member by member.
 * Pure and deterministic, like cluster.h.
 */
#ifndef TS_ALIGN_RESTATE_H
#define TS_ALIGN_RESTATE_H

#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "match.h"
#include "textsim.h"

typedef struct ts_align_restate_input {
    size_t statements;
    const uint32_t *source_of;       /* [statements] */
    const unsigned char *flags;      /* [statements]: nonzero took no part */
    const ts_align_pair *candidates; /* every cross-source pair at or above the threshold */
    size_t ncandidates;
    const ts_align_pair *pairs;      /* matched */
    size_t npairs;
    const unsigned char *fate;       /* [npairs]: ts_align_fate */
    int restatements;                /* most per source and cluster; 0: links only,
                                        clusters unchanged */
} ts_align_restate_input;

typedef struct ts_align_links {
    uint32_t *link;      /* [statements]: the member it is linked to, TS_ALIGN_NO_LINK */
    float *score;        /* [statements]: the link's score */
    unsigned char *restated; /* [statements]: 1 for a restatement */
    size_t restatements; /* how many */
} ts_align_links;

#define TS_ALIGN_NO_LINK UINT32_MAX

/* Fill links and move the restatements into their clusters: their
 * singleton clusters disappear and the clusters after them are renumbered
 * (multi-source clusters keep their numbers).  Fails with TS_ERR_NOMEM
 * (clusters unchanged, links emptied) or TS_ERR_ARG. */
ts_status ts_align_restate(const ts_align_restate_input *in, ts_align_clusters *clusters,
                           ts_align_links *links, ts_diag *diag);
/* NULL is a no-op. */
void ts_align_links_free(ts_align_links *links);

#endif
