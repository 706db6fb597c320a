/*
 * cmd_pairs.c - `textsim pairs`: each statement's most similar statements.
 *
 * Reads the sources, builds TF-IDF vectors and runs ts_engine_pairs, which
 * never holds the N x N matrix; matches.c writes each statement's matches
 * as CSV lines (statement_a,statement_b,score,rank[,text_a,text_b]) as they
 * come.  The file is renamed into place only when complete (stdout with -o - or no
 * -o).  With --cross-source the groups are the statements' source numbers.
 * With --against the model is fitted on the archive (the --against inputs),
 * the queries are weighted with it (ts_tfidf_transform) and ts_engine_search
 * lists each query's best archive statements.
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "cli.h"
#include "dist.h"
#include "output/outfile.h"
#include "text/tfidf_internal.h"

static const char help[] =
    "Usage: textsim pairs SOURCES... [-o FILE] [options]\n"
    "\n"
    "For every statement, its most similar other statements, as a long-format CSV:\n"
    "statement_a,statement_b,score,rank, one line per match.  Ids are SOURCE:INDEX as in\n"
    "statements.csv; statements come in order, each one's matches best first (equal\n"
    "scores: the earlier statement first) ranked from 1.  A statement never matches\n"
    "itself, statements that share no term never match (score 0), and a match is listed\n"
    "from both sides unless --top-k cuts one of the lists.  Computed block by block on\n"
    "the device without the N x N matrix.  Without -o (or with -o -) the CSV goes to\n"
    "stdout.\n"
    "\n"
    "Pairs options:\n"
    "  --top-k K            at most K matches per statement (default 10; 0: no limit;\n"
    "                       at most 1024)\n"
    "  --min-score T        only scores >= T (default 0: every positive score); a finite\n"
    "                       number; scores lie in [0, 1] with the default l2 norm\n"
    "  --cross-source       only statements of another source are matches\n"
    "  --against PATH       search an archive instead: the TF-IDF model (vocabulary,\n"
    "                       IDF) is fitted on the --against inputs (repeat it for more),\n"
    "                       SOURCES are the queries, weighted with that model (unknown\n"
    "                       terms dropped), and each query's best archive statements are\n"
    "                       listed (statement_a: the query, statement_b: the archive's);\n"
    "                       no archive statement is compared with another\n"
    "  --with-text          add the columns text_a,text_b (the statements' texts)\n"
    "\n" CLI_HELP_INPUT "\n" CLI_HELP_VECTORIZER "\n" CLI_HELP_ENGINE "\nOutput options:\n"
    "  -o, --output FILE    the CSV; - or none: stdout\n" CLI_HELP_OUTPUT CLI_HELP_PROGRESS;

/* The source number of every statement: the groups of --cross-source. */
static uint32_t *source_groups(const ts_corpus *corpus)
{
    size_t n = ts_corpus_statement_count(corpus);
    uint32_t *g = malloc((n ? n : 1) * sizeof *g);
    for (size_t i = 0; g && i < n; i++)
        g[i] = ts_corpus_statement(corpus, i).source;
    return g;
}

