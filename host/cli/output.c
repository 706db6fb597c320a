/*
 * output.c - the CLI's atomic outputs.
 *
 * Wraps ts_outfile so that every temporary is known to the signal handler
 * while it exists, and turns failures into messages and exit codes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output/outfile.h"

int cli_output_open(const char *path, ts_outfile **out)
{
    ts_diag diag;
    /* Tracked before the temporary exists: a signal can come at any time. */
    ts_status st =
        ts_outfile_open_tracked(out, path, cli_signals_track, cli_signals_untrack, &diag);
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_OUTPUT);
    return CLI_EXIT_OK;
}

static void untrack_and(ts_outfile *f, int publish, ts_diag *diag, ts_status *st)
{
    const char *t = ts_outfile_temp_path(f);
    char *temp = t ? strdup(t) : NULL;
    if (publish)
        *st = ts_outfile_publish(f, diag);
    else
        ts_outfile_abort(f);
    cli_signals_untrack(temp);
    free(temp);
}

int cli_outputs_commit(ts_outfile **files, int n)
{
    ts_diag diag;
    ts_status st = TS_OK;
    for (int i = 0; i < n && st == TS_OK; i++)
        if (files[i])
            st = ts_outfile_finish(files[i], &diag);
    int code = st == TS_OK ? CLI_EXIT_OK : cli_fail(st, &diag, CLI_PHASE_OUTPUT);
    for (int i = 0; i < n; i++) {
        if (!files[i])
            continue;
        ts_status pst = TS_OK;
        untrack_and(files[i], code == CLI_EXIT_OK, &diag, &pst);
        files[i] = NULL;
        if (pst != TS_OK && code == CLI_EXIT_OK)
            code = cli_fail(pst, &diag, CLI_PHASE_OUTPUT);
    }
    return code;
}

void cli_output_abort(ts_outfile *f)
{
    if (f) {
        ts_status ignored = TS_OK;
        untrack_and(f, 0, NULL, &ignored);
    }
}

char *cli_beside(const char *output, const char *name)
{
    const char *slash = strrchr(output, '/');
    size_t dir = slash ? (size_t)(slash - output) + 1 : 0;
    size_t n = dir + strlen(name) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%.*s%s", (int)dir, output, name);
    return p;
}
