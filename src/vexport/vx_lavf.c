/* vx_lavf.c: the libavformat back-end shared by mp4, webm and gif, in the
 * order of FFmpeg's doc/examples/mux.c: output context -> streams and
 * encoders (time base set, GLOBAL_HEADER when the muxer wants it,
 * avcodec_open2, parameters copied) -> avio_open -> header -> encode and
 * interleave -> flush -> trailer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>

#include "vx_internal.h"

/* The ASS header the subtitle encoders parse (mov_text takes the default
 * style from it); styling is left to the player. */
static const char vx_ass_header[] =
    "[Script Info]\r\n"
    "ScriptType: v4.00+\r\n"
    "PlayResX: 384\r\n"
    "PlayResY: 288\r\n"
    "\r\n"
    "[V4+ Styles]\r\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
    "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, "
    "ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
    "Alignment, MarginL, MarginR, MarginV, Encoding\r\n"
    "Style: Default,DejaVu Sans,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,"
    "100,0,0,1,1,0,2,10,10,10,1\r\n"
    "\r\n"
    "[Events]\r\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
    "Effect, Text\r\n";

/* Opens enc with opts; options the encoder did not take are an error (a
 * typo in a preset name must not pass silently). Then copies the
 * parameters to the stream, as mux.c does after avcodec_open2. */
