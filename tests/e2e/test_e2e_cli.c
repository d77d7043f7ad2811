/* test_e2e_cli.c: the `daryn` command line itself: help, exit codes, bad
 * options, bad stories, `info`, `printers`, `mesh-info`, translations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "daryn/story.h"
#include "daryn/storyio.h"

#include "e2e_run.h"
#include "e2e_story.h"

/* Set once in main() from the command line, read-only afterwards. */
static struct e2e_ctx ctx;

static void run_expect(const struct e2e_opts *o, int want, struct e2e_result *r,
                       const char *const *args)
{
    assert_int_equal(e2e_daryn(&ctx, o, r, args), 0);
    if (r->code != want) {
        e2e_dump(args[0] ? args[0] : "(no args)", r);
    }
    assert_false(r->timed_out);
    assert_int_equal(r->code, want);
}

static void help(void **state)
{
    (void)state;
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"--help", NULL});
    const char *cmds[] = {"render", "info", "slice", "mesh-info", "printers"};
    for (size_t i = 0; i < 5; i++) {
        assert_non_null(strstr(r.out, cmds[i]));
    }
    /* The exit codes are documented, 130 included. */
    assert_non_null(strstr(r.out, "130"));
    e2e_result_fini(&r);
    for (size_t i = 0; i < 5; i++) {
        run_expect(NULL, 0, &r, (const char *const[]){cmds[i], "--help", NULL});
        assert_non_null(strstr(r.out, "Usage: daryn"));
        assert_non_null(strstr(r.out, cmds[i]));
        assert_string_equal(r.err, "");
        e2e_result_fini(&r);
    }
    run_expect(NULL, 0, &r, (const char *const[]){"--version", NULL});
    assert_non_null(strstr(r.out, "daryn "));
    e2e_result_fini(&r);
    run_expect(NULL, 2, &r, (const char *const[]){NULL});
    assert_non_null(strstr(r.err, "Usage: daryn"));
    e2e_result_fini(&r);
    run_expect(NULL, 2, &r, (const char *const[]){"frobnicate", NULL});
    assert_non_null(strstr(r.err, "frobnicate"));
    e2e_result_fini(&r);
}

