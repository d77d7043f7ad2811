/* test_e2e_slice.c: `daryn slice` end to end: the real executable slices
 * real and generated models; the G-code is parsed back with daryn's
 * G-code reader and checked against the printer and material profiles. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "daryn/gcode_profile.h"
#include "daryn/gcode_reader.h"
#include "daryn/mesh.h"
#include "daryn/slice_plan.h"

#include "e2e_run.h"
#include "testmesh.h"

/* Set once in main() from the command line, read-only afterwards. */
static struct e2e_ctx ctx;

static void run_expect(const struct e2e_opts *o, int want, struct e2e_result *r,
                       const char *const *args)
{
    assert_int_equal(e2e_daryn(&ctx, o, r, args), 0);
    if (r->code != want) {
        e2e_dump(args[0], r);
    }
    assert_false(r->timed_out);
    assert_int_equal(r->code, want);
}

static void load_profiles(const char *printer, const char *material,
                          struct gcode_printer *pr, struct gcode_material *mat)
{
    char dir[4096], path[4300];
    struct dy_err err;
    snprintf(dir, sizeof(dir), "%s/gcode", ctx.src);
    assert_int_equal(gcode_profile_find(dir, GCODE_PROFILE_PRINTER, printer, path,
                                        sizeof(path), &err), 0);
    assert_int_equal(gcode_printer_load(path, pr, &err), 0);
    assert_int_equal(gcode_profile_find(dir, GCODE_PROFILE_MATERIAL, material, path,
                                        sizeof(path), &err), 0);
    assert_int_equal(gcode_material_load(path, mat, &err), 0);
}

/* What the checks need from one G-code file, gathered in one walk. */
struct gstats {
    const struct gcode_material *mat;
    unsigned long first_extrude;   /* line of the first extruding move */
    unsigned long nozzle_wait;     /* M109 S/R = first-layer nozzle temp */
    unsigned long bed_wait;        /* M190 S/R = first-layer bed temp */
    unsigned long macro_start;     /* PRINT_START BED=.. EXTRUDER=.. */
    double lo[2], hi[2], zmax;     /* bounds of moves from layer 0 on */
    long moves;
    unsigned features;             /* bit per enum slice_feature extruded */
};

static int near(double a, double b)
{
    return fabs(a - b) < 1e-6;
}

static int on_line(void *user, const struct gcode_line *l)
{
    struct gstats *g = user;
    if (l->extrudes && !g->first_extrude) {
        g->first_extrude = l->lineno;
    }
    if (l->letter == 'M' && (l->code == 109 || l->code == 190)) {
        double v = GCODE_HAVE(l, 'S') ? l->param['S' - 'A']
                   : GCODE_HAVE(l, 'R') ? l->param['R' - 'A'] : -1;
        if (l->code == 109 && near(v, g->mat->first_layer_nozzle_temp) && !g->nozzle_wait) {
            g->nozzle_wait = l->lineno;
        }
        if (l->code == 190 && near(v, g->mat->first_layer_bed_temp) && !g->bed_wait) {
            g->bed_wait = l->lineno;
        }
    }
    if (l->letter == 0 && l->word_len == 11 && !memcmp(l->word, "PRINT_START", 11) &&
        !g->macro_start) {
        char args[256], want_b[64], want_e[64];
        snprintf(args, sizeof(args), "%.*s", (int)l->args_len, l->args);
        snprintf(want_b, sizeof(want_b), "BED=%g", g->mat->first_layer_bed_temp);
        snprintf(want_e, sizeof(want_e), "EXTRUDER=%g", g->mat->first_layer_nozzle_temp);
        if (strstr(args, want_b) && strstr(args, want_e)) {
            g->macro_start = l->lineno;
        }
    }
    /* Moves of the print itself (from ;LAYER:0 on) that go somewhere in
     * XY; a Z-only move first thing in layer 0 still sits wherever the
     * start G-code left the head (Prusa's purge at Y-3, off the sheet). */
    int xy = l->to.x != l->from.x || l->to.y != l->from.y;
    if (l->is_move && l->layer >= 0 && xy) {
        double p[2] = {l->to.x, l->to.y};
        for (int k = 0; k < 2; k++) {
            g->lo[k] = fmin(g->lo[k], p[k]);
            g->hi[k] = fmax(g->hi[k], p[k]);
        }
        g->zmax = fmax(g->zmax, l->to.z);
        g->moves++;
        if (l->extrudes && l->feature >= 0 && l->feature < 32) {
            g->features |= 1u << l->feature;
        }
    }
    return 0;
}

