/*
 * writers.c - statements, similarity matrix and TF-IDF outputs.
 *
 * Each writer formats one row at a time into a ts_buf and writes it with one
 * call, so memory stays bounded by a row; the CSV matrix formats runs of
 * rows on several threads (a few MB of text each) and writes them in order.  Numbers use
 * ts_csv_fixed; text cells use ts_csv_text (RFC 4180 quoting, optional formula
 * guard).  The NPY header follows NumPy's format spec v1.0, padded to 64 bytes.
 */
#include "writers.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "csv_cells.h"

ts_status ts_write_buffered(ts_outfile *f, ts_buf *b, int force, ts_diag *diag)
{
    if (b->failed)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory formatting output");
    if (!force && b->len < (1u << 16))
        return TS_OK;
    ts_status st = ts_outfile_write(f, b->data, b->len, diag);
    b->len = 0;
    return st;
}

ts_status ts_write_table(ts_outfile *f, const char *header, size_t rows, ts_row_fn row,
                         void *user, ts_diag *diag)
{
    ts_buf b = {0};
    ts_buf_puts(&b, header);
    ts_status st = TS_OK;
    for (size_t i = 0; i < rows && st == TS_OK; i++) {
        row(user, i, &b);
        st = ts_write_buffered(f, &b, 0, diag);
    }
    if (st == TS_OK)
        st = ts_write_buffered(f, &b, 1, diag);
    ts_buf_free(&b);
    return st;
}

static void put_id(ts_buf *b, const ts_corpus *c, const ts_statement *s, int escape)
{
    ts_csv_id(b, ts_corpus_source_name(c, s->source), s->index, escape);
}

void ts_put_statement_id(ts_buf *b, const ts_corpus *corpus, size_t i)
{
    ts_statement s = ts_corpus_statement(corpus, i);
    ts_buf_printf(b, "%s:%lu", ts_corpus_source_name(corpus, s.source), (unsigned long)s.index);
}

void ts_put_statement_head(ts_buf *b, const ts_corpus *corpus, const ts_statement *s,
                           int escape)
{
    const char *src = ts_corpus_source_name(corpus, s->source);
    put_id(b, corpus, s, escape);
    ts_buf_putc(b, ',');
    ts_csv_text(b, src, strlen(src), escape);
    ts_buf_printf(b, ",%lu,%llu", (unsigned long)s->index, (unsigned long long)s->offset);
}

typedef struct table_ctx {
    const ts_corpus *corpus;
    const ts_tfidf *tfidf;
    const ts_write_options *opt;
} table_ctx;

static void statement_row(void *user, size_t i, ts_buf *b)
{
    const table_ctx *t = user;
    ts_statement s = ts_corpus_statement(t->corpus, i);
    ts_put_statement_head(b, t->corpus, &s, t->opt->escape_formulas);
    ts_buf_putc(b, ',');
    ts_csv_text(b, s.text, s.length, t->opt->escape_formulas);
    ts_buf_putc(b, '\n');
}

ts_status ts_write_statements(ts_outfile *f, const ts_corpus *corpus,
                              const ts_write_options *opt, ts_diag *diag)
{
    table_ctx t = {corpus, NULL, opt};
    return ts_write_table(f, "id,source,index,offset,text\n", ts_corpus_statement_count(corpus),
                          statement_row, &t, diag);
}

static void tfidf_rows(void *user, size_t i, ts_buf *b)
{
    const table_ctx *t = user;
    ts_statement s = ts_corpus_statement(t->corpus, i);
    const uint32_t *cols;
    const float *vals;
    size_t k = ts_tfidf_row(t->tfidf, i, &cols, &vals);
    for (size_t j = 0; j < k; j++) {
        if (vals[j] == 0.0f) /* a name weighted by 0 (--name-weight 0) is stored */
            continue;
        const char *term = ts_tfidf_term(t->tfidf, cols[j]);
        put_id(b, t->corpus, &s, t->opt->escape_formulas);
        ts_buf_putc(b, ',');
        ts_csv_text(b, term, strlen(term), t->opt->escape_formulas);
        ts_buf_putc(b, ',');
        ts_csv_fixed(b, vals[j], t->opt->precision);
        ts_buf_putc(b, '\n');
    }
}

ts_status ts_write_tfidf(ts_outfile *f, const ts_corpus *corpus, const ts_tfidf *tfidf,
                         const ts_write_options *opt, ts_diag *diag)
{
    table_ctx t = {corpus, tfidf, opt};
    return ts_write_table(f, "statement,term,weight\n", ts_tfidf_rows(tfidf), tfidf_rows, &t,
                          diag);
}

