/* support_test.c: supports on hand-built layer stacks (200 um layers,
 * layer i holds the cross-section at z = (i + 0.5) * 0.2 mm):
 * a T (10x10 mm post, 30x10 mm bar on top at z 10..14) gets support under
 * the wings only, clear of the model, with interface and z gap; a cube and
 * a 45-degree chamfer get none; a 60-degree slope does; bed_only keeps
 * support off the model; support lines form one zigzag per region that
 * never leaves it, and pieces closer than the join distance merge. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/poly.h"
#include "daryn/slice_support.h"

#define H 200
#define MM 1000

static void add_rect(struct poly_set *s, int32_t x0, int32_t y0, int32_t x1, int32_t y1)
{
    const struct slice_pt r[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    assert_int_equal(poly_set_add_ring(s, r, 4), 0);
}

static struct poly_set *stack_new(size_t n)
{
    struct poly_set *L = calloc(n, sizeof *L);
    assert_non_null(L);
    return L;
}

static void stack_free(struct poly_set *L, size_t n)
{
    for (size_t i = 0; i < n; i++)
        poly_set_fini(&L[i]);
    free(L);
}

/* The T: post layers 0..49, bar layers 50..69. */
#define T_LAYERS 70
static struct poly_set *t_model(void)
{
    struct poly_set *L = stack_new(T_LAYERS);
    for (size_t i = 0; i < T_LAYERS; i++) {
        if (i < 50)
            add_rect(&L[i], 95 * MM, 95 * MM, 105 * MM, 105 * MM);
        else
            add_rect(&L[i], 85 * MM, 95 * MM, 115 * MM, 105 * MM);
    }
    return L;
}

static double lines_length(const struct poly_lines *l)
{
    double s = 0.0;
    for (size_t i = 0; i < l->n; i++) {
        for (size_t j = 1; j < l->lines[i].n; j++)
            s += hypot((double)l->lines[i].pts[j].x - l->lines[i].pts[j - 1].x,
                       (double)l->lines[i].pts[j].y - l->lines[i].pts[j - 1].y);
    }
    return s;
}

/* Length of the segments running along x (the support lines proper, not
 * the chords joining them). */
static double lines_length_along_x(const struct poly_lines *l)
{
    double s = 0.0;
    for (size_t i = 0; i < l->n; i++) {
        for (size_t j = 1; j < l->lines[i].n; j++) {
            const struct slice_pt a = l->lines[i].pts[j - 1], b = l->lines[i].pts[j];
            if (abs(a.y - b.y) <= 2)
                s += fabs((double)a.x - b.x);
        }
    }
    return s;
}

static double inter_area(const struct poly_set *a, const struct poly_set *b)
{
    struct poly_set t = {0};
    assert_int_equal(poly_intersection(a, b, &t), 0);
    const double area = poly_set_area(&t);
    poly_set_fini(&t);
    return area;
}

static void build(const struct poly_set *L, size_t n, const struct slice_support_params *p,
                  struct slice_support_layers *out)
{
    struct dy_err err = {0};
    int rc = slice_support_build(L, n, p, out, &err);
    if (rc != 0)
        fail_msg("%s: %s", err.where, err.msg);
    assert_int_equal(out->n, n);
}

