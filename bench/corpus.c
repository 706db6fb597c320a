/*
 * corpus.c - textsim-bench's corpora (bench.h).
 *
 * Synthetic (Zipfian words, news-like lengths, seeded, any N, spread over
 * --sources sources), news-mix CSV files, or any input textsim reads;
 * --write-corpus writes one file per source, one statement per line, and
 * --corpus-only prints the count and a digest, so that a written corpus can
 * be checked to read back as the same statements.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "bench.h"
#include "common/synth.h"
#include "text/tokenize.h"

static void write_all(FILE *f, const char *path, const void *data, size_t n)
{
    if (n && fwrite(data, 1, n, f) != n)
        bench_die_errno("cannot write", path);
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
                bench_die_errno("cannot create", path);
        }
        text.len = 0;
        double t0 = bench_now();
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
        p->read_s += bench_now() - t0;
        p->bytes += text.len;
        if (f) {
            write_all(f, path, text.data, text.len);
            if (fclose(f) != 0)
                bench_die_errno("cannot write", path);
            continue;
        }
        t0 = bench_now();
        ts_diag d;
        ts_status st = ts_corpus_add_text(corpus, name, text.data, text.len, "synthetic", &ro, &d);
        if (st != TS_OK)
            bench_die("synthetic corpus", st, &d);
        p->segment_s += bench_now() - t0;
    }
    ts_buf_free(&text);
    tk_zipf_free(z);
}

/* news-mix: LABEL,TEXT per line, TEXT maybe double-quoted, sentences
 * separated by TAB.  Each file is one source, each sentence a statement. */
static void newsmix(ts_corpus *c, const char *path, prep *p)
{
    double t0 = bench_now();
    FILE *f = fopen(path, "rb");
    if (!f)
        bench_die_errno("cannot open", path);
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
    p->read_s += bench_now() - t0;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ro.on_invalid = TS_INVALID_REPLACE;
    const char *base = strrchr(path, '/');
    ts_diag d;
    t0 = bench_now();
    ts_status st = ts_corpus_add_text(c, base ? base + 1 : path, text.data, text.len, path, &ro, &d);
    ts_buf_free(&text);
    if (st != TS_OK)
        bench_die(path, st, &d);
    p->segment_s += bench_now() - t0;
}

/* Reads a file's bytes (and discards them): the read stage of a file input,
 * which also leaves the file in the page cache for the segment stage. */
static uint64_t read_file_bytes(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        bench_die_errno("cannot open", path);
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
    double t0 = bench_now();
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        DIR *dir = opendir(path);
        if (!dir)
            bench_die_errno("cannot open", path);
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
    p->read_s += bench_now() - t0;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = segment;
    ts_diag d;
    t0 = bench_now();
    ts_status st = ts_corpus_add_path(c, path, &ro, &d);
    if (st != TS_OK)
        bench_die(path, st, &d);
    p->segment_s += bench_now() - t0;
}

/* --write-corpus: DIR is created, or must hold no visible entry (every
 * visible file in it would be read as a source). */
static void prepare_corpus_dir(const char *dir)
{
    if (mkdir(dir, 0777) == 0)
        return;
    if (errno != EEXIST)
        bench_die_errno("cannot create the directory", dir);
    DIR *d = opendir(dir);
    if (!d)
        bench_die_errno("cannot open", dir);
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
            bench_die_errno("cannot create", path);
        size_t first, count;
        ts_corpus_source_range(c, src, &first, &count);
        for (size_t i = first; i < first + count; i++) {
            ts_statement s = ts_corpus_statement(c, i);
            write_all(f, path, s.text, s.length);
            write_all(f, path, "\n", 1);
        }
        if (fclose(f) != 0)
            bench_die_errno("cannot write", path);
    }
}

/* FNV-1a over every statement's source name and text, in order. */
uint64_t bench_corpus_digest(const ts_corpus *c)
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
double bench_tokenize_pass(const ts_corpus *c, const ts_vectorizer_options *vo, uint64_t *tokens)
{
    ts_tokenizer *tok;
    ts_diag d;
    ts_status st = ts_tokenizer_create(&tok, vo, &d);
    if (st != TS_OK)
        bench_die("tokenizer", st, &d);
    *tokens = 0;
    double t0 = bench_now();
    for (size_t i = 0; i < ts_corpus_statement_count(c) && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(c, i);
        st = ts_tokenizer_run(tok, s.text, s.length, count_token, tokens, &d);
    }
    double t = bench_now() - t0;
    if (st != TS_OK)
        bench_die("tokenize", st, &d);
    ts_tokenizer_free(tok);
    return t;
}

ts_corpus *bench_load_corpus(const config *c, prep *p)
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
        bench_die("corpus", TS_ERR_NOMEM, NULL);
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
               (unsigned long long)bench_corpus_digest(corpus));
        ts_corpus_free(corpus);
        return NULL;
    }
    return corpus;
}
