/* render.c: the renderer context and the scene walk (fit, camera, actors,
 * characters' part trees, captions).
 *
 * Everything is drawn in story units under one Cairo transform chain:
 * image <- fit (uniform scale, centred) <- camera <- actor <- part. The
 * output size only enters through the fit, which is why a frame looks the
 * same at every size. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

#define DEG2RAD (M_PI / 180.0)

static int order_cmp(const void *pa, const void *pb)
{
    const struct order_item *a = pa, *b = pb;
    if (a->z != b->z) {
        return a->z < b->z ? -1 : 1;
    }
    return a->i < b->i ? -1 : a->i > b->i;
}

int render_create(const struct story *s, struct render_ctx **out,
                  struct dy_err *err)
{
    if (!s || !out) {
        return dy_err_set(err, DY_EINVAL, "render_create", "story and out are required");
    }
    struct render_ctx *rc = calloc(1, sizeof(*rc));
    if (!rc) {
        return dy_err_set(err, DY_ENOMEM, "render_create", "no memory for the renderer");
    }
    rc->story = s;
    int r = render_text_init(rc, err);
    if (r < 0) {
        goto fail;
    }
    if (s->nmedia > 0) {
        rc->media = calloc(s->nmedia, sizeof(*rc->media));
        if (!rc->media) {
            r = dy_err_set(err, DY_ENOMEM, "render_create", "no memory for the media cache");
            goto fail;
        }
        rc->nmedia = s->nmedia;
    }
    *out = rc;
    return 0;
fail:
    render_destroy(rc);
    return r;
}

void render_destroy(struct render_ctx *rc)
{
    if (!rc) {
        return;
    }
    render_media_clear(rc);
    render_sprite_clear(rc);
    free(rc->media);
    render_text_fini(rc);
    free(rc->order);
    free(rc->states);
    free(rc->porder);
    free(rc->pmat);
    free(rc->pstate);
    free(rc->pts);
    free(rc);
}

void render_invalidate(struct render_ctx *rc)
{
    if (rc) {
        render_media_clear(rc);
        render_sprite_clear(rc);
    }
}

int render_image_init(struct render_image *img, int w, int h)
{
    memset(img, 0, sizeof(*img));
    if (w < 1 || h < 1 || w > 32767 || h > 32767) {
        return DY_EINVAL;
    }
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, w);
    if (stride < 0) {
        return DY_EINVAL;
    }
    img->data = calloc((size_t)h, (size_t)stride);
    if (!img->data) {
        return DY_ENOMEM;
    }
    img->width = w;
    img->height = h;
    img->stride = stride;
    return 0;
}

void render_image_fini(struct render_image *img)
{
    if (img) {
        free(img->data);
        memset(img, 0, sizeof(*img));
    }
}

/* Grows a scratch array to hold n elements (capacity doubles). */
static int scratch_reserve(void **p, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap) {
        return 0;
    }
    size_t c = *cap ? *cap : 16;
    while (c < n) {
        c *= 2;
    }
    void *q = realloc(*p, c * elem);
    if (!q) {
        return -1;
    }
    *p = q;
    *cap = c;
    return 0;
}

/* Accumulated transform of part i: its parent's, then translate(pivot)
 * rotate(rotation). A bad or cyclic parent (rejected by story_validate,
 * but the renderer must not loop on it) makes the part a root. */
static void part_matrix(struct render_ctx *rc, const struct story_actor *a,
                        size_t i, double t)
{
    if (rc->pstate[i] == 2) {
        return;
    }
    rc->pstate[i] = 1;
    const struct story_part *p = &a->parts[i];
    cairo_matrix_t local;
    cairo_matrix_init_translate(&local, p->pivot_x, p->pivot_y);
    double rot = story_part_rotation(a, i, t);
    cairo_matrix_rotate(&local, isfinite(rot) ? rot * DEG2RAD : 0);
    int par = p->parent;
    if (par >= 0 && (size_t)par < a->nparts && rc->pstate[par] != 1) {
        part_matrix(rc, a, (size_t)par, t);
        cairo_matrix_multiply(&rc->pmat[i], &local, &rc->pmat[par]);
    } else {
        rc->pmat[i] = local;
    }
    rc->pstate[i] = 2;
}

static int visual_draw(struct render_ctx *rc, cairo_t *cr,
                       const struct story_visual *v, struct dy_err *err)
{
    if (v->media_id) {
        return render_media_draw(rc, cr, v->media_id, v->x, v->y, v->w, v->h, err);
    }
    render_drawing_draw(rc, cr, &v->drawing);
    return 0;
}

