/* slice_plan.c: stage 7, everything -> ordered paths per layer.
 *
 * Order within a layer: skirt (outermost loop first) and brim (outermost
 * first, ending against the part) on the first layer, then support, then
 * the islands, nearest first from where the nozzle is. Inside an island:
 * walls from the innermost loop out (the outer surface is laid last, against
 * walls already there, which keeps it true; outer_wall_first flips it),
 * then bottom skin, top skin, sparse infill. Loops start at the seam;
 * open lines are visited greedily and reversed when their far end is the
 * nearer one. Ordering is computed as permutations (slice_chain_points), the
 * paths copied once in that order.
 *
 * A travel retracts when it leaves the island it is in, or when it is
 * longer than retract_min_travel_um. A travel inside an island whose
 * straight line would cross the island's outline or outer wall (a notch, a
 * hole: it would drag a string across the surface) is combed instead:
 * routed along a boundary inside the part (slice_comb.c) through `via`
 * waypoints; when no route exists or it is more than SLICE_COMB_MAX_DETOUR
 * times the straight distance, the travel goes straight and retracts. Islands are visited nearest first from where
 * the nozzle is, measured to where each island's first path starts;
 * islands with nothing to print (specks) are not visited. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/slice.h"
#include "slice_comb.h"
#include "slice_internal.h"

/* A concave corner turning more than this is where an aligned seam hides. */
#define SEAM_MIN_TURN_RAD 0.35

struct planner {
    const struct slice_plan_params *p;
    struct slice_plan_layer *layer;
    struct slice_pt pos;
    long region;         /* island index, -1 = outside any island */
    const struct slice_island_walls *island; /* the island being printed */
    struct slice_comb *comb;  /* its travel routing (NULL outside islands) */
    struct slice_pt seam_ref; /* the fixed point an aligned seam sits near */
};

static double d2(struct slice_pt a, struct slice_pt b)
{
    double dx = (double)a.x - b.x, dy = (double)a.y - b.y;
    return dx * dx + dy * dy;
}

int slice_chain_points(const struct slice_pt *pts, size_t n, struct slice_pt start,
                       size_t *order)
{
    unsigned char *used = calloc(n ? n : 1, 1);
    if (!used)
        return DY_ENOMEM;
    struct slice_pt cur = start;
    for (size_t o = 0; o < n; o++) {
        size_t best = SIZE_MAX;
        double bd = INFINITY;
        for (size_t i = 0; i < n; i++) {
            if (used[i])
                continue;
            double d = d2(cur, pts[i]);
            if (d < bd) {
                bd = d;
                best = i;
            }
        }
        used[best] = 1;
        order[o] = best;
        cur = pts[best];
    }
    free(used);
    return 0;
}

/* 1 when a travel inside the current island leaves it on the way. */
static int travel_leaves(const struct planner *pl, struct slice_pt to)
{
    const struct slice_island_walls *iw = pl->island;
    if (!iw)
        return 1;
    return poly_segment_crosses(&iw->outline, pl->pos, to) ||
           (iw->nloops > 0 && poly_segment_crosses(&iw->loops[0], pl->pos, to));
}

/* Appends a path (points copied; reversed when `rev`; a closed ring rotated
 * to start at `first`). */
static int emit(struct planner *pl, enum slice_feature f, int closed, int32_t w,
                const struct slice_pt *pts, size_t n, size_t first, int rev, long region)
{
    struct slice_plan_layer *L = pl->layer;
    if (n < 2)
        return 0;
    if (slice_grow((void **)&L->paths, &L->paths_cap, L->npaths + 1, sizeof(*L->paths)))
        return DY_ENOMEM;
    struct slice_path *sp = &L->paths[L->npaths];
    sp->pts = malloc(n * sizeof(*sp->pts));
    if (!sp->pts)
        return DY_ENOMEM;
    for (size_t i = 0; i < n; i++)
        sp->pts[i] = closed ? pts[(first + i) % n] : rev ? pts[n - 1 - i] : pts[i];
    sp->n = n;
    sp->feature = f;
    sp->closed = closed;
    sp->width_um = w;
    sp->via = NULL;
    sp->nvia = 0;
    double travel = d2(pl->pos, sp->pts[0]);
    double lim = (double)pl->p->retract_min_travel_um;
    int same = L->npaths > 0 && region == pl->region && region >= 0;
    sp->retract_before = !same || travel > lim * lim;
    if (same && travel_leaves(pl, sp->pts[0])) {
        /* Routed inside, the travel only retracts when it is long (the
         * same rule as a straight one: ooze over a long move still
         * strings, inside or not); with no route it goes straight and
         * retracts. */
        double len = 0;
        int rc = pl->comb ? slice_comb_route(pl->comb, pl->island, pl->p->line_w_um, pl->pos,
                                             sp->pts[0], &sp->via, &sp->nvia, &len)
                          : 0;
        if (rc < 0) {
            free(sp->pts);
            return rc;
        }
        sp->retract_before = rc == 0 || len > lim;
    }
    L->npaths++;
    pl->pos = closed ? sp->pts[0] : sp->pts[n - 1];
    pl->region = region;
    return 0;
}

