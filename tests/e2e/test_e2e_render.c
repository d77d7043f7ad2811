/* test_e2e_render.c: `daryn render` end to end: the real executable runs,
 * and what it writes is read back with FFmpeg's decoders (vx_probe). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <libavcodec/avcodec.h>
#include <libavutil/pixfmt.h>

#include "daryn/export.h"

#include "e2e_run.h"
#include "e2e_story.h"
#include "vx_probe.h"

/* Set once in main() from the command line, read-only afterwards. */
static struct e2e_ctx ctx;

#define SAMPLE_REL "templates/stories/aldar-kose"

static void sample_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/" SAMPLE_REL, ctx.src);
}

/* Runs daryn and fails the test (printing its output) on a wrong exit. */
static void run_expect(const struct e2e_opts *o, int want, struct e2e_result *r,
                       const char *const *args)
{
    assert_int_equal(e2e_daryn(&ctx, o, r, args), 0);
    if (r->code != want) {
        e2e_dump(args[0], r);
    }
    assert_false(r->timed_out);
    assert_int_equal(r->code, want);
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

/* Video stream checks shared by the cases. */
static void check_video(const struct probe_info *pi, int codec, int w, int h,
                        int fps, long frames)
{
    const struct probe_stream *v = find_stream(pi, AVMEDIA_TYPE_VIDEO);
    assert_non_null(v);
    assert_int_equal(v->codec, codec);
    assert_int_equal(v->width, w);
    assert_int_equal(v->height, h);
    if (codec != AV_CODEC_ID_GIF) {
        /* GIF has centisecond delays: 12 fps shows up as 100/8 etc. */
        assert_int_equal(v->fps_num, fps);
        assert_int_equal(v->fps_den, 1);
    }
    assert_int_equal(v->packets, frames);
    assert_true(fabs(v->duration_s - (double)frames / fps) < 0.02);
}

static void sample_full(void **state)
{
    (void)state;
    char dir[4096], out[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_sample", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/aldar.mp4", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out, "--size",
               "480p", "--fps", "12", NULL});
    /* It says where the file went. */
    assert_non_null(strstr(r.err, out));
    e2e_result_fini(&r);

    int w, h;
    assert_int_equal(export_size_dims(EXPORT_SIZE_480P, EXPORT_ASPECT_16_9, &w, &h), 0);
    struct probe_info pi;
    assert_int_equal(probe_file(out, &pi), 0);
    assert_int_equal(pi.nstreams, 3);
    check_video(&pi, AV_CODEC_ID_H264, w, h, 12, 360);
    const struct probe_stream *v = find_stream(&pi, AVMEDIA_TYPE_VIDEO);
    assert_int_equal(v->pix_fmt, AV_PIX_FMT_YUV420P);
    assert_true(fabs(pi.format_duration_s - 30.0) < 0.05);
    const struct probe_stream *a = find_stream(&pi, AVMEDIA_TYPE_AUDIO);
    assert_non_null(a);
    assert_int_equal(a->codec, AV_CODEC_ID_AAC);
    assert_int_equal(a->rate, 48000);
    assert_true(fabs(a->duration_s - 30.0) < 0.1);
    const struct probe_stream *s = find_stream(&pi, AVMEDIA_TYPE_SUBTITLE);
    assert_non_null(s);
    assert_int_equal(s->codec, AV_CODEC_ID_MOV_TEXT);
    assert_string_equal(s->lang, "kaz");

    /* Six captions (two per scene), in Kazakh: Cyrillic bytes. */
    struct probe_cue cues[16];
    int nc = probe_subtitles(out, cues, 16);
    assert_int_equal(nc, 6);
    assert_true(cues[0].start_s >= 0 && cues[0].end_s > cues[0].start_s);
    assert_true(cues[5].end_s <= 30.01);
    assert_non_null(strstr(cues[0].text, "\xd0")); /* U+0400..U+043F lead */

    /* The audio is really there (the sample has a voice and music). */
    float *pcm = NULL;
    size_t nframes = 0;
    int rate = 0, ch = 0;
    assert_int_equal(probe_audio(out, &pcm, &nframes, &rate, &ch), 0);
    double peak = 0;
    for (size_t i = 0; i < nframes * (size_t)ch; i++) {
        peak = fmax(peak, fabs(pcm[i]));
    }
    free(pcm);
    assert_true(fabs((double)nframes / rate - 30.0) < 0.1);
    assert_true(peak > 0.01);

    /* Streaming order: moov before mdat (+faststart). */
    char boxes[256];
    assert_int_equal(probe_mp4_boxes(out, boxes, sizeof(boxes)), 0);
    char *moov = strstr(boxes, "moov"), *mdat = strstr(boxes, "mdat");
    assert_non_null(moov);
    assert_non_null(mdat);
    assert_true(moov < mdat);
    /* Only the video, no temporary file. */
    assert_int_equal(e2e_list_dir(dir, NULL, 0), 1);
}

