/*
 * cmd_align.c - `textsim align`: the main job.
 *
 * Reads the sources, weights statements with the alignment defaults, runs
 * ts_alignment_run (which streams the similarity matrix once, also into
 * similarity.csv when N <= --max-matrix) and writes the tables and the HTML
 * report into OUTDIR.  Every file is written to a temporary and all of them
 * are renamed into place only when all are complete.  A short summary goes
 * to stdout.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "align/numbers.h"
#include "cli.h"
#include "output/align_tables.h"
#include "output/outfile.h"
#include "output/report.h"

static const char help[] =
    "Usage: textsim align SOURCES... -o OUTDIR [options]\n"
    "\n"
    "Align the statements of several sources that report one story: which statements\n"
    "match across sources, which facts how many sources report, which statements only\n"
    "one source has, and where matched statements' numbers disagree.  Writes into OUTDIR:\n"
    "statements.csv, similarity.csv (up to --max-matrix statements), alignment.csv,\n"
    "clusters.csv, clusters.jsonl and report.html, and prints a summary on stdout.\n"
    "\n"
    "Alignment options:\n"
    "  --match-model M      what decides whether two statements match: none (default:\n"
    "                       the word cosine), msrp (the bundled match model, fitted on\n"
    "                       MSRP: word and character n-gram cosines, digit groups) or a\n"
    "                       model file of scripts/fit_match_model.py\n"
    "  --threshold T        lowest score that can match: the cosine (default 0.2), or the\n"
    "                       model's score (default: the model's threshold)\n"
    "  --candidate-floor C  with a model: lowest word cosine a pair needs to be scored\n"
    "                       (default 0.1)\n"
    "  --match M            mutual (default: mutual best matches) or assignment\n"
    "                       (maximum-weight one-to-one matching per source pair)\n"
    "  --min-tokens N       statements with fewer word tokens are flagged 'short' and\n"
    "                       not aligned (default 5)\n"
    "  --exclude FILE       ICU regular expressions, one per line: matching statements are\n"
    "                       flagged 'excluded' and not aligned\n"
    "  --no-builtin-exclude do not apply the built-in web boilerplate patterns\n"
    "  --max-restatements N restatements per source and cluster (default 1): a statement\n"
    "                       refused only because its best match's cluster holds its\n"
    "                       source joins that cluster when two of its other sources agree\n"
    "  --no-restatements    one statement per source in every cluster (= --max-restatements 0)\n"
    "  --max-matrix N       write similarity.csv only up to N statements (default 20000);\n"
    "                       above it, flagged statements are not compared at all\n"
    "  --top-terms K        shared terms listed per matched pair (default 5)\n"
    "\n" CLI_HELP_INPUT "\n" CLI_HELP_VECTORIZER
    "  (align's defaults differ from scikit-learn's: --sublinear-tf --stem english, or\n"
    "  the --locale's language when Snowball stems it: --locale de stems German)\n"
    "\n" CLI_HELP_ENGINE "\nOutput options:\n"
    "  -o, --output DIR     the output directory, created if missing (required; not -:\n"
    "                       align writes several files)\n" CLI_HELP_OUTPUT CLI_HELP_PROGRESS;

/* TF-IDF defaults of `align`, chosen on the development data (docs/QUALITY.md). */
static void align_vectorizer_defaults(ts_vectorizer_options *v)
{
    ts_vectorizer_options_init(v);
    v->sublinear_tf = 1;
    v->stem = "english";
}

/* Without --stem, --locale's language picks align's stemmer when Snowball
 * has one ("de" -> German); English otherwise. */
static void locale_stemmer(cli_options *opt)
{
    ts_num_locale_language(opt->read.locale, opt->locale_stem);
    if (!opt->stem_given && opt->locale_stem[0] && strcmp(opt->locale_stem, "en") != 0 &&
        ts_stemmer_exists(opt->locale_stem))
        opt->vec.stem = opt->locale_stem;
}

enum { F_STATEMENTS, F_SIMILARITY, F_ALIGNMENT, F_CLUSTERS_CSV, F_CLUSTERS_JSONL, F_REPORT, F_COUNT };
static const char *const file_names[F_COUNT] = {"statements.csv", "similarity.csv", "alignment.csv",
                                                "clusters.csv",   "clusters.jsonl", "report.html"};