/* The seam vertex of a ring. */
static size_t seam_of(const struct planner *pl, const struct poly_ring *r)
{
    size_t best = 0;
    if (pl->p->seam == SLICE_SEAM_REAR) {
        for (size_t i = 1; i < r->n; i++)
            if (r->pts[i].y > r->pts[best].y ||
                (r->pts[i].y == r->pts[best].y && r->pts[i].x < r->pts[best].x))
                best = i;
        return best;
    }
    /* Aligned: the sharpest concave corner (material is on the left of
     * every normalised ring, so concave = a right turn), else the vertex
     * nearest the fixed reference point: the same corner every layer. */
    double sharp = SEAM_MIN_TURN_RAD;
    size_t sharp_i = SIZE_MAX;
    for (size_t i = 0; i < r->n; i++) {
        struct slice_pt a = r->pts[(i + r->n - 1) % r->n], b = r->pts[i],
                        c = r->pts[(i + 1) % r->n];
        double ux = (double)b.x - a.x, uy = (double)b.y - a.y;
        double vx = (double)c.x - b.x, vy = (double)c.y - b.y;
        double turn = atan2(ux * vy - uy * vx, ux * vx + uy * vy);
        if (-turn > sharp) {
            sharp = -turn;
            sharp_i = i;
        }
    }
    if (sharp_i != SIZE_MAX)
        return sharp_i;
    for (size_t i = 1; i < r->n; i++)
        if (d2(r->pts[i], pl->seam_ref) < d2(r->pts[best], pl->seam_ref))
            best = i;
    return best;
}

/* Emits the rings of a loop set, nearest ring first, each from its seam
 * (skirt and brim loops start where the nozzle is instead). */
static int emit_rings(struct planner *pl, const struct poly_set *s, enum slice_feature f,
                      int32_t w, long region, int use_seam)
{
    size_t n = s->n;
    if (n == 0)
        return 0;
    struct slice_pt *reps = malloc(n * sizeof(*reps));
    size_t *seams = malloc(n * sizeof(*seams)), *order = malloc(n * sizeof(*order));
    int rc = DY_ENOMEM;
    if (!reps || !seams || !order)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const struct poly_ring *r = &s->rings[i];
        seams[i] = 0;
        if (r->n == 0)
            continue;
        if (use_seam) {
            seams[i] = seam_of(pl, r);
        } else {
            for (size_t q = 1; q < r->n; q++)
                if (d2(r->pts[q], pl->pos) < d2(r->pts[seams[i]], pl->pos))
                    seams[i] = q;
        }
        reps[i] = r->pts[seams[i]];
    }
    rc = slice_chain_points(reps, n, pl->pos, order);
    for (size_t o = 0; rc == 0 && o < n; o++) {
        const struct poly_ring *r = &s->rings[order[o]];
        rc = emit(pl, f, 1, w, r->pts, r->n, seams[order[o]], 0, region);
    }
done:
    free(reps);
    free(seams);
    free(order);
    return rc;
}

/* Emits open lines greedily from the current position, each from its
 * nearer end. */
