/* slice_comb_test.c: combing (travels routed inside the part). Slices
 * shapes whose straight travels would leave the part, a C (two arms and a
 * back) and a square frame (a square with a square hole), and follows every
 * travel between the part's own paths through its via points: sampled
 * every 50 um, it must stay inside the part's outline grown by half a line
 * unless it retracts first; some must have been routed; no route is longer
 * than 3x the straight distance. Then the router alone on hand-made
 * islands: round the back of a C, round a hole, and no route where the
 * detour is too long or the part's neck is too thin to pass inside. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/slice.h"
#include "slice_comb.h" /* private to src/slice: the router itself */
#include "testmesh.h"

struct rect {
    double x0, y0, x1, y1; /* mm */
};

/* The part is the union of these rectangles (as boxes 4 mm tall). */
static void build(struct mesh_tris *m, const struct rect *r, size_t n, double ox, double oy)
{
    for (size_t i = 0; i < n; i++) {
        const double lo[3] = {ox + r[i].x0, oy + r[i].y0, 0};
        const double hi[3] = {ox + r[i].x1, oy + r[i].y1, 4};
        assert_int_equal(testmesh_box(m, lo, hi), 0);
    }
}

/* 1 when (x, y) um is inside the union of the rectangles grown by g mm
 * (grown as squares: a little more than the rounded outline at corners,
 * never less). */
static int inside(const struct rect *r, size_t n, double ox, double oy, double g, double x,
                  double y)
{
    x = x / 1000 - ox;
    y = y / 1000 - oy;
    for (size_t i = 0; i < n; i++)
        if (x >= r[i].x0 - g && x <= r[i].x1 + g && y >= r[i].y0 - g && y <= r[i].y1 + g)
            return 1;
    return 0;
}

static int seg_leaves(const struct rect *r, size_t n, double ox, double oy, double g,
                      struct slice_pt a, struct slice_pt b)
{
    double len = hypot((double)a.x - b.x, (double)a.y - b.y);
    int steps = (int)ceil(len / 50);
    for (int s = 0; s <= steps; s++) {
        double t = steps ? (double)s / steps : 0;
        if (!inside(r, n, ox, oy, g, a.x + t * ((double)b.x - a.x), a.y + t * ((double)b.y - a.y)))
            return 1;
    }
    return 0;
}

struct comb_stats {
    size_t travels, straight_leave, leave, combed, combed_retract;
    size_t straight_cross, cross; /* travels crossing an outer wall */
};

static double orient(struct slice_pt a, struct slice_pt b, struct slice_pt c)
{
    return ((double)b.x - a.x) * ((double)c.y - a.y) - ((double)b.y - a.y) * ((double)c.x - a.x);
}

/* 1 when segment ab properly crosses an outer wall of the layer. */
static int crosses_wall(const struct slice_plan_layer *L, struct slice_pt a, struct slice_pt b)
{
    for (size_t i = 0; i < L->npaths; i++) {
        const struct slice_path *w = &L->paths[i];
        if (w->feature != SLICE_FEAT_WALL_OUTER)
            continue;
        for (size_t j = 0; j < w->n; j++) {
            const struct slice_pt c = w->pts[j], d = w->pts[(j + 1) % w->n];
            const double o1 = orient(a, b, c), o2 = orient(a, b, d);
            const double o3 = orient(c, d, a), o4 = orient(c, d, b);
            if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) &&
                ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
                return 1;
        }
    }
    return 0;
}

