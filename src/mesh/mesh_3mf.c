/* mesh_3mf.c: the 3MF unit. Assimp 5.2 ignores <model unit="...">, so a
 * 3MF in metres arrives 1000x too small; we read the attribute ourselves
 * from the zip (libzip) and scale. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

#include "daryn/mesh.h"
#include "mesh_internal.h"

/* The root <model> tag is at the start of the part; 64 KB covers any sane
 * XML prolog and namespace list. */
#define HEAD_MAX 65536

static const struct {
    const char *name;
    double mm;
} units_3mf[] = {
    {"micron", 0.001}, {"millimeter", 1.0}, {"centimeter", 10.0},
    {"inch", 25.4},    {"foot", 304.8},     {"meter", 1000.0},
};

/* Finds the model part: the spec's StartPart relationship in _rels/.rels
 * names it; nearly every producer uses /3D/3dmodel.model. */
static zip_int64_t model_locate(zip_t *za)
{
    zip_int64_t idx = zip_name_locate(za, "3D/3dmodel.model", ZIP_FL_NOCASE);
    if (idx >= 0)
        return idx;
    zip_file_t *zf = zip_fopen(za, "_rels/.rels", ZIP_FL_NOCASE);
    if (!zf)
        return -1;
    char rels[HEAD_MAX + 1];
    zip_int64_t n = zip_fread(zf, rels, HEAD_MAX);
    zip_fclose(zf);
    if (n <= 0)
        return -1;
    rels[n] = '\0';
    const char *p = strstr(rels, "3dmodel\"");
    if (!p)
        return -1;
    /* The Target attribute of the same <Relationship> element. */
    const char *start = p;
    while (start > rels && *start != '<')
        start--;
    const char *t = strstr(start, "Target=\"");
    const char *end = t ? strchr(t + 8, '"') : NULL;
    const char *close = strchr(start, '>');
    if (!t || !end || (close && t > close))
        return -1;
    t += 8;
    if (*t == '/')
        t++;
    char name[512];
    size_t len = (size_t)(end - t);
    if (len >= sizeof(name))
        return -1;
    memcpy(name, t, len);
    name[len] = '\0';
    return zip_name_locate(za, name, ZIP_FL_NOCASE);
}

int mesh_3mf_read_unit(const char *path, double *mm_per_unit,
                       struct dy_err *err)
{
    const char *name = mesh_path_base(path);
    int zerr = 0, rc = 0;
    zip_file_t *zf = NULL;
    char *head = NULL;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rc = dy_err_set(err, DY_EFORMAT, name,
                        "not a readable 3MF (zip) file: %s",
                        zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_int64_t idx = model_locate(za);
    if (idx < 0) {
        rc = dy_err_set(err, DY_EFORMAT, name,
                        "no 3D model part (3D/3dmodel.model) in the 3MF");
        goto fail;
    }
    zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    head = malloc(HEAD_MAX + 1);
    if (!zf || !head) {
        rc = dy_err_set(err, zf ? DY_ENOMEM : DY_EFORMAT, name,
                        "cannot read the 3D model part: %s",
                        zip_strerror(za));
        goto fail;
    }
    zip_int64_t n = zip_fread(zf, head, HEAD_MAX);
    if (n < 0) {
        rc = dy_err_set(err, DY_EFORMAT, name,
                        "cannot read the 3D model part: %s",
                        zip_file_strerror(zf));
        goto fail;
    }
    head[n] = '\0';
    /* Skip the prolog and comments: the first "<model" that is a tag. */
    const char *tag = head;
    while ((tag = strstr(tag, "<model")) &&
           !(tag[6] == ' ' || tag[6] == '\t' || tag[6] == '\n' ||
             tag[6] == '\r' || tag[6] == '>' || tag[6] == '/'))
        tag += 6;
    if (!tag) {
        rc = dy_err_set(err, DY_EFORMAT, name,
                        "the 3D model part has no <model> element");
        goto fail;
    }
    const char *tend = strchr(tag, '>');
    *mm_per_unit = 1.0; /* spec default: millimeter */
    for (const char *a = tag + 6; tend && a < tend; a++) {
        /* attribute "unit" = either quote, preceded by whitespace */
        if (strncmp(a, "unit", 4) != 0 || !strchr(" \t\r\n", a[-1]))
            continue;
        const char *v = a + 4;
        while (*v == ' ' || *v == '=' || *v == '\t')
            v++;
        char q = *v;
        if (q != '"' && q != '\'')
            continue;
        const char *ve = strchr(v + 1, q);
        if (!ve)
            break;
        size_t len = (size_t)(ve - v - 1);
        size_t i;
        for (i = 0; i < sizeof(units_3mf) / sizeof(units_3mf[0]); i++)
            if (strlen(units_3mf[i].name) == len &&
                strncasecmp(units_3mf[i].name, v + 1, len) == 0)
                break;
        if (i == sizeof(units_3mf) / sizeof(units_3mf[0])) {
            rc = dy_err_set(err, DY_EFORMAT, name,
                            "<model unit=\"%.*s\">: unknown unit (expected "
                            "micron, millimeter, centimeter, inch, foot or "
                            "meter)", (int)(len > 40 ? 40 : len), v + 1);
            goto fail;
        }
        *mm_per_unit = units_3mf[i].mm;
        break;
    }
fail:
    free(head);
    if (zf)
        zip_fclose(zf);
    zip_discard(za);
    return rc;
}
