/* slice_layers.c: stage 1, mesh -> closed polygons per layer.
 *
 * Each layer is cut at its middle. A vertex counts as above the plane when
 * z >= plane, so every triangle is cut on exactly 0 or 2 edges and a vertex
 * lying on the plane never yields a dangling end. A cut triangle gives one
 * segment from the edge it leaves the plane's lower side by (going round
 * the triangle CCW) to the edge it enters by; with outward CCW triangles
 * that walks the cross-section counter-clockwise. The segment's ends are
 * named by their edges (the welded vertex pair), so the neighbour across
 * the end edge is the one whose segment starts there: chaining is a hash
 * lookup per segment, no geometry. Triangles are bucketed by the layers they
 * span (a CSR table built once), so a layer visits only its own triangles;
 * layers are shared among threads through an atomic counter. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/slice.h"
#include "slice_internal.h"

#define MAX_LAYERS 1000000

struct seg {
    uint64_t start_key, end_key; /* edges (welded vertex pairs) */
    struct slice_pt a, b;        /* start and end points */
};

/* Chains of one layer: points of all chains back to back. */
struct chain {
    size_t first, n; /* into chains.pts */
    int closed;
};

struct worker {
    struct job *job;
    struct seg *segs;
    size_t nsegs, segs_cap;
    int64_t *table; /* open addressing: seg index + 1, 0 = empty */
    size_t table_cap;
    unsigned char *flags; /* bit 0 visited, bit 1 has predecessor */
    size_t flags_cap;
    struct slice_pt *pts;
    size_t npts, pts_cap;
    struct chain *chains;
    size_t nchains, chains_cap;
    size_t open_closed, open_dropped;
};

struct job {
    const struct mesh_tris *m;
    const struct slice_layers_params *p;
    const struct slice_ctl *ctl;
    const uint32_t *weld;   /* canonical vertex of each vertex */
    const uint32_t *bucket_start; /* CSR: layer k's triangles are */
    const uint32_t *bucket;       /* bucket[bucket_start[k] .. [k+1]) */
    struct slice_layers *out;
    atomic_size_t next, done;
    atomic_int failed;
    pthread_mutex_t lock;
    struct dy_err err; /* first error, under lock */
};

int slice_grow(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need)
        ncap *= 2;
    void *nv = realloc(*v, ncap * elem);
    if (!nv)
        return DY_ENOMEM;
    memset((char *)nv + *cap * elem, 0, (ncap - *cap) * elem);
    *v = nv;
    *cap = ncap;
    return 0;
}

static int32_t layer_cut(const struct slice_layers_params *p, size_t k)
{
    if (k == 0)
        return p->first_layer_h_um / 2;
    return p->first_layer_h_um + (int32_t)(k - 1) * p->layer_h_um + p->layer_h_um / 2;
}

static uint64_t hash64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Welds vertices with bit-identical positions, so triangle soups (STL
 * without shared vertices) chain as well as indexed meshes. */
static int weld_vertices(const struct mesh_tris *m, uint32_t *weld)
{
    size_t cap = 16;
    while (cap < m->nverts * 2)
        cap *= 2;
    uint32_t *t = malloc(cap * sizeof(*t));
    if (!t)
        return DY_ENOMEM;
    memset(t, 0xff, cap * sizeof(*t));
    for (size_t i = 0; i < m->nverts; i++) {
        float v[3] = {m->verts[i][0] + 0.0f, m->verts[i][1] + 0.0f,
                      m->verts[i][2] + 0.0f}; /* -0 == +0 */
        uint32_t b[3];
        memcpy(b, v, sizeof(b));
        uint64_t h = hash64(((uint64_t)b[0] << 32 | b[1]) ^ hash64(b[2]));
        size_t s = h & (cap - 1);
        for (;;) {
            if (t[s] == UINT32_MAX) {
                t[s] = (uint32_t)i;
                weld[i] = (uint32_t)i;
                break;
            }
            const float *o = m->verts[t[s]];
            if (o[0] + 0.0f == v[0] && o[1] + 0.0f == v[1] && o[2] + 0.0f == v[2]) {
                weld[i] = t[s];
                break;
            }
            s = (s + 1) & (cap - 1);
        }
    }
    free(t);
    return 0;
}