int cmd_pairs(int argc, char **argv)
{
    cli_options opt;
    int code = cli_parse(argc, argv, "pairs", help, NULL, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    if ((code = cli_require(&opt, "pairs", NULL)))
        return code;
    const char *path = opt.output ? opt.output : "-";
    int to_stdout = strcmp(path, "-") == 0;

    double t0 = cli_now();
    ts_corpus *corpus = NULL;
    ts_tfidf *tfidf = NULL, *model = NULL;
    ts_corpus *archive = NULL;
    ts_engine *engine = NULL;
    uint32_t *groups = NULL;
    cli_matches w = {0};
    ts_diag diag;
    ts_status st;
    ts_diag_clear(&w.diag);

    if (opt.nagainst && opt.pairs.cross_source) {
        fprintf(stderr, "textsim pairs: --cross-source does not apply with --against (queries "
                        "and archive are different statements already)\n");
        return CLI_EXIT_USAGE;
    }
    if (opt.nagainst && cli_dist_ranks() > 1) {
        fprintf(stderr, "%s pairs: --against runs in one process for now; use textsim\n",
                cli_name);
        return CLI_EXIT_USAGE;
    }
    if ((code = cli_read_corpus(&opt, &corpus, NULL)))
        goto done;
    if (opt.nagainst) {
        cli_options side = opt; /* the archive: its inputs, named by their paths */
        side.inputs = opt.against;
        side.ninputs = opt.nagainst;
        side.sources_file = NULL;
        side.nsource_names = 0;
        if ((code = cli_read_corpus(&side, &archive, NULL)) ||
            (code = cli_vectorize(&opt, archive, &model)))
            goto done;
        if ((st = ts_tfidf_transform(&tfidf, model, corpus, &diag)) != TS_OK) {
            code = cli_fail(st, &diag, CLI_PHASE_INPUT);
            goto done;
        }
    } else if ((code = cli_vectorize(&opt, corpus, &tfidf))) {
        goto done;
    }
    size_t n = ts_corpus_statement_count(corpus);
    if (opt.verbosity >= 2)
        cli_note_corpus(&opt, corpus, tfidf, cli_now() - t0);
    if (opt.pairs.cross_source) {
        if (ts_corpus_source_count(corpus) < 2)
            cli_note(&opt, "warning: --cross-source with a single source: no statement can match "
                           "(the output holds only the header); give two or more sources");
        if (!(groups = source_groups(corpus))) {
            code = cli_fail(TS_ERR_NOMEM, NULL, CLI_PHASE_INPUT);
            goto done;
        }
        opt.pairs.groups = groups;
    }
    if ((!opt.nagainst && (code = cli_dist_begin(&opt, CLI_DIST_PAIRS, ts_tfidf_csr(tfidf), groups))) ||
        (code = cli_create_engine(&opt, &engine)))
        goto done;

    if ((code = cli_output_open(path, &w.file)))
        goto done;
    w.corpus = corpus;
    w.matched = archive ? archive : corpus;
    w.opt = opt.write;
    w.with_text = opt.with_text;
    w.statements = n;
    cli_matches_header(&w, "statement_a", "statement_b", "text_a", "text_b");
    cli_progress_init(&w.progress, &opt, n, NULL, NULL);
    double t1 = cli_now();
    ts_engine_stats_reset(engine);
    st = model ? ts_engine_search(engine, tfidf, model, &opt.pairs, cli_matches_write, &w, &diag)
               : cli_dist_pairs(&opt, engine, ts_tfidf_csr(tfidf), &opt.pairs, cli_matches_write,
                                &w, &diag);
    st = cli_matches_finish(&w, st);
    if (st != TS_OK) {
        code = w.diag.status != TS_OK ? cli_fail(st, &w.diag, CLI_PHASE_OUTPUT)
                                      : cli_fail(st, &diag, CLI_PHASE_DEVICE);
        goto done;
    }
    if (opt.verbosity >= 2) {
        cli_note_engine_stats(&opt, engine, cli_now() - t1);
        if (!model)
            cli_dist_report(&opt);
    }
    code = cli_outputs_commit(&w.file, 1);
    if (code == CLI_EXIT_OK && !to_stdout)
        cli_note(&opt, "wrote %s (%llu matches of %zu statements, %s on %s) in %.2f s", path,
                 (unsigned long long)w.lines, n, ts_engine_backend_name(engine),
                 ts_engine_device_name(engine), cli_now() - t0);
done:
    ts_buf_free(&w.line);
    cli_output_abort(w.file);
    free(groups);
    ts_engine_free(engine);
    ts_tfidf_free(tfidf);
    ts_tfidf_free(model);
    ts_corpus_free(archive);
    ts_corpus_free(corpus);
    return code;
}
