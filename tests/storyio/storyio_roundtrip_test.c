/* storyio_roundtrip_test.c: save -> load gives the same model, saving is
 * canonical (identical bytes), the unpacked forms (directory, bare .json)
 * load the same story, and version 0 files are migrated. */
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

static void path_join(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", test_out_dir(), name);
}

static void test_save_load_equal_and_canonical(void **state)
{
    (void)state;
    struct dy_err err;
    struct story *s = test_story_full();
    assert_int_equal(story_validate(s, &err), 0);
    char p1[1024], p2[1024];
    path_join(p1, sizeof(p1), "rt1.daryn");
    path_join(p2, sizeof(p2), "rt2.daryn");
    assert_int_equal(storyio_save(s, p1, &err), 0);

    struct story *l = NULL;
    int rc = storyio_load(p1, &l, &err);
    if (rc) {
        fail_msg("load: %s: %s", err.where, err.msg);
    }
    test_assert_story_equal(s, l);
    assert_int_equal(l->version, STORY_SCHEMA_VERSION);

    assert_int_equal(storyio_save(l, p2, &err), 0);
    size_t n1, n2;
    uint8_t *b1 = test_file_read(p1, &n1), *b2 = test_file_read(p2, &n2);
    assert_non_null(b1);
    assert_non_null(b2);
    assert_int_equal(n1, n2);
    assert_memory_equal(b1, b2, n1);

    /* Saving from memory gives the same bytes as the file. */
    uint8_t *m = NULL;
    size_t mn = 0;
    assert_int_equal(storyio_save_mem(l, &m, &mn, &err), 0);
    assert_int_equal(mn, n1);
    assert_memory_equal(m, b1, n1);

    struct story *l2 = NULL;
    assert_int_equal(storyio_load_mem(m, mn, "mem.daryn", &l2, &err), 0);
    test_assert_story_equal(s, l2);
    free(m);
    free(b1);
    free(b2);
    story_destroy(l2);
    story_destroy(l);
    story_destroy(s);
}

