/* storyio_refuse_test.c: one test per kind of bad input the loader must
 * refuse, asserting the code and the exact place and message; plus the
 * atomic-save guarantees. Bad zips are made here with libzip. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "daryn/storyio.h"
#include "storyio_test_util.h"

/* ---- helpers ------------------------------------------------------------ */

/* Walks a path like "scenes[0].actors[1].tracks.x[2]" in a JSON tree. */
static json_t *jget(json_t *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf; *p && j;) {
        if (*p == '.') {
            p++;
        } else if (*p == '[') {
            j = json_array_get(j, strtoul(p + 1, &p, 10));
            p++;
        } else {
            size_t n = strcspn(p, ".[");
            char save = p[n];
            p[n] = 0;
            j = json_object_get(j, p);
            p[n] = save;
            p += n;
        }
    }
    assert_non_null(j);
    return j;
}

/* The full story's canonical JSON, parsed for editing. */
static json_t *full_json(void)
{
    struct story *s = test_story_full();
    char *text = NULL;
    struct dy_err err;
    assert_int_equal(storyio_json_dump(s, &text, NULL, &err), 0);
    story_destroy(s);
    json_t *root = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(root);
    return root;
}

/* Zips `json` with the three media files (minus `skip`, if given) and loads
 * it as "t.daryn". Returns the code; *err holds the report. */
static int load_text(const char *json, const char *skip, struct dy_err *err)
{
    static const char *const names[] = {"media/a.png", "media/b.svg",
                                        "media/c.wav"};
    uint8_t *data[3];
    size_t sizes[3];
    struct test_member m[4] = {{"story.json", json, strlen(json), 1}};
    size_t n = 1;
    for (int i = 0; i < 3; i++) {
        char full[1024];
        snprintf(full, sizeof(full), "%s/%s", TEST_DATA_DIR, names[i]);
        data[i] = test_file_read(full, &sizes[i]);
        assert_non_null(data[i]);
        if (!skip || strcmp(skip, names[i]) != 0) {
            m[n++] = (struct test_member){names[i], data[i], sizes[i], 0};
        }
    }
    uint8_t *zip = NULL;
    size_t size = 0;
    test_zip_make(m, n, &zip, &size);
    struct story *s = NULL;
    int rc = storyio_load_mem(zip, size, "t.daryn", &s, err);
    if (rc == 0) {
        assert_non_null(s);
        story_destroy(s);
    } else {
        assert_null(s);
        assert_int_equal(err->code, rc);
        assert_true(err->msg[0] != 0);
    }
    free(zip);
    for (int i = 0; i < 3; i++) {
        free(data[i]);
    }
    return rc;
}

static int load_json(json_t *root, const char *skip, struct dy_err *err)
{
    char *text = json_dumps(root, JSON_PRESERVE_ORDER);
    assert_non_null(text);
    int rc = load_text(text, skip, err);
    free(text);
    json_decref(root);
    return rc;
}

#define EXPECT(rc_, code_, where_, msg_)                                   \
    do {                                                                   \
        assert_int_equal((rc_), (code_));                                  \
        assert_string_equal(err.where, (where_));                          \
        if (!strstr(err.msg, (msg_))) {                                    \
            fail_msg("msg \"%s\" lacks \"%s\"", err.msg, (msg_));          \
        }                                                                  \
    } while (0)

/* The helper itself accepts the unmodified story. */
static void test_baseline_loads(void **state)
{
    (void)state;
    struct dy_err err;
    int rc = load_json(full_json(), NULL, &err);
    if (rc) {
        fail_msg("%s: %s", err.where, err.msg);
    }
}

/* ---- values ------------------------------------------------------------- */

static void test_negative_time(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[1].tracks.x[2]"), "time",
                        json_real(-1.5));
    EXPECT(load_json(r, NULL, &err), DY_ERANGE,
           "t.daryn: scenes[0].actors[1].tracks.x[2].time",
           "must be >= 0 (got -1.5)");
}

