/*
 * dist_local.c - the single-process side of dist.h (textsim): the engine
 * runs every block itself; there is nobody to share with.
 */
#include "dist.h"
#include "engine/engine.h"
#include "engine/search.h"
#include "text/tfidf_internal.h"

int cli_dist_begin(const cli_options *opt, cli_dist_job job, const ts_csr *m,
                   const uint32_t *groups)
{
    (void)opt, (void)job, (void)m, (void)groups;
    return CLI_EXIT_OK;
}

int cli_dist_begin_search(const cli_options *opt, const ts_csr *queries, const ts_index *index)
{
    (void)opt, (void)queries, (void)index;
    return CLI_EXIT_OK;
}

const char *cli_dist_device(void) { return NULL; }

int cli_dist_ranks(void) { return 1; }

ts_status cli_dist_pairs(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                         const ts_pairs_options *pairs, ts_matches_fn fn, void *user,
                         ts_diag *diag)
{
    (void)opt;
    return ts_engine_pairs_csr(engine, m, pairs, fn, user, diag);
}

ts_status cli_dist_matrix(const cli_options *opt, ts_engine *engine, const ts_csr *m,
                          ts_matrix_writer *w, cli_progress *progress, ts_diag *diag)
{
    (void)opt, (void)w;
    return ts_engine_similarity_csr(engine, m, cli_progress_tile, progress, diag);
}

ts_status cli_dist_search(const cli_options *opt, ts_engine *engine, const ts_index *index,
                          const ts_csr *queries, const ts_pairs_options *pairs, ts_matches_fn fn,
                          void *user, ts_diag *diag)
{
    (void)opt;
    const ts_tfidf *archive = ts_index_model(index);
    return ts_engine_search_csr(engine, queries, ts_tfidf_csr(archive), ts_tfidf_postings(archive),
                                pairs, TS_SEARCH_AUTO, NULL, fn, user, diag);
}

void cli_dist_report(const cli_options *opt) { (void)opt; }
