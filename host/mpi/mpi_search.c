/*
 * mpi_search.c - `search` over the ranks (dist.h's cli_dist_begin_search and
 * cli_dist_search).
 *
 * Rank 0 reads and weights the queries and broadcasts their rows; every
 * rank maps the index itself from the path on the command line (a mapping
 * costs no copy, where broadcasting a 1,000,000-statement archive would
 * move 280 MB to each rank) and checks that it is the file rank 0 opened:
 * the header checksum, which covers every section's, travels in the job's
 * header.  The work is cut into units: strips of queries (queries_per_strip)
 * against parts of the archive (archive_parts: one part, the whole
 * archive, when there are queries enough; several for one article), handed
 * out by the schedule as pairs' blocks are.  Each rank sends the root, per
 * strip, its k best of every query from its own units; every pair lies in
 * one unit, so the root's merge (mpi_pairs.c's) of the union is exact, and
 * the lists are the same bytes as one process's for any number of ranks.
 */
#include <stdio.h>

#include "base/diag.h"
#include "engine/search.h"
#include "index/format.h"
#include "mpi_pairs.h"
#include "mpi_search.h"
#include "text/tfidf_internal.h"
#include "world.h"

/* Units per rank wanted, so that the dynamic schedule can even out units
 * of unequal cost. */
#define UNITS_PER_RANK 4
/* The fewest archive statements in a part. */
#define MIN_PART 256

/* Queries per strip: UNITS_PER_RANK strips per rank where there are that
 * many queries, and at most the pruned pass's strip. */
static uint64_t queries_per_strip(size_t queries)
{
    uint64_t units = UNITS_PER_RANK * (uint64_t)cli_world.size;
    uint64_t n = (queries + units - 1) / units;
    return n < 1 ? 1 : n > TS_SEARCH_STRIP ? TS_SEARCH_STRIP : n;
}

/* The archive's parts: one while the strips make the units (a query then
 * meets the whole archive on one rank, whose bar rises over all of it);
 * for fewer queries (one article, one statement) as many as the units
 * need, of MIN_PART statements at least. */
static uint64_t archive_parts(size_t queries, uint64_t strip, size_t statements)
{
    uint64_t units = UNITS_PER_RANK * (uint64_t)cli_world.size;
    uint64_t strips = (queries + strip - 1) / strip, most = statements / MIN_PART;
    if (strips >= units || most <= 1)
        return 1;
    uint64_t parts = (units + strips - 1) / strips;
    return parts < most ? parts : most;
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
    uint64_t parts;
} search_work;

/* The units of the merge's tiles (share->tile queries each) against the
 * archive's parts. */
static ts_status run_search_share(void *user, const ts_pairs_share *share, ts_matches_fn fn,
                                  void *fn_user, ts_diag *diag)
{
    search_work *w = user;
    ts_search_share units = {share->tile, w->parts, share->next, share->user};
    return ts_engine_search_csr(w->engine, w->queries, ts_tfidf_csr(w->archive),
                                ts_tfidf_postings(w->archive), w->pairs, TS_SEARCH_AUTO, &units,
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
    uint64_t strip = queries_per_strip(queries->rows);
    search_work w = {engine, queries, ts_index_model(index), pairs,
                     archive_parts(queries->rows, strip, ts_index_statement_count(index))};
    return cli_mpi_run_lists(engine, queries->rows, strip, pairs->top_k, "units",
                             run_search_share, &w, fn, user, diag);
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