static struct comb_stats check(const char *name, const struct rect *r, size_t n)
{
    const double ox = 100, oy = 100;
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    struct dy_err err = {0};
    struct slice_params p = slice_params_default();
    build(&m, r, n, ox, oy);
    if (slice_run(&m, &p, NULL, &plan, &err))
        fail_msg("%s: slice_run: %s: %s", name, err.where, err.msg);
    /* Half a line outside the outline, plus a micron for rounding. */
    const double g = p.line_w_mm / 2 + 0.001;
    struct comb_stats st = {0};
    assert_true(plan.nlayers >= 19);
    for (size_t k = 0; k < plan.nlayers; k++) {
        const struct slice_plan_layer *L = &plan.layers[k];
        for (size_t i = 1; i < L->npaths; i++) {
            const struct slice_path *pv = &L->paths[i - 1], *sp = &L->paths[i];
            if (pv->feature == SLICE_FEAT_SKIRT || sp->feature == SLICE_FEAT_SKIRT) {
                assert_int_equal(sp->nvia, 0);
                continue;
            }
            struct slice_pt a = pv->closed ? pv->pts[0] : pv->pts[pv->n - 1];
            const struct slice_pt b = sp->pts[0];
            if (a.x == b.x && a.y == b.y)
                continue;
            st.travels++;
            st.straight_leave += seg_leaves(r, n, ox, oy, g, a, b);
            st.straight_cross += crosses_wall(L, a, b);
            int leaves = 0, cross = 0;
            double len = 0;
            const double straight = hypot((double)a.x - b.x, (double)a.y - b.y);
            for (size_t v = 0; v <= sp->nvia; v++) {
                struct slice_pt c = v < sp->nvia ? sp->via[v] : b;
                leaves = leaves || seg_leaves(r, n, ox, oy, g, a, c);
                cross = cross || crosses_wall(L, a, c);
                len += hypot((double)a.x - c.x, (double)a.y - c.y);
                a = c;
            }
            st.leave += leaves;
            st.cross += cross;
            if ((leaves || cross) && !sp->retract_before)
                fail_msg("%s: layer %zu path %zu (%s, %zu via points): the travel to "
                         "(%d, %d) leaves the part or crosses its outer wall without a retraction", name, k, i,
                         slice_feature_name(sp->feature), sp->nvia, b.x, b.y);
            if (sp->nvia) {
                st.combed++;
                st.combed_retract += sp->retract_before;
                if (leaves || cross)
                    fail_msg("%s: layer %zu path %zu: a routed travel leaves the part (%d) "
                             "or crosses its outer wall (%d)", name, k, i, leaves, cross);
                if (len > 3 * straight + 1)
                    fail_msg("%s: layer %zu path %zu: route %.0f um for %.0f um straight",
                             name, k, i, len, straight);
            }
        }
    }
    print_message("%s: %zu layers, %zu travels; in a straight line %zu would leave the part "
                  "and %zu cross an outer wall; %zu leave it and %zu cross (all retract); "
                  "%zu routed inside (%zu of them retract: longer than 2 mm)\n", name,
                  plan.nlayers, st.travels, st.straight_leave, st.straight_cross, st.leave,
                  st.cross, st.combed, st.combed_retract);
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
    return st;
}

static void test_c_shape(void **state)
{
    /* Back 6 mm wide, arms 6 mm thick, an 18 mm gap between them. */
    static const struct rect c[] = {
        {0, 0, 6.5, 30}, {6, 0, 30, 6}, {6, 24, 30, 30},
    };
    struct comb_stats st = check("C shape", c, 3);
    assert_true(st.straight_leave > 0);
    assert_true(st.combed > 0);
    /* Every travel that would cross the gap is routed round the back. */
    assert_int_equal(st.leave, 0);
    assert_int_equal(st.cross, 0);
}

static void test_square_hole(void **state)
{
    /* 30 mm square, 14 mm square hole in the middle. */
    static const struct rect f[] = {
        {0, 0, 8.5, 30}, {21.5, 0, 30, 30}, {8, 0, 22, 8}, {8, 22, 22, 30},
    };
    struct comb_stats st = check("square with a hole", f, 4);
    assert_true(st.straight_cross > 0);
    assert_true(st.combed > 0);
    assert_int_equal(st.leave, 0);
    assert_int_equal(st.cross, 0);
}

/* An island from rings given as x0, y0, ... um (the first CCW, holes
 * CW), with its outer wall half a line inside. */
static void island(struct slice_island_walls *iw, struct poly_set *loop0,
                   const int32_t *const *rings, const size_t *n, size_t nrings)
{
    struct poly_set raw = {0};
    for (size_t r = 0; r < nrings; r++) {
        struct slice_pt pts[16];
        for (size_t i = 0; i < n[r]; i++)
            pts[i] = (struct slice_pt){rings[r][2 * i], rings[r][2 * i + 1]};
        assert_int_equal(poly_set_add_ring(&raw, pts, n[r]), 0);
    }
    *iw = (struct slice_island_walls){0};
    *loop0 = (struct poly_set){0};
    assert_int_equal(poly_normalize(&raw, &iw->outline), 0);
    assert_int_equal(poly_offset(&iw->outline, -200, POLY_JOIN_MITER, loop0), 0);
    iw->loops = loop0;
    iw->nloops = 1;
    poly_set_fini(&raw);
}

/* Routes a -> b; when routed, checks every segment (sampled every 50 um)
 * stays inside the island shrunk by a quarter line (clear of the outer
 * wall's outside edge) and crosses neither the outline nor the outer wall,
 * and that the length adds up. Returns the router's answer. */
