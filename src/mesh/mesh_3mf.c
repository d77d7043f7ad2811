/* mesh_3mf.c: native 3MF reader (core spec + the Production extension's
 * p:path references). Debian's Assimp 5.2 crashed on half of the real 3MF
 * files we measured and ignores <model unit>, and a 3MF is only a zip of
 * plain XML, so we read it ourselves: libzip for the package, expat for the
 * XML, streamed from zip_fread in chunks so a model part of hundreds of MB
 * is never held in memory as text.
 *
 * Reading happens in two phases. Phase 1 parses the root model part and
 * every part it references (breadth first) into a table of objects (each a
 * mesh in root-part units, or a list of component references) and the list
 * of build items. Phase 2 walks the build items, expanding components
 * recursively with their transforms (depth-limited, cycle-checked, with a
 * cap on expanded instances and triangles) into one mesh_tris.
 *
 * Hostile input: member bytes are counted as they are inflated (not taken
 * from the zip header) against absolute caps and a compression-ratio cap;
 * DOCTYPE and entity declarations are refused outright; every number is
 * parsed strictly; object/component/item counts are capped. */
#define _GNU_SOURCE /* strtod_l: numbers in the C locale whatever the UI's */
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#include "daryn/mesh.h"
#include "mesh_internal.h"

#define NS_CORE "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"
#define NS_PROD \
    "http://schemas.microsoft.com/3dmanufacturing/production/2015/06"
#define NS_SEP '|'
#define REL_MODEL_TYPE "/3dmodel" /* suffix of the StartPart rel type */
#define CHUNK (256 * 1024)
#define RELS_MAX (1u << 20)
#define COORD_MAX 1e9 /* file units; mesh_tris_validate checks mm later */
#define PART_NAME_MAX 1024
#define PART_RELS (SIZE_MAX - 1) /* part index meaning _rels/.rels */

const struct mesh_3mf_limits mesh_3mf_limits_default = {
    .part_bytes = (uint64_t)6 << 30,
    .total_bytes = (uint64_t)8 << 30,
    .max_ratio = 400,
    .max_tris = MESH_MAX_TRIS,
    .max_parts = 4096,
    .max_objects = 1000000,
    .max_components = 1000000,
    .max_instances = 10000000,
    .max_depth = 32,
};

static const struct {
    const char *name;
    double mm;
} units_3mf[] = {
    {"micron", 0.001}, {"millimeter", 1.0}, {"centimeter", 10.0},
    {"inch", 25.4},    {"foot", 304.8},     {"meter", 1000.0},
};

struct tmf_part {
    char *name;       /* zip member name, no leading '/' */
    uint64_t hash;    /* of name: hostile files repeat long p:paths */
    double scale;     /* this part's unit / the root part's unit */
    size_t ref_part;  /* where it was first referenced (for errors) */
    long ref_line;
};

struct tmf_obj {
    uint32_t part, id;
    bool printable;   /* type="model" (the default) */
    bool on_stack;    /* phase 2: being expanded (cycle check) */
    long line;
    struct mesh_tris mesh;
    size_t comp_first, ncomp;
};

/* A component or a build item: a reference to (part, id) with a transform
 * (row-vector convention, p' = p * M; m[9..11] is the translation). */
struct tmf_ref {
    uint32_t part, id;
    size_t from_part; /* the part the reference is written in */
    long line;
    double m[12];
};

enum tmf_state {
    ST_DOC, ST_MODEL, ST_RESOURCES, ST_OBJECT, ST_MESH, ST_VERTICES,
    ST_TRIANGLES, ST_COMPONENTS, ST_BUILD, ST_LEAF,
};

struct tmf {
    const char *file;  /* base name, for err->where */
    zip_t *za;
    const struct mesh_3mf_limits *lim;
    struct dy_err *err;
    int rc;            /* sticky: first error */
    locale_t cloc;
    struct tmf_part *parts;
    size_t nparts, parts_cap;
    struct tmf_obj *objs;
    size_t nobjs, objs_cap;
    struct tmf_ref *comps;
    size_t ncomps, comps_cap;
    struct tmf_ref *items;
    size_t nitems, items_cap;
    uint64_t total_bytes;
    size_t stored_tris, stored_verts;
    double root_mm;
    bool unit_only;    /* stop after the root <model> tag */
    /* per-part parse state */
    XML_Parser xp;
    size_t cur_part;
    enum tmf_state stack[8];
    int depth;
    unsigned skip;     /* > 0 inside an ignored element */
    size_t cur_obj;
    size_t nvertex_el, ntriangle_el; /* element counters, for messages */
    /* phase 2 */
    size_t instances;
};

