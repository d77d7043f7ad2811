/* i18n.h: user-facing text through gettext (kk, ru, en catalogues in po/). */
#ifndef DARYN_CLI_I18N_H
#define DARYN_CLI_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

/* Sets the locale from the environment and binds the "daryn" domain to the
 * build tree's catalogues when run from there, else the installed ones. */
void i18n_init(const char *argv0);

#endif
