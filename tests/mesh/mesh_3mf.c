/* mesh_3mf.c: the native 3MF reader on 3MF files written here with libzip
 * (rels + model XML): units, build items and components with transforms,
 * the Production extension, skipped support objects, hostile input, and a
 * timing comparison with Assimp (MESH_3MF_BENCH_TRIS sets the size). */
#define _GNU_SOURCE /* asprintf */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "mesh_internal.h"
#include "testmesh.h"

#define NS_CORE "http://schemas.microsoft.com/3dmanufacturing/core/2015/02"
#define NS_PROD \
    "http://schemas.microsoft.com/3dmanufacturing/production/2015/06"
#define HEAD(unit)                                                        \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<model unit=\"" unit     \
    "\" xml:lang=\"en-US\" xmlns=\"" NS_CORE "\" xmlns:p=\"" NS_PROD      \
    "\">\n"

static char tdir[512];

static const char *tpath(const char *name)
{
    static char buf[8][1024];
    static int slot;
    char *p = buf[slot++ % 8];
    snprintf(p, 1024, "%s/%s", tdir, name);
    return p;
}

/* "<mesh>...</mesh>" of m with coordinates times s (malloc'ed). */
static char *mesh_xml(const struct mesh_tris *m, double s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    fputs("<mesh><vertices>\n", fp);
    for (size_t i = 0; i < m->nverts; i++)
        fprintf(fp, "<vertex x=\"%.9g\" y=\"%.9g\" z=\"%.9g\"/>\n",
                m->verts[i][0] * s, m->verts[i][1] * s, m->verts[i][2] * s);
    fputs("</vertices><triangles>\n", fp);
    for (size_t i = 0; i < m->ntris; i++)
        fprintf(fp, "<triangle v1=\"%u\" v2=\"%u\" v3=\"%u\"/>\n",
                (unsigned)m->tris[i][0], (unsigned)m->tris[i][1],
                (unsigned)m->tris[i][2]);
    fputs("</triangles></mesh>\n", fp);
    fclose(fp);
    return buf;
}

/* <object id type> holding a cube of edge `edge` (in file units). */
static char *cube_object(int id, double edge, const char *type)
{
    struct mesh_tris c = {0};
    assert_int_equal(testmesh_cube(&c, edge), 0);
    char *mx = mesh_xml(&c, 1), *out;
    assert_true(asprintf(&out, "<object id=\"%d\"%s%s%s>%s</object>\n", id,
                         type ? " type=\"" : "", type ? type : "",
                         type ? "\"" : "", mx) > 0);
    free(mx);
    mesh_tris_fini(&c);
    return out;
}

/* Writes a 3MF package: _rels/.rels naming `root` (NULL: no rels part),
 * then the given members (name, content pairs, NULL-terminated). */
