/* vx_gif.c: animated GIF with a palette made from the frames themselves.
 *
 * One filter graph, `split[a][b];[a]palettegen[p];[b][p]paletteuse`:
 * palettegen emits its palette only at the end of the stream, so paletteuse
 * (and the graph) holds every frame in memory until then. GIF exports are
 * short (a story's first scenes as a preview, a sticker); the memory is
 * capped at VEXPORT_GIF_MAX_BYTES of RGB32 frames (e.g. 480x270 at 12 fps:
 * about 8 minutes; 1280x720 at 24 fps: 45 s), past which push_video fails
 * with DY_ELIMIT. Rendering twice would avoid the cap but doubles the
 * render time of the common short case. */
#include <stdio.h>

#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>

#include "vx_internal.h"

/* Flat cartoon colours: a full-stats palette, and ordered (bayer)
 * dithering, which doesn't crawl between frames the way error diffusion
 * does; rectangle diff mode re-dithers only what changed. */
static const char vx_gif_graph[] =
    "split[a][b];[a]palettegen=stats_mode=full[p];"
    "[b][p]paletteuse=dither=bayer:bayer_scale=3:diff_mode=rectangle";

static int build_graph(struct vexport *vx)
{
    AVFilterInOut *outputs = avfilter_inout_alloc();
    AVFilterInOut *inputs = avfilter_inout_alloc();
    char args[256];
    int rc = 0, ret;
    vx->graph = avfilter_graph_alloc();
    if (!outputs || !inputs || !vx->graph) {
        rc = vx_fail(vx, DY_ENOMEM, "allocating the GIF palette filters");
        goto fail;
    }
    vx->graph->opaque = &vx->log;
    vx->graph->nb_threads = vx->o.threads;
    snprintf(args, sizeof(args),
             "video_size=%dx%d:pix_fmt=%d:time_base=1/%d:pixel_aspect=1/1",
             vx->o.width, vx->o.height, AV_PIX_FMT_RGB32, vx->o.fps);
    ret = avfilter_graph_create_filter(&vx->bsrc,
                                       avfilter_get_by_name("buffer"), "in",
                                       args, NULL, vx->graph);
    if (ret >= 0) {
        ret = avfilter_graph_create_filter(
            &vx->bsink, avfilter_get_by_name("buffersink"), "out", NULL,
            NULL, vx->graph);
    }
    if (ret >= 0) {
        static const enum AVPixelFormat pal8[] = {AV_PIX_FMT_PAL8,
                                                  AV_PIX_FMT_NONE};
        ret = av_opt_set_int_list(vx->bsink, "pix_fmts", pal8,
                                  AV_PIX_FMT_NONE, AV_OPT_SEARCH_CHILDREN);
    }
    if (ret < 0) {
        rc = vx_averr(vx, ret, "creating the GIF filter ends");
        goto fail;
    }
    /* The graph's open input "in" is fed by our buffer source; its open
     * output "out" feeds our sink. */
    outputs->name = av_strdup("in");
    outputs->filter_ctx = vx->bsrc;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = vx->bsink;
    ret = avfilter_graph_parse_ptr(vx->graph, vx_gif_graph, &inputs,
                                   &outputs, NULL);
    if (ret >= 0) {
        ret = avfilter_graph_config(vx->graph, NULL);
    }
    if (ret < 0) {
        rc = vx_averr(vx, ret, "setting up the GIF palette filters");
    }
fail:
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    return rc;
}

int vx_gif_open(struct vexport *vx)
{
    int rc = vx_lavf_open(vx);
    return rc < 0 ? rc : build_graph(vx);
}

/* Encodes the frames the graph has ready (all of them, after EOF). */
static int drain_graph(struct vexport *vx)
{
    AVFrame *f = av_frame_alloc();
    if (!f) {
        return vx_fail(vx, DY_ENOMEM, "allocating a frame");
    }
    int rc = 0;
    for (;;) {
        int ret = av_buffersink_get_frame(vx->bsink, f);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
            break;
        }
        if (ret < 0) {
            rc = vx_averr(vx, ret, "making the GIF palette");
            break;
        }
        f->pts = vx->video.next_pts++;
        rc = vx_encode(vx, &vx->video, f);
        av_frame_unref(f);
        if (rc < 0) {
            break;
        }
    }
    av_frame_free(&f);
    return rc;
}

int vx_gif_push_video(struct vexport *vx, const struct render_image *img)
{
    size_t bytes = (size_t)vx->o.width * (size_t)vx->o.height * 4;
    if (vx->gif_bytes + bytes > VEXPORT_GIF_MAX_BYTES) {
        return vx_fail(vx, DY_ELIMIT, "frame %ld: a GIF may hold at most "
                       "%zu MiB of frames (%ld frames at %dx%d); export a "
                       "shorter range or a smaller size", vx->frames_in,
                       VEXPORT_GIF_MAX_BYTES >> 20, vx->frames_in,
                       vx->o.width, vx->o.height);
    }
    /* A fresh frame each time: the graph keeps every one until the end. */
    AVFrame *f = av_frame_alloc();
    if (!f) {
        return vx_fail(vx, DY_ENOMEM, "allocating a frame");
    }
    f->format = AV_PIX_FMT_RGB32;
    f->width = vx->o.width;
    f->height = vx->o.height;
    int rc = 0, ret = av_frame_get_buffer(f, 0);
    if (ret < 0) {
        rc = vx_averr(vx, ret, "frame %ld: allocating", vx->frames_in);
        goto fail;
    }
    if ((rc = vx_scale(vx, img, f)) < 0) {
        goto fail;
    }
    f->pts = vx->frames_in;
    /* Takes the frame's reference and leaves f blank. */
    ret = av_buffersrc_add_frame(vx->bsrc, f);
    if (ret < 0) {
        rc = vx_averr(vx, ret, "frame %ld: feeding the palette filters",
                      vx->frames_in);
        goto fail;
    }
    vx->gif_bytes += bytes;
    rc = drain_graph(vx);
fail:
    av_frame_free(&f);
    return rc;
}

int vx_gif_finish(struct vexport *vx)
{
    int ret = av_buffersrc_add_frame(vx->bsrc, NULL);
    if (ret < 0) {
        return vx_averr(vx, ret, "ending the palette filters");
    }
    int rc = drain_graph(vx);
    return rc < 0 ? rc : vx_lavf_finish(vx);
}
