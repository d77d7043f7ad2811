/* preview: PNGs read back with Cairo and checked pixel by pixel; the
 * thumbnail goes through a G-code header and decodes to the same bytes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cmocka.h>

#include "daryn/gcode.h"
#include "daryn/preview.h"
#include "test_plan.h"

static const char *out_dir(void)
{
    const char *d = getenv("PREVIEW_TEST_OUT");
    return d ? d : ".";
}

struct rd {
    const unsigned char *p;
    size_t n, off;
};

static cairo_status_t rd_read(void *c, unsigned char *data, unsigned int len)
{
    struct rd *r = c;
    if (r->off + len > r->n) {
        return CAIRO_STATUS_READ_ERROR;
    }
    memcpy(data, r->p + r->off, len);
    r->off += len;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_decode(const unsigned char *png, size_t len)
{
    struct rd r = {png, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(rd_read, &r);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

/* Premultiplied ARGB32 / RGB24 pixel as 0..255 r, g, b, a. */
static void pixel(cairo_surface_t *s, int x, int y, int out[4])
{
    cairo_surface_flush(s);
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    uint32_t v = *(const uint32_t *)(d + y * stride + 4 * x);
    int a = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32
                ? (int)(v >> 24) : 255;
    out[0] = (int)(v >> 16 & 255);
    out[1] = (int)(v >> 8 & 255);
    out[2] = (int)(v & 255);
    out[3] = a;
}

static int near_rgb(const int px[4], double r, double g, double b, int tol)
{
    return abs(px[0] - (int)lround(r * 255)) <= tol &&
           abs(px[1] - (int)lround(g * 255)) <= tol &&
           abs(px[2] - (int)lround(b * 255)) <= tol;
}

/* Finds a pixel of colour `rgb` on row y between x0 and x1. */
static int row_has(cairo_surface_t *s, int y, int x0, int x1,
                   const double rgb[3])
{
    for (int x = x0; x <= x1; x++) {
        int px[4];
        pixel(s, x, y, px);
        if (near_rgb(px, rgb[0], rgb[1], rgb[2], 8)) {
            return 1;
        }
    }
    return 0;
}

static void test_layer_top_down(void **state)
{
    struct slice_plan plan = {0};
    test_plan_cube(&plan, 110000, 110000, 10);
    struct preview_bed bed = {220, 220};
    size_t layers[] = {5};
    struct preview_opts o = {.width = 1200, .height = 1200, .layers = layers,
                             .nlayers = 1, .travel = 1};
    unsigned char *png = NULL;
    size_t len = 0;
    struct dy_err err = {0};
    assert_int_equal(preview_plan_png_mem(&plan, &bed, &o, &png, &len, &err), 0);
    cairo_surface_t *s = png_decode(png, len);
    assert_int_equal(cairo_image_surface_get_width(s), 1200);
    assert_int_equal(cairo_image_surface_get_height(s), 1200);
    /* Same geometry as draw_layer_top: the view is the print's footprint
     * grown to at least 40 mm (here 90..130 mm around the cube's centre),
     * 6 % margin, 18 px label row; bed mm (x, y) -> (ox + sc*x, oy - sc*y). */
    double cx = (plan.min_x + plan.max_x) / 2000.0, cy = (plan.min_y + plan.max_y) / 2000.0;
    double b0 = cx - 20, b1 = cy - 20;
    double sc = fmin(1200 * 0.88 / 40, (1200 - 18) * 0.88 / 40);
    double ox = (1200 - sc * 40) / 2 - sc * b0, oy = 18 + (1182 + sc * 40) / 2 + sc * b1;
    int y_mid = (int)lround(oy - sc * 110);
    int x_outer = (int)lround(ox + sc * (110 - 9.775));
    int x_inner = (int)lround(ox + sc * (110 - 9.325));
    double orange[3], yellow[3];
    preview_feature_color(SLICE_FEAT_WALL_OUTER, orange);
    preview_feature_color(SLICE_FEAT_WALL_INNER, yellow);
    assert_true(row_has(s, y_mid, x_outer - 2, x_outer + 2, orange));
    assert_true(row_has(s, y_mid, x_inner - 2, x_inner + 2, yellow));
    int px[4];
    pixel(s, (int)lround(ox + sc * 92.5), (int)lround(oy - sc * 92.5), px);
    assert_true(near_rgb(px, 0.86, 0.86, 0.88, 2)); /* empty bed */
    /* the cube is ~20 mm of a 40 mm view: zoomed in, not a speck */
    assert_true(sc * 20 > 1200 * 0.4);
    pixel(s, 3, 1190, px);
    assert_true(near_rgb(px, 0.97, 0.97, 0.98, 2)); /* background */
    cairo_surface_destroy(s);
    free(png);
    test_plan_free(&plan);
}

