/* story_eval.c: evaluating actors, parts, the camera and captions at time t. */
#include "daryn/story.h"

void story_actor_eval(const struct story_actor *a, double t, struct story_actor_state *out)
{
    double v[STORY_PROP_COUNT];
    for (int p = 0; p < STORY_PROP_COUNT; p++)
        v[p] = key_track_eval(&a->props[p], t, story_prop_default(p));
    out->x = v[STORY_PROP_X];
    out->y = v[STORY_PROP_Y];
    out->rotation = v[STORY_PROP_ROTATION];
    out->scale_x = v[STORY_PROP_SCALE_X];
    out->scale_y = v[STORY_PROP_SCALE_Y];
    double op = v[STORY_PROP_OPACITY];
    out->opacity = op < 0 ? 0 : op > 1 ? 1 : op;
    out->visible = v[STORY_PROP_VISIBLE] >= 0.5;
    out->z = v[STORY_PROP_Z];
    out->frame = -1;
    /* The last frame whose start is <= t holds until the next one; before
     * the first frame's start the first frame shows (nothing is blank). */
    if (a->nframes > 0) {
        size_t lo = 0, hi = a->nframes;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (a->frames[mid].start_s <= t)
                lo = mid;
            else
                hi = mid;
        }
        out->frame = (int)lo;
    }
}

double story_part_rotation(const struct story_actor *a, size_t part, double t)
{
    if (part >= a->nparts)
        return 0.0;
    return a->parts[part].rest_rotation + key_track_eval(&a->part_rot[part], t, 0.0);
}

void story_camera_eval(const struct story *s, const struct story_scene *sc, double t,
                       struct story_camera_state *out)
{
    out->x = key_track_eval(&sc->camera[STORY_CAM_X], t, s->width / 2);
    out->y = key_track_eval(&sc->camera[STORY_CAM_Y], t, s->height / 2);
    out->zoom = key_track_eval(&sc->camera[STORY_CAM_ZOOM], t, 1.0);
    if (!(out->zoom > 0.01))
        out->zoom = 0.01;
}

const struct story_caption *story_caption_at(const struct story_scene *sc, double t)
{
    const struct story_caption *best = NULL;
    for (size_t i = 0; i < sc->ncaptions; i++) {
        const struct story_caption *c = &sc->captions[i];
        /* Later captions win when they overlap: the newest line is shown. */
        if (t >= c->start_s && t < c->end_s)
            best = c;
    }
    return best;
}
