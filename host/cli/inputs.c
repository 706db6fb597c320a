/*
 * inputs.c - reading the command line's inputs into a corpus, and the
 * outlets' names for its sources: --sources FILE and --source-name KEY=NAME.
 *
 * A sources file is CSV (RFC 4180, parsed by libcsv) with a header naming
 * its columns: `source` (or `file`), `name`, and optionally `url`, `date`
 * and `locale` (or `language`: how the outlet writes numbers, see
 * ts_corpus_set_source_locale).  A key - the source column, or KEY of --source-name - names a
 * source by its name, its input's path, or that path's file name.  Each
 * named source is renamed (ts_corpus_rename_source), so every output and the
 * report carry the outlet's name; --source-name wins over the file.  A key
 * that names no source, a row without a name and two sources given one name
 * are errors that name the file and the record.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/file.h"
#include "cli.h"

enum { COL_KEY, COL_NAME, COL_URL, COL_DATE, COL_LOCALE, NCOLS };

typedef struct row_state {
    char *field[NCOLS];      /* the current record's fields of interest */
    int col[NCOLS];          /* column number of each, -1: absent */
    size_t column, record;   /* within the current record; records done */
    cli_source_info *info;   /* what the rows say, one entry per row */
    int failed;
} row_state;

static const char *const column_names[NCOLS][2] = {
    {"source", "file"}, {"name", NULL}, {"url", NULL}, {"date", NULL}, {"locale", "language"}};

static void on_field(void *data, size_t len, void *user)
{
    row_state *s = user;
    size_t c = s->column++;
    if (s->failed)
        return;
    if (s->record == 0) { /* the header */
        for (int k = 0; k < NCOLS; k++)
            for (int a = 0; a < 2; a++)
                if (column_names[k][a] && strlen(column_names[k][a]) == len &&
                    strncasecmp(data, column_names[k][a], len) == 0 && s->col[k] < 0)
                    s->col[k] = (int)c;
        return;
    }
    for (int k = 0; k < NCOLS; k++)
        if (s->col[k] == (int)c) {
            free(s->field[k]);
            s->field[k] = strndup(data, len);
            if (!s->field[k])
                s->failed = 1;
        }
}

static void on_record(int end, void *user)
{
    (void)end;
    row_state *s = user;
    s->column = 0;
    if (s->record++ == 0 || s->failed)
        return;
    cli_source_info *in = s->info;
    cli_source_row *grown = realloc(in->rows, (in->n + 1) * sizeof *in->rows);
    if (!grown) {
        s->failed = 1;
        return;
    }
    in->rows = grown;
    cli_source_row *r = &in->rows[in->n++];
    r->key = s->field[COL_KEY];
    r->name = s->field[COL_NAME];
    r->url = s->field[COL_URL];
    r->date = s->field[COL_DATE];
    r->locale = s->field[COL_LOCALE];
    r->record = s->record;
    memset(s->field, 0, sizeof s->field);
}