static int emit_lines(struct planner *pl, const struct poly_lines *l, enum slice_feature f,
                      int32_t w, long region)
{
    size_t n = l->n;
    if (n == 0)
        return 0;
    unsigned char *used = calloc(n, 1);
    if (!used)
        return DY_ENOMEM;
    int rc = 0;
    for (size_t o = 0; rc == 0 && o < n; o++) {
        size_t best = SIZE_MAX;
        int rev = 0;
        double bd = INFINITY;
        for (size_t i = 0; i < n; i++) {
            const struct poly_ring *r = &l->lines[i];
            if (used[i] || r->n < 2)
                continue;
            double da = d2(pl->pos, r->pts[0]), db = d2(pl->pos, r->pts[r->n - 1]);
            if (da < bd) {
                bd = da;
                best = i;
                rev = 0;
            }
            if (db < bd) {
                bd = db;
                best = i;
                rev = 1;
            }
        }
        if (best == SIZE_MAX)
            break;
        used[best] = 1;
        rc = emit(pl, f, 0, w, l->lines[best].pts, l->lines[best].n, 0, rev, region);
    }
    free(used);
    return rc;
}

static int emit_island(struct planner *pl, const struct slice_island_walls *iw,
                       const struct slice_island_fill *fi, long region)
{
    int rc = 0;
    size_t nl = iw->nloops;
    struct slice_comb comb = {0};
    pl->island = iw;
    pl->comb = &comb;
    for (size_t q = 0; rc == 0 && q < nl; q++) {
        size_t k = pl->p->outer_wall_first ? q : nl - 1 - q;
        rc = emit_rings(pl, &iw->loops[k], k == 0 ? SLICE_FEAT_WALL_OUTER : SLICE_FEAT_WALL_INNER,
                        iw->loop_w_um[k], region, 1);
    }
    int32_t w = pl->p->line_w_um;
    if (rc == 0 && fi)
        rc = emit_lines(pl, &fi->bottom_lines, SLICE_FEAT_BOTTOM, w, region);
    if (rc == 0 && fi)
        rc = emit_lines(pl, &fi->top_lines, SLICE_FEAT_TOP, w, region);
    if (rc == 0 && fi)
        rc = emit_lines(pl, &fi->sparse_lines, SLICE_FEAT_INFILL, w, region);
    pl->island = NULL;
    pl->comb = NULL;
    slice_comb_fini(&comb);
    return rc;
}

static int plan_layer(struct planner *pl, size_t k, const struct slice_walls *walls,
                      const struct slice_fill *fill, const struct slice_plan_support *sup,
                      const struct slice_adhesion *adh)
{
    int32_t w = pl->p->line_w_um;
    int rc = 0;
    if (k == 0 && adh) {
        for (size_t q = adh->nskirt; rc == 0 && q-- > 0;)
            rc = emit_rings(pl, &adh->skirt[q], SLICE_FEAT_SKIRT, w, -1, 0);
        for (size_t q = adh->nbrim; rc == 0 && q-- > 0;)
            rc = emit_rings(pl, &adh->brim[q], SLICE_FEAT_BRIM, w, -1, 0);
    }
    if (rc == 0 && sup && k < sup->n) {
        if (sup->lines)
            rc = emit_lines(pl, &sup->lines[k], SLICE_FEAT_SUPPORT, w, -1);
        if (rc == 0 && sup->interface)
            rc = emit_lines(pl, &sup->interface[k], SLICE_FEAT_SUPPORT_INTERFACE, w, -1);
    }
    const struct slice_layer_walls *lw = &walls->layers[k];
    if (rc || lw->n == 0)
        return rc;
    /* Islands in nearest-first order, measured to the seam of the loop
     * each one starts with (the innermost by default): that is where the
     * travel goes. Islands without loops are specks (or vanished under
     * the offset) and have no fill either: they are skipped. */
    struct slice_pt *reps = malloc(lw->n * sizeof(*reps));
    size_t *order = malloc(lw->n * sizeof(*order)), *idx = malloc(lw->n * sizeof(*idx));
    size_t n = 0;
    if (!reps || !order || !idx) {
        rc = DY_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < lw->n; i++) {
        const struct slice_island_walls *iw = &lw->v[i];
        if (iw->nloops == 0)
            continue;
        const struct poly_set *first = &iw->loops[pl->p->outer_wall_first ? 0 : iw->nloops - 1];
        if (first->n == 0 || first->rings[0].n == 0)
            continue;
        reps[n] = first->rings[0].pts[seam_of(pl, &first->rings[0])];
        idx[n++] = i;
    }
    rc = slice_chain_points(reps, n, pl->pos, order);
    for (size_t o = 0; rc == 0 && o < n; o++) {
        size_t i = idx[order[o]];
        const struct slice_island_fill *fi =
            fill && k < fill->n && i < fill->layers[k].n ? &fill->layers[k].v[i] : NULL;
        rc = emit_island(pl, &lw->v[i], fi, (long)i);
    }
done:
    free(reps);
    free(order);
    free(idx);
    return rc;
}

