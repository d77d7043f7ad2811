/* story_edit_apply.c: applying, reverting and freeing edits (the
 * constructors are in story_edit.c).
 *
 * Data moves between the story and the edit by value: apply and revert
 * never copy an actor, a scene or a stroke, so they restore the exact bytes
 * (pointers and capacities included) and the only allocation they can need
 * is growing an array, done before anything changes. Removing never shrinks
 * an array, so putting an element back normally needs no allocation. */
#include <stdlib.h>
#include <string.h>

#include "daryn/story_edit.h"
#include "story_edit_internal.h"

int sedit_reserve(void **arr, size_t *cap, size_t elem, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return DY_ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}

/* Inserts *item at `at` (<= *n); capacity must have been reserved. */
void sedit_insert(void *arr, size_t *n, size_t elem, size_t at, const void *item)
{
    char *a = arr;
    memmove(a + (at + 1) * elem, a + at * elem, (*n - at) * elem);
    memcpy(a + at * elem, item, elem);
    (*n)++;
}

/* Moves element `at` (< *n) out into *out. Capacity is kept, so putting it
 * back later can't fail for lack of memory. */
void sedit_take(void *arr, size_t *n, size_t elem, size_t at, void *out)
{
    char *a = arr;
    memcpy(out, a + at * elem, elem);
    memmove(a + at * elem, a + (at + 1) * elem, (*n - at - 1) * elem);
    (*n)--;
}

/* Moves element `from` to position `to` (both < n), shifting the others. */
static void sedit_move(void *arr, size_t n, size_t elem, size_t from, size_t to)
{
    union {
        struct story_actor a;
        struct story_scene s;
    } tmp;
    size_t cnt = n - 1;
    sedit_take(arr, &n, elem, from, &tmp);
    sedit_insert(arr, &cnt, elem, to, &tmp);
}


/* ---- lookups (const in, mutable out, like strchr) ------------------------ */

struct story_scene *sedit_scene(const struct story *s, const char *id, size_t *index)
{
    long i = story_scene_find(s, id);
    if (i < 0)
        return NULL;
    if (index)
        *index = (size_t)i;
    return &s->scenes[i];
}

long sedit_scene_actor(const struct story_scene *sc, const char *id)
{
    for (size_t i = 0; i < sc->nactors; i++)
        if (strcmp(sc->actors[i].id, id) == 0)
            return (long)i;
    return -1;
}

/* The actor with this id anywhere in the story; its scene in *scene. */
struct story_actor *sedit_actor(const struct story *s, const char *id,
                                     struct story_scene **scene)
{
    for (size_t i = 0; i < s->nscenes; i++) {
        long a = sedit_scene_actor(&s->scenes[i], id);
        if (a >= 0) {
            if (scene)
                *scene = &s->scenes[i];
            return &s->scenes[i].actors[a];
        }
    }
    return NULL;
}

long sedit_part(const struct story_actor *a, const char *id)
{
    for (size_t i = 0; i < a->nparts; i++)
        if (strcmp(a->parts[i].id, id) == 0)
            return (long)i;
    return -1;
}

int sedit_no_scene(const char *id, struct dy_err *err)
{
    return dy_err_set(err, DY_ENOTFOUND, "scene", "no scene with id \"%.64s\"", id);
}

int sedit_no_actor(const char *id, struct dy_err *err)
{
    return dy_err_set(err, DY_ENOTFOUND, "actor", "no actor with id \"%.64s\"", id);
}

/* The track an edit names (its scene_id/actor_id/part_id/track_kind/channel
 * fields), with its value range (the validator's: story_prop_range ...). */