static int character_draw(struct render_ctx *rc, cairo_t *cr,
                          const struct story_actor *a, double t,
                          struct dy_err *err)
{
    size_t n = a->nparts;
    if (n == 0 || !a->parts) {
        return 0;
    }
    size_t cap = rc->pmat_cap;
    if (scratch_reserve((void **)&rc->pmat, &cap, n, sizeof(*rc->pmat)) != 0 ||
        scratch_reserve((void **)&rc->pstate, &rc->pmat_cap, n, 1) != 0 ||
        scratch_reserve((void **)&rc->porder, &rc->porder_cap, n,
                        sizeof(struct order_item)) != 0) {
        return dy_err_set(err, DY_ENOMEM, a->id, "no memory for %zu parts", n);
    }
    memset(rc->pstate, 0, n);
    struct order_item *ord = rc->porder;
    for (size_t i = 0; i < n; i++) {
        part_matrix(rc, a, i, t);
        ord[i].z = a->parts[i].z;
        ord[i].i = i;
    }
    if (n > 1) {
        qsort(ord, n, sizeof(*ord), order_cmp);
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = ord[k].i;
        cairo_save(cr);
        cairo_transform(cr, &rc->pmat[i]);
        const struct story_visual *v = &a->parts[i].visual;
        int r = 0;
        /* Drawn parts go through their cached sprite; media parts have
         * their own cache (render_media.c). */
        if (v->media_id || !render_sprite_draw(rc, cr, &v->drawing)) {
            r = visual_draw(rc, cr, v, err);
        }
        cairo_restore(cr);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

static int actor_content_draw(struct render_ctx *rc, cairo_t *cr,
                              const struct story_actor *a,
                              const struct story_actor_state *st, double t,
                              enum story_lang lang, struct dy_err *err)
{
    switch (a->kind) {
    case STORY_ACTOR_CHARACTER:
        return character_draw(rc, cr, a, t, err);
    case STORY_ACTOR_DRAWING:
        if (a->nframes > 0) {
            if (st->frame >= 0 && (size_t)st->frame < a->nframes) {
                render_drawing_draw(rc, cr, &a->frames[st->frame].drawing);
            }
        } else {
            render_drawing_draw(rc, cr, &a->drawing);
        }
        return 0;
    case STORY_ACTOR_IMAGE:
        return visual_draw(rc, cr, &a->image, err);
    case STORY_ACTOR_TEXT:
        render_text_actor_draw(rc, cr, a, lang);
        return 0;
    }
    return 0;
}

static bool state_drawable(const struct story_actor_state *st)
{
    /* A zero scale would make Cairo's matrix singular and put the context
     * in an error state for the rest of the frame. */
    return st->visible && st->opacity > 0 && isfinite(st->x) &&
           isfinite(st->y) && isfinite(st->rotation) &&
           fabs(st->scale_x) > 1e-9 && fabs(st->scale_y) > 1e-9 &&
           isfinite(st->scale_x) && isfinite(st->scale_y);
}

static int actors_draw(struct render_ctx *rc, cairo_t *cr,
                       const struct story_scene *sc, double t,
                       enum story_lang lang, struct dy_err *err)
{
    size_t n = sc->nactors;
    size_t cap = rc->order_cap;
    if (scratch_reserve((void **)&rc->order, &cap, n,
                        sizeof(struct order_item)) != 0 ||
        scratch_reserve((void **)&rc->states, &rc->order_cap, n,
                        sizeof(*rc->states)) != 0) {
        return dy_err_set(err, DY_ENOMEM, sc->id, "no memory for %zu actors", n);
    }
    struct order_item *ord = rc->order;
    for (size_t i = 0; i < n; i++) {
        story_actor_eval(&sc->actors[i], t, &rc->states[i]);
        ord[i].z = isfinite(rc->states[i].z) ? rc->states[i].z : 0;
        ord[i].i = i;
    }
    if (n > 1) {
        qsort(ord, n, sizeof(*ord), order_cmp);
    }
    for (size_t k = 0; k < n; k++) {
        const struct story_actor *a = &sc->actors[ord[k].i];
        const struct story_actor_state *st = &rc->states[ord[k].i];
        if (!state_drawable(st)) {
            continue;
        }
        cairo_save(cr);
        cairo_translate(cr, st->x, st->y);
        cairo_rotate(cr, st->rotation * DEG2RAD);
        cairo_scale(cr, st->scale_x, st->scale_y);
        /* Opacity applies to the actor as a whole (overlapping parts must
         * not show through each other), hence a group, only when needed. */
        bool group = st->opacity < 1;
        if (group) {
            cairo_push_group(cr);
        }
        int r = actor_content_draw(rc, cr, a, st, t, lang, err);
        if (group) {
            cairo_pop_group_to_source(cr);
            cairo_paint_with_alpha(cr, st->opacity);
        }
        cairo_restore(cr);
        if (r < 0) {
            return r;
        }
    }
    return 0;
}

static int check_args(struct render_ctx *rc, size_t scene, double t,
                      const struct render_image *img, struct dy_err *err)
{
    if (!rc || !img) {
        return dy_err_set(err, DY_EINVAL, "render_scene_at", "renderer and image are required");
    }
    if (scene >= rc->story->nscenes) {
        return dy_err_set(err, DY_EINVAL, "render_scene_at",
                          "scene %zu out of range (story has %zu)", scene,
                          rc->story->nscenes);
    }
    if (!isfinite(t)) {
        return dy_err_set(err, DY_EINVAL, "render_scene_at", "time is not finite");
    }
    if (!img->data || img->width < 1 || img->height < 1 ||
        img->stride < cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, img->width)) {
        return dy_err_set(err, DY_EINVAL, "render_scene_at",
                          "image %dx%d (stride %d) has no usable pixels",
                          img->width, img->height, img->stride);
    }
    double cw = rc->story->width, ch = rc->story->height;
    if (!(cw > 0 && ch > 0 && isfinite(cw) && isfinite(ch))) {
        return dy_err_set(err, DY_EINVAL, "story.width",
                          "canvas %g x %g is not drawable", cw, ch);
    }
    return 0;
}

/* Clears to the background (over white, so the result is opaque), fits the
 * canvas into the image and clips to it. */
static void frame_setup(cairo_t *cr, const struct story *s,
                        const struct story_scene *sc, int w, int h)
{
    const struct story_color *bg = &sc->background;
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    if (bg->a >= 1) {
        cairo_set_source_rgb(cr, bg->r, bg->g, bg->b);
        cairo_paint(cr);
    } else {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
        cairo_set_source_rgba(cr, bg->r, bg->g, bg->b, bg->a);
        cairo_paint(cr);
    }
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);

