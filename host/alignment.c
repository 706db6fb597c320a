/*
 * alignment.c - statement alignment across sources (ts_alignment_*).
 *
 * The pipeline behind `textsim align`:
 *   1. flag statements that take no part: fewer than min_tokens word tokens,
 *      or matching an exclusion pattern (ICU regular expressions: the built-in
 *      boilerplate list data/boilerplate_en.txt and the user's file);
 *   2. the candidates: every cross-source pair of eligible statements
 *      scoring at or above the threshold.  When the caller wants the whole
 *      matrix (tile_fn, to write similarity.csv), one pass of the engine over
 *      it, row strip by row strip, keeps them, fills a downsampled heatmap
 *      and hands each strip on.  Otherwise the pairs engine selects them on
 *      the device (threshold mode, cross-source, eligible rows only: the
 *      path of `textsim pairs`), no N x N block ever leaves it, and the
 *      heatmap shows the candidates alone;
 *   3. per source pair, match the candidates one-to-one (mutual best or
 *      assignment, align.c): a pair below the threshold can never match, so
 *      the candidates hold everything that matters (mutual best reads them
 *      as a sparse list; the assignment on the block of the rows and columns
 *      that hold them);
 *   4. cluster the matched pairs across sources (align.c);
 *   5. explain each pair: shared terms by contribution, the numbers of each
 *      side and their discrepancy (numbers.c).
 * Memory grows with the candidates and the statements, never with N^2.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uregex.h>
#include <unicode/utext.h>

#include "align.h"
#include "buf.h"
#include "diag.h"
#include "engine.h"
#include "numbers.h"
#include "pairs.h"
#include "resource.h"
#include "tfidf_internal.h"
#include "tokenize.h"

struct ts_alignment {
    size_t n;
    unsigned char *flags;
    unsigned *tokens;
    uint32_t *source_of;
    ts_align_pairs pairs;      /* matched pairs, a < b */
    size_t *pair_cluster;
    int *pair_disc;
    char **pair_terms;
    char **pair_numbers[2];
    char **pair_disc_text;
    ts_align_clusters *clusters;
    float *heat;
    size_t heat_n;
    float heat_floor; /* the heatmap holds the scores from here up (0: all of them) */
    size_t *bin_start;
};

void ts_alignment_options_init(ts_alignment_options *o)
{
    memset(o, 0, sizeof *o);
    o->threshold = TS_ALIGN_DEFAULT_THRESHOLD;
    o->match = TS_MATCH_MUTUAL;
    o->min_tokens = 5;
    o->builtin_exclude = 1;
    o->top_terms = 5;
    o->heatmap_size = 400;
}

/* ------------------------------------------------------------ exclusion */

typedef struct pattern_set {
    URegularExpression **re;
    size_t count;
} pattern_set;

static void patterns_free(pattern_set *p)
{
    for (size_t i = 0; i < p->count; i++)
        uregex_close(p->re[i]);
    free(p->re);
    p->re = NULL;
    p->count = 0;
}

/* Compile every non-blank, non-comment line of `text` as one pattern. */
static ts_status patterns_add(pattern_set *p, const char *text, size_t len, const char *origin,
                              ts_diag *diag)
{
    size_t line_no = 0;
    for (size_t pos = 0; pos < len;) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t stop = end;
        if (stop > pos && text[stop - 1] == '\r')
            stop--;
        line_no++;
        const char *line = text + pos;
        size_t n = stop - pos;
        size_t lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        if (lead < n && line[lead] != '#') {
            URegularExpression **grown = realloc(p->re, (p->count + 1) * sizeof *grown);
            if (!grown)
                return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory reading %s", origin);
            p->re = grown;
            UParseError pe = {0};
            UErrorCode err = U_ZERO_ERROR;
            UText *ut = utext_openUTF8(NULL, line, (int64_t)n, &err);
            URegularExpression *re = uregex_openUText(ut, UREGEX_CASE_INSENSITIVE, &pe, &err);
            utext_close(ut);
            if (U_FAILURE(err))
                return ts_diag_set(diag, TS_ERR_ARG, origin, line_no, TS_DIAG_NO_OFFSET,
                                   "%s:%zu: invalid regular expression at column %d (%s): %.*s; "
                                   "fix the pattern (ICU regular expression syntax)",
                                   origin, line_no, pe.offset + 1, u_errorName(err), (int)n, line);
            p->re[p->count++] = re;
        }
        pos = end + 1;
    }
    return TS_OK;
}

