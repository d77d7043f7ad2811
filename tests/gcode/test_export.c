/* gcode_write_plan / gcode_write_file: whole prints for every printer and
 * material, parsed back with the reader (PrusaSlicer's test style). */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "daryn/gcode.h"
#include "daryn/gcode_reader.h"
#include "test_plan.h"

static const char *const printers[] = {
    "generic-marlin", "ender3v2", "ender3s1", "prusa-mk3s",
    "prusa-mk4", "kobra2", "generic-klipper",
};
static const char *const materials[] = {"pla", "petg", "tpu"};

static void load_pair(const char *pn, const char *mn, struct gcode_printer *p,
                      struct gcode_material *m)
{
    char path[512], msg[1100];
    struct dy_err err = {0};
    snprintf(path, sizeof(path), "%s/gcode/printers/%s.ini", DARYN_SOURCE_DIR,
             pn);
    if (gcode_printer_load(path, p, &err)) {
        fail_msg("%s", dy_err_format(&err, msg, sizeof(msg)));
    }
    snprintf(path, sizeof(path), "%s/gcode/materials/%s.ini", DARYN_SOURCE_DIR,
             mn);
    if (gcode_material_load(path, m, &err)) {
        fail_msg("%s", dy_err_format(&err, msg, sizeof(msg)));
    }
}

/* Writes `plan` into memory; the caller frees the returned text. */
static char *write_mem(const struct slice_plan *plan,
                       const struct gcode_printer *p,
                       const struct gcode_material *m,
                       const struct gcode_opts *opts, size_t *len)
{
    struct gcode_sink *s = gcode_sink_create_mem();
    struct dy_err err = {0};
    char msg[1100];
    assert_non_null(s);
    int rc = gcode_write_plan(plan, p, m, opts, s, &err);
    if (rc) {
        fail_msg("%s", dy_err_format(&err, msg, sizeof(msg)));
    }
    assert_int_equal(gcode_sink_close(s, &err), 0);
    const char *d = gcode_sink_data(s, len);
    char *copy = malloc(*len + 1);
    memcpy(copy, d, *len + 1);
    gcode_sink_destroy(s);
    return copy;
}

/* Everything the parse-back checks need, gathered in one pass. */
struct check {
    const struct gcode_printer *pr;
    const struct gcode_material *mat;
    int seen_extrude;
    double bed_wait, nozzle_wait;  /* last M190 / M109 S before extruding */
    int macro_ok;                   /* PRINT_START with both temperatures */
    int max_layer;
    double e_sum;                   /* E of extruding moves in layers */
    int bad_moves;
    unsigned long first_bad;
    int fan_before;                 /* M106 on a layer the fan must be off */
    int m109_after;                 /* waits after the first extrusion */
};

static int check_cb(void *user, const struct gcode_line *l)
{
    struct check *c = user;
    const struct gcode_printer *pr = c->pr;
    if (l->letter == 'M' && (l->code == 190 || l->code == 109) &&
        GCODE_HAVE(l, 'S')) {
        if (c->seen_extrude) {
            c->m109_after++;
        } else if (l->code == 190) {
            c->bed_wait = l->param['S' - 'A'];
        } else {
            c->nozzle_wait = l->param['S' - 'A'];
        }
    }
    if (!l->letter && l->word_len == 11 && !memcmp(l->word, "PRINT_START", 11)) {
        char want[128];
        snprintf(want, sizeof(want), " BED=%g EXTRUDER=%g",
                 c->mat->first_layer_bed_temp,
                 c->mat->first_layer_nozzle_temp);
        c->macro_ok = !c->seen_extrude && l->args_len == strlen(want) &&
                      !memcmp(l->args, want, l->args_len);
    }
    if (l->letter == 'M' && l->code == 106 && l->layer >= 0 &&
        l->layer < c->mat->fan_disable_first_layers) {
        c->fan_before++;
    }
    if (l->layer > c->max_layer) {
        c->max_layer = l->layer;
    }
    if (!l->is_move) {
        return 0;
    }
    if (l->extrudes) {
        c->seen_extrude = 1;
        if (l->layer >= 0) {
            c->e_sum += l->to.e - l->from.e;
        }
    }
    /* Start scripts may purge up to 4 mm in front of the bed (Prusa's
     * intro line at Y-3 / Y-4); everything else stays on the bed. */
    double front = l->layer < 0 ? 4.0 : 0.0;
    /* Z-only and E-only moves stay where the last XY move went. */
    int xy = l->to.x != l->from.x || l->to.y != l->from.y;
    double x = l->to.x, y = l->to.y, z = l->to.z;
    if ((xy && (x < pr->origin_x_mm - 1e-6 ||
                x > pr->origin_x_mm + pr->bed_x_mm + 1e-6 ||
                y < pr->origin_y_mm - front - 1e-6 ||
                y > pr->origin_y_mm + pr->bed_y_mm + 1e-6)) ||
        z < -1e-6 || z > pr->max_z_mm + 1e-6) {
        if (!c->bad_moves++) {
            c->first_bad = l->lineno;
        }
    }
    return 0;
}

