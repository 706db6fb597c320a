/*
 * test_index.c - the index (ts_index_*): its file, add and search.
 *
 * References, independent of the code under test:
 *  - round trip: the index opened from its file holds, bit for bit, what
 *    the built one held (columns, IDF, rows, statements, sources, options);
 *  - the same input saved twice, and an opened index saved again, give the
 *    same bytes;
 *  - add is ts_tfidf_transform with the index's model (its rows bit for bit,
 *    the columns and IDF unchanged), numbering statements after the
 *    index's statements of the same source;
 *  - search: every query's list is the brute-force product of the query's
 *    row with every archive row, in double, sorted (score descending,
 *    statement ascending) and cut by top_k and min_score, on both backends
 *    and, on OpenCL, by each plan (blocks, the pruned pass) over the
 *    opened file's rows and posting lists;
 *  - a stop-word file is part of the index: deleted after the build, the
 *    opened index still applies it (seen through a bigram);
 *  - the bad-input table: truncated, corrupted in each section, foreign,
 *    another version or byte order, structurally damaged with the
 *    checksums made right again (tests/common/index_fix.h): each
 *    TS_ERR_FORMAT with a message naming the file and the section.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/index_fix.h"
#include "engine/search.h"
#include "index/format.h"
#include "text/tfidf_internal.h"
#include "textsim.h"

#define EXAMPLE TS_SOURCE_DIR "/examples/moscow-talks-2025/"
static const char *const outlets[] = {"000_2b4761951d907736.txt", "001_cb0c55db5773bf71.txt",
                                      "002_843aef7b8957214e.txt", "003_e4ef00173f70e238.txt",
                                      "004_2d8858a757586965.txt"};

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ts_test_index.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *tmp_path(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
    return p[k];
}

/* The example corpus's outlets [from, to). */
static ts_corpus *outlets_corpus(int from, int to)
{
    ts_corpus *c;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    ts_read_options ro;
    ts_read_options_init(&ro);
    ts_diag d;
    char path[512];
    for (int i = from; i < to; i++) {
        snprintf(path, sizeof path, EXAMPLE "%s", outlets[i]);
        assert_int_equal(ts_corpus_add_path(c, path, &ro, &d), TS_OK);
    }
    return c;
}

static ts_corpus *texts_corpus(const char *source, const char *const *texts, size_t n)
{
    ts_corpus *c;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    size_t len[16];
    for (size_t i = 0; i < n; i++)
        len[i] = strlen(texts[i]);
    ts_diag d;
    assert_int_equal(ts_corpus_add_statements(c, source, texts, len, n, NULL, NULL, &d), TS_OK);
    return c;
}

static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return data;
}

