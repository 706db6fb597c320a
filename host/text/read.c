/*
 * read.c - adding inputs to a corpus (ts_corpus_add_*, read.h).
 *
 * Every input takes one path: a file or standard input is read whole
 * (file.c), a directory is its regular, non-hidden files in name order, and
 * an in-memory buffer stands for a file's bytes.  The bytes are validated as
 * UTF-8 (or repaired, per options->on_invalid) and handed to the reader of
 * their format - by --format, else by extension, else by the first bytes:
 * read_jsonl.c, read_tsv.c, read_csv.c, read_html.c, read_text.c (a source
 * named after the file, or "stdin").  Each call is
 * bracketed by ts_reader_begin and ts_reader_end (corpus.c), so a failing
 * call leaves the corpus as it was.
 */
#include "read.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/file.h"
#include "base/utf8.h"
#include "corpus_internal.h"
#include "read_csv.h"
#include "read_html.h"
#include "read_jsonl.h"
#include "read_text.h"
#include "read_tsv.h"

#define STDIN_NAME "stdin"
#define TEXT_ORIGIN "<text>"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* "a/b.txt" -> "b", "x.tar.gz" -> "x.tar", ".hidden" -> ".hidden". */
static char *source_name_of_file(const char *path)
{
    const char *base = base_name(path);
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    char *name = malloc(n + 1);
    if (name) {
        memcpy(name, base, n);
        name[n] = '\0';
    }
    return name;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The format a file's name says; TS_FORMAT_AUTO: text, unless its first
 * bytes say HTML (add_contents). */
static ts_format format_by_extension(const char *path)
{
    if (has_suffix(path, ".jsonl"))
        return TS_FORMAT_JSONL;
    if (has_suffix(path, ".tsv"))
        return TS_FORMAT_TSV;
    if (has_suffix(path, ".csv"))
        return TS_FORMAT_CSV;
    if (has_suffix(path, ".html") || has_suffix(path, ".htm") || has_suffix(path, ".xhtml"))
        return TS_FORMAT_HTML;
    return TS_FORMAT_AUTO;
}

/* ------------------------------------------------------------ helpers */

/* Validate (or repair) a whole buffer read from path, in place. */
static ts_status check_buffer(ts_reader *r, char **buf, size_t *len, size_t *cap, const char *path)
{
    char *fixed;
    size_t fixed_len;
    ts_status st = ts_reader_check_utf8(r, *buf, *len, path, 0, 0, NULL, &fixed, &fixed_len);
    if (st != TS_OK || !fixed)
        return st;
    free(*buf);
    *buf = fixed;
    *len = fixed_len;
    *cap = fixed_len + 1;
    return TS_OK;
}

/* Formats that are not text, known by their first bytes, with what to do. */
static const struct binary_format {
    const char *magic;
    size_t len, at; /* magic's length and offset */
    const char *name, *advice;
} binary_formats[] = {
    {"%PDF-", 5, 0, "a PDF document", "extract its text first, e.g. pdftotext FILE FILE.txt"},
    {"PK\x03\x04", 4, 0, "a ZIP archive (or an Office or EPUB document, which are ZIP archives)",
     "unpack it, or save the document as plain text (e.g. libreoffice --convert-to txt FILE)"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, 0, "an old Office document (.doc, .xls, .ppt)",
     "save it as plain text (e.g. libreoffice --convert-to txt FILE)"},
    {"{\\rtf", 5, 0, "an RTF document", "save it as plain text (e.g. libreoffice --convert-to txt FILE)"},
    {"\x89PNG\r\n\x1A\n", 8, 0, "a PNG image", "give the text, not the image (OCR it first, e.g. tesseract)"},
    {"\xFF\xD8\xFF", 3, 0, "a JPEG image", "give the text, not the image (OCR it first, e.g. tesseract)"},
    {"GIF8", 4, 0, "a GIF image", "give the text, not the image"},
    {"II*\0", 4, 0, "a TIFF image", "give the text, not the image (OCR it first, e.g. tesseract)"},
    {"MM\0*", 4, 0, "a TIFF image", "give the text, not the image (OCR it first, e.g. tesseract)"},
    {"\x1F\x8B", 2, 0, "a gzip-compressed file", "decompress it first (gunzip FILE)"},
    {"BZh", 3, 0, "a bzip2-compressed file", "decompress it first (bunzip2 FILE)"},
    {"\xFD" "7zXZ\0", 6, 0, "an xz-compressed file", "decompress it first (unxz FILE)"},
    {"\x28\xB5\x2F\xFD", 4, 0, "a zstd-compressed file", "decompress it first (unzstd FILE)"},
    {"7z\xBC\xAF\x27\x1C", 6, 0, "a 7-Zip archive", "unpack it first (7z x FILE)"},
    {"ustar", 5, 257, "a tar archive", "unpack it first (tar xf FILE)"},
    {"\x7F" "ELF", 4, 0, "an executable program", "give a text file"},
};

/* The format buf starts like, or NULL for anything that may be text. */
static const struct binary_format *binary_format_of(const char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof binary_formats / sizeof binary_formats[0]; i++) {
        const struct binary_format *f = &binary_formats[i];
        if (len >= f->at + f->len && memcmp(buf + f->at, f->magic, f->len) == 0)
            return f;
    }
    return NULL;
}

