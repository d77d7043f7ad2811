/* i18n.c: gettext set-up. The catalogues are compiled by CMake into
 * <build>/locale/<lang>/LC_MESSAGES/daryn.mo; an installed daryn uses
 * LOCALEDIR. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

void i18n_init(const char *argv0)
{
    const char *loc = setlocale(LC_ALL, "");
    /* glibc ignores LANGUAGE under the plain "C" locale; C.UTF-8 always
     * exists on Debian and lets LANGUAGE=kk pick the Kazakh catalogue on a
     * machine with no generated locales (a fresh library PC). */
    if (!loc || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
        setlocale(LC_ALL, "C.UTF-8");
    /* Numbers in G-code, JSON and logs stay in the C locale ("0.2" not
     * "0,2") whatever the language of the messages. */
    setlocale(LC_NUMERIC, "C");
    const char *dir = getenv("DARYN_LOCALEDIR");
    char buf[4096];
    if (!dir) {
        /* <build>/src/cli/daryn -> <build>/locale */
        ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 32);
        if (n > 0) {
            buf[n] = '\0';
            char *slash = strrchr(buf, '/');
            if (slash) {
                strcpy(slash, "/../../locale");
                struct stat st;
                if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                    dir = buf;
            }
        }
    }
    bindtextdomain("daryn", dir ? dir : LOCALEDIR);
    bind_textdomain_codeset("daryn", "UTF-8");
    textdomain("daryn");
    (void)argv0;
}
