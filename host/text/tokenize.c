/*
 * tokenize.c - scikit-learn's TfidfVectorizer analyzers in C.
 *
 * A statement is first case-mapped (TS_CASE_LOWER: ICU u_strToLower with the
 * root locale, which is Python's str.lower(), final sigma included;
 * TS_CASE_FOLD: u_strFoldCase), then, with strip_accents, decomposed (NFKD)
 * and stripped of its combining characters (unicode: canonical combining
 * class > 0, Python's unicodedata.combining) or of everything non-ASCII
 * (ascii), into an array of code points plus its UTF-8 encoding and the byte
 * offset of every code point.  Pure-ASCII statements, the common case, skip
 * ICU: their mapping is A-Z -> a-z and NFKD leaves them as they are.  Every
 * term is then a byte slice of that UTF-8 (or of a small scratch buffer),
 * passed to the caller without copying.
 *
 * Analyzers (sklearn/feature_extraction/text.py, version 1.2):
 *   word, TS_TOKENS_SKLEARN   (?u)\b\w\w+\b, i.e. maximal runs of at least two
 *                             Python word characters ('_' or str.isalnum(): a
 *                             general category L* or N*; combining marks are
 *                             not word characters).  Hand-written scan: it is
 *                             the hot path and a regex engine would cost more
 *                             than the rest of the pipeline together.
 *   word, TS_TOKENS_UNICODE_WORDS  ICU word break (root locale), keeping the
 *                             segments whose rule status is a word or number.
 *   word, token_pattern       an ICU regular expression run over the UTF-8
 *                             (a UText, so match offsets are byte offsets);
 *                             each match is a token, or its one capturing
 *                             group's text (re.findall, as scikit-learn).
 *                             The default pattern takes the hand-written scan.
 *   then: stop words (exact match, hash set), Snowball stemming, word n-grams
 *   joined by one space (_word_ngrams).
 *   char_wb                   _char_wb_ngrams: n-grams of each whitespace-
 *                             separated word padded with one space each side.
 *   char                      _char_ngrams after replacing each run of two or
 *                             more whitespace characters by one space.
 * Whitespace is Python's str.isspace(): category Zs or bidi class WS, B or S.
 * Stop words and stemming apply to the word analyzer only, as in scikit-learn.
 *
 * For names (names.h), a tokenizer can also track case: each code point of
 * the analysed text remembers whether the statement's letter it comes from
 * is upper or title case (follow_case lines the two up through case mapping
 * and stripping), and each unigram term says so while it is passed
 * (ts_tokenizer_term_case), so the TF-IDF pass needs no second tokenization.
 *
 * Scratch buffers live in the tokenizer and only grow, so the per-statement
 * work does no allocation once they are large enough.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/resource.h"
#include "base/utf8.h"
#include "pattern.h"
#include "tokenize.h"
#include "vocab.h"

/* The built-in lists: scikit-learn's English one, and textsim's additions
 * (data/stop_words_LANGUAGE.txt says where each comes from). */
static const char *const builtin_stop_lists[] = {"english", "german", "french", "spanish"};

/* Steps of ICU's match engine one search may take (each is of the order of a
 * millisecond or less): a pattern that backtracks exponentially fails with a
 * message instead of hanging. */
#define PATTERN_TIME_LIMIT 10000

struct ts_tokenizer {
    ts_case lowercase;
    ts_analyzer analyzer;
    ts_token_rule rule;
    size_t ngram_min, ngram_max;
    ts_vocab *stop;              /* NULL: no stop words */
    struct sb_stemmer *stemmer;  /* NULL: no stemming */
    UBreakIterator *words;       /* TS_TOKENS_UNICODE_WORDS only */
    ts_accents accents;
    const UNormalizer2 *nfkd;    /* strip_accents only; owned by ICU */
    URegularExpression *pattern; /* token_pattern; NULL: the rule */
    int32_t pattern_group;       /* 1: a match's group 1 is the token; 0: the match */
    UText *pattern_text;         /* u8 as a UText, for the pattern */

    /* Scratch, kept between statements. */
    UChar *u16;                  /* statement in UTF-16 */
    size_t u16_cap;
    UChar *mapped;               /* after case mapping */
    size_t mapped_cap;
    UChar *stripped;             /* after NFKD and stripping */
    size_t stripped_cap;
    UChar32 *cps;                /* code points of the case-mapped statement */
    size_t cps_cap;
    size_t ncps;
    char *u8;                    /* their UTF-8 */
    size_t u8_cap;
    size_t *off;                 /* off[i]: byte offset of code point i in u8; off[ncps] = end */
    size_t off_cap;
    const UChar *text16;         /* case-mapped UTF-16 (u16 or mapped; unicode-words) */
    int32_t n16;
    size_t *off16;               /* byte offset in u8 of each UTF-16 unit (unicode-words) */
    size_t off16_cap;
    char *word;                  /* one padded word (char_wb) */
    size_t word_cap;
    size_t *word_off;            /* byte offset of each of its code points */
    size_t word_off_cap;
    char *toks;                  /* kept tokens joined by ' ' (word n-grams) */
    size_t toks_len, toks_cap;
    size_t *tok_start;           /* byte start of each kept token in toks */
    size_t ntok, tok_start_cap;

