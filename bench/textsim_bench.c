/*
 * textsim_bench.c - textsim-bench: what textsim does on this machine.
 *
 * For one corpus (synthetic with Zipfian word frequencies and realistic
 * statement lengths, seeded, any N, spread over --sources sources; or real
 * files in any format textsim reads, or news-mix CSV files) it times every
 * stage on the cpu backend and on every OpenCL device:
 *   read (or generate), segment, tokenize (a tokenizer pass alone), TF-IDF
 *   (ts_tfidf_build, which tokenizes again and vectorizes), engine start-up
 *   (kernel build, reported apart), the first pass (reported apart from the
 *   steady state: caches and lazy compilation land there), then the steady
 *   state split by ts_engine_get_stats into upload, similarity kernel,
 *   selection kernels, download and host selection, and writing (CSV formatted into memory and discarded,
 *   so the figure is the formatting cost, not the disk's).
 * --mode matrix streams the N x N matrix (ts_engine_similarity); --mode topk
 * and --mode threshold run ts_engine_pairs (each statement's best --top-k
 * matches, or all matches >= --min-score; --cross-source keeps only matches
 * from other sources) and write the long CSV statement_a,statement_b,score,
 * rank.
 *
 * Checks.  matrix: each device's sampled rows against the cpu backend's.
 * pairs: every backend's lists are checked for the API's promises (order,
 * no self match, scores > 0 and >= min_score, other group, at most k, every
 * match listed from both sides unless k cuts a list), against a naive
 * reference (exact sparse dot products of --check-rows sampled statements
 * with all others, sorted) and, for devices, row by row against the cpu
 * backend: the same statements in the same order with scores within
 * --max-diff, where order and membership may differ only among scores that
 * lie within --max-diff of each other (near-ties, also at the cut).  Any
 * failure makes the exit status 1.  The generator, the naive reference and
 * the checks are the unit tests' own (tests/common: synth.h, pairs_ref.h),
 * so the bench and test_pairs hold the engine to one set of rules.  main
 * is one step per stage: load_corpus, vectorize, prepare_checks, then
 * run_matrix_mode or run_pairs_mode, print_report, write_json, write_csv.
 *
 * It counts the work (pairs computed; multiply-adds = sum over terms of
 * df^2 for the full matrix, what a sparse product must do) and the bytes
 * (CSR in, floats or candidates out, CSV out) and relates transfer rates to
 * the host's measured copy bandwidth.  Prints tables; --json and --csv write
 * the same figures for plots.  Steady-state runs are repeated --repeat
 * times and the best is kept.
 *
 * --write-corpus DIR writes the corpus as one file per source,
 * DIR/SOURCE.txt, one statement per line, and exits, so that other tools
 * (`textsim pairs --segment line DIR`, bench/peers.py) read exactly the same
 * statements; a synthetic corpus is generated straight into the files, one
 * source at a time, so a million statements take seconds and little memory.
 * --corpus-only prints the statement count and a digest of the statements
 * and exits (to check that a written corpus reads back identically).
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "output/csv.h"
#include "common/pairs_ref.h"
#include "common/synth.h"
#include "textsim.h"
#include "tfidf_internal.h"
#include "tokenize.h"

#define MAX_BACKENDS 16
#define MAX_INPUTS 64

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

static void die_errno(const char *what, const char *path)
{
    fprintf(stderr, "textsim-bench: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

/* ------------------------------------------------------------ options */

typedef enum bench_mode { MODE_MATRIX, MODE_TOPK, MODE_THRESHOLD } bench_mode;

typedef struct config {
    size_t synth, vocab, sources, check_rows, tile;
    uint64_t seed, max_device_memory;
    int repeat, precision, cross_source, corpus_only, inject_fault;
    long top_k;       /* -1: not given */
    double min_score; /* NAN: not given */
    double max_diff;
    bench_mode mode;
    ts_segment_mode segment;
    const char *backend, *json_path, *csv_path, *write_corpus, *kernel_defines;
    const char *files[MAX_INPUTS], *news[MAX_INPUTS];
    int nfiles, nnews;
} config;

/* Stages before the engine, and what they handled. */
typedef struct prep {
    double read_s, segment_s, tokenize_s, tfidf_s;
    uint64_t bytes, tokens;
} prep;

/* ------------------------------------------------------------ corpora */

static void write_all(FILE *f, const char *path, const void *data, size_t n)
{
    if (n && fwrite(data, 1, n, f) != n)
        die_errno("cannot write", path);
}

/* The synthetic corpus: statements [src*N/S, (src+1)*N/S) belong to source
 * src, generated in statement order from one seeded stream, so the
 * statements do not depend on S.  With `dir`, each source goes straight to
 * DIR/sNN.txt in 1 MiB writes; else into the corpus, one source at a time. */
