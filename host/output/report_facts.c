/*
 * report_facts.c - report.html's "who said what" table and cluster map
 * (report_facts.h).
 *
 * Both travel as JSON inside the page and are drawn by web/report.js, so
 * that 50,000 statements stay one page the browser pages through (the
 * table shows TS_FACTS_PAGE rows at a time) instead of one giant table.
 * The facts JSON holds, per fact (cluster with two or more sources): its
 * number, support, best pair score, the member that represents it (the
 * best-linked member that is not a restatement, then the lowest id), the
 * numbers its members disagree on, and every member: source, id, text and
 * flags (1: a restatement, 2: its numbers differ from another source's
 * member).  The map holds the cosines of the clustered statements of the
 * first clusters, at most TS_FACTS_MAP_MAX of them, one byte a cell,
 * computed here from the TF-IDF rows: a few hundred thousand short sparse
 * dot products.  Text reaches the page through html.h only.
 */
#include "report_facts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "writers.h"

/* ------------------------------------------------------------- numbers */

static int same_value(double x, double y)
{
    return fabs(x - y) <= 1e-9 * fmax(fabs(x), fabs(y));
}

/* Whether a list states value v with unit `unit`. */
static int states(const ts_number_list *l, const char *unit, double v)
{
    for (size_t k = 0; k < l->count; k++)
        if (strcmp(l->items[k].unit, unit) == 0 && same_value(l->items[k].value, v))
            return 1;
    return 0;
}

static int listed(const char *const *units, size_t n, const char *unit)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(units[i], unit) == 0)
            return 1;
    return 0;
}

static const char *source_of(const ts_corpus *corpus, uint32_t i)
{
    return ts_corpus_source_name(corpus, ts_corpus_statement(corpus, i).source);
}

/* "unit: v1 (who, who) vs v2 (who)": each value once, in the order first
 * stated, with the sources that state it. */
static void put_values(ts_buf *out, const ts_corpus *corpus, const uint32_t *m,
                       const ts_number_list *l, size_t k, const char *unit)
{
    ts_buf_printf(out, "%s:", unit[0] ? unit : "number");
    int values = 0;
    for (size_t a = 0; a < k; a++)
        for (size_t q = 0; q < l[a].count; q++) {
            const ts_number *x = &l[a].items[q];
            ts_number_list before = {l[a].items, q, q}; /* a's numbers before this one */
            int seen = strcmp(x->unit, unit) != 0 || states(&before, unit, x->value);
            for (size_t b = 0; b < a && !seen; b++)
                seen = states(&l[b], unit, x->value);
            if (seen)
                continue;
            ts_buf_printf(out, values++ ? " vs %.10g (" : " %.10g (", x->value);
            const char *last = NULL; /* a source's restatements name it once */
            for (size_t b = 0; b < k; b++)
                if (states(&l[b], unit, x->value) && source_of(corpus, m[b]) != last) {
                    ts_buf_puts(out, last ? ", " : "");
                    last = source_of(corpus, m[b]);
                    ts_buf_puts(out, last);
                }
            ts_buf_puts(out, ")");
        }
}

/* Members a and b are of different sources and disagree (numbers.h). */
static size_t disagree(const ts_corpus *corpus, const uint32_t *m, const ts_number_list *l,
                       size_t a, size_t b, ts_number_discrepancy *d, size_t cap)
{
    if (ts_corpus_statement(corpus, m[a]).source == ts_corpus_statement(corpus, m[b]).source)
        return 0;
    return ts_numbers_discrepancies(l[a].items, l[a].count, l[b].items, l[b].count, d, cap);
}

void ts_facts_numbers_differ(const ts_corpus *corpus, const uint32_t *m,
                             const ts_number_list *nums, size_t k, ts_buf *out)
{
    const char *units[16];
    size_t nu = 0;
    ts_number_discrepancy d[16];
    for (size_t a = 0; a < k; a++)
        for (size_t b = a + 1; b < k; b++) {
            size_t nd = disagree(corpus, m, nums, a, b, d, 16);
            for (size_t i = 0; i < nd && i < 16 && nu < 16; i++)
                if (!listed(units, nu, d[i].unit))
                    units[nu++] = d[i].unit;
        }
    for (size_t u = 0; u < nu; u++) {
        ts_buf_puts(out, u ? "; " : "");
        put_values(out, corpus, m, nums, k, units[u]);
    }
}

