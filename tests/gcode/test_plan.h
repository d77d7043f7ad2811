/* test_plan.h: slice plans built by hand for the gcode and preview tests
 * (header-only). The slicer is a colleague's module, so plans are freed
 * here with test_plan_free, not slice_plan_fini. */
#ifndef DARYN_TEST_PLAN_H
#define DARYN_TEST_PLAN_H

#include <stdlib.h>
#include <string.h>

#include "daryn/slice_plan.h"

static inline struct slice_plan_layer *test_plan_layer(struct slice_plan *p,
                                                       int32_t z_um,
                                                       int32_t h_um)
{
    if (p->nlayers == p->layers_cap) {
        p->layers_cap = p->layers_cap ? p->layers_cap * 2 : 8;
        p->layers = realloc(p->layers, p->layers_cap * sizeof(*p->layers));
        if (!p->layers) {
            abort(); /* test code: out of memory ends the test */
        }
    }
    struct slice_plan_layer *l = &p->layers[p->nlayers++];
    memset(l, 0, sizeof(*l));
    l->z_um = z_um;
    l->height_um = h_um;
    if (z_um > p->max_z) {
        p->max_z = z_um;
    }
    return l;
}

/* Adds a path with `n` points given as x0, y0, x1, y1, ... in microns. */
static inline struct slice_path *test_plan_path(struct slice_plan *p,
                                                struct slice_plan_layer *l,
                                                enum slice_feature f,
                                                int closed, int retract,
                                                int32_t width_um,
                                                const int32_t *xy, size_t n)
{
    if (l->npaths == l->paths_cap) {
        l->paths_cap = l->paths_cap ? l->paths_cap * 2 : 8;
        l->paths = realloc(l->paths, l->paths_cap * sizeof(*l->paths));
        if (!l->paths) {
            abort();
        }
    }
    struct slice_path *path = &l->paths[l->npaths++];
    memset(path, 0, sizeof(*path));
    path->feature = f;
    path->closed = closed;
    path->retract_before = retract;
    path->width_um = width_um;
    path->pts = calloc(n ? n : 1, sizeof(*path->pts));
    if (!path->pts) {
        abort();
    }
    path->n = n;
    for (size_t i = 0; i < n; i++) {
        int32_t x = xy[2 * i], y = xy[2 * i + 1];
        path->pts[i].x = x;
        path->pts[i].y = y;
        int first = p->min_x == 0 && p->max_x == 0 && p->min_y == 0 &&
                    p->max_y == 0;
        if (first || x < p->min_x) p->min_x = x;
        if (first || y < p->min_y) p->min_y = y;
        if (first || x > p->max_x) p->max_x = x;
        if (first || y > p->max_y) p->max_y = y;
    }
    return path;
}

/* Gives a path `n` travel waypoints, x0, y0, x1, y1, ... in microns. */
static inline void test_plan_via(struct slice_path *path, const int32_t *xy,
                                 size_t n)
{
    free(path->via);
    path->via = calloc(n ? n : 1, sizeof(*path->via));
    if (!path->via) {
        abort();
    }
    path->nvia = n;
    for (size_t i = 0; i < n; i++) {
        path->via[i].x = xy[2 * i];
        path->via[i].y = xy[2 * i + 1];
    }
}

static inline void test_plan_free(struct slice_plan *p)
{
    for (size_t i = 0; i < p->nlayers; i++) {
        for (size_t j = 0; j < p->layers[i].npaths; j++) {
            free(p->layers[i].paths[j].pts);
            free(p->layers[i].paths[j].via);
        }
        free(p->layers[i].paths);
    }
    free(p->layers);
    memset(p, 0, sizeof(*p));
}

/* A 20 mm cube-ish print centred at (cx, cy) um: per layer a skirt on
 * layer 0, an outer and an inner wall loop, and zig-zag infill lines (top
 * skin on the last 2 layers, bottom on the first 2). */
static inline void test_plan_cube(struct slice_plan *p, int32_t cx, int32_t cy,
                                  int nlayers)
{
    const int32_t half = 10000, w = 450;
    for (int i = 0; i < nlayers; i++) {
        int32_t h = i == 0 ? 200 : 200;
        struct slice_plan_layer *l = test_plan_layer(p, 200 + 200 * i, h);
        if (i == 0) {
            int32_t s = half + 3000;
            int32_t sk[] = {cx - s, cy - s, cx + s, cy - s, cx + s, cy + s,
                            cx - s, cy + s};
            test_plan_path(p, l, SLICE_FEAT_SKIRT, 1, 1, w, sk, 4);
        }
        int32_t o = half - w / 2;
        int32_t outer[] = {cx - o, cy - o, cx + o, cy - o, cx + o, cy + o,
                           cx - o, cy + o};
        test_plan_path(p, l, SLICE_FEAT_WALL_OUTER, 1, 1, w, outer, 4);
        int32_t in = o - w;
        int32_t inner[] = {cx - in, cy - in, cx + in, cy - in, cx + in,
                           cy + in, cx - in, cy + in};
        test_plan_path(p, l, SLICE_FEAT_WALL_INNER, 1, 0, w, inner, 4);
        enum slice_feature f = i < 2 ? SLICE_FEAT_BOTTOM
                               : i >= nlayers - 2 ? SLICE_FEAT_TOP
                                                  : SLICE_FEAT_INFILL;
        int32_t step = f == SLICE_FEAT_INFILL ? 2000 : w;
        int32_t lim = in - w;
        int32_t zz[2 * 200];
        size_t n = 0;
        for (int32_t y = cy - lim; y <= cy + lim && n + 2 <= 200; y += step) {
            int even = (n / 2) % 2 == 0;
            zz[2 * n] = even ? cx - lim : cx + lim;
            zz[2 * n + 1] = y;
            n++;
            zz[2 * n] = even ? cx + lim : cx - lim;
            zz[2 * n + 1] = y;
            n++;
        }
        test_plan_path(p, l, f, 0, 0, w, zz, n);
    }
}

#endif
