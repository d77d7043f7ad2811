/* main.c: `daryn` dispatches to its subcommands. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"

volatile sig_atomic_t cli_interrupted = 0;

static void on_signal(int sig)
{
    cli_interrupted = sig;
}

void cli_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_print_err(const struct dy_err *err)
{
    char buf[DY_ERR_WHERE_MAX + DY_ERR_MSG_MAX + 8];
    fprintf(stderr, "daryn: %s\n", dy_err_format(err, buf, sizeof(buf)));
}

void cli_usage_hint(const char *cmd)
{
    fprintf(stderr, _("Run 'daryn %s --help' for the options.\n"), cmd);
}

int cli_exit_for(int code, int output_side)
{
    switch (code) {
    case DY_OK: return CLI_EXIT_OK;
    case DY_ECANCELED: return CLI_EXIT_INTERRUPT;
    case DY_ENOMEM:
    case DY_EEXTERNAL: return CLI_EXIT_INTERNAL;
    case DY_EIO: return output_side ? CLI_EXIT_OUTPUT : CLI_EXIT_INPUT;
    default: return CLI_EXIT_INPUT;
    }
}

static const struct cli_command commands[] = {
    {"render", N_("export stories to video (MP4, WebM, GIF, PNG frames)"), cmd_render},
    {"info", N_("describe a story: scenes, actors, duration, problems"), cmd_info},
    {"slice", N_("turn a 3D model into G-code for a printer"), cmd_slice},
    {"mesh-info", N_("check a 3D model: size, volume, holes, repairs"), cmd_mesh_info},
    {"printers", N_("list printer and material profiles"), cmd_printers},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out, _("Usage: daryn COMMAND [OPTIONS] ...\n\nCommands:\n"));
    for (const struct cli_command *c = commands; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, _(c->summary));
    fprintf(out, _("\nRun 'daryn COMMAND --help' for the options of a command.\n"
                   "\nExit codes:\n"
                   "  0  success\n"
                   "  1  an input file is missing, unreadable or invalid\n"
                   "  2  bad command line\n"
                   "  3  the output could not be written\n"
                   "  4  a library failed (encoder, out of memory)\n"
                   "  5  a batch finished but some items failed\n"
                   "  130  interrupted (Ctrl-C); no partial output is left\n"
                   "\nMessages follow LANGUAGE or LANG (kk, ru, en).\n"));
}

int main(int argc, char **argv)
{
    i18n_init(argv[0]);
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("daryn %s\n", DARYN_VERSION);
        return CLI_EXIT_OK;
    }
    for (const struct cli_command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0) {
            cli_install_signals();
            /* getopt names argv[0] in its messages: "daryn render:
             * unrecognized option", not a bare "render:". */
            char prog[64];
            snprintf(prog, sizeof(prog), "daryn %s", c->name);
            argv[1] = prog;
            return c->run(argc - 1, argv + 1);
        }
    fprintf(stderr, _("daryn: unknown command '%s'\n"), argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