/* --------------------------------------------------------------- facts */

/* Statement i's id as a JSON string. */
static void put_id_json(ts_buf *b, const ts_corpus *corpus, size_t i)
{
    ts_buf tmp = {0};
    ts_put_statement_id(&tmp, corpus, i);
    if (tmp.failed)
        b->failed = 1;
    else
        ts_html_json(b, tmp.data, tmp.len);
    ts_buf_free(&tmp);
}

/* The member that stands for the fact: the best link that is not a
 * restatement, then the lowest id (members ascend). */
static size_t representative(const ts_alignment *al, const uint32_t *m, size_t k)
{
    size_t best = 0;
    float best_score = -1.0f;
    for (size_t j = 0; j < k; j++) {
        size_t other;
        float score;
        if (ts_alignment_statement_link(al, m[j], &other, &score) == 1 && score > best_score) {
            best = j;
            best_score = score;
        }
    }
    return best;
}

/* One fact's JSON object. */
static void put_fact(ts_buf *b, const ts_corpus *corpus, const ts_alignment *al, size_t c,
                     float best, ts_number_list *nums, unsigned char *flags)
{
    const uint32_t *m;
    size_t k = ts_alignment_cluster_members(al, c, &m);
    for (size_t j = 0; j < k; j++) {
        ts_number_list_init(&nums[j]);
        if (ts_numbers_of_statement(corpus, m[j], &nums[j], NULL) != TS_OK)
            b->failed = 1;
        flags[j] = ts_alignment_statement_link(al, m[j], NULL, NULL) == 2;
    }
    ts_number_discrepancy d[1];
    for (size_t a = 0; a < k; a++)
        for (size_t z = a + 1; z < k; z++)
            if (disagree(corpus, m, nums, a, z, d, 1)) {
                flags[a] |= 2;
                flags[z] |= 2;
            }
    ts_buf differ = {0};
    ts_buf_puts(&differ, "");
    ts_facts_numbers_differ(corpus, m, nums, k, &differ);
    ts_buf_printf(b, "{\"c\":%zu,\"k\":%zu,\"s\":%.4f,\"r\":%zu,\"d\":", c,
                  ts_alignment_cluster_support(al, c), (double)best, representative(al, m, k));
    if (differ.failed)
        b->failed = 1;
    else
        ts_html_json(b, differ.data, differ.len);
    ts_buf_free(&differ);
    ts_buf_puts(b, ",\"m\":[");
    for (size_t j = 0; j < k; j++) {
        ts_statement s = ts_corpus_statement(corpus, m[j]);
        ts_buf_printf(b, "%s[%u,", j ? "," : "", (unsigned)s.source);
        put_id_json(b, corpus, m[j]);
        ts_buf_putc(b, ',');
        ts_html_json(b, s.text, s.length);
        ts_buf_printf(b, ",%u]", (unsigned)flags[j]);
        ts_number_list_free(&nums[j]);
    }
    ts_buf_puts(b, "]}");
}

