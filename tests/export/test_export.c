/* test_export.c: the story-export driver end to end (render -> vexport ->
 * read back with libavformat): the actor really moves where its keys say,
 * audio starts when the story says at every fps, the sample clock never
 * drifts, captions become a tagged subtitle stream, scene selection and
 * frame ranges, cancel leaves nothing behind, a 10-minute clip exported
 * over one second in its middle costs little memory and plays the right
 * samples. */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>

#include "daryn/export.h"
#include "ex_story.h"
#include "vx_probe.h"

static const char *out_path(const char *name)
{
    static char buf[4][512];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, 512, "%s/%s", EX_TEST_DIR, name);
    return p;
}

static int count_tmp(const char *name)
{
    char pre[256];
    snprintf(pre, sizeof(pre), ".%s.tmp-", name);
    DIR *d = opendir(EX_TEST_DIR);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        n += strncmp(e->d_name, pre, strlen(pre)) == 0;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static void run_export(const struct story *s, const struct export_opts *o,
                       const char *path, const struct export_progress *cb,
                       int want)
{
    struct dy_err err = {0};
    int rc = export_story(s, o, path, cb, &err);
    if (rc != want) {
        char buf[1200];
        print_error("%s\n", dy_err_format(&err, buf, sizeof(buf)));
    }
    assert_int_equal(rc, want);
}

/* ---- the sample clock ------------------------------------------------------ */

static void test_sample_clock(void **state)
{
    (void)state;
    static const int fpss[] = {12, 24, 25, 30};
    static const int rates[] = {22050, 44100, 48000};
    for (int f = 0; f < 4; f++) {
        for (int r = 0; r < 3; r++) {
            int fps = fpss[f], rate = rates[r];
            long n = 600L * fps; /* 10 minutes */
            int64_t sum = 0;
            int64_t lo = rate / fps, hi = (rate + fps - 1) / fps;
            for (long i = 0; i < n; i++) {
                int64_t k = export_frame_first_sample(i + 1, rate, fps) -
                            export_frame_first_sample(i, rate, fps);
                assert_true(k == lo || k == hi);
                sum += k;
            }
            assert_int_equal(sum, 600LL * rate);
            /* And at every frame the clock is within half a sample of the
             * exact time. */
            for (long i = 0; i < n; i += 997) {
                double exact = (double)i * rate / fps;
                assert_true(fabs((double)export_frame_first_sample(
                                     i, rate, fps) - exact) <= 0.5);
            }
        }
    }
    assert_int_equal(export_frame_count(2.5, 24), 60);
    assert_int_equal(export_frame_count(1.01, 24), 25);
    assert_int_equal(export_frame_count(600.0, 25), 15000);
}

static void test_sizes(void **state)
{
    (void)state;
    static const int want[3][3][2] = {
        {{854, 480}, {640, 480}, {480, 854}},
        {{1280, 720}, {960, 720}, {720, 1280}},
        {{1920, 1080}, {1440, 1080}, {1080, 1920}},
    };
    for (int s = 0; s < 3; s++) {
        for (int a = 0; a < 3; a++) {
            int w, h;
            assert_int_equal(export_size_dims(s, a, &w, &h), 0);
            assert_int_equal(w, want[s][a][0]);
            assert_int_equal(h, want[s][a][1]);
        }
    }
    int w, h;
    assert_int_equal(export_size_dims(7, 0, &w, &h), DY_EINVAL);
}

/* ---- motion and audio onset --------------------------------------------- */

struct track {
    long n;
    int fps;
    double dur;
    int checked, bad;
};

/* The square's centre in output pixels at time t: 1920x1080 story fitted
 * into 854x480 (scale 480/1080, centred horizontally). */
static double square_px(double t, double dur)
{
    double sc = 480.0 / 1080.0, off = (854 - 1920 * sc) / 2;
    double x = 200 + 1520 * fmin(t / dur, 1.0);
    return off + x * sc;
}

static void check_square(long i, const uint32_t *px, int w, int h, void *ud)
{
    struct track *tr = ud;
    if (i != 0 && i != tr->n / 2 && i != tr->n - 1) {
        return;
    }
    double cx = 0, cy = 0;
    long cnt = probe_red_centroid(px, w, h, &cx, &cy);
    double want = square_px((double)i / tr->fps, tr->dur);
    /* 200 units = 88.9 px: the square's area is ~7900 px. */
    if (cnt < 6000 || fabs(cx - want) > 3 || fabs(cy - 240) > 3) {
        print_error("frame %ld: %ld red px at %.1f,%.1f, want x %.1f\n", i,
                    cnt, cx, cy, want);
        tr->bad++;
    }
    tr->checked++;
}

static double first_onset(const char *path, double *audio_dur)
{
    float *pcm;
    size_t n;
    int rate, ch;
    assert_int_equal(probe_audio(path, &pcm, &n, &rate, &ch), 0);
    size_t first = n;
    for (size_t i = 0; i < n; i++) {
        if (fabsf(pcm[i * (size_t)ch]) > 0.05f) {
            first = i;
            break;
        }
    }
    free(pcm);
    if (audio_dur) {
        *audio_dur = (double)n / rate;
    }
    return (double)first / rate;
}

/* A 2 s story at each fps with a tone clip placed at 1.0 s (its own 0.2 s
 * of leading silence trimmed away), 44.1 kHz mono or 48 kHz stereo. */
static void motion_and_onset(int fps, int clip_rate, int clip_ch)
{
    const double dur = 2.0;
    struct story *s = ex_story_moving_square(dur, 0);
    assert_non_null(s);
    assert_int_equal(ex_story_add_tone(s, "tone", clip_rate, clip_ch, 1.5,
                                       0.2, 1.0), 0);
    s->scenes[0].audio[0].trim_s = 0.2;
    struct story_caption *cap = story_caption_add(&s->scenes[0], 0.5, 1.5);
    assert_non_null(cap);
    assert_int_equal(story_text_set(&cap->text, STORY_LANG_KK, "Сәлем!"), 0);
    assert_int_equal(story_text_set(&cap->text, STORY_LANG_EN, "Hello!"), 0);

    struct export_opts o;
    export_opts_default(&o);
    o.size = EXPORT_SIZE_480P;
    o.fps = fps;
    o.threads = 1;
    o.caption_lang = STORY_LANG_KK;
    o.subtitles = true;
    char name[64];
    snprintf(name, sizeof(name), "motion_%d_%d.mp4", fps, clip_rate);
    const char *path = out_path(name);
    run_export(s, &o, path, NULL, 0);

    struct probe_info pi;
    assert_int_equal(probe_file(path, &pi), 0);
    assert_int_equal(pi.nstreams, 3);
    const struct probe_stream *v = &pi.st[0], *a = &pi.st[1], *t = &pi.st[2];
    assert_int_equal(v->codec, AV_CODEC_ID_H264);
    assert_int_equal(v->pix_fmt, AV_PIX_FMT_YUV420P);
    assert_int_equal(v->width, 854);
    assert_int_equal(v->height, 480);
    assert_int_equal(v->fps_num, fps * v->fps_den);
    assert_int_equal(v->packets, 2 * fps);
    assert_int_equal(a->codec, AV_CODEC_ID_AAC);
    assert_int_equal(a->rate, 48000);
    assert_int_equal(a->channels, 2);
    assert_int_equal(t->codec, AV_CODEC_ID_MOV_TEXT);
    assert_string_equal(t->lang, "kaz");
    struct probe_cue cues[4];
    assert_int_equal(probe_subtitles(path, cues, 4), 1);
    assert_non_null(strstr(cues[0].text, "Сәлем!"));
    assert_true(fabs(cues[0].start_s - 0.5) < 0.002);
    assert_true(fabs(cues[0].end_s - 1.5) < 0.002);

    struct track tr = {.n = 2 * fps, .fps = fps, .dur = dur};
    assert_int_equal(probe_video(path, check_square, &tr), 2 * fps);
    assert_int_equal(tr.checked, 3);
    assert_int_equal(tr.bad, 0);

    double onset = first_onset(path, NULL);
    print_message("%d fps, %d Hz x %d clip: onset %.4f s\n", fps, clip_rate,
                  clip_ch, onset);
    assert_true(fabs(onset - 1.0) <= 1.0 / fps);
    story_destroy(s);
}

static void test_motion_onset_12(void **state)
{
    (void)state;
    motion_and_onset(12, 44100, 1);
    motion_and_onset(12, 48000, 2);
}

static void test_motion_onset_24(void **state)
{
    (void)state;
    motion_and_onset(24, 44100, 1);
    motion_and_onset(24, 48000, 2);
}

static void test_motion_onset_25(void **state)
{
    (void)state;
    motion_and_onset(25, 44100, 1);
    motion_and_onset(25, 48000, 2);
}

static void test_motion_onset_30(void **state)
{
    (void)state;
    motion_and_onset(30, 44100, 1);
    motion_and_onset(30, 48000, 2);
}

/* ---- a longer export: audio and video end together ------------------------- */

static void test_long_export(void **state)
{
    (void)state;
    const double dur = 24.0;
    struct story *s = ex_story_moving_square(dur, 3);
    assert_non_null(s);
    /* A clip longer than the story: it is cut at the end. */
    assert_int_equal(ex_story_add_tone(s, "long", 44100, 1, 30.0, 0.0, 0.0),
                     0);
    struct export_opts o;
    export_opts_default(&o);
    o.size = EXPORT_SIZE_480P;
    o.fps = 12;
    o.format = "webm";
    const char *path = out_path("long.webm");
    run_export(s, &o, path, NULL, 0);
    struct probe_info pi;
    assert_int_equal(probe_file(path, &pi), 0);
    assert_int_equal(pi.st[0].codec, AV_CODEC_ID_VP9);
    assert_int_equal(pi.st[0].packets, 288);
    assert_int_equal(pi.st[1].codec, AV_CODEC_ID_OPUS);
    double vdur = pi.st[0].duration_s, adur = 0;
    print_message("long: video %.4f s, audio packets %.4f s\n", vdur,
                  pi.st[1].duration_s);
    assert_true(fabs(vdur - dur) < 0.5 / 12);
    assert_true(fabs(pi.st[1].duration_s - vdur) <= 1.0 / 12);
    /* Decoded samples too (pre-skip removed by the decoder). */
    first_onset(path, &adur);
    print_message("long: decoded audio %.4f s\n", adur);
    assert_true(fabs(adur - vdur) <= 1.0 / 12);
    story_destroy(s);
}

/* ---- selection, range, cancel, errors ---------------------------------------- */

struct range_check {
    long red[12];
    double cx[12];
};

static void range_cb(long i, const uint32_t *px, int w, int h, void *ud)
{
    struct range_check *rc = ud;
    double cy;
    if (i < 12) {
        rc->red[i] = probe_red_centroid(px, w, h, &rc->cx[i], &cy);
    }
}

static void test_scene_range(void **state)
{
    (void)state;
    /* Scene "one" (2 s, the square moving) and a plain blue scene "two";
     * exported in the order [two, one], frames 18..29 at 12 fps: timeline
     * 1.5 s .. 2.42 s, i.e. the end of "two" then the start of "one". */
    struct story *s = ex_story_moving_square(2.0, 0);
    struct story_scene *two = story_scene_add(s, "two");
    assert_non_null(two);
    two->duration_s = 2.0;
    two->background = (struct story_color){0, 0, 1, 1};
    size_t order[2] = {1, 0};
    struct export_opts o;
    export_opts_default(&o);
    o.size = EXPORT_SIZE_480P;
    o.fps = 12;
    o.audio_rate = 0;
    o.scenes = order;
    o.nscenes = 2;
    o.frame_first = 18;
    o.frame_last = 29;
    const char *path = out_path("range.gif");
    run_export(s, &o, path, NULL, 0);
    struct probe_info pi;
    assert_int_equal(probe_file(path, &pi), 0);
    assert_int_equal(pi.nstreams, 1);
    assert_int_equal(pi.st[0].codec, AV_CODEC_ID_GIF);
    assert_int_equal(pi.st[0].packets, 12);
    struct range_check rc;
    memset(&rc, 0, sizeof(rc));
    assert_int_equal(probe_video(path, range_cb, &rc), 12);
    for (int i = 0; i < 12; i++) {
        if (i < 6) { /* "two": no square */
            assert_int_equal(rc.red[i], 0);
        } else { /* "one" at scene time (i - 6) / 12 */
            assert_true(rc.red[i] > 6000);
            assert_true(fabs(rc.cx[i] - square_px((i - 6) / 12.0, 2.0)) <
                        3);
        }
    }
    story_destroy(s);

    /* Bad selections. */
    struct dy_err err = {0};
    size_t bad[1] = {5};
    o.scenes = bad;
    o.nscenes = 1;
    assert_int_equal(export_story(s = ex_story_moving_square(1, 0), &o,
                                  out_path("bad.gif"), NULL, &err),
                     DY_EINVAL);
    assert_non_null(strstr(err.msg, "scene selection"));
    o.scenes = NULL;
    o.frame_first = 100;
    o.frame_last = 10;
    assert_int_equal(export_story(s, &o, out_path("bad.gif"), NULL, &err),
                     DY_EINVAL);
    assert_non_null(strstr(err.msg, "frame range"));
    assert_true(access(out_path("bad.gif"), F_OK) != 0);
    story_destroy(s);
}

struct cancel_ud {
    volatile int flag;
    long last_done, total;
};

static void on_progress(void *ud, long done, long total)
{
    struct cancel_ud *c = ud;
    c->last_done = done;
    c->total = total;
    if (done == 5) {
        c->flag = 1;
    }
}

static void test_cancel(void **state)
{
    (void)state;
    struct story *s = ex_story_moving_square(3.0, 0);
    assert_int_equal(ex_story_add_tone(s, "t", 48000, 2, 3.0, 0.0, 0.0), 0);
    struct cancel_ud c = {0};
    struct export_progress cb = {on_progress, &c};
    struct export_opts o;
    export_opts_default(&o);
    o.size = EXPORT_SIZE_480P;
    o.fps = 12;
    o.cancel = &c.flag;
    const char *path = out_path("cancel.mp4");
    unlink(path);
    run_export(s, &o, path, &cb, DY_ECANCELED);
    assert_int_equal(c.last_done, 5);
    assert_int_equal(c.total, 36);
    assert_true(access(path, F_OK) != 0);
    assert_int_equal(count_tmp("cancel.mp4"), 0);
    /* Without cancelling, progress reaches the total. */
    c.flag = 0;
    o.cancel = NULL;
    run_export(s, &o, path, &cb, 0);
    assert_int_equal(c.last_done, 36);
    assert_int_equal(access(path, F_OK), 0);
    story_destroy(s);
}

static void test_missing_audio_media(void **state)
{
    (void)state;
    struct story *s = ex_story_moving_square(1.0, 0);
    assert_non_null(story_audio_add(&s->scenes[0], "nope", 0.0, 1.0));
    struct export_opts o;
    export_opts_default(&o);
    o.size = EXPORT_SIZE_480P;
    struct dy_err err = {0};
    assert_int_equal(export_story(s, &o, out_path("missing.mp4"), NULL,
                                  &err), DY_ENOTFOUND);
    assert_non_null(strstr(err.where, "nope"));
    assert_true(access(out_path("missing.mp4"), F_OK) != 0);
    story_destroy(s);
}

/* ---- a long clip: streamed, not decoded whole ------------------------------ */

#if defined(__SANITIZE_ADDRESS__)
#define EX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EX_ASAN 1
#endif
#endif

struct mem_result {
    int rc;
    long before_kb, after_kb;
    char msg[1200];
};

/* In a child (so the peak RSS is this export's alone): a 10-minute story
 * whose music is a 10-minute 8 kHz mono WAV (9.6 MB; 230 MB as 48 kHz
 * stereo float if decoded whole) exported over frames 299.5 s .. 300.5 s. */
static void long_clip_child(int fd)
{
    struct mem_result r = {0};
    struct story *s = ex_story_moving_square(600.0, 0);
    r.rc = s ? ex_story_add_burst(s, "music", 8000, 600.0, 300.0, 0.0)
             : DY_ENOMEM;
    if (r.rc == 0) {
        struct export_opts o;
        export_opts_default(&o);
        o.size = EXPORT_SIZE_480P;
        o.fps = 24;
        o.threads = 1;
        o.frame_first = 300 * 24 - 12;
        o.frame_last = 300 * 24 + 11;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        r.before_kb = ru.ru_maxrss;
        struct dy_err err = {0};
        r.rc = export_story(s, &o, out_path("long_clip.mp4"), NULL, &err);
        getrusage(RUSAGE_SELF, &ru);
        r.after_kb = ru.ru_maxrss;
        dy_err_format(&err, r.msg, sizeof(r.msg));
    }
    story_destroy(s);
    ssize_t n = write(fd, &r, sizeof(r));
    _exit(n == (ssize_t)sizeof(r) ? 0 : 1);
}

/* Upward zero crossings of channel 0 over [t0, t1) seconds. */
static int crossings(const float *pcm, int ch, int rate, double t0, double t1)
{
    int up = 0;
    for (size_t i = (size_t)(t0 * rate) + 1; i < (size_t)(t1 * rate); i++) {
        up += pcm[(i - 1) * (size_t)ch] < 0 && pcm[i * (size_t)ch] >= 0;
    }
    return up;
}

static void test_long_clip_memory(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        long_clip_child(fds[1]);
    }
    close(fds[1]);
    struct mem_result r;
    size_t have = 0;
    while (have < sizeof(r)) {
        ssize_t n = read(fds[0], (char *)&r + have, sizeof(r) - have);
        if (n <= 0) {
            break;
        }
        have += (size_t)n;
    }
    close(fds[0]);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_int_equal(have, sizeof(r));
    if (r.rc != 0) {
        print_error("%s\n", r.msg);
    }
    assert_int_equal(r.rc, 0);
    double growth_mb = (double)(r.after_kb - r.before_kb) / 1024.0;
    print_message("10-minute clip, 1 s exported at 5:00: peak RSS %.1f -> "
                  "%.1f MB (+%.1f MB)\n", r.before_kb / 1024.0,
                  r.after_kb / 1024.0, growth_mb);
#ifndef EX_ASAN
    /* Decoded whole, the clip alone would be 230 MB. (ASan's quarantine
     * keeps freed memory resident, so the bound is checked without it.) */
    assert_true(growth_mb < 50.0);
#endif

    /* The audio is the clip's own at 5:00: silence, then at output 0.5 s
     * (timeline 300.0 s) the 1000 Hz burst, then 500 Hz. */
    float *pcm;
    size_t n;
    int rate, ch;
    assert_int_equal(probe_audio(out_path("long_clip.mp4"), &pcm, &n, &rate,
                                 &ch), 0);
    assert_int_equal(rate, 48000);
    assert_int_equal(ch, 2);
    assert_true(labs((long)n - 48000) <= 1024);
    size_t first = n;
    float quiet = 0, peak = 0;
    for (size_t i = 0; i < n; i++) {
        if (fabsf(pcm[i * 2]) > 0.05f) {
            first = i;
            break;
        }
        /* AAC spreads a little pre-echo over the frame before an onset. */
        if (i < (size_t)(0.45 * rate)) {
            quiet = fmaxf(quiet, fabsf(pcm[i * 2]));
        }
    }
    for (size_t i = 26400; i < 33600 && i < n; i++) {
        peak = fmaxf(peak, fabsf(pcm[i * 2]));
    }
    int hi = crossings(pcm, ch, rate, 0.55, 0.70);
    int lo = crossings(pcm, ch, rate, 0.80, 0.95);
    print_message("long clip: onset %.4f s, %d and %d crossings, peak %.3f, "
                  "before %.4f\n", (double)first / rate, hi, lo, peak,
                  quiet);
    assert_true(fabs((double)first / rate - 0.5) < 0.002);
    assert_true(quiet < 0.02f);
    assert_true(abs(hi - 150) <= 2);
    assert_true(abs(lo - 75) <= 2);
    assert_true(fabsf(peak - 0.5f) < 0.05f);
    free(pcm);
}


