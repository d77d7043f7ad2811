/* Story model: building, evaluating, validating. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/story.h"

static struct story *make_story(void)
{
    struct story *s = story_create();
    assert_non_null(s);
    struct story_scene *sc = story_scene_add(s, "s1");
    assert_non_null(sc);
    sc->duration_s = 4;
    struct story_actor *a = story_actor_add(sc, "fox", STORY_ACTOR_CHARACTER);
    assert_non_null(a);
    struct story_part *body = story_part_add(a, "body", -1);
    assert_non_null(body);
    struct story_shape *sh = story_drawing_add(&body->visual.drawing, STORY_SHAPE_FILL);
    story_shape_add_point(sh, -50, -50, 0);
    story_shape_add_point(sh, 50, -50, 0);
    story_shape_add_point(sh, 0, 50, 0);
    struct story_part *head = story_part_add(a, "head", 0);
    head->pivot_y = -60;
    head->rest_rotation = 10;
    key_track_set(&a->part_rot[1], 0, 0, KEY_EASE_LINEAR);
    key_track_set(&a->part_rot[1], 2, 40, KEY_EASE_LINEAR);
    key_track_set(&a->props[STORY_PROP_X], 0, 100, KEY_EASE_LINEAR);
    key_track_set(&a->props[STORY_PROP_X], 4, 1800, KEY_EASE_LINEAR);
    key_track_set(&a->props[STORY_PROP_VISIBLE], 0, 1, KEY_EASE_STEP);
    key_track_set(&a->props[STORY_PROP_VISIBLE], 3, 0, KEY_EASE_STEP);
    struct story_caption *c = story_caption_add(sc, 0.5, 2.0);
    story_text_set(&c->text, STORY_LANG_KK, "Сәлем, қасқыр!");
    story_text_set(&c->text, STORY_LANG_EN, "Hello, wolf!");
    return s;
}

static void test_build_and_eval(void **state)
{
    struct story *s = make_story();
    assert_int_equal(story_validate(s, NULL), 0);
    const struct story_actor *a = &s->scenes[0].actors[0];
    struct story_actor_state st;
    story_actor_eval(a, 2.0, &st);
    assert_float_equal(st.x, 950, 1e-9);
    assert_true(st.visible);
    assert_true(st.scale_x == 1 && st.opacity == 1);
    story_actor_eval(a, 3.5, &st);
    assert_false(st.visible);
    assert_float_equal(story_part_rotation(a, 1, 1.0), 30, 1e-9);
    assert_float_equal(story_part_rotation(a, 0, 1.0), 0, 1e-9);
    struct story_camera_state cam;
    story_camera_eval(s, &s->scenes[0], 1, &cam);
    assert_true(cam.x == 960 && cam.y == 540 && cam.zoom == 1);
    const struct story_caption *c = story_caption_at(&s->scenes[0], 1.0);
    assert_non_null(c);
    assert_string_equal(story_text_get(&c->text, STORY_LANG_KK), "Сәлем, қасқыр!");
    assert_string_equal(story_text_get(&c->text, STORY_LANG_RU), "Hello, wolf!"); /* fallback */
    assert_null(story_caption_at(&s->scenes[0], 2.0));
    assert_float_equal(story_duration(s), 4, 0);
    story_destroy(s);
}

static void test_frames_hold(void **state)
{
    struct story *s = story_create();
    struct story_scene *sc = story_scene_add(s, "s");
    struct story_actor *a = story_actor_add(sc, "d", STORY_ACTOR_DRAWING);
    story_frame_add(a, 0.0);
    story_frame_add(a, 0.5);
    story_frame_add(a, 1.25);
    struct story_actor_state st;
    story_actor_eval(a, 0.49, &st);
    assert_int_equal(st.frame, 0);
    story_actor_eval(a, 0.5, &st);
    assert_int_equal(st.frame, 1);
    story_actor_eval(a, 1.2, &st);
    assert_int_equal(st.frame, 1);
    story_actor_eval(a, 9, &st);
    assert_int_equal(st.frame, 2);
    assert_int_equal(story_validate(s, NULL), 0);
    a->frames[2].start_s = 0.5;
    struct dy_err err;
    assert_int_equal(story_validate(s, &err), DY_EINVAL);
    assert_string_equal(err.where, "scenes[0].actors[0].frames[2].start");
    story_destroy(s);
}

