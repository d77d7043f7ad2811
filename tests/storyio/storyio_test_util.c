/* storyio_test_util.c: the full sample story, field-by-field comparison and
 * zip/file helpers shared by the storyio tests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "storyio_test_util.h"

#define C255(r, g, b, a) \
    ((struct story_color){(r) / 255.0f, (g) / 255.0f, (b) / 255.0f, (a) / 255.0f})

const char *test_out_dir(void)
{
    return STORYIO_TEST_OUT;
}

uint8_t *test_file_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = n > 0 ? (size_t)n : 0;
    return buf;
}

void test_file_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

void test_zip_make(const struct test_member *m, size_t n, uint8_t **out,
                   size_t *size)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_t *za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_keep(src);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *ms = zip_source_buffer(za, m[i].data, m[i].size, 0);
        assert_non_null(ms);
        zip_int64_t idx = zip_file_add(za, m[i].name, ms, ZIP_FL_ENC_RAW);
        assert_true(idx >= 0);
        zip_set_file_compression(za, (zip_uint64_t)idx,
                                 m[i].deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t len = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    *out = malloc((size_t)len);
    assert_non_null(*out);
    assert_int_equal(zip_source_read(src, *out, (zip_uint64_t)len), len);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *size = (size_t)len;
}

static void add_media(struct story *s, const char *id, const char *path,
                      enum story_media_kind kind)
{
    char full[1024];
    snprintf(full, sizeof(full), "%s/%s", TEST_DATA_DIR, path);
    size_t size = 0;
    uint8_t *data = test_file_read(full, &size);
    assert_non_null(data);
    assert_non_null(story_media_add(s, id, path, kind, data, size));
    free(data);
}

static void set_text3(struct story_text *t, const char *kk, const char *ru,
                      const char *en)
{
    assert_int_equal(story_text_set(t, STORY_LANG_KK, kk), 0);
    assert_int_equal(story_text_set(t, STORY_LANG_RU, ru), 0);
    assert_int_equal(story_text_set(t, STORY_LANG_EN, en), 0);
}

static void add_stroke(struct story_drawing *d, double x0, int closed)
{
    struct story_shape *sh = story_drawing_add(d, STORY_SHAPE_STROKE);
    assert_non_null(sh);
    sh->color = C255(58, 42, 26, 255);
    sh->closed = closed;
    sh->smooth = true;
    assert_int_equal(story_shape_add_point(sh, x0, 0.1, 4), 0);
    assert_int_equal(story_shape_add_point(sh, x0 + 1.0 / 3, -20.25, 6.5), 0);
    assert_int_equal(story_shape_add_point(sh, x0 + 40, 1e-7, 0), 0);
}

static void add_fill(struct story_drawing *d)
{
    struct story_shape *sh = story_drawing_add(d, STORY_SHAPE_FILL);
    assert_non_null(sh);
    sh->color = C255(224, 112, 32, 200);
    sh->line = C255(58, 42, 26, 255);
    sh->line_w = 4;
    sh->smooth = false;
    assert_int_equal(story_shape_add_point(sh, -30, -30, 0), 0);
    assert_int_equal(story_shape_add_point(sh, 30, -30, 0), 0);
    assert_int_equal(story_shape_add_point(sh, 0, 123456.789, 0), 0);
}

static void add_keys(struct key_track *tr, double v0, int n)
{
    for (int i = 0; i < n; i++) {
        assert_int_equal(key_track_set(tr, 0.5 * i + 0.1 * (i > 0),
                                       v0 + 0.1 * i,
                                       (enum key_ease)(i % KEY_EASE_COUNT)), 0);
    }
}

static void scene1_actors(struct story_scene *sc)
{
    /* Character: body (root) -> head, tail (svg media), head -> ear. */
    struct story_actor *a = story_actor_add(sc, "fox", STORY_ACTOR_CHARACTER);
    assert_non_null(a);
    a->name = strdup("Түлкі");
    a->template_name = strdup("fox-standing");
    for (int p = 0; p < STORY_PROP_COUNT; p++) {
        double v0 = p == STORY_PROP_OPACITY || p == STORY_PROP_VISIBLE ? 0.2
                                                                       : 10.0 * p;
        add_keys(&a->props[p], v0, p == STORY_PROP_X ? KEY_EASE_COUNT + 1 : 2);
    }
    struct story_part *body = story_part_add(a, "body", -1);
    assert_non_null(body);
    add_fill(&body->visual.drawing);
    add_stroke(&body->visual.drawing, 0, 0);
    struct story_part *head = story_part_add(a, "head", 0);
    assert_non_null(head);
    head->pivot_x = 0;
    head->pivot_y = -120;
    head->rest_rotation = -7.5;
    head->z = 1;
    add_stroke(&head->visual.drawing, 5, 1);
    struct story_part *tail = story_part_add(a, "tail", 0);
    assert_non_null(tail);
    tail->pivot_x = 40;
    tail->pivot_y = -10;
    tail->z = -1;
    tail->visual.media_id = strdup("tailsvg");
    tail->visual.x = -10;
    tail->visual.y = 0;
    tail->visual.w = 20;
    tail->visual.h = 90;
    struct story_part *ear = story_part_add(a, "ear", 1);
    assert_non_null(ear);
    ear->pivot_x = 10;
    ear->pivot_y = -30;
    add_fill(&ear->visual.drawing);
    add_keys(&a->part_rot[1], -15, 3);
    add_keys(&a->part_rot[2], 30, 4);

    struct story_actor *tree = story_actor_add(sc, "tree", STORY_ACTOR_DRAWING);
    assert_non_null(tree);
    add_fill(&tree->drawing);
    add_keys(&tree->props[STORY_PROP_X], 300, 3);

    struct story_actor *fl = story_actor_add(sc, "flame", STORY_ACTOR_DRAWING);
    assert_non_null(fl);
    for (int i = 0; i < 3; i++) {
        struct story_frame *f = story_frame_add(fl, 0.25 * i);
        assert_non_null(f);
        add_stroke(&f->drawing, i, i & 1);
    }

    struct story_actor *sun = story_actor_add(sc, "sun", STORY_ACTOR_IMAGE);
    assert_non_null(sun);
    sun->image.media_id = strdup("img");
    sun->image.x = -64;
    sun->image.y = -64.5;
    sun->image.w = 128;
    sun->image.h = 0.1;

    struct story_actor *t = story_actor_add(sc, "hello", STORY_ACTOR_TEXT);
    assert_non_null(t);
    set_text3(&t->text, "Сәлем!", "Привет!", "Hello, \"world\"\n\\ok");
    t->font_size = 36.5;
    t->box_w = 500;
    t->text_color = C255(32, 32, 32, 255);
    t->bubble_color = C255(255, 255, 255, 230);
    t->bubble = STORY_BUBBLE_SPEECH;
    t->tail_x = -80;
    t->tail_y = 140;
}

