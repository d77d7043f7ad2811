/* mesh_corpus.c: replays tests/corpus/mesh_load (fuzz seeds and findings)
 * through import + repair + placement, as the fuzz target does: every file
 * must come back as success or as an error with a message, never a crash
 * of this process. Known importer crashes must come back as errors. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daryn/mesh.h"

static const char *ext[] = {"stl", "obj", "ply", "off", "3mf", "glb"};

static int run_one(const char *dir, const char *name, struct dy_err *err)
{
    char src[1024], dst[1024];
    snprintf(src, sizeof(src), "%s/%s", dir, name);
    FILE *fp = fopen(src, "rb");
    assert_non_null(fp);
    int first = fgetc(fp);
    assert_true(first != EOF);
    const char *tdir = getenv("MESH_TEST_DIR");
    snprintf(dst, sizeof(dst), "%s/corpus_%s.%s", tdir ? tdir : ".", name,
             ext[first % 6]);
    FILE *out = fopen(dst, "wb");
    assert_non_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        fwrite(buf, 1, n, out);
    fclose(out);
    fclose(fp);
    struct mesh_tris m = {0};
    struct mesh_import_opts io = {.timeout_s = 2};
    int rc = mesh_import(dst, &io, &m, NULL, err);
    if (rc == 0) {
        struct mesh_report rep;
        rc = mesh_repair(&m, NULL, &rep, err);
        struct mesh_place_opts po = {.auto_orient = true, .fit = true,
                                     .bed_mm = {220, 220, 250}};
        if (rc == 0)
            rc = mesh_place(&m, &po, NULL, err);
    }
    mesh_tris_fini(&m);
    unlink(dst);
    return rc;
}

static void test_corpus(void **state)
{
    const char *dir = DARYN_SOURCE_DIR "/tests/corpus/mesh_load";
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int files = 0, crashes_seen = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        struct dy_err err = {0};
        int rc = run_one(dir, e->d_name, &err);
        files++;
        if (rc != 0) {
            /* Every failure explains itself. */
            assert_true(err.msg[0] != '\0');
            assert_true(err.where[0] != '\0');
        }
        if (strncmp(e->d_name, "seed_", 5) == 0)
            assert_int_equal(rc, 0);
        if (strncmp(e->d_name, "assimpcrash_", 12) == 0) {
            /* An importer crash found by the fuzzer: a clean error now. */
            assert_int_equal(rc, DY_EEXTERNAL);
            assert_non_null(strstr(err.msg, "importer crashed on"));
            crashes_seen++;
        }
        if (strncmp(e->d_name, "hang_", 5) == 0) {
            /* An importer that never returns: killed at the deadline. */
            assert_int_equal(rc, DY_EEXTERNAL);
            assert_non_null(strstr(err.msg, "timed out"));
        }
    }
    closedir(d);
    assert_true(files >= 8);
    assert_true(crashes_seen >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
