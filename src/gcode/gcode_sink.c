/* gcode_sink.c: a buffered byte sink with a sticky error (Cairo's status
 * idea), into a borrowed FILE * or a growing memory buffer. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/gcode.h"

#define SINK_FILE_BUF (64 * 1024)

struct gcode_sink {
    FILE *f;      /* NULL: memory sink */
    char *buf;
    size_t len, cap;
    int failed;   /* first error code, sticky */
    int errnum;   /* errno of a write failure */
};

static struct gcode_sink *sink_new(FILE *f, size_t cap)
{
    struct gcode_sink *s = calloc(1, sizeof(*s));
    if (!s) {
        return NULL;
    }
    s->buf = malloc(cap);
    if (!s->buf) {
        free(s);
        return NULL;
    }
    s->buf[0] = 0;
    s->f = f;
    s->cap = cap;
    return s;
}

struct gcode_sink *gcode_sink_create_file(FILE *f)
{
    return f ? sink_new(f, SINK_FILE_BUF) : NULL;
}

struct gcode_sink *gcode_sink_create_mem(void)
{
    return sink_new(NULL, 4096);
}

static void sink_flush(struct gcode_sink *s)
{
    if (s->failed || !s->f || !s->len) {
        return;
    }
    if (fwrite(s->buf, 1, s->len, s->f) != s->len) {
        s->failed = DY_EIO;
        s->errnum = errno;
    }
    s->len = 0;
}

void gcode_sink_write(struct gcode_sink *s, const char *data, size_t n)
{
    if (!s || s->failed) {
        return;
    }
    if (s->f) {
        if (s->len + n > s->cap) {
            sink_flush(s);
        }
        if (n > s->cap) {
            if (!s->failed && fwrite(data, 1, n, s->f) != n) {
                s->failed = DY_EIO;
                s->errnum = errno;
            }
            return;
        }
        memcpy(s->buf + s->len, data, n);
        s->len += n;
        return;
    }
    /* Memory: keep one spare byte for the NUL gcode_sink_data promises. */
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap;
        while (cap < s->len + n + 1) {
            if (cap > ((size_t)-1) / 2) {
                s->failed = DY_ENOMEM;
                return;
            }
            cap *= 2;
        }
        char *b = realloc(s->buf, cap);
        if (!b) {
            s->failed = DY_ENOMEM;
            return;
        }
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = 0;
}

void gcode_sink_puts(struct gcode_sink *s, const char *str)
{
    gcode_sink_write(s, str, strlen(str));
}

void gcode_sink_printf(struct gcode_sink *s, const char *fmt, ...)
{
    if (!s || s->failed) {
        return;
    }
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        s->failed = DY_EIO;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        gcode_sink_write(s, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        s->failed = DY_ENOMEM;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    gcode_sink_write(s, big, (size_t)n);
    free(big);
}

const char *gcode_sink_data(const struct gcode_sink *s, size_t *len)
{
    if (!s || s->f || s->failed) {
        if (len) {
            *len = 0;
        }
        return NULL;
    }
    if (len) {
        *len = s->len;
    }
    return s->buf;
}

int gcode_sink_close(struct gcode_sink *s, struct dy_err *err)
{
    if (!s) {
        return dy_err_set(err, DY_EINVAL, "gcode sink", "no sink");
    }
    sink_flush(s);
    if (!s->failed && s->f && fflush(s->f) != 0) {
        s->failed = DY_EIO;
        s->errnum = errno;
    }
    if (s->failed == DY_EIO) {
        return dy_err_set(err, DY_EIO, "gcode sink", "write failed: %s",
                          strerror(s->errnum ? s->errnum : EIO));
    }
    if (s->failed) {
        return dy_err_set(err, s->failed, "gcode sink", "out of memory");
    }
    return 0;
}

void gcode_sink_destroy(struct gcode_sink *s)
{
    if (!s) {
        return;
    }
    free(s->buf);
    free(s);
}