struct story *test_story_full(void)
{
    struct story *s = story_create();
    assert_non_null(s);
    set_text3(&s->title, "Алдар Көсе", "Алдар Косе", "Aldar Kose");
    s->author = strdup("Oskemen library, group 3");
    s->width = 1280;
    s->height = 720;
    add_media(s, "img", "media/a.png", STORY_MEDIA_IMAGE);
    add_media(s, "tailsvg", "media/b.svg", STORY_MEDIA_SVG);
    add_media(s, "voice", "media/c.wav", STORY_MEDIA_AUDIO);

    struct story_scene *sc = story_scene_add(s, "s1");
    assert_non_null(sc);
    set_text3(&sc->title, "Байдың үйі", "Юрта бая", "The bai's yurt");
    sc->duration_s = 8.5;
    sc->background = C255(159, 211, 240, 255);
    sc->background_media = strdup("img");
    add_keys(&sc->camera[STORY_CAM_X], 640, 2);
    add_keys(&sc->camera[STORY_CAM_Y], 360, 2);
    add_keys(&sc->camera[STORY_CAM_ZOOM], 1, 3);
    scene1_actors(sc);
    struct story_caption *c = story_caption_add(sc, 0.5, 3);
    assert_non_null(c);
    set_text3(&c->text, "Бір күні...", "Однажды...", "One day...");
    c = story_caption_add(sc, 3, 8.25);
    assert_non_null(c);
    assert_int_equal(story_text_set(&c->text, STORY_LANG_EN, "Only English"), 0);
    struct story_audio *au = story_audio_add(sc, "voice", 0.5, 0.8);
    assert_non_null(au);
    au->trim_s = 0.125;

    struct story_scene *s2 = story_scene_add(s, "s2");
    assert_non_null(s2);
    s2->duration_s = 2;
    s2->background = C255(0, 0, 0, 128);
    struct story_actor *t = story_actor_add(s2, "think", STORY_ACTOR_TEXT);
    assert_non_null(t);
    assert_int_equal(story_text_set(&t->text, STORY_LANG_RU, "Хм..."), 0);
    t->bubble = STORY_BUBBLE_THOUGHT;
    t->text_color = C255(10, 20, 30, 255);
    t->bubble_color = C255(250, 250, 250, 255);
    return s;
}

/* ---- comparison --------------------------------------------------------- */

static void eq_str(const char *a, const char *b)
{
    if (!a || !b) {
        assert_ptr_equal(a, b);
    } else {
        assert_string_equal(a, b);
    }
}

static void eq_text(const struct story_text *a, const struct story_text *b)
{
    for (int l = 0; l < STORY_LANG_COUNT; l++) {
        eq_str(a->s[l], b->s[l]);
    }
}

static void eq_color(struct story_color a, struct story_color b)
{
    assert_true(a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a);
}

static void eq_track(const struct key_track *a, const struct key_track *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_true(a->keys[i].time_s == b->keys[i].time_s);
        assert_true(a->keys[i].value == b->keys[i].value);
        assert_int_equal(a->keys[i].ease, b->keys[i].ease);
    }
}

