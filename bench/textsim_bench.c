/*
 * textsim_bench.c - textsim-bench: what textsim does on this machine.
 *
 * For one corpus (synthetic with Zipfian word frequencies and realistic
 * statement lengths, seeded, any N; or real files in any format textsim
 * reads, or news-mix CSV files) it times every stage — read and segment,
 * tokenize and vectorize, engine start-up (kernel build, reported apart),
 * similarity (upload, kernels and download together, as the engine streams
 * them), and writing the CSV matrix — on the cpu backend and on every OpenCL
 * device, and checks each device's matrix against the cpu reference on a
 * sample of rows.  It counts the work (pairs; multiply-adds = sum over terms
 * of df^2, what a sparse dot product must do) and the bytes (CSR in, N^2
 * floats out, CSV out) and relates them to the host's measured copy
 * bandwidth.  Prints a table; --json and --csv write the same figures for
 * plots.  Each run is repeated --repeat times and the best time is kept.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "csv.h"
#include "textsim.h"

#define MAX_BACKENDS 16
#define CHECK_ROWS 64

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, ts_status st, const ts_diag *d)
{
    fprintf(stderr, "textsim-bench: %s: %s\n", what,
            d && d->message[0] ? d->message : ts_status_message(st));
    exit(1);
}

/* ------------------------------------------------------------ corpora */

/* xorshift64*: a small seeded generator, the same sequence everywhere. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * 0x1.0p-53; }

/* N statements over a vocabulary of `vocab` words whose frequencies follow
 * Zipf's law with exponent 1.07 (close to news text), lengths log-normal
 * around 20 tokens (5..80), as in sentence-segmented news. */
static void synthetic(ts_corpus *c, size_t n, uint64_t seed, size_t vocab)
{
    double *cdf = malloc(vocab * sizeof *cdf);
    double total = 0;
    for (size_t i = 0; i < vocab; i++)
        total += pow((double)(i + 1), -1.07);
    double acc = 0;
    for (size_t i = 0; i < vocab; i++) {
        acc += pow((double)(i + 1), -1.07) / total;
        cdf[i] = acc;
    }
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
    ts_buf text = {0};
    for (size_t k = 0; k < n; k++) {
        double g = sqrt(-2 * log(rng_unit(&s) + 1e-300)) * cos(6.283185307179586 * rng_unit(&s));
        long len = lround(exp(log(18.0) + 0.45 * g));
        len = len < 5 ? 5 : len > 80 ? 80 : len;
        for (long w = 0; w < len; w++) {
            double u = rng_unit(&s);
            size_t lo = 0, hi = vocab - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (cdf[mid] < u)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            /* word i: base-26 letters of i, at least two (the token rule) */
            char word[16];
            int p = 0;
            size_t v = lo + 26;
            while (v) {
                word[p++] = (char)('a' + v % 26);
                v /= 26;
            }
            if (w)
                ts_buf_putc(&text, ' ');
            ts_buf_append(&text, word, (size_t)p);
        }
        ts_buf_putc(&text, '\n');
    }
    free(cdf);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ts_diag d;
    ts_status st = ts_corpus_add_text(c, "synthetic", text.data, text.len, "synthetic", &ro, &d);
    ts_buf_free(&text);
    if (st != TS_OK)
        die("synthetic corpus", st, &d);
}

/* news-mix: LABEL,TEXT per line, TEXT maybe double-quoted, sentences
 * separated by TAB.  Each file is one source, each sentence a statement. */
static void newsmix(ts_corpus *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(1);
    }
    ts_buf text = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        char *t = strchr(line, ',');
        if (!t)
            continue;
        t++;
        size_t n = (size_t)(line + len - t);
        while (n && (t[n - 1] == '\n' || t[n - 1] == '\r'))
            n--;
        if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
            t++;
            n -= 2;
        }
        for (size_t i = 0; i < n; i++) {
            if (t[i] == '"' && i + 1 < n && t[i + 1] == '"')
                i++;
            ts_buf_putc(&text, t[i] == '\t' ? '\n' : t[i]);
        }
        ts_buf_putc(&text, '\n');
    }
    free(line);
    fclose(f);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ro.on_invalid = TS_INVALID_REPLACE;
    const char *base = strrchr(path, '/');
    ts_diag d;
    ts_status st = ts_corpus_add_text(c, base ? base + 1 : path, text.data, text.len, path, &ro, &d);
    ts_buf_free(&text);
    if (st != TS_OK)
        die(path, st, &d);
}

