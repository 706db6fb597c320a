/*
 * format.c - the index file (docs/FORMAT.md): save it atomically, open it
 * by mapping it.
 *
 * A 64-byte header (magic, version, byte order, counts, checksums), a
 * table of sections (tag, offset, size, XXH3-64 checksum) and the
 * sections, each starting on a 64-byte boundary so that the typed arrays
 * can be used in place: the model's options as JSON, its terms, term
 * offsets, IDF and name factors, the rows (CSR: row offsets, columns,
 * float weights, and double weights when kept), their posting lists (the
 * rows transposed, which a search scatters: built once here instead of at
 * every search), the sources' names and the statements (fixed records and
 * a text blob).  Numbers are in the
 * writer's byte order, which the header records; a reader on the other
 * order refuses the file rather than swap it.
 *
 * Saving writes a temporary file beside the target (ts_index_temp_name),
 * syncs it and renames it over the target, so a reader sees the old file
 * or the new one, never a part.  Opening maps the file read-only and
 * checks, before anything reads an array, every bound, every checksum, that
 * the padding is zero (so that no byte of the file goes unchecked) and then
 * the structure the library relies on (offsets monotone and inside
 * their blobs, columns ascending and below the column count, strings
 * NUL-terminated, statements' sources known): a corrupted file is an
 * error naming the file and the section, never a read past the mapping.
 * XXH3 (libxxhash) because the checksums are read at every open, over
 * the whole file: it runs at memory speed where a CRC-32 would not.
 */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "base/diag.h"
#include "base/json.h"
#include "base/utf8.h"
#include "format.h"
#include "index_internal.h"
#include "text/tfidf_internal.h"
#include "text/tokenize.h"

#define MAGIC "\x89TSIDX\r\n"
#define VERSION 1u
#define BYTE_ORDER_MARK 0x01020304u
#define HEADER_SIZE 64u
#define ENTRY_SIZE 32u
#define ALIGN 64u
#define MAX_SECTIONS 32u

/* The header, as it lies at offset 0 (64 bytes, no padding). */
typedef struct file_header {
    char magic[8];
    uint32_t version;
    uint32_t byte_order;  /* BYTE_ORDER_MARK in the writer's order */
    uint32_t sections;
    uint32_t header_size; /* HEADER_SIZE */
    uint64_t file_size;
    uint64_t statements;
    uint64_t sources;
    uint64_t table_checksum;  /* XXH3-64 of the section table */
    uint64_t header_checksum; /* XXH3-64 of the 56 bytes before it */
} file_header;

typedef struct file_entry {
    char tag[8]; /* NUL-padded */
    uint64_t offset, size, checksum;
} file_entry;

_Static_assert(sizeof(file_header) == HEADER_SIZE, "index header layout");
_Static_assert(sizeof(file_entry) == ENTRY_SIZE, "index section entry layout");
_Static_assert(sizeof(ts_index_record) == 32, "index statement record layout");

/* The sections, in file order; optional ones may be absent. */
enum {
    SEC_OPTIONS, SEC_STOPLIST, SEC_TERMS, SEC_TERMOFF, SEC_IDF, SEC_FACTOR, SEC_ROWPTR,
    SEC_COLIDX, SEC_VALUES, SEC_VALUES64, SEC_POSTPTR, SEC_POSTROW, SEC_POSTVAL, SEC_SOURCES,
    SEC_SRCOFF, SEC_RECORDS, SEC_TEXT, SEC_COUNT
};
static const struct {
    const char *tag;
    int optional;
} section_info[SEC_COUNT] = {
    [SEC_OPTIONS] = {"OPTIONS", 0},  [SEC_STOPLIST] = {"STOPLIST", 1},
    [SEC_TERMS] = {"TERMS", 0},      [SEC_TERMOFF] = {"TERMOFF", 0},
    [SEC_IDF] = {"IDF", 0},          [SEC_FACTOR] = {"FACTOR", 0},
    [SEC_ROWPTR] = {"ROWPTR", 0},    [SEC_COLIDX] = {"COLIDX", 0},
    [SEC_VALUES] = {"VALUES", 0},    [SEC_VALUES64] = {"VALUES64", 1},
    [SEC_POSTPTR] = {"POSTPTR", 0},  [SEC_POSTROW] = {"POSTROW", 0},
    [SEC_POSTVAL] = {"POSTVAL", 0},
    [SEC_SOURCES] = {"SOURCES", 0},  [SEC_SRCOFF] = {"SRCOFF", 0},
    [SEC_RECORDS] = {"RECORDS", 0},  [SEC_TEXT] = {"TEXT", 0},
};