static double header_num(const char *g, const char *key)
{
    const char *s = strstr(g, key);
    assert_non_null(s);
    return strtod(s + strlen(key), NULL);
}

static void check_print(const char *pn, const char *mn)
{
    struct gcode_printer pr;
    struct gcode_material mat;
    load_pair(pn, mn, &pr, &mat);
    struct slice_plan plan = {0};
    int nl = 30;
    test_plan_cube(&plan, (int32_t)(pr.bed_x_mm * 500),
                   (int32_t)(pr.bed_y_mm * 500), nl);
    struct gcode_stats st;
    struct gcode_opts opts = {.stats = &st};
    size_t len;
    char *g = write_mem(&plan, &pr, &mat, &opts, &len);
    struct check c = {.pr = &pr, .mat = &mat, .max_layer = -1};
    struct dy_err err = {0};
    assert_int_equal(gcode_reader_parse(g, len, check_cb, &c, &err), 0);
    if (c.bad_moves) {
        fail_msg("%s/%s: %d moves off the bed, first on line %lu", pn, mn,
                 c.bad_moves, c.first_bad);
    }
    assert_int_equal(c.max_layer + 1, nl);
    assert_true(header_num(g, ";LAYER_COUNT:") == nl);
    assert_true(header_num(g, "; total layers count = ") == nl);
    assert_int_equal(st.layers, (size_t)nl);
    /* Filament: header = stats = the sum of E read back. */
    assert_true(fabs(st.filament_mm - c.e_sum) < 1e-6);
    assert_true(fabs(header_num(g, "; filament used [mm] = ") - c.e_sum) <
                0.006);
    assert_true(fabs(header_num(g, ";Filament used: ") * 1000 - c.e_sum) <
                0.006);
    double grams = c.e_sum * M_PI * pow(mat.filament_diameter_mm / 2, 2) /
                   1000 * mat.density_g_cm3;
    assert_true(fabs(header_num(g, "; filament used [g] = ") - grams) < 0.006);
    assert_true(header_num(g, ";TIME:") == (double)lround(st.time_s));
    assert_true(st.time_s > 30 && st.time_s < 3 * 3600);
    /* Bounding box: the cube's outer wall centre lines. */
    double cx = pr.origin_x_mm + pr.bed_x_mm / 2;
    assert_true(fabs(header_num(g, ";MINX:") - (cx - 13)) < 1e-3); /* skirt */
    assert_true(fabs(header_num(g, ";MAXZ:") - 0.2 * nl) < 1e-3);
    /* Heated and waited before the first extrusion. */
    if (pr.flavor == GCODE_FLAVOR_KLIPPER) {
        assert_true(c.macro_ok);
    } else {
        assert_true(c.bed_wait == mat.first_layer_bed_temp);
        assert_true(c.nozzle_wait == mat.first_layer_nozzle_temp);
    }
    assert_int_equal(c.m109_after, 0);
    assert_int_equal(c.fan_before, 0);
    /* After the first layer the nozzle goes to the normal temperature. */
    if (mat.nozzle_temp != mat.first_layer_nozzle_temp) {
        char want[64];
        snprintf(want, sizeof(want), ";LAYER:1\n");
        const char *l1 = strstr(g, want);
        assert_non_null(l1);
        snprintf(want, sizeof(want), "M104 S%g", mat.nozzle_temp);
        const char *t = strstr(l1, want);
        assert_non_null(t);
        assert_true(t < strstr(l1, ";LAYER:2\n"));
    }
    /* Every layer is announced both ways, and types use one convention. */
    assert_non_null(strstr(g, ";LAYER_CHANGE\n;Z:0.2\n;HEIGHT:0.2\n;LAYER:0\n"));
    assert_non_null(strstr(g, ";TYPE:External perimeter\n"));
    assert_null(strstr(g, "{"));
    /* TPU is capped at its 25 mm/s (F1500) and 1.5 mm^3/s. */
    if (mat.max_speed <= 25) {
        for (const char *s = strstr(g, " F"); s; s = strstr(s + 1, " F")) {
            double f = strtod(s + 2, NULL);
            const char *ls = s;
            while (ls > g && ls[-1] != '\n') {
                ls--;
            }
            const char *e = strstr(ls, " E");
            if (!strncmp(ls, "G1 X", 4) && e && e < s && f > 25 * 60 + 0.5) {
                fail_msg("%s/%s: too fast: %.40s", pn, mn, ls);
            }
        }
    }
    free(g);
    test_plan_free(&plan);
}

