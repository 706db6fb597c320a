/*
 * cmd_matrix.c - `textsim matrix`: the all-pairs cosine similarity matrix.
 *
 * Reads the sources, builds TF-IDF vectors, streams row strips from the
 * engine into the matrix writer (CSV or .npy) and writes statements.csv
 * beside it.  Both files are renamed into place only when both are complete.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dist.h"
#include "output/outfile.h"
#include "text/tfidf_internal.h"

static const char help[] =
    "Usage: textsim matrix SOURCES... -o FILE [options]\n"
    "\n"
    "Write the cosine similarity of every pair of statements: FILE.csv is a CSV matrix\n"
    "(header row and first column of statement ids SOURCE:INDEX), FILE.npy a float32\n"
    "NumPy array.  statements.csv (id,source,index,offset,text) is written beside FILE.\n"
    "\n" CLI_HELP_INPUT "\n" CLI_HELP_VECTORIZER "\n" CLI_HELP_ENGINE "\nOutput options:\n"
    "  -o, --output FILE    the matrix (required); - for stdout, and then statements.csv\n"
    "                       only with --statements\n" CLI_HELP_OUTPUT CLI_HELP_PROGRESS
    "  --statements FILE    where to write statements.csv (default: beside FILE)\n"
    "  --max-matrix N       refuse more than N statements (default 100000: 10^10 cells)\n";

int cmd_matrix(int argc, char **argv)
{
    cli_options opt;
    int code = cli_parse(argc, argv, "matrix", help, NULL, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    if ((code = cli_require(&opt, "matrix", "the output file with -o FILE")))
        return code;

    double t0 = cli_now();
    ts_corpus *corpus = NULL;
    ts_tfidf *tfidf = NULL;
    ts_engine *engine = NULL;
    ts_outfile *matrix_file = NULL, *stmt_file = NULL;
    ts_matrix_writer *writer = NULL;
    char *stmt_path = NULL;
    ts_diag diag;
    ts_status st;

    if ((code = cli_read_corpus(&opt, &corpus, NULL)) || (code = cli_vectorize(&opt, corpus, &tfidf)) ||
        (code = cli_dist_begin(&opt, CLI_DIST_MATRIX, ts_tfidf_csr(tfidf), NULL)) ||
        (code = cli_create_engine(&opt, &engine)))
        goto done;
    size_t n = ts_corpus_statement_count(corpus);
    size_t limit = opt.max_matrix ? opt.max_matrix : 100000;
    if (n > limit) {
        double cells = (double)n * (double)n;
        fprintf(stderr,
                "textsim: error: %zu statements make a %zu x %zu matrix: %.3g cells, about %.3g GB "
                "as CSV at --precision %d; raise --max-matrix to %zu to write it anyway, or use "
                "`textsim align`, which does not need the whole matrix\n",
                n, n, n, cells, cells * (opt.write.precision + 3) / 1e9, opt.write.precision, n);
        code = CLI_EXIT_INPUT;
        goto done;
    }
    double t1 = cli_now();
    if (opt.verbosity >= 2)
        cli_note_corpus(&opt, corpus, tfidf, t1 - t0);

    if (opt.statements)
        stmt_path = strdup(opt.statements);
    else if (strcmp(opt.output, "-") != 0)
        stmt_path = cli_beside(opt.output, "statements.csv");
    else
        cli_note(&opt, "the matrix goes to stdout and statements.csv is not written; give "
                       "--statements FILE to write it");
    if (stmt_path) {
        if ((code = cli_output_open(stmt_path, &stmt_file)))
            goto done;
        if ((st = ts_write_statements(stmt_file, corpus, &opt.write, &diag)) != TS_OK) {
            code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
            goto done;
        }
    }
    if ((code = cli_output_open(opt.output, &matrix_file)))
        goto done;
    st = ts_matrix_writer_open(&writer, matrix_file, ts_matrix_format_for(opt.output), corpus,
                               &opt.write, &diag);
    if (st != TS_OK) {
        code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
        goto done;
    }
    cli_progress progress;
    cli_progress_init(&progress, &opt, n, ts_matrix_writer_tile, writer);
    st = cli_dist_matrix(&opt, engine, ts_tfidf_csr(tfidf), writer, &progress, &diag);
    cli_progress_done(&progress);
    if (st != TS_OK) {
        const ts_diag *wd = ts_matrix_writer_diag(writer);
        code = wd->status != TS_OK ? cli_fail(st, wd, CLI_PHASE_OUTPUT)
                                   : cli_fail(st, &diag, CLI_PHASE_DEVICE);
        goto done;
    }
    st = ts_matrix_writer_finish(writer, &diag);
    writer = NULL;
    if (st != TS_OK) {
        code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
        goto done;
    }
    ts_outfile *both[2] = {matrix_file, stmt_file};
    matrix_file = stmt_file = NULL;
    code = cli_outputs_commit(both, 2);
    if (opt.verbosity >= 2)
        cli_dist_report(&opt);
    if (code == CLI_EXIT_OK && strcmp(opt.output, "-") != 0)
        cli_note(&opt, "wrote %s (%zu x %zu, %s on %s)%s%s in %.2f s", opt.output, n, n,
                 ts_engine_backend_name(engine), ts_engine_device_name(engine),
                 stmt_path ? " and " : "", stmt_path ? stmt_path : "", cli_now() - t0);
done:
    ts_matrix_writer_free(writer);
    cli_output_abort(matrix_file);
    cli_output_abort(stmt_file);
    free(stmt_path);
    ts_engine_free(engine);
    ts_tfidf_free(tfidf);
    ts_corpus_free(corpus);
    return code;
}