static ts_status nomem(ts_diag *diag)
{
    return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory while handling the index");
}

/* ---------------------------------------------------------------- options */

static const char *const case_names[] = {"none", "lower", "fold"};
static const char *const analyzer_names[] = {"word", "char_wb", "char"};
static const char *const token_names[] = {"sklearn", "unicode-words"};
static const char *const accent_names[] = {"none", "ascii", "unicode"};
static const char *const norm_names[] = {"none", "l2", "l1"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void add_string(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}

/* Doubles as %.17g, which strtod reads back to the same bits. */
static void add_double(json_object *o, const char *key, double v)
{
    char s[32];
    snprintf(s, sizeof s, "%.17g", v);
    json_object_object_add(o, key, json_object_new_double_s(v, s));
}

static char *options_json(const ts_vectorizer_options *o, size_t *len)
{
    json_object *j = json_object_new_object();
    if (!j)
        return NULL;
    add_string(j, "lowercase", case_names[o->lowercase]);
    add_string(j, "analyzer", analyzer_names[o->analyzer]);
    add_string(j, "tokenizer", token_names[o->tokens]);
    add_string(j, "token_pattern", o->token_pattern);
    add_string(j, "strip_accents", accent_names[o->strip_accents]);
    json_object_object_add(j, "ngram_min", json_object_new_int64(o->ngram_min));
    json_object_object_add(j, "ngram_max", json_object_new_int64(o->ngram_max));
    add_string(j, "stop_words", o->stop_words);
    add_string(j, "stem", o->stem);
    add_double(j, "min_df", o->min_df);
    json_object_object_add(j, "min_df_is_fraction", json_object_new_boolean(o->min_df_is_fraction));
    add_double(j, "max_df", o->max_df);
    json_object_object_add(j, "max_df_is_fraction", json_object_new_boolean(o->max_df_is_fraction));
    json_object_object_add(j, "max_features", json_object_new_int64((int64_t)o->max_features));
    json_object_object_add(j, "use_idf", json_object_new_boolean(o->use_idf));
    json_object_object_add(j, "smooth_idf", json_object_new_boolean(o->smooth_idf));
    json_object_object_add(j, "sublinear_tf", json_object_new_boolean(o->sublinear_tf));
    json_object_object_add(j, "binary", json_object_new_boolean(o->binary));
    add_string(j, "norm", norm_names[o->norm]);
    json_object_object_add(j, "double_weights", json_object_new_boolean(o->double_weights));
    add_double(j, "name_weight", o->name_weight);
    size_t n = 0;
    const char *s = json_object_to_json_string_length(j, JSON_C_TO_STRING_PLAIN, &n);
    char *copy = s ? malloc(n + 1) : NULL;
    if (copy) {
        memcpy(copy, s, n + 1);
        *len = n;
    }
    json_object_put(j);
    return copy;
}

/* The reading side: every key present with its type; strings are kept in
 * the JSON object, which the caller frees after the model copied them. */
typedef struct options_reader {
    json_object *root;
    const char *path;
    const char *bad; /* the first key missing or of the wrong type */
} options_reader;

static json_object *get(options_reader *r, const char *key, json_type type, int nullable)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(r->root, key, &v) ||
        (v ? json_object_get_type(v) != type && !(type == json_type_double &&
                                                  json_object_get_type(v) == json_type_int)
           : !nullable)) {
        if (!r->bad)
            r->bad = key;
        return NULL;
    }
    return v;
}

static const char *get_string(options_reader *r, const char *key)
{
    json_object *v = get(r, key, json_type_string, 1);
    return v ? json_object_get_string(v) : NULL;
}

static int get_choice(options_reader *r, const char *key, const char *const *names, size_t n)
{
    json_object *v = get(r, key, json_type_string, 0);
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(json_object_get_string(v), names[i]) == 0)
            return (int)i;
    if (!r->bad)
        r->bad = key;
    return 0;
}

static int64_t get_int(options_reader *r, const char *key, int64_t lo, int64_t hi)
{
    json_object *v = get(r, key, json_type_int, 0);
    int64_t x = v ? json_object_get_int64(v) : lo;
    if (x < lo || x > hi) {
        if (!r->bad)
            r->bad = key;
        return lo;
    }
    return x;
}

