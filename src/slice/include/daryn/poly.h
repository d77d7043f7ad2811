/* poly.h: polygon sets in integer microns and the boolean/offset operations
 * the slicer needs, behind one small C API (implemented in src/slice on top
 * of the chosen polygon library; nothing outside src/slice sees its types).
 *
 * A `struct poly_set` is a set of closed rings. Outputs of every operation
 * are normalised: outer boundaries counter-clockwise (positive area), holes
 * clockwise, no self-intersections, filled by the non-zero rule. Inputs are
 * read with the non-zero rule too (so unnormalised, overlapping rings from
 * a dirty mesh are unioned, not cancelled). */
#ifndef DARYN_POLY_H
#define DARYN_POLY_H

#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"
#include "daryn/slice_plan.h" /* struct slice_pt */

#ifdef __cplusplus
extern "C" {
#endif

struct poly_ring {
    struct slice_pt *pts;
    size_t n, cap;
};

struct poly_set {
    struct poly_ring *rings;
    size_t n, cap;
};

/* Open polylines (infill lines, support lines). */
struct poly_lines {
    struct poly_ring *lines; /* each an open polyline */
    size_t n, cap;
};

/* One island: an outer ring and the holes inside it. */
struct poly_island {
    struct poly_set rings; /* rings[0] = outer (CCW), rings[1..] = holes (CW) */
};
struct poly_islands {
    struct poly_island *v;
    size_t n, cap;
};

enum poly_join { POLY_JOIN_MITER, POLY_JOIN_ROUND, POLY_JOIN_SQUARE };

/* Building and freeing. All return 0 or DY_ENOMEM. The containers grow
 * with realloc (pointers into them die on growth); every struct here is
 * caller-owned, zero-initialised means empty, and _fini frees and zeroes.
 *
 * Every operation below returns 0, DY_ENOMEM, or DY_EEXTERNAL when the
 * polygon library itself fails. On failure `out` is left empty. */
int poly_ring_push(struct poly_ring *r, int32_t x, int32_t y);
int poly_set_add_ring(struct poly_set *s, const struct slice_pt *pts, size_t n);
int poly_lines_add(struct poly_lines *l, const struct slice_pt *pts, size_t n);
void poly_ring_fini(struct poly_ring *r);
void poly_set_fini(struct poly_set *s);
void poly_lines_fini(struct poly_lines *l);
void poly_islands_fini(struct poly_islands *is);
int poly_set_copy(struct poly_set *dst, const struct poly_set *src);

/* Signed area (um^2, positive for CCW) of a ring, and total of a set. */
double poly_ring_area(const struct poly_ring *r);
double poly_set_area(const struct poly_set *s);

/* Boolean operations: out = a op b. `out` must be empty and distinct from
 * the inputs. b may be empty. */
int poly_union(const struct poly_set *a, const struct poly_set *b, struct poly_set *out);
int poly_difference(const struct poly_set *a, const struct poly_set *b, struct poly_set *out);
int poly_intersection(const struct poly_set *a, const struct poly_set *b, struct poly_set *out);
/* Normalises a set (union with itself, non-zero rule). */
int poly_normalize(const struct poly_set *a, struct poly_set *out);

/* Offset outwards (delta > 0) or inwards (delta < 0) by delta microns.
 * The input is normalised first (non-zero), so flipped or overlapping rings
 * offset as the area they cover. POLY_JOIN_MITER uses a miter limit of 2
 * (corners sharper than that are squared); round joins are approximated
 * within 5 um. Parts that vanish (thinner than 2*|delta|) are dropped. */
int poly_offset(const struct poly_set *in, double delta_um, enum poly_join join,
                struct poly_set *out);

/* poly_offset for input that is already normalised: the output of any
 * operation here, or one island of poly_split_islands. It skips the union
 * poly_offset runs first (a third of an offset's time on a slice). Rings
 * that are not normalised (flipped, overlapping) give a wrong area, never
 * a crash. */
int poly_offset_normalized(const struct poly_set *in, double delta_um, enum poly_join join,
                           struct poly_set *out);

/* Buffers open polylines by `delta_um` (> 0) on each side, round ends and
 * joins: the area an extruded line of width 2*delta covers. Appends the
 * normalised union to `out` (which must be empty). */
int poly_offset_lines(const struct poly_lines *lines, double delta_um,
                      struct poly_set *out);

/* Clips open polylines to the inside of an area; `out` must be empty. */
int poly_clip_lines(const struct poly_set *area, const struct poly_lines *lines,
                    struct poly_lines *out);

/* Groups a set into islands (outer + its direct holes); the set is
 * normalised first. An island inside a hole is its own island. */
int poly_split_islands(const struct poly_set *in, struct poly_islands *out);

/* Removes vertices closer than `tol_um` to the line through their
 * neighbours (keeps rings closed and valid); used to thin dense slices. */
int poly_simplify(const struct poly_set *in, double tol_um, struct poly_set *out);

/* 1 when the point is inside the set (non-zero winding) or on its
 * boundary, 0 outside. Linear in the number of vertices. */
int poly_contains(const struct poly_set *s, int32_t x, int32_t y);

/* 1 when segment ab properly crosses an edge of a ring of `s`: touching a
 * vertex or running along an edge does not count (a seam lies on its own
 * wall, a chord's ends on the area's boundary). */
int poly_segment_crosses(const struct poly_set *s, struct slice_pt a, struct slice_pt b);

#ifdef __cplusplus
}
#endif
#endif
