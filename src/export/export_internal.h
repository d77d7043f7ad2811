/* export_internal.h: the exported timeline and the audio mixer. */
#ifndef DARYN_EXPORT_INTERNAL_H
#define DARYN_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "daryn/export.h"
#include "daryn/media.h"
#include "daryn/render.h"

/* One selected scene on the exported timeline. */
struct ex_seg {
    size_t scene;    /* index in the story */
    double start_s;  /* where it starts on the timeline */
    double dur_s;
};

/* One audio clip placed on the timeline, in samples. Its media is decoded
 * as a stream opened when the timeline reaches the clip and closed at its
 * end, so memory holds a packet's worth of each playing clip, never the
 * whole clip. */
struct ex_clip {
    const struct story_media *md;    /* borrowed from the story */
    const char *name;                /* borrowed: media path or id */
    int64_t at;      /* first timeline sample */
    int64_t skip;    /* samples of the clip skipped before `at` (trim) */
    int64_t end;     /* timeline sample where it is cut (story end) */
    float gain;
    struct media_audio_stream *st;   /* open while playing; owned */
    int64_t pos;     /* timeline sample the stream delivers next */
    bool done;       /* ended (stream exhausted or cut): never reopened */
};

struct ex_mixer {
    int rate, channels;
    struct ex_clip *clips;
    size_t nclips;
    float *block;                /* one frame's worth, interleaved */
    float *scratch;              /* one clip's samples for that block */
    size_t block_cap;            /* frames of both */
};

/* Places every clip of the segments' scenes (checking each one's media
 * exists, is audio and opens); clips beyond end_sample are dropped, the
 * others cut there. Nothing is decoded yet. 0 or a negative code. */
int ex_mixer_init(struct ex_mixer *m, const struct story *s,
                  const struct ex_seg *segs, size_t nsegs, int rate,
                  int channels, int64_t end_sample, struct dy_err *err);
/* Mixes timeline samples [from, to) into m->block (valid until the next
 * call). Calls go forward in time (each `from` >= the previous `to`; the
 * first may start anywhere, as a frame-range export does): a clip's stream
 * opens at its first block, skips to `from` and closes at its end.
 * 0 or the decoder's error (prefixed with the media name) or DY_ENOMEM. */
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
/* The exported frames first..last (inclusive) of a timeline of dur seconds
 * for o's frame range and fps; DY_EINVAL when the range is outside it. */
int ex_frame_range(const struct export_opts *o, double dur, const char *name, long *first,
                   long *last, struct dy_err *err);
/* The file name part of a path. */
const char *ex_base_name(const char *path);

#endif
