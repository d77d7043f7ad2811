/* Story edits and the undo history: every edit's apply/revert/apply
 * roundtrip compared by canonical JSON (plus media bytes), refusals that
 * leave the story untouched, gesture merging, caps, and a randomized run of
 * 2000 edits undone and redone. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/story_edit.h"
#include "daryn/storyio.h"

/* ---- fixtures ----------------------------------------------------------- */

static void add_square(struct story_drawing *d, double x, double y)
{
    struct story_shape *sh = story_drawing_add(d, STORY_SHAPE_FILL);
    assert_non_null(sh);
    assert_int_equal(story_shape_add_point(sh, x, y, 0), 0);
    assert_int_equal(story_shape_add_point(sh, x + 10, y, 0), 0);
    assert_int_equal(story_shape_add_point(sh, x + 10, y + 10, 0), 0);
}

static struct story_part *add_part(struct story_actor *a, const char *id, int parent,
                                   const char *media)
{
    struct story_part *p = story_part_add(a, id, parent);
    assert_non_null(p);
    if (media) {
        p->visual.media_id = strdup(media);
        p->visual.w = p->visual.h = 20;
    } else {
        add_square(&p->visual.drawing, -5, -5);
    }
    return p;
}

/* Two scenes with every actor kind, keys, captions, audio and frames. */
static struct story *make_story(void)
{
    struct story *s = story_create();
    assert_non_null(s);
    assert_non_null(story_media_add(s, "img1", "media/img1.png", STORY_MEDIA_IMAGE, "PNG-A", 5));
    assert_non_null(story_media_add(s, "snd1", "media/snd1.wav", STORY_MEDIA_AUDIO, "RIFF", 4));
    struct story_scene *sc = story_scene_add(s, "s1");
    assert_non_null(sc);
    sc->duration_s = 6;
    key_track_set(&sc->camera[STORY_CAM_ZOOM], 0, 1, KEY_EASE_LINEAR);
    key_track_set(&sc->camera[STORY_CAM_ZOOM], 2, 1.5, KEY_EASE_IN_OUT);

    struct story_actor *fox = story_actor_add(sc, "fox", STORY_ACTOR_CHARACTER);
    assert_non_null(fox);
    add_part(fox, "body", -1, NULL);
    add_part(fox, "head", 0, NULL)->pivot_y = -30;
    add_part(fox, "tail", 0, "img1");
    key_track_set(&fox->props[STORY_PROP_X], 0, 100, KEY_EASE_LINEAR);
    key_track_set(&fox->props[STORY_PROP_X], 2, 500, KEY_EASE_OUT);
    key_track_set(&fox->props[STORY_PROP_X], 4, 900, KEY_EASE_LINEAR);
    key_track_set(&fox->part_rot[1], 1, 20, KEY_EASE_LINEAR);

    struct story_actor *doodle = story_actor_add(sc, "doodle", STORY_ACTOR_DRAWING);
    assert_non_null(doodle);
    add_square(&doodle->drawing, 0, 0);
    add_square(&doodle->drawing, 50, 50);

    struct story_actor *bubble = story_actor_add(sc, "bubble", STORY_ACTOR_TEXT);
    assert_non_null(bubble);
    story_text_set(&bubble->text, STORY_LANG_KK, "Сәлем!");
    story_text_set(&bubble->text, STORY_LANG_EN, "Hello!");

    struct story_actor *pic = story_actor_add(sc, "pic", STORY_ACTOR_IMAGE);
    assert_non_null(pic);
    pic->image.media_id = strdup("img1");
    pic->image.w = 100;
    pic->image.h = 50;

    struct story_caption *c = story_caption_add(sc, 0.5, 2);
    story_text_set(&c->text, STORY_LANG_RU, "Привет");
    c = story_caption_add(sc, 3, 4);
    story_text_set(&c->text, STORY_LANG_EN, "Bye");
    assert_non_null(story_audio_add(sc, "snd1", 0.25, 1));

    struct story_scene *sc2 = story_scene_add(s, "s2");
    assert_non_null(sc2);
    sc2->duration_s = 3;
    struct story_actor *tree = story_actor_add(sc2, "tree", STORY_ACTOR_DRAWING);
    assert_non_null(tree);
    add_square(&story_frame_add(tree, 0)->drawing, 0, 0);
    add_square(&story_frame_add(tree, 1)->drawing, 5, 5);
    assert_int_equal(story_validate(s, NULL), 0);
    return s;
}

/* A template: a character whose parts use media "img1" (other bytes than
 * the story's img1) and "eye" (twice), and an image actor. */
static struct story *make_template(void)
{
    struct story *t = story_create();
    assert_non_null(t);
    assert_non_null(story_media_add(t, "img1", "media/img1.png", STORY_MEDIA_IMAGE, "PNG-B", 5));
    assert_non_null(story_media_add(t, "eye", "media/eye.svg", STORY_MEDIA_SVG, "<svg/>", 6));
    struct story_scene *sc = story_scene_add(t, "t");
    assert_non_null(sc);
    struct story_actor *cat = story_actor_add(sc, "cat", STORY_ACTOR_CHARACTER);
    assert_non_null(cat);
    cat->name = strdup("Cat");
    add_part(cat, "body", -1, "img1");
    add_part(cat, "eye_l", 0, "eye");
    add_part(cat, "eye_r", 0, "eye");
    add_part(cat, "paw", 0, NULL);
    key_track_set(&cat->part_rot[3], 0.5, 45, KEY_EASE_OVERSHOOT);
    struct story_actor *photo = story_actor_add(sc, "photo", STORY_ACTOR_IMAGE);
    assert_non_null(photo);
    photo->image.media_id = strdup("eye");
    photo->image.w = photo->image.h = 30;
    assert_int_equal(story_validate(t, NULL), 0);
    return t;
}

/* The whole state: canonical JSON, then each media's bytes (JSON leaves
 * them out). Caller frees. */