/* Reads FILE into info->rows; 0, or an exit code with the message printed. */
static int read_sources_file(const char *path, cli_source_info *info)
{
    char *data = NULL;
    size_t size = 0, cap = 0;
    ts_diag diag;
    ts_status st = ts_file_read(path, NULL, "the sources file", "give a CSV file with the "
                                "columns source,name[,url,date,locale]", &data, &size, &cap, &diag);
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_INPUT);
    row_state s = {.col = {-1, -1, -1, -1, -1}, .info = info};
    struct csv_parser p;
    int bad = csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0;
    size_t start = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (!bad)
        bad = csv_parse(&p, data + start, size - start, on_field, on_record, &s) !=
                  size - start ||
              csv_fini(&p, on_field, on_record, &s) != 0;
    csv_free(&p);
    free(data);
    for (int k = 0; k < NCOLS; k++)
        free(s.field[k]);
    if (bad || s.failed) {
        fprintf(stderr, "%s: error: %s: %s near record %zu; write it as CSV with a header "
                        "line source,name[,url,date,locale]\n",
                cli_name, path, s.failed ? "out of memory" : "malformed CSV", s.record + 1);
        return CLI_EXIT_INPUT;
    }
    if (s.col[COL_KEY] < 0 || s.col[COL_NAME] < 0) {
        fprintf(stderr, "%s: error: %s: the header needs the columns source (or file) and "
                        "name; it is the first line, e.g. source,name,url,date\n",
                cli_name, path);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

/* The source a key names: its name, its input path, or that path's file
 * name; SIZE_MAX when none. */
static size_t source_of_key(const ts_corpus *corpus, const char *key)
{
    size_t ns = ts_corpus_source_count(corpus);
    for (size_t s = 0; s < ns; s++) {
        const char *origin = ts_corpus_source_origin(corpus, s);
        const char *slash = origin ? strrchr(origin, '/') : NULL;
        if (strcmp(ts_corpus_source_name(corpus, s), key) == 0 ||
            (origin && (strcmp(origin, key) == 0 || strcmp(slash ? slash + 1 : origin, key) == 0)))
            return s;
    }
    return SIZE_MAX;
}

static int apply(ts_corpus *corpus, cli_source_info *info, const cli_source_row *r,
                 const char *where)
{
    if (!r->key || !r->key[0] || !r->name || !r->name[0]) {
        fprintf(stderr, "%s: error: %s: a source and a name are both needed\n", cli_name, where);
        return CLI_EXIT_INPUT;
    }
    size_t s = source_of_key(corpus, r->key);
    if (s == SIZE_MAX) {
        fprintf(stderr, "%s: error: %s: no input is the source \"%s\"; give a source's name, "
                        "its file or the file's path as the inputs name them\n",
                cli_name, where, r->key);
        return CLI_EXIT_INPUT;
    }
    ts_diag diag;
    ts_status st = ts_corpus_rename_source(corpus, s, r->name, &diag);
    if (st == TS_OK && r->locale && r->locale[0])
        st = ts_corpus_set_source_locale(corpus, s, r->locale, &diag);
    if (st != TS_OK) {
        fprintf(stderr, "%s: error: %s: %s\n", cli_name, where, diag.message);
        return CLI_EXIT_INPUT;
    }
    info->url[s] = r->url;
    info->date[s] = r->date;
    return CLI_EXIT_OK;
}

int cli_name_sources(const cli_options *opt, ts_corpus *corpus, cli_source_info *info)
{
    memset(info, 0, sizeof *info);
    size_t ns = ts_corpus_source_count(corpus);
    info->url = calloc(ns ? ns : 1, sizeof *info->url);
    info->date = calloc(ns ? ns : 1, sizeof *info->date);
    if (!info->url || !info->date) {
        fprintf(stderr, "%s: error: out of memory\n", cli_name);
        return CLI_EXIT_FAILURE;
    }
    int code = CLI_EXIT_OK;
    if (opt->sources_file && (code = read_sources_file(opt->sources_file, info)))
        return code;
    char where[4096];
    for (size_t i = 0; i < info->n && !code; i++) {
        snprintf(where, sizeof where, "%s:%zu", opt->sources_file, info->rows[i].record);
        code = apply(corpus, info, &info->rows[i], where);
    }
    for (int i = 0; i < opt->nsource_names && !code; i++) {
        const char *arg = opt->source_names[i], *eq = strchr(arg, '=');
        cli_source_row r = {.key = strndup(arg, (size_t)(eq - arg)), .name = (char *)eq + 1};
        snprintf(where, sizeof where, "--source-name %s", arg);
        if (!r.key) {
            fprintf(stderr, "%s: error: out of memory\n", cli_name);
            return CLI_EXIT_FAILURE;
        }
        code = apply(corpus, info, &r, where);
        free(r.key);
    }
    return code;
}

void cli_source_info_free(cli_source_info *info)
{
    for (size_t i = 0; i < info->n; i++) {
        free(info->rows[i].key);
        free(info->rows[i].name);
        free(info->rows[i].url);
        free(info->rows[i].date);
        free(info->rows[i].locale);
    }
    free(info->rows);
    free(info->url);
    free(info->date);
    memset(info, 0, sizeof *info);
}

int cli_read_corpus(const cli_options *opt, ts_corpus **out, cli_source_info *sources)
{
    *out = NULL;
    ts_diag diag;
    ts_corpus *corpus;
    ts_status st = ts_corpus_create(&corpus);
    if (st != TS_OK)
        return cli_fail(st, NULL, CLI_PHASE_INPUT);
    for (int i = 0; i < opt->ninputs; i++) {
        st = ts_corpus_add_path(corpus, opt->inputs[i], &opt->read, &diag);
        if (st != TS_OK) {
            ts_corpus_free(corpus);
            return cli_fail(st, &diag, CLI_PHASE_INPUT);
        }
    }
    if (ts_corpus_statement_count(corpus) == 0) {
        ts_corpus_free(corpus);
        fprintf(stderr, "textsim: error: the inputs hold no statements (only empty or white-space "
                        "text); check the files and --format\n");
        return CLI_EXIT_INPUT;
    }
    cli_source_info info;
    int code = cli_name_sources(opt, corpus, &info);
    if (code || !sources)
        cli_source_info_free(&info);
    if (code) {
        ts_corpus_free(corpus);
        return code;
    }
    if (sources)
        *sources = info;
    *out = corpus;
    return CLI_EXIT_OK;
}
