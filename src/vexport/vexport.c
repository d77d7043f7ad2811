/* vexport.c: the public API: options, the back-end table, the temporary
 * output and its rename, and the sticky error. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/error.h>

#include "vx_internal.h"

/* ---- back-ends ------------------------------------------------------------ */

/* x264 for children's cartoons: flat colours and sharp outlines are what
 * tune=animation is for (more reference frames, deblocking tuned down,
 * psy-rd lowered). Preset measured with bench/bench_export (10 s of
 * flat-coloured outlined blobs, 720p 24 fps, render + encode, 2 cores):
 * ultrafast 152 fps / 3.3 MB, superfast 65 fps / 2.8 MB, veryfast 58 fps /
 * 1.3 MB, faster 59 fps / 1.3 MB, medium 32 fps / 1.25 MB. veryfast is the
 * knee: half superfast's size at the same speed, medium buys 4 % for
 * half the speed. crf 21 keeps outlines clean. */
static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++) {
        if (strcmp(s, *list) == 0) {
            return 1;
        }
    }
    return 0;
}

static int mp4_video_setup(struct vexport *vx, AVCodecContext *enc,
                           AVDictionary **opts)
{
    /* Checked here: x264 itself would print to stderr, past av_log. */
    static const char *const presets[] = {
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium",
        "slow", "slower", "veryslow", "placebo", NULL};
    static const char *const tunes[] = {
        "film", "animation", "grain", "stillimage", "psnr", "ssim",
        "fastdecode", "zerolatency", NULL};
    if (!in_list(vx->preset, presets) || !in_list(vx->tune, tunes)) {
        return vx_fail(vx, DY_EINVAL, "opening encoder libx264: unknown "
                       "preset \"%s\" or tune \"%s\"", vx->preset, vx->tune);
    }
    int crf = vx->o.crf >= 0 ? vx->o.crf : 21;
    if (crf > 51) {
        return vx_fail(vx, DY_ERANGE, "crf %d is over 51 for H.264", crf);
    }
    av_dict_set(opts, "preset", vx->preset, 0);
    av_dict_set(opts, "tune", vx->tune, 0);
    av_dict_set(opts, "profile", "high", 0);
    av_dict_set_int(opts, "crf", crf, 0);
    (void)enc;
    return 0;
}

static int mp4_mux_setup(struct vexport *vx, AVDictionary **opts)
{
    /* moov before mdat so a browser or phone starts playing at once. */
    av_dict_set(opts, "movflags", "+faststart", 0);
    (void)vx;
    return 0;
}

/* VP9 for speed: realtime deadline, high cpu-used, row-based threading;
 * constant quality (crf with bit rate 0). */
static int webm_video_setup(struct vexport *vx, AVCodecContext *enc,
                            AVDictionary **opts)
{
    int crf = vx->o.crf >= 0 ? vx->o.crf : 33;
    if (crf > 63) {
        return vx_fail(vx, DY_ERANGE, "crf %d is over 63 for VP9", crf);
    }
    enc->bit_rate = 0;
    av_dict_set_int(opts, "crf", crf, 0);
    av_dict_set(opts, "deadline", "realtime", 0);
    av_dict_set(opts, "cpu-used", "8", 0);
    av_dict_set(opts, "row-mt", "1", 0);
    return 0;
}

static int gif_video_setup(struct vexport *vx, AVCodecContext *enc,
                           AVDictionary **opts)
{
    (void)vx, (void)enc, (void)opts;
    return 0;
}

static int png_video_setup(struct vexport *vx, AVCodecContext *enc,
                           AVDictionary **opts)
{
    (void)vx, (void)enc, (void)opts;
    return 0;
}

static const struct vx_format vx_format_mp4 = {
    .name = "mp4",
    .extension = ".mp4",
    .muxer = "mp4",
    .video_encoder = "libx264",
    .video_codec = AV_CODEC_ID_H264,
    .audio_encoder = "aac",
    .audio_codec = AV_CODEC_ID_AAC,
    .subtitle_codec = AV_CODEC_ID_MOV_TEXT,
    .video_setup = mp4_video_setup,
    .mux_setup = mp4_mux_setup,
    .open = vx_lavf_open,
    .push_video = vx_lavf_push_video,
    .finish = vx_lavf_finish,
};