static char *state(const struct story *s)
{
    char *json = NULL;
    size_t len = 0;
    struct dy_err err;
    assert_int_equal(storyio_json_dump(s, &json, &len, &err), 0);
    size_t extra = 0;
    for (size_t i = 0; i < s->nmedia; i++)
        extra += s->media[i].size * 2 + 8;
    char *out = malloc(len + extra + 1);
    assert_non_null(out);
    memcpy(out, json, len);
    size_t n = len;
    for (size_t i = 0; i < s->nmedia; i++) {
        out[n++] = '\n';
        for (size_t k = 0; k < s->media[i].size; k++)
            n += (size_t)sprintf(out + n, "%02x", s->media[i].data[k]);
    }
    out[n] = '\0';
    free(json);
    return out;
}

static void assert_state(const struct story *s, const char *want)
{
    char *got = state(s);
    assert_string_equal(got, want);
    free(got);
}

static void assert_valid(const struct story *s)
{
    struct dy_err err;
    dy_err_clear(&err);
    int rc = story_validate(s, &err);
    if (rc) {
        char buf[1200];
        print_error("story_validate: %s\n", dy_err_format(&err, buf, sizeof(buf)));
    }
    assert_int_equal(rc, 0);
}

/* apply -> after; revert -> before (exactly); apply -> after; revert ->
 * before; apply; then the edit is freed while applied. Returns the "after"
 * state (caller frees). */
static char *roundtrip(struct story *s, struct story_edit *e)
{
    struct dy_err err;
    char *before = state(s);
    assert_false(e->applied);
    assert_int_equal(story_edit_apply(s, e, &err), 0);
    assert_valid(s);
    char *after = state(s);
    assert_string_not_equal(before, after);
    assert_int_equal(story_edit_revert(s, e, &err), 0);
    assert_valid(s);
    assert_state(s, before);
    assert_int_equal(story_edit_apply(s, e, &err), 0);
    assert_state(s, after);
    assert_int_equal(story_edit_revert(s, e, &err), 0);
    assert_state(s, before);
    assert_int_equal(story_edit_apply(s, e, &err), 0);
    assert_state(s, after);
    assert_true(story_edit_bytes(e) >= sizeof(*e));
    story_edit_fini(e);
    assert_int_equal(e->kind, STORY_EDIT_NONE);
    assert_state(s, after);
    free(before);
    return after;
}

/* Builds with rc 0, then roundtrips; frees the after-state. */
#define ROUNDTRIP(s, e, call)                    \
    do {                                         \
        struct dy_err err_;                      \
        int rc_ = (call);                        \
        if (rc_)                                 \
            print_error("%s: %s\n", err_.where, err_.msg); \
        assert_int_equal(rc_, 0);                \
        free(roundtrip((s), (e)));               \
    } while (0)

/* ---- one roundtrip per edit kind ---------------------------------------- */

static const struct story_track_ref fox_x = {STORY_TRACK_PROP, "fox", NULL, STORY_PROP_X};
static const struct story_track_ref fox_head = {STORY_TRACK_PART, "fox", "head", 0};
static const struct story_track_ref s1_zoom = {STORY_TRACK_CAMERA, "s1", NULL, STORY_CAM_ZOOM};

static void test_key_edits(void **state_)
{
    struct story *s = make_story();
    struct story_edit e;
    /* insert, replace; actor, part and camera tracks */
    ROUNDTRIP(s, &e, story_edit_key_set(&e, s, &fox_x, 1, 250, KEY_EASE_IN, &err_));
    ROUNDTRIP(s, &e, story_edit_key_set(&e, s, &fox_x, 2, -40, KEY_EASE_STEP, &err_));
    assert_int_equal(s->scenes[0].actors[0].props[STORY_PROP_X].n, 4);
    ROUNDTRIP(s, &e, story_edit_key_set(&e, s, &fox_head, 0, -15, KEY_EASE_LINEAR, &err_));
    ROUNDTRIP(s, &e, story_edit_key_set(&e, s, &s1_zoom, 2, 3, KEY_EASE_LINEAR, &err_));
    ROUNDTRIP(s, &e, story_edit_key_remove(&e, s, &fox_x, 0, &err_));
    ROUNDTRIP(s, &e, story_edit_key_remove(&e, s, &fox_head, 0, &err_));
    /* move the key at 2 s past the one at 4 s: order changes */
    const struct key_track *tr = &s->scenes[0].actors[0].props[STORY_PROP_X];
    size_t i2 = (size_t)key_track_find(tr, 2);
    ROUNDTRIP(s, &e, story_edit_key_move(&e, s, &fox_x, i2, 5.5, &err_));
    assert_true(tr->keys[tr->n - 1].time_s == 5.5 && tr->keys[tr->n - 1].value == -40);
    ROUNDTRIP(s, &e, story_edit_key_move(&e, s, &s1_zoom, 0, 0.75, &err_));
    story_destroy(s);
}