static void test_all_printers_materials(void **state)
{
    for (size_t i = 0; i < sizeof(printers) / sizeof(*printers); i++) {
        for (size_t j = 0; j < sizeof(materials) / sizeof(*materials); j++) {
            check_print(printers[i], materials[j]);
        }
    }
}

static void two_paths(struct slice_plan *plan, int retract)
{
    struct slice_plan_layer *l = test_plan_layer(plan, 200, 200);
    int32_t a[] = {50000, 50000, 60000, 50000};
    int32_t b[] = {150000, 150000, 160000, 150000};
    test_plan_path(plan, l, SLICE_FEAT_WALL_OUTER, 0, 0, 400, a, 2);
    test_plan_path(plan, l, SLICE_FEAT_INFILL, 0, retract, 400, b, 2);
}

static void test_retract_only_when_asked(void **state)
{
    struct gcode_printer pr = gcode_printer_defaults;
    struct gcode_material mat = gcode_material_defaults;
    pr.zhop_mm = 0.3;
    mat.slowdown_below_layer_time_s = 0; /* keep the nominal speeds */
    strcpy(pr.start_gcode, "G28\n");
    strcpy(pr.end_gcode, "M84\n");
    size_t len;
    struct slice_plan plan = {0};
    two_paths(&plan, 0);
    char *g = write_mem(&plan, &pr, &mat, NULL, &len);
    /* Only the end of the print retracts (before the end script). */
    const char *r = strstr(g, "; retract\n");
    assert_non_null(r);
    assert_null(strstr(r + 1, "; retract\n"));
    assert_true(r > strstr(g, "G1 X160 Y150"));
    assert_null(strstr(g, "; lift\n"));
    assert_non_null(strstr(g, ";TYPE:Internal infill\n"));
    /* Travel straight from the end of the wall to the infill, no E. */
    assert_non_null(strstr(g, "G1 X60 Y50 E0.3326 F1200\nG0 X150 Y150 F9000\n"
                              ";TYPE:Internal infill\n"));
    free(g);
    test_plan_free(&plan);

    two_paths(&plan, 1);
    g = write_mem(&plan, &pr, &mat, NULL, &len);
    assert_non_null(strstr(g, "G1 X60 Y50 E0.3326 F1200\n"
                              "G1 E-5 F2400 ; retract\n"
                              "G1 Z0.5 F300 ; lift\n"
                              "G0 X150 Y150 F9000\n"
                              "G1 Z0.2 F300 ; unlift\n"
                              "G1 E5 F2400 ; unretract\n"
                              ";TYPE:Internal infill\n"
                              "G1 X160 Y150 E0.3326 F1200\n"));
    free(g);
    test_plan_free(&plan);
}

