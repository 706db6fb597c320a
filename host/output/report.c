/*
 * report.c - report.html of `textsim align`.
 *
 * One self-contained, offline page: a header with the counts and the
 * sources; "who said what", the facts against the sources (report_facts.c); the
 * clusters side by side (one row per cluster, one column per source,
 * shared terms in <mark>, numbers underlined, each member's link); the
 * matched pairs whose numbers differ; each source's unique statements; the
 * matched statements no cluster holds; the facts as a matrix (report_facts.c); the
 * similarity heatmap in document order; the flagged statements.  The page
 * is assembled in a ts_buf and written to the ts_outfile in 64 KiB pieces.
 *
 * Safety: every piece of input text goes through html.h: ts_html_put for
 * text and attribute values, ts_html_json inside the JSON <script> blocks,
 * so that no input can close an element or a script.  Highlighting is done
 * here at generation time: a word is marked when its case folding (ICU)
 * equals a folded shared term of the cluster, or a word of a shared n-gram.
 *
 * The heatmap travels as JSON: the downsampled matrix quantised to one byte
 * per cell and base64-encoded (1.33 bytes a cell), plus the bin starts and
 * the source ranges; one inline script (web/report.js, with the page's
 * style web/report.css) draws it, the facts table and the map, and marks
 * each data-rendered="1".  Long lists are capped
 * (REPORT_MAX_*) with a note pointing at the CSV that holds everything; the
 * facts table holds every fact and pages through them, so that 50,000
 * statements make a page of about 7.5 MB.  Nothing depends on time or
 * memory addresses: the same input gives the same bytes.
 */
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucasemap.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "align/numbers.h"
#include "align_tables.h"
#include "base/buf.h"
#include "base/diag.h"
#include "base/utf8.h"
#include "html.h"
#include "report_facts.h"
#include "web.h"

#define REPORT_MAX_CLUSTERS 500       /* multi-source cluster rows (the facts table has all) */
#define REPORT_MAX_DISCREPANCIES 2000 /* pairs with differing numbers */
#define REPORT_MAX_UNIQUE 1000        /* unique statements per source */
#define REPORT_MAX_FLAGGED 2000       /* flagged statements in all */
#define REPORT_MAX_WORD 200           /* longer words are never highlighted (bytes) */
#define REPORT_FLUSH (1u << 16)

/* ------------------------------------------------------------ term sets */

/* A list of NUL-terminated strings stored back to back in one buffer. */
typedef struct string_list {
    ts_buf text;
    size_t *offsets;
    size_t count, capacity;
    int failed;
} string_list;

static const char *list_at(const string_list *l, size_t k) { return l->text.data + l->offsets[k]; }

static int list_contains(const string_list *l, const char *s, size_t len)
{
    for (size_t k = 0; k < l->count; k++) {
        const char *t = list_at(l, k);
        if (strncmp(t, s, len) == 0 && t[len] == '\0')
            return 1;
    }
    return 0;
}

static void list_push(string_list *l, const char *s, size_t len)
{
    if (!TS_GROW(l->offsets, l->capacity, l->count + 1)) {
        l->failed = 1;
        return;
    }
    if (!ts_buf_reserve(&l->text, len + 1)) {
        l->failed = 1;
        return;
    }
    l->offsets[l->count++] = l->text.len;
    ts_buf_append(&l->text, s, len);
    ts_buf_putc(&l->text, '\0');
}

static void list_clear(string_list *l)
{
    l->text.len = 0;
    l->count = 0;
}

static void list_free(string_list *l)
{
    ts_buf_free(&l->text);
    free(l->offsets);
}

static int list_ok(const string_list *l) { return !l->failed && !l->text.failed; }

/* ---------------------------------------------------------------- report */

typedef struct report {
    ts_outfile *f;
    ts_diag *diag;
    ts_buf b;
    ts_status st; /* first write failure */
    const ts_corpus *corpus;
    const ts_tfidf *tfidf;
    const ts_alignment *al;
    const ts_report_info *info;
    UCaseMap *fold;
    size_t n, nsources, nclusters, npairs;
    size_t *by_cluster;    /* pair indices grouped by cluster (0 = refused), each group ascending */
    size_t *cluster_start; /* nclusters + 2 offsets into by_cluster */
    size_t shown_clusters; /* clusters 1..shown_clusters have a row */
    string_list terms;     /* the current cluster's shared terms, first seen first */
    string_list words;     /* their words, case-folded */
    char folded[4 * REPORT_MAX_WORD + 16];
} report;

static void flush(report *r, int force)
{
    if (r->st != TS_OK)
        return;
    if (r->b.failed) {
        r->st = TS_FAIL(r->diag, TS_ERR_NOMEM, "out of memory formatting report.html");
        return;
    }
    if (!force && r->b.len < REPORT_FLUSH)
        return;
    r->st = ts_outfile_write(r->f, r->b.data, r->b.len, r->diag);
    r->b.len = 0;
}

static const char *source_name(const report *r, size_t s) { return ts_corpus_source_name(r->corpus, s); }

