/*
 * heap.h - a binary heap of the k worst-kept items, for any element type
 * (internal).
 *
 * TS_HEAP_DEFINE(prefix, type, worse) defines two static functions over an
 * array h of `type` whose root h[0] is the worst element by worse(x, y)
 * ("x is worse than y"):
 *   prefix_sift_down(h, n, i)  restore the heap below i (after h[i] changed)
 *   prefix_sift_up(h, i)       restore the heap above i (after appending h[i])
 * Keeping the k best of a stream: append while fewer than k (sift_up), then
 * replace the root when an item beats it (sift_down).  A macro rather than
 * a void* heap with a comparator: the callers (topk.c's host selection,
 * explain.c) run it per candidate, where an indirect call and memcpy swaps
 * would cost more than the comparison.
 */
#ifndef TS_HEAP_H
#define TS_HEAP_H

#include <stddef.h>

#define TS_HEAP_DEFINE(prefix, type, worse)                                                  \
    static void prefix##_sift_down(type *h, size_t n, size_t i)                              \
    {                                                                                        \
        for (;;) {                                                                           \
            size_t w = i, l = 2 * i + 1, r = l + 1;                                          \
            if (l < n && worse(&h[l], &h[w]))                                                \
                w = l;                                                                       \
            if (r < n && worse(&h[r], &h[w]))                                                \
                w = r;                                                                       \
            if (w == i)                                                                      \
                return;                                                                      \
            type t_ = h[i];                                                                  \
            h[i] = h[w];                                                                     \
            h[w] = t_;                                                                       \
            i = w;                                                                           \
        }                                                                                    \
    }                                                                                        \
    static void prefix##_sift_up(type *h, size_t i)                                          \
    {                                                                                        \
        while (i > 0) {                                                                      \
            size_t p = (i - 1) / 2;                                                          \
            if (!worse(&h[i], &h[p]))                                                        \
                return;                                                                      \
            type t_ = h[i];                                                                  \
            h[i] = h[p];                                                                     \
            h[p] = t_;                                                                       \
            i = p;                                                                           \
        }                                                                                    \
    }

#endif
