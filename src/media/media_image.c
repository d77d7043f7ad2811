/* media_image.c: raster image decoding (PNG, JPEG, WebP, BMP, GIF first
 * frame) into premultiplied ARGB32, Cairo's layout. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

#include "daryn/media.h"
#include "media_internal.h"

#define MEDIA_IMAGE_MAX_SIDE 16384
#define MEDIA_IMAGE_MAX_PIXELS (64 * 1024 * 1024)

static int check_size(int w, int h, const char *name, struct dy_err *err)
{
    if (w <= 0 || h <= 0) {
        return dy_err_set(err, DY_EFORMAT, name, "image has no size (%dx%d)",
                          w, h);
    }
    if (w > MEDIA_IMAGE_MAX_SIDE || h > MEDIA_IMAGE_MAX_SIDE ||
        (int64_t)w * h > MEDIA_IMAGE_MAX_PIXELS) {
        return dy_err_set(err, DY_ELIMIT, name,
                          "image is %dx%d, over the limit of %d px a side "
                          "or %d Mpixel", w, h, MEDIA_IMAGE_MAX_SIDE,
                          MEDIA_IMAGE_MAX_PIXELS >> 20);
    }
    return 0;
}

/* Reads packets until the decoder gives the first frame. */
static int decode_first(struct media_input *in, AVFrame *frame,
                        const char *name, struct dy_err *err)
{
    AVPacket *pkt = av_packet_alloc();
    if (!pkt) {
        return dy_err_set(err, DY_ENOMEM, name, "allocating a packet");
    }
    int rc = 0, eof = 0;
    for (;;) {
        int ret = avcodec_receive_frame(in->dec, frame);
        if (ret == 0) {
            break;
        }
        if (ret == AVERROR_EOF) {
            rc = dy_err_set(err, DY_EFORMAT, name,
                            "decoding the image: no picture in the file");
            break;
        }
        if (ret != AVERROR(EAGAIN)) {
            rc = media_averr(err, &in->log, name, ret, "decoding the image");
            break;
        }
        if (eof) {
            rc = dy_err_set(err, DY_EFORMAT, name,
                            "decoding the image: no picture in the file");
            break;
        }
        ret = av_read_frame(in->fmt, pkt);
        if (ret == AVERROR_EOF) {
            eof = 1;
            ret = avcodec_send_packet(in->dec, NULL);
        } else if (ret < 0) {
            rc = media_averr(err, &in->log, name, ret, "reading the image");
            break;
        } else {
            if (pkt->stream_index == in->stream) {
                ret = avcodec_send_packet(in->dec, pkt);
            }
            av_packet_unref(pkt);
        }
        if (ret < 0 && ret != AVERROR_EOF) {
            rc = media_averr(err, &in->log, name, ret, "decoding the image");
            break;
        }
    }
    av_packet_free(&pkt);
    return rc;
}

/* sws_scale gives straight alpha; Cairo wants it premultiplied. */
static void premultiply(struct media_image *img)
{
    for (int y = 0; y < img->height; y++) {
        uint32_t *row = (uint32_t *)(img->data + (size_t)y * img->stride);
        for (int x = 0; x < img->width; x++) {
            uint32_t p = row[x], a = p >> 24;
            if (a == 255) {
                continue;
            }
            uint32_t r = ((p >> 16 & 255) * a + 127) / 255;
            uint32_t g = ((p >> 8 & 255) * a + 127) / 255;
            uint32_t b = ((p & 255) * a + 127) / 255;
            row[x] = a << 24 | r << 16 | g << 8 | b;
        }
    }
}

int media_image_decode(const void *data, size_t size, const char *name,
                       struct media_image *out, struct dy_err *err)
{
    struct media_input in;
    AVFrame *frame = NULL, *rgb = NULL;
    struct SwsContext *sws = NULL;
    struct media_image img = {0};
    if (!name) {
        name = "image";
    }
    int rc = media_input_open(&in, data, size, name, AVMEDIA_TYPE_VIDEO, err);
    if (rc < 0) {
        return rc;
    }
    const AVCodecParameters *par = in.fmt->streams[in.stream]->codecpar;
    /* Checked before decoding so a forged header can't make us allocate. */
    if (par->width > 0 && (rc = check_size(par->width, par->height, name,
                                           err)) < 0) {
        goto fail;
    }
    frame = av_frame_alloc();
    if (!frame) {
        rc = dy_err_set(err, DY_ENOMEM, name, "allocating a frame");
        goto fail;
    }
    if ((rc = decode_first(&in, frame, name, err)) < 0 ||
        (rc = check_size(frame->width, frame->height, name, err)) < 0) {
        goto fail;
    }
    sws = sws_getContext(frame->width, frame->height, frame->format,
                         frame->width, frame->height, AV_PIX_FMT_RGB32,
                         SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                         NULL, NULL, NULL);
    if (!sws) {
        rc = dy_err_set(err, DY_EUNSUPPORTED, name,
                        "converting pixels: no conversion from %s",
                        av_get_pix_fmt_name(frame->format));
        goto fail;
    }
    img.width = frame->width;
    img.height = frame->height;
    img.stride = frame->width * 4;
    img.data = malloc((size_t)img.stride * (size_t)img.height);
    if (!img.data) {
        rc = dy_err_set(err, DY_ENOMEM, name, "allocating %dx%d pixels",
                        img.width, img.height);
        goto fail;
    }
    /* sws's SIMD paths write whole blocks of pixels and may skip the tail
     * of rows whose stride is not aligned: convert into an aligned frame,
     * then copy rows into our packed buffer. */
    rgb = av_frame_alloc();
    if (!rgb) {
        rc = dy_err_set(err, DY_ENOMEM, name, "allocating a frame");
        goto fail;
    }
    rgb->format = AV_PIX_FMT_RGB32;
    rgb->width = frame->width;
    rgb->height = frame->height;
    int ret = av_frame_get_buffer(rgb, 0);
    if (ret >= 0) {
        ret = sws_scale(sws, (const uint8_t *const *)frame->data,
                        frame->linesize, 0, frame->height, rgb->data,
                        rgb->linesize);
    }
    if (ret < 0) {
        rc = media_averr(err, &in.log, name, ret, "converting pixels");
        goto fail;
    }
    for (int y = 0; y < img.height; y++) {
        memcpy(img.data + (size_t)y * img.stride,
               rgb->data[0] + (size_t)y * rgb->linesize[0],
               (size_t)img.stride);
    }
    premultiply(&img);
    *out = img;
    img.data = NULL;
    rc = 0;
fail:
    free(img.data);
    sws_freeContext(sws);
    av_frame_free(&rgb);
    av_frame_free(&frame);
    media_input_close(&in);
    return rc;
}

void media_image_fini(struct media_image *img)
{
    if (img) {
        free(img->data);
        memset(img, 0, sizeof(*img));
    }
}
