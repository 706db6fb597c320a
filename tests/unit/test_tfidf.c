/*
 * test_tfidf.c - ts_tfidf_build against hand-computed values, scikit-learn
 * 1.2.1 output (obtained once with /usr/bin/python3 and pasted, as noted) and
 * a naive reference implementation on a random corpus.
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

#include "textsim.h"

/* Weights are stored as float. */
#define TOL 1e-6

static ts_corpus *corpus_of(const char *const *docs, size_t n)
{
    ts_corpus *c = NULL;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    for (size_t i = 0; i < n; i++) {
        ts_diag diag;
        ts_status st = ts_corpus_add_text(c, "toy", docs[i], strlen(docs[i]), NULL, &ro, &diag);
        if (st != TS_OK)
            fail_msg("corpus: %s", diag.message);
    }
    assert_int_equal(ts_corpus_statement_count(c), n);
    return c;
}

static ts_tfidf *build_ok(const ts_corpus *c, const ts_vectorizer_options *o)
{
    ts_tfidf *m = NULL;
    ts_diag diag;
    ts_status st = ts_tfidf_build(&m, c, o, &diag);
    if (st != TS_OK)
        fail_msg("build: %s", diag.message);
    return m;
}

/* Weight of (row, term) or 0 when absent; checks columns ascend. */
static double weight(const ts_tfidf *m, size_t row, const char *term)
{
    const uint32_t *cols;
    const float *vals;
    size_t n = ts_tfidf_row(m, row, &cols, &vals);
    double w = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            assert_true(cols[i - 1] < cols[i]);
        if (strcmp(ts_tfidf_term(m, cols[i]), term) == 0)
            w = vals[i];
    }
    return w;
}