static const double identity[12] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};

/* ---- errors ---------------------------------------------------------- */

/* Sets the sticky error with where = "file: part:line" and stops the
 * parser (if one is running). */
static int tmf_fail(struct tmf *t, int code, size_t part, long line,
                    const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int tmf_fail(struct tmf *t, int code, size_t part, long line,
                    const char *fmt, ...)
{
    if (t->rc < 0)
        return t->rc;
    char where[DY_ERR_WHERE_MAX], msg[DY_ERR_MSG_MAX];
    if (part == PART_RELS)
        snprintf(where, sizeof(where), "%s: _rels/.rels:%ld", t->file, line);
    else if (part < t->nparts && line > 0)
        snprintf(where, sizeof(where), "%s: %.200s:%ld", t->file,
                 t->parts[part].name, line);
    else if (part < t->nparts)
        snprintf(where, sizeof(where), "%s: %.200s", t->file,
                 t->parts[part].name);
    else
        snprintf(where, sizeof(where), "%s", t->file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    t->rc = dy_err_set(t->err, code, where, "%s", msg);
    if (t->xp)
        XML_StopParser(t->xp, XML_FALSE);
    return t->rc;
}

static long tmf_line(struct tmf *t)
{
    return t->xp ? (long)XML_GetCurrentLineNumber(t->xp) : 0;
}

/* Grows a table of `size`-byte entries to hold n + 1, up to max entries. */
static int tmf_grow(struct tmf *t, void **arr, size_t *cap, size_t n,
                    size_t size, size_t max, const char *what)
{
    if (n >= max)
        return tmf_fail(t, DY_ELIMIT, t->cur_part, tmf_line(t),
                        "more than %zu %s", max, what);
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, c * size);
    if (!p)
        return tmf_fail(t, DY_ENOMEM, t->cur_part, tmf_line(t),
                        "out of memory for %zu %s", c, what);
    *arr = p;
    *cap = c;
    return 0;
}

/* ---- attribute parsing ----------------------------------------------- */

/* Local name of a core-namespace (or unqualified) element; NULL for
 * elements of other namespaces (extensions we do not read). */
static const char *el_local(const char *name)
{
    static const char core[] = NS_CORE "|";
    if (strncmp(name, core, sizeof(core) - 1) == 0)
        return name + sizeof(core) - 1;
    return strchr(name, NS_SEP) ? NULL : name;
}

static const char *attr_get(const char **atts, const char *name)
{
    for (; atts[0]; atts += 2)
        if (strcmp(atts[0], name) == 0)
            return atts[1];
    return NULL;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Strict double: the whole string (surrounding blanks allowed). */
static bool parse_num(struct tmf *t, const char *s, const char **end,
                      double *out)
{
    char *e;
    while (is_space(*s))
        s++;
    if (!*s)
        return false;
    *out = t->cloc ? strtod_l(s, &e, t->cloc) : strtod(s, &e);
    if (e == s)
        return false;
    *end = e;
    return true;
}

/* "vertex 12" into buf: only built when an error is reported, so the hot
 * path formats nothing. idx SIZE_MAX: no number. */
static const char *what_fmt(char *buf, size_t n, const char *kind, size_t idx)
{
    if (idx == SIZE_MAX)
        snprintf(buf, n, "%s", kind);
    else
        snprintf(buf, n, "%s %zu", kind, idx);
    return buf;
}
#define WHAT what_fmt((char[64]){0}, 64, kind, idx)

/* A number attribute: problems are named "<kind> <idx>: <attr> = ...". */
static int attr_num(struct tmf *t, const char *kind, size_t idx,
                    const char *attr, const char *val, double *out)
{
    const char *e;
    if (!val)
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "%s: missing %s", WHAT, attr);
    if (!parse_num(t, val, &e, out) || (e = e + strspn(e, " \t\r\n"), *e))
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "%s: %s = \"%.40s\" is not a number", WHAT, attr,
                        val);
    if (!isfinite(*out) || fabs(*out) > COORD_MAX)
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "%s: %s = %.40s is not a finite coordinate within "
                        "+-1e9", WHAT, attr, val);
    return 0;
}

/* Non-negative integer below 2^32, digits only. */
static int attr_index(struct tmf *t, const char *kind, size_t idx,
                      const char *attr, const char *val, uint32_t *out)
{
    if (!val)
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "%s: missing %s", WHAT, attr);
    const char *s = val;
    uint64_t v = 0;
    int nd = 0;
    while (is_space(*s))
        s++;
    for (; *s >= '0' && *s <= '9' && nd < 11; s++, nd++)
        v = v * 10 + (uint64_t)(*s - '0');
    while (is_space(*s))
        s++;
    if (nd == 0 || *s || v > UINT32_MAX)
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "%s: %s = \"%.40s\" is not an index", WHAT, attr,
                        val);
    *out = (uint32_t)v;
    return 0;
}

