/* slice.c: slice_run, the whole pipeline in one function (Cura's
 * FffPolygonGenerator::generateAreas, in a page): each stage's output is
 * the next one's input, and is freed as soon as nothing downstream needs
 * it. */
#include <math.h>
#include <stdlib.h>

#include "daryn/slice.h"
#include "daryn/slice_support.h"
#include "slice_internal.h"

struct slice_params slice_params_default(void)
{
    return (struct slice_params){
        .layer_h_mm = 0.2,
        .first_layer_h_mm = 0.2,
        .line_w_mm = 0.4,
        .walls = 2,
        .top_layers = 4,
        .bottom_layers = 3,
        .infill_pattern = SLICE_INFILL_GRID,
        .infill_density = 0.2,
        .supports = 0,
        .support_angle_deg = 50,
        .support_interface_layers = 2,
        .support_gap_layers = 1,
        .skirt_loops = 1,
        .skirt_distance_mm = 3,
        .brim_width_mm = 0,
        .seam = SLICE_SEAM_ALIGNED,
        .bed_x_mm = 220,
        .bed_y_mm = 220,
        .bed_z_mm = 250,
        .threads = 2,
    };
}

static int32_t um(double mm)
{
    return (int32_t)lround(mm * 1000.0);
}

/* Ranges wide enough for any FDM printer, narrow enough that a typo (mm
 * given in um) is caught with the field named. */
static int check_params(const struct slice_params *p, struct dy_err *err)
{
    const struct {
        const char *name;
        double v, lo, hi;
    } r[] = {
        {"layer_h_mm", p->layer_h_mm, 0.01, 2},
        {"first_layer_h_mm", p->first_layer_h_mm, 0.01, 2},
        {"line_w_mm", p->line_w_mm, 0.05, 3},
        {"walls", p->walls, 1, 100},
        {"top_layers", p->top_layers, 0, 1000},
        {"bottom_layers", p->bottom_layers, 0, 1000},
        {"infill_density", p->infill_density, 0, 1},
        {"support_angle_deg", p->support_angle_deg, 1, 89},
        {"support_interface_layers", p->support_interface_layers, 0, 100},
        {"support_gap_layers", p->support_gap_layers, 0, 100},
        {"skirt_loops", p->skirt_loops, 0, 100},
        {"skirt_distance_mm", p->skirt_distance_mm, 0, 100},
        {"brim_width_mm", p->brim_width_mm, 0, 100},
        {"bed_x_mm", p->bed_x_mm, 1, 2000},
        {"bed_y_mm", p->bed_y_mm, 1, 2000},
        {"bed_z_mm", p->bed_z_mm, 1, 2000},
        {"threads", p->threads, 0, 64},
    };
    for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
        if (!(r[i].v >= r[i].lo && r[i].v <= r[i].hi))
            return dy_err_set(err, DY_ERANGE, r[i].name, "must be %g..%g (got %g)",
                              r[i].lo, r[i].hi, r[i].v);
    if ((unsigned)p->infill_pattern >= SLICE_INFILL_COUNT)
        return dy_err_set(err, DY_EINVAL, "infill_pattern", "unknown pattern %d",
                          (int)p->infill_pattern);
    if (p->seam != SLICE_SEAM_ALIGNED && p->seam != SLICE_SEAM_REAR)
        return dy_err_set(err, DY_EINVAL, "seam", "unknown seam mode %d", (int)p->seam);
    return 0;
}

struct support_out {
    struct slice_support_layers areas;
    struct poly_lines *lines, *interface;
    size_t n;
};

static void support_out_fini(struct support_out *s)
{
    slice_support_layers_fini(&s->areas);
    for (size_t k = 0; k < s->n; k++) {
        poly_lines_fini(&s->lines[k]);
        poly_lines_fini(&s->interface[k]);
    }
    free(s->lines);
    free(s->interface);
    *s = (struct support_out){0};
}

static int run_support(const struct slice_layers *l, const struct slice_params *p,
                       const struct slice_ctl *ctl, struct support_out *s, struct dy_err *err)
{
    struct slice_support_params sp;
    slice_support_params_default(&sp);
    sp.angle_deg = p->support_angle_deg;
    sp.layer_h_um = um(p->layer_h_mm);
    sp.line_w_um = um(p->line_w_mm);
    sp.z_gap_layers = p->support_gap_layers;
    sp.interface_layers = p->support_interface_layers;
    /* Borrowed views of each layer's cross-section, contiguous as the
     * support API wants them. */
    struct poly_set *outl = calloc(l->n ? l->n : 1, sizeof(*outl));
    s->lines = calloc(l->n ? l->n : 1, sizeof(*s->lines));
    s->interface = calloc(l->n ? l->n : 1, sizeof(*s->interface));
    if (!outl || !s->lines || !s->interface) {
        free(outl);
        return dy_err_set(err, DY_ENOMEM, "slice support", "out of memory");
    }
    s->n = l->n;
    for (size_t k = 0; k < l->n; k++)
        outl[k] = l->v[k].polys;
    int rc = slice_ctl_step(ctl, SLICE_STAGE_SUPPORT, 0, l->n, err);
    if (rc == 0)
        rc = slice_support_build(outl, l->n, &sp, &s->areas, err);
    free(outl);
    for (size_t k = 0; rc == 0 && k < s->areas.n && k < l->n; k++) {
        rc = slice_ctl_step(ctl, SLICE_STAGE_SUPPORT, k, l->n, err);
        if (rc == 0)
            rc = slice_support_paths(&s->areas.v[k], (int)k, &sp, &s->lines[k],
                                     &s->interface[k], err);
    }
    return rc;
}

