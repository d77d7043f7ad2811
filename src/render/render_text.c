/* render_text.c: text actors, speech / thought bubbles and burned captions
 * (Pango through PangoCairo).
 *
 * Layouts are made once in story units with hinting off and unrounded
 * glyph positions, then drawn under any transform: the line breaks and
 * glyph positions are the same at 180p and 1080p, so a frame looks the same
 * at every size. The shaped layouts are cached because shaping dominates
 * the cost of text and the same text is drawn in every frame. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

int render_text_init(struct render_ctx *rc, struct dy_err *err)
{
    /* A font map of our own (not pango_cairo_font_map_get_default()) keeps
     * renderers independent, also across threads. */
    rc->fontmap = pango_cairo_font_map_new();
    if (!rc->fontmap) {
        return dy_err_set(err, DY_EEXTERNAL, "render", "cannot create a Pango font map");
    }
    rc->pango = pango_font_map_create_context(rc->fontmap);
    if (!rc->pango) {
        return dy_err_set(err, DY_EEXTERNAL, "render", "cannot create a Pango context");
    }
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(rc->pango, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(rc->pango, FALSE);
    return 0;
}

void render_text_fini(struct render_ctx *rc)
{
    render_caption_cache_clear(rc);
    for (int i = 0; i < RENDER_LAYOUT_CACHE; i++) {
        struct render_layout *l = &rc->layouts[i];
        free(l->text);
        if (l->layout) {
            g_object_unref(l->layout);
        }
        memset(l, 0, sizeof(*l));
    }
    if (rc->pango) {
        g_object_unref(rc->pango);
        rc->pango = NULL;
    }
    if (rc->fontmap) {
        g_object_unref(rc->fontmap);
        rc->fontmap = NULL;
    }
}