/* Bad command lines: exit 2, a message naming the option, nothing written. */
static void usage_errors(void **state)
{
    (void)state;
    char dir[4096], story[4200];
    assert_int_equal(e2e_fresh_dir(&ctx, "cli_usage", dir, sizeof(dir)), 0);
    snprintf(story, sizeof(story), "%s/s.daryn", dir);
    assert_int_equal(e2e_story_write(story, 1.0, false), 0);
    struct e2e_opts o = {.cwd = dir};
    static const struct {
        const char *args[12];
        const char *says;
    } cases[] = {
        {{"render", "s.daryn", "-o", "x.mp4", "--bogus", NULL}, "--bogus"},
        {{"render", "s.daryn", "-o", "x.mp4", "--fps", "13", NULL}, "--fps"},
        {{"render", "s.daryn", "-o", "x.mp4", "--fps", "", NULL}, "--fps"},
        {{"render", "s.daryn", "-o", "x.mp4", "--size", "4k", NULL}, "--size"},
        {{"render", "s.daryn", "-o", "x.mp4", "--aspect", "1:1", NULL}, "--aspect"},
        {{"render", "s.daryn", "-o", "x.mp4", "--format", "avi", NULL}, "--format"},
        {{"render", "s.daryn", "-o", "x.mp4", "--frames", "9-3", NULL}, "--frames"},
        {{"render", "s.daryn", "-o", "x.mp4", "--scene", "0", NULL}, "--scene"},
        {{"render", "s.daryn", "-o", "x.mp4", "--scene", "2", NULL}, "--scene"},
        {{"render", "s.daryn", "-o", "x.mp4", "--frames", "100-200", NULL}, "frames 0-23"},
        {{"render", "s.daryn", "-o", "x.mp4", "--captions", "de", NULL}, "--captions"},
        {{"render", "s.daryn", "-o", "x.avi", NULL}, ".avi"},
        {{"render", "s.daryn", "-o", "x.mp4", "--preset", "turbo", NULL}, "--preset"},
        {{"render", "s.daryn", "-o", "x.mp4", "--crf", "60", NULL}, "--crf"},
        {{"render", "s.daryn", "-o", "x.mp4", "--crf", "64", NULL}, "--crf"},
        {{"render", "s.daryn", NULL}, "-o"},
        {{"render", "-o", "x.mp4", NULL}, "story"},
        {{"slice", "m.stl", "-o", "x.gcode", "--layer", "abc", NULL}, "--layer"},
        {{"slice", "m.stl", "-o", "x.gcode", "--infill", "150", NULL}, "--infill"},
        {{"slice", "m.stl", "-o", "x.gcode", "--printer", "nope", NULL}, "nope"},
        {{"slice", "m.stl", NULL}, "-o"},
        {{"info", "--bogus", NULL}, "--bogus"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct e2e_result r;
        assert_int_equal(e2e_daryn(&ctx, &o, &r, cases[i].args), 0);
        if (r.code != 2 || !strstr(r.err, cases[i].says)) {
            e2e_dump(cases[i].args[0], &r);
            fail_msg("case %zu: want exit 2 and '%s' on stderr", i, cases[i].says);
        }
        e2e_result_fini(&r);
    }
    char names[256];
    assert_int_equal(e2e_list_dir(dir, names, sizeof(names)), 1);
}

struct bad_story {
    const char *name;
    const char *says; /* besides the file name: the place of the problem */
};

static void bad_stories(void **state)
{
    (void)state;
    char dir[4096], p[4300];
    assert_int_equal(e2e_fresh_dir(&ctx, "cli_badstory", dir, sizeof(dir)), 0);
    /* garbage.daryn: bytes that are no zip */
    snprintf(p, sizeof(p), "%s/garbage.daryn", dir);
    assert_int_equal(e2e_write_file(p, "\x01\x02garbage\xff\xfe not a story", 24), 0);
    /* truncated.daryn: a real story cut in half */
    snprintf(p, sizeof(p), "%s/truncated.daryn", dir);
    assert_int_equal(e2e_story_write(p, 2.0, true), 0);
    size_t len = 0;
    char *zip = e2e_read_file(p, &len);
    assert_non_null(zip);
    assert_int_equal(e2e_write_file(p, zip, len / 2), 0);
    free(zip);
    /* NaN is not JSON: the loader points at line and column. */
    snprintf(p, sizeof(p), "%s/nan.json", dir);
    const char *nan = "{\"format\": \"daryn-story\", \"version\": 1,\n"
                      " \"scenes\": [{\"id\": \"s\", \"duration\": NaN}]}\n";
    assert_int_equal(e2e_write_file(p, nan, strlen(nan)), 0);
    /* A key at a negative time: the JSON path of the key. */
    snprintf(p, sizeof(p), "%s/negtime.json", dir);
    const char *neg = "{\"format\": \"daryn-story\", \"version\": 1, \"scenes\": [{\"id\": "
                      "\"s\", \"duration\": 2, \"actors\": [{\"id\": \"t\", \"kind\": "
                      "\"text\", \"text\": {\"en\": \"hi\"}, \"tracks\": {\"x\": [{\"time\": "
                      "0, \"value\": 1}, {\"time\": -1.5, \"value\": 3}]}}]}]}";
    assert_int_equal(e2e_write_file(p, neg, strlen(neg)), 0);
    /* A negative scene duration. */
    snprintf(p, sizeof(p), "%s/negdur.json", dir);
    const char *negd = "{\"format\": \"daryn-story\", \"version\": 1, \"scenes\": [{\"id\": "
                       "\"s\", \"duration\": -2}]}";
    assert_int_equal(e2e_write_file(p, negd, strlen(negd)), 0);
    static const struct bad_story cases[] = {
        {"garbage.daryn", NULL},
        {"truncated.daryn", NULL},
        {"nan.json", "nan.json:2:"},
        {"negtime.json", "scenes[0].actors[0].tracks.x[1].time"},
        {"negdur.json", "scenes[0].duration"},
        {"missing.daryn", NULL},
    };
    struct e2e_opts o = {.cwd = dir};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *cmds[2] = {"render", "info"};
        for (int k = 0; k < 2; k++) {
            struct e2e_result r;
            const char *args_render[] = {"render", cases[i].name, "-o", "out.mp4", "-q", NULL};
            const char *args_info[] = {"info", cases[i].name, NULL};
            assert_int_equal(e2e_daryn(&ctx, &o, &r, k ? args_info : args_render), 0);
            if (r.code != 1 || !strstr(r.err, cases[i].name) ||
                (cases[i].says && !strstr(r.err, cases[i].says))) {
                e2e_dump(cmds[k], &r);
                fail_msg("%s %s: want exit 1 naming the file%s%s", cmds[k], cases[i].name,
                         cases[i].says ? " and " : "", cases[i].says ? cases[i].says : "");
            }
            e2e_result_fini(&r);
            snprintf(p, sizeof(p), "%s/out.mp4", dir);
            assert_false(e2e_exists(p));
            assert_int_equal(e2e_count_tmp(dir), 0);
        }
    }
}

