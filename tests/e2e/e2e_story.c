/* e2e_story.c: see e2e_story.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/story.h"
#include "daryn/storyio.h"

#include "e2e_story.h"

static struct story *build(double dur_s, bool caption)
{
    struct story *s = story_create();
    struct story_scene *sc = s ? story_scene_add(s, "one") : NULL;
    if (!sc) {
        story_destroy(s);
        return NULL;
    }
    sc->duration_s = dur_s;
    sc->background = (struct story_color){1, 1, 1, 1};
    story_text_set(&s->title, STORY_LANG_EN, "E2E");
    struct story_actor *a = story_actor_add(sc, "square", STORY_ACTOR_DRAWING);
    struct story_shape *sh = a ? story_drawing_add(&a->drawing, STORY_SHAPE_FILL)
                               : NULL;
    if (!sh) {
        story_destroy(s);
        return NULL;
    }
    sh->color = (struct story_color){0.9f, 0.05f, 0.05f, 1};
    sh->closed = true;
    story_shape_add_point(sh, -100, -100, 0);
    story_shape_add_point(sh, 100, -100, 0);
    story_shape_add_point(sh, 100, 100, 0);
    story_shape_add_point(sh, -100, 100, 0);
    key_track_set(&a->props[STORY_PROP_X], 0, 200, KEY_EASE_LINEAR);
    key_track_set(&a->props[STORY_PROP_X], dur_s, 1720, KEY_EASE_LINEAR);
    key_track_set(&a->props[STORY_PROP_Y], 0, 400, KEY_EASE_LINEAR);
    if (caption) {
        struct story_caption *c = story_caption_add(sc, 0, dur_s);
        if (!c || story_text_set(&c->text, STORY_LANG_KK, "Сәлем, Алдар!") < 0 ||
            story_text_set(&c->text, STORY_LANG_RU, "Привет, Алдар!") < 0 ||
            story_text_set(&c->text, STORY_LANG_EN, "Hello, Aldar!") < 0) {
            story_destroy(s);
            return NULL;
        }
    }
    return s;
}

int e2e_story_write(const char *path, double dur_s, bool caption)
{
    struct story *s = build(dur_s, caption);
    if (!s) {
        return -1;
    }
    struct dy_err err;
    dy_err_clear(&err);
    int rc = -1;
    size_t n = strlen(path);
    if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
        char *json = NULL;
        size_t len = 0;
        if (storyio_json_dump(s, &json, &len, &err) == 0) {
            FILE *f = fopen(path, "wb");
            if (f) {
                rc = fwrite(json, 1, len, f) == len ? 0 : -1;
                if (fclose(f) != 0) {
                    rc = -1;
                }
            }
            free(json);
        }
    } else {
        rc = storyio_save(s, path, &err) == 0 ? 0 : -1;
    }
    if (rc < 0) {
        char buf[1200];
        fprintf(stderr, "e2e_story_write %s: %s\n", path,
                err.code ? dy_err_format(&err, buf, sizeof(buf)) : "write failed");
    }
    story_destroy(s);
    return rc;
}