    /* Case tracking (ts_tokenizer_track_case), word analyzer only. */
    int track_case;
    int case_known;              /* capital[] is valid for this statement */
    unsigned char *capital;      /* per byte of u8: 1 where a code point starts that comes
                                  * from an upper- or title-case letter of the statement */
    size_t capital_cap;
    size_t nraw;                 /* word tokens so far in this statement, stop words too
                                  * (counted with or without case tracking) */
    int term_case;               /* ts_term_case of the term being passed to the caller */
    signed char *tok_case;       /* ts_term_case of each kept token (word n-grams) */
    size_t tok_case_cap;
};

/* ------------------------------------------------------------ helpers */

static ts_status nomem(ts_diag *diag)
{
    return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory while tokenizing; free memory or use a "
                                       "smaller input");
}

/* Python's \w: '_' or str.isalnum() (categories Lu Ll Lt Lm Lo Nd Nl No). */
static inline int is_word_char(UChar32 c)
{
    if (c < 0x80)
        return (unsigned)((c | 32) - 'a') < 26u || (unsigned)(c - '0') < 10u || c == '_';
    return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
}

/* Python's str.isspace(): category Zs or bidirectional class WS, B or S. */
static inline int is_space_char(UChar32 c)
{
    if (c < 0x80)
        return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    if (U_GET_GC_MASK(c) & U_GC_ZS_MASK)
        return 1;
    UCharDirection d = u_charDirection(c);
    return d == U_WHITE_SPACE_NEUTRAL || d == U_BLOCK_SEPARATOR || d == U_SEGMENT_SEPARATOR;
}

/* UTF-8 of cps[0..n) into u8, with off[]. */
static ts_status encode_cps(ts_tokenizer *t, ts_diag *diag)
{
    size_t n = t->ncps;
    if (!TS_GROW(t->u8, t->u8_cap, 4 * n + 1) ||
        !TS_GROW(t->off, t->off_cap, n + 1))
        return nomem(diag);
    size_t b = 0;
    for (size_t i = 0; i < n; i++) {
        t->off[i] = b;
        U8_APPEND_UNSAFE(t->u8, b, t->cps[i]);
    }
    t->off[n] = b;
    return TS_OK;
}

/* ------------------------------------------------------- case mapping */

/* One of ICU's UTF-16 to UTF-16 transforms. */
typedef enum transform { TO_LOWER, FOLD_CASE, NFKD } transform;

/* src[0..n) transformed into *dst (grown as needed; ICU says how much a
 * first, too short, attempt needed); *out_n: its length. */
static ts_status run_transform(ts_tokenizer *t, transform what, const UChar *src, int32_t n,
                               UChar **dst, size_t *cap, int32_t *out_n, ts_diag *diag)
{
    if (!TS_GROW(*dst, *cap, (size_t)n + 1))
        return nomem(diag);
    UErrorCode err = U_ZERO_ERROR;
    int32_t len = 0;
    for (int attempt = 0;; attempt++) {
        err = U_ZERO_ERROR;
        int32_t c = *cap > (size_t)INT32_MAX ? INT32_MAX : (int32_t)*cap;
        if (what == TO_LOWER)
            len = u_strToLower(*dst, c, src, n, "", &err);
        else if (what == FOLD_CASE)
            len = u_strFoldCase(*dst, c, src, n, U_FOLD_CASE_DEFAULT, &err);
        else
            len = unorm2_normalize(t->nfkd, src, n, *dst, c, &err);
        if (err != U_BUFFER_OVERFLOW_ERROR || attempt > 0)
            break;
        if (!TS_GROW(*dst, *cap, (size_t)len + 1))
            return nomem(diag);
    }
    if (U_FAILURE(err))
        return TS_FAIL(diag, TS_ERR_UNICODE, "ICU %s failed: %s",
                       what == NFKD ? "NFKD normalization" : "case mapping", u_errorName(err));
    *out_n = len;
    return TS_OK;
}

/* Whether stripping accents keeps code point c. */
static int strip_keeps(const ts_tokenizer *t, UChar32 c)
{
    return t->accents == TS_ACCENTS_ASCII ? c < 0x80 : u_getCombiningClass(c) == 0;
}

/* scikit-learn's strip_accents_unicode / strip_accents_ascii on text[0..n)
 * (UTF-16): NFKD into t->stripped, then the combining characters (or all
 * non-ASCII ones) dropped in place.  *text and *n then describe the result. */
static ts_status strip_accents(ts_tokenizer *t, const UChar **text, int32_t *n, ts_diag *diag)
{
    int32_t nd = 0;
    ts_status st = run_transform(t, NFKD, *text, *n, &t->stripped, &t->stripped_cap, &nd, diag);
    if (st != TS_OK)
        return st;
    UChar *d = t->stripped;
    int32_t i = 0, w = 0;
    while (i < nd) {
        int32_t a = i;
        UChar32 c;
        U16_NEXT(d, i, nd, c);
        int keep = strip_keeps(t, c);
        while (keep && a < i)
            d[w++] = d[a++];
    }
    *text = d;
    *n = w;
    return TS_OK;
}

/* ------------------------------------------------------- case tracking */

/* c case-mapped on its own into out[0..*n) (UTF-16); 0 if it does not fit. */
static int map_one(const ts_tokenizer *t, UChar32 c, UChar *out, int32_t cap, int32_t *n)
{
    UChar in[2];
    int32_t len = 0;
    U16_APPEND_UNSAFE(in, len, c);
    UErrorCode err = U_ZERO_ERROR;
    if (t->lowercase == TS_CASE_LOWER)
        *n = u_strToLower(out, cap, in, len, "", &err);
    else if (t->lowercase == TS_CASE_FOLD)
        *n = u_strFoldCase(out, cap, in, len, U_FOLD_CASE_DEFAULT, &err);
    else {
        memcpy(out, in, (size_t)len * sizeof *in);
        *n = len;
    }
    return U_SUCCESS(err);
}