static void sample_frames_ru(void **state)
{
    (void)state;
    char dir[4096], out[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_frames", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/part.mp4", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out, "--size",
               "480p", "--fps", "12", "--frames", "0-119", "--captions", "ru", "-q",
               NULL});
    e2e_result_fini(&r);
    struct probe_info pi;
    assert_int_equal(probe_file(out, &pi), 0);
    check_video(&pi, AV_CODEC_ID_H264, 854, 480, 12, 120);
    assert_true(fabs(pi.format_duration_s - 10.0) < 0.05);
    const struct probe_stream *s = find_stream(&pi, AVMEDIA_TYPE_SUBTITLE);
    assert_non_null(s);
    assert_string_equal(s->lang, "rus");
}

static void scene_two(void **state)
{
    (void)state;
    char dir[4096], out[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_scene", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/scene2.mp4", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out, "--size",
               "480p", "--fps", "12", "--scene", "2", "-q", NULL});
    e2e_result_fini(&r);
    struct probe_info pi;
    assert_int_equal(probe_file(out, &pi), 0);
    check_video(&pi, AV_CODEC_ID_H264, 854, 480, 12, 120);
    assert_true(fabs(pi.format_duration_s - 10.0) < 0.05);
    /* Scene 2's two captions, moved to the start of the clip. */
    struct probe_cue cues[8];
    int nc = probe_subtitles(out, cues, 8);
    assert_int_equal(nc, 2);
    assert_true(cues[1].end_s <= 10.01);

    /* A scene that isn't there is a usage error, and writes nothing. */
    run_expect(NULL, 2, &r, (const char *const[]){"render", story, "-o", out, "--scene",
               "4", "-q", NULL});
    assert_non_null(strstr(r.err, "--scene"));
    e2e_result_fini(&r);
}

/* With no options: what `daryn render --help` calls the defaults, 720p
 * 16:9 at 24 fps with Kazakh captions as a subtitle track. */
static void defaults(void **state)
{
    (void)state;
    char dir[4096], story[4200], out[4200];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_defaults", dir, sizeof(dir)), 0);
    snprintf(story, sizeof(story), "%s/hello.json", dir);
    snprintf(out, sizeof(out), "%s/hello.mp4", dir);
    assert_int_equal(e2e_story_write(story, 0.5, true), 0);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out, "-q", NULL});
    e2e_result_fini(&r);
    int w, h;
    assert_int_equal(export_size_dims(EXPORT_SIZE_720P, EXPORT_ASPECT_16_9, &w, &h), 0);
    struct probe_info pi;
    assert_int_equal(probe_file(out, &pi), 0);
    check_video(&pi, AV_CODEC_ID_H264, w, h, 24, 12);
    const struct probe_stream *s = find_stream(&pi, AVMEDIA_TYPE_SUBTITLE);
    assert_non_null(s);
    assert_string_equal(s->lang, "kaz");
    struct probe_cue cue;
    assert_int_equal(probe_subtitles(out, &cue, 1), 1);
    assert_non_null(strstr(cue.text, "Сәлем"));
}

