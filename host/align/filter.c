/*
 * filter.c - which statements take part in the alignment (filter.h).
 *
 * A statement is flagged 'short' when it has fewer than min_tokens word
 * tokens (scikit-learn's default word pattern, whatever the TF-IDF options:
 * the counts the TF-IDF pass made when its options count exactly those,
 * else a tokenizing pass of its own)
 * and 'excluded' when one of the exclusion patterns finds a match in it:
 * the built-in web boilerplate list (data/boilerplate_en.txt, embedded) and
 * the user's file, one ICU regular expression per line, case-insensitive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uregex.h>
#include <unicode/utext.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/resource.h"
#include "filter.h"
#include "text/tokenize.h"

typedef struct pattern_set {
    URegularExpression **re;
    size_t count;
} pattern_set;

static void patterns_free(pattern_set *p)
{
    for (size_t i = 0; i < p->count; i++)
        uregex_close(p->re[i]);
    free(p->re);
    p->re = NULL;
    p->count = 0;
}

/* Compile every non-blank, non-comment line of `text` as one pattern. */
static ts_status patterns_add(pattern_set *p, const char *text, size_t len, const char *origin,
                              ts_diag *diag)
{
    size_t line_no = 0;
    for (size_t pos = 0; pos < len;) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t stop = end;
        if (stop > pos && text[stop - 1] == '\r')
            stop--;
        line_no++;
        const char *line = text + pos;
        size_t n = stop - pos;
        size_t lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        if (lead < n && line[lead] != '#') {
            URegularExpression **grown = realloc(p->re, (p->count + 1) * sizeof *grown);
            if (!grown)
                return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory reading %s", origin);
            p->re = grown;
            UParseError pe = {0};
            UErrorCode err = U_ZERO_ERROR;
            UText *ut = utext_openUTF8(NULL, line, (int64_t)n, &err);
            URegularExpression *re = uregex_openUText(ut, UREGEX_CASE_INSENSITIVE, &pe, &err);
            utext_close(ut);
            if (U_FAILURE(err))
                return ts_diag_set(diag, TS_ERR_ARG, origin, line_no, TS_DIAG_NO_OFFSET,
                                   "%s:%zu: invalid regular expression at column %d (%s): %.*s; "
                                   "fix the pattern (ICU regular expression syntax)",
                                   origin, line_no, pe.offset + 1, u_errorName(err), (int)n, line);
            p->re[p->count++] = re;
        }
        pos = end + 1;
    }
    return TS_OK;
}

static ts_status patterns_load(pattern_set *p, const ts_alignment_options *o, ts_diag *diag)
{
    ts_status st = TS_OK;
    if (o->builtin_exclude) {
        const ts_resource *r = ts_resource_find("data/boilerplate_en.txt");
        if (!r)
            return TS_FAIL(diag, TS_ERR_INTERNAL, "built-in exclusion patterns missing");
        st = patterns_add(p, r->data, r->size, "data/boilerplate_en.txt", diag);
    }
    if (st == TS_OK && o->exclude) {
        char *text;
        size_t len, cap;
        st = ts_file_read(o->exclude, NULL, "the exclusion patterns", NULL, &text, &len, &cap,
                          diag);
        if (st != TS_OK)
            return st;
        st = patterns_add(p, text, len, o->exclude, diag);
        free(text);
    }
    return st;
}

static int patterns_match(const pattern_set *p, const char *text, size_t len, ts_diag *diag,
                          ts_status *st)
{
    if (!p->count)
        return 0;
    static const UChar empty[1] = {0};
    UErrorCode err = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text, (int64_t)len, &err); /* one per statement */
    UBool found = 0;
    for (size_t i = 0; i < p->count && !found && U_SUCCESS(err); i++) {
        uregex_setUText(p->re[i], ut, &err);
        found = U_SUCCESS(err) && uregex_find(p->re[i], 0, &err);
        UErrorCode detach = U_ZERO_ERROR;
        uregex_setText(p->re[i], empty, 0, &detach); /* detach before closing the UText */
    }
    utext_close(ut);
    if (U_FAILURE(err)) {
        *st = TS_FAIL(diag, TS_ERR_UNICODE, "matching exclusion patterns failed: %s",
                      u_errorName(err));
        return 0;
    }
    return found;
}

static ts_status count_token(void *user, const char *term, size_t length)
{
    (void)term;
    (void)length;
    (*(unsigned *)user)++;
    return TS_OK;
}

ts_status ts_align_flag(const ts_corpus *corpus, const ts_alignment_options *o,
                        const uint32_t *word_tokens, unsigned char *flags, unsigned *tokens,
                        ts_diag *diag)
{
    ts_vectorizer_options vo;
    ts_vectorizer_options_init(&vo);
    ts_tokenizer *tok = NULL;
    pattern_set pats = {0};
    ts_status st = word_tokens ? TS_OK : ts_tokenizer_create(&tok, &vo, diag);
    if (st == TS_OK)
        st = patterns_load(&pats, o, diag);
    size_t n = ts_corpus_statement_count(corpus);
    for (size_t i = 0; i < n && st == TS_OK; i++) {
        ts_statement s = ts_corpus_statement(corpus, i);
        if (word_tokens)
            tokens[i] = word_tokens[i];
        else
            st = ts_tokenizer_run(tok, s.text, s.length, count_token, &tokens[i], diag);
        if (tokens[i] < o->min_tokens)
            flags[i] |= TS_STATEMENT_SHORT;
        if (st == TS_OK && patterns_match(&pats, s.text, s.length, diag, &st))
            flags[i] |= TS_STATEMENT_EXCLUDED;
    }
    patterns_free(&pats);
    ts_tokenizer_free(tok);
    return st;
}
