/* preview.c: Cairo drawings of a slice plan (overview, layers, thumbnail).
 *
 * The isometric projection puts the bed's front-left corner at the bottom:
 * screen x = (x - y) cos 30, screen up = (x + y) sin 30 + z. Layers are
 * drawn bottom to top, so a higher layer always covers a lower one, which
 * is right for a view from above. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>

#include "daryn/atomic_file.h"
#include "daryn/preview.h"

void preview_feature_color(enum slice_feature f, double rgb[3])
{
    static const unsigned char tab[SLICE_FEAT_COUNT][3] = {
        [SLICE_FEAT_SKIRT] = {0, 135, 110},
        [SLICE_FEAT_BRIM] = {0, 135, 110},
        [SLICE_FEAT_WALL_OUTER] = {255, 125, 56},
        [SLICE_FEAT_WALL_INNER] = {255, 230, 77},
        [SLICE_FEAT_TOP] = {240, 64, 64},
        [SLICE_FEAT_BOTTOM] = {150, 84, 204},
        [SLICE_FEAT_INFILL] = {176, 48, 41},
        [SLICE_FEAT_SUPPORT] = {0, 200, 0},
        [SLICE_FEAT_SUPPORT_INTERFACE] = {0, 128, 0},
    };
    unsigned i = (unsigned)f < SLICE_FEAT_COUNT ? (unsigned)f : 0;
    for (int k = 0; k < 3; k++) {
        rgb[k] = tab[i][k] / 255.0;
    }
}

/* ---- isometric view ---------------------------------------------------- */

static const double ISO_C = 0.8660254037844386; /* cos 30 */
static const double ISO_S = 0.5;                /* sin 30 */

static void iso(double x, double y, double z, double *u, double *v)
{
    *u = (x - y) * ISO_C;
    *v = -((x + y) * ISO_S + z); /* Cairo y grows downwards */
}

struct frame {
    double scale, ox, oy; /* screen = o + scale * projected */
};

/* Fits the projected box of [x0,x1] x [y0,y1] x [0,z1] (mm) into the
 * rectangle (px, py, pw, ph) with a margin. */
static struct frame iso_fit(double x0, double y0, double x1, double y1,
                            double z1, double px, double py, double pw,
                            double ph)
{
    double umin = INFINITY, umax = -INFINITY, vmin = INFINITY, vmax = -INFINITY;
    for (int i = 0; i < 8; i++) {
        double u, v;
        iso(i & 1 ? x1 : x0, i & 2 ? y1 : y0, i & 4 ? z1 : 0, &u, &v);
        umin = fmin(umin, u);
        umax = fmax(umax, u);
        vmin = fmin(vmin, v);
        vmax = fmax(vmax, v);
    }
    double m = 0.06;
    double sw = (umax - umin) > 1e-9 ? pw * (1 - 2 * m) / (umax - umin) : 1;
    double sh = (vmax - vmin) > 1e-9 ? ph * (1 - 2 * m) / (vmax - vmin) : 1;
    struct frame f;
    f.scale = fmin(sw, sh);
    f.ox = px + pw / 2 - f.scale * (umin + umax) / 2;
    f.oy = py + ph / 2 - f.scale * (vmin + vmax) / 2;
    return f;
}

static void iso_point(const struct frame *f, double x, double y, double z,
                      double *sx, double *sy)
{
    double u, v;
    iso(x, y, z, &u, &v);
    *sx = f->ox + f->scale * u;
    *sy = f->oy + f->scale * v;
}

static void draw_path_iso(cairo_t *cr, const struct frame *f,
                          const struct slice_path *p, double z)
{
    double sx, sy;
    iso_point(f, p->pts[0].x / 1000.0, p->pts[0].y / 1000.0, z, &sx, &sy);
    cairo_move_to(cr, sx, sy);
    for (size_t k = 1; k < p->n; k++) {
        iso_point(f, p->pts[k].x / 1000.0, p->pts[k].y / 1000.0, z, &sx, &sy);
        cairo_line_to(cr, sx, sy);
    }
    if (p->closed) {
        cairo_close_path(cr);
    }
}

static void draw_layers_iso(cairo_t *cr, const struct slice_plan *plan,
                            const struct frame *f)
{
    double zmax = plan->max_z > 0 ? plan->max_z / 1000.0 : 1;
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < plan->nlayers; i++) {
        const struct slice_plan_layer *l = &plan->layers[i];
        double z = l->z_um / 1000.0;
        double shade = 0.45 + 0.55 * fmin(1, z / zmax);
        for (size_t j = 0; j < l->npaths; j++) {
            const struct slice_path *p = &l->paths[j];
            if (p->n < 2) {
                continue;
            }
            double rgb[3];
            preview_feature_color(p->feature, rgb);
            cairo_set_source_rgb(cr, rgb[0] * shade, rgb[1] * shade,
                                 rgb[2] * shade);
            cairo_set_line_width(cr, fmax(0.6, p->width_um / 1000.0 * f->scale));
            draw_path_iso(cr, f, p, z);
            cairo_stroke(cr);
        }
    }
}

