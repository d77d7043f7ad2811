/* atomic_file.c: temporary-then-rename outputs (see atomic_file.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "daryn/atomic_file.h"

static void atomic_free(struct dy_atomic *a)
{
    free(a->path);
    free(a->tmp);
    *a = (struct dy_atomic){.fd = -1};
}

int dy_atomic_begin(struct dy_atomic *a, const char *path, int is_dir, struct dy_err *err)
{
    *a = (struct dy_atomic){.fd = -1, .is_dir = is_dir};
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dirlen = (size_t)(base - path);
    size_t n = strlen(path) + 32;
    a->path = strdup(path);
    a->tmp = malloc(n);
    if (!a->path || !a->tmp) {
        atomic_free(a);
        return dy_err_set(err, DY_ENOMEM, path, "out of memory");
    }
    /* O_EXCL with our own random suffix instead of mkstemp, so the kernel
     * applies the umask to 0666 as for any new document. */
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long seed = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16);
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long r = seed * 2654435761ul + __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 40503ul +
                          (unsigned long)attempt * 97ul;
        snprintf(a->tmp, n, "%.*s.%s.tmp-%06lx", (int)dirlen, path, base, r & 0xffffff);
        if (is_dir) {
            if (mkdir(a->tmp, 0777) == 0)
                return 0;
        } else {
            a->fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (a->fd >= 0)
                return 0;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    atomic_free(a);
    return dy_err_set(err, DY_EIO, path, "cannot create a temporary %s beside it: %s",
                      is_dir ? "folder" : "file", strerror(e));
}

FILE *dy_atomic_file(struct dy_atomic *a, const char *mode)
{
    if (!a->fp && a->fd >= 0)
        a->fp = fdopen(a->fd, mode);
    return a->fp;
}

/* Flushes the data to disk and closes; 0 or errno. */
static int close_synced(struct dy_atomic *a)
{
    int e = 0;
    if (a->fp) {
        if (fflush(a->fp) != 0 || ferror(a->fp))
            e = errno ? errno : EIO;
        if (!e && fsync(fileno(a->fp)) != 0 && errno != EINVAL)
            e = errno;
        if (fclose(a->fp) != 0 && !e)
            e = errno;
        a->fp = NULL;
        a->fd = -1;
    } else if (a->fd >= 0) {
        if (fsync(a->fd) != 0 && errno != EINVAL)
            e = errno;
        if (close(a->fd) != 0 && !e)
            e = errno;
        a->fd = -1;
    } else if (!a->is_dir) {
        /* Written by name (e.g. by FFmpeg): sync it all the same. */
        int fd = open(a->tmp, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    return e;
}

int dy_atomic_commit(struct dy_atomic *a, struct dy_err *err)
{
    if (!a->tmp)
        return dy_err_set(err, DY_EINVAL, NULL, "dy_atomic_commit: nothing begun");
    int e = close_synced(a);
    if (e) {
        int rc = dy_err_set(err, DY_EIO, a->path, "writing: %s", strerror(e));
        dy_atomic_abort(a);
        return rc;
    }
    if (rename(a->tmp, a->path) != 0) {
        int rc = dy_err_set(err, DY_EIO, a->path, "renaming into place: %s", strerror(errno));
        dy_atomic_abort(a);
        return rc;
    }
    /* The rename itself reaches the disk with the directory. */
    char *slash = strrchr(a->path, '/');
    if (slash)
        *slash = '\0';
    int dfd = open(slash ? (a->path[0] ? a->path : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    atomic_free(a);
    return 0;
}

void dy_atomic_abort(struct dy_atomic *a)
{
    if (!a || !a->tmp) {
        if (a && a->path)
            atomic_free(a);
        return;
    }
    if (a->fp)
        fclose(a->fp);
    else if (a->fd >= 0)
        close(a->fd);
    a->fp = NULL;
    a->fd = -1;
    if (a->is_dir) {
        /* The files written into it so far (one level: a PNG sequence). */
        DIR *d = opendir(a->tmp);
        struct dirent *e;
        size_t n = strlen(a->tmp);
        while (d && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *p = malloc(n + strlen(e->d_name) + 2);
            if (p) {
                sprintf(p, "%s/%s", a->tmp, e->d_name);
                unlink(p);
                free(p);
            }
        }
        if (d)
            closedir(d);
        rmdir(a->tmp);
    } else
        unlink(a->tmp);
    atomic_free(a);
}
