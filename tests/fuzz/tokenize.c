/*
 * tokenize.c - fuzz target: the analyzers of host/text/tokenize.h.
 *
 * The input, repaired to valid UTF-8 when it is not (what every reader
 * ensures), goes through nine tokenizers.  Every term must be non-empty
 * valid UTF-8 without NUL; then each configuration is compared with a naive
 * reference written here from scikit-learn's definitions (Python's \w and
 * str.isspace() by general category and bidi class, through ICU):
 *   word   sklearn rule, no case mapping        = the maximal runs of >= 2 word
 *                                                 characters of the text
 *   word   sklearn rule, lowercase              = the same runs of ICU's root
 *                                                 lowercase of the text
 *   word   + stop words english                 = those runs less the list
 *   word   + stem english, n-grams 1-2          = the stems (libstemmer) of
 *                                                 those, then each adjacent
 *                                                 pair joined by one space
 *   word   unicode-words, case folding, stop words and stem english
 *                                               = terms without white space
 *   char_wb 3-5, no case mapping                = sklearn's _char_wb_ngrams
 *   char   1-3, lowercase                       = sklearn's _char_ngrams after
 *                                                 collapsing white-space runs
 *   word   token pattern \w\w+, no case mapping  = the runs of the first line
 *                                                 (ICU's regex, with Python's \w)
 *   word   strip_accents unicode, lowercase     = the runs of the lowercase
 *                                                 text after NFKD and dropping
 *                                                 combining characters
 * Every tokenizer tracks case (ts_tokenizer_track_case), which must not change
 * its terms; without case mapping a term's case must be that of its first
 * letter (unknown for the first), and the char analyzers pass none.
 */
#include <libstemmer.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "base/resource.h"
#include "fuzz_common.h"
#include "text/tokenize.h"

/* ------------------------------------------------------------ term lists */

typedef struct terms {
    char *bytes;
    size_t len, cap;
    size_t *start; /* n + 1 entries once finished */
    size_t n, start_cap;
} terms;

static void terms_add(terms *t, const char *s, size_t n)
{
    if (t->len + n > t->cap) {
        t->cap = (t->len + n) * 2 + 64;
        t->bytes = realloc(t->bytes, t->cap);
        FUZZ_CHECK(t->bytes != NULL, "out of memory");
    }
    if (t->n + 2 > t->start_cap) {
        t->start_cap = t->start_cap * 2 + 64;
        t->start = realloc(t->start, t->start_cap * sizeof *t->start);
        FUZZ_CHECK(t->start != NULL, "out of memory");
    }
    t->start[t->n++] = t->len;
    if (n)
        memcpy(t->bytes + t->len, s, n);
    t->len += n;
    t->start[t->n] = t->len;
}

static size_t term_len(const terms *t, size_t i) { return t->start[i + 1] - t->start[i]; }
static const char *term_at(const terms *t, size_t i) { return t->bytes + t->start[i]; }

static void terms_free(terms *t)
{
    free(t->bytes);
    free(t->start);
}

enum { WORD_PLAIN, WORD_LOWER, WORD_STOP, WORD_STEM_BIGRAMS, UNICODE_WORDS, CHAR_WB, CHAR,
       WORD_PATTERN, WORD_STRIP, N_CONFIGS };

static ts_tokenizer *running; /* the tokenizer of the run in progress, */
static int running_which;     /* and its configuration */

/* The case a term of the word rule without case mapping must have. */
static int expected_case(size_t index, const char *term, size_t length)
{
    if (index == 0)
        return TS_TERM_CASE_UNKNOWN;
    int32_t i = 0;
    UChar32 c;
    U8_NEXT(term, i, (int32_t)length, c);
    return u_isupper(c) || u_istitle(c) ? TS_TERM_CASE_CAPITAL : TS_TERM_CASE_OTHER;
}

static ts_status sink(void *user, const char *term, size_t length)
{
    terms *t = user;
    FUZZ_CHECK(length > 0, "empty term");
    FUZZ_CHECK(fuzz_utf8_valid(term, length), "term is not valid UTF-8 or holds a NUL");
    int k = ts_tokenizer_term_case(running);
    FUZZ_CHECK(k >= TS_TERM_CASE_UNKNOWN && k <= TS_TERM_CASE_CAPITAL, "term case %d", k);
    if (running_which == CHAR_WB || running_which == CHAR)
        FUZZ_CHECK(k == TS_TERM_CASE_UNKNOWN, "a char n-gram with case %d", k);
    if (running_which == WORD_PLAIN)
        FUZZ_CHECK(k == expected_case(t->n, term, length), "term %zu: case %d, expected %d",
                   t->n, k, expected_case(t->n, term, length));
    terms_add(t, term, length);
    return TS_OK;
}