static int get_bool(options_reader *r, const char *key)
{
    json_object *v = get(r, key, json_type_boolean, 0);
    return v ? json_object_get_boolean(v) : 0;
}

static double get_double(options_reader *r, const char *key)
{
    json_object *v = get(r, key, json_type_double, 0);
    return v ? json_object_get_double(v) : 0.0;
}

static ts_status read_options(const char *path, const char *text, size_t len,
                              ts_vectorizer_options *o, json_object **root, ts_diag *diag)
{
    const char *error = NULL;
    size_t at = 0;
    ts_status st = len > INT32_MAX ? TS_ERR_PARSE : ts_json_parse(text, len, root, &error, &at);
    if (st == TS_ERR_NOMEM)
        return nomem(diag);
    if (st != TS_OK || json_object_get_type(*root) != json_type_object)
        return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: section OPTIONS is not a JSON object (%s); the index is "
                           "damaged: build it again",
                           path, error ? error : "another value");
    options_reader r = {*root, path, NULL};
    ts_vectorizer_options_init(o);
    o->lowercase = (ts_case)get_choice(&r, "lowercase", case_names, COUNT(case_names));
    o->analyzer = (ts_analyzer)get_choice(&r, "analyzer", analyzer_names, COUNT(analyzer_names));
    o->tokens = (ts_token_rule)get_choice(&r, "tokenizer", token_names, COUNT(token_names));
    o->token_pattern = get_string(&r, "token_pattern");
    o->strip_accents = (ts_accents)get_choice(&r, "strip_accents", accent_names,
                                              COUNT(accent_names));
    o->ngram_min = (unsigned)get_int(&r, "ngram_min", 1, UINT32_MAX);
    o->ngram_max = (unsigned)get_int(&r, "ngram_max", 1, UINT32_MAX);
    o->stop_words = get_string(&r, "stop_words");
    o->stem = get_string(&r, "stem");
    o->min_df = get_double(&r, "min_df");
    o->min_df_is_fraction = get_bool(&r, "min_df_is_fraction");
    o->max_df = get_double(&r, "max_df");
    o->max_df_is_fraction = get_bool(&r, "max_df_is_fraction");
    o->max_features = (size_t)get_int(&r, "max_features", 0, INT64_MAX);
    o->use_idf = get_bool(&r, "use_idf");
    o->smooth_idf = get_bool(&r, "smooth_idf");
    o->sublinear_tf = get_bool(&r, "sublinear_tf");
    o->binary = get_bool(&r, "binary");
    o->norm = (ts_norm)get_choice(&r, "norm", norm_names, COUNT(norm_names));
    o->double_weights = get_bool(&r, "double_weights");
    o->name_weight = get_double(&r, "name_weight");
    if (!r.bad && o->ngram_min > o->ngram_max)
        r.bad = "ngram_min";
    if (r.bad)
        return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: section OPTIONS: \"%s\" is missing or invalid; the index is "
                           "damaged: build it again",
                           path, r.bad);
    return TS_OK;
}

/* ------------------------------------------------------------------ save */

typedef struct section {
    const void *data;
    uint64_t size;
} section;

int ts_index_temp_name(char *buf, size_t size, const char *path)
{
    int n = snprintf(buf, size, "%s.tmp%ld", path, (long)getpid());
    return n > 0 && (size_t)n < size;
}

static ts_status io_error(ts_diag *diag, const char *path, const char *what)
{
    int e = errno;
    return ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                       "%s: cannot %s: %s; check the path, the permissions and the free space",
                       path, what, strerror(e));
}

static int write_all(int fd, const void *data, size_t n)
{
    const char *p = data;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return 0;
        p += k;
        n -= (size_t)k;
    }
    return 1;
}

/* n zero bytes (padding: between sections less than ALIGN, but before
 * the first one up to the unused part of the table's room). */
static int write_zeros(int fd, uint64_t n)
{
    static const char zeros[ALIGN];
    int ok = 1;
    for (; ok && n > 0; n -= n < ALIGN ? n : ALIGN)
        ok = write_all(fd, zeros, n < ALIGN ? n : ALIGN);
    return ok;
}

