/* infill_gyroid.c: the GYROID pattern: the zero contour of
 *     g(x, y, z) = sin x cos y + sin y cos z + sin z cos x
 * in the plane of the layer, with x, y, z in units of `scale` microns per
 * radian. Stacked layers trace the gyroid surface, which is strong in every
 * direction and never crosses itself within a layer (no nozzle bumps).
 *
 * PrusaSlicer (FillGyroid.cpp) solves g = 0 for y along x and emits wave
 * polylines; we run marching squares over a grid anchored to the bed
 * origin instead, which gives the same curves at every z including the
 * layers where neighbouring waves touch (there the closed-form waves need
 * special cases), and makes equal layers bit-identical.
 *
 * Density: the contour length per area of the unit gyroid's slices,
 * averaged over z, is SLICE_INFILL_GYROID_LENGTH_PER_AREA (lambda) per
 * radian; at scale s microns per radian it is lambda / s per micron, so the
 * extruded fraction is w * lambda / s and s = w * lambda / density. It
 * varies with z by a few percent around that mean. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/slice_infill.h"
#include "infill_internal.h"

/* Grid steps per period: the chord sag of the interpolated contour is
 * about 0.4% of the period (8 um at a 20% gyroid of 0.4 mm lines). */
#define GYROID_STEPS_PER_PERIOD 24
/* The grid is processed in tiles of at most GYROID_TILE^2 samples (24 MB
 * of values and edge links); the total is capped so an absurd area is
 * refused rather than ground through (1e8 samples is a 400 mm square at
 * 100% gyroid, about a second). */
#define GYROID_TILE 1024
#define GYROID_MAX_SAMPLES 1e8

struct gyroid_grid {
    int64_t i0, j0;      /* global index of sample (0, 0) */
    size_t nx, ny;       /* samples per row, rows */
    double h;            /* step, um */
    double *v;           /* nx * ny values of g */
    int32_t *link;       /* 2 per edge: neighbouring edges on the contour */
    unsigned char *seen; /* per edge, visited by the walk */
    size_t nh;           /* number of horizontal edges ((nx-1) * ny) */
};

static void grid_fini(struct gyroid_grid *g)
{
    free(g->v);
    free(g->link);
    free(g->seen);
}

static size_t edge_h(const struct gyroid_grid *g, size_t i, size_t j)
{
    return j * (g->nx - 1) + i;
}

static size_t edge_v(const struct gyroid_grid *g, size_t i, size_t j)
{
    return g->nh + j * g->nx + i;
}

static void link_add(struct gyroid_grid *g, size_t a, size_t b)
{
    int32_t *la = &g->link[2 * a], *lb = &g->link[2 * b];
    la[la[0] < 0 ? 0 : 1] = (int32_t)b;
    lb[lb[0] < 0 ? 0 : 1] = (int32_t)a;
}

/* Connects the crossings of cell (i, j). A saddle (all four edges crossed)
 * is resolved by the cell centre's sign, the usual asymptotic guess. */
static void cell_link(struct gyroid_grid *g, size_t i, size_t j)
{
    const double *v = g->v;
    const size_t nx = g->nx;
    const double v00 = v[j * nx + i], v10 = v[j * nx + i + 1];
    const double v11 = v[(j + 1) * nx + i + 1], v01 = v[(j + 1) * nx + i];
    const int p00 = v00 >= 0, p10 = v10 >= 0, p11 = v11 >= 0, p01 = v01 >= 0;
    const size_t bottom = edge_h(g, i, j), top = edge_h(g, i, j + 1);
    const size_t left = edge_v(g, i, j), right = edge_v(g, i + 1, j);
    size_t e[4];
    int n = 0;
    if (p00 != p10)
        e[n++] = bottom;
    if (p10 != p11)
        e[n++] = right;
    if (p11 != p01)
        e[n++] = top;
    if (p01 != p00)
        e[n++] = left;
    if (n == 2) {
        link_add(g, e[0], e[1]);
    } else if (n == 4) {
        const int centre = (v00 + v10 + v11 + v01) >= 0;
        if (centre == p00) {
            /* v00 and v11 join through the centre: cut off v10 and v01. */
            link_add(g, bottom, right);
            link_add(g, top, left);
        } else {
            link_add(g, bottom, left);
            link_add(g, top, right);
        }
    }
}