static ts_status read_file(const char *path, char **out, size_t *len, ts_diag *diag)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: cannot open the exclusion patterns: %s; check the path", path,
                           strerror(errno));
    ts_buf b = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        ts_buf_append(&b, chunk, got);
    int failed = ferror(f);
    fclose(f);
    if (failed || b.failed) {
        ts_buf_free(&b);
        return ts_diag_set(diag, failed ? TS_ERR_IO : TS_ERR_NOMEM, path, TS_DIAG_NO_LINE,
                           TS_DIAG_NO_OFFSET, "%s: cannot read the exclusion patterns", path);
    }
    *out = b.data ? b.data : calloc(1, 1);
    *len = b.len;
    return *out ? TS_OK : TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
}

static ts_status patterns_load(pattern_set *p, const ts_alignment_options *o, ts_diag *diag)
{
    ts_status st = TS_OK;
    if (o->builtin_exclude) {
        const ts_resource *r = ts_resource_find("data/boilerplate_en.txt");
        if (!r)
            return TS_FAIL(diag, TS_ERR_INTERNAL, "built-in exclusion patterns missing");
        st = patterns_add(p, r->data, r->size, "data/boilerplate_en.txt", diag);
    }
    if (st == TS_OK && o->exclude) {
        char *text;
        size_t len;
        if ((st = read_file(o->exclude, &text, &len, diag)) != TS_OK)
            return st;
        st = patterns_add(p, text, len, o->exclude, diag);
        free(text);
    }
    return st;
}

static int patterns_match(const pattern_set *p, const char *text, size_t len, ts_diag *diag,
                          ts_status *st)
{
    if (!p->count)
        return 0;
    static const UChar empty[1] = {0};
    UErrorCode err = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &err); /* one per statement */
    UBool found = 0;
    for (size_t i = 0; i < p->count && !found && U_SUCCESS(err); i++) {
        uregex_setUText(p->re[i], ut, &err);
        found = U_SUCCESS(err) && uregex_find(p->re[i], 0, &err);
        UErrorCode detach = U_ZERO_ERROR;
        uregex_setText(p->re[i], empty, 0, &detach); /* detach before closing the UText */
    }
    utext_close(ut);
    if (U_FAILURE(err)) {
        *st = TS_FAIL(diag, TS_ERR_UNICODE, "matching exclusion patterns failed: %s",
                      u_errorName(err));
        return 0;
    }
    return found;
}

static ts_status count_token(void *user, const char *term, size_t length)
{
    (void)term;
    (void)length;
    (*(unsigned *)user)++;
    return TS_OK;
}

static ts_status flag_statements(ts_alignment *al, const ts_corpus *corpus,
                                 const ts_alignment_options *o, ts_diag *diag)
{
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    ts_tokenizer *tok = NULL;
    pattern_set pats = {0};
    ts_status st = ts_tokenizer_create(&tok, &vo, diag);
    if (st == TS_OK)
        st = patterns_load(&pats, o, diag);
    for (size_t i = 0; i < al->n && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        al->source_of[i] = s.source;
        st = ts_tokenizer_run(tok, s.text, s.length, count_token, &al->tokens[i], diag);
        if (al->tokens[i] < o->min_tokens)
            al->flags[i] |= TS_STATEMENT_SHORT;
        if (st == TS_OK && patterns_match(&pats, s.text, s.length, diag, &st))
            al->flags[i] |= TS_STATEMENT_EXCLUDED;
    }
    patterns_free(&pats);
    ts_tokenizer_free(tok);
    return st;
}

/* ------------------------------------------------------- similarity pass */

typedef struct pass_state {
    ts_alignment *al;
    float threshold;
    ts_align_pairs candidates;
    ts_tile_fn forward;
    void *forward_user;
    size_t *bin_of; /* statement -> heatmap bin */
    ts_diag diag;
} pass_state;

static ts_status on_strip(void *user, const ts_tile *t)
{
    pass_state *ps = user;
    ts_alignment *al = ps->al;
    if (ps->forward) {
        ts_status st = ps->forward(ps->forward_user, t);
        if (st != TS_OK)
            return st;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        size_t i = t->row0 + r;
        const float *row = t->scores + r * t->ld;
        float *heat_row = al->heat + ps->bin_of[i] * al->heat_n;
        for (size_t c = 0; c < t->ncols; c++) {
            size_t j = t->col0 + c;
            float v = row[c];
            float *cell = heat_row + ps->bin_of[j];
            if (v > *cell)
                *cell = v;
            if (j > i && v >= ps->threshold && al->source_of[i] != al->source_of[j] &&
                !al->flags[i] && !al->flags[j]) {
                ts_status st = ts_align_pairs_push(&ps->candidates, (uint32_t)i, (uint32_t)j, v,
                                                   &ps->diag);
                if (st != TS_OK)
                    return st;
            }
        }
    }
    return TS_OK;
}

