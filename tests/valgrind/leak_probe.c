/*
 * leak_probe.c - proves that test_valgrind.sh catches a leak in textsim's
 * own code despite tests/valgrind/textsim.supp.
 *
 * Builds a corpus, its TF-IDF and the top-10 pairs on the cpu backend, then
 * frees everything, or with the argument "leak" everything but the TF-IDF
 * (whose blocks were allocated inside ts_tfidf_build).  Under memcheck the
 * first must pass and the second must report a definite leak.
 */
#include <stdio.h>
#include <string.h>

#include "textsim.h"

static ts_status count(void *user, uint32_t statement, const ts_match *matches, size_t n)
{
    (void)statement;
    (void)matches;
    *(size_t *)user += n;
    return TS_OK;
}

int main(int argc, char **argv)
{
    int leak = argc > 1 && strcmp(argv[1], "leak") == 0;
    static const char text[] = "The envoy met the president in Moscow for five hours.\n"
                               "The president met the envoy in Moscow for five long hours.\n"
                               "Russia controls about 19 percent of the territory.\n";
    ts_diag d;
    ts_corpus *c = NULL;
    ts_tfidf *t = NULL;
    ts_engine *e = NULL;
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
    size_t matches = 0;
    ts_status st = ts_corpus_create(&c);
    if (st == TS_OK)
        st = ts_corpus_add_text(c, "wire", text, sizeof text - 1, NULL, &ro, &d);
    if (st == TS_OK)
        st = ts_tfidf_build(&t, c, &vo, &d);
    if (st == TS_OK)
        st = ts_engine_create(&e, &eo, &d);
    if (st == TS_OK)
        st = ts_engine_pairs(e, t, &po, count, &matches, &d);
    ts_engine_free(e);
    if (!leak)
        ts_tfidf_free(t);
    ts_corpus_free(c);
    if (st != TS_OK) {
        fprintf(stderr, "leak_probe: %s\n", d.message);
        return 1;
    }
    printf("%zu matches%s\n", matches, leak ? ", the TF-IDF left allocated" : "");
    return 0;
}