static struct slice_pt edge_point(const struct gyroid_grid *g, size_t e)
{
    size_t i, j, k;
    double a, b, fx, fy;
    if (e < g->nh) {
        i = e % (g->nx - 1), j = e / (g->nx - 1), k = j * g->nx + i;
        a = g->v[k], b = g->v[k + 1];
        fx = (double)(g->i0 + (int64_t)i) + a / (a - b);
        fy = (double)(g->j0 + (int64_t)j);
    } else {
        e -= g->nh;
        i = e % g->nx, j = e / g->nx, k = j * g->nx + i;
        a = g->v[k], b = g->v[k + g->nx];
        fx = (double)(g->i0 + (int64_t)i);
        fy = (double)(g->j0 + (int64_t)j) + a / (a - b);
    }
    return (struct slice_pt){(int32_t)lround(fx * g->h), (int32_t)lround(fy * g->h)};
}

/* Drops points within `tol` um of the chord from the last kept point to
 * the next point: the contour is sampled every h um even where it is
 * nearly straight, and the printer gains nothing from that. Error stays
 * within a few tol on smooth curves. */
static void thin(struct poly_ring *r, double tol)
{
    if (r->n < 3)
        return;
    size_t k = 1;
    for (size_t i = 1; i + 1 < r->n; i++) {
        const struct slice_pt a = r->pts[k - 1], p = r->pts[i], b = r->pts[i + 1];
        const double dx = (double)b.x - a.x, dy = (double)b.y - a.y;
        const double len = hypot(dx, dy);
        const double dev = len > 0 ? fabs(dx * ((double)p.y - a.y) - dy * ((double)p.x - a.x)) / len
                                   : hypot((double)p.x - a.x, (double)p.y - a.y);
        if (dev > tol)
            r->pts[k++] = p;
    }
    r->pts[k++] = r->pts[r->n - 1];
    r->n = k;
}

/* Follows the contour from edge `start` until it ends or closes, appending
 * it as one polyline. */
static int walk(struct gyroid_grid *g, size_t start, struct poly_ring *cur,
                struct poly_lines *raw)
{
    int64_t prev = -1, e = (int64_t)start;
    cur->n = 0;
    while (e >= 0 && !g->seen[e]) {
        g->seen[e] = 1;
        const struct slice_pt p = edge_point(g, (size_t)e);
        if (cur->n == 0 || p.x != cur->pts[cur->n - 1].x || p.y != cur->pts[cur->n - 1].y) {
            if (poly_ring_push(cur, p.x, p.y) != 0)
                return DY_ENOMEM;
        }
        const int32_t *l = &g->link[2 * e];
        const int64_t next = l[0] != prev ? l[0] : l[1];
        prev = e;
        e = next;
    }
    /* A closed loop came back to its start: close the polyline. */
    if (e == (int64_t)start && cur->n > 2 && poly_ring_push(cur, cur->pts[0].x, cur->pts[0].y) != 0)
        return DY_ENOMEM;
    thin(cur, 2.0);
    if (cur->n >= 2 && poly_lines_add(raw, cur->pts, cur->n) != 0)
        return DY_ENOMEM;
    return 0;
}

/* Samples one tile [i0, i0+nx) x [j0, j0+ny) of the global grid into g
 * (buffers sized for the largest tile) and appends its contours. */
