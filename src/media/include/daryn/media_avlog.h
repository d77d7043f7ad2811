/* media_avlog.h: a quiet av_log handler shared by the modules that call
 * FFmpeg (media, vexport, export). No FFmpeg types here.
 *
 * FFmpeg's log callback is process-wide, so the handler keeps no state of its
 * own: it drops everything except errors, and stores an error line in the
 * `struct media_avlog` that the logging context points to through its
 * `opaque` field (AVCodecContext.opaque, AVFormatContext.opaque or, for a
 * filter, its graph's AVFilterGraph.opaque). Callers then append that line to
 * their error message ("opening encoder libx264: Invalid argument (x264:
 * width not divisible by 2)"). Lines from contexts without a sink are
 * dropped; set DARYN_AV_LOG=1 in the environment to see everything on
 * stderr while debugging. */
#ifndef DARYN_MEDIA_AVLOG_H
#define DARYN_MEDIA_AVLOG_H

#ifdef __cplusplus
extern "C" {
#endif

#define MEDIA_AVLOG_LINE_MAX 256

/* Owned by the caller, usually embedded in the object that owns the FFmpeg
 * contexts. Written from FFmpeg's threads too: read it only after the call
 * that failed returned. */
struct media_avlog {
    char last[MEDIA_AVLOG_LINE_MAX]; /* last error line, "" if none */
};

/* Installs the handler (once per process; thread-safe, idempotent). */
void media_avlog_install(void);

/* Returns " (last line)" or "" into buf, ready to append to a message. */
const char *media_avlog_suffix(const struct media_avlog *log, char *buf,
                               int size);

#ifdef __cplusplus
}
#endif
#endif
