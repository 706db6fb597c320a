/*
 * align_tables.c - statements.csv, alignment.csv, clusters.csv and
 * clusters.jsonl for `textsim align`.
 *
 * Same conventions as output/writers.c: one row formatted into a ts_buf, written in
 * one call, RFC 4180 cells with the formula guard, fixed-precision scores.
 * JSON Lines are produced by json-c, which escapes every string correctly.
 */
#include "align_tables.h"

#include <string.h>

#include <json-c/json.h>

#include "base/buf.h"
#include "base/diag.h"
#include "csv_cells.h"

const char *ts_statement_flag_name(unsigned flags)
{
    switch (flags & (TS_STATEMENT_SHORT | TS_STATEMENT_EXCLUDED)) {
    case TS_STATEMENT_SHORT: return "short";
    case TS_STATEMENT_EXCLUDED: return "excluded";
    case TS_STATEMENT_SHORT | TS_STATEMENT_EXCLUDED: return "short+excluded";
    default: return "";
    }
}

const char *ts_alignment_status_name(ts_alignment_status status)
{
    static const char *const names[] = {"clustered", "matched", "unique", "flagged"};
    return (unsigned)status < sizeof names / sizeof names[0] ? names[status] : "";
}

static void text_cell(ts_buf *b, const char *s, int escape)
{
    ts_csv_text(b, s, strlen(s), escape);
}

typedef struct table_ctx {
    const ts_corpus *corpus;
    const ts_alignment *al;
    const ts_write_options *opt;
} table_ctx;

/* "ID,SCORE" of another statement when `have`, else ",". */
static void put_other(ts_buf *b, const table_ctx *t, int have, size_t other, float score)
{
    if (have) {
        ts_statement o = ts_corpus_statement(t->corpus, other);
        ts_csv_id(b, ts_corpus_source_name(t->corpus, o.source), o.index,
                  t->opt->escape_formulas);
        ts_buf_putc(b, ',');
        ts_csv_fixed(b, score, t->opt->precision);
    } else {
        ts_buf_putc(b, ',');
    }
}

static void statement_row(void *user, size_t i, ts_buf *b)
{
    const table_ctx *t = user;
    ts_statement s = ts_corpus_statement(t->corpus, i);
    size_t cluster = ts_alignment_cluster_of(t->al, i);
    size_t support = ts_alignment_cluster_support(t->al, cluster);
    int esc = t->opt->escape_formulas;
    ts_put_statement_head(b, t->corpus, &s, esc);
    ts_buf_printf(b, ",%u,%s,%zu,%zu,%s,", ts_alignment_statement_tokens(t->al, i),
                  ts_statement_flag_name(ts_alignment_statement_flags(t->al, i)), cluster,
                  support, ts_alignment_status_name(ts_alignment_statement_status(t->al, i)));
    size_t best = 0;
    float score = 0.0f;
    int have = ts_alignment_statement_best(t->al, i, &best, &score);
    put_other(b, t, have, best, score);
    ts_buf_putc(b, ',');
    text_cell(b, ts_alignment_statement_reason(t->al, i), esc);
    ts_buf_putc(b, ',');
    ts_csv_text(b, s.text, s.length, esc);
    ts_buf_putc(b, '\n');
}

ts_status ts_write_align_statements(ts_outfile *f, const ts_corpus *corpus,
                                    const ts_alignment *al, const ts_write_options *opt,
                                    ts_diag *diag)
{
    table_ctx t = {corpus, al, opt};
    return ts_write_table(f, "id,source,index,offset,tokens,flag,cluster,support,status,"
                             "best_match,best_score,why,text\n",
                          ts_corpus_statement_count(corpus), statement_row, &t, diag);
}

static void pair_row(void *user, size_t i, ts_buf *b)
{
    const table_ctx *t = user;
    const ts_corpus *corpus = t->corpus;
    const ts_alignment *al = t->al;
    int esc = t->opt->escape_formulas;
    ts_aligned_pair p = ts_alignment_pair(al, i);
    ts_statement sa = ts_corpus_statement(corpus, p.a), sb = ts_corpus_statement(corpus, p.b);
    text_cell(b, ts_corpus_source_name(corpus, sa.source), esc);
    ts_buf_printf(b, ",%lu,", (unsigned long)sa.index);
    text_cell(b, ts_corpus_source_name(corpus, sb.source), esc);
    ts_buf_printf(b, ",%lu,", (unsigned long)sb.index);
    ts_csv_fixed(b, p.score, t->opt->precision);
    ts_buf_putc(b, ',');
    if (ts_alignment_uses_model(al))
        ts_csv_fixed(b, p.model_score, t->opt->precision);
    if (p.cluster)
        ts_buf_printf(b, ",%zu,", p.cluster);
    else
        ts_buf_puts(b, ",,");
    text_cell(b, ts_alignment_pair_reasons(al, i), esc);
    ts_buf_putc(b, ',');
    text_cell(b, ts_alignment_pair_terms(al, i), esc);
    ts_buf_putc(b, ',');
    text_cell(b, ts_alignment_pair_numbers(al, i, 0), esc);
    ts_buf_putc(b, ',');
    text_cell(b, ts_alignment_pair_numbers(al, i, 1), esc);
    ts_buf_printf(b, ",%d,", p.discrepancy);
    text_cell(b, ts_alignment_pair_discrepancy(al, i), esc);
    ts_buf_putc(b, ',');
    ts_csv_text(b, sa.text, sa.length, esc);
    ts_buf_putc(b, ',');
    ts_csv_text(b, sb.text, sb.length, esc);
    ts_buf_putc(b, '\n');
}

