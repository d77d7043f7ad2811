/* test_render_golden.c: renders a small scene (shapes, a character, a
 * speech bubble, a burned caption) at 320 x 180 and compares it with
 * tests/golden/render_basic.png: per-channel tolerance 8, at most 0.5 % of
 * the pixels may differ (font rasterisation changes slightly between
 * FreeType/Cairo versions). On a mismatch actual.png and diff.png are
 * written to the build directory. DARYN_UPDATE_GOLDEN=1 rewrites the golden
 * instead (then look at it before committing). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render_testutil.h"

#define GOLDEN DARYN_SOURCE_DIR "/tests/golden/render_basic.png"
#define TOL 8
#define MAX_FRACTION 0.005

static void add_circle(struct story_drawing *d, double cx, double cy, double r,
                       struct story_color fill, struct story_color line,
                       double line_w)
{
    struct story_shape *sh = story_drawing_add(d, STORY_SHAPE_FILL);
    assert_non_null(sh);
    sh->color = fill;
    sh->line = line;
    sh->line_w = line_w;
    sh->smooth = true;
    for (int i = 0; i < 8; i++) {
        double a = i * M_PI / 4;
        assert_int_equal(story_shape_add_point(sh, cx + r * cos(a), cy + r * sin(a), 0), 0);
    }
}

static struct story *golden_story(void)
{
    struct story *s = ts_story(4);
    struct story_scene *sc = &s->scenes[0];
    sc->background = (struct story_color){0.62f, 0.83f, 0.94f, 1};
    const struct story_color ink = {0.23f, 0.16f, 0.1f, 1};

    /* Scenery: a smooth hill with an outline, the sun, a tapering stroke. */
    struct story_actor *land = story_actor_add(sc, "land", STORY_ACTOR_DRAWING);
    struct story_shape *hill = story_drawing_add(&land->drawing, STORY_SHAPE_FILL);
    hill->color = (struct story_color){0.45f, 0.72f, 0.3f, 1};
    hill->line = ink;
    hill->line_w = 8;
    hill->smooth = true;
    const double hp[][2] = {{-100, 1180}, {-100, 760}, {500, 640}, {1100, 780},
                            {1600, 700}, {2020, 760}, {2020, 1180}};
    for (size_t i = 0; i < sizeof(hp) / sizeof(hp[0]); i++) {
        assert_int_equal(story_shape_add_point(hill, hp[i][0], hp[i][1], 0), 0);
    }
    add_circle(&land->drawing, 1650, 220, 110, (struct story_color){1, 0.82f, 0.2f, 1},
               (struct story_color){0.95f, 0.55f, 0.1f, 1}, 12);
    struct story_shape *bird = story_drawing_add(&land->drawing, STORY_SHAPE_STROKE);
    bird->color = ink;
    bird->smooth = true;
    const double bp[][3] = {{300, 260, 6}, {380, 200, 22}, {460, 250, 10},
                            {540, 200, 22}, {620, 260, 6}};
    for (size_t i = 0; i < sizeof(bp) / sizeof(bp[0]); i++) {
        assert_int_equal(story_shape_add_point(bird, bp[i][0], bp[i][1], bp[i][2]), 0);
    }

    /* A character: body, head, an arm raised by 40 degrees. */
    struct story_actor *kid = story_actor_add(sc, "kid", STORY_ACTOR_CHARACTER);
    ts_key(kid, STORY_PROP_X, 0, 700, KEY_EASE_LINEAR);
    ts_key(kid, STORY_PROP_Y, 0, 700, KEY_EASE_LINEAR);
    ts_key(kid, STORY_PROP_Z, 0, 1, KEY_EASE_LINEAR);
    struct story_part *p = story_part_add(kid, "body", -1);
    struct story_shape *sh = ts_rect(&p->visual.drawing, -90, -260, 180, 260,
                                     (struct story_color){0.8f, 0.2f, 0.25f, 1});
    sh->line = ink;
    sh->line_w = 8;
    p = story_part_add(kid, "head", 0);
    p->pivot_y = -260;
    p->z = 1;
    add_circle(&p->visual.drawing, 0, -90, 90, (struct story_color){0.98f, 0.8f, 0.64f, 1},
               ink, 8);
    p = story_part_add(kid, "arm", 0);
    p->pivot_x = 80;
    p->pivot_y = -230;
    p->z = -1;
    sh = ts_rect(&p->visual.drawing, -20, 0, 40, 200, (struct story_color){0.8f, 0.2f, 0.25f, 1});
    sh->line = ink;
    sh->line_w = 8;
    assert_int_equal(key_track_set(&kid->part_rot[2], 0, 0, KEY_EASE_LINEAR), 0);
    assert_int_equal(key_track_set(&kid->part_rot[2], 2, -80, KEY_EASE_LINEAR), 0);

    /* A speech bubble pointing at the head. */
    struct story_actor *say = story_actor_add(sc, "say", STORY_ACTOR_TEXT);
    assert_int_equal(story_text_set(&say->text, STORY_LANG_KK, "Сәлем, достар!"), 0);
    say->font_size = 90;
    say->bubble = STORY_BUBBLE_SPEECH;
    say->tail_x = -300;
    say->tail_y = 220;
    ts_key(say, STORY_PROP_X, 0, 1150, KEY_EASE_LINEAR);
    ts_key(say, STORY_PROP_Y, 0, 300, KEY_EASE_LINEAR);
    ts_key(say, STORY_PROP_Z, 0, 2, KEY_EASE_LINEAR);

    struct story_caption *c = story_caption_add(sc, 0, 4);
    assert_int_equal(story_text_set(&c->text, STORY_LANG_KK, "Бала құстарға қол бұлғады."), 0);
    return s;
}