/* How many code points stripping accents leaves of c's NFKD decomposition;
 * SIZE_MAX if ICU cannot say. */
static size_t stripped_length(const ts_tokenizer *t, UChar32 c)
{
    UChar d[32];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = unorm2_getDecomposition(t->nfkd, c, d, (int32_t)(sizeof d / sizeof *d), &err);
    if (U_FAILURE(err))
        return SIZE_MAX;
    if (n < 0) /* no decomposition: c itself */
        return (size_t)strip_keeps(t, c);
    size_t kept = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 x;
        U16_NEXT(d, i, n, x);
        kept += (size_t)strip_keeps(t, x);
    }
    return kept;
}

/* capital[] for a statement that took the ICU path: orig[0..n) is the
 * statement, cps[0..ncps) the analysed text.  Case mapping and NFKD run over
 * the whole statement, so which original letter a result code point comes
 * from is found by mapping each original code point on its own: in the root
 * locale the one context rule, final sigma, never changes a length, and after
 * stripping only base characters remain, which canonical reordering never
 * moves.  The pieces' lengths then line the two texts up.  Should they not add
 * up to the whole, the statement is left without case (case_known 0). */
static ts_status follow_case(ts_tokenizer *t, const UChar *orig, int32_t n, ts_diag *diag)
{
    t->case_known = 0;
    if (!TS_GROW(t->capital, t->capital_cap, t->off[t->ncps] + 1))
        return nomem(diag);
    size_t k = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(orig, i, n, c);
        if (c < 0x80) { /* maps to one ASCII code point, which stripping keeps */
            if (k == t->ncps)
                return TS_OK;
            t->capital[t->off[k++]] = c >= 'A' && c <= 'Z';
            continue;
        }
        unsigned char capital = u_isupper(c) || u_istitle(c);
        UChar piece[8];
        int32_t len = 0;
        if (!map_one(t, c, piece, (int32_t)(sizeof piece / sizeof *piece), &len))
            return TS_OK;
        for (int32_t j = 0; j < len;) {
            UChar32 x;
            U16_NEXT(piece, j, len, x);
            size_t kept = t->accents == TS_ACCENTS_KEEP ? 1 : stripped_length(t, x);
            if (kept > t->ncps - k)
                return TS_OK;
            for (; kept > 0; kept--)
                t->capital[t->off[k++]] = capital;
        }
    }
    t->case_known = k == t->ncps;
    return TS_OK;
}

/* Fill cps / u8 / off (and mapped / off16 for unicode-words) with the
 * case-mapped statement, and capital[] when tracking case. */
static ts_status map_case(ts_tokenizer *t, const char *text, size_t length, ts_diag *diag)
{
    const unsigned char *s = (const unsigned char *)text;
    int need_utf16 = t->analyzer == TS_ANALYZER_WORD && t->rule == TS_TOKENS_UNICODE_WORDS;
    size_t ascii = 0;
    while (ascii < length && s[ascii] < 0x80)
        ascii++;
    if (ascii == length && !need_utf16) {
        /* Fast path: for ASCII, lowercase and case folding are both A-Z -> a-z. */
        if (!TS_GROW(t->cps, t->cps_cap, length + 1) ||
            !TS_GROW(t->u8, t->u8_cap, length + 1) ||
            !TS_GROW(t->off, t->off_cap, length + 1))
            return nomem(diag);
        int lower = t->lowercase != TS_CASE_NONE;
        for (size_t i = 0; i < length; i++) {
            unsigned char c = s[i];
            if (lower && c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            t->cps[i] = c;
            t->u8[i] = (char)c;
            t->off[i] = i;
        }
        t->off[length] = length;
        t->ncps = length;
        if (t->track_case) {
            if (!TS_GROW(t->capital, t->capital_cap, length + 1))
                return nomem(diag);
            for (size_t i = 0; i < length; i++)
                t->capital[i] = s[i] >= 'A' && s[i] <= 'Z';
            t->case_known = 1;
        }
        return TS_OK;
    }

    if (length > (size_t)INT32_MAX / 2)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE,
                       "a statement of %zu bytes is too long to tokenize (limit 1 GiB); split "
                       "the input into shorter statements",
                       length);
    /* A UTF-16 string never has more units than its UTF-8 has bytes. */
    if (!TS_GROW(t->u16, t->u16_cap, length + 1))
        return nomem(diag);
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0;
    int32_t cap16 = t->u16_cap > (size_t)INT32_MAX ? INT32_MAX : (int32_t)t->u16_cap;
    u_strFromUTF8(t->u16, cap16, &n16, text, (int32_t)length, &err);
    if (U_FAILURE(err))
        return TS_FAIL(diag, err == U_INVALID_CHAR_FOUND ? TS_ERR_UTF8 : TS_ERR_UNICODE,
                       "cannot convert a statement to UTF-16: %s; the text must be valid UTF-8",
                       u_errorName(err));

    const UChar *m = t->u16;
    int32_t nm = n16;
    if (t->lowercase != TS_CASE_NONE) {
        ts_status st = run_transform(t, t->lowercase == TS_CASE_LOWER ? TO_LOWER : FOLD_CASE,
                                     t->u16, n16, &t->mapped, &t->mapped_cap, &nm, diag);
        if (st != TS_OK)
            return st;
        m = t->mapped;
    }
    if (t->accents != TS_ACCENTS_KEEP) {
        ts_status st = strip_accents(t, &m, &nm, diag);
        if (st != TS_OK)
            return st;
    }

    size_t n = (size_t)nm;
    /* At most 3 UTF-8 bytes per UTF-16 unit (4 per surrogate pair). */
    if (!TS_GROW(t->cps, t->cps_cap, n + 1) ||
        !TS_GROW(t->u8, t->u8_cap, 3 * n + 1) ||
        !TS_GROW(t->off, t->off_cap, n + 1) ||
        (need_utf16 && !TS_GROW(t->off16, t->off16_cap, n + 1)))
        return nomem(diag);
    size_t k = 0, b = 0;
    int32_t i = 0;
    while (i < nm) {
        int32_t start = i;
        UChar32 c;
        U16_NEXT(m, i, nm, c);
        if (need_utf16)
            for (int32_t j = start; j < i; j++)
                t->off16[j] = b;
        t->cps[k] = c;
        t->off[k++] = b;
        U8_APPEND_UNSAFE(t->u8, b, c);
    }
    t->off[k] = b;
    if (need_utf16) {
        t->off16[nm] = b;
        t->text16 = m;
        t->n16 = nm;
    }
    t->ncps = k;
    return t->track_case ? follow_case(t, t->u16, n16, diag) : TS_OK;
}

