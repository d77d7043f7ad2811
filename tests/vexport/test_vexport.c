/* test_vexport.c: every format written and read back with libavformat:
 * codecs, pix_fmt, fps, frame count, duration, audio and subtitle streams,
 * moov before mdat, a red square moving left -> right in decoded pixels,
 * the audio tone's onset, and the temp-file/sticky-error contract. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>

#include "daryn/media.h"
#include "daryn/vexport.h"
#include "vx_probe.h"

#define W 320
#define H 240
#define SQ 40

static char *out_path(const char *name)
{
    static char buf[8][512];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 512, "%s/%s", VX_TEST_DIR, name);
    return p;
}

/* Expected square centre for frame i of n: x from 10+SQ/2 to W-10-SQ/2. */
static double square_x(long i, long n)
{
    return 10 + SQ / 2.0 + (double)i * (W - 20 - SQ) / (double)(n - 1);
}

/* White frame with a red SQ x SQ square, premultiplied ARGB32 opaque. */
static void draw_frame(struct render_image *img, long i, long n)
{
    int x0 = (int)lround(square_x(i, n) - SQ / 2.0), y0 = H / 2 - SQ / 2;
    for (int y = 0; y < H; y++) {
        uint32_t *row = (uint32_t *)(img->data + (size_t)y * img->stride);
        for (int x = 0; x < W; x++) {
            int in = x >= x0 && x < x0 + SQ && y >= y0 && y < y0 + SQ;
            row[x] = in ? 0xffe01010u : 0xffffffffu;
        }
    }
}

