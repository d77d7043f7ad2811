/* media_audio.c: audio decoding (WAV, Ogg Vorbis/Opus, MP3, FLAC) resampled
 * to the caller's rate and channel count, interleaved float: as a stream,
 * packet by packet, so memory does not grow with the clip's length, and
 * whole (media_audio_decode, built on the stream). */
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
#define MEDIA_AUDIO_NAME_MAX 256

struct media_audio_stream {
    struct media_input in;
    SwrContext *swr;
    AVPacket *pkt;
    AVFrame *frame;
    int rate, channels;
    /* Resampled frames not yet read: fifo[head .. head + len) (in frames).
     * It holds at most one decoded frame's output plus what a read left. */
    float *fifo;
    size_t head, len, cap;
    size_t produced, max; /* frames resampled so far; the 2-hour cap */
    int demux_eof;        /* the decoder has been sent its flush */
    int done;             /* decoder drained and resampler flushed */
    struct dy_err sticky; /* the first error; every later call returns it */
    char name[MEDIA_AUDIO_NAME_MAX];
};

/* Makes room for `extra` more frames after the queued ones, moving them to
 * the front before growing the buffer. */
static int fifo_reserve(struct media_audio_stream *s, size_t extra,
                        struct dy_err *err)
{
    size_t ch = (size_t)s->channels;
    if (s->head + s->len + extra <= s->cap) {
        return 0;
    }
    if (s->head > 0) {
        memmove(s->fifo, s->fifo + s->head * ch, s->len * ch * sizeof(float));
        s->head = 0;
    }
    if (s->len + extra <= s->cap) {
        return 0;
    }
    size_t cap = s->cap ? s->cap : 8192;
    while (cap < s->len + extra) {
        cap *= 2;
    }
    float *p = realloc(s->fifo, cap * ch * sizeof(float));
    if (!p) {
        return dy_err_set(err, DY_ENOMEM, s->name, "allocating %zu samples",
                          cap);
    }
    s->fifo = p;
    s->cap = cap;
    return 0;
}

/* Converts one decoded frame (NULL: flush the resampler) into the FIFO. */
static int convert(struct media_audio_stream *s, const AVFrame *frame,
                   struct dy_err *err)
{
    int in_n = frame ? frame->nb_samples : 0;
    int out_n = swr_get_out_samples(s->swr, in_n);
    if (out_n < 0) {
        return media_averr(err, &s->in.log, s->name, out_n, "resampling");
    }
    int rc = fifo_reserve(s, (size_t)out_n, err);
    if (rc < 0) {
        return rc;
    }
    uint8_t *dst = (uint8_t *)(s->fifo + (s->head + s->len) *
                                             (size_t)s->channels);
    int got = swr_convert(s->swr, &dst, out_n,
                          frame ? (const uint8_t **)frame->extended_data : NULL,
                          in_n);
    if (got < 0) {
        return media_averr(err, &s->in.log, s->name, got, "resampling");
    }
    s->len += (size_t)got;
    s->produced += (size_t)got;
    if (s->produced > s->max) {
        return dy_err_set(err, DY_ELIMIT, s->name,
                          "audio is longer than %d minutes",
                          MEDIA_AUDIO_MAX_S / 60);
    }
    return 0;
}

/* Sets up the resampler from the decoder's format to float at rate/ch. */
static int open_swr(struct media_audio_stream *s, struct dy_err *err)
{
    const struct media_input *in = &s->in;
    /* Zeroed: av_channel_layout_copy() uninits its destination first. */
    AVChannelLayout in_layout = {0}, out_layout = {0};
    av_channel_layout_default(&out_layout, s->channels);
    /* Some demuxers (raw WAV without a channel mask) leave the order
     * unspecified: treat N channels as the default N-channel layout. */
    if (in->dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
        av_channel_layout_default(&in_layout, in->dec->ch_layout.nb_channels);
    } else if (av_channel_layout_copy(&in_layout, &in->dec->ch_layout) < 0) {
        return dy_err_set(err, DY_ENOMEM, s->name,
                          "copying the channel layout");
    }
    int ret = swr_alloc_set_opts2(&s->swr, &out_layout, AV_SAMPLE_FMT_FLT,
                                  s->rate, &in_layout, in->dec->sample_fmt,
                                  in->dec->sample_rate, 0, NULL);
    /* A mono voice clip should sound as loud on both speakers as it does on
     * one: swr's default puts a mono input at -3 dB into L and R. */
    if (ret >= 0 && in_layout.nb_channels == 1 && s->channels == 2) {
        static const double up[2] = {1.0, 1.0}; /* [out][in], stride 1 */
        ret = swr_set_matrix(s->swr, up, 1);
    }
    av_channel_layout_uninit(&in_layout);
    av_channel_layout_uninit(&out_layout);
    if (ret >= 0) {
        ret = swr_init(s->swr);
    }
    if (ret < 0) {
        return media_averr(err, &s->in.log, s->name, ret,
                           "setting up resampling");
    }
    return 0;
}

