/* slice_fill.c: stage 4, inner areas -> top/bottom solid skin and sparse
 * infill, as areas and as centre lines.
 *
 * Two passes over the layers: first each layer's inner area (union of its
 * islands' inner areas), then, since skin needs the layers around it, the
 * skin of each layer from those. Skin is what the next `top_layers` layers
 * above (or `bottom_layers` below) do not all cover: the intersection of
 * their inner areas, subtracted. Past the model's top or bottom nothing
 * covers, so the last layers are wholly top and the first wholly bottom.
 * The lines come from the infill colleague's slice_infill.h: solid skin as
 * lines at spacing = line width, sparse infill in the chosen pattern. */
#include <stdint.h>
#include <stdlib.h>

#include "daryn/slice.h"
#include "slice_internal.h"

/* Sparse infill reaches this fraction of a line width under the innermost
 * wall so the two bond (Cura's infill_overlap, 10% of a 0.4 mm line is
 * 0.04 mm; a bit more here since our lines end exactly at the edge). */
#define SPARSE_OVERLAP 0.15

struct fill_job {
    const struct slice_walls *in;
    const struct slice_layers *layers;
    const struct slice_fill_params *p;
    struct poly_set *inner; /* per layer */
    struct poly_set *win_b; /* bottom windows (window_one), per layer */
    struct poly_set *win_t; /* top windows: win_b when top == bottom */
    struct slice_fill *out;
};

static int layer_inner(void *ctx, size_t k, struct dy_err *err)
{
    struct fill_job *j = ctx;
    const struct slice_layer_walls *lw = &j->in->layers[k];
    struct poly_set all = {0};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < lw->n; i++)
        for (size_t r = 0; rc == 0 && r < lw->v[i].inner.n; r++)
            rc = poly_set_add_ring(&all, lw->v[i].inner.rings[r].pts, lw->v[i].inner.rings[r].n);
    if (rc == 0)
        rc = poly_normalize(&all, &j->inner[k]);
    poly_set_fini(&all);
    return rc;
}

/* win[m] = inner[m] n ... n inner[m+count-1] for every m with m+count <= n
 * (later m: empty, as are windows past either end). With as many top as
 * bottom layers, layer k's top window is layer k+count+1's bottom window,
 * so one array serves both. */
struct window_job {
    const struct fill_job *j;
    int count;
    struct poly_set *win;
};

static int window_one(void *ctx, size_t m, struct dy_err *err)
{
    (void)err;
    const struct window_job *w = ctx;
    const struct fill_job *j = w->j;
    struct poly_set *out = &w->win[m];
    if (w->count <= 0 || m + (size_t)w->count > j->in->n)
        return 0;
    int rc = poly_set_copy(out, &j->inner[m]);
    for (size_t i = m + 1; rc == 0 && i < m + (size_t)w->count && out->n; i++) {
        struct poly_set t = {0};
        rc = poly_intersection(out, &j->inner[i], &t);
        poly_set_fini(out);
        *out = t;
    }
    return rc;
}

/* The window of `count` layers from `from`, or an empty set. */
static const struct poly_set *window_at(const struct poly_set *win, long n, long from)
{
    static const struct poly_set empty = {0};
    return win && from >= 0 && from < n ? &win[from] : &empty;
}

/* Drops the parts of `s` narrower than 2*r (morphological opening). */
static int open_by(struct poly_set *s, double r)
{
    struct poly_set a = {0}, b = {0};
    int rc = poly_offset_normalized(s, -r, POLY_JOIN_MITER, &a);
    if (rc == 0)
        rc = poly_offset_normalized(&a, r, POLY_JOIN_MITER, &b);
    poly_set_fini(&a);
    if (rc == 0) {
        poly_set_fini(s);
        *s = b;
    }
    return rc;
}

/* Layer-wide skin areas: bottom, top (minus bottom) and sparse. */
static int layer_skin(const struct fill_job *j, size_t k, struct poly_set *bottom,
                      struct poly_set *top, struct poly_set *sparse)
{
    const struct slice_fill_params *p = j->p;
    struct poly_set t = {0}, solid = {0};
    const struct poly_set *inner = &j->inner[k];
    long n = (long)j->in->n;
    const struct poly_set *below = window_at(j->win_b, n, (long)k - p->bottom_layers);
    const struct poly_set *above = window_at(j->win_t, n, (long)k + 1);
    int rc = p->bottom_layers > 0 ? poly_difference(inner, below, bottom) : 0;
    if (rc == 0)
        rc = open_by(bottom, p->line_w_um / 4.0);
    if (rc == 0)
        rc = p->top_layers > 0 ? poly_difference(inner, above, &t) : 0;
    if (rc == 0)
        rc = poly_difference(&t, bottom, top);
    if (rc == 0)
        rc = open_by(top, p->line_w_um / 4.0);
    if (rc == 0)
        rc = poly_union(bottom, top, &solid);
    if (rc == 0)
        rc = poly_difference(inner, &solid, sparse);
    poly_set_fini(&t);
    poly_set_fini(&solid);
    return rc;
}

