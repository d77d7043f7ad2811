/* cmd_mesh_info.c: `daryn mesh-info MODEL...`: size, volume and the state
 * of a model (holes, non-manifold edges, what repair fixes), so staff know
 * before slicing whether a downloaded figure is sound. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "daryn/mesh.h"

#include "cli.h"
#include "i18n.h"

static void usage(FILE *out)
{
    fprintf(out, _("Usage: daryn mesh-info [--units mm|cm|m|inch] MODEL...\n"
                   "Imports each model (STL, OBJ, PLY, OFF, 3MF, glTF/GLB, FBX, DAE, 3DS),\n"
                   "repairs it in memory and prints its size, volume, shells, holes,\n"
                   "non-manifold edges and what the repair changed.\n"));
}

static void print_info(const char *path, const struct mesh_info *in)
{
    const struct mesh_report *r = &in->report;
    printf(_("%s (%s%s)\n"), path, in->import.format, in->import.native ? "" : ", Assimp");
    if (in->import.mm_per_unit != 1.0)
        printf(_("  units: 1 file unit = %g mm\n"), in->import.mm_per_unit);
    if (in->import.rotated_y_up)
        printf(_("  turned from Y-up to Z-up\n"));
    printf(_("  size: %.2f x %.2f x %.2f mm\n"), r->size[0], r->size[1], r->size[2]);
    printf(_("  volume: %.1f mm3 (%.2f cm3), surface %.1f mm2\n"), r->volume_mm3,
           r->volume_mm3 / 1000.0, r->area_mm2);
    printf(_("  triangles: %zu (read %zu), vertices: %zu (read %zu)\n"), r->ntris, r->input_tris,
           r->nverts, r->input_verts);
    printf(_("  shells: %zu (%zu closed)\n"), r->shells, r->closed_shells);
    printf(_("  holes: %zu (%zu open edges), non-manifold edges: %zu\n"), r->holes,
           r->boundary_edges, r->nonmanifold_edges);
    printf(_("  repaired: %zu vertices welded, %zu degenerate and %zu duplicate triangles "
             "dropped, %zu triangles flipped, %zu shells turned outward\n"),
           r->welded_verts, r->degenerate_dropped, r->duplicate_dropped, r->flipped_fixed,
           r->shells_turned_out);
    if (r->holes == 0 && r->nonmanifold_edges == 0 && r->orientation_conflicts == 0)
        printf(_("  state: watertight, ready to slice\n"));
    else
        printf(_("  state: not watertight; it still slices (open cuts are closed or "
                 "dropped), check the preview\n"));
}

int cmd_mesh_info(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {"units", required_argument, NULL, 'u'},
        {NULL, 0, NULL, 0},
    };
    struct mesh_import_opts io = {0};
    struct dy_err err;
    int c;
    while ((c = getopt_long(argc, argv, "hu:", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        case 'u':
            if (mesh_unit_parse(optarg, &io.units, &err) < 0) {
                cli_print_err(&err);
                return CLI_EXIT_USAGE;
            }
            break;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int rc = CLI_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        struct mesh_info info;
        memset(&info, 0, sizeof(info));
        dy_err_clear(&err);
        if (mesh_info_load(argv[i], &io, NULL, &info, &err) < 0) {
            cli_print_err(&err);
            rc = cli_exit_for(err.code, 0);
            continue;
        }
        print_info(argv[i], &info);
    }
    return rc;
}