static uint64_t edge_key(uint32_t a, uint32_t b)
{
    return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

/* The point where the plane cuts edge (a, b), computed from the lower
 * welded index first so both triangles sharing the edge agree exactly. */
static struct slice_pt edge_point(const struct mesh_tris *m, const uint32_t *weld,
                                  uint32_t a, uint32_t b, double zc_mm)
{
    if (weld[a] > weld[b]) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    const float *pa = m->verts[a], *pb = m->verts[b];
    double t = (zc_mm - pa[2]) / ((double)pb[2] - pa[2]);
    double x = pa[0] + t * ((double)pb[0] - pa[0]);
    double y = pa[1] + t * ((double)pb[1] - pa[1]);
    return (struct slice_pt){(int32_t)lround(x * 1000.0), (int32_t)lround(y * 1000.0)};
}

static int64_t table_find(const struct worker *w, uint64_t key)
{
    size_t mask = w->table_cap - 1;
    for (size_t s = hash64(key) & mask;; s = (s + 1) & mask) {
        int64_t v = w->table[s];
        if (v == 0)
            return -1;
        if (w->segs[v - 1].start_key == key)
            return v - 1;
    }
}

static int collect_segments(struct worker *w, size_t k)
{
    const struct job *j = w->job;
    const struct mesh_tris *m = j->m;
    double zc = layer_cut(j->p, k) / 1000.0;
    w->nsegs = 0;
    for (uint32_t bi = j->bucket_start[k]; bi < j->bucket_start[k + 1]; bi++) {
        const uint32_t *t = m->tris[j->bucket[bi]];
        int above[3];
        for (int e = 0; e < 3; e++)
            above[e] = m->verts[t[e]][2] >= zc;
        if (above[0] == above[1] && above[1] == above[2])
            continue;
        int down = -1, up = -1; /* edge e runs t[e] -> t[(e+1)%3] */
        for (int e = 0; e < 3; e++) {
            int n = (e + 1) % 3;
            if (above[e] && !above[n])
                down = e;
            else if (!above[e] && above[n])
                up = e;
        }
        if (slice_grow((void **)&w->segs, &w->segs_cap, w->nsegs + 1, sizeof(*w->segs)))
            return DY_ENOMEM;
        struct seg *s = &w->segs[w->nsegs++];
        uint32_t d0 = t[down], d1 = t[(down + 1) % 3];
        uint32_t u0 = t[up], u1 = t[(up + 1) % 3];
        s->start_key = edge_key(j->weld[d0], j->weld[d1]);
        s->end_key = edge_key(j->weld[u0], j->weld[u1]);
        s->a = edge_point(m, j->weld, d0, d1, zc);
        s->b = edge_point(m, j->weld, u0, u1, zc);
    }
    return 0;
}

static int index_segments(struct worker *w)
{
    size_t cap = 16;
    while (cap < w->nsegs * 2)
        cap *= 2;
    if (cap > w->table_cap) {
        free(w->table);
        w->table = malloc(cap * sizeof(*w->table));
        if (!w->table) {
            w->table_cap = 0;
            return DY_ENOMEM;
        }
        w->table_cap = cap;
    }
    memset(w->table, 0, w->table_cap * sizeof(*w->table));
    if (slice_grow((void **)&w->flags, &w->flags_cap, w->nsegs, 1))
        return DY_ENOMEM;
    memset(w->flags, 0, w->nsegs);
    size_t mask = w->table_cap - 1;
    for (size_t i = 0; i < w->nsegs; i++) {
        size_t s = hash64(w->segs[i].start_key) & mask;
        /* A non-manifold edge starts several segments; the first wins and
         * the others become chain heads. */
        while (w->table[s] && w->segs[w->table[s] - 1].start_key != w->segs[i].start_key)
            s = (s + 1) & mask;
        if (!w->table[s])
            w->table[s] = (int64_t)i + 1;
    }
    for (size_t i = 0; i < w->nsegs; i++) {
        int64_t nx = table_find(w, w->segs[i].end_key);
        if (nx >= 0)
            w->flags[nx] |= 2;
    }
    return 0;
}

static int push_pt(struct worker *w, struct slice_pt p)
{
    if (slice_grow((void **)&w->pts, &w->pts_cap, w->npts + 1, sizeof(*w->pts)))
        return DY_ENOMEM;
    w->pts[w->npts++] = p;
    return 0;
}

static int trace(struct worker *w, size_t first)
{
    if (slice_grow((void **)&w->chains, &w->chains_cap, w->nchains + 1, sizeof(*w->chains)))
        return DY_ENOMEM;
    struct chain *c = &w->chains[w->nchains++];
    c->first = w->npts;
    c->closed = 0;
    size_t cur = first;
    for (;;) {
        w->flags[cur] |= 1;
        if (push_pt(w, w->segs[cur].a))
            return DY_ENOMEM;
        int64_t nx = table_find(w, w->segs[cur].end_key);
        if (nx == (int64_t)first) {
            c->closed = 1;
            break;
        }
        if (nx < 0 || (w->flags[nx] & 1)) {
            if (push_pt(w, w->segs[cur].b))
                return DY_ENOMEM;
            break;
        }
        cur = (size_t)nx;
    }
    c = &w->chains[w->nchains - 1];
    c->n = w->npts - c->first;
    return 0;
}

static double dist2(struct slice_pt a, struct slice_pt b)
{
    double dx = (double)a.x - b.x, dy = (double)a.y - b.y;
    return dx * dx + dy * dy;
}

/* Joins open chains whose ends are within close_gap (an open mesh: a hole
 * in the surface leaves a gap in the cut). Greedy: each open chain takes
 * the open chain whose start is nearest its end, itself included, until
 * it closes or nothing is near. Returns the joined rings into `raw`. */
static int close_open_chains(struct worker *w, struct poly_set *raw)
{
    size_t nopen = 0;
    for (size_t i = 0; i < w->nchains; i++)
        nopen += !w->chains[i].closed;
    if (nopen == 0)
        return 0;
    double gap2 = (double)w->job->p->close_gap_um * w->job->p->close_gap_um;
    unsigned char *used = calloc(w->nchains, 1);
    struct poly_ring ring = {0};
    int rc = DY_ENOMEM;
    if (!used)
        return DY_ENOMEM;
    for (size_t i = 0; i < w->nchains; i++) {
        if (w->chains[i].closed || used[i])
            continue;
        used[i] = 1;
        ring.n = 0;
        size_t cur = i, joined = 0;
        int closed = 0;
        for (;;) {
            const struct chain *c = &w->chains[cur];
            for (size_t q = 0; q < c->n; q++)
                if (poly_ring_push(&ring, w->pts[c->first + q].x, w->pts[c->first + q].y))
                    goto fail;
            struct slice_pt end = ring.pts[ring.n - 1];
            double best = dist2(end, ring.pts[0]);
            size_t bi = i; /* closing on itself */
            for (size_t o = 0; o < w->nchains; o++) {
                if (w->chains[o].closed || used[o])
                    continue;
                double d = dist2(end, w->pts[w->chains[o].first]);
                if (d < best) {
                    best = d;
                    bi = o;
                }
            }
            if (best > gap2)
                break;
            if (bi == i) {
                closed = 1;
                break;
            }
            used[bi] = 1;
            cur = bi;
            joined++;
        }
        if (closed && ring.n >= 3) {
            if (poly_set_add_ring(raw, ring.pts, ring.n))
                goto fail;
            w->open_closed += joined + 1;
        } else {
            w->open_dropped += joined + 1;
        }
    }
    rc = 0;
fail:
    poly_ring_fini(&ring);
    free(used);
    return rc;
}

static int slice_one_layer(struct worker *w, size_t k, struct poly_set *out)
{
    struct poly_set raw = {0};
    int rc = collect_segments(w, k);
    if (rc == 0)
        rc = index_segments(w);
    w->npts = w->nchains = 0;
    /* Heads of open chains first, so an open chain is traced whole. */
    for (size_t i = 0; rc == 0 && i < w->nsegs; i++)
        if (!(w->flags[i] & 3))
            rc = trace(w, i);
    for (size_t i = 0; rc == 0 && i < w->nsegs; i++)
        if (!(w->flags[i] & 1))
            rc = trace(w, i);
    for (size_t i = 0; rc == 0 && i < w->nchains; i++)
        if (w->chains[i].closed && w->chains[i].n >= 3)
            rc = poly_set_add_ring(&raw, w->pts + w->chains[i].first, w->chains[i].n);
    if (rc == 0)
        rc = close_open_chains(w, &raw);
    if (rc == 0) {
        int32_t tol = w->job->p->simplify_um;
        rc = tol > 0 ? poly_simplify(&raw, tol, out) : poly_normalize(&raw, out);
    }
    poly_set_fini(&raw);
    return rc;
}

static void job_fail(struct job *j, int rc, const struct dy_err *e, size_t k)
{
    pthread_mutex_lock(&j->lock);
    if (!atomic_load(&j->failed)) {
        if (e && e->code)
            j->err = *e;
        else
            dy_err_set(&j->err, rc, "slice layers", "layer %zu: %s", k, dy_code_name(rc));
        atomic_store(&j->failed, rc);
    }
    pthread_mutex_unlock(&j->lock);
}

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    struct job *j = w->job;
    for (;;) {
        size_t k = atomic_fetch_add(&j->next, 1);
        if (k >= j->out->n || atomic_load(&j->failed))
            break;
        if (slice_ctl_canceled(j->ctl)) {
            struct dy_err e;
            slice_ctl_step(j->ctl, SLICE_STAGE_LAYERS, k, j->out->n, &e);
            job_fail(j, DY_ECANCELED, &e, k);
            break;
        }
        int rc = slice_one_layer(w, k, &j->out->v[k].polys);
        if (rc) {
            job_fail(j, rc, NULL, k);
            break;
        }
        atomic_fetch_add(&j->done, 1);
    }
    return NULL;
}

