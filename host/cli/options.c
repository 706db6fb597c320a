/*
 * options.c - command-line options shared by the commands.
 *
 * One getopt_long table covers reading, vectorizing (scikit-learn's
 * TfidfVectorizer option names, dashed), the engine and the output; each
 * command's --help lists what applies to it.  Also the helpers every command
 * uses: error reporting with exit codes, reading the corpus, creating the
 * engine, and atomic outputs that signals clean up.
 */
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "dist.h"
#include "output/outfile.h"
#include "text/segment.h"
#include "text/tokenize.h"

enum {
    OPT_FORMAT = 256, OPT_SEGMENT, OPT_ON_INVALID, OPT_LOCALE, OPT_ANALYZER, OPT_TOKENIZER,
    OPT_LOWERCASE, OPT_NO_LOWERCASE, OPT_NGRAM, OPT_STOP, OPT_STEM, OPT_MIN_DF, OPT_MAX_DF,
    OPT_NO_IDF, OPT_NO_SMOOTH, OPT_SUBLINEAR, OPT_NORM, OPT_BACKEND, OPT_DEVICE, OPT_TILE,
    OPT_MAXMEM, OPT_DEFINES, OPT_PRECISION, OPT_NO_ESCAPE, OPT_STATEMENTS, OPT_THRESHOLD,
    OPT_MATCH, OPT_MIN_TOKENS, OPT_EXCLUDE, OPT_NO_BUILTIN_EXCLUDE, OPT_NO_RESTATEMENTS,
    OPT_MAX_MATRIX, OPT_TOP_TERMS, OPT_NAME_WEIGHT, OPT_NO_SUBLINEAR,
    OPT_TOP_K, OPT_MIN_SCORE, OPT_CROSS_SOURCE, OPT_WITH_TEXT, OPT_PROGRESS, OPT_NO_PROGRESS,
    OPT_TEXT_COLUMN, OPT_SOURCE_COLUMN, OPT_BINARY, OPT_MAX_FEATURES, OPT_VOCABULARY,
    OPT_STRIP_ACCENTS, OPT_TOKEN_PATTERN, OPT_SOURCES, OPT_SOURCE_NAME, OPT_MATCH_MODEL,
    OPT_CANDIDATE_FLOOR, OPT_MAX_RESTATEMENTS, OPT_AGAINST
};

/* Redraws of the progress bar per second, at most. */
#define PROGRESS_HZ 10

static const struct option long_options[] = {
    {"output", required_argument, 0, 'o'},
    {"quiet", no_argument, 0, 'q'},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, 'h'},
    {"format", required_argument, 0, OPT_FORMAT},
    {"segment", required_argument, 0, OPT_SEGMENT},
    {"on-invalid", required_argument, 0, OPT_ON_INVALID},
    {"locale", required_argument, 0, OPT_LOCALE},
    {"text-column", required_argument, 0, OPT_TEXT_COLUMN},
    {"source-column", required_argument, 0, OPT_SOURCE_COLUMN},
    {"sources", required_argument, 0, OPT_SOURCES},
    {"source-name", required_argument, 0, OPT_SOURCE_NAME},
    {"analyzer", required_argument, 0, OPT_ANALYZER},
    {"tokenizer", required_argument, 0, OPT_TOKENIZER},
    {"lowercase", required_argument, 0, OPT_LOWERCASE},
    {"no-lowercase", no_argument, 0, OPT_NO_LOWERCASE},
    {"ngram-range", required_argument, 0, OPT_NGRAM},
    {"stop-words", required_argument, 0, OPT_STOP},
    {"stem", required_argument, 0, OPT_STEM},
    {"min-df", required_argument, 0, OPT_MIN_DF},
    {"max-df", required_argument, 0, OPT_MAX_DF},
    {"no-use-idf", no_argument, 0, OPT_NO_IDF},
    {"no-smooth-idf", no_argument, 0, OPT_NO_SMOOTH},
    {"sublinear-tf", no_argument, 0, OPT_SUBLINEAR},
    {"no-sublinear-tf", no_argument, 0, OPT_NO_SUBLINEAR},
    {"norm", required_argument, 0, OPT_NORM},
    {"binary", no_argument, 0, OPT_BINARY},
    {"strip-accents", required_argument, 0, OPT_STRIP_ACCENTS},
    {"token-pattern", required_argument, 0, OPT_TOKEN_PATTERN},
    {"max-features", required_argument, 0, OPT_MAX_FEATURES},
    {"vocabulary", required_argument, 0, OPT_VOCABULARY},
    {"backend", required_argument, 0, OPT_BACKEND},
    {"device", required_argument, 0, OPT_DEVICE},
    {"tile", required_argument, 0, OPT_TILE},
    {"max-device-memory", required_argument, 0, OPT_MAXMEM},
    {"kernel-defines", required_argument, 0, OPT_DEFINES},
    {"precision", required_argument, 0, OPT_PRECISION},
    {"no-formula-escape", no_argument, 0, OPT_NO_ESCAPE},
    {"statements", required_argument, 0, OPT_STATEMENTS},
    {"threshold", required_argument, 0, OPT_THRESHOLD},
    {"match", required_argument, 0, OPT_MATCH},
    {"min-tokens", required_argument, 0, OPT_MIN_TOKENS},
    {"exclude", required_argument, 0, OPT_EXCLUDE},
    {"no-builtin-exclude", no_argument, 0, OPT_NO_BUILTIN_EXCLUDE},
    {"no-restatements", no_argument, 0, OPT_NO_RESTATEMENTS},
    {"max-restatements", required_argument, 0, OPT_MAX_RESTATEMENTS},
    {"match-model", required_argument, 0, OPT_MATCH_MODEL},
    {"candidate-floor", required_argument, 0, OPT_CANDIDATE_FLOOR},
    {"max-matrix", required_argument, 0, OPT_MAX_MATRIX},
    {"top-terms", required_argument, 0, OPT_TOP_TERMS},
    {"name-weight", required_argument, 0, OPT_NAME_WEIGHT},
    {"top-k", required_argument, 0, OPT_TOP_K},
    {"min-score", required_argument, 0, OPT_MIN_SCORE},
    {"cross-source", no_argument, 0, OPT_CROSS_SOURCE},
    {"against", required_argument, 0, OPT_AGAINST},
    {"with-text", no_argument, 0, OPT_WITH_TEXT},
    {"progress", no_argument, 0, OPT_PROGRESS},
    {"no-progress", no_argument, 0, OPT_NO_PROGRESS},
    {0, 0, 0, 0}};

