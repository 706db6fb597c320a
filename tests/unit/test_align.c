/*
 * test_align.c - mutual best matching, assignment, clustering, explanation.
 *
 * The small cases are worked out by hand in the comments.  Beyond them,
 * random blocks are checked against independent references written here:
 * a brute-force enumeration of every matching ranked by the four tie rules
 * of align/match.h in exact integer arithmetic, a naive quadratic clustering, and
 * a sort of all shared terms for the explanation.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "align/cluster.h"
#include "align/explain.h"
#include "align/filter.h"
#include "align/match.h"
#include "align/restate.h"
#include "align/status.h"
#include "align/words.h"
#include "text/tfidf_internal.h"

/* ---------------------------------------------------------------- helpers */

/* Support (size) of cluster c, 1 <= c <= count; 0 for any other c. */
static size_t support(const ts_align_clusters *cl, size_t c)
{
    return c >= 1 && c <= cl->count ? cl->first[c] - cl->first[c - 1] : 0;
}

static ts_align_block block_of(const float *scores, size_t na, size_t nb)
{
    ts_align_block b;
    memset(&b, 0, sizeof b);
    b.scores = scores;
    b.na = na;
    b.nb = nb;
    b.ld = nb;
    return b;
}

typedef ts_status (*matcher)(const ts_align_block *, float, ts_align_pairs *, ts_diag *);

/* Run a matcher and compare with the expected (a, b) pairs, in order. */
static void expect_pairs(matcher fn, const ts_align_block *block, float threshold,
                         const uint32_t (*want)[2], size_t nwant)
{
    ts_align_pairs out;
    ts_align_pairs_init(&out);
    ts_diag diag;
    ts_diag_clear(&diag);
    ts_status st = fn(block, threshold, &out, &diag);
    if (st != TS_OK)
        fail_msg("matcher failed: %s", diag.message);
    if (out.count != nwant) {
        for (size_t i = 0; i < out.count; i++)
            print_message("  got (%u, %u) %g\n", out.items[i].a, out.items[i].b,
                          (double)out.items[i].score);
        fail_msg("%zu pairs, expected %zu", out.count, nwant);
    }
    for (size_t i = 0; i < nwant; i++) {
        if (out.items[i].a != want[i][0] || out.items[i].b != want[i][1])
            fail_msg("pair %zu is (%u, %u), expected (%u, %u)", i, out.items[i].a,
                     out.items[i].b, want[i][0], want[i][1]);
        /* the score written is the block's own */
        const float *row = block->scores + (size_t)(want[i][0] - block->a0) * block->ld;
        assert_true(out.items[i].score == row[want[i][1] - block->b0]);
    }
    ts_align_pairs_free(&out);
}

/* --------------------------------------------------------------- mutual best */

/* Rows are A's statements, columns B's.
 *   row bests: r0 -> c0 (0.9), r1 -> c0 (0.8), r2 -> c1 (0.6)
 *   col bests: c0 -> r0 (0.9), c1 -> r1 (0.7), c2 -> r2 (0.3)
 * Only (0,0) is mutual: r1's best c0 prefers r0; r2's best c1 prefers r1. */
static const float block3[9] = {
    0.9f, 0.5f, 0.1f,
    0.8f, 0.7f, 0.2f,
    0.1f, 0.6f, 0.3f,
};

static void mutual_best_3x3_with_non_mutual_best(void **state)
{
    (void)state;
    ts_align_block b = block_of(block3, 3, 3);
    static const uint32_t want[][2] = {{0, 0}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, want, 1);
}

static void mutual_best_ties_take_lower_index(void **state)
{
    (void)state;
    /* all 0.5: every row's best is c0 (lowest), every column's best is r0,
     * so only (0,0) is mutual */
    static const float all_equal[4] = {0.5f, 0.5f, 0.5f, 0.5f};
    ts_align_block b = block_of(all_equal, 2, 2);
    static const uint32_t want[][2] = {{0, 0}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, want, 1);

    /* r0 ties between c1 and c2 (0.8): best is c1.  c1's best: r0 (0.8 vs
     * r1 0.4).  c2's best is r1 (0.9); r1's best is c2 (0.9).  Pairs
     * (0,1) and (1,2). */
    static const float tie_row[6] = {
        0.1f, 0.8f, 0.8f,
        0.2f, 0.4f, 0.9f,
    };
    b = block_of(tie_row, 2, 3);
    static const uint32_t want2[][2] = {{0, 1}, {1, 2}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, want2, 2);

    /* column tie: c0 has 0.7 from r0 and r1 -> best r0; r1's best is c0 too,
     * r0's best is c0: (0,0) only; r1 gets nothing. */
    static const float tie_col[4] = {0.7f, 0.1f, 0.7f, 0.2f};
    b = block_of(tie_col, 2, 2);
    expect_pairs(ts_align_mutual_best, &b, 0.0f, want, 1);
}

static void threshold_excludes(void **state)
{
    (void)state;
    /* (0,0) is mutual at 0.9; at threshold 0.95 it is dropped, and no other
     * pair takes its place (a statement's best stays its best) */
    ts_align_block b = block_of(block3, 3, 3);
    expect_pairs(ts_align_mutual_best, &b, 0.95f, NULL, 0);
    expect_pairs(ts_align_assignment, &b, 0.95f, NULL, 0);
    /* a score equal to the threshold is kept */
    static const uint32_t want[][2] = {{0, 0}};
    expect_pairs(ts_align_mutual_best, &b, 0.9f, want, 1);
    expect_pairs(ts_align_assignment, &b, 0.9f, want, 1);
}

/* ----------------------------------------------------------------- assignment */

static void assignment_3x3(void **state)
{
    (void)state;
    /* the six permutations of block3:
     *   (00,11,22) 0.9+0.7+0.3 = 1.9   (00,12,21) 0.9+0.2+0.6 = 1.7
     *   (01,10,22) 0.5+0.8+0.3 = 1.6   (01,12,20) 0.5+0.2+0.1 = 0.8
     *   (02,10,21) 0.1+0.8+0.6 = 1.5   (02,11,20) 0.1+0.7+0.1 = 0.9
     * the diagonal wins */
    ts_align_block b = block_of(block3, 3, 3);
    static const uint32_t want[][2] = {{0, 0}, {1, 1}, {2, 2}};
    expect_pairs(ts_align_assignment, &b, 0.0f, want, 3);
    /* at threshold 0.35, 0.3 and 0.2 and 0.1 are forbidden:
     *   (00,11) 1.6, (00,21) 1.5, (01,10) 1.3, (10,21) 1.4, ...;
     *   three pairs need r2-c1 with r1-c0 and r0-c2 (forbidden), so the best
     *   is (00,11) = 1.6 against (00,11) + nothing for r2 */
    static const uint32_t want2[][2] = {{0, 0}, {1, 1}};
    expect_pairs(ts_align_assignment, &b, 0.35f, want2, 2);
}

static void assignment_differs_from_mutual(void **state)
{
    (void)state;
    /* [[0.9, 0.8], [0.85, 0.1]] at threshold 0.5: mutual gives (0,0) only
     * (r1's best c0 prefers r0; c1's best r0 prefers c0).  The assignment
     * takes (0,1) + (1,0) = 1.65 > 0.9 (0.1 is below the threshold). */
    static const float s[4] = {0.9f, 0.8f, 0.85f, 0.1f};
    ts_align_block b = block_of(s, 2, 2);
    static const uint32_t mutual[][2] = {{0, 0}};
    expect_pairs(ts_align_mutual_best, &b, 0.5f, mutual, 1);
    static const uint32_t assign[][2] = {{0, 1}, {1, 0}};
    expect_pairs(ts_align_assignment, &b, 0.5f, assign, 2);
    /* forbidden is not merely low: at 0.82, (0,1) = 0.8 is forbidden, the
     * choices are (0,0) = 0.9 or (1,0) = 0.85, one pair each */
    expect_pairs(ts_align_assignment, &b, 0.82f, mutual, 1);
}