static ts_status heatmap_init(ts_alignment *al, size_t size, size_t **bin_of, ts_diag *diag)
{
    size_t n = al->n;
    al->heat_n = n < size ? n : size;
    if (al->heat_n == 0)
        al->heat_n = 1;
    al->heat = calloc(al->heat_n * al->heat_n, sizeof *al->heat);
    al->bin_start = malloc((al->heat_n + 1) * sizeof *al->bin_start);
    *bin_of = malloc((n ? n : 1) * sizeof **bin_of);
    if (!al->heat || !al->bin_start || !*bin_of)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory for the heatmap");
    for (size_t b = 0; b <= al->heat_n; b++)
        al->bin_start[b] = b * n / al->heat_n;
    for (size_t b = 0; b < al->heat_n; b++)
        for (size_t i = al->bin_start[b]; i < al->bin_start[b + 1]; i++)
            (*bin_of)[i] = b;
    return TS_OK;
}

/* The candidates alone (no tile_fn): the pairs engine in threshold mode
 * (top_k 0, min_score the threshold, cross-source), on the rows of the
 * eligible statements copied into a smaller CSR with the same columns, so
 * that flagged boilerplate costs nothing.  This is the selection path of
 * `textsim pairs`: only the qualifying pairs leave the device and memory
 * grows with them, not with N^2.  Each pair comes from both of its
 * statements' lists; it is kept from the lower one's.  The heatmap then
 * holds the candidates only (its floor is the threshold). */
typedef struct cand_state {
    pass_state *ps;
    const uint32_t *stmt; /* row of the sub-matrix -> statement */
} cand_state;

static ts_status on_matches(void *user, uint32_t row, const ts_match *matches, size_t n)
{
    cand_state *cs = user;
    uint32_t i = cs->stmt[row];
    for (size_t k = 0; k < n; k++) {
        uint32_t j = cs->stmt[matches[k].statement];
        if (j <= i)
            continue;
        ts_status st = ts_align_pairs_push(&cs->ps->candidates, i, j, matches[k].score,
                                           &cs->ps->diag);
        if (st != TS_OK)
            return st;
    }
    return TS_OK;
}

static void heatmap_from_candidates(pass_state *ps)
{
    ts_alignment *al = ps->al;
    for (size_t k = 0; k < ps->candidates.count; k++) {
        const ts_align_pair *c = &ps->candidates.items[k];
        size_t bi = ps->bin_of[c->a], bj = ps->bin_of[c->b];
        float *x = al->heat + bi * al->heat_n + bj, *y = al->heat + bj * al->heat_n + bi;
        if (c->score > *x)
            *x = c->score;
        if (c->score > *y)
            *y = c->score;
    }
    al->heat_floor = ps->threshold;
}

static ts_status candidates_pass(ts_engine *engine, const ts_tfidf *tfidf, pass_state *ps,
                                 ts_diag *diag)
{
    const ts_alignment *al = ps->al;
    const ts_csr *m = ts_tfidf_csr(tfidf);
    size_t rows = 0, nnz = 0;
    for (size_t i = 0; i < al->n; i++)
        if (!al->flags[i]) {
            rows++;
            nnz += m->ptr[i + 1] - m->ptr[i];
        }
    if (rows == 0) {
        heatmap_from_candidates(ps);
        return TS_OK;
    }
    ts_csr sub = {.rows = (uint32_t)rows, .cols = m->cols};
    uint32_t *stmt = malloc(rows * sizeof *stmt);
    uint32_t *group = malloc(rows * sizeof *group);
    sub.ptr = malloc((rows + 1) * sizeof *sub.ptr);
    sub.idx = malloc((nnz ? nnz : 1) * sizeof *sub.idx);
    sub.val = malloc((nnz ? nnz : 1) * sizeof *sub.val);
    ts_status st = TS_OK;
    if (!stmt || !group || !sub.ptr || !sub.idx || !sub.val) {
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    } else {
        size_t r = 0, w = 0;
        sub.ptr[0] = 0;
        for (size_t i = 0; i < al->n; i++) {
            if (al->flags[i])
                continue;
            size_t a = m->ptr[i], e = m->ptr[i + 1];
            memcpy(sub.idx + w, m->idx + a, (e - a) * sizeof *sub.idx);
            memcpy(sub.val + w, m->val + a, (e - a) * sizeof *sub.val);
            w += e - a;
            group[r] = al->source_of[i];
            stmt[r++] = (uint32_t)i;
            sub.ptr[r] = (uint32_t)w;
        }
        ts_pairs_options po;
        ts_pairs_options_init(&po);
        po.top_k = 0;
        po.min_score = ps->threshold;
        po.cross_source = 1;
        po.groups = group;
        cand_state cs = {ps, stmt};
        st = ts_engine_pairs_csr(engine, &sub, &po, on_matches, &cs, diag);
    }
    if (st == TS_OK)
        heatmap_from_candidates(ps);
    free(stmt);
    free(group);
    free(sub.ptr);
    free(sub.idx);
    free(sub.val);
    return st;
}

