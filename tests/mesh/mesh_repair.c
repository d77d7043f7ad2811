/* mesh_repair.c: welding, degenerate removal, orientation, holes, shells,
 * and the placement stage (mesh_place). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testmesh.h"

/* Unwelds: every triangle gets its own 3 vertices (what STL gives). */
static void explode(struct mesh_tris *m)
{
    struct mesh_tris e = {0};
    for (size_t i = 0; i < m->ntris; i++) {
        uint32_t idx[3];
        for (int j = 0; j < 3; j++) {
            const float *v = m->verts[m->tris[i][j]];
            assert_int_equal(mesh_tris_add_vert(&e, v[0], v[1], v[2],
                                                &idx[j], NULL), 0);
        }
        assert_int_equal(mesh_tris_add_tri(&e, idx[0], idx[1], idx[2], NULL),
                         0);
    }
    mesh_tris_fini(m);
    *m = e;
}

static void test_weld_clean(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_report r;
    struct dy_err err = {0};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    explode(&m);
    /* Jitter below the tolerance must weld too. */
    m.verts[5][0] += 3e-5f;
    assert_int_equal(m.nverts, 36);
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), 0);
    assert_int_equal(r.input_verts, 36);
    assert_int_equal(r.nverts, 8);
    assert_int_equal(r.welded_verts, 28);
    assert_int_equal(r.ntris, 12);
    assert_int_equal(r.shells, 1);
    assert_int_equal(r.closed_shells, 1);
    assert_int_equal(r.holes, 0);
    assert_int_equal(r.boundary_edges, 0);
    assert_int_equal(r.nonmanifold_edges, 0);
    assert_int_equal(r.flipped_fixed, 0);
    assert_true(fabs(r.volume_mm3 - 8000) < 1e-2);
    assert_true(fabs(r.area_mm2 - 2400) < 1e-2);
    for (int k = 0; k < 3; k++)
        assert_true(fabs(r.size[k] - 20) < 1e-4);
    mesh_tris_fini(&m);
}

static void test_flipped(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_report r;
    struct dy_err err = {0};
    assert_int_equal(testmesh_cube_flipped(&m, 20), 0);
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), 0);
    assert_true(fabs(r.volume_mm3 - 8000) < 1e-2);
    assert_int_equal(r.shells_turned_out, 1);
    assert_int_equal(r.flipped_fixed, 12);
    mesh_tris_fini(&m);

    /* A few faces flipped inside an otherwise good sphere: BFS makes them
     * agree with their neighbours. */
    double c[3] = {0, 0, 0};
    assert_int_equal(testmesh_sphere(&m, c, 10, 16, 32), 0);
    double v0;
    mesh_tris_measure(&m, &v0, NULL);
    for (size_t i = 3; i < m.ntris; i += 17) {
        uint32_t t = m.tris[i][0];
        m.tris[i][0] = m.tris[i][1];
        m.tris[i][1] = t;
    }
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), 0);
    assert_int_equal(r.flipped_fixed, (m.ntris - 3 + 16) / 17);
    assert_int_equal(r.shells_turned_out, 0);
    assert_int_equal(r.orientation_conflicts, 0);
    assert_true(fabs(r.volume_mm3 - v0) < 1e-6 * v0);
    mesh_tris_fini(&m);
}

static void test_hole(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_report r;
    struct dy_err err = {0};
    assert_int_equal(testmesh_cube_missing_face(&m, 20), 0);
    explode(&m);
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), 0);
    assert_int_equal(r.boundary_edges, 4);
    assert_int_equal(r.holes, 1);
    assert_int_equal(r.shells, 1);
    assert_int_equal(r.closed_shells, 0);
    assert_int_equal(r.ntris, 10);
    mesh_tris_fini(&m);
}