/* WebM: VP9 + Opus + WebVTT; by extension, then by --format with an
 * extension-less name. */
static void webm(void **state)
{
    (void)state;
    char dir[4096], out[4200], out2[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_webm", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/clip.webm", dir);
    snprintf(out2, sizeof(out2), "%s/clip2", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out, "--size",
               "480p", "--fps", "12", "--frames", "0-23", "-q", NULL});
    e2e_result_fini(&r);
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out2, "--format",
               "webm", "--size", "480p", "--fps", "12", "--frames", "0-23", "-q", NULL});
    e2e_result_fini(&r);
    const char *paths[2] = {out, out2};
    for (int k = 0; k < 2; k++) {
        struct probe_info pi;
        assert_int_equal(probe_file(paths[k], &pi), 0);
        check_video(&pi, AV_CODEC_ID_VP9, 854, 480, 12, 24);
        const struct probe_stream *a = find_stream(&pi, AVMEDIA_TYPE_AUDIO);
        assert_non_null(a);
        assert_int_equal(a->codec, AV_CODEC_ID_OPUS);
        assert_int_equal(a->rate, 48000);
        const struct probe_stream *s = find_stream(&pi, AVMEDIA_TYPE_SUBTITLE);
        assert_non_null(s);
        assert_int_equal(s->codec, AV_CODEC_ID_WEBVTT);
        assert_string_equal(s->lang, "kaz");
    }
    assert_int_equal(e2e_count_tmp(dir), 0);
}

static void gif(void **state)
{
    (void)state;
    char dir[4096], out[4200], out2[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_gif", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/anim.gif", dir);
    snprintf(out2, sizeof(out2), "%s/anim2", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out, "--size",
               "480p", "--fps", "12", "--frames", "0-11", "-q", NULL});
    e2e_result_fini(&r);
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out2, "--format",
               "gif", "--size", "480p", "--fps", "12", "--frames", "0-11", "-q", NULL});
    e2e_result_fini(&r);
    const char *paths[2] = {out, out2};
    for (int k = 0; k < 2; k++) {
        struct probe_info pi;
        assert_int_equal(probe_file(paths[k], &pi), 0);
        assert_int_equal(pi.nstreams, 1); /* no sound, no subtitles */
        const struct probe_stream *v = find_stream(&pi, AVMEDIA_TYPE_VIDEO);
        assert_non_null(v);
        assert_int_equal(v->codec, AV_CODEC_ID_GIF);
        assert_int_equal(v->width, 854);
        assert_int_equal(v->height, 480);
        assert_int_equal(probe_video(paths[k], NULL, NULL), 12);
    }
}

static void check_png_dir(const char *dir, int frames, int w, int h)
{
    char names[8192];
    assert_int_equal(e2e_list_dir(dir, names, sizeof(names)), frames);
    for (int i = 1; i <= frames; i++) {
        char p[4300];
        snprintf(p, sizeof(p), "%s/frame_%06d.png", dir, i);
        struct probe_info pi;
        if (probe_file(p, &pi) != 0) {
            fail_msg("%s: not readable (dir holds: %s)", p, names);
        }
        assert_int_equal(pi.st[0].codec, AV_CODEC_ID_PNG);
        assert_int_equal(pi.st[0].width, w);
        assert_int_equal(pi.st[0].height, h);
    }
}

/* PNG frames: --format png names the folder; "NAME.png" means the folder
 * NAME; running the same command again replaces the frames (it must not
 * nest a new export inside the old folder). */