static void write_all(const char *path, const unsigned char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

static void assert_same_options(const ts_vectorizer_options *a, const ts_vectorizer_options *b)
{
    assert_int_equal(a->lowercase, b->lowercase);
    assert_int_equal(a->analyzer, b->analyzer);
    assert_int_equal(a->tokens, b->tokens);
    assert_int_equal(a->strip_accents, b->strip_accents);
    assert_int_equal(a->ngram_min, b->ngram_min);
    assert_int_equal(a->ngram_max, b->ngram_max);
    assert_true(!a->token_pattern == !b->token_pattern);
    if (a->token_pattern)
        assert_string_equal(a->token_pattern, b->token_pattern);
    assert_true(!a->stop_words == !b->stop_words);
    if (a->stop_words)
        assert_string_equal(a->stop_words, b->stop_words);
    assert_true(!a->stem == !b->stem);
    if (a->stem)
        assert_string_equal(a->stem, b->stem);
    assert_true(a->min_df == b->min_df && a->max_df == b->max_df);
    assert_int_equal(a->min_df_is_fraction, b->min_df_is_fraction);
    assert_int_equal(a->max_df_is_fraction, b->max_df_is_fraction);
    assert_int_equal(a->max_features, b->max_features);
    assert_int_equal(a->use_idf, b->use_idf);
    assert_int_equal(a->smooth_idf, b->smooth_idf);
    assert_int_equal(a->sublinear_tf, b->sublinear_tf);
    assert_int_equal(a->binary, b->binary);
    assert_int_equal(a->norm, b->norm);
    assert_int_equal(a->double_weights, b->double_weights);
    assert_true(a->name_weight == b->name_weight);
}

/* Rows [0, rows) of a equal b's rows [from, from + rows), bit for bit. */
static void assert_same_rows(const ts_tfidf *a, const ts_tfidf *b, size_t from, size_t rows)
{
    for (size_t r = 0; r < rows; r++) {
        const uint32_t *ca, *cb;
        const float *va, *vb;
        size_t na = ts_tfidf_row(a, r, &ca, &va), nb = ts_tfidf_row(b, from + r, &cb, &vb);
        assert_int_equal(na, nb);
        assert_memory_equal(ca, cb, na * sizeof *ca);
        assert_memory_equal(va, vb, na * sizeof *va);
        const double *da, *db;
        ts_tfidf_row_double(a, r, NULL, &da);
        ts_tfidf_row_double(b, from + r, NULL, &db);
        assert_true(!da == !db);
        if (da)
            assert_memory_equal(da, db, na * sizeof *da);
    }
}

static void assert_same_index(const ts_index *a, const ts_index *b)
{
    const ts_tfidf *ma = ts_index_model(a), *mb = ts_index_model(b);
    assert_int_equal(ts_tfidf_cols(ma), ts_tfidf_cols(mb));
    assert_int_equal(ts_tfidf_rows(ma), ts_tfidf_rows(mb));
    assert_int_equal(ts_tfidf_nnz(ma), ts_tfidf_nnz(mb));
    for (size_t c = 0; c < ts_tfidf_cols(ma); c++) {
        assert_string_equal(ts_tfidf_term(ma, c), ts_tfidf_term(mb, c));
        assert_true(ts_tfidf_idf(ma, c) == ts_tfidf_idf(mb, c));
    }
    assert_same_rows(ma, mb, 0, ts_tfidf_rows(ma));
    assert_same_options(ts_tfidf_options(ma), ts_tfidf_options(mb));
    assert_int_equal(ts_index_source_count(a), ts_index_source_count(b));
    for (size_t s = 0; s < ts_index_source_count(a); s++)
        assert_string_equal(ts_index_source_name(a, s), ts_index_source_name(b, s));
    assert_int_equal(ts_index_statement_count(a), ts_index_statement_count(b));
    for (size_t i = 0; i < ts_index_statement_count(a); i++) {
        ts_statement x = ts_index_statement(a, i), y = ts_index_statement(b, i);
        assert_int_equal(x.length, y.length);
        assert_memory_equal(x.text, y.text, x.length);
        assert_int_equal(x.source, y.source);
        assert_int_equal(x.index, y.index);
        assert_int_equal(x.offset, y.offset);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    ts_corpus *c = outlets_corpus(0, 4);
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    vo.ngram_max = 2;
    vo.sublinear_tf = 1;
    vo.min_df = 0.001;
    vo.min_df_is_fraction = 1;
    vo.double_weights = 1;
    vo.stem = "english";
    vo.stop_words = "english";
    vo.name_weight = 0.7;
    ts_index *built, *opened;
    ts_diag d;
    assert_int_equal(ts_index_build(&built, c, &vo, &d), TS_OK);
    /* the statements are the corpus's */
    assert_int_equal(ts_index_statement_count(built), ts_corpus_statement_count(c));
    for (size_t i = 0; i < ts_corpus_statement_count(c); i++) {
        ts_statement x = ts_corpus_statement(c, i), y = ts_index_statement(built, i);
        assert_int_equal(x.length, y.length);
        assert_memory_equal(x.text, y.text, x.length);
        assert_int_equal(x.index, y.index);
        assert_int_equal(x.offset, y.offset);
        assert_string_equal(ts_corpus_source_name(c, x.source),
                            ts_index_source_name(built, y.source));
    }
    const char *path = tmp_path("round.tsidx");
    assert_int_equal(ts_index_save(built, path, &d), TS_OK);
    assert_int_equal(ts_index_open(&opened, path, &d), TS_OK);
    assert_same_index(built, opened);
    /* nothing left beside it */
    char temp[600];
    assert_true(ts_index_temp_name(temp, sizeof temp, path));
    assert_int_not_equal(access(temp, F_OK), 0);
    ts_index_free(opened);
    ts_index_free(built);
    ts_index_free(NULL);
    ts_corpus_free(c);
}

static void test_byte_identical(void **state)
{
    (void)state;
    const char *p1 = tmp_path("a.tsidx"), *p2 = tmp_path("b.tsidx"), *p3 = tmp_path("c.tsidx");
    ts_diag d;
    for (int k = 0; k < 2; k++) {
        ts_corpus *c = outlets_corpus(0, 5);
        ts_index *x;
        assert_int_equal(ts_index_build(&x, c, NULL, &d), TS_OK);
        assert_int_equal(ts_index_save(x, k ? p2 : p1, &d), TS_OK);
        ts_index_free(x);
        ts_corpus_free(c);
    }
    ts_index *o;
    assert_int_equal(ts_index_open(&o, p1, &d), TS_OK);
    assert_int_equal(ts_index_save(o, p3, &d), TS_OK);
    ts_index_free(o);
    size_t n1, n2, n3;
    unsigned char *a = read_all(p1, &n1), *b = read_all(p2, &n2), *c3 = read_all(p3, &n3);
    assert_int_equal(n1, n2);
    assert_int_equal(n1, n3);
    assert_memory_equal(a, b, n1);
    assert_memory_equal(a, c3, n1);
    assert_int_equal(n1 % 64, 0);
    free(a);
    free(b);
    free(c3);
}

static void check_add(int reopen)
{
    static const char *const a_texts[] = {"The talks lasted five hours.",
                                          "Putin met the envoy in Moscow.",
                                          "No agreement was reached on the ceasefire."};
    static const char *const b_texts[] = {"The envoy flew to Moscow.", "Sanctions stay."};
    static const char *const more_b[] = {"The envoy left Moscow after five hours of talks.",
                                         "Nothing here is known zzzz."};
    static const char *const more_c[] = {"A ceasefire was not agreed."};
    ts_corpus *base;
    assert_int_equal(ts_corpus_create(&base), TS_OK);
    ts_diag d;
    size_t la[3], lb[2];
    for (int i = 0; i < 3; i++)
        la[i] = strlen(a_texts[i]);
    for (int i = 0; i < 2; i++)
        lb[i] = strlen(b_texts[i]);
    assert_int_equal(ts_corpus_add_statements(base, "a", a_texts, la, 3, NULL, NULL, &d), TS_OK);
    assert_int_equal(ts_corpus_add_statements(base, "b", b_texts, lb, 2, NULL, NULL, &d), TS_OK);
    ts_index *x;
    assert_int_equal(ts_index_build(&x, base, NULL, &d), TS_OK);
    if (reopen) {
        const char *p = tmp_path("add.tsidx");
        assert_int_equal(ts_index_save(x, p, &d), TS_OK);
        ts_index_free(x);
        assert_int_equal(ts_index_open(&x, p, &d), TS_OK);
    }
    size_t cols = ts_tfidf_cols(ts_index_model(x));
    double idf0 = ts_tfidf_idf(ts_index_model(x), 0);

    ts_corpus *more;
    assert_int_equal(ts_corpus_create(&more), TS_OK);
    size_t l1[2] = {strlen(more_b[0]), strlen(more_b[1])}, l2[1] = {strlen(more_c[0])};
    assert_int_equal(ts_corpus_add_statements(more, "b", more_b, l1, 2, NULL, NULL, &d), TS_OK);
    assert_int_equal(ts_corpus_add_statements(more, "c", more_c, l2, 1, NULL, NULL, &d), TS_OK);
    ts_tfidf *want;
    assert_int_equal(ts_tfidf_transform(&want, ts_index_model(x), more, &d), TS_OK);
    assert_int_equal(ts_index_add(x, more, &d), TS_OK);

    const ts_tfidf *m = ts_index_model(x);
    assert_int_equal(ts_tfidf_cols(m), cols);
    assert_true(ts_tfidf_idf(m, 0) == idf0);
    assert_int_equal(ts_index_statement_count(x), 8);
    assert_same_rows(want, m, 5, 3);
    /* b continues at 3, c is new and starts at 1 */
    assert_int_equal(ts_index_source_count(x), 3);
    assert_string_equal(ts_index_source_name(x, 2), "c");
    ts_statement s5 = ts_index_statement(x, 5), s6 = ts_index_statement(x, 6),
                 s7 = ts_index_statement(x, 7);
    assert_int_equal(s5.source, 1);
    assert_int_equal(s5.index, 3);
    assert_int_equal(s6.index, 4);
    assert_int_equal(s7.source, 2);
    assert_int_equal(s7.index, 1);
    assert_int_equal(s7.length, strlen(more_c[0]));
    assert_memory_equal(s7.text, more_c[0], s7.length);
    /* the unknown-only part of a statement is dropped, the row may be short */
    assert_int_equal(ts_index_statement(x, 0).index, 1);

    /* the added index saves and opens as itself */
    const char *p2 = tmp_path("added.tsidx");
    ts_index *y;
    assert_int_equal(ts_index_save(x, p2, &d), TS_OK);
    assert_int_equal(ts_index_open(&y, p2, &d), TS_OK);
    assert_same_index(x, y);
    ts_index_free(y);
    ts_tfidf_free(want);
    ts_index_free(x);
    ts_corpus_free(more);
    ts_corpus_free(base);
}

static void test_add_is_transform(void **state)
{
    (void)state;
    check_add(0);
    check_add(1);
}

/* -------------------------------------------------------------- search */

typedef struct got {
    uint32_t *statement, *count;
    ts_match *matches;
    size_t n, cap, queries;
} got;

static ts_status collect(void *user, uint32_t statement, const ts_match *m, size_t n)
{
    got *g = user;
    assert_int_equal(statement, g->queries);
    g->queries++;
    g->count = realloc(g->count, g->queries * sizeof *g->count);
    g->count[statement] = (uint32_t)n;
    if (g->n + n > g->cap) {
        g->cap = (g->n + n) * 2 + 16;
        g->matches = realloc(g->matches, g->cap * sizeof *g->matches);
    }
    if (n)
        memcpy(g->matches + g->n, m, n * sizeof *m);
    g->n += n;
    return TS_OK;
}

typedef struct scored {
    double s;
    uint32_t j;
} scored;

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->s != y->s)
        return x->s > y->s ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

static double dot(const ts_tfidf *a, size_t i, const ts_tfidf *b, size_t j)
{
    const uint32_t *ca, *cb;
    const float *va, *vb;
    size_t na = ts_tfidf_row(a, i, &ca, &va), nb = ts_tfidf_row(b, j, &cb, &vb), p = 0, q = 0;
    double s = 0;
    while (p < na && q < nb) {
        if (ca[p] == cb[q])
            s += (double)va[p++] * vb[q++];
        else if (ca[p] < cb[q])
            p++;
        else
            q++;
    }
    return s;
}

/* The engine's lists against brute force: same length, and at each rank the
 * same statement or one whose score is within 1e-5 (a near-tie).  AUTO
 * searches through ts_index_search, another plan through the engine. */
static void check_search_plan(ts_engine *e, const ts_index *x, const ts_corpus *q, uint32_t k,
                              float min_score, ts_search_plan plan)
{
    ts_pairs_options po;
    ts_pairs_options_init(&po);
    po.top_k = k;
    po.min_score = min_score;
    got g = {0};
    ts_diag d;
    ts_tfidf *qt;
    assert_int_equal(ts_tfidf_transform(&qt, ts_index_model(x), q, &d), TS_OK);
    const ts_tfidf *arch = ts_index_model(x);
    if (plan == TS_SEARCH_AUTO)
        assert_int_equal(ts_index_search(e, x, q, &po, collect, &g, &d), TS_OK);
    else
        assert_int_equal(ts_engine_search_plan(e, qt, arch, &po, plan, collect, &g, &d), TS_OK);
    size_t nq = ts_tfidf_rows(qt), na = ts_tfidf_rows(arch);
    assert_int_equal(g.queries, nq);
    scored *all = malloc((na ? na : 1) * sizeof *all);
    size_t at = 0;
    for (size_t i = 0; i < nq; i++) {
        size_t n = 0;
        for (size_t j = 0; j < na; j++) {
            double s = dot(qt, i, arch, j);
            if (s > 0 && s >= min_score)
                all[n++] = (scored){s, (uint32_t)j};
        }
        qsort(all, n, sizeof *all, by_score);
        if (k && n > k)
            n = k;
        assert_int_equal(g.count[i], n);
        for (size_t r = 0; r < n; r++) {
            const ts_match *m = &g.matches[at + r];
            assert_true(fabs(m->score - all[r].s) <= 1e-5);
            if (m->statement != all[r].j)
                assert_true(fabs(dot(qt, i, arch, m->statement) - all[r].s) <= 1e-5);
        }
        at += n;
    }
    free(all);
    free(g.matches);
    free(g.count);
    ts_tfidf_free(qt);
}

static void check_search(ts_engine *e, const ts_index *x, const ts_corpus *q, uint32_t k,
                         float min_score)
{
    check_search_plan(e, x, q, k, min_score, TS_SEARCH_AUTO);
    if (strcmp(ts_engine_backend_name(e), "opencl") != 0)
        return;
    check_search_plan(e, x, q, k, min_score, TS_SEARCH_BLOCKS);
    check_search_plan(e, x, q, k, min_score, TS_SEARCH_PRUNED);
}

static void test_search_brute_force(void **state)
{
    (void)state;
    ts_corpus *arch = outlets_corpus(0, 4), *q = outlets_corpus(4, 5);
    ts_index *built, *x;
    ts_diag d;
    assert_int_equal(ts_index_build(&built, arch, NULL, &d), TS_OK);
    const char *p = tmp_path("search.tsidx");
    assert_int_equal(ts_index_save(built, p, &d), TS_OK);
    ts_index_free(built);
    assert_int_equal(ts_index_open(&x, p, &d), TS_OK);
    assert_non_null(ts_tfidf_postings(ts_index_model(x))); /* the file's lists */
    static const char *const one[] = {"Putin and Witkoff met in the Kremlin for five hours."};
    static const char *const none[] = {"zzzz qqqq"};
    ts_corpus *q1 = texts_corpus("q", one, 1), *q0 = texts_corpus("q", none, 1);
    static const ts_backend_kind kinds[] = {TS_BACKEND_CPU, TS_BACKEND_OPENCL};
    for (size_t b = 0; b < 2; b++) {
        ts_engine_options eo;
        ts_engine_options_init(&eo);
        eo.backend = kinds[b];
        ts_engine *e;
        ts_status st = ts_engine_create(&e, &eo, &d);
        if (st == TS_ERR_NO_PLATFORM) {
            print_message("no OpenCL platform: the opencl searches skipped: %s\n", d.message);
            continue;
        }
        assert_int_equal(st, TS_OK);
        static const uint32_t ks[] = {1, 3, 10, 0};
        for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
            check_search(e, x, q, ks[i], 0.0f);
            check_search(e, x, q, ks[i], 0.2f);
        }
        /* one query; a query without a known term; the archive against
         * itself (each statement's first match is itself, or a duplicate) */
        check_search(e, x, q1, 10, 0.0f);
        check_search(e, x, q0, 10, 0.0f);
        check_search(e, x, arch, 5, 0.0f);
        ts_engine_free(e);
    }
    ts_corpus_free(q1);
    ts_corpus_free(q0);
    ts_index_free(x);
    ts_corpus_free(arch);
    ts_corpus_free(q);
}

