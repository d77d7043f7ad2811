/* test_media.c: image and audio decoding from memory. Inputs are made here:
 * PNG and JPEG through libavcodec's encoders, WAV with a hand-written
 * header, MP3/Opus through libavcodec + libavformat when the encoders exist.
 * The streaming decoder must give the whole decode's samples whatever the
 * read sizes, and skip exactly. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>

#include "daryn/media.h"

/* ---- helpers ------------------------------------------------------------ */

/* Encodes one frame with encoder `codec_id` into a freshly malloc'd buffer. */
static uint8_t *encode_image(enum AVCodecID codec_id, AVFrame *frame,
                             size_t *size)
{
    const AVCodec *codec = avcodec_find_encoder(codec_id);
    assert_non_null(codec);
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    assert_non_null(enc);
    enc->width = frame->width;
    enc->height = frame->height;
    enc->pix_fmt = frame->format;
    enc->time_base = (AVRational){1, 25};
    enc->qmin = enc->qmax = 2; /* near-lossless JPEG */
    assert_int_equal(avcodec_open2(enc, codec, NULL), 0);
    AVPacket *pkt = av_packet_alloc();
    assert_int_equal(avcodec_send_frame(enc, frame), 0);
    assert_int_equal(avcodec_send_frame(enc, NULL), 0);
    assert_int_equal(avcodec_receive_packet(enc, pkt), 0);
    uint8_t *out = malloc((size_t)pkt->size);
    memcpy(out, pkt->data, (size_t)pkt->size);
    *size = (size_t)pkt->size;
    av_packet_free(&pkt);
    avcodec_free_context(&enc);
    return out;
}

static uint32_t px(const struct media_image *img, int x, int y)
{
    return ((const uint32_t *)(img->data + (size_t)y * img->stride))[x];
}

static int near(uint32_t a, uint32_t b, int tol)
{
    for (int sh = 0; sh < 32; sh += 8) {
        int d = (int)(a >> sh & 255) - (int)(b >> sh & 255);
        if (abs(d) > tol) {
            return 0;
        }
    }
    return 1;
}

/* ---- images ------------------------------------------------------------- */

/* 40x30 RGBA: left half opaque red, right half 50 % transparent blue. */
static void test_png_rgba(void **state)
{
    (void)state;
    AVFrame *f = av_frame_alloc();
    f->width = 40;
    f->height = 30;
    f->format = AV_PIX_FMT_RGBA;
    assert_int_equal(av_frame_get_buffer(f, 0), 0);
    for (int y = 0; y < 30; y++) {
        uint8_t *row = f->data[0] + y * f->linesize[0];
        for (int x = 0; x < 40; x++) {
            uint8_t *p = row + 4 * x;
            if (x < 20) {
                p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 255;
            } else {
                p[0] = 0, p[1] = 0, p[2] = 200, p[3] = 128;
            }
        }
    }
    size_t size;
    uint8_t *png = encode_image(AV_CODEC_ID_PNG, f, &size);
    av_frame_free(&f);

    struct media_image img;
    struct dy_err err = {0};
    assert_int_equal(media_image_decode(png, size, "t.png", &img, &err), 0);
    assert_int_equal(img.width, 40);
    assert_int_equal(img.height, 30);
    assert_int_equal(img.stride, 160);
    assert_int_equal(px(&img, 3, 3), 0xffff0000u);
    /* Premultiplied: 200 * 128 / 255 = 100. */
    assert_true(near(px(&img, 30, 20), 0x80000064u, 1));
    media_image_fini(&img);
    free(png);
}

/* 64x48 JPEG: top half green, bottom half white (full-range YUV). */
static void test_jpeg(void **state)
{
    (void)state;
    AVFrame *f = av_frame_alloc();
    f->width = 64;
    f->height = 48;
    f->format = AV_PIX_FMT_YUVJ420P;
    assert_int_equal(av_frame_get_buffer(f, 0), 0);
    for (int y = 0; y < 48; y++) {
        /* BT.601 full range: pure green (0,255,0) = Y 150, U 44, V 21. */
        int top = y < 24;
        memset(f->data[0] + y * f->linesize[0], top ? 150 : 255, 64);
        if (y % 2 == 0) {
            memset(f->data[1] + y / 2 * f->linesize[1], top ? 44 : 128, 32);
            memset(f->data[2] + y / 2 * f->linesize[2], top ? 21 : 128, 32);
        }
    }
    size_t size;
    uint8_t *jpg = encode_image(AV_CODEC_ID_MJPEG, f, &size);
    av_frame_free(&f);
    assert_true(size > 2 && jpg[0] == 0xff && jpg[1] == 0xd8);

    struct media_image img;
    struct dy_err err = {0};
    assert_int_equal(media_image_decode(jpg, size, "t.jpg", &img, &err), 0);
    assert_int_equal(img.width, 64);
    assert_int_equal(img.height, 48);
    assert_true(near(px(&img, 10, 5), 0xff00ff00u, 12));
    assert_true(near(px(&img, 50, 40), 0xffffffffu, 6));
    media_image_fini(&img);
    free(jpg);
}

