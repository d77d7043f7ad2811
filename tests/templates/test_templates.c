/* test_templates.c: checks the bundled content, the character templates
 * (templates/characters, one .json each) and the sample story
 * (templates/stories/aldar-kose/), through the real loader (and the renderer
 * when it is built):
 *   - every template loads, validates, holds one character actor named after
 *     its file, with >= 5 parts, a "head", pivots for the joints, rotation
 *     tracks on several parts, and a size of a children's-book character;
 *   - the sample story has >= 2 scenes of 8-12 s, >= 3 characters whose parts
 *     move, captions in kk/ru/en (with Kazakh letters), a speech bubble,
 *     camera keys, several kinds of ease and a voice clip;
 *   - rendered at 320x180 a template covers a plausible share of the frame
 *     and its idle animation moves; two times of each sample scene differ. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daryn/storyio.h"
#include "daryn/story.h"
#ifdef TEMPLATES_HAVE_RENDER
#include "daryn/render.h"
#endif

#define CHAR_DIR DARYN_SOURCE_DIR "/templates/characters"
#define SAMPLE_DIR DARYN_SOURCE_DIR "/templates/stories/aldar-kose"
#define MAX_TEMPLATES 64

struct tlist {
    char name[MAX_TEMPLATES][64]; /* file names without ".json", sorted */
    int n;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void templates_list(struct tlist *tl)
{
    DIR *d = opendir(CHAR_DIR);
    assert_non_null(d);
    tl->n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 5 && len - 5 < sizeof(tl->name[0]) && strcmp(e->d_name + len - 5, ".json") == 0) {
            assert_true(tl->n < MAX_TEMPLATES);
            memcpy(tl->name[tl->n], e->d_name, len - 5);
            tl->name[tl->n][len - 5] = '\0';
            tl->n++;
        }
    }
    closedir(d);
    qsort(tl->name, (size_t)tl->n, sizeof(tl->name[0]), name_cmp);
}

static struct story *load_or_fail(const char *path)
{
    struct story *s = NULL;
    struct dy_err err;
    dy_err_clear(&err);
    int rc = storyio_load(path, &s, &err);
    if (rc != 0) {
        char buf[1200];
        fail_msg("%s: %s", path, dy_err_format(&err, buf, sizeof(buf)));
    }
    dy_err_clear(&err);
    rc = story_validate(s, &err);
    if (rc != 0) {
        char buf[1200];
        fail_msg("%s: validate: %s", path, dy_err_format(&err, buf, sizeof(buf)));
    }
    return s;
}

static struct story *template_load(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.json", CHAR_DIR, name);
    return load_or_fail(path);
}

static long part_find(const struct story_actor *a, const char *id)
{
    for (size_t i = 0; i < a->nparts; i++) {
        if (strcmp(a->parts[i].id, id) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static size_t parts_moving(const struct story_actor *a)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nparts; i++) {
        if (a->part_rot[i].n >= 2) {
            n++;
        }
    }
    return n;
}

/* Bounding box of every drawn point of a character at time t, in actor
 * units (part transforms composed, the actor's own transform left out). */
static void character_bbox(const struct story_actor *a, double t, double box[4])
{
    double m[STORY_MAX_PARTS][6]; /* affine [a b c d e f]: x' = a x + c y + e */
    box[0] = box[1] = INFINITY;
    box[2] = box[3] = -INFINITY;
    assert_true(a->nparts <= STORY_MAX_PARTS);
    for (size_t i = 0; i < a->nparts; i++) {
        const struct story_part *p = &a->parts[i];
        double r = story_part_rotation(a, i, t) * M_PI / 180.0;
        double l[6] = {cos(r), sin(r), -sin(r), cos(r), p->pivot_x, p->pivot_y};
        if (p->parent < 0) {
            memcpy(m[i], l, sizeof(l));
        } else {
            assert_true((size_t)p->parent < i); /* parents come first */
            const double *q = m[p->parent];
            m[i][0] = q[0] * l[0] + q[2] * l[1];
            m[i][1] = q[1] * l[0] + q[3] * l[1];
            m[i][2] = q[0] * l[2] + q[2] * l[3];
            m[i][3] = q[1] * l[2] + q[3] * l[3];
            m[i][4] = q[0] * l[4] + q[2] * l[5] + q[4];
            m[i][5] = q[1] * l[4] + q[3] * l[5] + q[5];
        }
        const struct story_drawing *d = &p->visual.drawing;
        for (size_t s = 0; s < d->n; s++) {
            for (size_t k = 0; k < d->shapes[s].n; k++) {
                const struct story_point *pt = &d->shapes[s].pts[k];
                double x = m[i][0] * pt->x + m[i][2] * pt->y + m[i][4];
                double y = m[i][1] * pt->x + m[i][3] * pt->y + m[i][5];
                box[0] = fmin(box[0], x);
                box[1] = fmin(box[1], y);
                box[2] = fmax(box[2], x);
                box[3] = fmax(box[3], y);
            }
        }
    }
}

/* ---- templates ----------------------------------------------------------- */

static void test_templates_required_set(void **state)
{
    (void)state;
    struct tlist tl;
    templates_list(&tl);
    assert_true(tl.n >= 6);
    const char *need[] = {"fox", "wolf", "bear", "girl", "boy", "horse"};
    for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
        int found = 0;
        for (int k = 0; k < tl.n; k++) {
            found |= strcmp(tl.name[k], need[i]) == 0;
        }
        if (!found) {
            fail_msg("template %s.json is missing", need[i]);
        }
    }
}

