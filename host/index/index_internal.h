/*
 * index_internal.h - the ts_index handle (internal), shared by index.c
 * (build, add, search, accessors) and format.c (the file: save, open).
 *
 * Every array is read through the const pointers; they point either into
 * the handle's own allocations (built or added: the own_* fields) or into
 * the mapped file (opened: map), never both.  The model's rows and columns
 * follow the same rule (ts_tfidf_view over the mapping).
 */
#ifndef TS_INDEX_INTERNAL_H
#define TS_INDEX_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "textsim.h"

/* One archive statement as the file stores it: 32 bytes, no padding. */
typedef struct ts_index_record {
    uint64_t offset;   /* byte offset in its source's text (ts_statement.offset) */
    uint64_t text_off; /* where its text starts in the text blob */
    uint32_t length;   /* bytes of text */
    uint32_t source;   /* source number */
    uint32_t index;    /* 1-based position within its source */
    uint32_t reserved; /* 0 */
} ts_index_record;

struct ts_index {
    ts_tfidf *model;               /* the model and the archive's rows */
    size_t statements, sources;
    const ts_index_record *records; /* statements entries */
    const char *text;              /* the statements' texts back to back */
    uint64_t text_size;
    const char *names;             /* the sources' names, NUL-terminated, back to back */
    uint64_t names_size;
    const uint64_t *name_off;      /* sources entries */
    /* Owned storage (a built or added index), NULL for an opened one. */
    ts_index_record *own_records;
    char *own_text, *own_names;
    uint64_t *own_name_off;
    /* The mapped file of an opened index, or NULL. */
    void *map;
    size_t map_size;
};

#endif