/* A whole non-negative integer up to max, or -1. */
static long parse_count(const char *s, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    return (errno || end == s || *end || v < 0 || v > max) ? -1 : v;
}

static int usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "textsim %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'textsim %s --help' for the options.\n", command);
    return CLI_EXIT_USAGE;
}

/* A word an option takes, and the value it stands for. */
typedef struct choice {
    const char *name;
    int value;
} choice;

/* The value of the word `value` among choices (ended by a NULL name), or -1
 * after a usage error that lists them all, so the message cannot fall behind
 * the table: "--norm must be l2, l1 or none, not 'x'". */
static int choose(const char *command, const char *option, const char *value,
                  const choice *choices)
{
    size_t n = 0;
    for (; choices[n].name; n++)
        if (strcmp(value, choices[n].name) == 0)
            return choices[n].value;
    char list[256] = "";
    for (size_t i = 0; i < n; i++) {
        size_t at = strlen(list);
        snprintf(list + at, sizeof list - at, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ",
                 choices[i].name);
    }
    usage_error(command, "%s must be %s, not '%s'", option, list, value);
    return -1;
}

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0)
        return 0;
    double mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1024.0; end++; break;
    case 'm': case 'M': mult = 1024.0 * 1024; end++; break;
    case 'g': case 'G': mult = 1024.0 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B')
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    if (*end)
        return 0;
    *out = (uint64_t)(v * mult);
    return 1;
}

/* "2" is a document count, "0.5" or "1.0" a fraction (as int vs float in sklearn). */
static int parse_df(const char *s, double *value, int *is_fraction)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0)
        return 0;
    *is_fraction = strpbrk(s, ".eE") != NULL;
    if (*is_fraction && v > 1.0)
        return 0;
    *value = v;
    return 1;
}

/* ------------------------------------------------------ strict options */

/* A command accepts exactly the options its --help lists: every "--name"
 * on an option line of the help text (a line whose first non-blank is '-';
 * its description may name a twin, "(--no-sublinear-tf: ...)"), and the
 * short options written there ("-o, --output"). */
static int help_lists(const char *help, const char *name, size_t len)
{
    for (const char *line = help; *line;) {
        const char *end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line);
        const char *p = line;
        while (p < end && *p == ' ')
            p++;
        if (p < end && *p == '-')
            for (const char *q = p; (q = strstr(q, "--")) && q < end; q += 2)
                if ((size_t)(end - q) >= len + 2 && strncmp(q + 2, name, len) == 0 &&
                    !(q[2 + len] == '-' || (q[2 + len] >= 'a' && q[2 + len] <= 'z')))
                    return 1;
        line = *end ? end + 1 : end;
    }
    return 0;
}

