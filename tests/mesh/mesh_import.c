/* mesh_import.c: round trips through every format Assimp can export (and
 * OFF, written by hand), units, up axes, and the bad-input errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <assimp/cexport.h>
#include <assimp/cimport.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <cmocka.h>
#include <zip.h>

#include "testmesh.h"

static char tdir[512];

static const char *tpath(const char *name)
{
    static char buf[8][1024];
    static int slot;
    char *p = buf[slot++ % 8];
    snprintf(p, 1024, "%s/%s", tdir, name);
    return p;
}

/* Turns a Z-up mesh into what a Y-up tool writes: (x, y, z) -> (x, z, -y),
 * the inverse of the importer's turn. */
static void to_y_up(struct aiScene *sc)
{
    for (unsigned i = 0; i < sc->mNumMeshes; i++) {
        struct aiMesh *me = sc->mMeshes[i];
        for (unsigned v = 0; v < me->mNumVertices; v++) {
            struct aiVector3D p = me->mVertices[v];
            me->mVertices[v].y = p.z;
            me->mVertices[v].z = -p.y;
        }
    }
}

static void scale_scene(struct aiScene *sc, double s)
{
    for (unsigned i = 0; i < sc->mNumMeshes; i++) {
        struct aiMesh *me = sc->mMeshes[i];
        for (unsigned v = 0; v < me->mNumVertices; v++) {
            me->mVertices[v].x *= s;
            me->mVertices[v].y *= s;
            me->mVertices[v].z *= s;
        }
    }
}

/* Exports *m as `format_id` to `name` through Assimp: the STL is read by
 * Assimp (a real scene with materials), copied, converted to the units
 * and up axis the format uses, and exported. */
static void export_as(const struct mesh_tris *m, const char *format_id,
                      const char *name, double unit_scale, int y_up)
{
    const char *stl = tpath("export_src.stl");
    assert_int_equal(testmesh_write_stl(m, stl), 0);
    const struct aiScene *in = aiImportFile(
        stl, aiProcess_JoinIdenticalVertices | aiProcess_Triangulate);
    assert_non_null(in);
    struct aiScene *sc = NULL;
    aiCopyScene(in, &sc);
    aiReleaseImport(in);
    assert_non_null(sc);
    scale_scene(sc, unit_scale);
    if (y_up)
        to_y_up(sc);
    int rc = aiExportScene(sc, format_id, tpath(name), 0);
    if (rc != aiReturn_SUCCESS)
        fprintf(stderr, "export %s: %s\n", format_id, aiGetErrorString());
    assert_int_equal(rc, aiReturn_SUCCESS);
    aiFreeScene(sc);
}

static void write_off(const struct mesh_tris *m, const char *path)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "OFF\n# written by mesh_import test\n%zu %zu 0\n", m->nverts,
            m->ntris);
    for (size_t i = 0; i < m->nverts; i++)
        fprintf(fp, "%.9g %.9g %.9g\n", m->verts[i][0], m->verts[i][1],
                m->verts[i][2]);
    for (size_t i = 0; i < m->ntris; i++)
        fprintf(fp, "3 %u %u %u\n", (unsigned)m->tris[i][0],
                (unsigned)m->tris[i][1], (unsigned)m->tris[i][2]);
    fclose(fp);
}

