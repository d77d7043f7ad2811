/* Profile parser: errors name file:line: key, every shipped profile loads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/gcode_profile.h"

static const char *const printers[] = {
    "generic-marlin", "ender3v2", "ender3s1", "prusa-mk3s",
    "prusa-mk4", "kobra2", "generic-klipper",
};
static const char *const materials[] = {"pla", "petg", "tpu"};

static int parse_m(const char *text, struct gcode_material *m,
                   struct dy_err *err)
{
    return gcode_material_parse("pla.ini", text, strlen(text), m, err);
}

static int parse_p(const char *text, struct gcode_printer *p,
                   struct dy_err *err)
{
    return gcode_printer_parse("ender3v2.ini", text, strlen(text), p, err);
}

static void test_out_of_range(void **state)
{
    struct gcode_material m = gcode_material_defaults;
    struct dy_err err = {0};
    char buf[DY_ERR_WHERE_MAX + DY_ERR_MSG_MAX];
    m.nozzle_temp = 1;
    int rc = parse_m("# PLA\nname = PLA\nnozzle_temp = 400\n", &m, &err);
    assert_int_equal(rc, DY_ERANGE);
    assert_string_equal(err.where, "pla.ini:3: nozzle_temp");
    assert_string_equal(err.msg, "400 is above max 300");
    assert_string_equal(dy_err_format(&err, buf, sizeof(buf)),
                        "pla.ini:3: nozzle_temp: 400 is above max 300");
    assert_true(m.nozzle_temp == 1); /* untouched on failure */
    rc = parse_m("bed_temp = -5\n", &m, &err);
    assert_int_equal(rc, DY_ERANGE);
    assert_string_equal(err.where, "pla.ini:1: bed_temp");
    assert_string_equal(err.msg, "-5 is below min 0");
}

static void test_unknown_key(void **state)
{
    struct gcode_printer p;
    struct dy_err err = {0};
    int rc = parse_p("name = X\n\n[machine]\nbed_size = 220\n", &p, &err);
    assert_int_equal(rc, DY_EFORMAT);
    assert_string_equal(err.where, "ender3v2.ini:4");
    assert_string_equal(err.msg, "unknown key \"bed_size\"");
}

static void test_bad_type(void **state)
{
    struct gcode_printer p;
    struct dy_err err = {0};
    assert_int_equal(parse_p("bed_x_mm = wide\n", &p, &err), DY_EFORMAT);
    assert_string_equal(err.where, "ender3v2.ini:1: bed_x_mm");
    assert_non_null(strstr(err.msg, "expected a number"));
    assert_int_equal(parse_p("relative_e = maybe\n", &p, &err), DY_EFORMAT);
    assert_int_equal(parse_p("flavor = reprap\n", &p, &err), DY_EFORMAT);
    assert_non_null(strstr(err.msg, "marlin or klipper"));
    assert_int_equal(parse_p("bed_x_mm = 220mm\n", &p, &err), DY_EFORMAT);
    assert_int_equal(parse_p("just words\n", &p, &err), DY_EFORMAT);
    assert_string_equal(err.msg, "expected key = value");
    assert_int_equal(parse_p("[broken\n", &p, &err), DY_EFORMAT);
    struct gcode_material m;
    assert_int_equal(parse_m("fan_disable_first_layers = 1.5\n", &m, &err),
                     DY_EFORMAT);
    assert_int_equal(parse_p("thumbs = 16x\n", &p, &err), DY_EFORMAT);
    assert_int_equal(parse_p("thumbs = 16x16, 2000x10\n", &p, &err),
                     DY_ERANGE);
}

static void test_duplicate_and_cross_checks(void **state)
{
    struct gcode_printer p;
    struct gcode_material m;
    struct dy_err err = {0};
    assert_int_equal(parse_p("bed_x_mm = 200\nbed_x_mm = 210\n", &p, &err),
                     DY_EFORMAT);
    assert_string_equal(err.where, "ender3v2.ini:2: bed_x_mm");
    assert_string_equal(err.msg, "set twice (first on line 1)");
    assert_int_equal(parse_m("fan_min_pct = 80\nfan_max_pct = 50\n", &m, &err),
                     DY_ERANGE);
    assert_string_equal(err.where, "pla.ini: fan_min_pct");
}

static void test_scripts(void **state)
{
    struct gcode_printer p;
    struct dy_err err = {0};
    const char *ok = "name = T # not a comment in names\n"
                     "start_gcode = \"\"\"\n"
                     "  G28 ; home\n"
                     "\n"
                     "M190 S{first_layer_bed_temp}\n"
                     "\"\"\"\n"
                     "end_gcode = \"\"\"M84\"\"\"\n"
                     "bed_y_mm = 200 # trailing comment\n"
                     "thumbs = 16x16, 313x173,440x240\n";
    assert_int_equal(parse_p(ok, &p, &err), 0);
    assert_string_equal(p.name, "T # not a comment in names");
    assert_string_equal(p.start_gcode, "G28 ; home\nM190 S{first_layer_bed_temp}\n");
    assert_string_equal(p.end_gcode, "M84");
    assert_true(p.bed_y_mm == 200);
    assert_int_equal(p.nthumbs, 3);
    assert_int_equal(p.thumbs[1].w, 313);
    assert_int_equal(p.thumbs[1].h, 173);
    assert_int_equal(p.thumbs[2].w, 440);

    assert_int_equal(parse_p("bed_x_mm = 200\nstart_gcode = \"\"\"\nG28\n", &p,
                             &err), DY_EFORMAT);
    assert_string_equal(err.where, "ender3v2.ini:2: start_gcode");
    assert_string_equal(err.msg, "no closing \"\"\"");
    assert_int_equal(parse_p("\nstart_gcode = \"\"\"\nM109 S{nozle_temp}\n\"\"\"\n",
                             &p, &err), DY_EFORMAT);
    assert_string_equal(err.where, "ender3v2.ini:2: start_gcode");
    assert_string_equal(err.msg, "unknown placeholder {nozle_temp}");
    /* Line numbers keep counting after a multi-line value. */
    assert_int_equal(parse_p("start_gcode = \"\"\"\nG28\nG29\n\"\"\"\nzhop_mm = 9\n",
                             &p, &err), DY_ERANGE);
    assert_string_equal(err.where, "ender3v2.ini:5: zhop_mm");
}

