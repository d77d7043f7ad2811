/* slice_stage.c: stage names and ETA weights, and the plan's names. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "daryn/slice.h"
#include "slice_internal.h"

const char *slice_stage_name(enum slice_stage s)
{
    static const char *const names[SLICE_STAGE_COUNT] = {
        "layers", "islands", "walls", "fill", "support", "adhesion", "plan",
    };
    return (unsigned)s < SLICE_STAGE_COUNT ? names[s] : "?";
}

double slice_stage_weight(enum slice_stage s)
{
    /* Shares of a default run on a 1M-triangle sphere (layers 19%, walls
     * 16%, fill 65%; docs/polygon-library.md), with room made for
     * supports when they are on. */
    static const double w[SLICE_STAGE_COUNT] = {
        0.18, 0.01, 0.15, 0.55, 0.09, 0.01, 0.01,
    };
    return (unsigned)s < SLICE_STAGE_COUNT ? w[s] : 0;
}

const char *slice_feature_name(enum slice_feature f)
{
    static const char *const names[SLICE_FEAT_COUNT] = {
        "skirt", "brim", "wall-outer", "wall-inner", "top", "bottom",
        "infill", "support", "support-interface",
    };
    return (unsigned)f < SLICE_FEAT_COUNT ? names[f] : "?";
}

void slice_plan_fini(struct slice_plan *p)
{
    for (size_t i = 0; p->layers && i < p->nlayers; i++) {
        struct slice_plan_layer *l = &p->layers[i];
        for (size_t k = 0; l->paths && k < l->npaths; k++) {
            free(l->paths[k].pts);
            free(l->paths[k].via);
        }
        free(l->paths);
    }
    free(p->layers);
    *p = (struct slice_plan){0};
}

struct pfor {
    size_t n;
    int (*fn)(void *ctx, size_t k, struct dy_err *err);
    void *ctx;
    const struct slice_ctl *ctl;
    atomic_size_t next, done;
    atomic_int failed;
    pthread_mutex_t lock;
    struct dy_err err;
};

static void pfor_fail(struct pfor *pf, int rc, const struct dy_err *e)
{
    pthread_mutex_lock(&pf->lock);
    if (!atomic_load(&pf->failed)) {
        pf->err = *e;
        atomic_store(&pf->failed, rc);
    }
    pthread_mutex_unlock(&pf->lock);
}

/* One worker's loop; `report` is set only on the calling thread, which
 * alone calls the progress callback. */
static void pfor_loop(struct pfor *pf, enum slice_stage st, int report)
{
    for (;;) {
        size_t k = atomic_fetch_add(&pf->next, 1);
        if (k >= pf->n || atomic_load(&pf->failed))
            return;
        struct dy_err e = {0};
        int rc = 0;
        if (report)
            rc = slice_ctl_step(pf->ctl, st, atomic_load(&pf->done), pf->n, &e);
        else if (slice_ctl_canceled(pf->ctl))
            rc = dy_err_set(&e, DY_ECANCELED, slice_stage_name(st), "canceled at layer %zu", k);
        if (rc == 0)
            rc = pf->fn(pf->ctx, k, &e);
        if (rc) {
            if (!e.code)
                dy_err_set(&e, rc, slice_stage_name(st), "layer %zu: %s", k, dy_code_name(rc));
            pfor_fail(pf, rc, &e);
            return;
        }
        atomic_fetch_add(&pf->done, 1);
    }
}

struct pfor_arg {
    struct pfor *pf;
    enum slice_stage st;
};

static void *pfor_thread(void *arg)
{
    struct pfor_arg *a = arg;
    pfor_loop(a->pf, a->st, 0);
    return NULL;
}

int slice_parallel_for(size_t n, int threads, int (*fn)(void *ctx, size_t k, struct dy_err *err),
                       void *ctx, const struct slice_ctl *ctl, enum slice_stage st,
                       struct dy_err *err)
{
    struct pfor pf = {.n = n, .fn = fn, .ctx = ctx, .ctl = ctl};
    struct pfor_arg arg = {&pf, st};
    pthread_t tids[SLICE_MAX_THREADS];
    int started = 0;
    if (threads <= 0)
        threads = 2;
    if (threads > SLICE_MAX_THREADS)
        threads = SLICE_MAX_THREADS;
    if (pthread_mutex_init(&pf.lock, NULL))
        return dy_err_set(err, DY_ENOMEM, slice_stage_name(st), "cannot create a mutex");
    for (int t = 1; t < threads && (size_t)t < n; t++) {
        if (pthread_create(&tids[started], NULL, pfor_thread, &arg))
            break; /* fewer threads is fine */
        started++;
    }
    pfor_loop(&pf, st, 1);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    pthread_mutex_destroy(&pf.lock);
    int rc = atomic_load(&pf.failed);
    if (rc) {
        if (err)
            *err = pf.err;
        return rc;
    }
    slice_ctl_step(ctl, st, n, n, NULL);
    return 0;
}