static void plan_bbox(struct slice_plan *out)
{
    int any = 0;
    out->min_x = out->min_y = out->max_x = out->max_y = out->max_z = 0;
    for (size_t k = 0; k < out->nlayers; k++) {
        const struct slice_plan_layer *L = &out->layers[k];
        for (size_t i = 0; i < L->npaths; i++) {
            for (size_t q = 0; q < L->paths[i].n; q++) {
                struct slice_pt p = L->paths[i].pts[q];
                if (!any) {
                    out->min_x = out->max_x = p.x;
                    out->min_y = out->max_y = p.y;
                    any = 1;
                }
                out->min_x = p.x < out->min_x ? p.x : out->min_x;
                out->max_x = p.x > out->max_x ? p.x : out->max_x;
                out->min_y = p.y < out->min_y ? p.y : out->min_y;
                out->max_y = p.y > out->max_y ? p.y : out->max_y;
            }
            if (L->npaths && L->z_um > out->max_z)
                out->max_z = L->z_um;
        }
    }
}

int slice_plan_build(const struct slice_layers *layers, const struct slice_walls *walls,
                     const struct slice_fill *fill, const struct slice_plan_support *support,
                     const struct slice_adhesion *adh, const struct slice_plan_params *p,
                     const struct slice_ctl *ctl, struct slice_plan *out,
                     struct dy_err *err)
{
    *out = (struct slice_plan){0};
    if (p->line_w_um <= 0 || p->retract_min_travel_um < 0 || walls->n != layers->n)
        return dy_err_set(err, DY_EINVAL, "slice plan",
                          "line width must be > 0, retract travel >= 0 and walls must "
                          "match layers (%zu vs %zu)", walls->n, layers->n);
    struct planner pl = {.p = p, .region = -1};
    /* The aligned seam's reference: behind and left of everything, so
     * seams gather at the back-left where they are least seen. */
    int32_t minx = INT32_MAX, maxy = INT32_MIN;
    for (size_t k = 0; k < layers->n; k++)
        for (size_t i = 0; i < layers->v[k].polys.n; i++)
            for (size_t q = 0; q < layers->v[k].polys.rings[i].n; q++) {
                struct slice_pt pt = layers->v[k].polys.rings[i].pts[q];
                minx = pt.x < minx ? pt.x : minx;
                maxy = pt.y > maxy ? pt.y : maxy;
            }
    pl.seam_ref = (struct slice_pt){minx == INT32_MAX ? 0 : minx,
                                    maxy == INT32_MIN ? 0 : maxy};
    int rc = DY_ENOMEM;
    out->layers = calloc(layers->n ? layers->n : 1, sizeof(*out->layers));
    if (!out->layers)
        goto fail;
    out->nlayers = out->layers_cap = layers->n;
    for (size_t k = 0; k < layers->n; k++) {
        rc = slice_ctl_step(ctl, SLICE_STAGE_PLAN, k, layers->n, err);
        if (rc)
            goto fail;
        out->layers[k].z_um = layers->v[k].z_um;
        out->layers[k].height_um = layers->v[k].height_um;
        pl.layer = &out->layers[k];
        pl.region = -1;
        rc = plan_layer(&pl, k, walls, fill, support, adh);
        if (rc)
            goto fail;
    }
    /* Layers with nothing in them at the top (the slice of a tip whose
     * islands were all specks, or the last cut just under the mesh's top)
     * would be a Z move and a retraction in the G-code for no plastic:
     * the plan ends at its last printed layer. */
    while (out->nlayers > 0 && out->layers[out->nlayers - 1].npaths == 0)
        free(out->layers[--out->nlayers].paths);
    plan_bbox(out);
    slice_ctl_step(ctl, SLICE_STAGE_PLAN, layers->n, layers->n, NULL);
    return 0;
fail:
    if (rc != DY_ECANCELED)
        dy_err_set(err, rc, "slice plan", "%s", dy_code_name(rc));
    slice_plan_fini(out);
    return rc;
}