/* transform="m00 m01 m02 m10 m11 m12 m20 m21 m22 m30 m31 m32"; absent
 * means identity. The translation is scaled into root units. */
static int attr_transform(struct tmf *t, const char *kind, size_t idx,
                          const char *val, double m[12])
{
    memcpy(m, identity, sizeof(identity));
    if (!val)
        return 0;
    const char *s = val, *e;
    for (int i = 0; i < 12; i++) {
        if (!parse_num(t, s, &e, &m[i]) || (*e && !is_space(*e)))
            return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                            "%s: transform needs 12 numbers (number %d is "
                            "missing or bad)", WHAT, i + 1);
        if (!isfinite(m[i]) || fabs(m[i]) > COORD_MAX)
            return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                            "%s: transform number %d is not finite or beyond "
                            "+-1e9", WHAT, i + 1);
        s = e;
    }
    if (s[strspn(s, " \t\r\n")])
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "%s: transform has more than 12 numbers", WHAT);
    double sc = t->parts[t->cur_part].scale;
    for (int i = 9; i < 12; i++)
        m[i] *= sc;
    return 0;
}

/* ---- parts ------------------------------------------------------------ */

/* Index of the part named `path` (p:path value, leading '/' optional),
 * added to the table (to be parsed later) if new. */
static int part_find_add(struct tmf *t, const char *path, size_t *out)
{
    while (*path == '/')
        path++;
    size_t len = strlen(path);
    if (len == 0 || len >= PART_NAME_MAX)
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "bad part path \"%.60s\"", path);
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)path[i]) * 1099511628211u;
    for (size_t i = 0; i < t->nparts; i++) {
        if (t->parts[i].hash == h && strcmp(t->parts[i].name, path) == 0) {
            *out = i;
            return 0;
        }
    }
    if (tmf_grow(t, (void **)&t->parts, &t->parts_cap, t->nparts,
                 sizeof(*t->parts), t->lim->max_parts, "model parts") < 0)
        return t->rc;
    struct tmf_part *p = &t->parts[t->nparts];
    p->name = strdup(path);
    if (!p->name)
        return tmf_fail(t, DY_ENOMEM, t->cur_part, tmf_line(t),
                        "out of memory");
    p->hash = h;
    p->scale = 1;
    p->ref_part = t->cur_part;
    p->ref_line = tmf_line(t);
    *out = t->nparts++;
    return 0;
}

/* ---- XML handlers ----------------------------------------------------- */

static int on_model(struct tmf *t, const char **atts)
{
    const char *u = attr_get(atts, "unit");
    double mm = 1.0; /* the spec's default: millimeter */
    if (u) {
        size_t i, n = sizeof(units_3mf) / sizeof(units_3mf[0]);
        for (i = 0; i < n; i++)
            if (strcasecmp(units_3mf[i].name, u) == 0)
                break;
        if (i == n)
            return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                            "<model unit=\"%.40s\">: unknown unit (expected "
                            "micron, millimeter, centimeter, inch, foot or "
                            "meter)", u);
        mm = units_3mf[i].mm;
    }
    if (t->cur_part == 0)
        t->root_mm = mm;
    t->parts[t->cur_part].scale = mm / t->root_mm;
    if (t->unit_only)
        XML_StopParser(t->xp, XML_FALSE);
    return 0;
}

static int on_object(struct tmf *t, const char **atts)
{
    if (tmf_grow(t, (void **)&t->objs, &t->objs_cap, t->nobjs,
                 sizeof(*t->objs), t->lim->max_objects, "objects") < 0)
        return t->rc;
    struct tmf_obj *o = &t->objs[t->nobjs];
    memset(o, 0, sizeof(*o));
    if (attr_index(t, "object", t->nobjs, "id", attr_get(atts, "id"),
                   &o->id) < 0)
        return t->rc;
    const char *type = attr_get(atts, "type");
    /* support, solidsupport, surface, other: not printed as a part */
    o->printable = !type || strcmp(type, "model") == 0;
    o->part = (uint32_t)t->cur_part;
    o->line = tmf_line(t);
    o->comp_first = t->ncomps;
    t->cur_obj = t->nobjs++;
    t->nvertex_el = t->ntriangle_el = 0;
    return 0;
}

