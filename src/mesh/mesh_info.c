/* mesh_info.c: the summary behind `daryn mesh-info`. */
#include <stdio.h>
#include <string.h>

#include "daryn/mesh.h"

int mesh_info_load(const char *path, const struct mesh_import_opts *iopts,
                   const struct mesh_repair_opts *ropts,
                   struct mesh_info *out, struct dy_err *err)
{
    struct mesh_tris m = {0};
    struct mesh_info inf;
    memset(&inf, 0, sizeof(inf));
    int rc = mesh_import(path, iopts, &m, &inf.import, err);
    if (rc == 0)
        rc = mesh_repair(&m, ropts, &inf.report, err);
    mesh_tris_fini(&m);
    if (rc == 0)
        *out = inf;
    return rc;
}

void mesh_info_print(const struct mesh_info *info, const char *name,
                     FILE *fp)
{
    const struct mesh_import_info *im = &info->import;
    const struct mesh_report *r = &info->report;
    fprintf(fp, "%s: %s%s, %g mm per unit%s\n", name ? name : "mesh",
            im->format, im->native ? " (native reader)" : "",
            im->mm_per_unit, im->rotated_y_up ? ", Y-up turned to Z-up" : "");
    fprintf(fp, "  triangles  %zu (read %zu), vertices %zu (welded %zu)\n",
            r->ntris, r->input_tris, r->nverts, r->welded_verts);
    fprintf(fp, "  size       %.2f x %.2f x %.2f mm\n", r->size[0],
            r->size[1], r->size[2]);
    fprintf(fp, "  bbox       (%.2f, %.2f, %.2f) .. (%.2f, %.2f, %.2f) mm\n",
            r->bbox_min[0], r->bbox_min[1], r->bbox_min[2], r->bbox_max[0],
            r->bbox_max[1], r->bbox_max[2]);
    fprintf(fp, "  volume     %.2f mm^3 (%.2f cm^3), area %.2f mm^2\n",
            r->volume_mm3, r->volume_mm3 / 1000, r->area_mm2);
    fprintf(fp, "  shells     %zu (%zu closed, %zu turned outward)\n",
            r->shells, r->closed_shells, r->shells_turned_out);
    fprintf(fp, "  holes      %zu (%zu boundary edges)\n", r->holes,
            r->boundary_edges);
    fprintf(fp, "  non-manifold edges %zu, orientation conflicts %zu\n",
            r->nonmanifold_edges, r->orientation_conflicts);
    fprintf(fp, "  fixed      %zu faces flipped, %zu degenerate and %zu "
            "duplicate triangles dropped\n", r->flipped_fixed,
            r->degenerate_dropped, r->duplicate_dropped);
}
