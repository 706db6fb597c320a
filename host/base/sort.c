/*
 * sort.c - sorting the short arrays of 64-bit keys that rows give.
 *
 * A statement's terms, packed with a count or a frequency into one 64-bit
 * key, are a few dozen at most: insertion sort beats qsort's calls through
 * a comparison function there, and qsort takes the rare long rows.  One
 * routine for the TF-IDF builder (term << 32 | count) and the OpenCL
 * backend's frequency order (rank << 32 | term).
 */
#include <stdlib.h>

#include "sort.h"

/* Rows longer than this go to qsort. */
#define INSERTION_MAX 32

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

void ts_sort_u64(uint64_t *k, size_t n)
{
    if (n > INSERTION_MAX) {
        qsort(k, n, sizeof *k, cmp_u64);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint64_t x = k[i];
        size_t j = i;
        for (; j > 0 && k[j - 1] > x; j--)
            k[j] = k[j - 1];
        k[j] = x;
    }
}
