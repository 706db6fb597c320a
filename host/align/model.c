/*
 * model.c - reading a match model and scoring with it (model.h).
 *
 * The file is parsed by json-c in strict mode; every member is checked
 * before any is stored, so a bad file leaves the caller's model as it was.
 * The score and the reasons are plain arithmetic on the evidence of a pair;
 * computing that evidence is features.c's.
 */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/file.h"
#include "base/json.h"
#include "base/resource.h"

static const char *const feature_names[TS_FEATURES] = {
    "word_cosine", "char_cosine", "digits_shared", "digits_disagree"};

#define MODEL_FORMAT "textsim-match-model"
#define MODEL_VERSION 1
#define CHAR_NGRAM_LIMIT 16

static ts_status bad(ts_diag *diag, const char *name, const char *member, const char *what)
{
    return ts_diag_set(diag, TS_ERR_PARSE, name, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                       "%s: match model: \"%s\" %s; write the file with "
                       "scripts/fit_match_model.py or give --match-model none",
                       name, member, what);
}

/* A finite number member. */
static ts_status number(json_object *obj, const char *key, const char *name, double *out,
                        ts_diag *diag)
{
    json_object *m = NULL;
    if (!json_object_object_get_ex(obj, key, &m))
        return bad(diag, name, key, "is missing");
    if (!json_object_is_type(m, json_type_double) && !json_object_is_type(m, json_type_int))
        return bad(diag, name, key, "must be a number");
    *out = json_object_get_double(m);
    if (!isfinite(*out))
        return bad(diag, name, key, "must be finite");
    return TS_OK;
}

static ts_status parse_object(ts_align_model *out, json_object *root, const char *name,
                              ts_diag *diag)
{
    ts_align_model m;
    memset(&m, 0, sizeof m);
    json_object *v = NULL;
    if (!json_object_is_type(root, json_type_object))
        return bad(diag, name, "(top level)", "must be a JSON object");
    if (!json_object_object_get_ex(root, "format", &v) ||
        !json_object_is_type(v, json_type_string) ||
        strcmp(json_object_get_string(v), MODEL_FORMAT) != 0)
        return bad(diag, name, "format", "must be \"" MODEL_FORMAT "\"");
    if (!json_object_object_get_ex(root, "version", &v) || !json_object_is_type(v, json_type_int))
        return bad(diag, name, "version", "must be an integer");
    if (json_object_get_int64(v) != MODEL_VERSION)
        return ts_diag_set(diag, TS_ERR_PARSE, name, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                           "%s: match model: version %lld is not one this textsim reads (%d); "
                           "use the textsim that wrote it, or refit the model",
                           name, (long long)json_object_get_int64(v), MODEL_VERSION);

    if (!json_object_object_get_ex(root, "char_ngram_range", &v) ||
        !json_object_is_type(v, json_type_array) || json_object_array_length(v) != 2)
        return bad(diag, name, "char_ngram_range", "must be an array [min, max]");
    int64_t range[2];
    for (size_t k = 0; k < 2; k++) {
        json_object *e = json_object_array_get_idx(v, k);
        if (!json_object_is_type(e, json_type_int))
            return bad(diag, name, "char_ngram_range", "must hold two integers");
        range[k] = json_object_get_int64(e);
    }
    if (range[0] < 1 || range[0] > range[1] || range[1] > CHAR_NGRAM_LIMIT)
        return bad(diag, name, "char_ngram_range", "must be 1 <= min <= max <= 16");
    m.char_min = (unsigned)range[0];
    m.char_max = (unsigned)range[1];

    if (!json_object_object_get_ex(root, "features", &v) ||
        !json_object_is_type(v, json_type_array))
        return bad(diag, name, "features", "must be an array of {\"name\", \"weight\"}");
    int seen[TS_FEATURES] = {0};
    for (size_t k = 0; k < json_object_array_length(v); k++) {
        json_object *f = json_object_array_get_idx(v, k), *fn = NULL;
        if (!json_object_is_type(f, json_type_object) ||
            !json_object_object_get_ex(f, "name", &fn) || !json_object_is_type(fn, json_type_string))
            return bad(diag, name, "features", "must hold objects with a \"name\" string");
        const char *fname = json_object_get_string(fn);
        int which = -1;
        for (int i = 0; i < TS_FEATURES; i++)
            if (strcmp(fname, feature_names[i]) == 0)
                which = i;
        if (which < 0)
            return ts_diag_set(diag, TS_ERR_PARSE, name, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                               "%s: match model: unknown feature \"%s\" (this textsim computes "
                               "word_cosine, char_cosine, digits_shared, digits_disagree)",
                               name, fname);
        if (seen[which]++)
            return ts_diag_set(diag, TS_ERR_PARSE, name, TS_DIAG_NO_LINE, TS_DIAG_NO_OFFSET,
                               "%s: match model: feature \"%s\" is given twice", name, fname);
        ts_status st = number(f, "weight", name, &m.weight[which], diag);
        if (st != TS_OK)
            return st;
    }
    ts_status st = number(root, "intercept", name, &m.intercept, diag);
    if (st == TS_OK)
        st = number(root, "threshold", name, &m.threshold, diag);
    if (st == TS_OK && !(m.threshold > 0.0 && m.threshold < 1.0))
        st = bad(diag, name, "threshold", "must be a score in (0, 1)");
    if (st == TS_OK)
        *out = m;
    return st;
}

