/*
 * report.h - report.html of `textsim align` (internal).
 *
 * One self-contained HTML file that works offline: no external scripts,
 * styles, fonts or images.  Every piece of input text is HTML-escaped.  The
 * output is deterministic (no timestamps), like every textsim output.
 */
#ifndef TS_OUTPUT_REPORT_H
#define TS_OUTPUT_REPORT_H

#include "outfile.h"
#include "textsim.h"

typedef struct ts_report_info {
    const char *title;    /* e.g. the input names */
    const char *settings; /* one line: threshold, match mode, options */
    const char *const *source_url;  /* NULL, or per source: its page (http/https), or NULL */
    const char *const *source_date; /* NULL, or per source: its date as given, or NULL */
} ts_report_info;

ts_status ts_write_report(ts_outfile *f, const ts_corpus *corpus, const ts_tfidf *tfidf,
                          const ts_alignment *al, const ts_report_info *info, ts_diag *diag);

#endif
