/* Atomic outputs: the old file or the whole new one, shareable permissions,
 * no temporary left behind. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daryn/atomic_file.h"

static char dir[256];

static int count_entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

static void read_file(const char *p, char *buf, size_t n)
{
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    size_t got = fread(buf, 1, n - 1, f);
    buf[got] = 0;
    fclose(f);
}

static void test_commit_abort(void **state)
{
    snprintf(dir, sizeof(dir), "/tmp/daryn-atomic-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[512], buf[64];
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    mode_t old = umask(022);
    struct dy_atomic a;
    struct dy_err err;
    assert_int_equal(dy_atomic_begin(&a, path, 0, &err), 0);
    FILE *f = dy_atomic_file(&a, "w");
    assert_non_null(f);
    fputs("first", f);
    assert_int_equal(count_entries(), 1);   /* only the temporary */
    assert_int_equal(access(path, F_OK), -1); /* nothing at the path yet */
    assert_int_equal(dy_atomic_commit(&a, &err), 0);
    read_file(path, buf, sizeof(buf));
    assert_string_equal(buf, "first");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644); /* not mkstemp's 0600 */
    /* a failed write (abort) leaves the old file whole, and no temporary */
    assert_int_equal(dy_atomic_begin(&a, path, 0, &err), 0);
    assert_int_equal(write(a.fd, "half", 4), 4);
    dy_atomic_abort(&a);
    read_file(path, buf, sizeof(buf));
    assert_string_equal(buf, "first");
    assert_int_equal(count_entries(), 1);
    /* a raw fd, replacing the file */
    assert_int_equal(dy_atomic_begin(&a, path, 0, &err), 0);
    assert_int_equal(write(a.fd, "second", 6), 6);
    assert_int_equal(dy_atomic_commit(&a, &err), 0);
    read_file(path, buf, sizeof(buf));
    assert_string_equal(buf, "second");
    assert_int_equal(count_entries(), 1);
    /* a directory */
    char dpath[512];
    snprintf(dpath, sizeof(dpath), "%s/frames", dir);
    assert_int_equal(dy_atomic_begin(&a, dpath, 1, &err), 0);
    assert_int_equal(stat(a.tmp, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0755);
    assert_int_equal(dy_atomic_commit(&a, &err), 0);
    assert_int_equal(stat(dpath, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    /* a folder that doesn't exist: a clean error naming the path */
    char bad[512];
    snprintf(bad, sizeof(bad), "%s/no/such/out.txt", dir);
    assert_int_equal(dy_atomic_begin(&a, bad, 0, &err), DY_EIO);
    assert_string_equal(err.where, bad);
    dy_atomic_abort(&a); /* safe on what begin left */
    umask(old);
    rmdir(dpath);
    unlink(path);
    rmdir(dir);
}

int run_atomic_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_abort),
    };
    return cmocka_run_group_tests_name("atomic", tests, NULL, NULL);
}