static void gcode_stats(const char *text, size_t len, const struct gcode_material *mat,
                        struct gstats *g)
{
    memset(g, 0, sizeof(*g));
    g->mat = mat;
    g->lo[0] = g->lo[1] = INFINITY;
    g->hi[0] = g->hi[1] = -INFINITY;
    struct dy_err err;
    assert_int_equal(gcode_reader_parse(text, len, on_line, g, &err), 0);
}

/* Temperatures set and waited for before anything is extruded, and every
 * printing move on the printer's bed. */
static void check_printable(const char *path, const struct gcode_printer *pr,
                            const struct gcode_material *mat, struct gstats *g)
{
    size_t len = 0;
    char *text = e2e_read_file(path, &len);
    assert_non_null(text);
    gcode_stats(text, len, mat, g);
    free(text);
    assert_true(g->first_extrude > 0);
    if (pr->flavor == GCODE_FLAVOR_KLIPPER) {
        if (!g->macro_start || g->macro_start > g->first_extrude) {
            fail_msg("%s: no PRINT_START BED= EXTRUDER= before line %lu", path,
                     g->first_extrude);
        }
    } else {
        if (!g->nozzle_wait || !g->bed_wait || g->nozzle_wait > g->first_extrude ||
            g->bed_wait > g->first_extrude) {
            fail_msg("%s: M109 at %lu, M190 at %lu, first extrusion at %lu", path,
                     g->nozzle_wait, g->bed_wait, g->first_extrude);
        }
    }
    const double tol = 1e-3;
    if (g->lo[0] < pr->origin_x_mm - tol || g->lo[1] < pr->origin_y_mm - tol ||
        g->hi[0] > pr->origin_x_mm + pr->bed_x_mm + tol ||
        g->hi[1] > pr->origin_y_mm + pr->bed_y_mm + tol || g->zmax > pr->max_z_mm + tol) {
        fail_msg("%s (%s): moves span x %.2f..%.2f y %.2f..%.2f z ..%.2f; bed %g x %g "
                 "from (%g, %g), max z %g", path, pr->id, g->lo[0], g->hi[0], g->lo[1],
                 g->hi[1], g->zmax, pr->bed_x_mm, pr->bed_y_mm, pr->origin_x_mm,
                 pr->origin_y_mm, pr->max_z_mm);
    }
}

