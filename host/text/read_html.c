/*
 * read_html.c - the HTML reader (read_html.h): a page is one source, made of
 * the text a reader of the page sees.
 *
 * libxml2's HTML parser (tolerant as browsers are: it closes implied tags and
 * decodes entities) drives SAX callbacks; nothing builds a tree.  The page is
 * UTF-8 (read.c has checked it; a <meta charset> is ignored).  Kept: the text
 * of the body.  Dropped: head, script, style, templates, forms' controls,
 * media and embedded objects; nav and aside; header and footer outside an
 * article or main (the page's banner and footer, not an article's byline);
 * any element the markup hides (the hidden attribute, aria-hidden="true",
 * style display:none or visibility:hidden, and the navigation, banner,
 * contentinfo, complementary, search and dialog roles).  White space
 * collapses to one space, as a browser renders it, except in pre.  Block
 * elements (p, div, li, td, h1-h6, ...) and br end a line, and a line break
 * ends a statement in the segmenter (segment.c), so a heading, a table cell
 * or a list item is never glued to the next one.
 *
 * Offsets: each byte of the extracted text remembers the byte of the file it
 * came from (an entity's text, the entity's '&'; a collapsed space, the first
 * white-space byte), kept as runs of text that map to the file linearly (or
 * to one entity), and the source's statements report those file offsets
 * (ts_reader_map_offsets).  libxml2 only says how far it has read when it
 * hands over a piece of text, so each piece is aligned with the file
 * backwards from there (locate, align_back).
 */
#include "read_html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "base/buf.h"
#include "base/diag.h"

/* How far around libxml2's reported position a piece of text is sought. */
#define SLACK 8
/* Longer than any reference libxml2 decodes ("&thetasym;", "&#x10FFFF;"). */
#define MAX_ENTITY 40
/* Bytes given to the push parser at a time (its sizes are ints). */
#define FEED (1u << 22)

typedef enum element_kind {
    INLINE = 0,
    HIDDEN,    /* never shown */
    BLOCK,     /* ends a line before and after */
    BREAK,     /* br: ends a line */
    PRE,       /* block that keeps its white space */
    SECTION,   /* article, main: block, and their header and footer are shown */
    LANDMARK   /* header, footer: block, hidden outside a SECTION */
} element_kind;

static const struct element {
    const char *name;
    element_kind kind;
} elements[] = { /* sorted by name, for bsearch */
    {"address", BLOCK}, {"applet", HIDDEN}, {"article", SECTION}, {"aside", HIDDEN},
    {"audio", HIDDEN}, {"blockquote", BLOCK}, {"body", BLOCK}, {"br", BREAK},
    {"button", HIDDEN}, {"canvas", HIDDEN}, {"caption", BLOCK}, {"center", BLOCK},
    {"datalist", HIDDEN}, {"dd", BLOCK}, {"details", BLOCK}, {"dialog", HIDDEN},
    {"dir", BLOCK}, {"div", BLOCK}, {"dl", BLOCK}, {"dt", BLOCK}, {"embed", HIDDEN},
    {"fieldset", BLOCK}, {"figcaption", BLOCK}, {"figure", BLOCK}, {"footer", LANDMARK},
    {"form", BLOCK}, {"frameset", HIDDEN}, {"h1", BLOCK}, {"h2", BLOCK}, {"h3", BLOCK},
    {"h4", BLOCK}, {"h5", BLOCK}, {"h6", BLOCK}, {"head", HIDDEN}, {"header", LANDMARK},
    {"hgroup", BLOCK}, {"hr", BLOCK}, {"html", BLOCK}, {"iframe", HIDDEN}, {"input", HIDDEN},
    {"legend", BLOCK}, {"li", BLOCK}, {"listing", PRE}, {"main", SECTION}, {"map", HIDDEN},
    {"math", HIDDEN}, {"menu", BLOCK}, {"meter", HIDDEN}, {"nav", HIDDEN},
    {"noembed", HIDDEN}, {"noframes", HIDDEN}, {"noscript", HIDDEN}, {"object", HIDDEN},
    {"ol", BLOCK}, {"p", BLOCK}, {"plaintext", PRE}, {"pre", PRE}, {"progress", HIDDEN},
    {"script", HIDDEN}, {"section", BLOCK}, {"select", HIDDEN}, {"style", HIDDEN},
    {"summary", BLOCK}, {"svg", HIDDEN}, {"table", BLOCK}, {"tbody", BLOCK}, {"td", BLOCK},
    {"template", HIDDEN}, {"textarea", HIDDEN}, {"tfoot", BLOCK}, {"th", BLOCK},
    {"thead", BLOCK}, {"title", HIDDEN}, {"tr", BLOCK}, {"ul", BLOCK}, {"video", HIDDEN},
    {"xmp", PRE},
};

