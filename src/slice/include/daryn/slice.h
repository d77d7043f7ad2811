/* slice.h: the slicer as stages with plain data between them.
 *
 *   struct mesh_tris (mm, placed on the bed)
 *     -> slice_layers_build   closed polygons per layer (int um)
 *     -> slice_islands_build  outer contour + holes, per layer
 *     -> slice_walls_build    perimeter loops + inner area, per island
 *     -> slice_fill_build     top/bottom solid skin + sparse infill lines
 *     -> (slice_support.h)    support areas and lines
 *     -> slice_adhesion_build skirt and brim loops (first layer)
 *     -> slice_plan_build     ordered paths per layer (slice_plan.h)
 * slice_run() runs them all from one `struct slice_params`.
 *
 * Every stage: const input, an explicit params struct, an output the caller
 * owns (zero-initialise it; free with the matching _fini, also after a
 * failure, which leaves it empty), and a `struct slice_ctl` (may be NULL)
 * checked once per layer. Coordinates are int32 microns in bed coordinates
 * (struct slice_pt); lengths in params are microns unless named _mm. */
#ifndef DARYN_SLICE_H
#define DARYN_SLICE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"
#include "daryn/mesh.h"
#include "daryn/poly.h"
#include "daryn/slice_infill.h"
#include "daryn/slice_plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- control ---------------------------------------------------------- */

enum slice_stage {
    SLICE_STAGE_LAYERS,
    SLICE_STAGE_ISLANDS,
    SLICE_STAGE_WALLS,
    SLICE_STAGE_FILL,
    SLICE_STAGE_SUPPORT,
    SLICE_STAGE_ADHESION,
    SLICE_STAGE_PLAN,
    SLICE_STAGE_COUNT
};

/* Stable names ("layers", "islands", "walls", "fill", "support",
 * "adhesion", "plan"); "?" when out of range. */
const char *slice_stage_name(enum slice_stage s);
/* Relative share of the total run time of each stage (sums to 1 over all
 * stages, measured on a 1M-triangle sphere), for an ETA bar (Cura's
 * Progress.h weights). */
double slice_stage_weight(enum slice_stage s);

struct slice_ctl {
    /* When non-NULL and set to non-zero (from any thread or a signal
     * handler), stages return DY_ECANCELED at the next layer. Borrowed. */
    const atomic_int *cancel;
    /* When non-NULL, called with the stage and the fraction done (0..1) of
     * that stage, from the thread that called the stage. */
    void (*progress)(void *user, enum slice_stage stage, double fraction);
    void *user;
};

/* ---- stage 1: layers -------------------------------------------------- */

struct slice_layers_params {
    int32_t layer_h_um;       /* layer thickness, > 0 */
    int32_t first_layer_h_um; /* first layer thickness, > 0 */
    int32_t close_gap_um;     /* ends of open cut chains closer than this are
                                 joined (open meshes); longer gaps drop the
                                 chain. 0 = only exact matches */
    int32_t simplify_um;      /* Douglas-Peucker tolerance applied to each
                                 cross-section; 0 = none */
    int threads;              /* worker threads (>= 1; 0 = 2) */
};

struct slice_layer {
    int32_t z_um;        /* top of the layer (nozzle height) */
    int32_t height_um;   /* thickness */
    int32_t cut_z_um;    /* where the mesh was cut: the layer's middle */
    struct poly_set polys; /* normalised cross-section (non-zero union) */
};

struct slice_layers {
    struct slice_layer *v; /* bottom to top; the last one is the highest
                              layer whose middle lies below the mesh top */
    size_t n;
    size_t open_closed;  /* open cut chains closed by joining near ends */
    size_t open_dropped; /* open cut chains dropped (gap too wide) */
};

/* Cuts the mesh at the middle of each layer, from z = 0 (the bed) up.
 * The mesh must be indexed; identical vertex positions are welded, so an
 * unindexed triangle soup slices too. Parts below z = 0 are ignored.
 * Errors: DY_EINVAL (bad params, vertex index out of range), DY_ENOMEM,
 * DY_ELIMIT (more than 1e6 layers), DY_ECANCELED. */
int slice_layers_build(const struct mesh_tris *m, const struct slice_layers_params *p,
                       const struct slice_ctl *ctl, struct slice_layers *out,
                       struct dy_err *err);
void slice_layers_fini(struct slice_layers *l);

/* ---- stage 2: islands ------------------------------------------------- */

struct slice_islands {
    struct poly_islands *v; /* v[i]: the islands of layer i (same index as
                               slice_layers.v) */
    size_t n;
};