static void test_unsorted_keys(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[0].tracks.y[1]"), "time",
                        json_integer(0));
    EXPECT(load_json(r, NULL, &err), DY_EINVAL,
           "t.daryn: scenes[0].actors[0].tracks.y[1].time",
           "must be > the previous key's time (got 0 after 0)");
}

static void test_absurd_values(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[1]"), "duration", json_real(1e9));
    EXPECT(load_json(r, NULL, &err), DY_ERANGE, "t.daryn: scenes[1].duration",
           "must be <= 3600 (got 1e+09)");

    r = full_json();
    json_object_set_new(r, "width", json_integer(1000000000));
    EXPECT(load_json(r, NULL, &err), DY_ERANGE, "t.daryn: width",
           "must be <= 16384 (got 1e+09)");

    r = full_json();
    json_array_set_new(jget(r, "scenes[0].actors[3].rect"), 2, json_real(-5));
    EXPECT(load_json(r, NULL, &err), DY_ERANGE,
           "t.daryn: scenes[0].actors[3].rect[2]", "must be > 0 (got -5)");

    r = full_json();
    json_array_set_new(jget(r, "scenes[0].actors[1].drawing[0].points[1]"), 0,
                       json_real(2e6));
    EXPECT(load_json(r, NULL, &err), DY_ERANGE,
           "t.daryn: scenes[0].actors[1].drawing[0].points[1][0]",
           "must be <= 1e+06 (got 2e+06)");

    r = full_json();
    json_object_set_new(jget(r, "scenes[0].audio[0]"), "volume", json_real(5));
    EXPECT(load_json(r, NULL, &err), DY_ERANGE,
           "t.daryn: scenes[0].audio[0].volume", "must be <= 4 (got 5)");
}

/* NaN, Infinity and numbers beyond double are refused by the JSON syntax;
 * the error gives the line and column inside story.json. */
static void test_nan_inf_overflow(void **state)
{
    (void)state;
    struct dy_err err;
    static const char *const bad[] = {"NaN", "Infinity", "-Infinity", "1e400",
                                      "99999999999999999999"};
    static const char *const why[] = {"invalid token", "invalid token",
                                      "invalid token", "real number overflow",
                                      "too big integer"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char doc[512];
        snprintf(doc, sizeof(doc),
                 "{\"format\": \"daryn-story\", \"version\": 1,\n"
                 "\"scenes\": [{\"id\": \"s\",\n  \"duration\": %s}]}", bad[i]);
        int rc = load_text(doc, NULL, &err);
        assert_int_equal(rc, DY_EFORMAT);
        assert_true(strncmp(err.where, "t.daryn: story.json:3:", 22) == 0);
        if (!strstr(err.msg, "syntax error") || !strstr(err.msg, why[i])) {
            fail_msg("%s -> %s", bad[i], err.msg);
        }
    }
}

static void test_syntax_error_position(void **state)
{
    (void)state;
    struct dy_err err;
    const char doc[] = "{\n  \"format\": \"daryn-story\",\n  \"version\": 1,\n"
                       "  \"scenes\": [,]\n}\n";
    EXPECT(load_text(doc, NULL, &err), DY_EFORMAT, "t.daryn: story.json:4:14",
           "syntax error: ");
    /* jansson also refuses duplicate keys. */
    const char dup[] = "{\"format\": \"daryn-story\", \"format\": \"x\"}";
    EXPECT(load_text(dup, NULL, &err), DY_EFORMAT, "t.daryn: story.json:1:34",
           "duplicate object key");
}

