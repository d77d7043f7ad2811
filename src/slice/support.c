/* support.c: support areas under overhangs (see slice_support.h).
 *
 * One pass from the top layer down carries the "column" C: everything that
 * needs holding up at this height. C[i] = (C[i+1] + overhang[i+1]) - model[i]
 * (minus everything below too when bed_only), so a column stops where it
 * lands on the model, and the model's own overhangs add to it on the way
 * down. What is printed at layer i is C[i] kept clear of the model: minus
 * the model grown by xy_gap, minus the model in the z_gap layers above and
 * below. Cura's AreaSupport does the same with more options. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/slice_infill.h"
#include "daryn/slice_support.h"
#include "infill_internal.h"

/* Sparse support lines are joined into a zigzag when the chord from one
 * line's end to the next line's start is at most this many spacings long
 * (a boundary slanted up to 60 degrees from the lines' normal) and stays
 * inside the area: lone parallel lines 2.7 mm apart topple while printing,
 * a zigzag braces itself (Cura's "zigzag", PrusaSlicer's "rectilinear"
 * with connections). The chords lie along the boundary, so they do not
 * cross the lines and the support still breaks off line by line. */
#define SUPPORT_JOIN_SPACINGS 2.0

void slice_support_params_default(struct slice_support_params *p)
{
    *p = (struct slice_support_params){
        .angle_deg = 50.0,
        .layer_h_um = 200,
        .line_w_um = 400,
        .xy_gap_um = 700,
        .z_gap_layers = 1,
        .interface_layers = 2,
        .density = 0.15,
        .interface_density = 0.7,
        .bed_only = 0,
        .min_area_um2 = 0.0,
        .join_um = 2000,
    };
}

void slice_support_layers_fini(struct slice_support_layers *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        poly_set_fini(&s->v[i].support);
        poly_set_fini(&s->v[i].interface);
    }
    free(s->v);
    *s = (struct slice_support_layers){0};
}

static int params_check(const struct slice_support_params *p, struct dy_err *err)
{
    if (!(p->angle_deg > 0.0 && p->angle_deg < 90.0))
        return dy_err_set(err, DY_ERANGE, "support.angle_deg", "must be in (0, 90) "
                          "degrees from vertical (got %g)", p->angle_deg);
    if (p->layer_h_um <= 0)
        return dy_err_set(err, DY_EINVAL, "support.layer_h_um", "must be > 0 (got %d)",
                          (int)p->layer_h_um);
    if (p->line_w_um <= 0)
        return dy_err_set(err, DY_EINVAL, "support.line_w_um", "must be > 0 (got %d)",
                          (int)p->line_w_um);
    if (p->xy_gap_um < 0)
        return dy_err_set(err, DY_ERANGE, "support.xy_gap_um", "must be >= 0 (got %d)",
                          (int)p->xy_gap_um);
    if (p->z_gap_layers < 0 || p->z_gap_layers > 100)
        return dy_err_set(err, DY_ERANGE, "support.z_gap_layers", "must be in 0..100 "
                          "(got %d)", p->z_gap_layers);
    if (p->interface_layers < 0 || p->interface_layers > 100)
        return dy_err_set(err, DY_ERANGE, "support.interface_layers", "must be in 0..100 "
                          "(got %d)", p->interface_layers);
    if (!(p->density > 0.0 && p->density <= 1.0))
        return dy_err_set(err, DY_ERANGE, "support.density", "must be in (0, 1] (got %g)",
                          p->density);
    if (!(p->interface_density > 0.0 && p->interface_density <= 1.0))
        return dy_err_set(err, DY_ERANGE, "support.interface_density", "must be in (0, 1] "
                          "(got %g)", p->interface_density);
    if (!(p->min_area_um2 >= 0.0) || !isfinite(p->min_area_um2))
        return dy_err_set(err, DY_ERANGE, "support.min_area_um2", "must be >= 0 (got %g)",
                          p->min_area_um2);
    if (p->join_um < 0 || p->join_um > 100000)
        return dy_err_set(err, DY_ERANGE, "support.join_um", "must be in 0..100000 (got %d)",
                          (int)p->join_um);
    return 0;
}

typedef int (*poly_binop)(const struct poly_set *, const struct poly_set *,
                          struct poly_set *);

/* *a = *a op b (the poly ops want a fresh output). */
static int apply(poly_binop op, struct poly_set *a, const struct poly_set *b)
{
    struct poly_set t = {0};
    int rc = op(a, b, &t);
    if (rc != 0)
        return rc;
    poly_set_fini(a);
    *a = t;
    return 0;
}

static int offset_to(const struct poly_set *in, double d, struct poly_set *out)
{
    if (d == 0.0)
        return poly_normalize(in, out);
    return poly_offset(in, d, POLY_JOIN_MITER, out);
}

/* Morphological opening by radius (shrink, then grow back), then drops pieces
 * under min_area: what is left can hold at least one line. */
