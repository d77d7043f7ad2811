/* test_export_mix.c: the streaming mixer (export_mix.c) against a reference
 * mix built from whole decodes (media_audio_decode): overlapping clips, the
 * same media placed several times, trims, a clip running across scenes and
 * cut at the story end, a trim past the clip's end, gains that clip; mixed
 * frame by frame on the sample clock from the first frame or from the
 * middle (frame-range exports), at several fps, rates and channel counts.
 * Every sample must be bit-identical: the same decoded samples summed in
 * the same order. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ex_story.h"
#include "export_internal.h"

/* Two scenes, "one" (3 s) and "two" (2 s); media "a" (44.1 kHz mono,
 * 2 s, tone from 0.1 s) and "b" (22.05 kHz stereo, 4 s, tone from 0). */
static struct story *make_story(void)
{
    struct story *s = ex_story_moving_square(3.0, 0);
    assert_non_null(s);
    struct story_scene *two = story_scene_add(s, "two");
    assert_non_null(two);
    two->duration_s = 2.0;
    /* The helpers place each media in scene one at the given start. */
    assert_int_equal(ex_story_add_tone(s, "a", 44100, 1, 2.0, 0.1, 0.5), 0);
    assert_int_equal(ex_story_add_tone(s, "b", 22050, 2, 4.0, 0.0, 2.5), 0);
    struct story_scene *one = &s->scenes[0];
    two = &s->scenes[1];
    one->audio[1].volume = 1.5; /* b: runs into "two", cut at 5.0 s */
    struct story_audio *au = story_audio_add(one, "a", 1.2, 0.7);
    assert_non_null(au);
    au->trim_s = 0.3; /* overlaps the first "a" */
    au = story_audio_add(two, "a", 0.25, 2.0);
    assert_non_null(au);
    au->trim_s = 0.05; /* loud: over "b" it clips */
    au = story_audio_add(two, "b", 1.9, 1.0);
    assert_non_null(au);
    au->trim_s = 5.0; /* past the end of "b": silent */
    assert_non_null(story_audio_add(two, "a", 1.0, 0.0)); /* muted */
    return s;
}

/* The reference: every clip decoded whole and summed, clip by clip in the
 * mixer's order, then clipped to -1..1. */
static float *reference_mix(const struct story *s, const struct ex_seg *segs,
                            size_t nsegs, int rate, int ch, int64_t end)
{
    float *ref = calloc((size_t)end * (size_t)ch, sizeof(float));
    assert_non_null(ref);
    for (size_t k = 0; k < nsegs; k++) {
        const struct story_scene *sc = &s->scenes[segs[k].scene];
        for (size_t j = 0; j < sc->naudio; j++) {
            const struct story_audio *au = &sc->audio[j];
            int64_t at = llround((segs[k].start_s + au->start_s) * rate);
            int64_t skip = llround(au->trim_s * rate);
            if (at >= end || au->volume <= 0) {
                continue;
            }
            const struct story_media *md = story_media_find(s, au->media_id);
            struct media_audio a;
            struct dy_err err = {0};
            assert_int_equal(media_audio_decode(md->data, md->size, md->path,
                                                rate, ch, &a, &err), 0);
            float gain = (float)au->volume;
            for (int64_t t = at; t < end && t - at + skip < (int64_t)a.nframes;
                 t++) {
                for (int c = 0; c < ch; c++) {
                    ref[t * ch + c] +=
                        a.pcm[(t - at + skip) * ch + c] * gain;
                }
            }
            media_audio_fini(&a);
        }
    }
    for (int64_t i = 0; i < end * ch; i++) {
        ref[i] = fminf(1.0f, fmaxf(-1.0f, ref[i]));
    }
    return ref;
}