static void test_degenerate_duplicate(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_report r;
    struct dy_err err = {0};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    uint32_t a, b;
    /* A repeated index, a zero-area (collinear) sliver, a duplicate. */
    assert_int_equal(mesh_tris_add_tri(&m, 0, 0, 1, NULL), 0);
    assert_int_equal(mesh_tris_add_vert(&m, 10, 0, 0, &a, NULL), 0);
    assert_int_equal(mesh_tris_add_vert(&m, 30, 0, 0, &b, NULL), 0);
    assert_int_equal(mesh_tris_add_tri(&m, 0, a, b, NULL), 0);
    assert_int_equal(mesh_tris_add_tri(&m, m.tris[3][0], m.tris[3][1],
                                       m.tris[3][2], NULL), 0);
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), 0);
    assert_int_equal(r.degenerate_dropped, 2);
    assert_int_equal(r.duplicate_dropped, 1);
    assert_int_equal(r.ntris, 12);
    assert_int_equal(r.nverts, 8); /* unused vertices dropped */
    assert_int_equal(r.closed_shells, 1);
    mesh_tris_fini(&m);

    /* All degenerate: a clear error. */
    assert_int_equal(mesh_tris_add_vert(&m, 0, 0, 0, NULL, NULL), 0);
    assert_int_equal(mesh_tris_add_tri(&m, 0, 0, 0, NULL), 0);
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), DY_EFORMAT);
    assert_non_null(strstr(err.msg, "no triangle left"));
    mesh_tris_fini(&m);
}

static void test_shells(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_report r;
    struct dy_err err = {0};
    assert_int_equal(testmesh_figurine(&m), 0);
    /* Flip the whole head inward: repair turns just that shell out. */
    size_t head_first = 36, head_n = 2 * 24 * 11;
    for (size_t i = head_first; i < head_first + head_n; i++) {
        uint32_t t = m.tris[i][1];
        m.tris[i][1] = m.tris[i][2];
        m.tris[i][2] = t;
    }
    explode(&m);
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), 0);
    assert_int_equal(r.shells, TESTMESH_FIGURINE_SHELLS);
    assert_int_equal(r.closed_shells, TESTMESH_FIGURINE_SHELLS);
    assert_int_equal(r.shells_turned_out, 1);
    assert_int_equal(r.flipped_fixed, head_n);
    assert_int_equal(r.holes, 0);
    assert_int_equal(r.nonmanifold_edges, 0);
    mesh_tris_fini(&m);

    /* Two cubes sharing one edge: that edge has 4 triangles. */
    double lo[3] = {20, 20, 0}, hi[3] = {40, 40, 20};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    assert_int_equal(testmesh_box(&m, lo, hi), 0);
    assert_int_equal(mesh_repair(&m, NULL, &r, &err), 0);
    assert_int_equal(r.nonmanifold_edges, 1);
    assert_int_equal(r.shells, 2);
    assert_true(fabs(r.volume_mm3 - 16000) < 1e-2);
    mesh_tris_fini(&m);
}

static const struct mesh_place_opts bed220 = {
    .scale = 1, .bed_mm = {220, 220, 250}};

static void check_on_bed(const struct mesh_tris *m, double cx, double cy)
{
    double lo[3], hi[3];
    assert_true(mesh_tris_bounds(m, lo, hi));
    assert_true(fabs(lo[2]) < 1e-6);
    assert_true(fabs(0.5 * (lo[0] + hi[0]) - cx) < 1e-3);
    assert_true(fabs(0.5 * (lo[1] + hi[1]) - cy) < 1e-3);
}

static void test_place_basic(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_place_result res;
    struct dy_err err = {0};
    assert_int_equal(testmesh_figurine(&m), 0);
    testmesh_translate(&m, -50, 30, 17);
    assert_int_equal(mesh_place(&m, &bed220, &res, &err), 0);
    check_on_bed(&m, 110, 110);
    assert_true(fabs(res.size[2] - 61) < 0.05);

    struct mesh_place_opts o = bed220;
    o.height_mm = 60;
    assert_int_equal(mesh_place(&m, &o, &res, &err), 0);
    assert_true(fabs(res.size[2] - 60) < 1e-3);
    check_on_bed(&m, 110, 110);
    mesh_tris_fini(&m);

    /* Scale 2 then rotate 90 about X: Y and Z swap sizes. */
    assert_int_equal(testmesh_overhang_t(&m), 0);
    o = bed220;
    o.scale = 2;
    o.rotate_deg[0] = 90;
    assert_int_equal(mesh_place(&m, &o, &res, &err), 0);
    assert_true(fabs(res.size[0] - 100) < 1e-3);
    assert_true(fabs(res.size[1] - 80) < 1e-3);
    assert_true(fabs(res.size[2] - 20) < 1e-3);
    check_on_bed(&m, 110, 110);
    mesh_tris_fini(&m);
}

