/* export_internal.h: the exported timeline and the audio mixer. */
#ifndef DARYN_EXPORT_INTERNAL_H
#define DARYN_EXPORT_INTERNAL_H

#include "daryn/export.h"
#include "daryn/media.h"
#include "daryn/render.h"

/* One selected scene on the exported timeline. */
struct ex_seg {
    size_t scene;    /* index in the story */
    double start_s;  /* where it starts on the timeline */
    double dur_s;
};

/* One audio clip placed on the timeline, in samples. */
struct ex_clip {
    const struct media_audio *pcm; /* borrowed from ex_mixer.decoded */
    int64_t at;      /* first timeline sample */
    int64_t skip;    /* samples of the clip skipped (trim) */
    int64_t len;     /* samples played (after trim, cut at the end) */
    float gain;
};

struct ex_mixer {
    int rate, channels;
    struct media_audio *decoded; /* one per story media, decoded lazily */
    size_t ndecoded;
    struct ex_clip *clips;
    size_t nclips;
    float *block;                /* one frame's worth, interleaved */
    size_t block_cap;            /* frames */
};

/* Decodes and places every clip of the segments' scenes; clips beyond
 * end_sample are dropped, longer ones cut. 0 or a negative code. */
int ex_mixer_init(struct ex_mixer *m, const struct story *s,
                  const struct ex_seg *segs, size_t nsegs, int rate,
                  int channels, int64_t end_sample, struct dy_err *err);
/* Mixes timeline samples [from, to) into m->block (valid until the next
 * call). 0 or DY_ENOMEM. */
int ex_mixer_mix(struct ex_mixer *m, int64_t from, int64_t to,
                 struct dy_err *err);
void ex_mixer_fini(struct ex_mixer *m);

/* The segment that shows timeline time t. */
size_t ex_seg_at(const struct ex_seg *segs, size_t nsegs, double t);

/* The render stage on a worker thread, one frame ahead of the encoder
 * (export_pipe.c). Frames first..last are rendered in order into two slots;
 * ex_pipe_get waits for frame i (valid until ex_pipe_release(i)), returning
 * the renderer's error if it failed. ex_pipe_stop joins and frees (NULL is a
 * no-op). The render context is used only by the worker until stop. */
struct ex_pipe;
int ex_pipe_start(struct ex_pipe **out, struct render_ctx *rc, const struct ex_seg *segs,
                  size_t nsegs, const struct render_opts *ro, int fps, long first, long last,
                  int w, int h, const char *name, struct dy_err *err);
int ex_pipe_get(struct ex_pipe *p, long i, const struct render_image **img, struct dy_err *err);
void ex_pipe_release(struct ex_pipe *p, long i);
void ex_pipe_stop(struct ex_pipe *p);

/* A caption placed on the output timeline (seconds from frame_first). */
struct ex_cue {
    double start_s, end_s;
    const char *text; /* borrowed from the story */
};

/* Builds the timeline from the selected scenes; *duration_s its length. */
int ex_make_segments(const struct story *s, const struct export_opts *o, const char *name,
                     struct ex_seg **out, size_t *nout, double *duration_s, struct dy_err *err);
/* The captions of `lang` showing inside [t0, t1) of the timeline, shifted so
 * t0 is 0, sorted by start; *out freed by the caller. */
int ex_collect_cues(const struct story *s, const struct ex_seg *segs, size_t nsegs,
                    enum story_lang lang, double t0, double t1, struct ex_cue **out,
                    size_t *nout, struct dy_err *err);
/* The file name part of a path. */
const char *ex_base_name(const char *path);

#endif
