/* slice_plan.h: the slicer's final output, the input of the G-code writer
 * and the preview. Plain data: ordered extrusion paths per layer, integer
 * microns (as CuraEngine and PrusaSlicer, so geometry is exact).
 *
 * The writer only formats: it travels to each path's first point, through
 * the path's `via` waypoints when it has any (retracting first when
 * `retract_before` is set), then extrudes along the path with the
 * width and layer height given, at the speed its profile sets for the
 * feature. */
#ifndef DARYN_SLICE_PLAN_H
#define DARYN_SLICE_PLAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum slice_feature {
    SLICE_FEAT_SKIRT,
    SLICE_FEAT_BRIM,
    SLICE_FEAT_WALL_OUTER,
    SLICE_FEAT_WALL_INNER,
    SLICE_FEAT_TOP,            /* top solid skin */
    SLICE_FEAT_BOTTOM,         /* bottom solid skin */
    SLICE_FEAT_INFILL,         /* sparse infill */
    SLICE_FEAT_SUPPORT,
    SLICE_FEAT_SUPPORT_INTERFACE,
    SLICE_FEAT_COUNT
};

/* Stable lower-case names: "skirt", "brim", "wall-outer", "wall-inner",
 * "top", "bottom", "infill", "support", "support-interface". */
const char *slice_feature_name(enum slice_feature f);

struct slice_pt {
    int32_t x, y; /* microns, bed coordinates (0,0 = bed front-left corner) */
};

struct slice_path {
    enum slice_feature feature;
    int closed;          /* 1: extrude back to pts[0] at the end */
    int retract_before;  /* 1: the travel to pts[0] should retract (it is long
                            or leaves the current island) */
    int32_t width_um;    /* extrusion width */
    struct slice_pt *pts;
    size_t n;
    struct slice_pt *via; /* travel waypoints, in order, between where the
                             nozzle is and pts[0] (a route around a hole or
                             a notch, inside the part); owned by the plan
                             (slice_plan_fini frees it); NULL, nvia = 0: a
                             straight travel */
    size_t nvia;
};

struct slice_plan_layer {
    int32_t z_um;        /* top of the layer (nozzle height) */
    int32_t height_um;   /* layer thickness */
    struct slice_path *paths; /* in print order */
    size_t npaths, paths_cap;
};

struct slice_plan {
    struct slice_plan_layer *layers;
    size_t nlayers, layers_cap;
    int32_t min_x, min_y, max_x, max_y, max_z; /* bounding box of all paths, um */
};

void slice_plan_fini(struct slice_plan *p);

#ifdef __cplusplus
}
#endif
#endif