static void synthetic(const config *c, ts_corpus *corpus, const char *dir, prep *p)
{
    tk_zipf *z = tk_zipf_create(c->vocab);
    uint64_t s = tk_synth_seed(c->seed);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ts_buf text = {0};
    for (size_t src = 0; src < c->sources; src++) {
        char name[32], path[4096];
        tk_source_name(name, sizeof name, src, c->sources);
        size_t lo = src * c->synth / c->sources, hi = (src + 1) * c->synth / c->sources;
        FILE *f = NULL;
        if (dir) {
            snprintf(path, sizeof path, "%s/%s.txt", dir, name);
            if (!(f = fopen(path, "wb")))
                die_errno("cannot create", path);
        }
        text.len = 0;
        double t0 = now();
        for (size_t k = lo; k < hi; k++) {
            tk_synth_statement(z, &s, &text);
            if (f && text.len >= (1u << 20)) {
                write_all(f, path, text.data, text.len);
                p->bytes += text.len;
                text.len = 0;
            }
        }
        if (text.failed) {
            fprintf(stderr, "textsim-bench: out of memory generating source %s\n", name);
            exit(1);
        }
        p->read_s += now() - t0;
        p->bytes += text.len;
        if (f) {
            write_all(f, path, text.data, text.len);
            if (fclose(f) != 0)
                die_errno("cannot write", path);
            continue;
        }
        t0 = now();
        ts_diag d;
        ts_status st = ts_corpus_add_text(corpus, name, text.data, text.len, "synthetic", &ro, &d);
        if (st != TS_OK)
            die("synthetic corpus", st, &d);
        p->segment_s += now() - t0;
    }
    ts_buf_free(&text);
    tk_zipf_free(z);
}

/* news-mix: LABEL,TEXT per line, TEXT maybe double-quoted, sentences
 * separated by TAB.  Each file is one source, each sentence a statement. */
static void newsmix(ts_corpus *c, const char *path, prep *p)
{
    double t0 = now();
    FILE *f = fopen(path, "rb");
    if (!f)
        die_errno("cannot open", path);
    ts_buf text = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        p->bytes += (uint64_t)len;
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
    p->read_s += now() - t0;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ro.on_invalid = TS_INVALID_REPLACE;
    const char *base = strrchr(path, '/');
    ts_diag d;
    t0 = now();
    ts_status st = ts_corpus_add_text(c, base ? base + 1 : path, text.data, text.len, path, &ro, &d);
    ts_buf_free(&text);
    if (st != TS_OK)
        die(path, st, &d);
    p->segment_s += now() - t0;
}

/* Reads a file's bytes (and discards them): the read stage of a file input,
 * which also leaves the file in the page cache for the segment stage. */
static uint64_t read_file_bytes(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die_errno("cannot open", path);
    static char chunk[1 << 16];
    uint64_t total = 0;
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        total += n;
    fclose(f);
    return total;
}

/* A path input: the bytes of the file, or of every regular non-hidden file
 * of a directory (what textsim reads there), then textsim's own reading. */
static void file_input(ts_corpus *c, const char *path, ts_segment_mode segment, prep *p)
{
    double t0 = now();
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        DIR *dir = opendir(path);
        if (!dir)
            die_errno("cannot open", path);
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            char sub[4096];
            if (e->d_name[0] == '.')
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            if (stat(sub, &sb) == 0 && S_ISREG(sb.st_mode))
                p->bytes += read_file_bytes(sub);
        }
        closedir(dir);
    } else if (strcmp(path, "-") != 0) {
        p->bytes += read_file_bytes(path);
    }
    p->read_s += now() - t0;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = segment;
    ts_diag d;
    t0 = now();
    ts_status st = ts_corpus_add_path(c, path, &ro, &d);
    if (st != TS_OK)
        die(path, st, &d);
    p->segment_s += now() - t0;
}

/* --write-corpus: DIR is created, or must hold no visible entry (every
 * visible file in it would be read as a source). */
static void prepare_corpus_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0)
        return;
    if (errno != EEXIST)
        die_errno("cannot create the directory", dir);
    DIR *d = opendir(dir);
    if (!d)
        die_errno("cannot open", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            fprintf(stderr,
                    "textsim-bench: %s is not empty (it holds %s); textsim would read every "
                    "file in it as a source: remove it or give another directory\n",
                    dir, e->d_name);
            exit(2);
        }
    closedir(d);
}

/* Each source of a loaded corpus as DIR/NAME.txt, one statement per line.
 * Statements never hold a line end (line and sentence segmentation both
 * end a statement there) and are trimmed, so reading the file back with
 * --segment line gives the same statements; the source name is the file
 * name without its last extension, so the same ids too. */
static void write_corpus_files(const ts_corpus *c, const char *dir)
{
    for (size_t src = 0; src < ts_corpus_source_count(c); src++) {
        const char *name = ts_corpus_source_name(c, src);
        if (!name[0] || name[0] == '.' || strchr(name, '/')) {
            fprintf(stderr, "textsim-bench: source name '%s' cannot be a file name\n", name);
            exit(1);
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.txt", dir, name);
        FILE *f = fopen(path, "wb");
        if (!f)
            die_errno("cannot create", path);
        size_t first, count;
        ts_corpus_source_range(c, src, &first, &count);
        for (size_t i = first; i < first + count; i++) {
            ts_statement s = ts_corpus_statement(c, i);
            write_all(f, path, s.text, s.length);
            write_all(f, path, "\n", 1);
        }
        if (fclose(f) != 0)
            die_errno("cannot write", path);
    }
}

/* FNV-1a over every statement's source name and text, in order. */
static uint64_t corpus_digest(const ts_corpus *c)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < ts_corpus_statement_count(c); i++) {
        ts_statement s = ts_corpus_statement(c, i);
        const char *name = ts_corpus_source_name(c, s.source);
        for (const char *q = name; *q; q++)
            h = (h ^ (unsigned char)*q) * 1099511628211ULL;
        h = (h ^ '\t') * 1099511628211ULL;
        for (size_t k = 0; k < s.length; k++)
            h = (h ^ (unsigned char)s.text[k]) * 1099511628211ULL;
        h = (h ^ '\n') * 1099511628211ULL;
    }
    return h;
}

static ts_status count_token(void *user, const char *term, size_t length)
{
    (void)term;
    (void)length;
    (*(uint64_t *)user)++;
    return TS_OK;
}