static void check_terms(const ts_tfidf *m, const char *const *want, size_t n)
{
    assert_int_equal(ts_tfidf_cols(m), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(ts_tfidf_term(m, i), want[i]);
}

/* The toy corpus: 5 statements, the last with no term of >= 2 characters.
 *   d0 "apple banana apple"   d1 "banana cherry"   d2 "cherry cherry date"
 *   d3 "banana"               d4 "a ."
 * n = 5; df: apple 1, banana 3, cherry 2, date 1. */
static const char *const toy[] = {"apple banana apple", "banana cherry", "cherry cherry date",
                                  "banana", "a ."};
static const char *const toy_terms[] = {"apple", "banana", "cherry", "date"};

static void test_default(void **state)
{
    (void)state;
    ts_corpus *c = corpus_of(toy, 5);
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    ts_tfidf *m = build_ok(c, &o);
    assert_int_equal(ts_tfidf_rows(m), 5);
    check_terms(m, toy_terms, 4);
    assert_int_equal(ts_tfidf_nnz(m), 7);
    /* smooth idf = ln((1 + n) / (1 + df)) + 1:
     *   apple, date: ln(6/2) + 1 = 2.09861228866811
     *   banana:      ln(6/4) + 1 = 1.4054651081081644
     *   cherry:      ln(6/3) + 1 = 1.6931471805599454   (sklearn idf_ agrees) */
    assert_float_equal(ts_tfidf_idf(m, 0), 2.09861228866811, 1e-12);
    assert_float_equal(ts_tfidf_idf(m, 1), 1.4054651081081644, 1e-12);
    assert_float_equal(ts_tfidf_idf(m, 2), 1.6931471805599454, 1e-12);
    assert_float_equal(ts_tfidf_idf(m, 3), 2.09861228866811, 1e-12);
    /* d0: apple 2 * 2.0986 = 4.19722457733622, banana 1.40546510810816;
     *     l2 = sqrt(4.19722^2 + 1.40547^2) = 4.426288097571678
     *     -> 0.9482492971116983, 0.31752680284846835
     * d1: banana 1.40547, cherry 1.69315; l2 = 2.200472573141412
     *     -> 0.6387105775654869, 0.7694470729725092
     * d2: cherry 2 * 1.69315 = 3.386294361119891, date 2.09861; l2 = 3.9838628287506554
     *     -> 0.8500027502658362, 0.52677824987419
     * d3: banana alone -> 1;  d4: empty row.  (sklearn's matrix agrees.) */
    assert_float_equal(weight(m, 0, "apple"), 0.9482492971116983, TOL);
    assert_float_equal(weight(m, 0, "banana"), 0.31752680284846835, TOL);
    assert_float_equal(weight(m, 1, "banana"), 0.6387105775654869, TOL);
    assert_float_equal(weight(m, 1, "cherry"), 0.7694470729725092, TOL);
    assert_float_equal(weight(m, 2, "cherry"), 0.8500027502658362, TOL);
    assert_float_equal(weight(m, 2, "date"), 0.52677824987419, TOL);
    assert_float_equal(weight(m, 3, "banana"), 1.0, TOL);
    const uint32_t *cols;
    const float *vals;
    assert_int_equal(ts_tfidf_row(m, 4, &cols, &vals), 0);
    assert_int_equal(ts_tfidf_row(m, 5, &cols, &vals), 0); /* out of range */
    assert_null(ts_tfidf_term(m, 4));
    ts_tfidf_free(m);

    /* NULL options mean the defaults */
    ts_tfidf *d = NULL;
    assert_int_equal(ts_tfidf_build(&d, c, NULL, NULL), TS_OK);
    assert_float_equal(weight(d, 0, "apple"), 0.9482492971116983, TOL);
    ts_tfidf_free(d);
    ts_tfidf_free(NULL);
    ts_corpus_free(c);
}

/* fit(toy).transform(queries) by hand, with the toy IDF above:
 *   q0 "date apple kiwi apple": kiwi unknown, dropped; apple 2 * 2.09861 =
 *      4.19722457733622, date 2.09861228866811; l2 4.692726...
 *      -> 0.8944271909999159, 0.4472135954999579 (2 : 1, as the idf is equal)
 *   q1 "kiwi mango": no known term, an empty row
 *   q2 "Cherry": cherry alone -> 1 (lowercased as at fit).
 * (Empty statements: python/tests, against scikit-learn.)
 * The columns and IDF are the model's; the model is unchanged; the result
 * serves as a model too. */
static void test_transform(void **state)
{
    (void)state;
    ts_corpus *c = corpus_of(toy, 5);
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    ts_tfidf *m = build_ok(c, &o);
    static const char *const queries[] = {"date apple kiwi apple", "kiwi mango", "Cherry"};
    ts_corpus *q = corpus_of(queries, 3);
    ts_tfidf *t = NULL, *t2 = NULL;
    ts_diag diag;
    assert_int_equal(ts_tfidf_transform(&t, m, q, &diag), TS_OK);
    assert_int_equal(ts_tfidf_rows(t), 3);
    check_terms(t, toy_terms, 4);
    for (size_t k = 0; k < 4; k++)
        assert_true(ts_tfidf_idf(t, k) == ts_tfidf_idf(m, k));
    assert_int_equal(ts_tfidf_nnz(t), 3);
    assert_float_equal(weight(t, 0, "apple"), 0.8944271909999159, TOL);
    assert_float_equal(weight(t, 0, "date"), 0.4472135954999579, TOL);
    assert_int_equal(ts_tfidf_row(t, 1, NULL, NULL), 0);
    assert_float_equal(weight(t, 2, "cherry"), 1.0, TOL);
    assert_int_equal(ts_tfidf_rows(m), 5); /* the model is as it was */
    assert_float_equal(weight(m, 0, "apple"), 0.9482492971116983, TOL);
    assert_int_equal(ts_tfidf_transform(&t2, t, c, &diag), TS_OK); /* t as the model */
    for (size_t r = 0; r < 5; r++) {
        const uint32_t *ca, *cb;
        const float *va, *vb;
        size_t na = ts_tfidf_row(m, r, &ca, &va), nb = ts_tfidf_row(t2, r, &cb, &vb);
        assert_int_equal(na, nb);
        assert_memory_equal(ca, cb, na * sizeof *ca);
        assert_memory_equal(va, vb, na * sizeof *va); /* transform(A) = fit_transform(A) */
    }
    assert_int_equal(ts_tfidf_transform(&t2, NULL, q, &diag), TS_ERR_ARG);
    ts_tfidf_free(t);
    ts_tfidf_free(t2);
    ts_tfidf_free(m);
    ts_corpus_free(q);
    ts_corpus_free(c);
}

/* ts_corpus_add_statements keeps an empty text as a statement, and it counts
 * in n as scikit-learn counts it.  Values from TfidfVectorizer(norm=None)
 * .fit_transform(["the pizza", "", "the beer"]) (pasted):
 *   [[0, 1.6931471805599454, 1.2876820724517808], [0, 0, 0],
 *    [1.6931471805599454, 0, 1.2876820724517808]]   (beer, pizza, the)
 * With double_weights the doubles are these to the last bit; the floats are
 * not, which is why Python asks for them with dtype=float64. */
static void test_empty_statements_double_weights(void **state)
{
    (void)state;
    const char *const docs[] = {"the pizza", "", "the beer"};
    const size_t lens[] = {9, 0, 8};
    ts_corpus *c = NULL;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    ts_diag diag;
    assert_int_equal(ts_corpus_add_statements(c, "py", docs, lens, 3, "texts", NULL, &diag), TS_OK);
    assert_int_equal(ts_corpus_statement_count(c), 3);
    assert_int_equal(ts_corpus_statement(c, 1).length, 0);
    assert_int_equal(ts_corpus_statement(c, 2).offset, 11); /* joined with '\n' */
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    o.norm = TS_NORM_NONE;
    o.double_weights = 1;
    ts_tfidf *m = build_ok(c, &o);
    assert_int_equal(ts_tfidf_rows(m), 3);
    const uint32_t *cols;
    const double *vals;
    assert_int_equal(ts_tfidf_row_double(m, 0, &cols, &vals), 2);
    assert_non_null(vals);
    assert_string_equal(ts_tfidf_term(m, cols[0]), "pizza");
    assert_true(vals[0] == 1.6931471805599454);
    assert_true(vals[1] == 1.2876820724517808);
    assert_int_equal(ts_tfidf_row_double(m, 1, &cols, &vals), 0);
    ts_tfidf_free(m);

    /* "ww" 83 times: 83 * (ln(4 / 2) + 1) = 140.53121598647547 in double */
    char big[300] = "";
    for (int i = 0; i < 83; i++)
        strcat(big, "ww ");
    strcat(big, "xx");
    const char *const docs2[] = {big, "xx", ""};
    const size_t lens2[] = {strlen(big), 2, 0};
    ts_corpus *c2 = NULL;
    assert_int_equal(ts_corpus_create(&c2), TS_OK);
    assert_int_equal(ts_corpus_add_statements(c2, "py", docs2, lens2, 3, "texts", NULL, &diag),
                     TS_OK);
    m = build_ok(c2, &o);
    const float *fvals;
    assert_int_equal(ts_tfidf_row_double(m, 0, &cols, &vals), 2);
    assert_int_equal(ts_tfidf_row(m, 0, &cols, &fvals), 2);
    assert_true(fabs(vals[0] - 83 * 1.6931471805599454) < 1e-12);
    assert_true(fabs((double)fvals[0] - vals[0]) > 1e-7);
    ts_tfidf_free(m);
    /* without double_weights there are no doubles */
    o.double_weights = 0;
    m = build_ok(c2, &o);
    assert_int_equal(ts_tfidf_row_double(m, 0, &cols, &vals), 2);
    assert_null(vals);
    ts_tfidf_free(m);

    /* invalid UTF-8 names the text */
    const char *const bad[] = {"fine", "caf\xE9"};
    const size_t bad_lens[] = {4, 4};
    assert_int_equal(ts_corpus_add_statements(c2, "q", bad, bad_lens, 2, "texts", NULL, &diag),
                     TS_ERR_UTF8);
    assert_non_null(strstr(diag.message, "texts[1]: invalid UTF-8 at byte 3"));
    assert_int_equal(ts_corpus_source_count(c2), 1); /* rolled back */
    const char *const none[] = {NULL};
    const size_t none_len[] = {5};
    assert_int_equal(ts_corpus_add_statements(c2, "z", none, none_len, 1, "texts", NULL, &diag),
                     TS_OK);
    assert_int_equal(ts_corpus_statement(c2, 3).length, 0); /* a NULL text is empty */
    ts_corpus_free(c2);
    ts_corpus_free(c);
}

static void test_sublinear_raw_idf_l1(void **state)
{
    (void)state;
    ts_corpus *c = corpus_of(toy, 5);
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    o.sublinear_tf = 1;
    o.smooth_idf = 0;
    o.norm = TS_NORM_L1;
    ts_tfidf *m = build_ok(c, &o);
    /* idf = ln(n / df) + 1: apple, date ln 5 + 1 = 2.6094379124341005,
     * banana ln(5/3) + 1 = 1.5108256237659907, cherry ln(5/2) + 1 = 1.916290731874155 */
    assert_float_equal(ts_tfidf_idf(m, 0), 2.6094379124341005, 1e-12);
    assert_float_equal(ts_tfidf_idf(m, 1), 1.5108256237659907, 1e-12);
    assert_float_equal(ts_tfidf_idf(m, 2), 1.916290731874155, 1e-12);
    /* d0: apple (1 + ln 2) * 2.60944 = 4.418162444284027, banana 1.51083;
     *     l1 = 5.9289880680500175 -> 0.7451798508572669, 0.25482014914273315
     * d1: 1.51083, 1.91629 -> 0.44084456638875513, 0.559155433611245
     * d2: cherry (1 + ln 2) * 1.91629 = 3.24456224980588, date 2.60944
     *     -> 0.5542470379031178, 0.4457529620968822  (sklearn agrees) */
    assert_float_equal(weight(m, 0, "apple"), 0.7451798508572669, TOL);
    assert_float_equal(weight(m, 0, "banana"), 0.25482014914273315, TOL);
    assert_float_equal(weight(m, 1, "banana"), 0.44084456638875513, TOL);
    assert_float_equal(weight(m, 1, "cherry"), 0.559155433611245, TOL);
    assert_float_equal(weight(m, 2, "cherry"), 0.5542470379031178, TOL);
    assert_float_equal(weight(m, 2, "date"), 0.4457529620968822, TOL);
    ts_tfidf_free(m);
    ts_corpus_free(c);
}

static void test_counts_without_idf(void **state)
{
    (void)state;
    ts_corpus *c = corpus_of(toy, 5);
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    o.use_idf = 0;
    o.norm = TS_NORM_NONE;
    ts_tfidf *m = build_ok(c, &o);
    for (size_t i = 0; i < 4; i++)
        assert_float_equal(ts_tfidf_idf(m, i), 1.0, 0);
    /* raw counts */
    assert_float_equal(weight(m, 0, "apple"), 2.0, 0);
    assert_float_equal(weight(m, 0, "banana"), 1.0, 0);
    assert_float_equal(weight(m, 2, "cherry"), 2.0, 0);
    assert_float_equal(weight(m, 2, "date"), 1.0, 0);
    ts_tfidf_free(m);
    ts_corpus_free(c);
}

/* min_df / max_df as counts and fractions (n = 5; df apple 1, banana 3,
 * cherry 2, date 1).  Term lists from sklearn with the same arguments. */
static void test_df_limits(void **state)
{
    (void)state;
    ts_corpus *c = corpus_of(toy, 5);
    ts_vectorizer_options o;
    ts_tfidf *m;

    ts_vectorizer_options_init(&o);
    o.min_df = 2; /* count: df >= 2 */
    m = build_ok(c, &o);
    check_terms(m, (const char *const[]){"banana", "cherry"}, 2);
    /* idf still uses the true df: banana ln(6/4) + 1 */
    assert_float_equal(ts_tfidf_idf(m, 0), 1.4054651081081644, 1e-12);
    /* d0 now holds banana alone -> 1 */
    assert_float_equal(weight(m, 0, "banana"), 1.0, TOL);
    assert_float_equal(weight(m, 1, "cherry"), 0.7694470729725092, TOL);
    ts_tfidf_free(m);

    ts_vectorizer_options_init(&o);
    o.min_df = 0.5; /* fraction: df >= 2.5 */
    o.min_df_is_fraction = 1;
    m = build_ok(c, &o);
    check_terms(m, (const char *const[]){"banana"}, 1);
    ts_tfidf_free(m);

    ts_vectorizer_options_init(&o);
    o.max_df = 2; /* count: df <= 2 */
    o.max_df_is_fraction = 0;
    m = build_ok(c, &o);
    check_terms(m, (const char *const[]){"apple", "cherry", "date"}, 3);
    assert_float_equal(weight(m, 2, "cherry"), 0.8500027502658362, TOL);
    ts_tfidf_free(m);

    ts_vectorizer_options_init(&o);
    o.max_df = 0.5; /* fraction: df <= 2.5 */
    m = build_ok(c, &o);
    check_terms(m, (const char *const[]){"apple", "cherry", "date"}, 3);
    ts_tfidf_free(m);

    ts_vectorizer_options_init(&o);
    o.min_df = 0.4; /* 2 <= df <= 2 */
    o.min_df_is_fraction = 1;
    o.max_df = 0.4;
    m = build_ok(c, &o);
    check_terms(m, (const char *const[]){"cherry"}, 1);
    assert_int_equal(ts_tfidf_nnz(m), 2);
    ts_tfidf_free(m);
    ts_corpus_free(c);
}

/* max_features keeps the most frequent terms of the corpus (counts, or
 * document frequencies with binary), ties at the cut alphabetical; binary
 * makes every count 1. */
static void test_max_features_binary(void **state)
{
    (void)state;
    static const char *const docs[] = {"zz zz zz yy", "yy xx", "ww xx vv"};
    ts_corpus *c = corpus_of(docs, 3);
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    o.max_features = 2; /* totals zz 3, yy 2, xx 2, ww 1, vv 1: zz, then yy/xx tie */
    ts_tfidf *m = build_ok(c, &o);
    static const char *const two[] = {"xx", "zz"}; /* xx before yy alphabetically */
    check_terms(m, two, 2);
    ts_tfidf_free(m);
    o.binary = 1; /* document frequencies: yy 2, xx 2, then zz, ww, vv 1 */
    m = build_ok(c, &o);
    static const char *const by_df[] = {"xx", "yy"};
    check_terms(m, by_df, 2);
    ts_tfidf_free(m);
    o.max_features = 0; /* binary alone: "zz zz zz yy" weighs zz and yy by idf only */
    m = build_ok(c, &o);
    double zz = weight(m, 0, "zz"), yy = weight(m, 0, "yy");
    double idf_zz = log(4.0 / 2.0) + 1.0, idf_yy = log(4.0 / 3.0) + 1.0;
    assert_true(fabs(zz / yy - idf_zz / idf_yy) < 1e-6);
    ts_tfidf_free(m);
    o.max_features = 5; /* as many as there are terms: all kept */
    m = build_ok(c, &o);
    assert_int_equal(ts_tfidf_cols(m), 5);
    ts_tfidf_free(m);
    ts_corpus_free(c);
}

static void expect_error(const ts_corpus *c, const ts_vectorizer_options *o, ts_status want,
                         const char *needle)
{
    ts_tfidf *m = (ts_tfidf *)1;
    ts_diag diag;
    ts_diag_clear(&diag);
    assert_int_equal(ts_tfidf_build(&m, c, o, &diag), want);
    assert_null(m);
    assert_int_equal(diag.status, want);
    if (!strstr(diag.message, needle))
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, needle);
}

