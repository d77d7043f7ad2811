/* media_audio.c: whole-file audio decoding (WAV, Ogg Vorbis/Opus, MP3, FLAC)
 * resampled to the caller's rate and channel count, interleaved float. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>

#include "daryn/media.h"
#include "media_internal.h"

#define MEDIA_AUDIO_MAX_S (2 * 3600)

struct pcm_buf {
    float *pcm;
    size_t nframes, cap; /* in frames (samples per channel) */
    size_t max;          /* frames allowed by MEDIA_AUDIO_MAX_S */
    int channels;
};

/* Makes room for `extra` more frames (the caller checks the cap). */
static int pcm_reserve(struct pcm_buf *b, size_t extra, const char *name,
                       struct dy_err *err)
{
    size_t need = b->nframes + extra;
    if (need <= b->cap) {
        return 0;
    }
    size_t cap = b->cap ? b->cap : 65536;
    while (cap < need) {
        cap *= 2;
    }
    float *p = realloc(b->pcm, cap * (size_t)b->channels * sizeof(float));
    if (!p) {
        return dy_err_set(err, DY_ENOMEM, name, "allocating %zu samples",
                          cap);
    }
    b->pcm = p;
    b->cap = cap;
    return 0;
}

/* Converts one decoded frame (NULL: flush the resampler) and appends it. */
static int convert(SwrContext *swr, const AVFrame *frame, struct pcm_buf *b,
                   const struct media_input *in, const char *name,
                   struct dy_err *err)
{
    int in_n = frame ? frame->nb_samples : 0;
    int out_n = swr_get_out_samples(swr, in_n);
    if (out_n < 0) {
        return media_averr(err, &in->log, name, out_n, "resampling");
    }
    int rc = pcm_reserve(b, (size_t)out_n, name, err);
    if (rc < 0) {
        return rc;
    }
    uint8_t *dst = (uint8_t *)(b->pcm + b->nframes * (size_t)b->channels);
    int got = swr_convert(swr, &dst, out_n,
                          frame ? (const uint8_t **)frame->extended_data : NULL,
                          in_n);
    if (got < 0) {
        return media_averr(err, &in->log, name, got, "resampling");
    }
    b->nframes += (size_t)got;
    if (b->nframes > b->max) {
        return dy_err_set(err, DY_ELIMIT, name,
                          "audio is longer than %d minutes",
                          MEDIA_AUDIO_MAX_S / 60);
    }
    return 0;
}

/* Sets up the resampler from the decoder's format to float at rate/ch. */
static int open_swr(SwrContext **swr, const struct media_input *in, int rate,
                    int channels, const char *name, struct dy_err *err)
{
    AVChannelLayout in_layout, out_layout;
    av_channel_layout_default(&out_layout, channels);
    /* Some demuxers (raw WAV without a channel mask) leave the order
     * unspecified: treat N channels as the default N-channel layout. */
    if (in->dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
        av_channel_layout_default(&in_layout, in->dec->ch_layout.nb_channels);
    } else if (av_channel_layout_copy(&in_layout, &in->dec->ch_layout) < 0) {
        return dy_err_set(err, DY_ENOMEM, name, "copying the channel layout");
    }
    int ret = swr_alloc_set_opts2(swr, &out_layout, AV_SAMPLE_FMT_FLT, rate,
                                  &in_layout, in->dec->sample_fmt,
                                  in->dec->sample_rate, 0, NULL);
    /* A mono voice clip should sound as loud on both speakers as it does on
     * one: swr's default puts a mono input at -3 dB into L and R. */
    if (ret >= 0 && in_layout.nb_channels == 1 && channels == 2) {
        static const double up[2] = {1.0, 1.0}; /* [out][in], stride 1 */
        ret = swr_set_matrix(*swr, up, 1);
    }
    av_channel_layout_uninit(&in_layout);
    av_channel_layout_uninit(&out_layout);
    if (ret >= 0) {
        ret = swr_init(*swr);
    }
    if (ret < 0) {
        return media_averr(err, &in->log, name, ret, "setting up resampling");
    }
    return 0;
}

