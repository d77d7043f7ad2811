/* test_render_sprite.c: character parts are drawn through cached rasters
 * (sprites). The same shapes as a drawing actor are drawn directly, which
 * gives the reference: a part must land on the same pixels with edges only
 * a few levels off, under rotation, non-uniform scale and mirroring; edits
 * made in place must show in the next frame; parts too large for a sprite
 * are drawn directly (bit-identical); eviction under the memory budget
 * must not change any pixel. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render_testutil.h"

static const struct story_color INK = {0.2f, 0.12f, 0.08f, 1};
/* One fill colour per figure, so that each can be found on its own. */
static const struct story_color FILLS[5] = {
    {0.9f, 0.1f, 0.1f, 1}, {0.1f, 0.2f, 0.9f, 1}, {0.1f, 0.7f, 0.2f, 1},
    {0.95f, 0.6f, 0.1f, 1}, {0.6f, 0.2f, 0.7f, 1}};

static struct render_ctx *ctx_new(const struct story *s)
{
    struct render_ctx *rc = NULL;
    struct dy_err err = {0};
    assert_int_equal(render_create(s, &rc, &err), 0);
    return rc;
}

/* A small outlined figure: smooth outlined blob, a variable-width smooth
 * stroke, a constant-width polyline and a dot; about 400 x 300 units
 * around the origin. `c` is the blob's fill. */
static void figure_add(struct story_drawing *d, struct story_color c)
{
    struct story_shape *sh = story_drawing_add(d, STORY_SHAPE_FILL);
    assert_non_null(sh);
    sh->color = c;
    sh->line = INK;
    sh->line_w = 9;
    sh->smooth = true;
    const double bp[][2] = {{-180, -40}, {-120, -140}, {0, -150}, {150, -110},
                            {190, 0},    {120, 120},   {-20, 140}, {-150, 90}};
    for (size_t i = 0; i < sizeof(bp) / sizeof(bp[0]); i++) {
        assert_int_equal(story_shape_add_point(sh, bp[i][0], bp[i][1], 0), 0);
    }
    sh = story_drawing_add(d, STORY_SHAPE_STROKE);
    sh->color = INK;
    sh->smooth = true;
    const double sp[][3] = {{-100, 20}, {-40, 60, 14}, {40, 70, 20}, {110, 20, 4}};
    for (size_t i = 0; i < sizeof(sp) / sizeof(sp[0]); i++) {
        assert_int_equal(story_shape_add_point(sh, sp[i][0], sp[i][1],
                                               i == 0 ? 3 : sp[i][2]), 0);
    }
    sh = story_drawing_add(d, STORY_SHAPE_STROKE);
    sh->color = (struct story_color){0.95f, 0.95f, 0.9f, 1};
    const double lp[][2] = {{-60, -80}, {-20, -110}, {20, -80}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(story_shape_add_point(sh, lp[i][0], lp[i][1], 7), 0);
    }
    sh = story_drawing_add(d, STORY_SHAPE_STROKE);
    sh->color = INK;
    assert_int_equal(story_shape_add_point(sh, 60, -60, 24), 0);
}

struct placement {
    double x, y, rot, sx, sy;
};

static void place(struct story_actor *a, const struct placement *p)
{
    ts_key(a, STORY_PROP_X, 0, p->x, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_Y, 0, p->y, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_ROTATION, 0, p->rot, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_SCALE_X, 0, p->sx, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_SCALE_Y, 0, p->sy, KEY_EASE_LINEAR);
}

/* Two stories with the same figures at the same places: as one-part
 * characters (sprites) and as drawing actors (drawn directly). */
static void stories_make(const struct placement *pl, size_t n,
                         struct story **as_parts, struct story **as_drawings)
{
    *as_parts = ts_story(2);
    *as_drawings = ts_story(2);
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof(id), "f%zu", i);
        struct story_color c = FILLS[i % 5];
        struct story_actor *ch =
            story_actor_add(&(*as_parts)->scenes[0], id, STORY_ACTOR_CHARACTER);
        assert_non_null(ch);
        struct story_part *p = story_part_add(ch, "body", -1);
        assert_non_null(p);
        figure_add(&p->visual.drawing, c);
        place(ch, &pl[i]);
        struct story_actor *dr =
            story_actor_add(&(*as_drawings)->scenes[0], id, STORY_ACTOR_DRAWING);
        assert_non_null(dr);
        figure_add(&dr->drawing, c);
        place(dr, &pl[i]);
    }
}