static void test_image_garbage(void **state)
{
    (void)state;
    static const char junk[] = "this is not an image at all, just words";
    struct media_image img = {0};
    struct dy_err err = {0};
    int rc = media_image_decode(junk, sizeof(junk), "junk.png", &img, &err);
    assert_true(rc < 0);
    assert_string_equal(err.where, "junk.png");
    assert_non_null(strstr(err.msg, ":"));
    assert_null(img.data);
    rc = media_image_decode(junk, 0, "empty.png", &img, &err);
    assert_int_equal(rc, DY_EFORMAT);
}

/* A PNG 16385 px wide is over our limit (FFmpeg alone would accept it). */
static void test_image_too_big(void **state)
{
    (void)state;
    AVFrame *f = av_frame_alloc();
    f->width = 8;
    f->height = 8;
    f->format = AV_PIX_FMT_RGB24;
    assert_int_equal(av_frame_get_buffer(f, 0), 0);
    for (int y = 0; y < 8; y++) {
        memset(f->data[0] + y * f->linesize[0], 7, 24);
    }
    size_t size;
    uint8_t *png = encode_image(AV_CODEC_ID_PNG, f, &size);
    av_frame_free(&f);
    /* IHDR width/height live at bytes 16..23; the CRC is not checked by
     * FFmpeg's decoder without err_detect, the size check comes first. */
    const uint8_t wide[4] = {0, 0, 0x40, 0x01}; /* 16385 */
    memcpy(png + 16, wide, 4);
    struct media_image img = {0};
    struct dy_err err = {0};
    int rc = media_image_decode(png, size, "huge.png", &img, &err);
    assert_int_equal(rc, DY_ELIMIT);
    assert_non_null(strstr(err.msg, "16385x8"));
    free(png);
}

/* ---- audio -------------------------------------------------------------- */

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = v & 255, p[1] = v >> 8 & 255, p[2] = v >> 16 & 255, p[3] = v >> 24;
}

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = v & 255, p[1] = v >> 8;
}

/* 16-bit PCM WAV: silence until onset_s, then a sine of freq Hz, amplitude
 * 0.5, until len_s; the same signal on every channel. */
static uint8_t *make_wav(int rate, int channels, double len_s, double onset_s,
                         double freq, size_t *size)
{
    size_t n = (size_t)lround(len_s * rate);
    size_t data_bytes = n * (size_t)channels * 2;
    uint8_t *w = calloc(1, 44 + data_bytes);
    memcpy(w, "RIFF", 4);
    put_u32(w + 4, (uint32_t)(36 + data_bytes));
    memcpy(w + 8, "WAVEfmt ", 8);
    put_u32(w + 16, 16);
    put_u16(w + 20, 1); /* PCM */
    put_u16(w + 22, (uint16_t)channels);
    put_u32(w + 24, (uint32_t)rate);
    put_u32(w + 28, (uint32_t)(rate * channels * 2));
    put_u16(w + 32, (uint16_t)(channels * 2));
    put_u16(w + 34, 16);
    memcpy(w + 36, "data", 4);
    put_u32(w + 40, (uint32_t)data_bytes);
    size_t on = (size_t)lround(onset_s * rate);
    for (size_t i = on; i < n; i++) {
        double v = 0.5 * sin(2 * M_PI * freq * (double)(i - on) / rate);
        int16_t s = (int16_t)lround(v * 32767);
        for (int c = 0; c < channels; c++) {
            put_u16(w + 44 + (i * (size_t)channels + (size_t)c) * 2,
                    (uint16_t)s);
        }
    }
    *size = 44 + data_bytes;
    return w;
}