static void test_wrong_types(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[0]"), "duration", json_string("8"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT, "t.daryn: scenes[0].duration",
           "must be a number (got string)");

    r = full_json();
    json_object_set_new(r, "scenes", json_object());
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT, "t.daryn: scenes",
           "must be an array (got object)");

    r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[0].parts[0]"), "z",
                        json_real(0.5));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT,
           "t.daryn: scenes[0].actors[0].parts[0].z",
           "must be an integer (got number)");

    r = full_json();
    json_object_set_new(jget(r, "scenes[0]"), "background",
                        json_string("blue"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT,
           "t.daryn: scenes[0].background", "must be a colour");

    EXPECT(load_text("[1, 2]", NULL, &err), DY_EFORMAT, "t.daryn",
           "the top level must be an object (got array)");
}

static void test_unknown_enum_names(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[0].tracks.x[1]"), "ease",
                        json_string("bouncy"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT,
           "t.daryn: scenes[0].actors[0].tracks.x[1].ease",
           "unknown value \"bouncy\"");

    r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[2]"), "kind",
                        json_string("robot"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT,
           "t.daryn: scenes[0].actors[2].kind", "unknown value \"robot\"");

    r = full_json();
    json_object_set_new(jget(r, "media[2]"), "kind", json_string("video"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT, "t.daryn: media[2].kind",
           "unknown value \"video\" (use image, svg, audio)");

    r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[4].text"), "de",
                        json_string("Hallo"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT,
           "t.daryn: scenes[0].actors[4].text.de", "unknown language");
}

static void test_unknown_field(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[1]"), "duraton", json_integer(3));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT, "t.daryn: scenes[1].duraton",
           "unknown field");
}

static void test_format_and_version(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(r, "format", json_string("kidpix"));
    EXPECT(load_json(r, NULL, &err), DY_EUNSUPPORTED, "t.daryn: format",
           "unknown format \"kidpix\"");

    r = full_json();
    json_object_set_new(r, "version", json_integer(2));
    EXPECT(load_json(r, NULL, &err), DY_EUNSUPPORTED, "t.daryn: version",
           "made by a newer Daryn");

    r = full_json();
    json_object_del(r, "format");
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT, "t.daryn: format",
           "is required");
}

/* ---- references and ids ------------------------------------------------- */

static void test_missing_media(void **state)
{
    (void)state;
    struct dy_err err;
    /* An id no media entry has. */
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[3]"), "media",
                        json_string("nope"));
    EXPECT(load_json(r, NULL, &err), DY_ENOTFOUND,
           "t.daryn: scenes[0].actors[3].media", "unknown media id \"nope\"");

    /* An audio clip pointing at an image. */
    r = full_json();
    json_object_set_new(jget(r, "scenes[0].audio[0]"), "media",
                        json_string("img"));
    EXPECT(load_json(r, NULL, &err), DY_EINVAL,
           "t.daryn: scenes[0].audio[0].media", "audio is needed");

    /* A media entry whose zip member is missing. */
    EXPECT(load_json(full_json(), "media/b.svg", &err), DY_ENOTFOUND,
           "t.daryn: media[1].path",
           "member \"media/b.svg\" is missing from the archive");

    /* A media path outside media/. */
    r = full_json();
    json_object_set_new(jget(r, "media[0]"), "path",
                        json_string("media/../story.json"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT, "t.daryn: media[0].path",
           "must be a file under media/");

    /* A part parent that is not an earlier part. */
    r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[0].parts[1]"), "parent",
                        json_string("ear"));
    EXPECT(load_json(r, NULL, &err), DY_ENOTFOUND,
           "t.daryn: scenes[0].actors[0].parts[1].parent",
           "\"ear\" is not an earlier part");
}