struct cmp {
    double mad;      /* mean absolute difference per channel, levels */
    double over32;   /* fraction of pixels with a channel off by > 32 */
};

static struct cmp image_cmp(const struct render_image *a, const struct render_image *b)
{
    double sum = 0;
    long over = 0;
    for (int y = 0; y < a->height; y++) {
        for (int x = 0; x < a->width; x++) {
            struct rgb p = px_get(a, x, y), q = px_get(b, x, y);
            int dr = abs(p.r - q.r), dg = abs(p.g - q.g), db = abs(p.b - q.b);
            sum += dr + dg + db;
            over += dr > 32 || dg > 32 || db > 32;
        }
    }
    double n = (double)a->width * a->height;
    return (struct cmp){sum / (3 * n), over / n};
}

static void test_sprite_matches_direct_drawing(void **state)
{
    (void)state;
    const struct placement pl[] = {
        {400, 400, 0, 1, 1},      {1000, 380, 17, 0.8, 0.8},
        {1500, 420, -33, 0.9, 0.5}, /* non-uniform scale, rotated */
        {600, 820, 8, -0.7, 0.7},   /* mirrored */
        {1300, 800, 140, 0.31, 0.31},
    };
    struct story *sp, *sd;
    stories_make(pl, sizeof(pl) / sizeof(pl[0]), &sp, &sd);
    struct render_ctx *rp = ctx_new(sp), *rd = ctx_new(sd);
    const int sizes[][2] = {{480, 270}, {1280, 720}};
    for (size_t k = 0; k < 2; k++) {
        struct render_image a, b;
        ts_render(rp, 0, sizes[k][0], sizes[k][1], NULL, &a);
        ts_render(rd, 0, sizes[k][0], sizes[k][1], NULL, &b);
        struct cmp c = image_cmp(&a, &b);
        print_message("%dx%d: mean diff %.3f levels, %.4f %% of pixels off by > 32\n",
                      sizes[k][0], sizes[k][1], c.mad, 100 * c.over32);
        assert_true(c.mad < 0.6);
        assert_true(c.over32 < 0.002);
        /* Same place and size: each figure's fill agrees closely. */
        for (int i = 0; i < 5; i++) {
            struct blob ba = blob_find(&a, ts_rgb(FILLS[i]), 30);
            struct blob bb = blob_find(&b, ts_rgb(FILLS[i]), 30);
            assert_true(bb.n > 40);
            assert_float_equal(ba.cx, bb.cx, 0.1);
            assert_float_equal(ba.cy, bb.cy, 0.1);
            assert_true(labs(ba.n - bb.n) <= 2 + bb.n / 50);
        }
        render_image_fini(&a);
        render_image_fini(&b);
    }
    render_destroy(rp);
    render_destroy(rd);
    story_destroy(sp);
    story_destroy(sd);
}

