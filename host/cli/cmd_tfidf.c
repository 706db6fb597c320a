/*
 * cmd_tfidf.c - `textsim tfidf` and `textsim statements`: the vectors and
 * the statements as CSV.
 *
 * tfidf writes one row per non-zero weight (statement,term,weight), the long
 * format a spreadsheet or pandas reads directly; statements writes
 * statements.csv.  Both go to -o FILE or stdout.
 */
#include <string.h>

#include "cli.h"
#include "output/outfile.h"

static const char tfidf_help[] =
    "Usage: textsim tfidf SOURCES... [-o FILE] [options]\n"
    "\n"
    "Write the TF-IDF weights as CSV, one row per non-zero: statement,term,weight\n"
    "(statement ids are SOURCE:INDEX; terms sorted as scikit-learn sorts its vocabulary).\n"
    "Without -o the CSV goes to stdout.\n"
    "\n" CLI_HELP_INPUT "\n" CLI_HELP_VECTORIZER "\nOutput options:\n"
    "  -o, --output FILE    the CSV; - or none: stdout\n" CLI_HELP_OUTPUT;

static const char statements_help[] =
    "Usage: textsim statements SOURCES... [-o FILE] [options]\n"
    "\n"
    "Split the sources into statements and write statements.csv:\n"
    "id,source,index,offset,text (offset: byte offset in the source's text).\n"
    "Without -o the CSV goes to stdout.\n"
    "\n" CLI_HELP_INPUT "\nOutput options:\n"
    "  -o, --output FILE    statements.csv; - or none: stdout\n" CLI_HELP_OUTPUT;

/* Shared body: what = 0 statements, 1 tfidf. */
static int run(int argc, char **argv, int what)
{
    const char *name = what ? "tfidf" : "statements";
    cli_options opt;
    int code = cli_parse(argc, argv, name, what ? tfidf_help : statements_help, NULL, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    if ((code = cli_require(&opt, name, NULL)))
        return code;
    const char *path = opt.output ? opt.output : "-";
    ts_corpus *corpus = NULL;
    ts_tfidf *tfidf = NULL;
    ts_outfile *file = NULL;
    ts_diag diag;
    if ((code = cli_read_corpus(&opt, &corpus, NULL)) || (what && (code = cli_vectorize(&opt, corpus, &tfidf))) ||
        (code = cli_output_open(path, &file)))
        goto done;
    ts_status st = what ? ts_write_tfidf(file, corpus, tfidf, &opt.write, &diag)
                        : ts_write_statements(file, corpus, &opt.write, &diag);
    if (st != TS_OK) {
        code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
        goto done;
    }
    code = cli_outputs_commit(&file, 1);
    if (code == CLI_EXIT_OK && strcmp(path, "-") != 0)
        cli_note(&opt, "wrote %s (%zu statements%s)", path, ts_corpus_statement_count(corpus),
                 what ? ", TF-IDF weights" : "");
done:
    cli_output_abort(file);
    ts_tfidf_free(tfidf);
    ts_corpus_free(corpus);
    return code;
}

int cmd_tfidf(int argc, char **argv) { return run(argc, argv, 1); }
int cmd_statements(int argc, char **argv) { return run(argc, argv, 0); }
