/* batch.c: a small process pool for batch exports (see batch.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "i18n.h"
#include "progress.h"

struct batch_report {
    int fd;               /* child: write end of its pipe; -1 in-process */
    struct progress *bar; /* in-process: the bar to draw */
    double last_sent;
};

struct report_msg {
    double done, total;
};

void batch_report_progress(struct batch_report *r, double done, double total)
{
    if (!r)
        return;
    if (r->fd < 0) {
        if (r->bar)
            progress_update(r->bar, done, total);
        return;
    }
    /* Throttle: the parent redraws at most ~10 times a second anyway. */
    double now = progress_now();
    if (done < total && now - r->last_sent < 0.05)
        return;
    r->last_sent = now;
    struct report_msg m = {done, total};
    ssize_t w = write(r->fd, &m, sizeof(m));
    (void)w; /* a dead parent just means nobody watches the bar */
}

void batch_report_finish(struct batch_report *r)
{
    if (r && r->fd < 0 && r->bar)
        progress_end(r->bar, true);
}

struct slot {
    pid_t pid;
    int fd;
    size_t index;
    double frac;
};

static void reap(struct slot *s, struct batch_result *res)
{
    int status = 0;
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status)) {
        res->exit_code = WEXITSTATUS(status);
        res->signal = 0;
    } else {
        res->exit_code = CLI_EXIT_INTERNAL;
        res->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
    close(s->fd);
    s->pid = 0;
}

size_t batch_run(size_t n, int parallel, batch_job_fn fn, void *arg, const char *label,
                 int quiet, struct batch_result *results)
{
    struct progress bar;
    progress_begin(&bar, stderr, label, n == 1 ? _("frames") : _("stories"), quiet);
    size_t failed = 0;
    if (n == 1 || parallel <= 1) {
        /* In-process: simplest error path, exact progress per frame. */
        for (size_t i = 0; i < n && !cli_interrupted; i++) {
            struct batch_report r = {.fd = -1, .bar = n == 1 ? &bar : NULL};
            results[i].exit_code = fn(i, arg, &r);
            results[i].signal = 0;
            if (n > 1)
                progress_update(&bar, (double)(i + 1), (double)n);
            if (results[i].exit_code != 0)
                failed++;
        }
        progress_end(&bar, failed == 0);
        return failed;
    }
    if (parallel > 8)
        parallel = 8;
    struct slot slots[8];
    memset(slots, 0, sizeof(slots));
    size_t next = 0, done = 0;
    for (size_t i = 0; i < n; i++)
        results[i] = (struct batch_result){.exit_code = CLI_EXIT_INTERRUPT};
    while (done < n) {
        /* Start jobs into free slots. */
        for (int k = 0; k < parallel && next < n && !cli_interrupted; k++) {
            if (slots[k].pid)
                continue;
            int fds[2];
            if (pipe(fds) < 0)
                break;
            fflush(NULL);
            pid_t pid = fork();
            if (pid < 0) {
                close(fds[0]);
                close(fds[1]);
                break;
            }
            if (pid == 0) {
                close(fds[0]);
                signal(SIGPIPE, SIG_IGN);
                struct batch_report r = {.fd = fds[1]};
                int code = fn(next, arg, &r);
                fflush(NULL);
                _exit(code);
            }
            close(fds[1]);
            slots[k] = (struct slot){.pid = pid, .fd = fds[0], .index = next, .frac = 0};
            next++;
        }
        struct pollfd pfd[8];
        int map[8], np = 0;
        for (int k = 0; k < parallel; k++)
            if (slots[k].pid) {
                pfd[np] = (struct pollfd){.fd = slots[k].fd, .events = POLLIN};
                map[np++] = k;
            }
        if (np == 0) {
            /* Nothing runs: interrupted, or fork/pipe failed for the rest. */
            if (next < n) {
                if (!cli_interrupted)
                    perror("daryn: starting a batch job");
                failed += n - next;
            }
            break;
        }
        int pr = poll(pfd, (nfds_t)np, 200);
        if (pr < 0 && errno != EINTR)
            break;
        if (cli_interrupted)
            for (int k = 0; k < parallel; k++)
                if (slots[k].pid)
                    kill(slots[k].pid, SIGTERM);
        for (int j = 0; j < np && pr > 0; j++) {
            struct slot *s = &slots[map[j]];
            if (!(pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            struct report_msg m;
            ssize_t got = read(s->fd, &m, sizeof(m));
            if (got == (ssize_t)sizeof(m)) {
                s->frac = m.total > 0 ? m.done / m.total : 0;
            } else if (got <= 0) {
                reap(s, &results[s->index]);
                if (results[s->index].exit_code != 0)
                    failed++;
                done++;
            }
        }
        /* Stories done plus the fractions of those running. */
        double sum = (double)done;
        for (int k = 0; k < parallel; k++)
            if (slots[k].pid)
                sum += slots[k].frac;
        progress_update(&bar, sum, (double)n);
        if (cli_interrupted && next < n) {
            /* Nothing new starts; count the jobs never started as failed. */
            int running = 0;
            for (int k = 0; k < parallel; k++)
                running += slots[k].pid != 0;
            if (running == 0) {
                failed += n - next;
                break;
            }
        }
    }
    progress_end(&bar, failed == 0);
    return failed;
}