/* ------------------------------------------------------------- matching */

/* Candidates sorted by (source of a, source of b, a, b) through one composite key. */
typedef struct keyed_pair {
    uint64_t key_hi; /* source of a, source of b */
    uint64_t key_lo; /* a, b */
    float score;
} keyed_pair;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed_pair *p = x, *q = y;
    if (p->key_hi != q->key_hi)
        return p->key_hi < q->key_hi ? -1 : 1;
    return (p->key_lo > q->key_lo) - (p->key_lo < q->key_lo);
}

/* Match one source pair's candidates g[0..count) (same sources, sorted). */
static ts_status match_group(const keyed_pair *g, size_t count, ts_match_mode mode,
                             float threshold, ts_align_pairs *out, ts_diag *diag)
{
    ts_align_pair *pairs = malloc(count * sizeof *pairs);
    if (!pairs)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory matching statements");
    for (size_t k = 0; k < count; k++)
        pairs[k] = (ts_align_pair){(uint32_t)(g[k].key_lo >> 32), (uint32_t)g[k].key_lo, g[k].score};
    ts_status st = mode == TS_MATCH_ASSIGNMENT
                       ? ts_align_assignment_pairs(pairs, count, threshold, out, diag)
                       : ts_align_mutual_best_pairs(pairs, count, threshold, out, diag);
    free(pairs);
    return st;
}

static ts_status match_all(ts_alignment *al, ts_align_pairs *cand, const ts_alignment_options *o,
                           ts_diag *diag)
{
    size_t n = cand->count;
    keyed_pair *k = malloc((n ? n : 1) * sizeof *k);
    if (!k)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory matching statements");
    for (size_t i = 0; i < n; i++) {
        const ts_align_pair *p = &cand->items[i];
        k[i].key_hi = (uint64_t)al->source_of[p->a] << 32 | al->source_of[p->b];
        k[i].key_lo = (uint64_t)p->a << 32 | p->b;
        k[i].score = p->score;
    }
    ts_align_pairs_free(cand); /* the keyed copy replaces them: peak memory */
    qsort(k, n, sizeof *k, cmp_keyed);
    ts_status st = TS_OK;
    for (size_t i = 0; i < n && st == TS_OK;) {
        size_t j = i;
        while (j < n && k[j].key_hi == k[i].key_hi)
            j++;
        st = match_group(k + i, j - i, o->match, (float)o->threshold, &al->pairs, diag);
        i = j;
    }
    free(k);
    return st;
}

/* ---------------------------------------------------------- explanation */

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