PangoLayout *render_layout_get(struct render_ctx *rc, const char *text,
                               double size, double wrap)
{
    /* Pango sizes are ints in 1/1024 units: keep them in range. */
    size = fmin(fmax(size, 0.5), 10000.0);
    wrap = wrap > 0 ? fmin(fmax(wrap, 1.0), 1.0e6) : 0;
    struct render_layout *slot = &rc->layouts[0];
    for (int i = 0; i < RENDER_LAYOUT_CACHE; i++) {
        struct render_layout *l = &rc->layouts[i];
        if (l->text && l->size == size && l->wrap == wrap &&
            strcmp(l->text, text) == 0) {
            l->used = rc->frame;
            return l->layout;
        }
        if (!l->text || (slot->text && l->used < slot->used)) {
            slot = l;
        }
    }
    char *copy = strdup(text);
    if (!copy) {
        return NULL;
    }
    if (!slot->layout) {
        slot->layout = pango_layout_new(rc->pango);
        PangoFontDescription *fd =
            pango_font_description_from_string(RENDER_FONT_FAMILY);
        pango_layout_set_font_description(slot->layout, fd);
        pango_font_description_free(fd);
        pango_layout_set_alignment(slot->layout, PANGO_ALIGN_CENTER);
        pango_layout_set_wrap(slot->layout, PANGO_WRAP_WORD_CHAR);
    }
    PangoFontDescription *fd = pango_font_description_copy(
        pango_layout_get_font_description(slot->layout));
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(slot->layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(slot->layout, wrap > 0 ? (int)(wrap * PANGO_SCALE) : -1);
    pango_layout_set_text(slot->layout, text, -1);
    free(slot->text);
    slot->text = copy;
    slot->size = size;
    slot->wrap = wrap;
    slot->used = rc->frame;
    return slot->layout;
}

int render_text_missing_glyphs(struct render_ctx *rc, const char *text)
{
    if (!rc || !text) {
        return DY_EINVAL;
    }
    PangoLayout *l = render_layout_get(rc, text, 48.0, 0);
    if (!l) {
        return DY_ENOMEM;
    }
    return pango_layout_get_unknown_glyphs_count(l);
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h,
                         double r)
{
    r = fmin(r, fmin(w, h) / 2);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static void circle(cairo_t *cr, double x, double y, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_close_path(cr);
}

/* The tail of a speech bubble: a triangle from the box centre (origin) to
 * the tail point, wound like cairo_arc so that the non-zero fill joins it
 * with the box instead of cutting a hole. */
static void speech_tail(cairo_t *cr, double tx, double ty, double half_base)
{
    double len = hypot(tx, ty);
    double nx = -ty / len * half_base, ny = tx / len * half_base;
    double ax = nx, ay = ny, bx = -nx, by = -ny;
    double area = (ax * ty - tx * ay) + (tx * by - bx * ty) + (bx * ay - ax * by);
    if (area < 0) {
        ax = -nx, ay = -ny, bx = nx, by = ny;
    }
    cairo_new_sub_path(cr);
    cairo_move_to(cr, ax, ay);
    cairo_line_to(cr, tx, ty);
    cairo_line_to(cr, bx, by);
    cairo_close_path(cr);
}

/* A cloud around the half-extents (hw, hh): bumps on an ellipse plus the
 * ellipse itself, then shrinking circles towards the tail. */
static void thought_cloud(cairo_t *cr, double hw, double hh, double size,
                          double tx, double ty)
{
    double ax = hw * 1.2, ay = hh * 1.25;
    double perim = M_PI * (3 * (ax + ay) - sqrt((3 * ax + ay) * (ax + 3 * ay)));
    int nb = (int)lround(perim / (size * 1.8));
    nb = nb < 8 ? 8 : nb > 48 ? 48 : nb;
    double step = perim / nb;
    for (int i = 0; i < nb; i++) {
        double a = 2 * M_PI * i / nb;
        circle(cr, ax * cos(a), ay * sin(a), step * 0.62);
    }
    cairo_save(cr);
    cairo_scale(cr, ax, ay);
    circle(cr, 0, 0, 1);
    cairo_restore(cr);
    /* Where the direction to the tail leaves the ellipse. */
    double q = (tx * tx) / (ax * ax) + (ty * ty) / (ay * ay);
    if (q <= 1.0) {
        return; /* tail inside the cloud */
    }
    double k = 1.0 / sqrt(q);
    double ex = tx * k, ey = ty * k;
    double len = hypot(tx - ex, ty - ey);
    double ux = (tx - ex) / len, uy = (ty - ey) / len;
    /* Three shrinking circles: the first clear of the bumps, the last
     * touching the tail point. */
    const double rad[3] = {size * 0.4, size * 0.27, size * 0.16};
    double d0 = step * 0.62 + size * 0.15 + rad[0], d2 = len - rad[2];
    if (d2 <= d0) {
        circle(cr, tx - ux * rad[2], ty - uy * rad[2], rad[2]);
        return;
    }
    const double at[3] = {d0, d0 + (d2 - d0) * 0.55, d2};
    for (int i = 0; i < 3; i++) {
        circle(cr, ex + ux * at[i], ey + uy * at[i], rad[i]);
    }
}

void render_text_actor_draw(struct render_ctx *rc, cairo_t *cr,
                            const struct story_actor *a, enum story_lang lang)
{
    const char *text = story_text_get(&a->text, lang);
    if (!text || !*text) {
        return;
    }
    double size = a->font_size > 0 ? a->font_size : 48.0;
    PangoLayout *lay = render_layout_get(rc, text, size, a->box_w);
    if (!lay) {
        return;
    }
    PangoRectangle lr;
    pango_layout_get_extents(lay, NULL, &lr);
    double lx = (double)lr.x / PANGO_SCALE, ly = (double)lr.y / PANGO_SCALE;
    double lw = (double)lr.width / PANGO_SCALE, lh = (double)lr.height / PANGO_SCALE;
    if (a->box_w > 0) {
        /* Centre the whole box, not just the longest line. */
        lx = 0;
        lw = fmax(lw, a->box_w);
    }

    if (a->bubble != STORY_BUBBLE_NONE) {
        double pad = size * 0.5;
        double hw = lw / 2 + pad, hh = lh / 2 + pad;
        double line = fmax(size * 0.08, 1.0);
        cairo_new_path(cr);
        if (a->bubble == STORY_BUBBLE_SPEECH) {
            rounded_rect(cr, -hw, -hh, 2 * hw, 2 * hh, size * 0.8);
            if (fabs(a->tail_x) > hw || fabs(a->tail_y) > hh) {
                speech_tail(cr, a->tail_x, a->tail_y, fmin(hw, hh) * 0.35);
            }
        } else {
            thought_cloud(cr, hw, hh, size, a->tail_x, a->tail_y);
        }
        /* Stroke at twice the width, then fill: the fill hides the inner
         * half and the seams between the pieces, leaving one outline. */
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
        cairo_set_line_width(cr, 2 * line);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        const struct story_color *tc = &a->text_color;
        cairo_set_source_rgba(cr, tc->r, tc->g, tc->b, tc->a);
        cairo_stroke_preserve(cr);
        const struct story_color *bc = &a->bubble_color;
        cairo_set_source_rgba(cr, bc->r, bc->g, bc->b, bc->a);
        cairo_fill(cr);
    }

    const struct story_color *tc = &a->text_color;
    cairo_set_source_rgba(cr, tc->r, tc->g, tc->b, tc->a);
    cairo_move_to(cr, -lx - lw / 2, -ly - lh / 2);
    pango_cairo_show_layout(cr, lay);
}

/* Draws the caption band and outlined text in canvas units. */
static void caption_paint(cairo_t *cr, PangoLayout *lay, double size,
                          double canvas_w, double canvas_h)
{
    PangoRectangle lr;
    pango_layout_get_extents(lay, NULL, &lr);
    double lx = (double)lr.x / PANGO_SCALE, ly = (double)lr.y / PANGO_SCALE;
    double lw = (double)lr.width / PANGO_SCALE, lh = (double)lr.height / PANGO_SCALE;
    double pad = size * 0.35;
    double tx = (canvas_w - lw) / 2, ty = canvas_h * 0.95 - pad - lh;

    cairo_new_path(cr);
    rounded_rect(cr, tx - pad, ty - pad, lw + 2 * pad, lh + 2 * pad, size * 0.3);
    cairo_set_source_rgba(cr, 0, 0, 0, 0.55);
    cairo_fill(cr);

    cairo_new_path(cr);
    cairo_move_to(cr, tx - lx, ty - ly);
    pango_cairo_layout_path(cr, lay);
    cairo_set_line_width(cr, size * 0.14);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_source_rgba(cr, 0.05, 0.05, 0.05, 0.95);
    cairo_stroke_preserve(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
}

void render_caption_cache_clear(struct render_ctx *rc)
{
    free(rc->caption.text);
    if (rc->caption.surf) {
        cairo_surface_destroy(rc->caption.surf);
    }
    memset(&rc->caption, 0, sizeof(rc->caption));
}

/* Renders the caption into a device-pixel raster (the cache). */
static int caption_rasterize(struct render_ctx *rc, cairo_t *cr,
                             const char *text, double canvas_w,
                             double canvas_h)
{
    struct render_caption_cache *cc = &rc->caption;
    double size = canvas_h * 0.055;
    PangoLayout *lay = render_layout_get(rc, text, size, canvas_w * 0.84);
    if (!lay) {
        return -1;
    }
    PangoRectangle lr;
    pango_layout_get_extents(lay, NULL, &lr);
    double lh = (double)lr.height / PANGO_SCALE;
    /* The band spans the canvas width at most; the outline adds a little
     * above and below. */
    double top = canvas_h * 0.95 - lh - size * 1.0, bottom = canvas_h;
    double x0 = 0, y0 = top, x1 = canvas_w, y1 = bottom;
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device(cr, &x1, &y1);
    int ix0 = (int)floor(fmin(x0, x1)), iy0 = (int)floor(fmin(y0, y1));
    int ix1 = (int)ceil(fmax(x0, x1)), iy1 = (int)ceil(fmax(y0, y1));
    if (ix1 <= ix0 || iy1 <= iy0) {
        return -1;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                                    ix1 - ix0, iy1 - iy0);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return -1;
    }
    char *copy = strdup(text);
    if (!copy) {
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_t *c2 = cairo_create(s);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    cairo_translate(c2, -ix0, -iy0);
    cairo_transform(c2, &m);
    caption_paint(c2, lay, size, canvas_w, canvas_h);
    cairo_destroy(c2);
    render_caption_cache_clear(rc);
    cc->text = copy;
    cc->m = m;
    cc->surf = s;
    cc->x = ix0;
    cc->y = iy0;
    return 0;
}

void render_caption_draw(struct render_ctx *rc, cairo_t *cr, const char *text,
                         double canvas_w, double canvas_h)
{
    struct render_caption_cache *cc = &rc->caption;
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    bool hit = cc->text && strcmp(cc->text, text) == 0 && cc->m.xx == m.xx &&
               cc->m.yx == m.yx && cc->m.xy == m.xy && cc->m.yy == m.yy &&
               cc->m.x0 == m.x0 && cc->m.y0 == m.y0;
    if (!hit && caption_rasterize(rc, cr, text, canvas_w, canvas_h) != 0) {
        /* No memory for the raster: draw directly. */
        double size = canvas_h * 0.055;
        PangoLayout *lay = render_layout_get(rc, text, size, canvas_w * 0.84);
        if (lay) {
            caption_paint(cr, lay, size, canvas_w, canvas_h);
        }
        return;
    }
    cairo_save(cr);
    cairo_identity_matrix(cr);
    cairo_set_source_surface(cr, cc->surf, cc->x, cc->y);
    cairo_paint(cr);
    cairo_restore(cr);
}
