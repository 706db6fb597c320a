/*
 * run_threshold.c - textsim-bench --mode threshold (bench.h).
 *
 * Every match with a score >= --min-score (0.2), through ts_engine_pairs
 * with no top-k; the run and the checks are run_pairs.c's.
 */
#include <math.h>

#include "bench.h"

static const char *threshold_check(const config *c)
{
    if (c->top_k >= 0)
        return "--mode threshold keeps every match >= --min-score; for both limits use "
               "--mode topk --top-k K --min-score T";
    return NULL;
}

static void threshold_prepare(bench *b)
{
    const config *c = b->c;
    bench_pairs_prepare(b, 0, (float)(!isnan(c->min_score) ? c->min_score : 0.2));
}

const bench_runner bench_threshold = {
    .name = "threshold",
    .check = threshold_check,
    .prepare = threshold_prepare,
    .run = bench_pairs_run,
    .describe = bench_pairs_describe,
    .all_cells = 0,
};
