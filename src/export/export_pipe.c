/* export_pipe.c: renders frames on a worker thread, one frame ahead of the
 * encoder, so drawing frame i+1 overlaps with converting and encoding frame
 * i. Two image slots, handed back and forth under one mutex: memory stays
 * two frames whatever the story's length. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"

enum { SLOT_FREE, SLOT_READY };

struct ex_pipe {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct render_image img[2];
    int state[2];
    long frame[2];         /* the frame a READY slot holds */
    int stop;              /* set by the consumer: the worker quits */
    int failed;            /* set by the worker: err holds why */
    struct dy_err err;
    /* what to render (borrowed) */
    struct render_ctx *rc;
    const struct ex_seg *segs;
    size_t nsegs;
    struct render_opts ro;
    int fps;
    long first, last;
    const char *name;
};

static void *worker(void *arg)
{
    struct ex_pipe *p = arg;
    for (long i = p->first; i <= p->last; i++) {
        int k = (int)(i & 1);
        pthread_mutex_lock(&p->mu);
        while (p->state[k] != SLOT_FREE && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            return NULL;
        double t = (double)i / p->fps;
        size_t s = ex_seg_at(p->segs, p->nsegs, t);
        double local = fmin(t - p->segs[s].start_s, p->segs[s].dur_s);
        struct dy_err e;
        dy_err_clear(&e);
        int r = render_scene_at(p->rc, p->segs[s].scene, local, &p->ro, &p->img[k], &e);
        pthread_mutex_lock(&p->mu);
        if (r < 0) {
            p->failed = r;
            p->err = e;
        } else {
            p->state[k] = SLOT_READY;
            p->frame[k] = i;
        }
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (r < 0)
            return NULL;
    }
    return NULL;
}

int ex_pipe_start(struct ex_pipe **out, struct render_ctx *rc, const struct ex_seg *segs,
                  size_t nsegs, const struct render_opts *ro, int fps, long first, long last,
                  int w, int h, const char *name, struct dy_err *err)
{
    struct ex_pipe *p = calloc(1, sizeof(*p));
    if (!p)
        return dy_err_set(err, DY_ENOMEM, name, "out of memory");
    p->rc = rc;
    p->segs = segs;
    p->nsegs = nsegs;
    p->ro = *ro;
    p->fps = fps;
    p->first = first;
    p->last = last;
    p->name = name;
    if (render_image_init(&p->img[0], w, h) < 0 || render_image_init(&p->img[1], w, h) < 0) {
        render_image_fini(&p->img[0]);
        free(p);
        return dy_err_set(err, DY_ENOMEM, name, "out of memory for %dx%d frames", w, h);
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        pthread_cond_destroy(&p->cv);
        pthread_mutex_destroy(&p->mu);
        render_image_fini(&p->img[0]);
        render_image_fini(&p->img[1]);
        free(p);
        return dy_err_set(err, DY_ENOMEM, name, "cannot start the render thread");
    }
    *out = p;
    return 0;
}

int ex_pipe_get(struct ex_pipe *p, long i, const struct render_image **img, struct dy_err *err)
{
    int k = (int)(i & 1);
    pthread_mutex_lock(&p->mu);
    while (!(p->state[k] == SLOT_READY && p->frame[k] == i) && !p->failed)
        pthread_cond_wait(&p->cv, &p->mu);
    int failed = p->failed;
    if (failed && err)
        *err = p->err;
    pthread_mutex_unlock(&p->mu);
    if (failed) {
        dy_err_prefix(err, p->name);
        return failed;
    }
    *img = &p->img[k];
    return 0;
}

void ex_pipe_release(struct ex_pipe *p, long i)
{
    int k = (int)(i & 1);
    pthread_mutex_lock(&p->mu);
    p->state[k] = SLOT_FREE;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void ex_pipe_stop(struct ex_pipe *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    render_image_fini(&p->img[0]);
    render_image_fini(&p->img[1]);
    free(p);
}
