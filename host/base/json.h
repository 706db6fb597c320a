/*
 * json.h - parsing one JSON value with json-c, strictly (internal).
 *
 * The JSONL reader and the match model's reader both need a whole text to
 * be exactly one JSON value: json-c in strict mode, then nothing but white
 * space after it.  Callers word the message; this says what went wrong and
 * where.
 */
#ifndef TS_JSON_H
#define TS_JSON_H

#include <json-c/json.h>
#include <stddef.h>

#include "textsim.h"

/* Parse text[0 .. length) (length <= INT32_MAX) as one JSON value: TS_OK
 * with *out (free it with json_object_put), or TS_ERR_PARSE with *error a
 * description ("the text ends inside the value", json-c's own, or "extra
 * text after the JSON value") and *at the byte where it was seen, or
 * TS_ERR_NOMEM.  *out is NULL unless TS_OK. */
ts_status ts_json_parse(const char *text, size_t length, json_object **out, const char **error,
                        size_t *at);

#endif