/* ------------------------------------------------------ word analyzer */

static ts_status push_token(ts_tokenizer *t, const char *s, size_t n, int casing,
                            ts_diag *diag)
{
    size_t sep = t->ntok ? 1 : 0;
    if (!TS_GROW(t->toks, t->toks_cap, t->toks_len + sep + n + 1) ||
        !TS_GROW(t->tok_start, t->tok_start_cap, t->ntok + 2) ||
        (t->track_case && !TS_GROW(t->tok_case, t->tok_case_cap, t->ntok + 1)))
        return nomem(diag);
    if (sep)
        t->toks[t->toks_len++] = ' ';
    if (t->track_case)
        t->tok_case[t->ntok] = (signed char)casing;
    t->tok_start[t->ntok++] = t->toks_len;
    memcpy(t->toks + t->toks_len, s, n);
    t->toks_len += n;
    return TS_OK;
}

/* The term to pass, with its case (ts_tokenizer_term_case). */
static ts_status pass_term(ts_tokenizer *t, const char *s, size_t n, int casing, ts_term_fn fn,
                           void *user)
{
    t->term_case = casing;
    ts_status st = fn(user, s, n);
    t->term_case = TS_TERM_CASE_UNKNOWN;
    return st;
}

/* One token from the word rule (s lies in u8): its case when tracked, stop
 * words, stemming, then either straight to the caller (unigrams only) or kept
 * for the n-grams. */
static ts_status word_token(ts_tokenizer *t, const char *s, size_t n, ts_term_fn fn, void *user,
                            ts_diag *diag)
{
    int first = t->nraw++ == 0;
    int casing = TS_TERM_CASE_UNKNOWN;
    if (t->track_case && !first && t->case_known && n > 0)
        casing = t->capital[s - t->u8] ? TS_TERM_CASE_CAPITAL : TS_TERM_CASE_OTHER;
    if (t->stop && ts_vocab_find(t->stop, s, n) != TS_VOCAB_NONE)
        return TS_OK;
    if (t->stemmer) {
        if (n > INT_MAX)
            return TS_FAIL(diag, TS_ERR_TOO_LARGE, "a token of %zu bytes is too long to stem",
                           n);
        const sb_symbol *st = sb_stemmer_stem(t->stemmer, (const sb_symbol *)s, (int)n);
        if (!st)
            return nomem(diag);
        s = (const char *)st;
        n = (size_t)sb_stemmer_length(t->stemmer);
    }
    if (t->ngram_max == 1)
        return pass_term(t, s, n, casing, fn, user);
    return push_token(t, s, n, casing, diag);
}

/* sklearn _word_ngrams: unigrams first when min is 1, then every n.  Tokens
 * sit in toks separated by one space, so an n-gram is a contiguous slice. */
static ts_status emit_word_ngrams(ts_tokenizer *t, ts_term_fn fn, void *user)
{
    size_t k = t->ntok;
    if (k == 0)
        return TS_OK;
    t->tok_start[k] = t->toks_len + 1; /* where a next token would start */
    size_t lo = t->ngram_min;
    if (lo == 1) {
        for (size_t i = 0; i < k; i++) {
            ts_status st = pass_term(t, t->toks + t->tok_start[i],
                                     t->tok_start[i + 1] - 1 - t->tok_start[i],
                                     t->track_case ? t->tok_case[i] : TS_TERM_CASE_UNKNOWN,
                                     fn, user);
            if (st != TS_OK)
                return st;
        }
        lo = 2;
    }
    size_t hi = t->ngram_max < k ? t->ngram_max : k;
    for (size_t n = lo; n <= hi; n++)
        for (size_t i = 0; i + n <= k; i++) {
            size_t a = t->tok_start[i], b = t->tok_start[i + n] - 1;
            ts_status st = fn(user, t->toks + a, b - a);
            if (st != TS_OK)
                return st;
        }
    return TS_OK;
}