/* --------------------------------------------------------------- sinks */

typedef struct sink {
    int write_csv;
    int precision;
    ts_buf line;
    double write_seconds;
    const size_t *check_rows; /* ascending */
    size_t ncheck;
    float *check;             /* ncheck x N scores of the sampled rows */
    size_t n;
} sink;

/* Formats every row as the CSV writer does (into memory, so the figure is
 * the formatting cost, not the disk) and keeps the sampled rows. */
static ts_status on_tile(void *user, const ts_tile *t)
{
    sink *s = user;
    double t0 = now();
    if (s->write_csv)
        for (size_t r = 0; r < t->nrows; r++) {
            s->line.len = 0;
            ts_csv_fixed_row(&s->line, t->scores + r * t->ld, t->ncols, s->precision);
        }
    s->write_seconds += now() - t0;
    for (size_t k = 0; k < s->ncheck; k++) {
        size_t i = s->check_rows[k];
        if (i >= t->row0 && i < t->row0 + t->nrows)
            memcpy(s->check + k * s->n + t->col0, t->scores + (i - t->row0) * t->ld,
                   t->ncols * sizeof(float));
    }
    return TS_OK;
}

/* ------------------------------------------------------------- results */

typedef struct result {
    char backend[16];
    char device[128];
    double startup, similarity, write;
    double max_diff; /* against the cpu reference; NaN for the reference */
} result;

static double host_copy_bandwidth(void)
{
    size_t bytes = 256u << 20;
    char *a = malloc(bytes), *b = malloc(bytes);
    memset(a, 1, bytes);
    memset(b, 2, bytes);
    double best = 1e30;
    for (int k = 0; k < 3; k++) {
        double t0 = now();
        memcpy(b, a, bytes);
        double t = now() - t0;
        best = t < best ? t : best;
    }
    volatile char sinkc = b[bytes / 2];
    (void)sinkc;
    free(a);
    free(b);
    return 2.0 * (double)bytes / best; /* read + write */
}

static void usage(void)
{
    puts("Usage: textsim-bench [--synthetic N] [--seed S] [--vocab V] [--newsmix FILE]... [FILE...]\n"
         "                     [--backend all|cpu|opencl] [--repeat R] [--precision P]\n"
         "                     [--json FILE] [--csv FILE] [--max-diff X]\n"
         "\n"
         "Times textsim's stages on one corpus, on the cpu backend and every OpenCL device,\n"
         "checks each device against the cpu reference, and counts work and bytes.\n"
         "Exits 1 if a device differs from the reference by more than --max-diff (1e-5).");
}