/* The tokenizer alone over every statement (ts_tfidf_build does the same
 * pass before counting and weighting). */
static double tokenize_pass(const ts_corpus *c, const ts_vectorizer_options *vo, uint64_t *tokens)
{
    ts_tokenizer *tok;
    ts_diag d;
    ts_status st = ts_tokenizer_create(&tok, vo, &d);
    if (st != TS_OK)
        die("tokenizer", st, &d);
    *tokens = 0;
    double t0 = now();
    for (size_t i = 0; i < ts_corpus_statement_count(c) && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(c, i);
        st = ts_tokenizer_run(tok, s.text, s.length, count_token, tokens, &d);
    }
    double t = now() - t0;
    if (st != TS_OK)
        die("tokenize", st, &d);
    ts_tokenizer_free(tok);
    return t;
}

/* ------------------------------------------------------------ results */

typedef struct result {
    char backend[16];
    char device[128];
    double create_s;            /* ts_engine_create, wall */
    double first_s;             /* first pass, wall, callback excluded */
    double steady_s;            /* best steady pass, wall, callback excluded */
    double write_s;             /* CSV formatting in the best steady pass */
    ts_engine_stats build;      /* stats of engine creation (build_s) */
    ts_engine_stats first, st;  /* stats of the first and the best steady pass */
    uint64_t matches, csv_bytes;
    double max_diff;            /* against the cpu reference; NaN for the reference */
    tk_check own, naive, ref; /* promises, naive sampled rows, cpu reference */
    int checked_ref;
} result;

static int result_ok(const result *r, double max_allowed)
{
    return r->own.rows_bad == 0 && r->naive.rows_bad == 0 && r->ref.rows_bad == 0 &&
           (isnan(r->max_diff) || r->max_diff <= max_allowed);
}

static double copy_bandwidth_here(void)
{
    size_t bytes = 256u << 20;
    char *a = malloc(bytes), *b = malloc(bytes);
    if (!a || !b) {
        free(a);
        free(b);
        return NAN;
    }
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

/* The host's memcpy bandwidth (read + write) on 256 MiB, measured in a
 * child process so that its 512 MiB stay out of this process's peak RSS. */
static double host_copy_bandwidth(void)
{
    int fd[2];
    if (pipe(fd) != 0)
        return copy_bandwidth_here();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        return copy_bandwidth_here();
    }
    if (pid == 0) {
        double bw = copy_bandwidth_here();
        ssize_t w = write(fd[1], &bw, sizeof bw);
        _exit(w == (ssize_t)sizeof bw ? 0 : 1);
    }
    close(fd[1]);
    double bw = NAN;
    if (read(fd[0], &bw, sizeof bw) != (ssize_t)sizeof bw)
        bw = NAN;
    close(fd[0]);
    waitpid(pid, NULL, 0);
    return bw;
}

/* ------------------------------------------------------- matrix mode */

typedef struct matrix_sink {
    int write_csv;
    int precision;
    ts_buf line;
    double write_seconds;
    const size_t *check_rows; /* ascending */
    size_t ncheck;
    float *check;             /* ncheck x N scores of the sampled rows */
    size_t n;
} matrix_sink;

/* Formats every row as the CSV writer does (into memory, so the figure is
 * the formatting cost, not the disk) and keeps the sampled rows. */