static void assignment_tie_rules(void **state)
{
    (void)state;
    /* rule 4: all equal -> both matchings total 1.0 with 2 pairs and index
     * sum 2; sum of ia*ib is 1 for the diagonal, 0 for the anti-diagonal */
    static const float all_equal[4] = {0.5f, 0.5f, 0.5f, 0.5f};
    ts_align_block b = block_of(all_equal, 2, 2);
    static const uint32_t diag2[][2] = {{0, 0}, {1, 1}};
    expect_pairs(ts_align_assignment, &b, 0.0f, diag2, 2);

    /* rule 2: [[0.5, 1.0], [0.0, 0.5]] at 0.25: {(0,1)} totals 1.0 with one
     * pair, {(0,0),(1,1)} totals 1.0 with two -> two pairs win */
    static const float count_tie[4] = {0.5f, 1.0f, 0.0f, 0.5f};
    b = block_of(count_tie, 2, 2);
    expect_pairs(ts_align_assignment, &b, 0.25f, diag2, 2);

    /* rule 3: one row, three equal columns -> the lowest column */
    static const float row3[3] = {0.3f, 0.3f, 0.3f};
    b = block_of(row3, 1, 3);
    static const uint32_t first[][2] = {{0, 0}};
    expect_pairs(ts_align_assignment, &b, 0.0f, first, 1);
    /* and three equal rows, one column -> the lowest row */
    b = block_of(row3, 3, 1);
    expect_pairs(ts_align_assignment, &b, 0.0f, first, 1);

    /* rule 3 against rule 4: a 3x3 of equal scores gives the diagonal, the
     * only permutation maximising sum ia*ib (0 + 1 + 4 = 5) */
    static const float eq9[9] = {0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f};
    b = block_of(eq9, 3, 3);
    static const uint32_t diag3[][2] = {{0, 0}, {1, 1}, {2, 2}};
    expect_pairs(ts_align_assignment, &b, 0.0f, diag3, 3);

    /* exact ties across different sums: 0.75 + 0.25 == 0.5 + 0.5 exactly.
     * [[0.75, 0.5], [0.5, 0.25]]: (00,11) = 1.0 and (01,10) = 1.0, both two
     * pairs with index sum 2; the diagonal has sum ia*ib 1 -> diagonal */
    static const float exact[4] = {0.75f, 0.5f, 0.5f, 0.25f};
    b = block_of(exact, 2, 2);
    expect_pairs(ts_align_assignment, &b, 0.0f, diag2, 2);
    /* rotated: [[0.5, 0.75], [0.25, 0.5]]: (00,11) = 1.0, (01,10) = 1.0 ->
     * diagonal again, by rule 4 */
    static const float exact2[4] = {0.5f, 0.75f, 0.25f, 0.5f};
    b = block_of(exact2, 2, 2);
    expect_pairs(ts_align_assignment, &b, 0.0f, diag2, 2);
}

static void rectangular_blocks(void **state)
{
    (void)state;
    /* 2 x 4:
     *   r0: 0.1 0.9  0.3 0.9
     *   r1: 0.2 0.95 0.4 0.0
     * mutual: r0's best c1 (tie with c3, lower wins), r1's best c1; c1's best
     * r1 -> (1,1) only.  assignment: r1c1 + r0c3 = 1.85 beats r0c1 + r1c2
     * = 1.3 and everything else. */
    static const float s24[8] = {0.1f, 0.9f, 0.3f, 0.9f, 0.2f, 0.95f, 0.4f, 0.0f};
    ts_align_block b = block_of(s24, 2, 4);
    static const uint32_t m24[][2] = {{1, 1}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, m24, 1);
    static const uint32_t a24[][2] = {{0, 3}, {1, 1}};
    expect_pairs(ts_align_assignment, &b, 0.0f, a24, 2);

    /* the transpose, 4 x 2: same pairs with a and b swapped, sorted by a */
    static const float s42[8] = {0.1f, 0.2f, 0.9f, 0.95f, 0.3f, 0.4f, 0.9f, 0.0f};
    b = block_of(s42, 4, 2);
    expect_pairs(ts_align_mutual_best, &b, 0.0f, m24, 1);
    static const uint32_t a42[][2] = {{1, 1}, {3, 0}};
    expect_pairs(ts_align_assignment, &b, 0.0f, a42, 2);

    /* a sub-block of a larger matrix (ld > nb) with global offsets: rows 1..2,
     * columns 2..3 of a 3 x 4 matrix are [[0.6, 0.2], [0.3, 0.7]] */
    static const float big[12] = {
        9.0f, 9.0f, 9.0f, 9.0f,
        9.0f, 9.0f, 0.6f, 0.2f,
        9.0f, 9.0f, 0.3f, 0.7f,
    };
    b = block_of(big + 4 + 2, 2, 2);
    b.ld = 4;
    b.a0 = 100;
    b.b0 = 200;
    static const uint32_t off[][2] = {{100, 200}, {101, 201}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, off, 2);
    expect_pairs(ts_align_assignment, &b, 0.0f, off, 2);

    /* empty blocks give nothing */
    b = block_of(block3, 0, 3);
    expect_pairs(ts_align_mutual_best, &b, 0.0f, NULL, 0);
    expect_pairs(ts_align_assignment, &b, 0.0f, NULL, 0);
}

static void ineligible_statements(void **state)
{
    (void)state;
    /* block3 without r1: row bests r0 -> c0, r2 -> c1; column bests among
     * r0, r2: c0 -> r0 (0.9), c1 -> r2 (0.6), c2 -> r2 (0.3) -> (0,0), (2,1) */
    static const unsigned char no_r1[3] = {1, 0, 1};
    ts_align_block b = block_of(block3, 3, 3);
    b.eligible_a = no_r1;
    static const uint32_t want[][2] = {{0, 0}, {2, 1}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, want, 2);
    /* assignment over rows 0, 2: r0c0 + r2c1 = 1.5 is the best */
    expect_pairs(ts_align_assignment, &b, 0.0f, want, 2);

    /* block3 without c0: every row's best is c1 (0.5, 0.7, 0.6); c1's best
     * r1 -> (1,1) only */
    static const unsigned char no_c0[3] = {0, 1, 1};
    b = block_of(block3, 3, 3);
    b.eligible_b = no_c0;
    static const uint32_t want2[][2] = {{1, 1}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, want2, 1);
    /* assignment without c0: r0c1 + r1c2 = 0.7, r1c1 + r2c2 = 1.0,
     * r1c1 + r0c2 = 0.8, r2c1 + r1c2 = 0.8, r2c1 + r0c2 = 0.7,
     * r0c1 + r2c2 = 0.8 -> (1,1), (2,2) */
    static const uint32_t want3[][2] = {{1, 1}, {2, 2}};
    expect_pairs(ts_align_assignment, &b, 0.0f, want3, 2);

    /* nothing eligible */
    static const unsigned char none[3] = {0, 0, 0};
    b = block_of(block3, 3, 3);
    b.eligible_a = none;
    expect_pairs(ts_align_mutual_best, &b, 0.0f, NULL, 0);
    expect_pairs(ts_align_assignment, &b, 0.0f, NULL, 0);
}

static void nan_scores_never_match(void **state)
{
    (void)state;
    float s[2] = {NAN, 0.5f};
    ts_align_block b = block_of(s, 1, 2);
    static const uint32_t want[][2] = {{0, 1}};
    expect_pairs(ts_align_mutual_best, &b, 0.0f, want, 1);
    expect_pairs(ts_align_assignment, &b, 0.0f, want, 1);
}

