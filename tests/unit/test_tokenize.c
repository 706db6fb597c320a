/*
 * test_tokenize.c - the analyzers against scikit-learn 1.2.
 *
 * Unless a comment says otherwise, every expected term list below was obtained
 * ONCE by running /usr/bin/python3 with scikit-learn 1.2.1, i.e.
 *     TfidfVectorizer(**kw).build_analyzer()(text)
 * with the keyword arguments named in the test, and pasted here.  The live,
 * corpus-wide comparison is tests/parity/test_parity.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "text/tokenize.h"
#include "textsim.h"

/* ------------------------------------------------------------ helpers */

#define MAX_TERMS 512

typedef struct terms {
    size_t n;
    char *t[MAX_TERMS];
} terms;

static ts_status collect(void *user, const char *term, size_t length)
{
    terms *ts = user;
    assert_true(ts->n < MAX_TERMS);
    char *s = malloc(length + 1);
    assert_non_null(s);
    memcpy(s, term, length);
    s[length] = '\0';
    ts->t[ts->n++] = s;
    return TS_OK;
}

static void terms_clear(terms *ts)
{
    for (size_t i = 0; i < ts->n; i++)
        free(ts->t[i]);
    ts->n = 0;
}

static void base_options(ts_vectorizer_options *o)
{
    ts_vectorizer_options_init(o);
}

/* Tokenize `text` with `o` and compare with the NULL-terminated list. */
static void check_terms(const ts_vectorizer_options *o, const char *text, const char *const *expect)
{
    ts_tokenizer *tok = NULL;
    ts_diag diag;
    ts_status st = ts_tokenizer_create(&tok, o, &diag);
    if (st != TS_OK)
        fail_msg("create: %s", diag.message);
    terms got = {0};
    st = ts_tokenizer_run(tok, text, strlen(text), collect, &got, &diag);
    if (st != TS_OK)
        fail_msg("run: %s", diag.message);
    size_t n = 0;
    while (expect[n])
        n++;
    for (size_t i = 0; i < got.n && i < n; i++)
        if (strcmp(got.t[i], expect[i]) != 0)
            fail_msg("%s: term %zu is \"%s\", expected \"%s\"", text, i, got.t[i], expect[i]);
    if (got.n != n)
        fail_msg("%s: %zu terms, expected %zu", text, got.n, n);
    terms_clear(&got);
    ts_tokenizer_free(tok);
}

#define TERMS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_TERMS ((const char *const[]){NULL})

/* -------------------------------------------------------- word analyzer */

static void test_default_words(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    /* kw = {} : apostrophe splits, one-letter tokens dropped */
    check_terms(&o, "Don't stop: a b cd 12 3 x_y", TERMS("don", "stop", "cd", "12", "x_y"));
    /* digits and underscores are word characters */
    check_terms(&o, "__init__ v2 2024-12-02 3.14 _ \xC3\xA9" "1",
                TERMS("__init__", "v2", "2024", "12", "02", "14", "\xC3\xA9" "1"));
    check_terms(&o, "", NO_TERMS);
    check_terms(&o, "a b c . !", NO_TERMS);
}

static void test_combining_marks(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    /* "naïve" precomposed (U+00EF) is one token ... */
    check_terms(&o, "na\xC3\xAFve", TERMS("na\xC3\xAFve"));
    /* ... decomposed n a i U+0308 v e: the Mn mark is not \w in Python */
    check_terms(&o, "nai\xCC\x88ve", TERMS("nai", "ve"));
}

