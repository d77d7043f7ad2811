/* mesh.h: triangle meshes for the print pipeline (first stage).
 * `struct mesh_tris` is the plain data handed from import/repair/placement to
 * the slicer: indexed triangles in millimetres, Z up, counter-clockwise
 * outward-facing after repair.
 *
 * Pipeline: mesh_import() -> mesh_repair() -> mesh_place() -> slicer.
 *
 * Conventions decided once, at import (mesh_import):
 *  - Units: everything is millimetres after import. Per-format defaults when
 *    opts.units == MESH_UNIT_AUTO: STL, OBJ, PLY, OFF, 3DS: mm (printing
 *    convention, the files carry no unit); 3MF: the <model unit="..."> of
 *    the root model part (default millimeter, as the 3MF spec says; parts
 *    referenced through the Production extension are converted to it); glTF/GLB: metres (glTF spec); FBX: the file's
 *    UnitScaleFactor (centimetres per unit, FBX convention, default 1 cm);
 *    DAE: metres (Assimp applies the file's <unit meter=...> and hands over
 *    metres). An explicit opts.units overrides the per-format default (for
 *    3MF and FBX it replaces the file's own unit).
 *  - Up axis: printers are Z-up. Y-up sources are rotated +90 degrees about X
 *    (y -> z, z -> -y), which keeps handedness and winding. With
 *    MESH_UP_AUTO: glTF/GLB Y-up (spec); DAE Y-up (Assimp converts Z_UP and
 *    X_UP files to Y-up itself); FBX: the file's UpAxis metadata (default Y);
 *    OBJ Y-up (Blender, Maya and most DCC tools export Y-up OBJ; use
 *    MESH_UP_Z for OBJ files written by CAD/slicer tools); STL, PLY, OFF and
 *    3MF are Z-up.
 *  - Robustness: every Assimp import runs in a forked child process that
 *    sends the merged triangles back through a pipe, under a timeout; a crash
 *    or hang of the importer becomes an error ("3MF importer crashed on
 *    x.3mf"). Binary STL (the big common case), OFF (Assimp's OFF reader
 *    aborts on malformed faces) and 3MF (Assimp 5.2 crashed on half of the
 *    real slicer 3MF files we tried) are read natively in-process. The 3MF
 *    reader (libzip + expat, streamed) merges every build item of
 *    type="model" with its transforms, expands components (also across
 *    model parts via the Production extension's p:path), and skips support
 *    and other objects.
 */
#ifndef DARYN_MESH_H
#define DARYN_MESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "daryn/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Indexed triangles. Owned by whoever initialised it (zero-initialise, or
 * mesh_tris_init); free with mesh_tris_fini. verts/tris are malloc'ed
 * arrays of nverts/ntris used entries (cap = allocated entries). */
struct mesh_tris {
    float (*verts)[3];     /* x, y, z in mm */
    uint32_t (*tris)[3];   /* vertex indices */
    size_t nverts, ntris;
    size_t verts_cap, tris_cap;
};

/* Zeroes *m (no allocation). */
void mesh_tris_init(struct mesh_tris *m);
/* Frees both arrays and zeroes *m; m may be NULL; safe to call twice. */
void mesh_tris_fini(struct mesh_tris *m);
/* Grows capacity to at least nverts / ntris entries. Existing pointers into
 * verts/tris are dead afterwards. DY_ENOMEM / DY_ELIMIT (more than 2^32-1
 * vertices) on failure, *m unchanged then. */
int mesh_tris_reserve(struct mesh_tris *m, size_t nverts, size_t ntris,
                      struct dy_err *err);
/* Appends a vertex (mm) / a triangle (indices); the index of the new vertex
 * is returned in *idx_out (may be NULL). Amortised O(1). */
int mesh_tris_add_vert(struct mesh_tris *m, float x, float y, float z,
                       uint32_t *idx_out, struct dy_err *err);
int mesh_tris_add_tri(struct mesh_tris *m, uint32_t a, uint32_t b, uint32_t c,
                      struct dy_err *err);
/* Appends all of src to dst (indices offset). */
int mesh_tris_append(struct mesh_tris *dst, const struct mesh_tris *src,
                     struct dy_err *err);
