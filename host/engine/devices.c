/*
 * devices.c - listing OpenCL devices and choosing one.
 *
 * Walks every platform the ICD loader knows and every device of each, and
 * describes them as ts_device_info.  The default device is the first GPU,
 * else the first CPU device, else the first device.  A user's device spec is
 * either "P:D" (platform and device indices, as `textsim devices` prints
 * them) or a case-insensitive substring of the device name; the first match
 * wins, so the choice is deterministic for a given installation.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "devices.h"

typedef struct found_device {
    cl_platform_id platform;
    cl_device_id device;
    ts_device_info info;
} found_device;

static const char no_platform_message[] =
    "no OpenCL platform found: install a driver (on Debian: apt-get install pocl-opencl-icd) "
    "or use --backend=cpu";

/* Copy a string property into dst (cap bytes), truncating long values and
 * trimming the blanks some drivers pad names with. */
static void copy_trimmed(char *dst, size_t cap, const char *src, size_t len)
{
    while (len > 0 && (src[len - 1] == '\0' || isspace((unsigned char)src[len - 1])))
        len--;
    while (len > 0 && isspace((unsigned char)*src)) {
        src++;
        len--;
    }
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* A string property of a platform (is_platform) or a device; "" on failure. */
static void get_string(const void *obj, int is_platform, cl_uint param, char *dst, size_t cap)
{
    size_t size = 0;
    dst[0] = '\0';
    cl_int err = is_platform
                     ? clGetPlatformInfo((cl_platform_id)obj, param, 0, NULL, &size)
                     : clGetDeviceInfo((cl_device_id)obj, param, 0, NULL, &size);
    if (err != CL_SUCCESS || size == 0)
        return;
    char *tmp = malloc(size);
    if (!tmp)
        return;
    err = is_platform ? clGetPlatformInfo((cl_platform_id)obj, param, size, tmp, NULL)
                      : clGetDeviceInfo((cl_device_id)obj, param, size, tmp, NULL);
    if (err == CL_SUCCESS)
        copy_trimmed(dst, cap, tmp, size);
    free(tmp);
}

static uint64_t get_ulong(cl_device_id dev, cl_device_info param)
{
    cl_ulong v = 0;
    if (clGetDeviceInfo(dev, param, sizeof v, &v, NULL) != CL_SUCCESS)
        return 0;
    return v;
}

static void describe(found_device *f, unsigned p, unsigned d, const char *platform_name)
{
    ts_device_info *info = &f->info;
    memset(info, 0, sizeof *info);
    info->platform = p;
    info->device = d;
    snprintf(info->platform_name, sizeof info->platform_name, "%s", platform_name);
    get_string(f->device, 0, CL_DEVICE_NAME, info->name, sizeof info->name);
    get_string(f->device, 0, CL_DEVICE_VENDOR, info->vendor, sizeof info->vendor);
    get_string(f->device, 0, CL_DEVICE_VERSION, info->version, sizeof info->version);
    get_string(f->device, 0, CL_DRIVER_VERSION, info->driver, sizeof info->driver);
    cl_device_type type = 0;
    if (clGetDeviceInfo(f->device, CL_DEVICE_TYPE, sizeof type, &type, NULL) == CL_SUCCESS) {
        info->is_gpu = (type & CL_DEVICE_TYPE_GPU) != 0;
        info->is_cpu = (type & CL_DEVICE_TYPE_CPU) != 0;
    }
    cl_uint units = 0;
    if (clGetDeviceInfo(f->device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL) ==
        CL_SUCCESS)
        info->compute_units = units;
    info->global_memory = get_ulong(f->device, CL_DEVICE_GLOBAL_MEM_SIZE);
    info->local_memory = get_ulong(f->device, CL_DEVICE_LOCAL_MEM_SIZE);
    info->max_allocation = get_ulong(f->device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
}

/* Every device of every platform, in platform then device order.  A platform
 * whose devices cannot be listed contributes none. */
static ts_status enumerate(found_device **out, size_t *count, ts_diag *diag)
{
    *out = NULL;
    *count = 0;
    cl_uint nplat = 0;
    cl_int err = clGetPlatformIDs(0, NULL, &nplat);
    if (err == TS_CL_PLATFORM_NOT_FOUND_KHR || (err == CL_SUCCESS && nplat == 0))
        return TS_FAIL(diag, TS_ERR_NO_PLATFORM, "%s", no_platform_message);
    if (err != CL_SUCCESS)
        return ts_opencl_fail(diag, err, "clGetPlatformIDs", "(none yet)");
    cl_platform_id *plats = calloc(nplat, sizeof *plats);
    if (!plats)
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory listing OpenCL platforms");
    err = clGetPlatformIDs(nplat, plats, NULL);
    if (err != CL_SUCCESS) {
        free(plats);
        return ts_opencl_fail(diag, err, "clGetPlatformIDs", "(none yet)");
    }
    found_device *list = NULL;
    size_t n = 0;
    ts_status st = TS_OK;
    for (cl_uint p = 0; p < nplat && st == TS_OK; p++) {
        cl_uint ndev = 0;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, 0, NULL, &ndev) != CL_SUCCESS ||
            ndev == 0)
            continue;
        cl_device_id *devs = calloc(ndev, sizeof *devs);
        found_device *grown = realloc(list, (n + ndev) * sizeof *list);
        if (!devs || !grown) {
            free(devs);
            if (grown)
                list = grown;
            st = TS_FAIL(diag, TS_ERR_NOMEM, "out of memory listing OpenCL devices");
            break;
        }
        list = grown;
        if (clGetDeviceIDs(plats[p], CL_DEVICE_TYPE_ALL, ndev, devs, NULL) == CL_SUCCESS) {
            char platform_name[128];
            get_string(plats[p], 1, CL_PLATFORM_NAME, platform_name, sizeof platform_name);
            for (cl_uint d = 0; d < ndev; d++) {
                list[n].platform = plats[p];
                list[n].device = devs[d];
                describe(&list[n], p, d, platform_name);
                n++;
            }
        }
        free(devs);
    }
    free(plats);
    if (st == TS_OK && n == 0)
        st = TS_FAIL(diag, TS_ERR_NO_PLATFORM, "%s", no_platform_message);
    if (st != TS_OK) {
        free(list);
        return st;
    }
    *out = list;
    *count = n;
    return TS_OK;
}