static ts_status on_tile(void *user, const ts_tile *t)
{
    matrix_sink *s = user;
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

/* First pass, then --repeat times a timed pass and a pass that formats the
 * CSV; returns the sampled rows of the last pass. */
static float *run_matrix(ts_engine *e, const ts_tfidf *tfidf, const config *c,
                         const size_t *rows, size_t ncheck, result *r)
{
    size_t n = ts_tfidf_rows(tfidf);
    matrix_sink s = {.precision = c->precision, .check_rows = rows, .ncheck = ncheck, .n = n};
    s.check = tk_xcalloc(ncheck * n + 1, sizeof(float));
    ts_diag d;
    ts_status st;
    r->steady_s = r->write_s = 1e30;
    for (int k = -1; k < c->repeat; k++) {
        s.write_csv = 0;
        ts_engine_stats_reset(e);
        double t0 = now();
        if ((st = ts_engine_similarity(e, tfidf, on_tile, &s, &d)) != TS_OK)
            die("similarity", st, &d);
        double t = now() - t0;
        if (k < 0) {
            r->first_s = t;
            ts_engine_get_stats(e, &r->first);
            continue;
        }
        if (t < r->steady_s) {
            r->steady_s = t;
            ts_engine_get_stats(e, &r->st);
        }
        s.write_csv = 1;
        s.write_seconds = 0;
        if ((st = ts_engine_similarity(e, tfidf, on_tile, &s, &d)) != TS_OK)
            die("similarity", st, &d);
        r->write_s = fmin(r->write_s, s.write_seconds);
    }
    ts_buf_free(&s.line);
    return s.check;
}

/* -------------------------------------------------------- pairs mode */

typedef struct pairs_sink {
    const ts_corpus *corpus;
    int precision;
    int write;
    ts_buf out;
    double write_s;
    uint64_t csv_bytes, matches;
    tk_lists *collect; /* first pass: keep every list */
    double collect_s;
    uint32_t next;        /* the statement expected next */
    int out_of_order;
} pairs_sink;

/* The long CSV as textsim pairs writes it, formatted into memory and
 * discarded every 64 KiB. */
static void format_pairs(pairs_sink *s, uint32_t a, const ts_match *m, size_t n)
{
    ts_statement sa = ts_corpus_statement(s->corpus, a);
    const char *na = ts_corpus_source_name(s->corpus, sa.source);
    for (size_t i = 0; i < n; i++) {
        ts_statement sb = ts_corpus_statement(s->corpus, m[i].statement);
        ts_csv_id(&s->out, na, sa.index, 0);
        ts_buf_putc(&s->out, ',');
        ts_csv_id(&s->out, ts_corpus_source_name(s->corpus, sb.source), sb.index, 0);
        ts_buf_putc(&s->out, ',');
        ts_csv_fixed(&s->out, m[i].score, s->precision);
        ts_buf_printf(&s->out, ",%zu\n", i + 1);
    }
    if (s->out.len >= (1u << 16)) {
        s->csv_bytes += s->out.len;
        s->out.len = 0;
    }
}

static ts_status on_matches(void *user, uint32_t statement, const ts_match *m, size_t n)
{
    pairs_sink *s = user;
    if (statement != s->next)
        s->out_of_order = 1;
    s->next = statement + 1;
    s->matches += n;
    if (s->collect) {
        double t0 = now();
        tk_lists_append(s->collect, m, n);
        s->collect_s += now() - t0;
    }
    if (s->write) {
        double t0 = now();
        format_pairs(s, statement, m, n);
        s->write_s += now() - t0;
    }
    return TS_OK;
}

/* One pass of ts_engine_pairs; returns its wall time less the callback's
 * formatting and collecting. */
static double pairs_pass(ts_engine *e, const ts_tfidf *tfidf, const ts_pairs_options *po,
                         pairs_sink *s, ts_engine_stats *stats)
{
    s->write_s = s->collect_s = 0;
    s->csv_bytes = s->matches = 0;
    s->out.len = 0;
    s->next = 0;
    s->out_of_order = 0;
    ts_buf_puts(&s->out, "statement_a,statement_b,score,rank\n");
    ts_engine_stats_reset(e);
    ts_diag d;
    double t0 = now();
    ts_status st = ts_engine_pairs(e, tfidf, po, on_matches, s, &d);
    double t = now() - t0;
    if (st != TS_OK)
        die("pairs", st, &d);
    s->csv_bytes += s->out.len;
    ts_engine_get_stats(e, stats);
    return t - s->write_s - s->collect_s;
}

/* First pass (collecting every list for the checks), then --repeat timed
 * passes that format the CSV. */
static void run_pairs(ts_engine *e, const ts_tfidf *tfidf, const ts_corpus *corpus,
                      const config *c, const ts_pairs_options *po, tk_lists *lists,
                      result *r)
{
    pairs_sink s = {.corpus = corpus, .precision = c->precision, .write = 1};
    size_t n = ts_tfidf_rows(tfidf);
    tk_lists_init(lists, n);
    s.collect = lists;
    r->first_s = pairs_pass(e, tfidf, po, &s, &r->first);
    if (s.out_of_order)
        tk_check_fail(&r->own, "statements delivered out of order");
    s.collect = NULL;
    /* --repeat 0: the first pass stands for the steady state too */
    r->steady_s = c->repeat ? 1e30 : r->first_s;
    r->st = r->first;
    r->write_s = s.write_s;
    r->matches = s.matches;
    r->csv_bytes = s.csv_bytes;
    for (int k = 0; k < c->repeat; k++) {
        ts_engine_stats st;
        double t = pairs_pass(e, tfidf, po, &s, &st);
        if (t < r->steady_s) {
            r->steady_s = t;
            r->st = st;
            r->write_s = s.write_s;
            r->matches = s.matches;
            r->csv_bytes = s.csv_bytes;
        }
    }
    ts_buf_free(&s.out);
}

/* ----------------------------------------------------------- output */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

static const char *mode_name(bench_mode m)
{
    return m == MODE_MATRIX ? "matrix" : m == MODE_TOPK ? "topk" : "threshold";
}

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
            if (!strcmp(v, "matrix")) c->mode = MODE_MATRIX;
            else if (!strcmp(v, "topk")) c->mode = MODE_TOPK;
            else if (!strcmp(v, "threshold")) c->mode = MODE_THRESHOLD;
            else {
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
    if (c->repeat < (c->mode == MODE_MATRIX) || c->vocab < 2 || c->sources < 1)
        bad = "--vocab and --sources must be positive, --repeat too in matrix mode (0 in the "
              "pairs modes: the first pass only)";
    else if (c->synth && c->sources > c->synth)
        bad = "--sources cannot exceed the synthetic statements";
    else if (c->mode == MODE_MATRIX && (c->top_k >= 0 || !isnan(c->min_score) || c->cross_source))
        bad = "--top-k, --min-score and --cross-source need --mode topk or threshold";
    else if (c->mode == MODE_THRESHOLD && c->top_k >= 0)
        bad = "--mode threshold keeps every match >= --min-score; for both limits use "
              "--mode topk --top-k K --min-score T";
    else if (c->mode == MODE_TOPK && c->top_k >= 0 && (c->top_k < 1 || c->top_k > TS_PAIRS_MAX_TOP_K))
        bad = "--top-k must be 1 to 1024";
    else if (c->precision < 0 || c->precision > 9)
        bad = "--precision must be 0 to 9";
    else if (strcmp(c->backend, "all") && strcmp(c->backend, "cpu") && strcmp(c->backend, "opencl"))
        bad = "--backend must be all, cpu or opencl";
    if (bad) {
        fprintf(stderr, "textsim-bench: %s\n", bad);
        exit(2);
    }
}

/* Backends: cpu first (the reference), then every OpenCL device. */
static int backend_options(const config *c, ts_engine_options *eo, char (*specs)[32],
                           ts_device_info **devs)
{
    int nb = 0;
    size_t ndev = 0, def;
    ts_diag d;
    if (strcmp(c->backend, "opencl") != 0) {
        ts_engine_options_init(&eo[nb]);
        eo[nb++].backend = TS_BACKEND_CPU;
    }
    if (strcmp(c->backend, "cpu") != 0 && ts_devices_list(devs, &ndev, &def, &d) == TS_OK) {
        for (size_t i = 0; i < ndev && nb < MAX_BACKENDS; i++) {
            ts_engine_options_init(&eo[nb]);
            eo[nb].backend = TS_BACKEND_OPENCL;
            snprintf(specs[nb], sizeof specs[nb], "%u:%u", (*devs)[i].platform, (*devs)[i].device);
            eo[nb].device = specs[nb];
            nb++;
        }
    }
    for (int b = 0; b < nb; b++) {
        eo[b].tile_rows = eo[b].tile_cols = c->tile;
        eo[b].max_device_memory = c->max_device_memory;
        eo[b].kernel_defines = c->kernel_defines;
    }
    return nb;
}

/* One run of the bench: the corpus, its TF-IDF, the sampled checks and
 * what each backend did. */
typedef struct bench {
    const config *c;
    prep p;
    ts_corpus *corpus;
    ts_tfidf *tfidf;
    uint64_t digest;
    size_t n, cols, nnz;
    double madds, cells, bytes_in, copy_bw, peak_mb, ideal;
    size_t ncheck, *check_rows;
    ts_pairs_options po;
    uint32_t *groups;
    tk_lists naive; /* pairs: the naive reference of the sampled rows */
    double naive_s;
    int nb;
    ts_engine_options eo[MAX_BACKENDS];
    result res[MAX_BACKENDS];
    ts_device_info *devs;
} bench;

/* The corpus of the command line; NULL when the run ends there
 * (--write-corpus, --corpus-only: what they print is printed). */
static ts_corpus *load_corpus(const config *c, prep *p)
{
    if (c->write_corpus)
        prepare_corpus_dir(c->write_corpus);
    if (c->write_corpus && c->synth && !c->nfiles && !c->nnews) {
        synthetic(c, NULL, c->write_corpus, p);
        printf("wrote %zu statements in %zu sources to %s (%.1f MB, %.2f s)\n", c->synth,
               c->sources, c->write_corpus, (double)p->bytes / 1e6, p->read_s);
        return NULL;
    }
    ts_corpus *corpus;
    if (ts_corpus_create(&corpus) != TS_OK)
        die("corpus", TS_ERR_NOMEM, NULL);
    if (c->synth)
        synthetic(c, corpus, NULL, p);
    for (int i = 0; i < c->nnews; i++)
        newsmix(corpus, c->news[i], p);
    for (int i = 0; i < c->nfiles; i++)
        file_input(corpus, c->files[i], c->segment, p);
    size_t n = ts_corpus_statement_count(corpus);
    if (c->write_corpus) {
        write_corpus_files(corpus, c->write_corpus);
        printf("wrote %zu statements in %zu sources to %s\n", n, ts_corpus_source_count(corpus),
               c->write_corpus);
        ts_corpus_free(corpus);
        return NULL;
    }
    if (c->corpus_only) {
        printf("statements %zu sources %zu digest %016llx\n", n, ts_corpus_source_count(corpus),
               (unsigned long long)corpus_digest(corpus));
        ts_corpus_free(corpus);
        return NULL;
    }
    return corpus;
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
        b->p.tokenize_s = fmin(b->p.tokenize_s, tokenize_pass(b->corpus, &vo, &b->p.tokens));
        ts_tfidf_free(b->tfidf);
        b->tfidf = NULL;
        double t0 = now();
        ts_status st = ts_tfidf_build(&b->tfidf, b->corpus, &vo, &d);
        if (st != TS_OK)
            die("vectorize", st, &d);
        b->p.tfidf_s = fmin(b->p.tfidf_s, now() - t0);
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
    b->copy_bw = host_copy_bandwidth();
    b->ideal = c->mode == MODE_MATRIX ? b->cells : (double)n * (double)(n - 1) / 2;
}

/* The sampled rows, the pairs options and their naive reference. */
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
    if (c->mode == MODE_MATRIX)
        return;
    b->po.top_k = c->mode == MODE_TOPK ? (uint32_t)(c->top_k >= 0 ? c->top_k : 10) : 0;
    b->po.min_score =
        (float)(!isnan(c->min_score) ? c->min_score : c->mode == MODE_TOPK ? 0 : 0.2);
    b->po.cross_source = c->cross_source;
    b->po.groups = b->groups;
    double t0 = now();
    tk_naive_lists(&b->naive, ts_tfidf_csr(b->tfidf), b->check_rows, b->ncheck, &b->po);
    b->naive_s = now() - t0;
}

