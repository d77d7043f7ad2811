/* slice_stages_test.c: stages 1-3 (layers, islands, walls) on procedural
 * meshes from tests/mesh/testmesh.h: counts, exact squares, holes kept,
 * shells merged, flipped normals still solid, cancel honoured. */
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

static const struct slice_layers_params LP = {
    .layer_h_um = 200, .first_layer_h_um = 200, .close_gap_um = 2000, .threads = 2,
};

static void layers_of(const struct mesh_tris *m, struct slice_layers *l)
{
    struct dy_err err = {0};
    assert_int_equal(slice_layers_build(m, &LP, NULL, l, &err), 0);
}

/* Reverses every triangle of m from triangle `from` on. */
static void flip_from(struct mesh_tris *m, size_t from)
{
    for (size_t i = from; i < m->ntris; i++) {
        uint32_t t = m->tris[i][1];
        m->tris[i][1] = m->tris[i][2];
        m->tris[i][2] = t;
    }
}

static void test_cube_layers(void **state)
{
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    layers_of(&m, &l);
    assert_int_equal(l.n, 100);
    assert_int_equal(l.v[0].z_um, 200);
    assert_int_equal(l.v[0].cut_z_um, 100);
    assert_int_equal(l.v[99].z_um, 20000);
    assert_int_equal(l.v[99].cut_z_um, 19900);
    for (size_t k = 0; k < l.n; k++) {
        assert_int_equal(l.v[k].polys.n, 1);
        assert_float_equal(poly_set_area(&l.v[k].polys), 4e8, 0);
        assert_true(poly_contains(&l.v[k].polys, 10000, 10000));
    }
    assert_int_equal(l.open_dropped, 0);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_tube_keeps_hole(void **state)
{
    /* A tube as an outer cylinder plus an inner one whose faces point into
     * the hole (wound inwards), as a modelled tube's surface is. */
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct slice_islands is = {0};
    struct dy_err err = {0};
    assert_int_equal(testmesh_cylinder(&m, 50, 50, 0, 10, 10, 128), 0);
    size_t n0 = m.ntris;
    assert_int_equal(testmesh_cylinder(&m, 50, 50, 0, 5, 10, 128), 0);
    flip_from(&m, n0);
    layers_of(&m, &l);
    assert_int_equal(l.n, 50);
    assert_int_equal(slice_islands_build(&l, NULL, &is, &err), 0);
    for (size_t k = 0; k < l.n; k++) {
        assert_int_equal(is.v[k].n, 1);
        assert_int_equal(is.v[k].v[0].rings.n, 2);
        assert_false(poly_contains(&l.v[k].polys, 50000, 50000));
        assert_true(poly_contains(&l.v[k].polys, 57500, 50000));
        double want = M_PI * (100 - 25) * 1e6;
        assert_true(fabs(poly_set_area(&l.v[k].polys) - want) < want * 0.002);
    }
    slice_islands_fini(&is);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_torus_ring(void **state)
{
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct slice_islands is = {0};
    struct dy_err err = {0};
    const double c[3] = {50, 50, 5};
    assert_int_equal(testmesh_torus(&m, c, 15, 5, 96, 48), 0);
    layers_of(&m, &l);
    assert_int_equal(l.n, 50);
    assert_int_equal(slice_islands_build(&l, NULL, &is, &err), 0);
    /* Through the middle: a ring from r = 10 to 20. */
    const struct poly_islands *mid = &is.v[24];
    assert_int_equal(mid->n, 1);
    assert_int_equal(mid->v[0].rings.n, 2);
    assert_false(poly_contains(&l.v[24].polys, 50000, 50000));
    assert_true(poly_contains(&l.v[24].polys, 65000, 50000));
    double want = M_PI * (400 - 100) * 1e6;
    assert_true(fabs(poly_set_area(&l.v[24].polys) - want) < want * 0.01);
    slice_islands_fini(&is);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_overlapping_shells_merge(void **state)
{
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct slice_islands is = {0};
    struct dy_err err = {0};
    const double a0[3] = {0, 0, 0}, a1[3] = {20, 20, 20};
    const double b0[3] = {10, 5, 0}, b1[3] = {30, 15, 10};
    assert_int_equal(testmesh_box(&m, a0, a1), 0);
    assert_int_equal(testmesh_box(&m, b0, b1), 0);
    layers_of(&m, &l);
    assert_int_equal(slice_islands_build(&l, NULL, &is, &err), 0);
    assert_int_equal(is.v[10].n, 1);
    assert_int_equal(is.v[10].v[0].rings.n, 1);
    assert_float_equal(poly_set_area(&l.v[10].polys), 4e8 + 1e8, 0);
    assert_float_equal(poly_set_area(&l.v[60].polys), 4e8, 0);
    slice_islands_fini(&is);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_flipped_still_solid(void **state)
{
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    assert_int_equal(testmesh_cube_flipped(&m, 20), 0);
    layers_of(&m, &l);
    assert_int_equal(l.n, 100);
    for (size_t k = 0; k < l.n; k++) {
        assert_int_equal(l.v[k].polys.n, 1);
        assert_float_equal(poly_set_area(&l.v[k].polys), 4e8, 0);
    }
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_open_mesh_gap_closed(void **state)
{
    /* Drop one side triangle of a tall thin box: each cut through it has a
     * gap as wide as the missing triangle there (<= 1 mm), which is
     * closed; the layers above its reach are untouched. */
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    const double lo[3] = {0, 0, 0}, hi[3] = {1, 10, 10};
    assert_int_equal(testmesh_box(&m, lo, hi), 0);
    size_t side = SIZE_MAX;
    for (size_t i = 0; i < m.ntris && side == SIZE_MAX; i++) {
        const float *p0 = m.verts[m.tris[i][0]], *p1 = m.verts[m.tris[i][1]],
                    *p2 = m.verts[m.tris[i][2]];
        if (p0[1] == 0 && p1[1] == 0 && p2[1] == 0)
            side = i;
    }
    assert_true(side != SIZE_MAX);
    memmove(&m.tris[side], &m.tris[side + 1], (m.ntris - side - 1) * sizeof(*m.tris));
    m.ntris--;
    layers_of(&m, &l);
    assert_int_equal(l.n, 50);
    assert_true(l.open_closed > 0);
    assert_int_equal(l.open_dropped, 0);
    for (size_t k = 0; k < l.n; k++)
        assert_float_equal(poly_set_area(&l.v[k].polys), 1e7, 1);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_soup_welded(void **state)
{
    /* The same cube with every triangle given its own three vertices. */
    struct mesh_tris c = {0}, m = {0};
    struct dy_err err = {0};
    struct slice_layers l = {0};
    assert_int_equal(testmesh_cube(&c, 20), 0);
    for (size_t i = 0; i < c.ntris; i++) {
        uint32_t id[3];
        for (int e = 0; e < 3; e++) {
            const float *v = c.verts[c.tris[i][e]];
            assert_int_equal(mesh_tris_add_vert(&m, v[0], v[1], v[2], &id[e], &err), 0);
        }
        assert_int_equal(mesh_tris_add_tri(&m, id[0], id[1], id[2], &err), 0);
    }
    layers_of(&m, &l);
    assert_int_equal(l.n, 100);
    assert_float_equal(poly_set_area(&l.v[50].polys), 4e8, 0);
    assert_int_equal(l.open_closed + l.open_dropped, 0);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
    mesh_tris_fini(&c);
}

static void test_bad_input(void **state)
{
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct dy_err err = {0};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    m.tris[3][1] = 99;
    assert_int_equal(slice_layers_build(&m, &LP, NULL, &l, &err), DY_EINVAL);
    assert_non_null(strstr(err.msg, "triangle 3"));
    m.tris[3][1] = 0;
    struct slice_layers_params bad = LP;
    bad.layer_h_um = 0;
    assert_int_equal(slice_layers_build(&m, &bad, NULL, &l, &err), DY_EINVAL);
    assert_null(l.v);
    mesh_tris_fini(&m);
}

static void count_progress(void *user, enum slice_stage st, double f)
{
    int *n = user;
    (void)st;
    (void)f;
    ++*n;
}

static void test_cancel(void **state)
{
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct dy_err err = {0};
    atomic_int cancel = 1;
    int calls = 0;
    struct slice_ctl ctl = {.cancel = &cancel, .progress = count_progress, .user = &calls};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    assert_int_equal(slice_layers_build(&m, &LP, &ctl, &l, &err), DY_ECANCELED);
    assert_null(l.v);
    atomic_store(&cancel, 0);
    assert_int_equal(slice_layers_build(&m, &LP, &ctl, &l, &err), 0);
    assert_true(calls > 1);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_cube_walls(void **state)
{
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct slice_islands is = {0};
    struct slice_walls w = {0};
    struct dy_err err = {0};
    const struct slice_walls_params wp = {.line_w_um = 400, .walls = 3};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    layers_of(&m, &l);
    assert_int_equal(slice_islands_build(&l, NULL, &is, &err), 0);
    assert_int_equal(slice_walls_build(&is, &wp, NULL, &w, &err), 0);
    assert_int_equal(w.n, 100);
    for (size_t k = 0; k < w.n; k++) {
        assert_int_equal(w.layers[k].n, 1);
        const struct slice_island_walls *iw = &w.layers[k].v[0];
        assert_int_equal(iw->nloops, 3);
        for (size_t q = 0; q < 3; q++) {
            /* Loop q: the square [200 + 400q, 19800 - 400q], within 1 um. */
            int32_t lo = 200 + 400 * (int32_t)q, hi = 20000 - lo;
            assert_int_equal(iw->loops[q].n, 1);
            assert_int_equal(iw->loop_w_um[q], 400);
            const struct poly_ring *r = &iw->loops[q].rings[0];
            assert_int_equal(r->n, 4);
            for (size_t i = 0; i < r->n; i++) {
                int32_t x = r->pts[i].x, y = r->pts[i].y;
                assert_true(abs(x - lo) <= 1 || abs(x - hi) <= 1);
                assert_true(abs(y - lo) <= 1 || abs(y - hi) <= 1);
            }
        }
        assert_float_equal(poly_set_area(&iw->inner), 17600.0 * 17600.0, 1);
    }
    slice_walls_fini(&w);
    slice_islands_fini(&is);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_thin_island_single_outline(void **state)
{
    /* A 0.3 mm thin fin next to a cube: too thin for a 0.4 mm line, it
     * gets one half-width outline; the cube gets its 2 walls. */
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct slice_islands is = {0};
    struct slice_walls w = {0};
    struct dy_err err = {0};
    const struct slice_walls_params wp = {.line_w_um = 400, .walls = 2};
    const double a0[3] = {0, 0, 0}, a1[3] = {10, 10, 2};
    const double f0[3] = {20, 0, 0}, f1[3] = {20.3, 10, 2};
    assert_int_equal(testmesh_box(&m, a0, a1), 0);
    assert_int_equal(testmesh_box(&m, f0, f1), 0);
    layers_of(&m, &l);
    assert_int_equal(slice_islands_build(&l, NULL, &is, &err), 0);
    assert_int_equal(slice_walls_build(&is, &wp, NULL, &w, &err), 0);
    assert_int_equal(w.layers[3].n, 2);
    int saw_fin = 0;
    for (size_t i = 0; i < 2; i++) {
        const struct slice_island_walls *iw = &w.layers[3].v[i];
        if (poly_contains(&iw->outline, 20150, 5000)) {
            saw_fin = 1;
            assert_int_equal(iw->nloops, 1);
            assert_int_equal(iw->loop_w_um[0], 200);
            assert_int_equal(iw->inner.n, 0);
        } else {
            assert_int_equal(iw->nloops, 2);
        }
    }
    assert_true(saw_fin);
    slice_walls_fini(&w);
    slice_islands_fini(&is);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

static void test_speck_dropped(void **state)
{
    /* Next to a cube: a 0.3 mm dot (0.09 mm^2, 1.2 mm round: below line_w^2
     * and 4 line widths) is a speck and gets nothing; a 0.5 mm dot (0.25
     * mm^2) and a 0.3 x 10 mm fin (3 mm^2) are kept. */
    struct mesh_tris m = {0};
    struct slice_layers l = {0};
    struct slice_islands is = {0};
    struct slice_walls w = {0};
    struct dy_err err = {0};
    const struct slice_walls_params wp = {.line_w_um = 400, .walls = 2};
    const double a0[3] = {0, 0, 0}, a1[3] = {10, 10, 2};
    const double d0[3] = {20, 0, 0}, d1[3] = {20.3, 0.3, 2};
    const double e0[3] = {25, 0, 0}, e1[3] = {25.5, 0.5, 2};
    const double f0[3] = {30, 0, 0}, f1[3] = {30.3, 10, 2};
    assert_int_equal(testmesh_box(&m, a0, a1), 0);
    assert_int_equal(testmesh_box(&m, d0, d1), 0);
    assert_int_equal(testmesh_box(&m, e0, e1), 0);
    assert_int_equal(testmesh_box(&m, f0, f1), 0);
    layers_of(&m, &l);
    assert_int_equal(slice_islands_build(&l, NULL, &is, &err), 0);
    assert_int_equal(slice_walls_build(&is, &wp, NULL, &w, &err), 0);
    for (size_t k = 0; k < w.n; k++) {
        assert_int_equal(w.layers[k].n, 4);
        int seen = 0;
        for (size_t i = 0; i < 4; i++) {
            const struct slice_island_walls *iw = &w.layers[k].v[i];
            assert_true(iw->outline.n > 0); /* the outline is kept */
            if (poly_contains(&iw->outline, 20150, 150)) {
                seen |= 1;
                assert_int_equal(iw->nloops, 0);
                assert_int_equal(iw->inner.n, 0);
            } else if (poly_contains(&iw->outline, 25250, 250)) {
                seen |= 2;
                assert_int_equal(iw->nloops, 1);
            } else if (poly_contains(&iw->outline, 30150, 5000)) {
                seen |= 4;
                assert_int_equal(iw->nloops, 1);
                assert_int_equal(iw->loop_w_um[0], 200);
            } else {
                assert_int_equal(iw->nloops, 2);
            }
        }
        assert_int_equal(seen, 7);
    }
    slice_walls_fini(&w);
    slice_islands_fini(&is);
    slice_layers_fini(&l);
    mesh_tris_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube_layers),
        cmocka_unit_test(test_tube_keeps_hole),
        cmocka_unit_test(test_torus_ring),
        cmocka_unit_test(test_overlapping_shells_merge),
        cmocka_unit_test(test_flipped_still_solid),
        cmocka_unit_test(test_open_mesh_gap_closed),
        cmocka_unit_test(test_soup_welded),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_cube_walls),
        cmocka_unit_test(test_thin_island_single_outline),
        cmocka_unit_test(test_speck_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
