/*
 * index.c - the ts_index handle: build, add, search and what it holds.
 *
 * An index is a TF-IDF model fitted once (ts_tfidf_build) together with
 * its archive: every statement's row, source, id, offset and text.
 * Building copies the corpus's statements into four arrays (records, a
 * text blob, source names and their offsets) so that the handle outlives
 * the corpus and has the layout the file stores (format.c writes them as
 * they are and maps them back without a copy).  Adding weights the new
 * statements with the model as it stands (ts_tfidf_transform) and builds
 * new arrays - the old ones and the model's rows followed by the new -
 * swapped in only when all exist, so a failure leaves the index as it was.
 * Search is transform, then the engine's queries x archive pass.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/diag.h"
#include "index_internal.h"
#include "text/tfidf_internal.h"

static ts_status nomem(ts_diag *diag)
{
    return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory while building the index");
}

/* The new arrays of a build or an add, before they replace the index's. */
typedef struct index_arrays {
    ts_index_record *records;
    char *text, *names;
    uint64_t *name_off;
    size_t statements, sources;
    uint64_t text_size, names_size;
} index_arrays;

static void arrays_free(index_arrays *a)
{
    free(a->records);
    free(a->text);
    free(a->names);
    free(a->name_off);
}

/* The source number of `name` in a's first `known` sources, or known. */
static size_t find_source(const index_arrays *a, size_t known, const char *name)
{
    for (size_t s = 0; s < known; s++)
        if (strcmp(a->names + a->name_off[s], name) == 0)
            return s;
    return known;
}

/* a = the index's arrays (index NULL: none) followed by corpus's statements,
 * numbered after the index's statements of the same source. */
static ts_status make_arrays(index_arrays *a, const ts_index *index, const ts_corpus *corpus,
                             ts_diag *diag)
{
    memset(a, 0, sizeof *a);
    size_t old_n = index ? index->statements : 0, old_s = index ? index->sources : 0;
    size_t add_n = ts_corpus_statement_count(corpus), add_s = ts_corpus_source_count(corpus);
    uint64_t old_text = index ? index->text_size : 0, old_names = index ? index->names_size : 0;
    uint64_t text = old_text, names = old_names;
    for (size_t i = 0; i < add_n; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        if (s.length > UINT32_MAX)
            return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                           "statement %s:%u is longer than 4 GiB; split it",
                           ts_corpus_source_name(corpus, s.source), (unsigned)s.index);
        text += s.length;
    }
    for (size_t s = 0; s < add_s; s++)
        names += strlen(ts_corpus_source_name(corpus, s)) + 1;
    if (old_n + add_n > UINT32_MAX - 1 || old_s + add_s > UINT32_MAX)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "the index would hold more than 2^32 - 2 statements; start another index");
    a->records = malloc((old_n + add_n ? old_n + add_n : 1) * sizeof *a->records);
    a->text = malloc(text ? text : 1);
    a->names = malloc(names ? names : 1);
    a->name_off = malloc((old_s + add_s ? old_s + add_s : 1) * sizeof *a->name_off);
    uint32_t *map = malloc((add_s ? add_s : 1) * sizeof *map);   /* corpus source -> index's */
    uint32_t *count = calloc(old_s + add_s ? old_s + add_s : 1, sizeof *count);
    if (!a->records || !a->text || !a->names || !a->name_off || !map || !count) {
        free(map);
        free(count);
        arrays_free(a);
        return nomem(diag);
    }
    if (index) {
        memcpy(a->records, index->records, old_n * sizeof *a->records);
        memcpy(a->text, index->text, old_text);
        memcpy(a->names, index->names, old_names);
        memcpy(a->name_off, index->name_off, old_s * sizeof *a->name_off);
    }
    a->statements = old_n;
    a->sources = old_s;
    a->text_size = old_text;
    a->names_size = old_names;
    for (size_t i = 0; i < old_n; i++)
        if (a->records[i].index > count[a->records[i].source])
            count[a->records[i].source] = a->records[i].index;
    for (size_t s = 0; s < add_s; s++) {
        const char *name = ts_corpus_source_name(corpus, s);
        size_t k = find_source(a, old_s, name);
        if (k == old_s) {
            k = a->sources++;
            size_t len = strlen(name) + 1;
            a->name_off[k] = a->names_size;
            memcpy(a->names + a->names_size, name, len);
            a->names_size += len;
        }
        map[s] = (uint32_t)k;
    }
    for (size_t i = 0; i < add_n; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        ts_index_record *r = &a->records[a->statements++];
        uint32_t src = map[s.source];
        r->offset = s.offset;
        r->text_off = a->text_size;
        r->length = (uint32_t)s.length;
        r->source = src;
        r->index = count[src] + s.index;
        r->reserved = 0;
        memcpy(a->text + a->text_size, s.text, s.length);
        a->text_size += s.length;
    }
    free(map);
    free(count);
    return TS_OK;
}

