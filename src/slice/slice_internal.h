/* slice_internal.h: helpers shared by the stage files of src/slice. */
#ifndef DARYN_SLICE_INTERNAL_H
#define DARYN_SLICE_INTERNAL_H

#include "daryn/slice.h"

/* Returns DY_ECANCELED (with err filled) when the caller asked to stop;
 * otherwise reports progress and returns 0. Called once per layer. */
static inline int slice_ctl_step(const struct slice_ctl *ctl, enum slice_stage st,
                                 size_t done, size_t total, struct dy_err *err)
{
    if (!ctl)
        return 0;
    if (ctl->cancel && atomic_load(ctl->cancel))
        return dy_err_set(err, DY_ECANCELED, slice_stage_name(st),
                          "canceled at layer %zu of %zu", done, total);
    if (ctl->progress)
        ctl->progress(ctl->user, st, total ? (double)done / (double)total : 1.0);
    return 0;
}

static inline int slice_ctl_canceled(const struct slice_ctl *ctl)
{
    return ctl && ctl->cancel && atomic_load(ctl->cancel);
}

/* Grows *v (elements of `elem` bytes) to hold `need`; zeroes new space. */
int slice_grow(void **v, size_t *cap, size_t need, size_t elem);

#define SLICE_MAX_THREADS 64

/* Runs fn(ctx, k, err) for k in [0, n) on `threads` threads (the caller's
 * included), layers handed out through an atomic counter. Cancel is
 * checked before each layer; progress is reported from the calling thread.
 * Returns 0 or the first error (with its report copied into err). fn must
 * only write state belonging to layer k. */
int slice_parallel_for(size_t n, int threads, int (*fn)(void *ctx, size_t k, struct dy_err *err),
                       void *ctx, const struct slice_ctl *ctl, enum slice_stage st,
                       struct dy_err *err);

#endif
