/*
 * align_tables.h - the tables `textsim align` writes (internal).
 *
 *   statements.csv  id,source,index,offset,tokens,flag,cluster,support,text
 *   alignment.csv   source_a,index_a,source_b,index_b,score,model_score,cluster,reasons,
 *                   shared_terms,numbers_a,numbers_b,discrepancy,discrepancy_values,
 *                   text_a,text_b (score: the word cosine; model_score and reasons:
 *                   the match model's, empty under the cosine rule)
 *   clusters.csv    cluster,support,source,index,id,text (one row per member)
 *   clusters.jsonl  {"cluster":1,"support":3,"members":[{"id":..,"source":..,"index":..,"text":..}]}
 *   report.html     see report.h
 */
#ifndef TS_OUTPUT_ALIGN_TABLES_H
#define TS_OUTPUT_ALIGN_TABLES_H

#include "outfile.h"
#include "textsim.h"
#include "writers.h"

/* "short", "excluded", "short+excluded" or "" for a statement's flags. */
const char *ts_statement_flag_name(unsigned flags);
/* "clustered", "matched", "unique", "flagged". */
const char *ts_alignment_status_name(ts_alignment_status status);

ts_status ts_write_align_statements(ts_outfile *f, const ts_corpus *corpus,
                                    const ts_alignment *al, const ts_write_options *opt,
                                    ts_diag *diag);
ts_status ts_write_alignment(ts_outfile *f, const ts_corpus *corpus, const ts_alignment *al,
                             const ts_write_options *opt, ts_diag *diag);
ts_status ts_write_clusters_csv(ts_outfile *f, const ts_corpus *corpus, const ts_alignment *al,
                                const ts_write_options *opt, ts_diag *diag);
ts_status ts_write_clusters_jsonl(ts_outfile *f, const ts_corpus *corpus,
                                  const ts_alignment *al, ts_diag *diag);

#endif
