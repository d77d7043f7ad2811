/* polyops_bench.c: measures the slicer's polygon operations on real
 * slices, Clipper (poly.h) against GEOS (C API), and the first stages of
 * the slicer on a ~1M-triangle sphere. Not a test (timing belongs to a
 * bench): built next to the tests, never registered with ctest.
 *
 *   polyops_bench [ntris]       (default 1000000): everything
 *   polyops_bench ntris run     only slice_run on the sphere (for RSS)
 *
 * Prints one line per measurement; docs/polygon-library.md records them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <geos_c.h>

#include "daryn/slice.h"
#include "testmesh.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static GEOSGeometry *ring_to_geos(GEOSContextHandle_t h, const struct poly_ring *r)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)r->n + 1, 2);
    for (size_t i = 0; i <= r->n; i++) {
        const struct slice_pt *p = &r->pts[i % r->n];
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, p->x, p->y);
    }
    return GEOSGeom_createLinearRing_r(h, cs);
}

/* Islands -> MultiPolygon (outer + holes each). */
static GEOSGeometry *set_to_geos(GEOSContextHandle_t h, const struct poly_set *s)
{
    struct poly_islands is = {0};
    if (poly_split_islands(s, &is))
        return NULL;
    GEOSGeometry **polys = calloc(is.n + 1, sizeof(*polys));
    for (size_t i = 0; i < is.n; i++) {
        const struct poly_set *r = &is.v[i].rings;
        GEOSGeometry **holes = calloc(r->n, sizeof(*holes));
        for (size_t k = 1; k < r->n; k++)
            holes[k - 1] = ring_to_geos(h, &r->rings[k]);
        polys[i] = GEOSGeom_createPolygon_r(h, ring_to_geos(h, &r->rings[0]), holes,
                                            (unsigned)(r->n - 1));
        free(holes);
    }
    GEOSGeometry *g = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)is.n);
    free(polys);
    poly_islands_fini(&is);
    return g;
}

static void translate(const struct poly_set *in, int32_t dx, struct poly_set *out)
{
    poly_set_copy(out, in);
    for (size_t i = 0; i < out->n; i++)
        for (size_t k = 0; k < out->rings[i].n; k++)
            out->rings[i].pts[k].x += dx;
}

static size_t set_points(const struct poly_set *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->rings[i].n;
    return n;
}

/* Offset -0.4 mm, union with a copy 3 mm over (two overlapping shells),
 * difference with the -0.8 mm offset (a wall ring): both libraries, every
 * layer; prints time, failures and how far the areas differ. */
static void bench_ops(const char *name, const struct slice_layers *l)
{
    GEOSContextHandle_t h = GEOS_init_r();
    double t_c[3] = {0}, t_g[3] = {0}, maxrel[3] = {0}, t0;
    int fail_c[3] = {0}, fail_g[3] = {0}, invalid_in = 0;
    size_t pts = 0;
    for (size_t k = 0; k < l->n; k++) {
        const struct poly_set *s = &l->v[k].polys;
        if (s->n == 0)
            continue;
        pts += set_points(s);
        struct poly_set moved = {0}, inner = {0}, oc[3] = {{0}};
        translate(s, 3000, &moved);
        GEOSGeometry *gs = set_to_geos(h, s), *gm = set_to_geos(h, &moved);
        invalid_in += GEOSisValid_r(h, gs) != 1;

        t0 = now_ms();
        fail_c[0] += poly_offset(s, -400, POLY_JOIN_MITER, &oc[0]) != 0;
        t_c[0] += now_ms() - t0;
        t0 = now_ms();
        fail_c[1] += poly_union(s, &moved, &oc[1]) != 0;
        t_c[1] += now_ms() - t0;
        t0 = now_ms();
        poly_offset(s, -800, POLY_JOIN_MITER, &inner);
        fail_c[2] += poly_difference(s, &inner, &oc[2]) != 0;
        t_c[2] += now_ms() - t0;

        GEOSGeometry *og[3];
        t0 = now_ms();
        og[0] = GEOSBufferWithStyle_r(h, gs, -400, 8, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 2.0);
        t_g[0] += now_ms() - t0;
        t0 = now_ms();
        og[1] = GEOSUnion_r(h, gs, gm);
        t_g[1] += now_ms() - t0;
        t0 = now_ms();
        GEOSGeometry *gi = GEOSBufferWithStyle_r(h, gs, -800, 8, GEOSBUF_CAP_FLAT,
                                                 GEOSBUF_JOIN_MITRE, 2.0);
        og[2] = gi ? GEOSDifference_r(h, gs, gi) : NULL;
        t_g[2] += now_ms() - t0;
        for (int o = 0; o < 3; o++) {
            double ag = 0;
            if (!og[o] || !GEOSArea_r(h, og[o], &ag)) {
                fail_g[o]++;
                continue;
            }
            double ac = poly_set_area(&oc[o]);
            double rel = fabs(ac - ag) / (ag > 0 ? ag : 1);
            maxrel[o] = rel > maxrel[o] ? rel : maxrel[o];
            GEOSGeom_destroy_r(h, og[o]);
        }
        if (gi)
            GEOSGeom_destroy_r(h, gi);
        GEOSGeom_destroy_r(h, gs);
        GEOSGeom_destroy_r(h, gm);
        for (int o = 0; o < 3; o++)
            poly_set_fini(&oc[o]);
        poly_set_fini(&inner);
        poly_set_fini(&moved);
    }
    static const char *ops[3] = {"offset -0.4", "union shells", "difference"};
    printf("%s: %zu layers, %zu points, %d layers invalid for GEOS\n", name, l->n, pts,
           invalid_in);
    for (int o = 0; o < 3; o++)
        printf("  %-13s clipper %8.1f ms (%d failed)  geos %8.1f ms (%d failed)  "
               "area diff max %.2e\n",
               ops[o], t_c[o], fail_c[o], t_g[o], fail_g[o], maxrel[o]);
    GEOS_finish_r(h);
}

