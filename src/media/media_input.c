/* media_input.c: a demuxer and decoder over bytes held in memory, through a
 * custom AVIOContext (the story keeps media inside its zip, never on disk). */
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/mem.h>

#include "media_internal.h"

#define MEDIA_IO_BUF 32768

static int mem_read(void *opaque, uint8_t *buf, int len)
{
    struct media_mem *m = opaque;
    size_t left = m->size - m->pos;
    if (left == 0) {
        return AVERROR_EOF;
    }
    size_t n = (size_t)len < left ? (size_t)len : left;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (int)n;
}

/* Seeking lets demuxers (WAV, MP3, Ogg) find their stream info and the
 * AVSEEK_SIZE query tells them the file size. */
static int64_t mem_seek(void *opaque, int64_t offset, int whence)
{
    struct media_mem *m = opaque;
    int64_t base;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE:
        return (int64_t)m->size;
    case SEEK_SET:
        base = 0;
        break;
    case SEEK_CUR:
        base = (int64_t)m->pos;
        break;
    case SEEK_END:
        base = (int64_t)m->size;
        break;
    default:
        return AVERROR(EINVAL);
    }
    int64_t pos = base + offset;
    if (pos < 0 || pos > (int64_t)m->size) {
        return AVERROR(EINVAL);
    }
    m->pos = (size_t)pos;
    return pos;
}

int media_averr(struct dy_err *err, const struct media_avlog *log,
                const char *name, int ret, const char *step)
{
    char suffix[MEDIA_AVLOG_LINE_MAX + 4];
    int code = ret == AVERROR(ENOMEM) ? DY_ENOMEM : DY_EFORMAT;
    return dy_err_set(err, code, name, "%s: %s%s", step, av_err2str(ret),
                      media_avlog_suffix(log, suffix, (int)sizeof(suffix)));
}

int media_input_open(struct media_input *in, const void *data, size_t size,
                     const char *name, enum AVMediaType type,
                     struct dy_err *err)
{
    int rc;
    memset(in, 0, sizeof(*in));
    in->stream = -1;
    media_avlog_install();
    if (!data || size == 0) {
        return dy_err_set(err, DY_EFORMAT, name, "empty file");
    }
    in->mem = (struct media_mem){.data = data, .size = size};

    uint8_t *buf = av_malloc(MEDIA_IO_BUF);
    in->fmt = avformat_alloc_context();
    if (!buf || !in->fmt) {
        av_free(buf);
        rc = dy_err_set(err, DY_ENOMEM, name, "allocating the demuxer");
        goto fail;
    }
    in->fmt->opaque = &in->log;
    in->pb = avio_alloc_context(buf, MEDIA_IO_BUF, 0, &in->mem, mem_read,
                                NULL, mem_seek);
    if (!in->pb) {
        av_free(buf);
        rc = dy_err_set(err, DY_ENOMEM, name, "allocating the reader");
        goto fail;
    }
    in->fmt->pb = in->pb;
    in->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
    /* avformat_open_input frees the context on failure. */
    int ret = avformat_open_input(&in->fmt, NULL, NULL, NULL);
    if (ret < 0) {
        rc = media_averr(err, &in->log, name, ret, "probing the format");
        goto fail;
    }
    ret = avformat_find_stream_info(in->fmt, NULL);
    if (ret < 0) {
        rc = media_averr(err, &in->log, name, ret, "reading stream info");
        goto fail;
    }
    const AVCodec *codec = NULL;
    ret = av_find_best_stream(in->fmt, type, -1, -1, &codec, 0);
    if (ret < 0) {
        rc = dy_err_set(err, DY_EFORMAT, name, "finding the %s stream: %s",
                        av_get_media_type_string(type), av_err2str(ret));
        goto fail;
    }
    in->stream = ret;
    in->dec = avcodec_alloc_context3(codec);
    if (!in->dec) {
        rc = dy_err_set(err, DY_ENOMEM, name, "allocating the decoder");
        goto fail;
    }
    in->dec->opaque = &in->log;
    ret = avcodec_parameters_to_context(
        in->dec, in->fmt->streams[in->stream]->codecpar);
    if (ret < 0) {
        rc = media_averr(err, &in->log, name, ret, "copying codec parameters");
        goto fail;
    }
    ret = avcodec_open2(in->dec, codec, NULL);
    if (ret < 0) {
        char step[96];
        snprintf(step, sizeof(step), "opening decoder %s", codec->name);
        rc = media_averr(err, &in->log, name, ret, step);
        goto fail;
    }
    return 0;
fail:
    media_input_close(in);
    return rc;
}

void media_input_close(struct media_input *in)
{
    avcodec_free_context(&in->dec);
    avformat_close_input(&in->fmt);
    if (in->pb) {
        av_freep(&in->pb->buffer);
        avio_context_free(&in->pb);
    }
}