/* Decodes a WAV to 48 kHz stereo and checks length, onset and frequency. */
static void check_tone(int in_rate, int in_ch)
{
    const double len = 2.0, onset = 0.5, freq = 440.0;
    size_t size;
    uint8_t *wav = make_wav(in_rate, in_ch, len, onset, freq, &size);
    struct media_audio a;
    struct dy_err err = {0};
    assert_int_equal(media_audio_decode(wav, size, "tone.wav", 48000, 2, &a,
                                        &err), 0);
    assert_int_equal(a.rate, 48000);
    assert_int_equal(a.channels, 2);
    /* The resampler's flush may add or drop a handful of samples. */
    assert_true(labs((long)a.nframes - 96000) <= 32);
    size_t first = a.nframes;
    for (size_t i = 0; i < a.nframes; i++) {
        if (fabsf(a.pcm[2 * i]) > 0.05f) {
            first = i;
            break;
        }
    }
    /* The sine starts at 0, so it crosses 0.05 within ~20 us; allow 1 ms
     * for the resampler's filter. */
    assert_true(fabs((double)first / 48000 - onset) < 0.001);
    /* Both channels carry the same signal. */
    assert_true(fabsf(a.pcm[2 * (first + 100)] -
                      a.pcm[2 * (first + 100) + 1]) < 1e-4f);
    /* Frequency: count upward zero crossings over one second of tone. */
    size_t from = (size_t)(0.75 * 48000), to = from + 48000;
    int up = 0;
    for (size_t i = from + 1; i < to; i++) {
        if (a.pcm[2 * (i - 1)] < 0 && a.pcm[2 * i] >= 0) {
            up++;
        }
    }
    assert_true(abs(up - 440) <= 1);
    /* Amplitude is kept. */
    float peak = 0;
    for (size_t i = from; i < to; i++) {
        peak = fmaxf(peak, fabsf(a.pcm[2 * i]));
    }
    assert_true(fabsf(peak - 0.5f) < 0.02f);
    media_audio_fini(&a);
    assert_null(a.pcm);
    free(wav);
}

static void test_wav_mono_22050(void **state)
{
    (void)state;
    check_tone(22050, 1);
}

static void test_wav_stereo_44100(void **state)
{
    (void)state;
    check_tone(44100, 2);
}

/* Downmix to mono at another rate keeps the tone. */
static void test_wav_to_mono(void **state)
{
    (void)state;
    size_t size;
    uint8_t *wav = make_wav(44100, 2, 1.0, 0.0, 1000.0, &size);
    struct media_audio a;
    struct dy_err err = {0};
    assert_int_equal(media_audio_decode(wav, size, "s.wav", 16000, 1, &a,
                                        &err), 0);
    assert_int_equal(a.channels, 1);
    assert_true(labs((long)a.nframes - 16000) <= 16);
    int up = 0;
    for (size_t i = 1; i < a.nframes; i++) {
        up += a.pcm[i - 1] < 0 && a.pcm[i] >= 0;
    }
    assert_true(abs(up - 1000) <= 2);
    media_audio_fini(&a);
    free(wav);
}

static void test_audio_errors(void **state)
{
    (void)state;
    size_t size;
    uint8_t *wav = make_wav(8000, 1, 0.1, 0.0, 100.0, &size);
    struct media_audio a = {0};
    struct dy_err err = {0};
    assert_int_equal(media_audio_decode(wav, size, "x.wav", 48000, 3, &a,
                                        &err), DY_EINVAL);
    assert_string_equal(err.where, "x.wav");
    /* A data chunk claiming 37 hours: the demuxer trusts the real size, so
     * only the 0.1 s that exist are decoded, without a huge allocation. */
    put_u32(wav + 40, 0x7fffffffu);
    int rc = media_audio_decode(wav, size, "long.wav", 48000, 2, &a, &err);
    assert_int_equal(rc, 0);
    assert_true(labs((long)a.nframes - 4800) <= 32);
    media_audio_fini(&a);
    static const char junk[] = "RIFF....WAVEjunkjunkjunk";
    rc = media_audio_decode(junk, sizeof(junk), "junk.wav", 48000, 2, &a,
                            &err);
    assert_true(rc < 0);
    assert_string_equal(err.where, "junk.wav");
    assert_null(a.pcm);
    free(wav);
}


/* ---- streaming ---------------------------------------------------------- */

/* Reads the whole stream in chunks cycling through odd sizes and checks
 * every sample against the whole decode (bit for bit: the same resampler
 * calls in the same order), then that the end stays the end. */
