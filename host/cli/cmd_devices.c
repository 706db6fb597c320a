/*
 * cmd_devices.c - `textsim devices`: the OpenCL platforms and devices.
 *
 * One line per device, the default (what textsim uses when --device is not
 * given) marked with '*'.  With no platform installed it says so, names the
 * cpu backend that will be used instead, and exits 0: that is a valid setup.
 */
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: textsim devices [-h]\n"
    "\n"
    "List OpenCL platforms and devices: index (PLATFORM:DEVICE, for --device), type,\n"
    "compute units, global and local memory, OpenCL version and name.  '*' marks the\n"
    "default device (first GPU, else first CPU device).\n";

int cmd_devices(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        fputs(help, stdout);
        return CLI_EXIT_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "textsim devices: unexpected argument '%s'\n", argv[1]);
        return CLI_EXIT_USAGE;
    }
    ts_device_info *dev;
    size_t n, def;
    ts_diag diag;
    ts_status st = ts_devices_list(&dev, &n, &def, &diag);
    if (st == TS_ERR_NO_PLATFORM) {
        printf("No OpenCL platform found; textsim uses the cpu backend (BLIS).\n");
        return CLI_EXIT_OK;
    }
    if (st != TS_OK)
        return cli_fail(st, &diag, CLI_PHASE_DEVICE);
    printf("  %-5s %-4s %4s %10s %9s  %-22s %s\n", "index", "type", "CUs", "global", "local",
           "version", "device (platform)");
    for (size_t i = 0; i < n; i++) {
        const ts_device_info *d = &dev[i];
        char idx[32];
        snprintf(idx, sizeof idx, "%u:%u", d->platform, d->device);
        printf("%c %-5s %-4s %4u %7.1f GiB %6.0f KiB  %-22.22s %s (%s)\n", i == def ? '*' : ' ', idx,
               d->is_gpu ? "gpu" : d->is_cpu ? "cpu" : "acc", d->compute_units,
               (double)d->global_memory / (1024.0 * 1024 * 1024), (double)d->local_memory / 1024.0,
               d->version, d->name, d->platform_name);
    }
    ts_devices_free(dev);
    return CLI_EXIT_OK;
}