/* "SOURCE:INDEX" of statement i, escaped. */
static void put_html_id(report *r, size_t i)
{
    ts_statement s = ts_corpus_statement(r->corpus, i);
    ts_html_put_str(&r->b, source_name(r, s.source));
    ts_buf_printf(&r->b, ":%lu", (unsigned long)s.index);
}

/* A source's name in the sources table: a link to its page when the sources
 * file gives an http(s) URL (no other scheme, so no javascript:), and its
 * date. */
static void put_source_cell(report *r, size_t s)
{
    const char *url = r->info && r->info->source_url ? r->info->source_url[s] : NULL;
    const char *date = r->info && r->info->source_date ? r->info->source_date[s] : NULL;
    int link = url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0);
    if (link) {
        ts_buf_puts(&r->b, "<a href=\"");
        ts_html_put_str(&r->b, url);
        ts_buf_puts(&r->b, "\" rel=\"noopener noreferrer\">");
    }
    ts_html_put_str(&r->b, source_name(r, s));
    if (link)
        ts_buf_puts(&r->b, "</a>");
    if (date && date[0]) {
        ts_buf_puts(&r->b, " <span class=\"date\">");
        ts_html_put_str(&r->b, date);
        ts_buf_puts(&r->b, "</span>");
    }
}

static size_t support_of(const report *r, size_t cluster)
{
    return ts_alignment_cluster_support(r->al, cluster);
}

static int is_unique(const report *r, size_t i)
{
    return ts_alignment_statement_status(r->al, i) == TS_ALIGNMENT_UNIQUE;
}

/* Python's \w: letters, numbers and the underscore. */
/* The code point at s[*i] (U+FFFD when invalid: the corpus is valid UTF-8);
 * advances *i. */
static UChar32 next_code_point(const char *s, size_t len, size_t *i)
{
    uint32_t cp;
    *i += ts_utf8_decode(s + *i, len - *i, &cp);
    return (UChar32)cp;
}

static int is_word_char(UChar32 c)
{
    if (c < 0)
        return 0;
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
}

/* Case-folds s into r->folded; NULL when it is too long or ICU fails. */
static const char *fold(report *r, const char *s, size_t len)
{
    if (len > REPORT_MAX_WORD)
        return NULL;
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = ucasemap_utf8FoldCase(r->fold, r->folded, (int32_t)sizeof r->folded - 1, s,
                                      (int32_t)len, &err);
    if (U_FAILURE(err) || n < 0 || (size_t)n >= sizeof r->folded)
        return NULL;
    r->folded[n] = '\0';
    return r->folded;
}

/* Collects the shared terms of cluster c's matched pairs into r->terms and
 * their folded words into r->words (unique; a handful per cluster, so lists
 * searched linearly suffice). */
static void collect_terms(report *r, size_t c)
{
    list_clear(&r->terms);
    list_clear(&r->words);
    for (size_t k = r->cluster_start[c]; k < r->cluster_start[c + 1]; k++) {
        const char *t = ts_alignment_pair_terms(r->al, r->by_cluster[k]);
        while (*t) {
            size_t len = strcspn(t, ";");
            size_t lead = strspn(t, " ");
            const char *term = t + (lead < len ? lead : len);
            size_t tl = len - (size_t)(term - t);
            while (tl && term[tl - 1] == ' ')
                tl--;
            if (tl && !list_contains(&r->terms, term, tl))
                list_push(&r->terms, term, tl);
            t += len + (t[len] == ';');
        }
    }
    for (size_t k = 0; k < r->terms.count; k++) {
        const char *t = list_at(&r->terms, k);
        while (*t) {
            size_t len = strcspn(t, " ");
            const char *w = len ? fold(r, t, len) : NULL;
            if (w && !list_contains(&r->words, w, strlen(w)))
                list_push(&r->words, w, strlen(w));
            t += len + (t[len] == ' ');
        }
    }
}

static int word_is_term(report *r, const char *s, size_t len)
{
    const char *w = fold(r, s, len);
    if (!w)
        return 0;
    for (size_t k = 0; k < r->words.count; k++)
        if (strcmp(list_at(&r->words, k), w) == 0)
            return 1;
    return 0;
}

/* Statement text with the words of r->words in <mark> and its numbers
 * (nums: its numbers.h list, units included) in <span class="number">. */
static void put_marked_words(report *r, const char *s, size_t len);

static void put_marked(report *r, const char *s, size_t len, const ts_number_list *nums)
{
    size_t at = 0;
    for (size_t k = 0; k < nums->count; k++) {
        const ts_number *x = &nums->items[k];
        if (x->begin < at || x->end > len)
            continue;
        put_marked_words(r, s + at, x->begin - at);
        ts_buf_puts(&r->b, "<span class=\"number\">");
        put_marked_words(r, s + x->begin, x->end - x->begin); /* "five-<mark>hour</mark>" */
        ts_buf_puts(&r->b, "</span>");
        at = x->end;
    }
    put_marked_words(r, s + at, len - at);
}

