/* export_vtt.c: the captions of an export as a WebVTT file. Browsers don't
 * show subtitle streams inside MP4/WebM files; a web page shows captions
 * with <track src="story.kk.vtt" srclang="kk">, so `daryn render --vtt`
 * writes this file beside the video. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/atomic_file.h"

#include "export_internal.h"

static void vtt_time(FILE *f, double s)
{
    long ms = lround(s * 1000.0);
    fprintf(f, "%02ld:%02ld:%02ld.%03ld", ms / 3600000, (ms / 60000) % 60, (ms / 1000) % 60,
            ms % 1000);
}

/* Cue text must not contain "-->" nor blank lines (they end a cue). */
static void vtt_text(FILE *f, const char *t)
{
    int newline = 0;
    for (; *t; t++) {
        if (*t == '\n' || *t == '\r') {
            if (!newline)
                fputc('\n', f);
            newline = 1;
            continue;
        }
        newline = 0;
        if (t[0] == '-' && t[1] == '-' && t[2] == '>') {
            fputs("--&gt;", f);
            t += 2;
        } else if (*t == '<') {
            fputs("&lt;", f);
        } else if (*t == '&') {
            fputs("&amp;", f);
        } else {
            fputc(*t, f);
        }
    }
}

int export_write_vtt(const struct story *s, const struct export_opts *o, const char *path,
                     struct dy_err *err)
{
    const char *name = ex_base_name(path);
    if (o->caption_lang < 0 || o->caption_lang >= STORY_LANG_COUNT)
        return dy_err_set(err, DY_EINVAL, name, "no caption language chosen");
    struct ex_seg *segs = NULL;
    struct ex_cue *cues = NULL;
    size_t nsegs = 0, ncues = 0;
    double dur = 0;
    int r = ex_make_segments(s, o, name, &segs, &nsegs, &dur, err);
    if (r < 0)
        return r;
    int fps = o->fps > 0 ? o->fps : 24;
    long first, last;
    if ((r = ex_frame_range(o, dur, name, &first, &last, err)) < 0 ||
        (r = ex_collect_cues(s, segs, nsegs, (enum story_lang)o->caption_lang,
                             (double)first / fps, (double)(last + 1) / fps, &cues, &ncues,
                             err)) < 0) {
        free(segs);
        return r;
    }
    struct dy_atomic out;
    if ((r = dy_atomic_begin(&out, path, 0, err)) < 0)
        goto done;
    FILE *f = dy_atomic_file(&out, "w");
    if (!f) {
        r = dy_err_set(err, DY_EIO, name, "cannot write the captions file: %s", strerror(errno));
        dy_atomic_abort(&out);
        goto done;
    }
    fputs("WEBVTT\n", f);
    for (size_t i = 0; i < ncues; i++) {
        fprintf(f, "\n%zu\n", i + 1);
        vtt_time(f, cues[i].start_s);
        fputs(" --> ", f);
        vtt_time(f, cues[i].end_s);
        fputc('\n', f);
        vtt_text(f, cues[i].text);
        fputc('\n', f);
    }
    r = dy_atomic_commit(&out, err);
done:
    free(cues);
    free(segs);
    return r;
}