/* The part of the bed worth showing: the print's footprint (skirt and
 * brim included) with a margin, at least 40 mm across, inside the bed. A
 * 40 mm figurine on a 220 mm bed would otherwise be a speck. */
static void view_box(const struct slice_plan *plan, const struct preview_bed *bed,
                     double box[4])
{
    double x0 = plan->min_x / 1000.0, y0 = plan->min_y / 1000.0;
    double x1 = plan->max_x / 1000.0, y1 = plan->max_y / 1000.0;
    if (!(x1 > x0) || !(y1 > y0)) {
        x0 = 0, y0 = 0, x1 = bed->x_mm, y1 = bed->y_mm;
    }
    double side = fmax(fmax(x1 - x0, y1 - y0) * 1.2, 40.0);
    double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    box[0] = fmax(0, cx - side / 2);
    box[1] = fmax(0, cy - side / 2);
    box[2] = fmin(bed->x_mm, cx + side / 2);
    box[3] = fmin(bed->y_mm, cy + side / 2);
}

static void draw_overview(cairo_t *cr, const struct slice_plan *plan,
                          const struct preview_bed *bed, double px, double py,
                          double pw, double ph)
{
    double zmax = plan->max_z / 1000.0, b[4];
    view_box(plan, bed, b);
    struct frame f = iso_fit(b[0], b[1], b[2], b[3], fmax(zmax, 1), px, py, pw, ph);
    double c[4][2];
    const double corners[4][2] = {{b[0], b[1]}, {b[2], b[1]}, {b[2], b[3]}, {b[0], b[3]}};
    for (int i = 0; i < 4; i++) {
        iso_point(&f, corners[i][0], corners[i][1], 0, &c[i][0], &c[i][1]);
    }
    cairo_move_to(cr, c[0][0], c[0][1]);
    for (int i = 1; i < 4; i++) {
        cairo_line_to(cr, c[i][0], c[i][1]);
    }
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 0.82, 0.82, 0.84);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.5);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    /* A 10 mm grid helps judge the size. */
    cairo_set_source_rgba(cr, 0.5, 0.5, 0.55, 0.35);
    cairo_set_line_width(cr, 0.7);
    for (double g = ceil(b[0] / 10) * 10; g < b[2]; g += 10) {
        double a0, a1, b0, b1;
        iso_point(&f, g, b[1], 0, &a0, &a1);
        iso_point(&f, g, b[3], 0, &b0, &b1);
        cairo_move_to(cr, a0, a1);
        cairo_line_to(cr, b0, b1);
    }
    for (double g = ceil(b[1] / 10) * 10; g < b[3]; g += 10) {
        double a0, a1, b0, b1;
        iso_point(&f, b[0], g, 0, &a0, &a1);
        iso_point(&f, b[2], g, 0, &b0, &b1);
        cairo_move_to(cr, a0, a1);
        cairo_line_to(cr, b0, b1);
    }
    cairo_stroke(cr);
    draw_layers_iso(cr, plan, &f);
}

/* ---- top-down layer views ---------------------------------------------- */