/* Backend k's engine, its creation timed into its result. */
static ts_engine *start_engine(bench *b, int k)
{
    result *r = &b->res[k];
    memset(r, 0, sizeof *r);
    r->max_diff = NAN;
    ts_engine *e;
    ts_diag d;
    double t0 = now();
    ts_status st = ts_engine_create(&e, &b->eo[k], &d);
    if (st != TS_OK)
        die("engine", st, &d);
    r->create_s = now() - t0;
    ts_engine_get_stats(e, &r->build);
    snprintf(r->backend, sizeof r->backend, "%s", ts_engine_backend_name(e));
    snprintf(r->device, sizeof r->device, "%s", ts_engine_device_name(e));
    return e;
}

/* --mode matrix on every backend; each device's sampled rows against the
 * cpu reference's. */
static void run_matrix_mode(bench *b)
{
    float *ref_rows = NULL;
    for (int k = 0; k < b->nb; k++) {
        ts_engine *e = start_engine(b, k);
        result *r = &b->res[k];
        float *rows = run_matrix(e, b->tfidf, b->c, b->check_rows, b->ncheck, r);
        r->matches = (uint64_t)b->n * b->n;
        r->csv_bytes = 0;
        if (b->eo[k].backend == TS_BACKEND_CPU) {
            free(ref_rows);
            ref_rows = rows;
        } else {
            if (ref_rows) {
                double worst = 0;
                for (size_t i = 0; i < b->ncheck * b->n; i++)
                    worst = fmax(worst, fabs((double)rows[i] - ref_rows[i]));
                r->max_diff = worst;
                r->checked_ref = 1;
            }
            free(rows);
        }
        ts_engine_free(e);
    }
    free(ref_rows);
}