static void check_cube(const char *path, const struct mesh_import_opts *o,
                       double edge)
{
    struct mesh_tris m = {0};
    struct mesh_import_info info;
    struct mesh_report rep;
    struct dy_err err = {0};
    int rc = mesh_import(path, o, &m, &info, &err);
    if (rc != 0)
        fprintf(stderr, "%s: %s: %s\n", path, err.where, err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(m.ntris, 12);
    assert_int_equal(mesh_repair(&m, NULL, &rep, &err), 0);
    if (getenv("MESH_TEST_VERBOSE") || fabs(rep.bbox_min[1]) > 1e-3 * edge ||
        fabs(rep.bbox_min[2]) > 1e-3 * edge ||
        fabs(rep.size[0] - edge) > 1e-3 * edge)
        fprintf(stderr, "%s (%s, %g mm/unit, y-up %d): bbox (%g %g %g) "
                "size %g %g %g vol %g\n", path, info.format,
                info.mm_per_unit, info.rotated_y_up, rep.bbox_min[0],
                rep.bbox_min[1], rep.bbox_min[2], rep.size[0], rep.size[1],
                rep.size[2], rep.volume_mm3);
    assert_int_equal(rep.nverts, 8);
    assert_int_equal(rep.shells, 1);
    assert_int_equal(rep.closed_shells, 1);
    assert_int_equal(rep.holes, 0);
    for (int k = 0; k < 3; k++) {
        /* Same place as the source cube: the units and the up-axis turn
         * are both right (a wrong turn puts y or z at -edge). */
        assert_true(fabs(rep.bbox_min[k]) < 1e-3 * edge);
        assert_true(fabs(rep.size[k] - edge) < 1e-3 * edge);
    }
    double v = edge * edge * edge;
    assert_true(fabs(rep.volume_mm3 - v) < 0.01 * v);
    mesh_tris_fini(&m);
}

static void test_formats(void **state)
{
    static const struct {
        const char *id, *file;
        double unit;   /* file units per mm, as the format's tools write */
        int y_up;
    } fm[] = {
        {"stl", "cube_ascii.stl", 1, 0},
        {"stlb", "cube_bin.stl", 1, 0},
        {"obj", "cube.obj", 1, 1},
        {"ply", "cube_ascii.ply", 1, 0},
        {"plyb", "cube_bin.ply", 1, 0},
        {"3ds", "cube.3ds", 1, 0},
        {"collada", "cube.dae", 0.001, 1},
        {"gltf2", "cube.gltf", 0.001, 1},
        {"glb2", "cube.glb", 0.001, 1},
        {"fbxa", "cube.fbx", 0.1, 1},
        {"3mf", "cube.3mf", 1, 0},
    };
    struct mesh_tris cube = {0};
    assert_int_equal(testmesh_cube(&cube, 20), 0);
    for (size_t i = 0; i < sizeof(fm) / sizeof(fm[0]); i++) {
        export_as(&cube, fm[i].id, fm[i].file, fm[i].unit, fm[i].y_up);
        check_cube(tpath(fm[i].file), NULL, 20);
    }
    write_off(&cube, tpath("cube.off"));
    check_cube(tpath("cube.off"), NULL, 20);
    mesh_tris_fini(&cube);
}

/* Binary STL goes through the native reader; ASCII through Assimp. */
static void test_stl_paths(void **state)
{
    struct mesh_tris m = {0}, s = {0};
    struct mesh_import_info info;
    struct dy_err err = {0};
    double c[3] = {0, 0, 0};
    assert_int_equal(testmesh_sphere(&s, c, 10, 40, 80), 0);
    assert_int_equal(testmesh_write_stl(&s, tpath("sphere.stl")), 0);
    assert_int_equal(mesh_import(tpath("sphere.stl"), NULL, &m, &info, &err),
                     0);
    assert_true(info.native);
    assert_int_equal(m.ntris, s.ntris);
    struct mesh_report r1, r2;
    assert_int_equal(mesh_repair(&m, NULL, &r1, &err), 0);
    mesh_tris_fini(&m);
    struct mesh_import_opts o = {.force_assimp = true};
    assert_int_equal(mesh_import(tpath("sphere.stl"), &o, &m, &info, &err),
                     0);
    assert_false(info.native);
    assert_int_equal(mesh_repair(&m, NULL, &r2, &err), 0);
    assert_int_equal(r1.ntris, r2.ntris);
    assert_int_equal(r1.nverts, s.nverts);
    assert_int_equal(r2.nverts, s.nverts);
    assert_true(fabs(r1.volume_mm3 - r2.volume_mm3) < 1e-6 * r1.volume_mm3);
    mesh_tris_fini(&m);
    mesh_tris_fini(&s);
}

/* Rewrites the unit attribute of an exported 3MF's model part. */
static void set_3mf_unit(const char *path, const char *unit)
{
    int zerr;
    zip_t *za = zip_open(path, 0, &zerr);
    assert_non_null(za);
    zip_int64_t idx = zip_name_locate(za, "3D/3dmodel.model", ZIP_FL_NOCASE);
    assert_true(idx >= 0);
    zip_stat_t st;
    assert_int_equal(zip_stat_index(za, idx, 0, &st), 0);
    char *xml = calloc(1, st.size + 64);
    zip_file_t *zf = zip_fopen_index(za, idx, 0);
    assert_int_equal(zip_fread(zf, xml, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    char *u = strstr(xml, "unit=\"");
    assert_non_null(u);
    char *ue = strchr(u + 6, '"');
    size_t tail = strlen(ue);
    char *out = calloc(1, st.size + 64);
    memcpy(out, xml, (size_t)(u - xml));
    sprintf(out + (u - xml), "unit=\"%s", unit);
    memcpy(out + strlen(out), ue, tail + 1);
    zip_source_t *src = zip_source_buffer(za, out, strlen(out), 1);
    assert_true(zip_file_replace(za, idx, src, 0) == 0);
    assert_int_equal(zip_close(za), 0);
    free(xml);
}

static void test_units(void **state)
{
    struct mesh_tris cube = {0};
    assert_int_equal(testmesh_cube(&cube, 20), 0);
    /* A glb in metres (the glTF spec unit) comes in as mm. */
    export_as(&cube, "glb2", "units_m.glb", 0.001, 1);
    check_cube(tpath("units_m.glb"), NULL, 20);
    /* units=mm overrides: the 0.02 m cube becomes a 0.02 mm cube. */
    struct mesh_import_opts mm = {.units = MESH_UNIT_MM};
    check_cube(tpath("units_m.glb"), &mm, 0.02);
    /* A 3MF with unit="inch": the numbers are inches. */
    export_as(&cube, "3mf", "units_inch.3mf", 1 / 25.4, 0);
    set_3mf_unit(tpath("units_inch.3mf"), "inch");
    check_cube(tpath("units_inch.3mf"), NULL, 20);
    set_3mf_unit(tpath("units_inch.3mf"), "meter");
    check_cube(tpath("units_inch.3mf"), NULL, 20 / 25.4 * 1000);
    /* An STL from an inch-based tool, with units=inch. */
    struct mesh_tris small = {0};
    assert_int_equal(testmesh_cube(&small, 1), 0);
    assert_int_equal(testmesh_write_stl(&small, tpath("inch.stl")), 0);
    struct mesh_import_opts in = {.units = MESH_UNIT_INCH};
    check_cube(tpath("inch.stl"), &in, 25.4);
    /* OBJ from a CAD tool that writes Z-up. */
    export_as(&cube, "obj", "zup.obj", 1, 0);
    struct mesh_import_opts z = {.up = MESH_UP_Z};
    check_cube(tpath("zup.obj"), &z, 20);
    mesh_tris_fini(&small);
    mesh_tris_fini(&cube);

    enum mesh_unit u;
    struct dy_err err = {0};
    assert_int_equal(mesh_unit_parse("inch", &u, &err), 0);
    assert_int_equal(u, MESH_UNIT_INCH);
    assert_int_equal(mesh_unit_parse("ft", &u, &err), DY_EINVAL);
    assert_non_null(strstr(err.msg, "ft"));
}

/* Every shape survives a round trip through binary STL and 3MF. */
static void test_shapes(void **state)
{
    struct mesh_tris m = {0};
    double c[3] = {0, 0, 10};
    assert_int_equal(testmesh_torus(&m, c, 20, 5, 48, 24), 0);
    double v0;
    mesh_tris_measure(&m, &v0, NULL);
    export_as(&m, "3mf", "torus.3mf", 1, 0);
    export_as(&m, "glb2", "torus.glb", 0.001, 1);
    const char *files[] = {"torus.3mf", "torus.glb"};
    for (int i = 0; i < 2; i++) {
        struct mesh_tris t = {0};
        struct mesh_report rep;
        struct dy_err err = {0};
        assert_int_equal(mesh_import(tpath(files[i]), NULL, &t, NULL, &err),
                         0);
        assert_int_equal(mesh_repair(&t, NULL, &rep, &err), 0);
        assert_int_equal(rep.ntris, m.ntris);
        assert_int_equal(rep.nverts, m.nverts);
        assert_true(fabs(rep.volume_mm3 - v0) < 1e-3 * v0);
        assert_true(fabs(rep.size[0] - 50) < 0.01);
        assert_true(fabs(rep.size[2] - 10) < 0.01);
        mesh_tris_fini(&t);
    }
    mesh_tris_fini(&m);
}

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    if (n)
        assert_int_equal(fwrite(data, 1, n, fp), n);
    fclose(fp);
}

static void expect_err(const char *name, int code, const char *needle)
{
    struct mesh_tris m = {0};
    struct dy_err err = {0};
    int rc = mesh_import(tpath(name), NULL, &m, NULL, &err);
    char buf[1100];
    dy_err_format(&err, buf, sizeof(buf));
    if (rc != code || !strstr(buf, needle) || !strstr(buf, name))
        fprintf(stderr, "%s: got %d \"%s\"\n", name, rc, buf);
    assert_int_equal(rc, code);
    assert_non_null(strstr(buf, name));
    assert_non_null(strstr(buf, needle));
    assert_null(m.verts);
    assert_int_equal(m.ntris, 0);
}

static void test_bad_input(void **state)
{
    write_bytes(tpath("empty.stl"), "", 0);
    expect_err("empty.stl", DY_EFORMAT, "empty");

    struct mesh_tris cube = {0};
    assert_int_equal(testmesh_cube(&cube, 20), 0);
    assert_int_equal(testmesh_write_stl(&cube, tpath("trunc.stl")), 0);
    assert_int_equal(truncate(tpath("trunc.stl"), 84 + 50 * 7 + 13), 0);
    expect_err("trunc.stl", DY_EFORMAT, "truncated binary STL");

    char garbage[3000];
    for (size_t i = 0; i < sizeof(garbage); i++)
        garbage[i] = (char)(i * 7919 % 251);
    write_bytes(tpath("garbage.stl"), garbage, sizeof(garbage));
    expect_err("garbage.stl", DY_EFORMAT, "truncated");
    write_bytes(tpath("garbage.obj"), garbage, sizeof(garbage));
    expect_err("garbage.obj", DY_EFORMAT, "garbage.obj");
    write_bytes(tpath("garbage.3mf"), garbage, sizeof(garbage));
    expect_err("garbage.3mf", DY_EFORMAT, "zip");
    write_bytes(tpath("garbage.glb"), garbage, sizeof(garbage));
    expect_err("garbage.glb", DY_EFORMAT, "garbage.glb");

    /* NaN as y of triangle 5, vertex 2, patched into the STL bytes. */
    assert_int_equal(testmesh_write_stl(&cube, tpath("nan.stl")), 0);
    FILE *fp = fopen(tpath("nan.stl"), "r+b");
    assert_non_null(fp);
    float qnan = NAN;
    fseek(fp, 84 + 50 * 5 + 12 + 12 * 2 + 4, SEEK_SET);
    fwrite(&qnan, 4, 1, fp); /* little-endian host, as in the format */
    fclose(fp);
    expect_err("nan.stl", DY_EFORMAT,
               "nan.stl: triangle 5: vertex 2 has a non-finite coordinate");

    struct mesh_tris huge = {0};
    assert_int_equal(testmesh_cube(&huge, 2e5), 0);
    assert_int_equal(testmesh_write_stl(&huge, tpath("huge.stl")), 0);
    expect_err("huge.stl", DY_ERANGE, "wrong units");

    /* A valid binary STL header with zero triangles, and an ASCII STL and
     * an OBJ with no faces. */
    unsigned char hdr[84] = "empty";
    write_bytes(tpath("notris.stl"), hdr, sizeof(hdr));
    expect_err("notris.stl", DY_EFORMAT, "no triangles");
    const char *obj = "v 0 0 0\nv 1 0 0\nv 0 1 0\n";
    write_bytes(tpath("notris.obj"), obj, strlen(obj));
    expect_err("notris.obj", DY_EFORMAT, "notris.obj");
    const char *astl = "solid x\nendsolid x\n";
    write_bytes(tpath("notris_ascii.stl"), astl, strlen(astl));
    expect_err("notris_ascii.stl", DY_EFORMAT, "notris_ascii.stl");

    expect_err("does_not_exist.stl", DY_EIO, "cannot read");
    write_bytes(tpath("x.blend"), "x", 1);
    expect_err("x.blend", DY_EUNSUPPORTED, "extension");
    mesh_tris_fini(&huge);
    mesh_tris_fini(&cube);
}

/* mesh_info_load + mesh_info_print: what `daryn mesh-info` shows. */
static void test_info(void **state)
{
    struct mesh_tris m = {0};
    struct mesh_info info;
    struct dy_err err = {0};
    assert_int_equal(testmesh_figurine(&m), 0);
    assert_int_equal(testmesh_write_stl(&m, tpath("figurine.stl")), 0);
    assert_int_equal(mesh_info_load(tpath("figurine.stl"), NULL, NULL, &info,
                                    &err), 0);
    assert_string_equal(info.import.format, "STL");
    assert_true(info.import.native);
    assert_int_equal(info.report.input_tris, m.ntris);
    assert_int_equal(info.report.ntris, m.ntris);
    assert_int_equal(info.report.nverts, m.nverts);
    assert_int_equal(info.report.shells, TESTMESH_FIGURINE_SHELLS);
    assert_int_equal(info.report.holes, 0);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    mesh_info_print(&info, "figurine.stl", fp);
    fclose(fp);
    assert_non_null(strstr(text, "figurine.stl: STL (native reader)"));
    assert_non_null(strstr(text, "shells     6 (6 closed, 0 turned "
                                 "outward)"));
    assert_non_null(strstr(text, "size       40.00 x 18.00 x 61.00 mm"));
    free(text);
    mesh_tris_fini(&m);
}

int main(void)
{
    const char *d = getenv("MESH_TEST_DIR");
    snprintf(tdir, sizeof(tdir), "%s", d ? d : ".");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_stl_paths),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