static void draw_layer_top(cairo_t *cr, const struct slice_plan *plan,
                           const struct preview_bed *bed, size_t li,
                           int travel, double px, double py, double pw,
                           double ph)
{
    const double m = 0.06, label = 18;
    double b[4];
    view_box(plan, bed, b);
    double bw = b[2] - b[0], bh = b[3] - b[1];
    double s = fmin(pw * (1 - 2 * m) / bw, (ph - label) * (1 - 2 * m) / bh);
    /* Bed millimetres (x, y) map to (ox + s*x, oy - s*y). */
    double ox = px + (pw - s * bw) / 2 - s * b[0];
    double oy = py + label + (ph - label + s * bh) / 2 + s * b[1];
    cairo_rectangle(cr, ox + s * b[0], oy - s * b[3], s * bw, s * bh);
    cairo_set_source_rgb(cr, 0.86, 0.86, 0.88);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.5);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    /* A 10 mm grid and scale bar, so the size can be judged. */
    cairo_set_source_rgba(cr, 0.5, 0.5, 0.55, 0.3);
    cairo_set_line_width(cr, 0.7);
    for (double g = ceil(b[0] / 10) * 10; g < b[2]; g += 10) {
        cairo_move_to(cr, ox + s * g, oy - s * b[1]);
        cairo_line_to(cr, ox + s * g, oy - s * b[3]);
    }
    for (double g = ceil(b[1] / 10) * 10; g < b[3]; g += 10) {
        cairo_move_to(cr, ox + s * b[0], oy - s * g);
        cairo_line_to(cr, ox + s * b[2], oy - s * g);
    }
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.2);
    cairo_set_line_width(cr, 2);
    cairo_move_to(cr, px + pw - 16 - s * 10, py + ph - 8);
    cairo_rel_line_to(cr, s * 10, 0);
    cairo_stroke(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 12);
    cairo_move_to(cr, px + pw - 16 - s * 10, py + ph - 12);
    cairo_show_text(cr, "10 mm");
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    /* The layer below, faint, for context. */
    for (int pass = li > 0 ? 0 : 1; pass < 2; pass++) {
        const struct slice_plan_layer *l = &plan->layers[li - (pass == 0)];
        for (size_t j = 0; j < l->npaths; j++) {
            const struct slice_path *p = &l->paths[j];
            if (p->n < 2) {
                continue;
            }
            double rgb[3];
            preview_feature_color(p->feature, rgb);
            if (pass == 0) {
                cairo_set_source_rgba(cr, 0.3, 0.3, 0.3, 0.18);
            } else {
                cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
            }
            cairo_set_line_width(cr, fmax(0.6, p->width_um / 1000.0 * s));
            cairo_move_to(cr, ox + s * p->pts[0].x / 1000.0,
                          oy - s * p->pts[0].y / 1000.0);
            for (size_t k = 1; k < p->n; k++) {
                cairo_line_to(cr, ox + s * p->pts[k].x / 1000.0,
                              oy - s * p->pts[k].y / 1000.0);
            }
            if (p->closed) {
                cairo_close_path(cr);
            }
            cairo_stroke(cr);
        }
    }
    const struct slice_plan_layer *l = &plan->layers[li];
    if (travel) {
        static const double dash[] = {3, 3};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, 0.8);
        cairo_set_source_rgb(cr, 0.1, 0.3, 0.8);
        for (size_t j = 1; j < l->npaths; j++) {
            const struct slice_path *pa = &l->paths[j - 1], *pb = &l->paths[j];
            if (!pa->n || !pb->n) {
                continue;
            }
            const struct slice_pt *e = pa->closed ? &pa->pts[0] : &pa->pts[pa->n - 1];
            cairo_move_to(cr, ox + s * e->x / 1000.0, oy - s * e->y / 1000.0);
            /* A combed travel goes round through its waypoints. */
            for (size_t k = 0; pb->via && k < pb->nvia; k++) {
                cairo_line_to(cr, ox + s * pb->via[k].x / 1000.0,
                              oy - s * pb->via[k].y / 1000.0);
            }
            cairo_line_to(cr, ox + s * pb->pts[0].x / 1000.0,
                          oy - s * pb->pts[0].y / 1000.0);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    char text[96];
    snprintf(text, sizeof(text), "layer %zu  z = %.2f mm", li + 1,
             l->z_um / 1000.0);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 13);
    cairo_set_source_rgb(cr, 0.15, 0.15, 0.2);
    cairo_move_to(cr, px + 6, py + 15);
    cairo_show_text(cr, text);
}

/* ---- output ------------------------------------------------------------ */

struct membuf {
    unsigned char *p;
    size_t n, cap;
    int oom;
};

static cairo_status_t mem_write(void *closure, const unsigned char *data,
                                unsigned int len)
{
    struct membuf *b = closure;
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16384;
        while (cap < b->n + len) {
            cap *= 2;
        }
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    return CAIRO_STATUS_SUCCESS;
}

static int surface_to_mem(cairo_surface_t *s, unsigned char **png, size_t *len,
                          struct dy_err *err)
{
    struct membuf b = {0};
    cairo_status_t st = cairo_surface_write_to_png_stream(s, mem_write, &b);
    if (st != CAIRO_STATUS_SUCCESS) {
        free(b.p);
        return dy_err_set(err, b.oom ? DY_ENOMEM : DY_EEXTERNAL, "preview",
                          "writing the PNG: %s", cairo_status_to_string(st));
    }
    *png = b.p;
    *len = b.n;
    return 0;
}