int sedit_track(const struct story *s, const struct story_edit *e, struct key_track **out,
                     double *lo, double *hi, struct dy_err *err)
{
    if (e->track_kind == STORY_TRACK_CAMERA) {
        struct story_scene *sc = sedit_scene(s, e->scene_id, NULL);
        if (!sc)
            return sedit_no_scene(e->scene_id, err);
        if (e->channel < 0 || e->channel >= STORY_CAM_COUNT)
            return dy_err_set(err, DY_EINVAL, "track.channel", "unknown camera channel %d",
                              e->channel);
        *out = &sc->camera[e->channel];
        story_cam_range(e->channel, lo, hi);
        return 0;
    }
    struct story_actor *a = sedit_actor(s, e->actor_id, NULL);
    if (!a)
        return sedit_no_actor(e->actor_id, err);
    if (e->track_kind == STORY_TRACK_PROP) {
        if (e->channel < 0 || e->channel >= STORY_PROP_COUNT)
            return dy_err_set(err, DY_EINVAL, "track.channel", "unknown property %d",
                              e->channel);
        *out = &a->props[e->channel];
        story_prop_range(e->channel, lo, hi);
        return 0;
    }
    if (e->track_kind != STORY_TRACK_PART)
        return dy_err_set(err, DY_EINVAL, "track.kind", "unknown track kind %d", e->track_kind);
    long p = sedit_part(a, e->part_id);
    if (p < 0)
        return dy_err_set(err, DY_ENOTFOUND, "track.part_id",
                          "actor \"%s\" has no part \"%.64s\"", a->id, e->part_id);
    *out = &a->part_rot[p];
    *lo = -STORY_MAX_ROTATION;
    *hi = STORY_MAX_ROTATION;
    return 0;
}


/* The drawing an edit names (actor_id, part_id, frame). */
int sedit_drawing(const struct story *s, const struct story_edit *e,
                       struct story_drawing **out, struct dy_err *err)
{
    struct story_actor *a = sedit_actor(s, e->actor_id, NULL);
    if (!a)
        return sedit_no_actor(e->actor_id, err);
    if (a->kind == STORY_ACTOR_CHARACTER) {
        long p = sedit_part(a, e->part_id);
        if (p < 0)
            return dy_err_set(err, DY_ENOTFOUND, "drawing.part_id",
                              "actor \"%s\" has no part \"%.64s\"", a->id, e->part_id);
        /* A media part keeps no drawing in the file: strokes would vanish. */
        if (a->parts[p].visual.media_id)
            return dy_err_set(err, DY_EINVAL, "drawing.part_id",
                              "part \"%s\" shows a picture, not a drawing", e->part_id);
        *out = &a->parts[p].visual.drawing;
        return 0;
    }
    if (a->kind != STORY_ACTOR_DRAWING)
        return dy_err_set(err, DY_EINVAL, "drawing.actor_id",
                          "actor \"%s\" is not a drawing or a character", a->id);
    if (e->frame < 0) {
        /* With frames, the plain drawing is neither shown nor saved. */
        if (a->nframes > 0)
            return dy_err_set(err, DY_EINVAL, "drawing.frame",
                              "actor \"%s\" is frame by frame: name a frame", a->id);
        *out = &a->drawing;
        return 0;
    }
    if ((size_t)e->frame >= a->nframes)
        return dy_err_set(err, DY_ENOTFOUND, "drawing.frame",
                          "actor \"%s\" has %zu frames (got frame %ld)", a->id, a->nframes,
                          e->frame);
    *out = &a->frames[e->frame].drawing;
    return 0;
}


/* A private story holding an actor (in scenes[0]) or a scene while it is
 * out of the story: story_destroy() then frees whatever it holds, with the
 * model's own fini code. Room for one is reserved up front so moving the
 * actor or scene in can't fail. */
struct story *sedit_holder_new(bool for_actor)
{
    struct story *h = story_create();
    if (!h)
        return NULL;
    if (for_actor) {
        struct story_scene *sc = story_scene_add(h, "held");
        if (!sc || SEDIT_RESERVE(sc->actors, sc->actors_cap, 1) < 0)
            goto fail;
    } else if (SEDIT_RESERVE(h->scenes, h->scenes_cap, 1) < 0) {
        goto fail;
    }
    return h;
fail:
    story_destroy(h);
    return NULL;
}

int sedit_oom(const char *what, struct dy_err *err)
{
    return dy_err_set(err, DY_ENOMEM, what, "out of memory");
}


/* Moves the key at `from` to `to`. Removing first leaves a free slot, so
 * the re-insert can't fail half-way. */
static int key_move(struct key_track *tr, double from, double to, struct dy_err *err)
{
    long i = key_track_find(tr, from);
    if (i < 0)
        return dy_err_set(err, DY_ENOTFOUND, "key", "no key at %g s", from);
    long j = key_track_find(tr, to);
    if (j >= 0 && j != i)
        return dy_err_set(err, DY_EINVAL, "time", "another key is already at %g s", to);
    struct key k = tr->keys[i];
    key_track_remove(tr, (size_t)i);
    return key_track_set(tr, to, k.value, k.ease);
}

