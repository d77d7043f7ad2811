/* e2e_run.c: see e2e_run.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e_run.h"

extern char **environ;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int e2e_init(int argc, char **argv, struct e2e_ctx *ctx)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s DARYN_EXE WORK_DIR SOURCE_DIR\n", argv[0]);
        return -1;
    }
    ctx->daryn = argv[1];
    ctx->work = argv[2];
    ctx->src = argv[3];
    if (access(ctx->daryn, X_OK) != 0) {
        fprintf(stderr, "%s: not executable: %s\n", ctx->daryn, strerror(errno));
        return -1;
    }
    mkdir(ctx->work, 0777);
    return 0;
}

/* The environment for the child: ours without the locale variables, plus
 * LANGUAGE (messages the tests read are English unless a test asks). */
static char **child_env(const char *language, char *lang_buf, size_t size)
{
    size_t n = 0;
    while (environ[n]) {
        n++;
    }
    char **env = calloc(n + 2, sizeof(*env));
    if (!env) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = environ[i];
        if (!strncmp(e, "LANGUAGE=", 9) || !strncmp(e, "LC_ALL=", 7) ||
            !strncmp(e, "LC_MESSAGES=", 12) || !strncmp(e, "LANG=", 5)) {
            continue;
        }
        env[k++] = environ[i];
    }
    snprintf(lang_buf, size, "LANGUAGE=%s", language ? language : "en");
    env[k++] = lang_buf;
    env[k] = NULL;
    return env;
}

static int capture_fd(const char *work, const char *tag, char *path,
                      size_t size)
{
    snprintf(path, size, "%s/.capture-%s-XXXXXX", work, tag);
    return mkstemp(path);
}

static char *slurp_and_remove(const char *path)
{
    char *s = e2e_read_file(path, NULL);
    unlink(path);
    return s ? s : strdup("");
}

int e2e_daryn(const struct e2e_ctx *ctx, const struct e2e_opts *o,
              struct e2e_result *r, const char *const *args)
{
    static const struct e2e_opts defaults = {0};
    if (!o) {
        o = &defaults;
    }
    memset(r, 0, sizeof(*r));
    size_t nargs = 0;
    while (args[nargs]) {
        nargs++;
    }
    char **argv = calloc(nargs + 2, sizeof(*argv));
    char lang[64];
    char **env = child_env(o->language, lang, sizeof(lang));
    char out_path[4096], err_path[4096];
    int out_fd = capture_fd(ctx->work, "out", out_path, sizeof(out_path));
    int err_fd = capture_fd(ctx->work, "err", err_path, sizeof(err_path));
    if (!argv || !env || out_fd < 0 || err_fd < 0) {
        goto fail;
    }
    argv[0] = (char *)ctx->daryn;
    for (size_t i = 0; i < nargs; i++) {
        argv[i + 1] = (char *)args[i];
    }
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        goto fail;
    }
    if (pid == 0) {
        /* Child: only async-signal-safe calls until exec. */
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) {
            dup2(devnull, 0);
        }
        if (o->cwd && chdir(o->cwd) != 0) {
            _exit(126);
        }
        signal(SIGINT, SIG_DFL);
        execve(argv[0], argv, env);
        _exit(127);
    }
    close(out_fd);
    close(err_fd);
    out_fd = err_fd = -1;
    double timeout = o->timeout_s > 0 ? o->timeout_s : 120;
    double t_int = 0;
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) {
            break;
        }
        if (w < 0 && errno != EINTR) {
            goto fail;
        }
        double t = now_s() - t0;
        if (o->sigint && !r->interrupted && t >= o->sigint_min_s &&
            (!o->ready || o->ready(o->ud, err_path))) {
            kill(pid, SIGINT);
            r->interrupted = true;
            t_int = now_s();
        }
        if (t > timeout) {
            kill(pid, SIGKILL);
            r->timed_out = true;
            waitpid(pid, &status, 0);
            break;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    double t1 = now_s();
    r->elapsed_s = t1 - t0;
    r->after_int_s = r->interrupted ? t1 - t_int : 0;
    if (WIFSIGNALED(status)) {
        r->signaled = true;
        r->code = 128 + WTERMSIG(status);
    } else {
        r->code = WEXITSTATUS(status);
    }
    r->out = slurp_and_remove(out_path);
    r->err = slurp_and_remove(err_path);
    free(argv);
    free(env);
    return 0;

fail:
    if (out_fd >= 0) {
        close(out_fd);
        unlink(out_path);
    }
    if (err_fd >= 0) {
        close(err_fd);
        unlink(err_path);
    }
    free(argv);
    free(env);
    return -1;
}

void e2e_result_fini(struct e2e_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

void e2e_dump(const char *what, const struct e2e_result *r)
{
    fprintf(stderr, "---- %s: exit %d%s%s, %.2f s\n---- stdout:\n%s\n"
            "---- stderr:\n%s\n----\n", what, r->code,
            r->signaled ? " (signal)" : "", r->timed_out ? " (TIMEOUT)" : "",
            r->elapsed_s, r->out ? r->out : "", r->err ? r->err : "");
}

static int rm_cb(const char *path, const struct stat *sb, int flag,
                 struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void e2e_rm_rf(const char *path)
{
    nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

int e2e_fresh_dir(const struct e2e_ctx *ctx, const char *name, char *buf,
                  size_t size)
{
    snprintf(buf, size, "%s/%s", ctx->work, name);
    e2e_rm_rf(buf);
    return mkdir(buf, 0777);
}

char *e2e_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        cap *= 2;
        char *nb = realloc(buf, cap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
        }
        buf = nb;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len) {
            *len = n;
        }
    }
    return buf;
}

int e2e_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        return -1;
    }
    size_t w = fwrite(data, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

bool e2e_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int e2e_list_dir(const char *dir, char *names, size_t size)
{
    DIR *d = opendir(dir);
    if (!d) {
        return -1;
    }
    if (names && size) {
        names[0] = '\0';
    }
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) {
            continue;
        }
        n++;
        if (names && size) {
            size_t l = strlen(names);
            snprintf(names + l, size - l, "%s%s", l ? " " : "", de->d_name);
        }
    }
    closedir(d);
    return n;
}

int e2e_count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        return -1;
    }
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strstr(de->d_name, "tmp")) {
            n++;
        }
    }
    closedir(d);
    return n;
}
