/* gcode_writer: exact formatting (Cura GCodeExportTest style), E values,
 * relative/absolute accumulation, retraction, the time estimate. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/gcode.h"

struct fx {
    struct gcode_printer pr;
    struct gcode_material mat;
    struct gcode_sink *sink;
    struct gcode_writer *w;
};

static int setup(void **state)
{
    static struct fx f;
    memset(&f, 0, sizeof(f));
    f.pr = gcode_printer_defaults;
    f.mat = gcode_material_defaults;
    f.sink = gcode_sink_create_mem();
    if (!f.sink || gcode_writer_create(&f.pr, &f.mat, f.sink, &f.w)) {
        return -1;
    }
    gcode_writer_set_position(f.w, 10, 10, 0.2);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    gcode_writer_destroy(f->w);
    gcode_sink_destroy(f->sink);
    return 0;
}

static const char *out(struct fx *f)
{
    const char *s = gcode_sink_data(f->sink, NULL);
    return s ? s : "(sink failed)";
}

static void test_e_10mm_line(void **state)
{
    struct fx *f = *state;
    double e = gcode_writer_extrude_to(f->w, 20, 10, 0.4, 0.2, 30);
    /* 0.4 * 0.2 * 10 / (pi * 0.875^2) = 0.33260 */
    assert_true(fabs(e - 0.3326) < 5e-6);
    assert_string_equal(out(f), "G1 X20 Y10 E0.3326 F1800\n");
}

static void test_relative_accumulates_exactly(void **state)
{
    struct fx *f = *state;
    gcode_writer_extrude_to(f->w, 20, 10, 0.4, 0.2, 30);
    gcode_writer_extrude_to(f->w, 30, 10, 0.4, 0.2, 30);
    gcode_writer_extrude_to(f->w, 30, 20, 0.4, 0.2, 40);
    gcode_writer_extrude_to(f->w, 30, 20, 0.4, 0.2, 40); /* zero length */
    assert_string_equal(out(f), "G1 X20 Y10 E0.3326 F1800\n"
                                "G1 X30 Y10 E0.3326\n"
                                "G1 X30 Y20 E0.3326 F2400\n");
    const struct gcode_stats *st = gcode_writer_stats(f->w);
    assert_true(fabs(st->filament_mm - 0.9978) < 1e-9);
    assert_true(st->min[0] == 10 && st->max[0] == 30);
    assert_true(st->min[1] == 10 && st->max[1] == 20);
}

static void test_absolute_accumulates(void **state)
{
    struct fx *f = *state;
    gcode_writer_set_relative_e(f->w, 0);
    gcode_writer_reset_e(f->w);
    gcode_writer_extrude_to(f->w, 20, 10, 0.4, 0.2, 30);
    gcode_writer_extrude_to(f->w, 30, 10, 0.4, 0.2, 30);
    gcode_writer_retract(f->w);
    gcode_writer_retract(f->w); /* already retracted: nothing */
    gcode_writer_travel_to(f->w, 50, 50, 150);
    gcode_writer_deretract(f->w);
    gcode_writer_extrude_to(f->w, 60, 50, 0.4, 0.2, 30);
    gcode_writer_reset_e(f->w);
    gcode_writer_extrude_to(f->w, 70, 50, 0.4, 0.2, 30);
    assert_string_equal(out(f), "M82 ; absolute E\n"
                                "G92 E0\n"
                                "G1 X20 Y10 E0.3326 F1800\n"
                                "G1 X30 Y10 E0.6652\n"
                                "G1 E-4.3348 F2400 ; retract\n"
                                "G0 X50 Y50 F9000\n"
                                "G1 E0.6652 F2400 ; unretract\n"
                                "G1 X60 Y50 E0.9978 F1800\n"
                                "G92 E0\n"
                                "G1 X70 Y50 E0.3326\n");
    /* Retract/unretract pairs do not count as filament used. */
    assert_true(fabs(gcode_writer_stats(f->w)->filament_mm - 4 * 0.3326) <
                1e-9);
}