static void write_3mf(const char *name, const char *root, ...)
{
    int zerr;
    unlink(tpath(name));
    zip_t *za = zip_open(tpath(name), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(za);
    static const char types[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://"
        "schemas.openxmlformats.org/package/2006/content-types\"><Default "
        "Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-"
        "package.relationships+xml\"/><Default Extension=\"model\" "
        "ContentType=\"application/vnd.ms-package.3dmanufacturing-3dmodel+"
        "xml\"/></Types>";
    zip_source_t *src = zip_source_buffer(za, types, strlen(types), 0);
    assert_true(zip_file_add(za, "[Content_Types].xml", src, 0) >= 0);
    char *rels = NULL;
    if (root) {
        assert_true(asprintf(&rels,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships "
            "xmlns=\"http://schemas.openxmlformats.org/package/2006/"
            "relationships\"><Relationship Target=\"/%s\" Id=\"rel0\" "
            "Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/"
            "3dmodel\"/></Relationships>", root) > 0);
        src = zip_source_buffer(za, rels, strlen(rels), 0);
        assert_true(zip_file_add(za, "_rels/.rels", src, 0) >= 0);
    }
    va_list ap;
    va_start(ap, root);
    const char *member;
    while ((member = va_arg(ap, const char *))) {
        const char *body = va_arg(ap, const char *);
        src = zip_source_buffer(za, body, strlen(body), 0);
        assert_true(zip_file_add(za, member, src, 0) >= 0);
    }
    va_end(ap);
    assert_int_equal(zip_close(za), 0);
    free(rels);
}

/* A one-part 3MF: HEAD(unit) + resources + build. */
static void write_model(const char *name, const char *unit,
                        const char *resources, const char *build)
{
    char *xml;
    assert_true(asprintf(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                         "\n<model unit=\"%s\" xmlns=\"" NS_CORE "\" "
                         "xmlns:p=\"" NS_PROD "\">\n<resources>\n%s"
                         "</resources>\n<build>\n%s</build>\n</model>\n",
                         unit, resources, build) > 0);
    write_3mf(name, "3D/3dmodel.model", "3D/3dmodel.model", xml, NULL);
    free(xml);
}

/* Imports and repairs; checks the result is native and has `shells`
 * closed shells of total volume `vol` and x/y/z size `size`. */
static void check_3mf(const char *name, size_t shells, double vol,
                      const double size[3], double min_x)
{
    struct mesh_tris m = {0};
    struct mesh_import_info info;
    struct mesh_report rep;
    struct dy_err err = {0};
    int rc = mesh_import(tpath(name), NULL, &m, &info, &err);
    if (rc != 0)
        fprintf(stderr, "%s: %s: %s\n", name, err.where, err.msg);
    assert_int_equal(rc, 0);
    assert_true(info.native);
    assert_string_equal(info.format, "3MF");
    assert_int_equal(mesh_repair(&m, NULL, &rep, &err), 0);
    if (rep.shells != shells || fabs(rep.volume_mm3 - vol) > 1e-3 * vol ||
        getenv("MESH_TEST_VERBOSE"))
        fprintf(stderr, "%s: %zu shells, vol %g, size %g %g %g min %g %g "
                "%g, turned %zu\n", name, rep.shells, rep.volume_mm3,
                rep.size[0], rep.size[1], rep.size[2], rep.bbox_min[0],
                rep.bbox_min[1], rep.bbox_min[2], rep.shells_turned_out);
    assert_int_equal(rep.shells, shells);
    assert_int_equal(rep.closed_shells, shells);
    /* Windings survive transforms (mirrors included): nothing to turn. */
    assert_int_equal(rep.shells_turned_out, 0);
    assert_true(fabs(rep.volume_mm3 - vol) < 1e-3 * vol);
    for (int k = 0; k < 3; k++)
        assert_true(fabs(rep.size[k] - size[k]) < 1e-3 * size[k]);
    assert_true(fabs(rep.bbox_min[0] - min_x) < 1e-3);
    mesh_tris_fini(&m);
}

static void test_cube(void **state)
{
    char *cube = cube_object(1, 20, NULL);
    write_model("n_cube.3mf", "millimeter", cube, "<item objectid=\"1\"/>\n");
    check_3mf("n_cube.3mf", 1, 8000, (double[3]){20, 20, 20}, 0);
    free(cube);
}

static void test_units(void **state)
{
    static const struct {
        const char *unit;
        double per_mm; /* file units per mm */
    } u[] = {{"micron", 1000}, {"inch", 1 / 25.4}, {"meter", 0.001},
             {"centimeter", 0.1}, {"foot", 1 / 304.8}};
    for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
        char *cube = cube_object(1, 20 * u[i].per_mm, NULL), name[64];
        snprintf(name, sizeof(name), "n_unit_%s.3mf", u[i].unit);
        write_model(name, u[i].unit, cube, "<item objectid=\"1\"/>\n");
        check_3mf(name, 1, 8000, (double[3]){20, 20, 20}, 0);
        free(cube);
    }
    /* An explicit unit replaces the file's: the "micron" cube's numbers
     * (20000) read as cm are 200 m, beyond the 1e5 mm range. */
    struct mesh_tris m = {0};
    struct dy_err err = {0};
    struct mesh_import_opts o = {.units = MESH_UNIT_CM};
    assert_int_equal(mesh_import(tpath("n_unit_micron.3mf"), &o, &m, NULL,
                                 &err), DY_ERANGE);
    o.units = MESH_UNIT_MM;
    struct mesh_import_info info;
    assert_int_equal(mesh_import(tpath("n_unit_inch.3mf"), &o, &m, &info,
                                 &err), 0);
    assert_true(fabs(info.mm_per_unit - 1) < 1e-12);
    mesh_tris_fini(&m);
}

/* Two build items of one object: translated copies, volume doubled; a
 * mirrored third copy keeps its outward winding. */
static void test_items(void **state)
{
    char *cube = cube_object(1, 10, NULL);
    write_model("n_items.3mf", "millimeter", cube,
                "<item objectid=\"1\" transform=\"1 0 0 0 1 0 0 0 1 5 0 0\"/>\n"
                "<item objectid=\"1\" transform=\"1 0 0 0 1 0 0 0 1 "
                "30 0 0\"/>\n");
    check_3mf("n_items.3mf", 2, 2000, (double[3]){35, 10, 10}, 5);
    write_model("n_mirror.3mf", "millimeter", cube,
                "<item objectid=\"1\"/>\n"
                "<item objectid=\"1\" transform=\"-1 0 0 0 1 0 0 0 2 -20 0 "
                "0\"/>\n");
    check_3mf("n_mirror.3mf", 2, 3000, (double[3]){40, 10, 20}, -30);
    /* An item marked printable="0" is left off the print. */
    write_model("n_unprintable.3mf", "millimeter", cube,
                "<item objectid=\"1\" transform=\"1 0 0 0 1 0 0 0 1 5 0 0\"/>\n"
                "<item objectid=\"1\" printable=\"0\" transform=\"1 0 0 0 1 0 0 0 1 "
                "30 0 0\"/>\n");
    check_3mf("n_unprintable.3mf", 1, 1000, (double[3]){10, 10, 10}, 5);
    free(cube);
}

/* An object made of two component references (one rotated 90 degrees
 * about Z, one scaled), placed by a build item with its own transform;
 * the component object is also nested one more level. */
static void test_components(void **state)
{
    char *cube = cube_object(1, 10, NULL), *res;
    assert_true(asprintf(&res, "%s"
        "<object id=\"2\"><components>"
        "<component objectid=\"1\" transform=\"0 1 0 -1 0 0 0 0 1 0 0 0\"/>"
        "<component objectid=\"1\" transform=\"2 0 0 0 1 0 0 0 1 20 0 0\"/>"
        "</components></object>\n"
        "<object id=\"3\"><components><component objectid=\"2\"/>"
        "</components></object>\n", cube) > 0);
    /* Component 1: x -> y, y -> -x: x in -10..0. Component 2: x 20..40.
     * The item moves all by +100 in x. */
    write_model("n_comp.3mf", "millimeter", res,
                "<item objectid=\"3\" transform=\"1 0 0 0 1 0 0 0 1 100 0 "
                "0\"/>\n");
    check_3mf("n_comp.3mf", 2, 3000, (double[3]){50, 10, 10}, 90);
    free(res);
    free(cube);
}

/* Production extension: the root's object references an object in a
 * second part (in centimetres) through p:path, as PrusaSlicer and Bambu
 * Studio write; a build item references the part directly too. */
static void test_production(void **state)
{
    char *cube = cube_object(7, 1, NULL), *part, *root;
    assert_true(asprintf(&part, HEAD("centimeter") "<resources>%s"
                         "</resources><build/></model>\n", cube) > 0);
    assert_true(asprintf(&root, HEAD("millimeter") "<resources>"
        "<object id=\"1\"><components><component p:path=\"/3D/Objects/"
        "cube.model\" objectid=\"7\" transform=\"1 0 0 0 1 0 0 0 1 0 0 "
        "5\"/></components></object></resources>\n<build>"
        "<item objectid=\"1\"/>"
        "<item p:path=\"/3D/Objects/cube.model\" objectid=\"7\" "
        "transform=\"1 0 0 0 1 0 0 0 1 30 0 0\"/>"
        "</build></model>\n") > 0);
    write_3mf("n_prod.3mf", "3D/3dmodel.model", "3D/3dmodel.model", root,
              "3D/Objects/cube.model", part, NULL);
    check_3mf("n_prod.3mf", 2, 2000, (double[3]){40, 10, 15}, 0);
    /* A root part under another name, found through _rels/.rels. */
    write_3mf("n_rels.3mf", "3D/main.model", "3D/main.model", root,
              "3D/Objects/cube.model", part, NULL);
    check_3mf("n_rels.3mf", 2, 2000, (double[3]){40, 10, 15}, 0);
    free(root);
    free(part);
    free(cube);
}

/* type="support" and "other" objects are not printed. */
static void test_support(void **state)
{
    char *a = cube_object(1, 10, "model"), *b = cube_object(2, 10, "support"),
         *c = cube_object(3, 10, "other"), *res;
    assert_true(asprintf(&res, "%s%s%s<object id=\"4\"><components>"
                         "<component objectid=\"2\"/></components></object>",
                         a, b, c) > 0);
    write_model("n_support.3mf", "millimeter", res,
                "<item objectid=\"1\"/><item objectid=\"2\" transform=\"1 0 "
                "0 0 1 0 0 0 1 50 0 0\"/><item objectid=\"3\"/>"
                "<item objectid=\"4\"/>\n");
    check_3mf("n_support.3mf", 1, 1000, (double[3]){10, 10, 10}, 0);
    free(res);
    free(a);
    free(b);
    free(c);
}

static void expect_err(const char *name, int code, const char *needle)
{
    struct mesh_tris m = {0};
    struct dy_err err = {0};
    int rc = mesh_import(tpath(name), NULL, &m, NULL, &err);
    char buf[1100];
    dy_err_format(&err, buf, sizeof(buf));
    if (rc != code || !strstr(buf, needle) || !strstr(buf, name) ||
        getenv("MESH_TEST_VERBOSE"))
        fprintf(stderr, "%s: got %d \"%s\"\n", name, rc, buf);
    assert_int_equal(rc, code);
    assert_non_null(strstr(buf, name));
    assert_non_null(strstr(buf, needle));
    assert_null(m.verts);
    assert_int_equal(m.ntris, 0);
}

/* One-object models with one thing wrong each. */
static void test_hostile_xml(void **state)
{
    static const struct {
        const char *file, *resources, *build;
        int code;
        const char *needle;
    } c[] = {
        {"h_index.3mf", "<object id=\"1\"><mesh><vertices>\n"
         "<vertex x=\"0\" y=\"0\" z=\"0\"/><vertex x=\"1\" y=\"0\" z=\"0\"/>"
         "\n<vertex x=\"0\" y=\"1\" z=\"0\"/></vertices><triangles>\n"
         "<triangle v1=\"0\" v2=\"1\" v3=\"2\"/>\n"
         "<triangle v1=\"0\" v2=\"1\" v3=\"9001\"/>\n"
         "</triangles></mesh></object>", "<item objectid=\"1\"/>",
         DY_EFORMAT, "3D/3dmodel.model:8: triangle 1: v3 = 9001 but the "
         "object has 3 vertices"},
        {"h_nan.3mf", "<object id=\"1\"><mesh><vertices>"
         "<vertex x=\"0\" y=\"nan\" z=\"0\"/></vertices></mesh></object>",
         "<item objectid=\"1\"/>", DY_EFORMAT,
         "vertex 0: y = nan is not a finite coordinate"},
        {"h_inf.3mf", "<object id=\"1\"><mesh><vertices>"
         "<vertex x=\"0\" y=\"0\" z=\"-1e999\"/></vertices></mesh></object>",
         "<item objectid=\"1\"/>", DY_EFORMAT, "z = -1e999 is not a finite"},
        {"h_alpha.3mf", "<object id=\"1\"><mesh><vertices>"
         "<vertex x=\"1.5mm\" y=\"0\" z=\"0\"/></vertices></mesh></object>",
         "<item objectid=\"1\"/>", DY_EFORMAT,
         "x = \"1.5mm\" is not a number"},
        {"h_missing_z.3mf", "<object id=\"1\"><mesh><vertices>"
         "<vertex x=\"1\" y=\"0\"/></vertices></mesh></object>",
         "<item objectid=\"1\"/>", DY_EFORMAT, "vertex 0: missing z"},
        {"h_neg_index.3mf", "<object id=\"1\"><mesh><vertices>"
         "<vertex x=\"1\" y=\"0\" z=\"0\"/></vertices><triangles>"
         "<triangle v1=\"-1\" v2=\"0\" v3=\"0\"/></triangles></mesh>"
         "</object>", "<item objectid=\"1\"/>", DY_EFORMAT,
         "triangle 0: v1 = \"-1\" is not an index"},
        {"h_noobj.3mf", "", "<item objectid=\"99\"/>", DY_EFORMAT,
         "build item 0: object 99 is not defined in 3D/3dmodel.model"},
        {"h_nocomp.3mf", "<object id=\"1\"><components><component "
         "objectid=\"5\"/></components></object>", "<item objectid=\"1\"/>",
         DY_EFORMAT, "component: object 5 is not defined"},
        {"h_cycle.3mf", "<object id=\"1\"><components><component "
         "objectid=\"2\"/></components></object><object id=\"2\">"
         "<components><component objectid=\"1\"/></components></object>",
         "<item objectid=\"1\"/>", DY_EFORMAT,
         "component cycle: object 1 contains itself"},
        {"h_self.3mf", "<object id=\"1\"><components><component "
         "objectid=\"1\"/></components></object>", "<item objectid=\"1\"/>",
         DY_EFORMAT, "component cycle"},
        {"h_transform.3mf", "", "<item objectid=\"1\" transform=\"1 0 0 0 "
         "1 0 0 0 1 0 0\"/>", DY_EFORMAT,
         "build item 0: transform needs 12 numbers (number 12"},
        {"h_dup.3mf", "<object id=\"1\"/><object id=\"1\"/>",
         "<item objectid=\"1\"/>", DY_EFORMAT, "object id 1 is defined twice"},
        {"h_empty_build.3mf", "<object id=\"1\"/>", "", DY_EFORMAT,
         "the <build> has no items"},
        {"h_nothing.3mf", "<object id=\"1\" type=\"support\"><mesh><vertices>"
         "<vertex x=\"0\" y=\"0\" z=\"0\"/><vertex x=\"1\" y=\"0\" z=\"0\"/>"
         "<vertex x=\"0\" y=\"1\" z=\"0\"/></vertices><triangles>"
         "<triangle v1=\"0\" v2=\"1\" v3=\"2\"/></triangles></mesh>"
         "</object>", "<item objectid=\"1\"/>", DY_EFORMAT,
         "no printable (type=\"model\") object"},
        {"h_ppath.3mf", "<object id=\"1\"><components><component "
         "p:path=\"/3D/missing.model\" objectid=\"1\"/></components>"
         "</object>", "<item objectid=\"1\"/>", DY_EFORMAT,
         "3D/3dmodel.model:4: p:path=\"/3D/missing.model\": no such part"},
        {"h_syntax.3mf", "<object id=\"1\"><mesh></object>",
         "<item objectid=\"1\"/>", DY_EFORMAT, "3D/3dmodel.model:4: XML "
         "error: mismatched tag"},
        /* Coordinates fine for XML but beyond the build range in mm. */
        {"h_far.3mf", "<object id=\"1\"><mesh><vertices>"
         "<vertex x=\"0\" y=\"0\" z=\"0\"/><vertex x=\"5e6\" y=\"0\" z=\"0\"/>"
         "<vertex x=\"0\" y=\"1\" z=\"0\"/></vertices><triangles>"
         "<triangle v1=\"0\" v2=\"1\" v3=\"2\"/></triangles></mesh>"
         "</object>", "<item objectid=\"1\"/>", DY_ERANGE, "h_far.3mf"},
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        write_model(c[i].file, "millimeter", c[i].resources, c[i].build);
        expect_err(c[i].file, c[i].code, c[i].needle);
    }
    write_model("h_unit.3mf", "parsec", "", "");
    expect_err("h_unit.3mf", DY_EFORMAT, "<model unit=\"parsec\">: unknown");
}

/* Deep nesting: a chain of 40 component objects. */
static void test_hostile_depth(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    char *cube = cube_object(1, 1, NULL);
    fputs(cube, fp);
    for (int i = 2; i <= 41; i++)
        fprintf(fp, "<object id=\"%d\"><components><component objectid="
                "\"%d\"/></components></object>\n", i, i - 1);
    fclose(fp);
    write_model("h_deep.3mf", "millimeter", buf, "<item objectid=\"41\"/>");
    expect_err("h_deep.3mf", DY_ELIMIT, "nested deeper than 32 levels");
    free(buf);

    /* Exponential expansion: 7 levels of 10 references each (10^7 cubes)
     * stopped by the triangle cap; with an empty leaf object, by the
     * instance cap. Small caps keep the test fast. */
    buf = NULL;
    fp = open_memstream(&buf, &len);
    fputs(cube, fp);
    for (int i = 2; i <= 8; i++) {
        fprintf(fp, "<object id=\"%d\"><components>", i);
        for (int k = 0; k < 10; k++)
            fprintf(fp, "<component objectid=\"%d\"/>", i - 1);
        fputs("</components></object>\n", fp);
    }
    fclose(fp);
    write_model("h_expand.3mf", "millimeter", buf, "<item objectid=\"8\"/>");
    struct mesh_3mf_limits lim = mesh_3mf_limits_default;
    lim.max_tris = 100000;
    struct mesh_tris m = {0};
    struct dy_err err = {0};
    double mm;
    assert_int_equal(mesh_3mf_read(tpath("h_expand.3mf"), &lim, &m, &mm,
                                   &err), DY_ELIMIT);
    assert_non_null(strstr(err.msg, "expands to more than 100000 triangles"));
    assert_null(m.verts);
    lim.max_tris = MESH_MAX_TRIS;
    lim.max_instances = 5000;
    assert_int_equal(mesh_3mf_read(tpath("h_expand.3mf"), &lim, &m, &mm,
                                   &err), DY_ELIMIT);
    assert_non_null(strstr(err.msg, "more than 5000 object instances"));
    free(buf);
    /* With the default caps and an empty leaf: 10^7 placements of
     * nothing end on the instance cap, quickly and in little memory. */
    buf = NULL;
    fp = open_memstream(&buf, &len);
    fputs("<object id=\"1\"/>", fp);
    for (int i = 2; i <= 8; i++) {
        fprintf(fp, "<object id=\"%d\"><components>", i);
        for (int k = 0; k < 10; k++)
            fprintf(fp, "<component objectid=\"%d\"/>", i - 1);
        fputs("</components></object>\n", fp);
    }
    fclose(fp);
    write_model("h_expand0.3mf", "millimeter", buf, "<item objectid=\"8\"/>");
    expect_err("h_expand0.3mf", DY_ELIMIT, "10000000 object instances");
    free(buf);
    free(cube);
}

/* DOCTYPE / entities (billion laughs), zip bombs, truncated and corrupt
 * zips, missing parts. */
static void test_hostile_package(void **state)
{
    const char *laughs =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE model [\n"
        "<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;\">\n"
        "]>\n<model xmlns=\"" NS_CORE "\"><resources>&b;</resources>"
        "</model>\n";
    write_3mf("h_laughs.3mf", "3D/3dmodel.model", "3D/3dmodel.model",
              laughs, NULL);
    expect_err("h_laughs.3mf", DY_EFORMAT, "3D/3dmodel.model:2: DOCTYPE "
               "declarations are not allowed");

    /* 40 MB of blanks inside <resources>: deflate packs it ~1000:1. */
    size_t n = 40u << 20;
    char *bomb = malloc(n + 1024);
    assert_non_null(bomb);
    int h = snprintf(bomb, 1024, HEAD("millimeter") "<resources>");
    memset(bomb + h, ' ', n);
    strcpy(bomb + h + n, "</resources><build/></model>");
    write_3mf("h_bomb.3mf", "3D/3dmodel.model", "3D/3dmodel.model", bomb,
              NULL);
    free(bomb);
    expect_err("h_bomb.3mf", DY_ELIMIT, "expands more than 400 times");

    /* Absolute size caps (small here; 6 GB per part by default). */
    char *cube = cube_object(1, 10, NULL);
    write_model("h_size.3mf", "millimeter", cube, "<item objectid=\"1\"/>");
    struct mesh_3mf_limits lim = mesh_3mf_limits_default;
    lim.part_bytes = 300;
    struct mesh_tris m = {0};
    struct dy_err err = {0};
    double mm;
    assert_int_equal(mesh_3mf_read(tpath("h_size.3mf"), &lim, &m, &mm,
                                   &err), DY_ELIMIT);
    assert_non_null(strstr(err.where, "h_size.3mf: 3D/3dmodel.model"));
    assert_non_null(strstr(err.msg, "zip bomb"));
    lim = mesh_3mf_limits_default;
    lim.max_tris = 5;
    assert_int_equal(mesh_3mf_read(tpath("h_size.3mf"), &lim, &m, &mm,
                                   &err), DY_ELIMIT);
    assert_non_null(strstr(err.msg, "more than 5 vertices"));

    /* Truncated: the central directory is gone. */
    FILE *fp = fopen(tpath("h_size.3mf"), "rb");
    assert_non_null(fp);
    char buf[65536];
    size_t len = fread(buf, 1, sizeof(buf), fp);
    fclose(fp);
    fp = fopen(tpath("h_trunc.3mf"), "wb");
    fwrite(buf, 1, len / 2, fp);
    fclose(fp);
    expect_err("h_trunc.3mf", DY_EFORMAT, "not a readable 3MF (zip) file");
    /* Corrupt deflate data with the directory intact: the bytes right
     * after the model part's local header are flipped. */
    char *p = memmem(buf, len, "3D/3dmodel.model", 16);
    assert_non_null(p);
    for (int i = 0; i < 64; i++)
        p[16 + 40 + i] ^= 0x5a;
    fp = fopen(tpath("h_corrupt.3mf"), "wb");
    fwrite(buf, 1, len, fp);
    fclose(fp);
    expect_err("h_corrupt.3mf", DY_EFORMAT, "3D/3dmodel.model");

    /* No model part at all; a rels part pointing nowhere. */
    write_3mf("h_nomodel.3mf", NULL, "Metadata/thumbnail.png", "x", NULL);
    expect_err("h_nomodel.3mf", DY_EFORMAT, "no 3D model part");
    write_3mf("h_badrels.3mf", "3D/elsewhere.model", "3D/3dmodel.model",
              "x", NULL);
    expect_err("h_badrels.3mf", DY_EFORMAT, "(3D/elsewhere.model)");
    free(cube);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A sphere of ~100k triangles (MESH_3MF_BENCH_TRIS to change) through the
 * native reader and through Assimp: same triangles, same volume; prints
 * both times. */
static void test_vs_assimp(void **state)
{
    const char *env = getenv("MESH_3MF_BENCH_TRIS");
    size_t nt = env ? strtoul(env, NULL, 10) : 100000;
    struct mesh_tris s = {0};
    assert_int_equal(testmesh_sphere_ntris(&s, 40, nt), 0);
    char *mx = mesh_xml(&s, 1), *xml;
    assert_true(asprintf(&xml, HEAD("millimeter") "<resources><object "
                         "id=\"1\" type=\"model\">%s</object></resources>"
                         "<build><item objectid=\"1\"/></build></model>\n",
                         mx) > 0);
    free(mx);
    write_3mf("n_big.3mf", "3D/3dmodel.model", "3D/3dmodel.model", xml,
              NULL);
    free(xml);
    struct mesh_tris a = {0}, b = {0};
    struct dy_err err = {0};
    struct mesh_import_info ia, ib;
    double t0 = now_s();
    assert_int_equal(mesh_import(tpath("n_big.3mf"), NULL, &a, &ia, &err),
                     0);
    double t1 = now_s();
    struct mesh_import_opts fa = {.force_assimp = true};
    int rc = mesh_import(tpath("n_big.3mf"), &fa, &b, &ib, &err);
    double t2 = now_s();
    if (rc != 0)
        fprintf(stderr, "assimp: %s: %s\n", err.where, err.msg);
    assert_int_equal(rc, 0);
    fprintf(stderr, "3MF %zu triangles: native %.3f s, Assimp %.3f s\n",
            s.ntris, t1 - t0, t2 - t1);
    assert_true(ia.native);
    assert_false(ib.native);
    assert_int_equal(a.ntris, s.ntris);
    assert_int_equal(b.ntris, s.ntris);
    double va, vb, vs;
    mesh_tris_measure(&a, &va, NULL);
    mesh_tris_measure(&b, &vb, NULL);
    mesh_tris_measure(&s, &vs, NULL);
    assert_true(fabs(va - vs) < 1e-4 * vs);
    assert_true(fabs(vb - vs) < 1e-4 * vs);
    mesh_tris_fini(&a);
    mesh_tris_fini(&b);
    mesh_tris_fini(&s);
}

int main(void)
{
    const char *d = getenv("MESH_TEST_DIR");
    snprintf(tdir, sizeof(tdir), "%s", d ? d : ".");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cube),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_components),
        cmocka_unit_test(test_production),
        cmocka_unit_test(test_support),
        cmocka_unit_test(test_hostile_xml),
        cmocka_unit_test(test_hostile_depth),
        cmocka_unit_test(test_hostile_package),
        cmocka_unit_test(test_vs_assimp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