static void png_frames(void **state)
{
    (void)state;
    char dir[4096], out[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_png", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/frames", dir);
    struct e2e_result r;
    for (int rep = 0; rep < 2; rep++) {
        run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out,
                   "--format", "png", "--size", "480p", "--fps", "12", "--frames", "0-5",
                   "-q", NULL});
        e2e_result_fini(&r);
        check_png_dir(out, 6, 854, 480);
    }
    char shots[4200], shots_dir[4200];
    snprintf(shots, sizeof(shots), "%s/shots.png", dir);
    snprintf(shots_dir, sizeof(shots_dir), "%s/shots", dir);
    for (int rep = 0; rep < 2; rep++) {
        run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", shots,
                   "--size", "480p", "--fps", "12", "--frames", "0-3", "--aspect", "4:3",
                   NULL});
        assert_non_null(strstr(r.err, shots_dir));
        e2e_result_fini(&r);
        check_png_dir(shots_dir, 4, 640, 480);
    }
    char names[1024];
    assert_int_equal(e2e_list_dir(dir, names, sizeof(names)), 2);
}

static void portrait(void **state)
{
    (void)state;
    char dir[4096], out[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_portrait", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/phone.mp4", dir);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", out, "--size",
               "480p", "--aspect", "9:16", "--fps", "12", "--frames", "0-11", "-q", NULL});
    e2e_result_fini(&r);
    int w, h;
    assert_int_equal(export_size_dims(EXPORT_SIZE_480P, EXPORT_ASPECT_9_16, &w, &h), 0);
    assert_true(h > w);
    struct probe_info pi;
    assert_int_equal(probe_file(out, &pi), 0);
    check_video(&pi, AV_CODEC_ID_H264, w, h, 12, 12);
}

struct frame_grab {
    uint32_t *px;
    int w, h;
};

static void grab_first(long index, const uint32_t *px, int w, int h, void *ud)
{
    struct frame_grab *g = ud;
    if (index == 0) {
        g->px = malloc((size_t)w * h * 4);
        assert_non_null(g->px);
        memcpy(g->px, px, (size_t)w * h * 4);
        g->w = w;
        g->h = h;
    }
}

static long count_diff(const struct frame_grab *a, const struct frame_grab *b,
                       int y0, int y1)
{
    long n = 0;
    for (int y = y0; y < y1; y++) {
        for (int x = 0; x < a->w; x++) {
            uint32_t p = a->px[(size_t)y * a->w + x], q = b->px[(size_t)y * a->w + x];
            for (int sh = 0; sh < 24; sh += 8) {
                if (abs((int)(p >> sh & 255) - (int)(q >> sh & 255)) > 40) {
                    n++;
                    break;
                }
            }
        }
    }
    return n;
}

/* --burn-captions draws the caption into the bottom of the picture; the
 * rest of the frame stays as it was. */
static void burn_captions(void **state)
{
    (void)state;
    char dir[4096], story[4200], plain[4200], burnt[4200];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_burn", dir, sizeof(dir)), 0);
    snprintf(story, sizeof(story), "%s/hello.daryn", dir);
    snprintf(plain, sizeof(plain), "%s/plain.mp4", dir);
    snprintf(burnt, sizeof(burnt), "%s/burnt.mp4", dir);
    assert_int_equal(e2e_story_write(story, 1.0, true), 0);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", plain, "--size",
               "480p", "--fps", "12", "-q", NULL});
    e2e_result_fini(&r);
    run_expect(NULL, 0, &r, (const char *const[]){"render", story, "-o", burnt, "--size",
               "480p", "--fps", "12", "--burn-captions", "-q", NULL});
    e2e_result_fini(&r);
    struct frame_grab a = {0}, b = {0};
    assert_int_equal(probe_video(plain, grab_first, &a), 12);
    assert_int_equal(probe_video(burnt, grab_first, &b), 12);
    assert_int_equal(a.w, b.w);
    assert_int_equal(a.h, b.h);
    long bottom = count_diff(&a, &b, a.h * 3 / 4, a.h);
    long top = count_diff(&a, &b, 0, a.h / 2);
    free(a.px);
    free(b.px);
    /* A line of caption text at 480p covers thousands of pixels. */
    assert_true(bottom > 1000);
    assert_true(top < (long)a.w * a.h / 200);
}

