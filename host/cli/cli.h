/*
 * cli.h - shared pieces of the textsim command-line tool.
 *
 * The CLI turns options into library option structs, runs one command and
 * maps library statuses to exit codes and messages.  Results go to files or
 * stdout, messages to stderr; help goes to stdout.
 */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <stdio.h>

#include "base/buf.h"
#include "output/writers.h"
#include "textsim.h"

/* Exit codes, documented in README.md. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILURE = 1,   /* internal error or out of memory */
    CLI_EXIT_USAGE = 2,     /* bad command line */
    CLI_EXIT_INPUT = 3,     /* unreadable or invalid input */
    CLI_EXIT_DEVICE = 4,    /* OpenCL platform, device, build or memory */
    CLI_EXIT_OUTPUT = 5,    /* output cannot be written */
    CLI_EXIT_INTERRUPTED = 130
};

typedef enum cli_phase { CLI_PHASE_INPUT, CLI_PHASE_DEVICE, CLI_PHASE_OUTPUT } cli_phase;

#define CLI_MAX_SOURCE_NAMES 64
#define CLI_MAX_AGAINST 256
#define CLI_MAX_TFIDF_GIVEN 64

typedef struct cli_options {
    ts_read_options read;
    ts_vectorizer_options vec;
    ts_engine_options engine;
    ts_write_options write;
    ts_alignment_options align;
    ts_pairs_options pairs;  /* top_k, min_score, cross_source (groups: the command's) */
    int with_text;           /* --with-text */
    size_t max_matrix;       /* largest N for an N x N matrix output; 0: the command's default */
    const char *output;      /* -o */
    const char *statements;  /* --statements */
    int verbosity;           /* 0 quiet, 1 normal, 2 verbose */
    int progress;            /* -1: on a terminal (default), 0: --no-progress, 1: --progress */
    int word_options_given;  /* --stop-words or --stem on the command line */
    int stem_given;          /* --stem on the command line (none included) */
    char locale_stem[8];     /* align: the --locale's language, as its default stemmer */
    const char *sources_file; /* --sources */
    const char *source_names[CLI_MAX_SOURCE_NAMES]; /* --source-name KEY=NAME */
    int nsource_names;
    char **inputs;
    int ninputs;
    char *against[CLI_MAX_AGAINST]; /* pairs --against PATH: the archive side */
    int nagainst;
    int tfidf_given[CLI_MAX_TFIDF_GIVEN]; /* the TF-IDF options on the command line */
    int ntfidf_given;
} cli_options;

/* Parse argv (after the command name).  The command accepts exactly the
 * options `help` lists (an option of another command, an unknown or a
 * misspelt one is a usage error naming it as typed, with the nearest valid
 * option suggested); help NULL skips that check (argv checked already).
 * vec_defaults (NULL: scikit-learn's) are the TF-IDF options before the
 * command line changes them.  Returns CLI_EXIT_OK, CLI_EXIT_USAGE (message
 * printed), or -1 when --help was printed. */
int cli_parse(int argc, char **argv, const char *command, const char *help,
              const ts_vectorizer_options *vec_defaults, cli_options *opt);

/* For commands that weight statements with a saved model (index add,
 * search): each TF-IDF option on the command line must say what the
 * model's options say; else a usage message naming the option and the
 * index, and CLI_EXIT_USAGE. */
int cli_check_model_options(const cli_options *opt, const ts_vectorizer_options *model,
                            const char *command, const char *index_path);

/* Open the index the first operand names (it is taken off opt->inputs)
 * and check the command line's TF-IDF options against its model; an exit
 * code (message printed) or CLI_EXIT_OK with *out. */
int cli_open_index(cli_options *opt, const char *command, ts_index **out);

/* With -v: "N statements from S sources, T terms, Z non-zeros (X s)". */
void cli_note_corpus(const cli_options *opt, const ts_corpus *corpus, const ts_tfidf *tfidf,
                     double seconds);

/* 0 when the command has what it needs - a source, and -o when
 * output_hint is not NULL ("the output file with -o FILE") - else a usage
 * message on stderr and CLI_EXIT_USAGE. */
int cli_require(const cli_options *opt, const char *command, const char *output_hint);

/* The program's name in messages: "textsim", or "textsim-mpi" (rank 0) and
 * "textsim-mpi rank R" in an MPI job. */
extern const char *cli_name;