static uint64_t align_up(uint64_t x) { return (x + ALIGN - 1) / ALIGN * ALIGN; }

static ts_status write_file(int fd, const ts_index *index, const section *sec, const char *path,
                            ts_diag *diag)
{
    file_entry table[SEC_COUNT];
    const section *listed[SEC_COUNT]; /* table[i]'s section */
    uint32_t n = 0;
    uint64_t at = align_up(HEADER_SIZE + (uint64_t)SEC_COUNT * ENTRY_SIZE);
    memset(table, 0, sizeof table);
    for (int s = 0; s < SEC_COUNT; s++) {
        if (!sec[s].data && section_info[s].optional)
            continue;
        listed[n] = &sec[s];
        file_entry *e = &table[n++];
        strncpy(e->tag, section_info[s].tag, sizeof e->tag);
        e->offset = at;
        e->size = sec[s].size;
        e->checksum = XXH3_64bits(sec[s].data, sec[s].size);
        at = align_up(at + sec[s].size);
    }
    file_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    h.version = VERSION;
    h.byte_order = BYTE_ORDER_MARK;
    h.sections = n;
    h.header_size = HEADER_SIZE;
    h.file_size = at;
    h.statements = index->statements;
    h.sources = index->sources;
    h.table_checksum = XXH3_64bits(table, n * ENTRY_SIZE);
    h.header_checksum = XXH3_64bits(&h, offsetof(file_header, header_checksum));
    uint64_t pos = HEADER_SIZE + (uint64_t)n * ENTRY_SIZE;
    int ok = write_all(fd, &h, sizeof h) && write_all(fd, table, n * ENTRY_SIZE);
    for (uint32_t i = 0; ok && i < n; i++) {
        ok = write_zeros(fd, table[i].offset - pos) &&
             write_all(fd, listed[i]->data, listed[i]->size);
        pos = table[i].offset + listed[i]->size;
    }
    if (ok)
        ok = write_zeros(fd, at - pos);
    if (!ok)
        return io_error(diag, path, "write the index");
    return TS_OK;
}

ts_status ts_index_save(const ts_index *index, const char *path, ts_diag *diag)
{
    if (!index || !path)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_index_save: NULL argument");
    ts_tfidf_parts p;
    ts_tfidf_get_parts(index->model, &p);
    size_t json_len = 0;
    char *json = options_json(&p.opt, &json_len);
    uint64_t *term_off = malloc((p.csr.cols ? p.csr.cols : 1) * sizeof *term_off);
    if (!json || !term_off) {
        free(json);
        free(term_off);
        return nomem(diag);
    }
    for (size_t c = 0; c < p.csr.cols; c++)
        term_off[c] = p.term_off[c];
    uint64_t cols = p.csr.cols, rows = p.csr.rows, nnz = p.csr.ptr[p.csr.rows];
    ts_csr own_t = {0}; /* the posting lists, when the model has none of its own */
    const ts_csr *t = p.postings.ptr ? &p.postings : &own_t;
    ts_status st = p.postings.ptr ? TS_OK : ts_csr_transpose(&p.csr, &own_t, diag);
    if (st != TS_OK) {
        free(json);
        free(term_off);
        return st;
    }
    section sec[SEC_COUNT] = {
        [SEC_OPTIONS] = {json, json_len},
        [SEC_STOPLIST] = {p.stop_list, p.stop_size},
        [SEC_TERMS] = {p.terms ? p.terms : "", p.terms_size},
        [SEC_TERMOFF] = {term_off, cols * 8},
        [SEC_IDF] = {p.idf, cols * 8},
        [SEC_FACTOR] = {p.factor, cols * 4},
        [SEC_ROWPTR] = {p.csr.ptr, (rows + 1) * 4},
        [SEC_COLIDX] = {p.csr.idx, nnz * 4},
        [SEC_VALUES] = {p.csr.val, nnz * 4},
        [SEC_VALUES64] = {p.val64, nnz * 8},
        [SEC_POSTPTR] = {t->ptr, (cols + 1) * 4},
        [SEC_POSTROW] = {t->idx, nnz * 4},
        [SEC_POSTVAL] = {t->val, nnz * 4},
        [SEC_SOURCES] = {index->names, index->names_size},
        [SEC_SRCOFF] = {index->name_off, (uint64_t)index->sources * 8},
        [SEC_RECORDS] = {index->records, (uint64_t)index->statements * sizeof(ts_index_record)},
        [SEC_TEXT] = {index->text, index->text_size},
    };
    char temp[4096];
    int fd = -1;
    if (!ts_index_temp_name(temp, sizeof temp, path)) {
        st = ts_diag_set(diag, TS_ERR_IO, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                         "%s: the path is too long", path);
    } else {
        fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd < 0)
            st = io_error(diag, path, "create a file beside it");
    }
    if (st == TS_OK)
        st = write_file(fd, index, sec, path, diag);
    if (st == TS_OK && fsync(fd) != 0)
        st = io_error(diag, path, "sync the index to disk");
    if (fd >= 0 && close(fd) != 0 && st == TS_OK)
        st = io_error(diag, path, "close the index");
    if (st == TS_OK && rename(temp, path) != 0)
        st = io_error(diag, path, "rename the finished index into place");
    if (st != TS_OK && fd >= 0)
        unlink(temp);
    free(json);
    free(term_off);
    ts_csr_release(&own_t);
    return st;
}