static int make_outdir(const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return CLI_EXIT_OK;
        fprintf(stderr, "textsim: error: %s: exists and is not a directory; give -o a directory\n", dir);
        return CLI_EXIT_OUTPUT;
    }
    if (mkdir(dir, 0777) != 0) {
        fprintf(stderr, "textsim: error: %s: cannot create the output directory: %s; check that its "
                        "parent exists and is writable\n", dir, strerror(errno));
        return CLI_EXIT_OUTPUT;
    }
    return CLI_EXIT_OK;
}

/* "SOURCE:INDEX  first 60 bytes of the text..." on one line: cut at a UTF-8
 * character boundary (statement text is not NUL-terminated), with control
 * characters (a terminal's escape sequences) shown as '?'. */
static void print_snippet(const ts_corpus *corpus, size_t i)
{
    ts_statement s = ts_corpus_statement(corpus, i);
    size_t n = s.length < 60 ? s.length : 60;
    while (n > 0 && n < s.length && ((unsigned char)s.text[n] & 0xC0) == 0x80)
        n--;
    printf("%s:%u  ", ts_corpus_source_name(corpus, s.source), s.index);
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)s.text[k];
        putchar(ch < 0x20 || ch == 0x7f ? '?' : ch);
    }
    printf("%s\n", n < s.length ? "..." : "");
}

static void print_summary(const cli_options *opt, const ts_corpus *corpus, const ts_alignment *al,
                          int wrote_matrix)
{
    size_t ns = ts_corpus_source_count(corpus), n = ts_corpus_statement_count(corpus);
    size_t flagged = 0;
    for (size_t i = 0; i < n; i++)
        flagged += ts_alignment_statement_flags(al, i) != 0;
    printf("textsim align: %zu statement%s from %zu source%s; %zu flagged as too short or "
           "boilerplate\n", n, n == 1 ? "" : "s", ns, ns == 1 ? "" : "s", flagged);
    int width = 0; /* the longest name, in bytes (UTF-8 names may look shorter) */
    for (size_t s = 0; s < ns; s++) {
        size_t len = strlen(ts_corpus_source_name(corpus, s));
        width = len > (size_t)width ? (len < 60 ? (int)len : 60) : width;
    }
    for (size_t s = 0; s < ns; s++) {
        size_t first, count;
        ts_corpus_source_range(corpus, s, &first, &count);
        printf("  %-*s %5zu statements\n", width, ts_corpus_source_name(corpus, s), count);
    }
    size_t *by_support = calloc(ns + 2, sizeof *by_support);
    size_t nc = ts_alignment_cluster_count(al);
    size_t restated = 0;
    for (size_t c = 1; by_support && c <= nc; c++) {
        size_t k = ts_alignment_cluster_support(al, c);
        if (k >= 2)
            by_support[k <= ns ? k : ns + 1]++;
    }
    for (size_t i = 0; i < n; i++)
        restated += ts_alignment_statement_link(al, i, NULL, NULL) == 2;
    printf("clusters by number of sources:");
    for (size_t k = ns; by_support && k >= 2; k--)
        if (by_support[k])
            printf("  %zu: %zu", k, by_support[k]);
    printf("\n");
    free(by_support);
    size_t status[4] = {0};
    for (size_t i = 0; i < n; i++)
        status[ts_alignment_statement_status(al, i) & 3]++;
    printf("statements: %zu clustered (%zu of them restatements), %zu matched but not "
           "clustered (why: statements.csv), %zu reported by one source only, %zu flagged\n",
           status[TS_ALIGNMENT_CLUSTERED], restated, status[TS_ALIGNMENT_MATCHED],
           status[TS_ALIGNMENT_UNIQUE], status[TS_ALIGNMENT_FLAGGED]);

    size_t np = ts_alignment_pair_count(al), ndisc = 0;
    size_t top[5] = {0}, ntop = 0;
    for (size_t i = 0; i < np; i++) {
        ts_aligned_pair p = ts_alignment_pair(al, i);
        ndisc += p.discrepancy != 0;
        size_t pos = ntop < 5 ? ntop++ : 5;
        while (pos > 0 && ts_alignment_pair(al, top[pos - 1]).score < p.score) {
            if (pos < 5)
                top[pos] = top[pos - 1];
            pos--;
        }
        if (pos < 5)
            top[pos] = i;
    }
    printf("%zu matched pairs, %zu with differing numbers; top matches:\n", np, ndisc);
    for (size_t t = 0; t < ntop; t++) {
        ts_aligned_pair p = ts_alignment_pair(al, top[t]);
        printf("  %.3f  ", p.score);
        print_snippet(corpus, p.a);
        printf("         ");
        print_snippet(corpus, p.b);
    }
    printf("results in %s/: statements.csv%s alignment.csv clusters.csv clusters.jsonl report.html\n",
           opt->output, wrote_matrix ? " similarity.csv" : "");
    printf("the answer: %s/report.html shows which sources report each fact, what only one "
           "reports and where numbers differ; statements.csv gives each statement's status\n",
           opt->output);
}

