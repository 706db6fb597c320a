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
    "Usage: textsim devices [-v] [-h]\n"
    "\n"
    "List OpenCL platforms and devices: index (PLATFORM:DEVICE, for --device), type,\n"
    "compute units, global and local memory, name (platform) and OpenCL version.  '*'\n"
    "marks the default device (first GPU, else first CPU device).\n"
    "\n"
    "  -v, --verbose   the same, one field per line\n"
    "  -h, --help      this help\n";

int cmd_devices(int argc, char **argv)
{
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(help, stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            verbose = 1;
            continue;
        }
        fprintf(stderr, "textsim devices: unexpected argument '%s'\nRun 'textsim devices --help' "
                        "for the options.\n", argv[i]);
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
    if (!verbose)
        printf("  %-5s %-4s %4s %10s %9s  %s\n", "index", "type", "CUs", "global", "local",
               "device (platform), OpenCL version");
    for (size_t i = 0; i < n; i++) {
        const ts_device_info *d = &dev[i];
        char idx[32];
        const char *type = d->is_gpu ? "gpu" : d->is_cpu ? "cpu" : "accelerator";
        double gib = (double)d->global_memory / (1024.0 * 1024 * 1024);
        double kib = (double)d->local_memory / 1024.0;
        snprintf(idx, sizeof idx, "%u:%u", d->platform, d->device);
        if (verbose) {
            printf("%sdevice %s%s\n  name: %s\n  platform: %s\n  type: %s\n  compute units: %u\n"
                   "  global memory: %.1f GiB\n  local memory: %.0f KiB\n  version: %s\n",
                   i ? "\n" : "", idx, i == def ? " (default)" : "", d->name, d->platform_name,
                   type, d->compute_units, gib, kib, d->version);
            continue;
        }
        printf("%c %-5s %-4.4s %4u %7.1f GiB %6.0f KiB  %s (%s), %s\n", i == def ? '*' : ' ', idx,
               type, d->compute_units, gib, kib, d->name, d->platform_name, d->version);
    }
    ts_devices_free(dev);
    return CLI_EXIT_OK;
}
