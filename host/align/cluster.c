/*
 * cluster.c - clustering the matched pairs across sources (cluster.h).
 *
 * A union-find whose roots carry the sorted array of their cluster's
 * sources: pairs are taken best first, and a pair merges two clusters only
 * when their source sets are disjoint.  Clusters are then numbered by
 * support and first member.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "base/diag.h"


typedef struct ranked_pair {
    uint32_t lo, hi; /* the pair's ids, lower first */
    float score;
    size_t index;    /* position in the caller's array */
} ranked_pair;

static int compare_ranked(const void *x, const void *y)
{
    const ranked_pair *p = x, *q = y;
    if (p->score != q->score)
        return p->score > q->score ? -1 : 1;
    if (p->lo != q->lo)
        return p->lo < q->lo ? -1 : 1;
    if (p->hi != q->hi)
        return p->hi < q->hi ? -1 : 1;
    return p->index < q->index ? -1 : p->index > q->index;
}

/* Union-find whose roots own the sorted sources of their cluster.  A
 * singleton's set is its own source and is not allocated. */
typedef struct source_sets {
    const uint32_t *source_of;
    uint32_t *parent;
    uint32_t **set;  /* NULL for singletons */
    uint32_t *size;  /* number of sources (= members) of each root */
} source_sets;

static uint32_t sets_find(source_sets *s, uint32_t x)
{
    while (s->parent[x] != x) {
        s->parent[x] = s->parent[s->parent[x]];
        x = s->parent[x];
    }
    return x;
}

static const uint32_t *sets_sources(const source_sets *s, uint32_t root)
{
    return s->set[root] ? s->set[root] : &s->source_of[root];
}

static int sets_disjoint(const source_sets *s, uint32_t x, uint32_t y)
{
    const uint32_t *p = sets_sources(s, x), *q = sets_sources(s, y);
    uint32_t i = 0, j = 0, np = s->size[x], nq = s->size[y];
    while (i < np && j < nq) {
        if (p[i] == q[j])
            return 0;
        if (p[i] < q[j])
            i++;
        else
            j++;
    }
    return 1;
}

/* Merge the clusters of roots x and y (disjoint sources). */
static ts_status sets_merge(source_sets *s, uint32_t x, uint32_t y, ts_diag *diag)
{
    uint32_t np = s->size[x], nq = s->size[y], n = np + nq;
    uint32_t *merged = malloc((size_t)n * sizeof *merged);
    if (!merged)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory merging clusters of %u sources", n);
    const uint32_t *p = sets_sources(s, x), *q = sets_sources(s, y);
    uint32_t i = 0, j = 0, k = 0;
    while (i < np || j < nq)
        merged[k++] = (j == nq || (i < np && p[i] < q[j])) ? p[i++] : q[j++];
    /* the larger cluster's root stays root; the lower id on equal sizes */
    uint32_t root = (np > nq || (np == nq && x < y)) ? x : y, child = root == x ? y : x;
    free(s->set[x]);
    free(s->set[y]);
    s->set[x] = s->set[y] = NULL;
    s->set[root] = merged;
    s->size[root] = n;
    s->parent[child] = root;
    return TS_OK;
}

typedef struct cluster_key {
    uint32_t root;
    uint32_t support;
    uint32_t smallest;
} cluster_key;

static int compare_clusters(const void *x, const void *y)
{
    const cluster_key *p = x, *q = y;
    if (p->support != q->support)
        return p->support > q->support ? -1 : 1;
    return p->smallest < q->smallest ? -1 : p->smallest > q->smallest;
}

void ts_align_clusters_free(ts_align_clusters *clusters)
{
    if (!clusters)
        return;
    free(clusters->cluster);
    free(clusters->first);
    free(clusters->member);
    free(clusters->support);
    free(clusters);
}