/* Axis-aligned bounds of the vertices used by triangles (mm). Returns false
 * (and zeroes min/max) when there are no triangles. */
bool mesh_tris_bounds(const struct mesh_tris *m, double min[3], double max[3]);
/* Signed volume (mm^3, positive for outward CCW closed meshes) and surface
 * area (mm^2); either out pointer may be NULL. Sums in double relative to
 * the bbox centre for precision. */
void mesh_tris_measure(const struct mesh_tris *m, double *volume_mm3,
                       double *area_mm2);
/* Checks what import guarantees: at least one triangle, indices in range,
 * every coordinate finite and |c| <= MESH_COORD_MAX_MM. `name` (borrowed,
 * usually the file's base name) goes into err->where, e.g.
 * "figure.stl: triangle 1234" + "vertex 2 has a non-finite coordinate". */
#define MESH_COORD_MAX_MM 1e5
int mesh_tris_validate(const struct mesh_tris *m, const char *name,
                       struct dy_err *err);
/* Writes binary STL (little-endian, facet normals computed) to a temp file
 * beside `path` and renames it over `path`. */
int mesh_stl_write(const struct mesh_tris *m, const char *path,
                   struct dy_err *err);

/* ---- import ---------------------------------------------------------- */

enum mesh_unit {
    MESH_UNIT_AUTO = 0,  /* per-format default, see the top of this header */
    MESH_UNIT_MM,
    MESH_UNIT_CM,
    MESH_UNIT_M,
    MESH_UNIT_INCH,
};

enum mesh_up {
    MESH_UP_AUTO = 0,    /* per-format default, see the top of this header */
    MESH_UP_Z,           /* the file is Z-up: no rotation */
    MESH_UP_Y,           /* the file is Y-up: rotate +90 degrees about X */
};

struct mesh_import_opts {
    enum mesh_unit units;
    enum mesh_up up;
    double timeout_s;    /* importer child time limit; <= 0 means 120 s */
    bool in_process;     /* run Assimp in this process (debugging only: an
                            importer crash then takes the caller down) */
    bool force_assimp;   /* read binary STL, OFF and 3MF through Assimp
                            too (3MF units are still honoured) */
};

/* Parses "mm", "cm", "m", "inch"/"in" (and "auto"). DY_EINVAL otherwise. */
int mesh_unit_parse(const char *s, enum mesh_unit *out, struct dy_err *err);
/* Millimetres per unit (MESH_UNIT_AUTO -> 1). */
double mesh_unit_mm(enum mesh_unit u);

/* What the importer decided; optional output of mesh_import. */
struct mesh_import_info {
    char format[16];     /* "STL", "OBJ", "3MF", "glTF", ... */
    double mm_per_unit;  /* scale applied to the file's coordinates */
    bool rotated_y_up;   /* a Y-up -> Z-up rotation was applied */
    bool native;         /* read by Daryn's own reader, not Assimp */
};

/* Reads `path` (format by extension, binary STL sniffed by size) into *out
 * (must be empty/zeroed; on success the caller frees it with
 * mesh_tris_fini; on failure it stays empty). opts may be NULL (defaults).
 * info may be NULL. Coordinates are converted to mm and Z-up, then
 * validated (mesh_tris_validate). Vertices are NOT welded: mesh_repair does
 * that. Errors name the file in err->where: DY_EIO (cannot read),
 * DY_EFORMAT (garbage, truncated, no triangles, non-finite), DY_ERANGE
 * (coordinates > 1e5 mm after units), DY_EUNSUPPORTED (extension),
 * DY_EEXTERNAL (importer crashed or timed out). */
int mesh_import(const char *path, const struct mesh_import_opts *opts,
                struct mesh_tris *out, struct mesh_import_info *info,
                struct dy_err *err);

/* ---- repair ---------------------------------------------------------- */

struct mesh_repair_opts {
    double weld_tol_mm;  /* vertices closer than this merge; <= 0 -> 1e-4 */
};

/* Counts and measures. mesh_repair fills all of it; mesh_report_compute
 * fills the geometry part (bbox, size, volume, area, counts) only. */