static void expect_same(const terms *got, const terms *want, const char *what)
{
    FUZZ_CHECK(got->n == want->n, "%s: %zu terms, expected %zu", what, got->n, want->n);
    for (size_t i = 0; i < got->n; i++)
        FUZZ_CHECK(term_len(got, i) == term_len(want, i) &&
                       memcmp(term_at(got, i), term_at(want, i), term_len(got, i)) == 0,
                   "%s: term %zu is \"%.*s\", expected \"%.*s\"", what, i,
                   (int)term_len(got, i), term_at(got, i), (int)term_len(want, i),
                   term_at(want, i));
}

/* ---------------------------------------------------------- tokenizers */

static ts_tokenizer *tokenizer(int which)
{
    static ts_tokenizer *tok[N_CONFIGS]; /* made once: stop words, stemmer, ICU */
    if (tok[which])
        return tok[which];
    ts_vectorizer_options o;
    ts_vectorizer_options_init(&o);
    switch (which) {
    case WORD_PLAIN:
        o.lowercase = TS_CASE_NONE;
        break;
    case WORD_LOWER:
        break;
    case WORD_STOP:
        o.stop_words = "english";
        break;
    case WORD_STEM_BIGRAMS:
        o.stop_words = "english";
        o.stem = "english";
        o.ngram_max = 2;
        break;
    case UNICODE_WORDS:
        o.tokens = TS_TOKENS_UNICODE_WORDS;
        o.lowercase = TS_CASE_FOLD;
        o.stop_words = "english";
        o.stem = "english";
        break;
    case CHAR_WB:
        o.analyzer = TS_ANALYZER_CHAR_WB;
        o.lowercase = TS_CASE_NONE;
        o.ngram_min = 3;
        o.ngram_max = 5;
        break;
    case CHAR:
        o.analyzer = TS_ANALYZER_CHAR;
        o.ngram_max = 3;
        break;
    case WORD_PATTERN:
        o.lowercase = TS_CASE_NONE;
        o.token_pattern = "\\w\\w+";
        break;
    case WORD_STRIP:
        o.strip_accents = TS_ACCENTS_UNICODE;
        break;
    }
    ts_diag d;
    ts_status st = ts_tokenizer_create(&tok[which], &o, &d);
    FUZZ_CHECK(st == TS_OK, "ts_tokenizer_create(%d): %s", which, d.message);
    ts_tokenizer_track_case(tok[which]);
    return tok[which];
}

static terms run(int which, const char *text, size_t n)
{
    terms t = {0};
    ts_diag d;
    running = tokenizer(which);
    running_which = which;
    ts_status st = ts_tokenizer_run(running, text, n, sink, &t, &d);
    FUZZ_CHECK(st == TS_OK, "ts_tokenizer_run(%d): %s", which, d.message);
    return t;
}

/* ------------------------------------------------------------ references */

/* Python's \w: '_' or str.isalnum(), i.e. general category L* or N*. */
static int py_word(UChar32 c)
{
    if (c == '_')
        return 1;
    switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
        return 1;
    default:
        return 0;
    }
}

/* Python's str.isspace(): category Zs, or bidi class WS, B or S. */
static int py_space(UChar32 c)
{
    if (u_charType(c) == U_SPACE_SEPARATOR)
        return 1;
    UCharDirection d = u_charDirection(c);
    return d == U_WHITE_SPACE_NEUTRAL || d == U_BLOCK_SEPARATOR || d == U_SEGMENT_SEPARATOR;
}

typedef struct cps {
    UChar32 *c;
    size_t *off; /* byte offset of each code point; off[n] = length */
    size_t n;
} cps;

static cps decode(const char *s, size_t len)
{
    cps r = {malloc((len + 1) * sizeof(UChar32)), malloc((len + 1) * sizeof(size_t)), 0};
    FUZZ_CHECK(r.c && r.off, "out of memory");
    int32_t i = 0;
    while ((size_t)i < len) {
        r.off[r.n] = (size_t)i;
        U8_NEXT((const uint8_t *)s, i, (int32_t)len, r.c[r.n]);
        r.n++;
    }
    r.off[r.n] = len;
    return r;
}

/* ICU root lowercase of s (Python's str.lower()), as UTF-8. */
static char *lower(const char *s, size_t len, size_t *out_len)
{
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &err);
    err = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u);
    u_strFromUTF8(u, n16 + 1, NULL, s, (int32_t)len, &err);
    int32_t nl = u_strToLower(NULL, 0, u, n16, "", &(UErrorCode){U_ZERO_ERROR});
    UChar *l = malloc(((size_t)nl + 1) * sizeof *l);
    u_strToLower(l, nl + 1, u, n16, "", &err);
    int32_t n8 = 0;
    u_strToUTF8(NULL, 0, &n8, l, nl, &(UErrorCode){U_ZERO_ERROR});
    char *out = malloc((size_t)n8 + 1);
    u_strToUTF8(out, n8 + 1, NULL, l, nl, &err);
    FUZZ_CHECK(U_SUCCESS(err) && out, "reference lowercase: %s", u_errorName(err));
    free(u);
    free(l);
    *out_len = (size_t)n8;
    return out;
}

