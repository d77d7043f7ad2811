/* mesh_repair.c: weld, drop degenerate/duplicate triangles, orient shells
 * consistently and outward, measure holes and non-manifold edges.
 *
 * Everything is O(n): a spatial hash for welding, a hash of sorted index
 * triples for duplicates, and a vertex -> triangle table (counting sort) to
 * find the triangles across each edge; vertex valence is small, so scanning
 * one vertex's triangles per edge is cheap and cache friendly. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/mesh.h"
#include "mesh_internal.h"

#define NONE UINT32_MAX
#define NB_BOUNDARY UINT32_MAX
#define NB_NONMANIFOLD (UINT32_MAX - 1)

static size_t pow2_at_least(size_t n)
{
    size_t p = 16;
    while (p < n)
        p <<= 1;
    return p;
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

struct welder {
    double inv_cell, tol2;
    const float (*pos)[3];   /* representative positions (output verts) */
    uint32_t *table;         /* cell hash -> first representative */
    uint32_t *next;          /* representative -> next in the same slot */
    size_t mask;
};

static void cell_of(const struct welder *w, const float *p, int64_t c[3])
{
    /* floor() without the libm call (9M calls on 1M triangles); exact
     * since |p| <= 1e9 keeps the value far inside int64. */
    for (int k = 0; k < 3; k++) {
        double x = p[k] * w->inv_cell;
        int64_t t = (int64_t)x;
        c[k] = t - (x < (double)t);
    }
}

static size_t cell_slot(const struct welder *w, const int64_t c[3])
{
    uint64_t h = mix64((uint64_t)c[0] * 0x9e3779b97f4a7c15ULL ^
                       (uint64_t)c[1] * 0xc2b2ae3d27d4eb4fULL ^
                       (uint64_t)c[2] * 0x165667b19e3779f9ULL);
    return (size_t)h & w->mask;
}

/* Representative within tol of p in cell c, or NONE. Slots chain all
 * representatives whose cell hashes there, so compare distances only. */
static uint32_t weld_find(const struct welder *w, const float *p,
                          const int64_t c[3])
{
    for (uint32_t r = w->table[cell_slot(w, c)]; r != NONE; r = w->next[r]) {
        const float *q = w->pos[r];
        double dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
        if (dx * dx + dy * dy + dz * dz <= w->tol2)
            return r;
    }
    return NONE;
}

/* Welds m's vertices in place; remap[old] = new. The cell is 4x the
 * tolerance, so only points within tol of a cell face look next door. */
static int weld(struct mesh_tris *m, double tol, uint32_t *remap,
                size_t *nout)
{
    struct welder w = {.inv_cell = 1.0 / (4 * tol), .tol2 = tol * tol};
    /* Chained slots, so the load may exceed 1; STL-like input has ~6
     * copies of each vertex, and a table of n/2 slots (8 MB for 1 M
     * triangles) stays in cache far better than one of 2n. */
    size_t cap = pow2_at_least(m->nverts / 2);
    w.table = malloc(cap * sizeof(*w.table));
    w.next = malloc(m->nverts * sizeof(*w.next));
    if (!w.table || !w.next) {
        free(w.table);
        free(w.next);
        return DY_ENOMEM;
    }
    memset(w.table, 0xff, cap * sizeof(*w.table));
    w.mask = cap - 1;
    w.pos = (const float(*)[3])m->verts;
    size_t n = 0;
    double cell = 4 * tol;
    for (size_t i = 0; i < m->nverts; i++) {
        const float *p = m->verts[i];
        int64_t c[3];
        cell_of(&w, p, c);
        uint32_t r = weld_find(&w, p, c);
        if (r == NONE) {
            /* Neighbour cells, only along axes where p is near a face. */
            int lo[3], hi[3];
            for (int k = 0; k < 3; k++) {
                double f = p[k] - c[k] * cell;
                lo[k] = f < tol ? -1 : 0;
                hi[k] = f > cell - tol ? 1 : 0;
            }
            for (int dx = lo[0]; dx <= hi[0] && r == NONE; dx++)
                for (int dy = lo[1]; dy <= hi[1] && r == NONE; dy++)
                    for (int dz = lo[2]; dz <= hi[2] && r == NONE; dz++) {
                        if (!dx && !dy && !dz)
                            continue;
                        int64_t cc[3] = {c[0] + dx, c[1] + dy, c[2] + dz};
                        r = weld_find(&w, p, cc);
                    }
        }
        if (r == NONE) {
            /* New representative: compact in place (n <= i). */
            r = (uint32_t)n++;
            memmove(m->verts[r], p, sizeof(m->verts[r]));
            size_t s = cell_slot(&w, c);
            w.next[r] = w.table[s];
            w.table[s] = r;
        }
        remap[i] = r;
    }
    free(w.table);
    free(w.next);
    *nout = n;
    return 0;
}