/* A self-overlapping input: each layer's raw rings plus the same rings
 * shifted 1 mm, as one unnormalised set (what a dirty multi-shell mesh
 * gives). Clipper unions it by the non-zero rule; GEOS needs valid input,
 * so an invalid MultiPolygon must go through GEOSMakeValid or
 * GEOSUnaryUnion first. */
static void bench_dirty(const char *name, const struct slice_layers *l)
{
    GEOSContextHandle_t h = GEOS_init_r();
    int c_fail = 0, g_invalid = 0, g_fail = 0;
    double tc = 0, tg = 0, maxrel = 0;
    for (size_t k = 0; k < l->n; k++) {
        const struct poly_set *s = &l->v[k].polys;
        if (s->n == 0)
            continue;
        struct poly_set moved = {0}, both = {0}, out = {0};
        translate(s, 1000, &moved);
        poly_set_copy(&both, s);
        for (size_t i = 0; i < moved.n; i++)
            poly_set_add_ring(&both, moved.rings[i].pts, moved.rings[i].n);
        double t0 = now_ms();
        c_fail += poly_normalize(&both, &out) != 0;
        tc += now_ms() - t0;
        /* GEOS: each ring set as its own polygons in one collection. */
        GEOSGeometry *a = set_to_geos(h, s), *b = set_to_geos(h, &moved);
        int na = GEOSGetNumGeometries_r(h, a), nb = GEOSGetNumGeometries_r(h, b);
        GEOSGeometry **parts = calloc((size_t)(na + nb), sizeof(*parts));
        for (int i = 0; i < na; i++)
            parts[i] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, a, i));
        for (int i = 0; i < nb; i++)
            parts[na + i] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, b, i));
        GEOSGeometry *mp = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts,
                                                       (unsigned)(na + nb));
        free(parts);
        g_invalid += GEOSisValid_r(h, mp) != 1;
        t0 = now_ms();
        GEOSGeometry *u = GEOSUnaryUnion_r(h, mp);
        tg += now_ms() - t0;
        double ag = 0;
        if (!u || !GEOSArea_r(h, u, &ag)) {
            g_fail++;
        } else {
            double rel = fabs(poly_set_area(&out) - ag) / ag;
            maxrel = rel > maxrel ? rel : maxrel;
        }
        if (u)
            GEOSGeom_destroy_r(h, u);
        GEOSGeom_destroy_r(h, mp);
        GEOSGeom_destroy_r(h, a);
        GEOSGeom_destroy_r(h, b);
        poly_set_fini(&out);
        poly_set_fini(&both);
        poly_set_fini(&moved);
    }
    printf("%s dirty union: clipper %.1f ms (%d failed)  geos unary union %.1f ms "
           "(%d failed, %d inputs invalid)  area diff max %.2e\n",
           name, tc, c_fail, tg, g_fail, g_invalid, maxrel);
    GEOS_finish_r(h);
}

