/* render_shape.c: vector shapes (strokes with per-point width, fills).
 *
 * A stroke whose width varies along it is drawn as one filled area: the
 * union of "capsules", each the convex hull of the circles at the two ends
 * of a segment. All capsules are added to one path with the same
 * orientation and filled with the non-zero rule, so overlaps are covered
 * once (a translucent stroke has no darker joints) and the joins and caps
 * come out round by construction. A constant-width stroke is the same
 * shape, so it takes the faster cairo_stroke path. */
#include <math.h>
#include <stdlib.h>

#include "render_internal.h"

static void set_color(cairo_t *cr, const struct story_color *c)
{
    cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
}

/* Uniform Catmull-Rom through p1 -> p2 as a cubic Bezier: the control
 * points are p1 + (p2 - p0) / 6 and p2 - (p3 - p1) / 6. */
static void catmull_controls(const struct story_point *p0,
                             const struct story_point *p1,
                             const struct story_point *p2,
                             const struct story_point *p3, double c[4])
{
    c[0] = p1->x + (p2->x - p0->x) / 6.0;
    c[1] = p1->y + (p2->y - p0->y) / 6.0;
    c[2] = p2->x - (p3->x - p1->x) / 6.0;
    c[3] = p2->y - (p3->y - p1->y) / 6.0;
}

/* The four points around segment i (i -> i+1) with ends clamped (open) or
 * wrapped (closed). */
static void segment_points(const struct story_point *pts, size_t n,
                           bool closed, size_t i,
                           const struct story_point *q[4])
{
    if (closed) {
        q[0] = &pts[(i + n - 1) % n];
        q[1] = &pts[i % n];
        q[2] = &pts[(i + 1) % n];
        q[3] = &pts[(i + 2) % n];
    } else {
        q[0] = &pts[i > 0 ? i - 1 : 0];
        q[1] = &pts[i];
        q[2] = &pts[i + 1];
        q[3] = &pts[i + 2 < n ? i + 2 : n - 1];
    }
}

static void path_build(cairo_t *cr, const struct story_point *pts, size_t n,
                       bool closed, bool smooth)
{
    cairo_new_path(cr);
    cairo_move_to(cr, pts[0].x, pts[0].y);
    size_t nseg = closed ? n : n - 1;
    for (size_t i = 0; i < nseg; i++) {
        const struct story_point *q[4];
        segment_points(pts, n, closed, i, q);
        if (smooth && n > 2) {
            double c[4];
            catmull_controls(q[0], q[1], q[2], q[3], c);
            cairo_curve_to(cr, c[0], c[1], c[2], c[3], q[2]->x, q[2]->y);
        } else {
            cairo_line_to(cr, q[2]->x, q[2]->y);
        }
    }
    if (closed) {
        cairo_close_path(cr);
    }
}

static int samples_reserve(struct render_ctx *rc, size_t n)
{
    if (n <= rc->pts_cap) {
        return 0;
    }
    size_t cap = rc->pts_cap ? rc->pts_cap : 256;
    while (cap < n) {
        cap *= 2;
    }
    double *p = realloc(rc->pts, cap * 3 * sizeof(*p));
    if (!p) {
        return -1;
    }
    rc->pts = p;
    rc->pts_cap = cap;
    return 0;
}

/* Scale of the current user space in device pixels (geometric mean of the
 * axes), used to pick how finely curves are sampled. */
static double device_scale(cairo_t *cr)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    return sqrt(fabs(m.xx * m.yy - m.xy * m.yx));
}

/* Flattens the stroke into (x, y, radius) samples in rc->pts; returns the
 * sample count, 0 on OOM. Smooth strokes follow the Catmull-Rom curve,
 * about one sample per 3 device pixels, the width interpolated linearly
 * along each segment. */
static size_t stroke_sample(struct render_ctx *rc, cairo_t *cr,
                            const struct story_shape *sh)
{
    size_t n = sh->n;
    size_t nseg = sh->closed ? n : n - 1;
    if (!sh->smooth || n < 3) {
        if (samples_reserve(rc, nseg + 1) != 0) {
            return 0;
        }
        for (size_t i = 0; i <= nseg; i++) {
            const struct story_point *p = &sh->pts[i % n];
            rc->pts[3 * i] = p->x;
            rc->pts[3 * i + 1] = p->y;
            rc->pts[3 * i + 2] = p->w * 0.5;
        }
        return nseg + 1;
    }
    double ds = device_scale(cr);
    size_t k = 0;
    for (size_t i = 0; i < nseg; i++) {
        const struct story_point *q[4];
        segment_points(sh->pts, n, sh->closed, i, q);
        double c[4];
        catmull_controls(q[0], q[1], q[2], q[3], c);
        double len = hypot(c[0] - q[1]->x, c[1] - q[1]->y) +
                     hypot(c[2] - c[0], c[3] - c[1]) +
                     hypot(q[2]->x - c[2], q[2]->y - c[3]);
        double fsteps = ceil(len * ds / 3.0);
        int steps = fsteps < 1 ? 1 : fsteps > 64 ? 64 : (int)fsteps;
        if (samples_reserve(rc, k + (size_t)steps + 1) != 0) {
            return 0;
        }
        for (int s = 0; s < steps; s++) {
            double u = (double)s / steps, v = 1.0 - u;
            double b0 = v * v * v, b1 = 3 * v * v * u, b2 = 3 * v * u * u,
                   b3 = u * u * u;
            rc->pts[3 * k] = b0 * q[1]->x + b1 * c[0] + b2 * c[2] + b3 * q[2]->x;
            rc->pts[3 * k + 1] =
                b0 * q[1]->y + b1 * c[1] + b2 * c[3] + b3 * q[2]->y;
            rc->pts[3 * k + 2] = 0.5 * (v * q[1]->w + u * q[2]->w);
            k++;
        }
    }
    const struct story_point *last = &sh->pts[sh->closed ? 0 : n - 1];
    rc->pts[3 * k] = last->x;
    rc->pts[3 * k + 1] = last->y;
    rc->pts[3 * k + 2] = last->w * 0.5;
    return k + 1;
}