static void test_actor_edits(void **state_)
{
    struct story *s = make_story();
    struct story *tpl = make_template();
    struct story_edit e;
    ROUNDTRIP(s, &e, story_edit_actor_add(&e, s, "s1", 0, "scribble", STORY_ACTOR_DRAWING, &err_));
    assert_string_equal(s->scenes[0].actors[0].id, "scribble");
    ROUNDTRIP(s, &e, story_edit_actor_add(&e, s, "s2", -1, "say", STORY_ACTOR_TEXT, &err_));
    assert_string_equal(s->scenes[1].actors[1].id, "say");
    /* the removed actor goes back at its index */
    ROUNDTRIP(s, &e, story_edit_actor_remove(&e, s, "fox", &err_));
    assert_int_equal(s->scenes[0].nactors, 4);
    ROUNDTRIP(s, &e, story_edit_actor_reorder(&e, s, "pic", 0, &err_));
    assert_string_equal(s->scenes[0].actors[0].id, "pic");
    ROUNDTRIP(s, &e, story_edit_actor_reorder(&e, s, "pic", 3, &err_));
    ROUNDTRIP(s, &e, story_edit_text_set(&e, s, "bubble", STORY_LANG_RU, "Привет, лиса!", &err_));
    ROUNDTRIP(s, &e, story_edit_text_set(&e, s, "bubble", STORY_LANG_KK, NULL, &err_));
    /* a copy from the template: img1 differs from the story's img1, so it
     * comes in renamed; eye comes once for both eye parts */
    size_t nmedia = s->nmedia;
    ROUNDTRIP(s, &e, story_edit_actor_add_copy(&e, s, "s2", 0, tpl, "cat", "cat1", &err_));
    assert_int_equal(s->nmedia, nmedia + 2);
    const struct story_actor *cat = &s->scenes[1].actors[0];
    assert_string_equal(cat->id, "cat1");
    assert_string_equal(cat->name, "Cat");
    assert_string_equal(cat->parts[0].visual.media_id, "img1-2");
    assert_string_equal(cat->parts[1].visual.media_id, "eye");
    assert_string_equal(cat->parts[2].visual.media_id, "eye");
    const struct story_media *m = story_media_find(s, "img1-2");
    assert_non_null(m);
    assert_memory_equal(m->data, "PNG-B", 5);
    assert_string_not_equal(m->path, "media/img1.png");
    assert_memory_equal(story_media_find(s, "img1")->data, "PNG-A", 5);
    /* a second copy reuses every media (same bytes now present) */
    nmedia = s->nmedia;
    ROUNDTRIP(s, &e, story_edit_actor_add_copy(&e, s, "s1", -1, tpl, "cat", "cat2", &err_));
    assert_int_equal(s->nmedia, nmedia);
    ROUNDTRIP(s, &e, story_edit_actor_add_copy(&e, s, "s1", 1, tpl, "photo", "photo1", &err_));
    /* duplicating an actor of the story itself */
    ROUNDTRIP(s, &e, story_edit_actor_add_copy(&e, s, "s1", -1, s, "cat1", "cat3", &err_));
    assert_int_equal(s->nmedia, nmedia);
    story_destroy(tpl);
    story_destroy(s);
}

static void test_scene_caption_audio_edits(void **state_)
{
    struct story *s = make_story();
    struct story_edit e;
    struct story_text t = {{NULL, NULL, (char *)"The end"}};
    ROUNDTRIP(s, &e, story_edit_caption_add(&e, s, "s1", 0, 4.5, 5, &t, &err_));
    ROUNDTRIP(s, &e, story_edit_caption_add(&e, s, "s2", -1, 0, 1, NULL, &err_));
    ROUNDTRIP(s, &e, story_edit_caption_remove(&e, s, "s1", 0, &err_));
    ROUNDTRIP(s, &e, story_edit_caption_edit(&e, s, "s1", 0, 1, 2.5, NULL, &err_));
    ROUNDTRIP(s, &e, story_edit_caption_edit(&e, s, "s1", 1, 3, 4, &t, &err_));
    ROUNDTRIP(s, &e, story_edit_scene_add(&e, s, 0, "intro", &err_));
    assert_string_equal(s->scenes[0].id, "intro");
    ROUNDTRIP(s, &e, story_edit_scene_add(&e, s, -1, "outro", &err_));
    ROUNDTRIP(s, &e, story_edit_scene_remove(&e, s, "s1", &err_));
    ROUNDTRIP(s, &e, story_edit_scene_reorder(&e, s, "outro", 0, &err_));
    ROUNDTRIP(s, &e, story_edit_scene_duration(&e, s, "s2", 12.5, &err_));
    ROUNDTRIP(s, &e, story_edit_audio_add(&e, s, "s2", "snd1", 1, 0.5, 0.25, &err_));
    ROUNDTRIP(s, &e, story_edit_audio_move(&e, s, "s2", 0, 2.5, &err_));
    assert_true(s->scenes[story_scene_find(s, "s2")].audio[0].start_s == 2.5);
    ROUNDTRIP(s, &e, story_edit_audio_remove(&e, s, "s2", 0, &err_));
    story_destroy(s);
}

static void test_drawing_edits(void **state_)
{
    struct story *s = make_story();
    struct story_edit e;
    struct story_point pts[] = {{0, 0, 3}, {10, 5, 4}, {20, 0, 2.5}};
    struct story_shape stroke = {.kind = STORY_SHAPE_STROKE, .pts = pts, .n = 3,
                                 .smooth = true, .color = {0.2f, 0.4f, 0.6f, 1}};
    struct story_drawing_ref doodle = {"doodle", NULL, -1};
    struct story_drawing_ref head = {"fox", "head", -1};
    struct story_drawing_ref tree1 = {"tree", NULL, 1};
    ROUNDTRIP(s, &e, story_edit_shape_add(&e, s, &doodle, &stroke, &err_));
    assert_int_equal(s->scenes[0].actors[1].drawing.n, 3);
    pts[0].x = 99; /* the edit kept its own copy */
    assert_true(s->scenes[0].actors[1].drawing.shapes[2].pts[0].x == 0);
    ROUNDTRIP(s, &e, story_edit_shape_add(&e, s, &head, &stroke, &err_));
    ROUNDTRIP(s, &e, story_edit_shape_add(&e, s, &tree1, &stroke, &err_));
    ROUNDTRIP(s, &e, story_edit_shape_remove(&e, s, &doodle, 0, &err_));
    ROUNDTRIP(s, &e, story_edit_shape_remove(&e, s, &tree1, 0, &err_));
    /* frames: between two, after the last, and the first one of a plain
     * drawing (its drawing becomes the frame at 0) */
    ROUNDTRIP(s, &e, story_edit_frame_add(&e, s, "tree", 0.5, &s->scenes[1].actors[0].frames[0].drawing, &err_));
    ROUNDTRIP(s, &e, story_edit_frame_add(&e, s, "tree", 2.5, NULL, &err_));
    ROUNDTRIP(s, &e, story_edit_frame_add(&e, s, "doodle", 2, NULL, &err_));
    const struct story_actor *d = &s->scenes[0].actors[1];
    assert_int_equal(d->nframes, 2);
    assert_true(d->frames[0].start_s == 0 && d->frames[1].start_s == 2);
    assert_int_equal(d->frames[0].drawing.n, 2); /* was the plain drawing */
    assert_int_equal(d->drawing.n, 0);
    ROUNDTRIP(s, &e, story_edit_part_pivot(&e, s, "fox", "head", 3, -33, &err_));
    story_destroy(s);
}

