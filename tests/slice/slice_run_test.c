/* slice_run_test.c: the whole slicer (slice_run) on procedural meshes,
 * checking geometry of the plan, not bytes (PrusaSlicer test_skirt_brim
 * style): layer count, the cube's outer wall, every point inside the
 * model, solid top and bottom, seam alignment, retracts, skirt, brim,
 * supports, bed limits. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/slice.h"
#include "testmesh.h"

static void run_ok(const struct mesh_tris *m, const struct slice_params *p,
                   struct slice_plan *plan)
{
    struct dy_err err = {0};
    int rc = slice_run(m, p, NULL, plan, &err);
    if (rc)
        fail_msg("slice_run: %s: %s", err.where, err.msg);
}

static void cube_at(struct mesh_tris *m, double x, double y, double size)
{
    assert_int_equal(testmesh_cube(m, size), 0);
    testmesh_translate(m, x, y, 0);
}

static size_t count_feature(const struct slice_plan_layer *L, enum slice_feature f)
{
    size_t n = 0;
    for (size_t i = 0; i < L->npaths; i++)
        n += L->paths[i].feature == f;
    return n;
}

static void test_cube_plan(void **state)
{
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    struct slice_params p = slice_params_default();
    cube_at(&m, 100, 100, 20);
    run_ok(&m, &p, &plan);
    assert_int_equal(plan.nlayers, 100);
    assert_int_equal(plan.layers[99].z_um, 20000);
    assert_int_equal(plan.max_z, 20000);
    struct slice_pt seam = {0, 0};
    for (size_t k = 0; k < plan.nlayers; k++) {
        const struct slice_plan_layer *L = &plan.layers[k];
        assert_int_equal(L->height_um, 200);
        assert_int_equal(count_feature(L, SLICE_FEAT_WALL_OUTER), 1);
        assert_int_equal(count_feature(L, SLICE_FEAT_WALL_INNER), 1);
        assert_int_equal(count_feature(L, SLICE_FEAT_SKIRT), k == 0 ? 1 : 0);
        int saw_outer = 0;
        for (size_t i = 0; i < L->npaths; i++) {
            const struct slice_path *sp = &L->paths[i];
            if (sp->feature == SLICE_FEAT_WALL_INNER)
                assert_false(saw_outer); /* inner walls before the outer one */
            if (sp->feature == SLICE_FEAT_INFILL || sp->feature == SLICE_FEAT_TOP ||
                sp->feature == SLICE_FEAT_BOTTOM)
                assert_true(saw_outer); /* fill after the walls */
            if (sp->feature != SLICE_FEAT_WALL_OUTER)
                continue;
            saw_outer = 1;
            /* The outer wall: the 20 mm square minus w/2 each side, within
             * 1 um, closed, 4 corners. */
            assert_int_equal(sp->closed, 1);
            assert_int_equal(sp->n, 4);
            assert_int_equal(sp->width_um, 400);
            for (size_t q = 0; q < sp->n; q++) {
                int32_t x = sp->pts[q].x, y = sp->pts[q].y;
                assert_true(abs(x - 100200) <= 1 || abs(x - 119800) <= 1);
                assert_true(abs(y - 100200) <= 1 || abs(y - 119800) <= 1);
            }
            /* Aligned seam: the same corner on every layer. */
            if (k == 0)
                seam = sp->pts[0];
            assert_int_equal(sp->pts[0].x, seam.x);
            assert_int_equal(sp->pts[0].y, seam.y);
        }
        /* Bottom 3 layers solid, top 4 solid, sparse in between. */
        size_t nb = count_feature(L, SLICE_FEAT_BOTTOM), nt = count_feature(L, SLICE_FEAT_TOP),
               ni = count_feature(L, SLICE_FEAT_INFILL);
        if (k < 3) {
            assert_true(nb > 0 && nt == 0 && ni == 0);
        } else if (k >= 96) {
            assert_true(nt > 0 && nb == 0 && ni == 0);
        } else {
            assert_true(ni > 0 && nt == 0 && nb == 0);
        }
        assert_int_equal(L->paths[0].retract_before, 1);
    }
    /* Seam at the back-left corner (aligned reference point). */
    assert_int_equal(seam.x, 100200);
    assert_int_equal(seam.y, 119800);
    /* bbox: the skirt 3 mm out (centre at 3.2 mm). */
    assert_true(abs(plan.min_x - (100000 - 3200)) <= 5);
    assert_true(abs(plan.max_y - (120000 + 3200)) <= 5);
    slice_plan_fini(&plan);
    assert_null(plan.layers);
    mesh_tris_fini(&m);
}

