/* render_media.c: images (decoded by the media module) and SVGs (librsvg),
 * cached per media entry of the story.
 *
 * Both are drawn from rasters chosen by a pure function of the on-screen
 * size (mip level of an image; quarter-octave raster size of an SVG), so a
 * frame's pixels never depend on which frames were drawn before it (export
 * and a preview that jumps around give the same picture), and the per-frame
 * cost is one bilinear blit instead of a downscaling convolution or a full
 * SVG render. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef DARYN_RENDER_HAVE_MEDIA
#include "daryn/media.h"
#endif

#include "render_internal.h"

/* Largest SVG raster side; beyond it the SVG is rendered directly. */
#define SVG_RASTER_MAX 4096

static void media_entry_clear(struct render_media *m)
{
    for (int i = 0; i < m->nmip; i++) {
        cairo_surface_destroy(m->mip[i]);
    }
    if (m->svg) {
        g_object_unref(m->svg);
    }
    for (int i = 0; i < RENDER_SVG_RASTERS; i++) {
        if (m->raster[i].s) {
            cairo_surface_destroy(m->raster[i].s);
        }
    }
    memset(m, 0, sizeof(*m));
}

void render_media_clear(struct render_ctx *rc)
{
    for (size_t i = 0; i < rc->nmedia; i++) {
        media_entry_clear(&rc->media[i]);
    }
}

#ifndef DARYN_RENDER_HAVE_MEDIA
struct png_reader {
    const uint8_t *p;
    size_t left;
};

static cairo_status_t png_read(void *closure, unsigned char *data,
                               unsigned int length)
{
    struct png_reader *r = closure;
    if (length > r->left) {
        return CAIRO_STATUS_READ_ERROR;
    }
    memcpy(data, r->p, length);
    r->p += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}
#endif

/* Decodes a raster image into an ARGB32 Cairo surface. Through the media
 * module (FFmpeg: PNG, JPEG, WebP, ...) when it is built; otherwise only
 * PNG, through Cairo's own reader. */
static int image_decode(const struct story_media *sm, cairo_surface_t **out,
                        struct dy_err *err)
{
#ifdef DARYN_RENDER_HAVE_MEDIA
    struct media_image mi = {0};
    int rc = media_image_decode(sm->data, sm->size, sm->path ? sm->path : sm->id,
                                &mi, err);
    if (rc < 0) {
        return rc;
    }
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, mi.width, mi.height);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        media_image_fini(&mi);
        return dy_err_set(err, DY_ENOMEM, sm->id, "no memory for a %dx%d image",
                          mi.width, mi.height);
    }
    cairo_surface_flush(s);
    uint8_t *dst = cairo_image_surface_get_data(s);
    int dstride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < mi.height; y++) {
        memcpy(dst + (size_t)y * dstride, mi.data + (size_t)y * mi.stride,
               (size_t)mi.width * 4);
    }
    cairo_surface_mark_dirty(s);
    media_image_fini(&mi);
    *out = s;
    return 0;
#else
    struct png_reader r = {sm->data, sm->size};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &r);
    cairo_status_t st = cairo_surface_status(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return dy_err_set(err, DY_EUNSUPPORTED, sm->path ? sm->path : sm->id,
                          "cannot decode image (%s; built without the media "
                          "module, only PNG is read)",
                          cairo_status_to_string(st));
    }
    *out = s;
    return 0;
#endif
}

static int svg_load(struct render_media *m, struct dy_err *err)
{
    GError *gerr = NULL;
    m->svg = rsvg_handle_new_from_data(m->sm->data, m->sm->size, &gerr);
    if (!m->svg) {
        int rc = dy_err_set(err, DY_EFORMAT, m->sm->path ? m->sm->path : m->sm->id,
                            "cannot read SVG: %s",
                            gerr ? gerr->message : "unknown error");
        if (gerr) {
            g_error_free(gerr);
        }
        return rc;
    }
    return 0;
}