static void test_templates_structure(void **state)
{
    (void)state;
    struct tlist tl;
    templates_list(&tl);
    for (int k = 0; k < tl.n; k++) {
        struct story *s = template_load(tl.name[k]);
        assert_int_equal(s->nscenes, 1);
        const struct story_scene *sc = &s->scenes[0];
        assert_int_equal(sc->nactors, 1);
        const struct story_actor *a = &sc->actors[0];
        assert_int_equal(a->kind, STORY_ACTOR_CHARACTER);
        assert_non_null(a->template_name);
        assert_string_equal(a->template_name, tl.name[k]);
        assert_string_equal(a->id, tl.name[k]);
        assert_non_null(a->name);
        assert_true(a->nparts >= 5);
        for (int l = 0; l < STORY_LANG_COUNT; l++) {
            assert_true(strlen(story_text_get(&s->title, (enum story_lang)l)) > 0);
        }

        /* A body root at the origin and a head on a neck pivot above it. */
        long body = part_find(a, "body");
        long head = part_find(a, "head");
        if (body < 0 || head < 0) {
            fail_msg("%s: needs parts body and head", tl.name[k]);
        }
        assert_int_equal(a->parts[body].parent, -1);
        assert_int_equal(a->parts[head].parent, (int)body);
        assert_true(a->parts[head].pivot_y < -100.0);
        assert_true(a->part_rot[head].n >= 2);

        /* Joints: every non-root part turns about a pivot that is not the
         * body origin, and several parts (head, limbs, tail) animate. */
        for (size_t i = 0; i < a->nparts; i++) {
            const struct story_part *p = &a->parts[i];
            assert_true(p->visual.drawing.n > 0 || p->visual.media_id != NULL);
            if (p->parent >= 0) {
                assert_true(p->pivot_x != 0.0 || p->pivot_y != 0.0);
            }
        }
        if (parts_moving(a) < 4) {
            fail_msg("%s: only %zu parts have rotation keys", tl.name[k], parts_moving(a));
        }

        /* A children's-book scale: 250..720 units tall, standing on the
         * ground at the actor origin, and the whole character on canvas. */
        double box[4];
        character_bbox(a, 0.0, box);
        double h = box[3] - box[1];
        if (h < 250.0 || h > 720.0) {
            fail_msg("%s: %.0f units tall", tl.name[k], h);
        }
        assert_true(fabs(box[3]) < 25.0);
        struct story_actor_state st;
        story_actor_eval(a, 0.0, &st);
        assert_true(st.x + box[0] * st.scale_x >= 0 && st.x + box[2] * st.scale_x <= s->width);
        assert_true(st.y + box[1] >= 0 && st.y + box[3] <= s->height);
        story_destroy(s);
    }
}