ts_matrix_format ts_matrix_format_for(const char *path)
{
    size_t n = strlen(path);
    return n >= 4 && strcmp(path + n - 4, ".npy") == 0 ? TS_MATRIX_NPY : TS_MATRIX_CSV;
}

struct ts_matrix_writer {
    ts_outfile *file;
    ts_matrix_format format;
    const ts_corpus *corpus;
    ts_write_options opt;
    size_t rows;      /* N */
    size_t next_row;  /* rows written so far */
    ts_buf line;
    ts_diag diag;
};

static ts_status write_npy_header(ts_matrix_writer *w)
{
    char dict[128];
    int n = snprintf(dict, sizeof dict,
                     "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, %zu), }", w->rows,
                     w->rows);
    /* magic(6) + version(2) + header length(2) + dict + padding + '\n' */
    size_t total = 10 + (size_t)n + 1;
    size_t padded = (total + 63) / 64 * 64;
    ts_buf_append(&w->line, "\x93NUMPY\x01\x00", 8);
    size_t hlen = padded - 10;
    unsigned char le[2] = {(unsigned char)(hlen & 0xff), (unsigned char)(hlen >> 8)};
    ts_buf_append(&w->line, le, 2);
    ts_buf_append(&w->line, dict, (size_t)n);
    for (size_t i = total; i < padded; i++)
        ts_buf_putc(&w->line, ' ');
    ts_buf_putc(&w->line, '\n');
    return ts_write_buffered(w->file, &w->line, 1, &w->diag);
}

static ts_status write_csv_header(ts_matrix_writer *w)
{
    ts_buf_puts(&w->line, "id");
    ts_status st = TS_OK;
    for (size_t i = 0; i < w->rows && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(w->corpus, i);
        ts_buf_putc(&w->line, ',');
        put_id(&w->line, w->corpus, &s, w->opt.escape_formulas);
        st = ts_write_buffered(w->file, &w->line, 0, &w->diag);
    }
    ts_buf_putc(&w->line, '\n');
    return st == TS_OK ? ts_write_buffered(w->file, &w->line, 1, &w->diag) : st;
}

ts_status ts_matrix_writer_open(ts_matrix_writer **out, ts_outfile *f, ts_matrix_format fmt,
                                const ts_corpus *corpus, const ts_write_options *opt,
                                ts_diag *diag)
{
    *out = NULL;
    ts_matrix_writer *w = calloc(1, sizeof *w);
    if (!w)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    w->file = f;
    w->format = fmt;
    w->corpus = corpus;
    w->opt = *opt;
    w->rows = ts_corpus_statement_count(corpus);
    ts_diag_clear(&w->diag);
    ts_status st = fmt == TS_MATRIX_NPY ? write_npy_header(w) : write_csv_header(w);
    if (st != TS_OK) {
        if (diag)
            *diag = w->diag;
        ts_matrix_writer_free(w);
        return st;
    }
    *out = w;
    return TS_OK;
}

/* Formatting is most of a CSV matrix's cost (about 60 M cells/s on one
 * core, against 2e8 similarities/s from the kernels), so a strip's rows are
 * formatted by several threads at once: each round, thread i formats its own
 * run of rows into its own buffer, and the buffers are written in row order,
 * so the bytes are those of one thread.  Hand-written on pthreads (a round
 * is a few MB of text; creating the threads costs microseconds) to keep the
 * library free of an OpenMP runtime of its own. */
#define FORMAT_ROUND_BYTES ((size_t)4 << 20) /* text per thread per round */
#define FORMAT_MAX_THREADS 8

typedef struct format_run {
    const ts_matrix_writer *w;
    const ts_tile *t;
    size_t r0, r1; /* rows of t */
    ts_buf out;
} format_run;

static void format_rows(format_run *f)
{
    const ts_matrix_writer *w = f->w;
    for (size_t r = f->r0; r < f->r1; r++) {
        ts_statement s = ts_corpus_statement(w->corpus, f->t->row0 + r);
        put_id(&f->out, w->corpus, &s, w->opt.escape_formulas);
        ts_csv_fixed_row(&f->out, f->t->scores + r * f->t->ld, f->t->ncols, w->opt.precision);
        ts_buf_putc(&f->out, '\n');
    }
}

static void *format_thread(void *arg)
{
    format_rows(arg);
    return NULL;
}

static size_t format_threads(const ts_matrix_writer *w)
{
    long n = w->opt.threads;
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > FORMAT_MAX_THREADS ? FORMAT_MAX_THREADS : (size_t)n;
}

