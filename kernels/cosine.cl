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
 * The dense front (scatter only): the few terms that occur in a large share
 * of the statements make most of the products (sum of df^2), and their
 * postings are long lists of nearly every column, the worst case for
 * scattering.  The host flags them in `front` (1 + the term's slot, else 0)
 * and gives their weights as dense term-major arrays (front_b[slot * ld +
 * c]: the weight of the slot's term in statement c; zeros where absent),
 * and ts_cosine_scatter scatters only the other terms, starting each
 * column from the front's share, which it takes
 *   TS_DENSE_ROWS: computes itself, a dense row-times-matrix product of
 *     the row's own front terms (a few) with the chunk's front columns,
 *     8 contiguous cells a vector (for CPU devices, where the register-
 *     tiled kernel below runs slowly on pocl);
 *   TS_DENSE_TILED: reads from out, where ts_cosine_dense, a register-
 *     tiled dense product of the block's rows and columns on all the front
 *     terms, put it (for GPUs).
 * The sum is then no longer taken in ascending term order, so a score may
 * differ from ts_cosine_merge's in the last bit (both within about one
 * float ulp of the exact product).
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
#ifdef TS_WARNING_PROBE
#warning "TS_WARNING_PROBE is defined: this build warns on purpose"
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
/* TS_CHUNK rounded up to a multiple of 8: the chunk is cleared and written
 * 8 cells at a time. */
#define TS_CHUNK8 (((TS_CHUNK) + 7) / 8 * 8)
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
/* TS_ACC8(x): 8 floats as 8 accumulators; TS_ACC8_STORE(v, p) stores them
 * at p; TS_ACC8_LOAD(p) loads 8 accumulators from p as floats.  A double8
 * never crosses a built-in's call: it is 512 bits, and passing one on a CPU
 * without AVX-512 makes clang warn that the call's ABI changes (-Wpsabi),
 * at every pocl build of the kernels.  Its halves, double4, need only AVX;
 * the conversions are per cell, so the results are the same bits. */
#if TS_ACCUM_DOUBLE
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double ts_acc;
typedef double8 ts_acc8;
#define TS_ACC8(x) ((double8)(convert_double4((x).lo), convert_double4((x).hi)))
#define TS_ACC8_STORE(v, p) (vstore4((v).lo, 0, (p)), vstore4((v).hi, 1, (p)))
#define TS_ACC8_LOAD(p) ((float8)(convert_float4(vload4(0, (p))), convert_float4(vload4(1, (p)))))
#else
typedef float ts_acc;
typedef float8 ts_acc8;
#define TS_ACC8(x) (x)
#define TS_ACC8_STORE(v, p) vstore8((v), 0, (p))
#define TS_ACC8_LOAD(p) vload8(0, (p))
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

/* The same for 8 cells: s, c += a * b (a scalar, b 8 cells), with Knuth's
 * branch-free two-sum in place of Neumaier's step. */
#if TS_ACCUM_DOUBLE
#define TS_ACCUMULATE8(s, c, a, b) ((s) += (double)(a) * TS_ACC8(b))
#else
#define TS_ACCUMULATE8(s, c, a, b)                   \
    do {                                             \
        const float8 p8_ = (a) * (b);                \
        (c) += fma((float8)(a), (b), -p8_);          \
        const float8 t8_ = (s) + p8_;                \
        const float8 z8_ = t8_ - (s);                \
        (c) += ((s) - (t8_ - z8_)) + (p8_ - z8_);    \
        (s) = t8_;                                   \
    } while (0)
#endif

/* The dense front: off, computed in the scatter kernel, or read from out
 * (see the top of this file). */
#define TS_DENSE_OFF 0
#define TS_DENSE_ROWS 1
#define TS_DENSE_TILED 2
/* Most front terms (ts_cosine_dense keeps 2 * TS_DENSE_TILE of their
 * weights in local memory for each). */
#ifndef TS_DENSE_TERMS
#define TS_DENSE_TERMS 32
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

/* The dot product of two sparse rows, products added in ascending term
 * order (as the scatter kernel adds them, so both give the same bits):
 * a merge of the sorted index lists, switching to binary search when one
 * list is much longer. */
inline float ts_dot_merge(__global const uint *a_idx, __global const float *a_val, uint i,
                          uint ie, __global const uint *b_idx, __global const float *b_val,
                          uint j, uint je)
{
    ts_acc s = 0;
#if !TS_ACCUM_DOUBLE
    float e = 0; /* the compensation (TS_ACCUMULATE in double ignores it) */
#endif
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
            /* the indices advance without a branch: which list is behind
             * is a coin toss the branch predictor loses (a third of the
             * pairs kernel's time on pocl went to this loop) */
            while (i < ie && j < je) {
                const uint ka = a_idx[i], kb = b_idx[j];
                if (ka == kb)
                    TS_ACCUMULATE(s, e, a_val[i], b_val[j]);
                i += ka <= kb;
                j += kb <= ka;
            }
        }
    }