/* Print the error in diag and return the exit code for the phase. */
int cli_fail(ts_status status, const ts_diag *diag, cli_phase phase);
/* Message on stderr unless quiet. */
void cli_note(const cli_options *opt, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
double cli_now(void);

/* Read every input into a new corpus; prints the error and returns an exit code. */
/* What a sources file says of each source (inputs.c). */
typedef struct cli_source_row {
    char *key, *name, *url, *date; /* url and date NULL when absent */
    char *locale;                  /* NULL when absent */
    size_t record;                 /* its record in the file (the header is 1) */
} cli_source_row;
typedef struct cli_source_info {
    cli_source_row *rows;
    size_t n;
    const char **url, **date;      /* per source, NULL when unknown */
} cli_source_info;

/* Renames the sources as --sources and --source-name say; 0 or an exit code
 * (message printed).  Free info whatever it returns. */
int cli_name_sources(const cli_options *opt, ts_corpus *corpus, cli_source_info *info);
void cli_source_info_free(cli_source_info *info);

/* Reads the inputs and names their sources; *sources (when not NULL) gets
 * the URLs and dates of the sources file (free it with cli_source_info_free). */
int cli_read_corpus(const cli_options *opt, ts_corpus **out, cli_source_info *sources);
/* The notice that --stop-words and --stem do nothing with a char analyzer. */
void cli_note_ignored_options(const cli_options *opt);
/* TF-IDF of the corpus (the notice above first); prints the error and
 * returns an exit code. */
int cli_vectorize(const cli_options *opt, const ts_corpus *corpus, ts_tfidf **out);
/* Create the engine, printing the fall-back notice. */
int cli_create_engine(const cli_options *opt, ts_engine **out);

/* A ts_tile_fn that draws a progress bar on stderr - rows done, rate, time
 * left - and forwards strips to `next`.  Drawn when stderr is a terminal (or
 * with --progress, never with --no-progress or -q), once the run has taken
 * a second (at once with --progress), at most PROGRESS_HZ times a second
 * and once at the end. */
typedef struct cli_progress {
    ts_tile_fn next;
    void *next_user;
    size_t rows;
    double start;
    double drawn_at; /* when the bar was last drawn */
    double delay;    /* seconds before the first drawing: 1, or 0 with --progress */
    int shown;
    int enabled;
} cli_progress;
void cli_progress_init(cli_progress *p, const cli_options *opt, size_t rows, ts_tile_fn next,
                       void *next_user);
ts_status cli_progress_tile(void *user, const ts_tile *tile);
void cli_progress_done(cli_progress *p);

/* Outputs: atomic files (host/output/outfile.h) whose temporaries signals remove. */
typedef struct ts_outfile ts_outfile;
int cli_output_open(const char *path, ts_outfile **out);
/* Commit files[0..n) as a group (NULL entries are skipped): every file is
 * finished first and all are renamed into place only if all finished, so a
 * failure (a full disk) leaves the previous outputs, none half replaced.
 * The entries are freed and set to NULL; returns an exit code. */
int cli_outputs_commit(ts_outfile **files, int n);
/* Remove an uncommitted output; NULL is a no-op. */
void cli_output_abort(ts_outfile *f);
/* statements.csv beside `output` ("DIR/statements.csv"); caller frees. */
char *cli_beside(const char *output, const char *name);

/* Matches as CSV (matches.c), the ts_matches_fn of pairs and search: one
 * line per match, A_ID,B_ID,score,rank[,text_a,text_b], written through a
 * 64 KiB buffer so that memory stays bounded by the engine's lists.  The
 * statements are `corpus`'s; their matches are `matched`'s statements, or
 * the index's when matched is NULL. */
typedef struct cli_matches {
    ts_outfile *file;
    const ts_corpus *corpus;
    const ts_corpus *matched;
    const ts_index *index;
    ts_write_options opt;
    int with_text;
    size_t statements; /* N */
    size_t next;       /* the statement expected next */
    uint64_t lines;    /* matches written */
    ts_buf line;
    ts_diag diag;      /* the failure inside the callback, if any */
    cli_progress progress;
} cli_matches;
/* Start the CSV with its header: a,b,score,rank (and text_a,text_b with
 * with_text, named after a and b's first word). */
void cli_matches_header(cli_matches *w, const char *a, const char *b, const char *text_a,
                        const char *text_b);
ts_status cli_matches_write(void *user, uint32_t statement, const ts_match *matches, size_t n);
/* After the engine returned st: every statement seen, the buffer flushed;
 * TS_OK or the status (the message in w->diag). */
ts_status cli_matches_finish(cli_matches *w, ts_status st);
/* With -v: where the engine's time and bytes went in the run that took
 * `seconds`. */
void cli_note_engine_stats(const cli_options *opt, const ts_engine *engine, double seconds);

/* Signals: SIGINT/SIGTERM remove the registered temporaries and exit 130/143. */
void cli_signals_install(void);
void cli_signals_track(const char *temp_path);
void cli_signals_untrack(const char *temp_path);

/* Help sections shared by the commands. */
#define CLI_HELP_INPUT \
    "Input options:\n" \
    "  SOURCES              files (one source each), directories, *.jsonl, *.tsv, *.csv,\n" \
    "                       *.html (its visible text), or - (stdin)\n" \
    "  --format F           auto (default: by extension, HTML also by content), text,\n" \
    "                       dir, jsonl, tsv, csv, html\n" \
    "  --text-column C      CSV: the column of the text, a header name or a number from 1\n" \
    "                       (default: the column named text, or the only one)\n" \
    "  --source-column C    CSV: the column naming each record's source (default: one\n" \
    "                       source named after the file)\n" \
    "  --segment M          sentence (default, ICU with abbreviation suppressions) or line\n" \
    "  --on-invalid P       error (default) or replace: invalid UTF-8 and NUL become U+FFFD\n" \
    "  --locale L           sentence-break locale, with its abbreviations (default en;\n" \
    "                       e.g. fr, de_CH; L@ss=none: without the abbreviation list)\n" \
    "  --sources FILE       CSV: source (or file),name[,url,date]: the names to show for\n" \
    "                       the sources (outlets), in every output and the report\n" \
    "  --source-name S=NAME show source S (its name, file or path) as NAME; repeatable\n"
#define CLI_HELP_VECTORIZER \
    "TF-IDF options (scikit-learn TfidfVectorizer semantics):\n" \
    "  --analyzer A         word (default), char_wb, char\n" \
    "  --tokenizer T        sklearn (default, (?u)\\b\\w\\w+\\b) or unicode-words (ICU word break)\n" \
    "  --lowercase C        lower (default, like str.lower), fold (full case folding), none\n" \
    "  --no-lowercase       same as --lowercase none\n" \
    "  --strip-accents S    ascii or unicode: decompose (NFKD), then drop what is not ASCII\n" \
    "                       (ascii) or the combining marks (unicode); default none\n" \
    "  --token-pattern RE   ICU regular expression whose matches (or one group) are the\n" \
    "                       tokens; default (?u)\\b\\w\\w+\\b\n" \
    "  --ngram-range MIN,MAX  n-gram sizes (default 1,1; characters for char analyzers)\n" \
    "  --stop-words S       english (scikit-learn's list), german, french, spanish, none\n" \
    "                       (default), or a file of words\n" \
    "  --stem LANG          Snowball stemmer (english, porter, french, ...); default none\n" \
    "  --min-df X           ignore terms in fewer statements: count (2) or fraction (0.01)\n" \
    "  --max-df X           ignore terms in more statements: count or fraction (default 1.0)\n" \
    "  --no-use-idf         no inverse document frequency weighting\n" \
    "  --no-smooth-idf      idf = ln(n/df) + 1 instead of ln((1+n)/(1+df)) + 1\n" \
    "  --sublinear-tf       tf = 1 + ln(tf) (--no-sublinear-tf: raw counts)\n" \
    "  --norm N             l2 (default), l1, none\n" \
    "  --binary             every count is 1: tf says whether a term occurs, not how often\n" \
    "  --max-features N     keep the N terms most frequent in the corpus (ties: alphabetical)\n" \
    "  --vocabulary FILE    the terms, one per line: the columns, in the file's order\n" \
    "  --name-weight W      textsim extension: weight factor of names (terms written\n" \
    "                       capitalised mid-sentence), 0..1; default 1 (off)\n"
#define CLI_HELP_ENGINE \
    "Engine options:\n" \
    "  --backend B          auto (default: OpenCL, else cpu), opencl, cpu (BLIS reference)\n" \
    "  --device D           PLATFORM:DEVICE or a name substring (env TEXTSIM_DEVICE)\n" \
    "  --tile R[,C]         rows and columns per tile (default automatic)\n" \
    "  --max-device-memory S  bound on device memory per launch, e.g. 512M\n" \
    "  --kernel-defines S   extra OpenCL build options, e.g. -DTS_WG=64\n"
#define CLI_HELP_PROGRESS \
    "  --progress           draw the progress bar from the start, even when stderr is\n" \
    "                       not a terminal (at most 10 redraws a second)\n" \
    "  --no-progress        never draw it (default: on a terminal, after a second)\n"
/* After "Output options:" and the command's own -o line. */
#define CLI_HELP_OUTPUT \
    "  --precision N        decimals of CSV numbers, 0..9 (default 4)\n" \
    "  --no-formula-escape  write cells starting with = + - @ verbatim (default: prefix ')\n" \
    "  -q, --quiet          only errors on stderr\n" \
    "  -v, --verbose        stage timings, the device and the kernel compiler's\n" \
    "                       messages on stderr\n" \
    "  -h, --help           this help\n"

/* A program's commands, and main's work: help, version, then the command
 * named by argv[1] with signals installed.  Returns the exit code. */
typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
} cli_command;
int cli_dispatch(int argc, char **argv, const char *usage, const cli_command *commands,
                 size_t ncommands);

int cmd_align(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_pairs(int argc, char **argv);
int cmd_tfidf(int argc, char **argv);
int cmd_statements(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);

#endif