static int compare_element(const void *key, const void *e)
{
    return strcmp(key, ((const struct element *)e)->name);
}

static element_kind kind_of(const char *name)
{
    const struct element *e = bsearch(name, elements, sizeof elements / sizeof elements[0],
                                      sizeof elements[0], compare_element);
    return e ? e->kind : INLINE;
}

/* What an open element changed, undone when it closes. */
enum { OPENED_HIDDEN = 1, OPENED_PRE = 2, OPENED_SECTION = 4, OPENED_BLOCK = 8 };

/* From text[text] on, up to the next run, byte text + k came from file
 * offset file + k (linear) or file (an entity's text). */
typedef struct offset_run {
    uint64_t text, file;
    int linear;
} offset_run;

typedef struct page {
    htmlParserCtxtPtr ctxt;
    const char *raw;         /* the file after any byte-order mark */
    size_t raw_len;
    size_t bom;              /* its length: 3 or 0 */
    size_t pos;              /* the file before pos is accounted for */
    char *text;              /* the visible text */
    size_t len, cap;
    offset_run *runs;        /* where each byte of text came from */
    size_t nruns, runs_cap;
    size_t *piece_at;        /* file offset of each byte of the current piece */
    size_t piece_cap;
    unsigned char *open;     /* OPENED_* of each open element */
    size_t depth, open_cap;
    size_t hidden, pre, sections; /* open elements of each kind */
    int space;               /* a collapsed space is pending ... */
    uint64_t space_at;       /* ... from this file offset */
    ts_status st;            /* the first failure (out of memory) */
} page;

/* Append c, which came from file offset `at` (after the BOM).  Runs grow
 * while the offsets go up by one byte a byte (linear) or stay the same (an
 * entity's text). */
static void put(page *p, char c, uint64_t at)
{
    if (p->st != TS_OK)
        return;
    if (!TS_GROW(p->text, p->cap, p->len + 2)) {
        p->st = TS_ERR_NOMEM;
        return;
    }
    at += p->bom;
    offset_run *last = p->nruns ? &p->runs[p->nruns - 1] : NULL;
    uint64_t k = last ? p->len - last->text : 0; /* bytes in the last run */
    if (last && last->linear && at == last->file + k) {
        /* continues */
    } else if (last && at == last->file && (!last->linear || k == 1)) {
        last->linear = 0;
    } else if (!TS_GROW(p->runs, p->runs_cap, p->nruns + 1)) {
        p->st = TS_ERR_NOMEM;
        return;
    } else {
        p->runs[p->nruns++] = (offset_run){p->len, at, 1};
    }
    p->text[p->len++] = c;
}

