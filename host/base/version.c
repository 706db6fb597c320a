/*
 * version.c - the version of the library linked at run time (textsim.h).
 */
#include "textsim.h"

unsigned ts_version_number(void) { return TS_VERSION_NUMBER; }

const char *ts_version_string(void) { return TS_VERSION_STRING; }