/* A travel with waypoints (a combed route from the planner) goes through
 * them in order with G0 moves, inside the retraction when there is one;
 * the reader sees each move and the time estimate counts the longer way. */
static void test_travel_via(void **state)
{
    struct gcode_printer pr = gcode_printer_defaults;
    struct gcode_material mat = gcode_material_defaults;
    pr.zhop_mm = 0.3;
    mat.slowdown_below_layer_time_s = 0;
    strcpy(pr.start_gcode, "G28\n");
    strcpy(pr.end_gcode, "M84\n");
    const int32_t via[] = {60000, 100000, 100000, 150000};
    struct gcode_stats st_straight, st_via;
    struct gcode_opts opts = {.stats = &st_straight};
    size_t len;
    struct slice_plan plan = {0};
    two_paths(&plan, 0);
    free(write_mem(&plan, &pr, &mat, &opts, &len));
    test_plan_via(&plan.layers[0].paths[1], via, 2);
    opts.stats = &st_via;
    char *g = write_mem(&plan, &pr, &mat, &opts, &len);
    assert_non_null(strstr(g, "G1 X60 Y50 E0.3326 F1200\n"
                              "G0 X60 Y100 F9000\n"
                              "G0 X100 Y150\n"
                              "G0 X150 Y150\n"
                              ";TYPE:Internal infill\n"
                              "G1 X160 Y150 E0.3326 F1200\n"));
    assert_null(strstr(g, "; lift\n"));
    /* 50 + 64.03 + 50 mm instead of 134.54 mm at 150 mm/s: 0.197 s more
     * at cruise speed, a little more with the extra corners. */
    double extra = (50 + hypot(40, 50) + 50 - hypot(90, 100)) / 150;
    assert_true(st_via.time_s - st_straight.time_s > extra * 0.99);
    assert_true(st_via.time_s - st_straight.time_s < extra + 0.5);

    struct gcode_moves mv = {0};
    struct dy_err err = {0};
    assert_int_equal(gcode_moves_read(g, len, &mv, &err), 0);
    const double want[3][2] = {{60, 100}, {100, 150}, {150, 150}};
    size_t k = 0;
    for (size_t i = 0; i < mv.n && k < 3; i++) {
        const struct gcode_move *m = &mv.v[i];
        if (m->layer != 0 || m->extrudes || m->from.x == 160 ||
            (m->to.x == m->from.x && m->to.y == m->from.y)) {
            continue;
        }
        if (k == 0 && !(m->from.x == 60 && m->from.y == 50)) {
            continue;
        }
        assert_float_equal(m->to.x, want[k][0], 1e-9);
        assert_float_equal(m->to.y, want[k][1], 1e-9);
        assert_float_equal(m->to.z, 0.2, 1e-9);
        k++;
    }
    assert_int_equal(k, 3);
    gcode_moves_fini(&mv);
    free(g);

    /* Retracting: retract and lift first, then the whole route. */
    plan.layers[0].paths[1].retract_before = 1;
    g = write_mem(&plan, &pr, &mat, NULL, &len);
    assert_non_null(strstr(g, "G1 X60 Y50 E0.3326 F1200\n"
                              "G1 E-5 F2400 ; retract\n"
                              "G1 Z0.5 F300 ; lift\n"
                              "G0 X60 Y100 F9000\n"
                              "G0 X100 Y150\n"
                              "G0 X150 Y150\n"
                              "G1 Z0.2 F300 ; unlift\n"
                              "G1 E5 F2400 ; unretract\n"
                              ";TYPE:Internal infill\n"));
    free(g);

    /* A waypoint off the bed is refused like any other point. */
    plan.layers[0].paths[1].via[1].x = 230000;
    struct gcode_sink *s = gcode_sink_create_mem();
    assert_int_equal(gcode_write_plan(&plan, &pr, &mat, NULL, s, &err),
                     DY_ERANGE);
    assert_string_equal(err.where, "plan: layer 0 path 1 via 1");
    gcode_sink_destroy(s);
    test_plan_free(&plan);
}

