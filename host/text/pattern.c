/*
 * pattern.c - scikit-learn's token_pattern is a Python regular expression;
 * textsim runs it with ICU's regex engine.  The two dialects share most of
 * their syntax but not the meaning of a few escapes, so a pattern copied from
 * a scikit-learn script would silently give other tokens.  This file rewrites
 * the differences, in one pass over the pattern that tracks character
 * classes and escapes (hand-written: it is a lexer of a few rules, and no
 * library translates between the two dialects):
 *
 *   \w \W      Python: '_' or str.isalnum() (categories L* and N*); ICU's \w
 *              also takes combining marks and connector punctuation, and
 *              misses No (such as "½").  Written as [\p{L}\p{N}_] and its
 *              complement.
 *   \b \B      boundaries between Python's \w and \W (ICU's skip combining
 *              marks): look-arounds on that class.  \b in a class is a
 *              backspace in Python: \x{08}.
 *   \s \S      Python's str.isspace() also counts \v, \x1c-\x1f and \x85.
 *   \Z         end of the text in Python: ICU's \z.
 *   (?P<n>..)  Python's named group: ICU's (?<n>..); (?P=n) is \k<n>.
 *   { }        literal in Python unless they form {m}, {m,}, {,n}, {m,n};
 *              ICU wants them escaped, and {,n} written {0,n}.
 *   [ &        inside a class, literal in Python, set syntax in ICU: escaped.
 * Everything else, including \d (Nd in both), passes unchanged; what ICU
 * then rejects is reported by its compiler.  Left as ICU has it: (?i) matches
 * by case folding, where Python also matches "ı" and "ſ" to [a-z].
 */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "pattern.h"

#define PY_WORD "\\p{L}\\p{N}_"
#define PY_SPACE "\\s\\x{0B}\\x{1C}-\\x{1F}\\x{85}"
#define PY_W "[" PY_WORD "]"

typedef struct out_buf {
    char *s;
    size_t len, cap;
    int failed;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    if (o->failed || !TS_GROW(o->s, o->cap, o->len + n + 1)) {
        o->failed = 1;
        return;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

static void puts_(out_buf *o, const char *s) { put(o, s, strlen(s)); }

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of a Python repetition {m}, {m,}, {,n}, {m,n} at p (p[0] == '{'),
 * or 0 when the brace is a literal. */
static size_t repetition_length(const char *p)
{
    size_t i = 1;
    if (p[i] == '}')
        return 0;
    while (is_digit(p[i]))
        i++;
    if (p[i] == ',') {
        i++;
        while (is_digit(p[i]))
            i++;
    }
    return p[i] == '}' ? i + 1 : 0;
}

/* An escape (p[0] == '\\') inside or outside a class; returns bytes read. */
static size_t put_escape(out_buf *o, const char *p, int in_class)
{
    switch (p[1]) {
    case 'w': puts_(o, in_class ? PY_WORD : PY_W); return 2;
    case 'W': puts_(o, "[^" PY_WORD "]"); return 2;
    case 's': puts_(o, in_class ? PY_SPACE : "[" PY_SPACE "]"); return 2;
    case 'S': puts_(o, "[^" PY_SPACE "]"); return 2;
    case 'b':
        puts_(o, in_class ? "\\x{08}"
                          : "(?:(?<=" PY_W ")(?!" PY_W ")|(?<!" PY_W ")(?=" PY_W "))");
        return 2;
    case 'B':
        if (in_class)
            break;
        puts_(o, "(?:(?<=" PY_W ")(?=" PY_W ")|(?<!" PY_W ")(?!" PY_W "))");
        return 2;
    case 'Z':
        if (in_class)
            break;
        puts_(o, "\\z");
        return 2;
    case '\0':
        put(o, p, 1); /* a trailing backslash: ICU reports it */
        return 1;
    }
    put(o, p, 2);
    return 2;
}

ts_status ts_pattern_from_python(const char *python, char **icu, ts_diag *diag)
{
    out_buf o = {0};
    const char *p = python;
    int in_class = 0;
    puts_(&o, "");
    while (*p) {
        if (*p == '\\') {
            p += put_escape(&o, p, in_class);
        } else if (in_class) {
            if (*p == ']')
                in_class = 0;
            if (*p == '[' || *p == '&')
                put(&o, "\\", 1);
            put(&o, p++, 1);
        } else if (*p == '[') {
            in_class = 1;
            put(&o, p++, 1);
            if (*p == '^')
                put(&o, p++, 1);
            if (*p == ']') { /* a ']' first in a class is a literal in Python */
                puts_(&o, "\\]");
                p++;
            }
        } else if (strncmp(p, "(?P<", 4) == 0) {
            puts_(&o, "(?<");
            p += 4;
        } else if (strncmp(p, "(?P=", 4) == 0 && strchr(p, ')')) {
            const char *end = strchr(p, ')');
            puts_(&o, "\\k<");
            put(&o, p + 4, (size_t)(end - (p + 4)));
            puts_(&o, ">");
            p = end + 1;
        } else if (*p == '{') {
            size_t n = repetition_length(p);
            if (n == 0) {
                puts_(&o, "\\{");
                p++;
            } else {
                if (p[1] == ',')
                    puts_(&o, "{0");
                else
                    put(&o, p, 1);
                put(&o, p + 1, n - 1);
                p += n;
            }
        } else if (*p == '}') {
            puts_(&o, "\\}");
            p++;
        } else {
            put(&o, p++, 1);
        }
    }
    if (o.failed) {
        free(o.s);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory while reading the token pattern");
    }
    *icu = o.s;
    return TS_OK;
}