static void test_lift_and_z(void **state)
{
    struct fx *f = *state;
    f->pr.zhop_mm = 0.4;
    gcode_writer_destroy(f->w);
    assert_int_equal(gcode_writer_create(&f->pr, &f->mat, f->sink, &f->w), 0);
    gcode_writer_set_position(f->w, 10, 10, 0.2);
    gcode_writer_lift(f->w);
    gcode_writer_lift(f->w);
    gcode_writer_travel_to(f->w, 12.5, 10.25, 100);
    gcode_writer_unlift(f->w);
    gcode_writer_move_z(f->w, 0.4, 5);
    gcode_writer_set_fan(f->w, 100);
    gcode_writer_set_fan(f->w, 100);
    gcode_writer_set_fan(f->w, 50);
    gcode_writer_set_fan(f->w, 0);
    gcode_writer_set_nozzle_temp(f->w, 215, 1);
    gcode_writer_set_bed_temp(f->w, 60, 0);
    assert_string_equal(out(f), "G1 Z0.6 F300 ; lift\n"
                                "G0 X12.5 Y10.25 F6000\n"
                                "G1 Z0.2 F300 ; unlift\n"
                                "G1 Z0.4\n"
                                "M106 S255\n"
                                "M106 S128\n"
                                "M107\n"
                                "M109 S215 ; wait for nozzle temperature\n"
                                "M140 S60 ; set bed temperature\n");
}

/* The old printf formatting, as the reference: "%.*f" of the value
 * rounded to `d` places, trailing zeros and '.' stripped, -0 as 0. */
static void ref_num(char *buf, size_t size, double v, int d)
{
    double s = pow(10, d), r = round(v * s) / s;
    snprintf(buf, size, "%.*f", d, r == 0 ? 0.0 : r);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot + 1 && e[-1] == '0') {
            *--e = 0;
        }
        if (e == dot + 1) {
            *dot = 0;
        }
    }
}

/* The writer formats numbers without printf; every line must read as the
 * printf reference does, including halves, negatives, tiny values that
 * round to zero and values with no fraction. */
static void test_numbers_match_printf(void **state)
{
    struct fx *f = *state;
    static const double v[] = {
        0.0005, -0.0005, 0.0004999, -0.0004, 1.0005, 2.5, -2.5, 12.3456789,
        -12.3456789, 219.9999, 100, 0.1, 0.2 + 0.1, 1e-9, -1e-9, 123456.789,
        -0.001, 7.0625, 99.99951, 3.14159265,
    };
    size_t n = sizeof(v) / sizeof(v[0]);
    char expect[8192] = "", line[256], a[64], b[64];
    double y = -1000;
    for (size_t i = 0; i < n; i++) {
        y += 1; /* a fresh y so that every travel moves */
        gcode_writer_travel_to(f->w, v[i], y, 150);
        ref_num(a, sizeof(a), v[i], 3);
        ref_num(b, sizeof(b), y, 3);
        snprintf(line, sizeof(line), "G0 X%s Y%s%s\n", a, b, i == 0 ? " F9000" : "");
        strcat(expect, line);
    }
    assert_string_equal(out(f), expect);
}

/* E values (5 places) in absolute mode against the same reference. */
static void test_e_numbers_match_printf(void **state)
{
    struct fx *f = *state;
    gcode_writer_set_relative_e(f->w, 0);
    gcode_writer_reset_e(f->w);
    char expect[8192] = "M82 ; absolute E\nG92 E0\n", line[256], a[64], e[64];
    double x = 10, total = 0, area = M_PI * 0.875 * 0.875;
    for (int i = 1; i <= 40; i++) {
        double len = 0.0137 * i * i;
        x += len;
        gcode_writer_extrude_to(f->w, x, 10, 0.4, 0.2, 30);
        total += 0.4 * 0.2 * len / area;
        ref_num(a, sizeof(a), x, 3);
        ref_num(e, sizeof(e), total, 5);
        snprintf(line, sizeof(line), "G1 X%s Y10 E%s%s\n", a, e, i == 1 ? " F1800" : "");
        strcat(expect, line);
    }
    assert_string_equal(out(f), expect);
}

