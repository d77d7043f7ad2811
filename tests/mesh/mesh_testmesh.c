/* mesh_testmesh.c: the procedural meshes are what they claim (counts,
 * sizes, closed outward volumes), since other modules' tests rely on them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testmesh.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static void check_size(const struct mesh_tris *m, double sx, double sy,
                       double sz, double tol)
{
    double lo[3], hi[3];
    assert_true(mesh_tris_bounds(m, lo, hi));
    assert_true(fabs(hi[0] - lo[0] - sx) < tol);
    assert_true(fabs(hi[1] - lo[1] - sy) < tol);
    assert_true(fabs(hi[2] - lo[2] - sz) < tol);
}

static void test_cube(void **state)
{
    struct mesh_tris m = {0};
    double vol, area;
    assert_int_equal(testmesh_cube(&m, 20), 0);
    assert_int_equal(m.nverts, 8);
    assert_int_equal(m.ntris, 12);
    mesh_tris_measure(&m, &vol, &area);
    assert_true(fabs(vol - 8000) < 1e-6);
    assert_true(fabs(area - 2400) < 1e-6);
    check_size(&m, 20, 20, 20, 1e-6);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_cube_flipped(&m, 20), 0);
    mesh_tris_measure(&m, &vol, NULL);
    assert_true(fabs(vol + 8000) < 1e-6);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_cube_missing_face(&m, 20), 0);
    assert_int_equal(m.ntris, 10);
    mesh_tris_fini(&m);
}

static void test_round(void **state)
{
    struct mesh_tris m = {0};
    double vol, c[3] = {0, 0, 0};
    assert_int_equal(testmesh_cylinder(&m, 0, 0, 0, 10, 20, 64), 0);
    assert_int_equal(m.ntris, 4 * 64);
    mesh_tris_measure(&m, &vol, NULL);
    /* Inscribed 64-gon: area 0.5*n*r^2*sin(2pi/n). */
    double poly = 0.5 * 64 * 100 * sin(2 * M_PI / 64) * 20;
    assert_true(fabs(vol - poly) < 1e-3 * poly);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_sphere(&m, c, 10, 32, 64), 0);
    assert_int_equal(m.ntris, 2 * 64 * 31);
    mesh_tris_measure(&m, &vol, NULL);
    assert_true(vol > 0.98 * 4.0 / 3 * M_PI * 1000 &&
                vol < 4.0 / 3 * M_PI * 1000);
    check_size(&m, 20, 20, 20, 0.05);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_torus(&m, c, 20, 5, 64, 32), 0);
    assert_int_equal(m.ntris, 2 * 64 * 32);
    mesh_tris_measure(&m, &vol, NULL);
    double ideal = 2 * M_PI * M_PI * 20 * 25;
    assert_true(vol > 0.97 * ideal && vol < ideal);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_sphere_ntris(&m, 10, 10000), 0);
    assert_true(m.ntris > 9000 && m.ntris < 11500);
    mesh_tris_fini(&m);
}

static void test_shapes(void **state)
{
    struct mesh_tris m = {0};
    double vol;
    assert_int_equal(testmesh_overhang_t(&m), 0);
    mesh_tris_measure(&m, &vol, NULL);
    assert_true(fabs(vol - 8000) < 1e-3);
    check_size(&m, 50, 10, 40, 1e-4);
    mesh_tris_fini(&m);

    assert_int_equal(testmesh_figurine(&m), 0);
    mesh_tris_measure(&m, &vol, NULL);
    assert_true(vol > 0); /* every shell outward: sum of positive volumes */
    check_size(&m, 40, 18, 61, 0.05);
    mesh_tris_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
