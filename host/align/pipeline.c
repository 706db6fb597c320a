/*
 * pipeline.c - statement alignment across sources (ts_alignment_*).
 *
 * The pipeline behind `textsim align`, each step in a file of its own and
 * the data flowing one way through them:
 *   1. filter.c flags the statements that take no part: fewer than
 *      min_tokens word tokens (counted once, by the TF-IDF pass, when its
 *      options allow), or matching an exclusion pattern;
 *   2. scores.c gets the candidates from the engine - every cross-source
 *      pair of unflagged statements whose cosine is at or above the
 *      candidate floor (the threshold under the cosine rule) - and the
 *      heatmap; the whole matrix streams by only when the caller wants it
 *      (tile_fn, to write similarity.csv);
 *   2b. with a match model, features.c scores each candidate (model.h) and
 *      keeps those at or above the model's threshold, their model score
 *      now the decision score of every step below; the evidence (cosines,
 *      digits) stays beside them for the reader;
 *   3. match.c matches the candidates one-to-one per source pair (mutual
 *      best or assignment): a pair below the threshold can never match, so
 *      the candidates hold everything that matters;
 *   4. cluster.c clusters the matched pairs across sources, one statement
 *      per source; restate.c links each member to the pair that brought it
 *      in and adds the restatements (statements refused only because their
 *      best match's cluster holds their source);
 *   5. status.c says what became of each statement - clustered, matched
 *      but not merged (and why), unique, flagged - from the candidates, the
 *      matched pairs and the clusters;
 *   6. explain.c explains each pair: shared terms by contribution, the
 *      numbers of each side and their discrepancy (numbers.h).
 * Memory grows with the candidates and the statements, never with N^2.
 * Writing the results (output/align_tables.c, output/report.c) is the caller's: they read the
 * finished alignment through the accessors below.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/diag.h"
#include "cluster.h"
#include "explain.h"
#include "filter.h"
#include "match.h"
#include "features.h"
#include "model.h"
#include "restate.h"
#include "scores.h"
#include "status.h"
#include "text/tfidf_internal.h"

struct ts_alignment {
    size_t n;
    unsigned char *flags;
    unsigned *tokens;
    uint32_t *source_of;
    ts_align_pairs pairs; /* matched pairs, a < b */
    size_t *pair_cluster; /* the cluster a pair joined, 0 when refused */
    ts_align_explained explained;
    ts_align_clusters *clusters;
    ts_align_links links;
    ts_align_statuses statuses;
    char *reason_text;    /* the reasons of matched statements, NUL-separated */
    size_t *reason_at;    /* [n]: where each statement's reason starts ("" at 0) */
    ts_align_heatmap heatmap;
    ts_alignment_times times;
    int uses_model;
    ts_align_model model;
    double threshold;     /* the decision threshold it ran with */
    ts_align_evidence *evidence; /* [nevidence]: every scored candidate kept, by (a, b) */
    size_t nevidence;
    char **pair_reasons;  /* [pairs.count] under the model, else NULL */
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
    o->restatements = 1;
    o->candidate_floor = TS_ALIGN_DEFAULT_FLOOR;
}

/* The cluster each matched pair joined (0 when clustering refused it). */
/* The cluster of each matched pair, 0 when its statements are in two
 * (clustering refused it, and no restatement joined them after). */