static void test_duplicate_ids(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[1].actors[0]"), "id",
                        json_string("fox"));
    EXPECT(load_json(r, NULL, &err), DY_EINVAL,
           "t.daryn: scenes[1].actors[0].id",
           "duplicate id \"fox\" (first used at scenes[0].actors[0])");

    r = full_json();
    json_object_set_new(jget(r, "scenes[1]"), "id", json_string("s1"));
    EXPECT(load_json(r, NULL, &err), DY_EINVAL, "t.daryn: scenes[1].id",
           "duplicate id \"s1\" (first used at scenes[0])");

    r = full_json();
    json_object_set_new(jget(r, "media[2]"), "id", json_string("img"));
    EXPECT(load_json(r, NULL, &err), DY_EINVAL, "t.daryn: media[2].id",
           "duplicate id \"img\" (first used at media[0])");

    r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[0].parts[2]"), "id",
                        json_string("head"));
    EXPECT(load_json(r, NULL, &err), DY_EINVAL,
           "t.daryn: scenes[0].actors[0].parts[2].id",
           "duplicate part id \"head\"");

    r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[2]"), "id",
                        json_string("bad id!"));
    EXPECT(load_json(r, NULL, &err), DY_EFORMAT,
           "t.daryn: scenes[0].actors[2].id", "invalid id \"bad id!\"");
}

/* Model invariants checked by story_validate() come back with the file
 * name in front. */
static void test_validate_errors_prefixed(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_object_set_new(jget(r, "scenes[0].actors[0]"), "parts", json_array());
    json_object_del(jget(r, "scenes[0].actors[0]"), "part_tracks");
    EXPECT(load_json(r, NULL, &err), DY_EINVAL,
           "t.daryn: scenes[0].actors[0].parts",
           "a character needs at least one part");
}

static void test_too_many_keys(void **state)
{
    (void)state;
    struct dy_err err;
    json_t *r = full_json();
    json_t *x = json_array();
    for (int i = 0; i <= STORY_MAX_KEYS; i++) {
        json_array_append_new(x, json_pack("{sisi}", "time", i % 3600,
                                           "value", i));
    }
    json_object_set_new(jget(r, "scenes[0].actors[1].tracks"), "y", x);
    EXPECT(load_json(r, NULL, &err), DY_ELIMIT,
           "t.daryn: scenes[0].actors[1].tracks.y",
           "has 100001 entries (max 100000)");
}

/* ---- the container ------------------------------------------------------ */

static void test_not_a_zip(void **state)
{
    (void)state;
    struct dy_err err;
    struct story *s = NULL;
    const char junk[] = "this is not a zip file at all, just some text\n";
    EXPECT(storyio_load_mem(junk, sizeof(junk), "junk.daryn", &s, &err),
           DY_EFORMAT, "junk.daryn", "not a zip archive");
    EXPECT(storyio_load_mem("", 0, "empty.daryn", &s, &err), DY_EFORMAT,
           "empty.daryn", "not a zip archive");
    assert_null(s);
    char path[1024];
    snprintf(path, sizeof(path), "%s/junk.daryn", test_out_dir());
    test_file_write(path, junk, sizeof(junk));
    EXPECT(storyio_load(path, &s, &err), DY_EFORMAT, "junk.daryn",
           "not a zip archive");
    snprintf(path, sizeof(path), "%s/no-such-file.daryn", test_out_dir());
    EXPECT(storyio_load(path, &s, &err), DY_ENOTFOUND, "no-such-file.daryn",
           "cannot open");
    assert_null(s);
}

static void test_truncated(void **state)
{
    (void)state;
    struct dy_err err;
    struct story *full = test_story_full();
    uint8_t *zip = NULL;
    size_t size = 0;
    assert_int_equal(storyio_save_mem(full, &zip, &size, &err), 0);
    story_destroy(full);
    /* Every cut refuses with a message and never crashes; cutting off the
     * central directory makes it "not a zip". */
    for (size_t cut = 0; cut < size; cut += cut < 64 ? 1 : 37) {
        struct story *s = NULL;
        int rc = storyio_load_mem(zip, cut, "cut.daryn", &s, &err);
        assert_true(rc < 0);
        assert_null(s);
        assert_true(err.msg[0] != 0);
    }
    struct story *s = NULL;
    EXPECT(storyio_load_mem(zip, size / 2, "cut.daryn", &s, &err), DY_EFORMAT,
           "cut.daryn", "not a zip archive");
    /* A file cut inside the last member's data with its directory kept:
     * flip bytes in the middle of story.json's deflate stream instead. */
    uint8_t *bad = malloc(size);
    assert_non_null(bad);
    memcpy(bad, zip, size);
    for (size_t i = 60; i < 200; i++) {
        bad[i] ^= 0x5a;
    }
    int rc = storyio_load_mem(bad, size, "flip.daryn", &s, &err);
    assert_true(rc == DY_EFORMAT);
    assert_string_equal(err.where, "flip.daryn");
    free(bad);
    free(zip);
}

