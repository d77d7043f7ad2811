/* preview.c: renders one frame of a story (a template, the sample story or
 * any .daryn) to a PNG, for checking content by eye while authoring.
 *
 *   daryn-template-preview STORY SCENE TIME_S OUT.png [WIDTH HEIGHT [LANG]]
 *
 * STORY is anything storyio_load() accepts; SCENE is a scene index; LANG is
 * kk, ru or en (captions are burned in). Built with the template tests when
 * storyio and render exist. */
#include <stdio.h>
#include <stdlib.h>

#include "daryn/render.h"
#include "daryn/storyio.h"

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 7 && argc != 8) {
        fprintf(stderr, "usage: %s STORY SCENE TIME_S OUT.png [WIDTH HEIGHT [LANG]]\n", argv[0]);
        return 2;
    }
    struct story *s = NULL;
    struct render_ctx *rc = NULL;
    struct render_image img = {0};
    struct dy_err err;
    char buf[1200];
    int status = 1;
    dy_err_clear(&err);
    long scene = strtol(argv[2], NULL, 10);
    double t = strtod(argv[3], NULL);
    int w = argc >= 7 ? atoi(argv[5]) : 960;
    int h = argc >= 7 ? atoi(argv[6]) : 540;
    int lang = argc == 8 ? story_lang_from_code(argv[7]) : STORY_LANG_EN;
    if (w < 16 || h < 16 || w > 8192 || h > 8192 || lang < 0) {
        fprintf(stderr, "%s: bad size or language\n", argv[0]);
        return 2;
    }
    if (storyio_load(argv[1], &s, &err) != 0) {
        goto fail;
    }
    if (scene < 0 || (size_t)scene >= s->nscenes) {
        fprintf(stderr, "%s: no scene %ld (the story has %zu)\n", argv[0], scene, s->nscenes);
        goto done;
    }
    if (render_create(s, &rc, &err) != 0 || render_image_init(&img, w, h) != 0) {
        goto fail;
    }
    struct render_opts o = {.caption_lang = (enum story_lang)lang, .burn_captions = 1};
    if (render_scene_at(rc, (size_t)scene, t, &o, &img, &err) != 0 ||
        render_image_write_png(&img, argv[4], &err) != 0) {
        goto fail;
    }
    status = 0;
    goto done;
fail:
    fprintf(stderr, "%s\n", dy_err_format(&err, buf, sizeof(buf)));
done:
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
    return status;
}