static void eq_drawing(const struct story_drawing *a,
                       const struct story_drawing *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        const struct story_shape *x = &a->shapes[i], *y = &b->shapes[i];
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->closed, y->closed);
        assert_int_equal(x->smooth, y->smooth);
        eq_color(x->color, y->color);
        eq_color(x->line, y->line);
        assert_true(x->line_w == y->line_w);
        assert_int_equal(x->n, y->n);
        for (size_t p = 0; p < x->n; p++) {
            assert_true(x->pts[p].x == y->pts[p].x);
            assert_true(x->pts[p].y == y->pts[p].y);
            assert_true(x->pts[p].w == y->pts[p].w);
        }
    }
}

static void eq_visual(const struct story_visual *a, const struct story_visual *b)
{
    eq_drawing(&a->drawing, &b->drawing);
    eq_str(a->media_id, b->media_id);
    assert_true(a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h);
}

static void eq_actor(const struct story_actor *a, const struct story_actor *b)
{
    eq_str(a->id, b->id);
    eq_str(a->name, b->name);
    eq_str(a->template_name, b->template_name);
    assert_int_equal(a->kind, b->kind);
    for (int p = 0; p < STORY_PROP_COUNT; p++) {
        eq_track(&a->props[p], &b->props[p]);
    }
    assert_int_equal(a->nparts, b->nparts);
    for (size_t i = 0; i < a->nparts; i++) {
        const struct story_part *x = &a->parts[i], *y = &b->parts[i];
        eq_str(x->id, y->id);
        assert_int_equal(x->parent, y->parent);
        assert_true(x->pivot_x == y->pivot_x && x->pivot_y == y->pivot_y);
        assert_true(x->rest_rotation == y->rest_rotation);
        assert_int_equal(x->z, y->z);
        eq_visual(&x->visual, &y->visual);
        eq_track(&a->part_rot[i], &b->part_rot[i]);
    }
    eq_drawing(&a->drawing, &b->drawing);
    assert_int_equal(a->nframes, b->nframes);
    for (size_t i = 0; i < a->nframes; i++) {
        assert_true(a->frames[i].start_s == b->frames[i].start_s);
        eq_drawing(&a->frames[i].drawing, &b->frames[i].drawing);
    }
    eq_visual(&a->image, &b->image);
    if (a->kind == STORY_ACTOR_TEXT) {
        eq_text(&a->text, &b->text);
        assert_true(a->font_size == b->font_size);
        assert_true(a->box_w == b->box_w);
        eq_color(a->text_color, b->text_color);
        eq_color(a->bubble_color, b->bubble_color);
        assert_int_equal(a->bubble, b->bubble);
        assert_true(a->tail_x == b->tail_x && a->tail_y == b->tail_y);
    }
}

static void eq_scene(const struct story_scene *a, const struct story_scene *b)
{
    eq_str(a->id, b->id);
    eq_text(&a->title, &b->title);
    assert_true(a->duration_s == b->duration_s);
    eq_color(a->background, b->background);
    eq_str(a->background_media, b->background_media);
    for (int c = 0; c < STORY_CAM_COUNT; c++) {
        eq_track(&a->camera[c], &b->camera[c]);
    }
    assert_int_equal(a->nactors, b->nactors);
    for (size_t i = 0; i < a->nactors; i++) {
        eq_actor(&a->actors[i], &b->actors[i]);
    }
    assert_int_equal(a->ncaptions, b->ncaptions);
    for (size_t i = 0; i < a->ncaptions; i++) {
        assert_true(a->captions[i].start_s == b->captions[i].start_s);
        assert_true(a->captions[i].end_s == b->captions[i].end_s);
        eq_text(&a->captions[i].text, &b->captions[i].text);
    }
    assert_int_equal(a->naudio, b->naudio);
    for (size_t i = 0; i < a->naudio; i++) {
        eq_str(a->audio[i].media_id, b->audio[i].media_id);
        assert_true(a->audio[i].start_s == b->audio[i].start_s);
        assert_true(a->audio[i].volume == b->audio[i].volume);
        assert_true(a->audio[i].trim_s == b->audio[i].trim_s);
    }
}

void test_assert_story_equal(const struct story *a, const struct story *b)
{
    eq_text(&a->title, &b->title);
    eq_str(a->author, b->author);
    assert_true(a->width == b->width && a->height == b->height);
    assert_int_equal(a->nmedia, b->nmedia);
    for (size_t i = 0; i < a->nmedia; i++) {
        eq_str(a->media[i].id, b->media[i].id);
        eq_str(a->media[i].path, b->media[i].path);
        assert_int_equal(a->media[i].kind, b->media[i].kind);
        assert_int_equal(a->media[i].size, b->media[i].size);
        assert_memory_equal(a->media[i].data, b->media[i].data,
                            a->media[i].size);
    }
    assert_int_equal(a->nscenes, b->nscenes);
    for (size_t i = 0; i < a->nscenes; i++) {
        eq_scene(&a->scenes[i], &b->scenes[i]);
    }
}