/* Every extrusion of the model (not skirt, brim or support) lies inside
 * the model's cross-section at that layer grown by half a line (+10 um for
 * the 5 um simplification and rounding). */
static void check_inside(const struct mesh_tris *m, const struct slice_plan *plan,
                         const struct slice_params *p)
{
    struct slice_layers l = {0};
    struct dy_err err = {0};
    const struct slice_layers_params lp = {lrint(p->layer_h_mm * 1000),
                                           lrint(p->first_layer_h_mm * 1000), 2000, 0, 2};
    assert_int_equal(slice_layers_build(m, &lp, NULL, &l, &err), 0);
    assert_int_equal(l.n, plan->nlayers);
    size_t checked = 0;
    for (size_t k = 0; k < l.n; k++) {
        struct poly_set grown = {0};
        assert_int_equal(poly_offset(&l.v[k].polys, p->line_w_mm * 500 + 10, POLY_JOIN_MITER,
                                     &grown), 0);
        const struct slice_plan_layer *L = &plan->layers[k];
        for (size_t i = 0; i < L->npaths; i++) {
            const struct slice_path *sp = &L->paths[i];
            if (sp->feature == SLICE_FEAT_SKIRT || sp->feature == SLICE_FEAT_BRIM ||
                sp->feature == SLICE_FEAT_SUPPORT ||
                sp->feature == SLICE_FEAT_SUPPORT_INTERFACE)
                continue;
            for (size_t q = 0; q < sp->n; q++) {
                if (!poly_contains(&grown, sp->pts[q].x, sp->pts[q].y))
                    fail_msg("layer %zu path %zu (%s) point (%d, %d) outside the model",
                             k, i, slice_feature_name(sp->feature), sp->pts[q].x,
                             sp->pts[q].y);
                checked++;
            }
        }
        poly_set_fini(&grown);
    }
    assert_true(checked > 100);
    slice_layers_fini(&l);
}

static void test_points_inside(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    const double c[3] = {60, 60, 6};
    assert_int_equal(testmesh_torus(&m, c, 15, 6, 64, 32), 0);
    p.infill_pattern = SLICE_INFILL_GYROID;
    run_ok(&m, &p, &plan);
    check_inside(&m, &plan, &p);
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_figurine(&m), 0);
    testmesh_translate(&m, 80, 80, 0);
    p.infill_pattern = SLICE_INFILL_TRIANGLES;
    run_ok(&m, &p, &plan);
    check_inside(&m, &plan, &p);
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

/* Union of the layer's extruded skin lines (each buffered by w/2) covers
 * >= 98% of the area inside the walls. */
static double skin_coverage(const struct slice_plan_layer *L, enum slice_feature f,
                            const struct poly_set *inner)
{
    struct poly_lines lines = {0};
    struct poly_set cov = {0}, in = {0};
    for (size_t i = 0; i < L->npaths; i++)
        if (L->paths[i].feature == f)
            assert_int_equal(poly_lines_add(&lines, L->paths[i].pts, L->paths[i].n), 0);
    assert_int_equal(poly_offset_lines(&lines, 200, &cov), 0);
    assert_int_equal(poly_intersection(&cov, inner, &in), 0);
    double frac = poly_set_area(&in) / poly_set_area(inner);
    poly_lines_fini(&lines);
    poly_set_fini(&cov);
    poly_set_fini(&in);
    return frac;
}