/* Splits each layer's cross-section into islands (outer + its holes). */
int slice_islands_build(const struct slice_layers *in, const struct slice_ctl *ctl,
                        struct slice_islands *out, struct dy_err *err);
void slice_islands_fini(struct slice_islands *is);

/* ---- stage 3: walls --------------------------------------------------- */

struct slice_walls_params {
    int32_t line_w_um; /* extrusion width, > 0 */
    int walls;         /* perimeters per island, >= 1 */
    int threads;       /* worker threads (0 = 2) */
};

struct slice_island_walls {
    struct poly_set outline;  /* the island (outer + holes), copied */
    struct poly_set *loops;   /* loops[0] = outer wall ... loops[n-1]:
                                 centre lines of each perimeter; a loop set
                                 may hold several rings (around holes, or
                                 where a narrow neck splits the island) */
    int32_t *loop_w_um;       /* extrusion width of each loop: line_w, or
                                 less for the single outline of an island
                                 thinner than a line */
    size_t nloops;
    struct poly_set inner;    /* area inside the innermost wall, left for
                                 skin and infill (its inner edge) */
};

struct slice_layer_walls {
    struct slice_island_walls *v; /* one per island, same order */
    size_t n;
};

struct slice_walls {
    struct slice_layer_walls *layers;
    size_t n;
};

/* Perimeter k is the island offset inwards by line_w/2 + k*line_w; the
 * inner area by walls*line_w. An island too thin for the first perimeter
 * gets one loop at a quarter width inside, printed at half width (when
 * even that vanishes, the island is skipped). A speck, an island whose
 * area is below line_w^2 AND whose outer contour is shorter than
 * 4 * line_w (0.16 mm^2 and 1.6 mm at 0.4 mm), is too small to print and
 * gets no loops and no inner area (its outline is kept, nloops = 0).
 * Wall rings shorter than 2 * line_w are dropped from their loop set (a
 * loop set left empty ends the loops there). */
int slice_walls_build(const struct slice_islands *in, const struct slice_walls_params *p,
                      const struct slice_ctl *ctl, struct slice_walls *out,
                      struct dy_err *err);
void slice_walls_fini(struct slice_walls *w);

/* ---- stage 4: top/bottom skin and sparse infill ----------------------- */

struct slice_fill_params {
    int32_t line_w_um;
    int top_layers, bottom_layers;     /* solid layers, >= 0 */
    enum slice_infill_pattern pattern; /* sparse infill pattern */
    double density;                    /* sparse infill, 0..1 */
    int threads;                       /* worker threads (0 = 2) */
};

struct slice_island_fill {
    struct poly_set top, bottom, sparse;     /* areas (within walls.inner) */
    struct poly_lines top_lines, bottom_lines, sparse_lines; /* centre lines */
};

struct slice_layer_fill {
    struct slice_island_fill *v; /* one per island of slice_walls */
    size_t n;
};

struct slice_fill {
    struct slice_layer_fill *layers;
    size_t n;
};

/* For layer i: bottom = inner_i - (inner_{i-1} n ... n inner_{i-b}),
 * top = inner_i - (inner_{i+1} n ... n inner_{i+t}) - bottom (layers past
 * either end count as empty), sparse = the rest. Skin is solid lines at
 * spacing line_w, +45 degrees on even layers and -45 on odd ones, clipped
 * to the skin area inset by half a line (slice_infill_lines_at); sparse
 * lines come from slice_infill_generate over the sparse area inset by 0.35
 * line (a 15% overlap with the innermost wall). Skin slivers narrower than
 * half a line are left to the sparse infill. `layers` gives each layer's z
 * (for gyroid). */
int slice_fill_build(const struct slice_walls *in, const struct slice_layers *layers,
                     const struct slice_fill_params *p, const struct slice_ctl *ctl,
                     struct slice_fill *out, struct dy_err *err);
void slice_fill_fini(struct slice_fill *f);

/* ---- stage 6: skirt and brim ------------------------------------------ */

struct slice_adhesion_params {
    int32_t line_w_um;
    int skirt_loops;          /* 0 = no skirt */
    int32_t skirt_distance_um;/* gap between the brim (or the part) and the
                                 first skirt loop's inner edge */
    int32_t brim_width_um;    /* 0 = no brim; loops = ceil(width / line_w) */
};

struct slice_adhesion {
    struct poly_set *skirt;  /* skirt[k]: k-th loop outward (rings) */
    size_t nskirt;
    struct poly_set *brim;   /* brim[k]: k-th loop outward, brim[0] touches
                                the part */
    size_t nbrim;
};