static int open_encoder(struct vexport *vx, struct vx_stream *s,
                        AVDictionary **opts)
{
    if (vx->oc && (vx->oc->oformat->flags & AVFMT_GLOBALHEADER)) {
        s->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    /* A failed avcodec_open2 clears enc->codec: keep the name. */
    const AVCodec *codec = s->enc->codec;
    int ret = avcodec_open2(s->enc, codec, opts);
    if (ret < 0) {
        av_dict_free(opts);
        return vx_averr(vx, ret, "opening encoder %s", codec->name);
    }
    const AVDictionaryEntry *left = av_dict_get(*opts, "", NULL,
                                                AV_DICT_IGNORE_SUFFIX);
    if (left) {
        int rc = vx_fail(vx, DY_EUNSUPPORTED,
                         "opening encoder %s: option %s=%s not used",
                         s->enc->codec->name, left->key, left->value);
        av_dict_free(opts);
        return rc;
    }
    av_dict_free(opts);
    if (s->st) {
        ret = avcodec_parameters_from_context(s->st->codecpar, s->enc);
        if (ret < 0) {
            return vx_averr(vx, ret, "copying %s parameters",
                            s->enc->codec->name);
        }
        s->st->time_base = s->enc->time_base;
    }
    return 0;
}

static int alloc_encoder(struct vexport *vx, struct vx_stream *s,
                         const AVCodec *codec, const char *what)
{
    if (!codec) {
        return vx_fail(vx, DY_EUNSUPPORTED, "the %s encoder is not in this "
                       "FFmpeg build", what);
    }
    if (vx->oc) {
        s->st = avformat_new_stream(vx->oc, NULL);
        if (!s->st) {
            return vx_fail(vx, DY_ENOMEM, "adding the %s stream", what);
        }
    }
    s->enc = avcodec_alloc_context3(codec);
    if (!s->enc) {
        return vx_fail(vx, DY_ENOMEM, "allocating encoder %s", what);
    }
    s->enc->opaque = &vx->log;
    return 0;
}

int vx_video_open(struct vexport *vx, enum AVPixelFormat pix_fmt)
{
    struct vx_stream *s = &vx->video;
    const char *name = vx->fmt->video_encoder;
    int rc = alloc_encoder(vx, s, avcodec_find_encoder_by_name(name), name);
    if (rc < 0) {
        return rc;
    }
    AVCodecContext *enc = s->enc;
    enc->width = vx->o.width;
    enc->height = vx->o.height;
    enc->pix_fmt = pix_fmt;
    enc->time_base = (AVRational){1, vx->o.fps};
    enc->framerate = (AVRational){vx->o.fps, 1};
    enc->sample_aspect_ratio = (AVRational){1, 1};
    enc->thread_count = vx->o.threads;
    if (pix_fmt == AV_PIX_FMT_YUV420P) {
        /* A keyframe every 2 s keeps seeking in a player snappy. */
        enc->gop_size = 2 * vx->o.fps;
        /* vx_scale converts with BT.709 coefficients into limited range;
         * say so, or players guess BT.601 for SD sizes. */
        enc->colorspace = AVCOL_SPC_BT709;
        enc->color_primaries = AVCOL_PRI_BT709;
        enc->color_trc = AVCOL_TRC_BT709;
        enc->color_range = AVCOL_RANGE_MPEG;
    }
    if (s->st) {
        s->st->avg_frame_rate = enc->framerate;
        s->st->time_base = enc->time_base;
    }
    AVDictionary *opts = NULL;
    if ((rc = vx->fmt->video_setup(vx, enc, &opts)) < 0) {
        av_dict_free(&opts);
        return rc;
    }
    if ((rc = open_encoder(vx, s, &opts)) < 0) {
        return rc;
    }
    s->frame = av_frame_alloc();
    if (!s->frame) {
        return vx_fail(vx, DY_ENOMEM, "allocating a video frame");
    }
    s->frame->format = pix_fmt;
    s->frame->width = enc->width;
    s->frame->height = enc->height;
    int ret = av_frame_get_buffer(s->frame, 0);
    if (ret < 0) {
        return vx_averr(vx, ret, "allocating a video frame");
    }
    return 0;
}

/* Picks the encoder's sample format (float if it takes it) and rate (ours
 * if it takes it, else the format's forced rate or 48000). */
static void audio_params(const struct vexport *vx, const AVCodec *codec,
                         enum AVSampleFormat *fmt, int *rate)
{
    *fmt = AV_SAMPLE_FMT_FLT;
    if (codec->sample_fmts) {
        *fmt = codec->sample_fmts[0];
        for (const enum AVSampleFormat *f = codec->sample_fmts;
             *f != AV_SAMPLE_FMT_NONE; f++) {
            if (*f == AV_SAMPLE_FMT_FLT || *f == AV_SAMPLE_FMT_FLTP) {
                *fmt = *f;
                break;
            }
        }
    }
    *rate = vx->fmt->audio_rate ? vx->fmt->audio_rate : vx->o.audio_rate;
    if (codec->supported_samplerates) {
        int ok = 0;
        for (const int *r = codec->supported_samplerates; *r; r++) {
            ok |= *r == *rate;
        }
        if (!ok) {
            *rate = 48000;
        }
    }
}

static int audio_open(struct vexport *vx)
{
    struct vx_stream *s = &vx->audio;
    const char *name = vx->fmt->audio_encoder;
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    int rc = alloc_encoder(vx, s, codec, name);
    if (rc < 0) {
        return rc;
    }
    AVCodecContext *enc = s->enc;
    audio_params(vx, codec, &enc->sample_fmt, &enc->sample_rate);
    av_channel_layout_default(&enc->ch_layout, vx->o.audio_channels);
    enc->bit_rate = vx->o.audio_channels == 1 ? 64000 : 128000;
    enc->time_base = (AVRational){1, enc->sample_rate};
    enc->thread_count = vx->o.threads;
    AVDictionary *opts = NULL;
    if ((rc = open_encoder(vx, s, &opts)) < 0) {
        return rc;
    }
    int fsize = enc->frame_size;
    if (fsize <= 0 ||
        (codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE)) {
        fsize = 1024;
    }
    s->frame = av_frame_alloc();
    if (!s->frame) {
        return vx_fail(vx, DY_ENOMEM, "allocating an audio frame");
    }
    s->frame->format = enc->sample_fmt;
    s->frame->sample_rate = enc->sample_rate;
    s->frame->nb_samples = fsize;
    int ret = av_channel_layout_copy(&s->frame->ch_layout, &enc->ch_layout);
    if (ret >= 0) {
        ret = av_frame_get_buffer(s->frame, 0);
    }
    if (ret < 0) {
        return vx_averr(vx, ret, "allocating an audio frame");
    }
    s->fifo = av_audio_fifo_alloc(enc->sample_fmt, vx->o.audio_channels,
                                  2 * fsize);
    AVChannelLayout in_layout;
    av_channel_layout_default(&in_layout, vx->o.audio_channels);
    ret = swr_alloc_set_opts2(&s->swr, &enc->ch_layout, enc->sample_fmt,
                              enc->sample_rate, &in_layout,
                              AV_SAMPLE_FMT_FLT, vx->o.audio_rate, 0, NULL);
    if (ret >= 0) {
        ret = swr_init(s->swr);
    }
    if (ret < 0 || !s->fifo) {
        return vx_averr(vx, ret < 0 ? ret : AVERROR(ENOMEM),
                        "setting up audio conversion to %s %d Hz", name,
                        enc->sample_rate);
    }
    return 0;
}

static int subtitle_open(struct vexport *vx)
{
    struct vx_stream *s = &vx->sub;
    const AVCodec *codec = avcodec_find_encoder(vx->fmt->subtitle_codec);
    int rc = alloc_encoder(vx, s, codec, "subtitle");
    if (rc < 0) {
        return rc;
    }
    s->enc->time_base = (AVRational){1, 1000};
    s->enc->subtitle_header = (uint8_t *)av_strdup(vx_ass_header);
    if (!s->enc->subtitle_header) {
        return vx_fail(vx, DY_ENOMEM, "allocating the subtitle header");
    }
    s->enc->subtitle_header_size = (int)strlen(vx_ass_header);
    s->last_sub_ms = -1;
    AVDictionary *opts = NULL;
    if ((rc = open_encoder(vx, s, &opts)) < 0) {
        return rc;
    }
    av_dict_set(&s->st->metadata, "language", vx->sub_lang, 0);
    return 0;
}

int vx_lavf_open(struct vexport *vx)
{
    int ret = avformat_alloc_output_context2(&vx->oc, NULL, vx->fmt->muxer,
                                             vx->tmp_path);
    if (ret < 0 || !vx->oc) {
        return vx_averr(vx, ret < 0 ? ret : AVERROR(ENOMEM),
                        "allocating the %s muxer", vx->fmt->muxer);
    }
    vx->oc->opaque = &vx->log;
    vx->pkt = av_packet_alloc();
    if (!vx->pkt) {
        return vx_fail(vx, DY_ENOMEM, "allocating a packet");
    }
    enum AVPixelFormat pix = vx->fmt->video_codec == AV_CODEC_ID_GIF
                                 ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P;
    int rc = vx_video_open(vx, pix);
    if (rc == 0 && vx->o.audio_rate > 0) {
        rc = audio_open(vx);
    }
    if (rc == 0 && vx->o.sub_lang) {
        rc = subtitle_open(vx);
    }
    if (rc < 0) {
        return rc;
    }
    ret = avio_open(&vx->oc->pb, vx->tmp_path, AVIO_FLAG_WRITE);
    if (ret < 0) {
        return vx_averr(vx, ret, "opening the output file");
    }
    vx->io_open = 1;
    AVDictionary *opts = NULL;
    if (vx->fmt->mux_setup && (rc = vx->fmt->mux_setup(vx, &opts)) < 0) {
        av_dict_free(&opts);
        return rc;
    }
    ret = avformat_write_header(vx->oc, &opts);
    const AVDictionaryEntry *left = av_dict_get(opts, "", NULL,
                                                AV_DICT_IGNORE_SUFFIX);
    if (ret >= 0 && left) {
        rc = vx_fail(vx, DY_EUNSUPPORTED, "writing the header: muxer "
                     "option %s=%s not used", left->key, left->value);
    }
    av_dict_free(&opts);
    if (ret < 0) {
        return vx_averr(vx, ret, "writing the %s header", vx->fmt->muxer);
    }
    vx->header_written = 1;
    return rc;
}

int vx_scale(struct vexport *vx, const struct render_image *img,
             AVFrame *frame)
{
    struct vx_stream *s = &vx->video;
    struct SwsContext *prev = s->sws;
    s->sws = sws_getCachedContext(s->sws, img->width, img->height,
                                  AV_PIX_FMT_RGB32, frame->width,
                                  frame->height, frame->format, SWS_BICUBIC,
                                  NULL, NULL, NULL);
    if (!s->sws) {
        return vx_fail(vx, DY_EEXTERNAL, "frame %ld: setting up scaling "
                       "from %dx%d", vx->frames_in, img->width, img->height);
    }
    if (s->sws != prev && frame->format == AV_PIX_FMT_YUV420P) {
        /* Full-range RGB in, BT.709 limited-range YUV out (tagged in
         * vx_video_open). */
        sws_setColorspaceDetails(s->sws, sws_getCoefficients(SWS_CS_ITU709),
                                 1, sws_getCoefficients(SWS_CS_ITU709), 0, 0,
                                 1 << 16, 1 << 16);
    }
    const uint8_t *src[4] = {img->data};
    const int src_stride[4] = {img->stride};
    int ret = sws_scale(s->sws, src, src_stride, 0, img->height, frame->data,
                        frame->linesize);
    if (ret < 0) {
        return vx_averr(vx, ret, "frame %ld: converting pixels",
                        vx->frames_in);
    }
    return 0;
}

int vx_encode(struct vexport *vx, struct vx_stream *s, AVFrame *frame)
{
    int ret = avcodec_send_frame(s->enc, frame);
    if (ret < 0) {
        return vx_averr(vx, ret, "encoding with %s", s->enc->codec->name);
    }
    for (;;) {
        ret = avcodec_receive_packet(s->enc, vx->pkt);
        /* Both mean "no more packets for now", not failure. */
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
            return 0;
        }
        if (ret < 0) {
            return vx_averr(vx, ret, "encoding with %s",
                            s->enc->codec->name);
        }
        if (!s->st) {
            int rc = vx_png_write_packet(vx, vx->pkt);
            av_packet_unref(vx->pkt);
            if (rc < 0) {
                return rc;
            }
            continue;
        }
        /* The muxer may have changed the stream time base in
         * write_header: rescale every packet. */
        av_packet_rescale_ts(vx->pkt, s->enc->time_base, s->st->time_base);
        vx->pkt->stream_index = s->st->index;
        /* Takes ownership of the packet's contents and leaves it blank, so
         * no unref here. */
        ret = av_interleaved_write_frame(vx->oc, vx->pkt);
        if (ret < 0) {
            return vx_averr(vx, ret, "writing a %s packet",
                            s->enc->codec->name);
        }
    }
}

