/* infill_lines.c: the LINES pattern: one direction per layer, turning by
 * 90 degrees between layers (45 on even layers, -45 on odd) so each layer
 * crosses the one below it and bridges over its gaps. */
#include <math.h>

#include "daryn/slice_infill.h"
#include "infill_internal.h"

int infill_lines_add(const struct infill_bbox *bb, double spacing_um, int layer_index,
                     struct poly_lines *raw, struct dy_err *err)
{
    const double angle = (layer_index % 2 == 0 ? 45.0 : -45.0) * M_PI / 180.0;
    return infill_add_parallel(bb, angle, spacing_um, raw, err);
}
