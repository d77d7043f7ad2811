/* vx_probe.c: reading our outputs back (see vx_probe.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>

#include "vx_probe.h"

int probe_file(const char *path, struct probe_info *info)
{
    memset(info, 0, sizeof(*info));
    AVFormatContext *fc = NULL;
    if (avformat_open_input(&fc, path, NULL, NULL) < 0) {
        return -1;
    }
    if (avformat_find_stream_info(fc, NULL) < 0) {
        avformat_close_input(&fc);
        return -1;
    }
    info->nstreams = (int)fc->nb_streams;
    if (info->nstreams > PROBE_MAX_STREAMS) {
        info->nstreams = PROBE_MAX_STREAMS;
    }
    int64_t first[PROBE_MAX_STREAMS], end[PROBE_MAX_STREAMS];
    for (int i = 0; i < info->nstreams; i++) {
        AVStream *st = fc->streams[i];
        struct probe_stream *p = &info->st[i];
        p->type = st->codecpar->codec_type;
        p->codec = st->codecpar->codec_id;
        p->pix_fmt = st->codecpar->format;
        p->width = st->codecpar->width;
        p->height = st->codecpar->height;
        p->fps_num = st->avg_frame_rate.num;
        p->fps_den = st->avg_frame_rate.den;
        p->rate = st->codecpar->sample_rate;
        p->channels = st->codecpar->ch_layout.nb_channels;
        AVDictionaryEntry *e = av_dict_get(st->metadata, "language", NULL, 0);
        if (e) {
            snprintf(p->lang, sizeof(p->lang), "%s", e->value);
        }
        first[i] = INT64_MAX;
        end[i] = INT64_MIN;
    }
    AVPacket *pkt = av_packet_alloc();
    while (av_read_frame(fc, pkt) >= 0) {
        int i = pkt->stream_index;
        if (i < info->nstreams && pkt->pts != AV_NOPTS_VALUE) {
            info->st[i].packets++;
            if (pkt->pts < first[i]) {
                first[i] = pkt->pts;
            }
            if (pkt->pts + pkt->duration > end[i]) {
                end[i] = pkt->pts + pkt->duration;
            }
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    for (int i = 0; i < info->nstreams; i++) {
        if (info->st[i].packets) {
            double tb = av_q2d(fc->streams[i]->time_base);
            info->st[i].start_s = first[i] * tb;
            info->st[i].duration_s = (end[i] - first[i]) * tb;
        }
    }
    info->format_duration_s = fc->duration > 0
                                  ? fc->duration / (double)AV_TIME_BASE : 0;
    avformat_close_input(&fc);
    return 0;
}

static AVCodecContext *open_dec(AVFormatContext *fc, int idx)
{
    const AVCodec *c = avcodec_find_decoder(fc->streams[idx]->codecpar->codec_id);
    AVCodecContext *d = avcodec_alloc_context3(c);
    avcodec_parameters_to_context(d, fc->streams[idx]->codecpar);
    d->pkt_timebase = fc->streams[idx]->time_base;
    if (avcodec_open2(d, c, NULL) < 0) {
        avcodec_free_context(&d);
    }
    return d;
}

/* Opens path and a decoder for its best stream of `type`; NULL (and
 * nothing left open) when either fails. */
static AVCodecContext *open_best(const char *path, enum AVMediaType type, AVFormatContext **fc,
                                 int *idx)
{
    *fc = NULL;
    if (avformat_open_input(fc, path, NULL, NULL) < 0) {
        return NULL;
    }
    avformat_find_stream_info(*fc, NULL);
    *idx = av_find_best_stream(*fc, type, -1, -1, NULL, 0);
    AVCodecContext *d = *idx >= 0 ? open_dec(*fc, *idx) : NULL;
    if (!d) {
        avformat_close_input(fc);
    }
    return d;
}

long probe_video(const char *path, probe_frame_cb cb, void *ud)
{
    AVFormatContext *fc;
    int idx;
    AVCodecContext *d = open_best(path, AVMEDIA_TYPE_VIDEO, &fc, &idx);
    if (!d) {
        return -1;
    }
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    struct SwsContext *sws = NULL;
    uint32_t *rgb = NULL;
    long n = 0;
    int eof = 0;
    while (!eof) {
        if (av_read_frame(fc, pkt) < 0) {
            eof = 1;
            avcodec_send_packet(d, NULL);
        } else {
            if (pkt->stream_index == idx) {
                avcodec_send_packet(d, pkt);
            }
            av_packet_unref(pkt);
        }
        while (avcodec_receive_frame(d, f) == 0) {
            sws = sws_getCachedContext(sws, f->width, f->height, f->format,
                                       f->width, f->height, AV_PIX_FMT_RGB32,
                                       SWS_POINT, NULL, NULL, NULL);
            if (f->colorspace == AVCOL_SPC_BT709) {
                sws_setColorspaceDetails(
                    sws, sws_getCoefficients(SWS_CS_ITU709),
                    f->color_range == AVCOL_RANGE_JPEG,
                    sws_getCoefficients(SWS_CS_ITU709), 1, 0, 1 << 16,
                    1 << 16);
            }
            /* Into an aligned frame first: sws may leave the tail of
             * unaligned rows unwritten. */
            AVFrame *tmp = av_frame_alloc();
            tmp->format = AV_PIX_FMT_RGB32;
            tmp->width = f->width;
            tmp->height = f->height;
            av_frame_get_buffer(tmp, 0);
            sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0,
                      f->height, tmp->data, tmp->linesize);
            rgb = realloc(rgb, (size_t)f->width * f->height * 4);
            for (int y = 0; y < f->height; y++) {
                memcpy(rgb + (size_t)y * f->width,
                       tmp->data[0] + (size_t)y * tmp->linesize[0],
                       (size_t)f->width * 4);
            }
            av_frame_free(&tmp);
            if (cb) {
                cb(n, rgb, f->width, f->height, ud);
            }
            n++;
            av_frame_unref(f);
        }
    }
    free(rgb);
    sws_freeContext(sws);
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&d);
    avformat_close_input(&fc);
    return n;
}

