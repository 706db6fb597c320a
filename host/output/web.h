/*
 * web.h - the report page's web files, embedded at build time (internal).
 *
 * CMake turns every host/output/web/NAME file (report.css, report.js) into
 * a C array (cmake/embed.cmake, as the kernels are), so report.html is
 * written with no file beside the binary and the page's code stays real CSS
 * and JavaScript that can be linted and read as such.
 */
#ifndef TS_OUTPUT_WEB_H
#define TS_OUTPUT_WEB_H

#include "base/resource.h"

/* NULL if no web file has that name, e.g. "host/output/web/report.js". */
const ts_resource *ts_web_find(const char *name);

#endif
