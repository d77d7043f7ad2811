/* testmesh.h: procedural meshes for tests (mesh, slice, gcode). Every
 * builder appends to *m (zero-initialise it first; free with
 * mesh_tris_fini), in mm, Z up, CCW outward, closed unless the name says
 * otherwise, and returns 0 or a negative DY_E* code (out of memory). */
#ifndef DARYN_TESTMESH_H
#define DARYN_TESTMESH_H

#include <stddef.h>

#include "daryn/mesh.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Axis-aligned box from lo to hi: 8 vertices, 12 triangles. */
int testmesh_box(struct mesh_tris *m, const double lo[3], const double hi[3]);
/* Cube with edge `size`, min corner at the origin (0..size on each axis). */
int testmesh_cube(struct mesh_tris *m, double size);
/* Cylinder along Z: centre (cx, cy), bottom z0, radius r, height h,
 * `seg` sides (>= 3): 2*seg+2 vertices, 4*seg triangles. */
int testmesh_cylinder(struct mesh_tris *m, double cx, double cy, double z0,
                      double r, double h, int seg);
/* UV sphere centred at c: `stacks` (>= 2) bands, `slices` (>= 3) around:
 * 2 + (stacks-1)*slices vertices, 2*slices*(stacks-1) triangles. */
int testmesh_sphere(struct mesh_tris *m, const double c[3], double r,
                    int stacks, int slices);
/* Sphere with about `ntris` triangles (stacks = slices/2). */
int testmesh_sphere_ntris(struct mesh_tris *m, double r, size_t ntris);
/* Torus in the XY plane centred at c: major R, minor r, nu x nv quads. */
int testmesh_torus(struct mesh_tris *m, const double c[3], double R, double r,
                   int nu, int nv);
/* Overhanging T: a 10x10x30 stem with a 50x10x10 bar on top (one closed,
 * non-convex shell; the bar overhangs 20 mm each side): 50 x 10 x 40 mm,
 * volume 8000 mm^3, x 0..50, y 0..10, z 0..40. */
int testmesh_overhang_t(struct mesh_tris *m);
/* Figurine about 40 x 18 x 61 mm (x -10..30, y -1..17, z 0..61): two leg
 * boxes, a body box, a head sphere and two arm cylinders as 6 overlapping
 * closed shells (TESTMESH_FIGURINE_SHELLS). */
#define TESTMESH_FIGURINE_SHELLS 6
int testmesh_figurine(struct mesh_tris *m);
/* Cube (0..size) with its top face (2 triangles) missing: a 4-edge hole. */
int testmesh_cube_missing_face(struct mesh_tris *m, double size);
/* Cube (0..size) with every triangle wound inward (volume -size^3). */
int testmesh_cube_flipped(struct mesh_tris *m, double size);
/* Rotates vertices by the given degrees about X, then Y, then Z. */
void testmesh_rotate(struct mesh_tris *m, double rx, double ry, double rz);
/* Adds (dx, dy, dz) to every vertex. */
void testmesh_translate(struct mesh_tris *m, double dx, double dy, double dz);
/* Writes *m as binary STL (wrapper of mesh_stl_write without an err). */
int testmesh_write_stl(const struct mesh_tris *m, const char *path);

#ifdef __cplusplus
}
#endif
#endif