static void test_lowercase_special(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    /* "İstanbul".lower() == "i\u0307stanbul": the U+0307 splits off "i" */
    check_terms(&o, "\xC4\xB0stanbul", TERMS("stanbul"));
    /* final sigma: "ΟΔΟΣ ΣΑΣ. ΣΣ" -> οδος σας σς */
    check_terms(&o, "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\xA3\xCE\x91\xCE\xA3. \xCE\xA3\xCE\xA3",
                TERMS("\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82", "\xCF\x83\xCE\xB1\xCF\x82",
                      "\xCF\x83\xCF\x82"));
    /* supplementary plane: Deseret U+10400 lowercases to U+10428 */
    check_terms(&o, "\xF0\x90\x90\x80\xF0\x90\x90\x80 x",
                TERMS("\xF0\x90\x90\xA8\xF0\x90\x90\xA8"));
    /* kw = {lowercase: False} */
    o.lowercase = TS_CASE_NONE;
    check_terms(&o, "\xC4\xB0stanbul", TERMS("\xC4\xB0stanbul"));
    check_terms(&o, "ABC dEf", TERMS("ABC", "dEf"));
}

static void test_fold_vs_lower(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    /* kw = {} */
    check_terms(&o, "Stra\xC3\x9F" "e STRASSE", TERMS("stra\xC3\x9F" "e", "strasse"));
    /* kw = {preprocessor: str.casefold} */
    o.lowercase = TS_CASE_FOLD;
    check_terms(&o, "Stra\xC3\x9F" "e STRASSE", TERMS("strasse", "strasse"));
}

static void test_strip_accents(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    /* "Pedro S\u00e1nchez, \ufb01nance, x\u00b2, \u0141\u00f3d\u017a, Stra\u00dfe":
     * NFKD splits the ligature and the superscript; "\u0142", "\u00df" have no
     * decomposition, so unicode keeps them and ascii drops them. */
    const char *text = "Pedro S\xC3\xA1nchez, \xEF\xAC\x81nance, x\xC2\xB2, "
                       "\xC5\x81\xC3\xB3" "d\xC5\xBA, Stra\xC3\x9F" "e";
    o.strip_accents = TS_ACCENTS_UNICODE; /* kw = {strip_accents: "unicode"} */
    check_terms(&o, text, TERMS("pedro", "sanchez", "finance", "x2", "\xC5\x82odz",
                                "stra\xC3\x9F" "e"));
    o.strip_accents = TS_ACCENTS_ASCII; /* kw = {strip_accents: "ascii"} */
    check_terms(&o, text, TERMS("pedro", "sanchez", "finance", "x2", "odz", "strae"));
    /* a decomposed mark no longer splits the word; "\u0130".lower() is
     * "i\u0307"; Hangul syllables become jamo (kept by unicode only) */
    text = "nai\xCC\x88ve \xC4\xB0stanbul \xEC\x84\x9C\xEC\x9A\xB8";
    o.strip_accents = TS_ACCENTS_UNICODE;
    check_terms(&o, text, TERMS("naive", "istanbul",
                                "\xE1\x84\x89\xE1\x85\xA5\xE1\x84\x8B\xE1\x85\xAE\xE1\x86\xAF"));
    o.strip_accents = TS_ACCENTS_ASCII;
    check_terms(&o, text, TERMS("naive", "istanbul"));
    /* kw = {strip_accents: "ascii", lowercase: False} */
    o.lowercase = TS_CASE_NONE;
    check_terms(&o, "Caf\xC3\xA9 OL\xC3\x89", TERMS("Cafe", "OLE"));
}

static void test_token_pattern(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    const char *text = "Putin's talks, a b \xC2\xBD na\xC3\xAFve";
    /* kw = {token_pattern: r"(?u)\b\w+\b"}: Python's \w takes "\u00bd" (No) */
    o.token_pattern = "(?u)\\b\\w+\\b";
    check_terms(&o, text, TERMS("putin", "s", "talks", "a", "b", "\xC2\xBD", "na\xC3\xAFve"));
    /* kw = {token_pattern: r"(?u)\b(\w+)(?:'s)?\b"}: the group is the token; a
     * decomposed mark is not \w in Python, so it splits "nai\u0308ve" */
    o.token_pattern = "(?u)\\b(\\w+)(?:'s)?\\b";
    check_terms(&o, "Putin's talks, a b \xC2\xBD nai\xCC\x88ve",
                TERMS("putin", "talks", "a", "b", "\xC2\xBD", "nai", "ve"));
    /* kw = {token_pattern: r"(\d+)?[a-z]+"}: a group that takes no part is "" */
    o.token_pattern = "(\\d+)?[a-z]+";
    check_terms(&o, "abc 12def gh", TERMS("", "12", ""));
    /* kw = {token_pattern: r"\w+", ngram_range: (2, 2)} */
    o.token_pattern = "\\w+";
    o.ngram_min = o.ngram_max = 2;
    check_terms(&o, "one two three four", TERMS("one two", "two three", "three four"));
}

