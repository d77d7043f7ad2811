/* testmesh.c: procedural test meshes (see testmesh.h). */
#include <math.h>
#include <stdint.h>

#include "testmesh.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static int vert(struct mesh_tris *m, double x, double y, double z,
                uint32_t *idx)
{
    return mesh_tris_add_vert(m, (float)x, (float)y, (float)z, idx, NULL);
}

static int quad(struct mesh_tris *m, uint32_t a, uint32_t b, uint32_t c,
                uint32_t d)
{
    int rc = mesh_tris_add_tri(m, a, b, c, NULL);
    return rc < 0 ? rc : mesh_tris_add_tri(m, a, c, d, NULL);
}

/* Box faces as CCW-from-outside corner quads; corner i has bit 0 = x,
 * bit 1 = y, bit 2 = z. */
static const int box_faces[6][4] = {
    {0, 2, 3, 1}, /* z- */
    {4, 5, 7, 6}, /* z+ */
    {0, 1, 5, 4}, /* y- */
    {2, 6, 7, 3}, /* y+ */
    {0, 4, 6, 2}, /* x- */
    {1, 3, 7, 5}, /* x+ */
};

static int box_faces_add(struct mesh_tris *m, const double lo[3],
                         const double hi[3], int skip_face)
{
    uint32_t base = (uint32_t)m->nverts, idx;
    for (int i = 0; i < 8; i++) {
        int rc = vert(m, i & 1 ? hi[0] : lo[0], i & 2 ? hi[1] : lo[1],
                      i & 4 ? hi[2] : lo[2], &idx);
        if (rc < 0)
            return rc;
    }
    for (int f = 0; f < 6; f++) {
        if (f == skip_face)
            continue;
        const int *q = box_faces[f];
        int rc = quad(m, base + q[0], base + q[1], base + q[2], base + q[3]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int testmesh_box(struct mesh_tris *m, const double lo[3], const double hi[3])
{
    return box_faces_add(m, lo, hi, -1);
}

int testmesh_cube(struct mesh_tris *m, double size)
{
    double lo[3] = {0, 0, 0}, hi[3] = {size, size, size};
    return testmesh_box(m, lo, hi);
}

int testmesh_cube_missing_face(struct mesh_tris *m, double size)
{
    double lo[3] = {0, 0, 0}, hi[3] = {size, size, size};
    return box_faces_add(m, lo, hi, 1);
}

int testmesh_cube_flipped(struct mesh_tris *m, double size)
{
    size_t first = m->ntris;
    int rc = testmesh_cube(m, size);
    for (size_t i = first; rc == 0 && i < m->ntris; i++) {
        uint32_t t = m->tris[i][1];
        m->tris[i][1] = m->tris[i][2];
        m->tris[i][2] = t;
    }
    return rc;
}

int testmesh_cylinder(struct mesh_tris *m, double cx, double cy, double z0,
                      double r, double h, int seg)
{
    uint32_t base = (uint32_t)m->nverts, bc, tc, idx;
    int rc = vert(m, cx, cy, z0, &bc);
    if (rc == 0)
        rc = vert(m, cx, cy, z0 + h, &tc);
    for (int i = 0; rc == 0 && i < seg; i++) {
        double a = 2 * M_PI * i / seg;
        double x = cx + r * cos(a), y = cy + r * sin(a);
        rc = vert(m, x, y, z0, &idx);
        if (rc == 0)
            rc = vert(m, x, y, z0 + h, &idx);
    }
    for (int i = 0; rc == 0 && i < seg; i++) {
        int j = (i + 1) % seg;
        uint32_t b0 = base + 2 + 2 * i, t0 = b0 + 1;
        uint32_t b1 = base + 2 + 2 * j, t1 = b1 + 1;
        rc = mesh_tris_add_tri(m, bc, b1, b0, NULL);
        if (rc == 0)
            rc = mesh_tris_add_tri(m, tc, t0, t1, NULL);
        if (rc == 0)
            rc = quad(m, b0, b1, t1, t0);
    }
    return rc;
}

int testmesh_sphere(struct mesh_tris *m, const double c[3], double r,
                    int stacks, int slices)
{
    uint32_t base = (uint32_t)m->nverts, south, north, idx;
    int rc = vert(m, c[0], c[1], c[2] - r, &south);
    if (rc == 0)
        rc = vert(m, c[0], c[1], c[2] + r, &north);
    for (int s = 1; rc == 0 && s < stacks; s++) {
        double phi = -M_PI / 2 + M_PI * s / stacks;
        for (int k = 0; rc == 0 && k < slices; k++) {
            double th = 2 * M_PI * k / slices;
            rc = vert(m, c[0] + r * cos(phi) * cos(th),
                      c[1] + r * cos(phi) * sin(th), c[2] + r * sin(phi),
                      &idx);
        }
    }
#define RING(s, k) (base + 2 + (uint32_t)((s) - 1) * slices + ((k) % slices))
    for (int k = 0; rc == 0 && k < slices; k++) {
        rc = mesh_tris_add_tri(m, south, RING(1, k + 1), RING(1, k), NULL);
        if (rc == 0)
            rc = mesh_tris_add_tri(m, north, RING(stacks - 1, k),
                                   RING(stacks - 1, k + 1), NULL);
    }
    for (int s = 1; rc == 0 && s < stacks - 1; s++)
        for (int k = 0; rc == 0 && k < slices; k++)
            rc = quad(m, RING(s, k), RING(s, k + 1), RING(s + 1, k + 1),
                      RING(s + 1, k));
#undef RING
    return rc;
}

int testmesh_sphere_ntris(struct mesh_tris *m, double r, size_t ntris)
{
    /* 2*slices*(stacks-1) with stacks = slices/2 ~ slices^2 triangles. */
    int slices = (int)ceil(sqrt((double)ntris));
    if (slices < 4)
        slices = 4;
    double c[3] = {0, 0, 0};
    return testmesh_sphere(m, c, r, slices / 2 + 1, slices);
}

int testmesh_torus(struct mesh_tris *m, const double c[3], double R, double r,
                   int nu, int nv)
{
    uint32_t base = (uint32_t)m->nverts, idx;
    int rc = 0;
    for (int i = 0; rc == 0 && i < nu; i++) {
        double u = 2 * M_PI * i / nu;
        for (int j = 0; rc == 0 && j < nv; j++) {
            double v = 2 * M_PI * j / nv;
            double rr = R + r * cos(v);
            rc = vert(m, c[0] + rr * cos(u), c[1] + rr * sin(u),
                      c[2] + r * sin(v), &idx);
        }
    }
#define TV(i, j) (base + (uint32_t)(((i) % nu) * nv + ((j) % nv)))
    for (int i = 0; rc == 0 && i < nu; i++)
        for (int j = 0; rc == 0 && j < nv; j++)
            rc = quad(m, TV(i, j), TV(i + 1, j), TV(i + 1, j + 1),
                      TV(i, j + 1));
#undef TV
    return rc;
}

int testmesh_overhang_t(struct mesh_tris *m)
{
    /* One closed shell: a stem 10x10x30 and a bar 50x10x10 on top, sharing
     * the stem's top face. Built as a polygon extruded along Y so the shell
     * is a single manifold (not two touching boxes). */
    static const double prof[8][2] = {
        {20, 0}, {30, 0}, {30, 30}, {50, 30},
        {50, 40}, {0, 40}, {0, 30}, {20, 30},
    };
    uint32_t base = (uint32_t)m->nverts, idx;
    int rc = 0;
    for (int y = 0; y < 2 && rc == 0; y++)
        for (int i = 0; i < 8 && rc == 0; i++)
            rc = vert(m, prof[i][0], y * 10.0, prof[i][1], &idx);
    /* Side walls: the profile is CCW seen from -Y (x right, z up), so
     * (i, i+8, j+8, j) faces outward. */
    for (int i = 0; i < 8 && rc == 0; i++) {
        int j = (i + 1) % 8;
        rc = quad(m, base + i, base + 8 + i, base + 8 + j, base + j);
    }
    /* Caps (y = 0 faces -Y, y = 10 faces +Y): the T split into 2 convex
     * parts: stem {0,1,2,7} and bar {7,2,3,4,5,6}. */
    static const int stem[4] = {0, 1, 2, 7};
    static const int bar[6] = {6, 7, 2, 3, 4, 5};
    for (int s = 0; s < 2 && rc == 0; s++) {
        uint32_t o = base + (s ? 8 : 0);
        for (int k = 1; k + 1 < 4 && rc == 0; k++)
            rc = s ? mesh_tris_add_tri(m, o + stem[0], o + stem[k + 1],
                                       o + stem[k], NULL)
                   : mesh_tris_add_tri(m, o + stem[0], o + stem[k],
                                       o + stem[k + 1], NULL);
        for (int k = 1; k + 1 < 6 && rc == 0; k++)
            rc = s ? mesh_tris_add_tri(m, o + bar[0], o + bar[k + 1],
                                       o + bar[k], NULL)
                   : mesh_tris_add_tri(m, o + bar[0], o + bar[k],
                                       o + bar[k + 1], NULL);
    }
    return rc;
}

int testmesh_figurine(struct mesh_tris *m)
{
    /* Standing figure about 40 x 16 x 62 mm: legs, body, arms, head. */
    double leg1[2][3] = {{2, 4, 0}, {8, 12, 22}};
    double leg2[2][3] = {{12, 4, 0}, {18, 12, 22}};
    double body[2][3] = {{0, 2, 20}, {20, 14, 45}};
    double head[3] = {10, 8, 52};
    int rc = testmesh_box(m, leg1[0], leg1[1]);
    if (rc == 0)
        rc = testmesh_box(m, leg2[0], leg2[1]);
    if (rc == 0)
        rc = testmesh_box(m, body[0], body[1]);
    if (rc == 0)
        rc = testmesh_sphere(m, head, 9, 12, 24);
    /* Arms: horizontal cylinders along X, built along Z then rotated. */
    for (int side = 0; side < 2 && rc == 0; side++) {
        struct mesh_tris arm = {0};
        rc = testmesh_cylinder(&arm, 0, 0, 0, 3, 14, 16);
        if (rc == 0) {
            testmesh_rotate(&arm, 0, side ? 90 : -90, 0);
            testmesh_translate(&arm, side ? 16 : 4, 8, 40);
            rc = mesh_tris_append(m, &arm, NULL);
        }
        mesh_tris_fini(&arm);
    }
    return rc;
}

void testmesh_rotate(struct mesh_tris *m, double rx, double ry, double rz)
{
    double a[3] = {rx * M_PI / 180, ry * M_PI / 180, rz * M_PI / 180};
    for (size_t i = 0; i < m->nverts; i++) {
        double x = m->verts[i][0], y = m->verts[i][1], z = m->verts[i][2], t;
        t = y * cos(a[0]) - z * sin(a[0]);
        z = y * sin(a[0]) + z * cos(a[0]);
        y = t;
        t = x * cos(a[1]) + z * sin(a[1]);
        z = -x * sin(a[1]) + z * cos(a[1]);
        x = t;
        t = x * cos(a[2]) - y * sin(a[2]);
        y = x * sin(a[2]) + y * cos(a[2]);
        x = t;
        m->verts[i][0] = (float)x;
        m->verts[i][1] = (float)y;
        m->verts[i][2] = (float)z;
    }
}

void testmesh_translate(struct mesh_tris *m, double dx, double dy, double dz)
{
    for (size_t i = 0; i < m->nverts; i++) {
        m->verts[i][0] = (float)(m->verts[i][0] + dx);
        m->verts[i][1] = (float)(m->verts[i][1] + dy);
        m->verts[i][2] = (float)(m->verts[i][2] + dz);
    }
}

int testmesh_write_stl(const struct mesh_tris *m, const char *path)
{
    return mesh_stl_write(m, path, NULL);
}