/* 1 when a travel-blue pixel (antialiased over the bed) lies within r px
 * of (x, y). */
static int blue_near(cairo_surface_t *s, int x, int y, int r)
{
    for (int v = y - r; v <= y + r; v++) {
        for (int u = x - r; u <= x + r; u++) {
            int px[4];
            pixel(s, u, v, px);
            if (px[2] - px[0] > 50 && px[2] - px[1] > 30) {
                return 1;
            }
        }
    }
    return 0;
}

/* A travel with waypoints (a combed route) is drawn through them, not as
 * the straight line between the paths. */
static void test_travel_via(void **state)
{
    struct slice_plan plan = {0};
    struct slice_plan_layer *l = test_plan_layer(&plan, 200, 200);
    const int32_t a[] = {107000, 107000, 123000, 107000};
    const int32_t b[] = {123000, 123000, 107000, 123000};
    const int32_t via[] = {107000, 115000};
    test_plan_path(&plan, l, SLICE_FEAT_WALL_OUTER, 0, 0, 400, a, 2);
    struct slice_path *pb =
        test_plan_path(&plan, l, SLICE_FEAT_WALL_OUTER, 0, 0, 400, b, 2);
    test_plan_via(pb, via, 1);
    struct preview_bed bed = {220, 220};
    size_t layers[] = {0};
    struct preview_opts o = {.width = 1200, .height = 1200, .layers = layers,
                             .nlayers = 1, .travel = 1};
    unsigned char *png = NULL;
    size_t len = 0;
    struct dy_err err = {0};
    assert_int_equal(preview_plan_png_mem(&plan, &bed, &o, &png, &len, &err), 0);
    cairo_surface_t *s = png_decode(png, len);
    /* A 16 mm footprint centred on (115, 115): a 40 mm view from 95 mm. */
    double sc = fmin(1200 * 0.88 / 40, (1200 - 18) * 0.88 / 40);
    double ox = (1200 - sc * 40) / 2 - sc * 95, oy = 18 + (1182 + sc * 40) / 2 + sc * 95;
#define AT(x, y) (int)lround(ox + sc * (x)), (int)lround(oy - sc * (y))
    /* Both legs of the route: (123, 107) -> (107, 115) -> (123, 123). */
    assert_true(blue_near(s, AT(115, 111), 4));
    assert_true(blue_near(s, AT(115, 119), 4));
    /* Not the straight line (123, 107) -> (123, 123). */
    assert_false(blue_near(s, AT(123, 115), 4));
    cairo_surface_destroy(s);
    free(png);
    /* Without the travel option, no route either. */
    o.travel = 0;
    assert_int_equal(preview_plan_png_mem(&plan, &bed, &o, &png, &len, &err), 0);
    s = png_decode(png, len);
    assert_false(blue_near(s, AT(115, 111), 4));
#undef AT
    cairo_surface_destroy(s);
    free(png);
    test_plan_free(&plan);
}

