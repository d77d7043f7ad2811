/* infill_common.c: the part every infill pattern shares: bed-anchored
 * parallel lines over a bounding box, and clipping, filtering, ordering and
 * joining the clipped fragments (see slice_infill.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/slice_infill.h"
#include "infill_internal.h"

void infill_bbox_of(const struct poly_set *area, struct infill_bbox *bb)
{
    bb->min_x = bb->min_y = INT64_MAX;
    bb->max_x = bb->max_y = INT64_MIN;
    for (size_t i = 0; i < area->n; i++) {
        const struct poly_ring *r = &area->rings[i];
        for (size_t j = 0; j < r->n; j++) {
            const struct slice_pt p = r->pts[j];
            if (p.x < bb->min_x)
                bb->min_x = p.x;
            if (p.x > bb->max_x)
                bb->max_x = p.x;
            if (p.y < bb->min_y)
                bb->min_y = p.y;
            if (p.y > bb->max_y)
                bb->max_y = p.y;
        }
    }
}

static int32_t clamp_i32(double v)
{
    if (v > INT32_MAX)
        return INT32_MAX;
    if (v < INT32_MIN)
        return INT32_MIN;
    return (int32_t)lround(v);
}

int infill_add_parallel(const struct infill_bbox *bb, double angle_rad,
                        double spacing_um, struct poly_lines *raw,
                        struct dy_err *err)
{
    if (bb->min_x > bb->max_x)
        return 0;
    const double dx = cos(angle_rad), dy = sin(angle_rad);
    const double nx = -dy, ny = dx;
    /* Project the four corners on the normal (which line) and on the
     * direction (how long the lines must be). */
    const double cx[4] = {(double)bb->min_x, (double)bb->max_x,
                          (double)bb->max_x, (double)bb->min_x};
    const double cy[4] = {(double)bb->min_y, (double)bb->min_y,
                          (double)bb->max_y, (double)bb->max_y};
    double nmin = INFINITY, nmax = -INFINITY, tmin = INFINITY, tmax = -INFINITY;
    for (int i = 0; i < 4; i++) {
        const double pn = cx[i] * nx + cy[i] * ny, pt = cx[i] * dx + cy[i] * dy;
        nmin = fmin(nmin, pn);
        nmax = fmax(nmax, pn);
        tmin = fmin(tmin, pt);
        tmax = fmax(tmax, pt);
    }
    /* A little beyond the box so rounding never leaves a line short of the
     * boundary; clipping removes the excess. */
    tmin -= 10.0;
    tmax += 10.0;
    const double kmin = ceil(nmin / spacing_um), kmax = floor(nmax / spacing_um);
    if (kmax - kmin + 1 > INFILL_MAX_LINES)
        return dy_err_set(err, DY_ELIMIT, "infill", "%.0f lines at %.0f um spacing "
                          "is over the limit of %d", kmax - kmin + 1, spacing_um,
                          INFILL_MAX_LINES);
    for (double k = kmin; k <= kmax; k++) {
        /* The anchor point k*spacing*n is computed from k alone, so the same
         * line comes out bit-identical for any bbox that contains it. */
        const double ox = k * spacing_um * nx, oy = k * spacing_um * ny;
        const struct slice_pt seg[2] = {
            {clamp_i32(ox + tmin * dx), clamp_i32(oy + tmin * dy)},
            {clamp_i32(ox + tmax * dx), clamp_i32(oy + tmax * dy)},
        };
        if (poly_lines_add(raw, seg, 2) != 0)
            return dy_err_set(err, DY_ENOMEM, "infill", "out of memory for lines");
    }
    return 0;
}

static double seg_len(struct slice_pt a, struct slice_pt b)
{
    return hypot((double)a.x - b.x, (double)a.y - b.y);
}

static double polyline_len(const struct poly_ring *l)
{
    double s = 0.0;
    for (size_t i = 1; i < l->n; i++)
        s += seg_len(l->pts[i - 1], l->pts[i]);
    return s;
}

static int ring_push_pts(struct poly_ring *cur, const struct poly_ring *frag, int reversed)
{
    for (size_t i = 0; i < frag->n; i++) {
        const struct slice_pt p = frag->pts[reversed ? frag->n - 1 - i : i];
        /* A joined fragment starts where the chord ends; skip a duplicate. */
        if (cur->n > 0 && cur->pts[cur->n - 1].x == p.x && cur->pts[cur->n - 1].y == p.y)
            continue;
        if (poly_ring_push(cur, p.x, p.y) != 0)
            return DY_ENOMEM;
    }
    return 0;
}

