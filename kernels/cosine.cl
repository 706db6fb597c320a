/*
 * cosine.cl - cosine similarity of sparse rows, one block of the matrix per
 * launch (OpenCL C 1.2, self-contained).
 *
 * Rows are already normalised by the vectorizer, so the cosine is the plain
 * dot product (with norm "none" the dot product is what is asked for); the
 * kernel never renormalises.  For the block [row0, row0+nrows) x
 * [col0, col0+ncols) of A * B^T it writes out[r * ncols + c] (r, c relative
 * to the block).  A and B are CSR with strictly ascending column indices;
 * BT is B transposed (CSR of B's columns: for each term, the B rows that
 * contain it, ascending), used by the scatter algorithm only.
 *
 * Two algorithms, chosen at build time with -DTS_ALGO=...:
 *
 *   TS_ALGO_SCATTER (default): one work-group per row r and chunk of
 *     TS_CHUNK columns.  With the chunk held in local memory, the group
 *     walks r's terms in ascending order and, for each term, scatters
 *     a_rk * b_ck over the term's posting list (BT row k) into the chunk,
 *     one posting per work-item.
 *     Work is proportional to the multiply-adds that are really non-zero
 *     (Gustavson's row-by-row product) instead of nnz(a) + nnz(b) per pair,
 *     which pays off when many pairs share no term.
 *   TS_ALGO_MERGE: one work-item per (row, column) pair merges the two sorted
 *     index lists, switching to binary search when one list is much longer.
 *   On pocl (2 cores), 8000 rows of 20 Zipf-distributed terms out of 15000:
 *   scatter about 1e8 pairs/s, merge about 6e6.
 *
 * Both accumulate the products of a pair in ascending term order with
 * Neumaier's compensated summation, and add the rounding error of each
 * product (exact through fma), so a result is within about one float ulp of
 * the exact dot product of the float inputs whatever the number of
 * non-zeros, and both algorithms give bit-identical results.
 * FP_CONTRACT is off so the compiler cannot fuse and break the compensation.
 * With -DTS_ACCUM_DOUBLE=1 (the host sets it on CPU devices, where double
 * is full speed) they accumulate in double instead: float products are
 * exact in double, so the result is as precise, for less work.
 *
 * The host reads the work-group shape from reqd_work_group_size and the
 * algorithm from the kernel's name: ts_cosine_scatter is launched with
 * global size (TS_WG * number of chunks, nrows), ts_cosine_merge with
 * global size (ncols rounded up to TS_WG_X, nrows rounded up to TS_WG_Y).
 */
#pragma OPENCL FP_CONTRACT OFF

#ifdef TS_SYNTAX_ERROR
#error "TS_SYNTAX_ERROR is defined: this build fails on purpose"
#endif

#define TS_ALGO_SCATTER 1
#define TS_ALGO_MERGE 2

#ifndef TS_ALGO
#define TS_ALGO TS_ALGO_SCATTER
#endif
/* Work-items of a scatter work-group (one row). */
#ifndef TS_WG
#define TS_WG 32
#endif
/* Columns accumulated in local memory at a time by the scatter kernel
 * (2 floats each). */
#ifndef TS_CHUNK
#define TS_CHUNK 2048
#endif
/* Merge work-group shape: columns x rows. */
#ifndef TS_WG_X
#define TS_WG_X 64
#endif
#ifndef TS_WG_Y
#define TS_WG_Y 1
#endif
/* Binary-search the longer list when it is this many times longer. */
#ifndef TS_GALLOP_RATIO
#define TS_GALLOP_RATIO 8
#endif
/* 1: add each product's rounding error (fma) to the compensation. */
#ifndef TS_EXACT_PRODUCTS
#define TS_EXACT_PRODUCTS 1
#endif

/* 1: accumulate in double (needs cl_khr_fp64): the product of two floats is
 * exact in double and the sum loses nothing that matters, without the cost
 * of compensation.  Worth it where double arithmetic runs at full speed
 * (CPU devices); the host turns it on for those. */
#ifndef TS_ACCUM_DOUBLE
#define TS_ACCUM_DOUBLE 0
#endif
#if TS_ACCUM_DOUBLE
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double ts_acc;
#else
typedef float ts_acc;
#endif

/* 0: plain float summation (only to measure what compensation buys). */
#ifndef TS_COMPENSATED
#define TS_COMPENSATED 1
#endif

/* Neumaier's step: s + c carries the sum, c the lost low-order bits. */
#if TS_COMPENSATED
#define TS_NEUMAIER(s, c, x)                 \
    do {                                     \
        float t_ = (s) + (x);                \
        if (fabs(s) >= fabs(x))              \
            (c) += ((s) - t_) + (x);         \
        else                                 \
            (c) += ((x) - t_) + (s);         \
        (s) = t_;                            \
    } while (0)
#else
#define TS_NEUMAIER(s, c, x) ((s) += (x))
#endif

/* Accumulate a * b into (s, c). */
#if TS_ACCUM_DOUBLE
#define TS_ACCUMULATE(s, c, a, b) ((s) += (double)(a) * (double)(b))
#elif TS_EXACT_PRODUCTS
#define TS_ACCUMULATE(s, c, a, b)            \
    do {                                     \
        float p_ = (a) * (b);                \
        (c) += fma((a), (b), -p_);           \
        TS_NEUMAIER(s, c, p_);               \
    } while (0)
#else
#define TS_ACCUMULATE(s, c, a, b)            \
    do {                                     \
        float p_ = (a) * (b);                \
        TS_NEUMAIER(s, c, p_);               \
    } while (0)
#endif

