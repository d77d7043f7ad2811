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

/* Intersection of inner[from .. from+count) (clamped to the layer range:
 * a missing layer is empty, so the result is too). */
static int covered(const struct fill_job *j, long from, int count, struct poly_set *out)
{
    long n = (long)j->in->n;
    if (count <= 0)
        return 0;
    if (from < 0 || from + count > n)
        return 0;
    int rc = poly_set_copy(out, &j->inner[from]);
    for (long m = from + 1; rc == 0 && m < from + count && out->n; m++) {
        struct poly_set t = {0};
        rc = poly_intersection(out, &j->inner[m], &t);
        poly_set_fini(out);
        *out = t;
    }
    return rc;
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
    struct poly_set cov = {0}, t = {0}, solid = {0};
    const struct poly_set *inner = &j->inner[k];
    int rc = covered(j, (long)k - p->bottom_layers, p->bottom_layers, &cov);
    if (rc == 0)
        rc = p->bottom_layers > 0 ? poly_difference(inner, &cov, bottom) : 0;
    if (rc == 0)
        rc = open_by(bottom, p->line_w_um / 4.0);
    poly_set_fini(&cov);
    if (rc == 0)
        rc = covered(j, (long)k + 1, p->top_layers, &cov);
    if (rc == 0)
        rc = p->top_layers > 0 ? poly_difference(inner, &cov, &t) : 0;
    if (rc == 0)
        rc = poly_difference(&t, bottom, top);
    if (rc == 0)
        rc = open_by(top, p->line_w_um / 4.0);
    if (rc == 0)
        rc = poly_union(bottom, top, &solid);
    if (rc == 0)
        rc = poly_difference(inner, &solid, sparse);
    poly_set_fini(&cov);
    poly_set_fini(&t);
    poly_set_fini(&solid);
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
        rc = poly_intersection(&bottom, inner, &f->bottom);
        if (rc == 0)
            rc = poly_intersection(&top, inner, &f->top);
        if (rc == 0)
            rc = poly_intersection(&sparse, inner, &f->sparse);
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
    struct fill_job j = {in, layers, p, NULL, out};
    int rc = DY_ENOMEM;
    j.inner = calloc(in->n ? in->n : 1, sizeof(*j.inner));
    out->layers = calloc(in->n ? in->n : 1, sizeof(*out->layers));
    if (!j.inner || !out->layers) {
        dy_err_set(err, rc, "slice fill", "out of memory");
        goto fail;
    }
    out->n = in->n;
    /* The first pass is cheap next to the second: report it as the first
     * few percent by not reporting at all. */
    rc = slice_parallel_for(in->n, p->threads, layer_inner, &j, NULL, SLICE_STAGE_FILL, err);
    if (rc == 0 && slice_ctl_canceled(ctl))
        rc = dy_err_set(err, DY_ECANCELED, "fill", "canceled");
    if (rc == 0)
        rc = slice_parallel_for(in->n, p->threads, layer_fill, &j, ctl, SLICE_STAGE_FILL, err);
fail:
    for (size_t k = 0; j.inner && k < in->n; k++)
        poly_set_fini(&j.inner[k]);
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
