/* test_render.c: the renderer's pixels: positions, part rotation, opacity,
 * z-order, visibility, camera, resolution independence, strokes, media,
 * text, bubbles, captions, errors and PNG I/O. Stories are built in code. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render_testutil.h"

/* 1920 x 1080 canvas into 480 x 270: 0.25 px per unit. */
#define W 480
#define H 270
#define S 0.25

static struct render_ctx *ctx_new(const struct story *s)
{
    struct render_ctx *rc = NULL;
    struct dy_err err = {0};
    assert_int_equal(render_create(s, &rc, &err), 0);
    return rc;
}

static void test_actor_moves_along_keys(void **state)
{
    struct story *s = ts_story(2);
    struct story_actor *a = ts_box_actor(&s->scenes[0], "box", 0, 540, 40, 40, TS_RED);
    ts_key(a, STORY_PROP_X, 0, 100, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_X, 2, 1800, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    const double expect[3] = {100, 950, 1800};
    for (int i = 0; i < 3; i++) {
        struct render_image img;
        ts_render(rc, i * 1.0, W, H, NULL, &img);
        struct blob b = blob_find(&img, ts_rgb(TS_RED), 40);
        assert_true(b.n > 80); /* 10 x 10 px */
        assert_float_equal(b.cx, expect[i] * S, 0.3);
        assert_float_equal(b.cy, 540 * S, 0.3);
        render_image_fini(&img);
    }
    render_destroy(rc);
    story_destroy(s);
}

/* body (root) -> arm (pivot at the body's origin, 200 long) -> hand at the
 * arm's end. Rotating the arm by 90 degrees (clockwise, y down) swings the
 * hand from the right of the body to below it. */
static struct story_actor *add_arm_character(struct story_scene *sc)
{
    struct story_actor *a = story_actor_add(sc, "kid", STORY_ACTOR_CHARACTER);
    assert_non_null(a);
    ts_key(a, STORY_PROP_X, 0, 960, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_Y, 0, 540, KEY_EASE_LINEAR);
    struct story_part *p = story_part_add(a, "body", -1);
    ts_rect(&p->visual.drawing, -30, -30, 60, 60, TS_GREEN);
    p = story_part_add(a, "arm", 0);
    p->z = 1;
    ts_rect(&p->visual.drawing, 0, -10, 200, 20, TS_BLUE);
    p = story_part_add(a, "hand", 1);
    p->pivot_x = 200;
    p->z = 2;
    ts_rect(&p->visual.drawing, -20, -20, 40, 40, TS_RED);
    return a;
}

static void test_part_rotates_around_pivot(void **state)
{
    struct story *s = ts_story(2);
    struct story_actor *a = add_arm_character(&s->scenes[0]);
    assert_int_equal(key_track_set(&a->part_rot[1], 0, 0, KEY_EASE_LINEAR), 0);
    assert_int_equal(key_track_set(&a->part_rot[1], 1, 90, KEY_EASE_LINEAR), 0);
    struct render_ctx *rc = ctx_new(s);
    const double ex[3] = {1160, 960 + 200 * M_SQRT1_2, 960};
    const double ey[3] = {540, 540 + 200 * M_SQRT1_2, 740};
    for (int i = 0; i < 3; i++) {
        struct render_image img;
        ts_render(rc, i * 0.5, W, H, NULL, &img);
        struct blob b = blob_find(&img, ts_rgb(TS_RED), 40);
        assert_true(b.n > 50);
        assert_float_equal(b.cx, ex[i] * S, 0.4);
        assert_float_equal(b.cy, ey[i] * S, 0.4);
        render_image_fini(&img);
    }
    /* rest_rotation adds to the track: 90 + 0 at t=0 is "down" too. */
    key_track_fini(&a->part_rot[1]);
    s->scenes[0].actors[0].parts[1].rest_rotation = 90;
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct blob b = blob_find(&img, ts_rgb(TS_RED), 40);
    assert_float_equal(b.cx, 960 * S, 0.4);
    assert_float_equal(b.cy, 740 * S, 0.4);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_actor_rotation_and_scale(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = add_arm_character(&s->scenes[0]);
    /* Rotating the actor by -90 puts the hand above; scale 0.5 halves the
     * arm. */
    ts_key(a, STORY_PROP_ROTATION, 0, -90, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_SCALE_X, 0, 0.5, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_SCALE_Y, 0, 0.5, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct blob b = blob_find(&img, ts_rgb(TS_RED), 40);
    assert_float_equal(b.cx, 960 * S, 0.4);
    assert_float_equal(b.cy, (540 - 100) * S, 0.4);
    assert_true(b.x1 - b.x0 + 1 <= 20 * S + 2); /* 40 units * 0.5 */
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

/* Parts by z, ties in list order; bad or cyclic parents (refused by
 * story_validate) neither loop nor crash: such a part is drawn as a root. */
static void test_part_order_and_bad_parents(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = story_actor_add(&s->scenes[0], "kid", STORY_ACTOR_CHARACTER);
    ts_key(a, STORY_PROP_X, 0, 960, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_Y, 0, 540, KEY_EASE_LINEAR);
    struct story_part *p = story_part_add(a, "top", -1);
    p->z = 5;
    ts_rect(&p->visual.drawing, -100, -100, 200, 200, TS_RED);
    p = story_part_add(a, "under", -1);
    p->z = 0;
    ts_rect(&p->visual.drawing, -50, -50, 300, 100, TS_BLUE);
    p = story_part_add(a, "tie", -1);
    p->z = 5; /* same z as "top", later in the list: drawn above it */
    ts_rect(&p->visual.drawing, -20, -20, 40, 40, TS_GREEN);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct rgb c = px_get(&img, 240, 135), r = px_get(&img, (int)((960 + 60) * S), 135);
    struct rgb g = ts_rgb(TS_GREEN), red = ts_rgb(TS_RED);
    assert_true(abs(c.g - g.g) <= 2 && abs(c.r - g.r) <= 2);
    assert_true(abs(r.r - red.r) <= 2 && abs(r.b - red.b) <= 2);
    render_image_fini(&img);

    /* A cycle 0 -> 1 -> 0 and a parent index out of range. */
    a = &s->scenes[0].actors[0];
    a->parts[0].parent = 1;
    a->parts[1].parent = 0;
    a->parts[1].pivot_x = 100;
    a->parts[2].parent = 99;
    ts_render(rc, 0, W, H, NULL, &img);
    assert_true(blob_find(&img, ts_rgb(TS_RED), 40).n > 1000);
    assert_true(blob_find(&img, ts_rgb(TS_GREEN), 40).n > 50);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_opacity_blends_whole_actor(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = ts_box_actor(&s->scenes[0], "box", 960, 540, 400, 400, TS_RED);
    /* A second rectangle overlapping the first: with group opacity the
     * overlap is no darker than the rest. */
    ts_rect(&a->drawing, 0, 0, 400, 400, TS_RED);
    ts_key(a, STORY_PROP_OPACITY, 0, 0.5, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct rgb red = ts_rgb(TS_RED);
    struct rgb single = px_get(&img, (int)((960 - 100) * S), (int)((540 - 100) * S));
    struct rgb overlap = px_get(&img, (int)((960 + 100) * S), (int)((540 + 100) * S));
    assert_int_equal(single.r, overlap.r);
    assert_int_equal(single.g, overlap.g);
    assert_true(abs(single.r - (red.r + 255) / 2) <= 2);
    assert_true(abs(single.g - (red.g + 255) / 2) <= 2);
    assert_true(abs(single.b - (red.b + 255) / 2) <= 2);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_z_order(void **state)
{
    struct story *s = ts_story(2);
    struct story_scene *sc = &s->scenes[0];
    struct story_actor *red = ts_box_actor(sc, "red", 900, 540, 200, 200, TS_RED);
    ts_key(red, STORY_PROP_Z, 0, 1, KEY_EASE_STEP);
    ts_key(red, STORY_PROP_Z, 1, -1, KEY_EASE_STEP);
    ts_box_actor(sc, "blue", 1020, 540, 200, 200, TS_BLUE);
    struct render_ctx *rc = ctx_new(s);
    struct rgb cr = ts_rgb(TS_RED), cb = ts_rgb(TS_BLUE);
    struct render_image img;
    /* t=0.5: red z=1 above blue z=0 although listed first. */
    ts_render(rc, 0.5, W, H, NULL, &img);
    struct rgb p = px_get(&img, (int)(960 * S), (int)(540 * S));
    assert_true(abs(p.r - cr.r) <= 2 && abs(p.b - cr.b) <= 2);
    render_image_fini(&img);
    /* t=1.5: red z=-1 goes below. */
    ts_render(rc, 1.5, W, H, NULL, &img);
    p = px_get(&img, (int)(960 * S), (int)(540 * S));
    assert_true(abs(p.r - cb.r) <= 2 && abs(p.b - cb.b) <= 2);
    render_image_fini(&img);
    /* Equal z: list order, the later actor on top. */
    key_track_fini(&sc->actors[0].props[STORY_PROP_Z]);
    ts_render(rc, 1.5, W, H, NULL, &img);
    p = px_get(&img, (int)(960 * S), (int)(540 * S));
    assert_true(abs(p.r - cb.r) <= 2 && abs(p.b - cb.b) <= 2);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_visibility_step(void **state)
{
    struct story *s = ts_story(2);
    struct story_actor *a = ts_box_actor(&s->scenes[0], "box", 960, 540, 200, 200, TS_RED);
    ts_key(a, STORY_PROP_VISIBLE, 0, 1, KEY_EASE_STEP);
    ts_key(a, STORY_PROP_VISIBLE, 1, 0, KEY_EASE_STEP);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0.99, W, H, NULL, &img);
    assert_true(blob_find(&img, ts_rgb(TS_RED), 40).n > 2000);
    render_image_fini(&img);
    ts_render(rc, 1.0, W, H, NULL, &img);
    assert_int_equal(blob_find(&img, ts_rgb(TS_RED), 100).n, 0);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_camera_zoom_and_pan(void **state)
{
    struct story *s = ts_story(2);
    struct story_scene *sc = &s->scenes[0];
    /* At (962, 542) the edges fall on pixel boundaries at zoom 1 and 2. */
    ts_box_actor(sc, "box", 962, 542, 100, 100, TS_RED);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct blob b1 = blob_find(&img, ts_rgb(TS_RED), 60);
    render_image_fini(&img);

    assert_int_equal(key_track_set(&sc->camera[STORY_CAM_ZOOM], 0, 2, KEY_EASE_LINEAR), 0);
    ts_render(rc, 0, W, H, NULL, &img);
    struct blob b2 = blob_find(&img, ts_rgb(TS_RED), 60);
    render_image_fini(&img);
    assert_int_equal(b1.x1 - b1.x0 + 1, 25);
    assert_int_equal(b2.x1 - b2.x0 + 1, 50);
    assert_float_equal((double)b2.n / b1.n, 4.0, 0.1);
    assert_float_equal(b1.cx, 962 * S, 0.01);
    assert_float_equal(b2.cx, (960 + 2 * 2) * S, 0.01);

    /* Looking 200 units right of the centre at zoom 1 moves the box left. */
    key_track_fini(&sc->camera[STORY_CAM_ZOOM]);
    assert_int_equal(key_track_set(&sc->camera[STORY_CAM_X], 0, 1160, KEY_EASE_LINEAR), 0);
    ts_render(rc, 0, W, H, NULL, &img);
    struct blob b3 = blob_find(&img, ts_rgb(TS_RED), 60);
    assert_float_equal(b3.cx, 762 * S, 0.01);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

/* Averages 2x2 blocks of `big` into a (w/2 x h/2) comparison with `small`;
 * returns the mean absolute difference per channel. */
static double downsample_diff(const struct render_image *big,
                              const struct render_image *small)
{
    double sum = 0;
    for (int y = 0; y < small->height; y++) {
        for (int x = 0; x < small->width; x++) {
            struct rgb q[4] = {px_get(big, 2 * x, 2 * y), px_get(big, 2 * x + 1, 2 * y),
                               px_get(big, 2 * x, 2 * y + 1),
                               px_get(big, 2 * x + 1, 2 * y + 1)};
            struct rgb p = px_get(small, x, y);
            sum += fabs((q[0].r + q[1].r + q[2].r + q[3].r) / 4.0 - p.r) +
                   fabs((q[0].g + q[1].g + q[2].g + q[3].g) / 4.0 - p.g) +
                   fabs((q[0].b + q[1].b + q[2].b + q[3].b) / 4.0 - p.b);
        }
    }
    return sum / (3.0 * small->width * small->height);
}

static void test_resolution_independent(void **state)
{
    struct story *s = ts_story(1);
    struct story_scene *sc = &s->scenes[0];
    struct story_actor *a = add_arm_character(sc);
    ts_key(a, STORY_PROP_ROTATION, 0, 30, KEY_EASE_LINEAR);
    struct story_actor *t = story_actor_add(sc, "hello", STORY_ACTOR_TEXT);
    assert_int_equal(story_text_set(&t->text, STORY_LANG_EN, "Hello, steppe!"), 0);
    t->font_size = 80;
    ts_key(t, STORY_PROP_X, 0, 600, KEY_EASE_LINEAR);
    ts_key(t, STORY_PROP_Y, 0, 300, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    struct render_opts opts = {STORY_LANG_EN, 0};
    struct render_image small, big;
    ts_render(rc, 0, W, H, &opts, &small);
    ts_render(rc, 0, 2 * W, 2 * H, &opts, &big);
    struct blob bs = blob_find(&small, ts_rgb(TS_RED), 40);
    struct blob bb = blob_find(&big, ts_rgb(TS_RED), 40);
    assert_float_equal(bb.cx, 2 * bs.cx, 0.5);
    assert_float_equal(bb.cy, 2 * bs.cy, 0.5);
    assert_float_equal((double)bb.n / bs.n, 4.0, 0.3);
    double d = downsample_diff(&big, &small);
    assert_true(d < 1.5);
    render_image_fini(&small);
    render_image_fini(&big);
    render_destroy(rc);
    story_destroy(s);
}

static void test_letterbox_opaque_overwrite(void **state)
{
    struct story *s = ts_story(1);
    struct story_scene *sc = &s->scenes[0];
    sc->background = (struct story_color){0.2f, 0.6f, 0.9f, 0.5f};
    /* Sticks out of the canvas' top-left corner: must be clipped. */
    ts_box_actor(sc, "corner", 0, 0, 400, 400, TS_RED);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    /* 480 x 480: the canvas is 480 x 270, centred, 105 px bars. */
    assert_int_equal(render_image_init(&img, 480, 480), 0);
    memset(img.data, 0x5a, (size_t)img.stride * img.height);
    struct dy_err err = {0};
    assert_int_equal(render_scene_at(rc, 0, 0, NULL, &img, &err), 0);
    for (int y = 0; y < 480; y++) {
        for (int x = 0; x < 480; x++) {
            assert_int_equal(px_alpha(&img, x, y), 255);
        }
    }
    /* Background 50 % over white. */
    struct rgb bar = px_get(&img, 10, 50);
    assert_true(abs(bar.r - 153) <= 1 && abs(bar.g - 204) <= 1 && abs(bar.b - 242) <= 1);
    struct rgb in = px_get(&img, 10, 105 + 10);
    assert_true(abs(in.r - 230) <= 2 && in.g < 30);
    struct blob b = blob_find(&img, ts_rgb(TS_RED), 40);
    assert_int_equal(b.y0, 105);
    assert_int_equal(b.x0, 0);
    assert_int_equal(b.x1, 49);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

/* Sum of the stroke's coverage down column x: its thickness in pixels. */
static double column_thickness(const struct render_image *img, int x,
                               struct rgb c)
{
    double sum = 0;
    for (int y = 0; y < img->height; y++) {
        struct rgb p = px_get(img, x, y);
        sum += (255.0 - p.r) / (255.0 - c.r);
    }
    return sum;
}

static void test_stroke_variable_width(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = story_actor_add(&s->scenes[0], "line", STORY_ACTOR_DRAWING);
    struct story_shape *sh = story_drawing_add(&a->drawing, STORY_SHAPE_STROKE);
    sh->color = TS_BLUE;
    assert_int_equal(story_shape_add_point(sh, 400, 540, 20), 0);
    assert_int_equal(story_shape_add_point(sh, 1400, 540, 120), 0);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct rgb c = ts_rgb(TS_BLUE);
    /* Width grows linearly: 30 units at x=500, 110 at x=1300. */
    assert_float_equal(column_thickness(&img, 125, c), 30 * S, 0.5);
    assert_float_equal(column_thickness(&img, 325, c), 110 * S, 0.5);
    /* Round caps reach w/2 beyond the end points. */
    struct blob b = blob_find(&img, c, 60);
    assert_float_equal(b.x0, (400 - 10) * S, 1.0);
    assert_float_equal(b.x1, (1400 + 60) * S, 1.0);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_stroke_translucent_smooth_no_double_cover(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = story_actor_add(&s->scenes[0], "zig", STORY_ACTOR_DRAWING);
    struct story_shape *sh = story_drawing_add(&a->drawing, STORY_SHAPE_STROKE);
    sh->color = (struct story_color){0, 0, 0, 0.5f};
    sh->smooth = true;
    /* A tight zigzag with growing width: segments overlap at each turn. */
    for (int i = 0; i < 12; i++) {
        assert_int_equal(story_shape_add_point(sh, 300 + i * 100, i % 2 ? 400 : 700,
                                               40 + i * 10), 0);
    }
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    long covered = 0;
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            struct rgb p = px_get(&img, x, y);
            /* One layer of 50 % black over white is 127/128; two would be
             * 64. */
            assert_true(p.r >= 126);
            covered += p.r <= 129;
        }
    }
    assert_true(covered > 3000);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_fill_outline_and_smooth(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = story_actor_add(&s->scenes[0], "blob", STORY_ACTOR_DRAWING);
    ts_key(a, STORY_PROP_X, 0, 960, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_Y, 0, 540, KEY_EASE_LINEAR);
    struct story_shape *sh = ts_rect(&a->drawing, -200, -200, 400, 400, TS_GREEN);
    sh->line = TS_BLUE;
    sh->line_w = 24;
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct rgb centre = px_get(&img, 240, 135);
    struct rgb edge = px_get(&img, (int)((960 + 200) * S), 135);
    struct rgb g = ts_rgb(TS_GREEN), b = ts_rgb(TS_BLUE);
    assert_true(abs(centre.g - g.g) <= 2 && abs(centre.r - g.r) <= 2);
    assert_true(abs(edge.b - b.b) <= 2 && abs(edge.g - b.g) <= 2);
    render_image_fini(&img);
    /* Smooth: a Catmull-Rom curve through the square's corners bulges out
     * past the straight edges' midpoints. */
    sh->smooth = true;
    sh->line.a = 0;
    ts_render(rc, 0, W, H, NULL, &img);
    struct blob bl = blob_find(&img, g, 40);
    assert_true(bl.x1 > (960 + 200) * S + 3);
    assert_true(bl.y0 < (540 - 200) * S - 3);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_frame_by_frame(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = story_actor_add(&s->scenes[0], "flip", STORY_ACTOR_DRAWING);
    struct story_frame *f = story_frame_add(a, 0);
    ts_rect(&f->drawing, 100, 100, 200, 200, TS_RED);
    f = story_frame_add(a, 0.5);
    ts_rect(&f->drawing, 1000, 600, 200, 200, TS_BLUE);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0.25, W, H, NULL, &img);
    assert_true(blob_find(&img, ts_rgb(TS_RED), 40).n > 2000);
    assert_int_equal(blob_find(&img, ts_rgb(TS_BLUE), 40).n, 0);
    render_image_fini(&img);
    ts_render(rc, 0.75, W, H, NULL, &img);
    assert_int_equal(blob_find(&img, ts_rgb(TS_RED), 40).n, 0);
    struct blob b = blob_find(&img, ts_rgb(TS_BLUE), 40);
    assert_float_equal(b.cx, 1100 * S, 0.3);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void *file_read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* A w x h PNG, left half red, right half blue, as file bytes. */
static void *make_png(int w, int h, size_t *size)
{
    struct render_image img;
    assert_int_equal(render_image_init(&img, w, h), 0);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(img.data + (size_t)y * img.stride);
        for (int x = 0; x < w; x++) {
            row[x] = x < w / 2 ? 0xffe61a1au : 0xff1a33e6u;
        }
    }
    char path[512];
    snprintf(path, sizeof(path), "%s/halves.png", RENDER_TEST_OUT);
    struct dy_err err = {0};
    assert_int_equal(render_image_write_png(&img, path, &err), 0);
    render_image_fini(&img);
    return file_read_all(path, size);
}

static void check_halves(const struct render_image *img, double cx, double cy)
{
    struct rgb l = px_get(img, (int)((cx - 100) * S), (int)(cy * S));
    struct rgb r = px_get(img, (int)((cx + 100) * S), (int)(cy * S));
    assert_true(abs(l.r - 0xe6) <= 3 && abs(l.b - 0x1a) <= 3);
    assert_true(abs(r.r - 0x1a) <= 3 && abs(r.b - 0xe6) <= 3);
    /* The red/blue boundary is at cx. */
    struct blob b = blob_find(img, (struct rgb){0xe6, 0x1a, 0x1a}, 60);
    assert_float_equal(b.x1 + 1, cx * S, 1.0);
}

static void test_image_media(void **state)
{
    struct story *s = ts_story(1);
    size_t n1, n2;
    void *small = make_png(64, 32, &n1);
    void *large = make_png(3000, 1500, &n2); /* drawn ~10x smaller: mipmaps */
    assert_non_null(story_media_add(s, "small", "media/small.png", STORY_MEDIA_IMAGE, small, n1));
    assert_non_null(story_media_add(s, "large", "media/large.png", STORY_MEDIA_IMAGE, large, n2));
    free(small);
    free(large);
    struct story_scene *sc = &s->scenes[0];
    const char *ids[2] = {"small", "large"};
    const double xs[2] = {500, 1400};
    for (int i = 0; i < 2; i++) {
        struct story_actor *a = story_actor_add(sc, ids[i], STORY_ACTOR_IMAGE);
        a->image.media_id = strdup(ids[i]);
        a->image.x = -200;
        a->image.y = -100;
        a->image.w = 400;
        a->image.h = 200;
        ts_key(a, STORY_PROP_X, 0, xs[i], KEY_EASE_LINEAR);
        ts_key(a, STORY_PROP_Y, 0, 540, KEY_EASE_LINEAR);
    }
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    struct render_image left = img, right = img;
    /* Check each half of the frame separately. */
    left.width = W / 2 + 40;
    check_halves(&left, xs[0], 540);
    right.data = img.data + (size_t)(W / 2 + 40) * 4;
    right.width = W - (W / 2 + 40);
    check_halves(&right, xs[1] - (W / 2 + 40) / S, 540);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static const char svg_halves[] =
    "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='50' "
    "viewBox='0 0 100 50'>"
    "<rect x='0' y='0' width='50' height='50' fill='#e61a1a'/>"
    "<rect x='50' y='0' width='50' height='50' fill='#1a33e6'/></svg>";

static void test_svg_media_part_and_background(void **state)
{
    struct story *s = ts_story(1);
    assert_non_null(story_media_add(s, "halves", "media/halves.svg", STORY_MEDIA_SVG,
                                    svg_halves, sizeof(svg_halves) - 1));
    static const char bg[] =
        "<svg xmlns='http://www.w3.org/2000/svg' width='16' height='9'>"
        "<rect width='16' height='9' fill='#20a040'/></svg>";
    assert_non_null(story_media_add(s, "bg", "media/bg.svg", STORY_MEDIA_SVG, bg,
                                    sizeof(bg) - 1));
    struct story_scene *sc = &s->scenes[0];
    sc->background_media = strdup("bg");
    struct story_actor *a = story_actor_add(sc, "kid", STORY_ACTOR_CHARACTER);
    ts_key(a, STORY_PROP_X, 0, 960, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_Y, 0, 540, KEY_EASE_LINEAR);
    struct story_part *p = story_part_add(a, "body", -1);
    p->visual.media_id = strdup("halves");
    p->visual.x = -200;
    p->visual.y = -100;
    p->visual.w = 400;
    p->visual.h = 200;
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, W, H, NULL, &img);
    check_halves(&img, 960, 540);
    struct rgb corner = px_get(&img, 5, 5);
    assert_true(abs(corner.r - 0x20) <= 2 && abs(corner.g - 0xa0) <= 2);
    /* A zero-width placement draws nothing and is not an error. */
    s->scenes[0].actors[0].parts[0].visual.w = 0;
    struct dy_err err = {0};
    assert_int_equal(render_scene_at(rc, 0, 0, NULL, &img, &err), 0);
    assert_int_equal(blob_find(&img, (struct rgb){0xe6, 0x1a, 0x1a}, 30).n, 0);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_errors(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *a = story_actor_add(&s->scenes[0], "pic", STORY_ACTOR_IMAGE);
    a->image.media_id = strdup("nope");
    a->image.w = a->image.h = 100;
    assert_non_null(story_media_add(s, "bad", "media/bad.png", STORY_MEDIA_IMAGE,
                                    "not a png", 9));
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    assert_int_equal(render_image_init(&img, W, H), 0);
    struct dy_err err = {0};
    assert_int_equal(render_scene_at(rc, 1, 0, NULL, &img, &err), DY_EINVAL);
    assert_int_equal(render_scene_at(rc, 0, NAN, NULL, &img, &err), DY_EINVAL);
    assert_int_equal(render_scene_at(rc, 0, 0, NULL, &img, &err), DY_ENOTFOUND);
    assert_string_equal(err.where, "nope");
    free(a->image.media_id);
    a->image.media_id = strdup("bad");
    assert_true(render_scene_at(rc, 0, 0, NULL, &img, &err) < 0);
    assert_true(strstr(err.where, "bad") != NULL);
    /* The renderer stays usable. */
    a->image.media_id[0] = '\0';
    a->kind = STORY_ACTOR_DRAWING;
    assert_int_equal(render_scene_at(rc, 0, 0, NULL, &img, &err), 0);
    struct render_image empty = {0};
    assert_int_equal(render_scene_at(rc, 0, 0, NULL, &empty, &err), DY_EINVAL);
    assert_int_equal(render_image_init(&empty, 0, 10), DY_EINVAL);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_kazakh_text_has_all_glyphs(void **state)
{
    struct story *s = ts_story(1);
    struct story_actor *t = story_actor_add(&s->scenes[0], "say", STORY_ACTOR_TEXT);
    const char *kk = "Әже, қарағым! Ғажап өлең: ұшқыр үйрек, һәм іні. "
                     "ӘҒҚҢӨҰҮҺІ әғқңөұүһі";
    assert_int_equal(story_text_set(&t->text, STORY_LANG_KK, kk), 0);
    assert_int_equal(story_text_set(&t->text, STORY_LANG_EN, "Hi"), 0);
    t->font_size = 60;
    t->box_w = 1400;
    ts_key(t, STORY_PROP_X, 0, 960, KEY_EASE_LINEAR);
    ts_key(t, STORY_PROP_Y, 0, 540, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    assert_int_equal(render_text_missing_glyphs(rc, kk), 0);
    /* The check can fail: an unassigned code point has no glyph. */
    assert_true(render_text_missing_glyphs(rc, "a\xcd\xb8" "b") > 0);

    struct render_opts kk_opts = {STORY_LANG_KK, 0}, en_opts = {STORY_LANG_EN, 0};
    struct render_image img;
    ts_render(rc, 0, W, H, &kk_opts, &img);
    struct blob dark_kk = blob_find(&img, (struct rgb){25, 25, 25}, 90);
    render_image_fini(&img);
    ts_render(rc, 0, W, H, &en_opts, &img);
    struct blob dark_en = blob_find(&img, (struct rgb){25, 25, 25}, 90);
    render_image_fini(&img);
    /* Kazakh text wraps to two lines across most of the box; "Hi" is a
     * small word, both centred on the actor. */
    assert_true(dark_kk.x1 - dark_kk.x0 > 1200 * S);
    assert_true(dark_kk.y1 - dark_kk.y0 > 100 * S);
    assert_true(dark_en.x1 - dark_en.x0 < 120 * S);
    assert_float_equal((dark_en.x0 + dark_en.x1) / 2.0, 960 * S, 2);
    assert_float_equal((dark_kk.y0 + dark_kk.y1) / 2.0, 540 * S, 3);
    render_destroy(rc);
    story_destroy(s);
}

/* Runs of bubble-coloured pixels down column x from y0 to y1. */
static int colour_runs(const struct render_image *img, int x, int y0, int y1,
                       struct rgb c)
{
    int runs = 0;
    bool in = false;
    for (int y = y0; y < y1; y++) {
        struct rgb p = px_get(img, x, y);
        bool m = abs(p.r - c.r) <= 30 && abs(p.g - c.g) <= 30 && abs(p.b - c.b) <= 30;
        runs += m && !in;
        in = m;
    }
    return runs;
}

static void test_bubbles(void **state)
{
    struct story *s = ts_story(1);
    struct story_scene *sc = &s->scenes[0];
    sc->background = (struct story_color){0.6f, 0.8f, 1, 1};
    const struct story_color yellow = {1, 0.9f, 0.2f, 1};
    struct story_actor *sp = story_actor_add(sc, "speech", STORY_ACTOR_TEXT);
    assert_int_equal(story_text_set(&sp->text, STORY_LANG_KK, "Сәлем!"), 0);
    sp->font_size = 60;
    sp->bubble = STORY_BUBBLE_SPEECH;
    sp->bubble_color = yellow;
    sp->tail_x = 0;
    sp->tail_y = 400;
    ts_key(sp, STORY_PROP_X, 0, 500, KEY_EASE_LINEAR);
    ts_key(sp, STORY_PROP_Y, 0, 300, KEY_EASE_LINEAR);
    struct story_actor *th = story_actor_add(sc, "thought", STORY_ACTOR_TEXT);
    assert_int_equal(story_text_set(&th->text, STORY_LANG_KK, "Хм"), 0);
    th->font_size = 60;
    th->bubble = STORY_BUBBLE_THOUGHT;
    th->bubble_color = yellow;
    th->tail_x = 0;
    th->tail_y = 450;
    ts_key(th, STORY_PROP_X, 0, 1400, KEY_EASE_LINEAR);
    ts_key(th, STORY_PROP_Y, 0, 300, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    /* 0.5 px per unit. */
    ts_render(rc, 0, 960, 540, NULL, &img);
    struct rgb y = ts_rgb(yellow);
    /* Speech: the tail is filled down to near its tip, and narrow. */
    struct rgb p = px_get(&img, 250, (300 + 200) / 2);
    assert_true(abs(p.r - y.r) <= 3 && abs(p.g - y.g) <= 3 && abs(p.b - y.b) <= 3);
    struct rgb side = px_get(&img, 250 + 30, (300 + 200) / 2);
    assert_true(abs(side.b - 255) <= 3);
    /* Box, then one continuous tail: a single run below the text. */
    assert_int_equal(colour_runs(&img, 250, (300 + 40) / 2, (300 + 380) / 2, y), 1);
    /* Thought: the cloud's bottom, then three separate circles. */
    assert_int_equal(colour_runs(&img, 700, (300 + 40) / 2, (300 + 460) / 2, y), 4);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

static void test_burned_caption(void **state)
{
    struct story *s = ts_story(4);
    struct story_scene *sc = &s->scenes[0];
    sc->background = (struct story_color){0.2f, 0.5f, 0.3f, 1};
    struct story_caption *c = story_caption_add(sc, 0, 2);
    assert_int_equal(story_text_set(&c->text, STORY_LANG_KK,
                                    "Түлкі мен қасқыр орманда кездесті"), 0);
    assert_int_equal(story_text_set(&c->text, STORY_LANG_EN, "Fox"), 0);
    struct render_ctx *rc = ctx_new(s);
    struct render_opts on_kk = {STORY_LANG_KK, 1}, on_en = {STORY_LANG_EN, 1},
                       off = {STORY_LANG_KK, 0};
    struct rgb white = {255, 255, 255};
    /* 960 x 540: 0.5 px per unit. */
    const int w = 960, h = 540;
    struct render_image img;
    ts_render(rc, 1, w, h, &off, &img);
    assert_int_equal(blob_find(&img, white, 40).n, 0);
    render_image_fini(&img);

    ts_render(rc, 1, w, h, &on_kk, &img);
    struct blob kk = blob_find(&img, white, 40);
    /* A darker band behind the text, left of the first letter. */
    struct rgb band = px_get(&img, kk.x0 - 6, (kk.y0 + kk.y1) / 2);
    render_image_fini(&img);
    ts_render(rc, 1, w, h, &on_en, &img);
    struct blob en = blob_find(&img, white, 40);
    render_image_fini(&img);
    ts_render(rc, 3, w, h, &on_kk, &img);
    assert_int_equal(blob_find(&img, white, 40).n, 0); /* caption ended */
    render_image_fini(&img);

    assert_true(kk.n > 1000);
    assert_true(kk.y0 > h * 0.8 && kk.y1 < h * 0.96);
    /* Centred (ink of the first and last letters differs a little). */
    assert_float_equal((kk.x0 + kk.x1) / 2.0, w / 2.0, 8);
    assert_float_equal((en.x0 + en.x1) / 2.0, w / 2.0, 8);

    /* Portrait (9:16): the canvas is a 270 px band in the middle of 480 x
     * 854; the caption goes into the bottom bar and the picture is exactly
     * the picture without a caption. */
    struct render_image a, b;
    ts_render(rc, 1, 480, 854, &off, &a);
    ts_render(rc, 1, 480, 854, &on_kk, &b);
    struct blob pk = blob_find(&b, white, 40);
    assert_true(pk.n > 200);
    int canvas_y1 = (854 + 270) / 2;
    assert_true(pk.y0 > canvas_y1); /* below the canvas */
    assert_true(pk.y1 < 854 - 20);
    for (int y = (854 - 270) / 2; y < canvas_y1; y++)
        assert_memory_equal(a.data + (size_t)y * a.stride, b.data + (size_t)y * b.stride,
                            (size_t)480 * 4);
    render_image_fini(&a);
    render_image_fini(&b);
    assert_true(band.g < 0.5 * 255 * 0.6);
    assert_true(en.n > 100 && en.x1 - en.x0 < (kk.x1 - kk.x0) / 4);
    /* Readable: capitals about 4 % of the frame height (15 px at 360p). */
    assert_true(en.y1 - en.y0 + 1 >= h * 0.038);
    render_destroy(rc);
    story_destroy(s);
}

static void test_deterministic_and_png_roundtrip(void **state)
{
    struct story *s = ts_story(2);
    struct story_scene *sc = &s->scenes[0];
    struct story_actor *a = add_arm_character(sc);
    assert_int_equal(key_track_set(&a->part_rot[1], 0, 0, KEY_EASE_IN_OUT), 0);
    assert_int_equal(key_track_set(&a->part_rot[1], 2, 180, KEY_EASE_LINEAR), 0);
    ts_key(a, STORY_PROP_OPACITY, 0, 0.7, KEY_EASE_LINEAR);
    assert_non_null(story_media_add(s, "halves", "media/halves.svg", STORY_MEDIA_SVG,
                                    svg_halves, sizeof(svg_halves) - 1));
    struct story_actor *im = story_actor_add(sc, "pic", STORY_ACTOR_IMAGE);
    im->image.media_id = strdup("halves");
    im->image.w = 300;
    im->image.h = 150;
    ts_key(im, STORY_PROP_SCALE_X, 0, 0.5, KEY_EASE_LINEAR);
    ts_key(im, STORY_PROP_SCALE_X, 2, 3, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    struct render_opts opts = {STORY_LANG_KK, 1};
    struct render_image first, other, again;
    ts_render(rc, 0.7, W, H, &opts, &first);
    ts_render(rc, 1.9, W, H, &opts, &other);
    ts_render(rc, 0.7, W, H, &opts, &again);
    assert_memory_equal(first.data, again.data, (size_t)first.stride * H);
    /* A fresh renderer (no caches) gives the same pixels too. */
    struct render_ctx *rc2 = ctx_new(s);
    render_image_fini(&again);
    ts_render(rc2, 0.7, W, H, &opts, &again);
    assert_memory_equal(first.data, again.data, (size_t)first.stride * H);
    render_destroy(rc2);

    char path[512];
    snprintf(path, sizeof(path), "%s/roundtrip.png", RENDER_TEST_OUT);
    struct dy_err err = {0};
    assert_int_equal(render_image_write_png(&first, path, &err), 0);
    struct render_image back;
    assert_int_equal(render_image_read_png(path, &back, &err), 0);
    assert_int_equal(back.width, W);
    assert_int_equal(back.height, H);
    for (int y = 0; y < H; y++) {
        assert_memory_equal(first.data + (size_t)y * first.stride,
                            back.data + (size_t)y * back.stride, (size_t)W * 4);
    }
    render_image_fini(&back);
    assert_int_equal(render_image_read_png("/nonexistent/x.png", &back, &err), DY_EIO);
    snprintf(path, sizeof(path), "%s/not_a_png.png", RENDER_TEST_OUT);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("hello", f);
    fclose(f);
    assert_int_equal(render_image_read_png(path, &back, &err), DY_EFORMAT);
    assert_int_equal(render_image_write_png(&first, "/nonexistent/dir/x.png", &err), DY_EIO);

    render_image_fini(&first);
    render_image_fini(&other);
    render_image_fini(&again);
    render_destroy(rc);
    story_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actor_moves_along_keys),
        cmocka_unit_test(test_part_rotates_around_pivot),
        cmocka_unit_test(test_actor_rotation_and_scale),
        cmocka_unit_test(test_part_order_and_bad_parents),
        cmocka_unit_test(test_opacity_blends_whole_actor),
        cmocka_unit_test(test_z_order),
        cmocka_unit_test(test_visibility_step),
        cmocka_unit_test(test_camera_zoom_and_pan),
        cmocka_unit_test(test_resolution_independent),
        cmocka_unit_test(test_letterbox_opaque_overwrite),
        cmocka_unit_test(test_stroke_variable_width),
        cmocka_unit_test(test_stroke_translucent_smooth_no_double_cover),
        cmocka_unit_test(test_fill_outline_and_smooth),
        cmocka_unit_test(test_frame_by_frame),
        cmocka_unit_test(test_image_media),
        cmocka_unit_test(test_svg_media_part_and_background),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_kazakh_text_has_all_glyphs),
        cmocka_unit_test(test_bubbles),
        cmocka_unit_test(test_burned_caption),
        cmocka_unit_test(test_deterministic_and_png_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
