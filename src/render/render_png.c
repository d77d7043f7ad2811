/* render_png.c: PNG files for render images (goldens, tests, the CLI's PNG
 * sequence), through Cairo's PNG reader and writer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daryn/atomic_file.h"

#include "render_internal.h"

static cairo_status_t png_write_file(void *closure, const unsigned char *data,
                                     unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                      : CAIRO_STATUS_WRITE_ERROR;
}

static cairo_status_t png_read_file(void *closure, unsigned char *data,
                                    unsigned int length)
{
    return fread(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                     : CAIRO_STATUS_READ_ERROR;
}

int render_image_write_png(const struct render_image *img, const char *path,
                           struct dy_err *err)
{
    if (!img || !img->data || img->width < 1 || img->height < 1 || !path) {
        return dy_err_set(err, DY_EINVAL, path, "no image to write");
    }
    struct dy_atomic out;
    int r = dy_atomic_begin(&out, path, 0, err);
    if (r < 0) {
        return r;
    }
    /* Cairo only reads the pixels when writing a PNG. */
    cairo_surface_t *surf = cairo_image_surface_create_for_data(
        img->data, CAIRO_FORMAT_ARGB32, img->width, img->height, img->stride);
    FILE *f = dy_atomic_file(&out, "wb");
    cairo_status_t st = f ? cairo_surface_write_to_png_stream(surf, png_write_file, f)
                          : CAIRO_STATUS_WRITE_ERROR;
    cairo_surface_destroy(surf);
    if (st != CAIRO_STATUS_SUCCESS) {
        r = dy_err_set(err, DY_EIO, path, "writing PNG failed: %s", cairo_status_to_string(st));
        dy_atomic_abort(&out);
        return r;
    }
    return dy_atomic_commit(&out, err);
}

int render_image_read_png(const char *path, struct render_image *img,
                          struct dy_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return dy_err_set(err, DY_EIO, path, "cannot open: %s", strerror(errno));
    }
    cairo_surface_t *src = cairo_image_surface_create_from_png_stream(png_read_file, f);
    fclose(f);
    int r = 0;
    cairo_status_t st = cairo_surface_status(src);
    if (st != CAIRO_STATUS_SUCCESS) {
        r = dy_err_set(err, st == CAIRO_STATUS_NO_MEMORY ? DY_ENOMEM : DY_EFORMAT,
                       path, "cannot read PNG: %s", cairo_status_to_string(st));
        goto fail;
    }
    struct render_image out;
    int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
    r = render_image_init(&out, w, h);
    if (r < 0) {
        r = dy_err_set(err, r, path, "cannot hold a %dx%d image", w, h);
        goto fail;
    }
    /* Painting with SOURCE converts whatever format Cairo chose (RGB24 for
     * PNGs without alpha) to premultiplied ARGB32. */
    cairo_surface_t *dst = cairo_image_surface_create_for_data(
        out.data, CAIRO_FORMAT_ARGB32, w, h, out.stride);
    cairo_t *cr = cairo_create(dst);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_surface(cr, src, 0, 0);
    cairo_paint(cr);
    st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(dst);
    cairo_surface_destroy(dst);
    if (st != CAIRO_STATUS_SUCCESS) {
        render_image_fini(&out);
        r = dy_err_set(err, DY_EEXTERNAL, path, "cairo: %s", cairo_status_to_string(st));
        goto fail;
    }
    *img = out;
fail:
    cairo_surface_destroy(src);
    return r;
}