static int key_apply(struct story *s, struct story_edit *e, bool revert, struct dy_err *err)
{
    struct key_track *tr;
    double lo, hi;
    int rc = sedit_track(s, e, &tr, &lo, &hi, err);
    if (rc)
        return rc;
    switch (e->kind) {
    case STORY_EDIT_KEY_SET: {
        struct key *k = &e->u.key_set.key;
        long i = key_track_find(tr, k->time_s);
        if (!revert) {
            e->u.key_set.had_old = i >= 0;
            if (i >= 0)
                e->u.key_set.old = tr->keys[i];
            rc = key_track_set(tr, k->time_s, k->value, k->ease);
            return rc ? dy_err_set(err, rc, "track", "cannot set the key (%s)",
                                   dy_code_name(rc)) : 0;
        }
        if (i < 0)
            return dy_err_set(err, DY_ENOTFOUND, "key", "no key at %g s", k->time_s);
        if (e->u.key_set.had_old)
            tr->keys[i] = e->u.key_set.old;
        else
            key_track_remove(tr, (size_t)i);
        return 0;
    }
    case STORY_EDIT_KEY_REMOVE: {
        struct key *k = &e->u.key_remove.key;
        long i = key_track_find(tr, k->time_s);
        if (revert) {
            if (i >= 0)
                return dy_err_set(err, DY_EINVAL, "key", "a key is already at %g s", k->time_s);
            rc = key_track_set(tr, k->time_s, k->value, k->ease);
            return rc ? dy_err_set(err, rc, "track", "cannot put the key back") : 0;
        }
        if (i < 0)
            return dy_err_set(err, DY_ENOTFOUND, "key", "no key at %g s", k->time_s);
        *k = tr->keys[i];
        key_track_remove(tr, (size_t)i);
        return 0;
    }
    default:
        if (revert)
            return key_move(tr, e->u.key_move.to_s, e->u.key_move.from_s, err);
        return key_move(tr, e->u.key_move.from_s, e->u.key_move.to_s, err);
    }
}


/* Inserts the held actor (ACTOR_ADD apply, ACTOR_REMOVE revert). */
static int actor_put(struct story *s, struct story_edit *e, struct dy_err *err)
{
    struct story *h = e->u.actor.held;
    struct story_scene *sc = sedit_scene(s, e->scene_id, NULL);
    if (!sc)
        return sedit_no_scene(e->scene_id, err);
    if (h->nscenes != 1 || h->scenes[0].nactors != 1)
        return dy_err_set(err, DY_EINVAL, "actor", "the edit holds no actor");
    if (sedit_actor(s, e->actor_id, NULL))
        return dy_err_set(err, DY_EINVAL, "actor", "an actor \"%s\" already exists", e->actor_id);
    size_t at = e->u.actor.index < 0 ? sc->nactors : (size_t)e->u.actor.index;
    if (at > sc->nactors || sc->nactors >= STORY_MAX_ACTORS)
        return dy_err_set(err, DY_EINVAL, "actor", "index %zu does not fit the scene", at);
    size_t nm = h->nmedia;
    for (size_t i = 0; i < nm; i++)
        if (story_media_find(s, h->media[i].id))
            return dy_err_set(err, DY_EINVAL, "media", "a media \"%s\" already exists",
                              h->media[i].id);
    if (SEDIT_RESERVE(sc->actors, sc->actors_cap, sc->nactors + 1) < 0 ||
        SEDIT_RESERVE(s->media, s->media_cap, s->nmedia + nm) < 0)
        return sedit_oom("actor", err);
    /* The holder's array keeps the moved structs: their pointers identify
     * the media when they are taken back (holder nmedia 0: not freed). */
    if (nm)
        memcpy(&s->media[s->nmedia], h->media, nm * sizeof(*h->media));
    s->nmedia += nm;
    h->nmedia = 0;
    sedit_insert(sc->actors, &sc->nactors, sizeof(*sc->actors), at, &h->scenes[0].actors[0]);
    h->scenes[0].nactors = 0;
    e->u.actor.index = (long)at;
    return 0;
}

/* Takes the actor out into the holder (ACTOR_ADD revert, ACTOR_REMOVE apply),
 * with the `nmedia` media ACTOR_ADD appended. */