static void test_errors(void **state)
{
    (void)state;
    ts_corpus *c = corpus_of(toy, 5);
    ts_vectorizer_options o;

    /* sklearn: min_df=4 -> "After pruning, no terms remain" */
    ts_vectorizer_options_init(&o);
    o.min_df = 4;
    expect_error(c, &o, TS_ERR_EMPTY, "after pruning, no terms remain");
    /* sklearn: min_df=10 (max_df 1.0 = 5 documents) and max_df=1, min_df=2
     * -> "max_df corresponds to < documents than min_df" */
    o.min_df = 10;
    expect_error(c, &o, TS_ERR_ARG, "fewer statements than min_df");
    o.min_df = 2;
    o.max_df = 1;
    o.max_df_is_fraction = 0;
    expect_error(c, &o, TS_ERR_ARG, "fewer statements than min_df");
    /* sklearn's parameter validation: fractions in [0, 1], counts integers >= 1 */
    ts_vectorizer_options_init(&o);
    o.min_df = 1.5;
    o.min_df_is_fraction = 1;
    expect_error(c, &o, TS_ERR_ARG, "min_df");
    o.min_df = 2.5;
    o.min_df_is_fraction = 0;
    expect_error(c, &o, TS_ERR_ARG, "min_df");
    ts_vectorizer_options_init(&o);
    o.max_df = 0;
    o.max_df_is_fraction = 0;
    expect_error(c, &o, TS_ERR_ARG, "max_df");
    o.max_df = NAN;
    o.max_df_is_fraction = 1;
    expect_error(c, &o, TS_ERR_ARG, "max_df");
    /* the tokenizer's errors come through */
    ts_vectorizer_options_init(&o);
    o.ngram_min = 2;
    o.ngram_max = 1;
    expect_error(c, &o, TS_ERR_ARG, "n-gram range");
    ts_vectorizer_options_init(&o);
    o.norm = (ts_norm)9;
    expect_error(c, &o, TS_ERR_ARG, "norm");
    ts_corpus_free(c);

    /* sklearn: stop_words='english' on ["the of", "a b"] -> empty vocabulary */
    ts_corpus *s = corpus_of((const char *const[]){"the of", "a b"}, 2);
    ts_vectorizer_options_init(&o);
    o.stop_words = "english";
    expect_error(s, &o, TS_ERR_EMPTY, "empty vocabulary");
    ts_corpus_free(s);

    ts_corpus *e = NULL;
    assert_int_equal(ts_corpus_create(&e), TS_OK);
    expect_error(e, &o, TS_ERR_EMPTY, "no statements");
    ts_corpus_free(e);
}

