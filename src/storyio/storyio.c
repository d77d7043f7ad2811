/* storyio.c: the public entry points: picking the container (zip,
 * directory, bare json), reading files with caps, and the atomic save. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daryn/atomic_file.h"
#include "daryn/storyio.h"
#include "storyio_internal.h"

/* The last path component ("a/b/fox.daryn" -> "fox.daryn", "tpl/fox/" ->
 * "fox"), copied into buf. */
static const char *base_name(const char *path, char *buf, size_t size)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') {
        n--;
    }
    size_t start = n;
    while (start > 0 && path[start - 1] != '/') {
        start--;
    }
    snprintf(buf, size, "%.*s", (int)(n - start), path + start);
    return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Reads a regular file of at most `cap` bytes. On error only err->msg and
 * the code matter; callers set where. */
static int file_read(const char *path, size_t cap, uint8_t **data,
                     size_t *size, struct dy_err *err)
{
    uint8_t *buf = NULL;
    int rc = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return dy_err_set(err, errno == ENOENT ? DY_ENOTFOUND : DY_EIO, path,
                          "cannot open \"%.200s\": %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = dy_err_set(err, DY_EIO, path, "\"%.200s\" is not a regular file",
                        path);
        goto fail;
    }
    if ((uint64_t)st.st_size > cap) {
        rc = dy_err_set(err, DY_ELIMIT, path, "\"%.200s\" is %lld bytes "
                        "(max %zu)", path, (long long)st.st_size, cap);
        goto fail;
    }
    /* One spare byte notices a file that grew since fstat. */
    size_t want = (size_t)st.st_size, have = 0;
    buf = malloc(want + 1);
    if (!buf) {
        rc = dy_err_set(err, DY_ENOMEM, path, "out of memory");
        goto fail;
    }
    for (;;) {
        ssize_t got = read(fd, buf + have, want + 1 - have);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            rc = dy_err_set(err, DY_EIO, path, "reading \"%.200s\": %s", path,
                            strerror(errno));
            goto fail;
        }
        if (got == 0) {
            break;
        }
        have += (size_t)got;
        if (have > want) {
            rc = dy_err_set(err, DY_EIO, path, "\"%.200s\" changed while "
                            "being read", path);
            goto fail;
        }
    }
    close(fd);
    *data = buf;
    *size = have;
    return 0;
fail:
    close(fd);
    free(buf);
    return rc;
}

/* ---- media sources ------------------------------------------------------ */

struct dir_src {
    const char *dir;
    uint64_t budget; /* bytes left of STORYIO_MAX_TOTAL_BYTES */
};

static int dir_read(void *ctx, const char *path, uint8_t **data, size_t *size,
                    struct dy_err *err)
{
    struct dir_src *d = ctx;
    /* The parser only passes names that passed sio_name_safe(). */
    size_t n = strlen(d->dir) + strlen(path) + 2;
    char *full = malloc(n);
    if (!full) {
        return dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
    }
    snprintf(full, n, "%s/%s", d->dir, path);
    size_t cap = STORYIO_MAX_MEMBER_BYTES;
    if (cap > d->budget) {
        cap = (size_t)d->budget;
    }
    int rc = file_read(full, cap, data, size, err);
    free(full);
    if (rc == DY_ENOTFOUND) {
        return dy_err_set(err, rc, NULL, "file \"%.200s\" is missing", path);
    }
    if (rc == 0) {
        d->budget -= *size;
    }
    return rc;
}

static int zip_member_read(void *ctx, const char *path, uint8_t **data,
                           size_t *size, struct dy_err *err)
{
    return sio_zip_read(ctx, path, STORYIO_MAX_MEMBER_BYTES, data, size, err);
}

/* ---- loading ------------------------------------------------------------ */

/* Loads story.json text from an opened archive. */
static int load_zip(struct sio_zip *z, const char *name, struct story **out,
                    struct dy_err *err)
{
    uint8_t *json = NULL;
    size_t len = 0;
    int rc = sio_zip_read(z, "story.json", STORYIO_MAX_JSON_BYTES, &json, &len,
                          err);
    if (rc == DY_ENOTFOUND) {
        rc = dy_err_set(err, rc, name, "the archive has no story.json");
    }
    if (rc == 0) {
        char label[DY_ERR_WHERE_MAX];
        snprintf(label, sizeof(label), "%.300s: story.json", name);
        struct sio_names nm = {name, label};
        struct sio_media_src ms = {zip_member_read, z};
        rc = sio_json_parse((const char *)json, len, &nm, &ms, out, err);
    }
    free(json);
    sio_zip_close(z);
    return rc;
}

int storyio_load_mem(const void *data, size_t size, const char *name,
                     struct story **out, struct dy_err *err)
{
    dy_err_clear(err);
    if (!name) {
        name = "<memory>";
    }
    if (!data && size) {
        return dy_err_set(err, DY_EINVAL, name, "no data");
    }
    /* libzip opens zero bytes as an empty archive; it is no story file. */
    if (size == 0) {
        return dy_err_set(err, DY_EFORMAT, name, "empty file: not a zip "
                          "archive");
    }
    struct sio_zip *z = NULL;
    int rc = sio_zip_open_mem(data, size, name, &z, err);
    if (rc < 0) {
        return rc;
    }
    return load_zip(z, name, out, err);
}