static void put_marked_words(report *r, const char *s, size_t len)
{
    size_t i = 0, done = 0;
    while (r->words.count && i < len) {
        size_t start = i;
        if (!is_word_char(next_code_point(s, len, &i)))
            continue;
        size_t end = i;
        while (end < len) {
            size_t k = end;
            if (!is_word_char(next_code_point(s, len, &k)))
                break;
            end = k;
        }
        if (word_is_term(r, s + start, end - start)) {
            ts_html_put(&r->b, s + done, start - done);
            ts_buf_puts(&r->b, "<mark>");
            ts_html_put(&r->b, s + start, end - start);
            ts_buf_puts(&r->b, "</mark>");
            done = end;
        }
        i = end;
    }
    ts_html_put(&r->b, s + done, len - done);
}

/* <span class="sid">ID</span><span class="text">TEXT</span>, TEXT marked
 * (put_marked) when its numbers are given. */
static void put_statement(report *r, size_t i, const ts_number_list *marked)
{
    ts_statement s = ts_corpus_statement(r->corpus, i);
    ts_buf_puts(&r->b, "<span class=\"sid\">");
    put_html_id(r, i);
    ts_buf_puts(&r->b, "</span><span class=\"text\">");
    if (marked)
        put_marked(r, s.text, s.length, marked);
    else
        ts_html_put(&r->b, s.text, s.length);
    ts_buf_puts(&r->b, "</span>");
}

/* The link that brought a cluster member in: "linked to ap:7 (0.31)", or
 * "restates it, linked to ...", so that weak links show. */
static void put_link(report *r, size_t i)
{
    size_t other;
    float score;
    int how = ts_alignment_statement_link(r->al, i, &other, &score);
    if (!how)
        return;
    ts_buf_printf(&r->b, "<span class=\"link%s\">%s", how == 2 ? " restatement" : "",
                  how == 2 ? "restatement, best match " : "linked to ");
    put_html_id(r, other);
    ts_buf_printf(&r->b, " (%.2f)</span>", (double)score);
}

/* ------------------------------------------------------------ page parts */

/* The page's web files (host/output/web), put as they are: embedded at build
 * time, so that a missing one is a build error, never a page without it. */
static void put_web(ts_buf *b, const char *name)
{
    const ts_resource *res = ts_web_find(name);
    if (res)
        ts_buf_append(b, res->data, res->size);
    else
        b->failed = 1;
}

static void write_head(report *r)
{
    ts_buf *b = &r->b;
    ts_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>textsim report: ");
    ts_html_put_str(b, r->info && r->info->title ? r->info->title : "alignment");
    ts_buf_puts(b, "</title>\n");
    ts_buf_puts(b, "<style>\n");
    put_web(b, "host/output/web/report.css");
    ts_buf_puts(b, "</style>\n");
    ts_buf_puts(b, "</head>\n<body>\n");
}

static void write_header(report *r)
{
    ts_buf *b = &r->b;
    size_t flagged = 0, pairs_disc = 0;
    for (size_t i = 0; i < r->n; i++)
        flagged += ts_alignment_statement_flags(r->al, i) != 0;
    for (size_t p = 0; p < r->npairs; p++)
        pairs_disc += ts_alignment_pair(r->al, p).discrepancy != 0;

    ts_buf_puts(b, "<header>\n<h1>");
    ts_html_put_str(b, r->info && r->info->title ? r->info->title : "textsim alignment");
    ts_buf_puts(b, "</h1>\n<p class=\"settings\">");
    if (r->info && r->info->settings)
        ts_html_put_str(b, r->info->settings);
    ts_buf_printf(b, "; %zu terms</p>\n", ts_tfidf_cols(r->tfidf));

    /* clusters by support; singletons of flagged statements are not facts */
    size_t *by_support = calloc(r->nsources + 2, sizeof *by_support);
    if (!by_support) {
        b->failed = 1;
        return;
    }
    for (size_t c = 1; c <= r->nclusters; c++) {
        const uint32_t *m;
        size_t k = ts_alignment_cluster_members(r->al, c, &m);
        if (k == 1 && ts_alignment_statement_flags(r->al, m[0]))
            continue;
        k = support_of(r, c);
        by_support[k <= r->nsources ? k : r->nsources + 1]++;
    }
    ts_buf_printf(b, "<p class=\"summary\" id=\"counts\"><span><b>%zu</b> statements from <b>%zu</b> "
                     "sources</span><span><b>%zu</b> flagged (too short or boilerplate)</span>"
                     "<span><b>%zu</b> matched pairs, <b>%zu</b> with differing numbers</span></p>\n",
                  r->n, r->nsources, flagged, r->npairs, pairs_disc);
    ts_buf_puts(b, "<p class=\"summary\" id=\"support\"><span>Clusters by number of sources:</span>");
    for (size_t k = r->nsources; k >= 1; k--) {
        if (!by_support[k])
            continue;
        if (k == 1)
            ts_buf_printf(b, "<span data-support=\"1\">one source only: <b>%zu</b></span>",
                          by_support[k]);
        else
            ts_buf_printf(b, "<span data-support=\"%zu\">%zu sources: <b>%zu</b></span>", k, k,
                          by_support[k]);
    }
    ts_buf_puts(b, "</p>\n");
    free(by_support);

    ts_buf_puts(b, "<table class=\"sources\"><thead><tr><th>#</th><th>Source</th>"
                   "<th class=\"num\">Statements</th><th class=\"num\">Flagged</th>"
                   "<th class=\"num\">Shared</th><th class=\"num\">Matched</th>"
                   "<th class=\"num\">Unique</th></tr></thead><tbody>\n");
    for (size_t s = 0; s < r->nsources; s++) {
        size_t first, count, by[4] = {0};
        ts_corpus_source_range(r->corpus, s, &first, &count);
        for (size_t i = first; i < first + count; i++)
            by[ts_alignment_statement_status(r->al, i) & 3]++;
        size_t fl = by[TS_ALIGNMENT_FLAGGED], shared = by[TS_ALIGNMENT_CLUSTERED];
        size_t matched = by[TS_ALIGNMENT_MATCHED], uniq = by[TS_ALIGNMENT_UNIQUE];
        ts_buf_printf(b, "<tr data-source=\"%zu\"><td>S%zu</td><td>", s, s + 1);
        put_source_cell(r, s);
        ts_buf_printf(b, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                         "<td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                         "<td class=\"num\"><a href=\"#unique-%zu\">%zu</a></td></tr>\n",
                      count, fl, shared, matched, s, uniq);
    }
    ts_buf_puts(b, "</tbody></table>\n"
                   "<nav><a href=\"#facts\">Who said what</a><a href=\"#clusters\">Shared "
                   "statements</a><a href=\"#discrepancies\">Differing numbers</a><a href=\"#unique\">"
                   "Unique statements</a><a href=\"#matched\">Matched, not merged</a>"
                   "<a href=\"#cluster-map\">The facts as a matrix</a><a href=\"#heatmap\">"
                   "Similarity matrix</a><a href=\"#flagged\">Flagged</a></nav>\n</header>\n"
                   "<main>\n");
}