static void test_stop_words(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.stop_words = "english";
    /* kw = {stop_words: 'english'} */
    check_terms(&o, "This is the best of all possible worlds",
                TERMS("best", "possible", "worlds"));
    /* matching is on the lowercased token, exact */
    check_terms(&o, "THE Theory", TERMS("theory"));
    /* textsim's built-in German, French and Spanish lists (data/stop_words_*.txt) */
    o.stop_words = "german";
    check_terms(&o, "Die Soldaten nahmen an der \xC3\x9C" "bung teil", /* Übung */
                TERMS("soldaten", "nahmen", "\xC3\xBC" "bung", "teil"));
    o.stop_words = "french";
    check_terms(&o, "Les soldats sont dans la ville", TERMS("soldats", "ville"));
    o.stop_words = "spanish";
    check_terms(&o, "Los soldados de la ciudad", TERMS("soldados", "ciudad"));
}

static void test_stop_word_file(void **state)
{
    (void)state;
    char path[] = "/tmp/ts_stop_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char body[] = "\xEF\xBB\xBF# my list\n\nfoo\r\n  bar  \n#baz\n\xC3\xA9t\xC3\xA9\n";
    assert_int_equal(write(fd, body, sizeof body - 1), (ssize_t)(sizeof body - 1));
    close(fd);
    ts_vectorizer_options o;
    base_options(&o);
    o.stop_words = path;
    /* hand-derived: foo, bar and "été" are stop words; "#baz" is a comment */
    check_terms(&o, "foo bar baz \xC3\x89t\xC3\xA9 food", TERMS("baz", "food"));
    unlink(path);
}

static void test_stemming(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.stem = "english";
    /* Snowball English (Porter2) rules, hand-derived: running/runs -> run,
     * easily -> easili (y -> i, "li" kept after 'i') */
    check_terms(&o, "Running runs easily", TERMS("run", "run", "easili"));
    /* stop words are removed before stemming: "the" goes, "was" too */
    o.stop_words = "english";
    check_terms(&o, "the dogs was running", TERMS("dog", "run"));
    /* and stems feed the n-grams */
    o.ngram_max = 2;
    check_terms(&o, "the dogs running", TERMS("dog", "run", "dog run"));
}

static void test_word_ngrams(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.ngram_max = 2;
    /* kw = {ngram_range: (1, 2)} */
    check_terms(&o, "the quick brown fox",
                TERMS("the", "quick", "brown", "fox", "the quick", "quick brown", "brown fox"));
    /* kw = {ngram_range: (2, 3), stop_words: 'english'} */
    o.ngram_min = 2;
    o.ngram_max = 3;
    o.stop_words = "english";
    check_terms(&o, "The quick brown fox jumps over the lazy dog",
                TERMS("quick brown", "brown fox", "fox jumps", "jumps lazy", "lazy dog",
                      "quick brown fox", "brown fox jumps", "fox jumps lazy", "jumps lazy dog"));
    /* fewer tokens than n: nothing (hand-derived from _word_ngrams) */
    check_terms(&o, "quick", NO_TERMS);
}