static size_t default_device(const found_device *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].info.is_gpu)
            return i;
    for (size_t i = 0; i < n; i++)
        if (list[i].info.is_cpu)
            return i;
    return 0;
}

ts_status ts_devices_list(ts_device_info **out, size_t *count, size_t *default_index,
                          ts_diag *diag)
{
    if (!out || !count)
        return TS_FAIL(diag, TS_ERR_ARG, "ts_devices_list: out and count must not be NULL");
    *out = NULL;
    *count = 0;
    found_device *list;
    size_t n;
    ts_status st = enumerate(&list, &n, diag);
    if (st != TS_OK)
        return st;
    ts_device_info *infos = calloc(n, sizeof *infos);
    if (!infos) {
        free(list);
        return TS_FAIL(diag, TS_ERR_NOMEM, "out of memory listing OpenCL devices");
    }
    for (size_t i = 0; i < n; i++)
        infos[i] = list[i].info;
    if (default_index)
        *default_index = default_device(list, n);
    free(list);
    *out = infos;
    *count = n;
    return TS_OK;
}

void ts_devices_free(ts_device_info *devices)
{
    free(devices);
}

/* Parse "P:D" (decimal indices, nothing else); 0 if spec has another form. */
static int parse_indices(const char *spec, unsigned long *p, unsigned long *d)
{
    if (!isdigit((unsigned char)spec[0]))
        return 0;
    char *end;
    errno = 0;
    *p = strtoul(spec, &end, 10);
    if (errno || *end != ':' || !isdigit((unsigned char)end[1]))
        return 0;
    *d = strtoul(end + 1, &end, 10);
    return errno == 0 && *end == '\0';
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

ts_status ts_opencl_select_device(const char *spec, cl_platform_id *platform,
                                  cl_device_id *device, ts_device_info *info, ts_diag *diag)
{
    found_device *list;
    size_t n;
    ts_status st = enumerate(&list, &n, diag);
    if (st != TS_OK)
        return st;
    size_t pick = n;
    unsigned long p, d;
    if (!spec || !*spec) {
        pick = default_device(list, n);
    } else if (parse_indices(spec, &p, &d)) {
        for (size_t i = 0; i < n; i++)
            if (list[i].info.platform == p && list[i].info.device == d) {
                pick = i;
                break;
            }
    } else {
        for (size_t i = 0; i < n; i++)
            if (contains_nocase(list[i].info.name, spec)) {
                pick = i;
                break;
            }
    }
    if (pick == n) {
        TS_FAIL(diag, TS_ERR_DEVICE,
                "no OpenCL device matches \"%s\" (give \"PLATFORM:DEVICE\" indices or part of "
                "a device name); run `textsim devices` to list them. Available devices:",
                spec);
        for (size_t i = 0; i < n; i++) {
            char line[300];
            snprintf(line, sizeof line, "\n  %u:%u %s", list[i].info.platform,
                     list[i].info.device, list[i].info.name);
            ts_diag_append_tail(diag, line);
        }
        free(list);
        return TS_ERR_DEVICE;
    }
    *platform = list[pick].platform;
    *device = list[pick].device;
    if (info)
        *info = list[pick].info;
    free(list);
    return TS_OK;
}
