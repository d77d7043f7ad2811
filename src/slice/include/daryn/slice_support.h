/* slice_support.h: support areas under overhangs, per layer, and the
 * lines that fill them.
 *
 * Overhang: a surface whose angle from the vertical exceeds `angle_deg`
 * (0 = vertical wall, 90 = flat ceiling). Between two layers such a surface
 * moves outwards by more than layer_h * tan(angle_deg), so the overhang of
 * layer i is the part of layer i outside layer i-1 grown by that distance
 * (mitred, so a 45-degree chamfered box at a 50-degree threshold has none,
 * corners included). Overhangs are projected straight down to the bed (or
 * onto the model unless bed_only), kept xy_gap_um clear of the model in
 * every layer, and stopped z_gap_layers below the model (and, resting on
 * the model, z_gap_layers above it) so they break away. The
 * interface_layers layers just below the gap are "interface" (dense, a
 * flat surface for the model); the rest is sparse "support". Pieces
 * thinner than one line width or smaller than min_area_um2 are dropped;
 * pieces closer than join_um are merged first, so the thin ledges under a
 * gently curved overhang become one region a zigzag can brace.
 *
 * Units: microns (int32) in-plane; layers are indices into the caller's
 * array, layer i lying on layer i-1 and layer 0 on the bed. */
#ifndef DARYN_SLICE_SUPPORT_H
#define DARYN_SLICE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"
#include "daryn/poly.h"

#ifdef __cplusplus
extern "C" {
#endif

struct slice_support_params {
    double angle_deg;         /* overhang threshold from vertical, (0, 90); e.g. 50 */
    int32_t layer_h_um;       /* layer height, > 0 */
    int32_t line_w_um;        /* support line width, > 0 */
    int32_t xy_gap_um;        /* horizontal clearance from the model, >= 0 */
    int z_gap_layers;         /* empty layers between support and model, 0..100 */
    int interface_layers;     /* dense layers under the model, 0..100 */
    double density;           /* sparse support, (0, 1]; e.g. 0.15 */
    double interface_density; /* interface, (0, 1]; e.g. 0.7 */
    int bed_only;             /* 1: no support standing on the model */
    double min_area_um2;      /* drop smaller pieces; 0 means 4 * line_w^2 */
    int32_t join_um;          /* pieces of one layer closer than this merge
                                 (a closing by join/2, then the model is cut
                                 out again; Cura's support_join_distance),
                                 >= 0; 0 = none */
};

/* Fills *p with the defaults: 50 deg, 200 um layers, 400 um lines, 700 um
 * xy gap, 1 z gap layer, 2 interface layers, 15% support, 70% interface,
 * bed_only 0, min_area 0 (automatic), 2 mm join. */
void slice_support_params_default(struct slice_support_params *p);

struct slice_support_layer {
    struct poly_set support;   /* sparse support area (normalised) */
    struct poly_set interface; /* dense interface area (normalised), disjoint
                                  from `support` */
};

struct slice_support_layers {
    struct slice_support_layer *v; /* n entries, one per model layer */
    size_t n;
};

/* Frees all areas and zeroes *s; NULL-safe, callable twice. */
void slice_support_layers_fini(struct slice_support_layers *s);

/* Computes the support of a model.
 *   layer_outlines  borrowed; nlayers sets, the model's cross-section per
 *                   layer from the bed up (normalised or not).
 *   p               borrowed; checked, errors name the field.
 *   out             OUT: must be zeroed; gets nlayers entries, owned by the
 *                   caller (free with slice_support_layers_fini). Left
 *                   zeroed on failure.
 * Returns 0, DY_EINVAL / DY_ERANGE (bad params), DY_ENOMEM, DY_EEXTERNAL
 * (polygon library, with the layer in err->where). */
int slice_support_build(const struct poly_set *layer_outlines, size_t nlayers,
                        const struct slice_support_params *p,
                        struct slice_support_layers *out, struct dy_err *err);

/* Turns one layer's areas into lines (the bed-anchored lines of
 * slice_infill.h, clipped to the area):
 * support: lines along x (same every layer, so they stack into walls)
 * spaced line_w / density, joined end to end into a zigzag wherever the
 * chord between neighbouring lines is at most 2 spacings long and stays
 * inside the area (within a quarter line width), so a convex region is one
 * polyline and a region is only split where its boundary bends inwards;
 * the chords run along the boundary and add material there (about 25% on
 * a 9 x 10 mm region at 15%: a braced edge). interface: lines spaced
 * line_w / interface_density, along y on even layers and x on odd ones so
 * the top interface crosses the one below. Lines are APPENDED to
 * support_out and interface_out (either may be the same object); on
 * failure both keep only what they held before. Same errors as above. */
int slice_support_paths(const struct slice_support_layer *layer, int layer_index,
                        const struct slice_support_params *p,
                        struct poly_lines *support_out, struct poly_lines *interface_out,
                        struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