/* --mode topk or threshold on every backend: every list against the API's
 * promises, the sampled rows against the naive reference, and each
 * device's lists row by row against the cpu backend's. */
static void run_pairs_mode(bench *b)
{
    const config *c = b->c;
    size_t n = b->n;
    tk_lists ref_lists = {0};
    int have_ref = 0;
    for (int k = 0; k < b->nb; k++) {
        ts_engine *e = start_engine(b, k);
        result *r = &b->res[k];
        int is_ref = b->eo[k].backend == TS_BACKEND_CPU;
        tk_lists got;
        run_pairs(e, b->tfidf, b->corpus, c, &b->po, &got, r);
        if (c->inject_fault && (!is_ref || b->nb == 1))
            tk_inject_fault(&got, b->check_rows, b->ncheck, c->max_diff);
        tk_check_promises(&r->own, &got, n, &b->po, c->max_diff);
        for (size_t i = 0; i < b->ncheck; i++) {
            size_t row = b->check_rows[i];
            tk_compare_row(&r->naive, "the naive reference", (uint32_t)row,
                           b->naive.m + b->naive.off[i], b->naive.off[i + 1] - b->naive.off[i],
                           got.m + got.off[row], got.off[row + 1] - got.off[row], &b->po,
                           c->max_diff);
        }
        if (is_ref) {
            tk_lists_free(&ref_lists);
            ref_lists = got;
            have_ref = 1;
        } else {
            if (have_ref && got.rows == n) {
                for (size_t row = 0; row < n; row++)
                    tk_compare_row(&r->ref, "cpu", (uint32_t)row,
                                   ref_lists.m + ref_lists.off[row],
                                   ref_lists.off[row + 1] - ref_lists.off[row],
                                   got.m + got.off[row], got.off[row + 1] - got.off[row],
                                   &b->po, c->max_diff);
                r->max_diff = r->ref.max_diff;
                r->checked_ref = 1;
            }
            tk_lists_free(&got);
        }
        ts_engine_free(e);
    }
    tk_lists_free(&ref_lists);
}

