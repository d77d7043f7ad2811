/* main.c: `daryn`, the launcher (see cli_main.c): the whole command table
 * for help, each command run by the program that implements it. */
#include "cli.h"

static const struct cli_command commands[] = {
    {"render", N_("export stories to video (MP4, WebM, GIF, PNG frames)"), NULL, "daryn-story"},
    {"info", N_("describe a story: scenes, actors, duration, problems"), NULL, "daryn-story"},
    {"slice", N_("turn a 3D model into G-code for a printer"), NULL, "daryn-print"},
    {"mesh-info", N_("check a 3D model: size, volume, holes, repairs"), NULL, "daryn-print"},
    {"printers", N_("list printer and material profiles"), NULL, "daryn-print"},
    {NULL, NULL, NULL, NULL},
};

int main(int argc, char **argv)
{
    return cli_main(argc, argv, commands);
}