static ts_status run_sklearn_words(ts_tokenizer *t, ts_term_fn fn, void *user, ts_diag *diag)
{
    const UChar32 *c = t->cps;
    size_t n = t->ncps, i = 0;
    while (i < n) {
        if (!is_word_char(c[i])) {
            i++;
            continue;
        }
        size_t a = i;
        while (i < n && is_word_char(c[i]))
            i++;
        if (i - a >= 2) {
            ts_status st = word_token(t, t->u8 + t->off[a], t->off[i] - t->off[a], fn, user, diag);
            if (st != TS_OK)
                return st;
        }
    }
    return TS_OK;
}

static ts_status run_unicode_words(ts_tokenizer *t, ts_term_fn fn, void *user, ts_diag *diag)
{
    UErrorCode err = U_ZERO_ERROR;
    ubrk_setText(t->words, t->text16, t->n16, &err);
    if (U_FAILURE(err))
        return TS_FAIL(diag, TS_ERR_UNICODE, "ICU word break failed: %s", u_errorName(err));
    int32_t a = ubrk_first(t->words);
    for (int32_t b = ubrk_next(t->words); b != UBRK_DONE; a = b, b = ubrk_next(t->words)) {
        if (ubrk_getRuleStatus(t->words) < UBRK_WORD_NONE_LIMIT)
            continue; /* spaces, punctuation, symbols */
        /* UAX #29 joins across U+202F (narrow no-break space, the French
         * thousands separator and the space before ": ; ! ?"), which Python's
         * str.isspace() counts as white space: split words there, so that
         * "100\u202F000" and "euros\u202F" do not become terms with a space. */
        const char *w = t->u8 + t->off16[a];
        int32_t len = (int32_t)(t->off16[b] - t->off16[a]), start = 0, i = 0;
        while (i < len) {
            int32_t at = i;
            UChar32 c;
            U8_NEXT(w, i, len, c);
            if (!is_space_char(c))
                continue;
            if (at > start) {
                ts_status st = word_token(t, w + start, (size_t)(at - start), fn, user, diag);
                if (st != TS_OK)
                    return st;
            }
            start = i;
        }
        if (len > start) {
            ts_status st = word_token(t, w + start, (size_t)(len - start), fn, user, diag);
            if (st != TS_OK)
                return st;
        }
    }
    return TS_OK;
}

/* re.findall(token_pattern) over the case-mapped UTF-8: each match, or its
 * one group (an empty token when the group took no part, as in Python). */
static ts_status run_pattern(ts_tokenizer *t, ts_term_fn fn, void *user, ts_diag *diag)
{
    UErrorCode err = U_ZERO_ERROR;
    t->pattern_text = utext_openUTF8(t->pattern_text, t->u8, (int64_t)t->off[t->ncps], &err);
    uregex_setUText(t->pattern, t->pattern_text, &err);
    while (U_SUCCESS(err) && uregex_findNext(t->pattern, &err)) {
        int64_t a = uregex_start64(t->pattern, t->pattern_group, &err);
        int64_t b = uregex_end64(t->pattern, t->pattern_group, &err);
        if (U_FAILURE(err))
            break;
        if (a < 0)
            a = b = 0;
        ts_status st = word_token(t, t->u8 + a, (size_t)(b - a), fn, user, diag);
        if (st != TS_OK)
            return st;
    }
    if (err == U_REGEX_TIME_OUT || err == U_REGEX_STACK_OVERFLOW)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "the token pattern %s on a statement; simplify it (nested "
                       "repetitions such as (a+)+ backtrack without end)",
                       err == U_REGEX_TIME_OUT ? "takes too long" : "overflows its stack");
    if (U_FAILURE(err))
        return TS_FAIL(diag, TS_ERR_UNICODE, "ICU regular expression matching failed: %s",
                       u_errorName(err));
    return TS_OK;
}

/* ------------------------------------------------------ char analyzers */

/* sklearn _char_wb_ngrams for each maximal run of non-space characters. */
static ts_status run_char_wb(ts_tokenizer *t, ts_term_fn fn, void *user, ts_diag *diag)
{
    const UChar32 *c = t->cps;
    size_t n = t->ncps, i = 0;
    while (i < n) {
        if (is_space_char(c[i])) {
            i++;
            continue;
        }
        size_t a = i;
        while (i < n && !is_space_char(c[i]))
            i++;
        /* w = " " + word + " ", len code points */
        size_t len = i - a + 2, bytes = t->off[i] - t->off[a];
        if (!TS_GROW(t->word, t->word_cap, bytes + 2) ||
            !TS_GROW(t->word_off, t->word_off_cap, len + 1))
            return nomem(diag);
        t->word[0] = ' ';
        memcpy(t->word + 1, t->u8 + t->off[a], bytes);
        t->word[bytes + 1] = ' ';
        t->word_off[0] = 0;
        for (size_t j = 1; j < len; j++)
            t->word_off[j] = 1 + t->off[a + j - 1] - t->off[a];
        t->word_off[len] = bytes + 2;
        const size_t *wo = t->word_off;
        for (size_t g = t->ngram_min; g <= t->ngram_max; g++) {
            size_t o = 0, end = g < len ? g : len;
            ts_status st = fn(user, t->word, wo[end]);
            if (st != TS_OK)
                return st;
            while (o + g < len) {
                o++;
                st = fn(user, t->word + wo[o], wo[o + g] - wo[o]);
                if (st != TS_OK)
                    return st;
            }
            if (o == 0)
                break; /* a short word (len <= g) is counted once */
        }
    }
    return TS_OK;
}

