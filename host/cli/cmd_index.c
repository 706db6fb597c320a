/*
 * cmd_index.c - `textsim index build|add|info`: the saved TF-IDF index.
 *
 * build reads the sources, fits the model and writes the index file
 * (ts_index_build, ts_index_save); add opens an index, weights the new
 * statements with its model as it stands and writes the grown index over
 * it (or to -o); info prints what an index holds.  Saving is atomic
 * (format.c: a temporary beside the file, renamed over it); the temporary
 * is registered with the signal handler, so an interrupted build or add
 * leaves the old file and no temporary.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "index/format.h"
#include "output/csv_cells.h"

static const char usage[] =
    "Usage: textsim index build SOURCES... -o INDEX [options]\n"
    "       textsim index add INDEX SOURCES... [-o NEW_INDEX] [options]\n"
    "       textsim index info INDEX\n"
    "\n"
    "A TF-IDF model and its archive in one file (docs/FORMAT.md), for 'textsim search'.\n"
    "Run 'textsim index build --help' (add, info) for one subcommand's options.\n";

static const char help_build[] =
    "Usage: textsim index build SOURCES... -o INDEX [options]\n"
    "\n"
    "Fit the TF-IDF model (vocabulary, IDF) on SOURCES and write one index file: the\n"
    "options, the vocabulary and IDF, the statements (ids, sources, offsets, texts) and\n"
    "their TF-IDF rows.  Written atomically (a temporary beside INDEX, renamed over\n"
    "it); the same input gives the same bytes.\n"
    "\n" CLI_HELP_INPUT "\n" CLI_HELP_VECTORIZER "\nOutput options:\n"
    "  -o, --output INDEX   the index file (by convention *.tsidx)\n"
    "  -q, --quiet          only errors on stderr\n"
    "  -v, --verbose        stage timings on stderr\n"
    "  -h, --help           this help\n";

static const char help_add[] =
    "Usage: textsim index add INDEX SOURCES... [-o NEW_INDEX] [options]\n"
    "\n"
    "Append the statements of SOURCES to INDEX, weighted with its model as it is\n"
    "(scikit-learn's transform: vocabulary and IDF unchanged, unknown terms dropped).\n"
    "A source the index already has continues its numbering.  INDEX is replaced\n"
    "atomically (or NEW_INDEX written): interrupted, it is left as it was.\n"
    "\n" CLI_HELP_INPUT "\n"
    "TF-IDF options: the index's own weight the new statements; one given that says\n"
    "otherwise is an error (exit 2) naming it.\n"
    "\nOutput options:\n"
    "  -o, --output FILE    write the grown index there and leave INDEX as it is\n"
    "  -q, --quiet          only errors on stderr\n"
    "  -v, --verbose        stage timings on stderr\n"
    "  -h, --help           this help\n"
    "\n" CLI_HELP_VECTORIZER;

static const char help_info[] =
    "Usage: textsim index info INDEX\n"
    "\n"
    "Print what INDEX holds on stdout: its counts, its TF-IDF options and each source\n"
    "with its number of statements.\n"
    "\n"
    "  -h, --help           this help\n";

/* Save atomically, the temporary known to the signal handler. */
static int save(const cli_options *opt, const ts_index *index, const char *path, double t0)
{
    char temp[4096];
    int tracked = ts_index_temp_name(temp, sizeof temp, path);
    if (tracked)
        cli_signals_track(temp);
    ts_diag diag;
    ts_status st = ts_index_save(index, path, &diag);
    if (tracked)
        cli_signals_untrack(temp);
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_OUTPUT);
    cli_note(opt, "wrote %s (%zu statements from %zu sources, %zu terms) in %.2f s", path,
             ts_index_statement_count(index), ts_index_source_count(index),
             ts_tfidf_cols(ts_index_model(index)), cli_now() - t0);
    return CLI_EXIT_OK;
}