static void test_marlin_heats_when_script_does_not(void **state)
{
    struct gcode_printer pr = gcode_printer_defaults;
    struct gcode_material mat = gcode_material_defaults;
    strcpy(pr.start_gcode, "G28 ; home\n");
    struct slice_plan plan = {0};
    two_paths(&plan, 0);
    size_t len;
    char *g = write_mem(&plan, &pr, &mat, NULL, &len);
    const char *heat = strstr(g, "M140 S60 ; set bed temperature\n"
                                 "M190 S60 ; wait for bed temperature\n"
                                 "M104 S215 ; set nozzle temperature\n"
                                 "M109 S215 ; wait for nozzle temperature\n"
                                 "; start G-code\nG28 ; home\n");
    assert_non_null(heat);
    assert_true(heat < strstr(g, "G1 X60 Y50 E"));
    free(g);
    test_plan_free(&plan);
}

static void test_outside_bed_rejected(void **state)
{
    struct gcode_printer pr = gcode_printer_defaults;
    struct gcode_material mat = gcode_material_defaults;
    struct slice_plan plan = {0};
    struct slice_plan_layer *l = test_plan_layer(&plan, 200, 200);
    int32_t a[] = {50000, 50000, 230000, 50000};
    test_plan_path(&plan, l, SLICE_FEAT_WALL_OUTER, 0, 0, 400, a, 2);
    struct gcode_sink *s = gcode_sink_create_mem();
    struct dy_err err = {0};
    assert_int_equal(gcode_write_plan(&plan, &pr, &mat, NULL, s, &err),
                     DY_ERANGE);
    assert_string_equal(err.where, "plan: layer 0 path 0 point 1");
    assert_non_null(strstr(err.msg, "outside the 220x220 mm bed"));
    size_t len;
    gcode_sink_data(s, &len);
    assert_int_equal(len, 0);
    gcode_sink_destroy(s);
    test_plan_free(&plan);
}

static int b64val(char ch)
{
    const char *tab =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(tab, ch);
    return p && ch ? (int)(p - tab) : -1;
}

static void test_thumbnail_block(void **state)
{
    struct gcode_printer pr = gcode_printer_defaults;
    struct gcode_material mat = gcode_material_defaults;
    unsigned char bytes[1001];
    for (size_t i = 0; i < sizeof(bytes); i++) {
        bytes[i] = (unsigned char)(i * 37 + 11);
    }
    struct gcode_thumbnail th[2] = {{300, 300, bytes, sizeof(bytes)},
                                    {16, 16, (const unsigned char *)"ab", 2}};
    struct gcode_opts opts = {.thumbs = th, .nthumbs = 2};
    struct slice_plan plan = {0};
    two_paths(&plan, 0);
    size_t len;
    char *g = write_mem(&plan, &pr, &mat, &opts, &len);
    const char *b = strstr(g, "; thumbnail begin 300x300 1336\n");
    assert_non_null(b);
    assert_non_null(strstr(g, "; thumbnail begin 16x16 4\n; YWI=\n"
                              "; thumbnail end\n"));
    b = strchr(b, '\n') + 1;
    unsigned char dec[1100];
    size_t n = 0, nb64 = 0;
    unsigned acc = 0;
    int bits = 0;
    while (strncmp(b, "; thumbnail end", 15)) {
        const char *e = strchr(b, '\n');
        assert_true(!strncmp(b, "; ", 2));
        assert_true(e - b - 2 <= 78);
        for (const char *p = b + 2; p < e; p++) {
            nb64++;
            if (*p == '=') {
                continue;
            }
            int v = b64val(*p);
            assert_true(v >= 0);
            acc = (acc << 6) | (unsigned)v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                dec[n++] = (unsigned char)(acc >> bits);
            }
        }
        b = e + 1;
    }
    assert_int_equal(nb64, 1336);
    assert_int_equal(n, sizeof(bytes));
    assert_memory_equal(dec, bytes, sizeof(bytes));
    /* The block is in the header, before any move. */
    assert_true(strstr(g, "; thumbnail end") < strstr(g, "G1 X"));
    free(g);
    test_plan_free(&plan);
}