static void test_sprite_notices_edits_in_place(void **state)
{
    (void)state;
    struct story *s = ts_story(2);
    struct story_actor *ch = story_actor_add(&s->scenes[0], "c", STORY_ACTOR_CHARACTER);
    struct story_part *p = story_part_add(ch, "body", -1);
    struct story_shape *sh = ts_rect(&p->visual.drawing, -100, -100, 200, 200, TS_RED);
    ts_key(ch, STORY_PROP_X, 0, 960, KEY_EASE_LINEAR);
    ts_key(ch, STORY_PROP_Y, 0, 540, KEY_EASE_LINEAR);
    struct render_ctx *rc = ctx_new(s);
    struct render_image img;
    ts_render(rc, 0, 480, 270, NULL, &img);
    struct blob b = blob_find(&img, ts_rgb(TS_RED), 30);
    assert_float_equal(b.cx, 240, 0.2);
    render_image_fini(&img);

    /* Recolour and move the square in place (same shape, same memory). */
    sh->color = TS_BLUE;
    for (size_t i = 0; i < sh->n; i++) {
        sh->pts[i].x += 400;
    }
    ts_render(rc, 0, 480, 270, NULL, &img);
    assert_int_equal(blob_find(&img, ts_rgb(TS_RED), 30).n, 0);
    b = blob_find(&img, ts_rgb(TS_BLUE), 30);
    assert_true(b.n > 1000);
    assert_float_equal(b.cx, 340, 0.2);
    /* After render_invalidate the frame is the same. */
    render_invalidate(rc);
    struct render_image again;
    ts_render(rc, 0, 480, 270, NULL, &again);
    assert_memory_equal(img.data, again.data, (size_t)img.stride * img.height);
    render_image_fini(&img);
    render_image_fini(&again);

    /* A shape added to the drawing shows too. */
    ts_rect(&p->visual.drawing, -300, -50, 60, 60, TS_GREEN);
    ts_render(rc, 0, 480, 270, NULL, &img);
    assert_true(blob_find(&img, ts_rgb(TS_GREEN), 30).n > 150);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
}

/* Zoomed far in, a part would need a raster of thousands of pixels a side:
 * it is drawn directly, exactly like the drawing actor. */
static void test_sprite_huge_part_drawn_directly(void **state)
{
    (void)state;
    const struct placement pl[] = {{960, 540, 12, 1, 1}};
    struct story *sp, *sd;
    stories_make(pl, 1, &sp, &sd);
    for (int i = 0; i < 2; i++) {
        struct story_scene *sc = &(i ? sd : sp)->scenes[0];
        assert_int_equal(key_track_set(&sc->camera[STORY_CAM_ZOOM], 0, 12, KEY_EASE_LINEAR), 0);
    }
    struct render_ctx *rp = ctx_new(sp), *rd = ctx_new(sd);
    struct render_image a, b;
    ts_render(rp, 0, 1280, 720, NULL, &a);
    ts_render(rd, 0, 1280, 720, NULL, &b);
    assert_memory_equal(a.data, b.data, (size_t)a.stride * a.height);
    render_image_fini(&a);
    render_image_fini(&b);
    render_destroy(rp);
    render_destroy(rd);
    story_destroy(sp);
    story_destroy(sd);
}

/* Sixteen large parts need more than the sprite memory budget: sprites
 * are evicted and rebuilt, and every frame still equals a fresh
 * renderer's. */
static void test_sprite_eviction_keeps_pixels(void **state)
{
    (void)state;
    struct placement pl[16];
    for (int i = 0; i < 16; i++) {
        pl[i] = (struct placement){120.0 * i + 60, 540, 10.0 * i, 2.4, 2.4};
    }
    struct story *sp, *sd;
    stories_make(pl, 16, &sp, &sd);
    for (int i = 0; i < 16; i++) {
        ts_key(&sp->scenes[0].actors[i], STORY_PROP_ROTATION, 2, 10.0 * i + 90,
               KEY_EASE_LINEAR);
    }
    struct render_ctx *rc = ctx_new(sp);
    struct render_image first, img;
    ts_render(rc, 0, 1280, 720, NULL, &first);
    for (int k = 1; k <= 3; k++) {
        ts_render(rc, k * 0.5, 1280, 720, NULL, &img);
        render_image_fini(&img);
    }
    ts_render(rc, 0, 1280, 720, NULL, &img);
    assert_memory_equal(first.data, img.data, (size_t)img.stride * img.height);
    render_image_fini(&img);
    struct render_ctx *fresh = ctx_new(sp);
    ts_render(fresh, 0, 1280, 720, NULL, &img);
    assert_memory_equal(first.data, img.data, (size_t)img.stride * img.height);
    render_image_fini(&img);
    render_image_fini(&first);
    render_destroy(fresh);
    render_destroy(rc);
    story_destroy(sp);
    story_destroy(sd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sprite_matches_direct_drawing),
        cmocka_unit_test(test_sprite_notices_edits_in_place),
        cmocka_unit_test(test_sprite_huge_part_drawn_directly),
        cmocka_unit_test(test_sprite_eviction_keeps_pixels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
