/*
 * backends.c - the backends textsim-bench compares (bench.h).
 *
 * The cpu backend first (BLIS: the reference the devices are checked
 * against), then every OpenCL device ts_devices_list finds, each with the
 * run's tile, memory bound and kernel defines; and each engine's creation,
 * timed with its kernel build apart.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

/* Backends: cpu first (the reference), then every OpenCL device. */
int bench_backends(const config *c, ts_engine_options *eo, char (*specs)[32],
                   ts_device_info **devs)
{
    int nb = 0;
    size_t ndev = 0, def;
    ts_diag d;
    if (strcmp(c->backend, "opencl") != 0) {
        ts_engine_options_init(&eo[nb]);
        eo[nb++].backend = TS_BACKEND_CPU;
    }
    if (strcmp(c->backend, "cpu") != 0 && ts_devices_list(devs, &ndev, &def, &d) == TS_OK) {
        for (size_t i = 0; i < ndev && nb < MAX_BACKENDS; i++) {
            ts_engine_options_init(&eo[nb]);
            eo[nb].backend = TS_BACKEND_OPENCL;
            snprintf(specs[nb], sizeof specs[nb], "%u:%u", (*devs)[i].platform, (*devs)[i].device);
            eo[nb].device = specs[nb];
            nb++;
        }
    }
    for (int b = 0; b < nb; b++) {
        eo[b].tile_rows = eo[b].tile_cols = c->tile;
        eo[b].max_device_memory = c->max_device_memory;
        eo[b].kernel_defines = c->kernel_defines;
    }
    return nb;
}

ts_engine *bench_start_engine(bench *b, int k)
{
    result *r = &b->res[k];
    memset(r, 0, sizeof *r);
    r->max_diff = NAN;
    ts_engine *e;
    ts_diag d;
    double t0 = bench_now();
    ts_status st = ts_engine_create(&e, &b->eo[k], &d);
    if (st != TS_OK)
        bench_die("engine", st, &d);
    r->create_s = bench_now() - t0;
    ts_engine_get_stats(e, &r->build);
    snprintf(r->backend, sizeof r->backend, "%s", ts_engine_backend_name(e));
    snprintf(r->device, sizeof r->device, "%s", ts_engine_device_name(e));
    return e;
}