static int actor_take(struct story *s, struct story_edit *e, size_t nmedia, struct dy_err *err)
{
    struct story *h = e->u.actor.held;
    struct story_scene *sc = sedit_scene(s, e->scene_id, NULL);
    if (!sc)
        return sedit_no_scene(e->scene_id, err);
    long i = sedit_scene_actor(sc, e->actor_id);
    if (i < 0)
        return sedit_no_actor(e->actor_id, err);
    if (nmedia > s->nmedia)
        return dy_err_set(err, DY_EINVAL, "media", "the media the actor brought are gone");
    for (size_t k = 0; k < nmedia; k++)
        if (s->media[s->nmedia - nmedia + k].id != h->media[k].id)
            return dy_err_set(err, DY_EINVAL, "media", "the media the actor brought moved");
    if (nmedia)
        memcpy(h->media, &s->media[s->nmedia - nmedia], nmedia * sizeof(*h->media));
    h->nmedia = nmedia;
    s->nmedia -= nmedia;
    sedit_take(sc->actors, &sc->nactors, sizeof(*sc->actors), (size_t)i,
               &h->scenes[0].actors[0]);
    h->scenes[0].nactors = 1;
    e->u.actor.index = i;
    return 0;
}

int sedit_actor_kind(const struct story *s, const char *id, enum story_actor_kind kind,
                     struct story_actor **out, struct dy_err *err)
{
    struct story_actor *a = sedit_actor(s, id, NULL);
    if (!a)
        return sedit_no_actor(id, err);
    if (a->kind != kind) {
        static const char *const names[] = {"a character", "a drawing", "an image", "a text"};
        return dy_err_set(err, DY_EINVAL, "actor", "actor \"%s\" is not %s", id,
                          (unsigned)kind < 4 ? names[kind] : "of that kind");
    }
    *out = a;
    return 0;
}

/* ---- list elements addressed by index (captions, shapes, audio) ----------- */

/* Puts *item at *index (-1: the end) and stores the index used. */
static int list_put(void **arr, size_t *n, size_t *cap, size_t elem, size_t max, long *index,
                    const void *item, const char *what, struct dy_err *err)
{
    size_t at = *index < 0 ? *n : (size_t)*index;
    if (at > *n)
        return dy_err_set(err, DY_EINVAL, what, "index %zu is past the end (%zu)", at, *n);
    if (*n >= max)
        return dy_err_set(err, DY_ELIMIT, what, "already %zu", max);
    if (sedit_reserve(arr, cap, elem, *n + 1) < 0)
        return sedit_oom(what, err);
    sedit_insert(*arr, n, elem, at, item);
    *index = (long)at;
    return 0;
}

static int list_take(void *arr, size_t *n, size_t elem, long index, void *out, const char *what,
                     struct dy_err *err)
{
    if (index < 0 || (size_t)index >= *n)
        return dy_err_set(err, DY_ENOTFOUND, what, "there are %zu (index %ld)", *n, index);
    sedit_take(arr, n, elem, (size_t)index, out);
    return 0;
}

#define LIST_PUT(arr, n, cap, max, index, item, what, err) \
    list_put((void **)&(arr), &(n), &(cap), sizeof(*(arr)), (max), (index), (item), (what), (err))
#define LIST_TAKE(arr, n, index, out, what, err) \
    list_take((arr), &(n), sizeof(*(arr)), (index), (out), (what), (err))

/* ---- scenes ----------------------------------------------------------------- */

static int scene_put(struct story *s, struct story_edit *e, struct dy_err *err)
{
    struct story *h = e->u.scene.held;
    if (h->nscenes != 1)
        return dy_err_set(err, DY_EINVAL, "scene", "the edit holds no scene");
    if (story_scene_find(s, e->scene_id) >= 0)
        return dy_err_set(err, DY_EINVAL, "scene", "a scene \"%s\" already exists", e->scene_id);
    const struct story_scene *sc = &h->scenes[0];
    for (size_t i = 0; i < sc->nactors; i++)
        if (sedit_actor(s, sc->actors[i].id, NULL))
            return dy_err_set(err, DY_EINVAL, "scene", "an actor \"%s\" already exists",
                              sc->actors[i].id);
    int rc = LIST_PUT(s->scenes, s->nscenes, s->scenes_cap, STORY_MAX_SCENES, &e->u.scene.index,
                      &h->scenes[0], "scenes", err);
    if (rc == 0)
        h->nscenes = 0;
    return rc;
}

static int scene_take(struct story *s, struct story_edit *e, struct dy_err *err)
{
    struct story *h = e->u.scene.held;
    size_t i;
    if (!sedit_scene(s, e->scene_id, &i))
        return sedit_no_scene(e->scene_id, err);
    if (s->nscenes <= 1)
        return dy_err_set(err, DY_EINVAL, "scene", "a story needs at least one scene");
    sedit_take(s->scenes, &s->nscenes, sizeof(*s->scenes), i, &h->scenes[0]);
    h->nscenes = 1;
    e->u.scene.index = (long)i;
    return 0;
}

