/* ex_story.c: see ex_story.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ex_story.h"

static struct story_shape *add_rect(struct story_drawing *d, double x0,
                                    double y0, double x1, double y1,
                                    struct story_color c)
{
    struct story_shape *sh = story_drawing_add(d, STORY_SHAPE_FILL);
    if (!sh) {
        return NULL;
    }
    sh->color = c;
    sh->closed = true;
    story_shape_add_point(sh, x0, y0, 0);
    story_shape_add_point(sh, x1, y0, 0);
    story_shape_add_point(sh, x1, y1, 0);
    story_shape_add_point(sh, x0, y1, 0);
    return sh;
}

struct story *ex_story_moving_square(double dur_s, int extra)
{
    struct story *s = story_create();
    struct story_scene *sc = s ? story_scene_add(s, "one") : NULL;
    if (!sc) {
        story_destroy(s);
        return NULL;
    }
    sc->duration_s = dur_s;
    sc->background = (struct story_color){1, 1, 1, 1};
    for (int i = 0; i < extra; i++) {
        char id[32];
        snprintf(id, sizeof(id), "blob%d", i);
        struct story_actor *a = story_actor_add(sc, id, STORY_ACTOR_DRAWING);
        struct story_color c = {0.2f + 0.1f * (i % 5), 0.5f,
                                0.9f - 0.1f * (i % 7), 1};
        struct story_shape *sh = story_drawing_add(&a->drawing,
                                                   STORY_SHAPE_FILL);
        sh->color = c;
        sh->line = (struct story_color){0, 0, 0, 1};
        sh->line_w = 6;
        sh->smooth = true;
        sh->closed = true;
        for (int k = 0; k < 12; k++) {
            double ang = k * M_PI / 6, r = 60 + 20 * (k % 2);
            story_shape_add_point(sh, r * cos(ang), r * sin(ang), 0);
        }
        double x0 = 150 + (i * 397) % 1600, y0 = 150 + (i * 241) % 800;
        key_track_set(&a->props[STORY_PROP_X], 0, x0, KEY_EASE_IN_OUT);
        key_track_set(&a->props[STORY_PROP_X], dur_s, 1920 - x0,
                      KEY_EASE_IN_OUT);
        key_track_set(&a->props[STORY_PROP_Y], 0, y0, KEY_EASE_LINEAR);
        key_track_set(&a->props[STORY_PROP_Y], dur_s / 2, 1080 - y0,
                      KEY_EASE_LINEAR);
        key_track_set(&a->props[STORY_PROP_Y], dur_s, y0, KEY_EASE_LINEAR);
        key_track_set(&a->props[STORY_PROP_ROTATION], 0, 0, KEY_EASE_LINEAR);
        key_track_set(&a->props[STORY_PROP_ROTATION], dur_s, 360 * dur_s / 4,
                      KEY_EASE_LINEAR);
    }
    struct story_actor *sq = story_actor_add(sc, "square",
                                             STORY_ACTOR_DRAWING);
    if (!sq || !add_rect(&sq->drawing, -100, -100, 100, 100,
                         (struct story_color){0.9f, 0.05f, 0.05f, 1})) {
        story_destroy(s);
        return NULL;
    }
    key_track_set(&sq->props[STORY_PROP_X], 0, 200, KEY_EASE_LINEAR);
    key_track_set(&sq->props[STORY_PROP_X], dur_s, 1720, KEY_EASE_LINEAR);
    key_track_set(&sq->props[STORY_PROP_Y], 0, 540, KEY_EASE_LINEAR);
    key_track_set(&sq->props[STORY_PROP_Z], 0, 10, KEY_EASE_STEP);
    return s;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = v & 255, p[1] = v >> 8 & 255, p[2] = v >> 16 & 255, p[3] = v >> 24;
}

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = v & 255, p[1] = v >> 8;
}

/* A 16-bit PCM WAV header for n frames of `channels` at `rate`. */
static void wav_header(uint8_t *w, int rate, int channels, size_t bytes)
{
    memcpy(w, "RIFF", 4);
    put_u32(w + 4, (uint32_t)(36 + bytes));
    memcpy(w + 8, "WAVEfmt ", 8);
    put_u32(w + 16, 16);
    put_u16(w + 20, 1);
    put_u16(w + 22, (uint16_t)channels);
    put_u32(w + 24, (uint32_t)rate);
    put_u32(w + 28, (uint32_t)(rate * channels * 2));
    put_u16(w + 32, (uint16_t)(channels * 2));
    put_u16(w + 34, 16);
    memcpy(w + 36, "data", 4);
    put_u32(w + 40, (uint32_t)bytes);
}

