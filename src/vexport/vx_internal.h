/* vx_internal.h: the exporter's private state and the back-end table. */
#ifndef DARYN_VX_INTERNAL_H
#define DARYN_VX_INTERNAL_H

#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "daryn/atomic_file.h"
#include "daryn/media_avlog.h"
#include "daryn/vexport.h"

struct vexport;

/* One output stream, as mux.c's OutputStream: everything needed to turn
 * our buffers into packets. `st` is NULL for the PNG sequence (no muxer). */
struct vx_stream {
    AVStream *st;
    AVCodecContext *enc;
    AVFrame *frame;          /* reused; av_frame_make_writable before use */
    struct SwsContext *sws;  /* video: RGB32 -> encoder pix_fmt */
    SwrContext *swr;         /* audio: float interleaved -> encoder format */
    AVAudioFifo *fifo;       /* audio: converted samples until a full frame */
    uint8_t **conv;          /* audio: swr output scratch (conv_cap frames) */
    int conv_cap;
    int64_t next_pts;        /* in enc->time_base: frames or samples */
    int64_t last_sub_ms;     /* subtitles: start of the last one, ms */
};

/* A back-end, as mpv's demuxer_desc_t / vo_driver. All in one
 * NULL-terminated array in vexport.c; adding a format = a new file and one
 * line there. */
struct vx_format {
    const char *name;          /* "mp4" */
    const char *extension;     /* ".mp4"; "" for the PNG directory */
    const char *muxer;         /* libavformat muxer; NULL: none */
    const char *video_encoder; /* libavcodec encoder name */
    enum AVCodecID video_codec;
    const char *audio_encoder; /* NULL: no audio */
    enum AVCodecID audio_codec;
    int audio_rate;            /* encoder rate forced (Opus 48000); 0: any */
    enum AVCodecID subtitle_codec; /* AV_CODEC_ID_NONE: no subtitles */
    int is_dir;                /* output is a directory */
    /* Sets codec-specific fields and options before avcodec_open2.
     * returns: 0 or a negative DY_E* code (vx_fail'ed). */
    int (*video_setup)(struct vexport *vx, AVCodecContext *enc,
                       AVDictionary **opts);
    /* Fills the muxer options passed to avformat_write_header. */
    int (*mux_setup)(struct vexport *vx, AVDictionary **opts);
    /* Opens everything into vx->tmp_path. returns: 0 or DY_E*. */
    int (*open)(struct vexport *vx);
    /* Encodes one image. returns: 0 or DY_E*. */
    int (*push_video)(struct vexport *vx, const struct render_image *img);
    /* Flushes encoders and finishes the output (trailer). returns: 0 or
     * DY_E*. Not called after a failure. */
    int (*finish)(struct vexport *vx);
};

struct vexport {
    struct vexport_opts o;       /* copied; string fields point below */
    const struct vx_format *fmt;
    char *path;                  /* final output, owned */
    struct dy_atomic out;        /* the temporary output and its rename */
    char *tmp_path;              /* = out.tmp (borrowed); NULL once gone */
    const char *name;            /* base name of path, for messages */
    char preset[32], tune[32], sub_lang[4];
    int failed;                  /* first error code, sticky */
    struct dy_err first;         /* and its report */
    struct media_avlog log;      /* FFmpeg's last error line */
    AVFormatContext *oc;
    int header_written, io_open;
    struct vx_stream video, audio, sub;
    AVPacket *pkt;
    long frames_in;
    /* GIF: the palette filter graph and the bytes it holds. */
    AVFilterGraph *graph;
    AVFilterContext *bsrc, *bsink;
    size_t gif_bytes;
    /* PNG sequence: frames written. */
    long png_count;
};

/* Records the first error (sticky) and returns vx->failed. */
int vx_fail(struct vexport *vx, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* vx_fail with "<step>: <av_err2str(ret)> (<FFmpeg's last error line>)". */
int vx_averr(struct vexport *vx, int ret, const char *step_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* vx_lavf.c: libavformat muxing (mp4, webm, gif). */
int vx_lavf_open(struct vexport *vx);
int vx_lavf_push_video(struct vexport *vx, const struct render_image *img);
int vx_lavf_push_audio(struct vexport *vx, const float *pcm, size_t n);
int vx_lavf_push_subtitle(struct vexport *vx, double start_s, double end_s,
                          const char *utf8);
int vx_lavf_finish(struct vexport *vx);
/* Opens the video encoder of vx->fmt into vx->video (stream made by the
 * caller when muxing). */
int vx_video_open(struct vexport *vx, enum AVPixelFormat pix_fmt);
/* Scales img into frame (RGB32 -> frame's format and size). */
int vx_scale(struct vexport *vx, const struct render_image *img,
             AVFrame *frame);
/* send_frame/receive_packet loop; packets go to the muxer or, without a
 * stream, to the PNG writer. frame NULL flushes. */
int vx_encode(struct vexport *vx, struct vx_stream *s, AVFrame *frame);
void vx_streams_free(struct vexport *vx);

/* vx_gif.c */
int vx_gif_open(struct vexport *vx);
int vx_gif_push_video(struct vexport *vx, const struct render_image *img);
int vx_gif_finish(struct vexport *vx);

/* vx_png.c */
int vx_png_open(struct vexport *vx);
int vx_png_push_video(struct vexport *vx, const struct render_image *img);
int vx_png_finish(struct vexport *vx);
int vx_png_write_packet(struct vexport *vx, const AVPacket *pkt);
/* Deletes the frames written into the temporary directory and it. */
void vx_png_remove_tmp(struct vexport *vx);

#endif
