/*
 * main.c - textsim-bench: what textsim does on this machine.
 *
 * For one corpus (corpus.c) it times every stage on the cpu backend and on
 * every OpenCL device:
 *   read (or generate), segment, tokenize (a tokenizer pass alone), TF-IDF
 *   (ts_tfidf_build, which tokenizes again and vectorizes), engine start-up
 *   (kernel build, reported apart), the first pass (reported apart from the
 *   steady state: caches and lazy compilation land there), then the steady
 *   state split by ts_engine_get_stats into upload, similarity kernel,
 *   selection kernels, download and host selection, and writing (CSV
 *   formatted into memory and discarded, so the figure is the formatting
 *   cost, not the disk's).
 * The runner of --mode does the work and checks it: matrix streams the
 * N x N matrix (run_matrix.c); topk and threshold run ts_engine_pairs (each
 * statement's best --top-k matches, or all matches >= --min-score;
 * --cross-source keeps only matches from other sources; run_topk.c,
 * run_threshold.c over run_pairs.c).  Any failed check makes the exit
 * status 1.  The generator, the naive reference and the checks are the
 * unit tests' own (tests/common: synth.h, pairs_ref.h), so the bench and
 * test_pairs hold the engine to one set of rules.  report.c prints the
 * tables and writes --json and --csv.  Steady-state runs are repeated
 * --repeat times and the best is kept.
 *
 * main is one step per stage: bench_load_corpus, vectorize, prepare_checks
 * (the runner's prepare), the runner's run, bench_print_report,
 * bench_write_json, bench_write_csv.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench.h"
#include "common/synth.h"

/* The modes, by --mode. */
static const bench_runner *const runners[] = {&bench_matrix, &bench_topk, &bench_threshold};




static void usage(void)
{
    puts("Usage: textsim-bench [corpus] [--mode matrix|topk|threshold] [options]\n"
         "\n"
         "Times textsim's stages on one corpus, on the cpu backend and every OpenCL device,\n"
         "checks each device against the cpu reference (and, for pairs, against a naive\n"
         "reference on sampled statements), and counts work and bytes.  Exits 1 when a\n"
         "check fails.\n"
         "\n"
         "Corpus (default: --synthetic 2000):\n"
         "  --synthetic N        N synthetic statements (Zipf words, news-like lengths)\n"
         "  --seed S --vocab V   generator seed (1) and vocabulary (50000)\n"
         "  --sources S          spread the synthetic statements over S sources (5)\n"
         "  --newsmix FILE       a news-mix CSV (LABEL,TEXT; sentences TAB-separated)\n"
         "  FILE|DIR             any input textsim reads\n"
         "  --segment sentence|line  segmentation of FILE|DIR inputs (sentence)\n"
         "  --write-corpus DIR   write the corpus as DIR/SOURCE.txt, one statement per line,\n"
         "                       and exit (read it back with --segment line)\n"
         "  --corpus-only        print the statement count and digest, and exit\n"
         "\n"
         "Work:\n"
         "  --mode M             matrix (N x N, default), topk or threshold (ts_engine_pairs)\n"
         "  --top-k K            topk: matches per statement (10)\n"
         "  --min-score T        lowest score kept (topk: 0; threshold: 0.2)\n"
         "  --cross-source       only matches from another source\n"
         "  --backend all|cpu|opencl  backends to run (all)\n"
         "  --tile R             tile rows and columns (automatic)\n"
         "  --max-device-memory BYTES  device memory bound (automatic)\n"
         "  --kernel-defines D   OpenCL build options for the kernels' tuning\n"
         "                       parameters, e.g. \"-DTS_DENSE_DF=0\" (see kernels/*.cl)\n"
         "\n"
         "Measure and check:\n"
         "  --repeat R           steady-state passes, best kept (1), after a first pass;\n"
         "                       pairs modes: 0 = the first pass only (for very large N)\n"
         "  --precision P        decimals of the CSV scores (4)\n"
         "  --max-diff X         tolerance against the references (1e-5)\n"
         "  --check-rows R       sampled statements checked naively (64)\n"
         "  --inject-fault       pairs: swap two clearly different scores in each device's\n"
         "                       lists before the checks (they must then fail: tests the checks)\n"
         "  --json FILE --csv FILE  write the figures");
}