static void test_overview_and_file(void **state)
{
    struct slice_plan plan = {0};
    test_plan_cube(&plan, 110000, 110000, 40);
    struct preview_bed bed = {220, 220};
    size_t layers[] = {0, 20, 39};
    struct preview_opts o = {.width = 1000, .height = 1000, .overview = 1,
                             .layers = layers, .nlayers = 3};
    char path[1024];
    snprintf(path, sizeof(path), "%s/preview_cube.png", out_dir());
    struct dy_err err = {0};
    assert_int_equal(preview_plan_png(&plan, &bed, &o, path, &err), 0);
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    /* Overview panel (top-left 500x500): the top layer's red skin faces
     * the viewer in the middle of the panel; lower wall colours are
     * darker than the top one. */
    double red[3];
    preview_feature_color(SLICE_FEAT_TOP, red);
    int found_top = 0, found_dark = 0;
    for (int y = 150; y < 350 && !(found_top && found_dark); y++) {
        for (int x = 150; x < 350; x++) {
            int px[4];
            pixel(s, x, y, px);
            found_top |= near_rgb(px, red[0], red[1], red[2], 10);
            /* the outer wall at mid height: 0.45 + 0.55 * 0.5 shade */
            found_dark |= near_rgb(px, 1.0 * 0.725, 125 / 255.0 * 0.725,
                                   56 / 255.0 * 0.725, 12);
        }
    }
    assert_true(found_top);
    assert_true(found_dark);
    cairo_surface_destroy(s);

    size_t bad[] = {40};
    o.layers = bad;
    o.nlayers = 1;
    assert_int_equal(preview_plan_png(&plan, &bed, &o, path, &err), DY_EINVAL);
    assert_string_equal(err.where, "preview: layers[0]");
    o.overview = 0;
    o.nlayers = 0;
    assert_int_equal(preview_plan_png(&plan, &bed, &o, path, &err), DY_EINVAL);
    test_plan_free(&plan);
}

static int b64(char ch)
{
    const char *t =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(t, ch);
    return ch && p ? (int)(p - t) : -1;
}

static void test_thumbnail_roundtrip(void **state)
{
    struct slice_plan plan = {0};
    test_plan_cube(&plan, 110000, 110000, 25);
    unsigned char *png = NULL;
    size_t len = 0;
    struct dy_err err = {0};
    assert_int_equal(preview_thumbnail_png(&plan, 300, 300, &png, &len, &err), 0);
    cairo_surface_t *s = png_decode(png, len);
    assert_int_equal(cairo_image_surface_get_width(s), 300);
    int px[4];
    pixel(s, 2, 2, px);
    assert_int_equal(px[3], 0); /* transparent corner */
    pixel(s, 150, 150, px);
    assert_int_equal(px[3], 255); /* the print fills the middle */
    cairo_surface_destroy(s);
    char path[1024];
    snprintf(path, sizeof(path), "%s/thumb_cube.png", out_dir());
    FILE *f = fopen(path, "wb");
    fwrite(png, 1, len, f);
    fclose(f);

    /* Through the G-code header and back. */
    struct gcode_printer pr = gcode_printer_defaults;
    struct gcode_material mat = gcode_material_defaults;
    struct gcode_thumbnail th = {300, 300, png, len};
    struct gcode_opts opts = {.thumbs = &th, .nthumbs = 1};
    struct gcode_sink *sink = gcode_sink_create_mem();
    assert_int_equal(gcode_write_plan(&plan, &pr, &mat, &opts, sink, &err), 0);
    const char *g = gcode_sink_data(sink, NULL);
    char head[64];
    snprintf(head, sizeof(head), "; thumbnail begin 300x300 %zu\n",
             (len + 2) / 3 * 4);
    const char *b = strstr(g, head);
    assert_non_null(b);
    b += strlen(head);
    unsigned char *dec = malloc(len + 4);
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (; strncmp(b, "; thumbnail end", 15); b = strchr(b, '\n') + 1) {
        for (const char *p = b + 2; *p != '\n'; p++) {
            if (*p == '=') {
                continue;
            }
            acc = (acc << 6) | (unsigned)b64(*p);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                dec[n++] = (unsigned char)(acc >> bits);
            }
        }
    }
    assert_int_equal(n, len);
    assert_memory_equal(dec, png, len);
    free(dec);
    gcode_sink_destroy(sink);
    free(png);
    test_plan_free(&plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layer_top_down),
        cmocka_unit_test(test_travel_via),
        cmocka_unit_test(test_overview_and_file),
        cmocka_unit_test(test_thumbnail_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
