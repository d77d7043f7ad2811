/* cmd_printers.c: `daryn printers`: the printer and material profiles. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "daryn/gcode_profile.h"

#include "cli.h"
#include "i18n.h"

const char *cli_data_dir(void)
{
    const char *d = getenv("DARYN_DATA_DIR");
    return d && *d ? d : DARYN_SOURCE_DIR;
}

const char *cli_profile_dir(void)
{
    static char buf[4096];
    const char *d = getenv("DARYN_PROFILE_DIR");
    if (d && *d)
        return d;
    snprintf(buf, sizeof(buf), "%s/gcode", cli_data_dir());
    return buf;
}

static int print_printer(void *user, const char *id, const char *path)
{
    struct gcode_printer p;
    struct dy_err err;
    if (gcode_printer_load(path, &p, &err) < 0) {
        cli_print_err(&err);
        *(int *)user = CLI_EXIT_INPUT;
        return 0;
    }
    /* TRANSLATORS: id, name, bed x, y, z, firmware flavor, nozzle size. */
    printf(_("  %-16s %-26s %4.0f x %4.0f x %4.0f mm  %-7s  nozzle %.2f mm\n"), id, p.name,
           p.bed_x_mm, p.bed_y_mm, p.max_z_mm, gcode_flavor_id_name(p.flavor), p.nozzle_mm);
    return 0;
}

static int print_material(void *user, const char *id, const char *path)
{
    struct gcode_material m;
    struct dy_err err;
    if (gcode_material_load(path, &m, &err) < 0) {
        cli_print_err(&err);
        *(int *)user = CLI_EXIT_INPUT;
        return 0;
    }
    printf(_("  %-16s %-10s nozzle %3.0f C (first layer %3.0f C), bed %3.0f C, %.2f mm filament\n"),
           id, m.name, m.nozzle_temp, m.first_layer_nozzle_temp, m.bed_temp,
           m.filament_diameter_mm);
    return 0;
}

int cmd_printers(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            printf(_("Usage: daryn printers\n"
                     "Lists the printer and material profiles (files in %s)\n"
                     "usable with 'daryn slice --printer ID --material ID'.\n"),
                   cli_profile_dir());
            return CLI_EXIT_OK;
        }
        return CLI_EXIT_USAGE;
    }
    int rc = CLI_EXIT_OK;
    struct dy_err err;
    printf(_("Printers:\n"));
    if (gcode_profile_list(cli_profile_dir(), GCODE_PROFILE_PRINTER, print_printer, &rc, &err) < 0) {
        cli_print_err(&err);
        return CLI_EXIT_INPUT;
    }
    printf(_("Materials:\n"));
    if (gcode_profile_list(cli_profile_dir(), GCODE_PROFILE_MATERIAL, print_material, &rc, &err) < 0) {
        cli_print_err(&err);
        return CLI_EXIT_INPUT;
    }
    return rc;
}
