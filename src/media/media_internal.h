/* media_internal.h: opening a demuxer on bytes held in memory, shared by
 * media_image.c and media_audio.c. */
#ifndef DARYN_MEDIA_INTERNAL_H
#define DARYN_MEDIA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <libavformat/avformat.h>

#include "daryn/err.h"
#include "daryn/media_avlog.h"

/* A read-only cursor over the caller's bytes (borrowed). */
struct media_mem {
    const uint8_t *data;
    size_t size, pos;
};

/* Everything one decode needs; media_input_close frees it. */
struct media_input {
    struct media_mem mem;
    AVIOContext *pb;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    int stream;
    struct media_avlog log;
};

/* Opens a demuxer over data/size (probing the format), finds the best
 * stream of `type` and opens its decoder. `name` is the media name used in
 * error messages. 0 or a negative DY_E* code; on failure everything is
 * freed. */
int media_input_open(struct media_input *in, const void *data, size_t size,
                     const char *name, enum AVMediaType type,
                     struct dy_err *err);
void media_input_close(struct media_input *in);

/* dy_err_set with "step: av_err2str(ret) (last log line)". */
int media_averr(struct dy_err *err, const struct media_avlog *log,
                const char *name, int ret, const char *step);

#endif