/* First position in idx[lo, hi) whose value is >= key. */
inline uint ts_lower_bound(__global const uint *idx, uint lo, uint hi, uint key)
{
    while (lo < hi) {
        uint mid = lo + (hi - lo) / 2;
        if (idx[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

#if TS_ALGO == TS_ALGO_SCATTER

__kernel __attribute__((reqd_work_group_size(TS_WG, 1, 1))) void
ts_cosine_scatter(__global const uint *a_ptr, __global const uint *a_idx,
                  __global const float *a_val, __global const uint *b_ptr,
                  __global const uint *b_idx, __global const float *b_val,
                  __global const uint *bt_ptr, __global const uint *bt_idx,
                  __global const float *bt_val, uint row0, uint nrows, uint col0, uint ncols,
                  uint b_rows, __global float *out)
{
    __local ts_acc acc_s[TS_CHUNK];
#if !TS_ACCUM_DOUBLE
    __local float acc_c[TS_CHUNK];
#endif
    const uint lr = get_global_id(1);
    const uint lid = get_local_id(0);
    if (lr >= nrows) /* uniform over the group: the group is one row */
        return;
    const uint r = row0 + lr;
    const uint ia = a_ptr[r], ie = a_ptr[r + 1];
    __global float *orow = out + lr * ncols;
    /* Searching the postings for the chunk is needed only when the chunk
     * does not cover every row of B. */
    const int whole = col0 == 0 && ncols == b_rows && ncols <= TS_CHUNK;

    /* one chunk per group along x; loop in case the host launched fewer */
    for (uint c0 = get_group_id(0) * TS_CHUNK; c0 < ncols;
         c0 += get_num_groups(0) * TS_CHUNK) {
        const uint cn = min((uint)TS_CHUNK, ncols - c0);
        if (ia == ie) {
            for (uint c = lid; c < cn; c += TS_WG)
                orow[c0 + c] = 0.0f;
            continue;
        }
        for (uint c = lid; c < cn; c += TS_WG) {
            acc_s[c] = 0;
#if !TS_ACCUM_DOUBLE
            acc_c[c] = 0.0f;
#endif
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        const uint lo = col0 + c0, hi = lo + cn;
        for (uint i = ia; i < ie; i++) {
            const uint k = a_idx[i];
            const float av = a_val[i];
            uint ps = bt_ptr[k], pe = bt_ptr[k + 1];
            if (!whole) {
                /* every work-item computes the same bounds */
                ps = ts_lower_bound(bt_idx, ps, pe, lo);
                pe = ts_lower_bound(bt_idx, ps, pe, hi);
            }
            if (ps == pe) /* uniform: skip the barrier for all or none */
                continue;
            for (uint p = ps + lid; p < pe; p += TS_WG) {
                const uint c = bt_idx[p] - lo;
#if TS_ACCUM_DOUBLE
                TS_ACCUMULATE(acc_s[c], 0, av, bt_val[p]);
#else
                float s = acc_s[c], e = acc_c[c];
                TS_ACCUMULATE(s, e, av, bt_val[p]);
                acc_s[c] = s;
                acc_c[c] = e;
#endif
            }
            /* two terms' postings may meet in one column */
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        for (uint c = lid; c < cn; c += TS_WG)
#if TS_ACCUM_DOUBLE
            orow[c0 + c] = (float)acc_s[c];
#else
            orow[c0 + c] = acc_s[c] + acc_c[c];
#endif
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

#elif TS_ALGO == TS_ALGO_MERGE

__kernel __attribute__((reqd_work_group_size(TS_WG_X, TS_WG_Y, 1))) void
ts_cosine_merge(__global const uint *a_ptr, __global const uint *a_idx,
                __global const float *a_val, __global const uint *b_ptr,
                __global const uint *b_idx, __global const float *b_val,
                __global const uint *bt_ptr, __global const uint *bt_idx,
                __global const float *bt_val, uint row0, uint nrows, uint col0, uint ncols,
                uint b_rows, __global float *out)
{
    (void)bt_ptr;
    (void)bt_idx;
    (void)bt_val;
    (void)b_rows;
    const uint lc = get_global_id(0), lr = get_global_id(1);
    if (lc >= ncols || lr >= nrows)
        return;
    const uint r = row0 + lr, c = col0 + lc;
    uint i = a_ptr[r], ie = a_ptr[r + 1];
    uint j = b_ptr[c], je = b_ptr[c + 1];
    ts_acc s = 0, e = 0;
    if (i < ie && j < je && a_idx[ie - 1] >= b_idx[j] && b_idx[je - 1] >= a_idx[i]) {
        const uint la = ie - i, lb = je - j;
        if (la > TS_GALLOP_RATIO * lb) {
            for (; j < je && i < ie; j++) {
                i = ts_lower_bound(a_idx, i, ie, b_idx[j]);
                if (i < ie && a_idx[i] == b_idx[j]) {
                    TS_ACCUMULATE(s, e, a_val[i], b_val[j]);
                    i++;
                }
            }
        } else if (lb > TS_GALLOP_RATIO * la) {
            for (; i < ie && j < je; i++) {
                j = ts_lower_bound(b_idx, j, je, a_idx[i]);
                if (j < je && b_idx[j] == a_idx[i]) {
                    TS_ACCUMULATE(s, e, a_val[i], b_val[j]);
                    j++;
                }
            }
        } else {
            while (i < ie && j < je) {
                const uint ka = a_idx[i], kb = b_idx[j];
                if (ka == kb) {
                    TS_ACCUMULATE(s, e, a_val[i], b_val[j]);
                    i++;
                    j++;
                } else if (ka < kb) {
                    i++;
                } else {
                    j++;
                }
            }
        }
    }
    out[lr * ncols + lc] = (float)(s + e);
}

#else
#error "TS_ALGO must be TS_ALGO_SCATTER (1) or TS_ALGO_MERGE (2)"
#endif
