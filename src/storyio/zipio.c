/* zipio.c: the .daryn zip container, read with every safety check the
 * format document promises (unsafe names, bombs, truncation) and written
 * canonically in memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "daryn/storyio.h"
#include "storyio_internal.h"

struct sio_zip {
    zip_t *za;
    const char *name;    /* borrowed, for messages */
    uint64_t budget;     /* bytes left of STORYIO_MAX_TOTAL_BYTES */
};

bool sio_name_safe(const char *name)
{
    if (!name || !name[0] || name[0] == '/') {
        return false;
    }
    const char *comp = name;
    for (const char *p = name;; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '/' || ch == 0) {
            size_t n = (size_t)(p - comp);
            bool last = ch == 0;
            /* An empty last component is the trailing '/' of a directory
             * entry; an empty inner one is "a//b". */
            if (n == 0 && !(last && p > name && p[-1] == '/')) {
                return false;
            }
            if ((n == 1 && comp[0] == '.') ||
                (n == 2 && comp[0] == '.' && comp[1] == '.')) {
                return false;
            }
            if (last) {
                return true;
            }
            comp = p + 1;
        } else if (ch == '\\' || ch == ':' || ch < 0x20 || ch == 0x7f) {
            return false;
        }
    }
}

bool sio_media_path_ok(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    return n > 6 && n <= 255 && strncmp(path, "media/", 6) == 0 &&
           path[n - 1] != '/' && sio_name_safe(path);
}

static int zip_code(int ze)
{
    switch (ze) {
    case ZIP_ER_MEMORY:
        return DY_ENOMEM;
    case ZIP_ER_OPEN:
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
    case ZIP_ER_TELL:
        return DY_EIO;
    case ZIP_ER_COMPNOTSUPP:
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_MULTIDISK:
        return DY_EUNSUPPORTED;
    default:
        return DY_EFORMAT;
    }
}

/* Checks every entry before anything is read: one unsafe name or one
 * over-large member refuses the whole archive. */
static int zip_check_entries(struct sio_zip *z, struct dy_err *err)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 0 || n > STORYIO_MAX_MEMBERS) {
        return dy_err_set(err, DY_ELIMIT, z->name,
                          "archive has %lld members (max %d)", (long long)n,
                          STORYIO_MAX_MEMBERS);
    }
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) != 0) {
            zip_error_t *ze = zip_get_error(z->za);
            return dy_err_set(err, zip_code(zip_error_code_zip(ze)), z->name,
                              "damaged zip archive: %s", zip_error_strerror(ze));
        }
        const char *nm = (st.valid & ZIP_STAT_NAME) ? st.name : NULL;
        if (!sio_name_safe(nm)) {
            return dy_err_set(err, DY_EFORMAT, z->name,
                              "unsafe member name \"%.200s\" (absolute, \"..\", "
                              "backslash or drive letter): archive refused",
                              nm ? nm : "");
        }
        /* A second member of the same name would be ambiguous; libzip's
         * locate returns the first, so any earlier index means a twin. */
        zip_int64_t first = zip_name_locate(z->za, nm, ZIP_FL_ENC_RAW);
        if (first >= 0 && first != i) {
            return dy_err_set(err, DY_EFORMAT, z->name,
                              "duplicate member \"%.200s\"", nm);
        }
        if ((st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) !=
            (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) {
            return dy_err_set(err, DY_EFORMAT, z->name,
                              "member \"%.200s\" has no sizes", nm);
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
            st.encryption_method != ZIP_EM_NONE) {
            return dy_err_set(err, DY_EUNSUPPORTED, z->name,
                              "member \"%.200s\" is encrypted", nm);
        }
        if (st.size > STORYIO_MAX_MEMBER_BYTES) {
            return dy_err_set(err, DY_ELIMIT, z->name,
                              "member \"%.200s\" unpacks to %llu bytes (max %u)",
                              nm, (unsigned long long)st.size,
                              STORYIO_MAX_MEMBER_BYTES);
        }
        if (st.size > STORYIO_RATIO_MIN_BYTES &&
            st.size / (st.comp_size ? st.comp_size : 1) > STORYIO_MAX_RATIO) {
            return dy_err_set(err, DY_ELIMIT, z->name,
                              "member \"%.200s\" compresses %llu:1 (max %u:1): "
                              "zip bomb refused", nm,
                              (unsigned long long)(st.size /
                                  (st.comp_size ? st.comp_size : 1)),
                              STORYIO_MAX_RATIO);
        }
        total += st.size;
        if (total > STORYIO_MAX_TOTAL_BYTES) {
            return dy_err_set(err, DY_ELIMIT, z->name,
                              "members unpack to more than %u bytes",
                              STORYIO_MAX_TOTAL_BYTES);
        }
    }
    return 0;
}