static const struct vx_format vx_format_webm = {
    .name = "webm",
    .extension = ".webm",
    .muxer = "webm",
    .video_encoder = "libvpx-vp9",
    .video_codec = AV_CODEC_ID_VP9,
    .audio_encoder = "libopus",
    .audio_codec = AV_CODEC_ID_OPUS,
    .audio_rate = 48000,
    .subtitle_codec = AV_CODEC_ID_WEBVTT,
    .video_setup = webm_video_setup,
    .open = vx_lavf_open,
    .push_video = vx_lavf_push_video,
    .finish = vx_lavf_finish,
};

static const struct vx_format vx_format_gif = {
    .name = "gif",
    .extension = ".gif",
    .muxer = "gif",
    .video_encoder = "gif",
    .video_codec = AV_CODEC_ID_GIF,
    .subtitle_codec = AV_CODEC_ID_NONE,
    .video_setup = gif_video_setup,
    .open = vx_gif_open,
    .push_video = vx_gif_push_video,
    .finish = vx_gif_finish,
};

static const struct vx_format vx_format_png = {
    .name = "png",
    .extension = "",
    .video_encoder = "png",
    .video_codec = AV_CODEC_ID_PNG,
    .subtitle_codec = AV_CODEC_ID_NONE,
    .is_dir = 1,
    .video_setup = png_video_setup,
    .open = vx_png_open,
    .push_video = vx_png_push_video,
    .finish = vx_png_finish,
};

static const struct vx_format *const vx_formats[] = {
    &vx_format_mp4,
    &vx_format_webm,
    &vx_format_gif,
    &vx_format_png,
    NULL,
};

const char *const *vexport_format_names(void)
{
    static const char *const names[] = {"mp4", "webm", "gif", "png", NULL};
    return names;
}

static const struct vx_format *format_find(const char *name)
{
    for (size_t i = 0; vx_formats[i]; i++) {
        if (strcmp(vx_formats[i]->name, name) == 0) {
            return vx_formats[i];
        }
    }
    return NULL;
}

/* The format for a path's extension: .mp4/.m4v, .webm, .gif; no extension
 * (a directory) means a PNG sequence. NULL when unknown. */
static const struct vx_format *format_from_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) {
        return &vx_format_png;
    }
    if (strcasecmp(dot, ".m4v") == 0) {
        return &vx_format_mp4;
    }
    for (size_t i = 0; vx_formats[i]; i++) {
        if (vx_formats[i]->extension[0] &&
            strcasecmp(dot, vx_formats[i]->extension) == 0) {
            return vx_formats[i];
        }
    }
    return NULL;
}

/* ---- errors ----------------------------------------------------------------- */

static int vx_vfail(struct vexport *vx, int code, const char *fmt,
                    va_list ap)
{
    if (vx->failed) {
        return vx->failed;
    }
    vx->failed = code;
    vx->first.code = code;
    snprintf(vx->first.where, sizeof(vx->first.where), "%s", vx->name);
    vsnprintf(vx->first.msg, sizeof(vx->first.msg), fmt, ap);
    return code;
}

int vx_fail(struct vexport *vx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vx_vfail(vx, code, fmt, ap);
    va_end(ap);
    return rc;
}

int vx_averr(struct vexport *vx, int ret, const char *step_fmt, ...)
{
    char step[256], suffix[MEDIA_AVLOG_LINE_MAX + 4];
    va_list ap;
    va_start(ap, step_fmt);
    vsnprintf(step, sizeof(step), step_fmt, ap);
    va_end(ap);
    int code = DY_EEXTERNAL;
    if (ret == AVERROR(ENOMEM)) {
        code = DY_ENOMEM;
    } else if (ret == AVERROR(EIO) || ret == AVERROR(ENOSPC) ||
               ret == AVERROR(EACCES) || ret == AVERROR(ENOENT) ||
               ret == AVERROR(EROFS)) {
        code = DY_EIO;
    }
    return vx_fail(vx, code, "%s: %s%s", step, av_err2str(ret),
                   media_avlog_suffix(&vx->log, suffix, (int)sizeof(suffix)));
}

/* ---- options ---------------------------------------------------------------- */

void vexport_opts_default(struct vexport_opts *o)
{
    *o = (struct vexport_opts){
        .format = NULL,
        .width = 1280,
        .height = 720,
        .fps = 24,
        .audio_rate = 48000,
        .audio_channels = 2,
        .crf = -1,
        .threads = 0,
    };
}

