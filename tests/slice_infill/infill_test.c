/* infill_test.c: the infill patterns on plain squares: density, staying
 * inside, anchoring to the bed, ordering, errors. Pictures of each pattern
 * go to the build dir as SVG (infill_<pattern>.svg) for a look by eye. */
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
#include "daryn/slice_infill.h"

#define W 400 /* line width, um */

/* A CCW axis-aligned rectangle ring (um). */
static void add_rect(struct poly_set *s, int32_t x0, int32_t y0, int32_t x1, int32_t y1, int cw)
{
    struct slice_pt ccw[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    struct slice_pt rev[4] = {{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}};
    assert_int_equal(poly_set_add_ring(s, cw ? rev : ccw, 4), 0);
}

/* The 20 mm test square, away from the bed origin. */
static void square20(struct poly_set *s)
{
    add_rect(s, 50000, 60000, 70000, 80000, 0);
}

static double lines_length(const struct poly_lines *l)
{
    double s = 0.0;
    for (size_t i = 0; i < l->n; i++) {
        for (size_t j = 1; j < l->lines[i].n; j++) {
            const struct slice_pt a = l->lines[i].pts[j - 1], b = l->lines[i].pts[j];
            s += hypot((double)a.x - b.x, (double)a.y - b.y);
        }
    }
    return s;
}

static double fraction(const struct poly_lines *l, const struct poly_set *area)
{
    return lines_length(l) * W / poly_set_area(area);
}

static void write_svg(const char *name, const struct poly_set *area, const struct poly_lines *l)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TEST_OUT_DIR, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return; /* a picture for eyes only; not part of the assertions */
    fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' viewBox='%d %d %d %d'>\n",
            area->rings[0].pts[0].x - 1000, -area->rings[0].pts[2].y - 1000, 22000, 22000);
    for (size_t i = 0; i < area->n; i++) {
        fprintf(f, "<polygon fill='#eee' stroke='#888' stroke-width='50' points='");
        for (size_t j = 0; j < area->rings[i].n; j++)
            fprintf(f, "%d,%d ", area->rings[i].pts[j].x, -area->rings[i].pts[j].y);
        fprintf(f, "'/>\n");
    }
    for (size_t i = 0; i < l->n; i++) {
        fprintf(f, "<polyline fill='none' stroke='hsl(%zu,70%%,40%%)' stroke-width='%d' "
                   "stroke-opacity='0.7' points='", (i * 47) % 360, W);
        for (size_t j = 0; j < l->lines[i].n; j++)
            fprintf(f, "%d,%d ", l->lines[i].pts[j].x, -l->lines[i].pts[j].y);
        fprintf(f, "'/>\n");
    }
    fprintf(f, "</svg>\n");
    fclose(f);
}

static void gen(const struct poly_set *area, enum slice_infill_pattern p, double density,
                int32_t z, int layer, struct poly_lines *out)
{
    struct dy_err err = {0};
    int rc = slice_infill_generate(area, p, density, W, z, layer, out, &err);
    if (rc != 0)
        fail_msg("%s: %s: %s", slice_infill_pattern_name(p), err.where, err.msg);
}

/* Area fraction within 10% of the density asked, for the straight-line
 * patterns at several densities, and solid fill. */
static void test_density(void **state)
{
    (void)state;
    struct poly_set sq = {0};
    square20(&sq);
    const enum slice_infill_pattern pats[] = {SLICE_INFILL_LINES, SLICE_INFILL_GRID,
                                              SLICE_INFILL_TRIANGLES};
    const double dens[] = {0.15, 0.2, 0.4, 0.6};
    for (size_t p = 0; p < 3; p++) {
        for (size_t d = 0; d < 4; d++) {
            struct poly_lines out = {0};
            gen(&sq, pats[p], dens[d], 1000, 3, &out);
            const double f = fraction(&out, &sq);
            print_message("%-9s density %.2f -> fraction %.4f (%zu polylines)\n",
                          slice_infill_pattern_name(pats[p]), dens[d], f, out.n);
            assert_true(fabs(f - dens[d]) <= 0.10 * dens[d]);
            if (d == 1) {
                char name[64];
                snprintf(name, sizeof name, "infill_%s.svg", slice_infill_pattern_name(pats[p]));
                write_svg(name, &sq, &out);
            }
            poly_lines_fini(&out);
        }
    }
    /* Solid skin: lines at density 1 cover the square. */
    struct poly_lines solid = {0};
    gen(&sq, SLICE_INFILL_LINES, 1.0, 200, 0, &solid);
    const double f = fraction(&solid, &sq);
    print_message("solid lines -> fraction %.4f (%zu polylines)\n", f, solid.n);
    assert_true(fabs(f - 1.0) <= 0.10);
    write_svg("infill_solid.svg", &sq, &solid);
    poly_lines_fini(&solid);
    poly_set_fini(&sq);
}