/* The cache entry for media `id`, loaded on first use. */
static int media_get(struct render_ctx *rc, const char *id,
                     struct render_media **out, struct dy_err *err)
{
    const struct story_media *sm = story_media_find(rc->story, id);
    if (!sm) {
        return dy_err_set(err, DY_ENOTFOUND, id, "unknown media id");
    }
    size_t idx = (size_t)(sm - rc->story->media);
    if (idx >= rc->nmedia) {
        /* The story gained media since the renderer was made. */
        size_t n = rc->story->nmedia;
        struct render_media *p = realloc(rc->media, n * sizeof(*p));
        if (!p) {
            return dy_err_set(err, DY_ENOMEM, id, "no memory for the media cache");
        }
        memset(p + rc->nmedia, 0, (n - rc->nmedia) * sizeof(*p));
        rc->media = p;
        rc->nmedia = n;
    }
    struct render_media *m = &rc->media[idx];
    if (m->sm && (m->sm != sm || m->data != sm->data)) {
        media_entry_clear(m); /* the entry was replaced in the story */
    }
    if (m->failed) {
        return dy_err_set(err, DY_EFORMAT, id, "media could not be decoded");
    }
    if (!m->sm) {
        m->sm = sm;
        m->data = sm->data;
        int r;
        if (sm->kind == STORY_MEDIA_SVG) {
            r = svg_load(m, err);
        } else if (sm->kind == STORY_MEDIA_IMAGE) {
            r = image_decode(sm, &m->mip[0], err);
            m->nmip = r == 0 ? 1 : 0;
        } else {
            r = dy_err_set(err, DY_EINVAL, id, "audio media cannot be drawn");
        }
        if (r < 0) {
            m->failed = 1;
            return r;
        }
    }
    *out = m;
    return 0;
}

/* Device pixels per user unit along the user x and y axes. */
static void axis_scales(cairo_t *cr, double *sx, double *sy)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    *sx = hypot(m.xx, m.yx);
    *sy = hypot(m.xy, m.yy);
}

/* Level `k` of the image, halving the previous one (built on demand). */
static cairo_surface_t *mip_get(struct render_media *m, int k)
{
    while (m->nmip <= k) {
        cairo_surface_t *prev = m->mip[m->nmip - 1];
        int pw = cairo_image_surface_get_width(prev);
        int ph = cairo_image_surface_get_height(prev);
        int w = (pw + 1) / 2, h = (ph + 1) / 2;
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        cairo_t *cr = cairo_create(s);
        cairo_scale(cr, (double)w / pw, (double)h / ph);
        cairo_set_source_surface(cr, prev, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
        cairo_paint(cr);
        cairo_status_t st = cairo_status(cr);
        cairo_destroy(cr);
        if (st != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(s);
            break; /* out of memory: use the finest level we have */
        }
        m->mip[m->nmip++] = s;
    }
    return m->mip[k < m->nmip ? k : m->nmip - 1];
}

/* Paints surface `s` (sw x sh pixels) into the user rect (x, y, w, h). */
static void blit(cairo_t *cr, cairo_surface_t *s, double x, double y,
                 double w, double h)
{
    int sw = cairo_image_surface_get_width(s);
    int sh = cairo_image_surface_get_height(s);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, w / sw, h / sh);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_new_path(cr);
    cairo_rectangle(cr, 0, 0, sw, sh);
    cairo_fill(cr);
    cairo_restore(cr);
}

static void image_draw(struct render_media *m, cairo_t *cr, double x, double y,
                       double w, double h)
{
    cairo_surface_t *s0 = m->mip[0];
    double sx, sy;
    axis_scales(cr, &sx, &sy);
    /* On-screen pixels per image pixel; the level is the largest halving
     * still at least that big, so bilinear never shrinks more than 2x. */
    double k_scale = fmax(sx * fabs(w) / cairo_image_surface_get_width(s0),
                          sy * fabs(h) / cairo_image_surface_get_height(s0));
    int k = 0;
    while (k + 1 < RENDER_MIP_LEVELS && k_scale <= 0.5 &&
           cairo_image_surface_get_width(s0) >> (k + 1) >= 2 &&
           cairo_image_surface_get_height(s0) >> (k + 1) >= 2) {
        k_scale *= 2;
        k++;
    }
    blit(cr, mip_get(m, k), x, y, w, h);
}

