/* err.h: error codes and the caller-owned error report used by every Daryn
 * library.
 *
 * Every fallible public function returns 0 on success or a negative DY_E*
 * code, and fills a `struct dy_err` the caller owns (SQLite's code-plus-
 * message idea without a lifetime question). `where` names the place the
 * problem is (file, then JSON path / line / field, Lua-style), `msg` says what
 * is wrong, e.g.
 *     where = "fox.daryn: scenes[2].actors[0].tracks.x[5].time"
 *     msg   = "must be >= 0 (got -1.5)"
 * Libraries never exit(), abort() or assert() on input. */
#ifndef DARYN_ERR_H
#define DARYN_ERR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum dy_code {
    DY_OK = 0,
    DY_EINVAL = -1,      /* invalid argument or value */
    DY_ENOMEM = -2,      /* out of memory */
    DY_EIO = -3,         /* reading or writing a file failed */
    DY_EFORMAT = -4,     /* malformed input file (syntax, structure) */
    DY_ERANGE = -5,      /* a value is out of its allowed range */
    DY_ENOTFOUND = -6,   /* a referenced file, member, id or profile is missing */
    DY_EUNSUPPORTED = -7,/* valid but not supported (codec, version, format) */
    DY_ECANCELED = -8,   /* the caller asked to stop (Ctrl-C, cancel flag) */
    DY_ELIMIT = -9,      /* a safety limit was hit (zip bomb, absurd size) */
    DY_EEXTERNAL = -10,  /* an external library failed (FFmpeg, Cairo, ...) */
};

#define DY_ERR_WHERE_MAX 512
#define DY_ERR_MSG_MAX 512

struct dy_err {
    int code;                    /* one of enum dy_code; 0 when no error */
    char where[DY_ERR_WHERE_MAX]; /* file, then field/line; may be empty */
    char msg[DY_ERR_MSG_MAX];    /* what is wrong, one sentence, no newline */
};

/* Clears *err (err may be NULL). */
void dy_err_clear(struct dy_err *err);

/* Fills *err (err may be NULL) and returns `code`, so callers can write
 * `return dy_err_set(err, DY_EINVAL, where, "must be > 0 (got %g)", v);`.
 * `where` may be NULL. printf-style message. */
int dy_err_set(struct dy_err *err, int code, const char *where,
               const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Prepends `prefix` and ": " to err->where (used when an outer layer knows
 * the file name the inner layer did not). No-op when err is NULL. */
void dy_err_prefix(struct dy_err *err, const char *prefix);

/* Formats "where: msg" (or just msg) into buf; returns buf. */
const char *dy_err_format(const struct dy_err *err, char *buf, size_t size);

/* Short English name of a code ("invalid value", "out of memory", ...). */
const char *dy_code_name(int code);

#ifdef __cplusplus
}
#endif
#endif