static void test_t_shape(void **state)
{
    (void)state;
    struct poly_set *L = t_model();
    struct slice_support_params p;
    slice_support_params_default(&p);
    struct slice_support_layers s = {0};
    build(L, T_LAYERS, &p, &s);

    /* Nothing at or above the bar (nothing overhangs above it). */
    for (size_t i = 49; i < T_LAYERS; i++) {
        assert_int_equal(s.v[i].support.n, 0);
        assert_int_equal(s.v[i].interface.n, 0);
    }
    /* Layer 49 is the z gap; 48 and 47 interface under both wings, sparse
     * support below that, down to the bed, under both wings. */
    const int32_t wing_l = 89 * MM, wing_r = 111 * MM, mid = 100 * MM;
    for (size_t i = 47; i <= 48; i++) {
        assert_true(poly_contains(&s.v[i].interface, wing_l, mid));
        assert_true(poly_contains(&s.v[i].interface, wing_r, mid));
        assert_false(poly_contains(&s.v[i].support, wing_l, mid));
    }
    for (size_t i = 0; i <= 46; i++) {
        assert_true(poly_contains(&s.v[i].support, wing_l, mid));
        assert_true(poly_contains(&s.v[i].support, wing_r, mid));
        assert_int_equal(s.v[i].interface.n, 0);
    }
    /* Never under the post, never in the model, always xy_gap clear of
     * it (10 um slack for offset rounding), never outside the wings'
     * footprint (support only goes where something overhangs). */
    struct poly_set footprint = {0};
    add_rect(&footprint, 85 * MM, 95 * MM, 115 * MM, 105 * MM);
    double total = 0.0;
    for (size_t i = 0; i < T_LAYERS; i++) {
        struct poly_set near = {0};
        assert_int_equal(poly_offset(&L[i], p.xy_gap_um - 10.0, POLY_JOIN_MITER, &near), 0);
        for (int k = 0; k < 2; k++) {
            const struct poly_set *a = k ? &s.v[i].interface : &s.v[i].support;
            assert_false(poly_contains(a, mid, mid));
            assert_true(inter_area(a, &near) < 1.0);
            assert_true(fabs(inter_area(a, &footprint) - poly_set_area(a)) < 1.0);
            total += poly_set_area(a);
        }
        poly_set_fini(&near);
    }
    /* Each wing is 10 x 10 mm, minus the 0.7 mm xy gap next to the post
     * (and the overhang step there): close to 2 x 9.3 x 10 mm a layer. */
    const double per_layer = total / 49.0;
    print_message("T: support+interface %.1f mm^2 per layer (wings 200 mm^2)\n", per_layer / 1e6);
    assert_true(per_layer > 170e6 && per_layer < 190e6);

    /* Lines: sparse support along x inside its area; interface denser. */
    struct poly_lines sup = {0}, itf = {0};
    struct dy_err err = {0};
    assert_int_equal(slice_support_paths(&s.v[10], 10, &p, &sup, &itf, &err), 0);
    assert_true(sup.n > 0);
    assert_int_equal(itf.n, 0);
    struct poly_set grown = {0};
    assert_int_equal(poly_offset(&s.v[10].support, 3.0, POLY_JOIN_MITER, &grown), 0);
    for (size_t i = 0; i < sup.n; i++) {
        for (size_t j = 0; j < sup.lines[i].n; j++)
            assert_true(poly_contains(&grown, sup.lines[i].pts[j].x, sup.lines[i].pts[j].y));
    }
    /* The runs along x give the density; the zigzag's chords along the
     * wing's ends add material there (a 9.3 x 10 mm wing: ~30%). */
    const double frac = lines_length_along_x(&sup) * p.line_w_um /
                        poly_set_area(&s.v[10].support);
    const double all = lines_length(&sup) * p.line_w_um / poly_set_area(&s.v[10].support);
    print_message("T: support lines fill %.3f of the area (density %.2f), %.3f with the "
                  "zigzag's chords\n", frac, p.density, all);
    assert_true(fabs(frac - p.density) < 0.25 * p.density);
    assert_true(all > frac && all < 1.5 * p.density);
    /* One zigzag per wing. */
    assert_int_equal(sup.n, 2);
    poly_lines_fini(&sup);
    assert_int_equal(slice_support_paths(&s.v[48], 48, &p, &sup, &itf, &err), 0);
    assert_int_equal(sup.n, 0);
    assert_true(itf.n > 0);
    const double ifrac = lines_length(&itf) * p.line_w_um / poly_set_area(&s.v[48].interface);
    print_message("T: interface lines fill %.3f of the area (density %.2f)\n", ifrac,
                  p.interface_density);
    assert_true(fabs(ifrac - p.interface_density) < 0.15 * p.interface_density);
    poly_lines_fini(&itf);
    poly_set_fini(&grown);
    poly_set_fini(&footprint);
    slice_support_layers_fini(&s);
    slice_support_layers_fini(&s); /* twice is fine */
    stack_free(L, T_LAYERS);
}

