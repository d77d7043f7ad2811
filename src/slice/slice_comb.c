/* slice_comb.c: travel routes inside an island (combing).
 *
 * A straight travel across a hole or a concave notch (a C shape, the gap
 * between a figurine's arm and body) crosses the outer wall twice: ooze
 * strings across the gap and the nozzle scars the surface. As PrusaSlicer's
 * AvoidCrossingPerimeters does, such a travel is routed along a boundary
 * inside the part: the island offset inward by one line width, which lies
 * between the outer wall's centre line (w/2 in) and the next wall's (3w/2).
 *
 * The route: both ends are first brought onto the boundary when they lie
 * outside it (a seam on the outer wall does). The segment between them is
 * cut where it meets the boundary; each piece that runs outside the
 * boundary (through the notch or the hole) is replaced by a walk along the
 * ring it left through, from where it left to where it came back, in the
 * shorter direction. The waypoints are then pulled tight (a waypoint is
 * dropped while the segment that skips it stays inside the boundary), and
 * the whole route is checked against the island's outline and outer wall:
 * anything that would still cross them is no route. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slice_comb.h"
#include "slice_internal.h"

/* Crossings closer than this along the travel (um) are the same place (a
 * travel through a ring vertex meets both of its edges). */
#define COMB_SAME_UM 2.0

struct hit {
    double t;            /* position along the travel, 0..1 */
    size_t ring, edge;   /* edge = ring->pts[edge] .. pts[edge + 1] */
    struct slice_pt p;
};

struct route {
    struct slice_pt *v;
    size_t n, cap;
};

void slice_comb_fini(struct slice_comb *c)
{
    poly_set_fini(&c->bound);
    c->built = 0;
}

/* Doubles are exact here: coordinates differ by far less than 2^26. */
static double orient(struct slice_pt a, struct slice_pt b, struct slice_pt c)
{
    return ((double)b.x - a.x) * ((double)c.y - a.y) - ((double)b.y - a.y) * ((double)c.x - a.x);
}

static double dist(struct slice_pt a, struct slice_pt b)
{
    return hypot((double)a.x - b.x, (double)a.y - b.y);
}

static int route_push(struct route *r, struct slice_pt p)
{
    if (r->n && r->v[r->n - 1].x == p.x && r->v[r->n - 1].y == p.y)
        return 0;
    if (slice_grow((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v)))
        return DY_ENOMEM;
    r->v[r->n++] = p;
    return 0;
}

static int comb_build(struct slice_comb *c, const struct slice_island_walls *iw, int32_t w)
{
    if (c->built)
        return 0;
    struct poly_set off = {0};
    int rc = poly_offset_normalized(&iw->outline, -(double)w, POLY_JOIN_MITER, &off);
    /* Fewer vertices make every test below cheaper; an eighth of a line
     * moves the boundary by nothing that matters. */
    if (rc == 0)
        rc = poly_simplify(&off, w / 8.0, &c->bound);
    poly_set_fini(&off);
    c->built = rc == 0;
    return rc;
}

/* The point of the boundary nearest p (which ring, which edge). */
static int nearest_on(const struct poly_set *s, struct slice_pt p, struct hit *h)
{
    double best = INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        const struct poly_ring *r = &s->rings[i];
        for (size_t j = 0; j < r->n; j++) {
            const struct slice_pt c = r->pts[j], d = r->pts[(j + 1) % r->n];
            double dx = (double)d.x - c.x, dy = (double)d.y - c.y, l2 = dx * dx + dy * dy;
            double u = l2 > 0 ? (((double)p.x - c.x) * dx + ((double)p.y - c.y) * dy) / l2 : 0;
            u = u < 0 ? 0 : u > 1 ? 1 : u;
            double qx = c.x + u * dx, qy = c.y + u * dy;
            double e = (qx - p.x) * (qx - p.x) + (qy - p.y) * (qy - p.y);
            if (e < best) {
                best = e;
                h->ring = i;
                h->edge = j;
                h->p = (struct slice_pt){(int32_t)lround(qx), (int32_t)lround(qy)};
            }
        }
    }
    return best < INFINITY;
}

/* Every place segment ab meets a boundary edge (touching included, running
 * along an edge not), appended to *hits. */