/* sklearn _char_ngrams: re.sub(r"\s\s+", " ") then all n-grams. */
static ts_status run_char(ts_tokenizer *t, ts_term_fn fn, void *user, ts_diag *diag)
{
    UChar32 *c = t->cps;
    size_t n = t->ncps, w = 0, i = 0;
    while (i < n) {
        if (is_space_char(c[i]) && i + 1 < n && is_space_char(c[i + 1])) {
            while (i < n && is_space_char(c[i]))
                i++;
            c[w++] = ' ';
        } else {
            c[w++] = c[i++];
        }
    }
    if (w != n) {
        t->ncps = w;
        ts_status st = encode_cps(t, diag);
        if (st != TS_OK)
            return st;
    }
    n = t->ncps;
    const size_t *o = t->off;
    size_t lo = t->ngram_min;
    if (lo == 1) {
        for (i = 0; i < n; i++) {
            ts_status st = fn(user, t->u8 + o[i], o[i + 1] - o[i]);
            if (st != TS_OK)
                return st;
        }
        lo = 2;
    }
    size_t hi = t->ngram_max < n ? t->ngram_max : n;
    for (size_t g = lo; g <= hi; g++)
        for (i = 0; i + g <= n; i++) {
            ts_status st = fn(user, t->u8 + o[i], o[i + g] - o[i]);
            if (st != TS_OK)
                return st;
        }
    return TS_OK;
}

ts_status ts_tokenizer_run(ts_tokenizer *tok, const char *text, size_t length, ts_term_fn fn,
                           void *user, ts_diag *diag)
{
    if (!tok || (!text && length) || !fn)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_tokenizer_run: NULL argument");
    tok->nraw = 0;
    ts_status st = map_case(tok, text ? text : "", length, diag);
    if (st != TS_OK)
        return st;
    switch (tok->analyzer) {
    case TS_ANALYZER_CHAR_WB:
        return run_char_wb(tok, fn, user, diag);
    case TS_ANALYZER_CHAR:
        return run_char(tok, fn, user, diag);
    case TS_ANALYZER_WORD:
        break;
    }
    tok->ntok = 0;
    tok->toks_len = 0;
    if (tok->pattern)
        st = run_pattern(tok, fn, user, diag);
    else if (tok->rule == TS_TOKENS_UNICODE_WORDS)
        st = run_unicode_words(tok, fn, user, diag);
    else
        st = run_sklearn_words(tok, fn, user, diag);
    if (st != TS_OK || tok->ngram_max == 1)
        return st;
    return emit_word_ngrams(tok, fn, user);
}

/* --------------------------------------------------------- stop words */

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* One word per line; blank lines and lines starting with '#' are skipped,
 * surrounding ASCII blanks (and a CR before LF) are trimmed. */
static ts_status parse_stop_words(ts_vocab *set, const char *data, size_t size, const char *path,
                                  ts_diag *diag)
{
    int is_nul = 0;
    size_t bad = ts_utf8_check(data, size, &is_nul);
    if (bad < size) {
        uint64_t line = 1;
        for (size_t i = 0; i < bad; i++)
            line += data[i] == '\n';
        return ts_diag_set(diag, is_nul ? TS_ERR_NUL : TS_ERR_UTF8, path, line, bad,
                           "%s:%llu: stop-word file has %s at byte %zu; save it as UTF-8 text "
                           "with one word per line",
                           path, (unsigned long long)line,
                           is_nul ? "a NUL byte" : "invalid UTF-8", bad);
    }
    size_t i = 0;
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3; /* byte-order mark */
    while (i < size) {
        size_t end = i;
        while (end < size && data[end] != '\n')
            end++;
        size_t a = i, b = end;
        while (a < b && is_blank(data[a]))
            a++;
        while (b > a && is_blank(data[b - 1]))
            b--;
        if (b > a && data[a] != '#') {
            uint32_t id;
            ts_status st = ts_vocab_intern(set, data + a, b - a, &id, NULL);
            if (st != TS_OK)
                return TS_FAIL(diag, st, "cannot store the stop words of %s: %s", path,
                               ts_status_message(st));
        }
        i = end + 1;
    }
    return TS_OK;
}

int ts_stop_words_builtin(const char *spec)
{
    for (size_t i = 0; spec && i < sizeof builtin_stop_lists / sizeof builtin_stop_lists[0]; i++)
        if (strcmp(spec, builtin_stop_lists[i]) == 0)
            return 1;
    return 0;
}

/* spec's words: a built-in list, the words of `list` (a file's contents read
 * before, named spec in messages) when it is not NULL, else spec's file. */
static ts_status load_stop_words(ts_tokenizer *t, const char *spec, const char *list,
                                 size_t list_size, ts_diag *diag)
{
    t->stop = ts_vocab_create();
    if (!t->stop)
        return nomem(diag);
    if (list && !ts_stop_words_builtin(spec))
        return parse_stop_words(t->stop, list, list_size, spec, diag);
    for (size_t i = 0; i < sizeof builtin_stop_lists / sizeof builtin_stop_lists[0]; i++) {
        if (strcmp(spec, builtin_stop_lists[i]) != 0)
            continue;
        char name[64];
        snprintf(name, sizeof name, "data/stop_words_%s.txt", spec);
        const ts_resource *r = ts_resource_find(name);
        if (!r)
            return TS_FAIL(diag, TS_ERR_INTERNAL,
                           "the built-in stop-word list %s is missing from this build; please "
                           "report this bug",
                           name);
        return parse_stop_words(t->stop, r->data, r->size, name, diag);
    }
    char *data = NULL;
    size_t size = 0, cap = 0;
    ts_status st = ts_file_read(spec, NULL, "the stop words", "give english, german, french, "
                                "spanish or the path of a readable file with one word per line",
                                &data, &size, &cap, diag);
    if (st != TS_OK)
        return st;
    st = parse_stop_words(t->stop, data, size, spec, diag);
    free(data);
    return st;
}