static void test_place_too_big(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_place_result res;
    struct dy_err err = {0};
    double lo[3] = {0, 0, 0}, hi[3] = {312, 80.2, 95.1};
    assert_int_equal(testmesh_box(&m, lo, hi), 0);
    assert_int_equal(mesh_place(&m, &bed220, &res, &err), DY_ERANGE);
    assert_string_equal(err.msg, "model is 312.0 x 80.2 x 95.1 mm; the bed "
                        "is 220 x 220 x 250 mm: use --scale 0.70 or --fit");
    /* The model is untouched by a refusal... */
    double l2[3], h2[3];
    mesh_tris_bounds(&m, l2, h2);
    assert_true(fabs(h2[0] - 312) < 1e-3);
    /* ...and the suggested scale really fits. */
    struct mesh_place_opts o = bed220;
    o.scale = 0.70;
    assert_int_equal(mesh_place(&m, &o, &res, &err), 0);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_box(&m, lo, hi), 0);
    o = bed220;
    o.fit = true;
    assert_int_equal(mesh_place(&m, &o, &res, &err), 0);
    assert_true(res.size[0] <= 220 && res.size[0] > 219.9);
    assert_true(fabs(res.scale_applied - 220 / 312.0) < 1e-4);
    check_on_bed(&m, 110, 110);
    mesh_tris_fini(&m);

    /* Too tall only, with a user scale: the suggestion includes it. */
    double tall[3] = {10, 10, 200};
    assert_int_equal(testmesh_box(&m, lo, tall), 0);
    o = bed220;
    o.scale = 2;
    assert_int_equal(mesh_place(&m, &o, &res, &err), DY_ERANGE);
    assert_non_null(strstr(err.msg, "--scale 1.25 "));
    mesh_tris_fini(&m);
}

static void test_auto_orient(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_place_result res;
    struct dy_err err = {0};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    testmesh_rotate(&m, 30, 20, 10);
    struct mesh_place_opts o = bed220;
    o.auto_orient = true;
    assert_int_equal(mesh_place(&m, &o, &res, &err), 0);
    assert_true(res.reoriented);
    assert_true(fabs(res.contact_mm2 - 400) < 1);
    /* Flat: the cube's height is its edge again (not the diagonal). */
    assert_true(fabs(res.size[2] - 20) < 0.01);
    check_on_bed(&m, 110, 110);
    mesh_tris_fini(&m);

    /* The T (standing on its 10x10 foot) lies down on its 800 mm^2
     * profile face: more contact than the 500 mm^2 bar top, lower centre
     * of mass, and no overhang left. */
    assert_int_equal(testmesh_overhang_t(&m), 0);
    assert_int_equal(mesh_place(&m, &o, &res, &err), 0);
    assert_true(res.reoriented);
    assert_true(fabs(res.contact_mm2 - 800) < 1);
    assert_true(fabs(res.size[2] - 10) < 0.01);
    mesh_tris_fini(&m);

    /* An upright cube stays as it is. */
    assert_int_equal(testmesh_cube(&m, 20), 0);
    assert_int_equal(mesh_place(&m, &o, &res, &err), 0);
    assert_false(res.reoriented);
    mesh_tris_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weld_clean),
        cmocka_unit_test(test_flipped),
        cmocka_unit_test(test_hole),
        cmocka_unit_test(test_degenerate_duplicate),
        cmocka_unit_test(test_shells),
        cmocka_unit_test(test_place_basic),
        cmocka_unit_test(test_place_too_big),
        cmocka_unit_test(test_auto_orient),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