static ts_status write_csv_rows(ts_matrix_writer *w, const ts_tile *t)
{
    format_run run[FORMAT_MAX_THREADS];
    pthread_t tid[FORMAT_MAX_THREADS];
    memset(run, 0, sizeof run);
    size_t nthreads = format_threads(w);
    /* rows per run: a few MB of text, and every thread busy on a small strip */
    size_t row_bytes = t->ncols * (size_t)(w->opt.precision + 3) + 32;
    size_t per = FORMAT_ROUND_BYTES / row_bytes, even = (t->nrows + nthreads - 1) / nthreads;
    if (per > even)
        per = even;
    if (per == 0)
        per = 1;
    ts_status st = TS_OK;
    for (size_t r = 0; r < t->nrows && st == TS_OK;) {
        size_t used = 0;
        for (; used < nthreads && r < t->nrows; used++, r += per) {
            run[used].w = w;
            run[used].t = t;
            run[used].r0 = r;
            run[used].r1 = r + per < t->nrows ? r + per : t->nrows;
            run[used].out.len = 0;
        }
        /* run 0 on this thread; a thread that cannot start runs here too */
        int started[FORMAT_MAX_THREADS] = {0};
        for (size_t i = 1; i < used; i++)
            started[i] = pthread_create(&tid[i], NULL, format_thread, &run[i]) == 0;
        format_rows(&run[0]);
        for (size_t i = 1; i < used; i++) {
            if (started[i])
                pthread_join(tid[i], NULL);
            else
                format_rows(&run[i]);
        }
        for (size_t i = 0; i < used && st == TS_OK; i++)
            st = ts_write_buffered(w->file, &run[i].out, 1, &w->diag);
    }
    for (size_t i = 0; i < nthreads; i++)
        ts_buf_free(&run[i].out);
    return st;
}

ts_status ts_matrix_writer_tile(void *writer, const ts_tile *t)
{
    ts_matrix_writer *w = writer;
    if (t->row0 != w->next_row || t->col0 != 0 || t->ncols != w->rows)
        return TS_FAIL(&w->diag, TS_ERR_INTERNAL,
                       "matrix writer got rows %zu..%zu, columns %zu..%zu; expected row %zu and "
                       "all %zu columns",
                       t->row0, t->row0 + t->nrows, t->col0, t->col0 + t->ncols, w->next_row,
                       w->rows);
    ts_status st = TS_OK;
    if (w->format == TS_MATRIX_CSV)
        st = write_csv_rows(w, t);
    for (size_t r = 0; r < t->nrows && st == TS_OK && w->format == TS_MATRIX_NPY; r++)
        st = ts_outfile_write(w->file, t->scores + r * t->ld, t->ncols * sizeof(float), &w->diag);
    w->next_row += t->nrows;
    return st;
}

ts_status ts_matrix_writer_text(ts_matrix_writer *w, size_t row0, size_t nrows, const char *text,
                                const uint32_t *lens)
{
    if (w->format != TS_MATRIX_CSV || row0 != w->next_row || nrows > w->rows - row0)
        return TS_FAIL(&w->diag, TS_ERR_INTERNAL,
                       "matrix writer got formatted rows %zu..%zu; expected CSV from row %zu",
                       row0, row0 + nrows, w->next_row);
    ts_status st = TS_OK;
    for (size_t r = 0; r < nrows && st == TS_OK; r++) {
        ts_statement s = ts_corpus_statement(w->corpus, row0 + r);
        put_id(&w->line, w->corpus, &s, w->opt.escape_formulas);
        ts_buf_append(&w->line, text, lens[r]);
        text += lens[r];
        ts_buf_putc(&w->line, '\n');
        st = ts_write_buffered(w->file, &w->line, 1, &w->diag);
    }
    w->next_row += nrows;
    return st;
}

void ts_matrix_csv_numbers(ts_buf *b, uint32_t *lens, const ts_tile *t, int precision)
{
    for (size_t r = 0; r < t->nrows; r++) {
        size_t before = b->len;
        ts_csv_fixed_row(b, t->scores + r * t->ld, t->ncols, precision);
        lens[r] = (uint32_t)(b->len - before);
    }
}

const ts_diag *ts_matrix_writer_diag(const ts_matrix_writer *w) { return &w->diag; }

ts_status ts_matrix_writer_finish(ts_matrix_writer *w, ts_diag *diag)
{
    ts_status st = TS_OK;
    if (w->next_row != w->rows)
        st = TS_FAIL(diag, TS_ERR_INTERNAL, "matrix writer got %zu of %zu rows", w->next_row,
                     w->rows);
    ts_matrix_writer_free(w);
    return st;
}

void ts_matrix_writer_free(ts_matrix_writer *w)
{
    if (!w)
        return;
    ts_buf_free(&w->line);
    free(w);
}
