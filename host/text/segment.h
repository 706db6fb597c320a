/*
 * segment.h - splitting text into statements (internal).
 *
 * Sentence mode runs ICU's sentence break iterator over the UTF-8 text
 * directly (UText).  With "@ss=standard" in the locale (the default is
 * "en@ss=standard") a break right after one of ICU's listed abbreviations
 * ("U.S.", "Mr.") is dropped, so "the U.S. envoy" and "Mr. So" stay whole;
 * segment.c applies ICU's list itself because ICU's own filter misses "U.S."
 * (hidden by "U.S.A.") and matches word ends ("app." as "pp.").  Line mode
 * splits at LF, CR LF and CR.  Either way spans are trimmed of Unicode
 * white space and empty spans are dropped.
 */
#ifndef TS_SEGMENT_H
#define TS_SEGMENT_H

#include <stddef.h>

#include "textsim.h"

typedef struct ts_segmenter ts_segmenter;

/* locale NULL means "en@ss=standard".  The text given to run must be valid UTF-8. */
ts_status ts_segmenter_create(ts_segmenter **out, ts_segment_mode mode, const char *locale,
                              ts_diag *diag);
void ts_segmenter_free(ts_segmenter *seg);

/* Receives each statement as [offset, offset + length) of the text. */
typedef ts_status (*ts_span_fn)(void *user, size_t offset, size_t length);

ts_status ts_segmenter_run(ts_segmenter *seg, const char *text, size_t length, ts_span_fn fn,
                           void *user, ts_diag *diag);

#endif
