/*
 * pattern.h - a scikit-learn token pattern (Python re syntax) as an ICU
 * regular expression with the same matches (internal).
 */
#ifndef TS_PATTERN_H
#define TS_PATTERN_H

#include "textsim.h"

/* *icu receives a malloc'd NUL-terminated ICU pattern (free it); fails with
 * TS_ERR_NOMEM only: syntax errors are left to ICU's compiler. */
ts_status ts_pattern_from_python(const char *python, char **icu, ts_diag *diag);

#endif