int main(int argc, char **argv)
{
    size_t synth = 0, vocab = 50000;
    uint64_t seed = 1;
    int repeat = 1, precision = 4;
    double max_allowed = 1e-5;
    const char *backend = "all", *json_path = NULL, *csv_path = NULL;
    const char *files[64], *news[64];
    int nfiles = 0, nnews = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        } else if (!strcmp(a, "--synthetic") && v) synth = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--seed") && v) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(a, "--vocab") && v) vocab = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "--newsmix") && v && nnews < 64) news[nnews++] = argv[++i];
        else if (!strcmp(a, "--backend") && v) backend = argv[++i];
        else if (!strcmp(a, "--repeat") && v) repeat = atoi(argv[++i]);
        else if (!strcmp(a, "--precision") && v) precision = atoi(argv[++i]);
        else if (!strcmp(a, "--json") && v) json_path = argv[++i];
        else if (!strcmp(a, "--csv") && v) csv_path = argv[++i];
        else if (!strcmp(a, "--max-diff") && v) max_allowed = atof(argv[++i]);
        else if (a[0] != '-' && nfiles < 64) files[nfiles++] = a;
        else {
            fprintf(stderr, "textsim-bench: unknown or incomplete option '%s'\n", a);
            return 2;
        }
    }
    if (!synth && !nfiles && !nnews)
        synth = 2000;
    if (repeat < 1 || vocab < 2) {
        fprintf(stderr, "textsim-bench: --repeat and --vocab must be positive\n");
        return 2;
    }

    ts_diag d;
    ts_corpus *corpus;
    ts_corpus_create(&corpus);
    double t0 = now();
    ts_read_options ro;
    ts_read_options_init(&ro);
    if (synth)
        synthetic(corpus, synth, seed, vocab);
    for (int i = 0; i < nnews; i++)
        newsmix(corpus, news[i]);
    for (int i = 0; i < nfiles; i++) {
        ts_status st = ts_corpus_add_path(corpus, files[i], &ro, &d);
        if (st != TS_OK)
            die(files[i], st, &d);
    }
    double t_read = now() - t0;
    size_t n = ts_corpus_statement_count(corpus);

    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    ts_tfidf *tfidf = NULL;
    double t_vec = 1e30;
    for (int r = 0; r < repeat; r++) {
        ts_tfidf_free(tfidf);
        t0 = now();
        ts_status st = ts_tfidf_build(&tfidf, corpus, &vo, &d);
        if (st != TS_OK)
            die("vectorize", st, &d);
        t_vec = fmin(t_vec, now() - t0);
    }
    /* Work: each term of df statements contributes df^2 products to the full matrix. */
    size_t cols = ts_tfidf_cols(tfidf), nnz = ts_tfidf_nnz(tfidf);
    uint64_t *df = calloc(cols ? cols : 1, sizeof *df);
    for (size_t i = 0; i < n; i++) {
        const uint32_t *c;
        const float *v;
        size_t k = ts_tfidf_row(tfidf, i, &c, &v);
        for (size_t j = 0; j < k; j++)
            df[c[j]]++;
    }
    double madds = 0;
    for (size_t j = 0; j < cols; j++)
        madds += (double)df[j] * (double)df[j];
    free(df);
    double pairs = (double)n * (double)n;
    double bytes_in = (double)nnz * 8 + (double)(n + 1) * 4;
    double bytes_out = pairs * 4;
    double copy_bw = host_copy_bandwidth();

    size_t check_rows[CHECK_ROWS], ncheck = n < CHECK_ROWS ? n : CHECK_ROWS;
    for (size_t k = 0; k < ncheck; k++)
        check_rows[k] = k * n / ncheck;

    /* Backends: cpu first (the reference), then every OpenCL device. */
    ts_engine_options eo[MAX_BACKENDS];
    char specs[MAX_BACKENDS][32];
    int nb = 0;
    if (strcmp(backend, "opencl") != 0) {
        ts_engine_options_init(&eo[nb]);
        eo[nb++].backend = TS_BACKEND_CPU;
    }
    ts_device_info *devs = NULL;
    size_t ndev = 0, def;
    if (strcmp(backend, "cpu") != 0 && ts_devices_list(&devs, &ndev, &def, &d) == TS_OK) {
        for (size_t i = 0; i < ndev && nb < MAX_BACKENDS; i++) {
            ts_engine_options_init(&eo[nb]);
            eo[nb].backend = TS_BACKEND_OPENCL;
            snprintf(specs[nb], sizeof specs[nb], "%u:%u", devs[i].platform, devs[i].device);
            eo[nb].device = specs[nb];
            nb++;
        }
    }
    result res[MAX_BACKENDS];
    float *reference = NULL;
    for (int b = 0; b < nb; b++) {
        result *r = &res[b];
        memset(r, 0, sizeof *r);
        ts_engine *e;
        t0 = now();
        ts_status st = ts_engine_create(&e, &eo[b], &d);
        if (st != TS_OK)
            die("engine", st, &d);
        r->startup = now() - t0;
        snprintf(r->backend, sizeof r->backend, "%s", ts_engine_backend_name(e));
        snprintf(r->device, sizeof r->device, "%s", ts_engine_device_name(e));
        sink s = {.precision = precision, .check_rows = check_rows, .ncheck = ncheck, .n = n};
        s.check = calloc(ncheck * n + 1, sizeof(float));
        r->similarity = r->write = 1e30;
        for (int k = 0; k < repeat; k++) {
            s.write_csv = 0;
            t0 = now();
            if ((st = ts_engine_similarity(e, tfidf, on_tile, &s, &d)) != TS_OK)
                die("similarity", st, &d);
            r->similarity = fmin(r->similarity, now() - t0);
            s.write_csv = 1;
            s.write_seconds = 0;
            if ((st = ts_engine_similarity(e, tfidf, on_tile, &s, &d)) != TS_OK)
                die("similarity", st, &d);
            r->write = fmin(r->write, s.write_seconds);
        }
        if (!reference) {
            reference = s.check;
            r->max_diff = NAN;
        } else {
            double worst = 0;
            for (size_t k = 0; k < ncheck * n; k++)
                worst = fmax(worst, fabs((double)s.check[k] - reference[k]));
            r->max_diff = worst;
            free(s.check);
        }
        ts_buf_free(&s.line);
        ts_engine_free(e);
    }

    printf("corpus: %zu statements, %zu sources, %zu terms, %zu non-zeros (%.1f per statement)\n", n,
           ts_corpus_source_count(corpus), cols, nnz, (double)nnz / (double)(n ? n : 1));
    printf("work: %.3g pairs, %.3g multiply-adds (sum df^2), in %.3g MB CSR, out %.3g MB floats\n",
           pairs, madds, bytes_in / 1e6, bytes_out / 1e6);
    printf("host copy bandwidth: %.1f GB/s\n", copy_bw / 1e9);
    printf("read+segment %.3f s (%.0f statements/s), tokenize+vectorize %.3f s (%.0f statements/s)\n",
           t_read, n / fmax(t_read, 1e-9), t_vec, n / fmax(t_vec, 1e-9));
    printf("\n%-7s %-34s %9s %10s %12s %12s %10s %12s %10s\n", "backend", "device", "startup_s",
           "similar_s", "pairs/s", "madds/s", "out_GB/s", "write_Mcell/s", "max_diff");
    for (int b = 0; b < nb; b++) {
        result *r = &res[b];
        printf("%-7s %-34.34s %9.3f %10.3f %12.4g %12.4g %10.3f %12.1f %10.2g\n", r->backend, r->device,
               r->startup, r->similarity, pairs / r->similarity, madds / r->similarity,
               bytes_out / r->similarity / 1e9, pairs / fmax(r->write, 1e-9) / 1e6, r->max_diff);
    }
    int bad = 0;
    for (int b = 1; b < nb; b++)
        if (!(res[b].max_diff <= max_allowed)) {
            fprintf(stderr, "textsim-bench: %s (%s) differs from the cpu reference by %g > %g\n",
                    res[b].backend, res[b].device, res[b].max_diff, max_allowed);
            bad = 1;
        }
    if (json_path) {
        FILE *f = fopen(json_path, "w");
        if (!f) {
            perror(json_path);
            return 1;
        }
        fprintf(f, "{\"statements\": %zu, \"terms\": %zu, \"nnz\": %zu, \"pairs\": %.0f, "
                   "\"madds\": %.0f, \"read_s\": %.6f, \"vectorize_s\": %.6f, "
                   "\"host_copy_gbs\": %.3f, \"runs\": [",
                n, cols, nnz, pairs, madds, t_read, t_vec, copy_bw / 1e9);
        for (int b = 0; b < nb; b++)
            fprintf(f, "%s{\"backend\": \"%s\", \"device\": \"%s\", \"startup_s\": %.6f, "
                       "\"similarity_s\": %.6f, \"write_s\": %.6f, \"max_diff\": %s%.3g}",
                    b ? ", " : "", res[b].backend, res[b].device, res[b].startup,
                    res[b].similarity, res[b].write, isnan(res[b].max_diff) ? "null" : "",
                    isnan(res[b].max_diff) ? 0.0 : res[b].max_diff);
        fprintf(f, "]}\n");
        fclose(f);
    }
    if (csv_path) {
        FILE *f = fopen(csv_path, "w");
        if (!f) {
            perror(csv_path);
            return 1;
        }
        fprintf(f, "statements,terms,nnz,backend,device,read_s,vectorize_s,startup_s,similarity_s,"
                   "write_s,pairs_per_s,max_diff\n");
        for (int b = 0; b < nb; b++)
            fprintf(f, "%zu,%zu,%zu,%s,\"%s\",%.6f,%.6f,%.6f,%.6f,%.6f,%.6g,%.3g\n", n, cols, nnz,
                    res[b].backend, res[b].device, t_read, t_vec, res[b].startup, res[b].similarity,
                    res[b].write, pairs / res[b].similarity,
                    isnan(res[b].max_diff) ? 0.0 : res[b].max_diff);
        fclose(f);
    }
    free(reference);
    ts_devices_free(devs);
    ts_tfidf_free(tfidf);
    ts_corpus_free(corpus);
    return bad;
}
