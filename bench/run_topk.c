/*
 * run_topk.c - textsim-bench --mode topk (bench.h).
 *
 * Each statement's best --top-k matches (10) with a score >= --min-score
 * (0: every positive score), through ts_engine_pairs; the run and the
 * checks are run_pairs.c's.
 */
#include <math.h>

#include "bench.h"

static const char *topk_check(const config *c)
{
    if (c->top_k >= 0 && (c->top_k < 1 || c->top_k > TS_PAIRS_MAX_TOP_K))
        return "--top-k must be 1 to 1024";
    return NULL;
}

static void topk_prepare(bench *b)
{
    const config *c = b->c;
    bench_pairs_prepare(b, (uint32_t)(c->top_k >= 0 ? c->top_k : 10),
                        (float)(!isnan(c->min_score) ? c->min_score : 0));
}

const bench_runner bench_topk = {
    .name = "topk",
    .check = topk_check,
    .prepare = topk_prepare,
    .run = bench_pairs_run,
    .describe = bench_pairs_describe,
    .all_cells = 0,
};