/* Progress lines ("LABEL: P% (A/B stories)") never count more stories
 * done than the percentage says, and end at 100 %. */
static void check_progress_lines(const char *err, const char *label)
{
    int lines = 0, last_pct = -1;
    for (const char *l = strstr(err, label); l; l = strstr(l + 1, label)) {
        int pct;
        long a, b;
        if (sscanf(l + strlen(label), "%d%% (%ld/%ld", &pct, &a, &b) != 3) {
            continue;
        }
        if (a * 100 >= (long)(pct + 1) * b) {
            fail_msg("progress says %ld of %ld done at %d %%", a, b, pct);
        }
        last_pct = pct;
        lines++;
    }
    assert_true(lines > 0);
    assert_int_equal(last_pct, 100);
}

/* A class's batch: stories of any form into one folder, in parallel. Two
 * stories with the same name (two children's "ali") must not overwrite
 * each other. */
static void batch_ok(void **state)
{
    (void)state;
    char dir[4096], p[6][4300], outdir[4200];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_batch", dir, sizeof(dir)), 0);
    snprintf(p[0], sizeof(p[0]), "%s/ali.daryn", dir);
    snprintf(p[1], sizeof(p[1]), "%s/aru.json", dir);
    snprintf(p[2], sizeof(p[2]), "%s/class2", dir);
    assert_int_equal(mkdir(p[2], 0777), 0);
    snprintf(p[3], sizeof(p[3]), "%s/class2/ali.daryn", dir);
    snprintf(outdir, sizeof(outdir), "%s/videos", dir);
    assert_int_equal(e2e_story_write(p[0], 1.0, true), 0);
    assert_int_equal(e2e_story_write(p[1], 1.5, false), 0);
    assert_int_equal(e2e_story_write(p[3], 2.0, false), 0);
    struct e2e_result r;
    run_expect(NULL, 0, &r, (const char *const[]){"render", p[0], p[1], "-o", outdir,
               "--size", "480p", "--fps", "12", NULL});
    check_progress_lines(r.err, "render batch: ");
    e2e_result_fini(&r);
    char names[1024];
    assert_int_equal(e2e_list_dir(outdir, names, sizeof(names)), 2);
    snprintf(p[4], sizeof(p[4]), "%s/ali.mp4", outdir);
    snprintf(p[5], sizeof(p[5]), "%s/aru.mp4", outdir);
    struct probe_info pi;
    assert_int_equal(probe_file(p[4], &pi), 0);
    check_video(&pi, AV_CODEC_ID_H264, 854, 480, 12, 12);
    assert_int_equal(probe_file(p[5], &pi), 0);
    check_video(&pi, AV_CODEC_ID_H264, 854, 480, 12, 18);

    /* Same names: both exported, under different names. */
    char outdir2[4300];
    snprintf(outdir2, sizeof(outdir2), "%s/videos2", dir);
    run_expect(NULL, 0, &r, (const char *const[]){"render", p[0], p[3], "-o", outdir2,
               "--size", "480p", "--fps", "12", NULL});
    e2e_result_fini(&r);
    assert_int_equal(e2e_list_dir(outdir2, names, sizeof(names)), 2);
    long frames[2] = {0, 0};
    char *save = NULL;
    int k = 0;
    for (char *n = strtok_r(names, " ", &save); n && k < 2; n = strtok_r(NULL, " ", &save)) {
        char path[4500];
        snprintf(path, sizeof(path), "%s/%s", outdir2, n);
        assert_int_equal(probe_file(path, &pi), 0);
        frames[k++] = find_stream(&pi, AVMEDIA_TYPE_VIDEO)->packets;
    }
    /* One is the 1 s story, the other the 2 s one. */
    assert_int_equal(frames[0] + frames[1], 12 + 24);
    assert_int_not_equal(frames[0], frames[1]);
}

