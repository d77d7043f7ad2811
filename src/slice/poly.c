/* poly.c: the library-independent half of poly.h: containers, areas,
 * point-in-polygon and simplification. The booleans and offsets live in
 * poly_clipper.cpp. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/poly.h"

static int grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *nv = realloc(*v, ncap * elem);
    if (!nv)
        return DY_ENOMEM;
    *v = nv;
    *cap = ncap;
    return 0;
}

int poly_ring_push(struct poly_ring *r, int32_t x, int32_t y)
{
    if (grow((void **)&r->pts, &r->cap, r->n + 1, sizeof(*r->pts)))
        return DY_ENOMEM;
    r->pts[r->n++] = (struct slice_pt){x, y};
    return 0;
}

static int ring_set(struct poly_ring *r, const struct slice_pt *pts, size_t n)
{
    *r = (struct poly_ring){0};
    if (n == 0)
        return 0;
    r->pts = malloc(n * sizeof(*pts));
    if (!r->pts)
        return DY_ENOMEM;
    memcpy(r->pts, pts, n * sizeof(*pts));
    r->n = r->cap = n;
    return 0;
}

int poly_set_add_ring(struct poly_set *s, const struct slice_pt *pts, size_t n)
{
    if (grow((void **)&s->rings, &s->cap, s->n + 1, sizeof(*s->rings)))
        return DY_ENOMEM;
    if (ring_set(&s->rings[s->n], pts, n))
        return DY_ENOMEM;
    s->n++;
    return 0;
}

int poly_lines_add(struct poly_lines *l, const struct slice_pt *pts, size_t n)
{
    if (grow((void **)&l->lines, &l->cap, l->n + 1, sizeof(*l->lines)))
        return DY_ENOMEM;
    if (ring_set(&l->lines[l->n], pts, n))
        return DY_ENOMEM;
    l->n++;
    return 0;
}

void poly_ring_fini(struct poly_ring *r)
{
    free(r->pts);
    *r = (struct poly_ring){0};
}

void poly_set_fini(struct poly_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        poly_ring_fini(&s->rings[i]);
    free(s->rings);
    *s = (struct poly_set){0};
}

void poly_lines_fini(struct poly_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        poly_ring_fini(&l->lines[i]);
    free(l->lines);
    *l = (struct poly_lines){0};
}

void poly_islands_fini(struct poly_islands *is)
{
    for (size_t i = 0; i < is->n; i++)
        poly_set_fini(&is->v[i].rings);
    free(is->v);
    *is = (struct poly_islands){0};
}

int poly_set_copy(struct poly_set *dst, const struct poly_set *src)
{
    for (size_t i = 0; i < src->n; i++) {
        if (poly_set_add_ring(dst, src->rings[i].pts, src->rings[i].n)) {
            poly_set_fini(dst);
            return DY_ENOMEM;
        }
    }
    return 0;
}

double poly_ring_area(const struct poly_ring *r)
{
    if (r->n < 3)
        return 0;
    /* Shoelace in doubles: int32 products overflow int64 sums only past
     * 2^31 vertices, but doubles keep the code simple and exact enough
     * (53 bits cover a 1 m square in um^2). */
    double a = 0;
    const struct slice_pt *p = r->pts;
    for (size_t i = 0, j = r->n - 1; i < r->n; j = i++)
        a += ((double)p[j].x - p[i].x) * ((double)p[j].y + p[i].y);
    return a * 0.5;
}

double poly_set_area(const struct poly_set *s)
{
    double a = 0;
    for (size_t i = 0; i < s->n; i++)
        a += poly_ring_area(&s->rings[i]);
    return a;
}

/* Winding number of (x,y) around one ring; sets *on when the point lies on
 * an edge. Dan Sunday's crossing rule, in int64 so it is exact. */
static int ring_winding(const struct poly_ring *r, int64_t x, int64_t y, int *on)
{
    int wn = 0;
    for (size_t i = 0, j = r->n - 1; i < r->n; j = i++) {
        int64_t ax = r->pts[j].x, ay = r->pts[j].y;
        int64_t bx = r->pts[i].x, by = r->pts[i].y;
        int64_t cr = (bx - ax) * (y - ay) - (x - ax) * (by - ay);
        if (cr == 0 && x >= (ax < bx ? ax : bx) && x <= (ax < bx ? bx : ax) &&
            y >= (ay < by ? ay : by) && y <= (ay < by ? by : ay)) {
            *on = 1;
            return 0;
        }
        if (ay <= y) {
            if (by > y && cr > 0)
                wn++;
        } else if (by <= y && cr < 0) {
            wn--;
        }
    }
    return wn;
}