static int svg_render(RsvgHandle *svg, cairo_t *cr, double x, double y,
                      double w, double h, const char *id, struct dy_err *err)
{
    RsvgRectangle vp = {x, y, w, h};
    GError *gerr = NULL;
    if (!rsvg_handle_render_document(svg, cr, &vp, &gerr)) {
        int rc = dy_err_set(err, DY_EEXTERNAL, id, "librsvg: %s",
                            gerr ? gerr->message : "rendering failed");
        if (gerr) {
            g_error_free(gerr);
        }
        return rc;
    }
    return 0;
}

static int svg_draw(struct render_ctx *rc, struct render_media *m, cairo_t *cr,
                    double x, double y, double w, double h, struct dy_err *err)
{
    const char *id = m->sm->id;
    double sx, sy;
    axis_scales(cr, &sx, &sy);
    double s = fmax(sx, sy);
    if (!(s > 0) || !(fabs(w) > 0) || !(fabs(h) > 0)) {
        return 0;
    }
    /* Raster scale rounded up to a quarter octave: a pure function of the
     * on-screen size, at most ~19 % larger than needed. */
    double sq = exp2(ceil(log2(s) * 4.0) / 4.0);
    double rwf = ceil(fabs(w) * sq), rhf = ceil(fabs(h) * sq);
    if (rwf > SVG_RASTER_MAX || rhf > SVG_RASTER_MAX) {
        return svg_render(m->svg, cr, x, y, w, h, id, err);
    }
    int rw = (int)rwf, rh = (int)rhf;
    struct render_raster *slot = NULL, *lru = &m->raster[0];
    for (int i = 0; i < RENDER_SVG_RASTERS; i++) {
        struct render_raster *r = &m->raster[i];
        if (r->s && r->w == rw && r->h == rh) {
            slot = r;
            break;
        }
        if (!r->s || (lru->s && r->used < lru->used)) {
            lru = r;
        }
    }
    if (!slot) {
        slot = lru;
        if (slot->s) {
            cairo_surface_destroy(slot->s);
            slot->s = NULL;
        }
        cairo_surface_t *s2 = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, rw, rh);
        if (cairo_surface_status(s2) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(s2);
            return svg_render(m->svg, cr, x, y, w, h, id, err);
        }
        cairo_t *rcr = cairo_create(s2);
        int r = svg_render(m->svg, rcr, 0, 0, rw, rh, id, err);
        cairo_destroy(rcr);
        if (r < 0) {
            cairo_surface_destroy(s2);
            return r;
        }
        slot->s = s2;
        slot->w = rw;
        slot->h = rh;
    }
    slot->used = rc->frame;
    blit(cr, slot->s, x, y, w, h);
    return 0;
}

int render_media_draw(struct render_ctx *rc, cairo_t *cr, const char *id,
                      double x, double y, double w, double h,
                      struct dy_err *err)
{
    /* An empty or non-finite rect shows nothing (and a zero scale would put
     * the Cairo context in an error state). */
    if (!(fabs(w) > 0 && fabs(h) > 0 && isfinite(x) && isfinite(y) &&
          isfinite(w) && isfinite(h))) {
        return 0;
    }
    struct render_media *m = NULL;
    int r = media_get(rc, id, &m, err);
    if (r < 0) {
        return r;
    }
    if (m->svg) {
        return svg_draw(rc, m, cr, x, y, w, h, err);
    }
    image_draw(m, cr, x, y, w, h);
    return 0;
}