static void worker_fini(struct worker *w)
{
    free(w->segs);
    free(w->table);
    free(w->flags);
    free(w->pts);
    free(w->chains);
}

static int check_input(const struct mesh_tris *m, const struct slice_layers_params *p,
                       struct dy_err *err)
{
    if (p->layer_h_um <= 0 || p->first_layer_h_um <= 0)
        return dy_err_set(err, DY_EINVAL, "slice layers: layer_h",
                          "layer heights must be > 0 (got %d and %d um)",
                          (int)p->layer_h_um, (int)p->first_layer_h_um);
    if (p->close_gap_um < 0 || p->simplify_um < 0 || p->threads < 0)
        return dy_err_set(err, DY_EINVAL, "slice layers", "negative close_gap, "
                          "simplify or threads");
    for (size_t i = 0; i < m->ntris; i++)
        for (int e = 0; e < 3; e++)
            if (m->tris[i][e] >= m->nverts)
                return dy_err_set(err, DY_EINVAL, "slice layers: mesh",
                                  "triangle %zu: vertex index %u out of range (%zu vertices)",
                                  i, m->tris[i][e], m->nverts);
    return 0;
}

/* Buckets triangles by the layers whose cut plane they straddle
 * (zmin < cut <= zmax, the same rule collect_segments applies). */