const char *ts_read_binary_format(const char *buf, size_t len)
{
    const struct binary_format *f = binary_format_of(buf, len);
    return f ? f->name : NULL;
}

/* Refuse what is not text, check buf (UTF-8, NUL) and add it as `format`
 * (TS_FORMAT_AUTO: HTML or text, by its first bytes): JSONL and TSV line by
 * line, CSV record by record, a page or a text as one source named after the
 * file (or "stdin").  Shared by files, standard input and in-memory buffers,
 * so every input takes the same path.  Takes over *buf for a text source. */
static ts_status add_contents(ts_reader *r, char **buf, size_t len, size_t cap, const char *path,
                              ts_format format, int is_stdin)
{
    const struct binary_format *bin = binary_format_of(*buf, len);
    if (bin) { /* the advice with the file's name in place of FILE */
        char advice[512];
        size_t w = 0;
        for (const char *a = bin->advice; *a && w + 1 < sizeof advice;) {
            if (strncmp(a, "FILE", 4) == 0) {
                w += (size_t)snprintf(advice + w, sizeof advice - w, "%s", path);
                w = w < sizeof advice ? w : sizeof advice - 1;
                a += 4;
            } else {
                advice[w++] = *a++;
            }
        }
        advice[w] = '\0';
        return ts_diag_set(r->diag, TS_ERR_PARSE, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: this is %s, not text; %s", path, bin->name, advice);
    }
    ts_status st = check_buffer(r, buf, &len, &cap, path);
    if (st != TS_OK)
        return st;
    if (format == TS_FORMAT_JSONL)
        return ts_read_jsonl(r, *buf, len, path);
    if (format == TS_FORMAT_TSV)
        return ts_read_tsv(r, *buf, len, path);
    if (format == TS_FORMAT_AUTO)
        format = ts_html_sniff(*buf, len) ? TS_FORMAT_HTML : TS_FORMAT_TEXT;
    char *name = is_stdin ? strdup(STDIN_NAME) : source_name_of_file(path);
    if (!name)
        st = TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory", path);
    else if (!name[0])
        st = ts_diag_set(r->diag, TS_ERR_ARG, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                         "%s: cannot name a source after this path; give a file name", path);
    else if (format == TS_FORMAT_CSV)
        st = ts_read_csv(r, *buf, len, path, name);
    else if (format == TS_FORMAT_HTML)
        st = ts_read_html(r, name, *buf, len, path);
    else
        st = ts_read_text(r, name, buf, len, cap, path);
    free(name);
    return st;
}

static ts_status add_file(ts_reader *r, const char *path, ts_format format, int is_stdin)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ts_status st = ts_file_read(path, is_stdin ? stdin : NULL, NULL, NULL, &buf, &len, &cap, r->diag);
    if (st == TS_OK)
        st = add_contents(r, &buf, len, cap, path, format, is_stdin);
    free(buf);
    return st;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Regular, non-hidden files directly in dir, as full paths sorted by name. */
static ts_status list_directory(ts_reader *r, const char *dir, char ***out, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return ts_diag_set(r->diag, TS_ERR_IO, dir, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: cannot open: %s; check the path and permissions", dir,
                           strerror(errno));
    size_t dlen = strlen(dir);
    int slash = dlen > 0 && dir[dlen - 1] == '/';
    char **files = NULL;
    size_t n = 0, cap = 0;
    ts_status st = TS_OK;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno != 0)
                st = ts_diag_set(r->diag, TS_ERR_IO, dir, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                                 "%s: cannot list the directory: %s; check the permissions",
                                 dir, strerror(errno));
            break;
        }
        if (e->d_name[0] == '.')
            continue;
        size_t plen = dlen + 1 + strlen(e->d_name) + 1;
        char *full = malloc(plen);
        if (!full || !TS_GROW(files, cap, n + 1)) {
            free(full);
            st = TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory listing the directory", dir);
            break;
        }
        snprintf(full, plen, "%s%s%s", dir, slash ? "" : "/", e->d_name);
        struct stat sb;
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(full);
            continue;
        }
        files[n++] = full;
    }
    closedir(d);
    if (st != TS_OK) {
        free_strings(files, n);
        return st;
    }
    /* Same directory prefix, so ordering full paths orders the names. */
    if (n > 1)
        qsort(files, n, sizeof *files, compare_strings);
    *out = files;
    *count = n;
    return TS_OK;
}