static bool tri_degenerate(const struct mesh_tris *m, const uint32_t *t)
{
    if (t[0] == t[1] || t[1] == t[2] || t[0] == t[2])
        return true;
    double p[3][3], n[3], emax = 0;
    for (int j = 0; j < 3; j++)
        for (int k = 0; k < 3; k++)
            p[j][k] = m->verts[t[j]][k];
    for (int j = 0; j < 3; j++) {
        const double *a = p[j], *b = p[(j + 1) % 3];
        double e = (a[0] - b[0]) * (a[0] - b[0]) +
                   (a[1] - b[1]) * (a[1] - b[1]) +
                   (a[2] - b[2]) * (a[2] - b[2]);
        if (e > emax)
            emax = e;
    }
    mesh_cross3(p[0], p[1], p[2], n);
    double n2 = n[0] * n[0] + n[1] * n[1] + n[2] * n[2];
    /* |n| = longest edge * height: a height below 1e-9 of the edge is
     * collinear within float precision. */
    return n2 <= 1e-18 * emax * emax;
}

/* Drops degenerate and duplicate triangles (compacting m->tris). */
static int drop_bad(struct mesh_tris *m, struct mesh_report *rep)
{
    size_t cap = pow2_at_least(2 * m->ntris), mask = cap - 1, out = 0;
    uint32_t *table = malloc(cap * sizeof(*table));
    if (!table)
        return DY_ENOMEM;
    memset(table, 0xff, cap * sizeof(*table));
    for (size_t i = 0; i < m->ntris; i++) {
        uint32_t *t = m->tris[i];
        if (tri_degenerate(m, t)) {
            rep->degenerate_dropped++;
            continue;
        }
        uint32_t s[3] = {t[0], t[1], t[2]}, x;
        if (s[0] > s[1]) { x = s[0]; s[0] = s[1]; s[1] = x; }
        if (s[1] > s[2]) { x = s[1]; s[1] = s[2]; s[2] = x; }
        if (s[0] > s[1]) { x = s[0]; s[0] = s[1]; s[1] = x; }
        size_t h = (size_t)mix64(((uint64_t)s[0] << 32 | s[1]) ^
                                 (uint64_t)s[2] * 0x9e3779b97f4a7c15ULL) &
                   mask;
        bool dup = false;
        for (; table[h] != NONE; h = (h + 1) & mask) {
            const uint32_t *o = m->tris[table[h]];
            uint32_t q[3] = {o[0], o[1], o[2]};
            if (q[0] > q[1]) { x = q[0]; q[0] = q[1]; q[1] = x; }
            if (q[1] > q[2]) { x = q[1]; q[1] = q[2]; q[2] = x; }
            if (q[0] > q[1]) { x = q[0]; q[0] = q[1]; q[1] = x; }
            if (q[0] == s[0] && q[1] == s[1] && q[2] == s[2]) {
                dup = true;
                break;
            }
        }
        if (dup) {
            rep->duplicate_dropped++;
            continue;
        }
        memmove(m->tris[out], t, sizeof(m->tris[out]));
        table[h] = (uint32_t)out++;
    }
    free(table);
    m->ntris = out;
    return 0;
}