static int bucket_triangles(const struct mesh_tris *m, const struct slice_layers_params *p,
                            size_t nlayers, uint32_t **start_out, uint32_t **bucket_out)
{
    uint32_t *start = calloc(nlayers + 2, sizeof(*start));
    uint32_t *range = malloc(m->ntris * 2 * sizeof(*range));
    uint32_t *bucket = NULL;
    if (!start || !range)
        goto fail;
    size_t total = 0;
    for (size_t i = 0; i < m->ntris; i++) {
        double zmin = INFINITY, zmax = -INFINITY;
        for (int e = 0; e < 3; e++) {
            double z = m->verts[m->tris[i][e]][2];
            zmin = z < zmin ? z : zmin;
            zmax = z > zmax ? z : zmax;
        }
        /* First k with cut_k > zmin; cut_k is increasing in k. */
        double lo = (zmin * 1000.0 - p->first_layer_h_um - p->layer_h_um / 2) / p->layer_h_um;
        size_t k0 = lo < 0 ? 0 : (size_t)lo;
        if (k0 > 0)
            k0--;
        while (k0 < nlayers && layer_cut(p, k0) / 1000.0 <= zmin)
            k0++;
        size_t k1 = k0;
        while (k1 < nlayers && layer_cut(p, k1) / 1000.0 <= zmax)
            k1++;
        range[2 * i] = (uint32_t)k0;
        range[2 * i + 1] = (uint32_t)k1;
        for (size_t k = k0; k < k1; k++)
            start[k + 1]++;
        total += k1 - k0;
    }
    if (total >= UINT32_MAX)
        goto fail;
    for (size_t k = 0; k < nlayers; k++)
        start[k + 1] += start[k];
    bucket = malloc((total ? total : 1) * sizeof(*bucket));
    uint32_t *fillp = calloc(nlayers + 1, sizeof(*fillp));
    if (!bucket || !fillp) {
        free(fillp);
        goto fail;
    }
    for (size_t i = 0; i < m->ntris; i++)
        for (uint32_t k = range[2 * i]; k < range[2 * i + 1]; k++)
            bucket[start[k] + fillp[k]++] = (uint32_t)i;
    free(fillp);
    free(range);
    *start_out = start;
    *bucket_out = bucket;
    return 0;
fail:
    free(start);
    free(range);
    free(bucket);
    return DY_ENOMEM;
}

