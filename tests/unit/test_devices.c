/*
 * test_devices.c - OpenCL device listing and selection.
 *
 * Checks the list against what the driver reports (at least one device with
 * consistent fields and a valid default), the "P:D" and name-substring
 * selection rules, the error for an unknown device, the OpenCL error-name
 * table and, in a child process with no ICD configured, TS_ERR_NO_PLATFORM
 * with its advice.  Tests that need a device skip only when no platform
 * exists at all.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine/devices.h"
#include "textsim.h"

static const char no_platform_text[] =
    "no OpenCL platform found: install a driver (on Debian: apt-get install pocl-opencl-icd) "
    "or use --backend=cpu";

/* The device list, or skip when there is no platform. */
static ts_device_info *list_or_skip(size_t *n, size_t *def)
{
    ts_device_info *list = NULL;
    ts_diag d;
    ts_status st = ts_devices_list(&list, n, def, &d);
    if (st == TS_ERR_NO_PLATFORM) {
        print_message("SKIP: no OpenCL platform: %s\n", d.message);
        skip();
    }
    assert_int_equal(st, TS_OK);
    return list;
}

static void test_list(void **state)
{
    (void)state;
    size_t n = 0, def = 99;
    ts_device_info *list = list_or_skip(&n, &def);
    assert_true(n >= 1);
    assert_true(def < n);
    int any_gpu = 0, any_cpu = 0;
    for (size_t i = 0; i < n; i++) {
        const ts_device_info *x = &list[i];
        print_message("%u:%u %s | %s | %s | %s | %s | gpu %d cpu %d | %u CU | global %llu "
                      "local %llu max alloc %llu\n",
                      x->platform, x->device, x->name, x->platform_name, x->vendor, x->version,
                      x->driver, x->is_gpu, x->is_cpu, x->compute_units,
                      (unsigned long long)x->global_memory, (unsigned long long)x->local_memory,
                      (unsigned long long)x->max_allocation);
        assert_true(strlen(x->name) > 0);
        assert_true(strlen(x->platform_name) > 0);
        assert_memory_equal(x->version, "OpenCL ", 7);
        assert_true(x->compute_units >= 1);
        assert_true(x->global_memory > 0);
        assert_true(x->max_allocation > 0 && x->max_allocation <= x->global_memory);
        assert_true(x->local_memory > 0);
        /* indices: platforms ascend, devices count from 0 within a platform */
        if (i == 0) {
            assert_int_equal(x->device, 0);
        } else if (x->platform == list[i - 1].platform) {
            assert_int_equal(x->device, list[i - 1].device + 1);
        } else {
            assert_true(x->platform > list[i - 1].platform);
            assert_int_equal(x->device, 0);
        }
        /* no blank padding left in names */
        assert_false(isspace((unsigned char)x->name[0]));
        assert_false(isspace((unsigned char)x->name[strlen(x->name) - 1]));
        any_gpu |= x->is_gpu;
        any_cpu |= x->is_cpu;
    }
    /* the default is the first GPU, else the first CPU */
    for (size_t i = 0; i < def; i++)
        assert_false(list[i].is_gpu || (!any_gpu && list[i].is_cpu));
    if (any_gpu)
        assert_true(list[def].is_gpu);
    else if (any_cpu)
        assert_true(list[def].is_cpu);
    ts_devices_free(list);
    ts_devices_free(NULL);
}

static void test_select(void **state)
{
    (void)state;
    size_t n, def;
    ts_device_info *list = list_or_skip(&n, &def);
    cl_platform_id p;
    cl_device_id dev;
    ts_device_info info;
    ts_diag d;
    /* default */
    assert_int_equal(ts_opencl_select_device(NULL, &p, &dev, &info, &d), TS_OK);
    assert_int_equal(info.platform, list[def].platform);
    assert_int_equal(info.device, list[def].device);
    assert_int_equal(ts_opencl_select_device("", &p, &dev, &info, &d), TS_OK);
    assert_string_equal(info.name, list[def].name);
    /* the handle really is that device */
    char name[256];
    assert_int_equal(clGetDeviceInfo(dev, CL_DEVICE_NAME, sizeof name, name, NULL), CL_SUCCESS);
    assert_non_null(strstr(name, info.name));
    /* indices */
    for (size_t i = 0; i < n; i++) {
        char spec[32];
        snprintf(spec, sizeof spec, "%u:%u", list[i].platform, list[i].device);
        assert_int_equal(ts_opencl_select_device(spec, &p, &dev, &info, &d), TS_OK);
        assert_int_equal(info.platform, list[i].platform);
        assert_int_equal(info.device, list[i].device);
    }
    /* a case-changed substring of the last device's name picks the first match */
    const char *last = list[n - 1].name;
    size_t len = strlen(last);
    char sub[64];
    size_t take = len < 8 ? len : 8;
    for (size_t i = 0; i < take; i++)
        sub[i] = (char)toupper((unsigned char)last[len - take + i]);
    sub[take] = '\0';
    assert_int_equal(ts_opencl_select_device(sub, &p, &dev, &info, &d), TS_OK);
    size_t first = n;
    for (size_t i = 0; i < n && first == n; i++) {
        char up[128];
        size_t k = 0;
        for (; list[i].name[k]; k++)
            up[k] = (char)toupper((unsigned char)list[i].name[k]);
        up[k] = '\0';
        if (strstr(up, sub))
            first = i;
    }
    assert_true(first < n);
    assert_int_equal(info.platform, list[first].platform);
    assert_int_equal(info.device, list[first].device);
    ts_devices_free(list);
}