static void test_top_bottom_covered(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    struct poly_set inner = {0};
    cube_at(&m, 50, 50, 20);
    run_ok(&m, &p, &plan);
    /* Inside 2 walls of 0.4 mm: 50.8 .. 69.2. */
    const struct slice_pt sq[4] = {{50800, 50800}, {69200, 50800}, {69200, 69200}, {50800, 69200}};
    assert_int_equal(poly_set_add_ring(&inner, sq, 4), 0);
    for (size_t k = 0; k < 3; k++) {
        double c = skin_coverage(&plan.layers[k], SLICE_FEAT_BOTTOM, &inner);
        if (c < 0.98)
            fail_msg("bottom layer %zu covered %.4f", k, c);
    }
    for (size_t k = 96; k < 100; k++) {
        double c = skin_coverage(&plan.layers[k], SLICE_FEAT_TOP, &inner);
        if (c < 0.98)
            fail_msg("top layer %zu covered %.4f", k, c);
    }
    poly_set_fini(&inner);
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

static void test_two_islands_retract_and_brim(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    const double a0[3] = {50, 50, 0}, a1[3] = {60, 60, 5};
    const double b0[3] = {80, 50, 0}, b1[3] = {90, 60, 5};
    assert_int_equal(testmesh_box(&m, a0, a1), 0);
    assert_int_equal(testmesh_box(&m, b0, b1), 0);
    p.brim_width_mm = 2;
    p.skirt_loops = 2;
    run_ok(&m, &p, &plan);
    const struct slice_plan_layer *L0 = &plan.layers[0];
    /* 2 mm brim = 5 loops per box (separate, they are 20 mm apart). */
    assert_int_equal(count_feature(L0, SLICE_FEAT_BRIM), 10);
    assert_int_equal(count_feature(L0, SLICE_FEAT_SKIRT), 2);
    assert_int_equal(count_feature(&plan.layers[1], SLICE_FEAT_BRIM), 0);
    /* Brim loops go outermost first; the last two (one per box) touch the
     * part: every point half a line (200 um, +-5 um of arc error) from
     * its box. */
    size_t last = 0, seen = 0;
    for (size_t i = 0; i < L0->npaths; i++)
        if (L0->paths[i].feature == SLICE_FEAT_BRIM)
            last = i;
    for (size_t i = last + 1; i-- > 0 && seen < 2;) {
        const struct slice_path *sp = &L0->paths[i];
        if (sp->feature != SLICE_FEAT_BRIM)
            continue;
        seen++;
        for (size_t q = 0; q < sp->n; q++) {
            double x = sp->pts[q].x, y = sp->pts[q].y;
            double bx0 = x < 70000 ? 50000 : 80000, bx1 = bx0 + 10000;
            double dx = fmax(fmax(bx0 - x, x - bx1), 0), dy = fmax(fmax(50000 - y, y - 60000), 0);
            double d = sqrt(dx * dx + dy * dy);
            if (fabs(d - 200) > 5)
                fail_msg("brim point (%g, %g) is %g um from the part", x, y, d);
        }
    }
    assert_int_equal(seen, 2);
    /* Each layer above 0: moving to the second box retracts, moving within
     * a box between walls does not. */
    for (size_t k = 1; k < plan.nlayers; k++) {
        const struct slice_plan_layer *L = &plan.layers[k];
        size_t outer_seen = 0, retracts = 0;
        for (size_t i = 0; i < L->npaths; i++) {
            const struct slice_path *sp = &L->paths[i];
            retracts += sp->retract_before;
            if (sp->feature == SLICE_FEAT_WALL_OUTER)
                outer_seen++;
            if (sp->feature == SLICE_FEAT_WALL_OUTER && i > 0)
                assert_int_equal(sp->retract_before, 0); /* inner -> outer wall */
        }
        assert_int_equal(outer_seen, 2);
        assert_true(retracts >= 2);
        /* The second island starts with a retract. */
        size_t first_inner = 0;
        for (size_t i = 1; i < L->npaths; i++)
            if (L->paths[i].feature == SLICE_FEAT_WALL_INNER &&
                L->paths[i - 1].feature != SLICE_FEAT_WALL_INNER) {
                first_inner = i;
                break;
            }
        assert_true(first_inner > 0);
        assert_int_equal(L->paths[first_inner].retract_before, 1);
    }
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

static void test_supports(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    assert_int_equal(testmesh_overhang_t(&m), 0);
    testmesh_translate(&m, 80, 80, 0);
    run_ok(&m, &p, &plan);
    size_t sup = 0;
    for (size_t k = 0; k < plan.nlayers; k++)
        sup += count_feature(&plan.layers[k], SLICE_FEAT_SUPPORT) +
               count_feature(&plan.layers[k], SLICE_FEAT_SUPPORT_INTERFACE);
    assert_int_equal(sup, 0);
    slice_plan_fini(&plan);
    p.supports = 1;
    run_ok(&m, &p, &plan);
    /* Under the bar (z < 30 mm), beside the stem: support at layer 50. */
    const struct slice_plan_layer *L = &plan.layers[50];
    size_t n = count_feature(L, SLICE_FEAT_SUPPORT);
    assert_true(n > 0);
    size_t iface = 0;
    for (size_t k = 0; k < plan.nlayers; k++)
        iface += count_feature(&plan.layers[k], SLICE_FEAT_SUPPORT_INTERFACE);
    assert_true(iface > 0);
    /* Support paths stay under the bar, off the stem. */
    for (size_t i = 0; i < L->npaths; i++) {
        const struct slice_path *sp = &L->paths[i];
        if (sp->feature != SLICE_FEAT_SUPPORT)
            continue;
        for (size_t q = 0; q < sp->n; q++) {
            assert_true(sp->pts[q].x >= 80000 && sp->pts[q].x <= 130000);
            assert_false(sp->pts[q].x > 100000 && sp->pts[q].x < 110000);
        }
    }
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

/* A cone (apex up) of radius r and height h, `seg` sides, base on z = 0. */
static void cone_at(struct mesh_tris *m, double cx, double cy, double r, double h, int seg)
{
    uint32_t apex, base, first = 0, idx;
    assert_int_equal(mesh_tris_add_vert(m, (float)cx, (float)cy, (float)h, &apex, NULL), 0);
    assert_int_equal(mesh_tris_add_vert(m, (float)cx, (float)cy, 0.0f, &base, NULL), 0);
    for (int i = 0; i < seg; i++) {
        const double a = 2 * M_PI * i / seg;
        assert_int_equal(mesh_tris_add_vert(m, (float)(cx + r * cos(a)),
                                            (float)(cy + r * sin(a)), 0.0f, &idx, NULL), 0);
        if (i == 0)
            first = idx;
    }
    for (int i = 0; i < seg; i++) {
        const uint32_t a = first + (uint32_t)i, b = first + (uint32_t)((i + 1) % seg);
        assert_int_equal(mesh_tris_add_tri(m, a, b, apex, NULL), 0);
        assert_int_equal(mesh_tris_add_tri(m, base, b, a, NULL), 0);
    }
}

/* A cone's tip: the last layers cut it in specks (an island below
 * line_w^2 and 4 line widths round); they are not printed, and the plan
 * ends at the last layer that prints anything, with no empty layer. */
static void test_cone_tip(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    const double r = 5, h = 20, w = p.line_w_mm;
    cone_at(&m, 100, 100, r, h, 64);
    run_ok(&m, &p, &plan);
    /* The highest layer whose cut is not a speck by the rule. */
    long last = -1;
    for (long k = 0; k < 100; k++) {
        const double rk = r * (1 - (k + 0.5) * p.layer_h_mm / h);
        if (M_PI * rk * rk >= w * w || 2 * M_PI * rk >= 4 * w)
            last = k;
    }
    print_message("cone: %zu layers planned, the rule keeps up to layer %ld\n", plan.nlayers,
                  last);
    assert_true(labs((long)plan.nlayers - (last + 1)) <= 1);
    for (size_t k = 0; k < plan.nlayers; k++)
        assert_true(plan.layers[k].npaths > 0);
    const struct slice_plan_layer *top = &plan.layers[plan.nlayers - 1];
    assert_true(count_feature(top, SLICE_FEAT_WALL_OUTER) == 1);
    assert_int_equal(plan.max_z, top->z_um);
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

static double orient(struct slice_pt a, struct slice_pt b, struct slice_pt c)
{
    return ((double)b.x - a.x) * ((double)c.y - a.y) - ((double)b.y - a.y) * ((double)c.x - a.x);
}

/* 1 when segment ab properly crosses an edge of the closed ring. */
static int crosses_ring(const struct slice_path *ring, struct slice_pt a, struct slice_pt b)
{
    for (size_t j = 0; j < ring->n; j++) {
        const struct slice_pt c = ring->pts[j], d = ring->pts[(j + 1) % ring->n];
        const double o1 = orient(a, b, c), o2 = orient(a, b, d);
        const double o3 = orient(c, d, a), o4 = orient(c, d, b);
        if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) &&
            ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
            return 1;
    }
    return 0;
}

struct travel_stats {
    size_t travels, crossing, retracts, short_paths;
    size_t straight_crossing; /* travels whose straight line would cross */
    size_t combed;            /* travels with via points */
};

/* 1 when the travel from a through the path's via points to its first
 * point crosses a ring of the path `ring`; with `straight`, only a -> pts[0]. */
static int travel_crosses(const struct slice_path *ring, struct slice_pt a,
                          const struct slice_path *sp, int straight)
{
    size_t nv = straight ? 0 : sp->nvia;
    for (size_t v = 0; v <= nv; v++) {
        struct slice_pt b = v < nv ? sp->via[v] : sp->pts[0];
        if (crosses_ring(ring, a, b))
            return 1;
        a = b;
    }
    return 0;
}

/* Every travel whose route (straight, or through its via points) crosses
 * an outer wall of its layer retracts first; no layer is empty; counts
 * what it saw, and how many straight lines would have crossed. */
static struct travel_stats check_travels(const struct slice_plan *plan, const char *name)
{
    struct travel_stats st = {0};
    for (size_t k = 0; k < plan->nlayers; k++) {
        const struct slice_plan_layer *L = &plan->layers[k];
        if (L->npaths == 0)
            fail_msg("%s: layer %zu of %zu is empty", name, k, plan->nlayers);
        for (size_t i = 0; i < L->npaths; i++) {
            const struct slice_path *sp = &L->paths[i];
            double len = 0;
            for (size_t q = 1; q <= sp->n; q++) {
                if (q == sp->n && !sp->closed)
                    break;
                const struct slice_pt a = sp->pts[q - 1], b = sp->pts[q % sp->n];
                len += hypot((double)a.x - b.x, (double)a.y - b.y);
            }
            st.short_paths += len < 1000;
            st.retracts += sp->retract_before;
            if (i == 0)
                continue;
            const struct slice_path *pv = &L->paths[i - 1];
            const struct slice_pt a = pv->closed ? pv->pts[0] : pv->pts[pv->n - 1];
            const struct slice_pt b = sp->pts[0];
            if (a.x == b.x && a.y == b.y)
                continue;
            st.travels++;
            st.combed += sp->nvia > 0;
            int straight = 0, routed = 0;
            for (size_t j = 0; j < L->npaths; j++) {
                if (L->paths[j].feature != SLICE_FEAT_WALL_OUTER)
                    continue;
                straight = straight || travel_crosses(&L->paths[j], a, sp, 1);
                if (!routed && travel_crosses(&L->paths[j], a, sp, 0)) {
                    routed = 1;
                    if (!sp->retract_before)
                        fail_msg("%s: layer %zu path %zu (%s): the travel from (%d, %d) to "
                                 "(%d, %d) (%zu via points) crosses the outer wall of path "
                                 "%zu without a retraction", name, k, i,
                                 slice_feature_name(sp->feature), a.x, a.y, b.x, b.y,
                                 sp->nvia, j);
                }
            }
            st.straight_crossing += straight;
            st.crossing += routed;
        }
    }
    print_message("%s: %zu layers, %zu travels, %zu cross an outer wall (all retract; %zu "
                  "would in a straight line), %zu combed, %zu retractions, %zu paths under "
                  "1 mm\n", name, plan->nlayers, st.travels, st.crossing,
                  st.straight_crossing, st.combed, st.retracts, st.short_paths);
    return st;
}

static void test_travel_retracts_across_walls(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    p.supports = 1;
    assert_int_equal(testmesh_figurine(&m), 0);
    testmesh_translate(&m, 80, 80, 0);
    run_ok(&m, &p, &plan);
    struct travel_stats st = check_travels(&plan, "figurine");
    assert_true(st.crossing > 0);
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
    assert_int_equal(testmesh_overhang_t(&m), 0);
    testmesh_translate(&m, 80, 80, 0);
    run_ok(&m, &p, &plan);
    st = check_travels(&plan, "overhang T");
    assert_true(st.crossing > 0);
    /* The support under each arm of the T is one zigzag a layer (plus,
     * at most, a piece where the bar's edge and the stem's gap meet). */
    for (size_t k = 0; k < 140; k++) {
        size_t ns = count_feature(&plan.layers[k], SLICE_FEAT_SUPPORT);
        if (ns > 4)
            fail_msg("overhang T: layer %zu has %zu support paths", k, ns);
    }
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

/* The bundled fox (assets/models/fox-figurine.stl) at 60 mm, supports on:
 * what the testers reported. No empty layer and no speck at the top, no
 * extrusion shorter than a line width, every travel across an outer wall
 * retracts, support under the arms in few pieces. */
static void test_fox(void **state)
{
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    struct dy_err err = {0};
    struct slice_params p = slice_params_default();
    p.supports = 1;
    if (mesh_import(DARYN_SOURCE_DIR "/assets/models/fox-figurine.stl", NULL, &m, NULL, &err) ||
        mesh_repair(&m, NULL, NULL, &err))
        fail_msg("%s: %s", err.where, err.msg);
    const struct mesh_place_opts po = {.height_mm = 60, .bed_mm = {220, 220, 250}};
    assert_int_equal(mesh_place(&m, &po, NULL, &err), 0);
    run_ok(&m, &p, &plan);
    assert_true(plan.nlayers < 300 && plan.nlayers > 290);
    struct travel_stats st = check_travels(&plan, "fox");
    assert_true(st.crossing > 0);
    size_t sup = 0, sup_layers = 0;
    for (size_t k = 0; k < plan.nlayers; k++) {
        const struct slice_plan_layer *L = &plan.layers[k];
        size_t ns = count_feature(L, SLICE_FEAT_SUPPORT);
        sup += ns;
        sup_layers += ns > 0;
        for (size_t i = 0; i < L->npaths; i++) {
            const struct slice_path *sp = &L->paths[i];
            double len = 0;
            for (size_t q = 1; q <= sp->n; q++) {
                if (q == sp->n && !sp->closed)
                    break;
                len += hypot((double)sp->pts[q - 1].x - sp->pts[q % sp->n].x,
                             (double)sp->pts[q - 1].y - sp->pts[q % sp->n].y);
            }
            if (len < p.line_w_mm * 1000)
                fail_msg("fox: layer %zu path %zu (%s) is %.0f um long", k, i,
                         slice_feature_name(sp->feature), len);
        }
    }
    print_message("fox: %zu support paths on %zu layers (%.1f a layer)\n", sup, sup_layers,
                  (double)sup / (double)sup_layers);
    assert_true(sup_layers > 50);
    assert_true(sup < 5 * sup_layers);
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

static void test_errors(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    struct dy_err err = {0};
    cube_at(&m, 1, 1, 20); /* the skirt would hang off the bed's edge */
    assert_int_equal(slice_run(&m, &p, NULL, &plan, &err), DY_ERANGE);
    assert_string_equal(err.where, "slice plan");
    assert_null(plan.layers);
    p.skirt_loops = 0;
    assert_int_equal(slice_run(&m, &p, NULL, &plan, &err), 0);
    slice_plan_fini(&plan);
    p.layer_h_mm = 200;
    assert_int_equal(slice_run(&m, &p, NULL, &plan, &err), DY_ERANGE);
    assert_string_equal(err.where, "layer_h_mm");
    p = slice_params_default();
    p.bed_z_mm = 10;
    testmesh_translate(&m, 50, 50, 0);
    assert_int_equal(slice_run(&m, &p, NULL, &plan, &err), DY_ERANGE);
    mesh_tris_fini(&m);
    assert_int_equal(slice_run(&m, &p, NULL, &plan, &err), DY_EINVAL);
}

static void test_seams(void **state)
{
    /* An L footprint (two overlapping boxes): its one concave corner at
     * (30, 30), (29.8, 29.8) on the outer wall's centre line, is where the
     * aligned seam hides, on every layer. */
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    const double a0[3] = {20, 20, 0}, a1[3] = {40, 30, 3};
    const double b0[3] = {20, 20, 0}, b1[3] = {30, 40, 3};
    assert_int_equal(testmesh_box(&m, a0, a1), 0);
    assert_int_equal(testmesh_box(&m, b0, b1), 0);
    run_ok(&m, &p, &plan);
    for (size_t k = 0; k < plan.nlayers; k++) {
        const struct slice_plan_layer *L = &plan.layers[k];
        for (size_t i = 0; i < L->npaths; i++) {
            if (L->paths[i].feature != SLICE_FEAT_WALL_OUTER)
                continue;
            assert_true(abs(L->paths[i].pts[0].x - 29800) <= 1);
            assert_true(abs(L->paths[i].pts[0].y - 29800) <= 1);
        }
    }
    slice_plan_fini(&plan);
    p.seam = SLICE_SEAM_REAR;
    run_ok(&m, &p, &plan);
    for (size_t k = 0; k < plan.nlayers; k++) {
        const struct slice_plan_layer *L = &plan.layers[k];
        for (size_t i = 0; i < L->npaths; i++)
            if (L->paths[i].feature == SLICE_FEAT_WALL_OUTER)
                assert_true(abs(L->paths[i].pts[0].y - 39800) <= 1);
    }
    slice_plan_fini(&plan);
    mesh_tris_fini(&m);
}

struct cancel_at {
    atomic_int flag;
    enum slice_stage at;
    int calls_after;
};

static void cancel_progress(void *user, enum slice_stage st, double f)
{
    struct cancel_at *c = user;
    (void)f;
    if (atomic_load(&c->flag))
        c->calls_after++;
    if (st == c->at)
        atomic_store(&c->flag, 1);
}

static void test_cancel_run(void **state)
{
    struct slice_params p = slice_params_default();
    struct mesh_tris m = {0};
    struct slice_plan plan = {0};
    struct dy_err err = {0};
    cube_at(&m, 50, 50, 20);
    for (int st = SLICE_STAGE_LAYERS; st <= SLICE_STAGE_FILL; st++) {
        struct cancel_at c = {.at = (enum slice_stage)st};
        struct slice_ctl ctl = {.cancel = &c.flag, .progress = cancel_progress, .user = &c};
        assert_int_equal(slice_run(&m, &p, &ctl, &plan, &err), DY_ECANCELED);
        assert_null(plan.layers);
        assert_true(c.calls_after <= 1);
    }
    mesh_tris_fini(&m);
}

static void test_names(void **state)
{
    assert_string_equal(slice_feature_name(SLICE_FEAT_WALL_OUTER), "wall-outer");
    assert_string_equal(slice_feature_name(SLICE_FEAT_SUPPORT_INTERFACE), "support-interface");
    assert_string_equal(slice_feature_name(SLICE_FEAT_COUNT), "?");
    assert_string_equal(slice_stage_name(SLICE_STAGE_WALLS), "walls");
    double sum = 0;
    for (int s = 0; s < SLICE_STAGE_COUNT; s++)
        sum += slice_stage_weight((enum slice_stage)s);
    assert_float_equal(sum, 1.0, 1e-9);
}

static void test_chain_points(void **state)
{
    const struct slice_pt pts[4] = {{100, 0}, {10, 0}, {50, 0}, {0, 0}};
    size_t order[4];
    assert_int_equal(slice_chain_points(pts, 4, (struct slice_pt){0, 0}, order), 0);
    assert_int_equal(order[0], 3);
    assert_int_equal(order[1], 1);
    assert_int_equal(order[2], 2);
    assert_int_equal(order[3], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_plan),
        cmocka_unit_test(test_points_inside),
        cmocka_unit_test(test_top_bottom_covered),
        cmocka_unit_test(test_two_islands_retract_and_brim),
        cmocka_unit_test(test_supports),
        cmocka_unit_test(test_cone_tip),
        cmocka_unit_test(test_travel_retracts_across_walls),
        cmocka_unit_test(test_fox),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_seams),
        cmocka_unit_test(test_cancel_run),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_chain_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