static void parse(int argc, char **argv, config *c)
{
    memset(c, 0, sizeof *c);
    c->vocab = 50000;
    c->sources = 5;
    c->seed = 1;
    c->repeat = 1;
    c->precision = 4;
    c->max_diff = 1e-5;
    c->check_rows = 64;
    c->top_k = -1;
    c->min_score = NAN;
    c->backend = "all";
    c->segment = TS_SEGMENT_SENTENCE;
    c->runner = &bench_matrix;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            exit(0);
        } else if (!strcmp(a, "--synthetic") && v) c->synth = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--seed") && v) c->seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--vocab") && v) c->vocab = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--sources") && v) c->sources = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--newsmix") && v && c->nnews < MAX_INPUTS) c->news[c->nnews++] = argv[++i];
        else if (!strcmp(a, "--backend") && v) c->backend = argv[++i];
        else if (!strcmp(a, "--repeat") && v) c->repeat = atoi(argv[++i]);
        else if (!strcmp(a, "--precision") && v) c->precision = atoi(argv[++i]);
        else if (!strcmp(a, "--json") && v) c->json_path = argv[++i];
        else if (!strcmp(a, "--csv") && v) c->csv_path = argv[++i];
        else if (!strcmp(a, "--max-diff") && v) c->max_diff = atof(argv[++i]);
        else if (!strcmp(a, "--check-rows") && v) c->check_rows = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--top-k") && v) c->top_k = strtol(argv[++i], NULL, 10);
        else if (!strcmp(a, "--min-score") && v) c->min_score = atof(argv[++i]);
        else if (!strcmp(a, "--cross-source")) c->cross_source = 1;
        else if (!strcmp(a, "--tile") && v) c->tile = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--max-device-memory") && v) c->max_device_memory = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--kernel-defines") && v) c->kernel_defines = argv[++i];
        else if (!strcmp(a, "--write-corpus") && v) c->write_corpus = argv[++i];
        else if (!strcmp(a, "--corpus-only")) c->corpus_only = 1;
        else if (!strcmp(a, "--inject-fault")) c->inject_fault = 1;
        else if (!strcmp(a, "--segment") && v) {
            v = argv[++i];
            if (!strcmp(v, "line"))
                c->segment = TS_SEGMENT_LINE;
            else if (strcmp(v, "sentence") != 0) {
                fprintf(stderr, "textsim-bench: --segment must be sentence or line\n");
                exit(2);
            }
        } else if (!strcmp(a, "--mode") && v) {
            v = argv[++i];
            c->runner = NULL;
            for (size_t k = 0; k < sizeof runners / sizeof *runners; k++)
                if (!strcmp(v, runners[k]->name))
                    c->runner = runners[k];
            if (!c->runner) {
                fprintf(stderr, "textsim-bench: --mode must be matrix, topk or threshold\n");
                exit(2);
            }
        } else if ((a[0] != '-' || !strcmp(a, "-")) && c->nfiles < MAX_INPUTS) c->files[c->nfiles++] = a;
        else {
            fprintf(stderr, "textsim-bench: unknown or incomplete option '%s' (see --help)\n", a);
            exit(2);
        }
    }
    if (!c->synth && !c->nfiles && !c->nnews)
        c->synth = 2000;
    const char *bad = NULL;
    if (c->repeat < c->runner->all_cells || c->vocab < 2 || c->sources < 1)
        bad = "--vocab and --sources must be positive, --repeat too in matrix mode (0 in the "
              "pairs modes: the first pass only)";
    else if (c->synth && c->sources > c->synth)
        bad = "--sources cannot exceed the synthetic statements";
    else if ((bad = c->runner->check(c)) != NULL)
        ;
    else if (c->precision < 0 || c->precision > 9)
        bad = "--precision must be 0 to 9";
    else if (strcmp(c->backend, "all") && strcmp(c->backend, "cpu") && strcmp(c->backend, "opencl"))
        bad = "--backend must be all, cpu or opencl";
    if (bad) {
        fprintf(stderr, "textsim-bench: %s\n", bad);
        exit(2);
    }
}