/* z gap and interface counts follow the parameters. */
static void test_t_gaps(void **state)
{
    (void)state;
    struct poly_set *L = t_model();
    struct slice_support_params p;
    slice_support_params_default(&p);
    p.z_gap_layers = 3;
    p.interface_layers = 0;
    struct slice_support_layers s = {0};
    build(L, T_LAYERS, &p, &s);
    for (size_t i = 47; i <= 49; i++)
        assert_int_equal(s.v[i].support.n + s.v[i].interface.n, 0);
    assert_true(poly_contains(&s.v[46].support, 89 * MM, 100 * MM));
    for (size_t i = 0; i < T_LAYERS; i++)
        assert_int_equal(s.v[i].interface.n, 0);
    slice_support_layers_fini(&s);
    stack_free(L, T_LAYERS);
}

/* A 20 mm cube: no support anywhere. */
static void test_cube(void **state)
{
    (void)state;
    const size_t n = 100;
    struct poly_set *L = stack_new(n);
    for (size_t i = 0; i < n; i++)
        add_rect(&L[i], 90 * MM, 90 * MM, 110 * MM, 110 * MM);
    struct slice_support_params p;
    slice_support_params_default(&p);
    struct slice_support_layers s = {0};
    build(L, n, &p, &s);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(s.v[i].support.n + s.v[i].interface.n, 0);
    slice_support_layers_fini(&s);
    stack_free(L, n);
}

/* A square widening upwards by `step` um per 200 um layer on every side:
 * 45 deg for step 200, 60 deg for step 346. */
static struct poly_set *frustum(size_t n, int32_t step)
{
    struct poly_set *L = stack_new(n);
    for (size_t i = 0; i < n; i++) {
        const int32_t r = 5 * MM + (int32_t)i * step;
        add_rect(&L[i], 100 * MM - r, 100 * MM - r, 100 * MM + r, 100 * MM + r);
    }
    return L;
}

static size_t layers_with_support(const struct slice_support_layers *s)
{
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++)
        k += s->v[i].support.n + s->v[i].interface.n > 0;
    return k;
}

static void test_chamfer(void **state)
{
    (void)state;
    const size_t n = 40;
    struct poly_set *L45 = frustum(n, 200), *L60 = frustum(n, 346);
    struct slice_support_params p;
    slice_support_params_default(&p); /* 50 deg */
    struct slice_support_layers s = {0};
    /* 45 deg is below the 50 deg threshold: nothing, corners included. */
    build(L45, n, &p, &s);
    assert_int_equal(layers_with_support(&s), 0);
    slice_support_layers_fini(&s);
    /* The same chamfer at a 40 deg threshold needs support. */
    p.angle_deg = 40.0;
    build(L45, n, &p, &s);
    print_message("45 deg chamfer at 40 deg: support on %zu of %zu layers\n",
                  layers_with_support(&s), n);
    assert_true(layers_with_support(&s) >= n / 2);
    slice_support_layers_fini(&s);
    /* A 60 deg slope at 50: each layer only sticks out 108 um past the
     * allowed step, but the strips add up below into a real area. */
    p.angle_deg = 50.0;
    build(L60, n, &p, &s);
    print_message("60 deg slope at 50 deg: support on %zu of %zu layers, layer 5 %.1f mm^2\n",
                  layers_with_support(&s), n, poly_set_area(&s.v[5].support) / 1e6);
    assert_true(layers_with_support(&s) >= n / 2);
    assert_true(poly_set_area(&s.v[5].support) > 100e6);
    slice_support_layers_fini(&s);
    stack_free(L45, n);
    stack_free(L60, n);
}

/* A T standing on a wide plate: the wings' support lands on the plate
 * (with the z gap above it), unless bed_only. */