static int on_vertex(struct tmf *t, const char **atts)
{
    double v[3] = {0, 0, 0};
    bool have[3] = {false, false, false};
    for (const char **a = atts; a[0]; a += 2) {
        int k = a[0][0] - 'x';
        if (k < 0 || k > 2 || a[0][1])
            continue;
        if (attr_num(t, "vertex", t->nvertex_el, a[0], a[1], &v[k]) < 0)
            return t->rc;
        have[k] = true;
    }
    if (!have[0] || !have[1] || !have[2])
        return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                        "vertex %zu: missing %c", t->nvertex_el,
                        !have[0] ? 'x' : !have[1] ? 'y' : 'z');
    /* A mesh has about half as many vertices as triangles. */
    if (t->stored_verts >= t->lim->max_tris)
        return tmf_fail(t, DY_ELIMIT, t->cur_part, tmf_line(t),
                        "more than %zu vertices in the file",
                        t->lim->max_tris);
    double sc = t->parts[t->cur_part].scale;
    struct tmf_obj *o = &t->objs[t->cur_obj];
    if (mesh_tris_add_vert(&o->mesh, (float)(v[0] * sc), (float)(v[1] * sc),
                           (float)(v[2] * sc), NULL, NULL) < 0)
        return tmf_fail(t, DY_ENOMEM, t->cur_part, tmf_line(t),
                        "out of memory at vertex %zu", t->nvertex_el);
    t->stored_verts++;
    t->nvertex_el++;
    return 0;
}

static int on_triangle(struct tmf *t, const char **atts)
{
    static const char *const names[3] = {"v1", "v2", "v3"};
    struct tmf_obj *o = &t->objs[t->cur_obj];
    uint32_t v[3];
    for (int k = 0; k < 3; k++) {
        if (attr_index(t, "triangle", t->ntriangle_el, names[k], attr_get(atts, names[k]),
                       &v[k]) < 0)
            return t->rc;
        if (v[k] >= o->mesh.nverts)
            return tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
                            "triangle %zu: %s = %u but the object has %zu "
                            "vertices", t->ntriangle_el, names[k],
                            (unsigned)v[k], o->mesh.nverts);
    }
    if (t->stored_tris >= t->lim->max_tris)
        return tmf_fail(t, DY_ELIMIT, t->cur_part, tmf_line(t),
                        "more than %zu triangles in the file",
                        t->lim->max_tris);
    if (mesh_tris_add_tri(&o->mesh, v[0], v[1], v[2], NULL) < 0)
        return tmf_fail(t, DY_ENOMEM, t->cur_part, tmf_line(t),
                        "out of memory at triangle %zu", t->ntriangle_el);
    t->stored_tris++;
    t->ntriangle_el++;
    return 0;
}

/* <component> (in_build false) or <item> (in_build true). */
static int on_ref(struct tmf *t, const char **atts, bool in_build)
{
    struct tmf_ref **arr = in_build ? &t->items : &t->comps;
    size_t *n = in_build ? &t->nitems : &t->ncomps;
    size_t *cap = in_build ? &t->items_cap : &t->comps_cap;
    const char *what = in_build ? "build item" : "component";
    /* A build item marked printable="0" (3MF core 1.2; Bambu Studio and
     * PrusaSlicer write it for parked objects) is on the plate but not
     * printed. */
    const char *printable = in_build ? attr_get(atts, "printable") : NULL;
    if (printable && (strcmp(printable, "0") == 0 || strcmp(printable, "false") == 0))
        return 0;
    if (tmf_grow(t, (void **)arr, cap, *n, sizeof(**arr),
                 t->lim->max_components, in_build ? "build items" :
                 "components") < 0)
        return t->rc;
    struct tmf_ref *r = &(*arr)[*n];
    r->from_part = t->cur_part;
    r->part = (uint32_t)t->cur_part;
    r->line = tmf_line(t);
    if (attr_index(t, what, *n, "objectid", attr_get(atts, "objectid"),
                   &r->id) < 0 ||
        attr_transform(t, what, *n, attr_get(atts, "transform"), r->m) < 0)
        return t->rc;
    const char *path = attr_get(atts, NS_PROD "|path");
    if (path) {
        size_t pi = 0;
        if (part_find_add(t, path, &pi) < 0)
            return t->rc;
        r->part = (uint32_t)pi;
    }
    (*n)++;
    if (!in_build)
        t->objs[t->cur_obj].ncomp++;
    return 0;
}

