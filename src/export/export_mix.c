/* export_mix.c: the sample clock and the audio mixer. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"

int64_t export_frame_first_sample(long i, int rate, int fps)
{
    /* round(i * rate / fps) in integers: no floating-point drift even
     * after hours of frames. */
    return ((int64_t)i * 2 * rate + fps) / (2 * (int64_t)fps);
}

long export_frame_count(double duration_s, int fps)
{
    if (!(duration_s > 0) || fps <= 0) {
        return 0;
    }
    return (long)ceil(duration_s * fps - 1e-6);
}

/* The audio media a clip plays: it must exist, be audio and open as an
 * audio stream, checked once per media before any frame is rendered, so a
 * broken file fails the export at the start rather than minutes into it.
 * probed[i] marks media i as checked. */
static int clip_media(const struct story *s, const char *id, bool *probed,
                      int rate, int channels, const struct story_media **out,
                      struct dy_err *err)
{
    const struct story_media *md = story_media_find(s, id);
    if (!md) {
        return dy_err_set(err, DY_ENOTFOUND, id, "audio clip: no such media");
    }
    const char *name = md->path ? md->path : id;
    if (md->kind != STORY_MEDIA_AUDIO) {
        return dy_err_set(err, DY_EINVAL, name,
                          "used as an audio clip but is not audio");
    }
    size_t i = (size_t)(md - s->media);
    if (!probed[i]) {
        struct media_audio_stream *st = NULL;
        int rc = media_audio_stream_open(md->data, md->size, name, rate,
                                         channels, &st, err);
        if (rc < 0) {
            return rc;
        }
        media_audio_stream_close(st);
        probed[i] = true;
    }
    *out = md;
    return 0;
}

int ex_mixer_init(struct ex_mixer *m, const struct story *s,
                  const struct ex_seg *segs, size_t nsegs, int rate,
                  int channels, int64_t end_sample, struct dy_err *err)
{
    memset(m, 0, sizeof(*m));
    m->rate = rate;
    m->channels = channels;
    size_t total = 0;
    for (size_t k = 0; k < nsegs; k++) {
        total += s->scenes[segs[k].scene].naudio;
    }
    bool *probed = calloc(s->nmedia ? s->nmedia : 1, sizeof(*probed));
    m->clips = calloc(total ? total : 1, sizeof(*m->clips));
    int rc = 0;
    if (!probed || !m->clips) {
        rc = dy_err_set(err, DY_ENOMEM, NULL, "allocating the mixer");
        goto fail;
    }
    for (size_t k = 0; k < nsegs; k++) {
        const struct story_scene *sc = &s->scenes[segs[k].scene];
        for (size_t j = 0; j < sc->naudio; j++) {
            const struct story_audio *au = &sc->audio[j];
            int64_t at = llround((segs[k].start_s + au->start_s) * rate);
            int64_t skip = llround((au->trim_s > 0 ? au->trim_s : 0) * rate);
            if (at >= end_sample || au->volume <= 0) {
                continue;
            }
            const struct story_media *md = NULL;
            rc = clip_media(s, au->media_id, probed, rate, channels, &md,
                            err);
            if (rc < 0) {
                dy_err_prefix(err, sc->id ? sc->id : "scene");
                goto fail;
            }
            if (at < 0) { /* a clip starting before the timeline */
                skip -= at;
                at = 0;
            }
            m->clips[m->nclips++] = (struct ex_clip){
                .md = md, .name = md->path ? md->path : au->media_id,
                .at = at, .skip = skip, .end = end_sample,
                .gain = (float)au->volume, .pos = at};
        }
    }
fail:
    free(probed);
    return rc;
}

static void clip_stop(struct ex_clip *cl)
{
    media_audio_stream_close(cl->st);
    cl->st = NULL;
    cl->done = true;
}

/* Adds clip cl's samples for timeline [from, to) into m->block (which
 * starts at timeline sample `from`), opening its stream at its first block
 * and closing it at its end. */
static int clip_mix(struct ex_mixer *m, struct ex_clip *cl, int64_t from,
                    int64_t to, struct dy_err *err)
{
    const size_t ch = (size_t)m->channels;
    int64_t a = from > cl->at ? from : cl->at;
    int64_t b = to < cl->end ? to : cl->end;
    int rc;
    if (cl->done || a >= b) {
        if (!cl->done && cl->end <= from) {
            clip_stop(cl); /* cut at the story end before it was reached */
        }
        return 0;
    }
    if (!cl->st) {
        rc = media_audio_stream_open(cl->md->data, cl->md->size, cl->name,
                                     m->rate, m->channels, &cl->st, err);
        if (rc < 0 ||
            (rc = media_audio_stream_skip(cl->st, (size_t)cl->skip, err)) < 0) {
            return rc;
        }
        cl->pos = cl->at;
    }
    if (a < cl->pos) {
        return dy_err_set(err, DY_EINVAL, cl->name, "mixing: samples %lld.. "
                          "asked after %lld (the mixer only goes forward)",
                          (long long)a, (long long)cl->pos);
    }
    /* A frame-range export starts in the middle of the clip. */
    if (a > cl->pos &&
        (rc = media_audio_stream_skip(cl->st, (size_t)(a - cl->pos), err)) < 0) {
        return rc;
    }
    cl->pos = a;
    size_t got = 0;
    rc = media_audio_stream_read(cl->st, m->scratch, (size_t)(b - a), &got,
                                 err);
    if (rc < 0) {
        return rc;
    }
    float *dst = m->block + (size_t)(a - from) * ch;
    for (size_t i = 0; i < got * ch; i++) {
        dst[i] += m->scratch[i] * cl->gain;
    }
    cl->pos += (int64_t)got;
    if (got < (size_t)(b - a) || cl->pos >= cl->end) {
        clip_stop(cl);
    }
    return 0;
}

int ex_mixer_mix(struct ex_mixer *m, int64_t from, int64_t to,
                 struct dy_err *err)
{
    size_t n = (size_t)(to - from), ch = (size_t)m->channels;
    if (n > m->block_cap) {
        float *b = realloc(m->block, n * ch * sizeof(float));
        if (b) {
            m->block = b;
        }
        float *sc = b ? realloc(m->scratch, n * ch * sizeof(float)) : NULL;
        if (!b || !sc) {
            return dy_err_set(err, DY_ENOMEM, NULL, "allocating audio");
        }
        m->scratch = sc;
        m->block_cap = n;
    }
    memset(m->block, 0, n * ch * sizeof(float));
    for (size_t c = 0; c < m->nclips; c++) {
        int rc = clip_mix(m, &m->clips[c], from, to, err);
        if (rc < 0) {
            return rc;
        }
    }
    /* Several loud clips together must not wrap around in the encoder. */
    for (size_t i = 0; i < n * ch; i++) {
        m->block[i] = fminf(1.0f, fmaxf(-1.0f, m->block[i]));
    }
    return 0;
}

void ex_mixer_fini(struct ex_mixer *m)
{
    for (size_t i = 0; i < m->nclips; i++) {
        media_audio_stream_close(m->clips[i].st);
    }
    free(m->clips);
    free(m->block);
    free(m->scratch);
    memset(m, 0, sizeof(*m));
}