ts_status ts_align_cluster(const uint32_t *source_of, size_t statements,
                           const ts_align_pair *pairs, size_t npairs,
                           ts_align_clusters **out, unsigned char *fate, ts_diag *diag)
{
    if (!out)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_cluster: the output pointer is NULL");
    *out = NULL;
    if ((statements && !source_of) || (npairs && !pairs))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_cluster: sources or pairs are NULL");
    if (statements > UINT32_MAX - 1)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "ts_align_cluster: %zu statements exceed the 32-bit id limit", statements);
    for (size_t i = 0; i < npairs; i++) {
        if (pairs[i].a >= statements || pairs[i].b >= statements)
            return TS_FAIL(diag, TS_ERR_ARG,
                           "ts_align_cluster: pair %zu (%u, %u) names a statement beyond the "
                           "%zu given",
                           i, pairs[i].a, pairs[i].b, statements);
        if (isnan(pairs[i].score))
            return TS_FAIL(diag, TS_ERR_ARG, "ts_align_cluster: pair %zu (%u, %u) has a NaN score",
                           i, pairs[i].a, pairs[i].b);
    }

    ts_status st = TS_OK;
    size_t n = statements;
    ts_align_clusters *cl = calloc(1, sizeof *cl);
    ranked_pair *ranked = malloc((npairs ? npairs : 1) * sizeof *ranked);
    source_sets s = {source_of, malloc((n ? n : 1) * sizeof(uint32_t)),
                     calloc(n ? n : 1, sizeof(uint32_t *)), malloc((n ? n : 1) * sizeof(uint32_t))};
    cluster_key *keys = malloc((n ? n : 1) * sizeof *keys);
    uint32_t *number_of_root = malloc((n ? n : 1) * sizeof *number_of_root);
    if (cl) {
        cl->statements = n;
        cl->cluster = malloc((n ? n : 1) * sizeof *cl->cluster);
        cl->first = malloc((n + 1) * sizeof *cl->first);
        cl->member = malloc((n ? n : 1) * sizeof *cl->member);
        cl->support = calloc(n + 1, sizeof *cl->support);
    }
    if (!cl || !ranked || !s.parent || !s.set || !s.size || !keys || !number_of_root ||
        !cl->cluster || !cl->first || !cl->member || !cl->support) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory clustering %zu statements", n);
        goto done;
    }

    for (size_t i = 0; i < n; i++) {
        s.parent[i] = (uint32_t)i;
        s.size[i] = 1;
    }
    for (size_t i = 0; i < npairs; i++) {
        uint32_t a = pairs[i].a, b = pairs[i].b;
        ranked[i] = (ranked_pair){a < b ? a : b, a < b ? b : a, pairs[i].score, i};
    }
    if (npairs > 1)
        qsort(ranked, npairs, sizeof *ranked, compare_ranked);
    for (size_t r = 0; r < npairs && st == TS_OK; r++) {
        uint32_t x = sets_find(&s, ranked[r].lo), y = sets_find(&s, ranked[r].hi);
        unsigned char what;
        if (x == y && ranked[r].lo != ranked[r].hi) {
            what = TS_ALIGN_REDUNDANT;
        } else if (x != y && sets_disjoint(&s, x, y)) {
            st = sets_merge(&s, x, y, diag);
            what = TS_ALIGN_MERGED;
        } else {
            what = TS_ALIGN_REFUSED;
        }
        if (fate)
            fate[ranked[r].index] = what;
    }
    if (st != TS_OK)
        goto done;

    /* number the clusters: support descending, then smallest member */
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        number_of_root[i] = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = sets_find(&s, (uint32_t)i);
        if (number_of_root[r] == 0) {
            /* ids ascend, so the first member seen is the smallest */
            keys[count] = (cluster_key){r, s.size[r], (uint32_t)i};
            number_of_root[r] = (uint32_t)++count;
        }
    }
    qsort(keys, count, sizeof *keys, compare_clusters);
    for (size_t c = 0; c < count; c++)
        number_of_root[keys[c].root] = (uint32_t)(c + 1);
    cl->count = count;
    cl->first[0] = 0;
    for (size_t c = 0; c < count; c++) {
        cl->first[c + 1] = cl->first[c] + keys[c].support;
        cl->support[c + 1] = keys[c].support;
    }
    /* fill members in ascending id; keys[].smallest is reused as a cursor */
    for (size_t c = 0; c < count; c++)
        keys[c].smallest = cl->first[c];
    for (size_t i = 0; i < n; i++) {
        uint32_t c = number_of_root[sets_find(&s, (uint32_t)i)];
        cl->cluster[i] = c;
        cl->member[keys[c - 1].smallest++] = (uint32_t)i;
    }

done:
    if (s.set)
        for (size_t i = 0; i < n; i++)
            free(s.set[i]);
    free(s.set);
    free(s.parent);
    free(s.size);
    free(ranked);
    free(keys);
    free(number_of_root);
    if (st != TS_OK) {
        ts_align_clusters_free(cl);
        return st;
    }
    *out = cl;
    return TS_OK;
}
