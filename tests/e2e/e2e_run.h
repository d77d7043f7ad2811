/* e2e_run.h: runs the real `daryn` executable for the end-to-end tests:
 * fork + exec with a controlled environment, stdout and stderr captured,
 * optional Ctrl-C (SIGINT) once the run has visibly started, and a hard
 * timeout so a hung command fails the test instead of the whole suite.
 * Also small file helpers (read, list, remove trees) the tests share. */
#ifndef E2E_RUN_H
#define E2E_RUN_H

#include <stdbool.h>
#include <stddef.h>

/* Set once by e2e_init() from the test's command line. */
struct e2e_ctx {
    const char *daryn;     /* path of the daryn executable */
    const char *work;      /* scratch root in the build dir */
    const char *src;       /* the source tree (templates, assets, gcode) */
};

/* argv[1] = daryn executable, argv[2] = scratch dir. Returns 0 or -1 (a
 * message was printed). Fills *ctx with borrowed pointers into argv. */
int e2e_init(int argc, char **argv, struct e2e_ctx *ctx);

struct e2e_result {
    int code;          /* exit code; 128 + signal when killed by one */
    bool signaled;     /* true when a signal ended it */
    bool timed_out;    /* true when we had to SIGKILL it */
    bool interrupted;  /* true when we sent SIGINT */
    double elapsed_s;  /* wall time from start to exit */
    double after_int_s;/* wall time from SIGINT to exit (0 if none) */
    char *out, *err;   /* captured text, NUL-terminated; e2e_result_fini */
};

struct e2e_opts {
    const char *cwd;            /* NULL: the test's own cwd */
    const char *language;       /* LANGUAGE value; NULL: "en" */
    double timeout_s;           /* 0: 120 s */
    /* Ctrl-C: when `sigint` is set, SIGINT is sent as soon as
     * ready(ud, stderr_so_far) returns true (polled every 10 ms; NULL:
     * right away) but not before sigint_min_s seconds have passed.
     * stderr_so_far is the path of the file stderr is captured into. */
    bool sigint;
    bool (*ready)(void *ud, const char *stderr_so_far);
    void *ud;
    double sigint_min_s;
};

/* Runs `daryn ARGS...` (args NULL-terminated, without the program name).
 * Returns 0 when the process could be started and reaped, -1 otherwise. */
int e2e_daryn(const struct e2e_ctx *ctx, const struct e2e_opts *o,
              struct e2e_result *r, const char *const *args);
void e2e_result_fini(struct e2e_result *r);

/* A fresh, empty directory <work>/<name>; path written to buf. 0 or -1. */
int e2e_fresh_dir(const struct e2e_ctx *ctx, const char *name, char *buf,
                  size_t size);
/* Removes a file or directory tree; missing is fine. */
void e2e_rm_rf(const char *path);
/* Whole file into a malloc'ed NUL-terminated buffer (caller frees); NULL
 * on error. len may be NULL. */
char *e2e_read_file(const char *path, size_t *len);
int e2e_write_file(const char *path, const void *data, size_t len);
bool e2e_exists(const char *path);
/* Number of entries in dir (excluding . and ..) and, when names is not
 * NULL, their names space-separated into names (size bytes). -1 on error. */
int e2e_list_dir(const char *dir, char *names, size_t size);
/* Number of entries of dir whose name contains "tmp" (temp files). */
int e2e_count_tmp(const char *dir);
/* Prints stdout/stderr of a run (for failing assertions to explain). */
void e2e_dump(const char *what, const struct e2e_result *r);

#endif