/* No ".NAME.tmp-" leftovers in the test directory. */
static int count_tmp(const char *name)
{
    char pre[256];
    snprintf(pre, sizeof(pre), ".%s.tmp-", name);
    DIR *d = opendir(VX_TEST_DIR);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        n += strncmp(e->d_name, pre, strlen(pre)) == 0;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

/* Writes n frames (and audio: 1 s of silence then a 440 Hz tone, pushed in
 * one video frame's worth per frame from an exact sample clock, and two
 * subtitles). */
static void write_clip(const char *path, const char *format, int fps, long n,
                       int rate, int ch, const char *lang)
{
    struct vexport_opts o;
    vexport_opts_default(&o);
    o.format = format;
    o.width = W;
    o.height = H;
    o.fps = fps;
    o.audio_rate = rate;
    o.audio_channels = ch;
    o.sub_lang = lang;
    o.threads = 1;
    struct vexport *vx = NULL;
    struct dy_err err = {0};
    int rc = vexport_open(&o, path, &vx, &err);
    if (rc) {
        print_error("%s: %s\n", err.where, err.msg);
    }
    assert_int_equal(rc, 0);
    struct render_image img = {W, H, W * 4, malloc(W * H * 4)};
    float *pcm = malloc(sizeof(float) * (size_t)ch * (size_t)rate);
    int64_t done = 0;
    for (long i = 0; i < n; i++) {
        if (lang && i == 0) {
            assert_int_equal(vexport_push_subtitle(vx, 0.25, 0.75,
                                                   "Сәлем, {әлем}!\nLine 2 \\N"),
                             0);
        }
        if (lang && i == fps) {
            assert_int_equal(vexport_push_subtitle(vx, 1.0, 1.5, "Two"), 0);
        }
        draw_frame(&img, i, n);
        assert_int_equal(vexport_push_video(vx, &img), 0);
        if (rate) {
            int64_t upto = ((i + 1) * 2 * rate + fps) / (2 * fps);
            size_t k = (size_t)(upto - done);
            for (size_t j = 0; j < k; j++) {
                int64_t s = done + (int64_t)j;
                float v = s < rate ? 0.0f
                                   : 0.5f * (float)sin(2 * M_PI * 440.0 *
                                                       (s - rate) / rate);
                for (int c = 0; c < ch; c++) {
                    pcm[j * (size_t)ch + (size_t)c] = v;
                }
            }
            assert_int_equal(vexport_push_audio(vx, pcm, k), 0);
            done = upto;
        }
    }
    assert_int_equal(vexport_frames(vx), n);
    rc = vexport_close(vx, &err);
    if (rc) {
        print_error("%s: %s\n", err.where, err.msg);
    }
    assert_int_equal(rc, 0);
    free(img.data);
    free(pcm);
}

struct motion {
    long n;
    long frames;
    int bad;
};

/* Every decoded frame: the red square is where frame i put it. */
static void check_motion(long i, const uint32_t *px, int w, int h, void *ud)
{
    struct motion *m = ud;
    double cx = 0, cy = 0;
    long cnt = probe_red_centroid(px, w, h, &cx, &cy);
    if (cnt < SQ * SQ / 2 || fabs(cx - square_x(i, m->n)) > 2.0 ||
        fabs(cy - (H / 2.0 - 0.5)) > 2.0) {
        print_error("frame %ld: %ld red px at %.1f,%.1f (want %.1f)\n", i,
                    cnt, cx, cy, square_x(i, m->n));
        m->bad++;
    }
    m->frames++;
}

static const struct probe_stream *find_stream(const struct probe_info *pi,
                                              int type)
{
    for (int i = 0; i < pi->nstreams; i++) {
        if (pi->st[i].type == type) {
            return &pi->st[i];
        }
    }
    return NULL;
}

/* The tone starts at 1.0 s: the first sample above 0.05. */
static void check_audio_onset(const char *path, int want_rate, int want_ch)
{
    float *pcm;
    size_t nf;
    int rate, ch;
    assert_int_equal(probe_audio(path, &pcm, &nf, &rate, &ch), 0);
    assert_int_equal(rate, want_rate);
    assert_int_equal(ch, want_ch);
    size_t first = nf;
    for (size_t i = 0; i < nf; i++) {
        if (fabsf(pcm[i * (size_t)ch]) > 0.05f) {
            first = i;
            break;
        }
    }
    double onset = (double)first / rate;
    print_message("%s: audio onset %.4f s, %zu samples\n", path, onset, nf);
    /* Codec padding is trimmed by the decoder/demuxer; allow 5 ms. */
    assert_true(fabs(onset - 1.0) < 0.005);
    free(pcm);
}

static void check_av_file(const char *path, int vcodec, int acodec,
                          int scodec, int fps, long n, int arate, int ach)
{
    struct probe_info pi;
    assert_int_equal(probe_file(path, &pi), 0);
    const struct probe_stream *v = find_stream(&pi, AVMEDIA_TYPE_VIDEO);
    const struct probe_stream *a = find_stream(&pi, AVMEDIA_TYPE_AUDIO);
    const struct probe_stream *s = find_stream(&pi, AVMEDIA_TYPE_SUBTITLE);
    assert_non_null(v);
    assert_int_equal(v->codec, vcodec);
    assert_int_equal(v->pix_fmt, AV_PIX_FMT_YUV420P);
    assert_int_equal(v->width, W);
    assert_int_equal(v->height, H);
    assert_int_equal(v->fps_num, fps * v->fps_den);
    assert_int_equal(v->packets, n);
    assert_true(fabs(v->duration_s - (double)n / fps) < 0.5 / fps);
    assert_non_null(a);
    assert_int_equal(a->codec, acodec);
    assert_int_equal(a->rate, arate);
    assert_int_equal(a->channels, ach);
    assert_true(fabs(a->duration_s - v->duration_s) <= 1.0 / fps + 0.03);
    assert_non_null(s);
    assert_int_equal(s->codec, scodec);
    assert_string_equal(s->lang, "kaz");
    /* mov_text adds empty cues in the gaps. */
    assert_true(s->packets >= 2);

    struct probe_cue cues[4];
    assert_int_equal(probe_subtitles(path, cues, 4), 2);
    print_message("cues %.3f..%.3f '%s', %.3f..%.3f '%s'\n", cues[0].start_s,
                  cues[0].end_s, cues[0].text, cues[1].start_s,
                  cues[1].end_s, cues[1].text);
    /* Relative to the video: WebM shifts every stream by Opus's pre-skip. */
    assert_true(fabs(cues[0].start_s - v->start_s - 0.25) < 0.002);
    assert_true(fabs(cues[0].end_s - v->start_s - 0.75) < 0.002);
    assert_non_null(strstr(cues[0].text, "Сәлем"));
    assert_non_null(strstr(cues[0].text, "әлем"));
    assert_non_null(strstr(cues[0].text, "\\NLine 2 ＼N"));
    assert_true(fabs(cues[1].start_s - v->start_s - 1.0) < 0.002);

    struct motion m = {.n = n};
    assert_int_equal(probe_video(path, check_motion, &m), n);
    assert_int_equal(m.bad, 0);
    check_audio_onset(path, arate, ach);
}

static void test_mp4(void **state)
{
    (void)state;
    const char *path = out_path("square.mp4");
    write_clip(path, NULL, 24, 60, 44100, 1, "kaz");
    assert_int_equal(count_tmp("square.mp4"), 0);
    check_av_file(path, AV_CODEC_ID_H264, AV_CODEC_ID_AAC,
                  AV_CODEC_ID_MOV_TEXT, 24, 60, 44100, 1);
    char boxes[256];
    assert_int_equal(probe_mp4_boxes(path, boxes, sizeof(boxes)), 0);
    print_message("mp4 boxes: %s\n", boxes);
    const char *moov = strstr(boxes, "moov"), *mdat = strstr(boxes, "mdat");
    assert_non_null(moov);
    assert_non_null(mdat);
    assert_true(moov < mdat);
    assert_int_equal(strncmp(boxes, "ftyp", 4), 0);
}

static void test_webm(void **state)
{
    (void)state;
    const char *path = out_path("square.webm");
    /* 44.1 kHz in: Opus runs at 48 kHz, vexport resamples. */
    write_clip(path, "webm", 25, 50, 44100, 2, "kaz");
    assert_int_equal(count_tmp("square.webm"), 0);
    check_av_file(path, AV_CODEC_ID_VP9, AV_CODEC_ID_OPUS,
                  AV_CODEC_ID_WEBVTT, 25, 50, 48000, 2);
}

static void test_gif(void **state)
{
    (void)state;
    const char *path = out_path("square.gif");
    /* Audio and subtitles are ignored for GIF. */
    write_clip(path, NULL, 12, 24, 48000, 2, "eng");
    struct probe_info pi;
    assert_int_equal(probe_file(path, &pi), 0);
    assert_int_equal(pi.nstreams, 1);
    assert_int_equal(pi.st[0].codec, AV_CODEC_ID_GIF);
    assert_int_equal(pi.st[0].width, W);
    assert_int_equal(pi.st[0].packets, 24);
    assert_true(fabs(pi.st[0].duration_s - 2.0) < 0.05);
    struct motion m = {.n = 24};
    assert_int_equal(probe_video(path, check_motion, &m), 24);
    assert_int_equal(m.bad, 0);
}

static void test_png_sequence(void **state)
{
    (void)state;
    const char *dir = out_path("square_png");
    write_clip(dir, "png", 30, 10, 0, 2, NULL);
    /* Written again: the old sequence is replaced. */
    write_clip(dir, "png", 30, 6, 0, 2, NULL);
    assert_int_equal(count_tmp("square_png"), 0);
    char path[600];
    for (long i = 1; i <= 7; i++) {
        snprintf(path, sizeof(path), "%s/frame_%06ld.png", dir, i);
        struct stat sb;
        assert_int_equal(stat(path, &sb) == 0, i <= 6);
        if (i > 6) {
            continue;
        }
        FILE *f = fopen(path, "rb");
        uint8_t *buf = malloc((size_t)sb.st_size);
        assert_int_equal(fread(buf, 1, (size_t)sb.st_size, f),
                         (size_t)sb.st_size);
        fclose(f);
        struct media_image img;
        struct dy_err err;
        assert_int_equal(media_image_decode(buf, (size_t)sb.st_size, path,
                                            &img, &err), 0);
        assert_int_equal(img.width, W);
        double cx, cy;
        assert_int_equal(probe_red_centroid((uint32_t *)img.data, W, H, &cx,
                                            &cy), SQ * SQ);
        assert_true(fabs(cx - square_x(i - 1, 6) + 0.5) <= 0.5);
        media_image_fini(&img);
        free(buf);
    }
}

static void test_bad_options(void **state)
{
    (void)state;
    struct vexport_opts o;
    vexport_opts_default(&o);
    struct vexport *vx = NULL;
    struct dy_err err = {0};
    o.fps = 23;
    assert_int_equal(vexport_open(&o, out_path("bad.mp4"), &vx, &err),
                     DY_EINVAL);
    assert_string_equal(err.where, "bad.mp4");
    assert_non_null(strstr(err.msg, "fps 23"));
    assert_null(vx);
    o.fps = 24;
    o.width = 321;
    assert_int_equal(vexport_open(&o, out_path("bad.mp4"), &vx, &err),
                     DY_EINVAL);
    o.width = 320;
    assert_int_equal(vexport_open(&o, out_path("bad.avi"), &vx, &err),
                     DY_EUNSUPPORTED);
    o.sub_lang = "kazakh";
    assert_int_equal(vexport_open(&o, out_path("bad.mp4"), &vx, &err),
                     DY_EINVAL);
    o.sub_lang = NULL;
    o.preset = "ultrafastest";
    assert_int_equal(vexport_open(&o, out_path("bad.mp4"), &vx, &err),
                     DY_EINVAL);
    assert_non_null(strstr(err.msg, "opening encoder libx264"));
    assert_true(access(out_path("bad.mp4"), F_OK) != 0);
    assert_int_equal(count_tmp("bad.mp4"), 0);
    /* A directory that doesn't exist: the temp file can't be made. */
    o.preset = NULL;
    assert_int_equal(vexport_open(&o, out_path("nodir/x.mp4"), &vx, &err),
                     DY_EIO);
}

/* A bad frame fails, later calls return the same error, close reports it
 * and leaves nothing behind. */
static void test_sticky_error(void **state)
{
    (void)state;
    struct vexport_opts o;
    vexport_opts_default(&o);
    o.width = W;
    o.height = H;
    o.threads = 1;
    struct vexport *vx = NULL;
    struct dy_err err = {0};
    const char *path = out_path("sticky.mp4");
    assert_int_equal(vexport_open(&o, path, &vx, &err), 0);
    assert_int_equal(count_tmp("sticky.mp4"), 1);
    struct render_image img = {W, H, W * 4, calloc(W * H, 4)};
    assert_int_equal(vexport_push_video(vx, &img), 0);
    struct render_image bad = {W, H, 8, img.data};
    assert_int_equal(vexport_push_video(vx, &bad), DY_EINVAL);
    assert_int_equal(vexport_push_video(vx, &img), DY_EINVAL);
    float pcm[64] = {0};
    assert_int_equal(vexport_push_audio(vx, pcm, 32), DY_EINVAL);
    assert_int_equal(vexport_close(vx, &err), DY_EINVAL);
    assert_non_null(strstr(err.msg, "frame 1"));
    assert_true(access(path, F_OK) != 0);
    assert_int_equal(count_tmp("sticky.mp4"), 0);
    free(img.data);
}

static void test_abort(void **state)
{
    (void)state;
    struct vexport_opts o;
    vexport_opts_default(&o);
    o.width = W;
    o.height = H;
    o.format = "webm";
    o.sub_lang = "rus";
    struct vexport *vx = NULL;
    struct dy_err err = {0};
    const char *path = out_path("aborted.webm");
    assert_int_equal(vexport_open(&o, path, &vx, &err), 0);
    struct render_image img = {W, H, W * 4, calloc(W * H, 4)};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(vexport_push_video(vx, &img), 0);
    }
    vexport_abort(vx);
    assert_true(access(path, F_OK) != 0);
    assert_int_equal(count_tmp("aborted.webm"), 0);
    o.format = "png";
    assert_int_equal(vexport_open(&o, out_path("aborted_png"), &vx, &err), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(vexport_push_video(vx, &img), 0);
    }
    vexport_abort(vx);
    assert_true(access(out_path("aborted_png"), F_OK) != 0);
    assert_int_equal(count_tmp("aborted_png"), 0);
    free(img.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mp4),
        cmocka_unit_test(test_webm),
        cmocka_unit_test(test_gif),
        cmocka_unit_test(test_png_sequence),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_sticky_error),
        cmocka_unit_test(test_abort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