static void write_heatmap(report *r)
{
    ts_buf *b = &r->b;
    size_t size;
    const size_t *bins;
    const float *heat = ts_alignment_heatmap(r->al, &size, &bins);
    unsigned char *q = malloc(size * size + 1);
    if (!q) {
        b->failed = 1;
        return;
    }
    for (size_t k = 0; k < size * size; k++) {
        float v = heat[k];
        q[k] = !(v > 0.0f) ? 0 : v >= 1.0f ? 255 : (unsigned char)lrintf(v * 255.0f);
    }
    ts_buf_puts(b, "<section id=\"heatmap\">\n<h2>Similarity matrix, in document order</h2>\n");
    float floor = ts_alignment_heatmap_floor(r->al);
    if (floor > 0.0f)
        ts_buf_printf(b, "<p class=\"caption\" id=\"heatmap-caption\">Cosine similarity of the "
                         "candidate pairs of the %zu statements, sources in order (S1 top left): "
                         "<b>only pairs from different sources that take part and score at least "
                         "%.2f</b>, the only ones computed (the whole matrix is computed when "
                         "similarity.csv is written); other cells are blank. Lines mark where a "
                         "source begins, the grey diagonal is each statement with itself.",
                      r->n, (double)floor);
    else
        ts_buf_printf(b, "<p class=\"caption\" id=\"heatmap-caption\">Cosine similarity of every pair "
                         "of the %zu statements, sources in order (S1 top left); lines mark where a "
                         "source begins, the grey diagonal is each statement with itself.",
                      r->n);
    if (size < r->n)
        ts_buf_printf(b, " <b>Downsampled</b>: the %zu&times;%zu matrix is shown as %zu&times;%zu "
                         "cells, each the maximum of a block of about %zu&times;%zu statement pairs.",
                      r->n, r->n, size, size, (r->n + size - 1) / size, (r->n + size - 1) / size);
    ts_buf_puts(b, "</p>\n<div class=\"heat\">\n");
    ts_buf_printf(b, "<canvas id=\"heatmap-canvas\" width=\"680\" height=\"664\" data-size=\"%zu\" "
                     "data-statements=\"%zu\">The heatmap needs JavaScript.</canvas>\n",
                  size, r->n);
    ts_buf_puts(b, "<div class=\"heat-side\"><div id=\"heatmap-info\">Point at a cell to see its "
                   "statements and score.</div>\n<p class=\"caption\">Colour scale (cosine):</p>\n"
                   "<canvas id=\"heatmap-legend\" width=\"320\" height=\"40\"></canvas>\n"
                   "<table class=\"sources\"><tbody>\n");
    for (size_t s = 0; s < r->nsources; s++) {
        ts_buf_printf(b, "<tr><td>S%zu</td><td>", s + 1);
        ts_html_put_str(b, source_name(r, s));
        ts_buf_puts(b, "</td></tr>\n");
    }
    ts_buf_puts(b, "</tbody></table></div>\n</div>\n");

    ts_buf_printf(b, "<script type=\"application/json\" id=\"heatmap-data\">{\"n\":%zu,\"size\":%zu,"
                     "\"floor\":%.6g,\"bins\":[",
                  r->n, size, (double)floor);
    for (size_t k = 0; k <= size; k++)
        ts_buf_printf(b, k ? ",%zu" : "%zu", bins[k]);
    ts_buf_puts(b, "],\"sources\":[");
    for (size_t s = 0; s < r->nsources; s++) {
        size_t first, count;
        ts_corpus_source_range(r->corpus, s, &first, &count);
        ts_buf_puts(b, s ? ",{\"name\":" : "{\"name\":");
        ts_html_json_str(b, source_name(r, s));
        ts_buf_printf(b, ",\"first\":%zu,\"count\":%zu}", first, count);
    }
    ts_buf_puts(b, "],\"cells\":\"");
    ts_html_base64(b, q, size * size);
    ts_buf_puts(b, "\"}</script>\n</section>\n");
    free(q);
}