static int index_build(int argc, char **argv)
{
    cli_options opt;
    int code = cli_parse(argc, argv, "index build", help_build, NULL, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    if ((code = cli_require(&opt, "index build", "the index file with -o INDEX")))
        return code;
    if (strcmp(opt.output, "-") == 0) {
        fprintf(stderr, "textsim index build: the index is a file (it is mapped when opened); "
                        "give -o INDEX\n");
        return CLI_EXIT_USAGE;
    }
    double t0 = cli_now();
    ts_corpus *corpus = NULL;
    ts_index *index = NULL;
    if ((code = cli_read_corpus(&opt, &corpus, NULL)))
        goto done;
    cli_note_ignored_options(&opt);
    ts_diag diag;
    ts_status st = ts_index_build(&index, corpus, &opt.vec, &diag);
    if (st != TS_OK) {
        code = cli_fail(st, &diag, CLI_PHASE_INPUT);
        goto done;
    }
    if (opt.verbosity >= 2)
        cli_note_corpus(&opt, corpus, ts_index_model(index), cli_now() - t0);
    code = save(&opt, index, opt.output, t0);
done:
    ts_index_free(index);
    ts_corpus_free(corpus);
    return code;
}

static int index_add(int argc, char **argv)
{
    cli_options opt;
    int code = cli_parse(argc, argv, "index add", help_add, NULL, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    const char *path = opt.ninputs ? opt.inputs[0] : NULL;
    double t0 = cli_now();
    ts_index *index = NULL;
    ts_corpus *corpus = NULL;
    if ((code = cli_open_index(&opt, "index add", &index)) ||
        (code = cli_require(&opt, "index add", NULL)) ||
        (code = cli_read_corpus(&opt, &corpus, NULL)))
        goto done;
    const char *out = opt.output ? opt.output : path;
    if (strcmp(out, "-") == 0) {
        fprintf(stderr, "textsim index add: the index is a file; give -o FILE or none\n");
        code = CLI_EXIT_USAGE;
        goto done;
    }
    size_t before = ts_index_statement_count(index);
    ts_diag diag;
    ts_status st = ts_index_add(index, corpus, &diag);
    if (st != TS_OK) {
        code = cli_fail(st, &diag, CLI_PHASE_INPUT);
        goto done;
    }
    cli_note(&opt, "added %zu statements to the %zu of %s", ts_index_statement_count(index) - before,
             before, path);
    code = save(&opt, index, out, t0);
done:
    ts_corpus_free(corpus);
    ts_index_free(index);
    return code;
}

static const char *or_none(const char *s) { return s ? s : "none"; }

static void print_df(const char *name, double v, int is_fraction)
{
    if (is_fraction)
        printf("%s: %.17g (a fraction of the statements)\n", name, v);
    else
        printf("%s: %.17g (statements)\n", name, v);
}

static int index_info(int argc, char **argv)
{
    cli_options opt;
    int code = cli_parse(argc, argv, "index info", help_info, NULL, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    if (opt.ninputs != 1) {
        fprintf(stderr, "textsim index info: give one index file\n");
        return CLI_EXIT_USAGE;
    }
    const char *path = opt.inputs[0];
    ts_index *index = NULL;
    if ((code = cli_open_index(&opt, "index info", &index)))
        return code;
    static const char *const cases[] = {"none", "lower", "fold"};
    static const char *const analyzers[] = {"word", "char_wb", "char"};
    static const char *const tokens[] = {"sklearn", "unicode-words"};
    static const char *const accents[] = {"none", "ascii", "unicode"};
    static const char *const norms[] = {"none", "l2", "l1"};
    const ts_tfidf *m = ts_index_model(index);
    const ts_vectorizer_options *o = ts_tfidf_options(m);
    struct stat sb;
    printf("index: %s\n", path);
    if (stat(path, &sb) == 0)
        printf("bytes: %lld\n", (long long)sb.st_size);
    printf("statements: %zu\nsources: %zu\nterms: %zu\nnon-zeros: %zu\n",
           ts_index_statement_count(index), ts_index_source_count(index), ts_tfidf_cols(m),
           ts_tfidf_nnz(m));
    printf("analyzer: %s\ntokenizer: %s\ntoken-pattern: %s\nlowercase: %s\nstrip-accents: %s\n"
           "ngram-range: %u,%u\nstop-words: %s\nstem: %s\n",
           analyzers[o->analyzer], tokens[o->tokens], or_none(o->token_pattern),
           cases[o->lowercase], accents[o->strip_accents], o->ngram_min, o->ngram_max,
           or_none(o->stop_words), or_none(o->stem));
    print_df("min-df", o->min_df, o->min_df_is_fraction);
    print_df("max-df", o->max_df, o->max_df_is_fraction);
    printf("max-features: %zu\nuse-idf: %s\nsmooth-idf: %s\nsublinear-tf: %s\nbinary: %s\n"
           "norm: %s\nname-weight: %.17g\n",
           o->max_features, o->use_idf ? "yes" : "no", o->smooth_idf ? "yes" : "no",
           o->sublinear_tf ? "yes" : "no", o->binary ? "yes" : "no", norms[o->norm],
           o->name_weight);
    size_t ns = ts_index_source_count(index), n = ts_index_statement_count(index);
    size_t *count = calloc(ns ? ns : 1, sizeof *count);
    if (!count) {
        ts_index_free(index);
        return cli_fail(TS_ERR_NOMEM, NULL, CLI_PHASE_INPUT);
    }
    for (size_t i = 0; i < n; i++)
        count[ts_index_statement(index, i).source]++;
    printf("\nsource,statements\n");
    ts_buf line = {0};
    for (size_t s = 0; s < ns; s++) {
        const char *name = ts_index_source_name(index, s);
        line.len = 0;
        ts_csv_text(&line, name, strlen(name), 1);
        printf("%.*s,%zu\n", (int)line.len, line.data, count[s]);
    }
    ts_buf_free(&line);
    free(count);
    ts_index_free(index);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_OUTPUT;
}

int cmd_index(int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "build") == 0)
        return index_build(argc - 1, argv + 1);
    if (strcmp(sub, "add") == 0)
        return index_add(argc - 1, argv + 1);
    if (strcmp(sub, "info") == 0)
        return index_info(argc - 1, argv + 1);
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
        printf("%s\n%s\n%s\n%s", usage, help_build, help_add, help_info);
        return CLI_EXIT_OK;
    }
    fprintf(stderr, "textsim index: %s%s%s\n%s", *sub ? "unknown subcommand '" : "give a subcommand",
            sub, *sub ? "'; use build, add or info" : " (build, add or info)", usage);
    return CLI_EXIT_USAGE;
}