    double scale = fmin(w / s->width, h / s->height);
    double ox = (w - s->width * scale) / 2, oy = (h - s->height * scale) / 2;
    /* The clip is snapped to whole pixels: an unaligned clip would make
     * Cairo mask every later drawing operation, which is much slower. */
    int cx0 = (int)lround(ox), cy0 = (int)lround(oy);
    int cx1 = (int)lround(ox + s->width * scale);
    int cy1 = (int)lround(oy + s->height * scale);
    cairo_rectangle(cr, cx0, cy0, cx1 - cx0, cy1 - cy0);
    cairo_clip(cr);
    cairo_translate(cr, ox, oy);
    cairo_scale(cr, scale, scale);
}

int render_scene_at(struct render_ctx *rc, size_t scene, double t,
                    const struct render_opts *opts, struct render_image *img,
                    struct dy_err *err)
{
    int r = check_args(rc, scene, t, img, err);
    if (r < 0) {
        return r;
    }
    const struct story *s = rc->story;
    const struct story_scene *sc = &s->scenes[scene];
    enum story_lang lang = opts ? opts->caption_lang : STORY_LANG_KK;
    if ((unsigned)lang >= STORY_LANG_COUNT) {
        lang = STORY_LANG_KK;
    }
    rc->frame++;

    cairo_surface_t *surf = cairo_image_surface_create_for_data(
        img->data, CAIRO_FORMAT_ARGB32, img->width, img->height, img->stride);
    cairo_t *cr = cairo_create(surf);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        r = dy_err_set(err, DY_EEXTERNAL, "render_scene_at", "cairo: %s",
                       cairo_status_to_string(cairo_status(cr)));
        goto fail;
    }
    frame_setup(cr, s, sc, img->width, img->height);

    struct story_camera_state cam;
    story_camera_eval(s, sc, t, &cam);
    double zoom = isfinite(cam.zoom) ? fmax(cam.zoom, 1e-3) : 1;
    cairo_save(cr);
    cairo_translate(cr, s->width / 2, s->height / 2);
    cairo_scale(cr, zoom, zoom);
    cairo_translate(cr, isfinite(cam.x) ? -cam.x : -s->width / 2,
                    isfinite(cam.y) ? -cam.y : -s->height / 2);
    if (sc->background_media) {
        r = render_media_draw(rc, cr, sc->background_media, 0, 0, s->width,
                              s->height, err);
        if (r < 0) {
            dy_err_prefix(err, "background_media");
            goto fail;
        }
    }
    r = actors_draw(rc, cr, sc, t, lang, err);
    if (r < 0) {
        goto fail;
    }
    cairo_restore(cr);

    if (opts && opts->burn_captions) {
        const struct story_caption *cap = story_caption_at(sc, t);
        const char *text = cap ? story_text_get(&cap->text, lang) : NULL;
        if (text && *text) {
            /* A portrait frame (9:16) has tall bars above and below the
             * canvas: the caption goes down into the bottom bar, where it
             * covers nothing, instead of over the characters' feet. */
            double scale = fmin(img->width / s->width, img->height / s->height);
            double bar = (img->height / scale - s->height) / 2; /* story units */
            if (bar > 0.2 * s->height) {
                cairo_reset_clip(cr);
                cairo_translate(cr, 0, bar * 0.5);
            }
            render_caption_draw(rc, cr, text, s->width, s->height);
        }
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        r = dy_err_set(err, DY_EEXTERNAL, "render_scene_at", "cairo: %s",
                       cairo_status_to_string(cairo_status(cr)));
        goto fail;
    }
    r = 0;
fail:
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    cairo_surface_destroy(surf);
    return r;
}