static void test_unicode_words(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.tokens = TS_TOKENS_UNICODE_WORDS;
    /* ICU word break (not sklearn; hand-derived from UAX #29): one-letter
     * words and "19.5" are kept, punctuation and spaces are not. */
    check_terms(&o, "I paid 19.5 dollars, a lot.",
                TERMS("i", "paid", "19.5", "dollars", "a", "lot"));
    /* UAX #29 joins across U+202F (narrow no-break space); Python counts it
     * as white space, so the words are split there (the fuzzer's finding). */
    check_terms(&o, "Le prix\u202F: 100\u202F000 euros\u202F!",
                TERMS("le", "prix", "100", "000", "euros"));
    /* UAX #29 keeps "don't" together; stop words still apply to tokens */
    o.stop_words = "english";
    check_terms(&o, "Don't stop a b", TERMS("don't", "stop", "b"));
}

/* ------------------------------------------------------ char analyzers */

static void test_char_wb(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.analyzer = TS_ANALYZER_CHAR_WB;
    o.ngram_min = 2;
    o.ngram_max = 3;
    /* kw = {analyzer: 'char_wb', ngram_range: (2, 3)} */
    check_terms(&o, "ab  cd",
                TERMS(" a", "ab", "b ", " ab", "ab ", " c", "cd", "d ", " cd", "cd "));
    /* one-letter word, (3, 5): the padded word counted once */
    o.ngram_min = 3;
    o.ngram_max = 5;
    check_terms(&o, "a", TERMS(" a "));
    /* (1, 5) on "ab": " ab " appears once for n = 4 and nothing for n = 5 */
    o.ngram_min = 1;
    check_terms(&o, "ab", TERMS(" ", "a", "b", " ", " a", "ab", "b ", " ab", "ab ", " ab "));
    /* (4, 4): NBSP, U+001C, U+2028 separate words; U+200B does not */
    o.ngram_min = o.ngram_max = 4;
    check_terms(&o, "ab\xC2\xA0" "cd\x1C" "ef\xE2\x80\xA8gh ij\xE2\x80\x8Bkl",
                TERMS(" ab ", " cd ", " ef ", " gh ", " ij\xE2\x80\x8B", "ij\xE2\x80\x8Bk",
                      "j\xE2\x80\x8Bkl", "\xE2\x80\x8Bkl "));
}

static void test_char(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.analyzer = TS_ANALYZER_CHAR;
    o.ngram_min = 1;
    o.ngram_max = 2;
    /* kw = {analyzer: 'char', ngram_range: (1, 2)}: "  " -> " ", a lone TAB stays */
    check_terms(&o, "ab  cd\te",
                TERMS("a", "b", " ", "c", "d", "\t", "e", "ab", "b ", " c", "cd", "d\t", "\te"));
    o.ngram_max = 1;
    check_terms(&o, "x\t\n y", TERMS("x", " ", "y"));
    /* (3, 3): a single NBSP is kept as it is */
    o.ngram_min = o.ngram_max = 3;
    check_terms(&o, "Ab\xC2\xA0" "cd", TERMS("ab\xC2\xA0", "b\xC2\xA0" "c", "\xC2\xA0" "cd"));
}

/* ------------------------------------------------------------ behaviour */

static ts_status count_terms(void *user, const char *term, size_t length)
{
    (void)term;
    (void)length;
    (*(size_t *)user)++;
    return TS_OK;
}

/* Many statements through one tokenizer (scratch reuse), one of them far
 * larger than the rest, against a naive reference: random upper-case ASCII
 * words separated by spaces give the lowercased words of >= 2 letters. */
