/* media.h: decoding of media files held in a story, through FFmpeg's
 * libraries, into plain buffers (no FFmpeg types in this header).
 * Owned by the media module (src/media). */
#ifndef DARYN_MEDIA_H
#define DARYN_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A decoded raster image, premultiplied ARGB32 native-endian (Cairo's
 * CAIRO_FORMAT_ARGB32 layout), stride = width * 4. */
struct media_image {
    int width, height, stride;
    uint8_t *data; /* owned; free with media_image_fini */
};

/* Decodes an image file (PNG, JPEG, BMP, WebP, GIF first frame ...) held in
 * memory. `name` is used in error messages. Refuses images over 16384 px a
 * side or 64 Mpixel. Returns 0 or a negative DY_E* code. */
int media_image_decode(const void *data, size_t size, const char *name,
                       struct media_image *out, struct dy_err *err);
void media_image_fini(struct media_image *img);

/* Decoded audio: interleaved float samples at `rate` Hz, `channels`
 * channels. */
struct media_audio {
    int rate, channels;
    float *pcm;      /* owned; nframes * channels floats */
    size_t nframes;  /* samples per channel */
};

/* Decodes a whole audio file held in memory and resamples it to `rate` Hz
 * and `channels` channels (1 or 2), mono/stereo and any common input rate.
 * Refuses more than 2 hours of audio. */
int media_audio_decode(const void *data, size_t size, const char *name,
                       int rate, int channels, struct media_audio *out,
                       struct dy_err *err);
void media_audio_fini(struct media_audio *a);

#ifdef __cplusplus
}
#endif
#endif