ts_status ts_write_alignment(ts_outfile *f, const ts_corpus *corpus, const ts_alignment *al,
                             const ts_write_options *opt, ts_diag *diag)
{
    table_ctx t = {corpus, al, opt};
    return ts_write_table(f, "source_a,index_a,source_b,index_b,score,model_score,cluster,reasons,"
                             "shared_terms,numbers_a,numbers_b,discrepancy,discrepancy_values,"
                             "text_a,text_b\n",
                          ts_alignment_pair_count(al), pair_row, &t, diag);
}

/* Row c - 1: the members of cluster c. */
static void cluster_rows(void *user, size_t i, ts_buf *b)
{
    const table_ctx *t = user;
    int esc = t->opt->escape_formulas;
    size_t c = i + 1;
    const uint32_t *m;
    size_t k = ts_alignment_cluster_members(t->al, c, &m);
    size_t support = ts_alignment_cluster_support(t->al, c);
    for (size_t j = 0; j < k; j++) {
        ts_statement s = ts_corpus_statement(t->corpus, m[j]);
        const char *src = ts_corpus_source_name(t->corpus, s.source);
        ts_buf_printf(b, "%zu,%zu,", c, support);
        text_cell(b, src, esc);
        ts_buf_printf(b, ",%lu,", (unsigned long)s.index);
        ts_csv_id(b, src, s.index, esc);
        ts_buf_putc(b, ',');
        size_t other = 0;
        float score = 0.0f;
        int how = ts_alignment_statement_link(t->al, m[j], &other, &score);
        put_other(b, t, how, other, score);
        ts_buf_puts(b, how == 2 ? ",1," : how ? ",0," : ",,");
        ts_csv_text(b, s.text, s.length, esc);
        ts_buf_putc(b, '\n');
    }
}

ts_status ts_write_clusters_csv(ts_outfile *f, const ts_corpus *corpus, const ts_alignment *al,
                                const ts_write_options *opt, ts_diag *diag)
{
    table_ctx t = {corpus, al, opt};
    return ts_write_table(f, "cluster,support,source,index,id,link,link_score,restatement,text\n",
                          ts_alignment_cluster_count(al), cluster_rows, &t, diag);
}

/* A member: its id, source, index, its link (the id and the score, 4
 * decimals, of the statement that brought it in; "restatement" true when it
 * joined as one; absent outside multi-source clusters) and its text. */
static json_object *member_json(const ts_corpus *corpus, const ts_alignment *al, size_t i)
{
    ts_statement s = ts_corpus_statement(corpus, i);
    ts_buf id = {0}, link = {0}, score = {0};
    ts_put_statement_id(&id, corpus, i);
    size_t other;
    float value;
    int how = ts_alignment_statement_link(al, i, &other, &value);
    if (how) {
        ts_put_statement_id(&link, corpus, other);
        ts_csv_fixed(&score, value, 4);
        ts_buf_puts(&score, "");
    }
    json_object *o = json_object_new_object();
    if (!o || id.failed || link.failed || score.failed) {
        json_object_put(o);
        ts_buf_free(&id);
        ts_buf_free(&link);
        ts_buf_free(&score);
        return NULL;
    }
    json_object_object_add(o, "id", json_object_new_string(id.data));
    json_object_object_add(o, "source",
                           json_object_new_string(ts_corpus_source_name(corpus, s.source)));
    json_object_object_add(o, "index", json_object_new_int64((int64_t)s.index));
    if (how) {
        json_object_object_add(o, "link", json_object_new_string(link.data));
        json_object_object_add(o, "link_score", json_object_new_double_s(value, score.data));
        json_object_object_add(o, "restatement", json_object_new_boolean(how == 2));
    }
    json_object_object_add(o, "text", json_object_new_string_len(s.text, (int)s.length));
    ts_buf_free(&id);
    ts_buf_free(&link);
    ts_buf_free(&score);
    return o;
}

ts_status ts_write_clusters_jsonl(ts_outfile *f, const ts_corpus *corpus,
                                  const ts_alignment *al, ts_diag *diag)
{
    ts_status st = TS_OK;
    for (size_t c = 1; c <= ts_alignment_cluster_count(al) && st == TS_OK; c++) {
        const uint32_t *m;
        size_t k = ts_alignment_cluster_members(al, c, &m);
        json_object *o = json_object_new_object(), *members = json_object_new_array();
        if (!o || !members) {
            json_object_put(o);
            json_object_put(members);
            return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory writing clusters.jsonl");
        }
        json_object_object_add(o, "cluster", json_object_new_int64((int64_t)c));
        json_object_object_add(
            o, "support", json_object_new_int64((int64_t)ts_alignment_cluster_support(al, c)));
        for (size_t j = 0; j < k && st == TS_OK; j++) {
            json_object *mj = member_json(corpus, al, m[j]);
            if (!mj)
                st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory writing clusters.jsonl");
            else
                json_object_array_add(members, mj);
        }
        json_object_object_add(o, "members", members);
        if (st == TS_OK) {
            size_t len;
            const char *s = json_object_to_json_string_length(
                o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
            st = ts_outfile_write(f, s, len, diag);
            if (st == TS_OK)
                st = ts_outfile_write(f, "\n", 1, diag);
        }
        json_object_put(o);
    }
    return st;
}
