/*
 * select.cl - keep, from one block of similarities in device memory, only
 * what can still belong to a statement's list of matches (OpenCL C 1.2,
 * self-contained).
 *
 * The block is scores[r * ncols + c] for statements row0 + r and col0 + c,
 * as cosine.cl writes it (ld = ncols).  A "line" is one row of the block
 * (its owner is the row's statement, the others are the columns) or, in a
 * symmetric run where the block stands for its mirror image too (columns =
 * 1), one column.  One work-item owns one line; a work-group of
 * TS_SELECT_WG lines goes through the block in square tiles staged in
 * local memory (ts_load_tile), so both directions read memory the same,
 * friendly way.  Walking a column directly cost one TLB miss per cell on
 * pocl: the 100,000-statement top-10 spent as long selecting as computing.
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
#if TS_SELECT_WG % 8
#error "TS_SELECT_WG must be a multiple of 8"
#endif

#define TS_NONE 0xffffffffu

inline int ts_qualifies(float s, float lo, uint owner, uint other, __global const uint *groups,
                        uint use_groups)
{
    return s >= lo && s > 0.0f && other != owner &&
           !(use_groups && groups[owner] == groups[other]);
}

/* Cells [j0, j0 + TS_SELECT_WG) of the group's lines [l0, l0 + TS_SELECT_WG)
 * into tile[line][cell] (padded rows: no bank conflicts).  Work-item i
 * reads the i-th element of TS_SELECT_WG rows of the block, so neighbouring
 * work-items read neighbouring addresses whichever the direction (coalesced
 * on GPUs; on CPUs a few pages and cache lines per group instead of one
 * page per cell when a column is walked).  Cells outside the block read as
 * -1 (they never qualify). */
inline void ts_load_tile(__local float (*tile)[TS_SELECT_WG + 1], __global const float *scores,
                         uint nlines, uint ncells, uint columns, uint ld, uint l0, uint j0)
{
    const uint i = get_local_id(0);
    barrier(CLK_LOCAL_MEM_FENCE); /* the previous tile is consumed */
    for (uint t = 0; t < TS_SELECT_WG; t++) {
        float v = -1.0f;
        if (columns) { /* block row j0 + t, column l0 + i: cell t of line i */
            if (j0 + t < ncells && l0 + i < nlines)
                v = scores[(size_t)(j0 + t) * ld + l0 + i];
            tile[i][t] = v;
        } else { /* block row l0 + t, column j0 + i: cell i of line t */
            if (l0 + t < nlines && j0 + i < ncells)
                v = scores[(size_t)(l0 + t) * ld + j0 + i];
            tile[t][i] = v;
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

__kernel __attribute__((reqd_work_group_size(TS_SELECT_WG, 1, 1))) void
ts_select_topk(__global const float *scores, uint nlines, uint ncells, uint columns, uint ld,
               uint slot0, uint owner0, uint other0, uint k, float min_score,
               __global const float *floors, __global const uint *groups, uint use_groups,
               __global uint *out_other, __global float *out_score)
{
    __local float tile[TS_SELECT_WG][TS_SELECT_WG + 1];
    const uint i = get_local_id(0), l0 = get_group_id(0) * TS_SELECT_WG;
    const uint line = l0 + i;
    const int active = line < nlines; /* the others only help load */
    const uint owner = owner0 + line;
    const float lo = active ? max(min_score, floors[slot0 + line]) : INFINITY;
    float best_s[TS_SELECT_MAX_K];
    uint best_o[TS_SELECT_MAX_K];
    uint n = 0;
    float worst = lo; /* a cell must reach this to enter */
    for (uint j0 = 0; j0 < ncells; j0 += TS_SELECT_WG) {
        ts_load_tile(tile, scores, nlines, ncells, columns, ld, l0, j0);
        for (uint t = 0; t < TS_SELECT_WG; t++) {
            /* most cells are below the worst kept score: test 8 at once */
            if (t % 8 == 0 && all(vload8(0, &tile[i][t]) < (float8)worst)) {
                t += 7;
                continue;
            }
            const float s = tile[i][t];
            if (s < worst)
                continue;
            const uint other = other0 + j0 + t;
            if (!ts_qualifies(s, lo, owner, other, groups, use_groups))
                continue;
            if (n == k) {
                if (s <= best_s[k - 1]) /* equal: the earlier, lower statement stays */
                    continue;
                n--;
            }
            uint p = n++;
            for (; p > 0 && best_s[p - 1] < s; p--) {
                best_s[p] = best_s[p - 1];
                best_o[p] = best_o[p - 1];
            }
            best_s[p] = s;
            best_o[p] = other;
            if (n == k)
                worst = best_s[k - 1];
        }
    }
    if (!active)
        return;
    __global uint *oo = out_other + (size_t)(slot0 + line) * k;
    __global float *os = out_score + (size_t)(slot0 + line) * k;
    for (uint p = 0; p < k; p++) {
        oo[p] = p < n ? best_o[p] : TS_NONE;
        os[p] = p < n ? best_s[p] : 0.0f;
    }
}

__kernel __attribute__((reqd_work_group_size(TS_SELECT_WG, 1, 1))) void
ts_select_all(__global const float *scores, uint nlines, uint ncells, uint columns, uint ld,
              uint slot0, uint owner0, uint other0, float min_score,
              __global const float *floors, __global const uint *groups, uint use_groups,
              volatile __global uint *count, uint cap, __global uint *out_line,
              __global uint *out_other, __global float *out_score)
{
    __local float tile[TS_SELECT_WG][TS_SELECT_WG + 1];
    const uint i = get_local_id(0), l0 = get_group_id(0) * TS_SELECT_WG;
    const uint line = l0 + i;
    const uint owner = owner0 + line;
    const float lo = line < nlines ? max(min_score, floors[slot0 + line]) : INFINITY;
    for (uint j0 = 0; j0 < ncells; j0 += TS_SELECT_WG) {
        ts_load_tile(tile, scores, nlines, ncells, columns, ld, l0, j0);
        for (uint t = 0; t < TS_SELECT_WG; t++) {
            const float s = tile[i][t];
            if (!ts_qualifies(s, lo, owner, other0 + j0 + t, groups, use_groups))
                continue;
            const uint at = atomic_inc(count);
            if (at < cap) {
                out_line[at] = slot0 + line;
                out_other[at] = other0 + j0 + t;
                out_score[at] = s;
            }
        }
    }
}