#if TS_ACCUM_DOUBLE
    return (float)s;
#else
    return s + e;
#endif
}

#if TS_ALGO == TS_ALGO_SCATTER

__kernel __attribute__((reqd_work_group_size(TS_WG, 1, 1))) void
ts_cosine_scatter(__global const uint *a_ptr, __global const uint *a_idx,
                  __global const float *a_val, __global const uint *b_ptr,
                  __global const uint *b_idx, __global const float *b_val,
                  __global const uint *bt_ptr, __global const uint *bt_idx,
                  __global const float *bt_val, uint row0, uint nrows, uint col0, uint ncols,
                  uint b_rows, __global const uchar *front, __global const float *front_b,
                  uint front_ld, uint dense, __global float *out)
{
    (void)b_ptr; /* the scatter kernel reads B through its postings (bt_*); */
    (void)b_idx; /* both kernels take one argument list */
    (void)b_val;
    __local ts_acc acc_s[TS_CHUNK8];
#if !TS_ACCUM_DOUBLE
    __local float acc_c[TS_CHUNK8];
#endif
    __local uint front_slot[TS_DENSE_TERMS];
    __local float front_w[TS_DENSE_TERMS];
    __local uint front_n;
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
    if (dense == TS_DENSE_ROWS) { /* the row's front terms, in term order */
        if (lid == 0) {
            uint n = 0;
            for (uint i = ia; i < ie && n < TS_DENSE_TERMS; i++)
                if (front[a_idx[i]]) {
                    front_slot[n] = front[a_idx[i]] - 1;
                    front_w[n++] = a_val[i];
                }
            front_n = n;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const uint nfront = dense == TS_DENSE_ROWS ? front_n : 0;

    /* one chunk per group along x; loop in case the host launched fewer */
    for (uint c0 = get_group_id(0) * TS_CHUNK; c0 < ncols;
         c0 += get_num_groups(0) * TS_CHUNK) {
        const uint cn = min((uint)TS_CHUNK, ncols - c0);
        if (ia == ie) {
            for (uint c = lid; c < cn; c += TS_WG)
                orow[c0 + c] = 0.0f;
            continue;
        }
        /* 8 cells a store, each work-item on its own 8 (strided scalar
         * stores cost more than the products on pocl); the arrays hold
         * TS_CHUNK8 cells, so the last 8 stay inside.  With the dense
         * front, each cell starts from the front's share (front_b is
         * padded: its rows hold 8 cells past the last column). */
        const uint lo = col0 + c0, hi = lo + cn;
        for (uint c8 = 8 * lid; c8 < cn; c8 += 8 * TS_WG) {
            ts_acc8 init = (ts_acc8)0;
#if !TS_ACCUM_DOUBLE
            float8 init_c = (float8)0;
#endif
            if (dense == TS_DENSE_TILED && c8 + 8 <= cn) {
                init = TS_ACC8(vload8(0, orow + c0 + c8));
            } else if (dense == TS_DENSE_TILED) {
                float tail[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                for (uint c = c8; c < cn; c++)
                    tail[c - c8] = orow[c0 + c];
                init = TS_ACC8(vload8(0, tail));
            }
            for (uint q = 0; q < nfront; q++)
                TS_ACCUMULATE8(init, init_c, front_w[q],
                               vload8(0, front_b + (size_t)front_slot[q] * front_ld + lo + c8));
            TS_ACC8_STORE(init, acc_s + c8);
#if !TS_ACCUM_DOUBLE
            vstore8(init_c, 0, acc_c + c8);
#endif
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (uint i = ia; i < ie; i++) {
            const uint k = a_idx[i];
            if (dense && front[k]) /* uniform: in the front's product already */
                continue;
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
        for (uint c8 = 8 * lid; c8 < cn; c8 += 8 * TS_WG) {
#if TS_ACCUM_DOUBLE
            const float8 v = TS_ACC8_LOAD(acc_s + c8);
#else
            const float8 v = TS_ACC8_LOAD(acc_s + c8) + vload8(0, acc_c + c8);
#endif
            if (c8 + 8 <= cn) {
                vstore8(v, 0, orow + c0 + c8);
            } else {
                float tail[8];
                vstore8(v, 0, tail);
                for (uint c = c8; c < cn; c++)
                    orow[c0 + c] = tail[c - c8];
            }
        }
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
                uint b_rows, __global const uchar *front, __global const float *front_b,
                uint front_ld, uint dense, __global float *out)
{
    (void)bt_ptr;
    (void)bt_idx;
    (void)bt_val;
    (void)b_rows;
    (void)front; /* the host never asks the merge kernel for the dense front */
    (void)front_b;
    (void)front_ld;
    (void)dense;
    const uint lc = get_global_id(0), lr = get_global_id(1);
    if (lc >= ncols || lr >= nrows)
        return;
    const uint r = row0 + lr, c = col0 + lc;
    out[lr * ncols + lc] =
        ts_dot_merge(a_idx, a_val, a_ptr[r], a_ptr[r + 1], b_idx, b_val, b_ptr[c], b_ptr[c + 1]);
}

#else
#error "TS_ALGO must be TS_ALGO_SCATTER (1) or TS_ALGO_MERGE (2)"
#endif

/* ------------------------------------------------------------------------
 * ts_cosine_dense: the dense front's share of a block, out[r * ncols + c] =
 * sum over f of front_a[f * lda + row0 + r] * front_b[f * ldb + col0 + c]
 * (term-major, as the scatter kernel reads them), products added in
 * ascending f (the front's terms in ascending term order) with the same
 * accumulation as the other kernels.
 *
 * Register-tiled: a work-group of TS_DENSE_WG x TS_DENSE_WG work-items owns
 * a tile of TS_DENSE_TILE rows x TS_DENSE_TILE columns and first copies the
 * tile's dense rows and columns, all their terms, to local memory (term-
 * major, so that neighbouring work-items read neighbouring words); each
 * work-item then keeps a TS_DENSE_MICRO x TS_DENSE_MICRO micro-tile of sums
 * in registers, its rows and columns strided by TS_DENSE_WG so that the
 * stores of neighbouring work-items are neighbours.  With at most
 * TS_DENSE_TERMS terms the whole reduction fits in one load: there is one
 * barrier per tile.  Global size: (ncols, nrows) tiles times TS_DENSE_WG.
 * ------------------------------------------------------------------------ */

/* Work-items per side of a dense work-group. */
#ifndef TS_DENSE_WG
#define TS_DENSE_WG 16
#endif
/* Rows (and columns) of a work-item's micro-tile. */
#ifndef TS_DENSE_MICRO
#define TS_DENSE_MICRO 4
#endif
#define TS_DENSE_TILE (TS_DENSE_WG * TS_DENSE_MICRO)

__kernel __attribute__((reqd_work_group_size(TS_DENSE_WG, TS_DENSE_WG, 1))) void
ts_cosine_dense(__global const float *front_a, uint lda, __global const float *front_b,
                uint ldb, uint terms, uint row0, uint nrows, uint col0, uint ncols,
                __global float *out)
{
    __local float ta[TS_DENSE_TERMS * TS_DENSE_TILE];
    __local float tb[TS_DENSE_TERMS * TS_DENSE_TILE];
    const uint lx = get_local_id(0), ly = get_local_id(1);
    const uint lid = ly * TS_DENSE_WG + lx;
    const uint tr = get_group_id(1) * TS_DENSE_TILE, tc = get_group_id(0) * TS_DENSE_TILE;
    terms = min(terms, (uint)TS_DENSE_TERMS); /* the host never passes more */
    /* consecutive work-items read consecutive floats of a term's weights;
     * rows and columns past the block read as zeros */
    for (uint i = lid; i < TS_DENSE_TILE * terms; i += TS_DENSE_WG * TS_DENSE_WG) {
        const uint f = i / TS_DENSE_TILE, t = i - f * TS_DENSE_TILE;
        ta[i] = tr + t < nrows ? front_a[(size_t)f * lda + row0 + tr + t] : 0.0f;
        tb[i] = tc + t < ncols ? front_b[(size_t)f * ldb + col0 + tc + t] : 0.0f;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    ts_acc s[TS_DENSE_MICRO][TS_DENSE_MICRO];
#if !TS_ACCUM_DOUBLE
    float e[TS_DENSE_MICRO][TS_DENSE_MICRO];
#endif
    for (uint i = 0; i < TS_DENSE_MICRO; i++)
        for (uint j = 0; j < TS_DENSE_MICRO; j++) {
            s[i][j] = 0;
#if !TS_ACCUM_DOUBLE
            e[i][j] = 0;
#endif
        }
    for (uint f = 0; f < terms; f++) {
        float av[TS_DENSE_MICRO], bv[TS_DENSE_MICRO];
        for (uint i = 0; i < TS_DENSE_MICRO; i++) {
            av[i] = ta[f * TS_DENSE_TILE + ly + i * TS_DENSE_WG];
            bv[i] = tb[f * TS_DENSE_TILE + lx + i * TS_DENSE_WG];
        }
        for (uint i = 0; i < TS_DENSE_MICRO; i++)
            for (uint j = 0; j < TS_DENSE_MICRO; j++)
                TS_ACCUMULATE(s[i][j], e[i][j], av[i], bv[j]);
    }
    for (uint i = 0; i < TS_DENSE_MICRO; i++) {
        const uint r = tr + ly + i * TS_DENSE_WG;
        for (uint j = 0; j < TS_DENSE_MICRO; j++) {
            const uint c = tc + lx + j * TS_DENSE_WG;
            if (r < nrows && c < ncols)
#if TS_ACCUM_DOUBLE
                out[(size_t)r * ncols + c] = (float)s[i][j];
#else
                out[(size_t)r * ncols + c] = s[i][j] + e[i][j];
#endif
        }
    }
}

/* ------------------------------------------------------------------------
 * ts_pairs_pruned: every pair of a threshold run (score >= min_score > 0)
 * in one pass, for ts_engine_pairs.  No block of scores is ever stored:
 * selection happens where the scores are made.
 *
 * One work-group per row r of the strip [row0, row0 + nrows) of a compares
 * r with the statements (rows) [col0, col1) of b, TS_PAIRS_CHUNK columns at
 * a time in local memory (pairs: all of b; a search shared among MPI ranks
 * may split the archive).  For pairs, b is a (the same buffers); for a search, a holds
 * the queries and b the archive.  Row r is statement r + shift among b's:
 * pairs pass 0 (r is itself), a search b's size (no query is an archive
 * statement).  A column qualifies when its score is > 0 and >= min_score,
 * it is not r + shift and, with groups (pairs only), it belongs to another
 * group; each qualifying pair is appended through the global counter
 * *count to cand_* (capacity cap; the host grows them and runs the strip
 * again when *count > cap).
 *
 * Pruning (the prefix bound of AllPairs and L2AP): ord_pos lists the entries
 * of r's terms from the most to the least frequent in b, and ord_bound[j]
 * is an upper bound on the dot product of r's first j + 1 terms in that
 * order with any statement of b: min(sum |r_t| * max_c |c_t|, ||r's
 * terms|| * max_c ||c||), the maxima over b's statements, rounded up.  The
 * group does not scatter the posting lists (bt, b transposed) of the prefix
 * whose bound is below TS_PRUNE_SHARE * min_score: the frequent terms,
 * which make most of the products of a plain sparse product (sum of df^2).
 * The other terms' products are summed per column (acc); a column whose sum
 * plus the skipped prefix's bound can reach min_score is then scored
 * exactly by ts_dot_merge, the products added in ascending term order, so
 * a score is bit-identical to the one ts_cosine_scatter and
 * ts_cosine_merge compute for the same two rows.
 *
 * The front (top-k runs): front_len[r] of r's first terms in that order
 * are b's most frequent terms (the host picks them), and front_norm[r]
 * (col_front_norm[c]) is the norm of a's row r's (b's row c's) front part,
 * rounded up.  When r's front is longer than the prefix above and its norm
 * is at most TS_FRONT_SHARE times the bar, the group skips the front
 * instead, and a column's bound becomes min(prefix bound, front_norm[r] *
 * col_front_norm[c]) (Cauchy-Schwarz on the front terms): the front makes
 * most of sum df^2, and few statements are made of frequent terms alone,
 * so few columns pass without sharing a rarer term with r.
 *
 * The first bar (top-k runs): before the ranges, up to TS_PAIRS_SEED
 * statements that share r's rarest terms are scored; their k-th best score
 * is a lower bound on r's k-th best, so the bar starts there instead of at
 * min_score.  The seeds may lie outside [col0, col1): the bar is then above
 * the range's own k-th best, but never above r's k-th best over all of b,
 * so every pair among those stays (a split search merges the ranges).
 *
 * work[2 * lr] and work[2 * lr + 1] receive the postings scanned and the
 * pairs scored exactly for row lr (the pruning counters).
 * ------------------------------------------------------------------------ */

/* Work-items of a pairs work-group (one row). */
#ifndef TS_PAIRS_WG
#define TS_PAIRS_WG 32
#endif
/* Columns per chunk (4 bytes of local memory each; a multiple of 32). */
#ifndef TS_PAIRS_CHUNK
#define TS_PAIRS_CHUNK 8192
#endif
#if TS_PAIRS_CHUNK % 32
#error "TS_PAIRS_CHUNK must be a multiple of 32"
#endif
/* Columns of the warm-up range around r's own position, compared first
 * to raise the bar of a top-k run before the first whole chunk (a multiple
 * of 32 that divides TS_PAIRS_CHUNK). */
#ifndef TS_PAIRS_WARM
#define TS_PAIRS_WARM 256
#endif
#if TS_PAIRS_CHUNK % TS_PAIRS_WARM || TS_PAIRS_WARM % 32
#error "TS_PAIRS_WARM must be a multiple of 32 that divides TS_PAIRS_CHUNK"
#endif
/* Statements scored first to give a top-k run its first bar (0: none). */
#ifndef TS_PAIRS_SEED
#define TS_PAIRS_SEED 32
#endif
/* (r, a) ranks before (s, b): higher score, then lower statement. */
inline int ts_ranks_before(float sa, uint a, float sb, uint b)
{
    return sa > sb || (sa == sb && a < b);
}
/* The skipped prefix may add at most this share of min_score: the larger,
 * the fewer postings scanned but the more pairs whose partial score cannot
 * rule them out and must be scored exactly (0: no skipping). */
#ifndef TS_PRUNE_SHARE
#define TS_PRUNE_SHARE 0.5f
#endif
/* The same for top-k runs, whose bar rises as the list fills: a pair
 * scored exactly costs more there (measured best on pocl: 0.5 for threshold
 * runs, 0.25 for top-10; bench/RESULTS.md). */
#ifndef TS_PRUNE_SHARE_TOPK
#define TS_PRUNE_SHARE_TOPK 0.25f
#endif
/* The front is skipped only when its norm is at most this multiple of the
 * bar: the larger, the more columns its per-column bound lets through to
 * be scored exactly. */
#ifndef TS_FRONT_SHARE
#define TS_FRONT_SHARE 2.0f
#endif
/* A prefix is skipped only when its bound is below the bar by this factor,
 * and a pair is ruled out only when its bound misses the bar by 100 times
 * it: far more than the rounding of a score (one float ulp) or of a float
 * partial sum of non-negative TF-IDF products (n ulps for n products). */
#ifndef TS_PRUNE_MARGIN
#define TS_PRUNE_MARGIN 1e-5f
#endif

/* Keep the k best of the scores qs[0, n) (with their statements qo) in
 * the sorted list best_s/best_o of *nbest entries: an insertion, in any
 * order of arrival (the order of ranks is total).  Scores below *bar never
 * enter; once k are kept, *bar rises to the k-th. */
inline void ts_keep_best(__local const float *qs, __local const uint *qo, uint n_in, uint k,
                         __local float *best_s, __local uint *best_o, __local uint *nbest,
                         __local float *bar)
{
    uint n = *nbest;
    for (uint u = 0; u < n_in; u++) {
        const float s = qs[u];
        const uint other = qo[u];
        if (!(s > 0.0f && s >= *bar))
            continue;
        if (n == k) {
            if (!ts_ranks_before(s, other, best_s[k - 1], best_o[k - 1]))
                continue;
            n--;
        }
        uint q = n++;
        for (; q > 0 && ts_ranks_before(s, other, best_s[q - 1], best_o[q - 1]); q--) {
            best_s[q] = best_s[q - 1];
            best_o[q] = best_o[q - 1];
        }
        best_s[q] = s;
        best_o[q] = other;
    }
    *nbest = n;
    if (n == k && best_s[k - 1] > *bar)
        *bar = best_s[k - 1];
}

__kernel __attribute__((reqd_work_group_size(TS_PAIRS_WG, 1, 1))) void
ts_pairs_pruned(__global const uint *a_ptr, __global const uint *a_idx,
                __global const float *a_val, __global const uint *b_ptr,
                __global const uint *b_idx, __global const float *b_val,
                __global const uint *bt_ptr, __global const uint *bt_idx,
                __global const float *bt_val, __global const uint *ord_pos,
                __global const float *ord_bound, __global const uint *front_len,
                __global const float *front_norm, __global const float *col_front_norm,
                uint row0, uint nrows, uint col0, uint col1, uint shift, uint k,
                float min_score,
                __global const uint *groups,
                __global const uint *chunk_group, uint use_groups, __global uint *out_other,
                __global float *out_score, volatile __global uint *count, uint cap,
                __global uint *cand_line, __global uint *cand_other, __global float *cand_score,
                __global uint *work, __local float *best_s, __local uint *best_o)
{
    /* partial scores, the scattered terms' products: float on every device,
     * since they only rule pairs out (within the margin below) and the
     * exact score comes from ts_dot_merge */
    __local float acc[TS_PAIRS_CHUNK];
    __local float qual_s[TS_PAIRS_CHUNK]; /* k > 0: a range's qualifying columns */
    __local uint qual_o[TS_PAIRS_CHUNK];
    __local uint span_s[TS_PAIRS_WG], span_e[TS_PAIRS_WG]; /* a batch of terms' postings */
    __local float span_v[TS_PAIRS_WG];                     /* and r's weights */
    __local uint posted, scored, nqual, nbest;
    __local float bar_l; /* min_score, or the k-th best score kept once k are */
    const uint lid = get_local_id(0), lr = get_group_id(0);
    if (lr >= nrows) /* uniform over the group: the group is one row */
        return;
    const uint r = row0 + lr, me = r + shift; /* me: r among b's statements */
    const uint ia = a_ptr[r], ie = a_ptr[r + 1];
    const uint g = use_groups ? groups[r] : 0;
    /* a statement's neighbours are near it in b; a query has none there */
    const uint wr = r / TS_PAIRS_WARM * TS_PAIRS_WARM;
    const uint w0 = !shift && wr >= col0 && wr < col1 ? wr : col0;
    if (lid == 0) {
        posted = scored = nqual = nbest = 0;
        bar_l = min_score;
    }
    uint my_posted = 0, my_scored = 0;
    /* zero once: the scan below zeroes every cell it reads, so each range
     * starts from zeros (8 cells a store: strided scalar stores cost more
     * than the rest of the pass on pocl) */
    for (uint c8 = 8 * lid; c8 < TS_PAIRS_CHUNK; c8 += 8 * TS_PAIRS_WG)
        vstore8((float8)0, 0, acc + c8);
    barrier(CLK_LOCAL_MEM_FENCE);

    /* Top-k: a first bar from the statements sharing r's rarest terms (up
     * to TS_PAIRS_SEED of them, distinct, scored exactly; L2Knng's idea
     * of an approximate first pass): the k-th best of any k statements is
     * a lower bound on r's k-th best.  They are not kept (their ranges
     * list them again); only the bar stays. */
    if (TS_PAIRS_SEED > 0 && k > 0) {
        if (lid == 0) {
            uint n = 0, seen = 0;
            for (uint j = ie; j > ia && n < TS_PAIRS_SEED && seen < 4 * TS_PAIRS_SEED; j--) {
                const uint term = a_idx[ord_pos[j - 1]];
                for (uint p = bt_ptr[term];
                     p < bt_ptr[term + 1] && n < TS_PAIRS_SEED && seen < 4 * TS_PAIRS_SEED;
                     p++, seen++) {
                    const uint c = bt_idx[p];
                    uint q = 0;
                    while (q < n && qual_o[q] != c)
                        q++;
                    if (q == n && c != me && !(use_groups && groups[c] == g))
                        qual_o[n++] = c;
                }
            }
            nqual = n;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (uint u = lid; u < nqual; u += TS_PAIRS_WG) {
            const uint c = qual_o[u];
            qual_s[u] = ts_dot_merge(a_idx, a_val, ia, ie, b_idx, b_val, b_ptr[c], b_ptr[c + 1]);
            my_scored++;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid == 0) {
            ts_keep_best(qual_s, qual_o, nqual, k, best_s, best_o, &nbest, &bar_l);
            nbest = nqual = 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    /* the ranges of the columns [col0, col1), from r's warm-up window on and
     * wrapping around: TS_PAIRS_WARM statements around r first (neighbouring
     * statements are often similar), then ranges doubling up to a chunk,
     * never across a chunk's end, so that a top-k bar rises before most
     * columns are seen */
    const uint span = col1 - col0;
    uint pos = k ? w0 : col0, size = k ? TS_PAIRS_WARM : TS_PAIRS_CHUNK; /* k = 0: a fixed bar */
    for (uint covered = 0; covered < span && ia < ie; size = min(2 * size, (uint)TS_PAIRS_CHUNK)) {
        const uint lo = pos;
        const uint hi = min(min(lo + min(size, span - covered),
                                (lo / TS_PAIRS_CHUNK + 1) * TS_PAIRS_CHUNK), col1);
        covered += hi - lo;
        pos = hi == col1 ? col0 : hi;
        /* uniform: a chunk of r's own group */
        if (use_groups && chunk_group[lo / TS_PAIRS_CHUNK] == g)
            continue;
        const uint cn = hi - lo;
        const float bar = bar_l;
        /* the prefix of frequent terms not scattered, and what it can add */
        uint j0 = ia;
        const float share = k ? TS_PRUNE_SHARE_TOPK : TS_PRUNE_SHARE;
        while (j0 < ie && ord_bound[j0] * (1.0f + TS_PRUNE_MARGIN) < share * bar)
            j0++;
        /* or the front (r's most frequent terms), bounded per column by
         * ||r's front|| * ||the column's front|| (Cauchy-Schwarz), when
         * that skips more: few columns are made of frequent terms alone */
        const uint jf = ia + front_len[r];
        const float fn = front_norm[r];
        const int by_column = /* uniform; threshold runs measured slower with it */
            k > 0 && bar > 0.0f && jf > j0 && fn <= TS_FRONT_SHARE * bar;
        if (by_column)
            j0 = jf;
        const float prefix_bound = j0 > ia ? ord_bound[j0 - 1] : 0.0f;
        const float need = bar - fabs(bar) * (100 * TS_PRUNE_MARGIN);
        /* the terms in batches of TS_PAIRS_WG: each work-item finds one
         * term's postings within the range (two binary searches, once per
         * group instead of once per work-item), then the group scatters
         * them term by term */
        for (uint jb = j0; jb < ie; jb += TS_PAIRS_WG) {
            const uint nb = min((uint)TS_PAIRS_WG, ie - jb);
            if (lid < nb) {
                const uint q = ord_pos[jb + lid], term = a_idx[q];
                const uint ps = ts_lower_bound(bt_idx, bt_ptr[term], bt_ptr[term + 1], lo);
                span_s[lid] = ps;
                span_e[lid] = ts_lower_bound(bt_idx, ps, bt_ptr[term + 1], hi);
                span_v[lid] = a_val[q];
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            for (uint t = 0; t < nb; t++) {
                const uint ps = span_s[t], pe = span_e[t];
                if (ps == pe) /* uniform: skip the barrier for all or none */
                    continue;
                const float av = span_v[t];
                for (uint p = ps + lid; p < pe; p += TS_PAIRS_WG)
                    acc[bt_idx[p] - lo] += av * bt_val[p];
                my_posted += (pe - ps + TS_PAIRS_WG - 1 - lid) / TS_PAIRS_WG;
                /* two terms' postings may meet in one column */
                barrier(CLK_LOCAL_MEM_FENCE);
            }
            barrier(CLK_LOCAL_MEM_FENCE); /* the spans are read before the next batch */
        }
        /* Score exactly only the columns whose partial score plus the
         * prefix's bound can reach the bar (a column no scattered term
         * reached has a partial score of 0: if no prefix was skipped, it
         * shares no term with r).  32 cells at a time, zeroed as they are
         * read (one test for 32: a vector reduction costs more than the
         * compares); cells past cn are 0 (never scattered) and are skipped. */
        const float8 bar8 = (float8)(need - prefix_bound);
        const float8 need8 = (float8)need, pb8 = (float8)prefix_bound, fn8 = (float8)fn;
        for (uint c32 = 32 * lid; c32 < cn; c32 += 32 * TS_PAIRS_WG) {
            __local float *at32 = acc + c32;
            const float8 v0 = vload8(0, at32), v1 = vload8(1, at32);
            const float8 v2 = vload8(2, at32), v3 = vload8(3, at32);
            int hit;
            if (by_column) { /* col_front_norm is padded: 32 cells past the last column */
                __global const float *y32 = col_front_norm + lo + c32;
                hit = any((v0 + fmin(pb8, fn8 * vload8(0, y32)) >= need8) |
                          (v1 + fmin(pb8, fn8 * vload8(1, y32)) >= need8) |
                          (v2 + fmin(pb8, fn8 * vload8(2, y32)) >= need8) |
                          (v3 + fmin(pb8, fn8 * vload8(3, y32)) >= need8));
            } else {
                hit = any(((v0 != 0) & (v0 >= bar8)) | ((v1 != 0) & (v1 >= bar8)) |
                          ((v2 != 0) & (v2 >= bar8)) | ((v3 != 0) & (v3 >= bar8)));
            }
            if (!hit) {
                vstore8((float8)0, 0, at32);
                vstore8((float8)0, 1, at32);
                vstore8((float8)0, 2, at32);
                vstore8((float8)0, 3, at32);
                continue; /* nearly always */
            }
            for (uint i = 0; i < 32; i++) {
                const float part = at32[i];
                at32[i] = 0;
                const uint other = lo + c32 + i;
                const float bound =
                    by_column ? fmin(prefix_bound, fn * col_front_norm[other]) : prefix_bound;
                /* by column, a cell past the range is 0 but its bound is not */
                if ((part == 0.0f && !by_column) || part + bound < need || c32 + i >= cn ||
                    other == me || (use_groups && groups[other] == g))
                    continue;
                const float s = ts_dot_merge(a_idx, a_val, ia, ie, b_idx, b_val,
                                             b_ptr[other], b_ptr[other + 1]);
                my_scored++;
                if (!(s > 0.0f && s >= bar))
                    continue;
                if (k == 0) {
                    const uint at = atomic_inc(count);
                    if (at < cap) {
                        cand_line[at] = lr;
                        cand_other[at] = other;
                        cand_score[at] = s;
                    }
                } else {
                    const uint at = atomic_inc(&nqual);
                    qual_s[at] = s;
                    qual_o[at] = other;
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE); /* acc is zero again, qual_* complete */
        if (k > 0 && lid == 0) {
            ts_keep_best(qual_s, qual_o, nqual, k, best_s, best_o, &nbest, &bar_l);
            nqual = 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE); /* the bar is settled */
    }
    atomic_add(&posted, my_posted);
    atomic_add(&scored, my_scored);
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid != 0)
        return;
    work[2 * lr] = posted;
    work[2 * lr + 1] = scored;
    for (uint q = 0; q < k; q++) {
        out_other[(size_t)lr * k + q] = q < nbest ? best_o[q] : 0xffffffffu;
        out_score[(size_t)lr * k + q] = q < nbest ? best_s[q] : 0.0f;
    }
}