ts_status ts_align_model_parse(ts_align_model *model, const char *text, size_t length,
                               const char *name, ts_diag *diag)
{
    if (length > INT32_MAX)
        return bad(diag, name, "(file)", "is too large for a match model");
    json_object *root = NULL;
    const char *error;
    size_t at;
    ts_status st = ts_json_parse(text, length, &root, &error, &at);
    if (st == TS_ERR_NOMEM)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory reading %s", name);
    if (st != TS_OK)
        st = ts_diag_set(diag, TS_ERR_PARSE, name, TS_DIAG_NO_LINE, at,
                         "%s: match model: not valid JSON at byte %zu (%s)", name, at, error);
    else
        st = parse_object(model, root, name, diag);
    json_object_put(root);
    return st;
}

ts_status ts_align_model_load(ts_align_model *model, const char *path, ts_diag *diag)
{
    if (!path) {
        const ts_resource *r = ts_resource_find(TS_ALIGN_MODEL_BUNDLED);
        if (!r)
            return TS_FAIL(diag, TS_ERR_INTERNAL, "the bundled match model is missing");
        return ts_align_model_parse(model, r->data, r->size, TS_ALIGN_MODEL_BUNDLED, diag);
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    ts_status st = ts_file_read(path, NULL, "the match model",
                                "give a file of scripts/fit_match_model.py, or none", &text, &len,
                                &cap, diag);
    if (st == TS_OK)
        st = ts_align_model_parse(model, text, len, path, diag);
    free(text);
    return st;
}

double ts_align_model_score(const ts_align_model *model, const double x[TS_FEATURES])
{
    double z = model->intercept;
    for (int i = 0; i < TS_FEATURES; i++)
        z += model->weight[i] * x[i];
    return 1.0 / (1.0 + exp(-z));
}

void ts_align_evidence_features(const ts_align_evidence *e, double x[TS_FEATURES])
{
    x[TS_FEATURE_WORD] = e->cosine;
    x[TS_FEATURE_CHAR] = e->char_cosine;
    x[TS_FEATURE_DIGITS_SHARED] = (e->digits & TS_DIGITS_SHARED) ? 1.0 : 0.0;
    x[TS_FEATURE_DIGITS_DISAGREE] = (e->digits & TS_DIGITS_DISAGREE) ? 1.0 : 0.0;
}

void ts_align_model_reasons(const ts_align_model *model, const ts_align_evidence *e, ts_buf *out)
{
    static const char *const words[TS_FEATURES] = {
        "words", "character n-grams", "a digit group in common", "no digit group in common"};
    double x[TS_FEATURES], c[TS_FEATURES];
    int order[TS_FEATURES], n = 0;
    ts_align_evidence_features(e, x);
    for (int i = 0; i < TS_FEATURES; i++) {
        c[i] = model->weight[i] * x[i];
        if (c[i] == 0.0)
            continue;
        int j = n++;
        for (; j > 0 && fabs(c[order[j - 1]]) < fabs(c[i]); j--) /* stable: ties keep order */
            order[j] = order[j - 1];
        order[j] = i;
    }
    for (int k = 0; k < n; k++) {
        int i = order[k];
        if (k)
            ts_buf_puts(out, "; ");
        if (i == TS_FEATURE_WORD || i == TS_FEATURE_CHAR)
            ts_buf_printf(out, "%s %.2f (%+.2f)", words[i], x[i], c[i]);
        else
            ts_buf_printf(out, "%s (%+.2f)", words[i], c[i]);
    }
}

const ts_align_evidence *ts_align_evidence_find(const ts_align_evidence *ev, size_t n,
                                                uint32_t a, uint32_t b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ev[mid].a < a || (ev[mid].a == a && ev[mid].b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ev[lo].a == a && ev[lo].b == b ? &ev[lo] : NULL;
}
