/* render_testutil.h: building small stories in code and measuring pixels,
 * shared by the render tests. Helpers abort the test (cmocka fail) on OOM,
 * which is fine in tests and keeps the tests readable. */
#ifndef RENDER_TESTUTIL_H
#define RENDER_TESTUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "daryn/render.h"
#include "daryn/story.h"

struct rgb {
    int r, g, b;
};

/* Pixel (x, y) un-premultiplied to 0..255 (the images are opaque). */
struct rgb px_get(const struct render_image *img, int x, int y);
int px_alpha(const struct render_image *img, int x, int y);

/* Statistics of the pixels within `tol` (per channel) of colour c. */
struct blob {
    long n;                 /* matching pixels */
    double cx, cy;          /* centroid, pixel centres at +0.5 */
    int x0, y0, x1, y1;     /* bounding box, inclusive; x0 > x1 when empty */
};
struct blob blob_find(const struct render_image *img, struct rgb c, int tol);

/* A story with one scene (1920 x 1080 canvas, white background). */
struct story *ts_story(double duration_s);
/* Adds a filled axis-aligned rectangle (x, y, w, h) to a drawing. */
struct story_shape *ts_rect(struct story_drawing *d, double x, double y,
                            double w, double h, struct story_color c);
/* Adds a drawing actor showing a w x h rectangle centred on its origin,
 * placed at (x, y). */
struct story_actor *ts_box_actor(struct story_scene *sc, const char *id,
                                 double x, double y, double w, double h,
                                 struct story_color c);
void ts_key(struct story_actor *a, enum story_prop p, double t, double v,
            enum key_ease e);

/* Renders scene 0 at t into a new w x h image (checks success). */
void ts_render(struct render_ctx *rc, double t, int w, int h,
               const struct render_opts *opts, struct render_image *img);

static const struct story_color TS_RED = {0.9f, 0.1f, 0.1f, 1};
static const struct story_color TS_BLUE = {0.1f, 0.2f, 0.9f, 1};
static const struct story_color TS_GREEN = {0.1f, 0.7f, 0.2f, 1};
/* The same colours as 0..255 pixels (rounded like Cairo does). */
struct rgb ts_rgb(struct story_color c);

#endif
