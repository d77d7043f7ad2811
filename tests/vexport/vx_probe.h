/* vx_probe.h: test helper that reads back what vexport wrote, with
 * libavformat/libavcodec (shared by the vexport and export tests). */
#ifndef VX_PROBE_H
#define VX_PROBE_H

#include <stddef.h>
#include <stdint.h>

#define PROBE_MAX_STREAMS 8

struct probe_stream {
    int type;             /* AVMEDIA_TYPE_* */
    int codec;            /* AVCodecID */
    int pix_fmt;          /* video */
    int width, height;
    int fps_num, fps_den; /* avg_frame_rate */
    int rate, channels;   /* audio */
    char lang[16];        /* "language" metadata */
    double duration_s;    /* from packets: last pts + duration - first pts */
    double start_s;       /* first packet pts */
    long packets;
};

struct probe_info {
    int nstreams;
    struct probe_stream st[PROBE_MAX_STREAMS];
    double format_duration_s;
};

/* Reads every packet; fills stream info. 0 or -1. */
int probe_file(const char *path, struct probe_info *info);

/* Decodes every video frame to RGB32 and calls cb for each. Returns the
 * number of frames, or -1. */
typedef void (*probe_frame_cb)(long index, const uint32_t *px, int w, int h,
                               void *ud);
long probe_video(const char *path, probe_frame_cb cb, void *ud);

/* Decodes the first audio stream to interleaved float (caller frees *pcm),
 * with the leading padding removed as the decoder reports it. 0 or -1. */
int probe_audio(const char *path, float **pcm, size_t *nframes, int *rate,
                int *channels);

/* Decodes subtitles: up to max cues with start/end seconds and ASS text. */
struct probe_cue {
    double start_s, end_s;
    char text[256];
};
int probe_subtitles(const char *path, struct probe_cue *cues, int max);

/* Centroid of "red" pixels (r > 180, g < 90, b < 90); count returned, 0 if
 * none. */
long probe_red_centroid(const uint32_t *px, int w, int h, double *cx,
                        double *cy);

/* Top-level MP4 box types in file order, as "ftyp moov mdat ..." */
int probe_mp4_boxes(const char *path, char *out, size_t size);

#endif