/* One step of decoding: reads one packet of our stream (or flushes the
 * decoder at the end) and resamples every frame it yields into the FIFO;
 * at the very end flushes the resampler and sets s->done. */
static int pump(struct media_audio_stream *s, struct dy_err *err)
{
    struct media_input *in = &s->in;
    int ret;
    if (!s->demux_eof) {
        ret = av_read_frame(in->fmt, s->pkt);
        if (ret == AVERROR_EOF) {
            s->demux_eof = 1;
            ret = avcodec_send_packet(in->dec, NULL);
        } else if (ret < 0) {
            return media_averr(err, &in->log, s->name, ret, "reading audio");
        } else if (s->pkt->stream_index != in->stream) {
            av_packet_unref(s->pkt);
            return 0;
        } else {
            ret = avcodec_send_packet(in->dec, s->pkt);
            av_packet_unref(s->pkt);
            /* A damaged packet in the middle: skip it, keep the rest. */
            if (ret == AVERROR_INVALIDDATA) {
                ret = 0;
            }
        }
        if (ret < 0) {
            return media_averr(err, &in->log, s->name, ret, "decoding audio");
        }
    }
    while ((ret = avcodec_receive_frame(in->dec, s->frame)) == 0) {
        int rc = convert(s, s->frame, err);
        av_frame_unref(s->frame);
        if (rc < 0) {
            return rc;
        }
    }
    if (ret == AVERROR_EOF) {
        int rc = convert(s, NULL, err);
        if (rc < 0) {
            return rc;
        }
        s->done = 1;
        return 0;
    }
    if (ret != AVERROR(EAGAIN)) {
        return media_averr(err, &in->log, s->name, ret, "decoding audio");
    }
    return 0;
}

/* Returns the sticky error (copied into err) or records a new one. */
static int stick(struct media_audio_stream *s, int rc, struct dy_err *err)
{
    if (rc < 0 && s->sticky.code == 0) {
        if (err) {
            s->sticky = *err;
        } else {
            dy_err_set(&s->sticky, rc, s->name, "decoding audio failed");
        }
        s->sticky.code = rc;
    }
    return rc;
}

static int sticky_error(const struct media_audio_stream *s,
                        struct dy_err *err)
{
    if (err) {
        *err = s->sticky;
    }
    return s->sticky.code;
}

/* Makes at least `want` frames available (fewer only at the end). */
static int fill(struct media_audio_stream *s, size_t want, struct dy_err *err)
{
    while (s->len < want && !s->done) {
        int rc = pump(s, err);
        if (rc < 0) {
            return stick(s, rc, err);
        }
    }
    return 0;
}

int media_audio_stream_open(const void *data, size_t size, const char *name,
                            int rate, int channels,
                            struct media_audio_stream **out,
                            struct dy_err *err)
{
    if (!name) {
        name = "audio";
    }
    if (rate < 8000 || rate > 192000 || channels < 1 || channels > 2) {
        return dy_err_set(err, DY_EINVAL, name,
                          "decoding audio: output %d Hz x %d channels is not "
                          "supported (8000..192000 Hz, 1 or 2 channels)",
                          rate, channels);
    }
    struct media_audio_stream *s = calloc(1, sizeof(*s));
    if (!s) {
        return dy_err_set(err, DY_ENOMEM, name, "allocating a decoder");
    }
    snprintf(s->name, sizeof(s->name), "%s", name);
    s->rate = rate;
    s->channels = channels;
    s->max = (size_t)MEDIA_AUDIO_MAX_S * (size_t)rate;
    int rc = media_input_open(&s->in, data, size, s->name, AVMEDIA_TYPE_AUDIO,
                              err);
    if (rc < 0) {
        free(s);
        return rc;
    }
    const AVStream *st = s->in.fmt->streams[s->in.stream];
    /* Refuse a declared duration past the cap before decoding anything. */
    if (st->duration != AV_NOPTS_VALUE && st->time_base.den > 0 &&
        st->duration * av_q2d(st->time_base) > MEDIA_AUDIO_MAX_S) {
        rc = dy_err_set(err, DY_ELIMIT, s->name,
                        "audio is longer than %d minutes (%.0f s)",
                        MEDIA_AUDIO_MAX_S / 60,
                        st->duration * av_q2d(st->time_base));
        goto fail;
    }
    if (s->in.dec->sample_rate <= 0 ||
        s->in.dec->ch_layout.nb_channels <= 0) {
        rc = dy_err_set(err, DY_EFORMAT, s->name,
                        "decoding audio: no sample rate or channels");
        goto fail;
    }
    s->pkt = av_packet_alloc();
    s->frame = av_frame_alloc();
    if (!s->pkt || !s->frame) {
        rc = dy_err_set(err, DY_ENOMEM, s->name, "allocating a frame");
        goto fail;
    }
    if ((rc = open_swr(s, err)) < 0) {
        goto fail;
    }
    *out = s;
    return 0;
fail:
    media_audio_stream_close(s);
    return rc;
}

