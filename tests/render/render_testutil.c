/* render_testutil.c: see render_testutil.h. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

#include "render_testutil.h"

struct rgb px_get(const struct render_image *img, int x, int y)
{
    uint32_t p = ((const uint32_t *)(img->data + (size_t)y * img->stride))[x];
    int a = p >> 24;
    struct rgb c = {(p >> 16) & 255, (p >> 8) & 255, p & 255};
    if (a > 0 && a < 255) {
        c.r = c.r * 255 / a;
        c.g = c.g * 255 / a;
        c.b = c.b * 255 / a;
    }
    return c;
}

int px_alpha(const struct render_image *img, int x, int y)
{
    return ((const uint32_t *)(img->data + (size_t)y * img->stride))[x] >> 24;
}

struct blob blob_find(const struct render_image *img, struct rgb c, int tol)
{
    struct blob b = {0, 0, 0, img->width, img->height, -1, -1};
    double sx = 0, sy = 0;
    for (int y = 0; y < img->height; y++) {
        for (int x = 0; x < img->width; x++) {
            struct rgb p = px_get(img, x, y);
            if (abs(p.r - c.r) <= tol && abs(p.g - c.g) <= tol &&
                abs(p.b - c.b) <= tol) {
                b.n++;
                sx += x + 0.5;
                sy += y + 0.5;
                b.x0 = x < b.x0 ? x : b.x0;
                b.y0 = y < b.y0 ? y : b.y0;
                b.x1 = x > b.x1 ? x : b.x1;
                b.y1 = y > b.y1 ? y : b.y1;
            }
        }
    }
    if (b.n > 0) {
        b.cx = sx / b.n;
        b.cy = sy / b.n;
    }
    return b;
}

struct story *ts_story(double duration_s)
{
    struct story *s = story_create();
    assert_non_null(s);
    struct story_scene *sc = story_scene_add(s, "s1");
    assert_non_null(sc);
    sc->duration_s = duration_s;
    return s;
}

struct story_shape *ts_rect(struct story_drawing *d, double x, double y,
                            double w, double h, struct story_color c)
{
    struct story_shape *sh = story_drawing_add(d, STORY_SHAPE_FILL);
    assert_non_null(sh);
    sh->color = c;
    assert_int_equal(story_shape_add_point(sh, x, y, 0), 0);
    assert_int_equal(story_shape_add_point(sh, x + w, y, 0), 0);
    assert_int_equal(story_shape_add_point(sh, x + w, y + h, 0), 0);
    assert_int_equal(story_shape_add_point(sh, x, y + h, 0), 0);
    return sh;
}

void ts_key(struct story_actor *a, enum story_prop p, double t, double v,
            enum key_ease e)
{
    assert_int_equal(key_track_set(&a->props[p], t, v, e), 0);
}

struct story_actor *ts_box_actor(struct story_scene *sc, const char *id,
                                 double x, double y, double w, double h,
                                 struct story_color c)
{
    struct story_actor *a = story_actor_add(sc, id, STORY_ACTOR_DRAWING);
    assert_non_null(a);
    ts_rect(&a->drawing, -w / 2, -h / 2, w, h, c);
    ts_key(a, STORY_PROP_X, 0, x, KEY_EASE_LINEAR);
    ts_key(a, STORY_PROP_Y, 0, y, KEY_EASE_LINEAR);
    return a;
}

void ts_render(struct render_ctx *rc, double t, int w, int h,
               const struct render_opts *opts, struct render_image *img)
{
    assert_int_equal(render_image_init(img, w, h), 0);
    struct dy_err err = {0};
    int r = render_scene_at(rc, 0, t, opts, img, &err);
    if (r != 0) {
        fail_msg("render_scene_at: %s: %s", err.where, err.msg);
    }
}

struct rgb ts_rgb(struct story_color c)
{
    return (struct rgb){(int)lround(c.r * 255), (int)lround(c.g * 255),
                        (int)lround(c.b * 255)};
}