static int b64(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Every "; thumbnail begin WxH LEN" block holds LEN bytes of base64 that
 * decode to a PNG of W x H. Returns the number of blocks; sizes in order
 * go to w[]/h[]. */
static int check_thumbnails(const char *text, int *w, int *h, int max)
{
    int n = 0;
    const char *p = text;
    while ((p = strstr(p, "; thumbnail begin "))) {
        int tw, th;
        size_t tlen;
        assert_int_equal(sscanf(p, "; thumbnail begin %dx%d %zu", &tw, &th, &tlen), 3);
        p = strchr(p, '\n') + 1;
        unsigned char *png = malloc(tlen); /* >= the decoded size */
        assert_non_null(png);
        size_t got = 0, chars = 0;
        unsigned acc = 0;
        int bits = 0;
        while (strncmp(p, "; thumbnail end", 15) != 0) {
            assert_true(p[0] == ';');
            const char *eol = strchr(p, '\n');
            assert_non_null(eol);
            for (const char *c = p + 1; c < eol; c++) {
                if (*c == '=') {
                    chars++; /* padding: counted, carries no bits */
                    continue;
                }
                int v = b64((unsigned char)*c);
                if (v < 0) {
                    continue;
                }
                chars++;
                acc = acc << 6 | (unsigned)v;
                bits += 6;
                if (bits >= 8) {
                    bits -= 8;
                    if (got < tlen) {
                        png[got] = (unsigned char)(acc >> bits & 255);
                    }
                    got++;
                }
            }
            p = eol + 1;
        }
        /* LEN counts the base64 characters (PrusaSlicer's convention). */
        assert_int_equal(chars, tlen);
        assert_true(got >= 24);
        assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
        assert_int_equal(be32(png + 16), tw);
        assert_int_equal(be32(png + 20), th);
        free(png);
        if (n < max) {
            w[n] = tw;
            h[n] = th;
        }
        n++;
    }
    return n;
}

static void png_dims(const char *path, uint32_t *w, uint32_t *h)
{
    size_t len = 0;
    unsigned char *b = (unsigned char *)e2e_read_file(path, &len);
    assert_non_null(b);
    assert_true(len > 33);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    *w = be32(b + 16);
    *h = be32(b + 20);
    free(b);
}

static void write_cube(const char *path, double size)
{
    struct mesh_tris m = {0};
    assert_int_equal(testmesh_cube(&m, size), 0);
    assert_int_equal(testmesh_write_stl(&m, path), 0);
    mesh_tris_fini(&m);
}

static void figurine(void **state)
{
    (void)state;
    char dir[4096], model[4200], out[4200], png[4200];
    assert_int_equal(e2e_fresh_dir(&ctx, "slice_figurine", dir, sizeof(dir)), 0);
    snprintf(model, sizeof(model), "%s/assets/models/fox-figurine.stl", ctx.src);
    snprintf(out, sizeof(out), "%s/fox.gcode", dir);
    snprintf(png, sizeof(png), "%s/fox.png", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"slice", model, "-o", out, "--height",
               "60", "--preview", png, NULL});
    assert_non_null(strstr(r.err, out));
    /* 60 mm at 0.2 mm cuts 300 layers; the ear tips' last cuts are specks
     * the slicer drops (src/slice: area < w^2 and outline < 4w), and the
     * empty layers they leave at the top are not written. */
    const char *lay = strstr(r.err, " layers");
    assert_non_null(lay);
    while (lay > r.err && lay[-1] >= '0' && lay[-1] <= '9')
        lay--;
    const int said_layers = atoi(lay);
    e2e_result_fini(&r);

    struct gcode_printer pr;
    struct gcode_material mat;
    load_profiles("generic-marlin", "pla", &pr, &mat);
    assert_int_equal((int)pr.bed_x_mm, 220);
    struct gstats g;
    check_printable(out, &pr, &mat, &g);
    /* 60 mm at 0.2 mm: at most 300 layers, all of them printing. */
    size_t len = 0;
    char *text = e2e_read_file(out, &len);
    assert_non_null(text);
    struct gcode_moves mv = {0};
    struct dy_err err;
    assert_int_equal(gcode_moves_read(text, len, &mv, &err), 0);
    assert_int_equal(mv.nlayers, said_layers);
    assert_true(mv.nlayers > 290 && mv.nlayers <= (int)ceil(60.0 / 0.2 - 1e-9));
    double zmax_extrude = 0;
    unsigned char *printed = calloc((size_t)mv.nlayers, 1);
    assert_non_null(printed);
    for (size_t i = 0; i < mv.n; i++) {
        if (mv.v[i].extrudes) {
            zmax_extrude = fmax(zmax_extrude, mv.v[i].to.z);
            if (mv.v[i].layer >= 0 && mv.v[i].layer < mv.nlayers)
                printed[mv.v[i].layer] = 1;
        }
    }
    for (int k = 0; k < mv.nlayers; k++) {
        if (!printed[k])
            fail_msg("layer %d of %d extrudes nothing", k, mv.nlayers);
    }
    free(printed);
    gcode_moves_fini(&mv);
    /* The last layers print the ear tips, less their last specks. */
    if (zmax_extrude < 59.0 || zmax_extrude > 60.01) {
        fail_msg("highest extrusion at z %.3f, want about 60", zmax_extrude);
    }
    /* Walls, sparse infill, and support under the fox's chin and tail. */
    unsigned need = 1u << SLICE_FEAT_WALL_OUTER | 1u << SLICE_FEAT_WALL_INNER |
                    1u << SLICE_FEAT_INFILL | 1u << SLICE_FEAT_SUPPORT;
    assert_int_equal(g.features & need, need);
    assert_non_null(strstr(text, ";TYPE:"));
    /* generic-marlin asks for no thumbnails ("thumbs = none"). */
    int tw[4], th[4];
    assert_int_equal(check_thumbnails(text, tw, th, 4), pr.nthumbs);
    free(text);
    uint32_t w, h;
    png_dims(png, &w, &h);
    assert_int_equal(w, 1600);
    assert_int_equal(h, 1000);
    char names[512];
    assert_int_equal(e2e_list_dir(dir, names, sizeof(names)), 2);
}

struct each_printer {
    char dir[4096];
    char cube[4200];
    int count;
};