static int zip_finish_open(zip_t *za, const char *name, struct sio_zip **out,
                           struct dy_err *err)
{
    struct sio_zip *z = calloc(1, sizeof(*z));
    if (!z) {
        zip_discard(za);
        return dy_err_set(err, DY_ENOMEM, name, "out of memory");
    }
    z->za = za;
    z->name = name;
    z->budget = STORYIO_MAX_TOTAL_BYTES;
    int rc = zip_check_entries(z, err);
    if (rc < 0) {
        sio_zip_close(z);
        return rc;
    }
    *out = z;
    return 0;
}

static int zip_open_error(int ze, const char *name, struct dy_err *err)
{
    if (ze == ZIP_ER_NOZIP) {
        return dy_err_set(err, DY_EFORMAT, name, "not a zip archive");
    }
    zip_error_t e;
    zip_error_init_with_code(&e, ze);
    int rc = dy_err_set(err, zip_code(ze), name, "cannot open zip archive: %s",
                        zip_error_strerror(&e));
    zip_error_fini(&e);
    return rc;
}

int sio_zip_open_file(const char *path, const char *name, struct sio_zip **out,
                      struct dy_err *err)
{
    int ze = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!za) {
        return zip_open_error(ze, name, err);
    }
    return zip_finish_open(za, name, out, err);
}

int sio_zip_open_mem(const void *data, size_t size, const char *name,
                     struct sio_zip **out, struct dy_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    /* libzip wants a non-NULL buffer even for size 0. */
    static const char empty[1];
    zip_source_t *src = zip_source_buffer_create(size ? data : empty, size, 0,
                                                 &ze);
    if (!src) {
        zip_error_fini(&ze);
        return dy_err_set(err, DY_ENOMEM, name, "out of memory");
    }
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!za) {
        int code = zip_error_code_zip(&ze);
        zip_source_free(src);
        zip_error_fini(&ze);
        return zip_open_error(code, name, err);
    }
    zip_error_fini(&ze);
    return zip_finish_open(za, name, out, err);
}

void sio_zip_close(struct sio_zip *z)
{
    if (!z) {
        return;
    }
    if (z->za) {
        zip_discard(z->za);
    }
    free(z);
}

int sio_zip_read(struct sio_zip *z, const char *member, size_t cap,
                 uint8_t **data, size_t *size, struct dy_err *err)
{
    uint8_t *buf = NULL;
    zip_file_t *zf = NULL;
    int rc = 0;
    zip_int64_t idx = zip_name_locate(z->za, member, ZIP_FL_ENC_RAW);
    if (idx < 0) {
        return dy_err_set(err, DY_ENOTFOUND, z->name,
                          "member \"%.200s\" is missing from the archive",
                          member);
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, &st) != 0) {
        return dy_err_set(err, DY_EFORMAT, z->name, "cannot stat \"%.200s\"",
                          member);
    }
    if (st.size > cap || st.size > z->budget) {
        return dy_err_set(err, DY_ELIMIT, z->name,
                          "member \"%.200s\" unpacks to %llu bytes (max %zu)",
                          member, (unsigned long long)st.size,
                          cap < z->budget ? cap : (size_t)z->budget);
    }
    zf = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        zip_error_t *ze = zip_get_error(z->za);
        return dy_err_set(err, zip_code(zip_error_code_zip(ze)), z->name,
                          "cannot open member \"%.200s\": %s", member,
                          zip_error_strerror(ze));
    }
    /* Headers can lie: grow the buffer only as bytes really arrive and stop
     * one byte past the declared size, so memory follows actual data and a
     * member that inflates beyond what it declared is caught. */
    size_t want = (size_t)st.size;
    size_t have = 0, bcap = 0;
    for (;;) {
        if (have == bcap) {
            size_t ncap = bcap ? bcap * 2 : 65536;
            if (ncap > want + 1) {
                ncap = want + 1;
            }
            if (ncap <= bcap) {
                ncap = bcap + 1;
            }
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                rc = dy_err_set(err, DY_ENOMEM, z->name, "out of memory");
                goto fail;
            }
            buf = nb;
            bcap = ncap;
        }
        zip_int64_t got = zip_fread(zf, buf + have, bcap - have);
        if (got < 0) {
            zip_error_t *ze = zip_file_get_error(zf);
            rc = dy_err_set(err, DY_EFORMAT, z->name,
                            "damaged member \"%.200s\": %s", member,
                            zip_error_strerror(ze));
            goto fail;
        }
        if (got == 0) {
            break;
        }
        have += (size_t)got;
        if (have > want) {
            rc = dy_err_set(err, DY_ELIMIT, z->name,
                            "member \"%.200s\" inflates beyond its declared "
                            "%zu bytes: zip bomb refused", member, want);
            goto fail;
        }
    }
    if (have != want) {
        rc = dy_err_set(err, DY_EFORMAT, z->name,
                        "member \"%.200s\" is truncated (%zu of %zu bytes)",
                        member, have, want);
        goto fail;
    }
    zip_fclose(zf);
    z->budget -= have;
    *data = buf;
    *size = have;
    return 0;
