/* mesh_stl.c: native binary STL reader. Binary STL is the common big case
 * (1 M triangles = 50 MB) and trivial to read, so it skips Assimp and the
 * importer child process entirely. ASCII STL goes to Assimp. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daryn/mesh.h"
#include "mesh_internal.h"

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static float get_f32(const unsigned char *p)
{
    uint32_t u = get_u32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

/* An ASCII STL starts with "solid" (after optional blanks) and its first
 * 80 bytes are text; some binary exporters also start with "solid", so the
 * size check decides first. */
static bool looks_ascii(const unsigned char *hdr, size_t n)
{
    size_t i = 0;
    while (i < n && (hdr[i] == ' ' || hdr[i] == '\t' || hdr[i] == '\r' ||
                     hdr[i] == '\n'))
        i++;
    return n - i >= 5 && memcmp(hdr + i, "solid", 5) == 0;
}

int mesh_stl_read_binary(const char *path, struct mesh_tris *out,
                         struct dy_err *err)
{
    const char *name = mesh_path_base(path);
    unsigned char hdr[84];
    unsigned char *buf = NULL;
    int rc = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return dy_err_set(err, DY_EIO, name, "cannot open: %s",
                          strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) != 0) {
        rc = dy_err_set(err, DY_EIO, name, "cannot stat: %s",
                        strerror(errno));
        goto fail;
    }
    size_t size = (size_t)st.st_size;
    if (size == 0) {
        rc = dy_err_set(err, DY_EFORMAT, name, "file is empty");
        goto fail;
    }
    size_t got = fread(hdr, 1, sizeof(hdr), fp);
    if (got < sizeof(hdr)) {
        rc = looks_ascii(hdr, got) ? 1 :
             dy_err_set(err, DY_EFORMAT, name,
                        "too short for an STL file (%zu bytes; a binary "
                        "STL has an 84-byte header)", size);
        goto fail;
    }
    uint64_t n = get_u32(hdr + 80);
    uint64_t need = 84 + 50 * n;
    if (size != need && looks_ascii(hdr, sizeof(hdr))) {
        rc = 1;
        goto fail;
    }
    if (size < need) {
        rc = dy_err_set(err, DY_EFORMAT, name,
                        "truncated binary STL: the header says %llu "
                        "triangles (%llu bytes) but the file has %zu bytes",
                        (unsigned long long)n, (unsigned long long)need,
                        size);
        goto fail;
    }
    if (n == 0) {
        rc = dy_err_set(err, DY_EFORMAT, name, "contains no triangles");
        goto fail;
    }
    if (n > MESH_MAX_TRIS) {
        rc = dy_err_set(err, DY_ELIMIT, name,
                        "%llu triangles is beyond the limit of %zu",
                        (unsigned long long)n, (size_t)MESH_MAX_TRIS);
        goto fail;
    }
    rc = mesh_tris_reserve(out, 3 * n, n, err);
    if (rc < 0) {
        dy_err_prefix(err, name);
        goto fail;
    }
    /* Read in 64 K-triangle blocks: 3.2 MB of buffer instead of the whole
     * file. Every triangle gets its own 3 vertices; mesh_repair welds. */
    enum { BLOCK = 65536 };
    buf = malloc((size_t)BLOCK * 50);
    if (!buf) {
        rc = dy_err_set(err, DY_ENOMEM, name, "out of memory");
        goto fail;
    }
    for (uint64_t done = 0; done < n;) {
        size_t want = n - done < BLOCK ? (size_t)(n - done) : BLOCK;
        if (fread(buf, 50, want, fp) != want) {
            rc = dy_err_set(err, DY_EIO, name, "read failed at triangle "
                            "%llu", (unsigned long long)done);
            goto fail;
        }
        for (size_t i = 0; i < want; i++) {
            const unsigned char *r = buf + 50 * i + 12;
            size_t t = (size_t)done + i;
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++)
                    out->verts[3 * t + j][k] = get_f32(r + 12 * j + 4 * k);
                out->tris[t][j] = (uint32_t)(3 * t + j);
            }
        }
        done += want;
    }
    out->nverts = 3 * n;
    out->ntris = n;
    rc = 0;
fail:
    free(buf);
    fclose(fp);
    if (rc < 0)
        mesh_tris_fini(out);
    return rc;
}
