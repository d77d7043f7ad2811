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
 * Refuses more than 2 hours of audio. Holds the whole clip (rate * channels
 * * 4 bytes a second): use media_audio_stream_* for long clips. */
int media_audio_decode(const void *data, size_t size, const char *name,
                       int rate, int channels, struct media_audio *out,
                       struct dy_err *err);
void media_audio_fini(struct media_audio *a);

/* Streaming audio decoding: the same samples media_audio_decode returns,
 * delivered in pieces so memory stays flat whatever the clip's length (a
 * demuxer, a decoder, a resampler and about one packet of samples).
 * Typical use: open, skip (trim), read block after block, close. Errors
 * are sticky: after the first failure every read/skip returns it again. */
struct media_audio_stream;

/* Opens a stream over `data`/`size` (borrowed: must stay valid and
 * unchanged until close) delivering interleaved float at `rate` Hz (8000..
 * 192000) and `channels` (1 or 2). `name` (copied) names the media in error
 * messages. Refuses a declared duration over 2 hours (DY_ELIMIT), bad
 * rate/channels (DY_EINVAL), undecodable input (DY_EFORMAT). On success
 * *out is the caller's, to free with media_audio_stream_close(). */
int media_audio_stream_open(const void *data, size_t size, const char *name,
                            int rate, int channels,
                            struct media_audio_stream **out,
                            struct dy_err *err);

/* Reads up to `nframes` frames (samples per channel) into `out` (room for
 * nframes * channels floats). *got is nframes except at the end of the
 * audio, where it is smaller (0 once everything was read). Returns 0 or the
 * (sticky) error: DY_EFORMAT, DY_ENOMEM, DY_ELIMIT past 2 hours. */
int media_audio_stream_read(struct media_audio_stream *s, float *out,
                            size_t nframes, size_t *got, struct dy_err *err);

/* Drops the next `nframes` frames exactly as a read would return them
 * (decoded and discarded, so the samples after a skip equal a whole
 * decode's); stops quietly at the end. 0 or the sticky error. */
int media_audio_stream_skip(struct media_audio_stream *s, size_t nframes,
                            struct dy_err *err);

/* Frees the stream; NULL is a no-op. */
void media_audio_stream_close(struct media_audio_stream *s);

#ifdef __cplusplus
}
#endif
#endif