static void write_or_fail(const struct render_image *img, const char *path)
{
    struct dy_err err = {0};
    if (render_image_write_png(img, path, &err) != 0) {
        fail_msg("%s: %s", err.where, err.msg);
    }
}

static void test_golden_basic(void **state)
{
    struct story *s = golden_story();
    struct render_ctx *rc = NULL;
    struct dy_err err = {0};
    assert_int_equal(render_create(s, &rc, &err), 0);
    struct render_opts opts = {STORY_LANG_KK, 1};
    struct render_image img;
    ts_render(rc, 1.0, 320, 180, &opts, &img);

    const char *upd = getenv("DARYN_UPDATE_GOLDEN");
    if (upd && strcmp(upd, "1") == 0) {
        write_or_fail(&img, GOLDEN);
        print_message("updated %s\n", GOLDEN);
        goto done;
    }
    struct render_image gold;
    if (render_image_read_png(GOLDEN, &gold, &err) != 0) {
        fail_msg("%s: %s (run with DARYN_UPDATE_GOLDEN=1 to create it)", err.where, err.msg);
    }
    assert_int_equal(gold.width, img.width);
    assert_int_equal(gold.height, img.height);
    struct render_image diff;
    assert_int_equal(render_image_init(&diff, img.width, img.height), 0);
    long bad = 0;
    int worst = 0;
    for (int y = 0; y < img.height; y++) {
        for (int x = 0; x < img.width; x++) {
            struct rgb a = px_get(&img, x, y), b = px_get(&gold, x, y);
            int d = abs(a.r - b.r);
            d = abs(a.g - b.g) > d ? abs(a.g - b.g) : d;
            d = abs(a.b - b.b) > d ? abs(a.b - b.b) : d;
            worst = d > worst ? d : worst;
            bad += d > TOL;
            /* Diff image: differing pixels red, scaled by the error, over
             * a faded copy of the actual frame. */
            int grey = (a.r + a.g + a.b) / 12 + 160;
            uint32_t px = d > TOL ? 0xff000000u | (uint32_t)(128 + d / 2) << 16
                                  : 0xff000000u | (uint32_t)grey * 0x010101u;
            ((uint32_t *)(diff.data + (size_t)y * diff.stride))[x] = px;
        }
    }
    double frac = (double)bad / ((double)img.width * img.height);
    if (frac > MAX_FRACTION) {
        write_or_fail(&img, RENDER_TEST_OUT "/actual.png");
        write_or_fail(&diff, RENDER_TEST_OUT "/diff.png");
        fail_msg("%.3f %% of pixels differ by more than %d (worst %d); wrote "
                 RENDER_TEST_OUT "/actual.png and diff.png",
                 frac * 100, TOL, worst);
    }
    render_image_fini(&diff);
    render_image_fini(&gold);
done:
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_basic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