static const struct option *long_option(const char *name, size_t len)
{
    for (const struct option *o = long_options; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

/* Levenshtein distance of a[0..n) and b, for suggestions (short strings). */
static size_t edit_distance(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b), row[64];
    if (n >= 63 || m >= 63)
        return SIZE_MAX;
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

/* The command's long option nearest to name (as typed, dashes stripped), or
 * NULL when none is close. */
static const char *nearest_option(const char *help, const char *name, size_t len)
{
    const char *best = NULL;
    size_t best_d = len / 3 > 2 ? len / 3 : 2;
    for (const struct option *o = long_options; o->name; o++) {
        if (!help_lists(help, o->name, strlen(o->name)))
            continue;
        size_t d = edit_distance(name, len, o->name);
        if (d <= best_d && (!best || d < best_d)) {
            best = o->name;
            best_d = d;
        }
    }
    return best;
}

static int unknown_option(const char *command, const char *help, const char *typed)
{
    const char *name = typed + strspn(typed, "-");
    size_t len = strcspn(name, "=");
    const char *near = nearest_option(help, name, len);
    if (near)
        return usage_error(command, "unknown option '%s'; did you mean '--%s'?", typed, near);
    if (typed[1] != '-' && strchr(typed, '.'))
        return usage_error(command, "unknown option '%s'; a file whose name starts with '-' is "
                                    "written ./%s or after --", typed, typed);
    return usage_error(command, "unknown option '%s'", typed);
}

/* Every option of argv must be one the command lists, named in full:
 * errors name the option as typed and the command, and suggest the nearest
 * option of the command.  getopt_long then parses what passed. */
/* The options that change how statements are weighted (CLI_HELP_VECTORIZER). */
static int is_tfidf_option(int c)
{
    switch (c) {
    case OPT_ANALYZER: case OPT_TOKENIZER: case OPT_LOWERCASE: case OPT_NO_LOWERCASE:
    case OPT_STRIP_ACCENTS: case OPT_TOKEN_PATTERN: case OPT_NGRAM: case OPT_STOP: case OPT_STEM:
    case OPT_MIN_DF: case OPT_MAX_DF: case OPT_NO_IDF: case OPT_NO_SMOOTH: case OPT_SUBLINEAR:
    case OPT_NO_SUBLINEAR: case OPT_NORM: case OPT_BINARY: case OPT_MAX_FEATURES:
    case OPT_VOCABULARY: case OPT_NAME_WEIGHT:
        return 1;
    default:
        return 0;
    }
}

static int same_string(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether option c, as the command line set opt->vec, says what m says. */
static int agrees(int c, const ts_vectorizer_options *v, const ts_vectorizer_options *m)
{
    switch (c) {
    case OPT_ANALYZER: return v->analyzer == m->analyzer;
    case OPT_TOKENIZER: return v->tokens == m->tokens;
    case OPT_LOWERCASE: case OPT_NO_LOWERCASE: return v->lowercase == m->lowercase;
    case OPT_STRIP_ACCENTS: return v->strip_accents == m->strip_accents;
    case OPT_TOKEN_PATTERN: return same_string(v->token_pattern, m->token_pattern);
    case OPT_NGRAM: return v->ngram_min == m->ngram_min && v->ngram_max == m->ngram_max;
    case OPT_STOP: return same_string(v->stop_words, m->stop_words);
    case OPT_STEM: return same_string(v->stem, m->stem);
    case OPT_MIN_DF:
        return v->min_df == m->min_df && v->min_df_is_fraction == m->min_df_is_fraction;
    case OPT_MAX_DF:
        return v->max_df == m->max_df && v->max_df_is_fraction == m->max_df_is_fraction;
    case OPT_NO_IDF: return v->use_idf == m->use_idf;
    case OPT_NO_SMOOTH: return v->smooth_idf == m->smooth_idf;
    case OPT_SUBLINEAR: case OPT_NO_SUBLINEAR: return v->sublinear_tf == m->sublinear_tf;
    case OPT_NORM: return v->norm == m->norm;
    case OPT_BINARY: return v->binary == m->binary;
    case OPT_MAX_FEATURES: return v->max_features == m->max_features;
    case OPT_NAME_WEIGHT: return v->name_weight == m->name_weight;
    default: return 0; /* --vocabulary: the index's columns are fixed */
    }
}

int cli_check_model_options(const cli_options *opt, const ts_vectorizer_options *model,
                            const char *command, const char *index_path)
{
    for (int i = 0; i < opt->ntfidf_given; i++) {
        int c = opt->tfidf_given[i];
        if (agrees(c, &opt->vec, model))
            continue;
        const char *name = "?";
        for (const struct option *o = long_options; o->name; o++)
            if (o->val == c)
                name = o->name;
        return usage_error(command,
                           "--%s contradicts the TF-IDF options of the index %s (its OPTIONS "
                           "section): queries are weighted with the index's own model; drop "
                           "--%s, or build an index with it (textsim index build)",
                           name, index_path, name);
    }
    return CLI_EXIT_OK;
}

static int check_options(int argc, char **argv, const char *command, const char *help)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] != '-' || a[1] == '\0')
            continue; /* an operand, or - (stdin) */
        if (a[1] == '-') {
            const char *name = a + 2;
            size_t len = strcspn(name, "=");
            const struct option *o = long_option(name, len);
            if (!o)
                return unknown_option(command, help, a);
            if (!help_lists(help, o->name, len))
                return usage_error(command, "--%s is not an option of %s", o->name, command);
            if (o->has_arg == required_argument && !name[len])
                i++; /* its value */
            continue;
        }
        for (const char *c = a + 1; *c; c++) {
            char flag[3] = {'-', *c, '\0'};
            if (!strchr("oqvh", *c) || !strstr(help, flag))
                return unknown_option(command, help, a);
            if (*c == 'o') {
                i += c[1] == '\0'; /* -o FILE; -oFILE carries it */
                break;
            }
        }
    }
    return CLI_EXIT_OK;
}