static int check_opts(struct vexport *vx)
{
    const struct vexport_opts *o = &vx->o;
    if (o->width < 16 || o->width > 7680 || o->height < 16 ||
        o->height > 4320 || o->width % 2 || o->height % 2) {
        return vx_fail(vx, DY_EINVAL,
                       "size %dx%d: must be even, 16..7680 x 16..4320",
                       o->width, o->height);
    }
    if (o->fps != 12 && o->fps != 24 && o->fps != 25 && o->fps != 30) {
        return vx_fail(vx, DY_EINVAL, "fps %d: must be 12, 24, 25 or 30",
                       o->fps);
    }
    if (o->audio_rate != 0 &&
        (o->audio_rate < 8000 || o->audio_rate > 192000 ||
         o->audio_channels < 1 || o->audio_channels > 2)) {
        return vx_fail(vx, DY_EINVAL,
                       "audio %d Hz x %d channels: must be 8000..192000 Hz "
                       "and 1 or 2 channels", o->audio_rate,
                       o->audio_channels);
    }
    if (o->crf < -1 || o->threads < 0 || o->threads > 64) {
        return vx_fail(vx, DY_EINVAL, "crf %d / threads %d out of range",
                       o->crf, o->threads);
    }
    if (o->sub_lang) {
        const char *l = o->sub_lang;
        if (strlen(l) != 3 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' ||
            l[1] > 'z' || l[2] < 'a' || l[2] > 'z') {
            return vx_fail(vx, DY_EINVAL,
                           "subtitle language \"%s\": must be an ISO 639-2 "
                           "code such as kaz, rus, eng", l);
        }
    }
    const char *p = o->preset ? o->preset : "veryfast";
    const char *t = o->tune ? o->tune : "animation";
    if (strlen(p) >= sizeof(vx->preset) || strlen(t) >= sizeof(vx->tune)) {
        return vx_fail(vx, DY_EINVAL, "preset or tune name too long");
    }
    strcpy(vx->preset, p);
    strcpy(vx->tune, t);
    vx->o.preset = vx->preset;
    vx->o.tune = vx->tune;
    vx->o.format = vx->fmt->name;
    if (o->sub_lang && vx->fmt->subtitle_codec != AV_CODEC_ID_NONE) {
        strcpy(vx->sub_lang, o->sub_lang);
        vx->o.sub_lang = vx->sub_lang;
    } else {
        vx->o.sub_lang = NULL;
    }
    if (!vx->fmt->audio_encoder) {
        vx->o.audio_rate = 0;
    }
    return 0;
}

/* ---- temporary output ------------------------------------------------------ */

/* ".NAME.tmp-XXXXXX" in the directory of path, created now (a file, or a
 * directory for PNG frames) so two exports never collide. FFmpeg opens the
 * file again by name. */
static int make_tmp(struct vexport *vx)
{
    struct dy_err e;
    if (dy_atomic_begin(&vx->out, vx->path, vx->fmt->is_dir, &e) < 0) {
        return vx_fail(vx, e.code, "%s", e.msg);
    }
    if (vx->out.fd >= 0) {
        close(vx->out.fd);
        vx->out.fd = -1;
    }
    vx->tmp_path = vx->out.tmp;
    return 0;
}

static void remove_tmp(struct vexport *vx)
{
    if (vx->tmp_path && vx->fmt->is_dir) {
        vx_png_remove_tmp(vx); /* the frames, so the directory can go */
    }
    dy_atomic_abort(&vx->out);
    vx->tmp_path = NULL;
}

/* A PNG sequence replaces an older one: its frame_*.png files are removed
 * first; any other file in the directory makes this fail (we never delete
 * what we did not write). */
static int clear_old_dir(struct vexport *vx)
{
    struct stat sb;
    if (stat(vx->path, &sb) != 0) {
        return 0;
    }
    if (!S_ISDIR(sb.st_mode)) {
        return vx_fail(vx, DY_EIO, "exists and is not a directory");
    }
    char *buf = malloc(strlen(vx->path) + 32);
    if (!buf) {
        return vx_fail(vx, DY_ENOMEM, "allocating a path");
    }
    for (long i = 1;; i++) {
        sprintf(buf, "%s/frame_%06ld.png", vx->path, i);
        if (unlink(buf) != 0) {
            break;
        }
    }
    free(buf);
    if (rmdir(vx->path) != 0) {
        return vx_fail(vx, DY_EIO,
                       "replacing the old directory: %s (it holds files "
                       "other than frame_NNNNNN.png)", strerror(errno));
    }
    return 0;
}

/* ---- public API ------------------------------------------------------------- */

static void vx_free(struct vexport *vx)
{
    vx_streams_free(vx);
    dy_atomic_abort(&vx->out); /* a no-op after commit */
    free(vx->path);
    free(vx);
}