static void XMLCALL on_start(void *ud, const char *name, const char **atts)
{
    struct tmf *t = ud;
    if (t->rc < 0)
        return;
    if (t->skip) {
        t->skip++;
        return;
    }
    const char *l = el_local(name);
    enum tmf_state s = t->stack[t->depth], next = ST_LEAF;
    int rc = 0;
    if (!l) {
        t->skip = 1;
        return;
    }
    switch (s) {
    case ST_DOC:
        if (strcmp(l, "model") != 0) {
            tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t), "the root "
                     "element is <%.40s>, expected <model>", l);
            return;
        }
        next = ST_MODEL;
        rc = on_model(t, atts);
        break;
    case ST_MODEL:
        if (strcmp(l, "resources") == 0)
            next = ST_RESOURCES;
        else if (strcmp(l, "build") == 0 && t->cur_part == 0)
            next = ST_BUILD; /* only the root part's build is printed */
        else
            t->skip = 1;
        break;
    case ST_RESOURCES:
        if (strcmp(l, "object") == 0) {
            next = ST_OBJECT;
            rc = on_object(t, atts);
        } else {
            t->skip = 1; /* materials, textures, ... */
        }
        break;
    case ST_OBJECT:
        if (strcmp(l, "mesh") == 0)
            next = ST_MESH;
        else if (strcmp(l, "components") == 0)
            next = ST_COMPONENTS;
        else
            t->skip = 1;
        break;
    case ST_MESH:
        if (strcmp(l, "vertices") == 0)
            next = ST_VERTICES;
        else if (strcmp(l, "triangles") == 0)
            next = ST_TRIANGLES;
        else
            t->skip = 1;
        break;
    case ST_VERTICES:
        if (strcmp(l, "vertex") == 0)
            rc = on_vertex(t, atts);
        else
            t->skip = 1;
        break;
    case ST_TRIANGLES:
        if (strcmp(l, "triangle") == 0)
            rc = on_triangle(t, atts);
        else
            t->skip = 1;
        break;
    case ST_COMPONENTS:
        if (strcmp(l, "component") == 0)
            rc = on_ref(t, atts, false);
        else
            t->skip = 1;
        break;
    case ST_BUILD:
        if (strcmp(l, "item") == 0)
            rc = on_ref(t, atts, true);
        else
            t->skip = 1;
        break;
    case ST_LEAF:
        t->skip = 1;
        break;
    }
    if (rc < 0 || t->skip)
        return;
    t->stack[++t->depth] = next; /* depth <= 5: the states nest at most so */
}

static void XMLCALL on_end(void *ud, const char *name)
{
    struct tmf *t = ud;
    (void)name;
    if (t->skip) {
        t->skip--;
        return;
    }
    if (t->depth > 0)
        t->depth--;
}

/* A DTD is never needed in 3MF; refusing it rules out entity expansion
 * attacks (billion laughs) and external entities altogether. */
static void XMLCALL on_doctype(void *ud, const char *name, const char *sysid,
                               const char *pubid, int has_internal)
{
    struct tmf *t = ud;
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
             "DOCTYPE declarations are not allowed in 3MF");
}

static void XMLCALL on_entity(void *ud, const char *name, int is_param,
                              const char *value, int value_len,
                              const char *base, const char *sysid,
                              const char *pubid, const char *notation)
{
    struct tmf *t = ud;
    (void)name, (void)is_param, (void)value, (void)value_len, (void)base;
    (void)sysid, (void)pubid, (void)notation;
    tmf_fail(t, DY_EFORMAT, t->cur_part, tmf_line(t),
             "entity declarations are not allowed in 3MF");
}

/* ---- streaming a zip member through expat ----------------------------- */

/* Opens member `name` (exact, then case-insensitive: OPC part names are
 * case-insensitive). *comp gets its compressed size. NULL if missing. */
