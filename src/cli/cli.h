/* cli.h: the `daryn` command: subcommands as a const table (mpv style). */
#ifndef DARYN_CLI_H
#define DARYN_CLI_H

#include <signal.h>
#include <stdio.h>

#include "daryn/err.h"

#include "i18n.h"

/* Documented exit codes (see `daryn --help` and README). */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_INPUT = 1,     /* an input file is missing, unreadable or invalid */
    CLI_EXIT_USAGE = 2,     /* bad command line */
    CLI_EXIT_OUTPUT = 3,    /* the output could not be written */
    CLI_EXIT_INTERNAL = 4,  /* a library failed (encoder, out of memory, ...) */
    CLI_EXIT_PARTIAL = 5,   /* a batch finished with some items failed */
    CLI_EXIT_INTERRUPT = 130, /* Ctrl-C / SIGTERM */
};

struct cli_command {
    const char *name;
    const char *summary; /* untranslated; printed through gettext */
    int (*run)(int argc, char **argv); /* in this program, or NULL: */
    const char *exe;     /* the program beside this one that runs it */
};

/* Help, --version and dispatch over `commands` (NULL-terminated). */
int cli_main(int argc, char **argv, const struct cli_command *commands);
void cli_usage(FILE *out, const struct cli_command *commands);

/* Set by SIGINT/SIGTERM; long work polls it and stops cleanly. */
extern volatile sig_atomic_t cli_interrupted;
void cli_install_signals(void);

/* Prints "daryn: <where>: <msg>" to stderr. */
void cli_print_err(const struct dy_err *err);
/* Prints "Run 'daryn CMD --help' for the options." to stderr (after a
 * one-line error; the whole usage would bury the error). */
void cli_usage_hint(const char *cmd);
/* The story language (enum story_lang) of the messages' language. */
int cli_ui_lang(void);
/* Maps a DY_E* code to an exit code. */
int cli_exit_for(int code, int output_side);

/* Where bundled data (templates, gcode profiles) lives: DARYN_DATA_DIR, else
 * the source tree the build came from. */
const char *cli_data_dir(void);
/* The profile folder: DARYN_PROFILE_DIR, else <data dir>/gcode. */
const char *cli_profile_dir(void);

int cmd_render(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_slice(int argc, char **argv);
int cmd_mesh_info(int argc, char **argv);
int cmd_printers(int argc, char **argv);

#endif