static int slice_for_printer(void *user, const char *id, const char *path)
{
    struct each_printer *ep = user;
    struct gcode_printer pr;
    struct gcode_material mat;
    load_profiles(id, "petg", &pr, &mat);
    char out[4400];
    snprintf(out, sizeof(out), "%s/%s.gcode", ep->dir, id);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"slice", ep->cube, "-o", out,
               "--printer", id, "--material", "petg", "-q", NULL});
    e2e_result_fini(&r);
    struct gstats g;
    check_printable(out, &pr, &mat, &g);
    size_t len = 0;
    char *text = e2e_read_file(out, &len);
    assert_non_null(text);
    struct gcode_moves mv = {0};
    struct dy_err err;
    assert_int_equal(gcode_moves_read(text, len, &mv, &err), 0);
    assert_int_equal(mv.nlayers, 100);
    gcode_moves_fini(&mv);
    /* The thumbnails the printer's screen wants, in its sizes. */
    int tw[GCODE_THUMBS_MAX], th[GCODE_THUMBS_MAX];
    int nt = check_thumbnails(text, tw, th, GCODE_THUMBS_MAX);
    assert_int_equal(nt, pr.nthumbs);
    for (int i = 0; i < nt && i < GCODE_THUMBS_MAX; i++) {
        assert_int_equal(tw[i], pr.thumbs[i].w);
        assert_int_equal(th[i], pr.thumbs[i].h);
    }
    free(text);
    ep->count++;
    (void)path;
    return 0;
}

/* The defaults `daryn slice --help` documents are the ones used: 2 walls,
 * 4 top and 4 bottom solid layers, one skirt loop 6 mm from the part. */
static void documented_defaults(void **state)
{
    (void)state;
    char dir[4096], cube[4200], out[4200];
    assert_int_equal(e2e_fresh_dir(&ctx, "slice_defaults", dir, sizeof(dir)), 0);
    snprintf(cube, sizeof(cube), "%s/cube20.stl", dir);
    snprintf(out, sizeof(out), "%s/cube20.gcode", dir);
    write_cube(cube, 20);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"slice", "--help", NULL});
    assert_non_null(strstr(r.out, "--top N, --bottom N solid layers on top and bottom (default 4)"));
    assert_non_null(strstr(r.out, "--skirt-distance MM gap between skirt and model (default 6)"));
    e2e_result_fini(&r);
    run_expect(NULL, 0, &r, (const char *const[]){"slice", cube, "-o", out, "-q", NULL});
    e2e_result_fini(&r);
    size_t len = 0;
    char *text = e2e_read_file(out, &len);
    assert_non_null(text);
    struct gcode_moves mv = {0};
    struct dy_err err;
    assert_int_equal(gcode_moves_read(text, len, &mv, &err), 0);
    free(text);
    assert_int_equal(mv.nlayers, 100);
    unsigned char *bottom = calloc((size_t)mv.nlayers, 1), *top = calloc((size_t)mv.nlayers, 1);
    assert_non_null(bottom);
    assert_non_null(top);
    double skirt_lo = INFINITY, wall_lo = INFINITY;
    for (size_t i = 0; i < mv.n; i++) {
        const struct gcode_move *m = &mv.v[i];
        if (!m->extrudes || m->layer < 0 || m->layer >= mv.nlayers) {
            continue;
        }
        bottom[m->layer] |= m->feature == SLICE_FEAT_BOTTOM;
        top[m->layer] |= m->feature == SLICE_FEAT_TOP;
        if (m->layer == 0 && m->feature == SLICE_FEAT_SKIRT) {
            skirt_lo = fmin(skirt_lo, fmin(m->from.x, m->to.x));
        }
        if (m->layer == 0 && m->feature == SLICE_FEAT_WALL_OUTER) {
            wall_lo = fmin(wall_lo, fmin(m->from.x, m->to.x));
        }
    }
    gcode_moves_fini(&mv);
    int nb = 0, nt = 0;
    for (int k = 0; k < 100; k++) {
        nb += bottom[k];
        nt += top[k];
    }
    free(bottom);
    free(top);
    assert_int_equal(nb, 4);
    assert_int_equal(nt, 4);
    /* Centre lines: the 6 mm gap plus half a line on each side. */
    double gap = wall_lo - skirt_lo;
    if (fabs(gap - 6.4) > 0.15) {
        fail_msg("skirt centre line %.3f mm from the outer wall's, want 6.4", gap);
    }
}