int media_audio_stream_read(struct media_audio_stream *s, float *out,
                            size_t nframes, size_t *got, struct dy_err *err)
{
    *got = 0;
    if (s->sticky.code < 0) {
        return sticky_error(s, err);
    }
    size_t ch = (size_t)s->channels;
    while (*got < nframes) {
        /* Pull in slices so the FIFO never holds more than a packet's worth
         * beyond what this call copies out. */
        int rc = fill(s, 1, err);
        if (rc < 0) {
            return rc;
        }
        if (s->len == 0) {
            break; /* the end */
        }
        size_t n = nframes - *got < s->len ? nframes - *got : s->len;
        memcpy(out + *got * ch, s->fifo + s->head * ch, n * ch * sizeof(float));
        s->head += n;
        s->len -= n;
        *got += n;
    }
    return 0;
}

int media_audio_stream_skip(struct media_audio_stream *s, size_t nframes,
                            struct dy_err *err)
{
    size_t done = 0;
    if (s->sticky.code < 0) {
        return sticky_error(s, err);
    }
    /* Decoded and dropped rather than seeked: a seek lands on a packet
     * boundary and restarts the resampler's filter, so the samples after it
     * would differ from a read of the whole clip. */
    while (done < nframes) {
        int rc = fill(s, 1, err);
        if (rc < 0) {
            return rc;
        }
        if (s->len == 0) {
            break;
        }
        size_t n = nframes - done < s->len ? nframes - done : s->len;
        s->head += n;
        s->len -= n;
        done += n;
    }
    return 0;
}

void media_audio_stream_close(struct media_audio_stream *s)
{
    if (!s) {
        return;
    }
    av_frame_free(&s->frame);
    av_packet_free(&s->pkt);
    swr_free(&s->swr);
    media_input_close(&s->in);
    free(s->fifo);
    free(s);
}

int media_audio_decode(const void *data, size_t size, const char *name,
                       int rate, int channels, struct media_audio *out,
                       struct dy_err *err)
{
    struct media_audio_stream *s = NULL;
    float *pcm = NULL;
    size_t n = 0, cap = 0;
    int rc = media_audio_stream_open(data, size, name, rate, channels, &s,
                                     err);
    if (rc < 0) {
        return rc;
    }
    const size_t ch = (size_t)channels;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            float *p = realloc(pcm, ncap * ch * sizeof(float));
            if (!p) {
                rc = dy_err_set(err, DY_ENOMEM, s->name,
                                "allocating %zu samples", ncap);
                goto fail;
            }
            pcm = p;
            cap = ncap;
        }
        size_t got;
        if ((rc = media_audio_stream_read(s, pcm + n * ch, cap - n, &got,
                                          err)) < 0) {
            goto fail;
        }
        n += got;
        if (n < cap) {
            break; /* fewer than asked: the end */
        }
    }
    if (n > 0 && n < cap) { /* give back the unused doubling */
        float *p = realloc(pcm, n * ch * sizeof(float));
        pcm = p ? p : pcm;
    }
    out->rate = rate;
    out->channels = channels;
    out->pcm = pcm;
    out->nframes = n;
    pcm = NULL;
    rc = 0;
fail:
    free(pcm);
    media_audio_stream_close(s);
    return rc;
}

void media_audio_fini(struct media_audio *a)
{
    if (a) {
        free(a->pcm);
        memset(a, 0, sizeof(*a));
    }
}