/* Skirt and brim around the union of the first layer's islands (plus
 * `extra`, e.g. the first layer's support area; may be NULL). */
int slice_adhesion_build(const struct slice_layers *layers, const struct poly_set *extra,
                         const struct slice_adhesion_params *p, struct slice_adhesion *out,
                         struct dy_err *err);
void slice_adhesion_fini(struct slice_adhesion *a);

/* ---- stage 7: plan ---------------------------------------------------- */

enum slice_seam {
    SLICE_SEAM_ALIGNED, /* the sharpest concave corner, else the vertex
                           nearest the back-left of the model: the same
                           place on every layer */
    SLICE_SEAM_REAR,    /* the vertex with the largest y */
};

struct slice_plan_params {
    int32_t line_w_um;
    enum slice_seam seam;
    int32_t retract_min_travel_um; /* travels longer than this retract */
    int outer_wall_first;          /* 0: inner walls first, outer last
                                      (better surface; default) */
};

/* Support lines per layer, handed to the planner (NULL when none). */
struct slice_plan_support {
    struct poly_lines *lines;     /* lines[i]: support lines of layer i */
    struct poly_lines *interface; /* interface lines of layer i */
    size_t n;
};

/* Orders everything into paths per layer: per layer skirt, brim (first
 * layer), support, then islands by greedy nearest neighbour from the last
 * position to where each island's first loop starts (islands with no
 * loops, i.e. specks, are skipped); inside an island: walls (inner to
 * outer by default, seam by `seam`), bottom and top skin, sparse infill,
 * each set ordered greedily (open lines may be reversed). A travel inside
 * an island whose straight line would cross the island's outline or outer
 * wall is combed: routed inside the part through the path's `via` points
 * (at most 3x the straight distance). retract_before is set on a layer's
 * first path, on every travel outside an island (to skirt, brim, support,
 * another island), on a travel that would cross the outline or outer wall
 * and found no route, and on any travel (routed length) longer than
 * retract_min_travel_um. Layers at the top with no path are dropped:
 * the plan's last layer prints something. */
int slice_plan_build(const struct slice_layers *layers, const struct slice_walls *walls,
                     const struct slice_fill *fill, const struct slice_plan_support *support,
                     const struct slice_adhesion *adh, const struct slice_plan_params *p,
                     const struct slice_ctl *ctl, struct slice_plan *out,
                     struct dy_err *err);

/* Greedy nearest-neighbour chain (PrusaSlicer chain_points): fills
 * order[0..n) with a permutation of 0..n-1 visiting the points from
 * `start`, each time the nearest unvisited one. O(n^2): used on the
 * islands and loops of one layer (tens). Returns 0 or DY_ENOMEM. */
int slice_chain_points(const struct slice_pt *pts, size_t n, struct slice_pt start,
                       size_t *order);

/* ---- everything ------------------------------------------------------- */

struct slice_params {
    double layer_h_mm, first_layer_h_mm, line_w_mm;
    int walls, top_layers, bottom_layers;
    enum slice_infill_pattern infill_pattern;
    double infill_density;        /* 0..1 */
    int supports;                 /* 0/1 */
    double support_angle_deg;     /* overhangs steeper than this from the
                                     vertical (measured from the bed normal
                                     as in Cura/PrusaSlicer) get support */
    int support_interface_layers; /* dense layers under the model */
    int support_gap_layers;       /* air layers between support and model */
    int skirt_loops;
    double skirt_distance_mm, brim_width_mm;
    enum slice_seam seam;
    double bed_x_mm, bed_y_mm, bed_z_mm; /* printable volume from (0,0,0) */
    int threads;                  /* 0 = 2 */
};

/* The defaults: 0.2 mm layers, 0.2 first, 0.4 mm lines, 2 walls, 4 top, 3
 * bottom, grid 20%, no supports (50 deg, 2 interface layers, 1 gap layer),
 * 1 skirt loop at 3 mm, no brim, aligned seam, 220 x 220 x 250 bed. */
struct slice_params slice_params_default(void);

/* Slices a placed mesh into a print plan. On failure *out is left empty.
 * DY_ERANGE when the model does not fit the bed volume, plus the stages'
 * errors. `out` must be zero-initialised; free with slice_plan_fini. */
int slice_run(const struct mesh_tris *m, const struct slice_params *p,
              const struct slice_ctl *ctl, struct slice_plan *out, struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
