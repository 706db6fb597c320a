/*
 * resource.h - files embedded into the binary at build time (internal).
 *
 * CMake turns every kernels/NAME.cl and data/NAME file into a C array (cmake/embed.cmake) so the
 * library needs no file next to it at run time.
 */
#ifndef TS_RESOURCE_H
#define TS_RESOURCE_H

#include <stddef.h>

typedef struct ts_resource {
    const char *name; /* path relative to the source tree, e.g. "kernels/cosine.cl" */
    const char *data; /* NUL-terminated */
    size_t size;      /* bytes, without the terminating NUL */
} ts_resource;

/* NULL if no resource has that name. */
const ts_resource *ts_resource_find(const char *name);

#endif
