/* render_sprite.c: character parts drawn once into a raster ("sprite") and
 * composited under the part's transform in later frames.
 *
 * Why: a walking character redraws the same 20-60 smooth outlined shapes
 * every frame and only their transforms change. Flattening and scan
 * converting the outlines is most of a frame's cost; one bilinear
 * composite per part is several times cheaper.
 *
 * Determinism: a sprite's pixels depend only on its key (the drawing's
 * address, a hash of its content and the quantised scale), never on the
 * frame that built it, so a frame looks the same whatever was cached
 * before. The scale is quantised in 1/16-octave steps (a zoom animation
 * then re-renders a sprite every few frames, not every frame) and the
 * sprite is drawn at OVERSAMPLE times that scale: the composite then
 * shrinks it by about OVERSAMPLE, which keeps the edges as sharp as direct
 * drawing (a 1:1 bilinear rotation would soften them by up to a pixel).
 *
 * Edits: the content hash is taken every frame, so an edited drawing is
 * noticed without render_invalidate (which drops everything anyway). */
#include <math.h>
#include <string.h>

#include "render_internal.h"

/* Sprite pixels per device pixel (see above). */
#define OVERSAMPLE 1.75
/* Quantisation steps per octave of scale. */
#define QSTEPS 16.0
/* Transparent border around the drawing's extents, sprite pixels: the
 * antialiased edge and the bilinear filter's reach. */
#define PAD 3
/* Larger sprites are not worth it (and a zoomed-in part is mostly off
 * screen): such parts are drawn directly. */
#define MAX_SIDE 2048
#define MAX_PIXELS (1024 * 1024)
/* Memory for all sprites of a renderer; least recently used go first. */
#define BUDGET_BYTES ((size_t)32 << 20)

/* 64-bit mixing of one word into a running hash (multiply-xorshift). */
static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 32);
}

static uint64_t mix_double(uint64_t h, double d)
{
    uint64_t w;
    memcpy(&w, &d, sizeof(w));
    return mix(h, w);
}

static uint64_t mix_color(uint64_t h, const struct story_color *c)
{
    uint32_t w[4];
    memcpy(w, c, sizeof(w));
    h = mix(h, (uint64_t)w[0] << 32 | w[1]);
    return mix(h, (uint64_t)w[2] << 32 | w[3]);
}

/* Everything render_drawing_draw reads from the drawing. */
static uint64_t drawing_hash(const struct story_drawing *d)
{
    uint64_t h = mix(0x84222325cbf29ce4ull, d->n);
    for (size_t i = 0; i < d->n; i++) {
        const struct story_shape *sh = &d->shapes[i];
        h = mix(h, (uint64_t)sh->kind << 2 | (uint64_t)sh->closed << 1 |
                       (uint64_t)sh->smooth);
        h = mix(h, sh->pts ? sh->n : 0);
        h = mix_color(h, &sh->color);
        h = mix_color(h, &sh->line);
        h = mix_double(h, sh->line_w);
        for (size_t k = 0; sh->pts && k < sh->n; k++) {
            h = mix_double(h, sh->pts[k].x);
            h = mix_double(h, sh->pts[k].y);
            h = mix_double(h, sh->pts[k].w);
        }
    }
    return h;
}

/* Extents of what the drawing can paint, part-local units: control points
 * of the curves (a Bezier stays inside their hull) grown by the largest
 * half line width. Returns false for an empty or non-finite drawing. */
static bool drawing_extents(const struct story_drawing *d, double ext[4])
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    double half = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct story_shape *sh = &d->shapes[i];
        if (!sh->pts || sh->n == 0) {
            continue;
        }
        size_t n = sh->n;
        for (size_t k = 0; k < n; k++) {
            const struct story_point *p = &sh->pts[k];
            x0 = fmin(x0, p->x);
            y0 = fmin(y0, p->y);
            x1 = fmax(x1, p->x);
            y1 = fmax(y1, p->y);
            if (sh->kind == STORY_SHAPE_STROKE) {
                half = fmax(half, fabs(p->w) * 0.5);
            }
            if (sh->smooth && n > 2) {
                /* Catmull-Rom controls p[k] +- (p[k+1] - p[k-1]) / 6, with
                 * wrapped neighbours: a superset of both open and closed. */
                const struct story_point *a = &sh->pts[(k + n - 1) % n];
                const struct story_point *b = &sh->pts[(k + 1) % n];
                double dx = fabs(b->x - a->x) / 6, dy = fabs(b->y - a->y) / 6;
                x0 = fmin(x0, p->x - dx);
                y0 = fmin(y0, p->y - dy);
                x1 = fmax(x1, p->x + dx);
                y1 = fmax(y1, p->y + dy);
            }
        }
        if (sh->kind == STORY_SHAPE_FILL) {
            half = fmax(half, fabs(sh->line_w) * 0.5);
        }
    }
    if (!(isfinite(x0) && isfinite(y0) && isfinite(x1) && isfinite(y1) &&
          isfinite(half))) {
        return false;
    }
    ext[0] = x0 - half;
    ext[1] = y0 - half;
    ext[2] = x1 + half;
    ext[3] = y1 + half;
    return true;
}

static void sprite_free(struct render_ctx *rc, struct render_sprite *sp)
{
    if (sp->pat) {
        cairo_pattern_destroy(sp->pat);
    }
    rc->sprite_bytes -= sp->bytes;
    memset(sp, 0, sizeof(*sp));
}

