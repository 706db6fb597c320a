/*
 * read_jsonl.c - the JSONL reader (read_jsonl.h).
 *
 * Each non-blank line is one JSON object {"source": "...", "text": "..."},
 * parsed strictly with json-c's tokener; the members are validated as
 * UTF-8 (or repaired), the text appended to its source and segmented.
 */
#include "read_jsonl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/json.h"

#define JSONL_SHAPE "each line must be an object like {\"source\": \"...\", \"text\": \"...\"}"

static ts_status jsonl_error(ts_reader *r, const char *path, uint64_t number, uint64_t offset,
                             const char *what)
{
    return ts_diag_set(r->diag, TS_ERR_PARSE, path, number, offset, "%s:%llu: %s: " JSONL_SHAPE,
                       path, (unsigned long long)number, what);
}


/* The string member `key` of a JSONL record, or an error naming it. */
static ts_status jsonl_member(ts_reader *r, json_object *obj, const char *key, const char *path,
                              uint64_t number, uint64_t offset, const char **value,
                              size_t *length)
{
    json_object *m = NULL;
    char what[128];
    if (!json_object_object_get_ex(obj, key, &m)) {
        snprintf(what, sizeof what, "the record has no \"%s\" member", key);
        return jsonl_error(r, path, number, offset, what);
    }
    if (!json_object_is_type(m, json_type_string)) {
        snprintf(what, sizeof what, "the \"%s\" member is not a string", key);
        return jsonl_error(r, path, number, offset, what);
    }
    *value = json_object_get_string(m);
    *length = (size_t)json_object_get_string_len(m);
    return TS_OK;
}


/* Validated copy (or repair) of a JSON string member, NUL-terminated. */
static ts_status jsonl_clean(ts_reader *r, const char *s, size_t len, const char *path,
                             uint64_t number, uint64_t offset, const char *member, char **out,
                             size_t *out_len)
{
    ts_status st = ts_reader_check_utf8(r, s, len, path, number, offset, member, out, out_len);
    if (st != TS_OK || *out)
        return st;
    *out = malloc(len + 1);
    if (!*out)
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory", path);
    memcpy(*out, s, len);
    (*out)[len] = '\0';
    *out_len = len;
    return TS_OK;
}


static ts_status jsonl_record(ts_reader *r, json_object *obj, const char *path, uint64_t owner,
                              uint64_t number, uint64_t offset)
{
    if (!json_object_is_type(obj, json_type_object))
        return jsonl_error(r, path, number, offset, "the record is not a JSON object");
    const char *name, *text;
    size_t name_len, text_len;
    ts_status st = jsonl_member(r, obj, "source", path, number, offset, &name, &name_len);
    if (st == TS_OK)
        st = jsonl_member(r, obj, "text", path, number, offset, &text, &text_len);
    if (st != TS_OK)
        return st;
    if (name_len == 0)
        return jsonl_error(r, path, number, offset, "the \"source\" member is empty");
    char *clean_name = NULL, *clean_text = NULL;
    size_t clean_name_len, clean_text_len;
    st = jsonl_clean(r, name, name_len, path, number, offset, "source", &clean_name,
                     &clean_name_len);
    if (st == TS_OK)
        st = jsonl_clean(r, text, text_len, path, number, offset, "text", &clean_text,
                         &clean_text_len);
    size_t src, base;
    if (st == TS_OK)
        st = ts_reader_source(r, clean_name, owner, path, &src);
    if (st == TS_OK)
        st = ts_reader_append(r, src, &clean_text, clean_text_len, 0, 0, path, &base);
    if (st == TS_OK)
        st = ts_reader_segment(r, src, base, clean_text_len, path);
    free(clean_name);
    free(clean_text);
    return st;
}


static ts_status jsonl_line(ts_reader *r, const char *path, uint64_t owner, const char *line,
                            size_t length, uint64_t number, uint64_t offset)
{
    if (length > (size_t)INT32_MAX)
        return ts_diag_set(r->diag, TS_ERR_TOO_LARGE, path, number, offset,
                           "%s:%llu: a JSONL line of %zu bytes is too long (at most %d); "
                           "split the record",
                           path, (unsigned long long)number, length, (int)INT32_MAX);
    json_object *obj = NULL;
    const char *error;
    size_t end;
    ts_status st = ts_json_parse(line, length, &obj, &error, &end);
    if (st == TS_ERR_NOMEM)
        return TS_FAIL(r->diag, TS_ERR_NOMEM, "%s: out of memory parsing JSON", path);
    char what[256];
    if (st != TS_OK) {
        snprintf(what, sizeof what, "malformed JSON (%s)",
                 strcmp(error, "the text ends inside the value") == 0
                     ? "the line ends inside the object"
                     : error);
        st = jsonl_error(r, path, number, offset, what);
    } else {
        st = jsonl_record(r, obj, path, owner, number, offset);
    }
    json_object_put(obj);
    return st;
}

ts_status ts_read_jsonl(ts_reader *r, const char *buf, size_t len, const char *path)
{
    return ts_reader_lines(r, buf, len, ts_reader_bom(buf, len), path, ts_reader_new_owner(r),
                           jsonl_line);
}