static void test_reuse_and_long_statement(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    ts_tokenizer *tok = NULL;
    assert_int_equal(ts_tokenizer_create(&tok, &o, NULL), TS_OK);
    size_t big = 200000;
    char *text = malloc(big + 1);
    assert_non_null(text);
    unsigned seed = 7;
    for (int round = 0; round < 50; round++) {
        size_t len = round == 25 ? big : (size_t)(round * 37 % 300);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = (seed >> 16) % 5 == 0 ? ' ' : (char)('A' + (seed >> 8) % 26);
        }
        /* naive reference: the words of >= 2 letters, lowercased */
        terms want = {0}, got = {0};
        size_t nwords = 0;
        for (size_t i = 0; i < len;) {
            size_t j = i;
            while (j < len && text[j] != ' ')
                j++;
            if (j - i >= 2) {
                nwords++;
                if (len < 400) {
                    char buf[400];
                    for (size_t k = i; k < j; k++)
                        buf[k - i] = (char)(text[k] + 32);
                    collect(&want, buf, j - i);
                }
            }
            i = j + 1;
        }
        if (len < 400) {
            assert_int_equal(ts_tokenizer_run(tok, text, len, collect, &got, NULL), TS_OK);
            assert_int_equal(got.n, want.n);
            for (size_t i = 0; i < got.n; i++)
                assert_string_equal(got.t[i], want.t[i]);
        } else {
            size_t n = 0;
            assert_int_equal(ts_tokenizer_run(tok, text, len, count_terms, &n, NULL), TS_OK);
            assert_int_equal(n, nwords);
        }
        terms_clear(&want);
        terms_clear(&got);
    }
    free(text);
    ts_tokenizer_free(tok);
}

static void test_long_statement_count(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    ts_tokenizer *tok = NULL;
    assert_int_equal(ts_tokenizer_create(&tok, &o, NULL), TS_OK);
    /* 100000 copies of "Ab\xC3\xA9 " (non-ASCII path): 100000 tokens */
    size_t reps = 100000;
    char *text = malloc(5 * reps);
    assert_non_null(text);
    for (size_t i = 0; i < reps; i++)
        memcpy(text + 5 * i, "Ab\xC3\xA9 ", 5);
    size_t n = 0;
    assert_int_equal(ts_tokenizer_run(tok, text, 5 * reps, count_terms, &n, NULL), TS_OK);
    assert_int_equal(n, reps);
    /* then a short one through the same scratch buffers */
    terms got = {0};
    assert_int_equal(ts_tokenizer_run(tok, "\xC3\x89t\xC3\xA9 ok", 8, collect, &got, NULL), TS_OK);
    assert_int_equal(got.n, 2);
    assert_string_equal(got.t[0], "\xC3\xA9t\xC3\xA9");
    assert_string_equal(got.t[1], "ok");
    terms_clear(&got);
    free(text);
    ts_tokenizer_free(tok);
}

static ts_status stop_after_two(void *user, const char *term, size_t length)
{
    (void)term;
    (void)length;
    size_t *n = user;
    return ++*n == 2 ? TS_ERR_CANCELLED : TS_OK;
}

static void test_callback_stops(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    ts_tokenizer *tok = NULL;
    assert_int_equal(ts_tokenizer_create(&tok, &o, NULL), TS_OK);
    size_t n = 0;
    assert_int_equal(ts_tokenizer_run(tok, "one two three four", 18, stop_after_two, &n, NULL),
                     TS_ERR_CANCELLED);
    assert_int_equal(n, 2);
    ts_tokenizer_free(tok);
}

/* ------------------------------------------------------- case tracking */

/* Each term with the case of its token: "term:C" capitalised, "term:o" not,
 * "term:?" unknown.  Expected lists are worked out by hand from names.h's
 * rule: the first token of a statement and n-grams of two words or more are
 * unknown, a stop word passes no term but still counts as the first token. */
typedef struct cased {
    ts_tokenizer *tok;
    char out[1024];
} cased;

static ts_status collect_case(void *user, const char *term, size_t length)
{
    cased *c = user;
    int k = ts_tokenizer_term_case(c->tok);
    size_t at = strlen(c->out);
    snprintf(c->out + at, sizeof c->out - at, "%s%.*s:%c", at ? " " : "", (int)length, term,
             k == TS_TERM_CASE_CAPITAL ? 'C' : k == TS_TERM_CASE_OTHER ? 'o' : '?');
    return TS_OK;
}

