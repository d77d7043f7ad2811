/* infill_internal.h: helpers shared by the infill_*.c pattern files (not
 * installed; nothing outside src/slice includes it).
 *
 * Each pattern appends "raw" lines covering the area's bounding box to a
 * poly_lines, then infill_finish() clips, filters, orders and joins them. */
#ifndef DARYN_INFILL_INTERNAL_H
#define DARYN_INFILL_INTERNAL_H

#include <stdint.h>

#include "daryn/err.h"
#include "daryn/poly.h"

/* Most raw lines or samples one call may produce: a 300 mm bed filled at
 * 0.1 mm spacing is 4,300 lines, so this only stops absurd inputs. */
#define INFILL_MAX_LINES 1000000
#define INFILL_MAX_SAMPLES 20000000.0

/* Fragments are joined when the chord between them is at most this many
 * line widths: solid skins (chords of ~1.4 w) become zigzags, while sparse
 * infill is not stitched along its boundary, which would add material
 * (4% extra on a 20 mm square at 15%) and break the density promise. */
#define INFILL_JOIN_MAX_W 3.0

struct infill_bbox {
    int64_t min_x, min_y, max_x, max_y; /* um; empty when min_x > max_x */
};

void infill_bbox_of(const struct poly_set *area, struct infill_bbox *bb);

/* Appends lines at `angle_rad` spaced `spacing_um` apart, covering the
 * bbox; lines are the set {p : p . n = k * spacing} for integer k with
 * n = (-sin, cos), so they are anchored at the bed origin. */
int infill_add_parallel(const struct infill_bbox *bb, double angle_rad,
                        double spacing_um, struct poly_lines *raw,
                        struct dy_err *err);

/* The pattern files: each appends its raw lines for the bbox. Spacing has
 * been checked by the caller (finite, >= 1 um). */
int infill_lines_add(const struct infill_bbox *bb, double spacing_um, int layer_index,
                     struct poly_lines *raw, struct dy_err *err);
int infill_grid_add(const struct infill_bbox *bb, double spacing_um,
                    struct poly_lines *raw, struct dy_err *err);
int infill_triangles_add(const struct infill_bbox *bb, double spacing_um,
                         struct poly_lines *raw, struct dy_err *err);

/* Appends the gyroid's zero contour at z (pattern file infill_gyroid.c). */
int infill_gyroid_add(const struct infill_bbox *bb, double density, int32_t line_w_um,
                      int32_t z_um, struct poly_lines *raw, struct dy_err *err);

/* Clips `raw` to `area`, drops fragments shorter than line_w, orders them
 * greedily, joins neighbours closer than join_max_um through the area, and
 * appends the result to `out`. */
int infill_finish(const struct poly_set *area, const struct poly_lines *raw,
                  int32_t line_w_um, double join_max_um, struct poly_lines *out,
                  struct dy_err *err);

#endif