static ts_status pair_clusters(ts_alignment *al, ts_diag *diag)
{
    al->pair_cluster = calloc(al->pairs.count ? al->pairs.count : 1, sizeof *al->pair_cluster);
    if (!al->pair_cluster)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    const uint32_t *cluster = al->clusters->cluster;
    for (size_t i = 0; i < al->pairs.count; i++)
        if (cluster[al->pairs.items[i].a] == cluster[al->pairs.items[i].b])
            al->pair_cluster[i] = cluster[al->pairs.items[i].a];
    return TS_OK;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* "SOURCE:INDEX" of statement i. */
static void put_id(ts_buf *b, const ts_corpus *corpus, size_t i)
{
    ts_statement s = ts_corpus_statement(corpus, i);
    ts_buf_printf(b, "%s:%u", ts_corpus_source_name(corpus, s.source), (unsigned)s.index);
}

/* The reason of each matched statement, in words and statement ids. */
static ts_status render_reasons(ts_alignment *al, const ts_corpus *corpus, ts_diag *diag)
{
    const ts_align_statuses *st = &al->statuses;
    ts_buf b = {0};
    ts_buf_putc(&b, '\0'); /* reason_at 0: "" */
    al->reason_at = calloc(al->n ? al->n : 1, sizeof *al->reason_at);
    if (!al->reason_at)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < al->n; i++) {
        if (st->status[i] != TS_ALIGNMENT_MATCHED)
            continue;
        al->reason_at[i] = b.len;
        switch ((ts_align_why)st->why[i]) {
        case TS_ALIGN_WHY_REFUSED:
            ts_buf_puts(&b, "matched ");
            put_id(&b, corpus, st->partner[i]);
            ts_buf_printf(&b, " (%.2f), which is already clustered with ", st->partner_score[i]);
            put_id(&b, corpus, st->other[i]);
            ts_buf_puts(&b, ", another statement of this source");
            break;
        case TS_ALIGN_WHY_NOT_MUTUAL:
            ts_buf_puts(&b, "its best match ");
            put_id(&b, corpus, st->partner[i]);
            ts_buf_printf(&b, " (%.2f) matches ", st->partner_score[i]);
            put_id(&b, corpus, st->other[i]);
            ts_buf_printf(&b, " (%.2f) better", st->other_score[i]);
            break;
        case TS_ALIGN_WHY_ASSIGNED:
            ts_buf_puts(&b, "the one-to-one assignment paired its best match ");
            put_id(&b, corpus, st->partner[i]);
            ts_buf_printf(&b, " (%.2f) with ", st->partner_score[i]);
            put_id(&b, corpus, st->other[i]);
            ts_buf_printf(&b, " (%.2f)", st->other_score[i]);
            break;
        case TS_ALIGN_WHY_LEFT_OUT:
            ts_buf_puts(&b, "the one-to-one assignment left it out; its best match is ");
            put_id(&b, corpus, st->partner[i]);
            ts_buf_printf(&b, " (%.2f)", st->partner_score[i]);
            break;
        case TS_ALIGN_WHY_NONE:
            break;
        }
        ts_buf_putc(&b, '\0');
    }
    if (b.failed) {
        ts_buf_free(&b);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    }
    al->reason_text = b.data;
    return TS_OK;
}

/* The evidence of a matched pair (every matched pair was a kept candidate). */
static const ts_align_evidence *pair_evidence(const ts_alignment *al, size_t i)
{
    return ts_align_evidence_find(al->evidence, al->nevidence, al->pairs.items[i].a,
                                  al->pairs.items[i].b);
}

/* Each matched pair's reasons, in words. */
static ts_status explain_model(ts_alignment *al, ts_diag *diag)
{
    al->pair_reasons = calloc(al->pairs.count ? al->pairs.count : 1, sizeof *al->pair_reasons);
    if (!al->pair_reasons)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < al->pairs.count; i++) {
        const ts_align_evidence *e = pair_evidence(al, i);
        if (!e)
            return TS_FAIL(diag, TS_ERR_INTERNAL, "a matched pair has no evidence");
        ts_buf b = {0};
        ts_align_model_reasons(&al->model, e, &b);
        ts_buf_putc(&b, '\0');
        if (b.failed) {
            ts_buf_free(&b);
            return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
        }
        al->pair_reasons[i] = b.data;
    }
    return TS_OK;
}

