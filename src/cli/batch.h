/* batch.h: runs independent jobs (one story each) in child processes, N at
 * a time, so a class's batch uses both cores and a crash in one story's
 * export cannot take the others down. Children report progress to the
 * parent through a pipe; the parent draws one combined progress bar. */
#ifndef DARYN_CLI_BATCH_H
#define DARYN_CLI_BATCH_H

#include <stddef.h>

/* Progress sink a job calls from its child process. */
struct batch_report;
void batch_report_progress(struct batch_report *r, double done, double total);

/* Runs in the child: returns an exit code (CLI_EXIT_*). */
/* Ends the job's progress display before the job prints its result (a
 * no-op in child processes, whose progress the parent draws). */
void batch_report_finish(struct batch_report *r);

typedef int (*batch_job_fn)(size_t index, void *arg, struct batch_report *r);

struct batch_result {
    int exit_code;   /* the child's exit code, or CLI_EXIT_INTERNAL when it died */
    int signal;      /* the signal that killed it, 0 if none */
};

/* Runs jobs 0..n-1 with at most `parallel` at once; fills results[i].
 * On interrupt (cli_interrupted) stops starting jobs and forwards SIGTERM
 * to running children. Returns the number of jobs that failed. */
size_t batch_run(size_t n, int parallel, batch_job_fn fn, void *arg, const char *label,
                 int quiet, struct batch_result *results);

#endif
