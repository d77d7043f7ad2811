/* infill_triangles.c: the TRIANGLES pattern: lines at 0, 60 and 120
 * degrees with one spacing. With normals n0, n60, n120 we have
 * n0 = n60 - n120, so where a 60 and a 120 line meet (p.n60 = a*s,
 * p.n120 = b*s) a 0-degree line passes too (p.n0 = (a-b)*s): the three
 * families meet in common points and tile the layer with equilateral
 * triangles, which do not shear. */
#include <math.h>

#include "daryn/slice_infill.h"
#include "infill_internal.h"

int infill_triangles_add(const struct infill_bbox *bb, double spacing_um,
                         struct poly_lines *raw, struct dy_err *err)
{
    for (int i = 0; i < 3; i++) {
        int rc = infill_add_parallel(bb, i * M_PI / 3.0, spacing_um, raw, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}
