/* fuzz_story_render.c: libFuzzer target for hostile stories that load: the
 * story.json text (media from tests/storyio/data: a PNG, an SVG, a WAV) is
 * loaded and, when valid, every scene is drawn at a few times into a small
 * frame, with burned captions, then the audio clips of the first scene are
 * decoded. Loading refuses broken files; this target is for files that are
 * valid but absurd (huge strokes, zoom 100 on far coordinates, 1000-key
 * tracks, odd eases, long texts): the renderer must neither crash nor hang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/media.h"
#include "daryn/render.h"
#include "daryn/storyio.h"

#define FUZZ_MAX_INPUT (64u << 10)
#define FUZZ_MEDIA_DIR DARYN_SOURCE_DIR "/tests/storyio/data"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > FUZZ_MAX_INPUT || data[0] != '{')
        return -1;
    struct story *s = NULL;
    struct dy_err err;
    if (storyio_load_json_mem((const char *)data, size, "fuzz.json", FUZZ_MEDIA_DIR, &s, &err) < 0)
        return 0;
    struct render_ctx *rc = NULL;
    struct render_image img = {0};
    if (render_create(s, &rc, &err) == 0 && render_image_init(&img, 64, 36) == 0) {
        for (size_t i = 0; i < s->nscenes && i < 4; i++) {
            double d = s->scenes[i].duration_s;
            const double ts[] = {0, d * 0.37, d};
            for (size_t k = 0; k < 3; k++) {
                struct render_opts ro = {.caption_lang = (enum story_lang)(k % STORY_LANG_COUNT),
                                         .burn_captions = 1};
                if (render_scene_at(rc, i, ts[k], &ro, &img, &err) < 0 &&
                    (err.code >= 0 || !err.msg[0])) {
                    fprintf(stderr, "render failed without a proper error\n");
                    abort();
                }
            }
        }
    }
    render_image_fini(&img);
    render_destroy(rc);
    if (s->nscenes > 0)
        for (size_t i = 0; i < s->scenes[0].naudio && i < 2; i++) {
            const struct story_media *m = story_media_find(s, s->scenes[0].audio[i].media_id);
            struct media_audio a = {0};
            if (m && media_audio_decode(m->data, m->size, m->path, 48000, 2, &a, &err) == 0)
                media_audio_fini(&a);
        }
    story_destroy(s);
    return 0;
}