/* s after NFKD, without its combining characters (strip_accents_unicode). */
static char *strip_marks(const char *s, size_t len, size_t *out_len)
{
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&err);
    int32_t n16 = 0;
    u_strFromUTF8(NULL, 0, &n16, s, (int32_t)len, &(UErrorCode){U_ZERO_ERROR});
    UChar *u = malloc(((size_t)n16 + 1) * sizeof *u);
    u_strFromUTF8(u, n16 + 1, NULL, s, (int32_t)len, &err);
    int32_t nd = unorm2_normalize(nfkd, u, n16, NULL, 0, &(UErrorCode){U_ZERO_ERROR});
    UChar *d = malloc(((size_t)nd + 1) * sizeof *d);
    unorm2_normalize(nfkd, u, n16, d, nd + 1, &err);
    char *out = malloc(4 * (size_t)nd + 1);
    FUZZ_CHECK(U_SUCCESS(err) && u && d && out, "reference NFKD: %s", u_errorName(err));
    size_t n = 0;
    for (int32_t i = 0; i < nd;) {
        UChar32 c;
        U16_NEXT(d, i, nd, c);
        if (u_getCombiningClass(c) == 0)
            U8_APPEND_UNSAFE(out, n, c);
    }
    free(u);
    free(d);
    *out_len = n;
    return out;
}

/* (?u)\b\w\w+\b over s. */
static terms naive_words(const char *s, size_t len)
{
    terms t = {0};
    cps c = decode(s, len);
    for (size_t i = 0; i < c.n;) {
        size_t a = i;
        while (i < c.n && py_word(c.c[i]))
            i++;
        if (i - a >= 2)
            terms_add(&t, s + c.off[a], c.off[i] - c.off[a]);
        if (i == a)
            i++;
    }
    free(c.c);
    free(c.off);
    return t;
}

typedef struct stop_list {
    const char **w;
    size_t *len;
    size_t n;
} stop_list;

static int is_stop_word(const char *s, size_t n)
{
    static stop_list list;
    if (!list.w) {
        const ts_resource *r = ts_resource_find("data/stop_words_english.txt");
        FUZZ_CHECK(r != NULL, "no embedded stop-word list");
        list.w = malloc(r->size * sizeof *list.w);
        list.len = malloc(r->size * sizeof *list.len);
        for (size_t i = 0; i < r->size;) {
            size_t e = i;
            while (e < r->size && r->data[e] != '\n' && r->data[e] != '\r')
                e++;
            if (e > i && r->data[i] != '#') {
                list.w[list.n] = r->data + i;
                list.len[list.n++] = e - i;
            }
            i = e + 1;
        }
        FUZZ_CHECK(list.n > 300, "only %zu stop words", list.n);
    }
    for (size_t i = 0; i < list.n; i++)
        if (list.len[i] == n && memcmp(list.w[i], s, n) == 0)
            return 1;
    return 0;
}

static terms without_stop_words(const terms *in)
{
    terms t = {0};
    for (size_t i = 0; i < in->n; i++)
        if (!is_stop_word(term_at(in, i), term_len(in, i)))
            terms_add(&t, term_at(in, i), term_len(in, i));
    return t;
}

static terms stems_and_bigrams(const terms *in)
{
    static struct sb_stemmer *stemmer;
    if (!stemmer)
        stemmer = sb_stemmer_new("english", "UTF_8");
    FUZZ_CHECK(stemmer != NULL, "no english stemmer");
    terms stems = {0}, t = {0};
    for (size_t i = 0; i < in->n; i++) {
        const sb_symbol *s =
            sb_stemmer_stem(stemmer, (const sb_symbol *)term_at(in, i), (int)term_len(in, i));
        FUZZ_CHECK(s != NULL, "stemmer out of memory");
        terms_add(&stems, (const char *)s, (size_t)sb_stemmer_length(stemmer));
    }
    for (size_t i = 0; i < stems.n; i++)
        terms_add(&t, term_at(&stems, i), term_len(&stems, i));
    for (size_t i = 0; i + 1 < stems.n; i++) {
        size_t a = term_len(&stems, i), b = term_len(&stems, i + 1);
        char *pair = malloc(a + b + 1);
        FUZZ_CHECK(pair != NULL, "out of memory");
        memcpy(pair, term_at(&stems, i), a);
        pair[a] = ' ';
        memcpy(pair + a + 1, term_at(&stems, i + 1), b);
        terms_add(&t, pair, a + b + 1);
        free(pair);
    }
    terms_free(&stems);
    return t;
}