static int clean(struct poly_set *s, double radius, double min_area)
{
    struct poly_set shrunk = {0}, back = {0};
    int rc = poly_offset(s, -radius, POLY_JOIN_MITER, &shrunk);
    if (rc == 0)
        rc = poly_offset(&shrunk, radius, POLY_JOIN_MITER, &back);
    poly_set_fini(&shrunk);
    if (rc != 0) {
        poly_set_fini(&back);
        return rc;
    }
    poly_set_fini(s);
    *s = back;
    /* Outer rings come first in no particular order, so drop whole islands
     * by area through the island split. */
    struct poly_islands is = {0};
    struct poly_set kept = {0};
    rc = poly_split_islands(s, &is);
    for (size_t i = 0; rc == 0 && i < is.n; i++) {
        if (poly_set_area(&is.v[i].rings) < min_area)
            continue;
        for (size_t k = 0; rc == 0 && k < is.v[i].rings.n; k++) {
            const struct poly_ring *r = &is.v[i].rings.rings[k];
            rc = poly_set_add_ring(&kept, r->pts, r->n);
        }
    }
    poly_islands_fini(&is);
    if (rc != 0) {
        poly_set_fini(&kept);
        return rc;
    }
    poly_set_fini(s);
    *s = kept;
    return 0;
}