static void test_select_unknown(void **state)
{
    (void)state;
    size_t n, def;
    ts_device_info *list = list_or_skip(&n, &def);
    static const char *specs[] = {"surely-not-a-device", "99:0", "0:99", "0:", ":0", "1x:2"};
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        cl_platform_id p;
        cl_device_id dev;
        ts_diag d;
        assert_int_equal(ts_opencl_select_device(specs[s], &p, &dev, NULL, &d), TS_ERR_DEVICE);
        assert_int_equal(d.status, TS_ERR_DEVICE);
        assert_non_null(strstr(d.message, specs[s]));
        assert_non_null(strstr(d.message, "run `textsim devices` to list them"));
        for (size_t i = 0; i < n; i++) {
            char line[300];
            snprintf(line, sizeof line, "%u:%u %s", list[i].platform, list[i].device,
                     list[i].name);
            assert_non_null(strstr(d.message, line));
        }
    }
    ts_devices_free(list);
}

static void test_error_names(void **state)
{
    (void)state;
    assert_string_equal(ts_opencl_error_name(CL_SUCCESS), "CL_SUCCESS");
    assert_string_equal(ts_opencl_error_name(-5), "CL_OUT_OF_RESOURCES");
    assert_string_equal(ts_opencl_error_name(-11), "CL_BUILD_PROGRAM_FAILURE");
    assert_string_equal(ts_opencl_error_name(-54), "CL_INVALID_WORK_GROUP_SIZE");
    assert_string_equal(ts_opencl_error_name(-1001), "CL_PLATFORM_NOT_FOUND_KHR");
    assert_string_equal(ts_opencl_error_name(-12345), "CL_UNKNOWN_ERROR");
    assert_int_equal(ts_opencl_status(CL_MEM_OBJECT_ALLOCATION_FAILURE), TS_ERR_DEVICE_MEMORY);
    assert_int_equal(ts_opencl_status(CL_OUT_OF_RESOURCES), TS_ERR_DEVICE_MEMORY);
    assert_int_equal(ts_opencl_status(CL_OUT_OF_HOST_MEMORY), TS_ERR_DEVICE_MEMORY);
    assert_int_equal(ts_opencl_status(CL_INVALID_KERNEL_ARGS), TS_ERR_OPENCL);
    ts_diag d;
    assert_int_equal(ts_opencl_fail(&d, CL_INVALID_VALUE, "clFoo", "dev"), TS_ERR_OPENCL);
    assert_non_null(strstr(d.message, "clFoo"));
    assert_non_null(strstr(d.message, "CL_INVALID_VALUE"));
    assert_non_null(strstr(d.message, "dev"));
    assert_int_equal(ts_opencl_fail(&d, CL_OUT_OF_RESOURCES, "clBar", "dev"),
                     TS_ERR_DEVICE_MEMORY);
    assert_int_equal(d.status, TS_ERR_DEVICE_MEMORY);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    size_t n;
    ts_diag d;
    assert_int_equal(ts_devices_list(NULL, &n, NULL, &d), TS_ERR_ARG);
}

/* In a process whose ICD loader finds no vendor file. */
static int no_platform_child(void)
{
    ts_device_info *list = (ts_device_info *)1;
    size_t n = 7;
    ts_diag d;
    if (ts_devices_list(&list, &n, NULL, &d) != TS_ERR_NO_PLATFORM || list || n)
        return 1;
    if (d.status != TS_ERR_NO_PLATFORM || strcmp(d.message, no_platform_text) != 0)
        return 2;
    cl_platform_id p;
    cl_device_id dev;
    if (ts_opencl_select_device(NULL, &p, &dev, NULL, &d) != TS_ERR_NO_PLATFORM ||
        strcmp(d.message, no_platform_text) != 0)
        return 3;
    return 0;
}

static void test_no_platform(void **state)
{
    (void)state;
    char self[4096], cmd[4300];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(k > 0);
    self[k] = '\0';
    snprintf(cmd, sizeof cmd,
             "OCL_ICD_VENDORS=/nonexistent-textsim OCL_ICD_FILENAMES= '%s' --no-platform-child",
             self);
    assert_int_equal(system(cmd), 0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--no-platform-child") == 0)
        return no_platform_child();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),          cmocka_unit_test(test_select),
        cmocka_unit_test(test_select_unknown), cmocka_unit_test(test_error_names),
        cmocka_unit_test(test_bad_arguments), cmocka_unit_test(test_no_platform),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