/* Code points [a, b) of a sequence, as UTF-8. */
static void add_cps(terms *t, const UChar32 *c, size_t a, size_t b)
{
    char buf[5 * 8];
    size_t n = 0;
    for (size_t i = a; i < b; i++) {
        FUZZ_CHECK(n + 4 <= sizeof buf, "n-gram too long");
        U8_APPEND_UNSAFE(buf, n, c[i]);
    }
    terms_add(t, buf, n);
}

/* sklearn _char_wb_ngrams(text, 3, 5) for text without case mapping. */
static terms naive_char_wb(const char *s, size_t len)
{
    terms t = {0};
    cps c = decode(s, len);
    UChar32 *w = malloc((c.n + 2) * sizeof *w);
    FUZZ_CHECK(w != NULL, "out of memory");
    for (size_t i = 0; i < c.n;) {
        if (py_space(c.c[i])) {
            i++;
            continue;
        }
        size_t wl = 0;
        w[wl++] = ' ';
        while (i < c.n && !py_space(c.c[i]))
            w[wl++] = c.c[i++];
        w[wl++] = ' ';
        for (size_t g = 3; g <= 5; g++) {
            size_t o = 0;
            add_cps(&t, w, 0, g < wl ? g : wl);
            while (o + g < wl) {
                o++;
                add_cps(&t, w, o, o + g);
            }
            if (o == 0)
                break;
        }
    }
    free(w);
    free(c.c);
    free(c.off);
    return t;
}

/* sklearn _char_ngrams(text, 1, 3): runs of >= 2 spaces become one ' '. */
static terms naive_char(const char *s, size_t len)
{
    terms t = {0};
    cps c = decode(s, len);
    size_t w = 0;
    for (size_t i = 0; i < c.n;) {
        if (py_space(c.c[i]) && i + 1 < c.n && py_space(c.c[i + 1])) {
            while (i < c.n && py_space(c.c[i]))
                i++;
            c.c[w++] = ' ';
        } else {
            c.c[w++] = c.c[i++];
        }
    }
    for (size_t g = 1; g <= 3; g++)
        for (size_t i = 0; i + g <= w; i++)
            add_cps(&t, c.c, i, i + g);
    free(c.c);
    free(c.off);
    return t;
}

/* ---------------------------------------------------------------- target */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n;
    char *text = fuzz_valid_copy(data, size, &n);
    size_t ln;
    char *low = lower(text, n, &ln);

    terms got = run(WORD_PLAIN, text, n), want = naive_words(text, n);
    expect_same(&got, &want, "word, no case mapping");
    terms_free(&got);
    terms_free(&want);

    terms lowered = naive_words(low, ln);
    got = run(WORD_LOWER, text, n);
    expect_same(&got, &lowered, "word, lowercase");
    terms_free(&got);

    terms kept = without_stop_words(&lowered);
    got = run(WORD_STOP, text, n);
    expect_same(&got, &kept, "word, stop words");
    terms_free(&got);

    want = stems_and_bigrams(&kept);
    got = run(WORD_STEM_BIGRAMS, text, n);
    expect_same(&got, &want, "word, stop words, stems, bigrams");
    terms_free(&got);
    terms_free(&want);
    terms_free(&kept);
    terms_free(&lowered);

    got = run(UNICODE_WORDS, text, n);
    for (size_t i = 0; i < got.n; i++) {
        cps c = decode(term_at(&got, i), term_len(&got, i));
        /* No term holds white space, U+202F included (finding 1 in
         * docs/FUZZING.md, fixed in run_unicode_words). */
        for (size_t k = 0; k < c.n; k++)
            FUZZ_CHECK(!py_space(c.c[k]),
                       "unicode-words term %zu holds white space U+%04X", i,
                       (unsigned)c.c[k]);
        free(c.c);
        free(c.off);
    }
    terms_free(&got);

    got = run(CHAR_WB, text, n);
    want = naive_char_wb(text, n);
    expect_same(&got, &want, "char_wb 3-5");
    terms_free(&got);
    terms_free(&want);

    got = run(CHAR, text, n);
    want = naive_char(low, ln);
    expect_same(&got, &want, "char 1-3, lowercase");
    terms_free(&got);
    terms_free(&want);

    got = run(WORD_PATTERN, text, n);
    want = naive_words(text, n);
    expect_same(&got, &want, "word, token pattern \\w\\w+");
    terms_free(&got);
    terms_free(&want);

    size_t sn;
    char *stripped = strip_marks(low, ln, &sn);
    got = run(WORD_STRIP, text, n);
    want = naive_words(stripped, sn);
    expect_same(&got, &want, "word, strip_accents unicode");
    terms_free(&got);
    terms_free(&want);
    free(stripped);

    free(low);
    free(text);
    return 0;
}