static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d))) {
        n += strstr(de->d_name, "out.gcode.tmp.") != NULL;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static void test_write_file_and_cancel(void **state)
{
    const char *dir = getenv("GCODE_TEST_OUT");
    char path[1024];
    snprintf(path, sizeof(path), "%s/out.gcode", dir ? dir : ".");
    remove(path);
    struct gcode_printer pr;
    struct gcode_material mat;
    load_pair("prusa-mk4", "pla", &pr, &mat);
    struct slice_plan plan = {0};
    test_plan_cube(&plan, 125000, 105000, 5);
    volatile int cancel = 1;
    struct gcode_opts opts = {.cancel = &cancel};
    struct dy_err err = {0};
    assert_int_equal(gcode_write_file(&plan, &pr, &mat, &opts, path, &err),
                     DY_ECANCELED);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0);
    assert_int_equal(count_tmp(dir ? dir : "."), 0);
    cancel = 0;
    struct gcode_stats stats;
    opts.stats = &stats;
    assert_int_equal(gcode_write_file(&plan, &pr, &mat, &opts, path, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(count_tmp(dir ? dir : "."), 0);
    assert_int_equal(stats.layers, 5);
    FILE *f = fopen(path, "rb");
    char *buf = malloc((size_t)st.st_size + 1);
    assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    struct gcode_moves mv = {0};
    assert_int_equal(gcode_moves_read(buf, (size_t)st.st_size, &mv, &err), 0);
    assert_int_equal(mv.nlayers, 5);
    free(buf);
    gcode_moves_fini(&mv);
    assert_int_equal(gcode_write_file(&plan, &pr, &mat, &opts,
                                      "/nonexistent-dir/x.gcode", &err),
                     DY_EIO);
    test_plan_free(&plan);
}

/* Cooling: a tiny layer is slowed down and gets the full fan. */
static void test_cooling_slowdown(void **state)
{
    struct gcode_printer pr = gcode_printer_defaults;
    struct gcode_material mat = gcode_material_defaults;
    mat.fan_min_pct = 35;
    mat.fan_max_pct = 100;
    mat.slowdown_below_layer_time_s = 10;
    mat.fan_below_layer_time_s = 60;
    mat.min_print_speed = 5;
    struct slice_plan plan = {0};
    for (int i = 0; i < 3; i++) {
        struct slice_plan_layer *l = test_plan_layer(&plan, 200 * (i + 1), 200);
        int32_t sq[] = {100000, 100000, 105000, 100000, 105000, 105000,
                        100000, 105000};
        test_plan_path(&plan, l, SLICE_FEAT_WALL_OUTER, 1, 0, 400, sq, 4);
    }
    size_t len;
    struct gcode_stats st;
    struct gcode_opts opts = {.stats = &st};
    char *g = write_mem(&plan, &pr, &mat, &opts, &len);
    /* 20 mm of wall at 30 mm/s is < 1 s: slowed to 5 mm/s (min speed). */
    assert_non_null(strstr(g, "M106 S255\n;TYPE:External perimeter\n"));
    const char *l2 = strstr(g, ";LAYER:2");
    assert_non_null(strstr(l2, " F300\n"));
    assert_true(st.time_s > 2 * 20 / 5.0);
    free(g);
    test_plan_free(&plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_printers_materials),
        cmocka_unit_test(test_retract_only_when_asked),
        cmocka_unit_test(test_travel_via),
        cmocka_unit_test(test_marlin_heats_when_script_does_not),
        cmocka_unit_test(test_outside_bed_rejected),
        cmocka_unit_test(test_thumbnail_block),
        cmocka_unit_test(test_write_file_and_cancel),
        cmocka_unit_test(test_cooling_slowdown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