static void write_source_headers(report *r)
{
    for (size_t s = 0; s < r->nsources; s++) {
        ts_buf_printf(&r->b, "<th data-source=\"%zu\">S%zu ", s, s + 1);
        ts_html_put_str(&r->b, source_name(r, s));
        ts_buf_puts(&r->b, "</th>");
    }
}

/* A cluster's differing numbers, who says what (report_facts.h). */
static void put_cluster_numbers(report *r, const uint32_t *m, const ts_number_list *l, size_t k)
{
    ts_buf text = {0};
    ts_facts_numbers_differ(r->corpus, m, l, k, &text);
    if (text.failed)
        r->b.failed = 1;
    else if (text.len) {
        ts_buf_puts(&r->b, "<div class=\"numbers-differ\">numbers differ: ");
        ts_html_put(&r->b, text.data, text.len);
        ts_buf_puts(&r->b, "</div>");
    }
    ts_buf_free(&text);
}

static void write_cluster_row(report *r, size_t c)
{
    ts_buf *b = &r->b;
    const uint32_t *m;
    size_t k = ts_alignment_cluster_members(r->al, c, &m);
    float best = 0.0f, best_model = 0.0f;
    size_t best_pair = SIZE_MAX; /* the pair of the highest model score */
    for (size_t p = r->cluster_start[c]; p < r->cluster_start[c + 1]; p++) {
        ts_aligned_pair pr = ts_alignment_pair(r->al, r->by_cluster[p]);
        if (pr.score > best)
            best = pr.score;
        if (pr.model_score > best_model) {
            best_model = pr.model_score;
            best_pair = r->by_cluster[p];
        }
    }
    collect_terms(r, c);
    size_t support = support_of(r, c);
    ts_buf_printf(b, "<tr class=\"cluster\" id=\"c%zu\" data-cluster=\"%zu\" data-support=\"%zu\">"
                     "<td class=\"info\"><a href=\"#c%zu\">#%zu</a> <span class=\"badge\">%zu "
                     "sources</span><div class=\"terms\">best cosine %.3f</div>",
                  c, c, support, c, c, support, (double)best);
    if (best_pair != SIZE_MAX) {
        ts_buf_printf(b, "<div class=\"terms\">best model score %.3f: ", (double)best_model);
        ts_html_put_str(b, ts_alignment_pair_reasons(r->al, best_pair));
        ts_buf_puts(b, "</div>");
    }
    if (r->terms.count) {
        ts_buf_puts(b, "<div class=\"terms\">shared: ");
        for (size_t t = 0; t < r->terms.count; t++) {
            if (t)
                ts_buf_puts(b, ", ");
            ts_html_put_str(b, list_at(&r->terms, t));
        }
        ts_buf_puts(b, "</div>");
    }
    ts_number_list *nums = calloc(k ? k : 1, sizeof *nums);
    for (size_t i = 0; nums && i < k; i++) {
        ts_number_list_init(&nums[i]);
        if (ts_numbers_of_statement(r->corpus, m[i], &nums[i], NULL) != TS_OK)
            r->b.failed = 1;
    }
    if (nums)
        put_cluster_numbers(r, m, nums, k);
    else
        r->b.failed = 1;
    ts_buf_puts(b, "</td>");
    size_t j = 0; /* members ascend, so they come in source order */
    for (size_t s = 0; s < r->nsources; s++) {
        if (j < k && ts_corpus_statement(r->corpus, m[j]).source == s) {
            ts_buf_printf(b, "<td class=\"st\" id=\"s%lu\" data-source=\"%zu\" data-id=\"",
                          (unsigned long)m[j], s);
            put_html_id(r, m[j]);
            ts_buf_puts(b, "\">");
            /* the source's statements in this cluster: its first, then its restatements */
            for (int more = 0; j < k && ts_corpus_statement(r->corpus, m[j]).source == s; j++) {
                if (more++)
                    ts_buf_printf(b, "<div class=\"restated\" id=\"s%lu\">",
                                  (unsigned long)m[j]);
                put_statement(r, m[j], nums ? &nums[j] : NULL);
                put_link(r, m[j]);
                if (more > 1)
                    ts_buf_puts(b, "</div>");
            }
            ts_buf_puts(b, "</td>");
        } else {
            ts_buf_printf(b, "<td class=\"empty\" data-source=\"%zu\"></td>", s);
        }
    }
    ts_buf_puts(b, "</tr>\n");
    for (size_t i = 0; nums && i < k; i++)
        ts_number_list_free(&nums[i]);
    free(nums);
}