void ts_facts_write(ts_buf *b, const ts_corpus *corpus, const ts_alignment *al)
{
    size_t ns = ts_corpus_source_count(corpus), nc = ts_alignment_cluster_count(al);
    size_t n = ts_corpus_statement_count(corpus), facts = 0;
    for (size_t c = 1; c <= nc && ts_alignment_cluster_support(al, c) >= 2; c++)
        facts++;
    ts_buf_printf(b, "<section id=\"facts\">\n<h2>Who said what: %zu fact%s reported by two or "
                     "more sources</h2>\n",
                  facts, facts == 1 ? "" : "s");
    if (facts == 0) {
        ts_buf_puts(b, "<p class=\"note\">No statement matched a statement of another "
                       "source.</p>\n</section>\n");
        return;
    }
    ts_buf_puts(b, "<p class=\"note\">One row per fact (statements that match across sources), "
                   "one column per source: <span class=\"dot\">&#9679;</span> reports it, "
                   "<span class=\"dot differs\">&#8800;</span> reports it with other numbers, "
                   "blank: does not. Point at a mark to read the statement; the fact's number "
                   "leads to its statements side by side. Click a column title to sort.</p>\n"
                   "<div class=\"controls\"><input type=\"search\" id=\"facts-search\" "
                   "placeholder=\"Search the statements\" aria-label=\"Search the statements\">"
                   "<select id=\"facts-source\" aria-label=\"Filter by source\">"
                   "<option value=\"\">Every source</option>");
    for (size_t s = 0; s < ns; s++) {
        const char *name = ts_corpus_source_name(corpus, s);
        ts_buf_printf(b, "<option value=\"+%zu\">Reported by ", s);
        ts_html_put_str(b, name);
        ts_buf_printf(b, "</option><option value=\"-%zu\">Not reported by ", s);
        ts_html_put_str(b, name);
        ts_buf_puts(b, "</option>");
    }
    ts_buf_puts(b, "</select><select id=\"facts-numbers\" aria-label=\"Filter by numbers\">"
                   "<option value=\"\">Any numbers</option><option value=\"differ\">Numbers "
                   "differ</option></select><span id=\"facts-count\" class=\"count\"></span>"
                   "</div>\n<noscript><p class=\"note\">This table needs JavaScript; "
                   "clusters.csv holds the same facts.</p></noscript>\n"
                   "<div class=\"scroll\"><table class=\"facts\" id=\"facts-table\"><thead><tr>"
                   "<th class=\"sortable\" data-sort=\"c\" title=\"Sort by fact number (most "
                   "sources first)\">#</th><th>Fact</th><th class=\"sortable num\" "
                   "data-sort=\"k\" title=\"Sort by number of sources\">Sources</th>"
                   "<th class=\"sortable num\" data-sort=\"s\" title=\"Sort by best cosine\">"
                   "Score</th>");
    for (size_t s = 0; s < ns; s++) {
        ts_buf_printf(b, "<th class=\"src\" data-source=\"%zu\" title=\"", s);
        ts_html_put_str(b, ts_corpus_source_name(corpus, s));
        ts_buf_printf(b, "\">S%zu</th>", s + 1);
    }
    ts_buf_puts(b, "</tr></thead><tbody></tbody></table></div>\n<div class=\"pager\">"
                   "<button type=\"button\" id=\"facts-prev\">Previous</button>"
                   "<span id=\"facts-page\"></span><button type=\"button\" id=\"facts-next\">"
                   "Next</button></div>\n");

    /* the data: best pair score per cluster first */
    float *best = calloc(nc + 1, sizeof *best);
    ts_number_list *nums = malloc((n ? n : 1) * sizeof *nums);
    unsigned char *flags = malloc(n ? n : 1);
    if (!best || !nums || !flags) {
        b->failed = 1;
        free(best);
        free(nums);
        free(flags);
        return;
    }
    for (size_t p = 0; p < ts_alignment_pair_count(al); p++) {
        ts_aligned_pair q = ts_alignment_pair(al, p);
        if (q.cluster && q.cluster <= nc && q.score > best[q.cluster])
            best[q.cluster] = q.score;
    }
    ts_buf_printf(b, "<script type=\"application/json\" id=\"facts-data\">{\"page\":%d,"
                     "\"sources\":[",
                  TS_FACTS_PAGE);
    for (size_t s = 0; s < ns; s++) {
        ts_buf_puts(b, s ? "," : "");
        ts_html_json_str(b, ts_corpus_source_name(corpus, s));
    }
    ts_buf_puts(b, "],\"facts\":[");
    for (size_t c = 1; c <= facts; c++) {
        ts_buf_puts(b, c > 1 ? ",\n" : "\n");
        put_fact(b, corpus, al, c, best[c], nums, flags);
    }
    ts_buf_puts(b, "]}</script>\n</section>\n");
    free(best);
    free(nums);
    free(flags);
}

/* ----------------------------------------------------------------- map */

/* Cosine of two TF-IDF rows (L2-normalised by the vectorizer; raw dot
 * product otherwise), columns ascending. */
