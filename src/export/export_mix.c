/* export_mix.c: the sample clock and the audio mixer. */
#include <math.h>
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

/* Decoded audio for the media with id `id`, decoding it on first use. */
static int clip_audio(struct ex_mixer *m, const struct story *s,
                      const char *id, const struct media_audio **out,
                      struct dy_err *err)
{
    for (size_t i = 0; i < s->nmedia; i++) {
        const struct story_media *md = &s->media[i];
        if (!md->id || strcmp(md->id, id) != 0) {
            continue;
        }
        if (md->kind != STORY_MEDIA_AUDIO) {
            return dy_err_set(err, DY_EINVAL, md->path ? md->path : id,
                              "used as an audio clip but is not audio");
        }
        struct media_audio *a = &m->decoded[i];
        if (!a->rate) {
            int rc = media_audio_decode(md->data, md->size,
                                        md->path ? md->path : id, m->rate,
                                        m->channels, a, err);
            if (rc < 0) {
                return rc;
            }
        }
        *out = a;
        return 0;
    }
    return dy_err_set(err, DY_ENOTFOUND, id, "audio clip: no such media");
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
    m->decoded = calloc(s->nmedia ? s->nmedia : 1, sizeof(*m->decoded));
    m->clips = calloc(total ? total : 1, sizeof(*m->clips));
    if (!m->decoded || !m->clips) {
        return dy_err_set(err, DY_ENOMEM, NULL, "allocating the mixer");
    }
    m->ndecoded = s->nmedia;
    for (size_t k = 0; k < nsegs; k++) {
        const struct story_scene *sc = &s->scenes[segs[k].scene];
        for (size_t j = 0; j < sc->naudio; j++) {
            const struct story_audio *au = &sc->audio[j];
            int64_t at = llround((segs[k].start_s + au->start_s) * rate);
            int64_t skip = llround((au->trim_s > 0 ? au->trim_s : 0) * rate);
            if (at >= end_sample || au->volume <= 0) {
                continue;
            }
            const struct media_audio *a = NULL;
            int rc = clip_audio(m, s, au->media_id, &a, err);
            if (rc < 0) {
                dy_err_prefix(err, sc->id ? sc->id : "scene");
                return rc;
            }
            int64_t len = (int64_t)a->nframes - skip;
            if (at < 0) { /* a clip starting before the timeline */
                skip -= at;
                len += at;
                at = 0;
            }
            if (len > end_sample - at) {
                len = end_sample - at;
            }
            if (len <= 0) {
                continue;
            }
            m->clips[m->nclips++] = (struct ex_clip){
                .pcm = a, .at = at, .skip = skip, .len = len,
                .gain = (float)au->volume};
        }
    }
    return 0;
}

int ex_mixer_mix(struct ex_mixer *m, int64_t from, int64_t to,
                 struct dy_err *err)
{
    size_t n = (size_t)(to - from), ch = (size_t)m->channels;
    if (n > m->block_cap) {
        float *b = realloc(m->block, n * ch * sizeof(float));
        if (!b) {
            return dy_err_set(err, DY_ENOMEM, NULL, "allocating audio");
        }
        m->block = b;
        m->block_cap = n;
    }
    memset(m->block, 0, n * ch * sizeof(float));
    for (size_t c = 0; c < m->nclips; c++) {
        const struct ex_clip *cl = &m->clips[c];
        int64_t a = from > cl->at ? from : cl->at;
        int64_t b = to < cl->at + cl->len ? to : cl->at + cl->len;
        for (int64_t t = a; t < b; t++) {
            const float *src = cl->pcm->pcm +
                               (size_t)(t - cl->at + cl->skip) * ch;
            float *dst = m->block + (size_t)(t - from) * ch;
            for (size_t k = 0; k < ch; k++) {
                dst[k] += src[k] * cl->gain;
            }
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
    for (size_t i = 0; i < m->ndecoded; i++) {
        media_audio_fini(&m->decoded[i]);
    }
    free(m->decoded);
    free(m->clips);
    free(m->block);
    memset(m, 0, sizeof(*m));
}
