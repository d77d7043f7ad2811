/* main_story.c: `daryn-story`, the story commands (run through `daryn`). */
#include "cli.h"

static const struct cli_command commands[] = {
    {"render", N_("export stories to video (MP4, WebM, GIF, PNG frames)"), cmd_render, NULL},
    {"info", N_("describe a story: scenes, actors, duration, problems"), cmd_info, NULL},
    {NULL, NULL, NULL, NULL},
};

int main(int argc, char **argv)
{
    return cli_main(argc, argv, commands);
}