static void check_mix(int fps, int rate, int ch, long first)
{
    struct story *s = make_story();
    struct export_opts o;
    export_opts_default(&o);
    struct ex_seg *segs = NULL;
    size_t nsegs = 0;
    double dur = 0;
    struct dy_err err = {0};
    assert_int_equal(ex_make_segments(s, &o, "t", &segs, &nsegs, &dur, &err),
                     0);
    int64_t end = llround(dur * rate);
    float *ref = reference_mix(s, segs, nsegs, rate, ch, end);
    struct ex_mixer m;
    assert_int_equal(ex_mixer_init(&m, s, segs, nsegs, rate, ch, end, &err),
                     0);
    assert_int_equal(m.nclips, 5); /* the muted one is not placed */
    long frames = export_frame_count(dur, fps);
    long bad = 0;
    double loud = 0;
    for (long i = first; i < frames; i++) {
        int64_t a = export_frame_first_sample(i, rate, fps);
        int64_t b = export_frame_first_sample(i + 1, rate, fps);
        assert_int_equal(ex_mixer_mix(&m, a, b, &err), 0);
        size_t n = (size_t)(b - a) * (size_t)ch;
        if (memcmp(m.block, ref + a * ch, n * sizeof(float)) != 0) {
            bad++;
        }
        for (size_t k = 0; k < n; k++) {
            loud = fmax(loud, fabsf(m.block[k]));
        }
        /* The first "a" (0.5 s .. 2.5 s) is closed once it ended. */
        if (a > llround(2.6 * rate)) {
            assert_null(m.clips[0].st);
            assert_true(m.clips[0].done);
        }
    }
    if (bad) {
        print_error("%d fps, %d Hz x %d from frame %ld: %ld blocks differ\n",
                    fps, rate, ch, first, bad);
    }
    assert_int_equal(bad, 0);
    assert_true(loud == 1.0); /* the loud "a" over "b" clipped */
    /* At the story end every stream is closed. */
    for (size_t c = 0; c < m.nclips; c++) {
        assert_null(m.clips[c].st);
    }
    /* Going backwards is refused, not silently wrong. */
    struct ex_mixer m2;
    assert_int_equal(ex_mixer_init(&m2, s, segs, nsegs, rate, ch, end, &err),
                     0);
    assert_int_equal(ex_mixer_mix(&m2, rate, rate + 100, &err), 0);
    assert_int_equal(ex_mixer_mix(&m2, rate / 2, rate / 2 + 100, &err),
                     DY_EINVAL);
    ex_mixer_fini(&m2);
    ex_mixer_fini(&m);
    free(ref);
    free(segs);
    story_destroy(s);
}

static void test_mix_12(void **state)
{
    (void)state;
    check_mix(12, 48000, 2, 0);
    check_mix(12, 44100, 1, 31); /* from 2.58 s: inside three clips */
}

static void test_mix_24(void **state)
{
    (void)state;
    check_mix(24, 48000, 2, 0);
    check_mix(24, 48000, 2, 75); /* 3.125 s: inside "b", across scenes */
}

static void test_mix_25(void **state)
{
    (void)state;
    check_mix(25, 48000, 2, 0);
    check_mix(25, 22050, 2, 1);
}

static void test_mix_30(void **state)
{
    (void)state;
    check_mix(30, 48000, 2, 0);
    check_mix(30, 48000, 1, 149); /* the last frame only */
}

/* A broken media fails at init, before any frame, naming scene and file. */
static void test_mix_bad_media(void **state)
{
    (void)state;
    struct story *s = ex_story_moving_square(1.0, 0);
    static const char junk[] = "RIFF....WAVEjunkjunkjunk";
    assert_non_null(story_media_add(s, "j", "media/j.wav", STORY_MEDIA_AUDIO,
                                    junk, sizeof(junk)));
    assert_non_null(story_audio_add(&s->scenes[0], "j", 0.5, 1.0));
    struct export_opts o;
    export_opts_default(&o);
    struct ex_seg *segs = NULL;
    size_t nsegs = 0;
    double dur = 0;
    struct dy_err err = {0};
    assert_int_equal(ex_make_segments(s, &o, "t", &segs, &nsegs, &dur, &err),
                     0);
    struct ex_mixer m;
    assert_true(ex_mixer_init(&m, s, segs, nsegs, 48000, 2, 48000, &err) <
                0);
    assert_non_null(strstr(err.where, "one"));
    assert_non_null(strstr(err.where, "media/j.wav"));
    ex_mixer_fini(&m);
    free(segs);
    story_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mix_12),
        cmocka_unit_test(test_mix_24),
        cmocka_unit_test(test_mix_25),
        cmocka_unit_test(test_mix_30),
        cmocka_unit_test(test_mix_bad_media),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