static void write_clusters(report *r)
{
    ts_buf *b = &r->b;
    size_t total = 0;
    for (size_t c = 1; c <= r->nclusters && support_of(r, c) >= 2; c++)
        total++;
    r->shown_clusters = total < REPORT_MAX_CLUSTERS ? total : REPORT_MAX_CLUSTERS;
    ts_buf_printf(b, "<section id=\"clusters\">\n<h2>Shared statements: %zu cluster%s reported by two "
                     "or more sources</h2>\n",
                  total, total == 1 ? "" : "s");
    ts_buf_puts(b, "<p class=\"note\">Most sources first. Each row holds statements that match across "
                   "sources, one column per source; <mark>highlighted</mark> words are terms the "
                   "matched statements share.</p>\n");
    if (total > r->shown_clusters)
        ts_buf_printf(b, "<p class=\"note cap\">Showing the first %zu of %zu clusters; the table "
                         "above and clusters.csv list all of them.</p>\n",
                      r->shown_clusters, total);
    if (total == 0) {
        ts_buf_puts(b, "<p class=\"note\">No statement matched a statement of another source.</p>\n"
                       "</section>\n");
        return;
    }
    ts_buf_printf(b, "<table class=\"clusters\" style=\"min-width:%zupx\"><colgroup><col class=\"info\">",
                  150 + 220 * r->nsources);
    for (size_t s = 0; s < r->nsources; s++)
        ts_buf_puts(b, "<col>");
    ts_buf_puts(b, "</colgroup>\n<thead><tr><th>Cluster</th>");
    write_source_headers(r);
    ts_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t c = 1; c <= r->shown_clusters && r->st == TS_OK; c++) {
        write_cluster_row(r, c);
        flush(r, 0);
    }
    ts_buf_puts(b, "</tbody></table>\n</section>\n");
}

static void write_discrepancies(report *r)
{
    ts_buf *b = &r->b;
    size_t total = 0, shown = 0;
    for (size_t p = 0; p < r->npairs; p++)
        total += ts_alignment_pair(r->al, p).discrepancy != 0;
    ts_buf_printf(b, "<section id=\"discrepancies\">\n<h2>Differing numbers: %zu matched pair%s</h2>\n",
                  total, total == 1 ? "" : "s");
    if (total == 0) {
        ts_buf_puts(b, "<p class=\"note\">No matched pair states different numbers for the same "
                       "unit.</p>\n</section>\n");
        return;
    }
    ts_buf_puts(b, "<p class=\"note\">Matched statements that give different values for the same "
                   "unit and share no value for it; worth checking against the sources.</p>\n");
    if (total > REPORT_MAX_DISCREPANCIES)
        ts_buf_printf(b, "<p class=\"note cap\">Showing the first %d of %zu pairs; alignment.csv "
                         "lists all of them (discrepancy=1).</p>\n",
                      REPORT_MAX_DISCREPANCIES, total);
    ts_buf_puts(b, "<table class=\"discrepancies\"><colgroup><col style=\"width:31%\">"
                   "<col style=\"width:12%\"><col style=\"width:31%\"><col style=\"width:12%\">"
                   "<col style=\"width:14%\"></colgroup>\n"
                   "<thead><tr><th>Statement</th><th>Its numbers</th>"
                   "<th>Matched statement</th><th>Its numbers</th><th>Differs</th></tr></thead>\n"
                   "<tbody>\n");
    for (size_t p = 0; p < r->npairs && shown < REPORT_MAX_DISCREPANCIES && r->st == TS_OK; p++) {
        ts_aligned_pair pr = ts_alignment_pair(r->al, p);
        if (!pr.discrepancy)
            continue;
        shown++;
        ts_buf_puts(b, "<tr class=\"pair\" data-a=\"");
        put_html_id(r, pr.a);
        ts_buf_puts(b, "\" data-b=\"");
        put_html_id(r, pr.b);
        ts_buf_puts(b, "\"><td class=\"st\">");
        put_statement(r, pr.a, 0);
        ts_buf_puts(b, "</td><td class=\"numbers\">");
        ts_html_put_str(b, ts_alignment_pair_numbers(r->al, p, 0));
        ts_buf_puts(b, "</td><td class=\"st\">");
        put_statement(r, pr.b, 0);
        ts_buf_puts(b, "</td><td class=\"numbers\">");
        ts_html_put_str(b, ts_alignment_pair_numbers(r->al, p, 1));
        ts_buf_puts(b, "</td><td><div class=\"discrepancy\">");
        ts_html_put_str(b, ts_alignment_pair_discrepancy(r->al, p));
        ts_buf_printf(b, "</div><div class=\"terms\">cosine %.3f", (double)pr.score);
        if (ts_alignment_uses_model(r->al)) {
            ts_buf_printf(b, " &middot; model %.3f (", (double)pr.model_score);
            ts_html_put_str(b, ts_alignment_pair_reasons(r->al, p));
            ts_buf_puts(b, ")");
        }
        if (pr.cluster && pr.cluster <= r->shown_clusters)
            ts_buf_printf(b, " &middot; <a href=\"#c%zu\">cluster %zu</a>", pr.cluster, pr.cluster);
        ts_buf_puts(b, "</div></td></tr>\n");
        flush(r, 0);
    }
    ts_buf_puts(b, "</tbody></table>\n</section>\n");
}