static void expect_invalid(struct story *s, const char *where, const char *msg_part)
{
    struct dy_err err;
    dy_err_clear(&err);
    assert_true(story_validate(s, &err) < 0);
    assert_string_equal(err.where, where);
    if (!strstr(err.msg, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void test_validate_paths(void **state)
{
    struct story *s = make_story();
    struct story_actor *a = &s->scenes[0].actors[0];
    a->props[STORY_PROP_X].keys[1].time_s = -1.5;
    expect_invalid(s, "scenes[0].actors[0].tracks.x[1].time", "must be >= 0 (got -1.5)");
    a->props[STORY_PROP_X].keys[1].time_s = 0;
    expect_invalid(s, "scenes[0].actors[0].tracks.x[1].time", "strictly increasing");
    a->props[STORY_PROP_X].keys[1].time_s = 4;
    a->props[STORY_PROP_X].keys[1].value = NAN;
    expect_invalid(s, "scenes[0].actors[0].tracks.x[1].value", "finite");
    a->props[STORY_PROP_X].keys[1].value = 10;
    a->parts[1].parent = 1;
    expect_invalid(s, "scenes[0].actors[0].parts[1].parent", "earlier part");
    a->parts[1].parent = 0;
    a->parts[0].visual.drawing.shapes[0].pts[2].y = INFINITY;
    expect_invalid(s, "scenes[0].actors[0].parts[0].drawing[0].points[2]", "finite");
    a->parts[0].visual.drawing.shapes[0].pts[2].y = 1;
    struct story_actor *b = story_actor_add(&s->scenes[0], "fox", STORY_ACTOR_TEXT);
    expect_invalid(s, "scenes[0].actors[1].id", "duplicate actor id");
    free(b->id);
    b->id = strdup("bubble");
    s->scenes[0].duration_s = 1e9;
    expect_invalid(s, "scenes[0].duration", "must be <= 3600");
    s->scenes[0].duration_s = 0;
    expect_invalid(s, "scenes[0].duration", "must be > 0");
    s->scenes[0].duration_s = 3;
    story_audio_add(&s->scenes[0], "voice", 1.0, 1.0);
    expect_invalid(s, "scenes[0].audio[0].media", "no media with id \"voice\"");
    static const uint8_t wav[4] = {1, 2, 3, 4};
    story_media_add(s, "voice", "media/voice.wav", STORY_MEDIA_IMAGE, wav, sizeof(wav));
    expect_invalid(s, "scenes[0].audio[0].media", "not audio");
    s->media[0].kind = STORY_MEDIA_AUDIO;
    assert_int_equal(story_validate(s, NULL), 0);
    free(s->media[0].path);
    s->media[0].path = strdup("media/../../etc/passwd");
    expect_invalid(s, "media[0].path", "unsafe");
    free(s->media[0].path);
    s->media[0].path = strdup("media/voice.wav");
    s->width = -5;
    expect_invalid(s, "width", "must be >= 16");
    story_destroy(s);
}

static void test_drawing_copy(void **state)
{
    struct story *s = make_story();
    struct story_drawing cp;
    const struct story_drawing *src = &s->scenes[0].actors[0].parts[0].visual.drawing;
    assert_int_equal(story_drawing_copy(&cp, src), 0);
    assert_int_equal(cp.n, 1);
    assert_int_equal(cp.shapes[0].n, 3);
    assert_ptr_not_equal(cp.shapes[0].pts, src->shapes[0].pts);
    assert_true(cp.shapes[0].pts[1].x == 50);
    story_drawing_fini(&cp);
    story_destroy(s);
}


static void test_actor_copy(void **state)
{
    struct story *s = make_story();
    struct story_scene *sc = &s->scenes[0];
    struct story_actor *b = story_actor_copy(sc, &sc->actors[0], "fox2");
    assert_non_null(b);
    const struct story_actor *a = &sc->actors[0];
    assert_string_equal(b->id, "fox2");
    assert_int_equal(b->nparts, a->nparts);
    assert_string_equal(b->parts[1].id, "head");
    assert_ptr_not_equal(b->parts[0].visual.drawing.shapes, a->parts[0].visual.drawing.shapes);
    assert_int_equal(b->part_rot[1].n, 2);
    assert_int_equal(b->props[STORY_PROP_X].n, 2);
    assert_float_equal(story_part_rotation(b, 1, 1.0), 30, 1e-9);
    /* the copy is independent */
    key_track_set(&b->props[STORY_PROP_X], 0, -5, KEY_EASE_LINEAR);
    assert_true(a->props[STORY_PROP_X].keys[0].value == 100);
    assert_int_equal(story_validate(s, NULL), 0);
    story_destroy(s);
}

static void test_utf8(void **state)
{
    assert_int_equal(story_utf8_len("a"), 1);
    assert_int_equal(story_utf8_len("\xd3\x99"), 2);         /* ә */
    assert_int_equal(story_utf8_len("\xe2\x82\xb8"), 3);     /* ₸ */
    assert_int_equal(story_utf8_len("\xf0\x9f\xa6\x8a"), 4); /* fox emoji */
    assert_int_equal(story_utf8_len("\xc0\xaf"), 0);          /* overlong '/' */
    assert_int_equal(story_utf8_len("\xed\xa0\x80"), 0);     /* surrogate */
    assert_int_equal(story_utf8_len("\xf4\x90\x80\x80"), 0); /* > U+10FFFF */
    assert_int_equal(story_utf8_len("\xd3"), 0);              /* cut at the NUL */
    assert_int_equal(story_utf8_len("\x80"), 0);              /* stray continuation */
    assert_true(story_utf8_valid("Сәлем, қасқыр!"));
    assert_false(story_utf8_valid("ok \xd3"));
}

int run_story_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_eval),
        cmocka_unit_test(test_frames_hold),
        cmocka_unit_test(test_validate_paths),
        cmocka_unit_test(test_drawing_copy),
        cmocka_unit_test(test_actor_copy),
        cmocka_unit_test(test_utf8),
    };
    return cmocka_run_group_tests_name("story", tests, NULL, NULL);
}