/* ---------------------------------------------------------- stemmer */

static ts_status open_stemmer(ts_tokenizer *t, const char *lang, ts_diag *diag)
{
    t->stemmer = sb_stemmer_new(lang, "UTF_8");
    if (t->stemmer)
        return TS_OK;
    char list[2048] = "";
    size_t used = 0;
    int known = 0;
    for (const char **l = sb_stemmer_list(); *l; l++) {
        if (strcmp(*l, lang) == 0)
            known = 1;
        int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *l);
        if (w > 0 && (size_t)w < sizeof list - used)
            used += (size_t)w;
    }
    if (known)
        return nomem(diag);
    return TS_FAIL(diag, TS_ERR_STEMMER,
                   "unknown stemmer language '%s'; choose one of: %s", lang, list);
}

int ts_stemmer_exists(const char *language)
{
    struct sb_stemmer *s = language ? sb_stemmer_new(language, "UTF_8") : NULL;
    sb_stemmer_delete(s);
    return s != NULL;
}

/* ------------------------------------------------------ token pattern */

/* scikit-learn's default, which the hand-written scan reproduces exactly (ICU's
 * \w would also take combining marks). */
static int is_default_pattern(const char *p)
{
    return strcmp(p, "(?u)\\b\\w\\w+\\b") == 0 || strcmp(p, "\\b\\w\\w+\\b") == 0;
}

static const char *regex_error_text(UErrorCode err)
{
    switch (err) {
    case U_REGEX_MISMATCHED_PAREN: return "unbalanced parentheses";
    case U_REGEX_MISSING_CLOSE_BRACKET: return "a '[' without its ']'";
    case U_REGEX_BAD_ESCAPE_SEQUENCE: return "an unknown escape sequence";
    case U_REGEX_BAD_INTERVAL: return "a bad {min,max} repetition";
    case U_REGEX_MAX_LT_MIN: return "a repetition whose max is below its min";
    case U_REGEX_INVALID_FLAG: return "an unknown (?flag)";
    case U_REGEX_INVALID_RANGE: return "a character range out of order";
    case U_REGEX_PROPERTY_SYNTAX: return "a bad \\p{...} property";
    case U_REGEX_LOOK_BEHIND_LIMIT: return "a look-behind of unbounded length";
    default: return "a syntax error";
    }
}

/* Compiles the pattern, rewritten from Python's dialect (pattern.c; ICU
 * copies it), and applies scikit-learn's rule: at most one capturing group,
 * whose text is then the token. */
static ts_status compile_pattern(ts_tokenizer *t, const char *pattern, ts_diag *diag)
{
    size_t len = strlen(pattern);
    if (len == 0 || len > 65536)
        return TS_FAIL(diag, TS_ERR_ARG, "the token pattern must have 1 to 65536 bytes, not %zu",
                       len);
    char *icu = NULL;
    ts_status st = ts_pattern_from_python(pattern, &icu, diag);
    if (st != TS_OK)
        return st;
    size_t icu_len = strlen(icu);
    UChar *u = icu_len < INT32_MAX ? malloc((icu_len + 1) * sizeof *u) : NULL;
    if (!u) {
        free(icu);
        return nomem(diag);
    }
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = 0;
    u_strFromUTF8(u, (int32_t)icu_len + 1, &n, icu, (int32_t)icu_len, &err);
    UParseError where = {0};
    if (U_SUCCESS(err))
        t->pattern = uregex_open(u, n, 0, &where, &err);
    free(u);
    if (U_FAILURE(err)) {
        int same = strcmp(icu, pattern) == 0;
        st = err == U_INVALID_CHAR_FOUND
                 ? TS_FAIL(diag, TS_ERR_UTF8, "the token pattern is not valid UTF-8")
                 : TS_FAIL(diag, TS_ERR_ARG,
                           "token pattern '%s': %s at character %d%s%s%s; write a Python or "
                           "ICU regular expression",
                           pattern, regex_error_text(err), (int)where.offset + 1,
                           same ? "" : " of its ICU form '", same ? "" : icu, same ? "" : "'");
        free(icu);
        return st;
    }
    free(icu);
    int32_t groups = uregex_groupCount(t->pattern, &err);
    if (groups > 1)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "token pattern '%s' has %d capturing groups; scikit-learn's rule allows "
                       "one (the token): make the others non-capturing, (?:...)",
                       pattern, (int)groups);
    t->pattern_group = groups;
    uregex_setTimeLimit(t->pattern, PATTERN_TIME_LIMIT, &err);
    if (U_FAILURE(err))
        return TS_FAIL(diag, TS_ERR_UNICODE, "cannot set up the token pattern: %s",
                       u_errorName(err));
    return TS_OK;
}

int ts_tokenizer_is_stop_word(const ts_tokenizer *tok, const char *s, size_t n)
{
    return tok && tok->stop && ts_vocab_find(tok->stop, s, n) != TS_VOCAB_NONE;
}