int storyio_load_json_mem(const char *json, size_t len, const char *name,
                          const char *media_dir, struct story **out,
                          struct dy_err *err)
{
    dy_err_clear(err);
    if (!name) {
        name = "story.json";
    }
    if (!json && len) {
        return dy_err_set(err, DY_EINVAL, name, "no data");
    }
    if (len > STORYIO_MAX_JSON_BYTES) {
        return dy_err_set(err, DY_ELIMIT, name, "%zu bytes (max %u)", len,
                          STORYIO_MAX_JSON_BYTES);
    }
    struct dir_src d = {media_dir, STORYIO_MAX_TOTAL_BYTES - len};
    struct sio_media_src ms = {dir_read, &d};
    struct sio_names nm = {name, name};
    return sio_json_parse(json ? json : "", len, &nm, media_dir ? &ms : NULL,
                          out, err);
}

/* A story.json file on disk; media beside it in `dir`. */
static int load_json_file(const char *file, const char *dir, const char *name,
                          struct story **out, struct dy_err *err)
{
    uint8_t *json = NULL;
    size_t len = 0;
    int rc = file_read(file, STORYIO_MAX_JSON_BYTES, &json, &len, err);
    if (rc < 0) {
        char msg[DY_ERR_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        return dy_err_set(err, rc, name, "%s", msg);
    }
    rc = storyio_load_json_mem((const char *)json, len, name, dir, out, err);
    free(json);
    return rc;
}

int storyio_load(const char *path, struct story **out, struct dy_err *err)
{
    dy_err_clear(err);
    char name[256];
    base_name(path, name, sizeof(name));
    struct stat st;
    if (stat(path, &st) != 0) {
        return dy_err_set(err, errno == ENOENT ? DY_ENOTFOUND : DY_EIO, name,
                          "cannot open: %s", strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        size_t n = strlen(path) + sizeof("/story.json");
        char *file = malloc(n);
        if (!file) {
            return dy_err_set(err, DY_ENOMEM, name, "out of memory");
        }
        snprintf(file, n, "%s/story.json", path);
        char label[300];
        snprintf(label, sizeof(label), "%.250s/story.json", name);
        int rc = load_json_file(file, path, label, out, err);
        free(file);
        return rc;
    }
    if (ends_with(path, ".json")) {
        size_t n = strlen(path);
        char *dir = malloc(n + 2);
        if (!dir) {
            return dy_err_set(err, DY_ENOMEM, name, "out of memory");
        }
        memcpy(dir, path, n + 1);
        char *slash = strrchr(dir, '/');
        if (slash) {
            slash[slash == dir ? 1 : 0] = 0;
        } else {
            strcpy(dir, ".");
        }
        int rc = load_json_file(path, dir, name, out, err);
        free(dir);
        return rc;
    }
    if (st.st_size == 0) {
        return dy_err_set(err, DY_EFORMAT, name, "empty file: not a zip "
                          "archive");
    }
    struct sio_zip *z = NULL;
    int rc = sio_zip_open_file(path, name, &z, err);
    if (rc < 0) {
        return rc;
    }
    /* load_zip() reports with `name`, which must outlive the archive. */
    return load_zip(z, name, out, err);
}

/* ---- saving ------------------------------------------------------------- */

int storyio_save_mem(const struct story *s, uint8_t **out, size_t *size,
                     struct dy_err *err)
{
    dy_err_clear(err);
    int rc = story_validate(s, err);
    if (rc < 0) {
        return rc;
    }
    char *json = NULL;
    size_t len = 0;
    rc = sio_json_write(s, &json, &len, err);
    if (rc == 0) {
        rc = sio_zip_build(s, json, len, out, size, err);
    }
    free(json);
    return rc;
}

/* Writes bytes to `path` through a temporary file in the same directory:
 * write, fsync, rename, then fsync the directory so the rename itself
 * survives a power cut. The temporary file never outlives an error. */
static int write_atomic(const char *path, const uint8_t *data, size_t size,
                        const char *name, struct dy_err *err)
{
    struct dy_atomic out;
    int rc = dy_atomic_begin(&out, path, 0, err);
    if (rc < 0) {
        snprintf(err->where, sizeof(err->where), "%s", name); /* messages name the file */
        return rc;
    }
    for (size_t off = 0; off < size;) {
        ssize_t w = write(out.fd, data + off, size - off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            rc = dy_err_set(err, DY_EIO, name, "writing: %s", strerror(errno));
            dy_atomic_abort(&out);
            return rc;
        }
        off += (size_t)w;
    }
    if ((rc = dy_atomic_commit(&out, err)) < 0) {
        snprintf(err->where, sizeof(err->where), "%s", name);
    }
    return rc;
}

int storyio_save(const struct story *s, const char *path, struct dy_err *err)
{
    char name[256];
    base_name(path, name, sizeof(name));
    uint8_t *zip = NULL;
    size_t size = 0;
    int rc = storyio_save_mem(s, &zip, &size, err);
    if (rc < 0) {
        sio_err_prefix(err, name);
        return rc;
    }
    rc = write_atomic(path, zip, size, name, err);
    free(zip);
    return rc;
}
