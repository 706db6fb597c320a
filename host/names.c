/*
 * names.c - which terms are names, from how the sources write them.
 *
 * Each statement is tokenized twice with the word rule, once keeping case and
 * once lowercased (the two give the same tokens in the same order; a
 * statement where case mapping changes the token count is skipped).  For
 * every token after the first, the case-kept form says whether it starts
 * with an upper-case or title-case letter; the lowercased form, run through
 * the full analyzer (stop words, stemming), names the column.  Counting per
 * column gives the share of capitalised occurrences.
 */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "diag.h"
#include "tokenize.h"

#define TS_NAME_SHARE 0.8
#define TS_NAME_MIN_COUNT 2

typedef struct token_list {
    ts_buf text;      /* tokens, each NUL-terminated */
    size_t *start;
    size_t count, cap;
} token_list;

static ts_status collect(void *user, const char *term, size_t length)
{
    token_list *l = user;
    if (!TS_GROW(l->start, l->cap, l->count + 1))
        return TS_ERR_NOMEM;
    l->start[l->count++] = l->text.len;
    ts_buf_append(&l->text, term, length);
    ts_buf_putc(&l->text, '\0');
    return l->text.failed ? TS_ERR_NOMEM : TS_OK;
}

static int starts_upper(const char *s)
{
    int32_t i = 0, n = (int32_t)strlen(s);
    UChar32 c;
    U8_NEXT(s, i, n, c);
    return c >= 0 && (u_isupper(c) || u_istitle(c));
}

/* Column of the term `term`, or -1 (columns are sorted by their bytes). */
static long find_column(const ts_names_vocab *v, const char *term)
{
    size_t lo = 0, hi = v->cols;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v->terms + v->term_off[mid], term);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

typedef struct term_target {
    const ts_names_vocab *v;
    long col;
} term_target;

static ts_status take_column(void *user, const char *term, size_t length)
{
    term_target *t = user;
    char stack[256];
    char *s = length < sizeof stack ? stack : malloc(length + 1);
    if (!s)
        return TS_ERR_NOMEM;
    memcpy(s, term, length);
    s[length] = '\0';
    t->col = find_column(t->v, s);
    if (s != stack)
        free(s);
    return TS_OK;
}

ts_status ts_names_factors(const ts_corpus *corpus, const ts_names_vocab *v,
                           const ts_vectorizer_options *o, float *factor, ts_diag *diag)
{
    size_t cols = v->cols;
    for (size_t c = 0; c < cols; c++)
        factor[c] = 1.0f;
    if (o->name_weight == 1.0 || o->analyzer != TS_ANALYZER_WORD)
        return TS_OK;

    ts_vectorizer_options keep = *o, lower = *o, full = *o;
    keep.lowercase = TS_CASE_NONE;
    keep.stop_words = NULL;
    keep.stem = NULL;
    keep.ngram_min = keep.ngram_max = 1;
    lower.lowercase = o->lowercase == TS_CASE_NONE ? TS_CASE_LOWER : o->lowercase;
    lower.stop_words = NULL;
    lower.stem = NULL;
    lower.ngram_min = lower.ngram_max = 1;
    full.ngram_min = full.ngram_max = 1;

    ts_tokenizer *tk = NULL, *tl = NULL, *tf = NULL;
    token_list a = {0}, b = {0};
    unsigned *upper = calloc(cols ? cols : 1, sizeof *upper);
    unsigned *total = calloc(cols ? cols : 1, sizeof *total);
    ts_status st = upper && total ? TS_OK : TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    if (st == TS_OK)
        st = ts_tokenizer_create(&tk, &keep, diag);
    if (st == TS_OK)
        st = ts_tokenizer_create(&tl, &lower, diag);
    if (st == TS_OK)
        st = ts_tokenizer_create(&tf, &full, diag);
    size_t n = ts_corpus_statement_count(corpus);
    for (size_t i = 0; i < n && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        a.count = b.count = a.text.len = b.text.len = 0;
        if ((st = ts_tokenizer_run(tk, s.text, s.length, collect, &a, diag)) != TS_OK ||
            (st = ts_tokenizer_run(tl, s.text, s.length, collect, &b, diag)) != TS_OK)
            break;
        if (a.count != b.count)
            continue;
        for (size_t k = 1; k < a.count && st == TS_OK; k++) {
            const char *low = b.text.data + b.start[k];
            term_target t = {v, -1};
            st = ts_tokenizer_run(tf, low, strlen(low), take_column, &t, diag);
            if (t.col < 0)
                continue;
            total[t.col]++;
            upper[t.col] += starts_upper(a.text.data + a.start[k]);
        }
    }
    if (st == TS_ERR_NOMEM && diag && !diag->message[0])
        TS_FAIL(diag, st, "out of memory finding names");
    for (size_t c = 0; c < cols && st == TS_OK; c++)
        if (total[c] >= TS_NAME_MIN_COUNT && upper[c] >= TS_NAME_SHARE * total[c])
            factor[c] = (float)o->name_weight;
    ts_buf_free(&a.text);
    ts_buf_free(&b.text);
    free(a.start);
    free(b.start);
    free(upper);
    free(total);
    ts_tokenizer_free(tk);
    ts_tokenizer_free(tl);
    ts_tokenizer_free(tf);
    return st;
}
