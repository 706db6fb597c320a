/*
 * matches.c - the engine's matches as CSV lines (pairs, search).
 *
 * The engine's callback delivers one statement's matches at a time, in
 * statement order; each becomes CSV lines (A,B,score,rank[,text_a,text_b])
 * in a buffer that goes to the output every 64 KiB, so memory stays
 * bounded by the engine's lists.  The matched statements are a corpus's
 * (pairs, pairs --against) or an index's (search).
 */
#include "base/diag.h"
#include "cli.h"
#include "output/csv_cells.h"
#include "output/outfile.h"

void cli_matches_header(cli_matches *w, const char *a, const char *b, const char *text_a,
                        const char *text_b)
{
    ts_diag_clear(&w->diag);
    ts_buf_printf(&w->line, "%s,%s,score,rank", a, b);
    if (w->with_text)
        ts_buf_printf(&w->line, ",%s,%s", text_a, text_b);
    ts_buf_putc(&w->line, '\n');
}

static size_t matched_count(const cli_matches *w)
{
    return w->matched ? ts_corpus_statement_count(w->matched) : ts_index_statement_count(w->index);
}

ts_status cli_matches_write(void *user, uint32_t statement, const ts_match *matches, size_t n)
{
    cli_matches *w = user;
    if (statement != w->next || statement >= w->statements)
        return TS_FAIL(&w->diag, TS_ERR_INTERNAL,
                       "matches writer got statement %lu; expected statement %zu of %zu",
                       (unsigned long)statement, w->next, w->statements);
    w->next++;
    ts_statement a = ts_corpus_statement(w->corpus, statement);
    const char *a_source = ts_corpus_source_name(w->corpus, a.source);
    int esc = w->opt.escape_formulas;
    ts_status st = TS_OK;
    for (size_t r = 0; r < n && st == TS_OK; r++) {
        if (matches[r].statement >= matched_count(w))
            return TS_FAIL(&w->diag, TS_ERR_INTERNAL,
                           "matches writer got match %lu of %zu statements",
                           (unsigned long)matches[r].statement, matched_count(w));
        ts_statement b = w->matched ? ts_corpus_statement(w->matched, matches[r].statement)
                                    : ts_index_statement(w->index, matches[r].statement);
        const char *b_source = w->matched ? ts_corpus_source_name(w->matched, b.source)
                                          : ts_index_source_name(w->index, b.source);
        ts_csv_id(&w->line, a_source, a.index, esc);
        ts_buf_putc(&w->line, ',');
        ts_csv_id(&w->line, b_source, b.index, esc);
        ts_buf_putc(&w->line, ',');
        ts_csv_fixed(&w->line, matches[r].score, w->opt.precision);
        ts_buf_printf(&w->line, ",%zu", r + 1);
        if (w->with_text) {
            ts_buf_putc(&w->line, ',');
            ts_csv_text(&w->line, a.text, a.length, esc);
            ts_buf_putc(&w->line, ',');
            ts_csv_text(&w->line, b.text, b.length, esc);
        }
        ts_buf_putc(&w->line, '\n');
        st = ts_write_buffered(w->file, &w->line, 0, &w->diag);
    }
    w->lines += n;
    /* The progress bar takes row strips; a statement is a strip of one row. */
    ts_tile done = {statement, 1, 0, 0, 0, NULL};
    if (st == TS_OK)
        cli_progress_tile(&w->progress, &done);
    return st;
}

ts_status cli_matches_finish(cli_matches *w, ts_status st)
{
    cli_progress_done(&w->progress);
    if (st == TS_OK && w->next != w->statements)
        st = TS_FAIL(&w->diag, TS_ERR_INTERNAL, "matches writer got %zu of %zu statements",
                     w->next, w->statements);
    if (st == TS_OK)
        st = ts_write_buffered(w->file, &w->line, 1, &w->diag);
    return st;
}

void cli_note_engine_stats(const cli_options *opt, const ts_engine *engine, double seconds)
{
    ts_engine_stats s;
    ts_engine_get_stats(engine, &s);
    cli_note(opt,
             "pairs in %.3f s: upload %.3f s, similarity kernels %.3f s, selection kernels %.3f s, "
             "download %.3f s, host select %.3f s; "
             "%llu blocks (%llu skipped, %llu on the host), %llu similarities, %llu candidates, "
             "%.1f MB up, %.1f MB down",
             seconds, s.upload_s, s.kernel_s, s.select_kernel_s, s.download_s, s.select_s,
             (unsigned long long)s.blocks,
             (unsigned long long)s.blocks_skipped, (unsigned long long)s.dense_blocks,
             (unsigned long long)s.pairs, (unsigned long long)s.candidates,
             (double)s.upload_bytes / 1e6, (double)s.download_bytes / 1e6);
    if (s.products || s.pairs_pruned)
        cli_note(opt,
                 "pruned pass: %llu pairs scored, %llu pruned; %llu postings scanned of the "
                 "%llu products of a full sparse product",
                 (unsigned long long)s.pairs, (unsigned long long)s.pairs_pruned,
                 (unsigned long long)s.products, (unsigned long long)s.products_full);
    if (s.dense_products)
        cli_note(opt, "dense front: %llu multiply-adds of the most frequent terms, dense",
                 (unsigned long long)s.dense_products);
}