static void test_missing_file(void **state)
{
    struct gcode_printer p;
    struct dy_err err = {0};
    assert_int_equal(gcode_printer_load("/nonexistent/dir/x.ini", &p, &err),
                     DY_ENOTFOUND);
    assert_string_equal(err.where, "x.ini");
    char path[512];
    assert_int_equal(gcode_profile_find(DARYN_SOURCE_DIR "/gcode",
                                        GCODE_PROFILE_PRINTER, "ender9",
                                        path, sizeof(path), &err),
                     DY_ENOTFOUND);
    assert_int_equal(gcode_profile_find(DARYN_SOURCE_DIR "/gcode",
                                        GCODE_PROFILE_PRINTER, "../etc",
                                        path, sizeof(path), &err),
                     DY_EINVAL);
}

static void test_all_profiles_load(void **state)
{
    struct dy_err err = {0};
    char path[512], msg[1100];
    for (size_t i = 0; i < sizeof(printers) / sizeof(*printers); i++) {
        struct gcode_printer p;
        assert_int_equal(gcode_profile_find(DARYN_SOURCE_DIR "/gcode",
                                            GCODE_PROFILE_PRINTER, printers[i],
                                            path, sizeof(path), &err), 0);
        int rc = gcode_printer_load(path, &p, &err);
        if (rc) {
            fail_msg("%s", dy_err_format(&err, msg, sizeof(msg)));
        }
        assert_string_equal(p.id, printers[i]);
        assert_true(p.bed_x_mm >= 200 && p.bed_y_mm >= 200);
        assert_non_null(strstr(p.start_gcode, "{first_layer_bed_temp}"));
        assert_non_null(strstr(p.start_gcode, "{first_layer_nozzle_temp}"));
        assert_true(p.name[0] != 0 && strcmp(p.name, p.id) != 0);
    }
    for (size_t i = 0; i < sizeof(materials) / sizeof(*materials); i++) {
        struct gcode_material m;
        assert_int_equal(gcode_profile_find(DARYN_SOURCE_DIR "/gcode",
                                            GCODE_PROFILE_MATERIAL,
                                            materials[i], path, sizeof(path),
                                            &err), 0);
        int rc = gcode_material_load(path, &m, &err);
        if (rc) {
            fail_msg("%s", dy_err_format(&err, msg, sizeof(msg)));
        }
        assert_true(m.first_layer_nozzle_temp >= 180);
        assert_true(m.density_g_cm3 > 1.0 && m.density_g_cm3 < 1.4);
    }
    struct gcode_printer k;
    snprintf(path, sizeof(path), "%s/gcode/printers/generic-klipper.ini",
             DARYN_SOURCE_DIR);
    assert_int_equal(gcode_printer_load(path, &k, &err), 0);
    assert_int_equal(k.flavor, GCODE_FLAVOR_KLIPPER);
    struct gcode_material tpu;
    snprintf(path, sizeof(path), "%s/gcode/materials/tpu.ini",
             DARYN_SOURCE_DIR);
    assert_int_equal(gcode_material_load(path, &tpu, &err), 0);
    assert_true(tpu.max_speed <= 30);
}

struct list_acc {
    char ids[16][GCODE_NAME_MAX];
    int n;
};

static int list_cb(void *user, const char *id, const char *path)
{
    struct list_acc *a = user;
    if (a->n < 16) {
        snprintf(a->ids[a->n++], GCODE_NAME_MAX, "%s", id);
    }
    return strstr(path, ".ini") ? 0 : -100;
}

static void test_list(void **state)
{
    struct list_acc a = {0};
    struct dy_err err = {0};
    assert_int_equal(gcode_profile_list(DARYN_SOURCE_DIR "/gcode",
                                        GCODE_PROFILE_PRINTER, list_cb, &a,
                                        &err), 0);
    assert_int_equal(a.n, 7);
    for (int i = 1; i < a.n; i++) {
        assert_true(strcmp(a.ids[i - 1], a.ids[i]) < 0); /* sorted */
    }
    memset(&a, 0, sizeof(a));
    assert_int_equal(gcode_profile_list(DARYN_SOURCE_DIR "/gcode",
                                        GCODE_PROFILE_MATERIAL, list_cb, &a,
                                        &err), 0);
    assert_int_equal(a.n, 3);
    assert_string_equal(a.ids[0], "petg");
    assert_int_equal(gcode_profile_list("/nonexistent", GCODE_PROFILE_MATERIAL,
                                        list_cb, &a, &err), DY_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_out_of_range),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_bad_type),
        cmocka_unit_test(test_duplicate_and_cross_checks),
        cmocka_unit_test(test_scripts),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_all_profiles_load),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