static double row_dot(const ts_tfidf *tfidf, size_t x, size_t y)
{
    const uint32_t *cx, *cy;
    const float *vx, *vy;
    size_t nx = ts_tfidf_row(tfidf, x, &cx, &vx), ny = ts_tfidf_row(tfidf, y, &cy, &vy);
    double sum = 0.0;
    for (size_t i = 0, j = 0; i < nx && j < ny;) {
        if (cx[i] == cy[j])
            sum += (double)vx[i++] * vy[j++];
        else if (cx[i] < cy[j])
            i++;
        else
            j++;
    }
    return sum;
}

void ts_facts_write_map(ts_buf *b, const ts_corpus *corpus, const ts_tfidf *tfidf,
                        const ts_alignment *al)
{
    size_t nc = ts_alignment_cluster_count(al), total = 0, shown = 0, clusters = 0;
    for (size_t c = 1; c <= nc && ts_alignment_cluster_support(al, c) >= 2; c++) {
        const uint32_t *m;
        size_t k = ts_alignment_cluster_members(al, c, &m);
        total += k;
        if (shown + k <= TS_FACTS_MAP_MAX && shown == total - k) {
            shown += k;
            clusters = c;
        }
    }
    if (shown == 0 && total > 0) { /* the first fact alone is larger: its first members */
        shown = TS_FACTS_MAP_MAX;
        clusters = 1;
    }
    ts_buf_puts(b, "<section id=\"cluster-map\">\n<h2>The facts as a matrix</h2>\n");
    if (shown == 0) {
        ts_buf_puts(b, "<p class=\"note\">No cluster to show.</p>\n</section>\n");
        return;
    }
    ts_buf_printf(b, "<p class=\"caption\" id=\"map-caption\">Cosine similarity between the "
                     "clustered statements, one block per fact on the diagonal (most sources "
                     "first), sources in order within each; flagged and unclustered statements "
                     "are left out. Point at a cell to read both statements; click it to see "
                     "its fact's statements side by side.");
    if (shown < total)
    {
        if (clusters == 1)
            ts_buf_puts(b, " <b>The first fact</b>");
        else
            ts_buf_printf(b, " <b>The first %zu facts</b>", clusters);
        ts_buf_printf(b, " (%zu of the %zu clustered statements); clusters.csv holds them all.",
                      shown, total);
    }
    ts_buf_puts(b, "</p>\n<div class=\"heat\"><canvas id=\"map-canvas\" width=\"560\" "
                   "height=\"560\">The map needs JavaScript.</canvas>\n<div class=\"heat-side\">"
                   "<div id=\"map-info\">Point at a cell to read its two statements.</div></div>"
                   "</div>\n");
    uint32_t *who = malloc(shown * sizeof *who);
    unsigned char *q = malloc(shown * shown + 1);
    if (!who || !q) {
        b->failed = 1;
        free(who);
        free(q);
        return;
    }
    size_t at = 0;
    ts_buf_printf(b, "<script type=\"application/json\" id=\"map-data\">{\"n\":%zu,"
                     "\"total\":%zu,\"ids\":[",
                  shown, total);
    for (size_t c = 1; c <= clusters; c++) {
        const uint32_t *m;
        size_t k = ts_alignment_cluster_members(al, c, &m);
        for (size_t j = 0; j < k && at < shown; j++) {
            who[at] = m[j];
            ts_buf_puts(b, at++ ? "," : "");
            put_id_json(b, corpus, m[j]);
        }
    }
    ts_buf_puts(b, "],\"c\":[");
    for (size_t i = 0; i < shown; i++)
        ts_buf_printf(b, i ? ",%zu" : "%zu", ts_alignment_cluster_of(al, who[i]));
    for (size_t i = 0; i < shown; i++)
        for (size_t j = i; j < shown; j++) {
            double v = i == j ? 1.0 : row_dot(tfidf, who[i], who[j]);
            unsigned char x = !(v > 0.0) ? 0 : v >= 1.0 ? 255 : (unsigned char)lrint(v * 255.0);
            q[i * shown + j] = q[j * shown + i] = x;
        }
    ts_buf_puts(b, "],\"cells\":\"");
    ts_html_base64(b, q, shown * shown);
    ts_buf_puts(b, "\"}</script>\n</section>\n");
    free(who);
    free(q);
}