int vx_lavf_push_video(struct vexport *vx, const struct render_image *img)
{
    struct vx_stream *s = &vx->video;
    /* The encoder may still hold a reference to the previous frame. */
    int ret = av_frame_make_writable(s->frame);
    if (ret < 0) {
        return vx_averr(vx, ret, "frame %ld: making the frame writable",
                        vx->frames_in);
    }
    int rc = vx_scale(vx, img, s->frame);
    if (rc < 0) {
        return rc;
    }
    s->frame->pts = s->next_pts++;
    return vx_encode(vx, s, s->frame);
}

/* Encodes whole frames from the FIFO; with `final`, also the remainder (as
 * a short last frame when the codec allows it, else padded with silence). */
static int audio_drain(struct vexport *vx, int final)
{
    struct vx_stream *s = &vx->audio;
    int fsize = s->frame->nb_samples > 0 ? s->frame->nb_samples : 1024;
    int small_ok = s->enc->codec->capabilities &
                   AV_CODEC_CAP_SMALL_LAST_FRAME;
    int have;
    while ((have = av_audio_fifo_size(s->fifo)) >= fsize ||
           (final && have > 0)) {
        int n = have < fsize ? have : fsize;
        int ret = av_frame_make_writable(s->frame);
        if (ret < 0) {
            return vx_averr(vx, ret, "making the audio frame writable");
        }
        if (av_audio_fifo_read(s->fifo, (void **)s->frame->data, n) != n) {
            return vx_fail(vx, DY_EEXTERNAL, "reading the audio FIFO");
        }
        s->frame->nb_samples = n;
        if (n < fsize && !small_ok) {
            av_samples_set_silence(s->frame->data, n, fsize - n,
                                   s->enc->ch_layout.nb_channels,
                                   s->enc->sample_fmt);
            s->frame->nb_samples = fsize;
        }
        s->frame->pts = s->next_pts;
        s->next_pts += s->frame->nb_samples;
        int rc = vx_encode(vx, s, s->frame);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

/* Converts up to `n` input frames (pcm NULL: flush the resampler) into the
 * FIFO. */
static int audio_convert(struct vexport *vx, const float *pcm, int n)
{
    struct vx_stream *s = &vx->audio;
    int out_n = swr_get_out_samples(s->swr, n);
    if (out_n < 0) {
        return vx_averr(vx, out_n, "resampling audio");
    }
    if (out_n > s->conv_cap) {
        if (s->conv) {
            av_freep(&s->conv[0]);
        }
        av_freep(&s->conv);
        int ret = av_samples_alloc_array_and_samples(
            &s->conv, NULL, s->enc->ch_layout.nb_channels, out_n,
            s->enc->sample_fmt, 0);
        if (ret < 0) {
            s->conv_cap = 0;
            return vx_averr(vx, ret, "allocating audio buffers");
        }
        s->conv_cap = out_n;
    }
    const uint8_t *in[1] = {(const uint8_t *)pcm};
    int got = swr_convert(s->swr, s->conv, s->conv_cap, pcm ? in : NULL,
                          pcm ? n : 0);
    if (got < 0) {
        return vx_averr(vx, got, "resampling audio");
    }
    if (got > 0 && av_audio_fifo_write(s->fifo, (void **)s->conv, got) !=
                       got) {
        return vx_fail(vx, DY_ENOMEM, "growing the audio FIFO");
    }
    return 0;
}

int vx_lavf_push_audio(struct vexport *vx, const float *pcm, size_t n)
{
    const size_t chunk = 4096; /* bounds the scratch buffer */
    while (n > 0) {
        int k = (int)(n < chunk ? n : chunk);
        int rc = audio_convert(vx, pcm, k);
        if (rc == 0) {
            rc = audio_drain(vx, 0);
        }
        if (rc < 0) {
            return rc;
        }
        pcm += (size_t)k * (size_t)vx->o.audio_channels;
        n -= (size_t)k;
    }
    return 0;
}

/* ASS dialogue text for FFmpeg's subtitle encoders: '\n' becomes \N. Their
 * ASS splitter has no escapes, so a backslash (which could start \N or an
 * override block "{\...}") is replaced by U+FF3C FULLWIDTH REVERSE SOLIDUS,
 * which looks the same. Returns a malloc'd line or NULL. */
static char *ass_line(const char *utf8)
{
    static const char prefix[] = "0,0,Default,,0,0,0,,";
    static const char fw_backslash[] = "\xef\xbc\xbc";
    size_t len = strlen(utf8);
    char *out = malloc(sizeof(prefix) + 3 * len + 1);
    if (!out) {
        return NULL;
    }
    char *o = out + sizeof(prefix) - 1;
    memcpy(out, prefix, sizeof(prefix) - 1);
    for (const char *p = utf8; *p; p++) {
        if (*p == '\n') {
            *o++ = '\\', *o++ = 'N';
        } else if (*p == '\r') {
            continue;
        } else if (*p == '\\') {
            memcpy(o, fw_backslash, 3);
            o += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

int vx_lavf_push_subtitle(struct vexport *vx, double start_s, double end_s,
                          const char *utf8)
{
    struct vx_stream *s = &vx->sub;
    int64_t start_ms = llround(start_s * 1000), end_ms = llround(end_s * 1000);
    if (start_ms < s->last_sub_ms) {
        return vx_fail(vx, DY_EINVAL, "subtitle at %.3f s comes before the "
                       "previous one (push them in order)", start_s);
    }
    if (end_ms <= start_ms) {
        end_ms = start_ms + 1;
    }
    char *line = ass_line(utf8);
    const int bufsize = 1 << 20;
    uint8_t *buf = av_malloc(bufsize);
    int rc = 0;
    if (!line || !buf) {
        rc = vx_fail(vx, DY_ENOMEM, "allocating a subtitle");
        goto fail;
    }
    AVSubtitleRect rect = {.type = SUBTITLE_ASS, .ass = line};
    AVSubtitleRect *rects[1] = {&rect};
    AVSubtitle sub = {
        .start_display_time = 0,
        .end_display_time = (uint32_t)(end_ms - start_ms),
        .num_rects = 1,
        .rects = rects,
        .pts = start_ms * 1000, /* AV_TIME_BASE */
    };
    int size = avcodec_encode_subtitle(s->enc, buf, bufsize, &sub);
    if (size < 0) {
        rc = vx_averr(vx, size, "encoding the subtitle at %.3f s", start_s);
        goto fail;
    }
    int ret = av_new_packet(vx->pkt, size);
    if (ret < 0) {
        rc = vx_averr(vx, ret, "allocating a subtitle packet");
        goto fail;
    }
    memcpy(vx->pkt->data, buf, (size_t)size);
    vx->pkt->pts = vx->pkt->dts = start_ms;
    vx->pkt->duration = end_ms - start_ms;
    vx->pkt->flags |= AV_PKT_FLAG_KEY;
    av_packet_rescale_ts(vx->pkt, (AVRational){1, 1000}, s->st->time_base);
    vx->pkt->stream_index = s->st->index;
    ret = av_interleaved_write_frame(vx->oc, vx->pkt);
    if (ret < 0) {
        rc = vx_averr(vx, ret, "writing the subtitle at %.3f s", start_s);
        goto fail;
    }
    s->last_sub_ms = start_ms;
fail:
    av_free(buf);
    free(line);
    return rc;
}

int vx_lavf_finish(struct vexport *vx)
{
    int rc = 0;
    if (vx->audio.enc) {
        if ((rc = audio_convert(vx, NULL, 0)) < 0 ||
            (rc = audio_drain(vx, 1)) < 0 ||
            (rc = vx_encode(vx, &vx->audio, NULL)) < 0) {
            return rc;
        }
    }
    if (vx->video.enc && (rc = vx_encode(vx, &vx->video, NULL)) < 0) {
        return rc;
    }
    int ret = av_write_trailer(vx->oc);
    vx->header_written = 0;
    if (ret < 0) {
        return vx_averr(vx, ret, "writing the trailer");
    }
    vx->io_open = 0;
    ret = avio_closep(&vx->oc->pb);
    if (ret < 0) {
        return vx_averr(vx, ret, "closing the output file");
    }
    return 0;
}

static void stream_free(struct vx_stream *s)
{
    avcodec_free_context(&s->enc);
    av_frame_free(&s->frame);
    sws_freeContext(s->sws);
    s->sws = NULL;
    swr_free(&s->swr);
    if (s->fifo) {
        av_audio_fifo_free(s->fifo);
        s->fifo = NULL;
    }
    if (s->conv) {
        av_freep(&s->conv[0]);
    }
    av_freep(&s->conv);
    s->conv_cap = 0;
}

void vx_streams_free(struct vexport *vx)
{
    avfilter_graph_free(&vx->graph);
    vx->bsrc = vx->bsink = NULL;
    stream_free(&vx->video);
    stream_free(&vx->audio);
    stream_free(&vx->sub);
    av_packet_free(&vx->pkt);
    if (vx->oc) {
        /* An abort after the header: no trailer, the file is deleted. */
        if (vx->io_open) {
            avio_closep(&vx->oc->pb);
            vx->io_open = 0;
        }
        avformat_free_context(vx->oc);
        vx->oc = NULL;
    }
}