int slice_layers_build(const struct mesh_tris *m, const struct slice_layers_params *p,
                       const struct slice_ctl *ctl, struct slice_layers *out,
                       struct dy_err *err)
{
    uint32_t *weld = NULL, *bstart = NULL, *bucket = NULL;
    struct worker *ws = NULL;
    pthread_t *tids = NULL;
    int nthreads = p->threads > 0 ? p->threads : 2, started = 0, lock_ok = 0;
    struct job j = {.m = m, .p = p, .ctl = ctl, .out = out};
    int rc = check_input(m, p, err);
    if (rc)
        return rc;
    *out = (struct slice_layers){0};

    double zmax = -INFINITY;
    for (size_t i = 0; i < m->ntris; i++)
        for (int e = 0; e < 3; e++)
            zmax = fmax(zmax, m->verts[m->tris[i][e]][2]);
    size_t n = 0;
    while (m->ntris && layer_cut(p, n) < zmax * 1000.0) {
        if (++n > MAX_LAYERS)
            return dy_err_set(err, DY_ELIMIT, "slice layers",
                              "more than %d layers (model %.1f mm tall, layer %d um)",
                              MAX_LAYERS, zmax, (int)p->layer_h_um);
    }
    rc = DY_ENOMEM;
    out->v = calloc(n ? n : 1, sizeof(*out->v));
    weld = malloc((m->nverts ? m->nverts : 1) * sizeof(*weld));
    ws = calloc((size_t)nthreads, sizeof(*ws));
    tids = calloc((size_t)nthreads, sizeof(*tids));
    if (!out->v || !weld || !ws || !tids)
        goto fail;
    out->n = n;
    for (size_t k = 0; k < n; k++) {
        out->v[k].cut_z_um = layer_cut(p, k);
        out->v[k].height_um = k == 0 ? p->first_layer_h_um : p->layer_h_um;
        out->v[k].z_um = k == 0 ? p->first_layer_h_um
                                : p->first_layer_h_um + (int32_t)k * p->layer_h_um;
    }
    if (weld_vertices(m, weld) || bucket_triangles(m, p, n, &bstart, &bucket))
        goto fail;
    j.weld = weld;
    j.bucket_start = bstart;
    j.bucket = bucket;
    if (pthread_mutex_init(&j.lock, NULL))
        goto fail;
    lock_ok = 1;
    for (int t = 0; t < nthreads; t++)
        ws[t].job = &j;
    for (int t = 1; t < nthreads && (size_t)t < n; t++) {
        if (pthread_create(&tids[t], NULL, worker_run, &ws[t]))
            break; /* fewer threads is fine */
        started = t;
    }
    /* The calling thread works too, and alone reports progress. */
    for (;;) {
        size_t k = atomic_fetch_add(&j.next, 1);
        if (k >= n || atomic_load(&j.failed))
            break;
        struct dy_err e = {0};
        int src = slice_ctl_step(ctl, SLICE_STAGE_LAYERS, atomic_load(&j.done), n, &e);
        if (src == 0)
            src = slice_one_layer(&ws[0], k, &out->v[k].polys);
        if (src) {
            job_fail(&j, src, e.code ? &e : NULL, k);
            break;
        }
        atomic_fetch_add(&j.done, 1);
    }
    for (int t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    rc = atomic_load(&j.failed);
    if (rc) {
        if (err)
            *err = j.err;
        goto done;
    }
    for (int t = 0; t < nthreads; t++) {
        out->open_closed += ws[t].open_closed;
        out->open_dropped += ws[t].open_dropped;
    }
    slice_ctl_step(ctl, SLICE_STAGE_LAYERS, n, n, NULL);
    rc = 0;
    goto done;
fail:
    dy_err_set(err, rc, "slice layers", "out of memory (%zu triangles)", m->ntris);
done:
    if (rc)
        slice_layers_fini(out);
    if (lock_ok)
        pthread_mutex_destroy(&j.lock);
    for (int t = 0; ws && t < nthreads; t++)
        worker_fini(&ws[t]);
    free(ws);
    free(tids);
    free(weld);
    free(bstart);
    free(bucket);
    return rc;
}

void slice_layers_fini(struct slice_layers *l)
{
    for (size_t k = 0; l->v && k < l->n; k++)
        poly_set_fini(&l->v[k].polys);
    free(l->v);
    *l = (struct slice_layers){0};
}