struct mesh_report {
    size_t input_verts, input_tris;  /* before repair */
    size_t nverts, ntris;            /* after repair */
    size_t welded_verts;             /* vertices merged into others */
    size_t degenerate_dropped;       /* zero-area or repeated-index tris */
    size_t duplicate_dropped;        /* same three vertices as another tri */
    size_t flipped_fixed;            /* tris flipped (consistency+outward) */
    size_t shells;                   /* edge-connected components */
    size_t closed_shells;            /* shells with no hole, all manifold */
    size_t shells_turned_out;        /* shells flipped to face outward */
    size_t orientation_conflicts;    /* edges no orientation can satisfy */
    size_t boundary_edges;           /* edges with exactly one triangle */
    size_t holes;                    /* boundary loops */
    size_t nonmanifold_edges;        /* edges with more than 2 triangles */
    double volume_mm3;               /* sum of shells' signed volumes */
    double area_mm2;
    double bbox_min[3], bbox_max[3]; /* mm */
    double size[3];                  /* bbox_max - bbox_min, mm */
};

/* Welds vertices within opts->weld_tol_mm (spatial hash, O(n)), drops
 * degenerate and duplicate triangles, makes each edge-connected shell
 * consistently oriented (BFS across manifold edges), turns every shell with
 * negative signed volume outward, and measures holes, non-manifold edges,
 * shells and volume. *m is rewritten in place (old verts/tris pointers are
 * dead). opts/rep may be NULL. Fails with DY_EFORMAT when no triangle is
 * left, DY_ENOMEM. Note: shells nested inside others (hollow parts) are
 * turned outward too, which fills the cavity when slicing. */
int mesh_repair(struct mesh_tris *m, const struct mesh_repair_opts *opts,
                struct mesh_report *rep, struct dy_err *err);

/* Fills counts, bbox/size, volume and area of *m into *rep (the repair
 * counters are zeroed). */
void mesh_report_compute(const struct mesh_tris *m, struct mesh_report *rep);

/* ---- placement ------------------------------------------------------- */

struct mesh_place_opts {
    double scale;        /* uniform factor; <= 0 means 1 */
    double height_mm;    /* > 0: scale uniformly so Z size == this (applied
                            after rotation, replaces `scale`) */
    double rotate_deg[3];/* about X, then Y, then Z (right-hand rule) */
    bool auto_orient;    /* rest the model on its largest flat face */
    bool fit;            /* scale down to fit the bed instead of refusing */
    bool no_center;      /* keep x/y (still dropped to z = 0) */
    double bed_mm[3];    /* printable x, y, z; 0 in x or y skips bed checks */
};

struct mesh_place_result {
    double scale_applied;   /* total uniform scale applied */
    double size[3];         /* final size, mm */
    double contact_mm2;     /* area within 0.1 mm of the bed */
    bool reoriented;        /* auto-orient changed the orientation */
};

/* Applies, in order: rotation, auto-orient, scale/height, fit check, then
 * drops the model to z = 0 and centres its bbox on the bed (bed origin at a
 * corner: centre = bed/2). If the model is bigger than the bed and !fit,
 * fails with DY_ERANGE and a message with the scale that fits, e.g. "model
 * is 312.0 x 80.2 x 95.1 mm; the bed is 220 x 220 x 250 mm: use --scale
 * 0.70 or --fit". *m is modified in place; res may be NULL. */
int mesh_place(struct mesh_tris *m, const struct mesh_place_opts *opts,
               struct mesh_place_result *res, struct dy_err *err);

/* ---- summary (daryn mesh-info) --------------------------------------- */

struct mesh_info {
    struct mesh_import_info import;
    struct mesh_report report;       /* after repair */
};

/* Imports and repairs `path` (nothing is kept), filling *out. */
int mesh_info_load(const char *path, const struct mesh_import_opts *iopts,
                   const struct mesh_repair_opts *ropts,
                   struct mesh_info *out, struct dy_err *err);
/* Prints a human-readable multi-line summary (instructor-facing, English). */
void mesh_info_print(const struct mesh_info *info, const char *name,
                     FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
