/*
 * util.c - textsim-bench's clock and fatal errors (bench.h).
 *
 * The bench is a program, not the library: a failure it cannot measure
 * past ends the run with a message on stderr and exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void bench_die(const char *what, ts_status st, const ts_diag *d)
{
    fprintf(stderr, "textsim-bench: %s: %s\n", what,
            d && d->message[0] ? d->message : ts_status_message(st));
    exit(1);
}

void bench_die_errno(const char *what, const char *path)
{
    fprintf(stderr, "textsim-bench: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}
