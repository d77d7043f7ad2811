/* progress.c: terminal progress bar with ETA, or plain periodic lines. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "i18n.h"
#include "progress.h"

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_format_duration(double s, char *buf, size_t size)
{
    if (!isfinite(s) || s < 0)
        s = 0;
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, _("%ld h %02ld min"), t / 3600, (t % 3600) / 60);
    else if (t >= 60)
        snprintf(buf, size, _("%ld min %02ld s"), t / 60, t % 60);
    else
        snprintf(buf, size, _("%ld s"), t);
}

void progress_begin(struct progress *p, FILE *out, const char *label, const char *unit,
                    bool quiet)
{
    memset(p, 0, sizeof(*p));
    p->out = out;
    p->tty = isatty(fileno(out)) == 1;
    p->quiet = quiet;
    snprintf(p->label, sizeof(p->label), "%s", label);
    snprintf(p->unit, sizeof(p->unit), "%s", unit);
    p->start_s = progress_now();
    p->last_percent = -1;
}

static void draw(struct progress *p, double done, double total, bool final)
{
    double frac = total > 0 ? done / total : 0;
    if (frac < 0)
        frac = 0;
    if (frac > 1)
        frac = 1;
    double elapsed = progress_now() - p->start_s;
    char eta[48] = "";
    if (final) {
        char d[40];
        progress_format_duration(elapsed, d, sizeof(d));
        snprintf(eta, sizeof(eta), _("done in %s"), d);
    } else if (frac > 0.01 && elapsed > 0.5) {
        char d[40];
        progress_format_duration(elapsed / frac - elapsed, d, sizeof(d));
        snprintf(eta, sizeof(eta), _("%s left"), d);
    }
    int pct = (int)(frac * 100);
    /* Counts say something only for real units ("frames"), not for "%". */
    char counts[96] = "";
    /* A batch reports finished stories plus the running ones' fractions
     * (1.5 of 2): count whole items only, never a rounded-up "2/2" while
     * one is still running. */
    if (strcmp(p->unit, "%") != 0)
        snprintf(counts, sizeof(counts), "%.0f/%.0f %s", floor(done + 1e-9), total, p->unit);
    if (p->tty) {
        enum { W = 30 };
        char bar[W + 1];
        int fill = (int)(frac * W + 0.5);
        for (int i = 0; i < W; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[W] = '\0';
        fprintf(p->out, "\r\033[K%s [%s] %3d%% %s  %s", p->label, bar, pct, counts, eta);
    } else {
        fprintf(p->out, "%s: %d%%%s%s%s%s%s\n", p->label, pct, counts[0] ? " (" : "", counts,
                counts[0] ? ")" : "", eta[0] ? ", " : "", eta);
    }
    fflush(p->out);
    p->drawn = true;
}

void progress_update(struct progress *p, double done, double total)
{
    if (p->quiet)
        return;
    double now = progress_now();
    bool last = total > 0 && done >= total; /* the 100 % line is always drawn */
    if (p->tty) {
        if (p->drawn && now - p->last_draw_s < 0.1 && !last)
            return;
    } else {
        int pct = total > 0 ? (int)(done / total * 10) * 10 : 0;
        if (p->drawn && pct == p->last_percent && now - p->last_draw_s < 10)
            return;
        p->last_percent = pct;
    }
    p->last_draw_s = now;
    draw(p, done, total, last);
}

void progress_end(struct progress *p, bool ok)
{
    if (p->quiet || p->ended)
        return;
    p->ended = true;
    if (p->tty && p->drawn)
        fputc('\n', p->out);
    fflush(p->out);
}
