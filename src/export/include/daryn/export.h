/* export.h: renders a whole story into a video file: every frame through
 * the renderer, every scene's audio clips mixed on the sample clock,
 * captions as a subtitle stream and/or burned into the picture.
 *
 * Time: the exported timeline is the selected scenes played one after
 * another. Frame i shows time i / fps; the audio for frame i is the samples
 * [round(i * rate / fps), round((i + 1) * rate / fps)), so audio and video
 * never drift apart at any fps (see export_frame_first_sample). */
#ifndef DARYN_EXPORT_H
#define DARYN_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"
#include "daryn/story.h"

#ifdef __cplusplus
extern "C" {
#endif

enum export_size { EXPORT_SIZE_480P, EXPORT_SIZE_720P, EXPORT_SIZE_1080P };
enum export_aspect {
    EXPORT_ASPECT_16_9, /* landscape */
    EXPORT_ASPECT_4_3,  /* old TVs, projectors */
    EXPORT_ASPECT_9_16, /* phones, portrait */
};

struct export_opts {
    enum export_size size;     /* the short side: 480, 720 or 1080 px */
    enum export_aspect aspect;
    int fps;                   /* 12, 24, 25 or 30 */
    const char *format;        /* "mp4", "webm", "gif", "png"; NULL: from
                                  out_path's extension. Borrowed. */
    int caption_lang;          /* enum story_lang of the captions, or -1
                                  for none (no subtitles, nothing burned) */
    bool subtitles;            /* captions as a subtitle stream (mp4/webm) */
    bool burn_captions;        /* captions drawn into the picture */
    const size_t *scenes;      /* scene indices to export, in this order;
                                  NULL: all scenes. Borrowed. */
    size_t nscenes;
    long frame_first;          /* first output frame of the timeline (0) */
    long frame_last;           /* last one, inclusive; -1: the end */
    int audio_rate;            /* Hz (48000) */
    int audio_channels;        /* 1 or 2 (2) */
    int crf;                   /* -1: vexport's default */
    const char *preset;        /* x264 preset; NULL: vexport's default */
    int threads;               /* encoder threads; 0: automatic */
    volatile int *cancel;      /* polled once per frame; non-zero stops the
                                  export with DY_ECANCELED. May be NULL. */
};

/* 720p 16:9, 24 fps, format from the path, no captions, all scenes, all
 * frames, 48000 Hz stereo, encoder defaults. */
void export_opts_default(struct export_opts *o);

/* Progress: called after each frame with frames done and the total. */
struct export_progress {
    void (*fn)(void *ud, long done, long total);
    void *ud;
};

/* Output size for a preset: the short side is 480/720/1080 px, the long
 * side follows the aspect, rounded to an even number (480p 16:9 = 854x480,
 * 4:3 = 640x480, 9:16 = 480x854). Returns 0 or DY_EINVAL. */
int export_size_dims(enum export_size size, enum export_aspect aspect,
                     int *w, int *h);

/* Frames needed to show duration_s at fps: ceil(duration_s * fps), with a
 * tolerance of 1e-6 frame so 2.5 s at 24 fps is exactly 60. */
long export_frame_count(double duration_s, int fps);

/* The first audio sample of frame i: round(i * rate / fps) (exact integer
 * arithmetic). Frame i carries export_frame_first_sample(i + 1) -
 * export_frame_first_sample(i) samples, so any run of frames sums to the
 * exact sample count of its duration. */
int64_t export_frame_first_sample(long i, int rate, int fps);

/* Renders story `s` (borrowed, valid) into out_path (written through a
 * temporary file; nothing is left on failure or cancel). Audio clips are
 * streamed (decoded a packet at a time while the timeline plays them, so
 * memory does not grow with their length; each clip's media is checked to
 * open before the first frame), placed at scene start + start_s, trimmed
 * by trim_s, scaled by volume, cut at the end of the exported timeline, and mixed
 * (clipped to -1..1). cb may be NULL. Returns 0 or a negative DY_E* code:
 * DY_EINVAL (options, empty story, bad scene or frame range),
 * DY_ECANCELED, or what the renderer, decoder or encoder reported. */
int export_story(const struct story *s, const struct export_opts *o,
                 const char *out_path, const struct export_progress *cb,
                 struct dy_err *err);

/* Writes the captions that export_story with the same options would
 * show (scene selection, frame range, o->caption_lang) as a WebVTT file,
 * for web pages (<track src=... srclang=kk>): browsers don't display the
 * subtitle streams inside MP4/WebM files. Written to a temporary file and
 * renamed. DY_EINVAL without a caption language, DY_EIO. */
int export_write_vtt(const struct story *s, const struct export_opts *o,
                     const char *path, struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