static zip_file_t *member_open(struct tmf *t, const char *name,
                               uint64_t *comp)
{
    zip_int64_t idx = zip_name_locate(t->za, name, 0);
    if (idx < 0)
        idx = zip_name_locate(t->za, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return NULL;
    zip_stat_t st;
    zip_stat_init(&st);
    *comp = 0;
    if (zip_stat_index(t->za, (zip_uint64_t)idx, 0, &st) == 0 &&
        (st.valid & ZIP_STAT_COMP_SIZE))
        *comp = st.comp_size;
    return zip_fopen_index(t->za, (zip_uint64_t)idx, 0);
}

/* Feeds member `zf` (of part index `part`, compressed size comp) through
 * parser xp until the end, an error, or a stop. max caps this member. */
static int member_parse(struct tmf *t, zip_file_t *zf, size_t part,
                        uint64_t comp, uint64_t max)
{
    uint64_t got = 0;
    for (;;) {
        void *buf = XML_GetBuffer(t->xp, CHUNK);
        if (!buf)
            return tmf_fail(t, DY_ENOMEM, part, 0, "out of memory");
        zip_int64_t n = zip_fread(zf, buf, CHUNK);
        if (n < 0)
            return tmf_fail(t, DY_EFORMAT, part, tmf_line(t),
                            "cannot inflate (truncated or corrupt zip): %s",
                            zip_file_strerror(zf));
        got += (uint64_t)n;
        t->total_bytes += (uint64_t)n;
        if (got > max || t->total_bytes > t->lim->total_bytes)
            return tmf_fail(t, DY_ELIMIT, part, tmf_line(t),
                            "more than %llu MB of XML (zip bomb?)",
                            (unsigned long long)((got > max ? max :
                                                  t->lim->total_bytes) >>
                                                 20));
        /* Deflate reaches ~1000:1 on repetitive junk; real 3MF XML
         * compresses 3-30:1. */
        if (got > (1u << 20) && got > t->lim->max_ratio * (double)comp)
            return tmf_fail(t, DY_ELIMIT, part, tmf_line(t),
                            "expands more than %.0f times (zip bomb?)",
                            t->lim->max_ratio);
        if (XML_ParseBuffer(t->xp, (int)n, n == 0) != XML_STATUS_OK) {
            if (t->rc < 0)
                return t->rc;
            if (XML_GetErrorCode(t->xp) == XML_ERROR_ABORTED)
                return 0; /* stopped on purpose (unit_only) */
            return tmf_fail(t, DY_EFORMAT, part,
                            (long)XML_GetCurrentLineNumber(t->xp),
                            "XML error: %s",
                            XML_ErrorString(XML_GetErrorCode(t->xp)));
        }
        if (t->rc < 0)
            return t->rc;
        if (n == 0)
            return 0;
    }
}

static XML_Parser parser_new(struct tmf *t)
{
    XML_Parser xp = XML_ParserCreateNS(NULL, NS_SEP);
    if (!xp)
        return NULL;
    XML_SetUserData(xp, t);
    XML_SetStartDoctypeDeclHandler(xp, on_doctype);
    XML_SetEntityDeclHandler(xp, on_entity);
    return xp;
}

static int part_parse(struct tmf *t, size_t pi)
{
    uint64_t comp;
    struct tmf_part *p = &t->parts[pi];
    zip_file_t *zf = member_open(t, p->name, &comp);
    if (!zf) {
        if (pi == 0)
            return tmf_fail(t, DY_EFORMAT, SIZE_MAX, 0, "no 3D model part "
                            "(%.200s) in the 3MF", p->name);
        return tmf_fail(t, DY_EFORMAT, p->ref_part, p->ref_line,
                        "p:path=\"/%.200s\": no such part in the 3MF",
                        p->name);
    }
    t->cur_part = pi;
    t->depth = 0;
    t->skip = 0;
    t->stack[0] = t->stack[1] = ST_DOC;
    t->xp = parser_new(t);
    if (!t->xp) {
        zip_fclose(zf);
        return tmf_fail(t, DY_ENOMEM, pi, 0, "out of memory");
    }
    XML_SetElementHandler(t->xp, on_start, on_end);
    int rc = member_parse(t, zf, pi, comp, t->lim->part_bytes);
    if (rc == 0 && t->stack[1] != ST_MODEL)
        rc = tmf_fail(t, DY_EFORMAT, pi, 0, "no <model> element");
    XML_ParserFree(t->xp);
    t->xp = NULL;
    zip_fclose(zf);
    return rc;
}

/* _rels/.rels: the Target of the relationship whose Type ends in
 * "/3dmodel" (the StartPart). */

static void XMLCALL rels_start(void *ud, const char *name, const char **atts)
{
    struct tmf *t = ud;
    const char *l = strrchr(name, NS_SEP);
    l = l ? l + 1 : name;
    if (strcmp(l, "Relationship") != 0 || t->parts[0].name[0])
        return;
    const char *type = attr_get(atts, "Type");
    const char *target = attr_get(atts, "Target");
    size_t tl = type ? strlen(type) : 0, sl = strlen(REL_MODEL_TYPE);
    if (!target || tl < sl || strcmp(type + tl - sl, REL_MODEL_TYPE) != 0)
        return;
    while (*target == '/')
        target++;
    snprintf(t->parts[0].name, PART_NAME_MAX, "%s", target);
}

/* Fills parts[0].name with the root model part's name. */
static int root_locate(struct tmf *t)
{
    uint64_t comp;
    t->parts[0].name[0] = '\0';
    zip_file_t *zf = member_open(t, "_rels/.rels", &comp);
    if (zf) {
        t->xp = parser_new(t);
        if (!t->xp) {
            zip_fclose(zf);
            return tmf_fail(t, DY_ENOMEM, SIZE_MAX, 0, "out of memory");
        }
        XML_SetStartElementHandler(t->xp, rels_start);
        t->cur_part = PART_RELS;
        int rc = member_parse(t, zf, PART_RELS, comp, RELS_MAX);
        XML_ParserFree(t->xp);
        t->xp = NULL;
        zip_fclose(zf);
        if (rc < 0)
            return rc;
    }
    /* Nearly every producer uses this name; also the fallback when the
     * package has no (usable) relationships part. */
    if (!t->parts[0].name[0])
        snprintf(t->parts[0].name, PART_NAME_MAX, "3D/3dmodel.model");
    return 0;
}

/* ---- phase 2: build --------------------------------------------------- */

static int obj_cmp(const void *a, const void *b)
{
    const struct tmf_obj *x = a, *y = b;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static struct tmf_obj *obj_find(struct tmf *t, uint32_t part, uint32_t id)
{
    struct tmf_obj key = {.part = part, .id = id};
    if (t->nobjs == 0)
        return NULL;
    return bsearch(&key, t->objs, t->nobjs, sizeof(*t->objs), obj_cmp);
}

/* r = a * b for affine row-vector matrices (apply a, then b). */
static void mat_mul(const double a[12], const double b[12], double r[12])
{
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 3; j++) {
            double s = a[i * 3 + 0] * b[0 + j] + a[i * 3 + 1] * b[3 + j] +
                       a[i * 3 + 2] * b[6 + j];
            r[i * 3 + j] = s + (i == 3 ? b[9 + j] : 0);
        }
    }
}