/* Edge neighbours: nb[3*t+k] is the triangle across edge (t[k], t[k+1]),
 * or NB_BOUNDARY / NB_NONMANIFOLD. */
static int edges_build(const struct mesh_tris *m, uint32_t *nb,
                       struct mesh_report *rep)
{
    uint32_t *start = calloc(m->nverts + 1, sizeof(*start));
    uint32_t *list = malloc(3 * m->ntris * sizeof(*list));
    if (!start || !list) {
        free(start);
        free(list);
        return DY_ENOMEM;
    }
    for (size_t i = 0; i < m->ntris; i++)
        for (int k = 0; k < 3; k++)
            start[m->tris[i][k] + 1]++;
    for (size_t v = 0; v < m->nverts; v++)
        start[v + 1] += start[v];
    for (size_t i = 0; i < m->ntris; i++)
        for (int k = 0; k < 3; k++)
            list[start[m->tris[i][k]]++] = (uint32_t)i;
    /* start[v] now points at the end of v's run; shift back. */
    for (size_t v = m->nverts; v > 0; v--)
        start[v] = start[v - 1];
    start[0] = 0;
    for (size_t i = 0; i < m->ntris; i++) {
        for (int k = 0; k < 3; k++) {
            uint32_t a = m->tris[i][k], b = m->tris[i][(k + 1) % 3];
            uint32_t other = NB_BOUNDARY, count = 1, lowest = (uint32_t)i;
            for (uint32_t j = start[a]; j < start[a + 1]; j++) {
                uint32_t u = list[j];
                const uint32_t *tu = m->tris[u];
                if (u == i || (tu[0] != b && tu[1] != b && tu[2] != b))
                    continue;
                other = u;
                count++;
                if (u < lowest)
                    lowest = u;
            }
            if (count == 1) {
                nb[3 * i + k] = NB_BOUNDARY;
                rep->boundary_edges++;
            } else if (count == 2) {
                nb[3 * i + k] = other;
            } else {
                nb[3 * i + k] = NB_NONMANIFOLD;
                if (lowest == i)
                    rep->nonmanifold_edges++;
            }
        }
    }
    free(start);
    free(list);
    return 0;
}

/* True when triangle u has the directed edge a -> b. */
static bool has_edge(const uint32_t *tu, uint32_t a, uint32_t b)
{
    for (int k = 0; k < 3; k++)
        if (tu[k] == a && tu[(k + 1) % 3] == b)
            return true;
    return false;
}

static uint32_t uf_find(uint32_t *par, uint32_t x)
{
    while (par[x] != x) {
        par[x] = par[par[x]];
        x = par[x];
    }
    return x;
}

/* Counts boundary loops: connected groups of boundary edges. */
static int holes_count(const struct mesh_tris *m, const uint32_t *nb,
                       struct mesh_report *rep)
{
    if (rep->boundary_edges == 0)
        return 0;
    uint32_t *par = malloc(m->nverts * sizeof(*par));
    unsigned char *on = calloc(m->nverts, 1);
    if (!par || !on) {
        free(par);
        free(on);
        return DY_ENOMEM;
    }
    for (size_t v = 0; v < m->nverts; v++)
        par[v] = (uint32_t)v;
    size_t verts_on = 0, unions = 0;
    for (size_t i = 0; i < m->ntris; i++) {
        for (int k = 0; k < 3; k++) {
            if (nb[3 * i + k] != NB_BOUNDARY)
                continue;
            uint32_t a = m->tris[i][k], b = m->tris[i][(k + 1) % 3];
            verts_on += !on[a] + !on[b];
            on[a] = on[b] = 1;
            uint32_t ra = uf_find(par, a), rb = uf_find(par, b);
            if (ra != rb) {
                par[ra] = rb;
                unions++;
            }
        }
    }
    rep->holes = verts_on - unions;
    free(par);
    free(on);
    return 0;
}