int vexport_open(const struct vexport_opts *opts, const char *path,
                 struct vexport **out, struct dy_err *err)
{
    if (!opts || !path || !path[0] || !out) {
        return dy_err_set(err, DY_EINVAL, path, "vexport_open: no options "
                          "or path");
    }
    media_avlog_install();
    struct vexport *vx = calloc(1, sizeof(*vx));
    if (!vx || !(vx->path = strdup(path))) {
        free(vx);
        return dy_err_set(err, DY_ENOMEM, path, "allocating the exporter");
    }
    size_t plen = strlen(vx->path);
    while (plen > 1 && vx->path[plen - 1] == '/') {
        vx->path[--plen] = '\0';
    }
    const char *slash = strrchr(vx->path, '/');
    vx->name = slash ? slash + 1 : vx->path;
    vx->o = *opts;
    vx->fmt = opts->format ? format_find(opts->format)
                           : format_from_path(vx->path);
    int rc;
    if (!vx->fmt) {
        rc = vx_fail(vx, DY_EUNSUPPORTED,
                     "format \"%s\": not one of mp4, webm, gif, png",
                     opts->format ? opts->format : "(from the extension)");
        goto fail;
    }
    if ((rc = check_opts(vx)) < 0 || (rc = make_tmp(vx)) < 0 ||
        (rc = vx->fmt->open(vx)) < 0) {
        goto fail;
    }
    *out = vx;
    return 0;
fail:
    if (err) {
        *err = vx->first;
    }
    vx_streams_free(vx);
    remove_tmp(vx);
    vx_free(vx);
    return rc;
}

int vexport_push_video(struct vexport *vx, const struct render_image *img)
{
    if (vx->failed) {
        return vx->failed;
    }
    if (!img || !img->data || img->width <= 0 || img->height <= 0 ||
        img->stride < img->width * 4) {
        return vx_fail(vx, DY_EINVAL, "frame %ld: empty or malformed image",
                       vx->frames_in);
    }
    int rc = vx->fmt->push_video(vx, img);
    if (rc == 0) {
        vx->frames_in++;
    }
    return rc;
}

int vexport_push_audio(struct vexport *vx, const float *pcm, size_t nframes)
{
    if (vx->failed) {
        return vx->failed;
    }
    if (!vx->audio.enc || nframes == 0) {
        return 0;
    }
    if (!pcm) {
        return vx_fail(vx, DY_EINVAL, "audio: no samples given");
    }
    return vx_lavf_push_audio(vx, pcm, nframes);
}

int vexport_push_subtitle(struct vexport *vx, double start_s, double end_s,
                          const char *utf8)
{
    if (vx->failed) {
        return vx->failed;
    }
    if (!vx->sub.enc) {
        return 0;
    }
    if (!(start_s >= 0) || !(end_s > start_s) || end_s > 1e7 || !utf8) {
        return vx_fail(vx, DY_EINVAL,
                       "subtitle %.3f..%.3f s: needs 0 <= start < end and "
                       "a text", start_s, end_s);
    }
    return vx_lavf_push_subtitle(vx, start_s, end_s, utf8);
}

int vexport_close(struct vexport *vx, struct dy_err *err)
{
    if (!vx) {
        return dy_err_set(err, DY_EINVAL, NULL, "vexport_close: NULL");
    }
    int rc = vx->failed;
    if (!rc) {
        rc = vx->fmt->finish(vx);
    }
    /* Closing the muxer's file may report a late write error too. */
    vx_streams_free(vx);
    rc = vx->failed ? vx->failed : rc;
    if (!rc && vx->fmt->is_dir) {
        rc = clear_old_dir(vx);
    }
    if (!rc) {
        struct dy_err e;
        vx->tmp_path = NULL;
        if (dy_atomic_commit(&vx->out, &e) < 0) {
            rc = vx_fail(vx, DY_EIO, "%s", e.msg); /* commit removed it */
        }
    }
    if (rc) {
        if (err) {
            *err = vx->first;
        }
        remove_tmp(vx);
    } else {
        dy_err_clear(err);
    }
    vx_free(vx);
    return rc;
}

void vexport_abort(struct vexport *vx)
{
    if (!vx) {
        return;
    }
    vx_streams_free(vx);
    remove_tmp(vx);
    vx_free(vx);
}

long vexport_frames(const struct vexport *vx)
{
    return vx ? vx->frames_in : 0;
}