/* Gyroid: the mean over one period of z within 10%, each layer within
 * the documented spread (0.93x..1.22x, checked with some slack). */
static void test_gyroid_density(void **state)
{
    (void)state;
    struct poly_set sq = {0};
    square20(&sq);
    const double density = 0.2;
    const double period = 2.0 * M_PI * W * SLICE_INFILL_GYROID_LENGTH_PER_AREA / density;
    const int nz = 24;
    double sum = 0.0, lo = INFINITY, hi = 0.0;
    for (int k = 0; k < nz; k++) {
        struct poly_lines out = {0};
        const int32_t z = (int32_t)lround(period * k / nz);
        gen(&sq, SLICE_INFILL_GYROID, density, z, k, &out);
        const double f = fraction(&out, &sq);
        sum += f;
        lo = fmin(lo, f);
        hi = fmax(hi, f);
        if (k == 0 || k == 3)
            write_svg(k == 0 ? "infill_gyroid.svg" : "infill_gyroid_z3.svg", &sq, &out);
        poly_lines_fini(&out);
    }
    print_message("gyroid 0.20: mean %.4f, layers %.4f..%.4f\n", sum / nz, lo, hi);
    assert_true(fabs(sum / nz - density) <= 0.10 * density);
    assert_true(lo >= 0.85 * density);
    assert_true(hi <= 1.30 * density);
    poly_set_fini(&sq);
}

/* A 250 mm square needs 1210 x 1210 gyroid samples at 20%, more than one
 * 1024-sample tile: contours split at tile seams must be joined again, so
 * every polyline ends on the boundary (or closes on itself). */
static void test_gyroid_tiles(void **state)
{
    (void)state;
    struct poly_set sq = {0};
    add_rect(&sq, 10000, 10000, 260000, 260000, 0);
    struct poly_lines out = {0};
    gen(&sq, SLICE_INFILL_GYROID, 0.2, 7000, 35, &out);
    const double f = fraction(&out, &sq);
    size_t inner_ends = 0;
    for (size_t i = 0; i < out.n; i++) {
        const struct poly_ring *l = &out.lines[i];
        const struct slice_pt e[2] = {l->pts[0], l->pts[l->n - 1]};
        if (e[0].x == e[1].x && e[0].y == e[1].y)
            continue;
        for (int k = 0; k < 2; k++) {
            const int on_edge = abs(e[k].x - 10000) < 4 || abs(e[k].x - 260000) < 4 ||
                                abs(e[k].y - 10000) < 4 || abs(e[k].y - 260000) < 4;
            inner_ends += !on_edge;
        }
    }
    print_message("gyroid 250 mm: %zu polylines, fraction %.4f, %zu inner ends\n", out.n, f,
                  inner_ends);
    assert_int_equal(inner_ends, 0);
    assert_true(f > 0.85 * 0.2 && f < 1.3 * 0.2);
    poly_lines_fini(&out);
    poly_set_fini(&sq);
}

/* Every vertex inside the area (clip points lie on the boundary, so allow
 * a few um of rounding) and every segment's midpoint inside the area grown
 * by the join tolerance (w/4): joins follow the boundary, never cross a
 * hole. Uses a square with a square hole. */
static void test_inside(void **state)
{
    (void)state;
    struct poly_set area = {0}, tight = {0}, loose = {0};
    square20(&area);
    add_rect(&area, 56000, 66000, 64000, 74000, 1);
    assert_int_equal(poly_offset(&area, 3.0, POLY_JOIN_MITER, &tight), 0);
    assert_int_equal(poly_offset(&area, W / 4.0 + 3.0, POLY_JOIN_MITER, &loose), 0);
    for (int p = 0; p < SLICE_INFILL_COUNT; p++) {
        struct poly_lines out = {0};
        gen(&area, (enum slice_infill_pattern)p, 0.3, 2000, 10, &out);
        assert_true(out.n > 0);
        size_t npts = 0;
        for (size_t i = 0; i < out.n; i++) {
            const struct poly_ring *l = &out.lines[i];
            assert_true(l->n >= 2);
            for (size_t j = 0; j < l->n; j++) {
                assert_true(poly_contains(&tight, l->pts[j].x, l->pts[j].y));
                npts++;
                if (j > 0) {
                    const int32_t mx = (int32_t)(((int64_t)l->pts[j - 1].x + l->pts[j].x) / 2);
                    const int32_t my = (int32_t)(((int64_t)l->pts[j - 1].y + l->pts[j].y) / 2);
                    assert_true(poly_contains(&loose, mx, my));
                }
            }
        }
        print_message("%-9s with hole: %zu polylines, %zu points, all inside\n",
                      slice_infill_pattern_name((enum slice_infill_pattern)p), out.n, npts);
        if (p == SLICE_INFILL_GYROID)
            write_svg("infill_gyroid_hole.svg", &area, &out);
        poly_lines_fini(&out);
    }
    poly_set_fini(&area);
    poly_set_fini(&tight);
    poly_set_fini(&loose);
}