static void test_bed_only(void **state)
{
    (void)state;
    const size_t n = 80;
    struct poly_set *L = stack_new(n);
    for (size_t i = 0; i < n; i++) {
        if (i < 10)
            add_rect(&L[i], 80 * MM, 80 * MM, 120 * MM, 120 * MM);
        else if (i < 60)
            add_rect(&L[i], 95 * MM, 95 * MM, 105 * MM, 105 * MM);
        else
            add_rect(&L[i], 85 * MM, 95 * MM, 115 * MM, 105 * MM);
    }
    struct slice_support_params p;
    slice_support_params_default(&p);
    struct slice_support_layers s = {0};
    build(L, n, &p, &s);
    /* On the plate: layer 10 is the z gap above it, 11.. hold support. */
    assert_int_equal(s.v[10].support.n + s.v[10].interface.n, 0);
    assert_true(poly_contains(&s.v[11].support, 89 * MM, 100 * MM));
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(s.v[i].support.n + s.v[i].interface.n, 0);
    slice_support_layers_fini(&s);
    p.bed_only = 1;
    build(L, n, &p, &s);
    assert_int_equal(layers_with_support(&s), 0);
    slice_support_layers_fini(&s);
    stack_free(L, n);
}

/* Support lines of one layer's area: every segment (chords included)
 * stays inside the area, within the quarter line the joiner allows, and
 * returns how many polylines they form. */
static size_t zigzag_of(const struct poly_set *area, int layer_index)
{
    struct slice_support_params p;
    slice_support_params_default(&p);
    struct slice_support_layer layer = {0};
    assert_int_equal(poly_set_copy(&layer.support, area), 0);
    struct poly_lines sup = {0}, itf = {0};
    struct dy_err err = {0};
    assert_int_equal(slice_support_paths(&layer, layer_index, &p, &sup, &itf, &err), 0);
    assert_int_equal(itf.n, 0);
    struct poly_set grown = {0};
    assert_int_equal(poly_offset(area, p.line_w_um / 4.0 + 5.0, POLY_JOIN_MITER, &grown), 0);
    for (size_t i = 0; i < sup.n; i++) {
        const struct poly_ring *l = &sup.lines[i];
        assert_true(l->n >= 2);
        for (size_t j = 1; j < l->n; j++) {
            for (int t = 0; t <= 16; t++) {
                const double f = t / 16.0;
                const int32_t x = (int32_t)lround(l->pts[j - 1].x + f * (l->pts[j].x - l->pts[j - 1].x));
                const int32_t y = (int32_t)lround(l->pts[j - 1].y + f * (l->pts[j].y - l->pts[j - 1].y));
                if (!poly_contains(&grown, x, y))
                    fail_msg("support line %zu segment %zu leaves the area at (%d, %d)", i, j,
                             x, y);
            }
        }
    }
    const size_t n = sup.n;
    poly_lines_fini(&sup);
    poly_set_fini(&grown);
    poly_set_fini(&layer.support);
    return n;
}

/* Support lines are joined into one zigzag per convex region, split only
 * where a chord would leave the area. */
static void test_zigzag(void **state)
{
    (void)state;
    struct poly_set a = {0};
    /* A 12 x 20 mm rectangle: 7-8 lines along x, one zigzag. */
    add_rect(&a, 50 * MM, 50 * MM, 62 * MM, 70 * MM);
    assert_int_equal(zigzag_of(&a, 3), 1);
    /* Two of them 10 mm apart: one zigzag each, never a chord across. */
    add_rect(&a, 72 * MM, 50 * MM, 84 * MM, 70 * MM);
    assert_int_equal(zigzag_of(&a, 3), 2);
    poly_set_fini(&a);
    /* A disc of radius 8 mm (64 sides): one zigzag. */
    struct slice_pt disc[64];
    for (int k = 0; k < 64; k++) {
        disc[k].x = (int32_t)lround(100 * MM + 8 * MM * cos(k * M_PI / 32));
        disc[k].y = (int32_t)lround(100 * MM + 8 * MM * sin(k * M_PI / 32));
    }
    assert_int_equal(poly_set_add_ring(&a, disc, 64), 0);
    assert_int_equal(zigzag_of(&a, 0), 1);
    poly_set_fini(&a);
    /* A U (20 x 20 mm, arms 5 mm wide): the arms' zigzags cannot join
     * across the gap between them. */
    const struct slice_pt u[8] = {
        {30 * MM, 30 * MM}, {50 * MM, 30 * MM}, {50 * MM, 50 * MM}, {45 * MM, 50 * MM},
        {45 * MM, 35 * MM}, {35 * MM, 35 * MM}, {35 * MM, 50 * MM}, {30 * MM, 50 * MM},
    };
    assert_int_equal(poly_set_add_ring(&a, u, 8), 0);
    const size_t nu = zigzag_of(&a, 0);
    print_message("U-shaped support: %zu polylines\n", nu);
    assert_true(nu >= 2 && nu <= 3);
    poly_set_fini(&a);
}

