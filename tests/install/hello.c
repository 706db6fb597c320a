/* hello.c - a program built against the installed libtextsim (test_install.sh):
 * three statements, their TF-IDF, each one's best match on the cpu backend. */
#include <stdio.h>
#include <string.h>

#include <textsim.h>

static ts_status print_best(void *user, uint32_t statement, const ts_match *m, size_t n)
{
    (void)user;
    if (n)
        printf("%u -> %u %.4f\n", statement, m[0].statement, m[0].score);
    return TS_OK;
}

int main(void)
{
    static const char text[] = "The talks in Moscow lasted five hours.\n"
                               "Talks in Moscow lasted nearly five hours.\n"
                               "The weather was cold.\n";
    ts_corpus *corpus = NULL;
    ts_tfidf *tfidf = NULL;
    ts_engine *engine = NULL;
    ts_diag d;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    ts_engine_options eo;
    ts_engine_options_init(&eo);
    eo.backend = TS_BACKEND_CPU;
    ts_pairs_options po;
    ts_pairs_options_init(&po);
    po.top_k = 1;
    ts_status st = ts_corpus_create(&corpus);
    if (st == TS_OK)
        st = ts_corpus_add_text(corpus, "a", text, strlen(text), NULL, &ro, &d);
    if (st == TS_OK)
        st = ts_tfidf_build(&tfidf, corpus, &vo, &d);
    if (st == TS_OK)
        st = ts_engine_create(&engine, &eo, &d);
    if (st == TS_OK)
        st = ts_engine_pairs(engine, tfidf, &po, print_best, NULL, &d);
    if (st != TS_OK)
        fprintf(stderr, "hello: %s\n", d.message[0] ? d.message : ts_status_message(st));
    else
        printf("textsim %s (header %s), %zu statements, %zu terms\n", ts_version_string(),
               TS_VERSION_STRING, ts_corpus_statement_count(corpus), ts_tfidf_cols(tfidf));
    ts_engine_free(engine);
    ts_tfidf_free(tfidf);
    ts_corpus_free(corpus);
    return st == TS_OK ? 0 : 1;
}