int cli_parse(int argc, char **argv, const char *command, const char *help,
              const ts_vectorizer_options *vec_defaults, cli_options *opt)
{
    static const choice formats[] = {
        {"auto", TS_FORMAT_AUTO}, {"text", TS_FORMAT_TEXT}, {"dir", TS_FORMAT_DIR},
        {"jsonl", TS_FORMAT_JSONL}, {"tsv", TS_FORMAT_TSV}, {"csv", TS_FORMAT_CSV},
        {"html", TS_FORMAT_HTML}, {NULL, 0}};
    static const choice segments[] = {
        {"sentence", TS_SEGMENT_SENTENCE}, {"line", TS_SEGMENT_LINE}, {NULL, 0}};
    static const choice invalid[] = {
        {"error", TS_INVALID_ERROR}, {"replace", TS_INVALID_REPLACE}, {NULL, 0}};
    static const choice analyzers[] = {{"word", TS_ANALYZER_WORD},
                                       {"char_wb", TS_ANALYZER_CHAR_WB},
                                       {"char", TS_ANALYZER_CHAR}, {NULL, 0}};
    static const choice tokenizers[] = {
        {"sklearn", TS_TOKENS_SKLEARN}, {"unicode-words", TS_TOKENS_UNICODE_WORDS}, {NULL, 0}};
    static const choice cases[] = {
        {"lower", TS_CASE_LOWER}, {"fold", TS_CASE_FOLD}, {"none", TS_CASE_NONE}, {NULL, 0}};
    static const choice accents[] = {{"ascii", TS_ACCENTS_ASCII},
                                     {"unicode", TS_ACCENTS_UNICODE},
                                     {"none", TS_ACCENTS_KEEP}, {NULL, 0}};
    static const choice norms[] = {
        {"l2", TS_NORM_L2}, {"l1", TS_NORM_L1}, {"none", TS_NORM_NONE}, {NULL, 0}};
    static const choice backends[] = {{"auto", TS_BACKEND_AUTO},
                                      {"opencl", TS_BACKEND_OPENCL},
                                      {"cpu", TS_BACKEND_CPU}, {NULL, 0}};
    static const choice matches[] = {
        {"mutual", TS_MATCH_MUTUAL}, {"assignment", TS_MATCH_ASSIGNMENT}, {NULL, 0}};

    memset(opt, 0, sizeof *opt);
    ts_read_options_init(&opt->read);
    ts_vectorizer_options_init(&opt->vec);
    if (vec_defaults)
        opt->vec = *vec_defaults;
    ts_engine_options_init(&opt->engine);
    ts_alignment_options_init(&opt->align);
    ts_pairs_options_init(&opt->pairs);
    opt->max_matrix = 0; /* the command's default */
    opt->write.precision = 4;
    opt->write.escape_formulas = 1;
    opt->verbosity = 1;
    opt->progress = -1;
    opt->engine.device = getenv("TEXTSIM_DEVICE");

    if (help) { /* NULL: argv was checked already (textsim-mpi's other ranks) */
        int code = check_options(argc, argv, command, help);
        if (code)
            return code;
    }
    optind = 1;
    opterr = 0;
    int c, k;
    while ((c = getopt_long(argc, argv, ":o:qvh", long_options, NULL)) != -1) {
        const char *a = optarg;
        if (is_tfidf_option(c) && opt->ntfidf_given < CLI_MAX_TFIDF_GIVEN)
            opt->tfidf_given[opt->ntfidf_given++] = c;
        switch (c) {
        case 'o': opt->output = a; break;
        case 'q': opt->verbosity = 0; break;
        case 'v': opt->verbosity = 2; break;
        case 'h':
            if (help)
                fputs(help, stdout);
            return -1;
        case OPT_FORMAT:
            if ((k = choose(command, "--format", a, formats)) < 0)
                return CLI_EXIT_USAGE;
            opt->read.format = (ts_format)k;
            break;
        case OPT_SEGMENT:
            if ((k = choose(command, "--segment", a, segments)) < 0)
                return CLI_EXIT_USAGE;
            opt->read.segment = (ts_segment_mode)k;
            break;
        case OPT_ON_INVALID:
            if ((k = choose(command, "--on-invalid", a, invalid)) < 0)
                return CLI_EXIT_USAGE;
            opt->read.on_invalid = (ts_invalid_policy)k;
            break;
        case OPT_TEXT_COLUMN: opt->read.text_column = a; break;
        case OPT_SOURCE_COLUMN: opt->read.source_column = a; break;
        case OPT_SOURCES: opt->sources_file = a; break;
        case OPT_AGAINST:
            if (opt->nagainst >= CLI_MAX_AGAINST)
                return usage_error(command, "at most %d --against; give a directory instead",
                                   CLI_MAX_AGAINST);
            opt->against[opt->nagainst++] = optarg; /* a, writable as argv */
            break;
        case OPT_SOURCE_NAME: {
            const char *eq = strchr(a, '=');
            if (!eq || eq == a || !eq[1])
                return usage_error(command, "--source-name takes SOURCE=NAME (a source, its file "
                                            "or path, then the name to show), not '%s'", a);
            if (opt->nsource_names >= CLI_MAX_SOURCE_NAMES)
                return usage_error(command, "at most %d --source-name; use --sources FILE",
                                   CLI_MAX_SOURCE_NAMES);
            opt->source_names[opt->nsource_names++] = a;
            break;
        }
        case OPT_LOCALE: {
            ts_segmenter *seg = NULL; /* the locale ICU must know, checked at once */
            ts_diag ld;
            ts_status lst = ts_segmenter_create(&seg, TS_SEGMENT_SENTENCE, a, &ld);
            ts_segmenter_free(seg);
            if (lst != TS_OK)
                return usage_error(command, "--locale: %s", ld.message);
            opt->read.locale = a;
            break;
        }
        case OPT_ANALYZER:
            if ((k = choose(command, "--analyzer", a, analyzers)) < 0)
                return CLI_EXIT_USAGE;
            opt->vec.analyzer = (ts_analyzer)k;
            break;
        case OPT_TOKENIZER:
            if ((k = choose(command, "--tokenizer", a, tokenizers)) < 0)
                return CLI_EXIT_USAGE;
            opt->vec.tokens = (ts_token_rule)k;
            break;
        case OPT_LOWERCASE:
            if ((k = choose(command, "--lowercase", a, cases)) < 0)
                return CLI_EXIT_USAGE;
            opt->vec.lowercase = (ts_case)k;
            break;
        case OPT_NO_LOWERCASE: opt->vec.lowercase = TS_CASE_NONE; break;
        case OPT_STRIP_ACCENTS:
            if ((k = choose(command, "--strip-accents", a, accents)) < 0)
                return CLI_EXIT_USAGE;
            opt->vec.strip_accents = (ts_accents)k;
            break;
        case OPT_TOKEN_PATTERN: opt->vec.token_pattern = a; break;
        case OPT_NGRAM: {
            unsigned lo, hi;
            char tail;
            if (sscanf(a, "%u,%u%c", &lo, &hi, &tail) != 2 || lo < 1 || lo > hi || hi > 64)
                return usage_error(command, "--ngram-range takes MIN,MAX with 1 <= MIN <= MAX <= 64, not '%s'", a);
            opt->vec.ngram_min = lo;
            opt->vec.ngram_max = hi;
            break;
        }
        case OPT_STOP:
            opt->vec.stop_words = strcmp(a, "none") == 0 ? NULL : a;
            opt->word_options_given |= opt->vec.stop_words != NULL;
            break;
        case OPT_STEM:
            opt->vec.stem = strcmp(a, "none") == 0 ? NULL : a;
            opt->word_options_given |= opt->vec.stem != NULL;
            opt->stem_given = 1;
            break;
        case OPT_MIN_DF:
            if (!parse_df(a, &opt->vec.min_df, &opt->vec.min_df_is_fraction))
                return usage_error(command, "--min-df takes a count (2) or a fraction in [0, 1] (0.01), not '%s'", a);
            break;
        case OPT_MAX_DF:
            if (!parse_df(a, &opt->vec.max_df, &opt->vec.max_df_is_fraction))
                return usage_error(command, "--max-df takes a count (100) or a fraction in [0, 1] (0.9), not '%s'", a);
            break;
        case OPT_NAME_WEIGHT: {
            char *end;
            double w = strtod(a, &end);
            if (*end || end == a || !(w >= 0.0 && w <= 1.0))
                return usage_error(command, "--name-weight takes a factor in [0, 1], not '%s'", a);
            opt->vec.name_weight = w;
            break;
        }
        case OPT_NO_IDF: opt->vec.use_idf = 0; break;
        case OPT_NO_SMOOTH: opt->vec.smooth_idf = 0; break;
        case OPT_SUBLINEAR: opt->vec.sublinear_tf = 1; break;
        case OPT_NO_SUBLINEAR: opt->vec.sublinear_tf = 0; break;
        case OPT_BINARY: opt->vec.binary = 1; break;
        case OPT_VOCABULARY: opt->vec.vocabulary = a; break;
        case OPT_MAX_FEATURES: {
            long v = parse_count(a, 2000000000L);
            if (v <= 0)
                return usage_error(command, "--max-features takes a count of terms from 1, not '%s'", a);
            opt->vec.max_features = (size_t)v;
            break;
        }
        case OPT_NORM:
            if ((k = choose(command, "--norm", a, norms)) < 0)
                return CLI_EXIT_USAGE;
            opt->vec.norm = (ts_norm)k;
            break;
        case OPT_BACKEND:
            if ((k = choose(command, "--backend", a, backends)) < 0)
                return CLI_EXIT_USAGE;
            opt->engine.backend = (ts_backend_kind)k;
            break;
        case OPT_DEVICE: opt->engine.device = a; break;
        case OPT_TILE: {
            unsigned r, cc;
            char tail;
            int n = sscanf(a, "%u,%u%c", &r, &cc, &tail);
            if (n == 1)
                cc = r;
            if ((n != 1 && n != 2) || r == 0 || cc == 0)
                return usage_error(command, "--tile takes ROWS or ROWS,COLS (positive), not '%s'", a);
            opt->engine.tile_rows = r;
            opt->engine.tile_cols = cc;
            break;
        }
        case OPT_MAXMEM:
            if (!parse_size(a, &opt->engine.max_device_memory))
                return usage_error(command, "--max-device-memory takes a size such as 512M or 2G, not '%s'", a);
            break;
        case OPT_DEFINES: opt->engine.kernel_defines = a; break;
        case OPT_PRECISION: {
            char *end;
            long p = strtol(a, &end, 10);
            if (*end || end == a || p < 0 || p > 9)
                return usage_error(command, "--precision takes 0 to 9 decimals, not '%s'", a);
            opt->write.precision = (int)p;
            break;
        }
        case OPT_NO_ESCAPE: opt->write.escape_formulas = 0; break;
        case OPT_STATEMENTS: opt->statements = a; break;
        case OPT_THRESHOLD: {
            char *end;
            double t = strtod(a, &end);
            if (*end || end == a || !(t > 0.0 && t <= 1.0))
                return usage_error(command, "--threshold takes a score in (0, 1], not '%s'", a);
            opt->align.threshold = t;
            break;
        }
        case OPT_CANDIDATE_FLOOR: {
            char *end;
            double t = strtod(a, &end);
            if (*end || end == a || !(t > 0.0 && t <= 1.0))
                return usage_error(command, "--candidate-floor takes a cosine in (0, 1], not '%s'",
                                   a);
            opt->align.candidate_floor = t;
            break;
        }
        case OPT_MATCH_MODEL:
            opt->align.match_model = strcmp(a, "none") == 0 ? NULL : a;
            break;
        case OPT_MAX_RESTATEMENTS: {
            long v = parse_count(a, 1000);
            if (v < 0)
                return usage_error(command, "--max-restatements takes a count (0 to 1000), not '%s'",
                                   a);
            opt->align.restatements = (int)v;
            break;
        }
        case OPT_MATCH:
            if ((k = choose(command, "--match", a, matches)) < 0)
                return CLI_EXIT_USAGE;
            opt->align.match = (ts_match_mode)k;
            break;
        case OPT_MIN_TOKENS: {
            long v = parse_count(a, 1000000);
            if (v < 0)
                return usage_error(command, "--min-tokens takes a count, not '%s'", a);
            opt->align.min_tokens = (unsigned)v;
            break;
        }
        case OPT_EXCLUDE: opt->align.exclude = a; break;
        case OPT_NO_BUILTIN_EXCLUDE: opt->align.builtin_exclude = 0; break;
        case OPT_NO_RESTATEMENTS: opt->align.restatements = 0; break;
        case OPT_MAX_MATRIX: {
            long v = parse_count(a, 2000000000L);
            if (v < 0)
                return usage_error(command, "--max-matrix takes a count of statements, not '%s'", a);
            opt->max_matrix = (size_t)v;
            break;
        }
        case OPT_TOP_TERMS: {
            long v = parse_count(a, 1000);
            if (v < 0)
                return usage_error(command, "--top-terms takes a count, not '%s'", a);
            opt->align.top_terms = (unsigned)v;
            break;
        }
        case OPT_TOP_K: {
            long v = parse_count(a, (long)TS_PAIRS_MAX_TOP_K);
            if (v < 0)
                return usage_error(command, "--top-k takes a count from 0 (no limit) to %u, not '%s'",
                                   TS_PAIRS_MAX_TOP_K, a);
            opt->pairs.top_k = (uint32_t)v;
            break;
        }
        case OPT_MIN_SCORE: {
            /* Any finite score: with --norm none or l1 similarities are dot
             * products that can exceed 1.  Bounded by FLT_MAX so that the
             * conversion to float is defined. */
            char *end;
            errno = 0;
            double t = strtod(a, &end);
            if (errno || *end || end == a || !isfinite(t) || fabs(t) > FLT_MAX)
                return usage_error(command, "--min-score takes a finite number (a cosine, 0 to 1 "
                                            "with the default l2 norm), not '%s'", a);
            opt->pairs.min_score = (float)t;
            break;
        }
        case OPT_CROSS_SOURCE: opt->pairs.cross_source = 1; break;
        case OPT_WITH_TEXT: opt->with_text = 1; break;
        case OPT_PROGRESS: opt->progress = 1; break;
        case OPT_NO_PROGRESS: opt->progress = 0; break;
        case ':': return usage_error(command, "option '%s' needs a value", argv[optind - 1]);
        default: return usage_error(command, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (opt->vec.token_pattern) {
        /* The pattern compiles and fits the other options, checked at once. */
        ts_vectorizer_options v = opt->vec;
        v.stop_words = NULL;
        v.stem = NULL;
        ts_tokenizer *tok = NULL;
        ts_diag d;
        ts_status st = ts_tokenizer_create(&tok, &v, &d);
        ts_tokenizer_free(tok);
        if (st != TS_OK)
            return usage_error(command, "--token-pattern: %s", d.message);
    }
    opt->inputs = argv + optind;
    opt->ninputs = argc - optind;
    return CLI_EXIT_OK;
}

void cli_progress_init(cli_progress *p, const cli_options *opt, size_t rows, ts_tile_fn next,
                       void *next_user)
{
    p->next = next;
    p->next_user = next_user;
    p->rows = rows;
    p->start = cli_now();
    p->drawn_at = 0;
    p->shown = 0;
    p->enabled = opt->verbosity > 0 &&
                 (opt->progress == 1 || (opt->progress < 0 && isatty(STDERR_FILENO)));
    p->delay = opt->progress == 1 ? 0.0 : 1.0;
}

/* "1h02m", "3m05s", "42s". */
static void put_duration(char *out, size_t size, double s)
{
    long t = s > 0 && s < 1e8 ? (long)(s + 0.5) : 0;
    if (t >= 3600)
        snprintf(out, size, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(out, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(out, size, "%lds", t);
}

ts_status cli_progress_tile(void *user, const ts_tile *t)
{
    cli_progress *p = user;
    ts_status st = p->next ? p->next(p->next_user, t) : TS_OK;
    if (!p->enabled)
        return st;
    double now = cli_now(), elapsed = now - p->start;
    size_t done = t->row0 + t->nrows;
    int last = done >= p->rows;
    if (elapsed < p->delay || (!last && now - p->drawn_at < 1.0 / PROGRESS_HZ))
        return st;
    p->drawn_at = now;
    double frac = p->rows ? (double)done / (double)p->rows : 1.0;
    double rate = elapsed > 0 ? done / elapsed : 0;
    char left[32];
    put_duration(left, sizeof left, rate > 0 ? (double)(p->rows - done) / rate : 0);
    int width = 30, fill = (int)(frac * width);
    fprintf(stderr, "\r[%.*s%*s] %3d%% %zu/%zu rows, %.0f rows/s, %s left\033[K", fill,
            "##############################", width - fill, "", (int)(100.0 * frac), done,
            p->rows, rate, left);
    p->shown = 1;
    return st;
}

void cli_progress_done(cli_progress *p)
{
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = 0;
}

const char *cli_name = "textsim";

int cli_fail(ts_status status, const ts_diag *diag, cli_phase phase)
{
    const char *msg = diag && diag->message[0] ? diag->message : ts_status_message(status);
    fprintf(stderr, "%s: error: %s\n", cli_name, msg);
    switch (status) {
    case TS_OK: return CLI_EXIT_OK;
    case TS_ERR_CANCELLED: return CLI_EXIT_INTERRUPTED;
    case TS_ERR_NO_PLATFORM: case TS_ERR_DEVICE: case TS_ERR_BUILD: case TS_ERR_OPENCL:
    case TS_ERR_DEVICE_MEMORY:
        return CLI_EXIT_DEVICE;
    case TS_ERR_NOMEM: case TS_ERR_INTERNAL: return CLI_EXIT_FAILURE;
    default:
        return phase == CLI_PHASE_OUTPUT ? CLI_EXIT_OUTPUT
               : phase == CLI_PHASE_DEVICE ? CLI_EXIT_DEVICE : CLI_EXIT_INPUT;
    }
}

void cli_note(const cli_options *opt, const char *fmt, ...)
{
    if (opt->verbosity == 0)
        return;
    va_list ap;
    fprintf(stderr, "%s: ", cli_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_note_ignored_options(const cli_options *opt)
{
    if (opt->vec.analyzer != TS_ANALYZER_WORD && opt->word_options_given)
        cli_note(opt, "notice: --stop-words and --stem apply to the word analyzer only; "
                      "they are ignored with --analyzer %s (as in scikit-learn)",
                 opt->vec.analyzer == TS_ANALYZER_CHAR_WB ? "char_wb" : "char");
}

int cli_vectorize(const cli_options *opt, const ts_corpus *corpus, ts_tfidf **out)
{
    cli_note_ignored_options(opt);
    ts_diag diag;
    ts_status st = ts_tfidf_build(out, corpus, &opt->vec, &diag);
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_INPUT);
    return CLI_EXIT_OK;
}

int cli_create_engine(const cli_options *opt, ts_engine **out)
{
    ts_diag diag;
    ts_engine_options eo = opt->engine;
    if (!eo.device)
        eo.device = cli_dist_device();
    ts_status st = ts_engine_create(out, &eo, &diag);
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_DEVICE);
    if (ts_engine_fell_back(*out))
        cli_note(opt, "notice: no OpenCL platform found; using the cpu backend");
    if (opt->verbosity >= 2) {
        cli_note(opt, "backend %s on %s", ts_engine_backend_name(*out), ts_engine_device_name(*out));
        const char *log = ts_engine_build_log(*out);
        if (*log)
            cli_note(opt, "kernel compiler's messages:\n%s", log);
    }
    return CLI_EXIT_OK;
}

int cli_dispatch(int argc, char **argv, const char *usage, const cli_command *commands,
                 size_t ncommands)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("%s %s\n", cli_name, ts_version_string());
        return CLI_EXIT_OK;
    }
    cli_signals_install();
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s'\n\n%s", cli_name, cmd, usage);
    return CLI_EXIT_USAGE;
}

int cli_require(const cli_options *opt, const char *command, const char *output_hint)
{
    if (opt->ninputs > 0 && (opt->output || !output_hint))
        return 0;
    fprintf(stderr, "textsim %s: %s%s\nRun 'textsim %s --help' for the options.\n", command,
            opt->ninputs == 0 ? "give at least one source" : "give ",
            opt->ninputs == 0 ? "" : output_hint, command);
    return CLI_EXIT_USAGE;
}

void cli_note_corpus(const cli_options *opt, const ts_corpus *corpus, const ts_tfidf *tfidf,
                     double seconds)
{
    size_t n = ts_corpus_statement_count(corpus), ns = ts_corpus_source_count(corpus);
    cli_note(opt, "%zu statement%s from %zu source%s, %zu terms, %zu non-zeros (%.3f s)", n,
             n == 1 ? "" : "s", ns, ns == 1 ? "" : "s", ts_tfidf_cols(tfidf), ts_tfidf_nnz(tfidf),
             seconds);
}
