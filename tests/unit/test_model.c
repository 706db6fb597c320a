/*
 * test_model.c - align's match model (host/align/model.h): reading model
 * files, the digit-group features by hand, the char_wb cosine against a
 * plain dot product of the char TF-IDF rows, the score against the
 * logistic formula, the threshold's cut and the order of what is kept.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "align/features.h"
#include "align/model.h"
#include "base/resource.h"

/* ------------------------------------------------------------- reading */

static const char good[] =
    "{\"format\": \"textsim-match-model\", \"version\": 1, \"char_ngram_range\": [3, 5],\n"
    " \"features\": [{\"name\": \"word_cosine\", \"weight\": 4},\n"
    "              {\"name\": \"char_cosine\", \"weight\": 2.5},\n"
    "              {\"name\": \"digits_disagree\", \"weight\": -0.5}],\n"
    " \"intercept\": -3, \"threshold\": 0.25, \"about\": \"a note\"}\n";

static void reads_a_model(void **state)
{
    (void)state;
    ts_align_model m;
    ts_diag diag;
    assert_int_equal(ts_align_model_parse(&m, good, strlen(good), "m.json", &diag), TS_OK);
    assert_true(m.weight[TS_FEATURE_WORD] == 4.0 && m.weight[TS_FEATURE_CHAR] == 2.5);
    assert_true(m.weight[TS_FEATURE_DIGITS_SHARED] == 0.0); /* not named: 0 */
    assert_true(m.weight[TS_FEATURE_DIGITS_DISAGREE] == -0.5);
    assert_true(m.intercept == -3.0 && m.threshold == 0.25);
    assert_int_equal(m.char_min, 3);
    assert_int_equal(m.char_max, 5);
    double x[TS_FEATURES] = {0.5, 0.4, 0, 1};
    assert_true(fabs(ts_align_model_score(&m, x) - 1.0 / (1.0 + exp(-(-3 + 2 + 1 - 0.5)))) <
                1e-15);
}

/* The shipped model reads, and is the one the fitting script wrote. */
static void reads_the_bundled_model(void **state)
{
    (void)state;
    ts_align_model m;
    ts_diag diag;
    assert_int_equal(ts_align_model_load(&m, NULL, &diag), TS_OK);
    assert_non_null(ts_resource_find(TS_ALIGN_MODEL_BUNDLED));
    assert_true(m.weight[TS_FEATURE_WORD] > 0 && m.weight[TS_FEATURE_CHAR] > 0);
    assert_true(m.weight[TS_FEATURE_DIGITS_DISAGREE] <= 0);
    assert_true(m.threshold > 0 && m.threshold < 1);
}

/* Replace the first `from` in good by `to` and expect a parse error whose
 * message holds `want`. */
static void expect_bad(const char *from, const char *to, const char *want)
{
    char text[1024];
    const char *at = strstr(good, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
    ts_align_model m;
    memset(&m, 0x5a, sizeof m);
    ts_align_model before = m;
    ts_diag diag;
    assert_int_equal(ts_align_model_parse(&m, text, strlen(text), "bad.json", &diag),
                     TS_ERR_PARSE);
    if (!strstr(diag.message, want))
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, want);
    assert_string_equal(diag.path, "bad.json");
    assert_memory_equal(&m, &before, sizeof m); /* untouched */
}