static void batch_partial(void **state)
{
    (void)state;
    char dir[4096], good[4200], bad[4200], outdir[4200], names[1024];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_partial", dir, sizeof(dir)), 0);
    snprintf(good, sizeof(good), "%s/good.daryn", dir);
    snprintf(bad, sizeof(bad), "%s/broken.daryn", dir);
    snprintf(outdir, sizeof(outdir), "%s/out", dir);
    assert_int_equal(e2e_story_write(good, 1.0, false), 0);
    assert_int_equal(e2e_write_file(bad, "PK\3\4 this is not a zip", 22), 0);
    struct e2e_result r;
    run_expect(NULL, 5, &r, (const char *const[]){"render", good, bad, "-o", outdir,
               "--size", "480p", "--fps", "12", NULL});
    assert_non_null(strstr(r.err, "broken.daryn"));
    e2e_result_fini(&r);
    assert_int_equal(e2e_list_dir(outdir, names, sizeof(names)), 1);
    assert_string_equal(names, "good.mp4");
    char out[4300];
    snprintf(out, sizeof(out), "%s/good.mp4", outdir);
    struct probe_info pi;
    assert_int_equal(probe_file(out, &pi), 0);
    check_video(&pi, AV_CODEC_ID_H264, 854, 480, 12, 12);
}

static bool has_tmp(void *ud, const char *err_path)
{
    (void)err_path;
    return e2e_count_tmp(ud) > 0;
}

/* Ctrl-C: exit 130, nothing left behind, soon. */
static void interrupt(void **state)
{
    (void)state;
    char dir[4096], out[4200], story[4096];
    assert_int_equal(e2e_fresh_dir(&ctx, "render_sigint", dir, sizeof(dir)), 0);
    sample_path(story, sizeof(story));
    snprintf(out, sizeof(out), "%s/long.mp4", dir);
    struct e2e_opts o = {.sigint = true, .ready = has_tmp, .ud = dir, .sigint_min_s = 1.0,
                         .timeout_s = 60};
    struct e2e_result r;
    run_expect(&o, 130, &r, (const char *const[]){"render", story, "-o", out, "--size",
               "720p", NULL});
    assert_true(r.interrupted);
    assert_true(r.after_int_s < 20.0); /* finishing would be exit 0 */
    e2e_result_fini(&r);
    char names[1024];
    if (e2e_list_dir(dir, names, sizeof(names)) != 0) {
        fail_msg("left behind: %s", names);
    }

    /* A batch: the children stop too, and the folder holds no video. */
    char outdir[4200], s2[4200];
    snprintf(s2, sizeof(s2), "%s/copy.json", dir);
    snprintf(outdir, sizeof(outdir), "%s/batch", dir);
    assert_int_equal(e2e_story_write(s2, 30.0, true), 0);
    o.ud = outdir;
    run_expect(&o, 130, &r, (const char *const[]){"render", story, s2, "-o", outdir,
               "--size", "720p", NULL});
    assert_true(r.after_int_s < 20.0); /* finishing would be exit 0 */
    e2e_result_fini(&r);
    if (e2e_list_dir(outdir, names, sizeof(names)) != 0) {
        fail_msg("left behind in the batch folder: %s", names);
    }
}

int main(int argc, char **argv)
{
    if (e2e_init(argc, argv, &ctx) < 0) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_full),   cmocka_unit_test(sample_frames_ru),
        cmocka_unit_test(scene_two),     cmocka_unit_test(defaults),
        cmocka_unit_test(webm),
        cmocka_unit_test(gif),           cmocka_unit_test(png_frames),
        cmocka_unit_test(portrait),      cmocka_unit_test(burn_captions),
        cmocka_unit_test(batch_ok),      cmocka_unit_test(batch_partial),
        cmocka_unit_test(interrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