/* ACTOR_REORDER and SCENE_REORDER: element `id` goes to `to` (saving where
 * it was in `from`), or back. */
static int reorder(struct story *s, struct story_edit *e, bool revert, struct dy_err *err)
{
    void *arr;
    size_t n, elem;
    long i;
    if (e->kind == STORY_EDIT_ACTOR_REORDER) {
        struct story_scene *sc = sedit_scene(s, e->scene_id, NULL);
        if (!sc)
            return sedit_no_scene(e->scene_id, err);
        if ((i = sedit_scene_actor(sc, e->actor_id)) < 0)
            return sedit_no_actor(e->actor_id, err);
        arr = sc->actors, n = sc->nactors, elem = sizeof(*sc->actors);
    } else {
        if ((i = story_scene_find(s, e->scene_id)) < 0)
            return sedit_no_scene(e->scene_id, err);
        arr = s->scenes, n = s->nscenes, elem = sizeof(*s->scenes);
    }
    long to = revert ? e->u.reorder.from : e->u.reorder.to;
    if (to < 0 || (size_t)to >= n)
        return dy_err_set(err, DY_EINVAL, "to", "position %ld is past the end (%zu)", to, n);
    if (!revert)
        e->u.reorder.from = i;
    sedit_move(arr, n, elem, (size_t)i, (size_t)to);
    return 0;
}

/* ---- frames ------------------------------------------------------------------ */

static int frame_apply(struct story *s, struct story_edit *e, struct dy_err *err)
{
    struct story_actor *a;
    struct story_frame *fr = &e->u.frame.fr;
    int rc = sedit_actor_kind(s, e->actor_id, STORY_ACTOR_DRAWING, &a, err);
    if (rc)
        return rc;
    if (a->nframes == 0) {
        /* First frame: the plain drawing becomes the frame at 0. */
        if (!(fr->start_s > 0))
            return dy_err_set(err, DY_EINVAL, "start", "the first added frame must start after 0");
        if (SEDIT_RESERVE(a->frames, a->frames_cap, 2) < 0)
            return sedit_oom("frames", err);
        a->frames[0] = (struct story_frame){.start_s = 0, .drawing = a->drawing};
        a->frames[1] = *fr;
        a->nframes = 2;
        a->drawing = (struct story_drawing){0};
        e->u.frame.index = 1;
        e->u.frame.converted = true;
        return 0;
    }
    size_t at = 0;
    while (at < a->nframes && a->frames[at].start_s < fr->start_s)
        at++;
    if (at < a->nframes && a->frames[at].start_s == fr->start_s)
        return dy_err_set(err, DY_EINVAL, "start", "a frame already starts at %g s", fr->start_s);
    e->u.frame.index = (long)at;
    e->u.frame.converted = false;
    return LIST_PUT(a->frames, a->nframes, a->frames_cap, STORY_MAX_FRAMES, &e->u.frame.index,
                    fr, "frames", err);
}

static int frame_revert(struct story *s, struct story_edit *e, struct dy_err *err)
{
    struct story_actor *a;
    struct story_frame *fr = &e->u.frame.fr;
    long i = e->u.frame.index;
    int rc = sedit_actor_kind(s, e->actor_id, STORY_ACTOR_DRAWING, &a, err);
    if (rc)
        return rc;
    if (i < 0 || (size_t)i >= a->nframes || a->frames[i].start_s != fr->start_s)
        return dy_err_set(err, DY_ENOTFOUND, "frame", "no frame at %g s", fr->start_s);
    bool conv = e->u.frame.converted;
    if (conv && (a->nframes != 2 || a->drawing.shapes || a->drawing.n))
        return dy_err_set(err, DY_EINVAL, "frame", "the frames changed since they were made");
    sedit_take(a->frames, &a->nframes, sizeof(*a->frames), (size_t)i, fr);
    if (conv) {
        a->drawing = a->frames[0].drawing;
        a->nframes = 0;
    }
    return 0;
}

/* ---- dispatch ------------------------------------------------------------------ */