static void test_flow_and_filament(void **state)
{
    struct fx *f = *state;
    f->mat.flow = 0.95;
    f->mat.filament_diameter_mm = 2.85;
    gcode_writer_destroy(f->w);
    assert_int_equal(gcode_writer_create(&f->pr, &f->mat, f->sink, &f->w), 0);
    gcode_writer_set_position(f->w, 0, 0, 0.2);
    double e = gcode_writer_extrude_to(f->w, 0, 100, 0.5, 0.25, 30);
    double want = 0.5 * 0.25 * 100 / (M_PI * 1.425 * 1.425) * 0.95;
    assert_true(fabs(e - want) < 5e-6);
}

/* A 100 mm move at 50 mm/s, 1000 mm/s^2, from and to rest: 0.05 s up,
 * 0.05 s down (1.25 mm each), 97.5 mm at 50 mm/s: 2.05 s. */
static void test_time_trapezoid(void **state)
{
    struct fx *f = *state;
    f->pr.accel_travel = 1000;
    f->pr.max_accel_xy = 10000;
    gcode_writer_destroy(f->w);
    assert_int_equal(gcode_writer_create(&f->pr, &f->mat, NULL, &f->w), 0);
    gcode_writer_set_position(f->w, 0, 0, 0.2);
    gcode_writer_travel_to(f->w, 100, 0, 50);
    assert_true(fabs(gcode_writer_stats(f->w)->time_s - 2.05) < 1e-9);

    /* Two collinear halves: no slowdown at the junction, still 2.05 s. */
    gcode_writer_set_position(f->w, 0, 0, 0.2);
    gcode_writer_travel_to(f->w, 50, 0, 50);
    gcode_writer_travel_to(f->w, 100, 0, 50);
    assert_true(fabs(gcode_writer_stats(f->w)->time_s - 4.10) < 1e-9);

    /* A short move never reaches cruise: triangle, 2*sqrt(d/a). */
    gcode_writer_set_position(f->w, 0, 0, 0.2);
    gcode_writer_travel_to(f->w, 1, 0, 50);
    assert_true(fabs(gcode_writer_stats(f->w)->time_s - 4.10 -
                     2 * sqrt(1.0 / 1000)) < 1e-9);
}

static void test_time_corner(void **state)
{
    struct fx *f = *state;
    f->pr.accel_travel = 1000;
    f->pr.max_accel_xy = 10000;
    f->pr.junction_deviation_mm = 0.013;
    gcode_writer_destroy(f->w);
    assert_int_equal(gcode_writer_create(&f->pr, &f->mat, NULL, &f->w), 0);
    gcode_writer_set_position(f->w, 0, 0, 0.2);
    gcode_writer_travel_to(f->w, 50, 0, 50);
    gcode_writer_travel_to(f->w, 50, 50, 50);
    double t = gcode_writer_stats(f->w)->time_s;
    /* 90 degrees with JD 0.013 at 1000 mm/s^2: v = sqrt(a*jd*s/(1-s)),
     * s = sin(45deg) -> 5.62 mm/s at the corner. Slower than straight on,
     * faster than stopping. */
    double s = sqrt(0.5), vj = sqrt(1000 * 0.013 * s / (1 - s));
    double half = (50 - 0) / 1000.0 + (50 - vj) / 1000.0 +
                  (50 - 1.25 - (2500 - vj * vj) / 2000.0) / 50;
    assert_true(fabs(t - 2 * half) < 1e-9);
    assert_true(t > 2.05 && t < 2 * 1.05);
}

static void test_sink_file_error(void **state)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f) {
        skip();
    }
    struct gcode_sink *s = gcode_sink_create_file(f);
    assert_non_null(s);
    for (int i = 0; i < 20000; i++) {
        gcode_sink_puts(s, "G1 X1 Y1 E0.1\n");
    }
    struct dy_err err = {0};
    assert_int_equal(gcode_sink_close(s, &err), DY_EIO);
    gcode_sink_destroy(s);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_e_10mm_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative_accumulates_exactly,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_absolute_accumulates, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lift_and_z, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_match_printf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_e_numbers_match_printf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_and_filament, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_time_trapezoid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_time_corner, setup, teardown),
        cmocka_unit_test(test_sink_file_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