static void rejects_bad_models(void **state)
{
    (void)state;
    expect_bad("{\"format\"", "[{\"format\"", "not valid JSON");
    expect_bad("\"a note\"}", "\"a note\"} {}", "not valid JSON");
    expect_bad("textsim-match-model", "other-model", "\"format\"");
    expect_bad("\"version\": 1", "\"version\": 2", "version 2");
    expect_bad("\"version\": 1", "\"version\": \"1\"", "\"version\"");
    expect_bad("[3, 5]", "[5, 3]", "char_ngram_range");
    expect_bad("[3, 5]", "[0, 5]", "char_ngram_range");
    expect_bad("[3, 5]", "[3]", "char_ngram_range");
    expect_bad("\"digits_disagree\"", "\"length_ratio\"", "unknown feature \"length_ratio\"");
    expect_bad("\"digits_disagree\"", "\"word_cosine\"", "\"word_cosine\" is given twice");
    expect_bad("\"weight\": 4", "\"weight\": \"4\"", "\"weight\" must be a number");
    expect_bad("\"weight\": 4", "\"wait\": 4", "\"weight\" is missing");
    expect_bad("\"intercept\"", "\"intercepts\"", "\"intercept\" is missing");
    expect_bad("\"threshold\": 0.25", "\"threshold\": 1", "\"threshold\" must be a score");
    expect_bad("\"threshold\": 0.25", "\"threshold\": 0", "\"threshold\" must be a score");
    expect_bad("\"features\": [", "\"features\": 7, \"x\": [", "\"features\"");
}

static void missing_file_names_it(void **state)
{
    (void)state;
    ts_align_model m;
    ts_diag diag;
    assert_int_equal(ts_align_model_load(&m, "/nonexistent/model.json", &diag), TS_ERR_IO);
    assert_non_null(strstr(diag.message, "/nonexistent/model.json"));
}

/* --------------------------------------------------------------- scoring */

static ts_corpus *corpus_of(const char *const *texts, size_t n)
{
    ts_corpus *c = NULL;
    ts_diag diag;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "s%zu", i);
        assert_int_equal(ts_corpus_add_text(c, name, texts[i], strlen(texts[i]), NULL, &ro, &diag),
                         TS_OK);
    }
    assert_int_equal(ts_corpus_statement_count(c), n);
    return c;
}

/* The dot product of two rows of the char_wb TF-IDF, in double. */
static double char_cosine(const ts_tfidf *t, size_t a, size_t b)
{
    const uint32_t *ca, *cb;
    const float *va, *vb;
    size_t na = ts_tfidf_row(t, a, &ca, &va), nb = ts_tfidf_row(t, b, &cb, &vb);
    double dot = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (ca[i] == cb[j])
                dot += (double)va[i] * vb[j];
    return dot;
}