static int lines_equal(const struct poly_lines *a, const struct poly_lines *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->lines[i].n != b->lines[i].n ||
            memcmp(a->lines[i].pts, b->lines[i].pts, a->lines[i].n * sizeof(struct slice_pt)))
            return 0;
    }
    return 1;
}

/* Same call twice gives identical output; grid layers are identical (they
 * stack); lines alternate 45/-45. */
static void test_repeatable(void **state)
{
    (void)state;
    struct poly_set sq = {0};
    square20(&sq);
    for (int p = 0; p < SLICE_INFILL_COUNT; p++) {
        struct poly_lines a = {0}, b = {0};
        gen(&sq, (enum slice_infill_pattern)p, 0.2, 5000, 25, &a);
        gen(&sq, (enum slice_infill_pattern)p, 0.2, 5000, 25, &b);
        assert_true(a.n > 0);
        assert_true(lines_equal(&a, &b));
        poly_lines_fini(&a);
        poly_lines_fini(&b);
    }
    struct poly_lines g4 = {0}, g5 = {0}, l4 = {0}, l5 = {0};
    gen(&sq, SLICE_INFILL_GRID, 0.2, 1000, 4, &g4);
    gen(&sq, SLICE_INFILL_GRID, 0.2, 1200, 5, &g5);
    assert_true(lines_equal(&g4, &g5));
    gen(&sq, SLICE_INFILL_LINES, 0.2, 1000, 4, &l4);
    gen(&sq, SLICE_INFILL_LINES, 0.2, 1200, 5, &l5);
    assert_false(lines_equal(&l4, &l5));
    /* Direction of the first long segment: +45 (dx*dy > 0) on even layers,
     * -45 on odd ones. */
    const struct slice_pt *p4 = l4.lines[0].pts, *p5 = l5.lines[0].pts;
    assert_true((double)(p4[1].x - p4[0].x) * (p4[1].y - p4[0].y) > 0);
    assert_true((double)(p5[1].x - p5[0].x) * (p5[1].y - p5[0].y) < 0);
    poly_lines_fini(&g4);
    poly_lines_fini(&g5);
    poly_lines_fini(&l4);
    poly_lines_fini(&l5);
    poly_set_fini(&sq);
}

/* Lines are anchored to the bed: every segment along the pattern
 * direction lies on p.n = k * spacing (within rounding), for a square at
 * an arbitrary place; and a small square gets the same lines as a big one
 * containing it. */
