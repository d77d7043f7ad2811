/* mesh_tris.c: the plain triangle container, measuring, validation and
 * binary STL output. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daryn/atomic_file.h"
#include "daryn/mesh.h"
#include "mesh_internal.h"

void mesh_tris_init(struct mesh_tris *m)
{
    memset(m, 0, sizeof(*m));
}

void mesh_tris_fini(struct mesh_tris *m)
{
    if (!m)
        return;
    free(m->verts);
    free(m->tris);
    memset(m, 0, sizeof(*m));
}

int mesh_tris_reserve(struct mesh_tris *m, size_t nverts, size_t ntris,
                      struct dy_err *err)
{
    if (nverts > UINT32_MAX)
        return dy_err_set(err, DY_ELIMIT, NULL,
                          "too many vertices (%zu, max %u)", nverts,
                          (unsigned)UINT32_MAX);
    if (ntris > MESH_MAX_TRIS)
        return dy_err_set(err, DY_ELIMIT, NULL,
                          "too many triangles (%zu, max %zu)", ntris,
                          (size_t)MESH_MAX_TRIS);
    if (nverts > m->verts_cap) {
        void *p = realloc(m->verts, nverts * sizeof(*m->verts));
        if (!p)
            return dy_err_set(err, DY_ENOMEM, NULL,
                              "out of memory for %zu vertices", nverts);
        m->verts = p;
        m->verts_cap = nverts;
    }
    if (ntris > m->tris_cap) {
        void *p = realloc(m->tris, ntris * sizeof(*m->tris));
        if (!p)
            return dy_err_set(err, DY_ENOMEM, NULL,
                              "out of memory for %zu triangles", ntris);
        m->tris = p;
        m->tris_cap = ntris;
    }
    return 0;
}

static size_t grow_cap(size_t cur, size_t need)
{
    size_t c = cur ? cur : 64;
    while (c < need)
        c += c / 2 + 16;
    return c;
}

int mesh_tris_add_vert(struct mesh_tris *m, float x, float y, float z,
                       uint32_t *idx_out, struct dy_err *err)
{
    if (m->nverts >= m->verts_cap) {
        size_t c = grow_cap(m->verts_cap, m->nverts + 1);
        if (c > UINT32_MAX)
            c = UINT32_MAX;
        int rc = mesh_tris_reserve(m, c, m->tris_cap, err);
        if (rc < 0)
            return rc;
        if (m->nverts >= m->verts_cap)
            return dy_err_set(err, DY_ELIMIT, NULL, "too many vertices");
    }
    float *v = m->verts[m->nverts];
    v[0] = x;
    v[1] = y;
    v[2] = z;
    if (idx_out)
        *idx_out = (uint32_t)m->nverts;
    m->nverts++;
    return 0;
}

int mesh_tris_add_tri(struct mesh_tris *m, uint32_t a, uint32_t b, uint32_t c,
                      struct dy_err *err)
{
    if (m->ntris >= m->tris_cap) {
        int rc = mesh_tris_reserve(m, m->verts_cap,
                                   grow_cap(m->tris_cap, m->ntris + 1), err);
        if (rc < 0)
            return rc;
    }
    uint32_t *t = m->tris[m->ntris++];
    t[0] = a;
    t[1] = b;
    t[2] = c;
    return 0;
}

int mesh_tris_append(struct mesh_tris *dst, const struct mesh_tris *src,
                     struct dy_err *err)
{
    size_t nv = dst->nverts + src->nverts, nt = dst->ntris + src->ntris;
    int rc = mesh_tris_reserve(dst, nv, nt, err);
    if (rc < 0)
        return rc;
    uint32_t off = (uint32_t)dst->nverts;
    memcpy(dst->verts + dst->nverts, src->verts,
           src->nverts * sizeof(*src->verts));
    for (size_t i = 0; i < src->ntris; i++)
        for (int k = 0; k < 3; k++)
            dst->tris[dst->ntris + i][k] = src->tris[i][k] + off;
    dst->nverts = nv;
    dst->ntris = nt;
    return 0;
}

bool mesh_tris_bounds(const struct mesh_tris *m, double min[3], double max[3])
{
    for (int k = 0; k < 3; k++) {
        min[k] = INFINITY;
        max[k] = -INFINITY;
    }
    for (size_t i = 0; i < m->ntris; i++) {
        for (int j = 0; j < 3; j++) {
            const float *v = m->verts[m->tris[i][j]];
            for (int k = 0; k < 3; k++) {
                if (v[k] < min[k])
                    min[k] = v[k];
                if (v[k] > max[k])
                    max[k] = v[k];
            }
        }
    }
    if (m->ntris == 0) {
        for (int k = 0; k < 3; k++)
            min[k] = max[k] = 0;
        return false;
    }
    return true;
}

void mesh_tris_measure(const struct mesh_tris *m, double *volume_mm3,
                       double *area_mm2)
{
    double lo[3], hi[3];
    mesh_tris_bounds(m, lo, hi);
    mesh_tris_measure_in(m, lo, hi, volume_mm3, area_mm2);
}

void mesh_tris_measure_in(const struct mesh_tris *m, const double lo[3], const double hi[3],
                          double *volume_mm3, double *area_mm2)
{
    double c[3];
    for (int k = 0; k < 3; k++)
        c[k] = 0.5 * (lo[k] + hi[k]);
    double vol = 0, area = 0;
    for (size_t i = 0; i < m->ntris; i++) {
        double p[3][3];
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                p[j][k] = m->verts[m->tris[i][j]][k] - c[k];
        double n[3];
        mesh_cross3(p[0], p[1], p[2], n);
        area += 0.5 * sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        /* Tetrahedron with the bbox centre: det(a, b, c) / 6. */
        vol += (p[0][0] * (p[1][1] * p[2][2] - p[1][2] * p[2][1]) -
                p[0][1] * (p[1][0] * p[2][2] - p[1][2] * p[2][0]) +
                p[0][2] * (p[1][0] * p[2][1] - p[1][1] * p[2][0])) / 6.0;
    }
    if (volume_mm3)
        *volume_mm3 = vol;
    if (area_mm2)
        *area_mm2 = area;
}