/* Parts id list per kind of body plan (the studio relies on these ids). */
static void test_templates_part_ids(void **state)
{
    (void)state;
    struct tlist tl;
    templates_list(&tl);
    const char *people[] = {"head", "arm_l", "arm_r", "leg_l", "leg_r", "eyelids", "hat"};
    const char *animals[] = {"head", "ear_near", "ear_far", "leg_front_near", "leg_front_far",
                             "leg_back_near", "leg_back_far", "tail"};
    const char *birds[] = {"head", "wing_near", "wing_far", "leg_near", "leg_far", "tail"};
    for (int k = 0; k < tl.n; k++) {
        struct story *s = template_load(tl.name[k]);
        const struct story_actor *a = &s->scenes[0].actors[0];
        int is_person = part_find(a, "arm_l") >= 0;
        int is_bird = part_find(a, "wing_near") >= 0;
        const char **ids = is_person ? people : is_bird ? birds : animals;
        size_t n = is_person ? sizeof(people) / sizeof(people[0])
                   : is_bird ? sizeof(birds) / sizeof(birds[0])
                             : sizeof(animals) / sizeof(animals[0]);
        for (size_t i = 0; i < n; i++) {
            if (part_find(a, ids[i]) < 0) {
                fail_msg("%s: part %s is missing", tl.name[k], ids[i]);
            }
        }
        if (is_person) {
            /* The blink swings the lids; it must be a step key pair. */
            long lid = part_find(a, "eyelids");
            const struct key_track *tr = &a->part_rot[lid];
            assert_true(tr->n >= 3);
            assert_int_equal(tr->keys[0].ease, KEY_EASE_STEP);
            assert_true(part_find(a, "hat") > lid); /* hat drawn over the resting lids */
            assert_true(a->parts[part_find(a, "hat")].z > a->parts[lid].z);
        }
        story_destroy(s);
    }
}

/* ---- sample story -------------------------------------------------------- */

static int has_kazakh_letter(const char *s)
{
    /* ә ғ қ ң ө ұ ү һ і (and capitals), as UTF-8 */
    static const char *const kk[] = {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і",
                                     "Ә", "Ғ", "Қ", "Ң", "Ө", "Ұ", "Ү", "Һ", "І"};
    for (size_t i = 0; i < sizeof(kk) / sizeof(kk[0]); i++) {
        if (strstr(s, kk[i])) {
            return 1;
        }
    }
    return 0;
}

static void ease_mark(const struct key_track *tr, int *seen)
{
    for (size_t i = 0; i + 1 < tr->n; i++) {
        seen[tr->keys[i].ease] = 1;
    }
}