int ex_story_add_burst(struct story *s, const char *id, int rate,
                       double len_s, double burst_s, double start_s)
{
    size_t n = (size_t)lround(len_s * rate);
    uint8_t *w = calloc(1, 44 + n * 2);
    if (!w) {
        return DY_ENOMEM;
    }
    wav_header(w, rate, 1, n * 2);
    size_t on = (size_t)lround(burst_s * rate), q = (size_t)(rate / 4);
    for (size_t i = on; i < on + 2 * q && i < n; i++) {
        double f = i < on + q ? 1000.0 : 500.0;
        int16_t v = (int16_t)lround(
            0.5 * 32767 * sin(2 * M_PI * f * (double)(i - on) / rate));
        put_u16(w + 44 + i * 2, (uint16_t)v);
    }
    char path[96];
    snprintf(path, sizeof(path), "media/%s.wav", id);
    struct story_media *m = story_media_add(s, id, path, STORY_MEDIA_AUDIO,
                                            w, 44 + n * 2);
    free(w);
    if (!m) {
        return DY_ENOMEM;
    }
    return story_audio_add(&s->scenes[0], id, start_s, 1.0) ? 0 : DY_ENOMEM;
}

int ex_story_add_tone(struct story *s, const char *id, int rate,
                      int channels, double len_s, double onset_s,
                      double start_s)
{
    size_t n = (size_t)lround(len_s * rate);
    size_t bytes = n * (size_t)channels * 2;
    uint8_t *w = calloc(1, 44 + bytes);
    if (!w) {
        return DY_ENOMEM;
    }
    memcpy(w, "RIFF", 4);
    put_u32(w + 4, (uint32_t)(36 + bytes));
    memcpy(w + 8, "WAVEfmt ", 8);
    put_u32(w + 16, 16);
    put_u16(w + 20, 1);
    put_u16(w + 22, (uint16_t)channels);
    put_u32(w + 24, (uint32_t)rate);
    put_u32(w + 28, (uint32_t)(rate * channels * 2));
    put_u16(w + 32, (uint16_t)(channels * 2));
    put_u16(w + 34, 16);
    memcpy(w + 36, "data", 4);
    put_u32(w + 40, (uint32_t)bytes);
    size_t on = (size_t)lround(onset_s * rate);
    for (size_t i = on; i < n; i++) {
        int16_t v = (int16_t)lround(
            0.5 * 32767 * sin(2 * M_PI * 440.0 * (double)(i - on) / rate));
        for (int c = 0; c < channels; c++) {
            put_u16(w + 44 + (i * (size_t)channels + (size_t)c) * 2,
                    (uint16_t)v);
        }
    }
    char path[96];
    snprintf(path, sizeof(path), "media/%s.wav", id);
    struct story_media *m = story_media_add(s, id, path, STORY_MEDIA_AUDIO,
                                            w, 44 + bytes);
    free(w);
    if (!m) {
        return DY_ENOMEM;
    }
    struct story_audio *au = story_audio_add(&s->scenes[0], id, start_s, 1.0);
    return au ? 0 : DY_ENOMEM;
}
