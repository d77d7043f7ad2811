/* vexport.h: streams rendered frames, audio and subtitles into a video file
 * through FFmpeg's libraries (libavcodec/libavformat/libavfilter); no FFmpeg
 * or Cairo types here.
 *
 * Shape (mpv's encode_lavc, FFmpeg's doc/examples/mux.c):
 *     vexport_open -> vexport_push_video / _audio / _subtitle ... ->
 *     vexport_close (or vexport_abort).
 * Output goes to a temporary file (".NAME.tmp-XXXXXX", or a directory for a
 * PNG sequence) next to `path`, renamed over `path` by a successful close;
 * abort and a failed close delete it, so a reader never sees half a video.
 *
 * Errors are sticky (like cairo_status): after the first failure the push
 * calls do nothing and return that error again, and vexport_close reports
 * it. `where` is the output's file name, `msg` names the step and FFmpeg's
 * reason, e.g. "class.mp4: opening encoder libx264: Invalid argument".
 *
 * Clocks: video pts = frame index in 1/fps; audio pts = count of samples in
 * 1/rate (the master clock: the caller pushes exactly the samples that
 * belong to each frame, never wall-clock time). Memory stays flat with the
 * length, except for GIF (palettegen needs every frame first; capped). */
#ifndef DARYN_VEXPORT_H
#define DARYN_VEXPORT_H

#include <stddef.h>

#include "daryn/err.h"
#include "daryn/render.h" /* struct render_image only; no Cairo linked */

#ifdef __cplusplus
extern "C" {
#endif

/* Frames x width x height x 4 bytes a GIF export may hold in memory. */
#define VEXPORT_GIF_MAX_BYTES ((size_t)1 << 30)

struct vexport_opts {
    const char *format;   /* "mp4", "webm", "gif" or "png" (a directory of
                             frame_000001.png ...); NULL: from the path's
                             extension (none: "png"). Borrowed. */
    int width, height;    /* output size, px: even, 16..7680 x 16..4320 */
    int fps;              /* 12, 24, 25 or 30 */
    int audio_rate;       /* Hz of the PCM given to push_audio (8000..192000);
                             0: no audio stream (always none for gif/png).
                             The encoder may run at another rate (Opus: 48
                             kHz): vexport resamples. */
    int audio_channels;   /* 1 or 2 */
    int crf;              /* quality: x264 0..51 (default 21), VP9 0..63
                             (default 33); -1: default */
    const char *preset;   /* x264 preset; NULL: "veryfast" (see
                             docs in vexport.c for the measurement) */
    const char *tune;     /* x264 tune; NULL: "animation" */
    int threads;          /* encoder threads; 0: automatic (the batch runner
                             sets 1 when it runs 2 jobs at once) */
    const char *sub_lang; /* ISO 639-2 tag ("kaz", "rus", "eng") of a
                             subtitle stream (mp4: mov_text, webm: WebVTT);
                             NULL: no subtitle stream. Borrowed. */
};

/* Fills *o with defaults: mp4, 1280x720, 24 fps, 48000 Hz stereo, crf -1,
 * preset/tune NULL, threads 0, no subtitles. */
void vexport_opts_default(struct vexport_opts *o);

/* Names of the formats, NULL-terminated ("mp4", "webm", "gif", "png"). */
const char *const *vexport_format_names(void);

struct vexport;

/* Checks the options, opens the encoders and the muxer and writes the
 * header into a temporary file beside `path` (copied). On success *out is
 * a new exporter to finish with vexport_close or vexport_abort. Returns 0 or
 * DY_EINVAL / DY_EUNSUPPORTED (bad option), DY_EIO (cannot create the
 * file), DY_EEXTERNAL (FFmpeg failed), DY_ENOMEM; *out is untouched and no
 * file remains on failure. */
int vexport_open(const struct vexport_opts *opts, const char *path,
                 struct vexport **out, struct dy_err *err);

/* Encodes one frame (borrowed, premultiplied ARGB32; any size: scaled to
 * the output size; opaque expected, alpha ignored). Its pts is the count of
 * frames pushed before. Returns 0 or the sticky error. */
int vexport_push_video(struct vexport *vx, const struct render_image *img);

/* Queues `nframes` samples per channel of interleaved float PCM (borrowed;
 * audio_rate Hz, audio_channels channels, nominal range -1..1). Encoded in
 * the codec's frame size (AAC 1024, Opus 960) as they fill up; the last,
 * partial frame is sent by close. A no-op for formats without audio or
 * when audio_rate is 0. Returns 0 or the sticky error. */
int vexport_push_audio(struct vexport *vx, const float *pcm, size_t nframes);

/* Adds a subtitle shown from start_s to end_s (seconds of output time,
 * end_s > start_s) with UTF-8 text (copied; '\n' breaks lines). Push them
 * in order of start time, ideally when the video reaches start_s. A no-op
 * without a subtitle stream (sub_lang NULL, gif, png). */
int vexport_push_subtitle(struct vexport *vx, double start_s, double end_s,
                          const char *utf8);

/* Flushes the encoders, writes the trailer (MP4: moov moved before mdat),
 * renames the temporary output over the path and frees vx (also on
 * failure, when the temporary output is deleted instead). Returns 0 or the
 * first error. */
int vexport_close(struct vexport *vx, struct dy_err *err);

/* Frees vx and deletes the temporary output. NULL is a no-op. */
void vexport_abort(struct vexport *vx);

/* Frames pushed so far and samples (per channel, at audio_rate) pushed. */
long vexport_frames(const struct vexport *vx);

#ifdef __cplusplus
}
#endif
#endif
