/*
 * filter.h - flagging the statements that take no part in an alignment
 * (internal).
 */
#ifndef TS_ALIGN_FILTER_H
#define TS_ALIGN_FILTER_H

#include <stdint.h>

#include "textsim.h"

/* For every statement i of corpus: tokens[i], its number of word tokens
 * (word_tokens[i] when word_tokens is not NULL: ts_tfidf_word_tokens),
 * and flags[i] |= TS_STATEMENT_SHORT (fewer than o->min_tokens) and
 * TS_STATEMENT_EXCLUDED (an exclusion pattern of o matches it).  flags and
 * tokens hold one entry per statement; flags start at 0 or at what the
 * caller set.  Fails with TS_ERR_ARG (an invalid pattern, named with its
 * file and line), TS_ERR_IO (the pattern file), TS_ERR_UNICODE or
 * TS_ERR_NOMEM. */
ts_status ts_align_flag(const ts_corpus *corpus, const ts_alignment_options *o,
                        const uint32_t *word_tokens, unsigned char *flags, unsigned *tokens,
                        ts_diag *diag);

#endif