/* The plan must lie on the bed: min >= 0, max <= bed size. */
static int check_bed(const struct slice_plan *plan, const struct slice_params *p,
                     struct dy_err *err)
{
    if (plan->nlayers == 0)
        return 0;
    if (plan->min_x < 0 || plan->min_y < 0 || plan->max_x > um(p->bed_x_mm) ||
        plan->max_y > um(p->bed_y_mm) || plan->max_z > um(p->bed_z_mm))
        return dy_err_set(err, DY_ERANGE, "slice plan",
                          "the print spans x %.2f..%.2f, y %.2f..%.2f, z up to %.2f mm, "
                          "outside the %.0f x %.0f x %.0f mm bed (skirt and brim included)",
                          plan->min_x / 1e3, plan->max_x / 1e3, plan->min_y / 1e3,
                          plan->max_y / 1e3, plan->max_z / 1e3, p->bed_x_mm, p->bed_y_mm,
                          p->bed_z_mm);
    return 0;
}

int slice_run(const struct mesh_tris *m, const struct slice_params *p,
              const struct slice_ctl *ctl, struct slice_plan *out, struct dy_err *err)
{
    struct slice_layers layers = {0};
    struct slice_islands islands = {0};
    struct slice_walls walls = {0};
    struct slice_fill fill = {0};
    struct support_out sup = {0};
    struct slice_adhesion adh = {0};
    *out = (struct slice_plan){0};
    int rc = check_params(p, err);
    if (rc)
        return rc;
    if (m->ntris == 0)
        return dy_err_set(err, DY_EINVAL, "slice", "the mesh has no triangles");
    int32_t w = um(p->line_w_mm);
    const struct slice_layers_params lp = {
        .layer_h_um = um(p->layer_h_mm),
        .first_layer_h_um = um(p->first_layer_h_mm),
        .close_gap_um = 2000, /* PrusaSlicer closes gaps up to 2 mm too */
        .simplify_um = 25,    /* Cura's meshfix_maximum_deviation; docs/performance.md */
        .threads = p->threads,
    };
    const struct slice_walls_params wp = {w, p->walls, p->threads};
    const struct slice_fill_params fp = {
        w, p->top_layers, p->bottom_layers, p->infill_pattern, p->infill_density, p->threads,
    };
    const struct slice_adhesion_params ap = {
        w, p->skirt_loops, um(p->skirt_distance_mm), um(p->brim_width_mm),
    };
    const struct slice_plan_params pp = {w, p->seam, 2000, 0};

    rc = slice_layers_build(m, &lp, ctl, &layers, err);
    if (rc == 0)
        rc = slice_islands_build(&layers, ctl, &islands, err);
    if (rc == 0)
        rc = slice_walls_build(&islands, &wp, ctl, &walls, err);
    slice_islands_fini(&islands);
    if (rc == 0)
        rc = slice_fill_build(&walls, &layers, &fp, ctl, &fill, err);
    if (rc == 0 && p->supports)
        rc = run_support(&layers, p, ctl, &sup, err);
    if (rc == 0) {
        /* The skirt goes round the first layer's support as well. */
        struct poly_set extra = {0};
        rc = slice_ctl_step(ctl, SLICE_STAGE_ADHESION, 0, 1, err);
        if (rc == 0 && sup.areas.n > 0) {
            rc = poly_union(&sup.areas.v[0].support, &sup.areas.v[0].interface, &extra);
            if (rc)
                dy_err_set(err, rc, "slice adhesion", "support footprint: %s",
                           dy_code_name(rc));
        }
        if (rc == 0)
            rc = slice_adhesion_build(&layers, &extra, &ap, &adh, err);
        poly_set_fini(&extra);
    }
    if (rc == 0) {
        struct slice_plan_support ps = {sup.lines, sup.interface, sup.n};
        rc = slice_plan_build(&layers, &walls, &fill, p->supports ? &ps : NULL, &adh, &pp,
                              ctl, out, err);
    }
    if (rc == 0)
        rc = check_bed(out, p, err);
    if (rc)
        slice_plan_fini(out);
    slice_adhesion_fini(&adh);
    support_out_fini(&sup);
    slice_fill_fini(&fill);
    slice_walls_fini(&walls);
    slice_layers_fini(&layers);
    return rc;
}