/* The WebVTT sidecar: cue times on the exported timeline (scene selection
 * and frame range shift them), text escaped, exact file text. */
static void test_vtt(void **state)
{
    struct story *s = ex_story_moving_square(4.0, 0);
    assert_non_null(s);
    struct story_scene *sc2 = story_scene_add(s, "second");
    assert_non_null(sc2);
    sc2->duration_s = 3.0;
    struct story_caption *c = story_caption_add(&s->scenes[0], 0.5, 2.0);
    story_text_set(&c->text, STORY_LANG_KK, "Сәлем, <досым>!");
    story_text_set(&c->text, STORY_LANG_EN, "Hello");
    c = story_caption_add(&s->scenes[1], 1.0, 9.0); /* cut at the scene end */
    story_text_set(&c->text, STORY_LANG_KK, "Екінші --> сахна\nжаңа жол");
    struct export_opts o;
    export_opts_default(&o);
    o.caption_lang = STORY_LANG_KK;
    char path[1024];
    snprintf(path, sizeof(path), "%s/captions.kk.vtt", EX_TEST_DIR);
    struct dy_err err = {0};
    assert_int_equal(export_write_vtt(s, &o, path, &err), 0);
    char buf[1024] = {0};
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_string_equal(buf, "WEBVTT\n"
                             "\n1\n00:00:00.500 --> 00:00:02.000\nСәлем, &lt;досым>!\n"
                             "\n2\n00:00:05.000 --> 00:00:07.000\nЕкінші --&gt; сахна\nжаңа жол\n");
    /* Only the second scene, from its frame 12 (0.5 s at 24 fps). */
    size_t only = 1;
    o.scenes = &only;
    o.nscenes = 1;
    o.frame_first = 12;
    assert_int_equal(export_write_vtt(s, &o, path, &err), 0);
    f = fopen(path, "r");
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    assert_non_null(strstr(buf, "\n00:00:00.500 --> 00:00:02.500\n"));
    o.caption_lang = -1;
    assert_int_equal(export_write_vtt(s, &o, path, &err), DY_EINVAL);
    story_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_clock),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_motion_onset_12),
        cmocka_unit_test(test_motion_onset_24),
        cmocka_unit_test(test_motion_onset_25),
        cmocka_unit_test(test_motion_onset_30),
        cmocka_unit_test(test_long_export),
        cmocka_unit_test(test_scene_range),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_missing_audio_media),
        cmocka_unit_test(test_vtt),
        cmocka_unit_test(test_long_clip_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