static int emit_mesh(struct tmf *t, const struct tmf_obj *o,
                     const double m[12], struct mesh_tris *out)
{
    const struct mesh_tris *s = &o->mesh;
    if (s->ntris == 0)
        return 0;
    if (out->ntris + s->ntris > t->lim->max_tris)
        return tmf_fail(t, DY_ELIMIT, SIZE_MAX, 0, "the build expands to "
                        "more than %zu triangles", t->lim->max_tris);
    size_t vb = out->nverts;
    if (mesh_tris_reserve(out, vb + s->nverts, out->ntris + s->ntris,
                          t->err) < 0) {
        t->rc = t->err ? t->err->code : DY_ENOMEM;
        dy_err_prefix(t->err, t->file);
        return t->rc;
    }
    for (size_t i = 0; i < s->nverts; i++) {
        double x = s->verts[i][0], y = s->verts[i][1], z = s->verts[i][2];
        for (int j = 0; j < 3; j++)
            out->verts[vb + i][j] = (float)(x * m[j] + y * m[3 + j] +
                                            z * m[6 + j] + m[9 + j]);
    }
    out->nverts += s->nverts;
    /* A mirroring transform turns the surface inside out: swap two
     * corners to keep the triangles facing outward. */
    double det = m[0] * (m[4] * m[8] - m[5] * m[7]) -
                 m[1] * (m[3] * m[8] - m[5] * m[6]) +
                 m[2] * (m[3] * m[7] - m[4] * m[6]);
    for (size_t i = 0; i < s->ntris; i++) {
        uint32_t *d = out->tris[out->ntris++];
        d[0] = (uint32_t)(vb + s->tris[i][0]);
        d[1] = (uint32_t)(vb + s->tris[i][det < 0 ? 2 : 1]);
        d[2] = (uint32_t)(vb + s->tris[i][det < 0 ? 1 : 2]);
    }
    return 0;
}

/* Expands object o (reached through ref) with accumulated transform m. */
static int emit_obj(struct tmf *t, struct tmf_obj *o, const struct tmf_ref *ref,
                    const double m[12], int depth, struct mesh_tris *out)
{
    if (++t->instances > t->lim->max_instances)
        return tmf_fail(t, DY_ELIMIT, ref->from_part, ref->line, "the "
                        "build expands to more than %zu object instances",
                        t->lim->max_instances);
    if (o->on_stack)
        return tmf_fail(t, DY_EFORMAT, ref->from_part, ref->line,
                        "component cycle: object %u contains itself",
                        (unsigned)o->id);
    if (depth > t->lim->max_depth)
        return tmf_fail(t, DY_ELIMIT, ref->from_part, ref->line,
                        "components nested deeper than %d levels",
                        t->lim->max_depth);
    if (emit_mesh(t, o, m, out) < 0)
        return t->rc;
    o->on_stack = true;
    for (size_t i = 0; i < o->ncomp; i++) {
        const struct tmf_ref *c = &t->comps[o->comp_first + i];
        struct tmf_obj *child = obj_find(t, c->part, c->id);
        if (!child) {
            tmf_fail(t, DY_EFORMAT, c->from_part, c->line, "component: "
                     "object %u is not defined in %.200s", (unsigned)c->id,
                     t->parts[c->part].name);
            break;
        }
        if (!child->printable)
            continue;
        double cm[12];
        mat_mul(c->m, m, cm);
        if (emit_obj(t, child, c, cm, depth + 1, out) < 0)
            break;
    }
    o->on_stack = false;
    return t->rc;
}

