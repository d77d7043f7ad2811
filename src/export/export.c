/* export.c: the story-export driver: timeline -> frames rendered and
 * pushed, audio mixed per frame on the sample clock, captions pushed as
 * subtitles when the video reaches them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/render.h"
#include "daryn/vexport.h"
#include "export_internal.h"

void export_opts_default(struct export_opts *o)
{
    *o = (struct export_opts){
        .size = EXPORT_SIZE_720P,
        .aspect = EXPORT_ASPECT_16_9,
        .fps = 24,
        .caption_lang = -1,
        .frame_first = 0,
        .frame_last = -1,
        .audio_rate = 48000,
        .audio_channels = 2,
        .crf = -1,
    };
}

int export_size_dims(enum export_size size, enum export_aspect aspect,
                     int *w, int *h)
{
    static const int shorts[] = {480, 720, 1080};
    if ((unsigned)size > EXPORT_SIZE_1080P ||
        (unsigned)aspect > EXPORT_ASPECT_9_16) {
        return DY_EINVAL;
    }
    int s = shorts[size];
    int num = aspect == EXPORT_ASPECT_4_3 ? 4 : 16;
    int den = aspect == EXPORT_ASPECT_4_3 ? 3 : 9;
    /* Round the long side to the nearest even number. */
    int l = (int)lround((double)s * num / den / 2.0) * 2;
    *w = aspect == EXPORT_ASPECT_9_16 ? s : l;
    *h = aspect == EXPORT_ASPECT_9_16 ? l : s;
    return 0;
}

static int cue_cmp(const void *a, const void *b)
{
    const struct ex_cue *x = a, *y = b;
    return (x->start_s > y->start_s) - (x->start_s < y->start_s);
}

/* Collects the captions of the chosen language that show inside the
 * exported range [t0, t1), shifted so t0 is 0, sorted by start. */
int ex_collect_cues(const struct story *s, const struct ex_seg *segs,
                        size_t nsegs, enum story_lang lang, double t0,
                        double t1, struct ex_cue **out, size_t *nout,
                        struct dy_err *err)
{
    size_t total = 0, n = 0;
    for (size_t k = 0; k < nsegs; k++) {
        total += s->scenes[segs[k].scene].ncaptions;
    }
    struct ex_cue *c = calloc(total ? total : 1, sizeof(*c));
    if (!c) {
        return dy_err_set(err, DY_ENOMEM, NULL, "allocating captions");
    }
    for (size_t k = 0; k < nsegs; k++) {
        const struct story_scene *sc = &s->scenes[segs[k].scene];
        for (size_t j = 0; j < sc->ncaptions; j++) {
            const struct story_caption *cap = &sc->captions[j];
            const char *text = story_text_get(&cap->text, lang);
            double a = segs[k].start_s + cap->start_s;
            double b = segs[k].start_s + fmin(cap->end_s, segs[k].dur_s);
            a = fmax(a, t0);
            b = fmin(b, t1);
            if (!text[0] || b <= a) {
                continue;
            }
            c[n++] = (struct ex_cue){a - t0, b - t0, text};
        }
    }
    qsort(c, n, sizeof(*c), cue_cmp);
    *out = c;
    *nout = n;
    return 0;
}

int ex_frame_range(const struct export_opts *o, double dur, const char *name, long *first,
                   long *last, struct dy_err *err)
{
    long total = export_frame_count(dur, o->fps > 0 ? o->fps : 1);
    *first = o->frame_first;
    *last = o->frame_last < 0 || o->frame_last >= total ? total - 1 : o->frame_last;
    if (*first < 0 || *first > *last) {
        return dy_err_set(err, DY_EINVAL, name, "frame range %ld-%ld: outside 0-%ld",
                          o->frame_first, o->frame_last, total - 1);
    }
    return 0;
}

/* The segment showing timeline time t (the last one past the end). */
size_t ex_seg_at(const struct ex_seg *segs, size_t nsegs, double t)
{
    size_t k = 0;
    while (k + 1 < nsegs && t >= segs[k + 1].start_s) {
        k++;
    }
    return k;
}

static const char *iso639_2(int lang)
{
    switch (lang) {
    case STORY_LANG_KK:
        return "kaz";
    case STORY_LANG_RU:
        return "rus";
    default:
        return "eng";
    }
}

const char *ex_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* Builds the timeline from the selected scenes; *duration_s its length. */
int ex_make_segments(const struct story *s, const struct export_opts *o,
                         const char *name, struct ex_seg **out, size_t *nout,
                         double *duration_s, struct dy_err *err)
{
    size_t n = o->scenes ? o->nscenes : s->nscenes;
    if (n == 0) {
        return dy_err_set(err, DY_EINVAL, name, "nothing to export: the "
                          "story (or the scene selection) has no scenes");
    }
    struct ex_seg *segs = calloc(n, sizeof(*segs));
    if (!segs) {
        return dy_err_set(err, DY_ENOMEM, name, "allocating the timeline");
    }
    double t = 0;
    for (size_t k = 0; k < n; k++) {
        size_t sc = o->scenes ? o->scenes[k] : k;
        if (sc >= s->nscenes) {
            free(segs);
            return dy_err_set(err, DY_EINVAL, name, "scene selection: index "
                              "%zu is past the last scene (%zu)", sc,
                              s->nscenes - 1);
        }
        segs[k] = (struct ex_seg){sc, t, s->scenes[sc].duration_s};
        t += s->scenes[sc].duration_s;
    }
    *out = segs;
    *nout = n;
    *duration_s = t;
    return 0;
}