/* A stop-word file's words travel in the index: "cat the sat" has the bigram
 * "cat sat" only when "the" is dropped before the bigrams are formed. */
static void test_stop_word_file(void **state)
{
    (void)state;
    const char *stop = tmp_path("stop.txt"), *p = tmp_path("stop.tsidx");
    write_all(stop, (const unsigned char *)"the\n", 4);
    static const char *const texts[] = {"cat sat down", "a dog sat"};
    ts_corpus *c = texts_corpus("s", texts, 2);
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    vo.ngram_max = 2;
    vo.stop_words = stop;
    ts_index *x;
    ts_diag d;
    assert_int_equal(ts_index_build(&x, c, &vo, &d), TS_OK);
    assert_int_equal(ts_index_save(x, p, &d), TS_OK);
    ts_index_free(x);
    assert_int_equal(unlink(stop), 0);
    assert_int_equal(ts_index_open(&x, p, &d), TS_OK);
    static const char *const query[] = {"cat the sat"};
    ts_corpus *q = texts_corpus("q", query, 1);
    ts_tfidf *t;
    assert_int_equal(ts_tfidf_transform(&t, ts_index_model(x), q, &d), TS_OK);
    const uint32_t *cols;
    size_t n = ts_tfidf_row(t, 0, &cols, NULL);
    int bigram = 0;
    for (size_t i = 0; i < n; i++)
        bigram |= strcmp(ts_tfidf_term(t, cols[i]), "cat sat") == 0;
    assert_true(bigram);
    ts_tfidf_free(t);
    ts_corpus_free(q);
    ts_index_free(x);
    ts_corpus_free(c);
}

