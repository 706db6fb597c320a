/*
 * writers.c - statements, similarity matrix and TF-IDF outputs.
 *
 * Each writer formats one row at a time into a ts_buf and writes it with one
 * call, so memory stays bounded by a row (a strip for the matrix).  Numbers use
 * ts_csv_fixed; text cells use ts_csv_text (RFC 4180 quoting, optional formula
 * guard).  The NPY header follows NumPy's format spec v1.0, padded to 64 bytes.
 */
#include "writers.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "diag.h"

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

static void put_id(ts_buf *b, const ts_corpus *c, const ts_statement *s, int escape)
{
    ts_csv_id(b, ts_corpus_source_name(c, s->source), s->index, escape);
}

ts_status ts_write_statements(ts_outfile *f, const ts_corpus *corpus,
                              const ts_write_options *opt, ts_diag *diag)
{
    ts_buf b = {0};
    ts_buf_puts(&b, "id,source,index,offset,text\n");
    ts_status st = TS_OK;
    size_t n = ts_corpus_statement_count(corpus);
    for (size_t i = 0; i < n && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        const char *src = ts_corpus_source_name(corpus, s.source);
        put_id(&b, corpus, &s, opt->escape_formulas);
        ts_buf_putc(&b, ',');
        ts_csv_text(&b, src, strlen(src), opt->escape_formulas);
        ts_buf_printf(&b, ",%lu,%llu,", (unsigned long)s.index, (unsigned long long)s.offset);
        ts_csv_text(&b, s.text, s.length, opt->escape_formulas);
        ts_buf_putc(&b, '\n');
        st = ts_write_buffered(f, &b, 0, diag);
    }
    if (st == TS_OK)
        st = ts_write_buffered(f, &b, 1, diag);
    ts_buf_free(&b);
    return st;
}

ts_status ts_write_tfidf(ts_outfile *f, const ts_corpus *corpus, const ts_tfidf *tfidf,
                         const ts_write_options *opt, ts_diag *diag)
{
    ts_buf b = {0};
    ts_buf_puts(&b, "statement,term,weight\n");
    ts_status st = TS_OK;
    size_t n = ts_tfidf_rows(tfidf);
    for (size_t i = 0; i < n && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        const uint32_t *cols;
        const float *vals;
        size_t k = ts_tfidf_row(tfidf, i, &cols, &vals);
        for (size_t j = 0; j < k; j++) {
            const char *term = ts_tfidf_term(tfidf, cols[j]);
            put_id(&b, corpus, &s, opt->escape_formulas);
            ts_buf_putc(&b, ',');
            ts_csv_text(&b, term, strlen(term), opt->escape_formulas);
            ts_buf_putc(&b, ',');
            ts_csv_fixed(&b, vals[j], opt->precision);
            ts_buf_putc(&b, '\n');
        }
        st = ts_write_buffered(f, &b, 0, diag);
    }
    if (st == TS_OK)
        st = ts_write_buffered(f, &b, 1, diag);
    ts_buf_free(&b);
    return st;
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
    for (size_t r = 0; r < t->nrows && st == TS_OK; r++) {
        const float *row = t->scores + r * t->ld;
        if (w->format == TS_MATRIX_NPY) {
            st = ts_outfile_write(w->file, row, t->ncols * sizeof(float), &w->diag);
            continue;
        }
        ts_statement s = ts_corpus_statement(w->corpus, t->row0 + r);
        put_id(&w->line, w->corpus, &s, w->opt.escape_formulas);
        ts_csv_fixed_row(&w->line, row, t->ncols, w->opt.precision);
        ts_buf_putc(&w->line, '\n');
        st = ts_write_buffered(w->file, &w->line, 1, &w->diag);
    }
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