static ts_status add_directory(ts_reader *r, const char *dir)
{
    char **files = NULL;
    size_t n = 0;
    ts_status st = list_directory(r, dir, &files, &n);
    if (st != TS_OK)
        return st;
    if (n == 0)
        st = ts_diag_set(r->diag, TS_ERR_EMPTY, dir, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                         "%s: DIR: no text files in this directory; put one .txt file per "
                         "source in it",
                         dir);
    for (size_t i = 0; i < n && st == TS_OK; i++)
        st = add_file(r, files[i], format_by_extension(files[i]), 0);
    free_strings(files, n);
    return st;
}

static ts_status check_options(const ts_read_options *o, ts_diag *diag)
{
    if ((unsigned)o->format > TS_FORMAT_HTML)
        return TS_FAIL(diag, TS_ERR_ARG, "unknown input format %d; use auto, text, dir, jsonl, "
                                         "tsv, csv or html", (int)o->format);
    if ((unsigned)o->segment > TS_SEGMENT_LINE)
        return TS_FAIL(diag, TS_ERR_ARG, "unknown segmentation %d; use sentence or line",
                       (int)o->segment);
    if ((unsigned)o->on_invalid > TS_INVALID_REPLACE)
        return TS_FAIL(diag, TS_ERR_ARG, "unknown invalid-input policy %d; use error or replace",
                       (int)o->on_invalid);
    return TS_OK;
}

/* ------------------------------------------------------------- public API */

/* NULL options mean the defaults, kept in *defaults. */
static const ts_read_options *options_or_defaults(const ts_read_options *options,
                                                  ts_read_options *defaults)
{
    if (options)
        return options;
    ts_read_options_init(defaults);
    return defaults;
}

void ts_read_options_init(ts_read_options *options)
{
    if (!options)
        return;
    options->format = TS_FORMAT_AUTO;
    options->segment = TS_SEGMENT_SENTENCE;
    options->on_invalid = TS_INVALID_ERROR;
    options->locale = NULL;
    options->text_column = NULL;
    options->source_column = NULL;
}

ts_status ts_corpus_add_path(ts_corpus *corpus, const char *path,
                             const ts_read_options *options, ts_diag *diag)
{
    ts_read_options defaults;
    options = options_or_defaults(options, &defaults);
    if (!corpus || !path || !path[0])
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_add_path: no corpus or no path");
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;

    ts_reader r;
    ts_reader_begin(&r, corpus, options, diag, NULL);
    int is_stdin = strcmp(path, "-") == 0;
    ts_format format = options->format;
    if (is_stdin) {
        if (format == TS_FORMAT_DIR)
            st = TS_FAIL(diag, TS_ERR_ARG, "-: standard input cannot be read as a directory; "
                                           "use --format text, jsonl or tsv");
        else
            st = add_file(&r, STDIN_NAME, format, 1);
    } else {
        if (format == TS_FORMAT_AUTO) {
            struct stat sb;
            if (stat(path, &sb) != 0)
                st = ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                                 "%s: cannot open: %s; check the path and permissions", path,
                                 strerror(errno));
            else
                format = S_ISDIR(sb.st_mode) ? TS_FORMAT_DIR : format_by_extension(path);
        }
        if (st == TS_OK)
            st = format == TS_FORMAT_DIR ? add_directory(&r, path)
                                         : add_file(&r, path, format, 0);
    }
    return ts_reader_end(&r, st);
}

/* The in-memory twin of add_file (read.h): the same validation and
 * readers, with a copy of data in place of the file's contents. */
ts_status ts_corpus_add_buffer(ts_corpus *corpus, const char *path, const char *data,
                               size_t length, const ts_read_options *options, ts_diag *diag)
{
    ts_read_options defaults;
    options = options_or_defaults(options, &defaults);
    if (!corpus || !path || !path[0] || (!data && length > 0))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_add_buffer: no corpus, path or data");
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;
    ts_format format = options->format == TS_FORMAT_AUTO ? format_by_extension(path)
                                                         : options->format;
    if (format == TS_FORMAT_DIR)
        return TS_FAIL(diag, TS_ERR_ARG, "%s: a buffer cannot be read as a directory; use "
                                         "--format text, jsonl or tsv", path);
    if (length == SIZE_MAX)
        return TS_FAIL(diag, TS_ERR_TOO_LARGE, "%s: the buffer is too large", path);
    size_t len = length, cap = length + 1;
    char *buf = malloc(cap);
    if (!buf)
        return TS_FAIL(diag, TS_ERR_NOMEM, "%s: out of memory copying the input", path);
    if (length > 0)
        memcpy(buf, data, length);

    ts_reader r;
    ts_reader_begin(&r, corpus, options, diag, NULL);
    st = add_contents(&r, &buf, len, cap, path, format, 0);
    free(buf);
    return ts_reader_end(&r, st);
}