static void check_cases(const ts_vectorizer_options *o, int track, const char *text,
                        const char *expect)
{
    cased c = {0};
    assert_int_equal(ts_tokenizer_create(&c.tok, o, NULL), TS_OK);
    if (track)
        ts_tokenizer_track_case(c.tok);
    /* twice: the second statement must not inherit the first one's state */
    for (int round = 0; round < 2; round++) {
        c.out[0] = '\0';
        assert_int_equal(ts_tokenizer_run(c.tok, text, strlen(text), collect_case, &c, NULL),
                         TS_OK);
        assert_string_equal(c.out, expect);
        assert_int_equal(ts_tokenizer_term_case(c.tok), TS_TERM_CASE_UNKNOWN);
    }
    ts_tokenizer_free(c.tok);
}

static void test_term_case(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    const char *ascii = "The Kremlin said NATO met Putin";
    check_cases(&o, 1, ascii, "the:? kremlin:C said:o nato:C met:o putin:C");
    check_cases(&o, 0, ascii, "the:? kremlin:? said:? nato:? met:? putin:?");
    /* ICU path: İ lowercases to i + U+0307, which is no word character, so
     * "stanbul" starts at a lower-case s; É and Ö stay one letter each */
    check_cases(&o, 1, "\xc3\x96l \xc4\xb0stanbul \xc3\xa9sta \xc3\x89mile",
                "\xc3\xb6l:? stanbul:o \xc3\xa9sta:o \xc3\xa9mile:C");
    /* stop words drop terms, not positions */
    o.stop_words = "english";
    o.ngram_max = 2;
    check_cases(&o, 1, "Then the Kremlin said", "kremlin:C said:o kremlin said:?");
    o.stop_words = NULL;
    o.ngram_max = 1;
    /* stripping: NFKD splits the ligature in two and the decomposed É (E +
     * U+0301) loses its mark; each result letter keeps its source's case */
    o.strip_accents = TS_ACCENTS_UNICODE;
    check_cases(&o, 1, "\xc3\x9c" "ber \xef\xac\x81ne E\xcc\x81mile \xc3\x84rger Fine",
                "uber:? fine:o emile:C arger:C fine:C");
    o.strip_accents = TS_ACCENTS_KEEP;
    /* folding makes ß two letters */
    o.lowercase = TS_CASE_FOLD;
    check_cases(&o, 1, "Die Stra\xc3\x9f" "e STRASSE stra\xc3\x9f" "e",
                "die:? strasse:C strasse:C strasse:o");
    o.lowercase = TS_CASE_NONE;
    check_cases(&o, 1, "Die Lage in Paris", "Die:? Lage:C in:o Paris:C");
    o.lowercase = TS_CASE_LOWER;
    o.tokens = TS_TOKENS_UNICODE_WORDS;
    check_cases(&o, 1, "Hello World, it's Rome", "hello:? world:C it's:o rome:C");
    o.tokens = TS_TOKENS_SKLEARN;
    o.token_pattern = "(?u)\\b(\\w+)(?:'s)?\\b";
    check_cases(&o, 1, "A Kremlin's aide", "a:? kremlin:C aide:o");
    o.token_pattern = NULL;
    /* the char analyzers pass no case */
    o.analyzer = TS_ANALYZER_CHAR;
    o.ngram_min = o.ngram_max = 3;
    check_cases(&o, 1, "Ab Cd", "ab :? b c:?  cd:?");
}

/* --------------------------------------------------------------- errors */

static void expect_create_error(const ts_vectorizer_options *o, ts_status want,
                                const char *needle)
{
    ts_tokenizer *tok = (ts_tokenizer *)1;
    ts_diag diag;
    ts_diag_clear(&diag);
    assert_int_equal(ts_tokenizer_create(&tok, o, &diag), want);
    assert_null(tok);
    assert_int_equal(diag.status, want);
    if (!strstr(diag.message, needle))
        fail_msg("message \"%s\" lacks \"%s\"", diag.message, needle);
}

