/*
 * report_facts.h - report.html's answer to "who said what" (internal, the output
 * wing; report.c places the sections).
 *
 * A fact is a cluster that two or more sources share.  The facts section is
 * a table of every fact against every source (reported or not, and whether
 * that source's numbers differ), sorted, filtered, searched and paged in the
 * browser from one JSON document.  The cluster map is the similarity of the
 * clustered statements in cluster order, sources in order within each, so
 * that each fact is a block on the diagonal.
 */
#ifndef TS_OUTPUT_REPORT_FACTS_H
#define TS_OUTPUT_REPORT_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "align/numbers.h"
#include "base/buf.h"
#include "textsim.h"

/* Rows of the facts table per page, and clustered statements in the map. */
#define TS_FACTS_PAGE 50
#define TS_FACTS_MAP_MAX 400

/* The numbers the k members m[] of a cluster disagree on, who says what, as
 * plain text: "percent: 19 (bbc, ap) vs 20 (reuters)"; "; " between units;
 * nothing when they agree.  nums[j] are member j's numbers.  Units are
 * those on which two members disagree by the rule of numbers.h. */
void ts_facts_numbers_differ(const ts_corpus *corpus, const uint32_t *m,
                             const ts_number_list *nums, size_t k, ts_buf *out);

/* The "Who said what" section (id "facts"): controls, an empty table the
 * page's script fills, and the facts as JSON (id "facts-data"). */
void ts_facts_write(ts_buf *b, const ts_corpus *corpus, const ts_alignment *al);

/* The cluster map section (id "cluster-map"): a canvas and its JSON
 * (id "map-data"), cosines from the TF-IDF rows. */
void ts_facts_write_map(ts_buf *b, const ts_corpus *corpus, const ts_tfidf *tfidf,
                        const ts_alignment *al);

#endif