/* The note of a statement list cut at `max` entries: where the rest are. */
static void put_statements_cap(ts_buf *b, int max, size_t total, const char *where)
{
    if (total > (size_t)max)
        ts_buf_printf(b, "<p class=\"note cap\">Showing the first %d of %zu; statements.csv lists "
                         "all of them (%s).</p>\n",
                      max, total, where);
}

static void write_unique(report *r)
{
    ts_buf *b = &r->b;
    ts_buf_puts(b, "<section id=\"unique\">\n<h2>Reported by one source only</h2>\n"
                   "<p class=\"note\">Statements that no statement of another source scores "
                   "at or above the threshold with (flagged statements are listed apart).</p>\n");
    for (size_t s = 0; s < r->nsources && r->st == TS_OK; s++) {
        size_t first, count, total = 0, shown = 0;
        ts_corpus_source_range(r->corpus, s, &first, &count);
        for (size_t i = first; i < first + count; i++)
            total += is_unique(r, i);
        ts_buf_printf(b, "<details class=\"source-unique\" id=\"unique-%zu\" data-source=\"%zu\" "
                         "open><summary>S%zu ",
                      s, s, s + 1);
        ts_html_put_str(b, source_name(r, s));
        ts_buf_printf(b, " &middot; %zu unique statement%s</summary>\n", total, total == 1 ? "" : "s");
        put_statements_cap(b, REPORT_MAX_UNIQUE, total, "status unique");
        if (total)
            ts_buf_puts(b, "<ol class=\"unique\">\n");
        for (size_t i = first; i < first + count && shown < REPORT_MAX_UNIQUE; i++) {
            if (!is_unique(r, i))
                continue;
            shown++;
            ts_buf_printf(b, "<li class=\"unique\" id=\"s%zu\" data-id=\"", i);
            put_html_id(r, i);
            ts_buf_puts(b, "\">");
            put_statement(r, i, NULL);
            ts_buf_puts(b, "</li>\n");
            flush(r, 0);
        }
        ts_buf_puts(b, total ? "</ol>\n</details>\n" : "</details>\n");
    }
    ts_buf_puts(b, "</section>\n");
}

/* Statements with a match in another source that are in no shared cluster,
 * each with its best match and why. */
static void write_matched(report *r)
{
    ts_buf *b = &r->b;
    size_t total = 0, shown = 0;
    for (size_t i = 0; i < r->n; i++)
        total += ts_alignment_statement_status(r->al, i) == TS_ALIGNMENT_MATCHED;
    ts_buf_printf(b, "<section id=\"matched\">\n<h2>Matched, not merged</h2>\n"
                     "<p class=\"note\">%zu statement%s that another source's statement matches "
                     "at or above the threshold, but that no shared cluster holds: other sources "
                     "may report them too.</p>\n",
                  total, total == 1 ? "" : "s");
    put_statements_cap(b, REPORT_MAX_UNIQUE, total, "status matched");
    if (total)
        ts_buf_puts(b, "<table class=\"matched\"><thead><tr><th>Statement</th><th>Best match</th>"
                       "<th class=\"num\">Score</th><th>Why not merged</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n && shown < REPORT_MAX_UNIQUE && r->st == TS_OK; i++) {
        size_t best;
        float score;
        if (ts_alignment_statement_status(r->al, i) != TS_ALIGNMENT_MATCHED ||
            !ts_alignment_statement_best(r->al, i, &best, &score))
            continue;
        shown++;
        ts_buf_puts(b, "<tr class=\"matched\" data-id=\"");
        put_html_id(r, i);
        ts_buf_puts(b, "\" data-best=\"");
        put_html_id(r, best);
        ts_buf_puts(b, "\"><td>");
        put_statement(r, i, NULL);
        ts_buf_puts(b, "</td><td>");
        put_statement(r, best, NULL);
        ts_buf_printf(b, "</td><td class=\"num\">%.3f</td><td class=\"why\">", (double)score);
        ts_html_put_str(b, ts_alignment_statement_reason(r->al, i));
        ts_buf_puts(b, "</td></tr>\n");
        flush(r, 0);
    }
    if (total)
        ts_buf_puts(b, "</tbody></table>\n");
    ts_buf_puts(b, "</section>\n");
}

