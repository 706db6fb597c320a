/*
 * cluster.h - clustering matched pairs across sources (internal).
 *
 * The matched pairs of every source pair become groups of statements that
 * report one fact, at most one statement per source.  Pure and
 * deterministic, like match.h.
 */
#ifndef TS_ALIGN_CLUSTER_H
#define TS_ALIGN_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "textsim.h"

/* What clustering did with one pair. */
typedef enum ts_align_fate {
    TS_ALIGN_REFUSED = 0, /* the clusters of a and b share a source (or a is b) */
    TS_ALIGN_MERGED = 1,  /* the pair joined two clusters */
    TS_ALIGN_REDUNDANT = 2 /* a and b were already in one cluster */
} ts_align_fate;

/* A partition of statements 0 .. statements-1 into clusters numbered from 1.
 * Cluster c (1 <= c <= count) has members member[first[c-1] .. first[c]),
 * ascending; its support, the number of sources it covers, is support[c].
 * ts_align_cluster makes clusters of one statement per source (support =
 * size); restatements (restate.h) may add statements of sources a cluster
 * already holds. */
typedef struct ts_align_clusters {
    size_t statements;
    size_t count;
    uint32_t *cluster; /* [statements]: the cluster number of each statement */
    uint32_t *first;   /* [count + 1] */
    uint32_t *member;  /* [statements] */
    uint32_t *support; /* [count + 1]: support[c] of cluster c (support[0] unused) */
} ts_align_clusters;

/* Cluster `statements` statements, statement i belonging to source
 * source_of[i] (any uint32 values; any number of sources), from the matched
 * pairs of every source pair (a, b global statement ids, any order).
 * Rule: pairs are taken by score descending, then by the lower of their two
 * ids ascending, then by the higher id ascending.  A pair merges the
 * clusters of its two statements when their sets of sources are disjoint,
 * and is refused otherwise, so no cluster ever holds two statements of one
 * source.  Statements no pair merged stay singletons.  Clusters are numbered
 * from 1 by support descending, then by their smallest statement id.
 * fate, when not NULL, receives npairs entries: what became of pairs[i].
 * Union-find with a sorted array of sources per cluster: O(P log P) to sort
 * plus O(S) per pair for clusters of S sources.
 * Fails with TS_ERR_ARG (an id >= statements, a NaN score, NULL arrays),
 * TS_ERR_TOO_LARGE (statements > UINT32_MAX - 1) or TS_ERR_NOMEM; *out is
 * then NULL. */
ts_status ts_align_cluster(const uint32_t *source_of, size_t statements,
                           const ts_align_pair *pairs, size_t npairs,
                           ts_align_clusters **out, unsigned char *fate, ts_diag *diag);
/* NULL is a no-op. */
void ts_align_clusters_free(ts_align_clusters *clusters);

#endif