ts_status ts_alignment_run(ts_alignment **out, ts_engine *engine, const ts_corpus *corpus,
                           const ts_tfidf *tfidf, const ts_alignment_options *o,
                           ts_tile_fn tile_fn, void *tile_user, ts_diag *diag)
{
    *out = NULL;
    if (!(o->threshold >= 0.0 && o->threshold <= 1.0))
        return TS_FAIL(diag, TS_ERR_ARG, "the alignment threshold must be in (0, 1], not %g",
                       o->threshold);
    if (o->match_model && !(o->candidate_floor > 0.0 && o->candidate_floor <= 1.0))
        return TS_FAIL(diag, TS_ERR_ARG, "the candidate floor must be a cosine in (0, 1], not %g",
                       o->candidate_floor);
    if (o->restatements < 0)
        return TS_FAIL(diag, TS_ERR_ARG, "restatements must be 0 or more, not %d",
                       o->restatements);
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
    al->uses_model = o->match_model != NULL;
    ts_status st = TS_OK;
    if (al->uses_model)
        st = ts_align_model_load(&al->model,
                                 strcmp(o->match_model, TS_ALIGN_MODEL_MSRP) ? o->match_model : NULL,
                                 diag);
    al->threshold = o->threshold > 0.0 ? o->threshold
                    : al->uses_model  ? al->model.threshold
                                      : TS_ALIGN_DEFAULT_THRESHOLD;
    float cand_floor = al->uses_model ? (float)o->candidate_floor : (float)al->threshold;
    size_t m = n ? n : 1;
    al->flags = calloc(m, 1);
    al->tokens = calloc(m, sizeof *al->tokens);
    al->source_of = calloc(m, sizeof *al->source_of);
    ts_align_pairs candidates;
    ts_align_pairs_init(&candidates);
    unsigned char *fate = NULL;
    if (st == TS_OK && (!al->flags || !al->tokens || !al->source_of))
        st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; st == TS_OK && i < n; i++)
        al->source_of[i] = ts_corpus_statement(corpus, i).source;
    double t = now(), t1;
    if (st == TS_OK)
        st = ts_align_flag(corpus, o, ts_tfidf_word_tokens(tfidf), al->flags, al->tokens,
                           diag);
    al->times.flag_s = (t1 = now()) - t;
    t = t1;
    if (st == TS_OK) {
        ts_align_scoring scoring = {
            .statements = n, .source_of = al->source_of, .flags = al->flags,
            .threshold = cand_floor,
            .heatmap_size = o->heatmap_size ? o->heatmap_size : 1,
            .tile_fn = tile_fn, .tile_user = tile_user};
        st = ts_align_scores(engine, tfidf, &scoring, &candidates, &al->heatmap, diag);
    }
    al->times.scores_s = (t1 = now()) - t;
    t = t1;
    if (st == TS_OK && al->uses_model) {
        st = ts_align_model_rescore(&al->model, corpus, al->threshold, &candidates,
                                    &al->evidence, diag);
        al->nevidence = candidates.count;
    }
    al->times.model_s = (t1 = now()) - t;
    t = t1;
    /* The statuses read the candidates after matching, which consumes them. */
    ts_align_pairs kept;
    ts_align_pairs_init(&kept);
    if (st == TS_OK && candidates.count) {
        kept.items = malloc(candidates.count * sizeof *kept.items);
        if (!kept.items)
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
        else
            memcpy(kept.items, candidates.items, candidates.count * sizeof *kept.items);
        kept.count = kept.capacity = candidates.count;
    }
    if (st == TS_OK)
        st = ts_align_match_sources(&candidates, al->source_of, o->match, (float)al->threshold,
                                    &al->pairs, diag);
    al->times.match_s = (t1 = now()) - t;
    t = t1;
    if (st == TS_OK) {
        fate = malloc(al->pairs.count ? al->pairs.count : 1);
        st = fate ? ts_align_cluster(al->source_of, n, al->pairs.items, al->pairs.count,
                                     &al->clusters, fate, diag)
                  : TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    }
    if (st == TS_OK) {
        ts_align_restate_input rin = {
            .statements = n, .source_of = al->source_of, .flags = al->flags,
            .candidates = kept.items, .ncandidates = kept.count,
            .pairs = al->pairs.items, .npairs = al->pairs.count, .fate = fate,
            .restatements = o->restatements};
        st = ts_align_restate(&rin, al->clusters, &al->links, diag);
    }
    if (st == TS_OK)
        st = pair_clusters(al, diag);
    if (st == TS_OK) {
        ts_align_status_input in = {
            .statements = n, .source_of = al->source_of, .flags = al->flags,
            .candidates = kept.items, .ncandidates = kept.count,
            .pairs = al->pairs.items, .npairs = al->pairs.count, .fate = fate,
            .clusters = al->clusters, .mode = o->match};
        st = ts_align_statuses_compute(&in, &al->statuses, diag);
    }
    if (st == TS_OK)
        st = render_reasons(al, corpus, diag);
    al->times.cluster_s = (t1 = now()) - t;
    t = t1;
    if (st == TS_OK)
        st = ts_align_explain_pairs(al->pairs.items, al->pairs.count, corpus, tfidf,
                                    o->top_terms, &al->explained, diag);
    if (st == TS_OK && al->uses_model)
        st = explain_model(al, diag);
    al->times.explain_s = now() - t;
    free(fate);
    ts_align_pairs_free(&kept);
    ts_align_pairs_free(&candidates);
    if (st != TS_OK) {
        ts_alignment_free(al);
        return st;
    }
    *out = al;
    return TS_OK;
}