/* The tables on stdout, the failures on stderr; 1 when a check failed. */
static int print_report(const bench *b)
{
    const config *c = b->c;
    const prep p = b->p;
    const result *res = b->res;
    const ts_pairs_options po = b->po;
    size_t n = b->n;
    int nb = b->nb;
    printf("corpus: %zu statements, %zu sources, %zu terms, %zu non-zeros (%.1f per statement), "
           "digest %016llx\n",
           n, ts_corpus_source_count(b->corpus), b->cols, b->nnz, (double)b->nnz / (double)(n ? n : 1),
           (unsigned long long)b->digest);
    printf("work: %.3g cells in the matrix, %.3g multiply-adds for all of it (sum df^2), "
           "%.3g MB CSR\n",
           b->cells, b->madds, b->bytes_in / 1e6);
    printf("host copy bandwidth: %.1f GB/s; peak RSS %.0f MB\n", b->copy_bw / 1e9, b->peak_mb);
    printf("read %.3f s (%.1f MB), segment %.3f s (%.0f statements/s), tokenize %.3f s "
           "(%.3g tokens/s), TF-IDF build %.3f s (%.0f statements/s; includes tokenizing: "
           "vectorize alone %.3f s)\n",
           p.read_s, (double)p.bytes / 1e6, p.segment_s, n / fmax(p.segment_s, 1e-9),
           p.tokenize_s, (double)p.tokens / fmax(p.tokenize_s, 1e-9), p.tfidf_s,
           n / fmax(p.tfidf_s, 1e-9), fmax(p.tfidf_s - p.tokenize_s, 0));
    if (c->mode == MODE_MATRIX)
        printf("mode: matrix (N x N, CSV at %d decimals), tile %s\n", c->precision,
               c->tile ? "set" : "automatic");
    else
        printf("mode: %s (top-k %u, min-score %g%s), %.3g unordered pairs; naive reference "
               "of %zu statements %.2f s\n",
               mode_name(c->mode), po.top_k, po.min_score,
               po.cross_source ? ", cross-source" : "", b->ideal, b->ncheck, b->naive_s);
    printf("\ntimes in seconds; steady = best of %d after the first pass, callback excluded; "
           "other = steady - upload - kernels - sel_kern - download - select\n"
           "(kernels: the similarity kernel, cpu: the BLIS products; sel_kern: the device's "
           "selection kernels; select: the host's merge)\n",
           c->repeat);
    printf("%-7s %-28s %7s %7s %8s %8s %8s %8s %8s %8s %8s %8s %8s %11s %10s\n", "backend",
           "device", "create", "build", "first", "steady", "upload", "kernels", "sel_kern",
           "download", "select", "other", "write", "stmts/s", "pairs/s");
    for (int k = 0; k < nb; k++) {
        const result *r = &res[k];
        const ts_engine_stats *s = &r->st;
        double other = r->steady_s - s->upload_s - s->kernel_s - s->select_kernel_s -
                       s->download_s - s->select_s;
        double total = r->steady_s + r->write_s;
        printf("%-7s %-28.28s %7.3f %7.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f "
               "%11.4g %10.4g\n",
               r->backend, r->device, r->create_s, r->build.build_s, r->first_s, r->steady_s,
               s->upload_s, s->kernel_s, s->select_kernel_s, s->download_s, s->select_s, other,
               r->write_s,
               n / total, b->ideal / total);
    }
    printf("\n(dense: blocks selected on the host after an overflow; madds/s: the share of "
           "sum df^2 that the computed pairs stand for, over the similarity and selection "
           "kernels' time; front: multiply-adds of the dense front)\n");
    printf("%-7s %10s %7s %7s %6s %9s %9s %10s %10s %8s %9s %10s %10s %8s %7s %s\n", "backend",
           "computed", "blocks", "skipped", "dense", "up_MB", "down_MB", "xfer_GB/s", "cand",
           "matches", "csv_MB", "madds/s", "front", "max_diff", "ties", "check");
    int bad = 0;
    for (int k = 0; k < nb; k++) {
        const result *r = &res[k];
        const ts_engine_stats *s = &r->st;
        double xfer_s = s->upload_s + s->download_s;
        double xfer = (double)(s->upload_bytes + s->download_bytes);
        double computed = c->mode == MODE_MATRIX ? b->cells : (double)s->pairs;
        double work = b->madds * computed / fmax(b->cells, 1); /* computed share of sum df^2 */
        int ok = result_ok(r, c->max_diff);
        bad |= !ok;
        char xbuf[32];
        if (xfer_s > 0)
            snprintf(xbuf, sizeof xbuf, "%.2f(%.0f%%)", xfer / xfer_s / 1e9,
                     100 * xfer / xfer_s / b->copy_bw);
        else
            snprintf(xbuf, sizeof xbuf, "-");
        printf("%-7s %10.4g %7llu %7llu %6llu %9.2f %9.2f %10s %10.4g %8.4g %9.2f %10.4g %10.4g "
               "%8.2g %7llu %s\n",
               r->backend, computed, (unsigned long long)s->blocks,
               (unsigned long long)s->blocks_skipped, (unsigned long long)s->dense_blocks,
               (double)s->upload_bytes / 1e6, (double)s->download_bytes / 1e6, xbuf,
               (double)s->candidates, (double)r->matches, (double)r->csv_bytes / 1e6,
               work / fmax(s->kernel_s + s->select_kernel_s, 1e-9), (double)s->dense_products, r->max_diff,
               (unsigned long long)(r->naive.near_ties + r->ref.near_ties), ok ? "ok" : "FAILED");
    }
    if (c->mode == MODE_MATRIX)
        printf("(matrix: out %.3g MB of floats per pass; copy bandwidth %.1f GB/s)\n",
               b->cells * 4 / 1e6, b->copy_bw / 1e9);
    for (int k = 0; k < nb; k++) {
        const result *r = &res[k];
        const tk_check *cr[] = {&r->own, &r->naive, &r->ref};
        const char *what[] = {"the API's promises", "the naive reference", "the cpu reference"};
        for (int w = 0; w < 3; w++)
            if (cr[w]->rows_bad)
                fprintf(stderr, "textsim-bench: %s (%s) breaks %s in %llu rows; first: %s\n",
                        r->backend, r->device, what[w], (unsigned long long)cr[w]->rows_bad,
                        cr[w]->first);
        if (!isnan(r->max_diff) && r->max_diff > c->max_diff)
            fprintf(stderr, "textsim-bench: %s (%s) differs from the cpu reference by %g > %g\n",
                    r->backend, r->device, r->max_diff, c->max_diff);
    }
    return bad;
}

