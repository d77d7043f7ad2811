/* vx_png.c: a PNG sequence, frame_000001.png ..., written into a temporary
 * directory that vexport_close renames into place. No muxer: the encoder's
 * packets are the files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vx_internal.h"

int vx_png_open(struct vexport *vx)
{
    vx->pkt = av_packet_alloc();
    if (!vx->pkt) {
        return vx_fail(vx, DY_ENOMEM, "allocating a packet");
    }
    /* Frames are opaque: RGB without alpha makes smaller files. */
    return vx_video_open(vx, AV_PIX_FMT_RGB24);
}

int vx_png_push_video(struct vexport *vx, const struct render_image *img)
{
    struct vx_stream *s = &vx->video;
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

int vx_png_finish(struct vexport *vx)
{
    return vx_encode(vx, &vx->video, NULL);
}

static char *frame_path(const struct vexport *vx, long index)
{
    size_t len = strlen(vx->tmp_path) + 32;
    char *p = malloc(len);
    if (p) {
        snprintf(p, len, "%s/frame_%06ld.png", vx->tmp_path, index);
    }
    return p;
}

int vx_png_write_packet(struct vexport *vx, const AVPacket *pkt)
{
    long index = vx->png_count + 1;
    char *path = frame_path(vx, index);
    if (!path) {
        return vx_fail(vx, DY_ENOMEM, "allocating a path");
    }
    int rc = 0;
    FILE *f = fopen(path, "wb");
    if (!f) {
        rc = vx_fail(vx, DY_EIO, "frame_%06ld.png: creating: %s", index,
                     strerror(errno));
        goto fail;
    }
    vx->png_count = index; /* exists now: remove_tmp must delete it */
    size_t put = fwrite(pkt->data, 1, (size_t)pkt->size, f);
    int e = errno;
    if (fclose(f) != 0 || put != (size_t)pkt->size) {
        rc = vx_fail(vx, DY_EIO, "frame_%06ld.png: writing: %s", index,
                     strerror(e));
    }
fail:
    free(path);
    return rc;
}

void vx_png_remove_tmp(struct vexport *vx)
{
    for (long i = 1; i <= vx->png_count; i++) {
        char *p = frame_path(vx, i);
        if (p) {
            unlink(p);
        }
        free(p);
    }
    rmdir(vx->tmp_path);
}
