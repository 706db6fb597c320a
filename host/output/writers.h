/*
 * writers.h - textsim's output formats (internal).
 *
 *   statements.csv  id,source,index,offset,text
 *   matrix (.csv)   id,<id 1>,...,<id N> then one row per statement
 *   matrix (.npy)   NumPy v1.0 '<f4' C-order N x N array (numpy.load reads it)
 *   tfidf (.csv)    statement,term,weight: one row per non-zero
 *
 * All of them go through ts_outfile, so a file appears complete or not at all.
 */
#ifndef TS_WRITERS_H
#define TS_WRITERS_H

#include "base/buf.h"
#include "outfile.h"
#include "textsim.h"

typedef struct ts_write_options {
    int precision;       /* decimals of CSV numbers (0..9) */
    int escape_formulas; /* guard text cells against spreadsheet formulas */
    int threads;         /* threads formatting a CSV matrix; 0: one per online CPU (<= 8) */
} ts_write_options;

/* Write b's content to f and empty b, or, unless force, wait until b holds
 * 64 KiB; a failed allocation in b is reported as TS_ERR_NOMEM. */
ts_status ts_write_buffered(ts_outfile *f, ts_buf *b, int force, ts_diag *diag);

/* A table: the header line, then row(user, i, b) for i = 0 .. rows - 1, each
 * appending its line(s) to b, written to f in pieces of about 64 KiB (so
 * memory stays bounded by a piece); the first error stops it. */
typedef void (*ts_row_fn)(void *user, size_t i, ts_buf *b);
ts_status ts_write_table(ts_outfile *f, const char *header, size_t rows, ts_row_fn row,
                         void *user, ts_diag *diag);

/* "SOURCE:INDEX", the id of statement i, appended as it is (not escaped). */
void ts_put_statement_id(ts_buf *b, const ts_corpus *corpus, size_t i);

/* "ID,SOURCE,INDEX,OFFSET": the first four columns of both statements.csv. */
void ts_put_statement_head(ts_buf *b, const ts_corpus *corpus, const ts_statement *s,
                           int escape);

/* Whole statements.csv into an open file (not published). */
ts_status ts_write_statements(ts_outfile *f, const ts_corpus *corpus,
                              const ts_write_options *opt, ts_diag *diag);

/* TF-IDF long format into an open file (not published). */
ts_status ts_write_tfidf(ts_outfile *f, const ts_corpus *corpus, const ts_tfidf *tfidf,
                         const ts_write_options *opt, ts_diag *diag);

typedef enum ts_matrix_format { TS_MATRIX_CSV = 0, TS_MATRIX_NPY } ts_matrix_format;

/* NPY when path ends in ".npy", else CSV. */
ts_matrix_format ts_matrix_format_for(const char *path);

typedef struct ts_matrix_writer ts_matrix_writer;

/* The writer receives row strips (ts_tile with col0 = 0, ncols = N) in order
 * through ts_matrix_writer_tile, a ts_tile_fn. */
ts_status ts_matrix_writer_open(ts_matrix_writer **out, ts_outfile *f, ts_matrix_format fmt,
                                const ts_corpus *corpus, const ts_write_options *opt,
                                ts_diag *diag);
ts_status ts_matrix_writer_tile(void *writer, const ts_tile *tile);
/* CSV rows whose numbers were formatted elsewhere (textsim-mpi's ranks):
 * rows [row0, row0 + nrows), row r's numbers in lens[r] bytes of text, one
 * row after the other, as ts_matrix_csv_numbers made them; the writer adds
 * each row's id and line end. */
ts_status ts_matrix_writer_text(ts_matrix_writer *w, size_t row0, size_t nrows, const char *text,
                                const uint32_t *lens);
/* Append to b the numbers of every row of t as the CSV matrix holds them
 * (",v1,...,vn" at precision), row r's length to lens[r]. */
void ts_matrix_csv_numbers(ts_buf *b, uint32_t *lens, const ts_tile *t, int precision);
/* The diag of the last failure inside ts_matrix_writer_tile. */
const ts_diag *ts_matrix_writer_diag(const ts_matrix_writer *w);
/* Checks every row arrived; frees the writer (not the file). */
ts_status ts_matrix_writer_finish(ts_matrix_writer *w, ts_diag *diag);
void ts_matrix_writer_free(ts_matrix_writer *w);

#endif
