/*
 * scores.c - the candidate pairs of an alignment and its heatmap (scores.h).
 *
 * A pair below the threshold can never match, so the candidates hold all
 * that matching needs, and memory grows with them, never with N^2.  When
 * similarity.csv is wanted the engine streams the whole matrix in row
 * strips (ts_engine_similarity): each strip is handed on, binned into the
 * heatmap and thresholded here.  Otherwise the engine's pairs selection
 * runs on a CSR of the unflagged rows alone, so that flagged boilerplate
 * costs nothing; a pair comes from both its statements' lists and is kept
 * from the lower one's.
 */
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "engine/pairs.h"
#include "scores.h"
#include "text/tfidf_internal.h"

typedef struct pass_state {
    const ts_align_scoring *s;
    ts_align_pairs *candidates;
    ts_align_heatmap *heat;
    size_t *bin_of; /* statement -> heatmap bin */
    ts_diag diag;
} pass_state;

static int may_match(const ts_align_scoring *s, size_t i, size_t j)
{
    return s->source_of[i] != s->source_of[j] && !s->flags[i] && !s->flags[j];
}

static ts_status on_strip(void *user, const ts_tile *t)
{
    pass_state *ps = user;
    const ts_align_scoring *s = ps->s;
    ts_align_heatmap *h = ps->heat;
    if (s->tile_fn) {
        ts_status st = s->tile_fn(s->tile_user, t);
        if (st != TS_OK)
            return st;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        size_t i = t->row0 + r;
        const float *row = t->scores + r * t->ld;
        float *heat_row = h->heat + ps->bin_of[i] * h->size;
        for (size_t c = 0; c < t->ncols; c++) {
            size_t j = t->col0 + c;
            float v = row[c];
            float *cell = heat_row + ps->bin_of[j];
            if (v > *cell)
                *cell = v;
            if (j > i && v >= s->threshold && may_match(s, i, j)) {
                ts_status st = ts_align_pairs_push(ps->candidates, (uint32_t)i, (uint32_t)j, v,
                                                   &ps->diag);
                if (st != TS_OK)
                    return st;
            }
        }
    }
    return TS_OK;
}

static ts_status heatmap_init(ts_align_heatmap *h, size_t n, size_t size, size_t **bin_of,
                              ts_diag *diag)
{
    h->size = n < size ? n : size;
    if (h->size == 0)
        h->size = 1;
    h->heat = calloc(h->size * h->size, sizeof *h->heat);
    h->bin_start = malloc((h->size + 1) * sizeof *h->bin_start);
    *bin_of = malloc((n ? n : 1) * sizeof **bin_of);
    if (!h->heat || !h->bin_start || !*bin_of)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for the heatmap");
    for (size_t b = 0; b <= h->size; b++)
        h->bin_start[b] = b * n / h->size;
    for (size_t b = 0; b < h->size; b++)
        for (size_t i = h->bin_start[b]; i < h->bin_start[b + 1]; i++)
            (*bin_of)[i] = b;
    return TS_OK;
}

static void heatmap_from_candidates(pass_state *ps)
{
    ts_align_heatmap *h = ps->heat;
    for (size_t k = 0; k < ps->candidates->count; k++) {
        const ts_align_pair *c = &ps->candidates->items[k];
        size_t bi = ps->bin_of[c->a], bj = ps->bin_of[c->b];
        float *x = h->heat + bi * h->size + bj, *y = h->heat + bj * h->size + bi;
        if (c->score > *x)
            *x = c->score;
        if (c->score > *y)
            *y = c->score;
    }
    h->floor = ps->s->threshold;
}

typedef struct cand_state {
    pass_state *ps;
    const uint32_t *stmt; /* row of the sub-matrix -> statement */
} cand_state;

static ts_status on_matches(void *user, uint32_t row, const ts_match *matches, size_t n)
{
    cand_state *cs = user;
    uint32_t i = cs->stmt[row];
    for (size_t k = 0; k < n; k++) {
        uint32_t j = cs->stmt[matches[k].statement];
        if (j <= i)
            continue;
        ts_status st = ts_align_pairs_push(cs->ps->candidates, i, j, matches[k].score,
                                           &cs->ps->diag);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

/* The pairs engine on the unflagged rows, copied into a smaller CSR with
 * the same columns. */
static ts_status candidates_pass(ts_engine *engine, const ts_tfidf *tfidf, pass_state *ps,
                                 ts_diag *diag)
{
    const ts_align_scoring *s = ps->s;
    const ts_csr *m = ts_tfidf_csr(tfidf);
    size_t rows = 0, nnz = 0;
    for (size_t i = 0; i < s->statements; i++)
        if (!s->flags[i]) {
            rows++;
            nnz += m->ptr[i + 1] - m->ptr[i];
        }
    if (rows == 0)
        return TS_OK;
    ts_csr sub = {.rows = (uint32_t)rows, .cols = m->cols};
    uint32_t *stmt = malloc(rows * sizeof *stmt);
    uint32_t *group = malloc(rows * sizeof *group);
    sub.ptr = malloc((rows + 1) * sizeof *sub.ptr);
    sub.idx = malloc((nnz ? nnz : 1) * sizeof *sub.idx);
    sub.val = malloc((nnz ? nnz : 1) * sizeof *sub.val);
    ts_status st = TS_OK;
    if (!stmt || !group || !sub.ptr || !sub.idx || !sub.val) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    } else {
        size_t r = 0, w = 0;
        sub.ptr[0] = 0;
        for (size_t i = 0; i < s->statements; i++) {
            if (s->flags[i])
                continue;
            size_t a = m->ptr[i], e = m->ptr[i + 1];
            memcpy(sub.idx + w, m->idx + a, (e - a) * sizeof *sub.idx);
            memcpy(sub.val + w, m->val + a, (e - a) * sizeof *sub.val);
            w += e - a;
            group[r] = s->source_of[i];
            stmt[r++] = (uint32_t)i;
            sub.ptr[r] = (uint32_t)w;
        }
        ts_pairs_options po;
        ts_pairs_options_init(&po);
        po.top_k = 0;
        po.min_score = s->threshold;
        po.cross_source = 1;
        po.groups = group;
        cand_state cs = {ps, stmt};
        st = ts_engine_pairs_csr(engine, &sub, &po, on_matches, &cs, diag);
    }
    free(stmt);
    free(group);
    free(sub.ptr);
    free(sub.idx);
    free(sub.val);
    return st;
}

ts_status ts_align_scores(ts_engine *engine, const ts_tfidf *tfidf, const ts_align_scoring *s,
                          ts_align_pairs *candidates, ts_align_heatmap *heatmap, ts_diag *diag)
{
    pass_state ps = {.s = s, .candidates = candidates, .heat = heatmap};
    ts_diag_clear(&ps.diag);
    ts_status st = heatmap_init(heatmap, s->statements, s->heatmap_size, &ps.bin_of, diag);
    if (st == TS_OK) {
        st = s->tile_fn ? ts_engine_similarity(engine, tfidf, on_strip, &ps, diag)
                        : candidates_pass(engine, tfidf, &ps, diag);
        if (st != TS_OK && ps.diag.status != TS_OK && diag)
            *diag = ps.diag;
    }
    if (st == TS_OK && !s->tile_fn)
        heatmap_from_candidates(&ps);
    free(ps.bin_of);
    return st;
}

void ts_align_heatmap_free(ts_align_heatmap *heatmap)
{
    if (!heatmap)
        return;
    free(heatmap->heat);
    free(heatmap->bin_start);
    memset(heatmap, 0, sizeof *heatmap);
}