/* BFS over manifold edges: shell ids and consistent flips; then each shell
 * with a negative signed volume is turned outward. */
static int orient(struct mesh_tris *m, const uint32_t *nb,
                  struct mesh_report *rep)
{
    size_t n = m->ntris;
    uint32_t *queue = malloc(n * sizeof(*queue));
    unsigned char *flip = calloc(n, 1), *seen = calloc(n, 1);
    int rc = 0;
    if (!queue || !flip || !seen) {
        rc = DY_ENOMEM;
        goto fail;
    }
    for (size_t s0 = 0; s0 < n; s0++) {
        if (seen[s0])
            continue;
        size_t qh = 0, qt = 0;
        queue[qt++] = (uint32_t)s0;
        seen[s0] = 1;
        while (qh < qt) {
            uint32_t t = queue[qh++];
            for (int k = 0; k < 3; k++) {
                uint32_t u = nb[3 * t + k];
                if (u >= NB_NONMANIFOLD)
                    continue;
                uint32_t a = m->tris[t][k], b = m->tris[t][(k + 1) % 3];
                /* Neighbours must run a shared edge in opposite
                 * directions; the same direction means one is flipped. */
                unsigned char want = flip[t] ^ has_edge(m->tris[u], a, b);
                if (!seen[u]) {
                    seen[u] = 1;
                    flip[u] = want;
                    queue[qt++] = u;
                } else if (flip[u] != want && t < u) {
                    rep->orientation_conflicts++;
                }
            }
        }
        /* queue[0..qt) is this shell: signed volume about its first
         * vertex, in double. */
        rep->shells++;
        const float *o = m->verts[m->tris[s0][0]];
        double vol = 0;
        bool closed = true;
        for (size_t q = 0; q < qt; q++) {
            uint32_t t = queue[q];
            const uint32_t *tv = m->tris[t];
            double p[3][3];
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    p[j][k] = (double)m->verts[tv[j]][k] - o[k];
            double d = p[0][0] * (p[1][1] * p[2][2] - p[1][2] * p[2][1]) -
                       p[0][1] * (p[1][0] * p[2][2] - p[1][2] * p[2][0]) +
                       p[0][2] * (p[1][0] * p[2][1] - p[1][1] * p[2][0]);
            vol += flip[t] ? -d : d;
            for (int k = 0; k < 3; k++)
                if (nb[3 * t + k] >= NB_NONMANIFOLD)
                    closed = false;
        }
        rep->closed_shells += closed;
        if (vol < 0) {
            rep->shells_turned_out++;
            for (size_t q = 0; q < qt; q++)
                flip[queue[q]] ^= 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!flip[i])
            continue;
        uint32_t x = m->tris[i][1];
        m->tris[i][1] = m->tris[i][2];
        m->tris[i][2] = x;
        rep->flipped_fixed++;
    }
fail:
    free(queue);
    free(flip);
    free(seen);
    return rc;
}

/* Drops vertices no triangle uses (degenerate removal leaves some). */
static int compact_verts(struct mesh_tris *m)
{
    uint32_t *map = malloc(m->nverts * sizeof(*map));
    if (!map)
        return DY_ENOMEM;
    memset(map, 0xff, m->nverts * sizeof(*map));
    size_t n = 0;
    for (size_t i = 0; i < m->ntris; i++)
        for (int k = 0; k < 3; k++)
            if (map[m->tris[i][k]] == NONE)
                map[m->tris[i][k]] = 0;
    for (size_t v = 0; v < m->nverts; v++) {
        if (map[v] == NONE)
            continue;
        map[v] = (uint32_t)n;
        memmove(m->verts[n++], m->verts[v], sizeof(m->verts[0]));
    }
    for (size_t i = 0; i < m->ntris; i++)
        for (int k = 0; k < 3; k++)
            m->tris[i][k] = map[m->tris[i][k]];
    m->nverts = n;
    free(map);
    return 0;
}

