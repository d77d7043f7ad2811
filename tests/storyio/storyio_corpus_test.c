/* storyio_corpus_test.c: replays every file of tests/corpus/story_load
 * (seeds and past fuzz crashers) through the fuzz target's own entry point,
 * which aborts on a crash-worthy finding (SQLite's fuzzcheck idea). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "daryn/storyio.h"
#include "storyio_test_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void test_corpus_replays(void **state)
{
    const char *dir = *state;
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[2048];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            continue;
        }
        size_t size = 0;
        uint8_t *data = test_file_read(path, &size);
        assert_non_null(data);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        /* The path-based loader too (a bare .json finds no media/ beside
         * it here, which is a refusal like any other). */
        struct dy_err err;
        struct story *s = NULL;
        int rc = storyio_load(path, &s, &err);
        if (rc == 0) {
            print_message("%-24s loads\n", e->d_name);
            story_destroy(s);
        } else {
            print_message("%-24s %s: %s\n", e->d_name, err.where, err.msg);
            assert_true(err.msg[0] != 0);
            assert_int_equal(err.code, rc);
            assert_null(s);
        }
        files++;
    }
    closedir(d);
    print_message("replayed %zu corpus files\n", files);
    /* The seeds alone are more than this: an empty replay tests nothing. */
    assert_true(files >= 10);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_corpus_replays, argv[1]),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
