/* atomic_file.h: writing an output so that a reader sees the old file or
 * the whole new one, never half of it (story saves, videos, PNGs, G-code).
 *
 *     struct dy_atomic a;
 *     if (dy_atomic_begin(&a, "class/ali.mp4", 0, err) < 0) return ...;
 *     ... write to a.fd, or to dy_atomic_file(&a, "wb"), or to a.tmp by name
 *     return dy_atomic_commit(&a, err);   (or dy_atomic_abort(&a) on error)
 *
 * The temporary is "DIR/.NAME.tmp-XXXXXX" beside the final path (same file
 * system, so the rename is atomic), created with O_EXCL and the permissions
 * any new file gets (0666, or 0777 for a directory, less the umask: outputs
 * are shared documents, not mkstemp's private 0600). Commit flushes and
 * fsyncs the data, renames over the path and fsyncs the directory; on any
 * failure the temporary is removed and an existing file at the path is left
 * as it was. */
#ifndef DARYN_ATOMIC_FILE_H
#define DARYN_ATOMIC_FILE_H

#include <stdio.h>

#include "daryn/err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dy_atomic {
    char *path;  /* the final path (copied) */
    char *tmp;   /* the temporary beside it */
    int fd;      /* open for writing; -1 for a directory or once closed */
    FILE *fp;    /* set by dy_atomic_file; closed by commit/abort */
    int is_dir;  /* the temporary is a directory (e.g. a PNG sequence) */
};

/* Creates the temporary file (is_dir 0) or directory (is_dir 1) for path.
 * On failure *a holds nothing to free. DY_EIO / DY_ENOMEM, err->where =
 * path. */
int dy_atomic_begin(struct dy_atomic *a, const char *path, int is_dir, struct dy_err *err);

/* A stdio stream over a->fd (made once; later calls return the same). NULL
 * when fdopen fails. Owned by *a: don't fclose it. */
FILE *dy_atomic_file(struct dy_atomic *a, const char *mode);

/* Flushes, fsyncs and closes a->fd if the caller hasn't (it may close it
 * itself and set it to -1, e.g. when a library wrote the file by name: the
 * file is then synced by name), then renames the
 * temporary over the path. Frees *a in every case; on failure the
 * temporary is removed. For a directory, the caller has filled it; an old
 * directory at the path must be gone before (rename can't replace a
 * non-empty one). */
int dy_atomic_commit(struct dy_atomic *a, struct dy_err *err);

/* Closes and removes the temporary (a directory with the files in it, one
 * level deep) and frees *a. Safe on a zeroed struct and after commit. */
void dy_atomic_abort(struct dy_atomic *a);

#ifdef __cplusplus
}
#endif
#endif
