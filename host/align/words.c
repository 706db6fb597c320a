/*
 * words.c - the surface words behind shared terms (words.h).
 *
 * Each side's statement is tokenized twice with scikit-learn's word rule,
 * keeping case and lowercasing, so that token i of one run is token i of the
 * other (when the counts differ, the side has no words and callers show the
 * terms).  A word's key is its lowercase form, stemmed with libstemmer in the
 * terms' language.  A statement has tens of words: a linear scan finds one.
 * Function words are left out by the built-in stop-word list of the terms'
 * language (German, French, Spanish; English for every other).
 */
#include "words.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "text/tokenize.h"

typedef struct side_words {
    ts_buf text;  /* surface words, back to back */
    ts_buf keys;  /* keys, each NUL-terminated */
    ts_buf lower; /* lowercase words, each NUL-terminated */
    size_t *at;   /* 3 offsets per word: surface start, key start, lowercase start */
    size_t *len;  /* surface length per word */
    size_t n, at_cap, len_cap;
} side_words;

struct ts_align_words {
    ts_tokenizer *keep, *lower, *stop;
    struct sb_stemmer *stemmer;
    side_words side[2];
    int loading_lower; /* which tokenizer run the collector is in */
    size_t next;       /* the word the lowercase run is at */
    ts_status st;
};

static ts_status collect(void *user, const char *term, size_t length)
{
    ts_align_words *w = user;
    side_words *s = &w->side[w->loading_lower >> 1];
    if (!(w->loading_lower & 1)) { /* keep-case run: a new word */
        if (!TS_GROW(s->at, s->at_cap, 3 * (s->n + 1)) || !TS_GROW(s->len, s->len_cap, s->n + 1))
            return TS_ERR_NOMEM;
        s->at[3 * s->n] = s->text.len;
        s->len[s->n++] = length;
        ts_buf_append(&s->text, term, length);
        return s->text.failed ? TS_ERR_NOMEM : TS_OK;
    }
    if (w->next >= s->n)
        return TS_ERR_CANCELLED; /* counts differ */
    s->at[3 * w->next + 2] = s->lower.len;
    ts_buf_append(&s->lower, term, length);
    ts_buf_putc(&s->lower, '\0');
    s->at[3 * w->next + 1] = s->keys.len;
    if (w->stemmer) {
        const sb_symbol *st = sb_stemmer_stem(w->stemmer, (const sb_symbol *)term, (int)length);
        if (!st)
            return TS_ERR_NOMEM;
        ts_buf_append(&s->keys, st, (size_t)sb_stemmer_length(w->stemmer));
    } else {
        ts_buf_append(&s->keys, term, length);
    }
    ts_buf_putc(&s->keys, '\0');
    w->next++;
    return s->keys.failed || s->lower.failed ? TS_ERR_NOMEM : TS_OK;
}

/* The built-in stop-word list of the terms' language (Snowball names and
 * ISO 639 codes); English for any other. */
static const char *function_words(const char *stem_language)
{
    static const char *const lists[][5] = {{"german", "german", "de", "deu", "ger"},
                                           {"french", "french", "fr", "fra", "fre"},
                                           {"spanish", "spanish", "es", "spa", NULL}};
    for (size_t i = 0; stem_language && i < sizeof lists / sizeof lists[0]; i++)
        for (size_t k = 1; k < 5 && lists[i][k]; k++)
            if (strcmp(stem_language, lists[i][k]) == 0)
                return lists[i][0];
    return "english";
}

ts_status ts_align_words_create(ts_align_words **out, const char *stem_language, ts_diag *diag)
{
    *out = NULL;
    ts_align_words *w = calloc(1, sizeof *w);
    if (!w)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory");
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    o.lowercase = TS_CASE_NONE;
    ts_status st = ts_tokenizer_create(&w->keep, &o, diag);
    o.lowercase = TS_CASE_LOWER;
    if (st == TS_OK)
        st = ts_tokenizer_create(&w->lower, &o, diag);
    o.stop_words = function_words(stem_language);
    if (st == TS_OK)
        st = ts_tokenizer_create(&w->stop, &o, diag);
    if (st == TS_OK && stem_language && !(w->stemmer = sb_stemmer_new(stem_language, "UTF_8")))
        st = TS_FAIL(diag, TS_ERR_STEMMER, "no stemmer for '%s'", stem_language);
    if (st != TS_OK) {
        ts_align_words_free(w);
        return st;
    }
    *out = w;
    return TS_OK;
}

void ts_align_words_free(ts_align_words *w)
{
    if (!w)
        return;
    ts_tokenizer_free(w->keep);
    ts_tokenizer_free(w->lower);
    ts_tokenizer_free(w->stop);
    if (w->stemmer)
        sb_stemmer_delete(w->stemmer);
    for (int s = 0; s < 2; s++) {
        ts_buf_free(&w->side[s].text);
        ts_buf_free(&w->side[s].keys);
        ts_buf_free(&w->side[s].lower);
        free(w->side[s].at);
        free(w->side[s].len);
    }
    free(w);
}

ts_status ts_align_words_load(ts_align_words *w, int side, const char *text, size_t length,
                              ts_diag *diag)
{
    side_words *s = &w->side[side ? 1 : 0];
    s->n = 0;
    s->text.len = s->keys.len = s->lower.len = 0;
    w->loading_lower = (side ? 2 : 0);
    ts_status st = ts_tokenizer_run(w->keep, text, length, collect, w, diag);
    size_t words = s->n;
    w->loading_lower = (side ? 2 : 0) | 1;
    w->next = 0;
    if (st == TS_OK)
        st = ts_tokenizer_run(w->lower, text, length, collect, w, diag);
    if (st == TS_ERR_CANCELLED || (st == TS_OK && w->next != words)) {
        s->n = 0; /* the two runs disagree: no words, the terms are shown */
        return TS_OK;
    }
    if (st == TS_ERR_NOMEM)
        return TS_FAIL(diag, st, "out of memory explaining matches");
    return st;
}

int ts_align_words_find(const ts_align_words *w, int side, const char *term,
                        const char **surface, size_t *length, int *function)
{
    const side_words *s = &w->side[side ? 1 : 0];
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->keys.data + s->at[3 * i + 1], term) != 0)
            continue;
        const char *lower = s->lower.data + s->at[3 * i + 2];
        *surface = s->text.data + s->at[3 * i];
        *length = s->len[i];
        *function = ts_tokenizer_is_stop_word(w->stop, lower, strlen(lower));
        return 1;
    }
    return 0;
}