/* Every profile `daryn printers` lists slices a 20 mm cube onto its bed. */
static void every_printer(void **state)
{
    (void)state;
    struct each_printer ep = {.count = 0};
    assert_int_equal(e2e_fresh_dir(&ctx, "slice_printers", ep.dir, sizeof(ep.dir)), 0);
    snprintf(ep.cube, sizeof(ep.cube), "%s/cube20.stl", ep.dir);
    write_cube(ep.cube, 20);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"printers", NULL});
    char *listing = strdup(r.out);
    e2e_result_fini(&r);
    char pdir[4200];
    snprintf(pdir, sizeof(pdir), "%s/gcode", ctx.src);
    struct dy_err err;
    assert_int_equal(gcode_profile_list(pdir, GCODE_PROFILE_PRINTER, slice_for_printer,
                                        &ep, &err), 0);
    assert_true(ep.count >= 7);
    /* `daryn printers` names each of them. */
    char *save = NULL;
    int listed = 0;
    for (char *line = strtok_r(listing, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char id[64];
        if (sscanf(line, " %63s", id) == 1) {
            char path[4400];
            snprintf(path, sizeof(path), "%s/%s.gcode", ep.dir, id);
            listed += e2e_exists(path);
        }
    }
    free(listing);
    assert_int_equal(listed, ep.count);
}

static void expect_refused(const char *dir, const char *model, const char *want1,
                           const char *want2)
{
    char out[4300];
    snprintf(out, sizeof(out), "%s/out.gcode", dir);
    struct e2e_result r;
    run_expect(NULL, 1, &r, (const char *const[]){"slice", model, "-o", out, "-q", NULL});
    const char *base = strrchr(model, '/') + 1;
    if (!strstr(r.err, base) || (want1 && !strstr(r.err, want1)) ||
        (want2 && !strstr(r.err, want2))) {
        e2e_dump(model, &r);
        fail_msg("message lacks %s / %s / %s", base, want1 ? want1 : "",
                 want2 ? want2 : "");
    }
    e2e_result_fini(&r);
    assert_false(e2e_exists(out));
    assert_int_equal(e2e_count_tmp(dir), 0);
}

static void bad_models(void **state)
{
    (void)state;
    char dir[4096], p[4300];
    assert_int_equal(e2e_fresh_dir(&ctx, "slice_bad", dir, sizeof(dir)), 0);
    /* Garbage: deterministic noise. */
    unsigned char noise[4000];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(noise); i++) {
        x = x * 1103515245u + 12345u;
        noise[i] = (unsigned char)(x >> 16);
    }
    snprintf(p, sizeof(p), "%s/noise.stl", dir);
    assert_int_equal(e2e_write_file(p, noise, sizeof(noise)), 0);
    expect_refused(dir, p, NULL, NULL);
    snprintf(p, sizeof(p), "%s/empty.stl", dir);
    assert_int_equal(e2e_write_file(p, "", 0), 0);
    expect_refused(dir, p, NULL, NULL);
    /* A cube with one NaN coordinate. */
    snprintf(p, sizeof(p), "%s/nan.stl", dir);
    struct mesh_tris m = {0};
    assert_int_equal(testmesh_cube(&m, 20), 0);
    assert_int_equal(testmesh_write_stl(&m, p), 0);
    mesh_tris_fini(&m);
    size_t len = 0;
    unsigned char *stl = (unsigned char *)e2e_read_file(p, &len);
    assert_non_null(stl);
    assert_int_equal(len, 84 + 12 * 50);
    float nan = NAN;
    memcpy(stl + 84 + 50 * 3 + 12 + 4, &nan, 4); /* triangle 3, vertex 0, y */
    assert_int_equal(e2e_write_file(p, stl, len), 0);
    free(stl);
    expect_refused(dir, p, NULL, NULL);
    /* Too big for the 220 x 220 x 250 bed: say how to make it fit. */
    snprintf(p, sizeof(p), "%s/big.stl", dir);
    write_cube(p, 300);
    expect_refused(dir, p, "--scale", "--fit");
    /* ... and --fit does. */
    char out[4300];
    snprintf(out, sizeof(out), "%s/fit.gcode", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"slice", p, "-o", out, "--fit", "-q",
               "--infill", "0", "--supports", "off", NULL});
    e2e_result_fini(&r);
    struct gcode_printer pr;
    struct gcode_material mat;
    load_profiles("generic-marlin", "pla", &pr, &mat);
    struct gstats g;
    check_printable(out, &pr, &mat, &g);
    assert_true(g.zmax > 200); /* scaled down to fit, not to nothing */
    /* The preview can't be written: exit 3 and no G-code either (a failed
     * run leaves nothing, even what was finished before the failure). */
    snprintf(p, sizeof(p), "%s/cube.stl", dir);
    write_cube(p, 20);
    snprintf(out, sizeof(out), "%s/cube.gcode", dir);
    char nopng[4300];
    snprintf(nopng, sizeof(nopng), "%s/no/such/folder/cube.png", dir);
    run_expect(NULL, 3, &r, (const char *const[]){"slice", p, "-o", out, "--preview", nopng,
               "-q", NULL});
    assert_non_null(strstr(r.err, "cube.png"));
    e2e_result_fini(&r);
    assert_false(e2e_exists(out));
    assert_int_equal(e2e_count_tmp(dir), 0);
    /* A model that isn't there. */
    snprintf(p, sizeof(p), "%s/missing.stl", dir);
    snprintf(out, sizeof(out), "%s/missing.gcode", dir);
    run_expect(NULL, 1, &r, (const char *const[]){"slice", p, "-o", out, NULL});
    assert_non_null(strstr(r.err, "missing.stl"));
    e2e_result_fini(&r);
    assert_false(e2e_exists(out));
}