/* The JSON text: fixed order, shortest numbers, escapes, 2-space indent. */
static void test_json_dump_canonical(void **state)
{
    (void)state;
    struct dy_err err;
    struct story *s = test_story_full();
    char *j1 = NULL, *j2 = NULL;
    size_t n1 = 0, n2 = 0;
    assert_int_equal(storyio_json_dump(s, &j1, &n1, &err), 0);
    assert_int_equal(strlen(j1), n1);
    assert_true(strncmp(j1, "{\n  \"format\": \"daryn-story\",\n  \"version\": 1,\n",
                        44) == 0);
    /* 0.1 and 1/3 in their shortest round-tripping forms, 1e-7 in %g form. */
    assert_non_null(strstr(j1, "[0, 0.1, 4]"));
    assert_non_null(strstr(j1, "[0.3333333333333333, -20.25, 6.5]"));
    assert_non_null(strstr(j1, "1e-07"));
    assert_non_null(strstr(j1, "123456.789"));
    assert_non_null(strstr(j1, "\"en\": \"Hello, \\\"world\\\"\\n\\\\ok\""));
    assert_non_null(strstr(j1, "\"background\": \"#9fd3f0\""));
    assert_non_null(strstr(j1, "\"color\": \"#e07020c8\""));
    assert_non_null(strstr(j1, "{\"time\": 0, \"value\": 0, \"ease\": \"linear\"}"));
    assert_non_null(strstr(j1, "\"ease\": \"overshoot\""));
    assert_non_null(strstr(j1, "\"parent\": null"));
    assert_non_null(strstr(j1, "\"parent\": \"head\""));

    struct story *l = NULL;
    int rc = storyio_load_json_mem(j1, n1, "dump.json", TEST_DATA_DIR, &l, &err);
    if (rc) {
        fail_msg("load: %s: %s", err.where, err.msg);
    }
    test_assert_story_equal(s, l);
    assert_int_equal(storyio_json_dump(l, &j2, &n2, &err), 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(j1, j2, n1);
    free(j1);
    free(j2);
    story_destroy(l);
    story_destroy(s);
}

/* Templates and samples are unpacked: a directory holding story.json with
 * media/ beside it, or a bare .json file. Both load the same story. */
static void test_load_directory_and_bare_json(void **state)
{
    (void)state;
    struct dy_err err;
    struct story *s = test_story_full();
    char *json = NULL;
    size_t n = 0;
    assert_int_equal(storyio_json_dump(s, &json, &n, &err), 0);

    char dir[1024], sub[1100], file[1100];
    path_join(dir, sizeof(dir), "tpl_fox");
    mkdir(dir, 0755);
    snprintf(sub, sizeof(sub), "%s/media", dir);
    mkdir(sub, 0755);
    snprintf(file, sizeof(file), "%s/story.json", dir);
    test_file_write(file, json, n);
    for (size_t i = 0; i < s->nmedia; i++) {
        snprintf(file, sizeof(file), "%s/%s", dir, s->media[i].path);
        test_file_write(file, s->media[i].data, s->media[i].size);
    }
    struct story *l = NULL;
    int rc = storyio_load(dir, &l, &err);
    if (rc) {
        fail_msg("dir load: %s: %s", err.where, err.msg);
    }
    test_assert_story_equal(s, l);
    story_destroy(l);
    l = NULL;

    /* A bare .json beside the same media/ directory. */
    snprintf(file, sizeof(file), "%s/fox.json", dir);
    test_file_write(file, json, n);
    rc = storyio_load(file, &l, &err);
    if (rc) {
        fail_msg("json load: %s: %s", err.where, err.msg);
    }
    test_assert_story_equal(s, l);
    story_destroy(l);
    l = NULL;

    /* Media missing beside the directory's story.json: named precisely. */
    snprintf(file, sizeof(file), "%s/media/c.wav", dir);
    assert_int_equal(remove(file), 0);
    rc = storyio_load(dir, &l, &err);
    assert_int_equal(rc, DY_ENOTFOUND);
    assert_string_equal(err.where, "tpl_fox/story.json: media[2].path");
    assert_non_null(strstr(err.msg, "\"media/c.wav\" is missing"));
    assert_null(l);
    free(json);
    story_destroy(s);
}

static const char V0_DOC[] =
    "{\"format\": \"daryn-story\", \"version\": 0,\n"
    " \"scenes\": [{\"id\": \"s\", \"duration\": 4, \"actors\": [\n"
    "  {\"id\": \"t\", \"kind\": \"text\", \"text\": {\"en\": \"hi\"},\n"
    "   \"keys\": [{\"time\": 0, \"x\": 10, \"y\": 20, \"ease\": \"in\"},\n"
    "            {\"time\": 1.5, \"x\": 30},\n"
    "            {\"time\": 2, \"opacity\": 0.5, \"ease\": \"step\"}]}]}]}";

static void test_migrate_v0(void **state)
{
    (void)state;
    struct dy_err err;
    struct story *s = NULL;
    int rc = storyio_load_json_mem(V0_DOC, strlen(V0_DOC), "old.json", NULL,
                                   &s, &err);
    if (rc) {
        fail_msg("v0 load: %s: %s", err.where, err.msg);
    }
    assert_int_equal(s->version, 0);
    const struct story_actor *a = &s->scenes[0].actors[0];
    const struct key_track *x = &a->props[STORY_PROP_X];
    assert_int_equal(x->n, 2);
    assert_true(x->keys[0].time_s == 0 && x->keys[0].value == 10);
    assert_int_equal(x->keys[0].ease, KEY_EASE_IN);
    assert_true(x->keys[1].time_s == 1.5 && x->keys[1].value == 30);
    assert_int_equal(x->keys[1].ease, KEY_EASE_LINEAR);
    assert_int_equal(a->props[STORY_PROP_Y].n, 1);
    assert_true(a->props[STORY_PROP_Y].keys[0].value == 20);
    assert_int_equal(a->props[STORY_PROP_OPACITY].n, 1);
    assert_true(a->props[STORY_PROP_OPACITY].keys[0].time_s == 2);
    assert_int_equal(a->props[STORY_PROP_OPACITY].keys[0].ease, KEY_EASE_STEP);
    /* Saved again it is a version 1 file with tracks. */
    char *json = NULL;
    assert_int_equal(storyio_json_dump(s, &json, NULL, &err), 0);
    assert_non_null(strstr(json, "\"version\": 1"));
    assert_non_null(strstr(json, "\"tracks\""));
    assert_null(strstr(json, "\"keys\""));
    free(json);
    story_destroy(s);

    /* A v0 key with an unknown property is refused with the old path. */
    const char bad[] =
        "{\"format\": \"daryn-story\", \"version\": 0, \"scenes\": [{\"id\": "
        "\"s\", \"duration\": 1, \"actors\": [{\"id\": \"a\", \"kind\": "
        "\"text\", \"keys\": [{\"time\": 0, \"wobble\": 1}]}]}]}";
    s = NULL;
    rc = storyio_load_json_mem(bad, strlen(bad), "old.json", NULL, &s, &err);
    assert_int_equal(rc, DY_EFORMAT);
    assert_string_equal(err.where, "old.json: scenes[0].actors[0].keys[0].wobble");
    assert_string_equal(err.msg, "unknown property");
    assert_null(s);
}

/* Optional fields take the model's defaults; a minimal story loads. */
static void test_minimal_defaults(void **state)
{
    (void)state;
    const char doc[] =
        "{\"format\": \"daryn-story\", \"version\": 1, \"scenes\": "
        "[{\"id\": \"only\", \"duration\": 0.5}]}";
    struct dy_err err;
    struct story *s = NULL;
    assert_int_equal(storyio_load_json_mem(doc, strlen(doc), NULL, NULL, &s,
                                           &err), 0);
    assert_true(s->width == 1920 && s->height == 1080);
    assert_int_equal(s->nscenes, 1);
    assert_true(s->scenes[0].duration_s == 0.5);
    assert_int_equal(s->nmedia, 0);
    story_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_load_equal_and_canonical),
        cmocka_unit_test(test_json_dump_canonical),
        cmocka_unit_test(test_load_directory_and_bare_json),
        cmocka_unit_test(test_migrate_v0),
        cmocka_unit_test(test_minimal_defaults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
