/*
 * index_reader.c - fuzz target: the index file reader (host/index/format.c).
 *
 * The input is an index file.  Its checksums are first made right again
 * (tests/common/index_fix.h) - a fuzzer cannot forge XXH3, and the checks
 * behind them are what needs the fuzzing - then it is copied to a 64-byte
 * aligned buffer of exactly its size (rounded up only for the alignment)
 * and parsed as ts_index_open parses a mapped file.  Checked:
 *   - the reader returns TS_OK or TS_ERR_FORMAT (or TS_ERR_NOMEM), and a
 *     failure leaves no index;
 *   - an accepted index is safe to use: every statement's text lies inside
 *     the input, every source exists and has a name, every row's columns
 *     are ascending and below the column count, every posting list lies
 *     inside the input, its statements ascending and below the statement
 *     count, every term is a string inside the input, and a query weighted
 *     with its model (whatever its
 *     options say) either succeeds with rows of its columns or fails with a
 *     status, never a crash.
 */
#include "common/index_fix.h"
#include "fuzz_common.h"
#include "index/format.h"
#include "text/tfidf_internal.h"

static int inside(const void *p, size_t n, const unsigned char *base, size_t size)
{
    const unsigned char *c = p;
    return c >= base && c <= base + size && n <= (size_t)(base + size - c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = (size + 63) / 64 * 64;
    unsigned char *buf = aligned_alloc(64, cap ? cap : 64);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    ts_test_index_fix(buf, size);
    ts_index *index = (ts_index *)1;
    ts_diag d;
    ts_status st = ts_index_parse(&index, buf, size, "fuzz.tsidx", &d);
    FUZZ_CHECK(st == TS_OK || st == TS_ERR_FORMAT || st == TS_ERR_NOMEM, "status %s: %s",
               ts_status_name(st), d.message);
    if (st != TS_OK) {
        FUZZ_CHECK(index == NULL, "a failed parse left an index");
        free(buf);
        return 0;
    }
    const ts_tfidf *m = ts_index_model(index);
    size_t n = ts_index_statement_count(index), ns = ts_index_source_count(index);
    size_t cols = ts_tfidf_cols(m);
    FUZZ_CHECK(ts_tfidf_rows(m) == n, "%zu rows for %zu statements", ts_tfidf_rows(m), n);
    for (size_t i = 0; i < n; i++) {
        ts_statement s = ts_index_statement(index, i);
        FUZZ_CHECK(inside(s.text, s.length, buf, size), "statement %zu outside the input", i);
        FUZZ_CHECK(s.source < ns && s.index >= 1, "statement %zu: source %u of %zu, index %u", i,
                   (unsigned)s.source, ns, (unsigned)s.index);
        const uint32_t *c;
        const float *v;
        size_t k = ts_tfidf_row(m, i, &c, &v);
        FUZZ_CHECK(k == 0 || inside(c, k * sizeof *c, buf, size), "row %zu outside the input", i);
        for (size_t j = 0; j < k; j++)
            FUZZ_CHECK(c[j] < cols && (j == 0 || c[j] > c[j - 1]), "row %zu: column %u", i,
                       (unsigned)c[j]);
    }
    const ts_csr *post = ts_tfidf_postings(m);
    FUZZ_CHECK(post && post->rows == cols && post->cols == n,
               "posting lists of %u x %u for %zu x %zu", post ? post->rows : 0,
               post ? post->cols : 0, cols, n);
    for (uint32_t c = 0; c < post->rows; c++) {
        uint32_t a = post->ptr[c], e = post->ptr[c + 1];
        FUZZ_CHECK(a <= e && (a == e || inside(post->idx + a, (e - a) * 4, buf, size)),
                   "term %u's list outside the input", c);
        for (uint32_t k = a; k < e; k++)
            FUZZ_CHECK(post->idx[k] < n && (k == a || post->idx[k] > post->idx[k - 1]),
                       "term %u's list: statement %u", c, post->idx[k]);
    }
    for (size_t s = 0; s < ns; s++) {
        const char *name = ts_index_source_name(index, s);
        FUZZ_CHECK(name && inside(name, strlen(name) + 1, buf, size), "source %zu", s);
    }
    for (size_t c = 0; c < cols; c++) {
        const char *t = ts_tfidf_term(m, c);
        FUZZ_CHECK(t && inside(t, strlen(t) + 1, buf, size), "term %zu outside the input", c);
    }
    ts_corpus *q;
    if (ts_corpus_create(&q) == TS_OK) {
        static const char *const texts[] = {"The talks in Moscow lasted five hours."};
        size_t len = strlen(texts[0]);
        ts_tfidf *t = NULL;
        if (ts_corpus_add_statements(q, "q", texts, &len, 1, NULL, NULL, &d) == TS_OK &&
            ts_tfidf_transform(&t, m, q, &d) == TS_OK) {
            FUZZ_CHECK(ts_tfidf_cols(t) == cols && ts_tfidf_rows(t) == 1, "transform: %zu x %zu",
                       ts_tfidf_rows(t), ts_tfidf_cols(t));
        }
        ts_tfidf_free(t);
        ts_corpus_free(q);
    }
    ts_index_free(index);
    free(buf);
    return 0;
}
