/* bench_make_meshes: writes the benchmark meshes into a folder:
 * sphere-1m.stl (r = 10 mm, ~1,000,000 triangles, as in shared/BENCHMARKS.md)
 * and cube20.stl (20 mm cube). */
#include <stdio.h>

#include "daryn/mesh.h"
#include "testmesh.h"

static int write_one(const char *dir, const char *name, struct mesh_tris *m)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int rc = testmesh_write_stl(m, path);
    if (rc < 0)
        fprintf(stderr, "bench_make_meshes: cannot write %s\n", path);
    else
        printf("%s: %zu triangles\n", path, m->ntris);
    mesh_tris_fini(m);
    return rc;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    struct mesh_tris sphere = {0}, cube = {0};
    if (testmesh_sphere_ntris(&sphere, 10.0, 1000000) < 0 || testmesh_cube(&cube, 20.0) < 0) {
        fprintf(stderr, "bench_make_meshes: out of memory\n");
        return 1;
    }
    testmesh_translate(&sphere, 0, 0, 10);
    if (write_one(dir, "sphere-1m.stl", &sphere) < 0 || write_one(dir, "cube20.stl", &cube) < 0)
        return 1;
    return 0;
}
