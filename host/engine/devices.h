/*
 * devices.h - choosing the OpenCL device (devices.c; internal).
 *
 * The listing itself is public (ts_devices_* in textsim.h); the backend
 * needs the chosen platform and device handles, which stay internal.
 */
#ifndef TS_DEVICES_H
#define TS_DEVICES_H

#include "opencl_util.h"

/* Pick a device.  spec NULL or "" -> the default device (first GPU, else
 * first CPU, else first device); "P:D" -> platform P, device D; anything
 * else -> the first device whose name contains spec, case-insensitively.
 * TS_ERR_NO_PLATFORM when no platform or device exists; TS_ERR_DEVICE with
 * the list of devices when spec matches none.  *info receives the device's
 * description (may be NULL). */
ts_status ts_opencl_select_device(const char *spec, cl_platform_id *platform,
                                  cl_device_id *device, ts_device_info *info, ts_diag *diag);

#endif