/* ------------------------------------------------------------------ open */

static ts_status bad(ts_diag *diag, const char *path, const char *where, const char *fmt,
                     uint64_t a, uint64_t b)
{
    char what[256];
    snprintf(what, sizeof what, fmt, (unsigned long long)a, (unsigned long long)b);
    return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                       "%s: section %s: %s; the index is damaged: build it again "
                       "(textsim index build)",
                       path, where, what);
}

/* Offsets off[0..n) of NUL-terminated strings packed in blob[0..size):
 * the first at 0, each next one right after the previous one's NUL. */
static int packed_strings(const char *blob, uint64_t size, const uint64_t *off, uint64_t n)
{
    if (n == 0)
        return size == 0;
    if (off[0] != 0 || size == 0 || blob[size - 1] != '\0')
        return 0;
    for (uint64_t i = 1; i < n; i++)
        if (off[i] <= off[i - 1] || off[i] >= size || blob[off[i] - 1] != '\0')
            return 0;
    /* The last string ends at the blob's end, and no string holds a NUL. */
    return memchr(blob + off[n - 1], '\0', size - off[n - 1]) == blob + size - 1;
}

typedef struct mapped {
    const char *data;
    uint64_t size;
    const char *path;
    const file_entry *sec[SEC_COUNT];
} mapped;

/* Whether p[0 .. n) is all zero bytes (the padding between sections: the
 * checksums do not cover it, this does). */
static int zeros(const char *p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static ts_status check_header(mapped *m, const file_header *h, ts_diag *diag)
{
    const char *path = m->path;
    if (m->size < HEADER_SIZE || memcmp(m->data, MAGIC, 8) != 0)
        return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: not a textsim index (no index header); give a file written "
                           "by textsim index build",
                           path);
    if (h->byte_order != BYTE_ORDER_MARK)
        return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: header: the index was written on a machine of another byte "
                           "order (mark 0x%08x); build it again on this machine",
                           path, (unsigned)h->byte_order);
    if (h->version != VERSION)
        return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: header: format version %u; this textsim reads version %u: "
                           "build the index again with this version",
                           path, (unsigned)h->version, VERSION);
    if (h->header_checksum != XXH3_64bits(h, offsetof(file_header, header_checksum)))
        return bad(diag, path, "header", "checksum mismatch", 0, 0);
    if (h->file_size != m->size)
        return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: header: the file has %llu bytes where the index wrote %llu "
                           "(truncated or appended to); copy it again or build it again",
                           path, (unsigned long long)m->size, (unsigned long long)h->file_size);
    if (h->header_size != HEADER_SIZE || h->sections == 0 || h->sections > MAX_SECTIONS ||
        HEADER_SIZE + (uint64_t)h->sections * ENTRY_SIZE > m->size)
        return bad(diag, path, "header", "%llu sections do not fit the file", h->sections, 0);
    const file_entry *table = (const file_entry *)(m->data + HEADER_SIZE);
    if (h->table_checksum != XXH3_64bits(table, (size_t)h->sections * ENTRY_SIZE))
        return bad(diag, path, "table", "checksum mismatch", 0, 0);
    uint64_t end = HEADER_SIZE + (uint64_t)h->sections * ENTRY_SIZE; /* of what came before */
    for (uint32_t i = 0; i < h->sections; i++) {
        const file_entry *e = &table[i];
        char tag[9];
        memcpy(tag, e->tag, 8);
        tag[8] = '\0';
        int s = 0;
        while (s < SEC_COUNT && strcmp(tag, section_info[s].tag) != 0)
            s++;
        if (s == SEC_COUNT)
            return bad(diag, path, "table", "entry %llu has an unknown tag", i, 0);
        if (m->sec[s])
            return bad(diag, path, section_info[s].tag, "listed twice", 0, 0);
        if (e->offset % ALIGN || e->offset > m->size || e->size > m->size - e->offset)
            return bad(diag, path, section_info[s].tag,
                       "offset %llu and size %llu lie outside the file", e->offset, e->size);
        if (e->offset < end)
            return bad(diag, path, section_info[s].tag,
                       "starts at %llu, inside what comes before it (up to %llu)", e->offset, end);
        if (!zeros(m->data + end, e->offset - end))
            return bad(diag, path, section_info[s].tag,
                       "the padding before it (from byte %llu) is not zero", end, 0);
        if (e->checksum != XXH3_64bits(m->data + e->offset, e->size))
            return bad(diag, path, section_info[s].tag, "checksum mismatch", 0, 0);
        m->sec[s] = e;
        end = e->offset + e->size;
    }
    if (!zeros(m->data + end, m->size - end))
        return bad(diag, path, "end", "the padding after the last section (from byte %llu) is "
                   "not zero", end, 0);
    for (int s = 0; s < SEC_COUNT; s++)
        if (!m->sec[s] && !section_info[s].optional)
            return bad(diag, path, section_info[s].tag, "missing", 0, 0);
    return TS_OK;
}