static void test_sample_story(void **state)
{
    (void)state;
    struct story *s = load_or_fail(SAMPLE_DIR);
    assert_true(s->nscenes >= 2);
    for (int l = 0; l < STORY_LANG_COUNT; l++) {
        assert_true(strlen(story_text_get(&s->title, (enum story_lang)l)) > 0);
    }

    int eases[KEY_EASE_COUNT] = {0};
    int bubbles = 0, camera = 0, audio = 0, kk_letters = 0;
    char templ[16][64];
    int ntempl = 0;
    for (size_t i = 0; i < s->nscenes; i++) {
        const struct story_scene *sc = &s->scenes[i];
        assert_true(sc->duration_s >= 8.0 && sc->duration_s <= 12.0);
        assert_true(sc->ncaptions >= 1);
        for (size_t c = 0; c < sc->ncaptions; c++) {
            const struct story_text *t = &sc->captions[c].text;
            for (int l = 0; l < STORY_LANG_COUNT; l++) {
                if (!t->s[l] || !t->s[l][0]) {
                    fail_msg("scene %zu caption %zu: no %s text", i, c,
                             story_lang_code((enum story_lang)l));
                }
            }
            kk_letters |= has_kazakh_letter(t->s[STORY_LANG_KK]);
            assert_true(sc->captions[c].end_s <= sc->duration_s);
        }
        for (int k = 0; k < STORY_CAM_COUNT; k++) {
            camera |= sc->camera[k].n >= 2;
            ease_mark(&sc->camera[k], eases);
        }
        for (size_t c = 0; c < sc->naudio; c++) {
            const struct story_media *m = story_media_find(s, sc->audio[c].media_id);
            assert_non_null(m);
            assert_int_equal(m->kind, STORY_MEDIA_AUDIO);
            assert_true(m->size > 44 && memcmp(m->data, "RIFF", 4) == 0);
            audio++;
        }
        for (size_t k = 0; k < sc->nactors; k++) {
            const struct story_actor *a = &sc->actors[k];
            for (int p = 0; p < STORY_PROP_COUNT; p++) {
                ease_mark(&a->props[p], eases);
            }
            if (a->kind == STORY_ACTOR_TEXT && a->bubble == STORY_BUBBLE_SPEECH) {
                for (int l = 0; l < STORY_LANG_COUNT; l++) {
                    assert_non_null(a->text.s[l]);
                    assert_true(a->text.s[l][0] != '\0');
                }
                bubbles++;
            }
            if (a->kind != STORY_ACTOR_CHARACTER) {
                continue;
            }
            for (size_t p = 0; p < a->nparts; p++) {
                ease_mark(&a->part_rot[p], eases);
            }
            /* moving parts: limbs and heads really turn during the scene */
            size_t moving = 0;
            for (size_t p = 0; p < a->nparts; p++) {
                double lo = INFINITY, hi = -INFINITY;
                for (double t = 0; t <= sc->duration_s; t += 0.1) {
                    double r = story_part_rotation(a, p, t);
                    lo = fmin(lo, r);
                    hi = fmax(hi, r);
                }
                moving += hi - lo >= 5.0;
            }
            if (moving >= 3 && a->template_name) {
                int known = 0;
                for (int q = 0; q < ntempl; q++) {
                    known |= strcmp(templ[q], a->template_name) == 0;
                }
                if (!known && ntempl < 16) {
                    snprintf(templ[ntempl++], sizeof(templ[0]), "%s", a->template_name);
                }
            }
        }
    }
    assert_true(ntempl >= 3); /* aldar, bai, horse */
    assert_true(bubbles >= 1);
    assert_true(camera);
    assert_true(audio >= 1);
    assert_true(kk_letters);
    assert_true(eases[KEY_EASE_STEP]);
    assert_true(eases[KEY_EASE_OVERSHOOT]);
    assert_true(eases[KEY_EASE_IN_OUT]);
    int kinds = 0;
    for (int e = 0; e < KEY_EASE_COUNT; e++) {
        kinds += eases[e];
    }
    assert_true(kinds >= 4);

    /* Media stays small (< 1 MB together). */
    size_t bytes = 0;
    for (size_t m = 0; m < s->nmedia; m++) {
        bytes += s->media[m].size;
    }
    assert_true(bytes < 1000000);
    story_destroy(s);
}

/* The sample can be packed as a .daryn (what "save as" in the studio does)
 * and reads back with the same scenes, actors and media bytes. */
static void test_sample_story_pack(void **state)
{
    (void)state;
    struct story *s = load_or_fail(SAMPLE_DIR);
    uint8_t *zip = NULL;
    size_t size = 0;
    struct dy_err err;
    dy_err_clear(&err);
    char buf[1200];
    if (storyio_save_mem(s, &zip, &size, &err) != 0) {
        fail_msg("save: %s", dy_err_format(&err, buf, sizeof(buf)));
    }
    struct story *back = NULL;
    if (storyio_load_mem(zip, size, "aldar-kose.daryn", &back, &err) != 0) {
        fail_msg("reload: %s", dy_err_format(&err, buf, sizeof(buf)));
    }
    assert_int_equal(back->nscenes, s->nscenes);
    assert_int_equal(back->nmedia, s->nmedia);
    for (size_t i = 0; i < s->nscenes; i++) {
        assert_int_equal(back->scenes[i].nactors, s->scenes[i].nactors);
        assert_int_equal(back->scenes[i].ncaptions, s->scenes[i].ncaptions);
    }
    for (size_t m = 0; m < s->nmedia; m++) {
        assert_int_equal(back->media[m].size, s->media[m].size);
        assert_memory_equal(back->media[m].data, s->media[m].data, s->media[m].size);
    }
    free(zip);
    story_destroy(back);
    story_destroy(s);
}

#ifdef TEMPLATES_HAVE_RENDER
/* ---- pixels -------------------------------------------------------------- */

static uint32_t px(const struct render_image *img, int x, int y)
{
    return ((const uint32_t *)(const void *)(img->data + (size_t)y * (size_t)img->stride))[x];
}