static ts_status explain_pairs(ts_alignment *al, const ts_corpus *corpus, const ts_tfidf *tfidf,
                               const ts_alignment_options *o, ts_diag *diag)
{
    size_t np = al->pairs.count;
    al->pair_terms = calloc(np ? np : 1, sizeof *al->pair_terms);
    al->pair_numbers[0] = calloc(np ? np : 1, sizeof(char *));
    al->pair_numbers[1] = calloc(np ? np : 1, sizeof(char *));
    al->pair_disc_text = calloc(np ? np : 1, sizeof(char *));
    al->pair_disc = calloc(np ? np : 1, sizeof(int));
    ts_align_term *terms = calloc(o->top_terms ? o->top_terms : 1, sizeof *terms);
    ts_number_list nums[2];
    ts_number_list_init(&nums[0]);
    ts_number_list_init(&nums[1]);
    ts_status st = TS_OK;
    if (!al->pair_terms || !al->pair_numbers[0] || !al->pair_numbers[1] || !al->pair_disc_text ||
        !al->pair_disc || !terms)
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory explaining matches");
    for (size_t i = 0; i < np && st == TS_OK; i++) {
        const ts_align_pair *p = &al->pairs.items[i];
        const uint32_t *ca, *cb;
        const float *va, *vb;
        size_t na = ts_tfidf_row(tfidf, p->a, &ca, &va);
        size_t nb = ts_tfidf_row(tfidf, p->b, &cb, &vb);
        size_t nt = 0;
        st = ts_align_explain(ca, va, na, cb, vb, nb, o->top_terms, terms, &nt, diag);
        ts_buf b = {0};
        ts_buf_puts(&b, "");
        for (size_t t = 0; t < nt && st == TS_OK; t++)
            ts_buf_printf(&b, "%s%s", t ? "; " : "", ts_tfidf_term(tfidf, terms[t].col));
        al->pair_terms[i] = buf_take(&b);

        uint32_t side[2] = {p->a, p->b};
        for (int s = 0; s < 2 && st == TS_OK; s++) {
            ts_statement stmt = ts_corpus_statement(corpus, side[s]);
            st = ts_numbers_extract(stmt.text, stmt.length, &nums[s], diag);
            if (st == TS_OK)
                al->pair_numbers[s][i] = format_numbers(&nums[s], stmt.text);
        }
        if (st != TS_OK)
            break;
        ts_number_discrepancy disc[8];
        size_t nd = ts_numbers_discrepancies(nums[0].items, nums[0].count, nums[1].items,
                                             nums[1].count, disc, 8);
        ts_buf d = {0};
        ts_buf_puts(&d, "");
        for (size_t k = 0; k < nd && k < 8; k++) {
            ts_buf_printf(&d, "%s%s: %s", k ? "; " : "", disc[k].unit[0] ? disc[k].unit : "number",
                          disc[k].approximate ? "~" : "");
            put_value(&d, disc[k].value_a);
            ts_buf_puts(&d, " vs ");
            put_value(&d, disc[k].value_b);
        }
        al->pair_disc[i] = nd > 0;
        al->pair_disc_text[i] = buf_take(&d);
        if (!al->pair_terms[i] || !al->pair_numbers[0][i] || !al->pair_numbers[1][i] ||
            !al->pair_disc_text[i])
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory explaining matches");
    }
    ts_number_list_free(&nums[0]);
    ts_number_list_free(&nums[1]);
    free(terms);
    return st;
}

/* ------------------------------------------------------------------ run */

ts_status ts_alignment_run(ts_alignment **out, ts_engine *engine, const ts_corpus *corpus,
                           const ts_tfidf *tfidf, const ts_alignment_options *o,
                           ts_tile_fn tile_fn, void *tile_user, ts_diag *diag)
{
    *out = NULL;
    if (!(o->threshold > 0.0 && o->threshold <= 1.0))
        return TS_FAIL(diag, TS_ERR_ARG, "the alignment threshold must be in (0, 1], not %g",
                       o->threshold);
    if (o->match != TS_MATCH_MUTUAL && o->match != TS_MATCH_ASSIGNMENT)
        return TS_FAIL(diag, TS_ERR_ARG, "unknown match mode %d", (int)o->match);
    size_t n = ts_corpus_statement_count(corpus);
    if (n != ts_tfidf_rows(tfidf))
        return TS_FAIL(diag, TS_ERR_ARG, "the TF-IDF matrix has %zu rows for %zu statements",
                       ts_tfidf_rows(tfidf), n);
    if (n >= UINT32_MAX)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE, "too many statements to align (%zu)", n);

    ts_alignment *al = calloc(1, sizeof *al);
    if (!al)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    al->n = n;
    ts_align_pairs_init(&al->pairs);
    size_t m = n ? n : 1;
    al->flags = calloc(m, 1);
    al->tokens = calloc(m, sizeof *al->tokens);
    al->source_of = calloc(m, sizeof *al->source_of);
    pass_state ps = {.al = al, .threshold = (float)o->threshold, .forward = tile_fn,
                     .forward_user = tile_user};
    ts_align_pairs_init(&ps.candidates);
    ts_diag_clear(&ps.diag);
    unsigned char *fate = NULL;
    ts_status st = TS_OK;
    if (!al->flags || !al->tokens || !al->source_of)
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    if (st == TS_OK)
        st = flag_statements(al, corpus, o, diag);
    if (st == TS_OK)
        st = heatmap_init(al, o->heatmap_size ? o->heatmap_size : 1, &ps.bin_of, diag);
    if (st == TS_OK) {
        st = tile_fn ? ts_engine_similarity(engine, tfidf, on_strip, &ps, diag)
                     : candidates_pass(engine, tfidf, &ps, diag);
        if (st != TS_OK && ps.diag.status != TS_OK && diag)
            *diag = ps.diag;
    }
    if (st == TS_OK)
        st = match_all(al, &ps.candidates, o, diag);
    if (st == TS_OK) {
        fate = malloc(al->pairs.count ? al->pairs.count : 1);
        st = fate ? ts_align_cluster(al->source_of, n, al->pairs.items, al->pairs.count,
                                     &al->clusters, fate, diag)
                  : TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    }
    if (st == TS_OK) {
        al->pair_cluster = calloc(al->pairs.count ? al->pairs.count : 1, sizeof *al->pair_cluster);
        if (!al->pair_cluster)
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
        for (size_t i = 0; st == TS_OK && i < al->pairs.count; i++)
            if (fate[i] != TS_ALIGN_REFUSED)
                al->pair_cluster[i] = al->clusters->cluster[al->pairs.items[i].a];
    }
    if (st == TS_OK)
        st = explain_pairs(al, corpus, tfidf, o, diag);
    free(fate);
    free(ps.bin_of);
    ts_align_pairs_free(&ps.candidates);
    if (st != TS_OK) {
        ts_alignment_free(al);
        return st;
    }
    *out = al;
    return TS_OK;
}