static int find_hits(const struct poly_set *s, struct slice_pt a, struct slice_pt b,
                     struct hit **hits, size_t *n, size_t *cap)
{
    const int32_t lox = a.x < b.x ? a.x : b.x, hix = a.x < b.x ? b.x : a.x;
    const int32_t loy = a.y < b.y ? a.y : b.y, hiy = a.y < b.y ? b.y : a.y;
    for (size_t i = 0; i < s->n; i++) {
        const struct poly_ring *r = &s->rings[i];
        for (size_t j = 0; j < r->n; j++) {
            const struct slice_pt c = r->pts[j], d = r->pts[(j + 1) % r->n];
            if ((c.x < lox && d.x < lox) || (c.x > hix && d.x > hix) ||
                (c.y < loy && d.y < loy) || (c.y > hiy && d.y > hiy))
                continue;
            const double o1 = orient(a, b, c), o2 = orient(a, b, d);
            if ((o1 > 0 && o2 > 0) || (o1 < 0 && o2 < 0) || (o1 == 0 && o2 == 0))
                continue;
            const double o3 = orient(c, d, a), o4 = orient(c, d, b);
            if ((o3 > 0 && o4 > 0) || (o3 < 0 && o4 < 0) || o3 == o4)
                continue;
            double t = o3 / (o3 - o4);
            if (slice_grow((void **)hits, cap, *n + 1, sizeof(**hits)))
                return DY_ENOMEM;
            (*hits)[(*n)++] = (struct hit){
                t, i, j,
                {(int32_t)lround(a.x + t * ((double)b.x - a.x)),
                 (int32_t)lround(a.y + t * ((double)b.y - a.y))}};
        }
    }
    return 0;
}

static int hit_cmp(const void *pa, const void *pb)
{
    const struct hit *a = pa, *b = pb;
    return (a->t > b->t) - (a->t < b->t);
}

/* Length of the walk along ring r from h1 to h2, forward (dir = 1, the
 * ring's order) or backward; *count = ring vertices passed. */
static double walk_len(const struct poly_ring *r, const struct hit *h1, const struct hit *h2,
                       int dir, size_t *count)
{
    const size_t n = r->n, e1 = h1->edge, e2 = h2->edge;
    size_t k;
    if (e1 == e2) {
        /* On one edge: the direct way, or all the way round. */
        int ahead = dist(r->pts[e1], h2->p) >= dist(r->pts[e1], h1->p);
        k = ahead == (dir > 0) ? 0 : n;
    } else {
        k = dir > 0 ? (e2 + n - e1) % n : (e1 + n - e2) % n;
    }
    *count = k;
    if (k == 0)
        return dist(h1->p, h2->p);
    size_t v = dir > 0 ? (e1 + 1) % n : e1;
    double len = dist(h1->p, r->pts[v]);
    for (size_t q = 1; q < k; q++) {
        size_t nv = dir > 0 ? (v + 1) % n : (v + n - 1) % n;
        len += dist(r->pts[v], r->pts[nv]);
        v = nv;
    }
    return len + dist(r->pts[v], h2->p);
}

static int walk_push(struct route *rt, const struct poly_ring *r, const struct hit *h1,
                     const struct hit *h2)
{
    size_t kf, kb;
    double lf = walk_len(r, h1, h2, 1, &kf), lb = walk_len(r, h1, h2, -1, &kb);
    int dir = lf <= lb ? 1 : -1;
    size_t k = dir > 0 ? kf : kb, n = r->n;
    size_t v = dir > 0 ? (h1->edge + 1) % n : h1->edge;
    int rc = route_push(rt, h1->p);
    for (size_t q = 0; rc == 0 && q < k; q++) {
        rc = route_push(rt, r->pts[v]);
        v = dir > 0 ? (v + 1) % n : (v + n - 1) % n;
    }
    return rc ? rc : route_push(rt, h2->p);
}

/* 1 when segment pq stays inside the boundary. Both ends are on it or
 * inside, so no proper crossing plus an inside midpoint means inside. */
static int visible(const struct poly_set *s, struct slice_pt p, struct slice_pt q)
{
    if (poly_segment_crosses(s, p, q))
        return 0;
    int32_t mx = (int32_t)(((int64_t)p.x + q.x) / 2), my = (int32_t)(((int64_t)p.y + q.y) / 2);
    return poly_contains(s, mx, my);
}

/* A place where the travel meets the boundary: hits [first, end) of the
 * sorted list, all within COMB_SAME_UM of each other; or an end of the
 * travel that meets nothing (first == end). */
struct stop {
    double t;
    size_t first, end;
};

/* Walks the pieces of AB that leave the boundary (hits sorted by t, with
 * the ends' snap points at t = 0 and 1 when they were snapped). Returns 1
 * when every outside piece could be walked, 0 when not, or DY_ENOMEM. */
