/* media_avlog.c: the quiet av_log handler (see media_avlog.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>

#include "daryn/media_avlog.h"

/* Finds the sink of a logging context: only contexts whose class we know
 * have an `opaque` we set; private codec/format contexts are skipped. */
static struct media_avlog *sink_of(void *avcl)
{
    if (!avcl) {
        return NULL;
    }
    const AVClass *cls = *(const AVClass **)avcl;
    if (cls == avcodec_get_class()) {
        return ((AVCodecContext *)avcl)->opaque;
    }
    if (cls == avformat_get_class()) {
        return ((AVFormatContext *)avcl)->opaque;
    }
    if (cls == avfilter_get_class()) {
        AVFilterGraph *g = ((AVFilterContext *)avcl)->graph;
        return g ? g->opaque : NULL;
    }
    return NULL;
}

static void avlog_cb(void *avcl, int level, const char *fmt, va_list vl)
{
    static const char *const debug_env = "DARYN_AV_LOG";
    if (getenv(debug_env)) {
        av_log_default_callback(avcl, level, fmt, vl);
        return;
    }
    if (level > AV_LOG_ERROR) {
        return;
    }
    struct media_avlog *log = sink_of(avcl);
    if (!log) {
        return;
    }
    /* "libx264: message", without FFmpeg's "[name @ 0xaddress]" prefix. */
    const AVClass *cls = *(const AVClass **)avcl;
    char line[MEDIA_AVLOG_LINE_MAX];
    int pre = snprintf(line, sizeof(line), "%s: ", cls->item_name(avcl));
    if (pre < 0 || (size_t)pre >= sizeof(line)) {
        pre = 0;
    }
    int print_prefix = 0;
    av_log_format_line2(avcl, level, fmt, vl, line + pre,
                        (int)sizeof(line) - pre, &print_prefix);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
        line[--n] = '\0';
    }
    if (n > 0) {
        memcpy(log->last, line, n + 1);
    }
}

static void install_once(void)
{
    av_log_set_callback(avlog_cb);
}

void media_avlog_install(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_once);
}

const char *media_avlog_suffix(const struct media_avlog *log, char *buf,
                               int size)
{
    if (size <= 0) {
        return buf;
    }
    buf[0] = '\0';
    if (log && log->last[0]) {
        snprintf(buf, (size_t)size, " (%s)", log->last);
    }
    return buf;
}
