/*
 * json.c - one JSON value, strictly (json.h).
 */
#include "json.h"

#include "utf8.h"

ts_status ts_json_parse(const char *text, size_t length, json_object **out, const char **error,
                        size_t *at)
{
    *out = NULL;
    *error = "";
    *at = 0;
    struct json_tokener *tok = json_tokener_new();
    if (!tok)
        return TS_ERR_NOMEM;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *obj = json_tokener_parse_ex(tok, text, (int)length);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    *at = end;
    if (!obj || jerr != json_tokener_success) {
        json_object_put(obj);
        *error = jerr == json_tokener_continue ? "the text ends inside the value"
                                               : json_tokener_error_desc(jerr);
        return TS_ERR_PARSE;
    }
    size_t a = end, b = length;
    ts_utf8_trim(text, &a, &b);
    if (a < b) {
        json_object_put(obj);
        *error = "extra text after the JSON value";
        return TS_ERR_PARSE;
    }
    *out = obj;
    return TS_OK;
}