/* Builds the union of layers [lo, hi] (clamped to the model) into *out. */
static int union_range(const struct poly_set *L, size_t n, long lo, long hi,
                       struct poly_set *out)
{
    for (long k = lo < 0 ? 0 : lo; k <= hi && k < (long)n; k++) {
        int rc = apply(poly_union, out, &L[k]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* The printed support of layer i from its column: clear of the model,
 * cleaned, and split into interface and sparse support. */
static int layer_finish(const struct poly_set *L, size_t n, size_t i,
                        const struct poly_set *column,
                        const struct slice_support_params *p, double min_area,
                        struct slice_support_layer *dst)
{
    struct poly_set printed = {0}, keep_out = {0}, grown = {0}, under = {0};
    const long zg = p->z_gap_layers;
    int rc = 0;
    /* Close the column first: under a curved overhang it is a stack of
     * thin ledges, each of which would get its own short lines. The
     * closing may reach into the model; the keep-out below cuts it away. */
    if (p->join_um > 0) {
        rc = poly_offset(column, p->join_um / 2.0, POLY_JOIN_MITER, &grown);
        if (rc == 0)
            rc = poly_offset(&grown, -p->join_um / 2.0, POLY_JOIN_MITER, &printed);
        poly_set_fini(&grown);
    } else {
        rc = poly_set_copy(&printed, column);
    }
    /* Keep-out: the model here grown by the xy gap, and the model in the
     * z-gap layers above (the gap under an overhang) and below (the gap
     * over a surface the support stands on). */
    if (rc == 0)
        rc = offset_to(&L[i], p->xy_gap_um, &grown);
    if (rc == 0)
        rc = apply(poly_union, &keep_out, &grown);
    if (rc == 0)
        rc = union_range(L, n, (long)i + 1, (long)i + zg, &keep_out);
    if (rc == 0)
        rc = union_range(L, n, (long)i - zg, (long)i - 1, &keep_out);
    if (rc == 0)
        rc = apply(poly_difference, &printed, &keep_out);
    if (rc == 0)
        rc = clean(&printed, p->line_w_um / 2.0, min_area);
    /* Interface: the printed part under the model within interface_layers
     * above the gap. */
    if (rc == 0 && p->interface_layers > 0 && printed.n > 0) {
        rc = union_range(L, n, (long)i + zg + 1, (long)i + zg + p->interface_layers, &under);
        if (rc == 0)
            rc = poly_intersection(&printed, &under, &dst->interface);
        if (rc == 0)
            rc = clean(&dst->interface, p->line_w_um / 2.0, min_area);
        if (rc == 0)
            rc = apply(poly_difference, &printed, &dst->interface);
        if (rc == 0)
            rc = clean(&printed, p->line_w_um / 2.0, min_area);
    }
    if (rc == 0) {
        dst->support = printed;
        printed = (struct poly_set){0};
    }
    poly_set_fini(&printed);
    poly_set_fini(&keep_out);
    poly_set_fini(&grown);
    poly_set_fini(&under);
    return rc;
}

/* Overhang of `above` over `below`: the part of `above` outside `below`
 * grown by the allowed step, widened back by the step to the full
 * ledge (within above - below). Without the widening a slope just past the
 * threshold leaves a thin strip per layer, strips of successive layers do
 * not touch, and cleaning would drop them all; widened, each layer's ledge
 * meets the next one's and the column under the slope is solid. */
static int overhang_of(const struct poly_set *above, const struct poly_set *below,
                       double step, struct poly_set *out)
{
    struct poly_set grown = {0}, basic = {0}, ledge = {0}, wide = {0};
    int rc = offset_to(below, step, &grown);
    if (rc == 0)
        rc = poly_difference(above, &grown, &basic);
    if (rc == 0 && basic.n > 0) {
        rc = poly_difference(above, below, &ledge);
        if (rc == 0)
            rc = poly_offset(&basic, step, POLY_JOIN_MITER, &wide);
        if (rc == 0)
            rc = poly_intersection(&wide, &ledge, out);
    }
    poly_set_fini(&grown);
    poly_set_fini(&basic);
    poly_set_fini(&ledge);
    poly_set_fini(&wide);
    return rc;
}

static int layer_err(struct dy_err *err, int rc, size_t layer)
{
    char where[64];
    snprintf(where, sizeof where, "support: layer %zu", layer);
    return dy_err_set(err, rc, where, "polygon operation failed (%s)", dy_code_name(rc));
}

int slice_support_build(const struct poly_set *layer_outlines, size_t nlayers,
                        const struct slice_support_params *p,
                        struct slice_support_layers *out, struct dy_err *err)
{
    const struct poly_set *L = layer_outlines;
    struct slice_support_layers res = {0};
    struct poly_set *shadow = NULL; /* bed_only: union of layers 0..i */
    struct poly_set column = {0}, overhang = {0};
    int rc = params_check(p, err);
    size_t i = 0;

    if (rc != 0)
        return rc;
    if (nlayers == 0)
        return 0;
    const double step = p->layer_h_um * tan(p->angle_deg * M_PI / 180.0);
    const double min_area = p->min_area_um2 > 0.0 ? p->min_area_um2
                                                  : 4.0 * p->line_w_um * (double)p->line_w_um;
    res.v = calloc(nlayers, sizeof *res.v);
    if (!res.v) {
        rc = dy_err_set(err, DY_ENOMEM, "support", "out of memory for %zu layers", nlayers);
        goto fail;
    }
    res.n = nlayers;
    if (p->bed_only) {
        shadow = calloc(nlayers, sizeof *shadow);
        if (!shadow) {
            rc = dy_err_set(err, DY_ENOMEM, "support", "out of memory for %zu layers", nlayers);
            goto fail;
        }
        for (i = 0; i < nlayers && rc == 0; i++)
            rc = i == 0 ? poly_normalize(&L[0], &shadow[0])
                        : poly_union(&shadow[i - 1], &L[i], &shadow[i]);
        if (rc != 0) {
            rc = layer_err(err, rc, i - 1);
            goto fail;
        }
    }
    for (i = nlayers - 1; i-- > 0;) {
        rc = overhang_of(&L[i + 1], &L[i], step, &overhang);
        if (rc == 0)
            rc = apply(poly_union, &column, &overhang);
        if (rc == 0)
            rc = apply(poly_difference, &column, p->bed_only ? &shadow[i] : &L[i]);
        if (rc == 0 && column.n > 0)
            rc = layer_finish(L, nlayers, i, &column, p, min_area, &res.v[i]);
        poly_set_fini(&overhang);
        if (rc != 0) {
            rc = layer_err(err, rc, i);
            goto fail;
        }
    }
    *out = res;
    res = (struct slice_support_layers){0};
fail:
    slice_support_layers_fini(&res);
    for (size_t k = 0; shadow && k < nlayers; k++)
        poly_set_fini(&shadow[k]);
    free(shadow);
    poly_set_fini(&column);
    poly_set_fini(&overhang);
    return rc;
}

static void lines_truncate(struct poly_lines *l, size_t n)
{
    while (l->n > n)
        poly_ring_fini(&l->lines[--l->n]);
}

int slice_support_paths(const struct slice_support_layer *layer, int layer_index,
                        const struct slice_support_params *p,
                        struct poly_lines *support_out, struct poly_lines *interface_out,
                        struct dy_err *err)
{
    const size_t ns0 = support_out->n, ni0 = interface_out->n;
    int rc = params_check(p, err);
    if (rc != 0)
        return rc;
    const double w = p->line_w_um, spacing = w / p->density;
    if (layer->support.n > 0) {
        struct poly_lines raw = {0};
        struct infill_bbox bb;
        infill_bbox_of(&layer->support, &bb);
        rc = infill_add_parallel(&bb, 0.0, spacing, &raw, err);
        if (rc == 0)
            rc = infill_finish(&layer->support, &raw, p->line_w_um,
                               SUPPORT_JOIN_SPACINGS * spacing, support_out, err);
        poly_lines_fini(&raw);
    }
    if (rc == 0)
        rc = slice_infill_lines_at(&layer->interface, layer_index % 2 == 0 ? 90.0 : 0.0,
                                   w / p->interface_density, p->line_w_um, interface_out, err);
    if (rc != 0) {
        lines_truncate(support_out, ns0);
        lines_truncate(interface_out, ni0);
    }
    return rc;
}