static void test_unsafe_member_names(void **state)
{
    (void)state;
    static const char *const names[] = {"../evil", "media/../../evil",
                                        "/etc/passwd", "media\\x.png",
                                        "C:/x.png", "c:x", "a//b", "./x"};
    const char doc[] = "{}";
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct test_member m[2] = {{"story.json", doc, 2, 1},
                                   {names[i], "x", 1, 0}};
        uint8_t *zip = NULL;
        size_t size = 0;
        test_zip_make(m, 2, &zip, &size);
        struct dy_err err;
        struct story *s = NULL;
        char want[256];
        snprintf(want, sizeof(want), "unsafe member name \"%s\"", names[i]);
        EXPECT(storyio_load_mem(zip, size, "evil.daryn", &s, &err), DY_EFORMAT,
               "evil.daryn", want);
        free(zip);
    }
}

static void test_missing_story_json(void **state)
{
    (void)state;
    struct test_member m[1] = {{"media/a.png", "x", 1, 0}};
    uint8_t *zip = NULL;
    size_t size = 0;
    test_zip_make(m, 1, &zip, &size);
    struct dy_err err;
    struct story *s = NULL;
    EXPECT(storyio_load_mem(zip, size, "nojson.daryn", &s, &err), DY_ENOTFOUND,
           "nojson.daryn", "the archive has no story.json");
    free(zip);
}

/* A 300 MiB member of zeros deflates to ~300 KB: refused from its declared
 * size before anything is inflated. */
static void test_zip_bomb_declared(void **state)
{
    (void)state;
    size_t big = (size_t)300 << 20;
    uint8_t *zeros = calloc(big, 1);
    assert_non_null(zeros);
    const char doc[] = "{}";
    struct test_member m[2] = {{"story.json", doc, 2, 1},
                               {"media/zeros.bin", zeros, big, 1}};
    uint8_t *zip = NULL;
    size_t size = 0;
    test_zip_make(m, 2, &zip, &size);
    free(zeros);
    assert_true(size < (2u << 20));
    struct dy_err err;
    struct story *s = NULL;
    EXPECT(storyio_load_mem(zip, size, "bomb.daryn", &s, &err), DY_ELIMIT,
           "bomb.daryn", "unpacks to 314572800 bytes (max 268435456)");
    free(zip);

    /* 100 MiB is under the size cap but compresses ~1000:1. */
    big = (size_t)100 << 20;
    zeros = calloc(big, 1);
    assert_non_null(zeros);
    m[1] = (struct test_member){"media/zeros.bin", zeros, big, 1};
    test_zip_make(m, 2, &zip, &size);
    free(zeros);
    EXPECT(storyio_load_mem(zip, size, "bomb.daryn", &s, &err), DY_ELIMIT,
           "bomb.daryn", "zip bomb refused");
    free(zip);
}

/* Finds the little-endian 32-bit value v at or after `from`. */
static size_t find_u32(const uint8_t *b, size_t n, size_t from, uint32_t v)
{
    for (size_t i = from; i + 4 <= n; i++) {
        if ((uint32_t)(b[i] | b[i + 1] << 8 | b[i + 2] << 16 |
                       (uint32_t)b[i + 3] << 24) == v) {
            return i;
        }
    }
    return (size_t)-1;
}

static void put_u32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

/* Headers that lie: story.json declares 10 bytes but inflates to far more.
 * The loader counts bytes while inflating and stops at the declared size. */