static int walk_outside(const struct poly_set *s, struct slice_pt A, struct slice_pt B,
                        const struct hit *h, size_t nh, struct route *rt)
{
    const double len = dist(A, B);
    struct stop *st = malloc((nh + 2) * sizeof(*st));
    if (!st)
        return DY_ENOMEM;
    size_t ns = 0;
    if (nh == 0 || h[0].t * len >= COMB_SAME_UM)
        st[ns++] = (struct stop){0, 0, 0};
    for (size_t i = 0; i < nh;) {
        size_t j = i + 1;
        while (j < nh && (h[j].t - h[i].t) * len < COMB_SAME_UM)
            j++;
        st[ns++] = (struct stop){h[i].t, i, j};
        i = j;
    }
    if ((1 - st[ns - 1].t) * len >= COMB_SAME_UM)
        st[ns++] = (struct stop){1, nh, nh};
    int ok = 1;
    for (size_t k = 0; ok == 1 && k + 1 < ns; k++) {
        const struct stop *p = &st[k], *q = &st[k + 1];
        double tm = (p->t + q->t) / 2;
        if ((q->t - p->t) * len < COMB_SAME_UM ||
            poly_contains(s, (int32_t)lround(A.x + tm * ((double)B.x - A.x)),
                          (int32_t)lround(A.y + tm * ((double)B.y - A.y))))
            continue;
        /* Outside: it left through one ring and must come back through
         * the same one (the outer ring, or the hole it crossed). */
        const struct hit *out = NULL, *in = NULL;
        for (size_t i = p->first; i < p->end && !out; i++)
            for (size_t j = q->first; j < q->end && !out; j++)
                if (h[i].ring == h[j].ring) {
                    out = &h[i];
                    in = &h[j];
                }
        if (!out)
            ok = 0;
        else if (walk_push(rt, &s->rings[out->ring], out, in))
            ok = DY_ENOMEM;
    }
    free(st);
    return ok;
}

int slice_comb_route(struct slice_comb *c, const struct slice_island_walls *iw,
                     int32_t line_w_um, struct slice_pt a, struct slice_pt b,
                     struct slice_pt **via, size_t *nvia, double *len_um)
{
    *via = NULL;
    *nvia = 0;
    int rc = comb_build(c, iw, line_w_um);
    if (rc)
        return rc;
    const struct poly_set *s = &c->bound;
    if (s->n == 0)
        return 0;
    struct hit *h = NULL;
    size_t nh = 0, cap = 0;
    struct route rt = {0}, out = {0};
    struct hit ha, hb;
    int a_in = poly_contains(s, a.x, a.y), b_in = poly_contains(s, b.x, b.y);
    if ((!a_in && !nearest_on(s, a, &ha)) || (!b_in && !nearest_on(s, b, &hb)))
        goto none;
    struct slice_pt A = a_in ? a : ha.p, B = b_in ? b : hb.p;
    if (!a_in) {
        ha.t = 0;
        rc = slice_grow((void **)&h, &cap, nh + 1, sizeof(*h));
        if (rc)
            goto fail;
        h[nh++] = ha;
    }
    if (!b_in) {
        hb.t = 1;
        rc = slice_grow((void **)&h, &cap, nh + 1, sizeof(*h));
        if (rc)
            goto fail;
        h[nh++] = hb;
    }
    rc = find_hits(s, A, B, &h, &nh, &cap);
    if (rc)
        goto fail;
    if (nh > 1) /* h is NULL when the travel meets nothing (UBSan) */
        qsort(h, nh, sizeof(*h), hit_cmp);
    rc = route_push(&rt, A);
    if (rc)
        goto fail;
    rc = walk_outside(s, A, B, h, nh, &rt);
    if (rc < 0)
        goto fail;
    if (rc == 0)
        goto none;
    rc = route_push(&rt, B);
    if (rc)
        goto fail;
    /* Pull the route tight: from each kept point, skip ahead while the
     * shortcut stays inside. */
    rc = route_push(&out, a);
    for (size_t cur = 0; rc == 0 && cur < rt.n;) {
        rc = route_push(&out, rt.v[cur]);
        size_t next = cur + 1;
        for (size_t k = cur + 2; k < rt.n && visible(s, rt.v[cur], rt.v[k]); k++)
            next = k;
        cur = next;
    }
    if (rc == 0)
        rc = route_push(&out, b);
    if (rc)
        goto fail;
    /* The end: nothing may cross the part's surface, and the detour must
     * be worth it. */
    double len = 0;
    for (size_t i = 1; i < out.n; i++) {
        if (poly_segment_crosses(&iw->outline, out.v[i - 1], out.v[i]) ||
            (iw->nloops > 0 && poly_segment_crosses(&iw->loops[0], out.v[i - 1], out.v[i])))
            goto none;
        len += dist(out.v[i - 1], out.v[i]);
    }
    if (out.n < 2 || len > SLICE_COMB_MAX_DETOUR * dist(a, b))
        goto none;
    free(h);
    free(rt.v);
    *len_um = len;
    if (out.n == 2) {
        free(out.v);
        return 1;
    }
    /* The waypoints are everything between a and b. */
    memmove(out.v, out.v + 1, (out.n - 2) * sizeof(*out.v));
    *via = out.v;
    *nvia = out.n - 2;
    return 1;
none:
    rc = 0;
fail:
    free(h);
    free(rt.v);
    free(out.v);
    return rc;
}