static void lines_truncate(struct poly_lines *l, size_t n)
{
    while (l->n > n)
        poly_ring_fini(&l->lines[--l->n]);
}

int infill_finish(const struct poly_set *area, const struct poly_lines *raw,
                  int32_t line_w_um, double join_max_um, struct poly_lines *out,
                  struct dy_err *err)
{
    const size_t n0 = out->n;
    struct poly_lines clipped = {0};
    struct poly_set grown = {0};
    struct poly_ring cur = {0};
    size_t *keep = NULL;
    unsigned char *used = NULL;
    int rc = 0;

    if (raw->n == 0)
        return 0;
    rc = poly_clip_lines(area, raw, &clipped);
    if (rc != 0) {
        rc = dy_err_set(err, rc, "infill", "clipping %zu lines to the area failed", raw->n);
        goto fail;
    }
    const double tol = fmax(5.0, line_w_um / 4.0);
    rc = poly_offset(area, tol, POLY_JOIN_MITER, &grown);
    if (rc != 0) {
        rc = dy_err_set(err, rc, "infill", "growing the area by %.0f um failed", tol);
        goto fail;
    }
    keep = malloc((clipped.n ? clipped.n : 1) * sizeof *keep);
    used = calloc(clipped.n ? clipped.n : 1, 1);
    if (!keep || !used) {
        rc = dy_err_set(err, DY_ENOMEM, "infill", "out of memory ordering lines");
        goto fail;
    }
    size_t nk = 0;
    for (size_t i = 0; i < clipped.n; i++) {
        if (clipped.lines[i].n >= 2 && polyline_len(&clipped.lines[i]) >= line_w_um)
            keep[nk++] = i;
    }
    /* Greedy nearest-end chaining, starting near the bbox's low corner
     * (where the previous island's travel most likely ends is unknown
     * here; the plan stage orders islands). O(n^2), n is at most a few
     * thousand fragments per island. */
    struct slice_pt at = {INT32_MIN, INT32_MIN};
    for (size_t i = 0; i < nk; i++) {
        const struct slice_pt p = clipped.lines[keep[i]].pts[0];
        if (at.x == INT32_MIN || (double)p.x + p.y < (double)at.x + at.y)
            at = p;
    }
    for (size_t done = 0; done < nk; done++) {
        size_t best = 0;
        int best_rev = 0;
        double best_d = INFINITY;
        for (size_t i = 0; i < nk; i++) {
            if (used[i])
                continue;
            const struct poly_ring *f = &clipped.lines[keep[i]];
            const double d0 = seg_len(at, f->pts[0]), d1 = seg_len(at, f->pts[f->n - 1]);
            if (d0 < best_d) {
                best_d = d0, best = i, best_rev = 0;
            }
            if (d1 < best_d) {
                best_d = d1, best = i, best_rev = 1;
            }
        }
        const struct poly_ring *f = &clipped.lines[keep[best]];
        const struct slice_pt start = f->pts[best_rev ? f->n - 1 : 0];
        const int join = cur.n > 0 && best_d <= join_max_um &&
                         !poly_segment_crosses(&grown, at, start);
        if (!join && cur.n > 0) {
            if (poly_lines_add(out, cur.pts, cur.n) != 0) {
                rc = dy_err_set(err, DY_ENOMEM, "infill", "out of memory for lines");
                goto fail;
            }
            cur.n = 0;
        }
        if (ring_push_pts(&cur, f, best_rev) != 0) {
            rc = dy_err_set(err, DY_ENOMEM, "infill", "out of memory for lines");
            goto fail;
        }
        used[best] = 1;
        at = f->pts[best_rev ? 0 : f->n - 1];
    }
    if (cur.n > 0 && poly_lines_add(out, cur.pts, cur.n) != 0) {
        rc = dy_err_set(err, DY_ENOMEM, "infill", "out of memory for lines");
        goto fail;
    }
fail:
    if (rc != 0)
        lines_truncate(out, n0);
    poly_ring_fini(&cur);
    poly_lines_fini(&clipped);
    poly_set_fini(&grown);
    free(keep);
    free(used);
    return rc;
}

/* ---- the public entry points ---- */

static const char *const pattern_names[SLICE_INFILL_COUNT] = {
    [SLICE_INFILL_LINES] = "lines",
    [SLICE_INFILL_GRID] = "grid",
    [SLICE_INFILL_TRIANGLES] = "triangles",
    [SLICE_INFILL_GYROID] = "gyroid",
};

