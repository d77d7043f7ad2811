/* progress.h: progress reporting for long work on the command line: a bar
 * with percentage and ETA when stderr is a terminal, plain periodic lines
 * ("render: 40% (480/1200 frames), 12 s left") otherwise, so logs of batch
 * runs stay readable. */
#ifndef DARYN_CLI_PROGRESS_H
#define DARYN_CLI_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
    FILE *out;
    bool tty;
    char label[96];
    char unit[32];
    double start_s;      /* monotonic clock at begin */
    double last_draw_s;  /* last update printed */
    int last_percent;    /* plain mode: last percentage printed */
    bool drawn;
    bool quiet;
    bool ended;          /* progress_end was called (it runs once) */
};

/* Starts a progress display; `unit` names what is counted ("frames"). */
void progress_begin(struct progress *p, FILE *out, const char *label, const char *unit,
                    bool quiet);
/* Reports `done` of `total` units; cheap to call often (redraws at most ~10
 * times a second on a terminal, every 10 % or 10 s otherwise). */
void progress_update(struct progress *p, double done, double total);
/* Finishes the line; `ok` false leaves the bar where it stopped. Only the
 * first call does anything. */
void progress_end(struct progress *p, bool ok);

/* Monotonic seconds. */
double progress_now(void);

/* Formats seconds as "1 h 02 min", "3 min 05 s" or "12 s". */
void progress_format_duration(double s, char *buf, size_t size);

#endif
