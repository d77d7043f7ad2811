/* render.h: draws a story scene at any time t (Cairo, Pango, librsvg).
 *
 * Public headers carry no Cairo types: the output is a plain
 * `struct render_image` (premultiplied ARGB32, native-endian, i.e. Cairo's
 * CAIRO_FORMAT_ARGB32 and FFmpeg's AV_PIX_FMT_RGB32), so vexport and the
 * studio can consume it without including cairo.h. */
#ifndef DARYN_RENDER_H
#define DARYN_RENDER_H

#include <stdint.h>

#include "daryn/err.h"
#include "daryn/story.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A premultiplied ARGB32 image; pixel (x, y) is
 * ((uint32_t *)(data + y * stride))[x] = a << 24 | r << 16 | g << 8 | b. */
struct render_image {
    int width, height;
    int stride;     /* bytes per row */
    uint8_t *data;  /* owned by whoever created the image */
};

/* Allocates a w x h image (stride suitable for Cairo). 0 or DY_ENOMEM. */
int render_image_init(struct render_image *img, int w, int h);
void render_image_fini(struct render_image *img);

struct render_opts {
    enum story_lang caption_lang; /* language of burned captions and texts */
    int burn_captions;            /* draw the caption at the bottom */
};

/* A renderer for one story: caches decoded media (images, SVGs) and fonts
 * between frames. The story is borrowed and must outlive the renderer and
 * must not change while a frame is being drawn (the studio re-creates or
 * calls render_invalidate after edits that replace media). */
struct render_ctx;

int render_create(const struct story *s, struct render_ctx **out,
                  struct dy_err *err);
void render_destroy(struct render_ctx *rc);
/* Drops cached media (after the story's media list changed). */
void render_invalidate(struct render_ctx *rc);

/* Draws scene `scene` at scene time t (seconds) onto `img` (any size: the
 * canvas is fitted inside it, centred, the background colour filling the
 * rest). The image is fully overwritten and opaque. Deterministic: the same
 * inputs give the same pixels. Returns 0 or a negative code. */
int render_scene_at(struct render_ctx *rc, size_t scene, double t,
                    const struct render_opts *opts, struct render_image *img,
                    struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
