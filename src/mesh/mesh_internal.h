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

/* Native 3MF reader (mesh_3mf.c). Safety caps; mesh_3mf_limits_default
 * holds the values used by mesh_import (tests pass smaller ones). */
struct mesh_3mf_limits {
    uint64_t part_bytes;    /* inflated XML bytes of one model part */
    uint64_t total_bytes;   /* over all parts read */
    double max_ratio;       /* inflated / compressed size of a part */
    size_t max_tris;        /* stored, and after expanding the build; the
                               stored vertices are capped by it too */
    size_t max_parts, max_objects, max_components; /* components + items */
    size_t max_instances;   /* objects placed when expanding the build */
    int max_depth;          /* component nesting */
};
extern const struct mesh_3mf_limits mesh_3mf_limits_default;

/* Reads the 3MF at `path`: the root model part (from _rels/.rels, else
 * 3D/3dmodel.model) and the parts it references through p:path, every
 * printable build item with its transforms merged into *out (empty on
 * entry; emptied on failure). Coordinates are in the root part's unit;
 * *mm_per_unit gets that unit in mm. lim NULL: the defaults. */
int mesh_3mf_read(const char *path, const struct mesh_3mf_limits *lim,
                  struct mesh_tris *out, double *mm_per_unit,
                  struct dy_err *err);

/* Only the root <model unit="..."> (for the Assimp path, which ignores
 * it): *mm_per_unit gets the scale (1 when the attribute is absent). */
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
