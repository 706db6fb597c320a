/*
 * explain.c - why two statements matched (explain.h).
 *
 * ts_align_explain merges two sorted sparse rows and keeps the top k shared
 * terms in a heap.  ts_align_explain_pairs turns each matched pair into the
 * strings of alignment.csv: its shared terms, each side's numbers
 * (numbers.h) and their discrepancies.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/heap.h"
#include "explain.h"
#include "numbers.h"
#include "text/tfidf_internal.h"
#include "words.h"


/* x ranks before y: larger contribution, then lower column. */
static int term_before(const ts_align_term *x, const ts_align_term *y)
{
    if (x->contribution != y->contribution)
        return x->contribution > y->contribution;
    return x->col < y->col;
}

/* x is worse than y: ranks after it. */
static int term_worse(const ts_align_term *x, const ts_align_term *y) { return term_before(y, x); }

/* Min-heap on rank (the worst kept term at the top). */
TS_HEAP_DEFINE(term_heap, ts_align_term, term_worse)

static ts_status check_row(const uint32_t *cols, const float *vals, size_t n, char side,
                           ts_diag *diag)
{
    if (n && (!cols || !vals))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_explain: row %c has no columns or values",
                       side);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cols[i] <= cols[i - 1])
            return TS_FAIL(diag, TS_ERR_ARG,
                           "ts_align_explain: columns of row %c are not strictly ascending at "
                           "entry %zu (%u after %u)",
                           side, i, cols[i], cols[i - 1]);
        if (!isfinite(vals[i]))
            return TS_FAIL(diag, TS_ERR_ARG,
                           "ts_align_explain: row %c has a weight that is not finite at entry "
                           "%zu",
                           side, i);
    }
    return TS_OK;
}

ts_status ts_align_explain(const uint32_t *cols_a, const float *vals_a, size_t na,
                           const uint32_t *cols_b, const float *vals_b, size_t nb,
                           size_t k, ts_align_term *out, size_t *count, ts_diag *diag)
{
    if (!count || (k && !out))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_align_explain: the output is NULL");
    *count = 0;
    ts_status st = check_row(cols_a, vals_a, na, 'a', diag);
    if (st == TS_OK)
        st = check_row(cols_b, vals_b, nb, 'b', diag);
    if (st != TS_OK || k == 0)
        return st;
    size_t i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        if (cols_a[i] < cols_b[j]) {
            i++;
        } else if (cols_b[j] < cols_a[i]) {
            j++;
        } else {
            ts_align_term t = {cols_a[i], vals_a[i], vals_b[j],
                               (double)vals_a[i] * (double)vals_b[j]};
            if (n < k) {
                out[n] = t;
                term_heap_sift_up(out, n++);
            } else if (term_before(&t, &out[0])) {
                out[0] = t;
                term_heap_sift_down(out, n, 0);
            }
            i++;
            j++;
        }
    }
    /* heap sort: repeatedly move the worst to the end */
    for (size_t m = n; m > 1; m--) {
        ts_align_term t = out[0];
        out[0] = out[m - 1];
        out[m - 1] = t;
        term_heap_sift_down(out, m - 1, 0);
    }
    *count = n;
    return TS_OK;
}

/* ------------------------------------------------------ matched pairs */