/* Give the index the arrays of a (and model): the old ones are freed. */
static void adopt(ts_index *index, index_arrays *a, ts_tfidf *model)
{
    ts_tfidf_free(index->model);
    free(index->own_records);
    free(index->own_text);
    free(index->own_names);
    free(index->own_name_off);
    if (index->map)
        munmap(index->map, index->map_size);
    index->map = NULL;
    index->map_size = 0;
    index->model = model;
    index->records = index->own_records = a->records;
    index->text = index->own_text = a->text;
    index->names = index->own_names = a->names;
    index->name_off = index->own_name_off = a->name_off;
    index->statements = a->statements;
    index->sources = a->sources;
    index->text_size = a->text_size;
    index->names_size = a->names_size;
}

ts_status ts_index_build(ts_index **out, const ts_corpus *corpus,
                         const ts_vectorizer_options *options, ts_diag *diag)
{
    if (!out || !corpus)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_index_build: NULL argument");
    *out = NULL;
    ts_tfidf *model = NULL;
    ts_status st = ts_tfidf_build(&model, corpus, options, diag);
    if (st != TS_OK)
        return st;
    index_arrays a;
    ts_index *index = calloc(1, sizeof *index);
    if (!index) {
        ts_tfidf_free(model);
        return nomem(diag);
    }
    if ((st = make_arrays(&a, NULL, corpus, diag)) != TS_OK) {
        ts_tfidf_free(model);
        free(index);
        return st;
    }
    adopt(index, &a, model);
    *out = index;
    return TS_OK;
}

ts_status ts_index_add(ts_index *index, const ts_corpus *corpus, ts_diag *diag)
{
    if (!index || !corpus)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_index_add: NULL argument");
    ts_tfidf *rows = NULL, *model = NULL;
    ts_status st = ts_tfidf_transform(&rows, index->model, corpus, diag);
    if (st == TS_OK)
        st = ts_tfidf_append(&model, index->model, rows, diag);
    ts_tfidf_free(rows);
    if (st != TS_OK)
        return st;
    index_arrays a;
    if ((st = make_arrays(&a, index, corpus, diag)) != TS_OK) {
        ts_tfidf_free(model);
        return st;
    }
    adopt(index, &a, model);
    return TS_OK;
}

void ts_index_free(ts_index *index)
{
    if (!index)
        return;
    index_arrays none = {0};
    adopt(index, &none, NULL);
    free(index);
}

const ts_tfidf *ts_index_model(const ts_index *index) { return index ? index->model : NULL; }

size_t ts_index_statement_count(const ts_index *index) { return index ? index->statements : 0; }

size_t ts_index_source_count(const ts_index *index) { return index ? index->sources : 0; }

const char *ts_index_source_name(const ts_index *index, size_t source)
{
    if (!index || source >= index->sources)
        return NULL;
    return index->names + index->name_off[source];
}

ts_statement ts_index_statement(const ts_index *index, size_t i)
{
    ts_statement s = {0};
    if (!index || i >= index->statements)
        return s;
    const ts_index_record *r = &index->records[i];
    s.text = index->text + r->text_off;
    s.length = r->length;
    s.source = r->source;
    s.index = r->index;
    s.offset = r->offset;
    return s;
}

ts_status ts_index_search(ts_engine *engine, const ts_index *index, const ts_corpus *queries,
                          const ts_pairs_options *options, ts_matches_fn fn, void *user,
                          ts_diag *diag)
{
    if (!engine || !index || !queries || !fn)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_index_search: NULL argument");
    ts_tfidf *q = NULL;
    ts_status st = ts_tfidf_transform(&q, index->model, queries, diag);
    if (st == TS_OK)
        st = ts_engine_search(engine, q, index->model, options, fn, user, diag);
    ts_tfidf_free(q);
    return st;
}
