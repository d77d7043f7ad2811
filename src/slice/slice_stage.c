/* slice_stage.c: stage names and ETA weights, and the plan's names. */
#include <stdlib.h>

#include "daryn/slice.h"

const char *slice_stage_name(enum slice_stage s)
{
    static const char *const names[SLICE_STAGE_COUNT] = {
        "layers", "islands", "walls", "fill", "support", "adhesion", "plan",
    };
    return (unsigned)s < SLICE_STAGE_COUNT ? names[s] : "?";
}

double slice_stage_weight(enum slice_stage s)
{
    /* Shares of a full run on a 1M-triangle sphere at 0.2 mm (see
     * docs/polygon-library.md for the measurement). */
    static const double w[SLICE_STAGE_COUNT] = {
        0.30, 0.05, 0.15, 0.35, 0.05, 0.01, 0.09,
    };
    return (unsigned)s < SLICE_STAGE_COUNT ? w[s] : 0;
}

const char *slice_feature_name(enum slice_feature f)
{
    static const char *const names[SLICE_FEAT_COUNT] = {
        "skirt", "brim", "wall-outer", "wall-inner", "top", "bottom",
        "infill", "support", "support-interface",
    };
    return (unsigned)f < SLICE_FEAT_COUNT ? names[f] : "?";
}

void slice_plan_fini(struct slice_plan *p)
{
    for (size_t i = 0; p->layers && i < p->nlayers; i++) {
        struct slice_plan_layer *l = &p->layers[i];
        for (size_t k = 0; l->paths && k < l->npaths; k++)
            free(l->paths[k].pts);
        free(l->paths);
    }
    free(p->layers);
    *p = (struct slice_plan){0};
}
