/*
 * output.c - the CLI's atomic outputs.
 *
 * Wraps ts_outfile so that every temporary is known to the signal handler
 * while it exists, and turns failures into messages and exit codes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"

int cli_output_open(const char *path, ts_outfile **out)
{
    ts_diag diag;
    ts_status st = ts_outfile_open(out, path, &diag);
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_OUTPUT);
    cli_signals_track(ts_outfile_temp_path(*out));
    return CLI_EXIT_OK;
}

int cli_output_close(ts_outfile *f, int abort)
{
    if (!f)
        return CLI_EXIT_OK;
    const char *t = ts_outfile_temp_path(f);
    char *temp = t ? strdup(t) : NULL;
    int code = CLI_EXIT_OK;
    if (abort) {
        ts_outfile_abort(f);
    } else {
        ts_diag diag;
        ts_status st = ts_outfile_commit(f, &diag);
        if (st != TS_OK)
            code = cli_fail(st, &diag, CLI_PHASE_OUTPUT);
    }
    cli_signals_untrack(temp);
    free(temp);
    return code;
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