static void test_zip_bomb_lying_header(void **state)
{
    (void)state;
    struct story *full = test_story_full();
    struct dy_err err;
    char *json = NULL;
    size_t jlen = 0;
    assert_int_equal(storyio_json_dump(full, &json, &jlen, &err), 0);
    story_destroy(full);
    struct test_member m[1] = {{"story.json", json, jlen, 1}};
    uint8_t *zip = NULL;
    size_t size = 0;
    test_zip_make(m, 1, &zip, &size);
    /* The uncompressed size sits in the local header (offset 22) and the
     * central directory entry (offset 24); patch both. */
    size_t local = find_u32(zip, size, 0, 0x04034b50);
    size_t central = find_u32(zip, size, 0, 0x02014b50);
    assert_true(local != (size_t)-1 && central != (size_t)-1);
    put_u32(zip + local + 22, 10);
    put_u32(zip + central + 24, 10);
    struct story *s = NULL;
    int rc = storyio_load_mem(zip, size, "liar.daryn", &s, &err);
    assert_null(s);
    assert_int_equal(rc, DY_ELIMIT);
    assert_string_equal(err.where, "liar.daryn");
    assert_non_null(strstr(err.msg, "inflates beyond its declared 10 bytes"));
    free(zip);
    free(json);
}

/* ---- saving ------------------------------------------------------------- */

static size_t count_tmp_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
            strstr(e->d_name, ".tmp.")) {
            n++;
        }
    }
    closedir(d);
    return n;
}

static void test_atomic_save_keeps_old_file(void **state)
{
    (void)state;
    struct dy_err err;
    char path[1024];
    snprintf(path, sizeof(path), "%s/keep.daryn", test_out_dir());
    struct story *s = test_story_full();
    assert_int_equal(storyio_save(s, path, &err), 0);
    size_t n0 = 0;
    uint8_t *before = test_file_read(path, &n0);
    assert_non_null(before);

    /* An invalid story: validation fails, nothing is written. */
    s->scenes[0].duration_s = -1;
    EXPECT(storyio_save(s, path, &err), DY_ERANGE,
           "keep.daryn: scenes[0].duration", "must be >= 0 (got -1)");
    s->scenes[0].duration_s = 8.5;

    /* A media path the file format cannot hold: refused before writing. */
    free(s->media[0].path);
    s->media[0].path = strdup("story.json");
    int rc = storyio_save(s, path, &err);
    assert_true(rc < 0);
    assert_non_null(strstr(err.where, "keep.daryn"));

    size_t n1 = 0;
    uint8_t *after = test_file_read(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(count_tmp_files(test_out_dir(), "keep.daryn"), 0);

    /* A directory that does not exist: an I/O error naming the file. */
    free(s->media[0].path);
    s->media[0].path = strdup("media/a.png");
    char nodir[1100];
    snprintf(nodir, sizeof(nodir), "%s/no/such/dir/x.daryn", test_out_dir());
    EXPECT(storyio_save(s, nodir, &err), DY_EIO, "x.daryn",
           "cannot create a temporary file");
    free(before);
    free(after);
    story_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_baseline_loads),
        cmocka_unit_test(test_negative_time),
        cmocka_unit_test(test_unsorted_keys),
        cmocka_unit_test(test_absurd_values),
        cmocka_unit_test(test_nan_inf_overflow),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_unknown_enum_names),
        cmocka_unit_test(test_unknown_field),
        cmocka_unit_test(test_format_and_version),
        cmocka_unit_test(test_missing_media),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_validate_errors_prefixed),
        cmocka_unit_test(test_too_many_keys),
        cmocka_unit_test(test_not_a_zip),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_unsafe_member_names),
        cmocka_unit_test(test_missing_story_json),
        cmocka_unit_test(test_zip_bomb_declared),
        cmocka_unit_test(test_zip_bomb_lying_header),
        cmocka_unit_test(test_atomic_save_keeps_old_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