/* Columns follow Python's sorted() of the vocabulary, i.e. code point order.
 * sklearn: ['10', '_x', 'apple', 'ea', 'zebra', 'zoo', 'äpfel', 'éa'] */
static void test_term_order(void **state)
{
    (void)state;
    ts_corpus *c = corpus_of(
        (const char *const[]){"zebra \xC3\x84pfel apple _x 10 Zoo \xC3\xA9" "a ea"}, 1);
    ts_tfidf *m = build_ok(c, NULL);
    check_terms(m,
                (const char *const[]){"10", "_x", "apple", "ea", "zebra", "zoo",
                                      "\xC3\xA4pfel", "\xC3\xA9" "a"},
                8);
    ts_tfidf_free(m);
    ts_corpus_free(c);
}

/* One statement with more terms (10001) and bytes (~80 kB) than the build
 * queues before interning, so the queue is flushed mid-statement: counts
 * and document frequencies must not notice. */
static void test_long_statement(void **state)
{
    (void)state;
    size_t n = 5000;
    char *doc = malloc(2 * n * 10 + 16);
    assert_non_null(doc);
    size_t len = 0;
    for (int rep = 0; rep < 2; rep++)
        for (size_t i = 0; i < n; i++)
            len += (size_t)sprintf(doc + len, "tok%04zu ", i);
    strcpy(doc + len, "alpha");
    ts_corpus *c = corpus_of((const char *const[]){doc, "alpha beta"}, 2);
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    o.use_idf = 0;
    o.norm = TS_NORM_NONE;
    ts_tfidf *m = build_ok(c, &o);
    assert_int_equal(ts_tfidf_cols(m), n + 2);
    assert_string_equal(ts_tfidf_term(m, 0), "alpha");
    assert_string_equal(ts_tfidf_term(m, 1), "beta");
    assert_string_equal(ts_tfidf_term(m, 2), "tok0000");
    const uint32_t *cols;
    const float *vals;
    assert_int_equal(ts_tfidf_row(m, 0, &cols, &vals), n + 1);
    assert_int_equal(cols[0], 0);
    assert_float_equal(vals[0], 1.0, 0);
    for (size_t i = 1; i <= n; i++) {
        assert_int_equal(cols[i], i + 1);
        assert_float_equal(vals[i], 2.0, 0);
    }
    ts_tfidf_free(m);
    /* document frequency: alpha is in both statements, so min_df 2 keeps it alone */
    o.min_df = 2;
    m = build_ok(c, &o);
    assert_int_equal(ts_tfidf_cols(m), 1);
    assert_string_equal(ts_tfidf_term(m, 0), "alpha");
    ts_tfidf_free(m);
    ts_corpus_free(c);
    free(doc);
}

