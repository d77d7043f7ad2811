/* cli_common.c: what every daryn command shares: signals, error printing,
 * exit codes. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "daryn/story.h"

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

int cli_ui_lang(void)
{
    /* TRANSLATORS: the code of this catalogue's language: kk, ru or en. It
     * picks which of a story's titles `daryn info` shows first. */
    const char *code = _("ui-language:en");
    const char *colon = strchr(code, ':');
    int l = story_lang_from_code(colon ? colon + 1 : code);
    return l >= 0 ? l : STORY_LANG_EN;
}
