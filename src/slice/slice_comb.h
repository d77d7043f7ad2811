/* slice_comb.h: combing, travel routes that stay inside an island
 * (PrusaSlicer's "avoid crossing perimeters", Cura's "combing"). Private
 * to src/slice: the planner (slice_plan.c) is its only user. */
#ifndef DARYN_SLICE_COMB_H
#define DARYN_SLICE_COMB_H

#include "daryn/slice.h"

/* A routed travel may be at most this many times the straight distance;
 * a longer detour is not worth it and the travel goes straight (with a
 * retraction) instead. */
#define SLICE_COMB_MAX_DETOUR 3.0

/* Per-island routing state, built on the first travel that needs it.
 * Zero-initialised = not built; free with slice_comb_fini. */
struct slice_comb {
    struct poly_set bound; /* the island offset inward by line_w (between
                              the outer wall's centre line and the next
                              wall), simplified: routes follow its rings */
    int built;
};

void slice_comb_fini(struct slice_comb *c);

/* Routes a travel from `a` to `b`, both in island `iw`, along the comb
 * boundary: returns 1 and sets *via (malloc'd, caller frees; NULL when
 * nvia = 0) to the waypoints between a and b and *len_um to the whole
 * route's length, when a route exists on which no segment crosses the
 * island's outline or outer wall and which is at most SLICE_COMB_MAX_DETOUR
 * times |ab| long. Returns 0 (nothing allocated) when there is no such
 * route, or DY_ENOMEM / DY_EEXTERNAL. */
int slice_comb_route(struct slice_comb *c, const struct slice_island_walls *iw,
                     int32_t line_w_um, struct slice_pt a, struct slice_pt b,
                     struct slice_pt **via, size_t *nvia, double *len_um);

#endif
