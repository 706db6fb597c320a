/*
 * sort.h - sorting the short arrays of 64-bit keys that rows give (internal).
 */
#ifndef TS_SORT_H
#define TS_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sort k[0 .. n) ascending. */
void ts_sort_u64(uint64_t *k, size_t n);

#endif