int cmd_align(int argc, char **argv)
{
    cli_options opt;
    ts_vectorizer_options vdef;
    align_vectorizer_defaults(&vdef);
    int code = cli_parse(argc, argv, "align", help, &vdef, &opt);
    if (code)
        return code < 0 ? CLI_EXIT_OK : code;
    if ((code = cli_require(&opt, "align", "the output directory with -o OUTDIR")))
        return code;
    locale_stemmer(&opt);
    if (strcmp(opt.output, "-") == 0) {
        fprintf(stderr, "textsim align: -o - is refused: align writes several files "
                        "(statements.csv, alignment.csv, report.html, ...); give -o a directory\n"
                        "Run 'textsim align --help' for the options.\n");
        return CLI_EXIT_USAGE;
    }

    double t0 = cli_now();
    ts_corpus *corpus = NULL;
    ts_tfidf *tfidf = NULL;
    ts_engine *engine = NULL;
    ts_alignment *al = NULL;
    ts_matrix_writer *mw = NULL;
    ts_outfile *files[F_COUNT] = {0};
    char *paths[F_COUNT] = {0};
    ts_diag diag;
    ts_status st = TS_OK;

    cli_source_info sources = {0};
    double t_read = cli_now(), t_tfidf, t_engine;
    if ((code = cli_read_corpus(&opt, &corpus, &sources)))
        goto done;
    t_tfidf = cli_now();
    if ((code = cli_vectorize(&opt, corpus, &tfidf)))
        goto done;
    t_engine = cli_now();
    if ((code = cli_create_engine(&opt, &engine)) || (code = make_outdir(opt.output)))
        goto done;
    double t_align = cli_now();
    size_t n = ts_corpus_statement_count(corpus);
    if (!opt.max_matrix)
        opt.max_matrix = 20000;
    int want_matrix = n <= opt.max_matrix;
    /* "%.4f" and a comma per cell, an id per row and column */
    double matrix_mb = (double)n * (double)n * (opt.write.precision + 3) / 1e6;
    if (want_matrix && matrix_mb > 100)
        cli_note(&opt, "notice: similarity.csv will take about %.0f MB (%zu x %zu); "
                       "--max-matrix %zu skips it, the alignment is the same",
                 matrix_mb, n, n, n > 0 ? n - 1 : 0);
    for (int k = 0; k < F_COUNT; k++) {
        size_t len = strlen(opt.output) + strlen(file_names[k]) + 2;
        if (!(paths[k] = malloc(len))) {
            code = cli_fail(TS_ERR_NOMEM, NULL, CLI_PHASE_OUTPUT);
            goto done;
        }
        snprintf(paths[k], len, "%s/%s", opt.output, file_names[k]);
        if ((k != F_SIMILARITY || want_matrix) && (code = cli_output_open(paths[k], &files[k])))
            goto done;
    }
    if (want_matrix) {
        st = ts_matrix_writer_open(&mw, files[F_SIMILARITY], TS_MATRIX_CSV, corpus, &opt.write, &diag);
        if (st != TS_OK) {
            code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
            goto done;
        }
    }

    /* With the matrix, a progress bar follows its strips; without it, align
     * compares only the statements that take part (no strips to show). */
    cli_progress progress;
    cli_progress_init(&progress, &opt, n, ts_matrix_writer_tile, mw);
    st = ts_alignment_run(&al, engine, corpus, tfidf, &opt.align, mw ? cli_progress_tile : NULL,
                          &progress, &diag);
    cli_progress_done(&progress);
    if (st != TS_OK) {
        const ts_diag *wd = mw ? ts_matrix_writer_diag(mw) : NULL;
        /* device statuses map to the device exit code whatever the phase */
        code = wd && wd->status != TS_OK ? cli_fail(st, wd, CLI_PHASE_OUTPUT)
                                         : cli_fail(st, &diag, CLI_PHASE_INPUT);
        goto done;
    }
    if (mw) {
        st = ts_matrix_writer_finish(mw, &diag);
        mw = NULL;
        if (st != TS_OK) {
            code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
            goto done;
        }
    }

    char settings[512];
    snprintf(settings, sizeof settings,
             "%s, threshold %.4g, %s matching, min %u tokens, stemmer %s, %s backend on %s, "
             "textsim %s",
             ts_alignment_uses_model(al) ? "match model" : "cosine rule",
             ts_alignment_threshold(al), opt.align.match == TS_MATCH_ASSIGNMENT ? "assignment" : "mutual best",
             opt.align.min_tokens, opt.vec.stem ? opt.vec.stem : "none",
             ts_engine_backend_name(engine), ts_engine_device_name(engine), TS_VERSION_STRING);
    ts_report_info info = {.title = opt.ninputs == 1 ? opt.inputs[0] : "textsim alignment",
                           .settings = settings, .source_url = sources.url,
                           .source_date = sources.date};
    if ((st = ts_write_align_statements(files[F_STATEMENTS], corpus, al, &opt.write, &diag)) ||
        (st = ts_write_alignment(files[F_ALIGNMENT], corpus, al, &opt.write, &diag)) ||
        (st = ts_write_clusters_csv(files[F_CLUSTERS_CSV], corpus, al, &opt.write, &diag)) ||
        (st = ts_write_clusters_jsonl(files[F_CLUSTERS_JSONL], corpus, al, &diag)) ||
        (st = ts_write_report(files[F_REPORT], corpus, tfidf, al, &info, &diag))) {
        code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
        goto done;
    }
    if ((code = cli_outputs_commit(files, F_COUNT)))
        goto done;
    if (!want_matrix) {
        unlink(paths[F_SIMILARITY]); /* a stale matrix from an earlier run would mislead */
        cli_note(&opt, "notice: %zu statements exceed --max-matrix %zu: similarity.csv not written",
                 n, opt.max_matrix);
    }
    if (opt.verbosity > 0)
        print_summary(&opt, corpus, al, want_matrix);
    if (opt.verbosity >= 2) {
        ts_alignment_times at;
        ts_alignment_get_times(al, &at);
        cli_note(&opt, "times: read %.3f s, TF-IDF %.3f s, engine %.3f s, flag %.3f s, "
                       "scores%s %.3f s, model %.3f s, match %.3f s, cluster and status %.3f s, "
                       "explain %.3f s, write %.3f s; aligned in %.2f s",
                 t_tfidf - t_read, t_engine - t_tfidf, t_align - t_engine, at.flag_s,
                 want_matrix ? " and similarity.csv" : "", at.scores_s, at.model_s, at.match_s,
                 at.cluster_s, at.explain_s,
                 cli_now() - t_align - at.flag_s - at.scores_s - at.model_s - at.match_s -
                     at.cluster_s - at.explain_s,
                 cli_now() - t0);
    }
done:
    ts_matrix_writer_free(mw);
    for (int k = 0; k < F_COUNT; k++) {
        cli_output_abort(files[k]);
        free(paths[k]);
    }
    ts_alignment_free(al);
    ts_engine_free(engine);
    ts_tfidf_free(tfidf);
    ts_corpus_free(corpus);
    cli_source_info_free(&sources);
    return code;
}