static int build_emit(struct tmf *t, struct mesh_tris *out)
{
    if (t->nobjs > 0) /* qsort/bsearch want a non-NULL base */
        qsort(t->objs, t->nobjs, sizeof(*t->objs), obj_cmp);
    for (size_t i = 1; i < t->nobjs; i++)
        if (obj_cmp(&t->objs[i - 1], &t->objs[i]) == 0)
            return tmf_fail(t, DY_EFORMAT, t->objs[i].part, t->objs[i].line,
                            "object id %u is defined twice",
                            (unsigned)t->objs[i].id);
    if (t->nitems == 0)
        return tmf_fail(t, DY_EFORMAT, 0, 0, "the <build> has no items");
    for (size_t i = 0; i < t->nitems; i++) {
        const struct tmf_ref *it = &t->items[i];
        struct tmf_obj *o = obj_find(t, it->part, it->id);
        if (!o)
            return tmf_fail(t, DY_EFORMAT, 0, it->line, "build item %zu: "
                            "object %u is not defined in %.200s", i,
                            (unsigned)it->id, t->parts[it->part].name);
        if (o->printable && emit_obj(t, o, it, it->m, 0, out) < 0)
            return t->rc;
    }
    if (out->ntris == 0)
        return tmf_fail(t, DY_EFORMAT, 0, 0, "no triangles: the build has "
                        "no printable (type=\"model\") object with a mesh");
    return 0;
}

/* ---- entry points ----------------------------------------------------- */

static int tmf_run(const char *path, const struct mesh_3mf_limits *lim,
                   bool unit_only, struct mesh_tris *out, double *mm_per_unit,
                   struct dy_err *err)
{
    struct tmf t = {.file = mesh_path_base(path), .err = err,
                    .lim = lim ? lim : &mesh_3mf_limits_default,
                    .unit_only = unit_only, .root_mm = 1};
    int zerr = 0;
    t.za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!t.za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int rc = dy_err_set(err, DY_EFORMAT, t.file, "not a readable 3MF "
                            "(zip) file: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    t.cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    t.parts = calloc(1, sizeof(*t.parts));
    char *root = malloc(PART_NAME_MAX);
    if (!t.parts || !root) {
        free(root);
        tmf_fail(&t, DY_ENOMEM, SIZE_MAX, 0, "out of memory");
        goto fail;
    }
    t.parts_cap = t.nparts = 1;
    t.parts[0].name = root;
    t.parts[0].scale = 1;
    if (root_locate(&t) < 0)
        goto fail;
    /* Parts referenced by p:path are appended while parsing: this loop
     * reaches them all, each once. */
    for (size_t i = 0; i < t.nparts && (i == 0 || !unit_only); i++)
        if (part_parse(&t, i) < 0)
            goto fail;
    *mm_per_unit = t.root_mm;
    if (!unit_only && build_emit(&t, out) < 0)
        goto fail;
fail:
    for (size_t i = 0; i < t.nobjs; i++)
        mesh_tris_fini(&t.objs[i].mesh);
    for (size_t i = 0; i < t.nparts; i++)
        free(t.parts[i].name);
    free(t.objs);
    free(t.parts);
    free(t.comps);
    free(t.items);
    if (t.cloc)
        freelocale(t.cloc);
    zip_discard(t.za);
    if (t.rc < 0)
        mesh_tris_fini(out);
    return t.rc;
}

int mesh_3mf_read(const char *path, const struct mesh_3mf_limits *lim,
                  struct mesh_tris *out, double *mm_per_unit,
                  struct dy_err *err)
{
    return tmf_run(path, lim, false, out, mm_per_unit, err);
}

int mesh_3mf_read_unit(const char *path, double *mm_per_unit,
                       struct dy_err *err)
{
    return tmf_run(path, NULL, true, NULL, mm_per_unit, err);
}