/* Each text as one statement, kept as it is (textsim.h). */
ts_status ts_corpus_add_statements(ts_corpus *corpus, const char *source,
                                   const char *const *texts, const size_t *lengths,
                                   size_t count, const char *origin,
                                   const ts_read_options *options, ts_diag *diag)
{
    ts_read_options defaults;
    options = options_or_defaults(options, &defaults);
    if (!origin)
        origin = TEXT_ORIGIN;
    if (!corpus || !source || !source[0] || (!texts && count > 0) || (!lengths && count > 0))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_add_statements: no corpus, source or texts");
    if (ts_utf8_check(source, strlen(source), NULL) != strlen(source))
        return TS_FAIL(diag, TS_ERR_UTF8, "%s: the source name is not valid UTF-8", origin);
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;
    ts_reader r;
    ts_reader_begin(&r, corpus, options, diag, source);
    size_t src = 0;
    st = ts_reader_source(&r, source, 0, origin, &src);
    for (size_t i = 0; i < count && st == TS_OK; i++) {
        const char *text = texts[i] ? texts[i] : "";
        size_t len = texts[i] ? lengths[i] : 0;
        char *fixed = NULL;
        size_t fixed_len = 0, base = 0;
        int is_nul = 0;
        size_t bad = ts_utf8_check(text, len, &is_nul);
        if (bad < len && options->on_invalid != TS_INVALID_REPLACE)
            st = ts_diag_set(diag, is_nul ? TS_ERR_NUL : TS_ERR_UTF8, origin, TS_DIAG_NO_LINE,
                             bad, "%s[%zu]: %s at byte %zu; give valid UTF-8 text, or replace "
                             "invalid input (on_invalid)",
                             origin, i, is_nul ? "a NUL character" : "invalid UTF-8", bad);
        else if (bad < len && (st = ts_utf8_sanitize(text, len, &fixed, &fixed_len)) != TS_OK)
            st = TS_FAIL(diag, st, "%s[%zu]: cannot repair the text", origin, i);
        char *body = fixed ? fixed : (char *)text;
        size_t body_len = fixed ? fixed_len : len;
        if (st == TS_OK)
            st = ts_reader_append(&r, src, &body, body_len, 0, 0, origin, &base);
        if (st == TS_OK)
            st = ts_reader_push(&r, src, base, body_len, origin);
        free(fixed);
    }
    return ts_reader_end(&r, st);
}

ts_status ts_corpus_add_text(ts_corpus *corpus, const char *source_name, const char *text,
                             size_t length, const char *origin,
                             const ts_read_options *options, ts_diag *diag)
{
    ts_read_options defaults;
    options = options_or_defaults(options, &defaults);
    if (!origin)
        origin = TEXT_ORIGIN;
    if (!corpus || !source_name || (!text && length > 0))
        return TS_FAIL(diag, TS_ERR_ARG, "ts_corpus_add_text: no corpus, source or text");
    ts_status st = check_options(options, diag);
    if (st != TS_OK)
        return st;
    /* The source name must be clean text as well. */
    if (!source_name[0])
        return ts_diag_set(diag, TS_ERR_ARG, origin, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: the source name is empty; give the text a source name", origin);
    char *name = NULL;
    size_t name_len = strlen(source_name);
    if (ts_utf8_check(source_name, name_len, NULL) != name_len) {
        if (options->on_invalid != TS_INVALID_REPLACE)
            return ts_diag_set(diag, TS_ERR_UTF8, origin, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                               "%s: the source name is not valid UTF-8; convert it to UTF-8 "
                               "or pass --on-invalid=replace",
                               origin);
        st = ts_utf8_sanitize(source_name, name_len, &name, &name_len);
        if (st != TS_OK)
            return TS_FAIL(diag, st, "%s: cannot repair the source name", origin);
    }
    const char *use_name = name ? name : source_name;

    ts_reader r;
    ts_reader_begin(&r, corpus, options, diag, use_name);
    char *fixed = NULL;
    size_t fixed_len = 0;
    st = ts_reader_check_utf8(&r, text ? text : "", length, origin, 0, 0, NULL, &fixed, &fixed_len);
    if (st != TS_OK) {
        free(name);
        return st;
    }
    char *body = fixed ? fixed : (char *)(text ? text : "");
    size_t body_len = fixed ? fixed_len : length;
    size_t src, base;
    st = ts_reader_source(&r, use_name, 0, origin, &src);
    if (st == TS_OK)
        st = ts_reader_append(&r, src, &body, body_len, 0, 0, origin, &base);
    if (st == TS_OK)
        st = ts_reader_segment(&r, src, base, body_len, origin);
    free(fixed);
    free(name);
    return ts_reader_end(&r, st);
}
