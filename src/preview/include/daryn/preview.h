/* preview.h: pictures of a slice_plan with Cairo: an isometric overview of
 * every layer, top-down views of chosen layers, and the small PNG
 * thumbnail that goes into the G-code header.
 *
 * Only the plain types of slice_plan.h are used (no slicing code). Colours
 * per feature follow PrusaSlicer's preview (outer wall orange, inner wall
 * yellow, infill dark red, solid infill purple, top red, skirt teal,
 * support green); lower layers are drawn darker in the overview. */
#ifndef DARYN_PREVIEW_H
#define DARYN_PREVIEW_H

#include <stddef.h>

#include "daryn/err.h"
#include "daryn/slice_plan.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PREVIEW_MAX_SIDE 8192 /* pixels, per side */

struct preview_bed {
    double x_mm, y_mm;   /* printable area, plan (0,0) = front-left */
};

struct preview_opts {
    int width, height;      /* whole image, pixels (16..PREVIEW_MAX_SIDE) */
    int overview;           /* 1: include the isometric overview panel */
    const size_t *layers;   /* layer indices to draw top-down (borrowed) */
    size_t nlayers;
    int travel;             /* 1: draw travel moves (dashed) top-down */
};

/* RGB of a feature (0..1 each). */
void preview_feature_color(enum slice_feature f, double rgb[3]);

/* Draws the panels (overview first, then each chosen layer, in a grid)
 * and writes a PNG to `path` (temp file + rename). DY_EINVAL for bad
 * options (no panel, a layer index out of range, bad size), DY_EEXTERNAL
 * when Cairo fails, DY_EIO for the file. */
int preview_plan_png(const struct slice_plan *plan,
                     const struct preview_bed *bed,
                     const struct preview_opts *opts, const char *path,
                     struct dy_err *err);

/* The same into memory: *png (OUT, caller frees with free()) and *len. */
int preview_plan_png_mem(const struct slice_plan *plan,
                         const struct preview_bed *bed,
                         const struct preview_opts *opts, unsigned char **png,
                         size_t *len, struct dy_err *err);

/* A w x h PNG thumbnail (transparent background, the print filling the
 * frame, isometric) for gcode_thumbnail. *png is malloc'd (caller frees
 * with free()). An empty plan gives a blank image. */
int preview_thumbnail_png(const struct slice_plan *plan, int w, int h,
                          unsigned char **png, size_t *len,
                          struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