/* --json: the same figures for plots. */
static void write_json(const bench *b)
{
    const config *c = b->c;
    const prep p = b->p;
    const result *res = b->res;
    const ts_pairs_options po = b->po;
    size_t n = b->n;
    int nb = b->nb;
    if (!c->json_path)
        return;
    FILE *f = fopen(c->json_path, "w");
    if (!f)
        die_errno("cannot create", c->json_path);
    fprintf(f, "{\"mode\": \"%s\", \"top_k\": %u, \"min_score\": %g, \"cross_source\": %d, "
               "\"statements\": %zu, \"sources\": %zu, \"terms\": %zu, \"nnz\": %zu, "
               "\"digest\": \"%016llx\", \"cells\": %.0f, \"madds\": %.0f, "
               "\"read_s\": %.6f, \"read_bytes\": %llu, \"segment_s\": %.6f, "
               "\"tokenize_s\": %.6f, \"tokens\": %llu, \"vectorize_s\": %.6f, "
               "\"host_copy_gbs\": %.3f, \"peak_rss_mb\": %.1f, \"runs\": [",
            mode_name(c->mode), po.top_k, po.min_score, po.cross_source, n,
            ts_corpus_source_count(b->corpus), b->cols, b->nnz, (unsigned long long)b->digest, b->cells,
            b->madds, p.read_s, (unsigned long long)p.bytes, p.segment_s, p.tokenize_s,
            (unsigned long long)p.tokens, p.tfidf_s, b->copy_bw / 1e9, b->peak_mb);
    for (int k = 0; k < nb; k++) {
        const result *r = &res[k];
        const ts_engine_stats *s = &r->st;
        fprintf(f, "%s{\"backend\": ", k ? ", " : "");
        json_string(f, r->backend);
        fprintf(f, ", \"device\": ");
        json_string(f, r->device);
        fprintf(f, ", \"startup_s\": %.6f, \"build_s\": %.6f, \"first_s\": %.6f, "
                   "\"similarity_s\": %.6f, \"upload_s\": %.6f, \"kernel_s\": %.6f, "
                   "\"select_kernel_s\": %.6f, \"download_s\": %.6f, \"select_s\": %.6f, \"write_s\": %.6f, "
                   "\"upload_bytes\": %llu, \"download_bytes\": %llu, \"blocks\": %llu, "
                   "\"blocks_skipped\": %llu, \"dense_blocks\": %llu, \"dense_products\": %llu, "
                   "\"pairs\": %llu, "
                   "\"candidates\": %llu, \"matches\": %llu, \"csv_bytes\": %llu, "
                   "\"near_ties\": %llu, \"ok\": %s, \"max_diff\": ",
                r->create_s, r->build.build_s, r->first_s, r->steady_s, s->upload_s,
                s->kernel_s, s->select_kernel_s, s->download_s, s->select_s, r->write_s,
                (unsigned long long)s->upload_bytes, (unsigned long long)s->download_bytes,
                (unsigned long long)s->blocks, (unsigned long long)s->blocks_skipped,
                (unsigned long long)s->dense_blocks, (unsigned long long)s->dense_products,
                (unsigned long long)s->pairs,
                (unsigned long long)s->candidates, (unsigned long long)r->matches,
                (unsigned long long)r->csv_bytes,
                (unsigned long long)(r->naive.near_ties + r->ref.near_ties),
                result_ok(r, c->max_diff) ? "true" : "false");
        if (isnan(r->max_diff))
            fprintf(f, "null}");
        else
            fprintf(f, "%.3g}", r->max_diff);
    }
    fprintf(f, "]}\n");
    if (fclose(f) != 0)
        die_errno("cannot write", c->json_path);
}

/* --csv: one row per backend. */
static void write_csv(const bench *b)
{
    const config *c = b->c;
    const prep p = b->p;
    const result *res = b->res;
    const ts_pairs_options po = b->po;
    size_t n = b->n;
    int nb = b->nb;
    if (!c->csv_path)
        return;
    FILE *f = fopen(c->csv_path, "w");
    if (!f)
        die_errno("cannot create", c->csv_path);
    fprintf(f, "mode,top_k,min_score,cross_source,statements,terms,nnz,backend,device,read_s,"
               "segment_s,tokenize_s,vectorize_s,startup_s,build_s,first_s,similarity_s,"
               "upload_s,kernel_s,select_kernel_s,download_s,select_s,write_s,upload_bytes,download_bytes,"
               "pairs,candidates,matches,csv_bytes,pairs_per_s,max_diff,ok\n");
    for (int k = 0; k < nb; k++) {
        const result *r = &res[k];
        const ts_engine_stats *s = &r->st;
        fprintf(f, "%s,%u,%g,%d,%zu,%zu,%zu,%s,\"%s\",%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,"
                   "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%llu,%llu,%llu,%llu,%llu,%llu,%.6g,%.3g,%d\n",
                mode_name(c->mode), po.top_k, po.min_score, po.cross_source, n, b->cols, b->nnz,
                r->backend, r->device, p.read_s, p.segment_s, p.tokenize_s, p.tfidf_s,
                r->create_s, r->build.build_s, r->first_s, r->steady_s, s->upload_s,
                s->kernel_s, s->select_kernel_s, s->download_s, s->select_s, r->write_s,
                (unsigned long long)s->upload_bytes, (unsigned long long)s->download_bytes,
                (unsigned long long)s->pairs, (unsigned long long)s->candidates,
                (unsigned long long)r->matches, (unsigned long long)r->csv_bytes,
                b->ideal / fmax(r->steady_s + r->write_s, 1e-9),
                isnan(r->max_diff) ? 0.0 : r->max_diff, result_ok(r, c->max_diff));
    }
    if (fclose(f) != 0)
        die_errno("cannot write", c->csv_path);
}

int main(int argc, char **argv)
{
    config cfg;
    parse(argc, argv, &cfg);
    bench b = {.c = &cfg};
    b.corpus = load_corpus(&cfg, &b.p);
    if (!b.corpus)
        return 0;
    b.digest = corpus_digest(b.corpus);
    vectorize(&b);
    prepare_checks(&b);
    char specs[MAX_BACKENDS][32];
    b.nb = backend_options(&cfg, b.eo, specs, &b.devs);
    if (cfg.mode == MODE_MATRIX)
        run_matrix_mode(&b);
    else
        run_pairs_mode(&b);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    b.peak_mb = (double)ru.ru_maxrss / 1024.0;
    int bad = print_report(&b);
    write_json(&b);
    write_csv(&b);
    tk_lists_free(&b.naive);
    free(b.groups);
    free(b.check_rows);
    ts_devices_free(b.devs);
    ts_tfidf_free(b.tfidf);
    ts_corpus_free(b.corpus);
    return bad;
}