static void time_stages(const char *name, const struct mesh_tris *m, int threads,
                        int simplify_um, struct slice_layers *keep)
{
    struct dy_err err = {0};
    struct slice_layers l = {0};
    struct slice_islands is = {0};
    struct slice_walls w = {0};
    const struct slice_layers_params lp = {200, 200, 2000, simplify_um, threads};
    const struct slice_walls_params wp = {400, 2, threads};
    double t0 = now_ms();
    if (slice_layers_build(m, &lp, NULL, &l, &err))
        goto fail;
    double t1 = now_ms();
    if (slice_islands_build(&l, NULL, &is, &err))
        goto fail;
    double t2 = now_ms();
    if (slice_walls_build(&is, &wp, NULL, &w, &err))
        goto fail;
    double t3 = now_ms();
    printf("%s: %zu tris, %d thread(s), simplify %d um: layers %.0f ms, islands %.0f ms, "
           "walls %.0f ms, total %.0f ms (%zu layers, %zu points in layer %zu)\n",
           name, m->ntris, threads, simplify_um, t1 - t0, t2 - t1, t3 - t2, t3 - t0, l.n,
           set_points(&l.v[l.n / 2].polys), l.n / 2);
    if (keep) {
        *keep = l;
        l = (struct slice_layers){0};
    }
fail:
    if (err.code)
        fprintf(stderr, "%s: %s: %s\n", name, err.where, err.msg);
    slice_walls_fini(&w);
    slice_islands_fini(&is);
    slice_layers_fini(&l);
}

struct stage_clock {
    double start[SLICE_STAGE_COUNT + 1];
};

static void on_progress(void *user, enum slice_stage st, double f)
{
    struct stage_clock *c = user;
    if (c->start[st] == 0)
        c->start[st] = now_ms();
    (void)f;
}

/* The whole slicer with default settings; per-stage times from the first
 * progress report of each stage. */
static void time_run(const struct mesh_tris *m)
{
    struct slice_params p = slice_params_default();
    struct stage_clock c = {{0}};
    struct slice_ctl ctl = {.progress = on_progress, .user = &c};
    struct slice_plan plan = {0};
    struct dy_err err = {0};
    double t0 = now_ms();
    if (slice_run(m, &p, &ctl, &plan, &err)) {
        fprintf(stderr, "slice_run: %s: %s\n", err.where, err.msg);
        return;
    }
    double t1 = now_ms();
    size_t paths = 0, pts = 0;
    for (size_t k = 0; k < plan.nlayers; k++) {
        paths += plan.layers[k].npaths;
        for (size_t i = 0; i < plan.layers[k].npaths; i++)
            pts += plan.layers[k].paths[i].n;
    }
    printf("slice_run (defaults: 2 walls, grid 20%%, 4 top/3 bottom, skirt): %.0f ms, "
           "%zu layers, %zu paths, %zu points\n", t1 - t0, plan.nlayers, paths, pts);
    c.start[SLICE_STAGE_COUNT] = t1;
    double prev = t0;
    for (int s = 0; s < SLICE_STAGE_COUNT; s++) {
        double next = t1;
        for (int q = s + 1; q <= SLICE_STAGE_COUNT; q++)
            if (c.start[q] > 0) {
                next = c.start[q];
                break;
            }
        if (c.start[s] > 0) {
            printf("  %-9s %6.0f ms  (%.2f)\n", slice_stage_name((enum slice_stage)s),
                   next - prev, (next - prev) / (t1 - t0));
            prev = next;
        }
    }
    slice_plan_fini(&plan);
}

int main(int argc, char **argv)
{
    size_t ntris = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    struct mesh_tris sphere = {0}, fig = {0};
    struct slice_layers ls = {0}, lf = {0};
    double t0 = now_ms();
    if (testmesh_sphere_ntris(&sphere, 10, ntris) || testmesh_figurine(&fig))
        return 1;
    testmesh_translate(&sphere, 100, 100, 10);
    printf("meshes built in %.0f ms\n", now_ms() - t0);
    if (argc > 2) {
        time_run(&sphere);
        mesh_tris_fini(&sphere);
        mesh_tris_fini(&fig);
        return 0;
    }
    time_stages("sphere", &sphere, 1, 0, NULL);
    time_stages("sphere", &sphere, 2, 0, NULL);
    time_stages("sphere", &sphere, 2, 5, &ls);
    time_stages("figurine", &fig, 2, 0, &lf);
    time_run(&sphere);
    bench_ops("sphere", &ls);
    bench_ops("figurine", &lf);
    bench_dirty("sphere", &ls);
    bench_dirty("figurine", &lf);
    slice_layers_fini(&ls);
    slice_layers_fini(&lf);
    mesh_tris_fini(&sphere);
    mesh_tris_fini(&fig);
    return 0;
}