static void check_stream_equals_whole(const uint8_t *data, size_t size,
                                      const char *name, int rate, int ch)
{
    static const size_t chunks[] = {1, 7, 480, 1999, 4096, 3, 48000};
    struct media_audio a;
    struct dy_err err = {0};
    assert_int_equal(media_audio_decode(data, size, name, rate, ch, &a,
                                        &err), 0);
    assert_true(a.nframes > (size_t)rate / 2);
    struct media_audio_stream *st = NULL;
    assert_int_equal(media_audio_stream_open(data, size, name, rate, ch, &st,
                                             &err), 0);
    float *buf = malloc(48000 * (size_t)ch * sizeof(float));
    size_t pos = 0, k = 0, got = 0;
    long mismatches = 0;
    do {
        size_t want = chunks[k++ % 7];
        assert_int_equal(media_audio_stream_read(st, buf, want, &got, &err),
                         0);
        /* Fewer frames than asked only at the very end. */
        if (got < want) {
            assert_int_equal(pos + got, a.nframes);
        }
        assert_true(pos + got <= a.nframes);
        for (size_t i = 0; i < got * (size_t)ch; i++) {
            mismatches += buf[i] != a.pcm[pos * (size_t)ch + i];
        }
        pos += got;
    } while (got > 0);
    assert_int_equal(mismatches, 0);
    assert_int_equal(pos, a.nframes);
    assert_int_equal(media_audio_stream_read(st, buf, 100, &got, &err), 0);
    assert_int_equal(got, 0);
    media_audio_stream_close(st);

    /* Skips: the samples after skip(k) are the whole decode's from k on. */
    const size_t skips[] = {0, 1, 1234, a.nframes / 2, a.nframes - 5,
                            a.nframes + 100};
    for (size_t j = 0; j < sizeof(skips) / sizeof(skips[0]); j++) {
        assert_int_equal(media_audio_stream_open(data, size, name, rate, ch,
                                                 &st, &err), 0);
        assert_int_equal(media_audio_stream_skip(st, skips[j], &err), 0);
        size_t from = skips[j] < a.nframes ? skips[j] : a.nframes;
        size_t want = a.nframes - from < 2000 ? a.nframes - from : 2000;
        assert_int_equal(media_audio_stream_read(st, buf, 2000, &got, &err),
                         0);
        assert_int_equal(got, want);
        assert_memory_equal(buf, a.pcm + from * (size_t)ch,
                            got * (size_t)ch * sizeof(float));
        media_audio_stream_close(st);
    }
    free(buf);
    media_audio_fini(&a);
}

static void test_stream_wav_mono_22050(void **state)
{
    (void)state;
    size_t size;
    uint8_t *wav = make_wav(22050, 1, 2.0, 0.5, 440.0, &size);
    check_stream_equals_whole(wav, size, "m.wav", 48000, 2);
    check_stream_equals_whole(wav, size, "m.wav", 16000, 1);
    free(wav);
}

static void test_stream_wav_stereo_44100(void **state)
{
    (void)state;
    size_t size;
    uint8_t *wav = make_wav(44100, 2, 2.0, 0.25, 1000.0, &size);
    check_stream_equals_whole(wav, size, "s.wav", 48000, 2);
    check_stream_equals_whole(wav, size, "s.wav", 44100, 1);
    free(wav);
}

/* Encodes 2 s of mono: silence until 0.5 s, then a 440 Hz sine of amplitude
 * 0.5, with encoder `enc_name` into container `fmt_name`, in memory. NULL
 * when this libavcodec has no such encoder. */