static void free_strings(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

void ts_alignment_free(ts_alignment *al)
{
    if (!al)
        return;
    size_t np = al->pairs.count;
    free_strings(al->pair_terms, np);
    free_strings(al->pair_numbers[0], np);
    free_strings(al->pair_numbers[1], np);
    free_strings(al->pair_disc_text, np);
    free(al->pair_disc);
    free(al->pair_cluster);
    ts_align_pairs_free(&al->pairs);
    ts_align_clusters_free(al->clusters);
    free(al->flags);
    free(al->tokens);
    free(al->source_of);
    free(al->heat);
    free(al->bin_start);
    free(al);
}

/* ------------------------------------------------------------ accessors */

unsigned ts_alignment_statement_flags(const ts_alignment *al, size_t i)
{
    return i < al->n ? al->flags[i] : 0;
}

unsigned ts_alignment_statement_tokens(const ts_alignment *al, size_t i)
{
    return i < al->n ? al->tokens[i] : 0;
}

size_t ts_alignment_pair_count(const ts_alignment *al) { return al->pairs.count; }

ts_aligned_pair ts_alignment_pair(const ts_alignment *al, size_t i)
{
    ts_aligned_pair p = {0};
    if (i < al->pairs.count) {
        p.a = al->pairs.items[i].a;
        p.b = al->pairs.items[i].b;
        p.score = al->pairs.items[i].score;
        p.cluster = al->pair_cluster[i];
        p.discrepancy = al->pair_disc[i];
    }
    return p;
}

const char *ts_alignment_pair_terms(const ts_alignment *al, size_t i)
{
    return i < al->pairs.count ? al->pair_terms[i] : "";
}

const char *ts_alignment_pair_numbers(const ts_alignment *al, size_t i, int side)
{
    return i < al->pairs.count ? al->pair_numbers[side ? 1 : 0][i] : "";
}

const char *ts_alignment_pair_discrepancy(const ts_alignment *al, size_t i)
{
    return i < al->pairs.count ? al->pair_disc_text[i] : "";
}

size_t ts_alignment_cluster_count(const ts_alignment *al) { return al->clusters->count; }

size_t ts_alignment_cluster_members(const ts_alignment *al, size_t c, const uint32_t **members)
{
    const ts_align_clusters *cl = al->clusters;
    if (c < 1 || c > cl->count) {
        *members = NULL;
        return 0;
    }
    *members = cl->member + cl->first[c - 1];
    return cl->first[c] - cl->first[c - 1];
}

size_t ts_alignment_cluster_of(const ts_alignment *al, size_t i)
{
    return i < al->n ? al->clusters->cluster[i] : 0;
}

const float *ts_alignment_heatmap(const ts_alignment *al, size_t *size, const size_t **bin_start)
{
    *size = al->heat_n;
    *bin_start = al->bin_start;
    return al->heat;
}

float ts_alignment_heatmap_floor(const ts_alignment *al)
{
    return al->heat_floor;
}
