/*
 * opencl_util.h - OpenCL helpers shared by devices.c and backend_opencl.c
 * (internal).
 *
 * Error names and their mapping to ts_status, and the message of a failed
 * call.  Device selection is devices.h's.
 */
#ifndef TS_OPENCL_UTIL_H
#define TS_OPENCL_UTIL_H

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include "textsim.h"

/* cl_khr_icd: the ICD loader found no platform (from cl_ext.h). */
#define TS_CL_PLATFORM_NOT_FOUND_KHR (-1001)

/* "CL_OUT_OF_RESOURCES"; "CL_UNKNOWN_ERROR" for codes not in the table. */
const char *ts_opencl_error_name(cl_int err);

/* CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES and
 * CL_OUT_OF_HOST_MEMORY -> TS_ERR_DEVICE_MEMORY; anything else ->
 * TS_ERR_OPENCL. */
ts_status ts_opencl_status(cl_int err);

/* Fill diag for a failed call: "<call> failed on <device>: <NAME> (<code>)"
 * plus advice; returns the mapped status. */
ts_status ts_opencl_fail(ts_diag *diag, cl_int err, const char *call, const char *device);

#endif
