/* slice_islands.c: stage 2, each layer's cross-section -> islands (an
 * outer contour and its holes). Thin: the polygon library's tree does the
 * nesting; this stage exists so later stages name what they consume. */
#include <stdlib.h>

#include "daryn/slice.h"
#include "slice_internal.h"

int slice_islands_build(const struct slice_layers *in, const struct slice_ctl *ctl,
                        struct slice_islands *out, struct dy_err *err)
{
    *out = (struct slice_islands){0};
    out->v = calloc(in->n ? in->n : 1, sizeof(*out->v));
    if (!out->v)
        return dy_err_set(err, DY_ENOMEM, "slice islands", "out of memory");
    out->n = in->n;
    for (size_t k = 0; k < in->n; k++) {
        int rc = slice_ctl_step(ctl, SLICE_STAGE_ISLANDS, k, in->n, err);
        if (rc == 0)
            rc = poly_split_islands(&in->v[k].polys, &out->v[k]);
        if (rc) {
            if (rc != DY_ECANCELED)
                dy_err_set(err, rc, "slice islands", "layer %zu: %s", k, dy_code_name(rc));
            slice_islands_fini(out);
            return rc;
        }
    }
    slice_ctl_step(ctl, SLICE_STAGE_ISLANDS, in->n, in->n, NULL);
    return 0;
}

void slice_islands_fini(struct slice_islands *is)
{
    for (size_t k = 0; is->v && k < is->n; k++)
        poly_islands_fini(&is->v[k]);
    free(is->v);
    *is = (struct slice_islands){0};
}