static int route(const struct slice_island_walls *iw, struct slice_pt a, struct slice_pt b,
                 size_t *nvia)
{
    struct slice_comb c = {0};
    struct slice_pt *via = NULL;
    double len = -1;
    int rc = slice_comb_route(&c, iw, 400, a, b, &via, nvia, &len);
    assert_true(rc == 0 || rc == 1);
    if (rc == 0) {
        assert_null(via);
        assert_int_equal(*nvia, 0);
    } else {
        struct poly_set in = {0};
        assert_int_equal(poly_offset(&iw->outline, -100, POLY_JOIN_MITER, &in), 0);
        double sum = 0;
        struct slice_pt p = a;
        for (size_t v = 0; v <= *nvia; v++) {
            struct slice_pt q = v < *nvia ? via[v] : b;
            assert_false(poly_segment_crosses(&iw->outline, p, q));
            assert_false(poly_segment_crosses(&iw->loops[0], p, q));
            double d = hypot((double)p.x - q.x, (double)p.y - q.y);
            for (int s = 0, steps = (int)ceil(d / 50); s <= steps; s++) {
                double t = steps ? (double)s / steps : 0;
                int32_t x = (int32_t)lround(p.x + t * ((double)q.x - p.x));
                int32_t y = (int32_t)lround(p.y + t * ((double)q.y - p.y));
                if (!poly_contains(&in, x, y))
                    fail_msg("route (%d, %d) -> (%d, %d): (%d, %d) is outside", a.x, a.y, b.x,
                             b.y, x, y);
            }
            sum += d;
            p = q;
        }
        assert_float_equal(len, sum, 1e-6 * sum);
        assert_true(len <= SLICE_COMB_MAX_DETOUR * hypot((double)a.x - b.x, (double)a.y - b.y));
        poly_set_fini(&in);
    }
    free(via);
    slice_comb_fini(&c);
    return rc;
}

static void test_route_c(void **state)
{
    /* Arms 6 mm thick and 30 (then 50) mm long, an 18 mm gap. */
    for (int arm = 30000; arm <= 50000; arm += 20000) {
        const int32_t c[] = {0, 0, arm, 0, arm, 6000, 6000, 6000,
                             6000, 24000, arm, 24000, arm, 30000, 0, 30000};
        const int32_t *rings[] = {c};
        const size_t n[] = {8};
        struct slice_island_walls iw;
        struct poly_set loop0;
        island(&iw, &loop0, rings, n, 1);
        /* From the bottom arm's tip to the top one's; the seam-like ends
         * sit on the outer wall, the route goes round the back. */
        struct slice_pt a = {arm - 1000, 200}, b = {arm - 1000, 29800};
        size_t nvia = 0;
        int rc = route(&iw, a, b, &nvia);
        if (arm == 30000) {
            /* About 2 x 23 + 19 mm round the back for 29.6 straight. */
            assert_int_equal(rc, 1);
            assert_true(nvia >= 2);
            /* A travel that stays inside needs no route: */
            struct slice_pt c0 = {3000, 3000}, c1 = {3000, 27000};
            assert_int_equal(route(&iw, c0, c1, &nvia), 1);
        } else {
            /* About 2 x 43 + 19 mm: over 3x the 29.6 straight. */
            assert_int_equal(rc, 0);
        }
        poly_set_fini(&loop0);
        poly_set_fini(&iw.outline);
    }
}

static void test_route_hole(void **state)
{
    const int32_t outer[] = {0, 0, 30000, 0, 30000, 30000, 0, 30000};
    const int32_t hole[] = {8000, 8000, 8000, 22000, 22000, 22000, 22000, 8000};
    const int32_t *rings[] = {outer, hole};
    const size_t n[] = {4, 4};
    struct slice_island_walls iw;
    struct poly_set loop0;
    island(&iw, &loop0, rings, n, 2);
    /* Across the hole, left to right, above or below its middle. */
    for (int32_t y = 12000; y <= 18000; y += 6000) {
        size_t nvia = 0;
        assert_int_equal(route(&iw, (struct slice_pt){4000, y}, (struct slice_pt){26000, y},
                               &nvia), 1);
        /* Round the nearer side of the hole: two of its corners. */
        assert_int_equal(nvia, 2);
    }
    poly_set_fini(&loop0);
    poly_set_fini(&iw.outline);
}

static void test_route_thin_neck(void **state)
{
    /* Two 10 mm squares in a C, joined by a 0.6 mm neck at the back: the
     * comb boundary (a line inside) breaks there, so there is no route. */
    const int32_t c[] = {0, 0, 10000, 0, 10000, 10000, 600, 10000,
                         600, 20000, 10000, 20000, 10000, 30000, 0, 30000};
    const int32_t *rings[] = {c};
    const size_t n[] = {8};
    struct slice_island_walls iw;
    struct poly_set loop0;
    island(&iw, &loop0, rings, n, 1);
    size_t nvia = 0;
    assert_int_equal(route(&iw, (struct slice_pt){9000, 5000}, (struct slice_pt){9000, 25000},
                           &nvia), 0);
    poly_set_fini(&loop0);
    poly_set_fini(&iw.outline);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c_shape),
        cmocka_unit_test(test_square_hole),
        cmocka_unit_test(test_route_c),
        cmocka_unit_test(test_route_hole),
        cmocka_unit_test(test_route_thin_neck),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