int export_story(const struct story *s, const struct export_opts *o,
                 const char *out_path, const struct export_progress *cb,
                 struct dy_err *err)
{
    if (!s || !o || !out_path) {
        return dy_err_set(err, DY_EINVAL, out_path, "export_story: missing "
                          "story, options or path");
    }
    const char *name = ex_base_name(out_path);
    struct ex_seg *segs = NULL;
    struct ex_cue *cues = NULL;
    struct ex_mixer mix = {0};
    struct render_ctx *rc = NULL;
    struct ex_pipe *pipe = NULL;
    struct vexport *vx = NULL;
    size_t nsegs = 0, ncues = 0, next_cue = 0;
    double dur = 0;
    int w, h, r;
    if (export_size_dims(o->size, o->aspect, &w, &h) < 0) {
        return dy_err_set(err, DY_EINVAL, name, "unknown size or aspect");
    }
    if ((r = ex_make_segments(s, o, name, &segs, &nsegs, &dur, err)) < 0) {
        return r;
    }
    const int fps = o->fps;
    long first, last;
    if ((r = ex_frame_range(o, dur, name, &first, &last, err)) < 0) {
        goto fail;
    }
    bool captions = o->caption_lang >= 0 &&
                    o->caption_lang < STORY_LANG_COUNT;
    struct vexport_opts vo;
    vexport_opts_default(&vo);
    vo.format = o->format;
    vo.width = w;
    vo.height = h;
    vo.fps = fps;
    vo.audio_rate = o->audio_rate;
    vo.audio_channels = o->audio_channels;
    vo.crf = o->crf;
    vo.preset = o->preset;
    vo.threads = o->threads;
    vo.sub_lang = captions && o->subtitles ? iso639_2(o->caption_lang)
                                           : NULL;
    const struct render_opts ro = {
        .caption_lang = captions ? (enum story_lang)o->caption_lang
                                 : STORY_LANG_KK,
        .burn_captions = captions && o->burn_captions,
    };
    /* Audio: timeline samples [first_sample, end_sample) are exported;
     * clips are cut at the end of the story (not of the range, so a range
     * export sounds like the same frames of a full one). */
    int rate = o->audio_rate;
    int64_t story_end = (int64_t)llround(dur * (rate > 0 ? rate : 1));
    if ((r = render_create(s, &rc, err)) < 0 ||
        (vo.sub_lang &&
         (r = ex_collect_cues(s, segs, nsegs, (enum story_lang)o->caption_lang,
                           (double)first / fps, (double)(last + 1) / fps,
                           &cues, &ncues, err)) < 0) ||
        (rate > 0 && (r = ex_mixer_init(&mix, s, segs, nsegs, rate,
                                        o->audio_channels, story_end,
                                        err)) < 0) ||
        (r = vexport_open(&vo, out_path, &vx, err)) < 0 ||
        (r = ex_pipe_start(&pipe, rc, segs, nsegs, &ro, fps, first, last, w, h, name,
                           err)) < 0) {
        if (r == DY_ENOMEM && !err->msg[0]) {
            dy_err_set(err, r, name, "out of memory");
        }
        goto fail;
    }
    for (long i = first; i <= last; i++) {
        if (o->cancel && *o->cancel) {
            r = dy_err_set(err, DY_ECANCELED, name, "export canceled at "
                           "frame %ld of %ld", i - first, last - first + 1);
            goto fail;
        }
        /* Captions go in just before the frame where they start. */
        double out_t1 = (double)(i - first + 1) / fps;
        while (next_cue < ncues && cues[next_cue].start_s < out_t1) {
            const struct ex_cue *c = &cues[next_cue++];
            if ((r = vexport_push_subtitle(vx, c->start_s, c->end_s,
                                           c->text)) < 0) {
                goto fail_vx;
            }
        }
        /* Frame i was drawn by the render thread while frame i-1 was
         * being encoded (export_pipe.c). */
        const struct render_image *img;
        if ((r = ex_pipe_get(pipe, i, &img, err)) < 0) {
            goto fail;
        }
        r = vexport_push_video(vx, img);
        ex_pipe_release(pipe, i);
        if (r < 0) {
            goto fail_vx;
        }
        if (rate > 0) {
            int64_t a = export_frame_first_sample(i, rate, fps);
            int64_t b = export_frame_first_sample(i + 1, rate, fps);
            /* A decoder error is ours, not the exporter's: abort (a
             * close would keep a video with the audio missing). */
            if ((r = ex_mixer_mix(&mix, a, b, err)) < 0) {
                goto fail;
            }
            if ((r = vexport_push_audio(vx, mix.block, (size_t)(b - a))) <
                0) {
                goto fail_vx;
            }
        }
        if (cb && cb->fn) {
            cb->fn(cb->ud, i - first + 1, last - first + 1);
        }
    }
    ex_pipe_stop(pipe);
    pipe = NULL;
    r = vexport_close(vx, err);
    vx = NULL;
    goto fail;
fail_vx:
    /* The exporter holds the first error: close reports it and deletes
     * the temporary output. */
    if (vx) {
        r = vexport_close(vx, err);
        vx = NULL;
    }
fail:
    /* The render thread stops before the context it draws with is freed. */
    ex_pipe_stop(pipe);
    vexport_abort(vx);
    render_destroy(rc);
    ex_mixer_fini(&mix);
    free(cues);
    free(segs);
    return r;
}
