/*
 * cmd_search.c - `textsim search`: query statements against a saved index.
 *
 * Opens the index (mapped, checked), checks that the TF-IDF options on the
 * command line, if any, say what the index's model says, reads and splits
 * the queries as any input, weights them with the index's vocabulary and
 * IDF (ts_tfidf_transform), then searches (ts_engine_search through
 * dist.h: in this process, or shared among textsim-mpi's ranks) for each
 * query's best archive statements over a queries x archive plan.
 * matches.c writes the CSV (query,match,score,rank[,text_query,text_match])
 * as the lists come.
 */
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "cli.h"
#include "dist.h"
#include "output/outfile.h"
#include "text/tfidf_internal.h"

static const char help[] =
    "Usage: textsim search INDEX QUERIES... [-o FILE] [options]\n"
    "\n"
    "Each query statement's most similar archive statements, from an index written by\n"
    "'textsim index build': a long-format CSV query,match,score,rank, one line per\n"
    "match, ids SOURCE:INDEX (the query's from QUERIES, the match's from the index).\n"
    "Queries come in order, each one's matches best first (equal scores: the earlier\n"
    "archive statement first), ranked from 1; scores are cosines (> 0).  The queries\n"
    "are read and split as any input, then weighted with the index's own options,\n"
    "vocabulary and IDF (terms the index does not know are dropped, as scikit-learn's\n"
    "transform does); no archive statement is compared with another.  Without -o (or\n"
    "with -o -) the CSV goes to stdout.\n"
    "\n"
    "Search options:\n"
    "  --top-k K            at most K matches per query (default 10; 0: no limit; at\n"
    "                       most 1024)\n"
    "  --min-score T        only scores >= T (default 0: every positive score)\n"
    "  --with-text          add the columns text_query,text_match\n"
    "\n" CLI_HELP_INPUT "\n"
    "TF-IDF options: the index's own weight the queries.  Any of the options of\n"
    "'textsim index build' may be given to say what the index must have been built\n"
    "with; one that says otherwise is an error (exit 2) naming it.\n"
    "\n" CLI_HELP_ENGINE "\nOutput options:\n"
    "  -o, --output FILE    the CSV; - or none: stdout\n" CLI_HELP_OUTPUT CLI_HELP_PROGRESS
    "\n" CLI_HELP_VECTORIZER;

/* Open the index named by the first operand and take it off the inputs. */
int cli_open_index(cli_options *opt, const char *command, ts_index **out)
{
    *out = NULL;
    if (opt->ninputs < 1) {
        fprintf(stderr, "textsim %s: give the index file first\nRun 'textsim %s --help' for "
                        "the options.\n", command, command);
        return CLI_EXIT_USAGE;
    }
    const char *path = opt->inputs[0];
    opt->inputs++;
    opt->ninputs--;
    double t0 = cli_now();
    ts_diag diag;
    ts_status st = ts_index_open(out, path, &diag);
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_INPUT);
    int code = cli_check_model_options(opt, ts_tfidf_options(ts_index_model(*out)), command, path);
    if (code) {
        ts_index_free(*out);
        *out = NULL;
        return code;
    }
    if (opt->verbosity >= 2)
        cli_note(opt, "opened %s: %zu statements from %zu sources, %zu terms, %zu non-zeros "
                      "(%.3f s)",
                 path, ts_index_statement_count(*out), ts_index_source_count(*out),
                 ts_tfidf_cols(ts_index_model(*out)), ts_tfidf_nnz(ts_index_model(*out)),
                 cli_now() - t0);
    return CLI_EXIT_OK;
}

int cmd_search(int argc, char **argv)
{
    cli_options opt;
    int code = cli_parse(argc, argv, "search", help, NULL, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    double t0 = cli_now();
    ts_index *index = NULL;
    ts_corpus *queries = NULL;
    ts_tfidf *tfidf = NULL;
    ts_engine *engine = NULL;
    cli_matches w = {0};
    ts_diag diag;
    const char *index_path = opt.ninputs ? opt.inputs[0] : NULL;
    if ((code = cli_open_index(&opt, "search", &index)))
        goto done;
    if ((code = cli_require(&opt, "search", NULL)) || (code = cli_read_corpus(&opt, &queries, NULL)))
        goto done;
    ts_status st = ts_tfidf_transform(&tfidf, ts_index_model(index), queries, &diag);
    if (st != TS_OK) {
        code = cli_fail(st, &diag, CLI_PHASE_INPUT);
        goto done;
    }
    const char *path = opt.output ? opt.output : "-";
    if ((code = cli_dist_begin_search(&opt, ts_tfidf_csr(tfidf), index)) ||
        (code = cli_create_engine(&opt, &engine)) || (code = cli_output_open(path, &w.file)))
        goto done;
    size_t n = ts_corpus_statement_count(queries);
    w.corpus = queries;
    w.index = index;
    w.opt = opt.write;
    w.with_text = opt.with_text;
    w.statements = n;
    cli_matches_header(&w, "query", "match", "text_query", "text_match");
    cli_progress_init(&w.progress, &opt, n, NULL, NULL);
    double t1 = cli_now();
    ts_engine_stats_reset(engine);
    st = cli_dist_search(&opt, engine, index, ts_tfidf_csr(tfidf), &opt.pairs, cli_matches_write,
                         &w, &diag);
    st = cli_matches_finish(&w, st);
    if (st != TS_OK) {
        /* input: another rank's index that is not this one (textsim-mpi);
         * cli_fail maps the device statuses whatever the phase */
        code = w.diag.status != TS_OK ? cli_fail(st, &w.diag, CLI_PHASE_OUTPUT)
                                      : cli_fail(st, &diag, CLI_PHASE_INPUT);
        goto done;
    }
    if (opt.verbosity >= 2) {
        cli_note_engine_stats(&opt, engine, cli_now() - t1);
        cli_dist_report(&opt);
    }
    code = cli_outputs_commit(&w.file, 1);
    if (code == CLI_EXIT_OK && strcmp(path, "-") != 0)
        cli_note(&opt, "wrote %s (%llu matches of %zu queries against %zu statements of %s, %s on "
                       "%s) in %.2f s",
                 path, (unsigned long long)w.lines, n, ts_index_statement_count(index), index_path,
                 ts_engine_backend_name(engine), ts_engine_device_name(engine), cli_now() - t0);
done:
    ts_buf_free(&w.line);
    cli_output_abort(w.file);
    ts_engine_free(engine);
    ts_tfidf_free(tfidf);
    ts_corpus_free(queries);
    ts_index_free(index);
    return code;
}