static const void *at(const mapped *m, int s) { return m->data + m->sec[s]->offset; }
static uint64_t size_of(const mapped *m, int s) { return m->sec[s] ? m->sec[s]->size : 0; }

/* The model's arrays: sizes agree, and the CSR is what ts_csr promises. */
static ts_status check_model(const mapped *m, const file_header *h, ts_tfidf_parts *p,
                             ts_diag *diag)
{
    const char *path = m->path;
    uint64_t cols = size_of(m, SEC_TERMOFF) / 8;
    if (size_of(m, SEC_TERMOFF) % 8 || size_of(m, SEC_IDF) != cols * 8 ||
        size_of(m, SEC_FACTOR) != cols * 4 || cols > UINT32_MAX)
        return bad(diag, path, "TERMOFF", "%llu terms, but IDF or FACTOR holds another count",
                   cols, 0);
    const uint64_t *term_off = at(m, SEC_TERMOFF);
    if (!packed_strings(at(m, SEC_TERMS), size_of(m, SEC_TERMS), term_off, cols))
        return bad(diag, path, "TERMS", "the terms are not %llu strings as TERMOFF says", cols, 0);
    uint64_t rows = size_of(m, SEC_ROWPTR) / 4;
    if (size_of(m, SEC_ROWPTR) % 4 || rows == 0 || rows - 1 != h->statements ||
        rows > UINT32_MAX)
        return bad(diag, path, "ROWPTR", "%llu row offsets for %llu statements", rows,
                   h->statements);
    rows--;
    uint64_t nnz = size_of(m, SEC_COLIDX) / 4;
    if (size_of(m, SEC_COLIDX) % 4 || size_of(m, SEC_VALUES) != nnz * 4 || nnz > UINT32_MAX ||
        (m->sec[SEC_VALUES64] && size_of(m, SEC_VALUES64) != nnz * 8))
        return bad(diag, path, "COLIDX", "%llu columns, but VALUES holds another count", nnz, 0);
    const uint32_t *ptr = at(m, SEC_ROWPTR), *idx = at(m, SEC_COLIDX);
    if (ptr[0] != 0 || ptr[rows] != nnz)
        return bad(diag, path, "ROWPTR", "row offsets run from %llu to %llu", ptr[0], ptr[rows]);
    for (uint64_t r = 0; r < rows; r++) {
        if (ptr[r + 1] < ptr[r] || ptr[r + 1] > nnz)
            return bad(diag, path, "ROWPTR", "row %llu ends at %llu, before it starts", r,
                       ptr[r + 1]);
        for (uint32_t k = ptr[r]; k < ptr[r + 1]; k++)
            if (idx[k] >= cols || (k > ptr[r] && idx[k] <= idx[k - 1]))
                return bad(diag, path, "COLIDX",
                           "row %llu has column %llu out of order or out of range", r, idx[k]);
    }
    p->csr.rows = (uint32_t)rows;
    p->csr.cols = (uint32_t)cols;
    p->csr.ptr = (uint32_t *)ptr;
    p->csr.idx = (uint32_t *)idx;
    p->csr.val = (float *)at(m, SEC_VALUES);
    p->terms = at(m, SEC_TERMS);
    p->terms_size = size_of(m, SEC_TERMS);
    p->idf = at(m, SEC_IDF);
    p->factor = at(m, SEC_FACTOR);
    p->val64 = m->sec[SEC_VALUES64] ? at(m, SEC_VALUES64) : NULL;
    if (m->sec[SEC_STOPLIST]) {
        p->stop_list = at(m, SEC_STOPLIST);
        p->stop_size = size_of(m, SEC_STOPLIST);
    }
    return TS_OK;
}

