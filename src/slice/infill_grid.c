/* infill_grid.c: the GRID pattern: 45 and -45 degree lines in every layer.
 * Every layer is the same, so the crossings stack into square columns. */
#include <math.h>

#include "daryn/slice_infill.h"
#include "infill_internal.h"

int infill_grid_add(const struct infill_bbox *bb, double spacing_um,
                    struct poly_lines *raw, struct dy_err *err)
{
    int rc = infill_add_parallel(bb, M_PI / 4.0, spacing_um, raw, err);
    if (rc == 0)
        rc = infill_add_parallel(bb, -M_PI / 4.0, spacing_um, raw, err);
    return rc;
}