void ts_alignment_free(ts_alignment *al)
{
    if (!al)
        return;
    ts_align_explained_free(&al->explained);
    if (al->pair_reasons)
        for (size_t i = 0; i < al->pairs.count; i++)
            free(al->pair_reasons[i]);
    free(al->pair_reasons);
    free(al->evidence);
    free(al->pair_cluster);
    ts_align_pairs_free(&al->pairs);
    ts_align_clusters_free(al->clusters);
    ts_align_links_free(&al->links);
    ts_align_statuses_free(&al->statuses);
    free(al->reason_text);
    free(al->reason_at);
    free(al->flags);
    free(al->tokens);
    free(al->source_of);
    ts_align_heatmap_free(&al->heatmap);
    free(al);
}

/* ------------------------------------------------------------ accessors */

void ts_alignment_get_times(const ts_alignment *al, ts_alignment_times *times)
{
    *times = al->times;
}

unsigned ts_alignment_statement_flags(const ts_alignment *al, size_t i)
{
    return i < al->n ? al->flags[i] : 0;
}

unsigned ts_alignment_statement_tokens(const ts_alignment *al, size_t i)
{
    return i < al->n ? al->tokens[i] : 0;
}

ts_alignment_status ts_alignment_statement_status(const ts_alignment *al, size_t i)
{
    return i < al->n ? (ts_alignment_status)al->statuses.status[i] : TS_ALIGNMENT_FLAGGED;
}

int ts_alignment_statement_best(const ts_alignment *al, size_t i, size_t *other, float *score)
{
    if (i >= al->n || al->statuses.best[i] == TS_ALIGN_NONE)
        return 0;
    if (other)
        *other = al->statuses.best[i];
    if (score)
        *score = al->statuses.best_score[i];
    return 1;
}

const char *ts_alignment_statement_reason(const ts_alignment *al, size_t i)
{
    return i < al->n ? al->reason_text + al->reason_at[i] : "";
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
        p.discrepancy = al->explained.disc[i];
        p.model_score = p.char_cosine = NAN;
        const ts_align_evidence *e = al->uses_model ? pair_evidence(al, i) : NULL;
        if (e) {
            p.score = e->cosine;
            p.char_cosine = e->char_cosine;
            p.model_score = e->score;
        }
    }
    return p;
}

const char *ts_alignment_pair_reasons(const ts_alignment *al, size_t i)
{
    return al->pair_reasons && i < al->pairs.count ? al->pair_reasons[i] : "";
}

int ts_alignment_uses_model(const ts_alignment *al) { return al->uses_model; }

double ts_alignment_threshold(const ts_alignment *al) { return al->threshold; }

const char *ts_alignment_pair_terms(const ts_alignment *al, size_t i)
{
    return i < al->pairs.count ? al->explained.terms[i] : "";
}

const char *ts_alignment_pair_numbers(const ts_alignment *al, size_t i, int side)
{
    return i < al->pairs.count ? al->explained.numbers[side ? 1 : 0][i] : "";
}

const char *ts_alignment_pair_discrepancy(const ts_alignment *al, size_t i)
{
    return i < al->pairs.count ? al->explained.disc_text[i] : "";
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

size_t ts_alignment_cluster_support(const ts_alignment *al, size_t c)
{
    return c >= 1 && c <= al->clusters->count ? al->clusters->support[c] : 0;
}

int ts_alignment_statement_link(const ts_alignment *al, size_t i, size_t *other, float *score)
{
    if (i >= al->n || al->links.link[i] == TS_ALIGN_NO_LINK)
        return 0;
    if (other)
        *other = al->links.link[i];
    if (score)
        *score = al->links.score[i];
    return al->links.restated[i] ? 2 : 1;
}

size_t ts_alignment_cluster_of(const ts_alignment *al, size_t i)
{
    return i < al->n ? al->clusters->cluster[i] : 0;
}

const float *ts_alignment_heatmap(const ts_alignment *al, size_t *size, const size_t **bin_start)
{
    *size = al->heatmap.size;
    *bin_start = al->heatmap.bin_start;
    return al->heatmap.heat;
}

float ts_alignment_heatmap_floor(const ts_alignment *al)
{
    return al->heatmap.floor;
}