static int px_differ(uint32_t a, uint32_t b, int tol)
{
    for (int sh = 0; sh < 24; sh += 8) {
        int d = (int)((a >> sh) & 0xff) - (int)((b >> sh) & 0xff);
        if (d > tol || d < -tol) {
            return 1;
        }
    }
    return 0;
}

static void render_at(const struct story *s, size_t scene, double t, struct render_image *img)
{
    struct render_ctx *rc = NULL;
    struct dy_err err;
    dy_err_clear(&err);
    char buf[1200];
    if (render_create(s, &rc, &err) != 0) {
        fail_msg("render_create: %s", dy_err_format(&err, buf, sizeof(buf)));
    }
    struct render_opts o = {.caption_lang = STORY_LANG_KK, .burn_captions = 0};
    assert_int_equal(render_image_init(img, 320, 180), 0);
    if (render_scene_at(rc, scene, t, &o, img, &err) != 0) {
        fail_msg("render: %s", dy_err_format(&err, buf, sizeof(buf)));
    }
    render_destroy(rc);
}

static double fraction_differing(const struct render_image *a, const struct render_image *b)
{
    size_t n = 0;
    for (int y = 0; y < a->height; y++) {
        for (int x = 0; x < a->width; x++) {
            n += (size_t)px_differ(px(a, x, y), px(b, x, y), 24);
        }
    }
    return (double)n / ((double)a->width * a->height);
}

static void test_templates_render(void **state)
{
    (void)state;
    struct tlist tl;
    templates_list(&tl);
    for (int k = 0; k < tl.n; k++) {
        struct story *s = template_load(tl.name[k]);
        const struct story_color *bg = &s->scenes[0].background;
        uint32_t bgpx = 0xff000000u | (uint32_t)lround(bg->r * 255) << 16 |
                        (uint32_t)lround(bg->g * 255) << 8 | (uint32_t)lround(bg->b * 255);
        struct render_image a, b;
        render_at(s, 0, 0.0, &a);
        render_at(s, 0, 1.5, &b);
        /* The character covers a plausible share of the frame: not a dot,
         * not a flood; and it is drawn in colours, not only outlines. */
        size_t cover = 0, dark = 0;
        for (int y = 0; y < a.height; y++) {
            for (int x = 0; x < a.width; x++) {
                uint32_t p = px(&a, x, y);
                if (px_differ(p, bgpx, 24)) {
                    cover++;
                    int lum = (int)((p >> 16) & 0xff) + (int)((p >> 8) & 0xff) + (int)(p & 0xff);
                    dark += lum < 150;
                }
            }
        }
        double f = (double)cover / (320.0 * 180.0);
        if (f < 0.03 || f > 0.5) {
            fail_msg("%s covers %.3f of the frame", tl.name[k], f);
        }
        if ((double)dark > 0.6 * (double)cover) {
            fail_msg("%s: mostly outline (%zu of %zu pixels dark)", tl.name[k], dark, cover);
        }
        /* Its idle animation moves it. */
        double moved = fraction_differing(&a, &b);
        if (moved < 0.002) {
            fail_msg("%s: frames at 0 s and 1.5 s are the same", tl.name[k]);
        }
        render_image_fini(&a);
        render_image_fini(&b);
        story_destroy(s);
    }
}

static void test_sample_render(void **state)
{
    (void)state;
    struct story *s = load_or_fail(SAMPLE_DIR);
    for (size_t i = 0; i < s->nscenes; i++) {
        struct render_image a, b;
        render_at(s, i, 1.0, &a);
        render_at(s, i, 0.6 * s->scenes[i].duration_s, &b);
        double moved = fraction_differing(&a, &b);
        if (moved < 0.02) {
            fail_msg("scene %zu: only %.4f of the frame changes", i, moved);
        }
        render_image_fini(&a);
        render_image_fini(&b);
    }
    story_destroy(s);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates_required_set),
        cmocka_unit_test(test_templates_structure),
        cmocka_unit_test(test_templates_part_ids),
        cmocka_unit_test(test_sample_story),
        cmocka_unit_test(test_sample_story_pack),
#ifdef TEMPLATES_HAVE_RENDER
        cmocka_unit_test(test_templates_render),
        cmocka_unit_test(test_sample_render),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