static void info_sample(void **state)
{
    (void)state;
    char story[4200];
    snprintf(story, sizeof(story), "%s/templates/stories/aldar-kose", ctx.src);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"info", story, NULL});
    assert_non_null(strstr(r.out, "3 scene(s)"));
    assert_non_null(strstr(r.out, "30.00 s"));
    assert_non_null(strstr(r.out, "no problems found"));
    /* Every actor of every scene is listed, under its scene. */
    struct story *s = NULL;
    struct dy_err err;
    assert_int_equal(storyio_load(story, &s, &err), 0);
    const char *at = r.out;
    for (size_t i = 0; i < s->nscenes; i++) {
        char head[128];
        snprintf(head, sizeof(head), "scene %zu '%s'", i + 1, s->scenes[i].id);
        at = strstr(at, head);
        assert_non_null(at);
        for (size_t j = 0; j < s->scenes[i].nactors; j++) {
            char id[80];
            snprintf(id, sizeof(id), " %s ", s->scenes[i].actors[j].id);
            if (!strstr(at, id)) {
                fail_msg("actor %s of scene %zu not listed", s->scenes[i].actors[j].id, i + 1);
            }
        }
    }
    story_destroy(s);
    e2e_result_fini(&r);
}

static void info_problem(void **state)
{
    (void)state;
    char dir[4096], p[4300];
    assert_int_equal(e2e_fresh_dir(&ctx, "cli_info", dir, sizeof(dir)), 0);
    snprintf(p, sizeof(p), "%s/nocaption-ru.json", dir);
    const char *js = "{\"format\": \"daryn-story\", \"version\": 1, \"scenes\": [{\"id\": "
                     "\"s\", \"duration\": 2, \"captions\": [{\"start\": 0, \"end\": 1, "
                     "\"text\": {\"kk\": \"Сәлем\", \"en\": \"Hi\"}}]}]}";
    assert_int_equal(e2e_write_file(p, js, strlen(js)), 0);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"info", p, NULL});
    const char *line = strstr(r.out, "problem: ");
    assert_non_null(line);
    const char *eol = strchr(line, '\n');
    assert_non_null(eol);
    char buf[256];
    snprintf(buf, sizeof(buf), "%.*s", (int)(eol - line), line);
    assert_non_null(strstr(buf, "caption 1"));
    assert_non_null(strstr(buf, "ru"));
    assert_non_null(strstr(r.out, "1 problem found"));
    /* A story without a title is not shown with an empty one. */
    assert_null(strstr(r.out, "\"\""));
    e2e_result_fini(&r);
}

static void printers_and_mesh_info(void **state)
{
    (void)state;
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"printers", NULL});
    const char *ids[] = {"generic-marlin", "generic-klipper", "ender3v2", "prusa-mk4",
                         "pla", "petg", "tpu"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        assert_non_null(strstr(r.out, ids[i]));
    }
    e2e_result_fini(&r);
    char model[4200];
    snprintf(model, sizeof(model), "%s/assets/models/fox-figurine.stl", ctx.src);
    run_expect(NULL, 0, &r, (const char *const[]){"mesh-info", model, NULL});
    assert_non_null(strstr(r.out, "size:"));
    assert_non_null(strstr(r.out, "triangles:"));
    e2e_result_fini(&r);
    run_expect(NULL, 1, &r, (const char *const[]){"mesh-info", "/nonexistent/x.stl", NULL});
    assert_non_null(strstr(r.err, "x.stl"));
    e2e_result_fini(&r);
}

/* A Cyrillic letter (U+0400..U+04FF: lead byte 0xD0..0xD3). */
static int has_cyrillic(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0xD0 && *p <= 0xD3 && (p[1] & 0xC0) == 0x80) {
            return 1;
        }
    }
    return 0;
}

static void translated(void **state)
{
    (void)state;
    const char *langs[] = {"ru", "kk"};
    for (int i = 0; i < 2; i++) {
        struct e2e_opts o = {.language = langs[i]};
        struct e2e_result r;
        run_expect(&o, 0, &r, (const char *const[]){"--help", NULL});
        if (!has_cyrillic(r.out)) {
            e2e_dump(langs[i], &r);
            fail_msg("LANGUAGE=%s daryn --help prints no Cyrillic (po/%s.po translated?)",
                     langs[i], langs[i]);
        }
        e2e_result_fini(&r);
        /* Errors too, with the exit code unchanged. */
        run_expect(&o, 2, &r, (const char *const[]){"render", "x.daryn", "-o", "x.mp4",
                   "--fps", "13", NULL});
        if (!has_cyrillic(r.err) || !strstr(r.err, "--fps")) {
            e2e_dump(langs[i], &r);
            fail_msg("LANGUAGE=%s: the --fps error is not translated", langs[i]);
        }
        e2e_result_fini(&r);
    }
    /* English stays English. */
    struct e2e_opts en = {.language = "en"};
    struct e2e_result r;
    run_expect(&en, 0, &r, (const char *const[]){"--help", NULL});
    assert_false(has_cyrillic(r.out));
    e2e_result_fini(&r);
}

int main(int argc, char **argv)
{
    if (e2e_init(argc, argv, &ctx) < 0) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help),          cmocka_unit_test(usage_errors),
        cmocka_unit_test(bad_stories),   cmocka_unit_test(info_sample),
        cmocka_unit_test(info_problem),  cmocka_unit_test(printers_and_mesh_info),
        cmocka_unit_test(translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