static uint8_t *encode_tone(const char *enc_name, const char *fmt_name,
                            int rate, size_t *size)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(enc_name);
    if (!codec) {
        return NULL;
    }
    AVFormatContext *oc = NULL;
    assert_true(avformat_alloc_output_context2(&oc, NULL, fmt_name, NULL) >=
                0);
    AVStream *st = avformat_new_stream(oc, NULL);
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    assert_non_null(st);
    assert_non_null(enc);
    enc->sample_rate = rate;
    enc->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0]
                                         : AV_SAMPLE_FMT_FLTP;
    av_channel_layout_default(&enc->ch_layout, 1);
    enc->bit_rate = 64000;
    enc->time_base = (AVRational){1, rate};
    if (oc->oformat->flags & AVFMT_GLOBALHEADER) {
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    assert_int_equal(avcodec_open2(enc, codec, NULL), 0);
    assert_true(avcodec_parameters_from_context(st->codecpar, enc) >= 0);
    st->time_base = enc->time_base;
    assert_int_equal(avio_open_dyn_buf(&oc->pb), 0);
    assert_true(avformat_write_header(oc, NULL) >= 0);

    AVFrame *f = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    int fs = enc->frame_size > 0 ? enc->frame_size : 1024;
    long total = 2L * rate, done = 0;
    for (int flushing = 0; !flushing;) {
        int ret;
        if (done < total) {
            f->nb_samples = fs;
            f->format = enc->sample_fmt;
            f->sample_rate = rate;
            av_channel_layout_default(&f->ch_layout, 1);
            assert_int_equal(av_frame_get_buffer(f, 0), 0);
            for (int i = 0; i < fs; i++) {
                long n = done + i;
                double v = n < rate / 2 ? 0.0
                           : 0.5 * sin(2 * M_PI * 440.0 *
                                       (double)(n - rate / 2) / rate);
                if (enc->sample_fmt == AV_SAMPLE_FMT_S16P ||
                    enc->sample_fmt == AV_SAMPLE_FMT_S16) {
                    ((int16_t *)f->data[0])[i] = (int16_t)lround(v * 32767);
                } else {
                    ((float *)f->data[0])[i] = (float)v;
                }
            }
            f->pts = done;
            done += fs;
            ret = avcodec_send_frame(enc, f);
            av_frame_unref(f);
        } else {
            ret = avcodec_send_frame(enc, NULL);
            flushing = 1;
        }
        assert_int_equal(ret, 0);
        while ((ret = avcodec_receive_packet(enc, pkt)) == 0) {
            av_packet_rescale_ts(pkt, enc->time_base, st->time_base);
            pkt->stream_index = 0;
            assert_int_equal(av_interleaved_write_frame(oc, pkt), 0);
        }
        assert_true(ret == AVERROR(EAGAIN) || ret == AVERROR_EOF);
    }
    assert_int_equal(av_write_trailer(oc), 0);
    uint8_t *buf = NULL;
    int n = avio_close_dyn_buf(oc->pb, &buf);
    oc->pb = NULL;
    uint8_t *out = malloc((size_t)n);
    memcpy(out, buf, (size_t)n);
    av_free(buf);
    *size = (size_t)n;
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&enc);
    avformat_free_context(oc);
    return out;
}

static void check_encoded(const char *enc_name, const char *fmt, int rate,
                          const char *name)
{
    size_t size;
    uint8_t *data = encode_tone(enc_name, fmt, rate, &size);
    if (!data) {
        print_message("no %s encoder: %s not tested\n", enc_name, name);
        return;
    }
    check_stream_equals_whole(data, size, name, 48000, 2);
    /* And the content: the tone starts near 0.5 s (encoder delay is
     * removed by the demuxer/decoder to within a few ms). */
    struct media_audio a;
    struct dy_err err = {0};
    assert_int_equal(media_audio_decode(data, size, name, 48000, 2, &a, &err),
                     0);
    size_t first = a.nframes;
    for (size_t i = 0; i < a.nframes; i++) {
        if (fabsf(a.pcm[2 * i]) > 0.1f) {
            first = i;
            break;
        }
    }
    print_message("%s: %zu frames, onset %.4f s\n", name, a.nframes,
                  (double)first / 48000);
    assert_true(fabs((double)first / 48000 - 0.5) < 0.03);
    media_audio_fini(&a);
    free(data);
}

static void test_stream_mp3(void **state)
{
    (void)state;
    check_encoded("libmp3lame", "mp3", 44100, "t.mp3");
}

static void test_stream_opus(void **state)
{
    (void)state;
    check_encoded("libopus", "ogg", 48000, "t.opus");
}

static void test_stream_errors(void **state)
{
    (void)state;
    size_t size;
    uint8_t *wav = make_wav(8000, 1, 0.1, 0.0, 100.0, &size);
    struct media_audio_stream *st = NULL;
    struct dy_err err = {0};
    assert_int_equal(media_audio_stream_open(wav, size, "x.wav", 4000, 2,
                                             &st, &err), DY_EINVAL);
    assert_null(st);
    static const char junk[] = "RIFF....WAVEjunkjunkjunk";
    assert_true(media_audio_stream_open(junk, sizeof(junk), "junk.wav", 48000,
                                        2, &st, &err) < 0);
    assert_string_equal(err.where, "junk.wav");
    assert_null(st);
    media_audio_stream_close(NULL);
    free(wav);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_rgba),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_image_garbage),
        cmocka_unit_test(test_image_too_big),
        cmocka_unit_test(test_wav_mono_22050),
        cmocka_unit_test(test_wav_stereo_44100),
        cmocka_unit_test(test_wav_to_mono),
        cmocka_unit_test(test_audio_errors),
        cmocka_unit_test(test_stream_wav_mono_22050),
        cmocka_unit_test(test_stream_wav_stereo_44100),
        cmocka_unit_test(test_stream_mp3),
        cmocka_unit_test(test_stream_opus),
        cmocka_unit_test(test_stream_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