/* ---- refusals ------------------------------------------------------------ */

/* Asserts that a constructor refused with `code`, zeroed the edit and left
 * the story as it was. */
#define REFUSED(s, want, call)                                    \
    do {                                                          \
        dy_err_clear(&err_);                                      \
        char *before_ = state(s);                                 \
        assert_int_equal((call), (want));                         \
        assert_int_equal(err_.code, (want));                      \
        assert_true(err_.msg[0] != '\0');                         \
        assert_int_equal(e.kind, STORY_EDIT_NONE);                \
        assert_state((s), before_);                               \
        free(before_);                                            \
    } while (0)

static void test_refusals(void **state_)
{
    struct story *s = make_story();
    struct story_edit e;
    struct dy_err err_;
    struct story_track_ref ghost = {STORY_TRACK_PROP, "wolf", NULL, STORY_PROP_X};
    REFUSED(s, DY_ENOTFOUND, story_edit_key_set(&e, s, &ghost, 1, 1, KEY_EASE_LINEAR, &err_));
    assert_non_null(strstr(err_.msg, "wolf"));
    REFUSED(s, DY_EINVAL, story_edit_key_set(&e, s, &fox_x, NAN, 1, KEY_EASE_LINEAR, &err_));
    assert_string_equal(err_.where, "time");
    REFUSED(s, DY_EINVAL, story_edit_key_set(&e, s, &fox_x, 1, INFINITY, KEY_EASE_LINEAR, &err_));
    REFUSED(s, DY_ERANGE, story_edit_key_set(&e, s, &fox_x, -1, 1, KEY_EASE_LINEAR, &err_));
    REFUSED(s, DY_ERANGE, story_edit_key_set(&e, s, &fox_x, 3601, 1, KEY_EASE_LINEAR, &err_));
    struct story_track_ref op = {STORY_TRACK_PROP, "fox", NULL, STORY_PROP_OPACITY};
    REFUSED(s, DY_ERANGE, story_edit_key_set(&e, s, &op, 1, 1.5, KEY_EASE_LINEAR, &err_));
    REFUSED(s, DY_ERANGE, story_edit_key_set(&e, s, &s1_zoom, 1, 0, KEY_EASE_LINEAR, &err_));
    REFUSED(s, DY_EINVAL, story_edit_key_set(&e, s, &fox_x, 1, 1, KEY_EASE_COUNT, &err_));
    struct story_track_ref badpart = {STORY_TRACK_PART, "fox", "wing", 0};
    REFUSED(s, DY_ENOTFOUND, story_edit_key_set(&e, s, &badpart, 1, 1, KEY_EASE_LINEAR, &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_key_remove(&e, s, &fox_x, 3, &err_));
    REFUSED(s, DY_EINVAL, story_edit_key_move(&e, s, &fox_x, 0, 2, &err_)); /* onto a key */
    REFUSED(s, DY_EINVAL, story_edit_actor_add(&e, s, "s1", -1, "fox", STORY_ACTOR_DRAWING, &err_));
    REFUSED(s, DY_EINVAL, story_edit_actor_add(&e, s, "s2", -1, "tree", STORY_ACTOR_TEXT, &err_));
    REFUSED(s, DY_EINVAL, story_edit_actor_add(&e, s, "s1", -1, "a b", STORY_ACTOR_DRAWING, &err_));
    REFUSED(s, DY_EINVAL, story_edit_actor_add(&e, s, "s1", -1, "c", STORY_ACTOR_CHARACTER, &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_actor_add(&e, s, "s9", -1, "c", STORY_ACTOR_TEXT, &err_));
    REFUSED(s, DY_ERANGE, story_edit_actor_add(&e, s, "s1", 9, "c", STORY_ACTOR_TEXT, &err_));
    REFUSED(s, DY_EINVAL, story_edit_actor_add_copy(&e, s, "s1", -1, s, "fox", "pic", &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_actor_add_copy(&e, s, "s1", -1, s, "owl", "owl2", &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_actor_remove(&e, s, "owl", &err_));
    REFUSED(s, DY_ERANGE, story_edit_actor_reorder(&e, s, "fox", 4, &err_));
    REFUSED(s, DY_EINVAL, story_edit_text_set(&e, s, "bubble", STORY_LANG_EN, "bad \xc3(", &err_));
    REFUSED(s, DY_EINVAL, story_edit_text_set(&e, s, "fox", STORY_LANG_EN, "hi", &err_));
    REFUSED(s, DY_ERANGE, story_edit_caption_add(&e, s, "s1", -1, 2, 2, NULL, &err_));
    REFUSED(s, DY_EINVAL, story_edit_caption_add(&e, s, "s1", -1, NAN, 2, NULL, &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_caption_edit(&e, s, "s1", 2, 0, 1, NULL, &err_));
    REFUSED(s, DY_EINVAL, story_edit_scene_add(&e, s, -1, "s2", &err_));
    REFUSED(s, DY_ERANGE, story_edit_scene_duration(&e, s, "s1", 0, &err_));
    REFUSED(s, DY_ERANGE, story_edit_scene_duration(&e, s, "s1", 4000, &err_));
    REFUSED(s, DY_EINVAL, story_edit_audio_add(&e, s, "s1", "img1", 0, 1, 0, &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_audio_add(&e, s, "s1", "nope", 0, 1, 0, &err_));
    REFUSED(s, DY_ERANGE, story_edit_audio_add(&e, s, "s1", "snd1", 0, 5, 0, &err_));
    REFUSED(s, DY_ERANGE, story_edit_audio_move(&e, s, "s1", 0, -2, &err_));
    struct story_point pts[] = {{0, 0, 1}, {NAN, 1, 1}};
    struct story_shape bad = {.kind = STORY_SHAPE_STROKE, .pts = pts, .n = 2, .color = {0, 0, 0, 1}};
    struct story_drawing_ref doodle = {"doodle", NULL, -1};
    REFUSED(s, DY_EINVAL, story_edit_shape_add(&e, s, &doodle, &bad, &err_));
    assert_string_equal(err_.where, "shape.points[1]");
    bad.n = 1;
    struct story_drawing_ref tail = {"fox", "tail", -1};
    REFUSED(s, DY_EINVAL, story_edit_shape_add(&e, s, &tail, &bad, &err_)); /* media part */
    struct story_drawing_ref tree_plain = {"tree", NULL, -1};
    REFUSED(s, DY_EINVAL, story_edit_shape_add(&e, s, &tree_plain, &bad, &err_));
    bad.color.a = 2;
    REFUSED(s, DY_ERANGE, story_edit_shape_add(&e, s, &doodle, &bad, &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_shape_remove(&e, s, &doodle, 2, &err_));
    REFUSED(s, DY_EINVAL, story_edit_frame_add(&e, s, "tree", 1, NULL, &err_));
    REFUSED(s, DY_EINVAL, story_edit_frame_add(&e, s, "doodle", 0, NULL, &err_));
    REFUSED(s, DY_EINVAL, story_edit_part_pivot(&e, s, "fox", "head", NAN, 0, &err_));
    REFUSED(s, DY_ENOTFOUND, story_edit_part_pivot(&e, s, "fox", "wing", 0, 0, &err_));

    /* the last scene can't go */
    struct story_edit rm;
    struct dy_err err;
    assert_int_equal(story_edit_scene_remove(&rm, s, "s2", &err), 0);
    assert_int_equal(story_edit_apply(s, &rm, &err), 0);
    REFUSED(s, DY_EINVAL, story_edit_scene_remove(&e, s, "s1", &err_));
    /* wrong states */
    char *before = state(s);
    assert_int_equal(story_edit_apply(s, &rm, &err), DY_EINVAL);
    assert_int_equal(story_edit_revert(s, &rm, &err), 0);
    assert_int_equal(story_edit_revert(s, &rm, &err), DY_EINVAL);
    story_edit_fini(&rm);
    struct story_edit zero = {0};
    assert_int_equal(story_edit_apply(s, &zero, &err), DY_EINVAL);
    free(before);
    assert_valid(s);
    story_destroy(s);
}

/* An edit applied to a story that no longer matches it fails cleanly. */
static void test_stale_edit(void **state_)
{
    struct story *s = make_story();
    struct story_edit set, rm;
    struct dy_err err;
    assert_int_equal(story_edit_key_set(&set, s, &fox_x, 1, 7, KEY_EASE_LINEAR, &err), 0);
    assert_int_equal(story_edit_actor_remove(&rm, s, "fox", &err), 0);
    assert_int_equal(story_edit_apply(s, &rm, &err), 0);
    char *before = state(s);
    assert_int_equal(story_edit_apply(s, &set, &err), DY_ENOTFOUND);
    assert_false(set.applied);
    assert_state(s, before);
    free(before);
    story_edit_fini(&set);
    story_edit_fini(&rm); /* frees the removed fox */
    assert_valid(s);
    story_destroy(s);
}

/* ---- history --------------------------------------------------------------- */

static void hdo(struct story_history *h, struct story *s, struct story_edit *e, int build_rc,
                uint64_t key)
{
    struct dy_err err;
    assert_int_equal(build_rc, 0);
    assert_int_equal(key ? story_history_do_merge(h, s, e, key, &err)
                         : story_history_do(h, s, e, &err), 0);
    assert_int_equal(e->kind, STORY_EDIT_NONE);
}

static void test_history_merge(void **state_)
{
    struct story *s = make_story();
    struct story_history h;
    struct story_edit e;
    struct dy_err err;
    story_history_init(&h, 0, 0);
    assert_false(story_history_can_undo(&h));
    assert_int_equal(story_history_undo(&h, s, &err), DY_EINVAL);
    char *s0 = state(s);
    struct story_track_ref y = {STORY_TRACK_PROP, "fox", NULL, STORY_PROP_Y};
    /* a drag: x and y keyed at t = 1 on every pointer move */
    for (int i = 0; i < 200; i++) {
        hdo(&h, s, &e, story_edit_key_set(&e, s, &fox_x, 1, 100 + i, KEY_EASE_LINEAR, &err), 7);
        hdo(&h, s, &e, story_edit_key_set(&e, s, &y, 1, 50 - i, KEY_EASE_LINEAR, &err), 7);
    }
    assert_int_equal(h.nundo, 1);
    assert_int_equal(h.undo[0].n, 2); /* folded: one saved edit per key */
    char *s1 = state(s);
    /* a second drag (new gesture key) and a pinch of pivot moves */
    for (int i = 0; i < 50; i++)
        hdo(&h, s, &e, story_edit_part_pivot(&e, s, "fox", "head", i, -i, &err), 8);
    assert_int_equal(h.nundo, 2);
    assert_int_equal(h.undo[1].n, 1);
    char *s2 = state(s);
    /* typing: one text set per key press */
    const char *typed[] = {"Б", "Бі", "Бір", "Бір к"};
    for (int i = 0; i < 4; i++)
        hdo(&h, s, &e, story_edit_text_set(&e, s, "bubble", STORY_LANG_KK, typed[i], &err), 9);
    story_history_seal(&h);
    /* the same key after sealing starts a new step */
    hdo(&h, s, &e, story_edit_text_set(&e, s, "bubble", STORY_LANG_KK, "Бір күні", &err), 9);
    assert_int_equal(h.nundo, 4);
    char *s4 = state(s);
    assert_int_equal(story_history_undo(&h, s, &err), 0);
    assert_int_equal(story_history_undo(&h, s, &err), 0);
    assert_state(s, s2);
    /* do_merge right after an undo never joins the undone step */
    assert_int_equal(story_history_undo(&h, s, &err), 0);
    assert_state(s, s1);
    assert_int_equal(story_history_redo(&h, s, &err), 0);
    assert_state(s, s2);
    assert_int_equal(story_history_undo(&h, s, &err), 0);
    assert_int_equal(story_history_undo(&h, s, &err), 0);
    assert_state(s, s0);
    assert_false(story_history_can_undo(&h));
    for (int i = 0; i < 4; i++)
        assert_int_equal(story_history_redo(&h, s, &err), 0);
    assert_state(s, s4);
    assert_false(story_history_can_redo(&h));
    assert_int_equal(story_history_redo(&h, s, &err), DY_EINVAL);
    /* a do clears the redo stack */
    assert_int_equal(story_history_undo(&h, s, &err), 0);
    assert_true(story_history_can_redo(&h));
    hdo(&h, s, &e, story_edit_scene_duration(&e, s, "s1", 2, &err), 0);
    assert_false(story_history_can_redo(&h));
    /* a refused do changes nothing and the edit stays the caller's */
    char *sx = state(s);
    assert_int_equal(story_edit_key_set(&e, s, &fox_x, 1, 1, KEY_EASE_LINEAR, &err), 0);
    struct story_edit rm;
    assert_int_equal(story_edit_actor_remove(&rm, s, "fox", &err), 0);
    hdo(&h, s, &rm, 0, 0);
    sx = (free(sx), state(s));
    size_t nundo = h.nundo;
    assert_int_equal(story_history_do(&h, s, &e, &err), DY_ENOTFOUND);
    assert_int_equal(e.kind, STORY_EDIT_KEY_SET);
    assert_int_equal(h.nundo, nundo);
    assert_state(s, sx);
    story_edit_fini(&e);
    /* a gesture never continues across an undo */
    size_t n0 = h.nundo;
    hdo(&h, s, &e, story_edit_key_set(&e, s, &s1_zoom, 3, 2, KEY_EASE_LINEAR, &err), 21);
    hdo(&h, s, &e, story_edit_key_set(&e, s, &s1_zoom, 3.25, 2, KEY_EASE_LINEAR, &err), 22);
    assert_int_equal(story_history_undo(&h, s, &err), 0);
    hdo(&h, s, &e, story_edit_key_set(&e, s, &s1_zoom, 3, 4, KEY_EASE_LINEAR, &err), 21);
    assert_int_equal(h.nundo, n0 + 2);
    story_history_fini(&h);
    assert_valid(s);
    free(s0), free(s1), free(s2), free(s4), free(sx);
    story_destroy(s);
}

static void test_history_caps(void **state_)
{
    struct story *s = make_story();
    struct story_history h;
    struct story_edit e;
    struct dy_err err;
    story_history_init(&h, 5, 0);
    char *states[9];
    states[0] = state(s);
    for (int i = 1; i <= 8; i++) {
        hdo(&h, s, &e, story_edit_key_set(&e, s, &fox_x, i * 0.5, i, KEY_EASE_LINEAR, &err), 0);
        states[i] = state(s);
    }
    assert_int_equal(h.nundo, 5); /* 3 oldest dropped */
    int undone = 0;
    while (story_history_can_undo(&h)) {
        assert_int_equal(story_history_undo(&h, s, &err), 0);
        undone++;
    }
    assert_int_equal(undone, 5);
    assert_state(s, states[3]);
    for (int i = 0; i < 5; i++)
        assert_int_equal(story_history_redo(&h, s, &err), 0);
    assert_state(s, states[8]);
    story_history_fini(&h);

    /* bytes: removing actors keeps them in the history; a small cap keeps
     * only the newest steps, and always the last one */
    size_t one = 0;
    story_history_init(&h, 100, 1);
    hdo(&h, s, &e, story_edit_actor_remove(&e, s, "fox", &err), 0);
    assert_int_equal(h.nundo, 1);
    one = h.bytes;
    assert_true(one > sizeof(struct story_edit) + sizeof(struct story_actor));
    hdo(&h, s, &e, story_edit_actor_remove(&e, s, "doodle", &err), 0);
    assert_int_equal(h.nundo, 1);
    story_history_fini(&h);
    story_history_init(&h, 100, one * 3);
    hdo(&h, s, &e, story_edit_actor_remove(&e, s, "pic", &err), 0);
    hdo(&h, s, &e, story_edit_actor_remove(&e, s, "bubble", &err), 0);
    hdo(&h, s, &e, story_edit_key_set(&e, s, &s1_zoom, 3, 2, KEY_EASE_LINEAR, &err), 0);
    assert_int_equal(h.nundo, 3);
    assert_true(h.bytes <= one * 3);
    story_history_fini(&h);
    assert_valid(s);
    for (int i = 0; i <= 8; i++)
        free(states[i]);
    story_destroy(s);
}

/* ---- randomized ------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *st)
{
    /* xorshift64*: deterministic across platforms */
    uint64_t x = *st;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *st = x;
    return x * 2685821657736338717ull;
}

static size_t rnd(uint64_t *st, size_t n)
{
    return n ? (size_t)(rng_next(st) % n) : 0;
}

static double rnd_time(uint64_t *st)
{
    return (double)rnd(st, 33) * 0.25; /* a coarse grid: replacements and collisions */
}

/* A random actor of the story (NULL if none). */
static struct story_actor *rnd_actor(struct story *s, uint64_t *st, int want_kind)
{
    size_t total = 0;
    for (size_t i = 0; i < s->nscenes; i++)
        for (size_t k = 0; k < s->scenes[i].nactors; k++)
            total += want_kind < 0 || (int)s->scenes[i].actors[k].kind == want_kind;
    if (!total)
        return NULL;
    size_t pick = rnd(st, total);
    for (size_t i = 0; i < s->nscenes; i++)
        for (size_t k = 0; k < s->scenes[i].nactors; k++) {
            struct story_actor *a = &s->scenes[i].actors[k];
            if ((want_kind < 0 || (int)a->kind == want_kind) && pick-- == 0)
                return a;
        }
    return NULL;
}

/* A random track; its key count in *n. */
static struct story_track_ref rnd_track(struct story *s, uint64_t *st, size_t *n, double *lo,
                                        double *hi)
{
    struct story_track_ref r = {STORY_TRACK_CAMERA, s->scenes[rnd(st, s->nscenes)].id, NULL,
                                STORY_CAM_ZOOM};
    struct story_actor *a = rnd_actor(s, st, -1);
    size_t what = rnd(st, 10);
    *lo = 0.5, *hi = 2;
    if (a && what < 6) {
        r = (struct story_track_ref){STORY_TRACK_PROP, a->id, NULL, (int)rnd(st, STORY_PROP_COUNT)};
        bool unit = r.channel == STORY_PROP_OPACITY || r.channel == STORY_PROP_VISIBLE;
        *lo = unit ? 0 : -500, *hi = unit ? 1 : 500;
        *n = a->props[r.channel].n;
    } else if (a && a->kind == STORY_ACTOR_CHARACTER && what < 9) {
        size_t p = rnd(st, a->nparts);
        r = (struct story_track_ref){STORY_TRACK_PART, a->id, a->parts[p].id, 0};
        *lo = -180, *hi = 180;
        *n = a->part_rot[p].n;
    } else {
        *n = s->scenes[story_scene_find(s, r.id)].camera[STORY_CAM_ZOOM].n;
    }
    return r;
}

static double rnd_in(uint64_t *st, double lo, double hi)
{
    return lo + (hi - lo) * (double)rnd(st, 1001) / 1000.0;
}

/* Builds one random edit; returns the constructor's code. */
static int rnd_edit(struct story *s, const struct story *tpl, uint64_t *st, int *serial,
                    struct story_edit *e, struct dy_err *err)
{
    char id[32];
    struct story_scene *sc = &s->scenes[rnd(st, s->nscenes)];
    struct story_actor *a;
    size_t n;
    double lo, hi;
    switch (rnd(st, 20)) {
    case 0: case 1: case 2: case 3: {
        struct story_track_ref r = rnd_track(s, st, &n, &lo, &hi);
        return story_edit_key_set(e, s, &r, rnd_time(st), rnd_in(st, lo, hi),
                                  (enum key_ease)rnd(st, KEY_EASE_COUNT), err);
    }
    case 4: {
        struct story_track_ref r = rnd_track(s, st, &n, &lo, &hi);
        return story_edit_key_remove(e, s, &r, rnd(st, n + 1), err);
    }
    case 5: {
        struct story_track_ref r = rnd_track(s, st, &n, &lo, &hi);
        return story_edit_key_move(e, s, &r, rnd(st, n + 1), rnd_time(st), err);
    }
    case 6:
        snprintf(id, sizeof(id), "new%d", (*serial)++);
        return story_edit_actor_add(e, s, sc->id, (long)rnd(st, sc->nactors + 2) - 1, id,
                                    rnd(st, 2) ? STORY_ACTOR_DRAWING : STORY_ACTOR_TEXT, err);
    case 7:
        snprintf(id, sizeof(id), "copy%d", (*serial)++);
        if (rnd(st, 2) && (a = rnd_actor(s, st, -1)))
            return story_edit_actor_add_copy(e, s, sc->id, -1, s, a->id, id, err);
        return story_edit_actor_add_copy(e, s, sc->id, (long)rnd(st, sc->nactors + 1), tpl,
                                         rnd(st, 2) ? "cat" : "photo", id, err);
    case 8:
        if (!(a = rnd_actor(s, st, -1)))
            return DY_ENOTFOUND;
        return rnd(st, 2) ? story_edit_actor_remove(e, s, a->id, err)
                          : story_edit_actor_reorder(e, s, a->id, rnd(st, 4), err);
    case 9: {
        static const char *const texts[] = {"Алдар Көсе", "Жил", "fox", "", NULL, "Қош!"};
        if (!(a = rnd_actor(s, st, STORY_ACTOR_TEXT)))
            return DY_ENOTFOUND;
        return story_edit_text_set(e, s, a->id, (enum story_lang)rnd(st, 3), texts[rnd(st, 6)],
                                   err);
    }
    case 10: {
        double t0 = rnd_time(st), t1 = t0 + 0.25 + rnd_time(st);
        struct story_text t = {{(char *)"Сөз", NULL, (char *)"Word"}};
        switch (rnd(st, 3)) {
        case 0:
            return story_edit_caption_add(e, s, sc->id, (long)rnd(st, sc->ncaptions + 2) - 1,
                                          t0, t1, rnd(st, 2) ? &t : NULL, err);
        case 1:
            return story_edit_caption_remove(e, s, sc->id, rnd(st, sc->ncaptions + 1), err);
        default:
            return story_edit_caption_edit(e, s, sc->id, rnd(st, sc->ncaptions + 1), t0, t1,
                                           rnd(st, 2) ? &t : NULL, err);
        }
    }
    case 11:
        switch (rnd(st, 4)) {
        case 0:
            snprintf(id, sizeof(id), "scene%d", (*serial)++);
            return story_edit_scene_add(e, s, (long)rnd(st, s->nscenes + 2) - 1, id, err);
        case 1:
            return story_edit_scene_remove(e, s, sc->id, err);
        case 2:
            return story_edit_scene_reorder(e, s, sc->id, rnd(st, s->nscenes + 1), err);
        default:
            return story_edit_scene_duration(e, s, sc->id, 0.5 + rnd_time(st), err);
        }
    case 12: case 13: case 14: {
        a = rnd_actor(s, st, rnd(st, 2) ? STORY_ACTOR_DRAWING : STORY_ACTOR_CHARACTER);
        if (!a)
            return DY_ENOTFOUND;
        struct story_drawing_ref r = {a->id, NULL, -1};
        if (a->kind == STORY_ACTOR_CHARACTER)
            r.part_id = a->parts[rnd(st, a->nparts)].id;
        else if (a->nframes)
            r.frame = (long)rnd(st, a->nframes);
        if (rnd(st, 3) == 0)
            return story_edit_shape_remove(e, s, &r, rnd(st, 3), err);
        struct story_point pts[8];
        size_t np = 1 + rnd(st, 8);
        for (size_t i = 0; i < np; i++)
            pts[i] = (struct story_point){rnd_in(st, -300, 300), rnd_in(st, -300, 300),
                                          rnd_in(st, 0, 20)};
        struct story_shape sh = {.kind = rnd(st, 4) ? STORY_SHAPE_STROKE : STORY_SHAPE_FILL,
                                 .pts = pts, .n = np, .smooth = rnd(st, 2),
                                 .color = {0.25f, 0.5f, 0.75f, 1}, .line_w = 2};
        return story_edit_shape_add(e, s, &r, &sh, err);
    }
    case 15:
        if (!(a = rnd_actor(s, st, STORY_ACTOR_DRAWING)))
            return DY_ENOTFOUND;
        return story_edit_frame_add(e, s, a->id, rnd_time(st),
                                    a->nframes ? &a->frames[rnd(st, a->nframes)].drawing : NULL,
                                    err);
    case 16:
        if (!(a = rnd_actor(s, st, STORY_ACTOR_CHARACTER)))
            return DY_ENOTFOUND;
        return story_edit_part_pivot(e, s, a->id, a->parts[rnd(st, a->nparts)].id,
                                     rnd_in(st, -50, 50), rnd_in(st, -50, 50), err);
    default:
        switch (rnd(st, 3)) {
        case 0:
            return story_edit_audio_add(e, s, sc->id, "snd1", rnd_time(st), rnd_in(st, 0, 2),
                                        rnd_time(st), err);
        case 1:
            return story_edit_audio_remove(e, s, sc->id, rnd(st, sc->naudio + 1), err);
        default:
            return story_edit_audio_move(e, s, sc->id, rnd(st, sc->naudio + 1), rnd_time(st),
                                         err);
        }
    }
}

static void test_random_history(void **state_)
{
    struct story *s = make_story();
    struct story *tpl = make_template();
    struct story_history h;
    story_history_init(&h, 100000, (size_t)1 << 30);
    uint64_t rng = 0x5eed2024u;
    int serial = 0, done = 0, refused = 0, undos = 0, merged = 0;
    char *original = state(s);
    struct dy_err err;
    for (int i = 0; i < 2000; i++) {
        struct story_edit e;
        if (rnd(&rng, 12) == 0 && story_history_can_undo(&h)) {
            assert_int_equal(story_history_undo(&h, s, &err), 0);
            undos++;
            if (rnd(&rng, 2))
                assert_int_equal(story_history_redo(&h, s, &err), 0);
            assert_valid(s);
            continue;
        }
        int rc = rnd_edit(s, tpl, &rng, &serial, &e, &err);
        if (rc) {
            assert_true(rc < 0);
            assert_int_equal(e.kind, STORY_EDIT_NONE);
            refused++;
            if (getenv("EDIT_DEBUG"))
                print_message("refused %d: %s: %s\n", rc, err.where, err.msg);
            continue;
        }
        uint64_t key = rnd(&rng, 4) == 0 ? 1 + rnd(&rng, 2) : 0;
        size_t before = h.nundo;
        rc = key ? story_history_do_merge(&h, s, &e, key, &err) : story_history_do(&h, s, &e, &err);
        if (rc) {
            print_error("do: %s: %s\n", err.where, err.msg);
            fail();
        }
        merged += h.nundo == before;
        done++;
        assert_valid(s);
    }
    print_message("random: %d done (%d merged), %d refused, %d undos, %zu steps, %zu bytes\n",
                  done, merged, refused, undos, h.nundo, h.bytes);
    assert_true(done > 1000 && refused > 0 && merged > 0);
    char *final = state(s);
    int steps = 0;
    while (story_history_can_undo(&h)) {
        assert_int_equal(story_history_undo(&h, s, &err), 0);
        assert_valid(s);
        steps++;
    }
    assert_state(s, original);
    for (int i = 0; i < steps; i++) {
        assert_int_equal(story_history_redo(&h, s, &err), 0);
        assert_valid(s);
    }
    assert_state(s, final);
    story_history_fini(&h);
    assert_valid(s);
    free(original);
    free(final);
    story_destroy(tpl);
    story_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_edits),
        cmocka_unit_test(test_actor_edits),
        cmocka_unit_test(test_scene_caption_audio_edits),
        cmocka_unit_test(test_drawing_edits),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_stale_edit),
        cmocka_unit_test(test_history_merge),
        cmocka_unit_test(test_history_caps),
        cmocka_unit_test(test_random_history),
    };
    return cmocka_run_group_tests_name("story_edit", tests, NULL, NULL);
}