/* The file offset text byte t came from (ts_reader_map_offsets). */
static uint64_t file_offset(const void *user, uint64_t t)
{
    const page *p = user;
    size_t lo = 0, hi = p->nruns; /* the last run starting at or before t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->runs[mid].text <= t)
            lo = mid;
        else
            hi = mid;
    }
    const offset_run *r = &p->runs[lo];
    return r->file + (r->linear ? t - r->text : 0);
}

/* End the current line, if it has text. */
static void end_line(page *p)
{
    p->space = 0;
    if (p->len > 0 && p->text[p->len - 1] != '\n')
        put(p, '\n', p->pos);
}

static int is_html_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* An attribute value that hides its element. */
static int hides(const char *name, const char *value)
{
    if (strcmp(name, "hidden") == 0)
        return 1;
    if (!value)
        return 0;
    if (strcmp(name, "aria-hidden") == 0)
        return strcmp(value, "true") == 0;
    if (strcmp(name, "role") == 0) {
        static const char *const roles[] = {"navigation", "banner", "contentinfo",
                                            "complementary", "search", "dialog",
                                            "alertdialog"};
        for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
            if (strcmp(value, roles[i]) == 0)
                return 1;
        return 0;
    }
    if (strcmp(name, "style") == 0) { /* without white space and case */
        char s[256];
        size_t n = 0;
        for (const char *v = value; *v && n + 1 < sizeof s; v++)
            if (!is_html_space(*v))
                s[n++] = (char)(*v >= 'A' && *v <= 'Z' ? *v + 32 : *v);
        s[n] = '\0';
        return strstr(s, "display:none") || strstr(s, "visibility:hidden");
    }
    return 0;
}

static void on_start(void *user, const xmlChar *name_, const xmlChar **atts)
{
    page *p = user;
    const char *name = (const char *)name_;
    element_kind kind = kind_of(name);
    unsigned char opened = 0;
    int hide = kind == HIDDEN || (kind == LANDMARK && p->sections == 0);
    for (size_t i = 0; atts && atts[i] && !hide; i += 2)
        hide = hides((const char *)atts[i], (const char *)atts[i + 1]);
    if (kind != INLINE && kind != HIDDEN) {
        opened |= OPENED_BLOCK;
        if (p->hidden == 0)
            end_line(p);
    }
    if (hide) {
        opened |= OPENED_HIDDEN;
        p->hidden++;
    }
    if (kind == PRE) {
        opened |= OPENED_PRE;
        p->pre++;
    }
    if (kind == SECTION) {
        opened |= OPENED_SECTION;
        p->sections++;
    }
    if (!TS_GROW(p->open, p->open_cap, p->depth + 1)) {
        p->st = TS_ERR_NOMEM;
        xmlStopParser(p->ctxt);
        return;
    }
    p->open[p->depth++] = opened;
}

static void on_end(void *user, const xmlChar *name)
{
    (void)name;
    page *p = user;
    if (p->depth == 0)
        return;
    unsigned char opened = p->open[--p->depth];
    p->hidden -= (opened & OPENED_HIDDEN) != 0;
    p->pre -= (opened & OPENED_PRE) != 0;
    p->sections -= (opened & OPENED_SECTION) != 0;
    if ((opened & OPENED_BLOCK) && p->hidden == 0)
        end_line(p);
}

/* Whether libxml2 keeps the character number v (XML's Char production). */
static int is_char_number(unsigned long v)
{
    return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
           (v >= 0xE000 && v <= 0xFFFD) || (v >= 0x10000 && v <= 0x10FFFF);
}

enum { NO_ENTITY, DECODED, DROPPED };

/* A byte of a name as libxml2 reads one after '&' (XML's name characters:
 * letters, digits, '.', '-', '_', ':' and anything not ASCII). */
static int is_name_char(char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == ':' || (unsigned char)c >= 0x80;
}

/* Value of the digits s[0..n) in base 10 or 16, capped above 0x10FFFF; -1
 * if one is not a digit. */
static long number_of(const char *s, size_t n, int hex)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        int c = s[i] | 32, d;
        if (s[i] >= '0' && s[i] <= '9')
            d = s[i] - '0';
        else if (hex && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return -1;
        v = v > 0x110000 ? v : v * (hex ? 16 : 10) + d;
    }
    return v;
}

/* The reference that ends at raw[end] (and starts at or after pos): its '&'
 * in *amp, and DECODED when libxml2 turns it into a character or DROPPED
 * when it turns it into nothing.  libxml2 decodes a name of its HTML 4 table
 * followed by ';', and a character number (&#233; &#xE9;) with or without
 * ';', dropping a number that is not a character; it leaves anything else,
 * an unknown name or a name without ';', as text. */
static int entity_ending_at(const page *p, size_t end, size_t *amp)
{
    size_t lo = end > MAX_ENTITY ? end - MAX_ENTITY : 0, a = end;
    if (lo < p->pos)
        lo = p->pos;
    while (a > lo && p->raw[a - 1] != '&')
        a--;
    if (a == 0 || a <= lo || p->raw[a - 1] != '&' || a == end)
        return NO_ENTITY;
    *amp = a - 1;
    const char *body = p->raw + a;
    size_t len = end - a;
    int semicolon = body[len - 1] == ';';
    if (body[0] == '#') {
        int hex = len > 1 && (body[1] | 32) == 'x';
        size_t from = hex ? 2 : 1, digits = len - semicolon - from;
        if (len < from + semicolon + 1)
            return NO_ENTITY;
        long v = number_of(body + from, digits, hex);
        if (v < 0 || (!semicolon && end < p->raw_len && number_of(p->raw + end, 1, hex) >= 0))
            return NO_ENTITY; /* not a number, or one that goes on */
        return is_char_number((unsigned long)v) ? DECODED : DROPPED;
    }
    char key[MAX_ENTITY + 1];
    if (!semicolon || len < 2)
        return NO_ENTITY;
    memcpy(key, body, len - 1);
    key[len - 1] = '\0';
    return htmlEntityLookup((const xmlChar *)key) ? DECODED : NO_ENTITY;
}