/* The rings of `s` whose bounding box meets [lo, hi], borrowed into `out`
 * (pointers into s; free only out->rings). A ring outside the box can't
 * change an intersection with something inside it, holes included. */
static int rings_near(const struct poly_set *s, struct slice_pt lo, struct slice_pt hi,
                      struct poly_set *out)
{
    *out = (struct poly_set){0};
    if (s->n == 0)
        return 0;
    out->rings = malloc(s->n * sizeof(*out->rings));
    if (!out->rings)
        return DY_ENOMEM;
    for (size_t r = 0; r < s->n; r++) {
        const struct poly_ring *g = &s->rings[r];
        struct slice_pt a = {INT32_MAX, INT32_MAX}, b = {INT32_MIN, INT32_MIN};
        for (size_t i = 0; i < g->n; i++) {
            a.x = g->pts[i].x < a.x ? g->pts[i].x : a.x;
            a.y = g->pts[i].y < a.y ? g->pts[i].y : a.y;
            b.x = g->pts[i].x > b.x ? g->pts[i].x : b.x;
            b.y = g->pts[i].y > b.y ? g->pts[i].y : b.y;
        }
        if (a.x <= hi.x && b.x >= lo.x && a.y <= hi.y && b.y >= lo.y)
            out->rings[out->n++] = *g;
    }
    out->cap = s->n;
    return 0;
}

/* out = layer-wide `area` n this island's `inner`. With one island the
 * layer's areas are already inside it (they are cut from the union of the
 * islands' inner areas): a copy; otherwise only rings near the island
 * take part. */
static int island_part(const struct poly_set *area, const struct poly_set *inner,
                       size_t nislands, struct poly_set *out)
{
    if (nislands == 1)
        return poly_set_copy(out, area);
    struct slice_pt lo = {INT32_MAX, INT32_MAX}, hi = {INT32_MIN, INT32_MIN};
    for (size_t r = 0; r < inner->n; r++)
        for (size_t i = 0; i < inner->rings[r].n; i++) {
            const struct slice_pt q = inner->rings[r].pts[i];
            lo.x = q.x < lo.x ? q.x : lo.x;
            lo.y = q.y < lo.y ? q.y : lo.y;
            hi.x = q.x > hi.x ? q.x : hi.x;
            hi.y = q.y > hi.y ? q.y : hi.y;
        }
    struct poly_set near;
    int rc = rings_near(area, lo, hi, &near);
    if (rc == 0)
        rc = poly_intersection(&near, inner, out);
    free(near.rings);
    return rc;
}

static int island_lines(const struct slice_fill_params *p, size_t k, int32_t z_um,
                        struct slice_island_fill *f, struct dy_err *err)
{
    int32_t w = p->line_w_um;
    /* Alternate +45 / -45 so each skin layer crosses the one below. */
    double angle = k % 2 ? -45.0 : 45.0;
    struct poly_set a = {0};
    int rc = poly_offset_normalized(&f->bottom, -w / 2.0, POLY_JOIN_MITER, &a);
    if (rc == 0 && a.n)
        rc = slice_infill_lines_at(&a, angle, w, w, &f->bottom_lines, err);
    poly_set_fini(&a);
    if (rc == 0)
        rc = poly_offset_normalized(&f->top, -w / 2.0, POLY_JOIN_MITER, &a);
    if (rc == 0 && a.n)
        rc = slice_infill_lines_at(&a, angle, w, w, &f->top_lines, err);
    poly_set_fini(&a);
    if (rc == 0 && p->density > 0)
        rc = poly_offset_normalized(&f->sparse, -w * (0.5 - SPARSE_OVERLAP), POLY_JOIN_MITER, &a);
    if (rc == 0 && a.n)
        rc = slice_infill_generate(&a, p->pattern, p->density, w, z_um, (int)k,
                                   &f->sparse_lines, err);
    poly_set_fini(&a);
    return rc;
}

static int layer_fill(void *ctx, size_t k, struct dy_err *err)
{
    struct fill_job *j = ctx;
    const struct slice_layer_walls *lw = &j->in->layers[k];
    struct slice_layer_fill *lf = &j->out->layers[k];
    struct poly_set bottom = {0}, top = {0}, sparse = {0};
    int rc = DY_ENOMEM;
    lf->v = calloc(lw->n ? lw->n : 1, sizeof(*lf->v));
    if (!lf->v)
        goto fail;
    lf->n = lw->n;
    rc = layer_skin(j, k, &bottom, &top, &sparse);
    int32_t z = j->layers && k < j->layers->n ? j->layers->v[k].z_um : 0;
    for (size_t i = 0; rc == 0 && i < lw->n; i++) {
        struct slice_island_fill *f = &lf->v[i];
        const struct poly_set *inner = &lw->v[i].inner;
        if (inner->n == 0)
            continue;
        rc = island_part(&bottom, inner, lw->n, &f->bottom);
        if (rc == 0)
            rc = island_part(&top, inner, lw->n, &f->top);
        if (rc == 0)
            rc = island_part(&sparse, inner, lw->n, &f->sparse);
        if (rc == 0)
            rc = island_lines(j->p, k, z, f, err);
    }
fail:
    poly_set_fini(&bottom);
    poly_set_fini(&top);
    poly_set_fini(&sparse);
    if (rc && !(err && err->code))
        dy_err_set(err, rc, "slice fill", "layer %zu: %s", k, dy_code_name(rc));
    return rc;
}