/* ------------------------------------------------- naive reference */

#define NWORDS 60
#define NDOCS 400

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Random statements of lowercase words (some one letter long, dropped by
 * the tokenizer), compared entry by entry with a direct transcription of the
 * formulas using plain arrays. */
static void check_against_naive(int sublinear, int smooth, ts_norm norm, double min_df)
{
    static char words[NWORDS][8];
    unsigned seed = 12345;
    for (int w = 0; w < NWORDS; w++) {
        seed = seed * 1103515245u + 12345u;
        int len = 1 + (int)((seed >> 16) % 6);
        for (int k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            words[w][k] = (char)('a' + (seed >> 16) % 26);
        }
        words[w][len] = '\0';
    }
    char **docs = calloc(NDOCS, sizeof *docs);
    int(*counts)[NWORDS] = calloc(NDOCS, sizeof *counts);
    assert_non_null(docs);
    assert_non_null(counts);
    for (int d = 0; d < NDOCS; d++) {
        docs[d] = calloc(1, 400);
        assert_non_null(docs[d]);
        seed = seed * 1103515245u + 12345u;
        int n = 1 + (int)((seed >> 16) % 25);
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            /* skewed: low word numbers are frequent */
            unsigned r = (seed >> 16) % (NWORDS * NWORDS);
            int w = (int)(r / NWORDS) < 5 ? (int)(r % 10) : (int)(r % NWORDS);
            strcat(docs[d], words[w]);
            strcat(docs[d], i + 1 < n ? " " : "");
            if (strlen(words[w]) >= 2)
                counts[d][w]++;
        }
    }
    /* Merge duplicate word strings (the random words may repeat). */
    for (int w = 0; w < NWORDS; w++)
        for (int v = 0; v < w; v++)
            if (strcmp(words[v], words[w]) == 0) {
                for (int d = 0; d < NDOCS; d++) {
                    counts[d][v] += counts[d][w];
                    counts[d][w] = 0;
                }
                break;
            }
    double df[NWORDS] = {0};
    for (int w = 0; w < NWORDS; w++)
        for (int d = 0; d < NDOCS; d++)
            df[w] += counts[d][w] > 0;
    /* reference vocabulary: words with df >= min_df, sorted */
    char *vocab[NWORDS];
    int nv = 0;
    for (int w = 0; w < NWORDS; w++)
        if (df[w] > 0 && df[w] >= min_df)
            vocab[nv++] = words[w];
    qsort(vocab, (size_t)nv, sizeof *vocab, cmp_str);

    ts_corpus *c = corpus_of((const char *const *)docs, NDOCS);
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    o.sublinear_tf = sublinear;
    o.smooth_idf = smooth;
    o.norm = norm;
    o.min_df = min_df;
    ts_tfidf *m = build_ok(c, &o);
    assert_int_equal(ts_tfidf_cols(m), nv);
    for (int i = 0; i < nv; i++)
        assert_string_equal(ts_tfidf_term(m, (size_t)i), vocab[i]);

    for (int d = 0; d < NDOCS; d++) {
        double ref[NWORDS] = {0}, total = 0;
        for (int w = 0; w < NWORDS; w++) {
            if (!counts[d][w] || !(df[w] >= min_df))
                continue;
            double tf = sublinear ? 1 + log(counts[d][w]) : counts[d][w];
            double idf = smooth ? log((NDOCS + 1.0) / (df[w] + 1)) + 1 : log(NDOCS / df[w]) + 1;
            ref[w] = tf * idf;
            total += norm == TS_NORM_L1 ? ref[w] : ref[w] * ref[w];
        }
        if (norm == TS_NORM_L2)
            total = sqrt(total);
        size_t nnz = 0;
        for (int w = 0; w < NWORDS; w++) {
            if (ref[w] == 0)
                continue;
            nnz++;
            double want = norm == TS_NORM_NONE || total == 0 ? ref[w] : ref[w] / total;
            assert_float_equal(weight(m, (size_t)d, words[w]), want, 1e-6 * (1 + want));
        }
        assert_int_equal(ts_tfidf_row(m, (size_t)d, NULL, NULL), nnz);
    }

    /* deterministic: a second build is bit-identical */
    ts_tfidf *m2 = build_ok(c, &o);
    assert_int_equal(ts_tfidf_nnz(m2), ts_tfidf_nnz(m));
    for (size_t r = 0; r < NDOCS; r++) {
        const uint32_t *c1, *c2;
        const float *v1, *v2;
        size_t n1 = ts_tfidf_row(m, r, &c1, &v1), n2 = ts_tfidf_row(m2, r, &c2, &v2);
        assert_int_equal(n1, n2);
        assert_memory_equal(c1, c2, n1 * sizeof *c1);
        assert_memory_equal(v1, v2, n1 * sizeof *v1);
    }
    ts_tfidf_free(m2);
    ts_tfidf_free(m);
    ts_corpus_free(c);
    for (int d = 0; d < NDOCS; d++)
        free(docs[d]);
    free(docs);
    free(counts);
}

static void test_naive_reference(void **state)
{
    (void)state;
    check_against_naive(0, 1, TS_NORM_L2, 1);
    check_against_naive(1, 0, TS_NORM_L1, 1);
    check_against_naive(0, 1, TS_NORM_NONE, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_transform),
        cmocka_unit_test(test_empty_statements_double_weights),
        cmocka_unit_test(test_sublinear_raw_idf_l1),
        cmocka_unit_test(test_counts_without_idf),
        cmocka_unit_test(test_df_limits),
        cmocka_unit_test(test_max_features_binary),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_term_order),
        cmocka_unit_test(test_long_statement),
        cmocka_unit_test(test_naive_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