/* The highest "slice: N%" progress line in text (plain, not a terminal,
 * mode prints one per 10 % step, at whatever N it has reached then). */
static int slice_percent(const char *text)
{
    int best = -1;
    for (const char *p = text ? strstr(text, "slice: ") : NULL; p;
         p = strstr(p + 1, "slice: ")) {
        int n;
        char pc;
        if (sscanf(p + 7, "%d%c", &n, &pc) == 2 && pc == '%' && n > best) {
            best = n;
        }
    }
    return best;
}

/* Mid-slice: past import and placement (10 %), into the slicing stages. */
static bool slicing(void *ud, const char *err_path)
{
    (void)ud;
    char *text = e2e_read_file(err_path, NULL);
    int pct = slice_percent(text);
    free(text);
    return pct >= 20;
}

/* Ctrl-C in the middle of slicing a 1M-triangle sphere. */
static void interrupt(void **state)
{
    (void)state;
    char dir[4096], model[4200], out[4200], png[4200];
    assert_int_equal(e2e_fresh_dir(&ctx, "slice_sigint", dir, sizeof(dir)), 0);
    char mdir[4200];
    snprintf(mdir, sizeof(mdir), "%s/model", dir);
    assert_int_equal(mkdir(mdir, 0777), 0);
    snprintf(model, sizeof(model), "%s/sphere1m.stl", mdir);
    struct mesh_tris m = {0};
    assert_int_equal(testmesh_sphere_ntris(&m, 40, 1000000), 0);
    assert_true(m.ntris >= 900000);
    testmesh_translate(&m, 0, 0, 40);
    assert_int_equal(testmesh_write_stl(&m, model), 0);
    mesh_tris_fini(&m);
    char odir[4200];
    snprintf(odir, sizeof(odir), "%s/out", dir);
    assert_int_equal(mkdir(odir, 0777), 0);
    snprintf(out, sizeof(out), "%s/sphere.gcode", odir);
    snprintf(png, sizeof(png), "%s/sphere.png", odir);
    struct e2e_opts o = {.sigint = true, .ready = slicing, .sigint_min_s = 0,
                         .timeout_s = 120};
    struct e2e_result r;
    run_expect(&o, 130, &r, (const char *const[]){"slice", model, "-o", out, "--preview",
               png, NULL});
    assert_true(r.interrupted);
    /* Promptly (a loaded CI machine is slow; finishing would be exit 0). */
    assert_true(r.after_int_s < 20.0);
    /* It was slicing, not still reading the file, and it said it stopped. */
    int pct = slice_percent(r.err);
    if (pct < 20 || pct >= 100) {
        fail_msg("interrupted at %d %%, want mid-slice", pct);
    }
    assert_non_null(strstr(r.err, "stopped"));
    e2e_result_fini(&r);
    char names[512];
    if (e2e_list_dir(odir, names, sizeof(names)) != 0) {
        fail_msg("left behind: %s", names);
    }
    e2e_rm_rf(mdir); /* 50 MB of sphere: not worth keeping in the build dir */
}

int main(int argc, char **argv)
{
    if (e2e_init(argc, argv, &ctx) < 0) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figurine),
        cmocka_unit_test(documented_defaults),
        cmocka_unit_test(every_printer),
        cmocka_unit_test(bad_models),
        cmocka_unit_test(interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