/* The posting lists: the sizes the rows give, each term's list strictly
 * ascending over statements that exist and as long as the term's count in
 * COLIDX (so that a list scattered on the device never reads outside its
 * buffers).  That the lists hold the rows' very values is not checked (it
 * would cost a transpose): a forged file whose checksums were made right
 * again can give wrong scores, never a read outside the mapping. */
static ts_status check_postings(const mapped *m, ts_tfidf_parts *p, ts_diag *diag)
{
    const char *path = m->path;
    uint64_t cols = p->csr.cols, rows = p->csr.rows, nnz = ts_csr_nnz(&p->csr);
    if (size_of(m, SEC_POSTPTR) != (cols + 1) * 4)
        return bad(diag, path, "POSTPTR", "%llu bytes for %llu terms", size_of(m, SEC_POSTPTR),
                   cols);
    if (size_of(m, SEC_POSTROW) != nnz * 4 || size_of(m, SEC_POSTVAL) != nnz * 4)
        return bad(diag, path, "POSTROW", "the lists do not hold the %llu non-zeros of the "
                   "rows (POSTVAL: %llu bytes)", nnz, size_of(m, SEC_POSTVAL));
    const uint32_t *ptr = at(m, SEC_POSTPTR), *row = at(m, SEC_POSTROW);
    uint32_t *df = calloc(cols + 1, sizeof *df);
    if (!df)
        return nomem(diag);
    for (uint64_t k = 0; k < nnz; k++)
        df[p->csr.idx[k]]++; /* check_model checked the columns */
    ts_status st = TS_OK;
    if (ptr[0] != 0)
        st = bad(diag, path, "POSTPTR", "the lists start at %llu, not 0", ptr[0], 0);
    for (uint64_t t = 0; st == TS_OK && t < cols; t++) {
        if (ptr[t + 1] < ptr[t] || ptr[t + 1] - ptr[t] != df[t]) {
            st = bad(diag, path, "POSTPTR", "term %llu's list does not hold its %llu statements",
                     t, df[t]);
            break;
        }
        for (uint32_t k = ptr[t]; k < ptr[t + 1]; k++)
            if (row[k] >= rows || (k > ptr[t] && row[k] <= row[k - 1])) {
                st = bad(diag, path, "POSTROW",
                         "term %llu's list has statement %llu out of order or out of range", t,
                         row[k]);
                break;
            }
    }
    free(df);
    if (st == TS_OK)
        p->postings = (ts_csr){(uint32_t)cols, (uint32_t)rows, (uint32_t *)ptr, (uint32_t *)row,
                               (float *)at(m, SEC_POSTVAL)};
    return st;
}