static void test_anchored(void **state)
{
    (void)state;
    const double spacing = slice_infill_spacing_um(SLICE_INFILL_LINES, 0.25, W);
    assert_true(fabs(spacing - 1600.0) < 1e-9);
    for (int shift = 0; shift < 3; shift++) {
        struct poly_set sq = {0};
        const int32_t x0 = 31337 + shift * 777, y0 = 12345 + shift * 1234;
        add_rect(&sq, x0, y0, x0 + 20000, y0 + 20000, 0);
        struct poly_lines out = {0};
        gen(&sq, SLICE_INFILL_LINES, 0.25, 0, 0, &out);
        size_t checked = 0;
        for (size_t i = 0; i < out.n; i++) {
            for (size_t j = 1; j < out.lines[i].n; j++) {
                const struct slice_pt a = out.lines[i].pts[j - 1], b = out.lines[i].pts[j];
                const double len = hypot((double)b.x - a.x, (double)b.y - a.y);
                /* Pattern segments are 45 deg; joins run along the edges. */
                if (fabs(fabs((double)b.x - a.x) - fabs((double)b.y - a.y)) > 4.0 || len < W)
                    continue;
                const double mx = (a.x + b.x) / 2.0, my = (a.y + b.y) / 2.0;
                const double pn = (-mx + my) / sqrt(2.0); /* n = (-sin45, cos45) */
                const double k = pn / spacing;
                assert_true(fabs(k - round(k)) * spacing < 3.0);
                checked++;
            }
        }
        assert_true(checked >= 10);
        poly_lines_fini(&out);
        poly_set_fini(&sq);
    }
    /* Grid over a small square vs a big one around it: each segment of
     * the small one lies on a segment of the big one. */
    struct poly_set small = {0}, big = {0};
    add_rect(&small, 52000, 62000, 58000, 68000, 0);
    add_rect(&big, 40000, 50000, 90000, 90000, 0);
    struct poly_lines ls = {0}, lb = {0};
    gen(&small, SLICE_INFILL_GRID, 0.3, 0, 0, &ls);
    gen(&big, SLICE_INFILL_GRID, 0.3, 0, 0, &lb);
    size_t matched = 0, segs = 0;
    for (size_t i = 0; i < ls.n; i++) {
        for (size_t j = 1; j < ls.lines[i].n; j++) {
            const struct slice_pt a = ls.lines[i].pts[j - 1], b = ls.lines[i].pts[j];
            if (fabs(fabs((double)b.x - a.x) - fabs((double)b.y - a.y)) > 4.0)
                continue;
            segs++;
            /* Midpoint within 3 um of some 45-degree segment of the big. */
            const double mx = (a.x + b.x) / 2.0, my = (a.y + b.y) / 2.0;
            int found = 0;
            for (size_t u = 0; u < lb.n && !found; u++) {
                for (size_t v = 1; v < lb.lines[u].n && !found; v++) {
                    const struct slice_pt c = lb.lines[u].pts[v - 1], d = lb.lines[u].pts[v];
                    const double dx = (double)d.x - c.x, dy = (double)d.y - c.y;
                    const double len = hypot(dx, dy);
                    if (len < 1.0)
                        continue;
                    const double t = ((mx - c.x) * dx + (my - c.y) * dy) / (len * len);
                    const double dist = fabs(dx * (my - c.y) - dy * (mx - c.x)) / len;
                    found = t >= 0.0 && t <= 1.0 && dist < 3.0;
                }
            }
            matched += found;
        }
    }
    print_message("grid small-in-big: %zu of %zu segments on the big square's lines\n",
                  matched, segs);
    assert_true(segs >= 4);
    assert_int_equal(matched, segs);
    poly_lines_fini(&ls);
    poly_lines_fini(&lb);
    poly_set_fini(&small);
    poly_set_fini(&big);
}

/* Ordering: solid fill on a convex square joins into one or two zigzags;
 * sparse lines are visited neighbour by neighbour (each travel hop goes to
 * the next line's near end, s * sqrt 2 = 2.83 mm away along the edge);
 * results are appended after what `out` already held. */
static void test_order_append(void **state)
{
    (void)state;
    struct poly_set sq = {0};
    square20(&sq);
    struct poly_lines out = {0};
    const struct slice_pt first[2] = {{1, 2}, {3, 4}};
    assert_int_equal(poly_lines_add(&out, first, 2), 0);
    gen(&sq, SLICE_INFILL_LINES, 1.0, 0, 0, &out);
    assert_int_equal(out.lines[0].n, 2);
    assert_int_equal(out.lines[0].pts[1].y, 4);
    print_message("solid on a square: %zu polylines after the first\n", out.n - 1);
    assert_true(out.n - 1 >= 1 && out.n - 1 <= 2);
    poly_lines_fini(&out);

    gen(&sq, SLICE_INFILL_LINES, 0.2, 0, 0, &out);
    assert_true(out.n >= 10);
    size_t long_hops = 0;
    double travel = 0.0;
    for (size_t i = 1; i < out.n; i++) {
        const struct slice_pt a = out.lines[i - 1].pts[out.lines[i - 1].n - 1];
        const struct slice_pt b = out.lines[i].pts[0];
        const double hop = hypot((double)a.x - b.x, (double)a.y - b.y);
        travel += hop;
        long_hops += hop > 2000.0 * sqrt(2.0) + 10.0;
    }
    print_message("lines 20%%: %zu polylines, travel %.1f mm, %zu long hops\n", out.n,
                  travel / 1000.0, long_hops);
    assert_true(long_hops <= 1);
    poly_lines_fini(&out);
    poly_set_fini(&sq);
}

