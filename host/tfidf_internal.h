/*
 * tfidf_internal.h - access to the CSR matrix behind a ts_tfidf (internal).
 */
#ifndef TS_TFIDF_INTERNAL_H
#define TS_TFIDF_INTERNAL_H

#include "csr.h"
#include "textsim.h"

const ts_csr *ts_tfidf_csr(const ts_tfidf *tfidf);

#endif