static void write_flagged(report *r)
{
    ts_buf *b = &r->b;
    size_t total = 0, shown = 0;
    for (size_t i = 0; i < r->n; i++)
        total += ts_alignment_statement_flags(r->al, i) != 0;
    ts_buf_printf(b, "<section id=\"flagged\">\n<h2>Flagged statements</h2>\n<details class=\"flagged\">"
                     "<summary>%zu statement%s too short or boilerplate, not aligned</summary>\n",
                  total, total == 1 ? "" : "s");
    put_statements_cap(b, REPORT_MAX_FLAGGED, total, "column flag");
    if (total)
        ts_buf_puts(b, "<table class=\"flagged\"><thead><tr><th>Statement</th><th>Flag</th>"
                       "<th class=\"num\">Tokens</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < r->n && shown < REPORT_MAX_FLAGGED && r->st == TS_OK; i++) {
        unsigned flags = ts_alignment_statement_flags(r->al, i);
        if (!flags)
            continue;
        shown++;
        ts_buf_printf(b, "<tr class=\"flagged\" id=\"s%zu\" data-id=\"", i);
        put_html_id(r, i);
        ts_buf_printf(b, "\" data-flag=\"%s\"><td>", ts_statement_flag_name(flags));
        put_statement(r, i, NULL);
        ts_buf_printf(b, "</td><td>%s</td><td class=\"num\">%u</td></tr>\n", ts_statement_flag_name(flags),
                      ts_alignment_statement_tokens(r->al, i));
        flush(r, 0);
    }
    if (total)
        ts_buf_puts(b, "</tbody></table>\n");
    ts_buf_puts(b, "</details>\n</section>\n");
}

/* Groups the pair indices by cluster (counting sort, stable). */
static int group_pairs(report *r)
{
    r->cluster_start = calloc(r->nclusters + 2, sizeof *r->cluster_start);
    r->by_cluster = malloc((r->npairs ? r->npairs : 1) * sizeof *r->by_cluster);
    if (!r->cluster_start || !r->by_cluster)
        return 0;
    for (size_t p = 0; p < r->npairs; p++) {
        size_t c = ts_alignment_pair(r->al, p).cluster;
        r->cluster_start[(c <= r->nclusters ? c : 0) + 1]++;
    }
    for (size_t c = 1; c <= r->nclusters + 1; c++)
        r->cluster_start[c] += r->cluster_start[c - 1];
    size_t *fill = calloc(r->nclusters + 1, sizeof *fill);
    if (!fill)
        return 0;
    for (size_t p = 0; p < r->npairs; p++) {
        size_t c = ts_alignment_pair(r->al, p).cluster;
        c = c <= r->nclusters ? c : 0;
        r->by_cluster[r->cluster_start[c] + fill[c]++] = p;
    }
    free(fill);
    return 1;
}

ts_status ts_write_report(ts_outfile *f, const ts_corpus *corpus, const ts_tfidf *tfidf,
                          const ts_alignment *al, const ts_report_info *info, ts_diag *diag)
{
    if (!f || !corpus || !tfidf || !al)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_write_report: an argument is NULL");
    report r = {.f = f, .diag = diag, .st = TS_OK, .corpus = corpus, .tfidf = tfidf, .al = al,
                .info = info};
    r.n = ts_corpus_statement_count(corpus);
    r.nsources = ts_corpus_source_count(corpus);
    r.nclusters = ts_alignment_cluster_count(al);
    r.npairs = ts_alignment_pair_count(al);
    UErrorCode err = U_ZERO_ERROR;
    r.fold = ucasemap_open("", U_FOLD_CASE_DEFAULT, &err);
    if (U_FAILURE(err) || !r.fold) {
        ucasemap_close(r.fold);
        return TS_FAIL(diag, TS_ERR_UNICODE, "ICU cannot open its case mapping (%s) for report.html; "
                                             "check the ICU installation", u_errorName(err));
    }
    if (!group_pairs(&r)) {
        r.st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory preparing report.html");
        goto done;
    }
    write_head(&r);
    write_header(&r);
    flush(&r, 0);
    if (r.st == TS_OK)
        ts_facts_write(&r.b, corpus, al);
    flush(&r, 0);
    if (r.st == TS_OK)
        write_clusters(&r);
    flush(&r, 0);
    if (r.st == TS_OK)
        write_discrepancies(&r);
    flush(&r, 0);
    if (r.st == TS_OK)
        write_unique(&r);
    flush(&r, 0);
    if (r.st == TS_OK)
        write_matched(&r);
    flush(&r, 0);
    if (r.st == TS_OK)
        ts_facts_write_map(&r.b, corpus, tfidf, al);
    flush(&r, 0);
    if (r.st == TS_OK)
        write_heatmap(&r);
    flush(&r, 0);
    if (r.st == TS_OK)
        write_flagged(&r);
    ts_buf_puts(&r.b, "</main>\n");
    ts_buf_puts(&r.b, "<script>\n");
    put_web(&r.b, "host/output/web/report.js");
    ts_buf_puts(&r.b, "</script>\n</body>\n</html>\n");
    if (!list_ok(&r.terms) || !list_ok(&r.words))
        r.b.failed = 1;
    flush(&r, 1);
done:
    ucasemap_close(r.fold);
    list_free(&r.terms);
    list_free(&r.words);
    free(r.by_cluster);
    free(r.cluster_start);
    ts_buf_free(&r.b);
    return r.st;
}
