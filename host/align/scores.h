/*
 * scores.h - the candidate pairs of an alignment and its heatmap, from the
 * engine (internal).
 */
#ifndef TS_ALIGN_SCORES_H
#define TS_ALIGN_SCORES_H

#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "textsim.h"

/* A downsampled view of the similarity matrix: size x size bins, bin b
 * covering statements bin_start[b] .. bin_start[b + 1], each cell the
 * largest score of its block.  It holds the scores from floor up (0: all). */
typedef struct ts_align_heatmap {
    float *heat;       /* [size * size] */
    size_t size;
    size_t *bin_start; /* [size + 1] */
    float floor;
} ts_align_heatmap;

/* What the scoring pass reads: the statements, and who may match whom. */
typedef struct ts_align_scoring {
    size_t statements;
    const uint32_t *source_of;   /* [statements] */
    const unsigned char *flags;  /* [statements]: nonzero takes no part */
    float threshold;
    size_t heatmap_size;         /* bins per side, at least 1 */
    ts_tile_fn tile_fn;          /* NULL, or the whole matrix goes here */
    void *tile_user;
} ts_align_scoring;

/* The candidates: every pair (a < b) of unflagged statements of different
 * sources scoring at or above the threshold, appended to *candidates in no
 * promised order; and the heatmap.  With tile_fn, one pass of the engine
 * over the whole matrix, strip by strip, forwards each strip and keeps the
 * candidates; the heatmap shows every score.  Without it the pairs engine
 * selects the candidates on the device (threshold mode, cross-source, the
 * unflagged rows only: the path of `textsim pairs`), no N x N block leaves
 * it, and the heatmap shows the candidates alone (its floor is the
 * threshold).  On failure the heatmap and candidates are left for the
 * caller to free. */
ts_status ts_align_scores(ts_engine *engine, const ts_tfidf *tfidf, const ts_align_scoring *s,
                          ts_align_pairs *candidates, ts_align_heatmap *heatmap, ts_diag *diag);

/* Frees the heatmap's arrays; NULL is a no-op. */
void ts_align_heatmap_free(ts_align_heatmap *heatmap);

#endif