static void test_errors(void **state)
{
    (void)state;
    struct poly_set sq = {0}, empty = {0};
    square20(&sq);
    struct poly_lines out = {0};
    struct dy_err err = {0};
    assert_int_equal(slice_infill_generate(&sq, SLICE_INFILL_GRID, 1.5, W, 0, 0, &out, &err),
                     DY_ERANGE);
    assert_string_equal(err.where, "infill_density");
    assert_true(strstr(err.msg, "1.5") != NULL);
    assert_int_equal(slice_infill_generate(&sq, SLICE_INFILL_GRID, 0.2, 0, 0, 0, &out, &err),
                     DY_EINVAL);
    assert_int_equal(slice_infill_generate(&sq, (enum slice_infill_pattern)99, 0.2, W, 0, 0,
                                           &out, &err), DY_EINVAL);
    assert_int_equal(slice_infill_generate(&sq, SLICE_INFILL_GRID, NAN, W, 0, 0, &out, &err),
                     DY_ERANGE);
    /* An absurd line count is refused, not attempted. */
    struct poly_set huge = {0};
    add_rect(&huge, -2000000000, -2000000000, 2000000000, 2000000000, 0);
    assert_int_equal(slice_infill_generate(&huge, SLICE_INFILL_LINES, 1.0, 1, 0, 0, &out, &err),
                     DY_ELIMIT);
    assert_int_equal(slice_infill_generate(&huge, SLICE_INFILL_GYROID, 1.0, 1, 0, 0, &out, &err),
                     DY_ELIMIT);
    assert_int_equal(out.n, 0);
    /* Nothing to do is not an error. */
    assert_int_equal(slice_infill_generate(&sq, SLICE_INFILL_GRID, 0.0, W, 0, 0, &out, &err), 0);
    assert_int_equal(slice_infill_generate(&empty, SLICE_INFILL_GRID, 0.2, W, 0, 0, &out, &err), 0);
    assert_int_equal(out.n, 0);
    enum slice_infill_pattern p = SLICE_INFILL_LINES;
    assert_int_equal(slice_infill_pattern_from_name("gyroid", &p, &err), 0);
    assert_int_equal(p, SLICE_INFILL_GYROID);
    assert_int_equal(slice_infill_pattern_from_name("honeycomb", &p, &err), DY_ENOTFOUND);
    assert_int_equal(p, SLICE_INFILL_GYROID);
    assert_string_equal(slice_infill_pattern_name(SLICE_INFILL_TRIANGLES), "triangles");
    assert_int_equal(slice_infill_lines_at(&sq, 0.0, 0.5, W, &out, &err), DY_ERANGE);
    poly_set_fini(&huge);
    poly_set_fini(&sq);
}

/* The spacing formula: w/d, 2w/d, 3w/d. */
static void test_spacing(void **state)
{
    (void)state;
    assert_true(fabs(slice_infill_spacing_um(SLICE_INFILL_LINES, 0.2, 400) - 2000.0) < 1e-9);
    assert_true(fabs(slice_infill_spacing_um(SLICE_INFILL_GRID, 0.2, 400) - 4000.0) < 1e-9);
    assert_true(fabs(slice_infill_spacing_um(SLICE_INFILL_TRIANGLES, 0.2, 400) - 6000.0) < 1e-9);
    assert_true(slice_infill_spacing_um(SLICE_INFILL_GRID, 0.0, 400) == 0.0);
    /* lines_at along x: every segment horizontal and on y = k * spacing. */
    struct poly_set sq = {0};
    square20(&sq);
    struct poly_lines out = {0};
    struct dy_err err = {0};
    assert_int_equal(slice_infill_lines_at(&sq, 0.0, 2300.0, W, &out, &err), 0);
    size_t horiz = 0;
    for (size_t i = 0; i < out.n; i++) {
        for (size_t j = 1; j < out.lines[i].n; j++) {
            const struct slice_pt a = out.lines[i].pts[j - 1], b = out.lines[i].pts[j];
            if (a.y == b.y) {
                assert_int_equal(a.y % 2300, 0);
                horiz++;
            }
        }
    }
    assert_int_equal(horiz, 8); /* y = 27 * 2.3 .. 34 * 2.3 mm, inside 60..80 */
    poly_lines_fini(&out);
    poly_set_fini(&sq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_density),
        cmocka_unit_test(test_gyroid_density),
        cmocka_unit_test(test_gyroid_tiles),
        cmocka_unit_test(test_inside),
        cmocka_unit_test(test_repeatable),
        cmocka_unit_test(test_anchored),
        cmocka_unit_test(test_order_append),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_spacing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