void mesh_report_compute(const struct mesh_tris *m, struct mesh_report *rep)
{
    memset(rep, 0, sizeof(*rep));
    rep->input_verts = rep->nverts = m->nverts;
    rep->input_tris = rep->ntris = m->ntris;
    mesh_tris_bounds(m, rep->bbox_min, rep->bbox_max);
    for (int k = 0; k < 3; k++)
        rep->size[k] = rep->bbox_max[k] - rep->bbox_min[k];
    mesh_tris_measure(m, &rep->volume_mm3, &rep->area_mm2);
}

int mesh_repair(struct mesh_tris *m, const struct mesh_repair_opts *opts,
                struct mesh_report *rep_out, struct dy_err *err)
{
    struct mesh_report rep = {.input_verts = m->nverts,
                              .input_tris = m->ntris};
    double tol = opts && opts->weld_tol_mm > 0 ? opts->weld_tol_mm : 1e-4;
    uint32_t *remap = NULL, *nb = NULL;
    int rc = 0;
    /* The spatial hash needs finite coordinates; import guarantees them,
     * but this is a public entry point. */
    for (size_t i = 0; i < m->ntris; i++)
        for (int k = 0; k < 3; k++)
            if (m->tris[i][k] >= m->nverts)
                return dy_err_set(err, DY_EINVAL, "mesh_repair",
                                  "triangle %zu: vertex index %u out of "
                                  "range", i, (unsigned)m->tris[i][k]);
    for (size_t v = 0; v < m->nverts; v++)
        for (int k = 0; k < 3; k++)
            if (!isfinite(m->verts[v][k]) ||
                fabsf(m->verts[v][k]) > 1e9f)
                return dy_err_set(err, DY_EINVAL, "mesh_repair",
                                  "vertex %zu has a non-finite or absurd "
                                  "coordinate", v);
    remap = malloc((m->nverts ? m->nverts : 1) * sizeof(*remap));
    if (!remap)
        goto nomem;
    size_t nv;
    if (weld(m, tol, remap, &nv) < 0)
        goto nomem;
    rep.welded_verts = m->nverts - nv;
    m->nverts = nv;
    for (size_t i = 0; i < m->ntris; i++)
        for (int k = 0; k < 3; k++)
            m->tris[i][k] = remap[m->tris[i][k]];
    free(remap);
    remap = NULL;
    if (drop_bad(m, &rep) < 0 || compact_verts(m) < 0)
        goto nomem;
    if (m->ntris == 0) {
        rc = dy_err_set(err, DY_EFORMAT, "mesh_repair",
                        "no triangle left after dropping %zu degenerate "
                        "ones", rep.degenerate_dropped);
        goto fail;
    }
    nb = malloc(3 * m->ntris * sizeof(*nb));
    if (!nb || edges_build(m, nb, &rep) < 0 || holes_count(m, nb, &rep) < 0 ||
        orient(m, nb, &rep) < 0)
        goto nomem;
    free(nb);
    nb = NULL;
    rep.nverts = m->nverts;
    rep.ntris = m->ntris;
    mesh_tris_bounds(m, rep.bbox_min, rep.bbox_max);
    for (int k = 0; k < 3; k++)
        rep.size[k] = rep.bbox_max[k] - rep.bbox_min[k];
    mesh_tris_measure_in(m, rep.bbox_min, rep.bbox_max, &rep.volume_mm3, &rep.area_mm2);
    if (rep_out)
        *rep_out = rep;
    return 0;
nomem:
    rc = dy_err_set(err, DY_ENOMEM, "mesh_repair", "out of memory");
fail:
    free(remap);
    free(nb);
    return rc;
}