int slice_fill_build(const struct slice_walls *in, const struct slice_layers *layers,
                     const struct slice_fill_params *p, const struct slice_ctl *ctl,
                     struct slice_fill *out, struct dy_err *err)
{
    *out = (struct slice_fill){0};
    if (p->line_w_um <= 0 || p->top_layers < 0 || p->bottom_layers < 0 ||
        p->top_layers > 1000 || p->bottom_layers > 1000)
        return dy_err_set(err, DY_EINVAL, "slice fill",
                          "line width must be > 0 and top/bottom layers 0..1000 "
                          "(got %d um, %d, %d)", (int)p->line_w_um, p->top_layers,
                          p->bottom_layers);
    if (!(p->density >= 0 && p->density <= 1))
        return dy_err_set(err, DY_ERANGE, "slice fill: density",
                          "must be 0..1 (got %g)", p->density);
    if ((unsigned)p->pattern >= SLICE_INFILL_COUNT)
        return dy_err_set(err, DY_EINVAL, "slice fill: pattern", "unknown pattern %d",
                          (int)p->pattern);
    struct fill_job j = {in, layers, p, NULL, NULL, NULL, out};
    int rc = DY_ENOMEM;
    size_t nl = in->n ? in->n : 1;
    j.inner = calloc(nl, sizeof(*j.inner));
    j.win_b = calloc(nl, sizeof(*j.win_b));
    j.win_t = p->top_layers == p->bottom_layers ? j.win_b : calloc(nl, sizeof(*j.win_t));
    out->layers = calloc(nl, sizeof(*out->layers));
    if (!j.inner || !j.win_b || !j.win_t || !out->layers) {
        dy_err_set(err, rc, "slice fill", "out of memory");
        goto fail;
    }
    out->n = in->n;
    /* The first passes (inner areas, windows) are cheap next to the last:
     * report them as the first few percent by not reporting at all. */
    rc = slice_parallel_for(in->n, p->threads, layer_inner, &j, NULL, SLICE_STAGE_FILL, err);
    if (rc == 0 && slice_ctl_canceled(ctl))
        rc = dy_err_set(err, DY_ECANCELED, "fill", "canceled");
    struct window_job wb = {&j, p->bottom_layers, j.win_b}, wt = {&j, p->top_layers, j.win_t};
    if (rc == 0)
        rc = slice_parallel_for(in->n, p->threads, window_one, &wb, NULL, SLICE_STAGE_FILL, err);
    if (rc == 0 && j.win_t != j.win_b)
        rc = slice_parallel_for(in->n, p->threads, window_one, &wt, NULL, SLICE_STAGE_FILL, err);
    if (rc == 0 && slice_ctl_canceled(ctl))
        rc = dy_err_set(err, DY_ECANCELED, "fill", "canceled");
    if (rc == 0)
        rc = slice_parallel_for(in->n, p->threads, layer_fill, &j, ctl, SLICE_STAGE_FILL, err);
fail:
    for (size_t k = 0; j.inner && k < in->n; k++)
        poly_set_fini(&j.inner[k]);
    for (size_t k = 0; j.win_b && k < in->n; k++)
        poly_set_fini(&j.win_b[k]);
    for (size_t k = 0; j.win_t && j.win_t != j.win_b && k < in->n; k++)
        poly_set_fini(&j.win_t[k]);
    if (j.win_t != j.win_b)
        free(j.win_t);
    free(j.win_b);
    free(j.inner);
    if (rc)
        slice_fill_fini(out);
    return rc;
}

void slice_fill_fini(struct slice_fill *f)
{
    for (size_t k = 0; f->layers && k < f->n; k++) {
        struct slice_layer_fill *l = &f->layers[k];
        for (size_t i = 0; l->v && i < l->n; i++) {
            struct slice_island_fill *x = &l->v[i];
            poly_set_fini(&x->top);
            poly_set_fini(&x->bottom);
            poly_set_fini(&x->sparse);
            poly_lines_fini(&x->top_lines);
            poly_lines_fini(&x->bottom_lines);
            poly_lines_fini(&x->sparse_lines);
        }
        free(l->v);
    }
    free(f->layers);
    *f = (struct slice_fill){0};
}
