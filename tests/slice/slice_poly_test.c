/* poly_test.c: poly.h on hand-built squares (Cura WallsComputationTest
 * style: exact areas, containment, counts). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daryn/poly.h"

/* Adds an axis-aligned square ring; ccw=0 adds it clockwise. */
static void add_rect(struct poly_set *s, int32_t x0, int32_t y0, int32_t x1,
                     int32_t y1, int ccw)
{
    struct slice_pt p[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    if (!ccw) {
        struct slice_pt t = p[1];
        p[1] = p[3];
        p[3] = t;
    }
    assert_int_equal(poly_set_add_ring(s, p, 4), 0);
}

static void test_area_orientation(void **state)
{
    struct poly_set s = {0};
    add_rect(&s, 0, 0, 1000, 2000, 1);
    add_rect(&s, 0, 0, 1000, 2000, 0);
    assert_float_equal(poly_ring_area(&s.rings[0]), 2e6, 0);
    assert_float_equal(poly_ring_area(&s.rings[1]), -2e6, 0);
    poly_set_fini(&s);
    assert_null(s.rings);
}

static void test_union_nonzero(void **state)
{
    /* Two overlapping squares (two shells of a figurine): non-zero merges
     * them into one outline of area 2*100^2 - 50*100 mm^2 ... */
    struct poly_set a = {0}, out = {0};
    add_rect(&a, 0, 0, 100000, 100000, 1);
    add_rect(&a, 50000, 0, 150000, 100000, 1);
    assert_int_equal(poly_normalize(&a, &out), 0);
    assert_int_equal(out.n, 1);
    assert_float_equal(poly_set_area(&out), 150000.0 * 100000.0, 1);
    assert_true(poly_ring_area(&out.rings[0]) > 0);
    poly_set_fini(&out);
    poly_set_fini(&a);
    /* ... and a lone clockwise ring (a flipped shell) is solid, output
     * counter-clockwise. */
    add_rect(&a, 0, 0, 1000, 1000, 0);
    assert_int_equal(poly_normalize(&a, &out), 0);
    assert_int_equal(out.n, 1);
    assert_float_equal(poly_set_area(&out), 1e6, 0);
    poly_set_fini(&out);
    poly_set_fini(&a);
}

static void test_difference_makes_hole(void **state)
{
    struct poly_set a = {0}, b = {0}, out = {0};
    struct poly_islands is = {0};
    add_rect(&a, 0, 0, 20000, 20000, 1);
    add_rect(&b, 5000, 5000, 15000, 15000, 1);
    assert_int_equal(poly_difference(&a, &b, &out), 0);
    assert_int_equal(out.n, 2);
    assert_float_equal(poly_set_area(&out), 4e8 - 1e8, 1);
    assert_true(poly_contains(&out, 1000, 1000));
    assert_false(poly_contains(&out, 10000, 10000));
    assert_true(poly_contains(&out, 0, 10000)); /* boundary counts */
    assert_false(poly_contains(&out, 20001, 10000));
    assert_int_equal(poly_split_islands(&out, &is), 0);
    assert_int_equal(is.n, 1);
    assert_int_equal(is.v[0].rings.n, 2);
    assert_true(poly_ring_area(&is.v[0].rings.rings[0]) > 0);
    assert_true(poly_ring_area(&is.v[0].rings.rings[1]) < 0);
    poly_islands_fini(&is);
    poly_set_fini(&out);

    assert_int_equal(poly_intersection(&a, &b, &out), 0);
    assert_float_equal(poly_set_area(&out), 1e8, 1);
    poly_set_fini(&out);
    poly_set_fini(&a);
    poly_set_fini(&b);
}

static void test_island_in_hole(void **state)
{
    struct poly_set a = {0}, out = {0};
    struct poly_islands is = {0};
    add_rect(&a, 0, 0, 30000, 30000, 1);
    add_rect(&a, 5000, 5000, 25000, 25000, 0);
    add_rect(&a, 10000, 10000, 20000, 20000, 1);
    /* Exterior square minus interior square as even-odd nesting only works
     * with a hole that winds the other way: non-zero of +1 -1 +1. */
    assert_int_equal(poly_normalize(&a, &out), 0);
    assert_int_equal(poly_split_islands(&out, &is), 0);
    assert_int_equal(is.n, 2);
    assert_float_equal(poly_set_area(&is.v[0].rings) + poly_set_area(&is.v[1].rings),
                       9e8 - 4e8 + 1e8, 1);
    poly_islands_fini(&is);
    poly_set_fini(&out);
    poly_set_fini(&a);
}

static void test_offset(void **state)
{
    struct poly_set a = {0}, out = {0};
    add_rect(&a, 0, 0, 20000, 20000, 1);
    assert_int_equal(poly_offset(&a, -200, POLY_JOIN_MITER, &out), 0);
    assert_int_equal(out.n, 1);
    assert_float_equal(poly_set_area(&out), 19600.0 * 19600.0, 1);
    for (size_t i = 0; i < out.rings[0].n; i++) {
        struct slice_pt p = out.rings[0].pts[i];
        assert_true(p.x == 200 || p.x == 19800);
        assert_true(p.y == 200 || p.y == 19800);
    }
    poly_set_fini(&out);
    /* Round outward offset: area of the Minkowski sum with a disc. */
    assert_int_equal(poly_offset(&a, 1000, POLY_JOIN_ROUND, &out), 0);
    double want = 4e8 + 4 * 20000.0 * 1000 + M_PI * 1e6;
    assert_true(fabs(poly_set_area(&out) - want) < want * 1e-3);
    poly_set_fini(&out);
    /* Shrinking past the half width makes it vanish. */
    assert_int_equal(poly_offset(&a, -10001, POLY_JOIN_MITER, &out), 0);
    assert_int_equal(out.n, 0);
    poly_set_fini(&a);
}

static void test_clip_and_buffer_lines(void **state)
{
    struct poly_set a = {0}, cov = {0};
    struct poly_lines l = {0}, out = {0};
    add_rect(&a, 0, 0, 10000, 10000, 1);
    struct slice_pt ln[2] = {{-5000, 5000}, {15000, 5000}};
    assert_int_equal(poly_lines_add(&l, ln, 2), 0);
    assert_int_equal(poly_clip_lines(&a, &l, &out), 0);
    assert_int_equal(out.n, 1);
    assert_int_equal(out.lines[0].n, 2);
    int32_t x0 = out.lines[0].pts[0].x, x1 = out.lines[0].pts[1].x;
    assert_int_equal(x0 < x1 ? x0 : x1, 0);
    assert_int_equal(x0 < x1 ? x1 : x0, 10000);
    assert_int_equal(poly_offset_lines(&out, 200, &cov), 0);
    double want = 10000.0 * 400 + M_PI * 200 * 200;
    assert_true(fabs(poly_set_area(&cov) - want) < want * 2e-3);
    poly_set_fini(&cov);
    poly_lines_fini(&out);
    poly_lines_fini(&l);
    poly_set_fini(&a);
}

static void test_simplify(void **state)
{
    /* A 1000-gon circle of r = 10 mm simplified at 5 um keeps its area
     * within 0.1% and loses most vertices (chord sagitta ~0.5 um). */
    struct poly_set a = {0}, out = {0};
    struct poly_ring r = {0};
    for (int i = 0; i < 1000; i++) {
        double t = 2 * M_PI * i / 1000;
        assert_int_equal(poly_ring_push(&r, (int32_t)lround(10000 * cos(t)),
                                        (int32_t)lround(10000 * sin(t))), 0);
    }
    assert_int_equal(poly_set_add_ring(&a, r.pts, r.n), 0);
    poly_ring_fini(&r);
    assert_int_equal(poly_simplify(&a, 5, &out), 0);
    assert_int_equal(out.n, 1);
    assert_true(out.rings[0].n < 300);
    assert_true(fabs(poly_set_area(&out) / poly_set_area(&a) - 1) < 1e-3);
    poly_set_fini(&out);
    poly_set_fini(&a);
}

static void test_copy_and_empty(void **state)
{
    struct poly_set a = {0}, b = {0}, out = {0};
    add_rect(&a, 0, 0, 10, 10, 1);
    assert_int_equal(poly_set_copy(&b, &a), 0);
    assert_int_equal(b.n, 1);
    assert_memory_equal(a.rings[0].pts, b.rings[0].pts, 4 * sizeof(struct slice_pt));
    poly_set_fini(&b);
    assert_int_equal(poly_union(&b, &b, &out), 0);
    assert_int_equal(out.n, 0);
    assert_int_equal(poly_difference(&a, &b, &out), 0);
    assert_int_equal(out.n, 1);
    poly_set_fini(&out);
    poly_set_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_area_orientation),
        cmocka_unit_test(test_union_nonzero),
        cmocka_unit_test(test_difference_makes_hole),
        cmocka_unit_test(test_island_in_hole),
        cmocka_unit_test(test_offset),
        cmocka_unit_test(test_clip_and_buffer_lines),
        cmocka_unit_test(test_simplify),
        cmocka_unit_test(test_copy_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