static int check_opts(const struct slice_plan *plan,
                      const struct preview_bed *bed,
                      const struct preview_opts *o, struct dy_err *err)
{
    if (o->width < 16 || o->height < 16 || o->width > PREVIEW_MAX_SIDE ||
        o->height > PREVIEW_MAX_SIDE) {
        return dy_err_set(err, DY_EINVAL, "preview: size",
                          "%dx%d is not within 16..%d", o->width, o->height,
                          PREVIEW_MAX_SIDE);
    }
    if (!(bed->x_mm > 0 && bed->y_mm > 0)) {
        return dy_err_set(err, DY_EINVAL, "preview: bed", "bed size must be > 0");
    }
    if (!o->overview && o->nlayers == 0) {
        return dy_err_set(err, DY_EINVAL, "preview",
                          "nothing to draw (no overview, no layers)");
    }
    for (size_t i = 0; i < o->nlayers; i++) {
        if (o->layers[i] >= plan->nlayers) {
            char where[64];
            snprintf(where, sizeof(where), "preview: layers[%zu]", i);
            return dy_err_set(err, DY_EINVAL, where,
                              "layer %zu does not exist (the plan has %zu)",
                              o->layers[i], plan->nlayers);
        }
    }
    return 0;
}

static int render_plan(const struct slice_plan *plan,
                       const struct preview_bed *bed,
                       const struct preview_opts *o, cairo_surface_t **out,
                       struct dy_err *err)
{
    int rc = check_opts(plan, bed, o, err);
    if (rc) {
        return rc;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                    o->width, o->height);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.98);
    cairo_paint(cr);
    size_t n = (o->overview ? 1 : 0) + o->nlayers;
    size_t cols = (size_t)ceil(sqrt((double)n));
    size_t rows = (n + cols - 1) / cols;
    double pw = (double)o->width / cols, ph = (double)o->height / rows;
    for (size_t k = 0; k < n; k++) {
        double px = (k % cols) * pw, py = (k / cols) * ph;
        cairo_save(cr);
        cairo_rectangle(cr, px, py, pw, ph);
        cairo_clip(cr);
        if (o->overview && k == 0) {
            draw_overview(cr, plan, bed, px, py, pw, ph);
        } else {
            size_t li = o->layers[k - (o->overview ? 1 : 0)];
            draw_layer_top(cr, plan, bed, li, o->travel, px, py, pw, ph);
        }
        cairo_restore(cr);
    }
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return dy_err_set(err, DY_EEXTERNAL, "preview", "cairo: %s",
                          cairo_status_to_string(st));
    }
    *out = s;
    return 0;
}

int preview_plan_png_mem(const struct slice_plan *plan,
                         const struct preview_bed *bed,
                         const struct preview_opts *opts, unsigned char **png,
                         size_t *len, struct dy_err *err)
{
    cairo_surface_t *s = NULL;
    int rc = render_plan(plan, bed, opts, &s, err);
    if (rc) {
        return rc;
    }
    rc = surface_to_mem(s, png, len, err);
    cairo_surface_destroy(s);
    return rc;
}

int preview_plan_png(const struct slice_plan *plan,
                     const struct preview_bed *bed,
                     const struct preview_opts *opts, const char *path,
                     struct dy_err *err)
{
    unsigned char *png = NULL;
    size_t len = 0;
    int rc = preview_plan_png_mem(plan, bed, opts, &png, &len, err);
    if (rc) {
        return rc;
    }
    struct dy_atomic out;
    if ((rc = dy_atomic_begin(&out, path, 0, err)) == 0) {
        FILE *f = dy_atomic_file(&out, "wb");
        if (!f || fwrite(png, 1, len, f) != len) {
            rc = dy_err_set(err, DY_EIO, path, "writing: %s", strerror(errno));
            dy_atomic_abort(&out);
        } else {
            rc = dy_atomic_commit(&out, err);
        }
    }
    free(png);
    return rc;
}

int preview_thumbnail_png(const struct slice_plan *plan, int w, int h,
                          unsigned char **png, size_t *len,
                          struct dy_err *err)
{
    if (w < 1 || h < 1 || w > PREVIEW_MAX_SIDE || h > PREVIEW_MAX_SIDE) {
        return dy_err_set(err, DY_EINVAL, "preview: thumbnail",
                          "%dx%d is not within 1..%d", w, h, PREVIEW_MAX_SIDE);
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    if (plan->nlayers > 0 && plan->max_x > plan->min_x) {
        double pad = 0.5; /* half a line width, mm */
        struct frame f = iso_fit(plan->min_x / 1000.0 - pad,
                                 plan->min_y / 1000.0 - pad,
                                 plan->max_x / 1000.0 + pad,
                                 plan->max_y / 1000.0 + pad,
                                 plan->max_z / 1000.0, 0, 0, w, h);
        draw_layers_iso(cr, plan, &f);
    }
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    int rc = 0;
    if (st != CAIRO_STATUS_SUCCESS) {
        rc = dy_err_set(err, DY_EEXTERNAL, "preview: thumbnail", "cairo: %s",
                        cairo_status_to_string(st));
    } else {
        rc = surface_to_mem(s, png, len, err);
    }
    cairo_surface_destroy(s);
    return rc;
}