static char *buf_take(ts_buf *b)
{
    if (b->failed) {
        ts_buf_free(b);
        return NULL;
    }
    char *s = b->data ? b->data : calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

static void put_value(ts_buf *b, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        ts_buf_printf(b, "%.0f", v);
    else
        ts_buf_printf(b, "%.6g", v);
}

/* "over 19 percent; 5 hour; March 5": normalised value and unit, except for
 * dates and clock times, whose encoded values (305, 22.5) read worse than the
 * text they came from. */
static char *format_numbers(const ts_number_list *l, const char *text)
{
    ts_buf b = {0};
    ts_buf_puts(&b, "");
    for (size_t i = 0; i < l->count; i++) {
        const ts_number *x = &l->items[i];
        if (i)
            ts_buf_puts(&b, "; ");
        if (strcmp(x->unit, "date") == 0 || strcmp(x->unit, "clock") == 0) {
            ts_buf_append(&b, text + x->qualifier_begin, x->end - x->qualifier_begin);
            continue;
        }
        if (x->qualifier != TS_NUMBER_EXACT)
            ts_buf_printf(&b, "%s ", ts_number_qualifier_name(x->qualifier));
        put_value(&b, x->value);
        if (x->unit[0])
            ts_buf_printf(&b, " %s", x->unit);
    }
    return buf_take(&b);
}

/* The first `show` shared terms that are not function words, each as the
 * texts write it: side a's word, and side b's after a '/' when it differs
 * beyond case ("met/meeting"); a term no word gives (an n-gram, a character
 * n-gram) as it is. */
static ts_status put_shared_words(ts_buf *b, ts_align_words *words, const ts_corpus *corpus,
                                  const ts_tfidf *tfidf, const ts_align_pair *p,
                                  const ts_align_term *terms, size_t nt, size_t show,
                                  ts_diag *diag)
{
    ts_statement sa = ts_corpus_statement(corpus, p->a), sb = ts_corpus_statement(corpus, p->b);
    ts_status st = ts_align_words_load(words, 0, sa.text, sa.length, diag);
    if (st == TS_OK)
        st = ts_align_words_load(words, 1, sb.text, sb.length, diag);
    size_t shown = 0;
    for (size_t t = 0; t < nt && shown < show && st == TS_OK; t++) {
        const char *term = ts_tfidf_term(tfidf, terms[t].col), *wa, *wb;
        size_t la, lb;
        int fa, fb;
        int has_a = ts_align_words_find(words, 0, term, &wa, &la, &fa);
        int has_b = ts_align_words_find(words, 1, term, &wb, &lb, &fb);
        if (has_a && has_b && (fa || fb))
            continue; /* a function word: it counts in the cosine, not in the reasons */
        ts_buf_puts(b, shown++ ? "; " : "");
        if (!has_a || !has_b) {
            ts_buf_puts(b, term);
            continue;
        }
        ts_buf_append(b, wa, la);
        if (la != lb || strncasecmp(wa, wb, la) != 0) {
            ts_buf_putc(b, '/');
            ts_buf_append(b, wb, lb);
        }
    }
    return st;
}

ts_status ts_align_explain_pairs(const ts_align_pair *pairs, size_t np, const ts_corpus *corpus,
                                 const ts_tfidf *tfidf, size_t top_terms,
                                 ts_align_explained *ex, ts_diag *diag)
{
    ex->count = np;
    ex->terms = calloc(np ? np : 1, sizeof *ex->terms);
    ex->numbers[0] = calloc(np ? np : 1, sizeof(char *));
    ex->numbers[1] = calloc(np ? np : 1, sizeof(char *));
    ex->disc_text = calloc(np ? np : 1, sizeof(char *));
    ex->disc = calloc(np ? np : 1, sizeof(int));
    /* More terms than shown: function words are left out of what is shown. */
    size_t want = top_terms * 3 + 8;
    ts_align_term *terms = calloc(want, sizeof *terms);
    ts_align_words *words = NULL;
    ts_number_list nums[2];
    ts_number_list_init(&nums[0]);
    ts_number_list_init(&nums[1]);
    ts_status st = TS_OK;
    if (!ex->terms || !ex->numbers[0] || !ex->numbers[1] || !ex->disc_text ||
        !ex->disc || !terms)
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory explaining matches");
    if (st == TS_OK)
        st = ts_align_words_create(&words, ts_tfidf_stem_language(tfidf), diag);
    for (size_t i = 0; i < np && st == TS_OK; i++) {
        const ts_align_pair *p = &pairs[i];
        const uint32_t *ca, *cb;
        const float *va, *vb;
        size_t na = ts_tfidf_row(tfidf, p->a, &ca, &va);
        size_t nb = ts_tfidf_row(tfidf, p->b, &cb, &vb);
        size_t nt = 0;
        st = ts_align_explain(ca, va, na, cb, vb, nb, want, terms, &nt, diag);
        ts_buf b = {0};
        ts_buf_puts(&b, "");
        if (st == TS_OK)
            st = put_shared_words(&b, words, corpus, tfidf, p, terms, nt, top_terms, diag);
        ex->terms[i] = buf_take(&b);

        uint32_t side[2] = {p->a, p->b};
        for (int s = 0; s < 2 && st == TS_OK; s++) {
            ts_statement stmt = ts_corpus_statement(corpus, side[s]);
            st = ts_numbers_of_statement(corpus, side[s], &nums[s], diag);
            if (st == TS_OK)
                ex->numbers[s][i] = format_numbers(&nums[s], stmt.text);
        }
        if (st != TS_OK)
            break;
        ts_number_discrepancy disc[8];
        size_t nd = ts_numbers_discrepancies(nums[0].items, nums[0].count, nums[1].items,
                                             nums[1].count, disc, 8);
        ts_buf d = {0};
        ts_buf_puts(&d, "");
        for (size_t k = 0; k < nd && k < 8; k++) {
            /* "~" marks each value stated with a qualifier; both, when the
             * qualifier is on another number of the same unit */
            int qa = nums[0].items[disc[k].a].qualifier != TS_NUMBER_EXACT;
            int qb = nums[1].items[disc[k].b].qualifier != TS_NUMBER_EXACT;
            if (disc[k].approximate && !qa && !qb)
                qa = qb = 1;
            ts_buf_printf(&d, "%s%s: %s", k ? "; " : "", disc[k].unit[0] ? disc[k].unit : "number",
                          qa ? "~" : "");
            put_value(&d, disc[k].value_a);
            ts_buf_puts(&d, qb ? " vs ~" : " vs ");
            put_value(&d, disc[k].value_b);
        }
        ex->disc[i] = nd > 0;
        ex->disc_text[i] = buf_take(&d);
        if (!ex->terms[i] || !ex->numbers[0][i] || !ex->numbers[1][i] ||
            !ex->disc_text[i])
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory explaining matches");
    }
    ts_number_list_free(&nums[0]);
    ts_number_list_free(&nums[1]);
    ts_align_words_free(words);
    free(terms);
    return st;
}

static void free_strings(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void ts_align_explained_free(ts_align_explained *ex)
{
    if (!ex)
        return;
    free_strings(ex->terms, ex->count);
    free_strings(ex->numbers[0], ex->count);
    free_strings(ex->numbers[1], ex->count);
    free_strings(ex->disc_text, ex->count);
    free(ex->disc);
    memset(ex, 0, sizeof *ex);
}