/* The error's `where`, formatted only on failure: formatting it for every
 * vertex took a quarter of `daryn slice` on a 1M-triangle mesh. */
static const char *tri_where(char *where, size_t size, const char *name, size_t i)
{
    snprintf(where, size, "%s: triangle %zu", name, i);
    return where;
}

int mesh_tris_validate(const struct mesh_tris *m, const char *name,
                       struct dy_err *err)
{
    char where[DY_ERR_WHERE_MAX];
    if (!name)
        name = "mesh";
    if (m->ntris == 0)
        return dy_err_set(err, DY_EFORMAT, name, "contains no triangles");
    for (size_t i = 0; i < m->ntris; i++) {
        for (int j = 0; j < 3; j++) {
            uint32_t vi = m->tris[i][j];
            if (vi >= m->nverts)
                return dy_err_set(err, DY_EFORMAT, tri_where(where, sizeof(where), name, i),
                                  "vertex %d has index %u, beyond the %zu "
                                  "vertices", j, (unsigned)vi, m->nverts);
            const float *v = m->verts[vi];
            for (int k = 0; k < 3; k++) {
                if (!isfinite(v[k]))
                    return dy_err_set(err, DY_EFORMAT,
                                      tri_where(where, sizeof(where), name, i),
                                      "vertex %d has a non-finite "
                                      "coordinate", j);
                if (fabsf(v[k]) > MESH_COORD_MAX_MM)
                    return dy_err_set(err, DY_ERANGE,
                                      tri_where(where, sizeof(where), name, i),
                                      "vertex %d has coordinate %c = %g mm, "
                                      "beyond +-%g mm (wrong units?)", j,
                                      "xyz"[k], (double)v[k],
                                      MESH_COORD_MAX_MM);
            }
        }
    }
    return 0;
}

static void put_f32(unsigned char *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    p[0] = u & 0xff;
    p[1] = (u >> 8) & 0xff;
    p[2] = (u >> 16) & 0xff;
    p[3] = u >> 24;
}

int mesh_stl_write(const struct mesh_tris *m, const char *path,
                   struct dy_err *err)
{
    struct dy_atomic out;
    int rc = dy_atomic_begin(&out, path, 0, err);
    if (rc < 0)
        return rc;
    FILE *fp = dy_atomic_file(&out, "wb");
    if (!fp)
        goto io_fail;
    unsigned char hdr[84] = "binary STL written by daryn";
    uint32_t n = (uint32_t)m->ntris;
    hdr[80] = n & 0xff;
    hdr[81] = (n >> 8) & 0xff;
    hdr[82] = (n >> 16) & 0xff;
    hdr[83] = n >> 24;
    if (fwrite(hdr, 1, 84, fp) != 84)
        goto io_fail;
    for (size_t i = 0; i < m->ntris; i++) {
        unsigned char rec[50] = {0};
        double p[3][3], nrm[3];
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                p[j][k] = m->verts[m->tris[i][j]][k];
        mesh_cross3(p[0], p[1], p[2], nrm);
        double len = sqrt(nrm[0] * nrm[0] + nrm[1] * nrm[1] + nrm[2] * nrm[2]);
        for (int k = 0; k < 3; k++)
            put_f32(rec + 4 * k, len > 0 ? (float)(nrm[k] / len) : 0.0f);
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                put_f32(rec + 12 + 12 * j + 4 * k, (float)p[j][k]);
        if (fwrite(rec, 1, 50, fp) != 50)
            goto io_fail;
    }
    return dy_atomic_commit(&out, err);
io_fail:
    rc = dy_err_set(err, DY_EIO, path, "write failed: %s", strerror(errno));
    dy_atomic_abort(&out);
    return rc;
}
