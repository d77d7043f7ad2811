/* main_print.c: `daryn-print`, the 3D-printing commands (run through
 * `daryn`). */
#include "cli.h"

static const struct cli_command commands[] = {
    {"slice", N_("turn a 3D model into G-code for a printer"), cmd_slice, NULL},
    {"mesh-info", N_("check a 3D model: size, volume, holes, repairs"), cmd_mesh_info, NULL},
    {"printers", N_("list printer and material profiles"), cmd_printers, NULL},
    {NULL, NULL, NULL, NULL},
};

int main(int argc, char **argv)
{
    return cli_main(argc, argv, commands);
}
