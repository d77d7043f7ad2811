/* slice_adhesion.c: stage 6, skirt and brim on the first layer.
 *
 * Both are outward offsets of the first layer's footprint (model plus any
 * support there). Brim loop k is centred line_w/2 + k*line_w outside the
 * footprint, so loop 0 touches the part; the skirt starts skirt_distance
 * beyond the brim's outer edge, around the convex hull of the footprint
 * (as Cura does), so it is one loop around all parts, never inside a hole,
 * and the nozzle is primed before it reaches any part. */
#include <math.h>
#include <stdlib.h>

#include "daryn/slice.h"
#include "slice_internal.h"

static int cmp_pt(const void *a, const void *b)
{
    const struct slice_pt *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

static int64_t cross(struct slice_pt o, struct slice_pt a, struct slice_pt b)
{
    return (int64_t)(a.x - o.x) * (b.y - o.y) - (int64_t)(a.y - o.y) * (b.x - o.x);
}

/* Convex hull of every point of `s` (Andrew's monotone chain), CCW, as
 * the single ring of *out. */
static int convex_hull(const struct poly_set *s, struct poly_set *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->rings[i].n;
    if (n < 3)
        return 0;
    struct slice_pt *p = malloc(n * sizeof(*p)), *h = malloc(2 * n * sizeof(*h));
    if (!p || !h) {
        free(p);
        free(h);
        return DY_ENOMEM;
    }
    n = 0;
    for (size_t i = 0; i < s->n; i++)
        for (size_t q = 0; q < s->rings[i].n; q++)
            p[n++] = s->rings[i].pts[q];
    qsort(p, n, sizeof(*p), cmp_pt);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    for (size_t i = n - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    int rc = k > 3 ? poly_set_add_ring(out, h, k - 1) : 0;
    free(p);
    free(h);
    return rc;
}

int slice_adhesion_build(const struct slice_layers *layers, const struct poly_set *extra,
                         const struct slice_adhesion_params *p, struct slice_adhesion *out,
                         struct dy_err *err)
{
    *out = (struct slice_adhesion){0};
    if (p->line_w_um <= 0 || p->skirt_loops < 0 || p->skirt_loops > 100 ||
        p->skirt_distance_um < 0 || p->brim_width_um < 0 || p->brim_width_um > 100000)
        return dy_err_set(err, DY_EINVAL, "slice adhesion",
                          "need line_w > 0, skirt loops 0..100, distance >= 0 and "
                          "brim 0..100 mm (got %d um, %d, %d um, %d um)",
                          (int)p->line_w_um, p->skirt_loops, (int)p->skirt_distance_um,
                          (int)p->brim_width_um);
    struct poly_set base = {0};
    int rc = 0;
    if (layers->n == 0)
        return 0;
    rc = poly_union(&layers->v[0].polys, extra ? extra : &(struct poly_set){0}, &base);
    if (rc || base.n == 0)
        goto done;
    int32_t w = p->line_w_um;
    int nbrim = (int)ceil((double)p->brim_width_um / w);
    out->brim = calloc((size_t)(nbrim ? nbrim : 1), sizeof(*out->brim));
    out->skirt = calloc((size_t)(p->skirt_loops ? p->skirt_loops : 1), sizeof(*out->skirt));
    if (!out->brim || !out->skirt) {
        rc = DY_ENOMEM;
        goto done;
    }
    for (int k = 0; rc == 0 && k < nbrim; k++) {
        rc = poly_offset(&base, w / 2.0 + (double)k * w, POLY_JOIN_ROUND, &out->brim[k]);
        out->nbrim += rc == 0;
    }
    double from = (double)nbrim * w + p->skirt_distance_um;
    struct poly_set hull = {0};
    if (p->skirt_loops > 0)
        rc = convex_hull(&base, &hull);
    for (int k = 0; rc == 0 && k < p->skirt_loops; k++) {
        rc = poly_offset(&hull, from + w / 2.0 + (double)k * w, POLY_JOIN_ROUND, &out->skirt[k]);
        out->nskirt += rc == 0;
    }
    poly_set_fini(&hull);
done:
    poly_set_fini(&base);
    if (rc) {
        slice_adhesion_fini(out);
        return dy_err_set(err, rc, "slice adhesion", "%s", dy_code_name(rc));
    }
    return 0;
}

void slice_adhesion_fini(struct slice_adhesion *a)
{
    for (size_t k = 0; a->skirt && k < a->nskirt; k++)
        poly_set_fini(&a->skirt[k]);
    for (size_t k = 0; a->brim && k < a->nbrim; k++)
        poly_set_fini(&a->brim[k]);
    free(a->skirt);
    free(a->brim);
    *a = (struct slice_adhesion){0};
}