/* TF-IDF (best of --repeat), and the work: each term of df statements
 * contributes df^2 products to the full matrix. */
static void vectorize(bench *b)
{
    const config *c = b->c;
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    ts_diag d;
    b->p.tokenize_s = b->p.tfidf_s = 1e30;
    for (int r = 0; r < (c->repeat > 1 ? c->repeat : 1); r++) {
        b->p.tokenize_s = fmin(b->p.tokenize_s, bench_tokenize_pass(b->corpus, &vo, &b->p.tokens));
        ts_tfidf_free(b->tfidf);
        b->tfidf = NULL;
        double t0 = bench_now();
        ts_status st = ts_tfidf_build(&b->tfidf, b->corpus, &vo, &d);
        if (st != TS_OK)
            bench_die("vectorize", st, &d);
        b->p.tfidf_s = fmin(b->p.tfidf_s, bench_now() - t0);
    }
    size_t n = b->n = ts_corpus_statement_count(b->corpus);
    b->cols = ts_tfidf_cols(b->tfidf);
    b->nnz = ts_tfidf_nnz(b->tfidf);
    uint64_t *df = tk_xcalloc(b->cols, sizeof *df);
    for (size_t i = 0; i < n; i++) {
        const uint32_t *cc;
        const float *v;
        size_t k = ts_tfidf_row(b->tfidf, i, &cc, &v);
        for (size_t j = 0; j < k; j++)
            df[cc[j]]++;
    }
    for (size_t j = 0; j < b->cols; j++)
        b->madds += (double)df[j] * (double)df[j];
    free(df);
    b->cells = (double)n * (double)n;
    b->bytes_in = (double)b->nnz * 8 + (double)(n + 1) * 4;
    b->copy_bw = bench_host_copy_bandwidth();
}

/* The sampled rows and the groups; then the mode's options and references. */
static void prepare_checks(bench *b)
{
    const config *c = b->c;
    size_t n = b->n;
    b->ncheck = n < c->check_rows ? n : c->check_rows;
    b->check_rows = tk_xcalloc(b->ncheck, sizeof *b->check_rows);
    for (size_t k = 0; k < b->ncheck; k++)
        b->check_rows[k] = k * n / b->ncheck;
    ts_pairs_options_init(&b->po);
    b->groups = tk_xcalloc(n, sizeof *b->groups);
    for (size_t i = 0; i < n; i++)
        b->groups[i] = ts_corpus_statement(b->corpus, i).source;
    c->runner->prepare(b);
}


int main(int argc, char **argv)
{
    config cfg;
    parse(argc, argv, &cfg);
    bench b = {.c = &cfg};
    b.corpus = bench_load_corpus(&cfg, &b.p);
    if (!b.corpus)
        return 0;
    b.digest = bench_corpus_digest(b.corpus);
    vectorize(&b);
    prepare_checks(&b);
    char specs[MAX_BACKENDS][32];
    b.nb = bench_backends(&cfg, b.eo, specs, &b.devs);
    cfg.runner->run(&b);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    b.peak_mb = (double)ru.ru_maxrss / 1024.0;
    int bad = bench_print_report(&b);
    bench_write_json(&b);
    bench_write_csv(&b);
    tk_lists_free(&b.naive);
    free(b.groups);
    free(b.check_rows);
    ts_devices_free(b.devs);
    ts_tfidf_free(b.tfidf);
    ts_corpus_free(b.corpus);
    return bad;
}
