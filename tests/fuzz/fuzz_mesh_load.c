/* fuzz_mesh_load.c: mesh_import + mesh_repair + mesh_place on arbitrary
 * bytes. The first byte picks the extension; the rest is the file. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "daryn/mesh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *ext[] = {"stl", "obj", "ply", "off", "3mf", "glb"};
    if (size < 1 || size > (1 << 20))
        return 0;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/fuzz_mesh_%ld.%s", (long)getpid(),
             ext[data[0] % 6]);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 0;
    fwrite(data + 1, 1, size - 1, fp);
    fclose(fp);
    struct mesh_tris m = {0};
    struct dy_err err = {0};
    struct mesh_import_opts io = {.timeout_s = 10};
    if (mesh_import(path, &io, &m, NULL, &err) == 0) {
        struct mesh_report rep;
        if (mesh_repair(&m, NULL, &rep, &err) == 0) {
            struct mesh_place_opts po = {.auto_orient = true, .fit = true,
                                         .bed_mm = {220, 220, 250}};
            mesh_place(&m, &po, NULL, &err);
        }
    }
    mesh_tris_fini(&m);
    unlink(path);
    return 0;
}