/* Two overhanging plates 1.5 mm apart: their support is one region with
 * the 2 mm join (one zigzag, braced across the gap), two without. */
static void test_join(void **state)
{
    (void)state;
    const size_t n = 70;
    struct poly_set *L = stack_new(n);
    for (size_t i = 0; i < n; i++) {
        add_rect(&L[i], 150 * MM, 150 * MM, 160 * MM, 160 * MM); /* a post elsewhere */
        if (i >= 50) {
            add_rect(&L[i], 85 * MM, 95 * MM, 95 * MM, 105 * MM);
            add_rect(&L[i], 96500, 95 * MM, 106500, 105 * MM);
        }
    }
    struct slice_support_params p;
    slice_support_params_default(&p);
    struct slice_support_layers s = {0};
    for (int join = 1; join >= 0; join--) {
        p.join_um = join ? 2000 : 0;
        build(L, n, &p, &s);
        struct poly_islands is = {0};
        assert_int_equal(poly_split_islands(&s.v[20].support, &is), 0);
        assert_int_equal(is.n, join ? 1u : 2u);
        assert_int_equal(poly_contains(&s.v[20].support, 95750, 100 * MM), join);
        poly_islands_fini(&is);
        if (join)
            assert_int_equal(zigzag_of(&s.v[20].support, 20), 1);
        slice_support_layers_fini(&s);
    }
    p.join_um = -1;
    struct dy_err err = {0};
    assert_int_equal(slice_support_build(L, n, &p, &s, &err), DY_ERANGE);
    assert_string_equal(err.where, "support.join_um");
    stack_free(L, n);
}

static void test_errors(void **state)
{
    (void)state;
    struct poly_set *L = t_model();
    struct slice_support_params p;
    slice_support_params_default(&p);
    struct slice_support_layers s = {0};
    struct dy_err err = {0};
    p.angle_deg = 95.0;
    assert_int_equal(slice_support_build(L, T_LAYERS, &p, &s, &err), DY_ERANGE);
    assert_string_equal(err.where, "support.angle_deg");
    assert_true(strstr(err.msg, "95") != NULL);
    assert_null(s.v);
    slice_support_params_default(&p);
    p.layer_h_um = 0;
    assert_int_equal(slice_support_build(L, T_LAYERS, &p, &s, &err), DY_EINVAL);
    assert_string_equal(err.where, "support.layer_h_um");
    slice_support_params_default(&p);
    p.density = 0.0;
    assert_int_equal(slice_support_build(L, T_LAYERS, &p, &s, &err), DY_ERANGE);
    slice_support_params_default(&p);
    p.z_gap_layers = -1;
    assert_int_equal(slice_support_build(L, T_LAYERS, &p, &s, &err), DY_ERANGE);
    slice_support_params_default(&p);
    assert_int_equal(slice_support_build(L, 0, &p, &s, &err), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(slice_support_build(L, 1, &p, &s, &err), 0);
    assert_int_equal(layers_with_support(&s), 0);
    slice_support_layers_fini(&s);
    stack_free(L, T_LAYERS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_shape),
        cmocka_unit_test(test_t_gaps),
        cmocka_unit_test(test_cube),
        cmocka_unit_test(test_chamfer),
        cmocka_unit_test(test_bed_only),
        cmocka_unit_test(test_zigzag),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