/* Length of the UTF-8 character that ends at s[end] (s valid UTF-8). */
static size_t char_before(const char *s, size_t end)
{
    size_t n = 1;
    while (n < 4 && n < end && ((unsigned char)s[end - n] & 0xC0) == 0x80)
        n++;
    return n;
}

/* Whether libxml2 may drop the character raw[j - len .. j) from text: a
 * control character but tab and line ends, U+FFFE, U+FFFF (it drops them in
 * most places, keeps them in a few). */
static int droppable(const page *p, size_t j, size_t len)
{
    const unsigned char *c = (const unsigned char *)p->raw + j - len;
    if (len == 1)
        return c[0] < 0x20 && c[0] != '\t' && c[0] != '\n' && c[0] != '\r';
    return len == 3 && c[0] == 0xEF && c[1] == 0xBF && (c[2] == 0xBE || c[2] == 0xBF);
}

/* Whether the piece s[0..n) of text is what the file holds before `end`
 * (and from pos on), character by character: the same character, a
 * reference (the piece's character maps to its '&'), or one libxml2
 * dropped; fills p->piece_at[0..n). */
static int align_back(page *p, const char *s, size_t n, size_t end)
{
    size_t i = n, j = end, amp;
    while (i > 0) {
        if (j <= p->pos)
            return 0;
        size_t ls = char_before(s, i), lr = char_before(p->raw, j);
        if (ls == lr && j - lr >= p->pos && memcmp(s + i - ls, p->raw + j - lr, ls) == 0) {
            for (size_t k = 1; k <= ls; k++)
                p->piece_at[i - k] = j - k;
            i -= ls;
            j -= lr;
            continue;
        }
        int kind = entity_ending_at(p, j, &amp);
        if (kind == DECODED) { /* its character: the last of the piece */
            for (size_t k = 1; k <= ls; k++)
                p->piece_at[i - k] = amp;
            i -= ls;
            j = amp;
        } else if (kind == DROPPED) {
            j = amp;
        } else if (droppable(p, j, lr)) {
            j -= lr;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Fill p->piece_at[0..n) with the file offset of each byte of the piece
 * s[0..n) of text and move pos past it.  libxml2 tells how far it has read
 * (xmlByteConsumed): the end of the piece; one byte short of it for text it
 * hands over in slices; a few bytes past it after looking for an entity name
 * (after a '&' that starts no reference, the name it read: "&amp" without
 * ';' is "&" then "amp").  The piece is aligned with the file backwards from
 * there, then from before that name, from one byte before and after, from
 * the ends before, and from those after; failing that (markup libxml2
 * repaired), its bytes get offsets from where it should start, in order. */
static void locate(page *p, const char *s, size_t n)
{
    long consumed = xmlByteConsumed(p->ctxt);
    size_t end = consumed < 0 ? p->pos : (size_t)consumed;
    if (end > p->raw_len)
        end = p->raw_len;
    if (align_back(p, s, n, end)) {
        p->pos = end;
        return;
    }
    /* After a '&', libxml2 reads a name before it decides that this is no
     * reference: the piece "&" ends where the name starts. */
    size_t name = end;
    while (name > p->pos && is_name_char(p->raw[name - 1]))
        name--;
    if (name < end && align_back(p, s, n, name)) {
        p->pos = name;
        return;
    }
    static const int shifts[] = {-1, 1, -2, -3, -4, -5, -6, -7, -8, 2, 3, 4, 5, 6, 7, 8};
    for (size_t k = 0; k < sizeof shifts / sizeof shifts[0]; k++) {
        if (shifts[k] < 0 && (size_t)-shifts[k] > end)
            continue;
        size_t e = shifts[k] < 0 ? end - (size_t)-shifts[k] : end + (size_t)shifts[k];
        if (e <= p->raw_len && e > p->pos && align_back(p, s, n, e)) {
            p->pos = e;
            return;
        }
    }
    size_t from = end >= n && end - n > p->pos ? end - n : p->pos;
    for (size_t i = 0; i < n; i++)
        p->piece_at[i] = from + i < p->raw_len ? from + i : (p->raw_len ? p->raw_len - 1 : 0);
    if (end > p->pos)
        p->pos = end;
}

/* Text: located (hidden text too, so that the next piece is sought after
 * it), and appended when shown. */
static void on_text(void *user, const xmlChar *text, int length)
{
    page *p = user;
    if (length <= 0 || p->st != TS_OK)
        return;
    const char *s = (const char *)text;
    size_t n = (size_t)length;
    if (!TS_GROW(p->piece_at, p->piece_cap, n)) {
        p->st = TS_ERR_NOMEM;
        xmlStopParser(p->ctxt);
        return;
    }
    locate(p, s, n);
    if (p->hidden > 0)
        return;
    for (size_t i = 0; i < n; i++) {
        uint64_t at = p->piece_at[i];
        if (p->pre > 0) {
            put(p, s[i], at);
        } else if (is_html_space(s[i])) {
            if (!p->space && p->len > 0 && p->text[p->len - 1] != '\n') {
                p->space = 1;
                p->space_at = at;
            }
        } else {
            if (p->space)
                put(p, ' ', p->space_at);
            p->space = 0;
            put(p, s[i], at);
        }
    }
}

/* libxml2 would print its complaints; a tolerant reader has none to make. */
static void on_error(void *user, xmlErrorPtr error)
{
    (void)user;
    (void)error;
}

static ts_status extract(page *p, const char *path, ts_diag *diag)
{
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_text;
    sax.ignorableWhitespace = on_text;
    sax.initialized = XML_SAX2_MAGIC; /* so that serror is used */
    sax.serror = on_error;
    xmlInitParser();
    p->ctxt = htmlCreatePushParserCtxt(&sax, p, NULL, 0, path, XML_CHAR_ENCODING_UTF8);
    if (!p->ctxt)
        return TS_FAIL(diag, TS_ERR_NOMEM, "%s: out of memory starting the HTML parser", path);
    htmlCtxtUseOptions(p->ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                    HTML_PARSE_IGNORE_ENC);
    size_t off = 0;
    do {
        size_t n = p->raw_len - off < FEED ? p->raw_len - off : FEED;
        htmlParseChunk(p->ctxt, p->raw + off, (int)n, off + n == p->raw_len);
        off += n;
    } while (off < p->raw_len && p->st == TS_OK);
    htmlFreeParserCtxt(p->ctxt);
    p->ctxt = NULL;
    end_line(p);
    if (p->st != TS_OK)
        return TS_FAIL(diag, p->st, "%s: out of memory reading the page", path);
    return TS_OK;
}

ts_status ts_read_html(ts_reader *r, const char *name, const char *buf, size_t len,
                       const char *path)
{
    /* libxml2 would take a byte-order mark for text. */
    size_t bom = ts_reader_bom(buf, len);
    page p = {.raw = buf + bom, .raw_len = len - bom, .bom = bom, .st = TS_OK};
    ts_status st = extract(&p, path, r->diag);
    size_t src = 0, base = 0;
    if (st == TS_OK)
        st = ts_reader_source(r, name, ts_reader_new_owner(r), path, &src);
    if (st == TS_OK) {
        size_t n = p.len;
        if (!p.text && !TS_GROW(p.text, p.cap, 1)) /* a page without text */
            st = TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory", path);
        else
            st = ts_reader_append(r, src, &p.text, n, p.cap, 1, path, &base);
        if (st == TS_OK)
            st = ts_reader_segment(r, src, base, n, path);
        if (st == TS_OK)
            st = ts_reader_map_offsets(r, src, file_offset, &p, path);
    }
    free(p.text);
    free(p.runs);
    free(p.piece_at);
    free(p.open);
    return st;
}

/* ---------------------------------------------------------------- sniffing */

static int starts_nocase(const char *s, size_t n, const char *prefix)
{
    size_t m = strlen(prefix);
    if (n < m)
        return 0;
    for (size_t i = 0; i < m; i++)
        if ((s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]) != prefix[i])
            return 0;
    return 1;
}

/* Past the first occurrence of `end` in s[i..n), or n. */
static size_t skip_past(const char *s, size_t n, size_t i, const char *end)
{
    size_t m = strlen(end);
    for (; i + m <= n; i++)
        if (memcmp(s + i, end, m) == 0)
            return i + m;
    return n;
}

int ts_html_sniff(const char *buf, size_t len)
{
    size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (;;) {
        while (i < len && is_html_space(buf[i]))
            i++;
        if (starts_nocase(buf + i, len - i, "<?xml"))
            i = skip_past(buf, len, i, "?>");
        else if (starts_nocase(buf + i, len - i, "<!--"))
            i = skip_past(buf, len, i, "-->");
        else
            break;
    }
    const char *s = buf + i;
    size_t n = len - i;
    if (starts_nocase(s, n, "<!doctype html"))
        return n == 14 || is_html_space(s[14]) || s[14] == '>';
    if (starts_nocase(s, n, "<html"))
        return n == 5 || is_html_space(s[5]) || s[5] == '>';
    return 0;
}