void render_sprite_clear(struct render_ctx *rc)
{
    for (size_t i = 0; i < RENDER_SPRITE_SLOTS; i++) {
        if (rc->sprites[i].d) {
            sprite_free(rc, &rc->sprites[i]);
        }
    }
}

/* Frees least recently used sprites until `need` more bytes fit. */
static void budget_make_room(struct render_ctx *rc, size_t need)
{
    while (rc->sprite_bytes + need > BUDGET_BYTES && rc->sprite_bytes > 0) {
        struct render_sprite *old = NULL;
        for (size_t i = 0; i < RENDER_SPRITE_SLOTS; i++) {
            struct render_sprite *sp = &rc->sprites[i];
            if (sp->d && (!old || sp->used < old->used)) {
                old = sp;
            }
        }
        if (!old) {
            break;
        }
        sprite_free(rc, old);
    }
}

/* Draws the drawing into a new raster pattern (OUT: sp->pat, sp->bytes,
 * counted in rc->sprite_bytes); false when the drawing is empty, too large
 * or Cairo fails (the caller draws directly, and nothing was evicted for
 * a raster that cannot be made). */
static bool sprite_build(struct render_ctx *rc, struct render_sprite *sp,
                         const struct story_drawing *d, double sx, double sy,
                         double tolerance)
{
    double ext[4];
    if (!drawing_extents(d, ext)) {
        return false;
    }
    double u0 = floor(ext[0] * sx) - PAD, v0 = floor(ext[1] * sy) - PAD;
    double u1 = ceil(ext[2] * sx) + PAD, v1 = ceil(ext[3] * sy) + PAD;
    if (!(u1 - u0 <= MAX_SIDE && v1 - v0 <= MAX_SIDE &&
          (u1 - u0) * (v1 - v0) <= MAX_PIXELS)) {
        return false;
    }
    int w = (int)(u1 - u0), h = (int)(v1 - v0);
    size_t bytes = (size_t)w * (size_t)h * 4;
    budget_make_room(rc, bytes);
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(surf);
    cairo_set_tolerance(cr, tolerance);
    cairo_translate(cr, -u0, -v0);
    cairo_scale(cr, sx, sy);
    render_drawing_draw(rc, cr, d);
    bool ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    cairo_pattern_t *pat = cairo_pattern_create_for_surface(surf);
    cairo_surface_destroy(surf);
    if (!ok || cairo_pattern_status(pat) != CAIRO_STATUS_SUCCESS) {
        cairo_pattern_destroy(pat);
        return false;
    }
    /* Pattern space is sprite pixels: part-local (x, y) is at
     * (sx x - u0, sy y - v0). */
    cairo_matrix_t m;
    cairo_matrix_init(&m, sx, 0, 0, sy, -u0, -v0);
    cairo_pattern_set_matrix(pat, &m);
    cairo_pattern_set_filter(pat, CAIRO_FILTER_BILINEAR);
    sp->pat = pat;
    sp->bytes = bytes;
    rc->sprite_bytes += bytes;
    return true;
}

/* Scale quantised to a step index; false when unusable. */
static bool quantise(double s, int *q)
{
    if (!(s > 1e-4 && s < 1e4)) {
        return false;
    }
    *q = (int)lround(log2(s) * QSTEPS);
    return true;
}

static size_t slot_of(const struct story_drawing *d, int qx, int qy)
{
    uint64_t h = mix(mix((uint64_t)(uintptr_t)d, (uint64_t)(uint32_t)qx),
                     (uint64_t)(uint32_t)qy);
    return (size_t)(h % (RENDER_SPRITE_SLOTS / RENDER_SPRITE_WAYS)) *
           RENDER_SPRITE_WAYS;
}

bool render_sprite_draw(struct render_ctx *rc, cairo_t *cr,
                        const struct story_drawing *d)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    /* Lengths of the part's unit axes on the device: the sprite is drawn
     * with these scales so that the composite only rotates (or shears,
     * under a non-uniform actor scale). */
    int qx, qy;
    if (!quantise(hypot(m.xx, m.yx), &qx) || !quantise(hypot(m.xy, m.yy), &qy)) {
        return false;
    }
    uint64_t hash = drawing_hash(d);
    size_t base = slot_of(d, qx, qy);
    struct render_sprite *hit = NULL, *victim = &rc->sprites[base];
    for (size_t k = 0; k < RENDER_SPRITE_WAYS; k++) {
        struct render_sprite *sp = &rc->sprites[base + k];
        if (sp->d == d && sp->qx == qx && sp->qy == qy) {
            if (sp->hash == hash) {
                hit = sp;
            } else {
                sprite_free(rc, sp); /* edited since: stale */
            }
        }
        if (!hit && (!sp->d || (victim->d && sp->used < victim->used))) {
            victim = sp;
        }
    }
    if (!hit) {
        double sx = OVERSAMPLE * exp2(qx / QSTEPS);
        double sy = OVERSAMPLE * exp2(qy / QSTEPS);
        struct render_sprite fresh = {0};
        if (!sprite_build(rc, &fresh, d, sx, sy, cairo_get_tolerance(cr))) {
            return false;
        }
        if (victim->d) {
            sprite_free(rc, victim);
        }
        *victim = fresh;
        victim->d = d;
        victim->hash = hash;
        victim->qx = qx;
        victim->qy = qy;
        hit = victim;
    }
    hit->used = rc->frame;
    cairo_set_source(cr, hit->pat);
    cairo_paint(cr);
    return true;
}