int poly_contains(const struct poly_set *s, int32_t x, int32_t y)
{
    int wn = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (s->rings[i].n < 2)
            continue;
        int on = 0;
        wn += ring_winding(&s->rings[i], x, y, &on);
        if (on)
            return 1;
    }
    return wn != 0;
}

static double seg_dist2(struct slice_pt p, struct slice_pt a, struct slice_pt b)
{
    double dx = (double)b.x - a.x, dy = (double)b.y - a.y;
    double px = (double)p.x - a.x, py = (double)p.y - a.y;
    double l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? (px * dx + py * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double ex = px - t * dx, ey = py - t * dy;
    return ex * ex + ey * ey;
}

/* Douglas-Peucker on pts[lo..hi] (indices modulo n), marking kept points.
 * Iterative with an explicit stack so a 100k-vertex ring can't overflow the
 * C stack; each split keeps one new point and grows the stack by one pair,
 * so 2 * (hi - lo + 2) entries always suffice. */
static int dp_mark(const struct slice_pt *pts, size_t n, size_t lo, size_t hi,
                   double tol2, unsigned char *keep)
{
    size_t sp = 0;
    size_t *st = malloc(2 * (hi - lo + 2) * sizeof(*st));
    if (!st)
        return DY_ENOMEM;
    st[sp++] = lo;
    st[sp++] = hi;
    while (sp) {
        size_t b = st[--sp], a = st[--sp];
        double best = -1;
        size_t bi = 0;
        for (size_t k = a + 1; k < b; k++) {
            double d = seg_dist2(pts[k % n], pts[a % n], pts[b % n]);
            if (d > best) {
                best = d;
                bi = k;
            }
        }
        if (best <= tol2)
            continue;
        keep[bi % n] = 1;
        st[sp++] = a;
        st[sp++] = bi;
        st[sp++] = bi;
        st[sp++] = b;
    }
    free(st);
    return 0;
}

int poly_simplify(const struct poly_set *in, double tol_um, struct poly_set *out)
{
    struct poly_set tmp = {0};
    unsigned char *keep = NULL;
    struct slice_pt *buf = NULL;
    int rc = DY_ENOMEM;
    double tol2 = tol_um * tol_um;
    for (size_t i = 0; i < in->n; i++) {
        const struct poly_ring *r = &in->rings[i];
        if (r->n < 3)
            continue;
        free(keep);
        free(buf);
        keep = calloc(r->n, 1);
        buf = malloc(r->n * sizeof(*buf));
        if (!keep || !buf)
            goto fail;
        /* Anchor the closed ring at vertex 0 and the vertex farthest from
         * it, then simplify both halves. */
        size_t far = 0;
        double fd = -1;
        for (size_t k = 1; k < r->n; k++) {
            double dx = (double)r->pts[k].x - r->pts[0].x;
            double dy = (double)r->pts[k].y - r->pts[0].y;
            if (dx * dx + dy * dy > fd) {
                fd = dx * dx + dy * dy;
                far = k;
            }
        }
        keep[0] = keep[far] = 1;
        if (dp_mark(r->pts, r->n, 0, far, tol2, keep) ||
            dp_mark(r->pts, r->n, far, r->n, tol2, keep))
            goto fail;
        size_t m = 0;
        for (size_t k = 0; k < r->n; k++)
            if (keep[k])
                buf[m++] = r->pts[k];
        if (m >= 3 && poly_set_add_ring(&tmp, buf, m))
            goto fail;
    }
    /* Dropping vertices can make a ring touch itself or a neighbour. */
    rc = poly_normalize(&tmp, out);
fail:
    free(keep);
    free(buf);
    poly_set_fini(&tmp);
    return rc;
}

/* Doubles are exact here: bed coordinates differ by far less than 2^26. */
static double seg_orient(struct slice_pt a, struct slice_pt b, struct slice_pt c)
{
    return ((double)b.x - a.x) * ((double)c.y - a.y) - ((double)b.y - a.y) * ((double)c.x - a.x);
}

int poly_segment_crosses(const struct poly_set *s, struct slice_pt a, struct slice_pt b)
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
            const double o1 = seg_orient(a, b, c), o2 = seg_orient(a, b, d);
            const double o3 = seg_orient(c, d, a), o4 = seg_orient(c, d, b);
            if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) &&
                ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
                return 1;
        }
    }
    return 0;
}
