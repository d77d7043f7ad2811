/* cli_main.c: help, version and dispatch of a command table. The `daryn`
 * command is a small launcher: it links no media or mesh library and
 * hands each command to the program that implements it (daryn-story:
 * render, info; daryn-print: slice, mesh-info, printers), by exec, so a
 * slice never loads FFmpeg, Pango or librsvg (45 MB of shared libraries
 * before main) and its peak memory is the slicer's own. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"

/* Runs the program `exe` that sits beside this one with the same
 * arguments; returns only when it can't be started. */
static int cli_exec_sibling(const char *exe, char **argv)
{
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (n <= 0) {
        fprintf(stderr, _("daryn: cannot find where daryn is installed: %s\n"), strerror(errno));
        return CLI_EXIT_INTERNAL;
    }
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    if (dirlen + strlen(exe) + 1 > sizeof(path)) {
        fprintf(stderr, _("daryn: cannot run %s: %s\n"), exe, strerror(ENAMETOOLONG));
        return CLI_EXIT_INTERNAL;
    }
    strcpy(path + dirlen, exe);
    fflush(NULL);
    execv(path, argv);
    fprintf(stderr, _("daryn: cannot run %s: %s\n"), path, strerror(errno));
    return CLI_EXIT_INTERNAL;
}

void cli_usage(FILE *out, const struct cli_command *commands)
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

int cli_main(int argc, char **argv, const struct cli_command *commands)
{
    i18n_init(argv[0]);
    if (argc < 2) {
        cli_usage(stderr, commands);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        cli_usage(stdout, commands);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("daryn %s\n", DARYN_VERSION);
        return CLI_EXIT_OK;
    }
    for (const struct cli_command *c = commands; c->name; c++)
        if (strcmp(argv[1], c->name) == 0) {
            if (!c->run)
                return cli_exec_sibling(c->exe, argv);
            cli_install_signals();
            /* getopt names argv[0] in its messages: "daryn render:
             * unrecognized option", not a bare "render:". */
            char prog[64];
            snprintf(prog, sizeof(prog), "daryn %s", c->name);
            argv[1] = prog;
            return c->run(argc - 1, argv + 1);
        }
    fprintf(stderr, _("daryn: unknown command '%s'\n"), argv[1]);
    cli_usage(stderr, commands);
    return CLI_EXIT_USAGE;
}