/* Sends packets and drains frames until the end of the stream. */
static int decode_all(struct media_input *in, SwrContext *swr,
                      struct pcm_buf *b, const char *name, struct dy_err *err)
{
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int rc = 0;
    if (!pkt || !frame) {
        rc = dy_err_set(err, DY_ENOMEM, name, "allocating a frame");
        goto fail;
    }
    int eof = 0;
    while (!eof) {
        int ret = av_read_frame(in->fmt, pkt);
        if (ret == AVERROR_EOF) {
            eof = 1;
            ret = avcodec_send_packet(in->dec, NULL);
        } else if (ret < 0) {
            rc = media_averr(err, &in->log, name, ret, "reading audio");
            goto fail;
        } else if (pkt->stream_index != in->stream) {
            av_packet_unref(pkt);
            continue;
        } else {
            ret = avcodec_send_packet(in->dec, pkt);
            av_packet_unref(pkt);
            /* A damaged packet in the middle: skip it, keep the rest. */
            if (ret == AVERROR_INVALIDDATA) {
                ret = 0;
            }
        }
        if (ret < 0) {
            rc = media_averr(err, &in->log, name, ret, "decoding audio");
            goto fail;
        }
        while ((ret = avcodec_receive_frame(in->dec, frame)) == 0) {
            rc = convert(swr, frame, b, in, name, err);
            av_frame_unref(frame);
            if (rc < 0) {
                goto fail;
            }
        }
        if (ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) {
            rc = media_averr(err, &in->log, name, ret, "decoding audio");
            goto fail;
        }
    }
    rc = convert(swr, NULL, b, in, name, err);
fail:
    av_frame_free(&frame);
    av_packet_free(&pkt);
    return rc;
}

int media_audio_decode(const void *data, size_t size, const char *name,
                       int rate, int channels, struct media_audio *out,
                       struct dy_err *err)
{
    struct media_input in;
    SwrContext *swr = NULL;
    struct pcm_buf b = {.channels = channels};
    if (!name) {
        name = "audio";
    }
    if (rate < 8000 || rate > 192000 || channels < 1 || channels > 2) {
        return dy_err_set(err, DY_EINVAL, name,
                          "decoding audio: output %d Hz x %d channels is not "
                          "supported (8000..192000 Hz, 1 or 2 channels)",
                          rate, channels);
    }
    b.max = (size_t)MEDIA_AUDIO_MAX_S * (size_t)rate;
    int rc = media_input_open(&in, data, size, name, AVMEDIA_TYPE_AUDIO, err);
    if (rc < 0) {
        return rc;
    }
    const AVStream *st = in.fmt->streams[in.stream];
    /* Refuse a declared duration past the cap before decoding anything. */
    if (st->duration != AV_NOPTS_VALUE && st->time_base.den > 0 &&
        st->duration * av_q2d(st->time_base) > MEDIA_AUDIO_MAX_S) {
        rc = dy_err_set(err, DY_ELIMIT, name,
                        "audio is longer than %d minutes (%.0f s)",
                        MEDIA_AUDIO_MAX_S / 60,
                        st->duration * av_q2d(st->time_base));
        goto fail;
    }
    if (in.dec->sample_rate <= 0 || in.dec->ch_layout.nb_channels <= 0) {
        rc = dy_err_set(err, DY_EFORMAT, name,
                        "decoding audio: no sample rate or channels");
        goto fail;
    }
    if ((rc = open_swr(&swr, &in, rate, channels, name, err)) < 0 ||
        (rc = decode_all(&in, swr, &b, name, err)) < 0) {
        goto fail;
    }
    out->rate = rate;
    out->channels = channels;
    out->pcm = b.pcm;
    out->nframes = b.nframes;
    b.pcm = NULL;
    rc = 0;
fail:
    free(b.pcm);
    swr_free(&swr);
    media_input_close(&in);
    return rc;
}

void media_audio_fini(struct media_audio *a)
{
    if (a) {
        free(a->pcm);
        memset(a, 0, sizeof(*a));
    }
}
