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

/* Allocates a w x h image (stride suitable for Cairo), zeroed (transparent
 * black). 1 <= w, h <= 32767. Returns 0, DY_EINVAL or DY_ENOMEM; on failure
 * *img is zeroed. Free with render_image_fini(). */
int render_image_init(struct render_image *img, int w, int h);
/* Frees the pixels and zeroes *img; a zeroed image is a no-op. */
void render_image_fini(struct render_image *img);

/* Writes the image as an 8-bit RGBA PNG (un-premultiplied), through a
 * temporary file in the same directory renamed over `path`, so a reader
 * never sees a half-written file. Returns 0 or DY_EIO / DY_EINVAL. */
int render_image_write_png(const struct render_image *img, const char *path,
                           struct dy_err *err);
/* Reads a PNG into a new image (OUT: *img, caller frees with
 * render_image_fini). Images without alpha come back opaque. Returns 0 or
 * DY_EIO (cannot open) / DY_EFORMAT (not a PNG) / DY_ENOMEM. */
int render_image_read_png(const char *path, struct render_image *img,
                          struct dy_err *err);

struct render_opts {
    enum story_lang caption_lang; /* language of burned captions and texts */
    int burn_captions;            /* draw the caption at the bottom */
};

/* A renderer for one story: caches decoded media (images, SVGs, with
 * rasters per on-screen size), shaped text layouts, the burned caption and
 * character parts' drawings rasterised once per on-screen scale (sprites,
 * at most 32 MB, composited with a bilinear filter: edges may differ from
 * drawing the shapes anew by a few levels, never their place) between
 * frames. The story is borrowed and must outlive the renderer and must not
 * change while a frame is being drawn. A media entry whose bytes were
 * replaced, or a part drawing whose shapes were edited in place, is
 * noticed and drawn anew; call render_invalidate after other edits of the
 * media list. One renderer is used by one thread at a
 * time; separate renderers may run in parallel. */
struct render_ctx;

/* OUT: *out, a new renderer for `s` (borrowed); free with
 * render_destroy(). Media are decoded lazily, on the first frame that shows
 * them. Returns 0, DY_EINVAL, DY_ENOMEM or DY_EEXTERNAL (Pango). */
int render_create(const struct story *s, struct render_ctx **out,
                  struct dy_err *err);
/* Frees the renderer and its caches; NULL is a no-op. */
void render_destroy(struct render_ctx *rc);
/* Drops cached media and part sprites (after the story's media list
 * changed, or to free their memory). */
void render_invalidate(struct render_ctx *rc);

/* Draws scene `scene` at scene time t (seconds) onto `img` (any size: the
 * canvas is fitted inside it, centred, the background colour filling the
 * rest; everything else is clipped to the canvas). The image is fully
 * overwritten and opaque (a translucent background colour is laid over
 * white). Deterministic: the same inputs give the same pixels, whatever was
 * drawn before. `opts` may be NULL (kk, no captions).
 *
 * What is drawn, in story units:
 *  - the background colour, then background_media scaled into the canvas;
 *  - actors by increasing z (ties: list order), invisible ones skipped, each
 *    under translate(x, y) rotate(rotation) scale(scale_x, scale_y) and with
 *    its opacity applied to the actor as a whole;
 *  - a text actor's box (wrapped at box_w, lines centred) is centred on the
 *    actor's origin; the bubble surrounds it with a margin of half the font
 *    size and its outline takes the text colour;
 *  - the caption (opts->burn_captions) last, unaffected by the camera, at
 *    the bottom centre, its size a fixed fraction of the canvas height.
 * Returns 0 or a negative code: DY_EINVAL (bad scene index, t not finite,
 * image without pixels), DY_ENOTFOUND / DY_EFORMAT (media missing or not
 * decodable), DY_EEXTERNAL (Cairo failure). On error the image content is
 * unspecified but the renderer stays usable. */
int render_scene_at(struct render_ctx *rc, size_t scene, double t,
                    const struct render_opts *opts, struct render_image *img,
                    struct dy_err *err);

/* Number of characters of `text` (UTF-8) that no font used by the
 * renderer can show (drawn as boxes), 0 when all are covered; or
 * DY_EINVAL / DY_ENOMEM. The studio can warn about them. */
int render_text_missing_glyphs(struct render_ctx *rc, const char *text);

#ifdef __cplusplus
}
#endif
#endif