void ts_tokenizer_track_case(ts_tokenizer *tok)
{
    if (tok && tok->analyzer == TS_ANALYZER_WORD)
        tok->track_case = 1;
}

int ts_tokenizer_term_case(const ts_tokenizer *tok)
{
    return tok ? tok->term_case : TS_TERM_CASE_UNKNOWN;
}

size_t ts_tokenizer_word_count(const ts_tokenizer *tok)
{
    return tok ? tok->nraw : 0;
}

/* ------------------------------------------------------ create / free */

ts_status ts_tokenizer_create(ts_tokenizer **out, const ts_vectorizer_options *options,
                              ts_diag *diag)
{
    return ts_tokenizer_create_with(out, options, NULL, 0, diag);
}

ts_status ts_tokenizer_create_with(ts_tokenizer **out, const ts_vectorizer_options *options,
                                   const char *stop_list, size_t stop_size, ts_diag *diag)
{
    if (!out || !options)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_tokenizer_create: NULL argument");
    *out = NULL;
    if ((unsigned)options->lowercase > TS_CASE_FOLD)
        return TS_FAIL(diag, TS_ERR_ARG, "invalid lowercase mode %d; use lower, fold or none",
                       (int)options->lowercase);
    if ((unsigned)options->analyzer > TS_ANALYZER_CHAR)
        return TS_FAIL(diag, TS_ERR_ARG, "invalid analyzer %d; use word, char_wb or char",
                       (int)options->analyzer);
    if ((unsigned)options->tokens > TS_TOKENS_UNICODE_WORDS)
        return TS_FAIL(diag, TS_ERR_ARG, "invalid tokenizer %d; use sklearn or unicode-words",
                       (int)options->tokens);
    if ((unsigned)options->strip_accents > TS_ACCENTS_UNICODE)
        return TS_FAIL(diag, TS_ERR_ARG, "invalid strip_accents mode %d; use ascii or unicode",
                       (int)options->strip_accents);
    const char *pattern = options->token_pattern;
    if (pattern && is_default_pattern(pattern))
        pattern = NULL;
    if (pattern && options->analyzer != TS_ANALYZER_WORD)
        return TS_FAIL(diag, TS_ERR_ARG, "a token pattern applies to the word analyzer only; "
                                         "drop it or use the word analyzer");
    if (pattern && options->tokens == TS_TOKENS_UNICODE_WORDS)
        return TS_FAIL(diag, TS_ERR_ARG, "a token pattern replaces the tokenizer: give either "
                                         "the pattern or unicode-words, not both");
    if (options->ngram_min < 1 || options->ngram_min > options->ngram_max)
        return TS_FAIL(diag, TS_ERR_ARG,
                       "invalid n-gram range %u,%u: need 1 <= MIN <= MAX (for example "
                       "--ngram-range 1,2)",
                       options->ngram_min, options->ngram_max);

    ts_tokenizer *t = calloc(1, sizeof *t);
    if (!t)
        return nomem(diag);
    t->lowercase = options->lowercase;
    t->analyzer = options->analyzer;
    t->rule = options->tokens;
    t->ngram_min = options->ngram_min;
    t->ngram_max = options->ngram_max;
    t->accents = options->strip_accents;
    t->term_case = TS_TERM_CASE_UNKNOWN;

    ts_status st = TS_OK;
    if (t->accents != TS_ACCENTS_KEEP) {
        UErrorCode err = U_ZERO_ERROR;
        t->nfkd = unorm2_getNFKDInstance(&err);
        if (U_FAILURE(err))
            st = TS_FAIL(diag, TS_ERR_UNICODE, "cannot load ICU's NFKD normalizer: %s",
                         u_errorName(err));
    }
    if (st == TS_OK && pattern)
        st = compile_pattern(t, pattern, diag);
    if (st == TS_OK && t->analyzer == TS_ANALYZER_WORD) {
        if (options->stop_words)
            st = load_stop_words(t, options->stop_words, stop_list, stop_size, diag);
        if (st == TS_OK && options->stem)
            st = open_stemmer(t, options->stem, diag);
        if (st == TS_OK && t->rule == TS_TOKENS_UNICODE_WORDS) {
            UErrorCode err = U_ZERO_ERROR;
            t->words = ubrk_open(UBRK_WORD, "", NULL, 0, &err);
            if (U_FAILURE(err))
                st = TS_FAIL(diag, TS_ERR_UNICODE, "cannot open the ICU word break iterator: %s",
                             u_errorName(err));
        }
    }
    if (st != TS_OK) {
        ts_tokenizer_free(t);
        return st;
    }
    *out = t;
    return TS_OK;
}

void ts_tokenizer_free(ts_tokenizer *tok)
{
    if (!tok)
        return;
    ts_vocab_free(tok->stop);
    if (tok->stemmer)
        sb_stemmer_delete(tok->stemmer);
    if (tok->words)
        ubrk_close(tok->words);
    if (tok->pattern)
        uregex_close(tok->pattern);
    utext_close(tok->pattern_text);
    free(tok->stripped);
    free(tok->u16);
    free(tok->mapped);
    free(tok->cps);
    free(tok->u8);
    free(tok->off);
    free(tok->off16);
    free(tok->word);
    free(tok->word_off);
    free(tok->toks);
    free(tok->tok_start);
    free(tok->capital);
    free(tok->tok_case);
    free(tok);
}