static void scores_candidates(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "Prices rose 19 percent in 2024.",         /* 0: groups 19, 2024 */
        "Costs went up 19% last year.",            /* 1: 19 */
        "Sales fell by 3,5 million, or 3.5%.",     /* 2: 3,5 and 3.5 (two groups) */
        "The talks lasted five hours.",            /* 3: none */
        "Inflation was 20 percent in 2023.",       /* 4: 20, 2023 */
        "A total of 1,000.5 units, and 7. more."}; /* 5: 1,000.5 and 7 */
    ts_corpus *c = corpus_of(texts, 6);
    ts_align_model m;
    ts_diag diag;
    assert_int_equal(ts_align_model_parse(&m, good, strlen(good), "m.json", &diag), TS_OK);
    m.weight[TS_FEATURE_DIGITS_SHARED] = 0.75;
    /* candidates in no order, their word cosines made up */
    ts_align_pair items[] = {{3, 4, 0.3f}, {0, 4, 0.5f}, {1, 2, 0.2f},
                             {0, 1, 0.4f}, {2, 5, 0.1f}, {0, 3, 0.35f}};
    const size_t n = sizeof items / sizeof *items;
    ts_align_pairs cand = {malloc(sizeof items), n, n};
    memcpy(cand.items, items, sizeof items);

    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    vo.analyzer = TS_ANALYZER_CHAR_WB;
    vo.ngram_min = 3;
    vo.ngram_max = 5;
    vo.sublinear_tf = 1;
    ts_tfidf *chars = NULL;
    assert_int_equal(ts_tfidf_build(&chars, c, &vo, &diag), TS_OK);

    /* what each pair must get: digits by hand, the rest by formula */
    struct { uint32_t a, b; unsigned char digits; } want[] = {
        {0, 1, TS_DIGITS_SHARED}, {0, 3, 0}, {0, 4, TS_DIGITS_DISAGREE},
        {1, 2, TS_DIGITS_DISAGREE}, {2, 5, TS_DIGITS_DISAGREE}, {3, 4, 0}};
    double score[6];
    for (size_t k = 0; k < 6; k++) {
        float cos = 0;
        for (size_t p = 0; p < n; p++)
            if (items[p].a == want[k].a && items[p].b == want[k].b)
                cos = items[p].score;
        double x[TS_FEATURES] = {cos, char_cosine(chars, want[k].a, want[k].b),
                                 want[k].digits == TS_DIGITS_SHARED,
                                 want[k].digits == TS_DIGITS_DISAGREE};
        score[k] = ts_align_model_score(&m, x);
    }
    /* a threshold between the scores: the pairs at or above it stay */
    double sorted[6];
    memcpy(sorted, score, sizeof sorted);
    for (int i = 1; i < 6; i++)
        for (int j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
            double t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    assert_true(sorted[1] < sorted[2]); /* the made-up cosines keep them apart */
    double threshold = (sorted[1] + sorted[2]) / 2;

    ts_align_evidence *ev = NULL;
    assert_int_equal(ts_align_model_rescore(&m, c, threshold, &cand, &ev, &diag), TS_OK);
    assert_int_equal(cand.count, 4);
    size_t kept = 0;
    for (size_t k = 0; k < 6; k++) {
        if (score[k] < threshold)
            continue;
        const ts_align_evidence *e = &ev[kept];
        assert_int_equal(e->a, want[k].a); /* sorted by (a, b) */
        assert_int_equal(e->b, want[k].b);
        assert_int_equal(e->digits, want[k].digits);
        assert_true(fabs(e->char_cosine - char_cosine(chars, e->a, e->b)) < 1e-6);
        assert_true(fabs(e->score - score[k]) < 1e-6);
        assert_true(cand.items[kept].a == e->a && cand.items[kept].b == e->b &&
                    cand.items[kept].score == e->score);
        assert_ptr_equal(ts_align_evidence_find(ev, cand.count, e->a, e->b), e);
        kept++;
    }
    assert_int_equal(kept, 4);
    assert_null(ts_align_evidence_find(ev, cand.count, 1, 5));

    /* the reasons name the features by contribution, largest first */
    ts_align_evidence e = {.cosine = 0.4f, .char_cosine = 0.8f, .digits = TS_DIGITS_DISAGREE};
    ts_buf b = {0};
    ts_align_model_reasons(&m, &e, &b);
    ts_buf_putc(&b, '\0');
    assert_string_equal(b.data, "character n-grams 0.80 (+2.00); words 0.40 (+1.60); "
                                "no digit group in common (-0.50)");
    ts_buf_free(&b);

    free(ev);
    ts_align_pairs_free(&cand);
    ts_tfidf_free(chars);
    ts_corpus_free(c);
}

/* No candidates: nothing to score and no second TF-IDF. */
static void no_candidates(void **state)
{
    (void)state;
    static const char *const texts[] = {"One statement here.", "Another one there."};
    ts_corpus *c = corpus_of(texts, 2);
    ts_align_model m;
    ts_diag diag;
    assert_int_equal(ts_align_model_load(&m, NULL, &diag), TS_OK);
    ts_align_pairs cand;
    ts_align_pairs_init(&cand);
    ts_align_evidence *ev = (ts_align_evidence *)&m;
    assert_int_equal(ts_align_model_rescore(&m, c, 0.5, &cand, &ev, &diag), TS_OK);
    assert_int_equal(cand.count, 0);
    assert_null(ev);
    ts_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_a_model),
        cmocka_unit_test(reads_the_bundled_model),
        cmocka_unit_test(rejects_bad_models),
        cmocka_unit_test(missing_file_names_it),
        cmocka_unit_test(scores_candidates),
        cmocka_unit_test(no_candidates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
