/* gcode_reader: positioning modes, comments, garbage; replays the fuzz
 * corpora (tests/corpus/gcode_*) so past findings stay fixed. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/gcode.h"
#include "daryn/gcode_profile.h"
#include "daryn/gcode_reader.h"

static void read_moves(const char *text, struct gcode_moves *m)
{
    struct dy_err err = {0};
    memset(m, 0, sizeof(*m));
    assert_int_equal(gcode_moves_read(text, strlen(text), m, &err), 0);
}

static void test_modes(void **state)
{
    const char *g = "G90\n"
                    "M83\n"
                    "G1 X10 Y10 Z0.2 F3000\n"      /* 0 */
                    "G1 X20 E1.5\n"                /* 1: extrudes */
                    "G91\n"
                    "G1 X5 Y-5 E0.5\n"             /* 2: relative */
                    "G90\n"
                    "M82\n"
                    "G92 E10\n"
                    "G1 X30 Y5 E12\n"              /* 3: +2 */
                    "G1 E11 F2400\n"               /* 4: retract 1 */
                    "G92 X0 Y0\n"
                    "G1 X1 Y1\n"                   /* 5: renamed origin */
                    "G28 X\n"                      /* homes X only */
                    "G0 Y2\n";                     /* 6 */
    struct gcode_moves m;
    read_moves(g, &m);
    assert_int_equal(m.n, 7);
    assert_true(m.v[0].to.x == 10 && m.v[0].to.z == 0.2 && m.v[0].feed == 3000);
    assert_true(m.v[1].extrudes && m.v[1].to.e == 1.5 && m.v[1].to.x == 20);
    assert_true(m.v[2].to.x == 25 && m.v[2].to.y == 5 && m.v[2].to.e == 2.0);
    assert_true(fabs(m.v[3].to.e - 4.0) < 1e-12 && m.v[3].extrudes);
    assert_true(fabs(m.v[4].to.e - 3.0) < 1e-12 && !m.v[4].extrudes);
    assert_true(m.v[4].feed == 2400);
    assert_true(m.v[5].to.x == 1 && m.v[5].to.y == 1);
    assert_true(m.v[6].from.x == 0 && m.v[6].to.y == 2 && m.v[6].to.x == 0);
    gcode_moves_fini(&m);
}

struct seen {
    int temps, macros, layer_max, types[SLICE_FEAT_COUNT];
    double s109;
};

static int seen_cb(void *user, const struct gcode_line *l)
{
    struct seen *s = user;
    if (l->letter == 'M' && l->code == 109) {
        s->temps++;
        s->s109 = l->param['S' - 'A'];
    }
    if (!l->letter && l->word_len) {
        s->macros++;
    }
    if (l->layer > s->layer_max) {
        s->layer_max = l->layer;
    }
    if (l->feature >= 0 && l->extrudes) {
        s->types[l->feature]++;
    }
    return 0;
}

static void test_comments_and_garbage(void **state)
{
    const char *g = "; header\n"
                    "N10 M109 S215*91\n"
                    "PRINT_START BED=60 EXTRUDER=215\n"
                    "\xff\xfe garbage \x01\n"
                    "G1 X--5 Y\n"             /* bad numbers: ignored */
                    "G1 X99999999999999999999999 Y3\n"
                    "  g1 x4 y4 ; lower case\n"
                    ";LAYER:0\n"
                    ";TYPE:WALL-OUTER\n"      /* Cura's name */
                    "G1 X5 Y4 E0.1\n"
                    ";LAYER_CHANGE\n"
                    ";TYPE:Internal infill\n"
                    "G1X6Y4E0.2\n"            /* no spaces */
                    ";LAYER:7\n"
                    ";TYPE:nonsense\n"
                    "G1 X7 Y4 E0.3\n"
                    "\r\n\n";
    struct seen s = {.layer_max = -1};
    struct dy_err err = {0};
    assert_int_equal(gcode_reader_parse(g, strlen(g), seen_cb, &s, &err), 0);
    assert_int_equal(s.temps, 1);
    assert_true(s.s109 == 215);
    assert_int_equal(s.macros, 2); /* PRINT_START and the garbage line */
    assert_int_equal(s.layer_max, 7);
    assert_int_equal(s.types[SLICE_FEAT_WALL_OUTER], 1);
    assert_int_equal(s.types[SLICE_FEAT_INFILL], 1);
    struct gcode_moves m;
    read_moves(g, &m);
    assert_int_equal(m.n, 6);
    assert_true(m.v[1].to.y == 3 && m.v[1].to.x == 0); /* X dropped */
    assert_true(m.v[2].to.x == 4);
    assert_int_equal(m.v[3].layer, 0);
    assert_int_equal(m.v[4].layer, 1); /* LAYER_CHANGE counts */
    assert_true(m.v[4].to.x == 6 && m.v[4].extrudes);
    assert_int_equal(m.v[5].feature, -1);
    gcode_moves_fini(&m);
}

static int stop_cb(void *user, const struct gcode_line *l)
{
    return l->lineno == 2 ? 42 : 0;
}

static void test_callback_stops(void **state)
{
    const char *g = "G1 X1\nG1 X2\nG1 X3\n";
    assert_int_equal(gcode_reader_parse(g, strlen(g), stop_cb, NULL, NULL), 42);
    /* Not NUL-terminated: stops at len. */
    struct gcode_moves m;
    memset(&m, 0, sizeof(m));
    assert_int_equal(gcode_moves_read(g, 11, &m, NULL), 0);
    assert_int_equal(m.n, 2);
    assert_true(m.v[1].to.x == 2);
    gcode_moves_fini(&m);
}

/* Replays every file of a corpus directory through `fn`. */
static int replay(const char *sub, void (*fn)(const char *, size_t))
{
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/%s", GCODE_CORPUS_DIR, sub);
    DIR *d = opendir(dir);
    if (!d) {
        return 0;
    }
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) {
            continue;
        }
        char *buf = malloc(1 << 20);
        size_t len = fread(buf, 1, 1 << 20, f);
        fclose(f);
        fn(buf, len);
        free(buf);
        n++;
    }
    closedir(d);
    return n;
}

static void replay_reader(const char *buf, size_t len)
{
    struct gcode_moves m = {0};
    struct dy_err err = {0};
    int rc = gcode_moves_read(buf, len, &m, &err);
    assert_true(rc == 0 || rc == DY_ELIMIT);
    for (size_t i = 0; i < m.n; i++) {
        assert_true(isfinite(m.v[i].to.x) && isfinite(m.v[i].to.e));
    }
    gcode_moves_fini(&m);
}

static void replay_profile(const char *buf, size_t len)
{
    struct gcode_printer p;
    struct gcode_material mt;
    struct dy_err err = {0};
    int rc = gcode_printer_parse("corpus.ini", buf, len, &p, &err);
    assert_true(rc == 0 || (rc < 0 && err.msg[0]));
    rc = gcode_material_parse("corpus.ini", buf, len, &mt, &err);
    assert_true(rc == 0 || (rc < 0 && err.msg[0]));
}

static void test_corpus_replay(void **state)
{
    assert_true(replay("gcode_reader", replay_reader) > 0);
    assert_true(replay("gcode_profile", replay_profile) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_comments_and_garbage),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_corpus_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
