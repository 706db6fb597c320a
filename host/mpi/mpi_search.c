/*
 * mpi_search.c - `search` over the ranks (dist.h's cli_dist_begin_search and
 * cli_dist_search).
 *
 * Rank 0 reads and weights the queries and broadcasts their rows; every
 * rank maps the index itself from the path on the command line (a mapping
 * costs no copy, where broadcasting a 1,000,000-statement archive would
 * move 280 MB to each rank) and checks that it is the file rank 0 opened:
 * the header checksum, which covers every section's, travels in the job's
 * header.  The queries are cut into strips (queries_per_strip), handed out
 * by the schedule as pairs' blocks are; each rank searches its strips
 * against the whole archive, so a query's list is made on one rank, with
 * the whole archive's bar, and the root's merge (mpi_pairs.c's) takes it
 * as it is.  The lists are the same bytes as one process's for any number
 * of ranks: the strips do not change what a query's list holds.
 */
#include <stdio.h>

#include "base/diag.h"
#include "engine/search.h"
#include "index/format.h"
#include "mpi_pairs.h"
#include "mpi_search.h"
#include "text/tfidf_internal.h"
#include "world.h"

/* Queries per strip: four strips per rank at least, so that the dynamic
 * schedule can even out strips of unequal cost, and at most 4096 (the
 * pruned pass's strip). */
static uint64_t queries_per_strip(size_t queries)
{
    uint64_t parts = 4 * (uint64_t)cli_world.size, n = (queries + parts - 1) / parts;
    return n < 1 ? 1 : n > 4096 ? 4096 : n;
}

int cli_dist_begin_search(const cli_options *opt, const ts_csr *queries, const ts_index *index)
{
    cli_world.fingerprint = ts_index_fingerprint(index);
    return cli_dist_begin(opt, CLI_DIST_SEARCH, queries, NULL);
}

typedef struct search_work {
    ts_engine *engine;
    const ts_csr *queries;
    const ts_tfidf *archive;
    const ts_pairs_options *pairs;
} search_work;

static ts_status run_search_share(void *user, const ts_pairs_share *share, ts_matches_fn fn,
                                  void *fn_user, ts_diag *diag)
{
    search_work *w = user;
    return ts_engine_search_csr(w->engine, w->queries, ts_tfidf_csr(w->archive),
                                ts_tfidf_postings(w->archive), w->pairs, TS_SEARCH_AUTO, share,
                                fn, fn_user, diag);
}

ts_status cli_mpi_run_search(ts_engine *engine, const ts_index *index, const ts_csr *queries,
                             const ts_pairs_options *pairs, ts_status ready, ts_matches_fn fn,
                             void *user, ts_diag *diag)
{
    ts_status failed;
    int who = cli_mpi_agree(ready, NULL, &failed);
    if (who)
        return ready != TS_OK ? ready : cli_mpi_not_mine(failed, who, diag);
    search_work w = {engine, queries, ts_index_model(index), pairs};
    return cli_mpi_run_lists(engine, queries->rows, queries_per_strip(queries->rows),
                             pairs->top_k, "strips", run_search_share, &w, fn, user, diag);
}

ts_status cli_dist_search(const cli_options *opt, ts_engine *engine, const ts_index *index,
                          const ts_csr *queries, const ts_pairs_options *pairs, ts_matches_fn fn,
                          void *user, ts_diag *diag)
{
    (void)opt;
    return cli_mpi_run_search(engine, index, queries, pairs, TS_OK, fn, user, diag);
}

/* Another rank's index: the path on its command line must name the file
 * rank 0 opened (the same bytes: a copy on every node is fine).  0 when
 * it does, else an exit code after the message. */
int cli_mpi_check_index(const ts_index *index, const char *path)
{
    if (ts_index_fingerprint(index) == cli_world.fingerprint)
        return CLI_EXIT_OK;
    fprintf(stderr,
            "%s: error: %s: not the index rank 0 opened (its checksums differ): give every "
            "rank the same file\n",
            cli_world.name, path);
    return CLI_EXIT_INPUT;
}