/* ------------------------------------------------------------ bad input */

static unsigned char *good;
static size_t good_size;

static void make_good(void)
{
    if (good)
        return;
    ts_corpus *c = outlets_corpus(0, 2);
    ts_index *x;
    ts_diag d;
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    vo.double_weights = 1;
    assert_int_equal(ts_index_build(&x, c, &vo, &d), TS_OK);
    const char *p = tmp_path("good.tsidx");
    assert_int_equal(ts_index_save(x, p, &d), TS_OK);
    ts_index_free(x);
    ts_corpus_free(c);
    good = read_all(p, &good_size);
}

/* The file `data` opened: TS_ERR_FORMAT (or `want`), a message with the
 * path and `needle`, no index. */
static void expect_bad(const unsigned char *data, size_t size, ts_status want, const char *needle)
{
    const char *p = tmp_path("bad.tsidx");
    write_all(p, data, size);
    ts_index *x = (ts_index *)1;
    ts_diag d;
    ts_diag_clear(&d);
    ts_status st = ts_index_open(&x, p, &d);
    if (st != want || !strstr(d.message, needle) || !strstr(d.message, p))
        fail_msg("expected %s with '%s', got %s: %s", ts_status_name(want), needle,
                 ts_status_name(st), d.message);
    assert_null(x);
}

