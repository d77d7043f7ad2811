/* slice_infill.h: infill line patterns (sparse infill, solid skins, and the
 * lines inside support areas).
 *
 * Every pattern is generated on a grid anchored to the bed origin, not to the
 * island, so the same pattern at the same layer gives the same lines wherever
 * the area is, and lines of neighbouring layers sit on top of each other and
 * bond. The lines are clipped to the area, fragments shorter than one line
 * width are dropped, and what is left is ordered greedily (nearest free end
 * next, reversed as needed); consecutive fragments are joined into one
 * polyline when the connecting chord is short (at most 3 line widths: a
 * solid skin becomes one zigzag, sparse lines are left apart so joins add
 * no material) and stays inside the area (within a quarter line width).
 *
 * Density is the extruded area fraction: sum(line length) * line_w / area.
 * Spacing between parallel lines of one direction (see
 * slice_infill_spacing_um):
 *   LINES      one direction per layer          spacing = w / density
 *   GRID       two directions (45, -45 deg)     spacing = 2 w / density
 *   TRIANGLES  three directions (0, 60, 120)    spacing = 3 w / density
 *   GYROID     the zero contour of sin x cos y + sin y cos z + sin z cos x
 *              at this z, scaled so its contour length per area gives the
 *              density on average over z (period = 2 pi * w *
 *              SLICE_INFILL_GYROID_LENGTH_PER_AREA / density); single
 *              layers deposit 0.93x to 1.22x of that
 * Crossings are not subtracted (as Cura and PrusaSlicer do), so a grid
 * at density d deposits slightly less than d.
 *
 * Solid skins are LINES at density 1.0 (spacing = line width).
 *
 * Units: coordinates int32 microns (struct slice_pt, bed coordinates). */
#ifndef DARYN_SLICE_INFILL_H
#define DARYN_SLICE_INFILL_H

#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"
#include "daryn/poly.h"

#ifdef __cplusplus
extern "C" {
#endif

enum slice_infill_pattern {
    SLICE_INFILL_LINES,     /* parallel lines, 45 deg on even layers, -45 on odd */
    SLICE_INFILL_GRID,      /* 45 and -45 deg lines in every layer */
    SLICE_INFILL_TRIANGLES, /* 0, 60 and 120 deg lines through common points */
    SLICE_INFILL_GYROID,    /* gyroid surface cut at the layer's z */
    SLICE_INFILL_COUNT
};

/* Contour length (radians) per area (radians^2) of the unit gyroid's
 * z-slices, averaged over one period of z (measured on a 200 mm square,
 * 48 layers; checked by tests/slice_infill). Single layers range from
 * -7% to +22% of the mean. Scale (um per radian) = w * this / density. */
#define SLICE_INFILL_GYROID_LENGTH_PER_AREA 0.3950

/* Stable lower-case names: "lines", "grid", "triangles", "gyroid".
 * Returns "?" for out-of-range values. Static strings. */
const char *slice_infill_pattern_name(enum slice_infill_pattern p);

/* Looks a pattern up by its name (as above). Returns 0, or DY_ENOTFOUND
 * with err naming the accepted values. *out untouched on failure. */
int slice_infill_pattern_from_name(const char *name, enum slice_infill_pattern *out,
                                   struct dy_err *err);

/* Distance in microns between neighbouring parallel lines of one direction
 * for the pattern, density (0, 1] and line width; for GYROID the distance
 * between neighbouring wave crests (period / 2). Returns 0 when density <= 0
 * or line_w_um <= 0. */
double slice_infill_spacing_um(enum slice_infill_pattern pattern, double density,
                               int32_t line_w_um);

/* Fills `area` with the pattern.
 *   area         borrowed; the region to fill (normalised or not, non-zero
 *                rule). The caller usually passes the area inside the
 *                innermost wall (already inset by half a line width), since
 *                lines run up to the boundary.
 *   density      extruded area fraction, 0..1; 0 gives no lines.
 *   line_w_um    extrusion width, > 0.
 *   z_um         layer top height (only GYROID uses it).
 *   layer_index  0-based layer number (LINES alternates on it).
 *   out          OUT: the polylines are APPENDED, in print order; on
 *                failure out keeps only what it held before the call.
 * Returns 0, DY_EINVAL (bad pattern or line width), DY_ERANGE (density
 * outside 0..1), DY_ELIMIT (more than ~1e6 lines or gyroid samples: an
 * absurd area for the width), DY_ENOMEM, DY_EEXTERNAL (polygon library). */
int slice_infill_generate(const struct poly_set *area, enum slice_infill_pattern pattern,
                          double density, int32_t line_w_um, int32_t z_um,
                          int layer_index, struct poly_lines *out, struct dy_err *err);

/* Parallel lines at a fixed direction (degrees counter-clockwise from +x)
 * and spacing, anchored to the bed origin, clipped, filtered and ordered as
 * above. Used for support, interface and bridges. Same ownership and errors
 * as slice_infill_generate (spacing_um must be >= 1). */
int slice_infill_lines_at(const struct poly_set *area, double angle_deg,
                          double spacing_um, int32_t line_w_um,
                          struct poly_lines *out, struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