static int gyroid_tile(struct gyroid_grid *g, double scale, double sz, double cz,
                       double *trig, struct poly_ring *cur, struct poly_lines *raw)
{
    g->nh = (g->nx - 1) * g->ny;
    const size_t nedges = g->nh + g->nx * (g->ny - 1);
    for (size_t k = 0; k < 2 * nedges; k++)
        g->link[k] = -1;
    memset(g->seen, 0, nedges);
    /* g is separable per row and column: sin/cos once per index. */
    double *sx = trig, *cx = sx + g->nx, *sy = cx + g->nx, *cy = sy + g->ny;
    for (size_t i = 0; i < g->nx; i++) {
        const double x = (double)(g->i0 + (int64_t)i) * g->h / scale;
        sx[i] = sin(x), cx[i] = cos(x);
    }
    for (size_t j = 0; j < g->ny; j++) {
        const double y = (double)(g->j0 + (int64_t)j) * g->h / scale;
        sy[j] = sin(y), cy[j] = cos(y);
    }
    for (size_t j = 0; j < g->ny; j++) {
        for (size_t i = 0; i < g->nx; i++)
            g->v[j * g->nx + i] = sx[i] * cy[j] + sy[j] * cz + sz * cx[i];
    }
    for (size_t j = 0; j + 1 < g->ny; j++) {
        for (size_t i = 0; i + 1 < g->nx; i++)
            cell_link(g, i, j);
    }
    /* Open contours first (they end on the tile border), then loops. */
    int rc = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        for (size_t e = 0; e < nedges && rc == 0; e++) {
            const int32_t *l = &g->link[2 * e];
            const int deg = (l[0] >= 0) + (l[1] >= 0);
            if (!g->seen[e] && deg == (pass == 0 ? 1 : 2))
                rc = walk(g, e, cur, raw);
        }
    }
    return rc;
}

int infill_gyroid_add(const struct infill_bbox *bb, double density, int32_t line_w_um,
                      int32_t z_um, struct poly_lines *raw, struct dy_err *err)
{
    struct gyroid_grid g = {0};
    struct poly_ring cur = {0};
    double *trig = NULL;
    int rc = 0;

    if (bb->min_x > bb->max_x)
        return 0;
    const double scale = line_w_um * SLICE_INFILL_GYROID_LENGTH_PER_AREA / density;
    g.h = 2.0 * M_PI * scale / GYROID_STEPS_PER_PERIOD;
    const int64_t gi0 = (int64_t)floor(bb->min_x / g.h) - 1;
    const int64_t gj0 = (int64_t)floor(bb->min_y / g.h) - 1;
    const double fnx = ceil(bb->max_x / g.h) + 2 - (double)gi0;
    const double fny = ceil(bb->max_y / g.h) + 2 - (double)gj0;
    if (fnx * fny > GYROID_MAX_SAMPLES)
        return dy_err_set(err, DY_ELIMIT, "infill", "gyroid needs %.0f x %.0f samples, "
                          "over the limit of %.0f", fnx, fny, GYROID_MAX_SAMPLES);
    const size_t gnx = (size_t)fnx, gny = (size_t)fny;
    const size_t tnx = gnx < GYROID_TILE ? gnx : GYROID_TILE;
    const size_t tny = gny < GYROID_TILE ? gny : GYROID_TILE;
    const size_t max_edges = 2 * tnx * tny;
    g.v = malloc(tnx * tny * sizeof *g.v);
    g.link = malloc(2 * max_edges * sizeof *g.link);
    g.seen = malloc(max_edges);
    trig = malloc(2 * (tnx + tny) * sizeof *trig);
    if (!g.v || !g.link || !g.seen || !trig) {
        rc = dy_err_set(err, DY_ENOMEM, "infill", "out of memory for the gyroid grid");
        goto fail;
    }
    const double sz = sin(z_um / scale), cz = cos(z_um / scale);
    /* Tiles share their border row and column of samples, so a contour
     * crossing a border gets the same point from both sides and the
     * ordering step joins the two halves again (a zero-length chord). */
    for (size_t tj = 0; tj + 1 < gny && rc == 0; tj += tny - 1) {
        for (size_t ti = 0; ti + 1 < gnx && rc == 0; ti += tnx - 1) {
            g.i0 = gi0 + (int64_t)ti, g.j0 = gj0 + (int64_t)tj;
            g.nx = gnx - ti < tnx ? gnx - ti : tnx;
            g.ny = gny - tj < tny ? gny - tj : tny;
            rc = gyroid_tile(&g, scale, sz, cz, trig, &cur, raw);
        }
    }
    if (rc != 0)
        rc = dy_err_set(err, DY_ENOMEM, "infill", "out of memory for gyroid lines");
fail:
    poly_ring_fini(&cur);
    grid_fini(&g);
    free(trig);
    return rc;
}