/* The archive's statements: records inside the text, sources known. */
static ts_status check_archive(const mapped *m, const file_header *h, ts_index *index,
                               ts_diag *diag)
{
    const char *path = m->path;
    uint64_t nsrc = size_of(m, SEC_SRCOFF) / 8;
    if (size_of(m, SEC_SRCOFF) % 8 || nsrc != h->sources)
        return bad(diag, path, "SRCOFF", "%llu source offsets for %llu sources", nsrc, h->sources);
    const char *names = at(m, SEC_SOURCES);
    uint64_t names_size = size_of(m, SEC_SOURCES);
    const uint64_t *name_off = at(m, SEC_SRCOFF);
    int ok = packed_strings(names, names_size, name_off, nsrc), is_nul;
    for (uint64_t s = 0; ok && s < nsrc; s++) {
        size_t len = strlen(names + name_off[s]);
        ok = len > 0 && ts_utf8_check(names + name_off[s], len, &is_nul) == len;
    }
    if (!ok)
        return bad(diag, path, "SOURCES", "the names are not %llu UTF-8 strings", nsrc, 0);
    if (size_of(m, SEC_RECORDS) != h->statements * sizeof(ts_index_record))
        return bad(diag, path, "RECORDS", "%llu bytes for %llu statements",
                   size_of(m, SEC_RECORDS), h->statements);
    const ts_index_record *rec = at(m, SEC_RECORDS);
    uint64_t text_size = size_of(m, SEC_TEXT);
    for (uint64_t i = 0; i < h->statements; i++) {
        const ts_index_record *r = &rec[i];
        if (r->source >= nsrc || r->index == 0 || r->text_off > text_size ||
            r->length > text_size - r->text_off)
            return bad(diag, path, "RECORDS", "statement %llu points outside the text or the "
                       "sources (record %llu)", i + 1, i);
    }
    index->records = rec;
    index->statements = h->statements;
    index->sources = nsrc;
    index->text = at(m, SEC_TEXT);
    index->text_size = text_size;
    index->names = names;
    index->names_size = names_size;
    index->name_off = name_off;
    return TS_OK;
}

ts_status ts_index_parse(ts_index **out, const void *data, size_t size, const char *path,
                         ts_diag *diag)
{
    *out = NULL;
    mapped m = {data, size, path, {0}};
    file_header h;
    if (size >= HEADER_SIZE)
        memcpy(&h, data, sizeof h);
    ts_status st = check_header(&m, &h, diag);
    ts_index *index = NULL;
    json_object *root = NULL;
    ts_tfidf_parts p;
    memset(&p, 0, sizeof p);
    if (st == TS_OK && (uintptr_t)data % ALIGN)
        st = TS_FAIL(diag, TS_ERR_ARG, "ts_index_parse: the data must be 64-byte aligned");
    if (st == TS_OK)
        st = read_options(path, at(&m, SEC_OPTIONS), size_of(&m, SEC_OPTIONS), &p.opt, &root,
                          diag);
    if (st == TS_OK && p.opt.stop_words && p.opt.analyzer == TS_ANALYZER_WORD &&
        !ts_stop_words_builtin(p.opt.stop_words) && !m.sec[SEC_STOPLIST])
        st = bad(diag, path, "STOPLIST", "missing: the options name a stop-word file", 0, 0);
    if (st == TS_OK)
        st = check_model(&m, &h, &p, diag);
    if (st == TS_OK)
        st = check_postings(&m, &p, diag);
    if (st == TS_OK && !(index = calloc(1, sizeof *index)))
        st = nomem(diag);
    if (st == TS_OK)
        st = check_archive(&m, &h, index, diag);
    if (st == TS_OK)
        st = ts_tfidf_view(&index->model, &p, at(&m, SEC_TERMOFF), diag);
    json_object_put(root);
    if (st != TS_OK) {
        ts_index_free(index);
        return st;
    }
    *out = index;
    return TS_OK;
}

uint64_t ts_index_fingerprint(const ts_index *index)
{
    if (!index || !index->map)
        return 0;
    file_header h;
    memcpy(&h, index->map, sizeof h);
    return h.header_checksum;
}

ts_status ts_index_open(ts_index **out, const char *path, ts_diag *diag)
{
    if (!out || !path)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_index_open: NULL argument");
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_error(diag, path, "open the index");
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        ts_status st = io_error(diag, path, "read the index");
        close(fd);
        return st;
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size < (off_t)HEADER_SIZE) {
        close(fd);
        return ts_diag_set(diag, TS_ERR_FORMAT, path, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: not a textsim index (%s); give a file written by textsim "
                           "index build",
                           path, S_ISREG(sb.st_mode) ? "shorter than an index header"
                                                     : "not a regular file");
    }
    size_t size = (size_t)sb.st_size;
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return io_error(diag, path, "map the index into memory");
    ts_index *index;
    ts_status st = ts_index_parse(&index, map, size, path, diag);
    if (st != TS_OK) {
        munmap(map, size);
        return st;
    }
    index->map = map;
    index->map_size = size;
    *out = index;
    return TS_OK;
}