static void swap_d(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

static int swap_apply(struct story *s, struct story_edit *e, struct dy_err *err)
{
    struct story_scene *sc;
    struct story_actor *a;
    int rc;
    switch (e->kind) {
    case STORY_EDIT_TEXT_SET: {
        if ((rc = sedit_actor_kind(s, e->actor_id, STORY_ACTOR_TEXT, &a, err)))
            return rc;
        char *t = a->text.s[e->u.text.lang];
        a->text.s[e->u.text.lang] = e->u.text.s;
        e->u.text.s = t;
        return 0;
    }
    case STORY_EDIT_PART_PIVOT: {
        if ((rc = sedit_actor_kind(s, e->actor_id, STORY_ACTOR_CHARACTER, &a, err)))
            return rc;
        long p = sedit_part(a, e->part_id);
        if (p < 0)
            return dy_err_set(err, DY_ENOTFOUND, "part_id", "no part \"%s\"", e->part_id);
        swap_d(&a->parts[p].pivot_x, &e->u.swap.v[0]);
        swap_d(&a->parts[p].pivot_y, &e->u.swap.v[1]);
        return 0;
    }
    default:
        break;
    }
    if (!(sc = sedit_scene(s, e->scene_id, NULL)))
        return sedit_no_scene(e->scene_id, err);
    if (e->kind == STORY_EDIT_SCENE_DURATION) {
        swap_d(&sc->duration_s, &e->u.swap.v[0]);
    } else if (e->kind == STORY_EDIT_AUDIO_MOVE) {
        if (e->u.swap.index < 0 || (size_t)e->u.swap.index >= sc->naudio)
            return dy_err_set(err, DY_ENOTFOUND, "audio", "no clip %ld", e->u.swap.index);
        swap_d(&sc->audio[e->u.swap.index].start_s, &e->u.swap.v[0]);
    } else { /* CAPTION_EDIT */
        long i = e->u.caption.index;
        if (i < 0 || (size_t)i >= sc->ncaptions)
            return dy_err_set(err, DY_ENOTFOUND, "caption", "no caption %ld", i);
        struct story_caption t = sc->captions[i];
        sc->captions[i] = e->u.caption.cap;
        e->u.caption.cap = t;
    }
    return 0;
}

/* Runs the edit forwards (revert false) or backwards. */
static int edit_run(struct story *s, struct story_edit *e, bool revert, struct dy_err *err)
{
    struct story_scene *sc = NULL;
    struct story_drawing *d;
    int rc;
    switch (e->kind) {
    case STORY_EDIT_KEY_SET:
    case STORY_EDIT_KEY_REMOVE:
    case STORY_EDIT_KEY_MOVE:
        return key_apply(s, e, revert, err);
    case STORY_EDIT_ACTOR_ADD:
        return revert ? actor_take(s, e, e->u.actor.nmedia, err) : actor_put(s, e, err);
    case STORY_EDIT_ACTOR_REMOVE:
        return revert ? actor_put(s, e, err) : actor_take(s, e, 0, err);
    case STORY_EDIT_ACTOR_REORDER:
    case STORY_EDIT_SCENE_REORDER:
        return reorder(s, e, revert, err);
    case STORY_EDIT_TEXT_SET:
    case STORY_EDIT_CAPTION_EDIT:
    case STORY_EDIT_SCENE_DURATION:
    case STORY_EDIT_PART_PIVOT:
    case STORY_EDIT_AUDIO_MOVE:
        return swap_apply(s, e, err); /* a swap is its own inverse */
    case STORY_EDIT_SCENE_ADD:
        return revert ? scene_take(s, e, err) : scene_put(s, e, err);
    case STORY_EDIT_SCENE_REMOVE:
        return revert ? scene_put(s, e, err) : scene_take(s, e, err);
    case STORY_EDIT_SHAPE_ADD:
    case STORY_EDIT_SHAPE_REMOVE: {
        if ((rc = sedit_drawing(s, e, &d, err)))
            return rc;
        bool put = (e->kind == STORY_EDIT_SHAPE_ADD) != revert;
        if (put && e->kind == STORY_EDIT_SHAPE_ADD)
            e->u.shape.index = -1; /* the brush appends */
        if (put)
            return LIST_PUT(d->shapes, d->n, d->cap, STORY_MAX_SHAPES, &e->u.shape.index,
                            &e->u.shape.shape, "shapes", err);
        return LIST_TAKE(d->shapes, d->n, e->u.shape.index, &e->u.shape.shape, "shapes", err);
    }
    case STORY_EDIT_FRAME_ADD:
        return revert ? frame_revert(s, e, err) : frame_apply(s, e, err);
    case STORY_EDIT_CAPTION_ADD:
    case STORY_EDIT_CAPTION_REMOVE: {
        if (!(sc = sedit_scene(s, e->scene_id, NULL)))
            return sedit_no_scene(e->scene_id, err);
        if ((e->kind == STORY_EDIT_CAPTION_ADD) != revert)
            return LIST_PUT(sc->captions, sc->ncaptions, sc->captions_cap, STORY_MAX_CAPTIONS,
                            &e->u.caption.index, &e->u.caption.cap, "captions", err);
        return LIST_TAKE(sc->captions, sc->ncaptions, e->u.caption.index, &e->u.caption.cap,
                         "captions", err);
    }
    case STORY_EDIT_AUDIO_ADD:
    case STORY_EDIT_AUDIO_REMOVE: {
        if (!(sc = sedit_scene(s, e->scene_id, NULL)))
            return sedit_no_scene(e->scene_id, err);
        if ((e->kind == STORY_EDIT_AUDIO_ADD) != revert) {
            const struct story_media *m = story_media_find(s, e->u.audio.clip.media_id);
            if (!m || m->kind != STORY_MEDIA_AUDIO)
                return dy_err_set(err, DY_ENOTFOUND, "audio", "no audio media \"%s\"",
                                  e->u.audio.clip.media_id);
            if (e->kind == STORY_EDIT_AUDIO_ADD)
                e->u.audio.index = -1;
            return LIST_PUT(sc->audio, sc->naudio, sc->audio_cap, STORY_MAX_AUDIO,
                            &e->u.audio.index, &e->u.audio.clip, "audio", err);
        }
        return LIST_TAKE(sc->audio, sc->naudio, e->u.audio.index, &e->u.audio.clip, "audio",
                         err);
    }
    case STORY_EDIT_NONE:
    case STORY_EDIT_KIND_COUNT:
        break;
    }
    return dy_err_set(err, DY_EINVAL, "edit", "empty or unknown edit (kind %d)", (int)e->kind);
}

int story_edit_apply(struct story *s, struct story_edit *e, struct dy_err *err)
{
    if (!s || !e)
        return dy_err_set(err, DY_EINVAL, "edit", "story or edit is missing");
    if (e->applied)
        return dy_err_set(err, DY_EINVAL, "edit", "already applied");
    int rc = edit_run(s, e, false, err);
    if (rc == 0)
        e->applied = true;
    return rc;
}

int story_edit_revert(struct story *s, struct story_edit *e, struct dy_err *err)
{
    if (!s || !e)
        return dy_err_set(err, DY_EINVAL, "edit", "story or edit is missing");
    if (!e->applied)
        return dy_err_set(err, DY_EINVAL, "edit", "not applied");
    int rc = edit_run(s, e, true, err);
    if (rc == 0)
        e->applied = false;
    return rc;
}

/* ---- ownership ------------------------------------------------------------------ */

static void text_free(struct story_text *t)
{
    for (int l = 0; l < STORY_LANG_COUNT; l++)
        free(t->s[l]);
}

void story_edit_fini(struct story_edit *e)
{
    if (!e)
        return;
    /* "Add" edits own their payload until applied, "remove" edits after. */
    bool add_owns = !e->applied;
    switch (e->kind) {
    case STORY_EDIT_ACTOR_ADD:
    case STORY_EDIT_ACTOR_REMOVE:
        story_destroy(e->u.actor.held); /* holds exactly what is out of the story */
        break;
    case STORY_EDIT_SCENE_ADD:
    case STORY_EDIT_SCENE_REMOVE:
        story_destroy(e->u.scene.held);
        break;
    case STORY_EDIT_TEXT_SET:
        free(e->u.text.s);
        break;
    case STORY_EDIT_CAPTION_ADD:
    case STORY_EDIT_CAPTION_REMOVE:
    case STORY_EDIT_CAPTION_EDIT:
        if (e->kind == STORY_EDIT_CAPTION_EDIT ||
            add_owns == (e->kind == STORY_EDIT_CAPTION_ADD))
            text_free(&e->u.caption.cap.text);
        break;
    case STORY_EDIT_SHAPE_ADD:
    case STORY_EDIT_SHAPE_REMOVE:
        if (add_owns == (e->kind == STORY_EDIT_SHAPE_ADD))
            free(e->u.shape.shape.pts);
        break;
    case STORY_EDIT_FRAME_ADD:
        if (add_owns)
            story_drawing_fini(&e->u.frame.fr.drawing);
        break;
    case STORY_EDIT_AUDIO_ADD:
    case STORY_EDIT_AUDIO_REMOVE:
        if (add_owns == (e->kind == STORY_EDIT_AUDIO_ADD))
            free(e->u.audio.clip.media_id);
        break;
    default:
        break;
    }
    memset(e, 0, sizeof(*e));
}

static size_t str_bytes(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

static size_t text_bytes(const struct story_text *t)
{
    size_t n = 0;
    for (int l = 0; l < STORY_LANG_COUNT; l++)
        n += str_bytes(t->s[l]);
    return n;
}

static size_t drawing_bytes(const struct story_drawing *d)
{
    size_t n = d->cap * sizeof(*d->shapes);
    for (size_t i = 0; i < d->n; i++)
        n += d->shapes[i].cap * sizeof(struct story_point);
    return n;
}

static size_t actor_bytes(const struct story_actor *a)
{
    size_t n = sizeof(*a) + str_bytes(a->id) + str_bytes(a->name) + str_bytes(a->template_name);
    for (int p = 0; p < STORY_PROP_COUNT; p++)
        n += a->props[p].cap * sizeof(struct key);
    n += a->parts_cap * (sizeof(*a->parts) + sizeof(*a->part_rot));
    for (size_t i = 0; i < a->nparts; i++)
        n += str_bytes(a->parts[i].id) + str_bytes(a->parts[i].visual.media_id) +
             drawing_bytes(&a->parts[i].visual.drawing) + a->part_rot[i].cap * sizeof(struct key);
    n += drawing_bytes(&a->drawing) + a->frames_cap * sizeof(*a->frames);
    for (size_t i = 0; i < a->nframes; i++)
        n += drawing_bytes(&a->frames[i].drawing);
    return n + drawing_bytes(&a->image.drawing) + text_bytes(&a->text);
}

/* What a holder story holds (a scene or an actor, and media). */
static size_t held_bytes(const struct story *h)
{
    if (!h)
        return 0;
    size_t n = sizeof(*h);
    for (size_t i = 0; i < h->nscenes; i++) {
        const struct story_scene *sc = &h->scenes[i];
        n += sizeof(*sc) + text_bytes(&sc->title);
        for (int c = 0; c < STORY_CAM_COUNT; c++)
            n += sc->camera[c].cap * sizeof(struct key);
        for (size_t k = 0; k < sc->nactors; k++)
            n += actor_bytes(&sc->actors[k]);
        for (size_t k = 0; k < sc->ncaptions; k++)
            n += sizeof(sc->captions[k]) + text_bytes(&sc->captions[k].text);
        n += sc->naudio * sizeof(*sc->audio);
    }
    for (size_t i = 0; i < h->nmedia; i++)
        n += sizeof(h->media[i]) + h->media[i].size + str_bytes(h->media[i].path);
    return n;
}

size_t story_edit_bytes(const struct story_edit *e)
{
    if (!e)
        return 0;
    size_t n = sizeof(*e);
    bool add_owns = !e->applied;
    switch (e->kind) {
    case STORY_EDIT_ACTOR_ADD:
    case STORY_EDIT_ACTOR_REMOVE:
        return n + held_bytes(e->u.actor.held);
    case STORY_EDIT_SCENE_ADD:
    case STORY_EDIT_SCENE_REMOVE:
        return n + held_bytes(e->u.scene.held);
    case STORY_EDIT_TEXT_SET:
        return n + str_bytes(e->u.text.s);
    case STORY_EDIT_CAPTION_ADD:
    case STORY_EDIT_CAPTION_REMOVE:
    case STORY_EDIT_CAPTION_EDIT:
        if (e->kind == STORY_EDIT_CAPTION_EDIT ||
            add_owns == (e->kind == STORY_EDIT_CAPTION_ADD))
            n += text_bytes(&e->u.caption.cap.text);
        return n;
    case STORY_EDIT_SHAPE_ADD:
    case STORY_EDIT_SHAPE_REMOVE:
        if (add_owns == (e->kind == STORY_EDIT_SHAPE_ADD))
            n += e->u.shape.shape.cap * sizeof(struct story_point);
        return n;
    case STORY_EDIT_FRAME_ADD:
        return n + (add_owns ? drawing_bytes(&e->u.frame.fr.drawing) : 0);
    default:
        return n;
    }
}