static void block_errors(void **state)
{
    (void)state;
    ts_align_pairs out;
    ts_align_pairs_init(&out);
    ts_diag diag;
    ts_align_block b = block_of(block3, 3, 3);
    assert_int_equal(ts_align_pairs_push(&out, 7, 8, 0.5f, NULL), TS_OK);

    ts_diag_clear(&diag);
    assert_int_equal(ts_align_mutual_best(&b, NAN, &out, &diag), TS_ERR_ARG);
    assert_non_null(strstr(diag.message, "NaN"));
    assert_int_equal(ts_align_assignment(&b, NAN, &out, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_mutual_best(NULL, 0.5f, &out, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_mutual_best(&b, 0.5f, NULL, NULL), TS_ERR_ARG);
    b.ld = 2;
    assert_int_equal(ts_align_assignment(&b, 0.5f, &out, &diag), TS_ERR_ARG);
    assert_non_null(strstr(diag.message, "leading dimension"));
    b = block_of(NULL, 3, 3);
    assert_int_equal(ts_align_mutual_best(&b, 0.5f, &out, NULL), TS_ERR_ARG);
    /* scores that are not cosines */
    float huge[2] = {0.5f, 100.0f};
    b = block_of(huge, 1, 2);
    assert_int_equal(ts_align_assignment(&b, 0.0f, &out, &diag), TS_ERR_ARG);
    assert_non_null(strstr(diag.message, "(0, 1)"));
    float inf[1] = {INFINITY};
    b = block_of(inf, 1, 1);
    assert_int_equal(ts_align_assignment(&b, 0.0f, &out, NULL), TS_ERR_ARG);
    /* too large for the assignment */
    b = block_of(block3, 70000, 1);
    assert_int_equal(ts_align_assignment(&b, 0.0f, &out, &diag), TS_ERR_TOO_LARGE);
    /* ids that overflow 32 bits */
    b = block_of(block3, 3, 3);
    b.a0 = UINT32_MAX - 1;
    assert_int_equal(ts_align_mutual_best(&b, 0.0f, &out, NULL), TS_ERR_TOO_LARGE);
    /* failures leave the list as it was */
    assert_int_equal(out.count, 1);
    assert_int_equal(out.items[0].a, 7);
    ts_align_pairs_free(&out);
    ts_align_pairs_free(&out);
    ts_align_pairs_free(NULL);
}

/* ------------------------------------- assignment against brute force */

typedef struct rank4 {
    int64_t score, count, index_sum, prod;
} rank4;

/* x is better than y under the rules of align/match.h */
static int rank_better(const rank4 *x, const rank4 *y)
{
    if (x->score != y->score)
        return x->score > y->score;
    if (x->count != y->count)
        return x->count > y->count;
    if (x->index_sum != y->index_sum)
        return x->index_sum < y->index_sum;
    return x->prod > y->prod;
}

typedef struct brute {
    const float *s;
    size_t na, nb;
    float threshold;
    int col_used[8];
    int match[8];      /* column of each row, -1 for none */
    int best_match[8];
    rank4 best;
    int have_best;
} brute;

static int allowed(const brute *br, size_t a, size_t b)
{
    float v = br->s[a * br->nb + b];
    return v >= br->threshold && v > 0.0f;
}

static void brute_rec(brute *br, size_t row, rank4 cur)
{
    if (row >= br->na || row >= 8) {
        if (!br->have_best || rank_better(&cur, &br->best)) {
            br->best = cur;
            br->have_best = 1;
            memcpy(br->best_match, br->match, sizeof br->match);
        }
        return;
    }
    br->match[row] = -1;
    brute_rec(br, row + 1, cur);
    for (size_t c = 0; c < br->nb; c++) {
        if (br->col_used[c] || !allowed(br, row, c))
            continue;
        rank4 next = cur;
        /* scores are multiples of 1/8 here: exact integers after * 8 */
        next.score += (int64_t)llround(br->s[row * br->nb + c] * 8.0f);
        next.count += 1;
        next.index_sum += (int64_t)(row + c);
        next.prod += (int64_t)(row * c);
        br->col_used[c] = 1;
        br->match[row] = (int)c;
        brute_rec(br, row + 1, next);
        br->col_used[c] = 0;
        br->match[row] = -1;
    }
}

static void assignment_matches_brute_force(void **state)
{
    (void)state;
    uint64_t seed = 12345;
    float s[36];
    int differing_sets = 0;
    for (int iter = 0; iter < 3000; iter++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t na = 1 + (size_t)((seed >> 33) % 6), nb = 1 + (size_t)((seed >> 40) % 6);
        for (size_t i = 0; i < na * nb; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            /* few distinct values, so ties are everywhere */
            s[i] = (float)((seed >> 35) % 9) / 8.0f;
        }
        float threshold = (float)(iter % 4) / 8.0f;
        brute br;
        memset(&br, 0, sizeof br);
        br.s = s;
        br.na = na;
        br.nb = nb;
        br.threshold = threshold;
        rank4 zero = {0, 0, 0, 0};
        brute_rec(&br, 0, zero);

        ts_align_block b = block_of(s, na, nb);
        ts_align_pairs out;
        ts_align_pairs_init(&out);
        assert_int_equal(ts_align_assignment(&b, threshold, &out, NULL), TS_OK);
        rank4 got = {0, 0, 0, 0};
        int row_seen[8] = {0}, col_seen[8] = {0};
        for (size_t i = 0; i < out.count; i++) {
            uint32_t a = out.items[i].a, c = out.items[i].b;
            assert_true(a < na && c < nb);
            assert_false(row_seen[a] || col_seen[c]); /* one-to-one */
            row_seen[a] = col_seen[c] = 1;
            assert_true(allowed(&br, a, c));
            if (i > 0)
                assert_true(out.items[i - 1].a < a);
            got.score += (int64_t)llround(out.items[i].score * 8.0f);
            got.count += 1;
            got.index_sum += a + c;
            got.prod += (int64_t)a * c;
        }
        /* the same rank as the best of all matchings */
        if (got.score != br.best.score || got.count != br.best.count ||
            got.index_sum != br.best.index_sum || got.prod != br.best.prod)
            fail_msg("iteration %d (%zu x %zu, threshold %g): rank (%lld %lld %lld %lld), "
                     "brute force (%lld %lld %lld %lld)",
                     iter, na, nb, (double)threshold, (long long)got.score,
                     (long long)got.count, (long long)got.index_sum, (long long)got.prod,
                     (long long)br.best.score, (long long)br.best.count,
                     (long long)br.best.index_sum, (long long)br.best.prod);
        /* and usually the very same pairs (a full tie on four rules is rare) */
        for (size_t r = 0; r < na; r++) {
            int mine = -1;
            for (size_t i = 0; i < out.count; i++)
                if (out.items[i].a == r)
                    mine = (int)out.items[i].b;
            if (mine != br.best_match[r]) {
                differing_sets++;
                break;
            }
        }
        ts_align_pairs_free(&out);
    }
    print_message("[ info ] 3000 random blocks: %d full four-rule ties resolved differently\n",
                  differing_sets);
    assert_true(differing_sets < 30);
}

/* Optimum rank by dynamic programming over the set of used columns (a
 * second, larger reference: up to 12 x 12, sparse enough to split into
 * several components, some with more rows than columns). */
static void assignment_matches_subset_dp(void **state)
{
    (void)state;
    enum { MAXN = 12 };
    uint64_t seed = 777;
    float s[MAXN * MAXN];
    rank4 *f = malloc(((size_t)1 << MAXN) * sizeof *f);
    rank4 *g = malloc(((size_t)1 << MAXN) * sizeof *g);
    unsigned char *ok = malloc((size_t)1 << MAXN), *ok2 = malloc((size_t)1 << MAXN);
    assert_true(f && g && ok && ok2);
    for (int iter = 0; iter < 300; iter++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t na = 1 + (size_t)((seed >> 33) % MAXN), nb = 1 + (size_t)((seed >> 45) % MAXN);
        unsigned density = 1 + (unsigned)((seed >> 55) % 6); /* 1/7 .. 6/7 allowed */
        for (size_t i = 0; i < na * nb; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            s[i] = (seed >> 20) % 7 < density ? (float)((seed >> 35) % 8 + 1) / 8.0f : 0.0f;
        }
        brute br;
        memset(&br, 0, sizeof br);
        br.s = s;
        br.nb = nb;
        br.threshold = 0.125f;
        size_t masks = (size_t)1 << nb;
        for (size_t m = 0; m < masks; m++)
            ok[m] = 0;
        f[0] = (rank4){0, 0, 0, 0};
        ok[0] = 1;
        for (size_t r = 0; r < na; r++) {
            for (size_t m = 0; m < masks; m++)
                ok2[m] = 0;
            for (size_t m = 0; m < masks; m++) {
                if (!ok[m])
                    continue;
                /* row r unmatched */
                if (!ok2[m] || rank_better(&f[m], &g[m])) {
                    g[m] = f[m];
                    ok2[m] = 1;
                }
                for (size_t c = 0; c < nb; c++) {
                    if ((m >> c) & 1 || !allowed(&br, r, c))
                        continue;
                    rank4 x = f[m];
                    x.score += (int64_t)llround(s[r * nb + c] * 8.0f);
                    x.count += 1;
                    x.index_sum += (int64_t)(r + c);
                    x.prod += (int64_t)(r * c);
                    size_t m2 = m | ((size_t)1 << c);
                    if (!ok2[m2] || rank_better(&x, &g[m2])) {
                        g[m2] = x;
                        ok2[m2] = 1;
                    }
                }
            }
            rank4 *t = f;
            f = g;
            g = t;
            unsigned char *u = ok;
            ok = ok2;
            ok2 = u;
        }
        rank4 best = {0, 0, 0, 0};
        int have = 0;
        for (size_t m = 0; m < masks; m++)
            if (ok[m] && (!have || rank_better(&f[m], &best))) {
                best = f[m];
                have = 1;
            }
        ts_align_block b = block_of(s, na, nb);
        ts_align_pairs out;
        ts_align_pairs_init(&out);
        assert_int_equal(ts_align_assignment(&b, 0.125f, &out, NULL), TS_OK);
        rank4 got = {0, 0, 0, 0};
        for (size_t i = 0; i < out.count; i++) {
            uint32_t a = out.items[i].a, c = out.items[i].b;
            got.score += (int64_t)llround(out.items[i].score * 8.0f);
            got.count += 1;
            got.index_sum += a + c;
            got.prod += (int64_t)a * c;
        }
        if (got.score != best.score || got.count != best.count ||
            got.index_sum != best.index_sum || got.prod != best.prod)
            fail_msg("iteration %d (%zu x %zu): rank (%lld %lld %lld %lld), optimum "
                     "(%lld %lld %lld %lld)",
                     iter, na, nb, (long long)got.score, (long long)got.count,
                     (long long)got.index_sum, (long long)got.prod, (long long)best.score,
                     (long long)best.count, (long long)best.index_sum, (long long)best.prod);
        ts_align_pairs_free(&out);
    }
    free(f);
    free(g);
    free(ok);
    free(ok2);
}

static void mutual_best_properties_random(void **state)
{
    (void)state;
    /* independent check of the definition on random blocks with ties */
    uint64_t seed = 99;
    float s[64];
    for (int iter = 0; iter < 2000; iter++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t na = 1 + (size_t)((seed >> 33) % 8), nb = 1 + (size_t)((seed >> 40) % 8);
        for (size_t i = 0; i < na * nb; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            s[i] = (float)((seed >> 35) % 5) / 4.0f;
        }
        float threshold = 0.25f;
        ts_align_block b = block_of(s, na, nb);
        ts_align_pairs out;
        ts_align_pairs_init(&out);
        assert_int_equal(ts_align_mutual_best(&b, threshold, &out, NULL), TS_OK);
        /* reference: scan for each pair whether both are each other's first max */
        size_t k = 0;
        for (size_t a = 0; a < na; a++) {
            size_t bb = 0;
            for (size_t c = 1; c < nb; c++)
                if (s[a * nb + c] > s[a * nb + bb])
                    bb = c;
            size_t aa = 0;
            for (size_t r = 1; r < na; r++)
                if (s[r * nb + bb] > s[aa * nb + bb])
                    aa = r;
            if (aa == a && s[a * nb + bb] >= threshold) {
                assert_true(k < out.count);
                assert_int_equal(out.items[k].a, a);
                assert_int_equal(out.items[k].b, bb);
                k++;
            }
        }
        assert_int_equal(k, out.count);
        ts_align_pairs_free(&out);
    }
}

/* The sparse entry points (what the aligner calls on its candidates) give
 * the dense ones' pairs: random sparse blocks, absent cells NaN (mutual) or 0
 * (assignment: forbidden), statement numbers offset; ties in mutual best. */
static void sparse_matchers_match_dense(void **state)
{
    (void)state;
    uint64_t seed = 2024;
    float dense[144];
    ts_align_pair pairs[144];
    for (int iter = 0; iter < 3000; iter++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t na = 1 + (size_t)((seed >> 33) % 12), nb = 1 + (size_t)((seed >> 40) % 12);
        int assignment = iter % 2;
        size_t n = 0;
        for (size_t i = 0; i < na * nb; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            dense[i] = assignment ? 0.0f : NAN;
            if ((seed >> 30) % 5 < 2) {
                float v = assignment ? 0.2f + (float)((seed >> 36) % 100000) / 125000.0f
                                     : (float)(1 + (seed >> 36) % 4) / 4.0f;
                dense[i] = v;
                pairs[n++] = (ts_align_pair){100u + (uint32_t)(i / nb), 1000u + (uint32_t)(i % nb), v};
            }
        }
        float threshold = 0.3f;
        ts_align_block b = block_of(dense, na, nb);
        b.a0 = 100;
        b.b0 = 1000;
        ts_align_pairs want, got;
        ts_align_pairs_init(&want);
        ts_align_pairs_init(&got);
        if (assignment) {
            assert_int_equal(ts_align_assignment(&b, threshold, &want, NULL), TS_OK);
            assert_int_equal(ts_align_assignment_pairs(pairs, n, threshold, &got, NULL), TS_OK);
        } else {
            assert_int_equal(ts_align_mutual_best(&b, threshold, &want, NULL), TS_OK);
            assert_int_equal(ts_align_mutual_best_pairs(pairs, n, threshold, &got, NULL), TS_OK);
        }
        assert_int_equal(got.count, want.count);
        for (size_t k = 0; k < want.count; k++) {
            assert_int_equal(got.items[k].a, want.items[k].a);
            assert_int_equal(got.items[k].b, want.items[k].b);
            assert_true(got.items[k].score == want.items[k].score);
        }
        ts_align_pairs_free(&want);
        ts_align_pairs_free(&got);
    }
    /* out of order, repeated and NaN pairs are refused, the output untouched */
    ts_align_pairs out;
    ts_align_pairs_init(&out);
    ts_align_pair bad[2] = {{5, 7, 0.5f}, {5, 7, 0.6f}};
    assert_int_equal(ts_align_mutual_best_pairs(bad, 2, 0.3f, &out, NULL), TS_ERR_ARG);
    bad[1] = (ts_align_pair){4, 9, 0.6f};
    assert_int_equal(ts_align_mutual_best_pairs(bad, 2, 0.3f, &out, NULL), TS_ERR_ARG);
    bad[1] = (ts_align_pair){6, 9, NAN};
    assert_int_equal(ts_align_mutual_best_pairs(bad, 2, 0.3f, &out, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_mutual_best_pairs(bad, 1, NAN, &out, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_mutual_best_pairs(NULL, 0, 0.3f, &out, NULL), TS_OK);
    assert_int_equal(ts_align_assignment_pairs(NULL, 0, 0.3f, &out, NULL), TS_OK);
    assert_int_equal(out.count, 0);
    ts_align_pairs_free(&out);
}

static void assignment_timing(void **state)
{
    (void)state;
    /* a dense 300 x 300 block of random scores, all allowed: one component */
    size_t n = 300;
    float *s = malloc(n * n * sizeof *s);
    assert_non_null(s);
    uint64_t seed = 7;
    for (size_t i = 0; i < n * n; i++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        s[i] = (float)((seed >> 40) % 1000000) / 1000000.0f;
    }
    ts_align_block b = block_of(s, n, n);
    ts_align_pairs out;
    ts_align_pairs_init(&out);
    clock_t t0 = clock();
    assert_int_equal(ts_align_assignment(&b, 0.0f, &out, NULL), TS_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    print_message("[ info ] dense %zu x %zu assignment: %.3f s\n", n, n, secs);
    /* every row is matched (all scores positive but a few zeros) */
    assert_true(out.count >= n - 2);
    ts_align_pairs_free(&out);
    free(s);
}

/* ----------------------------------------------------------------- clustering */

static ts_align_clusters *cluster(const uint32_t *source_of, size_t n, const ts_align_pair *pairs,
                                  size_t np, unsigned char *fate)
{
    ts_align_clusters *cl = NULL;
    ts_diag diag;
    ts_diag_clear(&diag);
    if (ts_align_cluster(source_of, n, pairs, np, &cl, fate, &diag) != TS_OK)
        fail_msg("clustering failed: %s", diag.message);
    assert_non_null(cl);
    return cl;
}

/* Check the whole output: cluster of each statement and members in order. */
static void expect_clusters(const ts_align_clusters *cl, const uint32_t *cluster_of,
                            size_t n, const uint32_t *first, size_t count)
{
    assert_int_equal(cl->statements, n);
    assert_int_equal(cl->count, count);
    for (size_t i = 0; i < n; i++)
        if (cl->cluster[i] != cluster_of[i])
            fail_msg("statement %zu is in cluster %u, expected %u", i, cl->cluster[i],
                     cluster_of[i]);
    for (size_t c = 0; c <= count; c++)
        assert_int_equal(cl->first[c], first[c]);
    /* members: ascending within a cluster and consistent with cluster[] */
    for (size_t c = 1; c <= count; c++)
        for (uint32_t m = cl->first[c - 1]; m < cl->first[c]; m++) {
            assert_int_equal(cl->cluster[cl->member[m]], c);
            if (m > cl->first[c - 1])
                assert_true(cl->member[m - 1] < cl->member[m]);
        }
}

static void chain_joins_three_sources(void **state)
{
    (void)state;
    /* A0 - B1 (0.9), B1 - C2 (0.8); A-C was below the threshold and is not a
     * pair.  Both merge: one cluster {0, 1, 2} of support 3. */
    const uint32_t source_of[3] = {0, 1, 2};
    const ts_align_pair pairs[2] = {{0, 1, 0.9f}, {1, 2, 0.8f}};
    unsigned char fate[2];
    ts_align_clusters *cl = cluster(source_of, 3, pairs, 2, fate);
    const uint32_t want[3] = {1, 1, 1}, first[2] = {0, 3};
    expect_clusters(cl, want, 3, first, 1);
    assert_int_equal(support(cl, 1), 3);
    assert_int_equal(support(cl, 2), 0);
    assert_int_equal(support(cl, 0), 0);
    assert_int_equal(fate[0], TS_ALIGN_MERGED);
    assert_int_equal(fate[1], TS_ALIGN_MERGED);
    ts_align_clusters_free(cl);
}

static void conflict_is_refused(void **state)
{
    (void)state;
    /* statements 0 and 2 are both from source A (0), 1 from B (1).
     * (0,1) 0.9 merges {0,1} = {A,B}; (1,2) 0.8 would add a second A -> refused.
     * Clusters: {0,1} support 2 -> #1, {2} -> #2. */
    const uint32_t source_of[3] = {0, 1, 0};
    const ts_align_pair pairs[2] = {{1, 2, 0.8f}, {0, 1, 0.9f}};
    unsigned char fate[2];
    ts_align_clusters *cl = cluster(source_of, 3, pairs, 2, fate);
    const uint32_t want[3] = {1, 1, 2}, first[3] = {0, 2, 3};
    expect_clusters(cl, want, 3, first, 2);
    assert_int_equal(fate[0], TS_ALIGN_REFUSED);
    assert_int_equal(fate[1], TS_ALIGN_MERGED);
    ts_align_clusters_free(cl);

    /* the conflict may be between two clusters: {0(A),1(B)} and {2(C),3(A)}
     * cannot merge through (1,2) since both hold an A */
    const uint32_t src4[4] = {0, 1, 2, 0};
    const ts_align_pair p4[3] = {{0, 1, 0.9f}, {2, 3, 0.9f}, {1, 2, 0.7f}};
    unsigned char fate4[3];
    cl = cluster(src4, 4, p4, 3, fate4);
    const uint32_t want4[4] = {1, 1, 2, 2}, first4[3] = {0, 2, 4};
    expect_clusters(cl, want4, 4, first4, 2);
    assert_int_equal(fate4[2], TS_ALIGN_REFUSED);
    /* a pair within one source, and a statement paired with itself */
    const ts_align_pair same[2] = {{0, 3, 0.99f}, {1, 1, 0.99f}};
    ts_align_clusters_free(cl);
    cl = cluster(src4, 4, same, 2, fate4);
    assert_int_equal(cl->count, 4);
    assert_int_equal(fate4[0], TS_ALIGN_REFUSED);
    assert_int_equal(fate4[1], TS_ALIGN_REFUSED);
    ts_align_clusters_free(cl);
}

/* ------------------------------------------------------------ statuses */

static ts_align_statuses statuses_of(const uint32_t *source_of, const unsigned char *flags,
                                     size_t n, const ts_align_pair *cand, size_t nc,
                                     const ts_align_pair *pairs, size_t np, ts_match_mode mode,
                                     ts_align_clusters **cl)
{
    unsigned char fate[16];
    assert_true(np <= 16);
    *cl = cluster(source_of, n, pairs, np, fate);
    ts_align_status_input in = {n, source_of, flags, cand, nc, pairs, np, fate, *cl, mode};
    ts_align_statuses st;
    ts_diag d;
    assert_int_equal(ts_align_statuses_compute(&in, &st, &d), TS_OK);
    return st;
}

/* Hand-made cases, one per status and reason. */
static void statuses_and_reasons(void **state)
{
    (void)state;
    ts_align_clusters *cl;
    /* Mutual mode.  Sources: A = {0, 1}, B = {2}, C = {3} (flagged), D = {4}.
     * Candidates (0,2) 0.5 and (1,2) 0.7: 2's best is 1, so only (1,2) is
     * matched and clustered; 0's best match 2 prefers 1: matched, not mutual;
     * 3 is flagged; 4 has no candidate: unique. */
    const uint32_t src[5] = {0, 0, 1, 2, 3};
    const unsigned char flags[5] = {0, 0, 0, TS_STATEMENT_SHORT, 0};
    const ts_align_pair cand[2] = {{0, 2, 0.5f}, {1, 2, 0.7f}};
    const ts_align_pair pairs[1] = {{1, 2, 0.7f}};
    ts_align_statuses st = statuses_of(src, flags, 5, cand, 2, pairs, 1, TS_MATCH_MUTUAL, &cl);
    const unsigned char want[5] = {TS_ALIGNMENT_MATCHED, TS_ALIGNMENT_CLUSTERED,
                                   TS_ALIGNMENT_CLUSTERED, TS_ALIGNMENT_FLAGGED,
                                   TS_ALIGNMENT_UNIQUE};
    for (int i = 0; i < 5; i++)
        assert_int_equal(st.status[i], want[i]);
    assert_int_equal(st.best[0], 2);
    assert_true(st.best_score[0] == 0.5f);
    assert_int_equal(st.best[2], 1); /* the higher score */
    assert_int_equal(st.best[4], TS_ALIGN_NONE);
    assert_int_equal(st.why[0], TS_ALIGN_WHY_NOT_MUTUAL);
    assert_int_equal(st.partner[0], 2);
    assert_int_equal(st.other[0], 1);
    assert_true(st.other_score[0] == 0.7f);
    assert_int_equal(st.why[1], TS_ALIGN_WHY_NONE);
    ts_align_statuses_free(&st);
    ts_align_clusters_free(cl);

    /* The same in assignment mode: the assignment paired 2 with 1. */
    st = statuses_of(src, flags, 5, cand, 2, pairs, 1, TS_MATCH_ASSIGNMENT, &cl);
    assert_int_equal(st.why[0], TS_ALIGN_WHY_ASSIGNED);
    assert_int_equal(st.other[0], 1);
    ts_align_statuses_free(&st);
    ts_align_clusters_free(cl);

    /* Refused.  A = {0, 1}, B = {2}, C = {3}.  (0,2) 0.9 and (2,3) 0.8 make
     * {0, 2, 3}; (1,3) 0.7 would add a second A: refused, so 1 stays alone,
     * matched; its match 3 is clustered with 0, of its own source.  A tie for
     * 1's best (3 and 2 at 0.7) goes to the lower number, 2. */
    const uint32_t src2[4] = {0, 0, 1, 2};
    const unsigned char flags2[4] = {0, 0, 0, 0};
    const ts_align_pair cand2[4] = {{0, 2, 0.9f}, {2, 3, 0.8f}, {1, 3, 0.7f}, {1, 2, 0.7f}};
    const ts_align_pair pairs2[3] = {{0, 2, 0.9f}, {2, 3, 0.8f}, {1, 3, 0.7f}};
    st = statuses_of(src2, flags2, 4, cand2, 4, pairs2, 3, TS_MATCH_MUTUAL, &cl);
    assert_int_equal(st.status[1], TS_ALIGNMENT_MATCHED);
    assert_int_equal(st.best[1], 2);
    assert_int_equal(st.why[1], TS_ALIGN_WHY_REFUSED);
    assert_int_equal(st.partner[1], 3);
    assert_true(st.partner_score[1] == 0.7f);
    assert_int_equal(st.other[1], 0);
    for (int i = 0; i < 4; i++)
        if (i != 1)
            assert_int_equal(st.status[i], TS_ALIGNMENT_CLUSTERED);
    ts_align_statuses_free(&st);
    ts_align_statuses_free(NULL);
    ts_align_clusters_free(cl);
}

/* The words behind shared terms: surface forms found by their stems, and
 * function words marked. */
static void shared_term_words(void **state)
{
    (void)state;
    ts_align_words *w = NULL;
    ts_diag d;
    assert_int_equal(ts_align_words_create(&w, "english", &d), TS_OK);
    const char *a = "The President met the envoys of Kyiv.";
    const char *b = "A presidential meeting with the envoy";
    assert_int_equal(ts_align_words_load(w, 0, a, strlen(a), &d), TS_OK);
    assert_int_equal(ts_align_words_load(w, 1, b, strlen(b), &d), TS_OK);
    const char *s;
    size_t n;
    int function;
    /* english Snowball: "president" -> "presid", "presidential" -> "presidenti" */
    assert_true(ts_align_words_find(w, 0, "presid", &s, &n, &function));
    assert_int_equal(n, 9);
    assert_memory_equal(s, "President", 9);
    assert_false(function);
    assert_true(ts_align_words_find(w, 1, "presidenti", &s, &n, &function));
    assert_memory_equal(s, "presidential", 12);
    assert_false(ts_align_words_find(w, 1, "presid", &s, &n, &function));
    assert_true(ts_align_words_find(w, 0, "envoy", &s, &n, &function));
    assert_memory_equal(s, "envoys", 6);
    assert_true(ts_align_words_find(w, 1, "the", &s, &n, &function));
    assert_true(function);
    assert_false(ts_align_words_find(w, 0, "absent", &s, &n, &function));
    ts_align_words_free(w);
    ts_align_words_free(NULL);

    /* without stemming, keys are the lowercase words */
    assert_int_equal(ts_align_words_create(&w, NULL, &d), TS_OK);
    assert_int_equal(ts_align_words_load(w, 0, a, strlen(a), &d), TS_OK);
    assert_true(ts_align_words_find(w, 0, "kyiv", &s, &n, &function));
    assert_memory_equal(s, "Kyiv", 4);
    assert_false(ts_align_words_find(w, 0, "presid", &s, &n, &function));
    ts_align_words_free(w);
}

static void ties_in_clustering_order(void **state)
{
    (void)state;
    /* 0 and 2 from source A, 1 from B; (2,1) and (0,1) both 0.8.  Order by
     * lower id: (0,1) [lower 0] before (1,2) [lower 1], whatever the input
     * order -> (0,1) merges, (2,1) is refused. */
    const uint32_t source_of[3] = {0, 1, 0};
    const ts_align_pair pairs[2] = {{2, 1, 0.8f}, {0, 1, 0.8f}};
    unsigned char fate[2];
    ts_align_clusters *cl = cluster(source_of, 3, pairs, 2, fate);
    const uint32_t want[3] = {1, 1, 2}, first[3] = {0, 2, 3};
    expect_clusters(cl, want, 3, first, 2);
    assert_int_equal(fate[0], TS_ALIGN_REFUSED);
    assert_int_equal(fate[1], TS_ALIGN_MERGED);
    ts_align_clusters_free(cl);

    /* equal score and equal lower id: the higher id decides.  0 from A, 1 and
     * 3 from B: (0,3) and (0,1) at 0.6 -> (0,1) first, (0,3) refused. */
    const uint32_t src4[4] = {0, 1, 2, 1};
    const ts_align_pair p4[2] = {{3, 0, 0.6f}, {0, 1, 0.6f}};
    cl = cluster(src4, 4, p4, 2, fate);
    const uint32_t want4[4] = {1, 1, 2, 3}, first4[4] = {0, 2, 3, 4};
    expect_clusters(cl, want4, 4, first4, 3);
    assert_int_equal(fate[0], TS_ALIGN_REFUSED);
    assert_int_equal(fate[1], TS_ALIGN_MERGED);
    ts_align_clusters_free(cl);
}

static void numbering_and_singletons(void **state)
{
    (void)state;
    /* sources: 0:A 1:B 2:C 3:A 4:B 5:C 6:D 7:B
     * pairs (3,4) 0.7, (4,5) 0.6, (2,6) 0.9, (0,1) 0.5
     * clusters: {3,4,5} support 3; {0,1} support 2 (smallest 0);
     * {2,6} support 2 (smallest 2); {7} singleton.
     * numbering: #1 {3,4,5}, #2 {0,1}, #3 {2,6}, #4 {7} */
    const uint32_t source_of[8] = {0, 1, 2, 0, 1, 2, 3, 1};
    const ts_align_pair pairs[4] = {
        {3, 4, 0.7f}, {4, 5, 0.6f}, {2, 6, 0.9f}, {0, 1, 0.5f}};
    ts_align_clusters *cl = cluster(source_of, 8, pairs, 4, NULL);
    const uint32_t want[8] = {2, 2, 3, 1, 1, 1, 3, 4};
    const uint32_t first[5] = {0, 3, 5, 7, 8};
    expect_clusters(cl, want, 8, first, 4);
    const uint32_t members[8] = {3, 4, 5, 0, 1, 2, 6, 7};
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(cl->member[i], members[i]);
    ts_align_clusters_free(cl);

    /* no pairs: every statement is its own cluster, numbered by id */
    cl = cluster(source_of, 8, NULL, 0, NULL);
    const uint32_t ids[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const uint32_t firsts[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    expect_clusters(cl, ids, 8, firsts, 8);
    ts_align_clusters_free(cl);

    /* no statements at all */
    cl = cluster(NULL, 0, NULL, 0, NULL);
    assert_int_equal(cl->count, 0);
    assert_int_equal(cl->first[0], 0);
    ts_align_clusters_free(cl);
    ts_align_clusters_free(NULL);
}

static void redundant_pairs_and_many_sources(void **state)
{
    (void)state;
    /* triangle of three sources: the third pair finds one cluster already */
    const uint32_t src3[3] = {5, 9, 4000000000u};
    const ts_align_pair tri[3] = {{0, 1, 0.9f}, {1, 2, 0.8f}, {0, 2, 0.7f}};
    unsigned char fate[3];
    ts_align_clusters *cl = cluster(src3, 3, tri, 3, fate);
    assert_int_equal(cl->count, 1);
    assert_int_equal(fate[2], TS_ALIGN_REDUNDANT);
    ts_align_clusters_free(cl);

    /* 3000 statements from 3000 sources in a chain with falling scores: one
     * cluster; then a second statement of source 0 paired with the last one
     * is refused */
    size_t n = 3001;
    uint32_t *src = malloc(n * sizeof *src);
    ts_align_pair *chain = malloc(n * sizeof *chain);
    unsigned char *fates = malloc(n);
    assert_true(src && chain && fates);
    for (size_t i = 0; i < n - 1; i++)
        src[i] = (uint32_t)(i * 7919u); /* distinct, unordered ids */
    src[n - 1] = src[0];
    for (size_t i = 0; i + 1 < n - 1; i++)
        chain[i] = (ts_align_pair){(uint32_t)i, (uint32_t)(i + 1), 1.0f - (float)i * 1e-4f};
    chain[n - 2] = (ts_align_pair){(uint32_t)(n - 2), (uint32_t)(n - 1), 0.01f};
    cl = cluster(src, n, chain, n - 1, fates);
    assert_int_equal(cl->count, 2);
    assert_int_equal(support(cl, 1), n - 1);
    assert_int_equal(cl->cluster[n - 1], 2);
    assert_int_equal(fates[n - 2], TS_ALIGN_REFUSED);
    ts_align_clusters_free(cl);
    free(src);
    free(chain);
    free(fates);
}

static void clustering_errors(void **state)
{
    (void)state;
    const uint32_t source_of[2] = {0, 1};
    ts_align_clusters *cl = (ts_align_clusters *)1;
    ts_diag diag;
    ts_diag_clear(&diag);
    const ts_align_pair bad_id[1] = {{0, 2, 0.5f}};
    assert_int_equal(ts_align_cluster(source_of, 2, bad_id, 1, &cl, NULL, &diag), TS_ERR_ARG);
    assert_null(cl);
    assert_non_null(strstr(diag.message, "(0, 2)"));
    const ts_align_pair nan_score[1] = {{0, 1, NAN}};
    assert_int_equal(ts_align_cluster(source_of, 2, nan_score, 1, &cl, NULL, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_cluster(NULL, 2, NULL, 0, &cl, NULL, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_cluster(source_of, 2, NULL, 1, &cl, NULL, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_cluster(source_of, 2, NULL, 0, NULL, NULL, NULL), TS_ERR_ARG);
}

/* Naive reference: clusters as member lists, source check by scanning. */
static void naive_cluster(const uint32_t *src, size_t n, const ts_align_pair *pairs, size_t np,
                          uint32_t *label /* out: smallest member of each one's cluster */)
{
    size_t *order = malloc(np * sizeof *order);
    for (size_t i = 0; i < np; i++)
        order[i] = i;
    /* insertion sort by the documented order */
    for (size_t i = 1; i < np; i++) {
        size_t x = order[i], j = i;
        while (j > 0) {
            const ts_align_pair *p = &pairs[order[j - 1]], *q = &pairs[x];
            uint32_t plo = p->a < p->b ? p->a : p->b, phi = p->a < p->b ? p->b : p->a;
            uint32_t qlo = q->a < q->b ? q->a : q->b, qhi = q->a < q->b ? q->b : q->a;
            int q_first = q->score > p->score ||
                          (q->score == p->score && (qlo < plo || (qlo == plo && qhi < phi)));
            if (!q_first)
                break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    for (size_t i = 0; i < n; i++)
        label[i] = (uint32_t)i;
    for (size_t k = 0; k < np; k++) {
        const ts_align_pair *p = &pairs[order[k]];
        uint32_t la = label[p->a], lb = label[p->b];
        if (la == lb)
            continue;
        int clash = 0;
        for (size_t i = 0; i < n && !clash; i++)
            for (size_t j = 0; j < n && !clash; j++)
                if (label[i] == la && label[j] == lb && src[i] == src[j])
                    clash = 1;
        if (clash)
            continue;
        uint32_t keep = la < lb ? la : lb, drop = la < lb ? lb : la;
        for (size_t i = 0; i < n; i++)
            if (label[i] == drop)
                label[i] = keep;
    }
    free(order);
}

static void clustering_matches_naive(void **state)
{
    (void)state;
    uint64_t seed = 4242;
    enum { N = 24, P = 60 };
    uint32_t src[N], label[N];
    ts_align_pair pairs[P];
    for (int iter = 0; iter < 500; iter++) {
        for (size_t i = 0; i < N; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            src[i] = (uint32_t)((seed >> 33) % 6);
        }
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t np = (size_t)((seed >> 33) % P);
        for (size_t k = 0; k < np; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            pairs[k].a = (uint32_t)((seed >> 20) % N);
            pairs[k].b = (uint32_t)((seed >> 30) % N);
            pairs[k].score = (float)((seed >> 40) % 4) / 4.0f; /* many ties */
        }
        naive_cluster(src, N, pairs, np, label);
        ts_align_clusters *cl = cluster(src, N, pairs, np, NULL);
        /* same partition */
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < N; j++)
                assert_int_equal(label[i] == label[j], cl->cluster[i] == cl->cluster[j]);
        /* at most one statement per source in each cluster */
        for (size_t i = 0; i < N; i++)
            for (size_t j = i + 1; j < N; j++)
                if (cl->cluster[i] == cl->cluster[j])
                    assert_true(src[i] != src[j]);
        /* numbering: support descending, then smallest member ascending */
        for (size_t c = 2; c <= cl->count; c++) {
            size_t s0 = support(cl, c - 1), s1 = support(cl, c);
            assert_true(s0 > s1 || (s0 == s1 && cl->member[cl->first[c - 2]] <
                                                    cl->member[cl->first[c - 1]]));
        }
        ts_align_clusters_free(cl);
    }
}

/* ----------------------------------------------------------------- explain */

static void explain_shared_terms(void **state)
{
    (void)state;
    /* a: cols 1 3 5 7, all 0.5; b: cols 0 3 5 7 9 = 0.1 0.2 0.6 0.2 0.3.
     * shared: 3 -> 0.5*0.2 = 0.1, 5 -> 0.3, 7 -> 0.1.
     * order: 5 (0.3), then 3 and 7 tie at 0.1 -> column 3 first. */
    const uint32_t ca[4] = {1, 3, 5, 7}, cb[5] = {0, 3, 5, 7, 9};
    const float va[4] = {0.5f, 0.5f, 0.5f, 0.5f}, vb[5] = {0.1f, 0.2f, 0.6f, 0.2f, 0.3f};
    ts_align_term t[8];
    size_t n = 99;
    assert_int_equal(ts_align_explain(ca, va, 4, cb, vb, 5, 8, t, &n, NULL), TS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(t[0].col, 5);
    assert_int_equal(t[1].col, 3);
    assert_int_equal(t[2].col, 7);
    assert_true(t[0].contribution == (double)0.5f * (double)0.6f);
    assert_true(t[1].contribution == (double)0.5f * (double)0.2f);
    assert_true(t[0].wa == 0.5f && t[0].wb == 0.6f);
    /* top 2 */
    assert_int_equal(ts_align_explain(ca, va, 4, cb, vb, 5, 2, t, &n, NULL), TS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].col, 5);
    assert_int_equal(t[1].col, 3);
    /* top 1, k = 0, no shared terms, empty rows */
    assert_int_equal(ts_align_explain(ca, va, 4, cb, vb, 5, 1, t, &n, NULL), TS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].col, 5);
    assert_int_equal(ts_align_explain(ca, va, 4, cb, vb, 5, 0, NULL, &n, NULL), TS_OK);
    assert_int_equal(n, 0);
    const uint32_t cc[2] = {2, 4};
    assert_int_equal(ts_align_explain(ca, va, 4, cc, vb, 2, 5, t, &n, NULL), TS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(ts_align_explain(NULL, NULL, 0, cb, vb, 5, 5, t, &n, NULL), TS_OK);
    assert_int_equal(n, 0);
}

static void explain_errors(void **state)
{
    (void)state;
    const uint32_t ok[2] = {1, 2}, unsorted[2] = {2, 1}, dup[2] = {3, 3};
    const float v[2] = {0.5f, 0.5f}, bad[2] = {0.5f, NAN};
    ts_align_term t[2];
    size_t n;
    ts_diag diag;
    ts_diag_clear(&diag);
    assert_int_equal(ts_align_explain(unsorted, v, 2, ok, v, 2, 2, t, &n, &diag), TS_ERR_ARG);
    assert_non_null(strstr(diag.message, "ascending"));
    assert_int_equal(ts_align_explain(ok, v, 2, dup, v, 2, 2, t, &n, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_explain(ok, bad, 2, ok, v, 2, 2, t, &n, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_explain(ok, v, 2, ok, v, 2, 2, NULL, &n, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_explain(ok, v, 2, ok, v, 2, 2, t, NULL, NULL), TS_ERR_ARG);
    assert_int_equal(ts_align_explain(NULL, v, 2, ok, v, 2, 2, t, &n, NULL), TS_ERR_ARG);
}

static int compare_terms_ref(const void *x, const void *y)
{
    const ts_align_term *p = x, *q = y;
    if (p->contribution != q->contribution)
        return p->contribution > q->contribution ? -1 : 1;
    return p->col < q->col ? -1 : p->col > q->col;
}

static void explain_matches_full_sort(void **state)
{
    (void)state;
    uint64_t seed = 1;
    uint32_t ca[200], cb[200];
    float va[200], vb[200];
    ts_align_term all[200], top[50];
    for (int iter = 0; iter < 500; iter++) {
        size_t na = 0, nb = 0;
        for (uint32_t col = 0; col < 300; col++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            float w = (float)((seed >> 40) % 8 + 1) / 8.0f; /* ties */
            if ((seed >> 20) % 3 == 0 && na < 200) {
                ca[na] = col;
                va[na++] = w;
            }
            if ((seed >> 25) % 3 == 0 && nb < 200) {
                cb[nb] = col;
                vb[nb++] = (float)((seed >> 50) % 8 + 1) / 8.0f;
            }
        }
        /* reference: all shared terms, fully sorted */
        size_t ns = 0;
        for (size_t i = 0; i < na; i++)
            for (size_t j = 0; j < nb; j++)
                if (ca[i] == cb[j])
                    all[ns++] = (ts_align_term){ca[i], va[i], vb[j], (double)va[i] * vb[j]};
        qsort(all, ns, sizeof *all, compare_terms_ref);
        size_t k = (size_t)(iter % 50) + 1, n;
        assert_int_equal(ts_align_explain(ca, va, na, cb, vb, nb, k, top, &n, NULL), TS_OK);
        assert_int_equal(n, ns < k ? ns : k);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(top[i].col, all[i].col);
            assert_true(top[i].contribution == all[i].contribution);
        }
    }
}

/* The token counts the TF-IDF pass keeps give the same tokens and flags as
 * the filter's own tokenizing pass, on real text and on text whose case
 * mapping is not trivial, under every option that keeps them (stop words,
 * stemming and n-grams among them: the count is taken before they apply);
 * options that change the tokens keep none. */
static void test_flag_tokens_from_tfidf(void **state)
{
    (void)state;
    static const char tricky[] =
        "\xC4\xB0stanbul DZ\xC7\x85" "emal Stra\xC3\x9F" "e \xCE\xA3\xCE\x8A\xCE\xA3\xCE\xA5\xCE\xA6\xCE\x9F\xCE\xA3 caf\xC3\xA9.\n"
        "It's 5 o'clock; U.S.-led talks' co-chair ran the I/O test 3x.\n"
        "a b c d e f g h\n";
    ts_corpus *c;
    ts_diag d;
    ts_read_options ro;
    ts_read_options_init(&ro);
    ro.segment = TS_SEGMENT_LINE;
    assert_int_equal(ts_corpus_create(&c), TS_OK);
    assert_int_equal(ts_corpus_add_path(c, TS_TEST_DATA "/msrp/msr_paraphrase_train.txt", &ro, &d),
                     TS_OK);
    assert_int_equal(ts_corpus_add_path(c, TS_SOURCE_DIR "/examples/moscow-talks-2025", NULL, &d),
                     TS_OK);
    assert_int_equal(ts_corpus_add_text(c, "tricky", tricky, sizeof tricky - 1, NULL, &ro, &d),
                     TS_OK);
    size_t n = ts_corpus_statement_count(c);
    ts_alignment_options o;
    ts_alignment_options_init(&o);
    unsigned char *f1 = calloc(n, 1), *f2 = calloc(n, 1);
    unsigned *t1 = calloc(n, sizeof *t1), *t2 = calloc(n, sizeof *t2);
    assert_true(f1 && f2 && t1 && t2);
    assert_int_equal(ts_align_flag(c, &o, NULL, f1, t1, &d), TS_OK);
    size_t short_ones = 0;
    for (size_t i = 0; i < n; i++)
        short_ones += (f1[i] & TS_STATEMENT_SHORT) != 0;
    assert_true(short_ones > 0 && short_ones < n); /* the rule bites on both sides */

    enum { ALIGN, STOP, BIGRAMS, NAMES, FOLD, STRIP, UNICODE_WORDS, N_CASES };
    for (int k = 0; k < N_CASES; k++) {
        ts_vectorizer_options vo;
        ts_vectorizer_options_init(&vo);
        vo.sublinear_tf = 1; /* textsim align's defaults */
        vo.stem = "english";
        vo.stop_words = k == STOP || k == BIGRAMS ? "english" : NULL;
        vo.ngram_max = k == BIGRAMS ? 2 : 1;
        vo.name_weight = k == NAMES ? 0.5 : 1.0;
        vo.lowercase = k == FOLD ? TS_CASE_FOLD : TS_CASE_LOWER;
        vo.strip_accents = k == STRIP ? TS_ACCENTS_UNICODE : TS_ACCENTS_KEEP;
        vo.tokens = k == UNICODE_WORDS ? TS_TOKENS_UNICODE_WORDS : TS_TOKENS_SKLEARN;
        ts_tfidf *t;
        assert_int_equal(ts_tfidf_build(&t, c, &vo, &d), TS_OK);
        const uint32_t *kept = ts_tfidf_word_tokens(t);
        if (k >= FOLD) { /* these can change the tokens */
            assert_null(kept);
            ts_tfidf_free(t);
            continue;
        }
        assert_non_null(kept);
        memset(f2, 0, n);
        assert_int_equal(ts_align_flag(c, &o, kept, f2, t2, &d), TS_OK);
        for (size_t i = 0; i < n; i++) {
            if (t1[i] != t2[i])
                print_message("case %d, statement %zu: %u tokens counted, %u kept\n", k, i,
                              t1[i], t2[i]);
            assert_int_equal(t1[i], t2[i]);
            assert_int_equal(f1[i], f2[i]);
        }
        ts_tfidf_free(t);
    }
    free(f1);
    free(f2);
    free(t1);
    free(t2);
    ts_corpus_free(c);
}

/* ------------------------------------------------------------ restatements */

/* Cluster the matched pairs, then link and restate; checks the members of
 * each cluster (ascending, clusters in order) and each statement's link. */
static void expect_restated_cap(int cap, const uint32_t *source_of, size_t n,
                                const ts_align_pair *cand, size_t ncand,
                                const ts_align_pair *pairs, size_t npairs,
                                const char *want_clusters, const uint32_t *want_link,
                                const float *want_score, const unsigned char *want_restated)
{
    ts_diag diag;
    ts_align_clusters *cl = NULL;
    unsigned char fate[16];
    assert_int_equal(ts_align_cluster(source_of, n, pairs, npairs, &cl, fate, &diag), TS_OK);
    ts_align_restate_input in = {n, source_of, NULL, cand, ncand, pairs, npairs, fate, cap};
    ts_align_links links;
    assert_int_equal(ts_align_restate(&in, cl, &links, &diag), TS_OK);
    char got[256] = "";
    for (size_t c = 1; c <= cl->count; c++) {
        size_t len = strlen(got);
        snprintf(got + len, sizeof got - len, "%s{", c > 1 ? " " : "");
        for (uint32_t k = cl->first[c - 1]; k < cl->first[c]; k++) {
            len = strlen(got);
            snprintf(got + len, sizeof got - len, "%s%u", k > cl->first[c - 1] ? "," : "",
                     cl->member[k]);
            assert_int_equal(cl->cluster[cl->member[k]], c);
        }
        len = strlen(got);
        snprintf(got + len, sizeof got - len, "}:%u", cl->support[c]);
    }
    assert_string_equal(got, want_clusters);
    size_t restated = 0;
    for (size_t i = 0; i < n; i++) {
        if (links.link[i] != want_link[i] || links.restated[i] != want_restated[i] ||
            (want_link[i] != TS_ALIGN_NO_LINK && links.score[i] != want_score[i]))
            fail_msg("statement %zu: link %u (%g, restated %d), expected %u (%g, %d)", i,
                     links.link[i], (double)links.score[i], links.restated[i], want_link[i],
                     (double)want_score[i], want_restated[i]);
        restated += want_restated[i];
    }
    assert_int_equal(links.restatements, restated);
    ts_align_links_free(&links);
    ts_align_clusters_free(cl);
}

/* The default: at most one restatement per source and cluster. */
static void expect_restated(const uint32_t *source_of, size_t n, const ts_align_pair *cand,
                            size_t ncand, const ts_align_pair *pairs, size_t npairs,
                            const char *want_clusters, const uint32_t *want_link,
                            const float *want_score, const unsigned char *want_restated)
{
    expect_restated_cap(1, source_of, n, cand, ncand, pairs, npairs, want_clusters, want_link,
                        want_score, want_restated);
}

/* A source restating a fact twice: 0, 1 and 4 (sources 0, 1, 2) are one
 * cluster; 2 and 3 (source 1 again) have 0 as their best match and match 4
 * too, so both are corroborated by two other sources, and the better-linked
 * one, 3 (0.6 against 0.5), joins; 2 stays a singleton. */
static const uint32_t one_source_of[] = {0, 1, 1, 1, 2};
static const ts_align_pair one_source_cand[] = {{0, 1, 0.9f}, {0, 4, 0.85f}, {1, 4, 0.8f},
                                                {0, 2, 0.5f}, {2, 4, 0.4f}, {0, 3, 0.6f},
                                                {3, 4, 0.3f}};
static const ts_align_pair one_source_pairs[] = {{0, 1, 0.9f}, {0, 4, 0.85f}, {1, 4, 0.8f}};

static void restatements_of_one_source(void **state)
{
    (void)state;
    const uint32_t *source_of = one_source_of;
    const ts_align_pair *cand = one_source_cand, *pairs = one_source_pairs;
    const uint32_t N = TS_ALIGN_NO_LINK;
    const uint32_t link[] = {1, 0, N, 0, 0};
    const float score[] = {0.9f, 0.9f, 0, 0.6f, 0.85f};
    const unsigned char restated[] = {0, 0, 0, 1, 0};
    expect_restated(source_of, 5, cand, 7, pairs, 3, "{0,1,3,4}:3 {2}:1", link, score, restated);
}

/* The case above with room for two restatements per source and cluster:
 * both 2 and 3 join (each linked to its best match, 0); with none, the
 * clusters are matching's alone and every link is a merged pair. */
static void restatements_up_to_the_cap(void **state)
{
    (void)state;
    const uint32_t *source_of = one_source_of;
    const ts_align_pair *cand = one_source_cand, *pairs = one_source_pairs;
    const uint32_t N = TS_ALIGN_NO_LINK;
    const uint32_t link2[] = {1, 0, 0, 0, 0};
    const float score2[] = {0.9f, 0.9f, 0.5f, 0.6f, 0.85f};
    const unsigned char restated2[] = {0, 0, 1, 1, 0};
    expect_restated_cap(2, source_of, 5, cand, 7, pairs, 3, "{0,1,2,3,4}:3", link2, score2,
                        restated2);
    expect_restated_cap(3, source_of, 5, cand, 7, pairs, 3, "{0,1,2,3,4}:3", link2, score2,
                        restated2);
    const uint32_t link0[] = {1, 0, N, N, 0};
    const float score0[] = {0.9f, 0.9f, 0, 0, 0.85f};
    const unsigned char restated0[] = {0, 0, 0, 0, 0};
    expect_restated_cap(0, source_of, 5, cand, 7, pairs, 3, "{0,1,4}:3 {2}:1 {3}:1", link0,
                        score0, restated0);
}

/* Two sources: 2 (source 1) has 0 as its best match, in 0's cluster with
 * 1, but only one other source can agree: no restatement. */
static void no_restatements_between_two_sources(void **state)
{
    (void)state;
    const uint32_t source_of[] = {0, 1, 1};
    const ts_align_pair cand[] = {{0, 1, 0.9f}, {0, 2, 0.5f}};
    const ts_align_pair pairs[] = {{0, 1, 0.9f}};
    const uint32_t link[] = {1, 0, TS_ALIGN_NO_LINK};
    const float score[] = {0.9f, 0.9f, 0};
    const unsigned char restated[] = {0, 0, 0};
    expect_restated(source_of, 3, cand, 2, pairs, 1, "{0,1}:2 {2}:1", link, score, restated);
}

/* Sources 0, 1, 2 matched in one cluster {0, 1, 2} (the pair 1-2 is
 * redundant; each member links to its best merged pair).  3 and 4 are more
 * statements of source 2 whose best match is 0: 3 matches one of the two
 * other sources only and stays out; 4 matches both (0 at 0.35, 1 at 0.3) and
 * joins.  5 (source 3) has its best match in the cluster, but the cluster
 * does not hold its source: not a restatement.  6's best match is 4, which
 * was a singleton when restatements were chosen: no chain through one. */
static void restatements_need_two_sources_and_never_chain(void **state)
{
    (void)state;
    const uint32_t source_of[] = {0, 1, 2, 2, 2, 3, 1};
    const ts_align_pair cand[] = {{0, 1, 0.8f},  {0, 2, 0.7f}, {1, 2, 0.6f}, {0, 3, 0.4f},
                                  {0, 4, 0.35f}, {1, 4, 0.3f}, {0, 5, 0.5f}, {4, 6, 0.33f},
                                  {0, 6, 0.3f}};
    const ts_align_pair pairs[] = {{0, 1, 0.8f}, {0, 2, 0.7f}, {1, 2, 0.6f}};
    const uint32_t N = TS_ALIGN_NO_LINK;
    const uint32_t link[] = {1, 0, 0, N, 0, N, N};
    const float score[] = {0.8f, 0.8f, 0.7f, 0, 0.35f, 0, 0};
    const unsigned char restated[] = {0, 0, 0, 0, 1, 0, 0};
    expect_restated(source_of, 7, cand, 9, pairs, 3, "{0,1,2,4}:3 {3}:1 {5}:1 {6}:1", link,
                    score, restated);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flag_tokens_from_tfidf),
        cmocka_unit_test(restatements_of_one_source),
        cmocka_unit_test(restatements_up_to_the_cap),
        cmocka_unit_test(no_restatements_between_two_sources),
        cmocka_unit_test(restatements_need_two_sources_and_never_chain),
        cmocka_unit_test(mutual_best_3x3_with_non_mutual_best),
        cmocka_unit_test(mutual_best_ties_take_lower_index),
        cmocka_unit_test(threshold_excludes),
        cmocka_unit_test(assignment_3x3),
        cmocka_unit_test(assignment_differs_from_mutual),
        cmocka_unit_test(assignment_tie_rules),
        cmocka_unit_test(rectangular_blocks),
        cmocka_unit_test(ineligible_statements),
        cmocka_unit_test(nan_scores_never_match),
        cmocka_unit_test(block_errors),
        cmocka_unit_test(assignment_matches_brute_force),
        cmocka_unit_test(assignment_matches_subset_dp),
        cmocka_unit_test(mutual_best_properties_random),
        cmocka_unit_test(sparse_matchers_match_dense),
        cmocka_unit_test(assignment_timing),
        cmocka_unit_test(chain_joins_three_sources),
        cmocka_unit_test(conflict_is_refused),
        cmocka_unit_test(statuses_and_reasons),
        cmocka_unit_test(shared_term_words),
        cmocka_unit_test(ties_in_clustering_order),
        cmocka_unit_test(numbering_and_singletons),
        cmocka_unit_test(redundant_pairs_and_many_sources),
        cmocka_unit_test(clustering_errors),
        cmocka_unit_test(clustering_matches_naive),
        cmocka_unit_test(explain_shared_terms),
        cmocka_unit_test(explain_errors),
        cmocka_unit_test(explain_matches_full_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