const char *slice_infill_pattern_name(enum slice_infill_pattern p)
{
    if ((int)p < 0 || p >= SLICE_INFILL_COUNT)
        return "?";
    return pattern_names[p];
}

int slice_infill_pattern_from_name(const char *name, enum slice_infill_pattern *out,
                                   struct dy_err *err)
{
    for (int i = 0; name && i < SLICE_INFILL_COUNT; i++) {
        if (strcmp(name, pattern_names[i]) == 0) {
            *out = (enum slice_infill_pattern)i;
            return 0;
        }
    }
    return dy_err_set(err, DY_ENOTFOUND, "infill_pattern", "unknown pattern \"%s\" "
                      "(expected lines, grid, triangles or gyroid)", name ? name : "");
}

double slice_infill_spacing_um(enum slice_infill_pattern pattern, double density,
                               int32_t line_w_um)
{
    if (!(density > 0.0) || line_w_um <= 0)
        return 0.0;
    const double w = line_w_um;
    switch (pattern) {
    case SLICE_INFILL_LINES:
        return w / density;
    case SLICE_INFILL_GRID:
        return 2.0 * w / density;
    case SLICE_INFILL_TRIANGLES:
        return 3.0 * w / density;
    case SLICE_INFILL_GYROID:
        /* Half a period: the distance between neighbouring waves. */
        return M_PI * w * SLICE_INFILL_GYROID_LENGTH_PER_AREA / density;
    default:
        return 0.0;
    }
}

int slice_infill_generate(const struct poly_set *area, enum slice_infill_pattern pattern,
                          double density, int32_t line_w_um, int32_t z_um,
                          int layer_index, struct poly_lines *out, struct dy_err *err)
{
    struct poly_lines raw = {0};
    struct infill_bbox bb;
    int rc = 0;

    if ((int)pattern < 0 || pattern >= SLICE_INFILL_COUNT)
        return dy_err_set(err, DY_EINVAL, "infill_pattern", "unknown pattern %d", (int)pattern);
    if (!(density >= 0.0 && density <= 1.0))
        return dy_err_set(err, DY_ERANGE, "infill_density", "must be in 0..1 (got %g)", density);
    if (line_w_um <= 0)
        return dy_err_set(err, DY_EINVAL, "line_width", "must be > 0 um (got %d)", (int)line_w_um);
    if (density == 0.0 || area->n == 0)
        return 0;
    infill_bbox_of(area, &bb);
    const double spacing = slice_infill_spacing_um(pattern, density, line_w_um);
    switch (pattern) {
    case SLICE_INFILL_LINES:
        rc = infill_lines_add(&bb, spacing, layer_index, &raw, err);
        break;
    case SLICE_INFILL_GRID:
        rc = infill_grid_add(&bb, spacing, &raw, err);
        break;
    case SLICE_INFILL_TRIANGLES:
        rc = infill_triangles_add(&bb, spacing, &raw, err);
        break;
    default:
        rc = infill_gyroid_add(&bb, density, line_w_um, z_um, &raw, err);
        break;
    }
    if (rc == 0)
        rc = infill_finish(area, &raw, line_w_um, INFILL_JOIN_MAX_W * line_w_um, out, err);
    poly_lines_fini(&raw);
    return rc;
}

int slice_infill_lines_at(const struct poly_set *area, double angle_deg,
                          double spacing_um, int32_t line_w_um,
                          struct poly_lines *out, struct dy_err *err)
{
    struct poly_lines raw = {0};
    struct infill_bbox bb;

    if (!(spacing_um >= 1.0) || !isfinite(spacing_um))
        return dy_err_set(err, DY_ERANGE, "line_spacing", "must be >= 1 um (got %g)", spacing_um);
    if (line_w_um <= 0)
        return dy_err_set(err, DY_EINVAL, "line_width", "must be > 0 um (got %d)", (int)line_w_um);
    if (!isfinite(angle_deg))
        return dy_err_set(err, DY_EINVAL, "line_angle", "must be finite");
    if (area->n == 0)
        return 0;
    infill_bbox_of(area, &bb);
    int rc = infill_add_parallel(&bb, angle_deg * M_PI / 180.0, spacing_um, &raw, err);
    if (rc == 0)
        rc = infill_finish(area, &raw, line_w_um, INFILL_JOIN_MAX_W * line_w_um, out, err);
    poly_lines_fini(&raw);
    return rc;
}
