/* mesh_internal.h: helpers shared by the mesh module's .c files (not
 * public). */
#ifndef DARYN_MESH_INTERNAL_H
#define DARYN_MESH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "daryn/mesh.h"

/* Safety cap: 50 M triangles is ~2.4 GB of binary STL; beyond that a file is
 * more likely an attack than a print. */
#define MESH_MAX_TRIS ((size_t)50 * 1000 * 1000)

/* n = (b - a) x (c - a) */
static inline void mesh_cross3(const double a[3], const double b[3],
                               const double c[3], double n[3])
{
    double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    n[0] = u[1] * v[2] - u[2] * v[1];
    n[1] = u[2] * v[0] - u[0] * v[2];
    n[2] = u[0] * v[1] - u[1] * v[0];
}

/* Base name of a path (borrowed pointer into path). */
const char *mesh_path_base(const char *path);

/* Native binary STL reader (mesh_stl.c). Returns 1 when the file is not a
 * binary STL (so the caller tries ASCII/Assimp), 0 on success, < 0 error. */
int mesh_stl_read_binary(const char *path, struct mesh_tris *out,
                         struct dy_err *err);

/* Native OFF reader (mesh_off.c): 0 or < 0 error. */
int mesh_off_read(const char *path, struct mesh_tris *out, struct dy_err *err);

/* Reads the <model unit="..."> of a 3MF's 3D/3dmodel.model (mesh_3mf.c):
 * *mm_per_unit gets the scale (1 when the attribute is absent). */
int mesh_3mf_read_unit(const char *path, double *mm_per_unit,
                       struct dy_err *err);

/* Assimp import in a child process (mesh_import.c). */
struct mesh_assimp_meta {
    int up_axis;             /* -1 unknown, 0 X, 1 Y, 2 Z (from metadata) */
    double unit_scale;       /* FBX UnitScaleFactor, 0 when absent */
};

/* mesh_tris_measure with the bounds already known (mesh_tris_bounds of m):
 * saves a pass over every triangle. */
void mesh_tris_measure_in(const struct mesh_tris *m, const double lo[3], const double hi[3],
                          double *volume_mm3, double *area_mm2);

#endif