int probe_audio(const char *path, float **pcm, size_t *nframes, int *rate,
                int *channels)
{
    AVFormatContext *fc;
    int idx;
    AVCodecContext *d = open_best(path, AVMEDIA_TYPE_AUDIO, &fc, &idx);
    if (!d) {
        return -1;
    }
    int ch = d->ch_layout.nb_channels;
    SwrContext *swr = NULL;
    swr_alloc_set_opts2(&swr, &d->ch_layout, AV_SAMPLE_FMT_FLT,
                        d->sample_rate, &d->ch_layout, d->sample_fmt,
                        d->sample_rate, 0, NULL);
    swr_init(swr);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    float *out = NULL;
    size_t n = 0, cap = 0;
    int eof = 0;
    while (!eof) {
        if (av_read_frame(fc, pkt) < 0) {
            eof = 1;
            avcodec_send_packet(d, NULL);
        } else {
            if (pkt->stream_index == idx) {
                avcodec_send_packet(d, pkt);
            }
            av_packet_unref(pkt);
        }
        while (avcodec_receive_frame(d, f) == 0) {
            if (n + (size_t)f->nb_samples > cap) {
                cap = (n + (size_t)f->nb_samples) * 2;
                out = realloc(out, cap * (size_t)ch * sizeof(float));
            }
            uint8_t *dst = (uint8_t *)(out + n * (size_t)ch);
            int got = swr_convert(swr, &dst, f->nb_samples,
                                  (const uint8_t **)f->extended_data,
                                  f->nb_samples);
            if (got > 0) {
                n += (size_t)got;
            }
            av_frame_unref(f);
        }
    }
    *pcm = out;
    *nframes = n;
    *rate = d->sample_rate;
    *channels = ch;
    swr_free(&swr);
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&d);
    avformat_close_input(&fc);
    return 0;
}

int probe_subtitles(const char *path, struct probe_cue *cues, int max)
{
    AVFormatContext *fc;
    int idx;
    AVCodecContext *d = open_best(path, AVMEDIA_TYPE_SUBTITLE, &fc, &idx);
    if (!d) {
        return -1;
    }
    AVPacket *pkt = av_packet_alloc();
    int n = 0;
    double tb = av_q2d(fc->streams[idx]->time_base);
    while (av_read_frame(fc, pkt) >= 0) {
        if (pkt->stream_index == idx && n < max) {
            AVSubtitle sub;
            int got = 0;
            /* mov_text fills gaps with empty cues: skip those. */
            if (avcodec_decode_subtitle2(d, &sub, &got, pkt) >= 0 && got &&
                sub.num_rects == 0) {
                avsubtitle_free(&sub);
            } else if (got) {
                cues[n].start_s = pkt->pts * tb;
                cues[n].end_s = (pkt->pts + pkt->duration) * tb;
                cues[n].text[0] = '\0';
                if (sub.num_rects > 0 && sub.rects[0]->ass) {
                    snprintf(cues[n].text, sizeof(cues[n].text), "%s",
                             sub.rects[0]->ass);
                }
                n++;
                avsubtitle_free(&sub);
            }
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    avcodec_free_context(&d);
    avformat_close_input(&fc);
    return n;
}

long probe_red_centroid(const uint32_t *px, int w, int h, double *cx,
                        double *cy)
{
    double sx = 0, sy = 0;
    long n = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            uint32_t p = px[(size_t)y * w + x];
            int r = p >> 16 & 255, g = p >> 8 & 255, b = p & 255;
            if (r > 180 && g < 90 && b < 90) {
                sx += x, sy += y, n++;
            }
        }
    }
    if (n) {
        *cx = sx / n;
        *cy = sy / n;
    }
    return n;
}

int probe_mp4_boxes(const char *path, char *out, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    out[0] = '\0';
    unsigned char h[16];
    long pos = 0;
    while (fseek(f, pos, SEEK_SET) == 0 && fread(h, 1, 8, f) == 8) {
        uint64_t len = (uint64_t)h[0] << 24 | h[1] << 16 | h[2] << 8 | h[3];
        if (len == 1) {
            if (fread(h + 8, 1, 8, f) != 8) {
                break;
            }
            len = 0;
            for (int i = 8; i < 16; i++) {
                len = len << 8 | h[i];
            }
        }
        if (len < 8) {
            break;
        }
        size_t l = strlen(out);
        snprintf(out + l, size - l, "%s%.4s", l ? " " : "", (char *)h + 4);
        pos += (long)len;
    }
    fclose(f);
    return 0;
}
