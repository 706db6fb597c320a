/*
 * select.cl - keep, from one block of similarities in device memory, only
 * what can still belong to a statement's list of matches (OpenCL C 1.2,
 * self-contained).
 *
 * The block is scores[r * ncols + c] for statements row0 + r and col0 + c,
 * as cosine.cl writes it.  A "line" is one row of the block (its owner is
 * the row's statement, the others are the columns) or, in a symmetric run
 * where the block stands for its mirror image too, one column.  The host
 * passes line_stride / cell_stride (ncols, 1 for rows; 1, ncols for
 * columns), so one kernel serves both.  One work-item walks one line: for
 * rows it streams through contiguous memory, for columns neighbouring
 * work-items read neighbouring addresses (coalesced on GPUs, one cache line
 * shared by 16 work-items on CPUs).
 *
 * A cell qualifies when its score is > 0, >= min_score and >= the line's
 * floor (the worst score the owner's list already holds, from the host;
 * -INFINITY when not full), its other statement is not the owner, and,
 * with groups, belongs to another group.  Cells are visited in ascending
 * other-statement order, so ties go to the lower statement number by
 * keeping only strictly better later cells.  Lines are numbered from slot0
 * (the rows first, then the columns) in floors and in the output.
 *
 *   ts_select_topk (1 <= k <= TS_SELECT_MAX_K): each work-item keeps the
 *     line's k best qualifying cells in private memory (insertion into a
 *     sorted array; after the first k cells nearly every cell costs one
 *     comparison) and writes them to slots [line * k, line * k + k), the
 *     unused ones with other = 0xffffffff.  Exact, fixed output size, no
 *     atomics.
 *   ts_select_all (k = 0 or k > TS_SELECT_MAX_K): every qualifying cell is
 *     appended (atomic counter) to line/other/score arrays of capacity cap;
 *     *count may exceed cap, and the host then grows the arrays and runs
 *     the kernel again.
 */
#pragma OPENCL FP_CONTRACT OFF

#ifdef TS_SYNTAX_ERROR
#error "TS_SYNTAX_ERROR is defined: this build fails on purpose"
#endif

/* Largest k kept in private memory (registers or stack). */
#ifndef TS_SELECT_MAX_K
#define TS_SELECT_MAX_K 32
#endif
/* Work-items per work-group (one line each). */
#ifndef TS_SELECT_WG
#define TS_SELECT_WG 64
#endif

#define TS_NONE 0xffffffffu

inline int ts_qualifies(float s, float lo, uint owner, uint other, __global const uint *groups,
                        uint use_groups)
{
    return s >= lo && s > 0.0f && other != owner &&
           !(use_groups && groups[owner] == groups[other]);
}

__kernel __attribute__((reqd_work_group_size(TS_SELECT_WG, 1, 1))) void
ts_select_topk(__global const float *scores, uint nlines, uint ncells, uint line_stride,
               uint cell_stride, uint slot0, uint owner0, uint other0, uint k, float min_score,
               __global const float *floors, __global const uint *groups, uint use_groups,
               __global uint *out_other, __global float *out_score)
{
    const uint line = get_global_id(0);
    if (line >= nlines)
        return;
    const uint owner = owner0 + line;
    const float lo = max(min_score, floors[slot0 + line]);
    float best_s[TS_SELECT_MAX_K];
    uint best_o[TS_SELECT_MAX_K];
    uint n = 0;
    float worst = lo; /* a cell must reach this to enter */
    __global const float *p = scores + (size_t)line * line_stride;
    for (uint j = 0; j < ncells; j++) {
        const float s = p[(size_t)j * cell_stride];
        if (s < worst)
            continue;
        const uint other = other0 + j;
        if (!ts_qualifies(s, lo, owner, other, groups, use_groups))
            continue;
        if (n == k) {
            if (s <= best_s[k - 1]) /* equal: the earlier, lower statement stays */
                continue;
            n--;
        }
        uint i = n++;
        for (; i > 0 && best_s[i - 1] < s; i--) {
            best_s[i] = best_s[i - 1];
            best_o[i] = best_o[i - 1];
        }
        best_s[i] = s;
        best_o[i] = other;
        if (n == k)
            worst = best_s[k - 1];
    }
    __global uint *oo = out_other + (size_t)(slot0 + line) * k;
    __global float *os = out_score + (size_t)(slot0 + line) * k;
    for (uint i = 0; i < k; i++) {
        oo[i] = i < n ? best_o[i] : TS_NONE;
        os[i] = i < n ? best_s[i] : 0.0f;
    }
}

__kernel __attribute__((reqd_work_group_size(TS_SELECT_WG, 1, 1))) void
ts_select_all(__global const float *scores, uint nlines, uint ncells, uint line_stride,
              uint cell_stride, uint slot0, uint owner0, uint other0, float min_score,
              __global const float *floors, __global const uint *groups, uint use_groups,
              volatile __global uint *count, uint cap, __global uint *out_line,
              __global uint *out_other, __global float *out_score)
{
    const uint line = get_global_id(0);
    if (line >= nlines)
        return;
    const uint owner = owner0 + line;
    const float lo = max(min_score, floors[slot0 + line]);
    __global const float *p = scores + (size_t)line * line_stride;
    for (uint j = 0; j < ncells; j++) {
        const float s = p[(size_t)j * cell_stride];
        if (!ts_qualifies(s, lo, owner, other0 + j, groups, use_groups))
            continue;
        const uint at = atomic_inc(count);
        if (at < cap) {
            out_line[at] = slot0 + line;
            out_other[at] = other0 + j;
            out_score[at] = s;
        }
    }
}
