/* mesh_off.c: native OFF reader. OFF is a few lines of text, and fuzzing
 * showed Assimp 5.2's OFF importer aborting (ai_assert in Triangulate) on
 * bad face lines, so we read it ourselves with exact line numbers in the
 * errors. Polygons are fan-triangulated; colours after the numbers are
 * ignored (COFF). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/mesh.h"
#include "mesh_internal.h"

struct off_reader {
    char *buf, *p;
    long line;
};

/* Next line with content (comments and blanks skipped); NULL at EOF. The
 * line is NUL-terminated in place. */
static char *off_line(struct off_reader *r)
{
    while (*r->p) {
        char *s = r->p, *e = strchr(s, '\n');
        r->p = e ? e + 1 : s + strlen(s);
        if (e)
            *e = '\0';
        r->line++;
        char *hash = strchr(s, '#');
        if (hash)
            *hash = '\0';
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (*s)
            return s;
    }
    return NULL;
}

int mesh_off_read(const char *path, struct mesh_tris *out, struct dy_err *err)
{
    const char *name = mesh_path_base(path);
    char where[DY_ERR_WHERE_MAX];
    struct off_reader r = {0};
    int rc = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return dy_err_set(err, DY_EIO, name, "cannot open: %s",
                          strerror(errno));
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    if (size < 0 || size > (1L << 30)) {
        fclose(fp);
        return dy_err_set(err, DY_ELIMIT, name, "OFF file too large");
    }
    r.buf = malloc((size_t)size + 1);
    if (!r.buf) {
        fclose(fp);
        return dy_err_set(err, DY_ENOMEM, name, "out of memory");
    }
    size_t got = fread(r.buf, 1, (size_t)size, fp);
    fclose(fp);
    r.buf[got] = '\0';
    if (memchr(r.buf, '\0', got)) {
        rc = dy_err_set(err, DY_EFORMAT, name, "binary data in an OFF "
                        "file (binary OFF is not supported)");
        goto fail;
    }
    r.p = r.buf;
    char *s = off_line(&r), *end;
    if (!s) {
        rc = dy_err_set(err, DY_EFORMAT, name, "file is empty");
        goto fail;
    }
    /* Header keyword ("OFF", "COFF", "NOFF", ...), maybe with the counts
     * on the same line. */
    char *kw = strstr(s, "OFF");
    if (kw && kw - s <= 4) {
        s = kw + 3;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            s = off_line(&r);
    }
    long nv = s ? strtol(s, &end, 10) : -1, nf = -1;
    if (s && end != s)
        nf = strtol(end, &end, 10);
    snprintf(where, sizeof(where), "%s:%ld", name, r.line);
    if (nv <= 0 || nf < 0 || (unsigned long)nv > UINT32_MAX ||
        (size_t)nf > MESH_MAX_TRIS) {
        rc = dy_err_set(err, DY_EFORMAT, where, "expected the vertex and "
                        "face counts");
        goto fail;
    }
    /* The counts are only claims: a vertex line takes at least 6 bytes
     * ("0 0 0\n") and a face line 2, so a short file cannot make us
     * reserve gigabytes (found by fuzzing). */
    if ((size_t)nv > (size_t)size / 6 + 1 || (size_t)nf > (size_t)size / 2 + 1) {
        rc = dy_err_set(err, DY_EFORMAT, where, "%ld vertices and %ld faces "
                        "cannot fit in a %ld-byte file", nv, nf, size);
        goto fail;
    }
    rc = mesh_tris_reserve(out, (size_t)nv, (size_t)nf, err);
    if (rc < 0)
        goto fail;
    for (long i = 0; i < nv; i++) {
        s = off_line(&r);
        snprintf(where, sizeof(where), "%s:%ld", name, r.line);
        float v[3];
        for (int k = 0; k < 3 && s; k++) {
            double d = strtod(s, &end);
            if (end == s) {
                s = NULL;
                break;
            }
            v[k] = (float)d;
            s = end;
        }
        if (!s) {
            rc = dy_err_set(err, DY_EFORMAT, where, "vertex %ld: expected "
                            "3 numbers", i);
            goto fail;
        }
        memcpy(out->verts[out->nverts++], v, sizeof(v));
    }
    for (long f = 0; f < nf; f++) {
        s = off_line(&r);
        snprintf(where, sizeof(where), "%s:%ld", name, r.line);
        long n = s ? strtol(s, &end, 10) : -1;
        if (!s || end == s || n < 0 || n > 100000) {
            rc = dy_err_set(err, DY_EFORMAT, where, "face %ld: expected a "
                            "vertex count", f);
            goto fail;
        }
        s = end;
        uint32_t first = 0, prev = 0;
        for (long k = 0; k < n; k++) {
            long vi = strtol(s, &end, 10);
            if (end == s || vi < 0 || vi >= nv) {
                rc = dy_err_set(err, DY_EFORMAT, where, "face %ld: vertex "
                                "%ld is missing or not in 0..%ld", f, k,
                                nv - 1);
                goto fail;
            }
            s = end;
            if (k == 0)
                first = (uint32_t)vi;
            else if (k >= 2 && (rc = mesh_tris_add_tri(out, first, prev,
                                                       (uint32_t)vi, err)) < 0)
                goto fail;
            prev = (uint32_t)vi;
        }
    }
fail:
    free(r.buf);
    if (rc < 0)
        mesh_tris_fini(out);
    return rc;
}