fail:
    if (zf) {
        zip_fclose(zf);
    }
    free(buf);
    return rc;
}

/* A timestamp that reads back as 2000-01-01 00:00:00 in the local zone:
 * libzip converts time_t to DOS time with localtime(), so going through
 * mktime() keeps the bytes the same in every time zone. */
static time_t zip_fixed_mtime(void)
{
    struct tm tm = {0};
    tm.tm_year = 100;
    tm.tm_mday = 1;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

static int zw_add_member(zip_t *za, const char *name, const void *data, size_t size,
                   zip_int32_t method, time_t mtime, struct dy_err *err)
{
    static const char empty[1];
    zip_source_t *src = zip_source_buffer(za, size ? data : empty, size, 0);
    if (!src) {
        return dy_err_set(err, DY_ENOMEM, name, "out of memory");
    }
    zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src);
        zip_error_t *ze = zip_get_error(za);
        return dy_err_set(err, zip_code(zip_error_code_zip(ze)), name,
                          "cannot add to the archive: %s",
                          zip_error_strerror(ze));
    }
    if (zip_set_file_compression(za, (zip_uint64_t)idx, method, 0) != 0 ||
        zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) != 0) {
        zip_error_t *ze = zip_get_error(za);
        return dy_err_set(err, DY_EEXTERNAL, name, "libzip: %s",
                          zip_error_strerror(ze));
    }
    return 0;
}

int sio_zip_build(const struct story *s, const char *json, size_t jlen,
                  uint8_t **out, size_t *size, struct dy_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_t *za = NULL;
    uint8_t *buf = NULL;
    int rc = 0;
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) {
        rc = dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!za) {
        rc = dy_err_set(err, DY_EEXTERNAL, NULL, "libzip: %s",
                        zip_error_strerror(&ze));
        goto fail;
    }
    /* Keep the buffer source alive past zip_close() to read the bytes
     * (after a successful open: a failed open leaves it to us). */
    zip_source_keep(src);
    time_t mtime = zip_fixed_mtime();
    rc = zw_add_member(za, "story.json", json, jlen, ZIP_CM_DEFLATE, mtime, err);
    for (size_t i = 0; rc == 0 && i < s->nmedia; i++) {
        const struct story_media *m = &s->media[i];
        /* The loader's rule: what it would refuse is never written. */
        if (!sio_media_path_ok(m->path)) {
            char where[64];
            snprintf(where, sizeof(where), "media[%zu].path", i);
            rc = dy_err_set(err, DY_EINVAL, where, "\"%.200s\" must be a file "
                            "under media/", m->path ? m->path : "");
            break;
        }
        /* Images and audio are compressed already; storing them keeps
         * saving fast and lets readers seek. */
        rc = zw_add_member(za, m->path, m->data, m->size, ZIP_CM_STORE, mtime, err);
    }
    if (rc < 0) {
        goto fail;
    }
    if (zip_close(za) != 0) {
        zip_error_t *e = zip_get_error(za);
        rc = dy_err_set(err, DY_EEXTERNAL, NULL, "writing the zip: %s",
                        zip_error_strerror(e));
        goto fail;
    }
    za = NULL;
    if (zip_source_open(src) != 0 || zip_source_seek(src, 0, SEEK_END) != 0) {
        rc = dy_err_set(err, DY_EEXTERNAL, NULL, "reading back the zip");
        goto fail;
    }
    zip_int64_t n = zip_source_tell(src);
    if (n < 0 || zip_source_seek(src, 0, SEEK_SET) != 0) {
        zip_source_close(src);
        rc = dy_err_set(err, DY_EEXTERNAL, NULL, "reading back the zip");
        goto fail;
    }
    buf = malloc(n ? (size_t)n : 1);
    if (!buf) {
        zip_source_close(src);
        rc = dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    zip_int64_t got = zip_source_read(src, buf, (zip_uint64_t)n);
    zip_source_close(src);
    if (got != n) {
        rc = dy_err_set(err, DY_EEXTERNAL, NULL, "reading back the zip");
        goto fail;
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    *out = buf;
    *size = (size_t)n;
    return 0;
fail:
    if (za) {
        zip_discard(za);
    }
    free(buf);
    zip_source_free(src);
    zip_error_fini(&ze);
    return rc;
}
