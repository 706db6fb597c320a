/*
 * report.c - textsim-bench's figures (bench.h).
 *
 * The work counted (pairs computed; multiply-adds = sum over terms of df^2
 * for the full matrix, what a sparse product must do) and the bytes (CSR
 * in, floats or candidates out, CSV out), the transfer rates against the
 * host's measured copy bandwidth; the tables on stdout and the failed
 * checks on stderr, and the same figures as --json and --csv for plots.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

int bench_result_ok(const result *r, double max_allowed)
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
        double t0 = bench_now();
        memcpy(b, a, bytes);
        double t = bench_now() - t0;
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
double bench_host_copy_bandwidth(void)
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

/* The tables on stdout, the failures on stderr; 1 when a check failed. */
int bench_print_report(const bench *b)
{
    const config *c = b->c;
    const prep p = b->p;
    const result *res = b->res;
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
    c->runner->describe(b);
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
        double computed = c->runner->all_cells ? b->cells : (double)s->pairs;
        double work = b->madds * computed / fmax(b->cells, 1); /* computed share of sum df^2 */
        int ok = bench_result_ok(r, c->max_diff);
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
    if (c->runner->all_cells)
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

/* The file of --json or --csv (NULL when not asked for); a failure ends the run. */
static FILE *figures_create(const char *path)
{
    if (!path)
        return NULL;
    FILE *f = fopen(path, "w");
    if (!f)
        bench_die_errno("cannot create", path);
    return f;
}

static void figures_close(FILE *f, const char *path)
{
    if (fclose(f) != 0)
        bench_die_errno("cannot write", path);
}

/* --json: the same figures for plots. */
void bench_write_json(const bench *b)
{
    const config *c = b->c;
    FILE *f = figures_create(c->json_path);
    if (!f)
        return;
    fprintf(f, "{\"mode\": \"%s\", \"top_k\": %u, \"min_score\": %g, \"cross_source\": %d, "
               "\"statements\": %zu, \"sources\": %zu, \"terms\": %zu, \"nnz\": %zu, "
               "\"digest\": \"%016llx\", \"cells\": %.0f, \"madds\": %.0f, "
               "\"read_s\": %.6f, \"read_bytes\": %llu, \"segment_s\": %.6f, "
               "\"tokenize_s\": %.6f, \"tokens\": %llu, \"vectorize_s\": %.6f, "
               "\"host_copy_gbs\": %.3f, \"peak_rss_mb\": %.1f, \"runs\": [",
            c->runner->name, b->po.top_k, b->po.min_score, b->po.cross_source, b->n,
            ts_corpus_source_count(b->corpus), b->cols, b->nnz, (unsigned long long)b->digest, b->cells,
            b->madds, b->p.read_s, (unsigned long long)b->p.bytes, b->p.segment_s, b->p.tokenize_s,
            (unsigned long long)b->p.tokens, b->p.tfidf_s, b->copy_bw / 1e9, b->peak_mb);
    for (int k = 0; k < b->nb; k++) {
        const result *r = &b->res[k];
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
                bench_result_ok(r, c->max_diff) ? "true" : "false");
        if (isnan(r->max_diff))
            fprintf(f, "null}");
        else
            fprintf(f, "%.3g}", r->max_diff);
    }
    fprintf(f, "]}\n");
    figures_close(f, c->json_path);
}

/* --csv: one row per backend. */
void bench_write_csv(const bench *b)
{
    const config *c = b->c;
    FILE *f = figures_create(c->csv_path);
    if (!f)
        return;
    fprintf(f, "mode,top_k,min_score,cross_source,statements,terms,nnz,backend,device,read_s,"
               "segment_s,tokenize_s,vectorize_s,startup_s,build_s,first_s,similarity_s,"
               "upload_s,kernel_s,select_kernel_s,download_s,select_s,write_s,upload_bytes,download_bytes,"
               "pairs,candidates,matches,csv_bytes,pairs_per_s,max_diff,ok\n");
    for (int k = 0; k < b->nb; k++) {
        const result *r = &b->res[k];
        const ts_engine_stats *s = &r->st;
        fprintf(f, "%s,%u,%g,%d,%zu,%zu,%zu,%s,\"%s\",%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,"
                   "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%llu,%llu,%llu,%llu,%llu,%llu,%.6g,%.3g,%d\n",
                c->runner->name, b->po.top_k, b->po.min_score, b->po.cross_source, b->n, b->cols, b->nnz,
                r->backend, r->device, b->p.read_s, b->p.segment_s, b->p.tokenize_s, b->p.tfidf_s,
                r->create_s, r->build.build_s, r->first_s, r->steady_s, s->upload_s,
                s->kernel_s, s->select_kernel_s, s->download_s, s->select_s, r->write_s,
                (unsigned long long)s->upload_bytes, (unsigned long long)s->download_bytes,
                (unsigned long long)s->pairs, (unsigned long long)s->candidates,
                (unsigned long long)r->matches, (unsigned long long)r->csv_bytes,
                b->ideal / fmax(r->steady_s + r->write_s, 1e-9),
                isnan(r->max_diff) ? 0.0 : r->max_diff, bench_result_ok(r, c->max_diff));
    }
    figures_close(f, c->csv_path);
}