static unsigned char *copy_good(void)
{
    unsigned char *c = malloc(good_size);
    memcpy(c, good, good_size);
    return c;
}

static void test_bad_files(void **state)
{
    (void)state;
    make_good();
    unsigned char *b = copy_good();

    expect_bad(b, good_size - 1, TS_ERR_FORMAT, "truncated");
    expect_bad(b, 100, TS_ERR_FORMAT, "truncated");
    expect_bad(b, 10, TS_ERR_FORMAT, "not a textsim index");
    expect_bad((const unsigned char *)"source,text\na,b\n", 16, TS_ERR_FORMAT,
               "not a textsim index");

    /* a byte flipped in each section: its checksum */
    static const char *const tags[] = {"OPTIONS", "TERMS",   "TERMOFF", "IDF",     "FACTOR",
                                       "ROWPTR",  "COLIDX",  "VALUES",  "VALUES64", "POSTPTR",
                                       "POSTROW", "POSTVAL", "SOURCES", "SRCOFF",  "RECORDS",
                                       "TEXT"};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        uint64_t off, len;
        assert_true(ts_test_index_section(good, good_size, tags[i], &off, &len));
        assert_true(len > 0);
        memcpy(b, good, good_size);
        b[off + len / 2] ^= 0x40;
        char needle[64];
        snprintf(needle, sizeof needle, "section %s: checksum mismatch", tags[i]);
        expect_bad(b, good_size, TS_ERR_FORMAT, needle);
    }
    memcpy(b, good, good_size);
    b[20] ^= 1; /* header_size, under the header checksum */
    expect_bad(b, good_size, TS_ERR_FORMAT, "section header: checksum mismatch");

    /* another version, another byte order */
    memcpy(b, good, good_size);
    b[8] = 2;
    ts_test_index_fix(b, good_size);
    expect_bad(b, good_size, TS_ERR_FORMAT, "format version 2");
    memcpy(b, good, good_size);
    uint32_t swapped = 0x04030201u;
    memcpy(b + 12, &swapped, 4);
    expect_bad(b, good_size, TS_ERR_FORMAT, "another byte order");

    /* structure damaged, checksums made right again */
    uint64_t off, len;
    struct {
        const char *tag;
        uint64_t at;  /* the byte changed, counted from the section's start */
        int from_end; /* ... or back from its end (1: its last byte) */
        unsigned char value;
        const char *needle;
    } cases[] = {
        {"COLIDX", 3, 0, 0x7f, "section COLIDX"},   /* a column far out of range */
        {"ROWPTR", 7, 0, 0x7f, "section ROWPTR"},   /* row 1 ends past the non-zeros */
        {"POSTPTR", 7, 0, 0x7f, "section POSTPTR"}, /* term 0's list past the entries */
        {"POSTPTR", 0, 0, 0x01, "section POSTPTR"}, /* the lists start at 1 */
        {"POSTROW", 3, 0, 0x7f, "section POSTROW"}, /* a statement far out of range */
        {"RECORDS", 19, 0, 0x7f, "section RECORDS"}, /* a statement's length past the text */
        {"RECORDS", 20, 0, 0x7f, "section RECORDS"}, /* an unknown source */
        {"TERMS", 1, 1, 'x', "section TERMS"},      /* the last term unterminated */
        {"SOURCES", 1, 1, 'x', "section SOURCES"},
        {"TERMOFF", 15, 0, 0x7f, "section TERMS"},  /* a term offset past the terms */
        {"OPTIONS", 0, 0, '[', "section OPTIONS"},
        {"OPTIONS", 3, 0, 'X', "section OPTIONS"},  /* "lowercase" renamed: missing */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(b, good, good_size);
        assert_true(ts_test_index_section(b, good_size, cases[i].tag, &off, &len));
        uint64_t pos = cases[i].from_end ? off + len - cases[i].at : off + cases[i].at;
        b[pos] = cases[i].value;
        ts_test_index_fix(b, good_size);
        expect_bad(b, good_size, TS_ERR_FORMAT, cases[i].needle);
    }
    /* a padding byte (after the last section, and before the first) */
    memcpy(b, good, good_size);
    b[good_size - 1] = 1;
    expect_bad(b, good_size, TS_ERR_FORMAT, "padding after the last section");
    memcpy(b, good, good_size);
    assert_true(ts_test_index_section(b, good_size, "OPTIONS", &off, &len));
    b[off - 1] = 1;
    expect_bad(b, good_size, TS_ERR_FORMAT, "section OPTIONS: the padding before it");
    /* a section pointing outside the file */
    memcpy(b, good, good_size);
    uint64_t far = good_size * 2;
    memcpy(b + 64 + 8, &far, 8);
    ts_test_index_fix(b, good_size);
    expect_bad(b, good_size, TS_ERR_FORMAT, "outside the file");

    /* not a file at all */
    ts_index *x;
    ts_diag d;
    assert_int_equal(ts_index_open(&x, tmp_path("missing.tsidx"), &d), TS_ERR_IO);
    assert_non_null(strstr(d.message, "missing.tsidx"));
    assert_int_equal(ts_index_open(&x, tmpdir, &d), TS_ERR_FORMAT);
    free(b);
}

/* A save that cannot finish leaves the old file as it was. */
static void test_save_keeps_old(void **state)
{
    (void)state;
    make_good();
    ts_corpus *c = outlets_corpus(2, 3);
    ts_index *x;
    ts_diag d;
    assert_int_equal(ts_index_build(&x, c, NULL, &d), TS_OK);
    const char *dir = tmp_path("target-dir");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/x'", dir);
    assert_int_equal(system(cmd), 0);
    /* rename() over a non-empty directory fails: the temporary goes */
    assert_int_equal(ts_index_save(x, dir, &d), TS_ERR_IO);
    char temp[600];
    assert_true(ts_index_temp_name(temp, sizeof temp, dir));
    assert_int_not_equal(access(temp, F_OK), 0);
    assert_int_equal(ts_index_save(x, tmp_path("no/such/dir.tsidx"), &d), TS_ERR_IO);
    assert_non_null(strstr(d.message, "no/such/dir.tsidx"));
    ts_index_free(x);
    ts_corpus_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_byte_identical),
        cmocka_unit_test(test_add_is_transform),
        cmocka_unit_test(test_search_brute_force),
        cmocka_unit_test(test_stop_word_file),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_save_keeps_old),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    free(good);
    return rc;
}