static void test_errors(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.ngram_min = 0;
    expect_create_error(&o, TS_ERR_ARG, "n-gram range 0,1");
    o.ngram_min = 3;
    o.ngram_max = 2;
    expect_create_error(&o, TS_ERR_ARG, "n-gram range 3,2");

    base_options(&o);
    o.stem = "klingon";
    expect_create_error(&o, TS_ERR_STEMMER, "'klingon'");
    expect_create_error(&o, TS_ERR_STEMMER, "english");

    base_options(&o);
    o.stop_words = "/nonexistent/stop-words.txt";
    expect_create_error(&o, TS_ERR_IO, "/nonexistent/stop-words.txt");

    char path[] = "/tmp/ts_stop_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "ok\nbad\xFF\n", 8), 8);
    close(fd);
    o.stop_words = path;
    ts_tokenizer *tok = NULL;
    ts_diag diag;
    assert_int_equal(ts_tokenizer_create(&tok, &o, &diag), TS_ERR_UTF8);
    assert_int_equal(diag.line, 2);
    assert_int_equal(diag.byte_offset, 6);
    assert_string_equal(diag.path, path);
    unlink(path);

    base_options(&o);
    o.analyzer = (ts_analyzer)7;
    expect_create_error(&o, TS_ERR_ARG, "analyzer");

    base_options(&o);
    o.strip_accents = (ts_accents)9;
    expect_create_error(&o, TS_ERR_ARG, "strip_accents");
    base_options(&o);
    o.token_pattern = "(\\w+";
    expect_create_error(&o, TS_ERR_ARG, "unbalanced parentheses");
    o.token_pattern = "(a)(b)";
    expect_create_error(&o, TS_ERR_ARG, "2 capturing groups");
    o.token_pattern = "\\w+";
    o.analyzer = TS_ANALYZER_CHAR_WB;
    expect_create_error(&o, TS_ERR_ARG, "word analyzer only");
    o.analyzer = TS_ANALYZER_WORD;
    o.tokens = TS_TOKENS_UNICODE_WORDS;
    expect_create_error(&o, TS_ERR_ARG, "not both");
}

/* A pattern that backtracks without end fails with a message, not a hang. */
static void test_token_pattern_time_limit(void **state)
{
    (void)state;
    ts_vectorizer_options o;
    base_options(&o);
    o.token_pattern = "(a+)+$";
    ts_tokenizer *tok = NULL;
    ts_diag diag;
    assert_int_equal(ts_tokenizer_create(&tok, &o, &diag), TS_OK);
    terms got = {0};
    const char *text = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
    assert_int_equal(ts_tokenizer_run(tok, text, strlen(text), collect, &got, &diag), TS_ERR_ARG);
    assert_non_null(strstr(diag.message, "takes too long"));
    terms_clear(&got);
    ts_tokenizer_free(tok);
}

/* libstemmer's names and ISO codes are known; others are not. */
static void stemmer_exists(void **state)
{
    (void)state;
    assert_true(ts_stemmer_exists("english"));
    assert_true(ts_stemmer_exists("german"));
    assert_true(ts_stemmer_exists("de"));
    assert_true(ts_stemmer_exists("fra"));
    assert_false(ts_stemmer_exists("xx"));
    assert_false(ts_stemmer_exists(""));
    assert_false(ts_stemmer_exists(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stemmer_exists),
        cmocka_unit_test(test_default_words),
        cmocka_unit_test(test_combining_marks),
        cmocka_unit_test(test_lowercase_special),
        cmocka_unit_test(test_fold_vs_lower),
        cmocka_unit_test(test_strip_accents),
        cmocka_unit_test(test_token_pattern),
        cmocka_unit_test(test_token_pattern_time_limit),
        cmocka_unit_test(test_stop_words),
        cmocka_unit_test(test_stop_word_file),
        cmocka_unit_test(test_stemming),
        cmocka_unit_test(test_word_ngrams),
        cmocka_unit_test(test_unicode_words),
        cmocka_unit_test(test_char_wb),
        cmocka_unit_test(test_char),
        cmocka_unit_test(test_reuse_and_long_statement),
        cmocka_unit_test(test_long_statement_count),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_term_case),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
