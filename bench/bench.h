/*
 * bench.h - what textsim-bench's driver and its runners share (internal).
 *
 * The driver (main.c) reads the options, loads the corpus (corpus.c),
 * builds its TF-IDF, samples the statements the checks look at and lists
 * the backends to compare (backends.c); the runner of --mode (run_matrix.c, run_topk.c,
 * run_threshold.c; the last two over run_pairs.c) runs the work on every
 * backend and checks it; report.c prints the tables and writes --json and
 * --csv.  A new mode is one more runner in main.c's table.
 */
#ifndef TS_BENCH_H
#define TS_BENCH_H

#include <stdint.h>

#include "common/pairs_ref.h"
#include "textsim.h"

#define MAX_BACKENDS 16
#define MAX_INPUTS 64

typedef struct bench bench;
typedef struct bench_runner bench_runner;

typedef struct config {
    size_t synth, vocab, sources, check_rows, tile;
    uint64_t seed, max_device_memory;
    int repeat, precision, cross_source, corpus_only, inject_fault;
    long top_k;       /* -1: not given */
    double min_score; /* NAN: not given */
    double max_diff;
    const bench_runner *runner; /* --mode */
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

/* What one backend did. */
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

/* One run of the bench: the corpus, its TF-IDF, the sampled checks and
 * what each backend did. */
struct bench {
    const config *c;
    prep p;
    ts_corpus *corpus;
    ts_tfidf *tfidf;
    uint64_t digest;
    size_t n, cols, nnz;
    double madds, cells, bytes_in, copy_bw, peak_mb;
    double ideal; /* the pairs the mode stands for (the runner's prepare sets it) */
    size_t ncheck, *check_rows;
    ts_pairs_options po;
    uint32_t *groups;
    tk_lists naive; /* pairs: the naive reference of the sampled rows */
    double naive_s;
    int nb;
    ts_engine_options eo[MAX_BACKENDS];
    result res[MAX_BACKENDS];
    ts_device_info *devs;
};

/* One --mode. */
struct bench_runner {
    const char *name; /* the --mode value, and the mode of --json and --csv */
    /* What is wrong with the options for this mode, or NULL. */
    const char *(*check)(const config *c);
    /* After the sampled rows are chosen: the mode's pairs options, its
     * references, b->ideal. */
    void (*prepare)(bench *b);
    /* Every backend (cpu first, the reference), checked. */
    void (*run)(bench *b);
    /* The report's "mode:" line. */
    void (*describe)(const bench *b);
    int all_cells; /* 1: computes every cell of the matrix; --repeat must be >= 1 */
};

extern const bench_runner bench_matrix, bench_topk, bench_threshold;

/* util.c: the clock (seconds, monotonic) and fatal errors (exit 1). */
double bench_now(void);
void bench_die(const char *what, ts_status st, const ts_diag *d);
void bench_die_errno(const char *what, const char *path);

/* backends.c: the engine options of each backend the run compares, cpu
 * first (their count; the devices listed into *devs, specs their
 * "PLATFORM:DEVICE"); backend k's engine, its creation timed into
 * b->res[k]. */
int bench_backends(const config *c, ts_engine_options *eo, char (*specs)[32],
                   ts_device_info **devs);
ts_engine *bench_start_engine(bench *b, int k);

/* corpus.c: the corpus of the command line, or NULL when the run ends there
 * (--write-corpus, --corpus-only: what they print is printed); its digest;
 * one tokenizer pass over it (seconds; the token count in *tokens). */
ts_corpus *bench_load_corpus(const config *c, prep *p);
uint64_t bench_corpus_digest(const ts_corpus *c);
double bench_tokenize_pass(const ts_corpus *c, const ts_vectorizer_options *vo, uint64_t *tokens);

/* run_pairs.c: the pairs modes' shared prepare (b->po from top_k and
 * min_score, the naive reference), run and "mode:" line. */
void bench_pairs_prepare(bench *b, uint32_t top_k, float min_score);
void bench_pairs_run(bench *b);
void bench_pairs_describe(const bench *b);

/* report.c: 1 when r passed every check; the host's copy bandwidth; the
 * tables (returns 1 when a check failed), --json, --csv. */
int bench_result_ok(const result *r, double max_allowed);
double bench_host_copy_bandwidth(void);
int bench_print_report(const bench *b);
void bench_write_json(const bench *b);
void bench_write_csv(const bench *b);

#endif
