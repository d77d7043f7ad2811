/* slice_walls.c: stage 3, islands -> perimeter loops and the inner area.
 *
 * Every perimeter is offset from the island outline itself (not from the
 * previous loop), so rounding does not accumulate: loop k's centre line is
 * at line_w/2 + k*line_w inside, and the inner area's edge at
 * walls*line_w, i.e. exactly at the inner edge of the innermost loop.
 * Miter joins keep square corners square (a 20 mm cube's walls are exact
 * squares).
 *
 * Specks are dropped before any offset: an island whose area is below
 * line_w^2 and whose outer contour is shorter than 4 line widths (0.16
 * mm^2 and 1.6 mm at 0.4 mm; a 0.35 mm dot, the tip of an ear) would be
 * one dab of plastic after a retraction and a travel, which a printer
 * cannot place (Cura drops polygons under 1 mm of circumference for the
 * same reason). Thin but long features (a 0.3 x 10 mm fin) stay.
 * Likewise a wall ring shorter than 2 line widths (the innermost loop of
 * a small island, the wall of a pinhole) is dropped: the nozzle would
 * turn on the spot and leave a blob. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "daryn/slice.h"
#include "slice_internal.h"

/* Wall rings shorter than this many line widths are not printed. */
#define MIN_LOOP_W 2.0

struct walls_job {
    const struct slice_islands *in;
    const struct slice_walls_params *p;
    struct slice_walls *out;
};

/* Islands from slice_islands_build are normalised (outer CCW, holes CW), so
 * the offsets can skip poly_offset's union; a hand-made island with a ring
 * the wrong way round takes the safe path. */
static int island_offset(const struct poly_island *is, double delta_um, struct poly_set *out)
{
    bool norm = is->rings.n > 0 && poly_ring_area(&is->rings.rings[0]) > 0;
    for (size_t r = 1; norm && r < is->rings.n; r++)
        norm = poly_ring_area(&is->rings.rings[r]) < 0;
    return norm ? poly_offset_normalized(&is->rings, delta_um, POLY_JOIN_MITER, out)
                : poly_offset(&is->rings, delta_um, POLY_JOIN_MITER, out);
}

static double ring_length(const struct poly_ring *r)
{
    double s = 0.0;
    for (size_t i = 0; i < r->n; i++) {
        struct slice_pt a = r->pts[i], b = r->pts[(i + 1) % r->n];
        s += hypot((double)a.x - b.x, (double)a.y - b.y);
    }
    return s;
}

static bool island_is_speck(const struct poly_set *outline, int32_t line_w_um)
{
    if (outline->n == 0)
        return true;
    double w = line_w_um;
    return fabs(poly_set_area(outline)) < w * w && ring_length(&outline->rings[0]) < 4.0 * w;
}

/* Removes the rings shorter than min_len from a loop set, in place. */
static void drop_short_rings(struct poly_set *s, double min_len)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (ring_length(&s->rings[i]) < min_len) {
            poly_ring_fini(&s->rings[i]);
            continue;
        }
        s->rings[kept++] = s->rings[i];
    }
    for (size_t i = kept; i < s->n; i++)
        s->rings[i] = (struct poly_ring){0};
    s->n = kept;
}

static int island_walls(const struct poly_island *is, const struct slice_walls_params *p,
                        struct slice_island_walls *w)
{
    int32_t lw = p->line_w_um;
    int rc = poly_set_copy(&w->outline, &is->rings);
    if (rc)
        return rc;
    if (island_is_speck(&is->rings, lw))
        return 0; /* no loops, no inner area: nothing is printed */
    w->loops = calloc((size_t)p->walls, sizeof(*w->loops));
    w->loop_w_um = calloc((size_t)p->walls, sizeof(*w->loop_w_um));
    if (!w->loops || !w->loop_w_um)
        return DY_ENOMEM;
    for (int k = 0; k < p->walls; k++) {
        struct poly_set *loop = &w->loops[w->nloops];
        rc = island_offset(is, -(lw / 2.0 + (double)k * lw), loop);
        if (rc)
            return rc;
        drop_short_rings(loop, MIN_LOOP_W * lw);
        if (loop->n == 0) {
            poly_set_fini(loop); /* it may still hold the emptied ring array */
            break;
        }
        w->loop_w_um[w->nloops++] = lw;
    }
    if (w->nloops == 0) {
        /* Thinner than a line: one outline a quarter width in, printed
         * at half width, is the best that keeps the feature at all. */
        rc = island_offset(is, -lw / 4.0, &w->loops[0]);
        if (rc)
            return rc;
        drop_short_rings(&w->loops[0], MIN_LOOP_W * lw);
        if (w->loops[0].n) {
            w->loop_w_um[0] = lw / 2;
            w->nloops = 1;
        } else {
            poly_set_fini(&w->loops[0]);
        }
        return 0;
    }
    if (w->nloops < (size_t)p->walls)
        return 0; /* the loops already fill it: nothing left inside */
    return island_offset(is, -(double)p->walls * lw, &w->inner);
}

static void island_walls_fini(struct slice_island_walls *w)
{
    poly_set_fini(&w->outline);
    for (size_t k = 0; w->loops && k < (size_t)w->nloops; k++)
        poly_set_fini(&w->loops[k]);
    /* Loops past nloops may hold an empty, allocated-nothing set. */
    free(w->loops);
    free(w->loop_w_um);
    poly_set_fini(&w->inner);
    *w = (struct slice_island_walls){0};
}

static int walls_layer(void *ctx, size_t k, struct dy_err *err)
{
    struct walls_job *j = ctx;
    const struct poly_islands *isl = &j->in->v[k];
    struct slice_layer_walls *lw = &j->out->layers[k];
    lw->v = calloc(isl->n ? isl->n : 1, sizeof(*lw->v));
    if (!lw->v)
        return DY_ENOMEM;
    lw->n = isl->n;
    for (size_t i = 0; i < isl->n; i++) {
        int rc = island_walls(&isl->v[i], j->p, &lw->v[i]);
        if (rc)
            return dy_err_set(err, rc, "slice walls", "layer %zu island %zu: %s", k, i,
                              dy_code_name(rc));
    }
    return 0;
}

int slice_walls_build(const struct slice_islands *in, const struct slice_walls_params *p,
                      const struct slice_ctl *ctl, struct slice_walls *out,
                      struct dy_err *err)
{
    *out = (struct slice_walls){0};
    if (p->line_w_um <= 0 || p->walls < 1 || p->walls > 100)
        return dy_err_set(err, DY_EINVAL, "slice walls",
                          "line width must be > 0 and walls 1..100 (got %d um, %d)",
                          (int)p->line_w_um, p->walls);
    out->layers = calloc(in->n ? in->n : 1, sizeof(*out->layers));
    if (!out->layers)
        return dy_err_set(err, DY_ENOMEM, "slice walls", "out of memory");
    out->n = in->n;
    struct walls_job j = {in, p, out};
    int rc = slice_parallel_for(in->n, p->threads, walls_layer, &j, ctl, SLICE_STAGE_WALLS, err);
    if (rc)
        slice_walls_fini(out);
    return rc;
}

void slice_walls_fini(struct slice_walls *w)
{
    for (size_t k = 0; w->layers && k < w->n; k++) {
        struct slice_layer_walls *l = &w->layers[k];
        for (size_t i = 0; l->v && i < l->n; i++)
            island_walls_fini(&l->v[i]);
        free(l->v);
    }
    free(w->layers);
    *w = (struct slice_walls){0};
}