static void add_circle(cairo_t *cr, double x, double y, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_close_path(cr);
}

/* The convex hull of circle (x0, y0, r0) and circle (x1, y1, r1), traversed
 * with increasing angle like cairo_arc, so that every capsule of a stroke has
 * the same orientation. */
static void add_capsule(cairo_t *cr, double x0, double y0, double r0,
                        double x1, double y1, double r1)
{
    double dx = x1 - x0, dy = y1 - y0;
    double len = hypot(dx, dy);
    if (len <= fabs(r0 - r1) + 1e-9) {
        /* One circle holds the other. */
        if (r0 >= r1) {
            add_circle(cr, x0, y0, r0);
        } else {
            add_circle(cr, x1, y1, r1);
        }
        return;
    }
    double th = atan2(dy, dx);
    /* The outer tangents touch both circles at angle th +- h from the
     * axis, h = 90 deg + asin((r0 - r1) / len). */
    double h = M_PI / 2 + asin((r0 - r1) / len);
    cairo_new_sub_path(cr);
    cairo_arc(cr, x1, y1, r1, th - h, th + h);
    cairo_arc(cr, x0, y0, r0, th + h, th + 2 * M_PI - h);
    cairo_close_path(cr);
}

static bool stroke_width_constant(const struct story_shape *sh)
{
    for (size_t i = 1; i < sh->n; i++) {
        if (fabs(sh->pts[i].w - sh->pts[0].w) > 1e-9) {
            return false;
        }
    }
    return true;
}

static void stroke_draw(struct render_ctx *rc, cairo_t *cr,
                        const struct story_shape *sh)
{
    set_color(cr, &sh->color);
    if (sh->n == 1) {
        if (sh->pts[0].w > 0) {
            cairo_new_path(cr);
            add_circle(cr, sh->pts[0].x, sh->pts[0].y, sh->pts[0].w * 0.5);
            cairo_fill(cr);
        }
        return;
    }
    if (stroke_width_constant(sh)) {
        if (sh->pts[0].w <= 0) {
            return;
        }
        path_build(cr, sh->pts, sh->n, sh->closed, sh->smooth);
        cairo_set_line_width(cr, sh->pts[0].w);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        return;
    }
    size_t k = stroke_sample(rc, cr, sh);
    if (k == 0) {
        /* Out of memory for the samples: fall back to the mean width so
         * that something sensible is still drawn. */
        double sum = 0;
        for (size_t i = 0; i < sh->n; i++) {
            sum += sh->pts[i].w;
        }
        path_build(cr, sh->pts, sh->n, sh->closed, sh->smooth);
        cairo_set_line_width(cr, sum / sh->n);
        cairo_stroke(cr);
        return;
    }
    const double *p = rc->pts;
    cairo_new_path(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    for (size_t i = 0; i + 1 < k; i++) {
        add_capsule(cr, p[3 * i], p[3 * i + 1], fmax(p[3 * i + 2], 0),
                    p[3 * i + 3], p[3 * i + 4], fmax(p[3 * i + 5], 0));
    }
    cairo_fill(cr);
}

static void fill_draw(cairo_t *cr, const struct story_shape *sh)
{
    if (sh->n < 3) {
        return;
    }
    bool outline = sh->line.a > 0 && sh->line_w > 0;
    if (sh->color.a <= 0 && !outline) {
        return;
    }
    path_build(cr, sh->pts, sh->n, true, sh->smooth);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    set_color(cr, &sh->color);
    if (!outline) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    set_color(cr, &sh->line);
    cairo_set_line_width(cr, sh->line_w);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
}

void render_drawing_draw(struct render_ctx *rc, cairo_t *cr,
                         const struct story_drawing *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct story_shape *sh = &d->shapes[i];
        if (sh->n == 0 || !sh->pts) {
            continue;
        }
        if (sh->kind == STORY_SHAPE_STROKE) {
            if (sh->color.a > 0) {
                stroke_draw(rc, cr, sh);
            }
        } else {
            fill_draw(cr, sh);
        }
    }
}
