/* story_edit.c: reversible edits of the story model (see story_edit.h).
 *
 * Every edit moves data between the story and itself by value: apply and
 * revert never copy an actor, a scene or a stroke, so they are cheap, they
 * restore the exact bytes (pointers, capacities and all), and the only
 * allocation they can need is growing an array, which is done before
 * anything is changed. Constructors do the checking and the copying. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/story_edit.h"
#include "story_edit_internal.h"

/* ---- small helpers ------------------------------------------------------- */

/* Copies an id argument into an edit's fixed buffer. A longer id can't name
 * anything in a valid story, so it is "not found". */
static int id_copy(char dst[STORY_EDIT_ID_SIZE], const char *id, const char *what,
                   struct dy_err *err)
{
    if (!id || !*id)
        return dy_err_set(err, DY_EINVAL, what, "is missing");
    size_t n = strlen(id);
    if (n > STORY_MAX_ID)
        return dy_err_set(err, DY_ENOTFOUND, what, "no such id (longer than %d bytes)",
                          STORY_MAX_ID);
    memcpy(dst, id, n + 1);
    return 0;
}

static int check_text_arg(const char *t, const char *what, struct dy_err *err)
{
    if (!t)
        return 0;
    if (strlen(t) > STORY_MAX_TEXT)
        return dy_err_set(err, DY_ELIMIT, what, "text longer than %d bytes", STORY_MAX_TEXT);
    if (!story_utf8_valid(t))
        return dy_err_set(err, DY_EINVAL, what, "text is not valid UTF-8");
    return 0;
}

static int check_num(double x, double lo, double hi, const char *what, struct dy_err *err)
{
    if (!isfinite(x))
        return dy_err_set(err, DY_EINVAL, what, "must be a finite number");
    if (x < lo || x > hi)
        return dy_err_set(err, DY_ERANGE, what, "must be in %g..%g (got %g)", lo, hi, x);
    return 0;
}

static int check_color(const struct story_color *c, const char *what, struct dy_err *err)
{
    float ch[4] = {c->r, c->g, c->b, c->a};
    for (int i = 0; i < 4; i++)
        if (!(ch[i] >= 0.0f && ch[i] <= 1.0f))
            return dy_err_set(err, DY_ERANGE, what, "colour channel out of 0..1");
    return 0;
}

static void text_fini(struct story_text *t)
{
    for (int l = 0; l < STORY_LANG_COUNT; l++)
        story_text_set(t, (enum story_lang)l, NULL);
}

static int text_copy(struct story_text *dst, const struct story_text *src, const char *what,
                     struct dy_err *err)
{
    *dst = (struct story_text){0};
    if (!src)
        return 0;
    for (int l = 0; l < STORY_LANG_COUNT; l++) {
        int rc = check_text_arg(src->s[l], what, err);
        if (rc == 0 && story_text_set(dst, (enum story_lang)l, src->s[l]) < 0)
            rc = dy_err_set(err, DY_ENOMEM, what, "out of memory");
        if (rc) {
            text_fini(dst);
            return rc;
        }
    }
    return 0;
}

/* Fills the track address of a key edit from the arguments. */
static int track_ref_init(struct story_edit *e, const struct story_track_ref *ref,
                          struct dy_err *err)
{
    if (!ref)
        return dy_err_set(err, DY_EINVAL, "track", "is missing");
    int rc;
    e->track_kind = ref->kind;
    e->channel = ref->channel;
    switch (ref->kind) {
    case STORY_TRACK_CAMERA:
        return id_copy(e->scene_id, ref->id, "track.id", err);
    case STORY_TRACK_PART:
        if ((rc = id_copy(e->part_id, ref->part_id, "track.part_id", err)))
            return rc;
        /* fall through */
    case STORY_TRACK_PROP:
        return id_copy(e->actor_id, ref->id, "track.id", err);
    }
    return dy_err_set(err, DY_EINVAL, "track.kind", "unknown track kind %d", ref->kind);
}

static int drawing_ref_init(struct story_edit *e, const struct story_drawing_ref *ref,
                            struct dy_err *err)
{
    if (!ref)
        return dy_err_set(err, DY_EINVAL, "drawing", "is missing");
    int rc = id_copy(e->actor_id, ref->actor_id, "drawing.actor_id", err);
    if (rc == 0 && ref->part_id)
        rc = id_copy(e->part_id, ref->part_id, "drawing.part_id", err);
    e->frame = ref->frame < 0 ? -1 : ref->frame;
    return rc;
}

/* ---- key edits ------------------------------------------------------------ */

/* Start of every constructor: a clean, unapplied edit of this kind. */
static void edit_begin(struct story_edit *e, enum story_edit_kind kind)
{
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->frame = -1;
}

/* End of every constructor: on failure *e is freed and zeroed. */
static int edit_end(struct story_edit *e, int rc)
{
    if (rc < 0)
        story_edit_fini(e);
    return rc;
}

static int key_time_check(double t, const char *what, struct dy_err *err)
{
    return check_num(t, 0, STORY_MAX_DURATION_S, what, err);
}

int story_edit_key_set(struct story_edit *e, const struct story *s,
                       const struct story_track_ref *track, double time_s, double value,
                       enum key_ease ease, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_KEY_SET);
    struct key_track *tr;
    double lo, hi;
    int rc = track_ref_init(e, track, err);
    if (rc == 0)
        rc = sedit_track(s, e, &tr, &lo, &hi, err);
    if (rc == 0)
        rc = key_time_check(time_s, "time", err);
    if (rc == 0)
        rc = check_num(value, lo, hi, "value", err);
    if (rc == 0 && (unsigned)ease >= KEY_EASE_COUNT)
        rc = dy_err_set(err, DY_EINVAL, "ease", "unknown ease %d", (int)ease);
    if (rc == 0 && key_track_find(tr, time_s) < 0 && tr->n >= STORY_MAX_KEYS)
        rc = dy_err_set(err, DY_ELIMIT, "track", "already has %d keys", STORY_MAX_KEYS);
    e->u.key_set.key = (struct key){.time_s = time_s, .value = value, .ease = ease};
    return edit_end(e, rc);
}

/* The track and index of key `key` for key_remove / key_move. */
static int key_arg(struct story_edit *e, const struct story *s,
                   const struct story_track_ref *track, size_t key, struct key *out,
                   struct dy_err *err)
{
    struct key_track *tr;
    double lo, hi;
    int rc = track_ref_init(e, track, err);
    if (rc == 0)
        rc = sedit_track(s, e, &tr, &lo, &hi, err);
    if (rc == 0 && key >= tr->n)
        rc = dy_err_set(err, DY_ENOTFOUND, "key", "the track has %zu keys (got index %zu)",
                        tr->n, key);
    if (rc == 0)
        *out = tr->keys[key];
    return rc;
}

int story_edit_key_remove(struct story_edit *e, const struct story *s,
                          const struct story_track_ref *track, size_t key, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_KEY_REMOVE);
    return edit_end(e, key_arg(e, s, track, key, &e->u.key_remove.key, err));
}

int story_edit_key_move(struct story_edit *e, const struct story *s,
                        const struct story_track_ref *track, size_t key, double to_s,
                        struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_KEY_MOVE);
    struct key k = {0};
    int rc = key_arg(e, s, track, key, &k, err);
    if (rc == 0)
        rc = key_time_check(to_s, "time", err);
    if (rc == 0 && to_s != k.time_s) {
        struct key_track *tr;
        double lo, hi;
        sedit_track(s, e, &tr, &lo, &hi, err);
        if (key_track_find(tr, to_s) >= 0)
            rc = dy_err_set(err, DY_EINVAL, "time", "another key is already at %g s", to_s);
    }
    e->u.key_move.from_s = k.time_s;
    e->u.key_move.to_s = to_s;
    return edit_end(e, rc);
}

/* ---- actors ---------------------------------------------------------------- */

static int actor_add_begin(struct story_edit *e, const struct story *s, const char *scene_id,
                           long index, const char *actor_id, struct dy_err *err)
{
    struct story_scene *sc;
    int rc;
    edit_begin(e, STORY_EDIT_ACTOR_ADD);
    if ((rc = id_copy(e->scene_id, scene_id, "scene_id", err)))
        return rc;
    if (!(sc = sedit_scene(s, scene_id, NULL)))
        return sedit_no_scene(scene_id, err);
    if (!story_id_valid(actor_id))
        return dy_err_set(err, DY_EINVAL, "actor_id",
                          "id must be 1-%d characters of A-Z a-z 0-9 _ . - (got \"%.40s\")",
                          STORY_MAX_ID, actor_id ? actor_id : "");
    if (sedit_actor(s, actor_id, NULL))
        return dy_err_set(err, DY_EINVAL, "actor_id", "an actor \"%s\" already exists",
                          actor_id);
    if (sc->nactors >= STORY_MAX_ACTORS)
        return dy_err_set(err, DY_ELIMIT, "scene", "already has %d actors", STORY_MAX_ACTORS);
    if (index < -1 || (index >= 0 && (size_t)index > sc->nactors))
        return dy_err_set(err, DY_ERANGE, "index", "must be -1 or 0..%zu (got %ld)",
                          sc->nactors, index);
    memcpy(e->actor_id, actor_id, strlen(actor_id) + 1);
    e->u.actor.index = index;
    if (!(e->u.actor.held = sedit_holder_new(true)))
        return sedit_oom("actor", err);
    return 0;
}

int story_edit_actor_add(struct story_edit *e, const struct story *s, const char *scene_id,
                         long index, const char *actor_id, enum story_actor_kind kind,
                         struct dy_err *err)
{
    int rc = actor_add_begin(e, s, scene_id, index, actor_id, err);
    if (rc == 0 && kind != STORY_ACTOR_DRAWING && kind != STORY_ACTOR_TEXT)
        rc = dy_err_set(err, DY_EINVAL, "kind",
                        "only drawing and text actors start empty; copy characters and "
                        "images from a template");
    if (rc == 0 && !story_actor_add(&e->u.actor.held->scenes[0], actor_id, kind))
        rc = sedit_oom("actor", err);
    return edit_end(e, rc);
}

/* Slot k of an actor's media references: parts' visuals, then the image. */
static char **media_ref(struct story_actor *a, size_t k)
{
    if (a->kind == STORY_ACTOR_CHARACTER && k < a->nparts)
        return &a->parts[k].visual.media_id;
    if (a->kind == STORY_ACTOR_IMAGE && k == 0)
        return &a->image.media_id;
    return NULL;
}

static bool media_id_used(const struct story *s, const struct story *h, const char *id)
{
    return story_media_find(s, id) || story_media_find(h, id);
}

static bool media_path_used(const struct story *s, const struct story *h, const char *path)
{
    for (size_t i = 0; i < s->nmedia; i++)
        if (strcmp(s->media[i].path, path) == 0)
            return true;
    for (size_t i = 0; i < h->nmedia; i++)
        if (strcmp(h->media[i].path, path) == 0)
            return true;
    return false;
}

static bool media_same(const struct story_media *a, const struct story_media *b)
{
    return a->kind == b->kind && a->size == b->size &&
           (a->size == 0 || memcmp(a->data, b->data, a->size) == 0);
}

/* Copies media `m` of the template into the holder unless `s` has the same
 * bytes (under that id, or else under any id); renames it when its id or
 * path is taken. *new_id is the id the copied actor must use. */
static int media_bring(const struct story *s, struct story *h, const struct story_media *m,
                       char new_id[STORY_EDIT_ID_SIZE], struct dy_err *err)
{
    snprintf(new_id, STORY_EDIT_ID_SIZE, "%s", m->id);
    const struct story_media *have = story_media_find(s, m->id);
    if (have && media_same(have, m))
        return 0;
    /* The same bytes under another id (a template inserted before, whose
     * media had to be renamed): use those. */
    for (size_t i = 0; i < s->nmedia; i++)
        if (media_same(&s->media[i], m)) {
            snprintf(new_id, STORY_EDIT_ID_SIZE, "%s", s->media[i].id);
            return 0;
        }
    for (int n = 2; media_id_used(s, h, new_id); n++) {
        if (n > 9999)
            return dy_err_set(err, DY_ELIMIT, "media", "no free id for \"%s\"", m->id);
        char suffix[8];
        int sl = snprintf(suffix, sizeof(suffix), "-%d", n);
        snprintf(new_id, STORY_EDIT_ID_SIZE, "%.*s%s", STORY_MAX_ID - sl, m->id, suffix);
    }
    char path[300];
    snprintf(path, sizeof(path), "%s", m->path);
    if (media_path_used(s, h, path)) {
        const char *base = strrchr(m->path, '/');
        const char *ext = strrchr(base ? base : m->path, '.');
        if (!ext || strlen(ext) > 16)
            ext = "";
        snprintf(path, sizeof(path), "media/%s%s", new_id, ext);
        for (int n = 2; media_path_used(s, h, path); n++) {
            if (n > 9999)
                return dy_err_set(err, DY_ELIMIT, "media", "no free path for \"%s\"", m->path);
            snprintf(path, sizeof(path), "media/%s-%d%s", new_id, n, ext);
        }
    }
    if (h->nmedia >= STORY_MAX_MEDIA || s->nmedia + h->nmedia >= STORY_MAX_MEDIA)
        return dy_err_set(err, DY_ELIMIT, "media", "the story already has %d media",
                          STORY_MAX_MEDIA);
    if (!story_media_add(h, new_id, path, m->kind, m->data, m->size))
        return sedit_oom("media", err);
    return 0;
}

int story_edit_actor_add_copy(struct story_edit *e, const struct story *s,
                              const char *scene_id, long index, const struct story *tpl,
                              const char *src_id, const char *new_id, struct dy_err *err)
{
    int rc = actor_add_begin(e, s, scene_id, index, new_id, err);
    const struct story_actor *src = NULL;
    if (rc == 0 && !tpl)
        rc = dy_err_set(err, DY_EINVAL, "template", "is missing");
    /* The copy is valid in `s` only if it was valid in the template. */
    if (rc == 0 && (rc = story_validate(tpl, err)) < 0)
        dy_err_prefix(err, "template");
    if (rc == 0 && (!src_id || !(src = sedit_actor(tpl, src_id, NULL))))
        rc = dy_err_set(err, DY_ENOTFOUND, "template", "no actor with id \"%.64s\"",
                        src_id ? src_id : "");
    struct story *h = rc == 0 ? e->u.actor.held : NULL;
    struct story_actor *a = NULL;
    if (rc == 0 && !(a = story_actor_copy(&h->scenes[0], src, new_id)))
        rc = sedit_oom("actor", err);
    /* Bring each media the copy uses; the copy's slot k is the source's. */
    for (size_t k = 0; rc == 0 && media_ref(a, k); k++) {
        char **slot = media_ref(a, k);
        const char *orig = *media_ref((struct story_actor *)src, k);
        if (!orig)
            continue;
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++) {
            const char *prev = *media_ref((struct story_actor *)src, j);
            seen = prev && strcmp(prev, orig) == 0;
        }
        char nid[STORY_EDIT_ID_SIZE];
        if (seen) {
            /* Same media as an earlier slot: reuse that slot's (maybe new) id. */
            for (size_t j = 0; j < k; j++) {
                const char *prev = *media_ref((struct story_actor *)src, j);
                if (prev && strcmp(prev, orig) == 0) {
                    snprintf(nid, sizeof(nid), "%s", *media_ref(a, j));
                    break;
                }
            }
        } else if ((rc = media_bring(s, h, story_media_find(tpl, orig), nid, err)) < 0) {
            break;
        }
        if (strcmp(nid, *slot) != 0) {
            char *c = strdup(nid);
            if (!c) {
                rc = sedit_oom("media", err);
                break;
            }
            free(*slot);
            *slot = c;
        }
    }
    if (rc == 0)
        e->u.actor.nmedia = h->nmedia;
    return edit_end(e, rc);
}

int story_edit_actor_remove(struct story_edit *e, const struct story *s, const char *actor_id,
                            struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_ACTOR_REMOVE);
    struct story_scene *sc;
    int rc = id_copy(e->actor_id, actor_id, "actor_id", err);
    if (rc == 0 && !sedit_actor(s, actor_id, &sc))
        rc = sedit_no_actor(actor_id, err);
    if (rc == 0) {
        memcpy(e->scene_id, sc->id, strlen(sc->id) + 1);
        if (!(e->u.actor.held = sedit_holder_new(true)))
            rc = sedit_oom("actor", err);
    }
    return edit_end(e, rc);
}

int story_edit_actor_reorder(struct story_edit *e, const struct story *s, const char *actor_id,
                             size_t to, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_ACTOR_REORDER);
    struct story_scene *sc;
    int rc = id_copy(e->actor_id, actor_id, "actor_id", err);
    if (rc == 0 && !sedit_actor(s, actor_id, &sc))
        rc = sedit_no_actor(actor_id, err);
    if (rc == 0 && to >= sc->nactors)
        rc = dy_err_set(err, DY_ERANGE, "to", "must be 0..%zu (got %zu)", sc->nactors - 1, to);
    if (rc == 0) {
        memcpy(e->scene_id, sc->id, strlen(sc->id) + 1);
        e->u.reorder.to = (long)to;
    }
    return edit_end(e, rc);
}

int story_edit_text_set(struct story_edit *e, const struct story *s, const char *actor_id,
                        enum story_lang lang, const char *text, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_TEXT_SET);
    int rc = id_copy(e->actor_id, actor_id, "actor_id", err);
    struct story_actor *a;
    if (rc == 0)
        rc = sedit_actor_kind(s, actor_id, STORY_ACTOR_TEXT, &a, err);
    if (rc == 0 && (unsigned)lang >= STORY_LANG_COUNT)
        rc = dy_err_set(err, DY_EINVAL, "lang", "unknown language %d", (int)lang);
    if (rc == 0)
        rc = check_text_arg(text, "text", err);
    e->u.text.lang = lang;
    if (rc == 0 && text && !(e->u.text.s = strdup(text)))
        rc = sedit_oom("text", err);
    return edit_end(e, rc);
}

/* ---- scenes, captions, audio ---------------------------------------------- */

static int scene_arg(struct story_edit *e, const struct story *s, const char *scene_id,
                     struct story_scene **sc, struct dy_err *err)
{
    int rc = id_copy(e->scene_id, scene_id, "scene_id", err);
    if (rc == 0 && !(*sc = sedit_scene(s, scene_id, NULL)))
        rc = sedit_no_scene(scene_id, err);
    return rc;
}

static int caption_check(double start_s, double end_s, struct dy_err *err)
{
    int rc = check_num(start_s, 0, STORY_MAX_DURATION_S, "start", err);
    if (rc == 0)
        rc = check_num(end_s, 0, STORY_MAX_DURATION_S, "end", err);
    if (rc == 0 && !(end_s > start_s))
        rc = dy_err_set(err, DY_ERANGE, "end", "must be after start (%g <= %g)", end_s,
                        start_s);
    return rc;
}

int story_edit_caption_add(struct story_edit *e, const struct story *s, const char *scene_id,
                           long index, double start_s, double end_s,
                           const struct story_text *text, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_CAPTION_ADD);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0 && (index < -1 || (index >= 0 && (size_t)index > sc->ncaptions)))
        rc = dy_err_set(err, DY_ERANGE, "index", "must be -1 or 0..%zu (got %ld)",
                        sc->ncaptions, index);
    if (rc == 0 && sc->ncaptions >= STORY_MAX_CAPTIONS)
        rc = dy_err_set(err, DY_ELIMIT, "scene", "already has %d captions", STORY_MAX_CAPTIONS);
    if (rc == 0)
        rc = caption_check(start_s, end_s, err);
    if (rc == 0)
        rc = text_copy(&e->u.caption.cap.text, text, "text", err);
    e->u.caption.index = index;
    e->u.caption.cap.start_s = start_s;
    e->u.caption.cap.end_s = end_s;
    return edit_end(e, rc);
}

static int index_arg(size_t index, size_t n, const char *what, struct dy_err *err)
{
    if (index >= n)
        return dy_err_set(err, DY_ENOTFOUND, what, "there are %zu (got index %zu)", n, index);
    return 0;
}

int story_edit_caption_remove(struct story_edit *e, const struct story *s,
                              const char *scene_id, size_t index, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_CAPTION_REMOVE);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0)
        rc = index_arg(index, sc->ncaptions, "caption", err);
    e->u.caption.index = (long)index;
    return edit_end(e, rc);
}

int story_edit_caption_edit(struct story_edit *e, const struct story *s, const char *scene_id,
                            size_t index, double start_s, double end_s,
                            const struct story_text *text, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_CAPTION_EDIT);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0)
        rc = index_arg(index, sc->ncaptions, "caption", err);
    if (rc == 0)
        rc = caption_check(start_s, end_s, err);
    if (rc == 0)
        rc = text_copy(&e->u.caption.cap.text, text ? text : &sc->captions[index].text, "text",
                       err);
    e->u.caption.index = (long)index;
    e->u.caption.cap.start_s = start_s;
    e->u.caption.cap.end_s = end_s;
    return edit_end(e, rc);
}

int story_edit_scene_add(struct story_edit *e, const struct story *s, long index,
                         const char *scene_id, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_SCENE_ADD);
    int rc = 0;
    if (!story_id_valid(scene_id))
        rc = dy_err_set(err, DY_EINVAL, "scene_id",
                        "id must be 1-%d characters of A-Z a-z 0-9 _ . - (got \"%.40s\")",
                        STORY_MAX_ID, scene_id ? scene_id : "");
    else if (story_scene_find(s, scene_id) >= 0)
        rc = dy_err_set(err, DY_EINVAL, "scene_id", "a scene \"%s\" already exists", scene_id);
    else if (s->nscenes >= STORY_MAX_SCENES)
        rc = dy_err_set(err, DY_ELIMIT, "scenes", "the story already has %d scenes",
                        STORY_MAX_SCENES);
    else if (index < -1 || (index >= 0 && (size_t)index > s->nscenes))
        rc = dy_err_set(err, DY_ERANGE, "index", "must be -1 or 0..%zu (got %ld)", s->nscenes,
                        index);
    if (rc == 0) {
        memcpy(e->scene_id, scene_id, strlen(scene_id) + 1);
        e->u.scene.index = index;
        struct story *h = sedit_holder_new(false);
        e->u.scene.held = h;
        if (!h || !story_scene_add(h, scene_id))
            rc = sedit_oom("scene", err);
    }
    return edit_end(e, rc);
}

int story_edit_scene_remove(struct story_edit *e, const struct story *s, const char *scene_id,
                            struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_SCENE_REMOVE);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0 && s->nscenes <= 1)
        rc = dy_err_set(err, DY_EINVAL, "scene_id", "a story needs at least one scene");
    if (rc == 0 && !(e->u.scene.held = sedit_holder_new(false)))
        rc = sedit_oom("scene", err);
    return edit_end(e, rc);
}

int story_edit_scene_reorder(struct story_edit *e, const struct story *s, const char *scene_id,
                             size_t to, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_SCENE_REORDER);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0 && to >= s->nscenes)
        rc = dy_err_set(err, DY_ERANGE, "to", "must be 0..%zu (got %zu)", s->nscenes - 1, to);
    e->u.reorder.to = (long)to;
    return edit_end(e, rc);
}

int story_edit_scene_duration(struct story_edit *e, const struct story *s,
                              const char *scene_id, double duration_s, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_SCENE_DURATION);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0)
        rc = check_num(duration_s, 0, STORY_MAX_DURATION_S, "duration", err);
    if (rc == 0 && !(duration_s > 0))
        rc = dy_err_set(err, DY_ERANGE, "duration", "must be > 0 (got %g)", duration_s);
    e->u.swap.v[0] = duration_s;
    return edit_end(e, rc);
}

static int audio_check(const struct story *s, const char *media_id, double start_s,
                       struct dy_err *err)
{
    int rc = check_num(start_s, 0, STORY_MAX_DURATION_S, "start", err);
    if (rc || !media_id)
        return rc;
    const struct story_media *m = story_media_find(s, media_id);
    if (!m)
        return dy_err_set(err, DY_ENOTFOUND, "media_id", "no media with id \"%.64s\"", media_id);
    if (m->kind != STORY_MEDIA_AUDIO)
        return dy_err_set(err, DY_EINVAL, "media_id", "media \"%s\" is not audio", media_id);
    return 0;
}

int story_edit_audio_add(struct story_edit *e, const struct story *s, const char *scene_id,
                         const char *media_id, double start_s, double volume, double trim_s,
                         struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_AUDIO_ADD);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0 && !media_id)
        rc = dy_err_set(err, DY_EINVAL, "media_id", "is missing");
    if (rc == 0)
        rc = audio_check(s, media_id, start_s, err);
    if (rc == 0)
        rc = check_num(volume, 0, 4, "volume", err);
    if (rc == 0)
        rc = check_num(trim_s, 0, 7200, "trim", err);
    if (rc == 0 && sc->naudio >= STORY_MAX_AUDIO)
        rc = dy_err_set(err, DY_ELIMIT, "scene", "already has %d audio clips", STORY_MAX_AUDIO);
    if (rc == 0 && !(e->u.audio.clip.media_id = strdup(media_id)))
        rc = sedit_oom("audio", err);
    e->u.audio.clip.start_s = start_s;
    e->u.audio.clip.volume = volume;
    e->u.audio.clip.trim_s = trim_s;
    return edit_end(e, rc);
}

int story_edit_audio_remove(struct story_edit *e, const struct story *s, const char *scene_id,
                            size_t index, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_AUDIO_REMOVE);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0)
        rc = index_arg(index, sc->naudio, "audio", err);
    e->u.audio.index = (long)index;
    return edit_end(e, rc);
}

int story_edit_audio_move(struct story_edit *e, const struct story *s, const char *scene_id,
                          size_t index, double start_s, struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_AUDIO_MOVE);
    struct story_scene *sc;
    int rc = scene_arg(e, s, scene_id, &sc, err);
    if (rc == 0)
        rc = index_arg(index, sc->naudio, "audio", err);
    if (rc == 0)
        rc = audio_check(s, NULL, start_s, err);
    e->u.swap.index = (long)index;
    e->u.swap.v[0] = start_s;
    return edit_end(e, rc);
}

/* ---- drawings -------------------------------------------------------------- */

/* A new shape needs a point; a drawing copied for a frame may hold empty
 * shapes loaded from a file (valid there), so `allow_empty` lets them by. */
static int shape_check(const struct story_shape *sh, bool allow_empty, struct dy_err *err)
{
    char what[64];
    int rc;
    if (!sh)
        return dy_err_set(err, DY_EINVAL, "shape", "is missing");
    if (sh->kind != STORY_SHAPE_STROKE && sh->kind != STORY_SHAPE_FILL)
        return dy_err_set(err, DY_EINVAL, "shape.kind", "unknown shape kind");
    if ((sh->n == 0 && !allow_empty) || (sh->n > 0 && !sh->pts))
        return dy_err_set(err, DY_EINVAL, "shape.points", "a shape needs at least one point");
    if (sh->n > STORY_MAX_POINTS)
        return dy_err_set(err, DY_ELIMIT, "shape.points", "more than %d points",
                          STORY_MAX_POINTS);
    if ((rc = check_color(&sh->color, "shape.color", err)))
        return rc;
    if (sh->kind == STORY_SHAPE_FILL &&
        ((rc = check_color(&sh->line, "shape.line", err)) ||
         (rc = check_num(sh->line_w, 0, 10000, "shape.line_w", err))))
        return rc;
    for (size_t k = 0; k < sh->n; k++) {
        const struct story_point *p = &sh->pts[k];
        snprintf(what, sizeof(what), "shape.points[%zu]", k);
        if ((rc = check_num(p->x, -STORY_MAX_COORD, STORY_MAX_COORD, what, err)) ||
            (rc = check_num(p->y, -STORY_MAX_COORD, STORY_MAX_COORD, what, err)))
            return rc;
        if (sh->kind == STORY_SHAPE_STROKE && (rc = check_num(p->w, 0, 10000, what, err)))
            return rc;
    }
    return 0;
}

int story_edit_shape_add(struct story_edit *e, const struct story *s,
                         const struct story_drawing_ref *where, const struct story_shape *shape,
                         struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_SHAPE_ADD);
    struct story_drawing *d;
    int rc = drawing_ref_init(e, where, err);
    if (rc == 0)
        rc = sedit_drawing(s, e, &d, err);
    if (rc == 0)
        rc = shape_check(shape, false, err);
    if (rc == 0 && d->n >= STORY_MAX_SHAPES)
        rc = dy_err_set(err, DY_ELIMIT, "drawing", "already has %d shapes", STORY_MAX_SHAPES);
    if (rc == 0) {
        struct story_shape *c = &e->u.shape.shape;
        *c = *shape;
        c->pts = malloc(shape->n * sizeof(*c->pts));
        if (!c->pts) {
            c->n = c->cap = 0;
            rc = sedit_oom("shape", err);
        } else {
            memcpy(c->pts, shape->pts, shape->n * sizeof(*c->pts));
            c->cap = c->n;
        }
    }
    return edit_end(e, rc);
}

int story_edit_shape_remove(struct story_edit *e, const struct story *s,
                            const struct story_drawing_ref *where, size_t index,
                            struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_SHAPE_REMOVE);
    struct story_drawing *d;
    int rc = drawing_ref_init(e, where, err);
    if (rc == 0)
        rc = sedit_drawing(s, e, &d, err);
    if (rc == 0)
        rc = index_arg(index, d->n, "shape", err);
    e->u.shape.index = (long)index;
    return edit_end(e, rc);
}

int story_edit_frame_add(struct story_edit *e, const struct story *s, const char *actor_id,
                         double start_s, const struct story_drawing *drawing,
                         struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_FRAME_ADD);
    struct story_actor *a = NULL;
    int rc = id_copy(e->actor_id, actor_id, "actor_id", err);
    if (rc == 0)
        rc = sedit_actor_kind(s, actor_id, STORY_ACTOR_DRAWING, &a, err);
    if (rc == 0)
        rc = check_num(start_s, 0, STORY_MAX_DURATION_S, "start", err);
    if (rc == 0 && a->nframes == 0 && !(start_s > 0))
        rc = dy_err_set(err, DY_EINVAL, "start",
                        "the actor's drawing becomes the frame at 0: start after it");
    for (size_t i = 0; rc == 0 && i < a->nframes; i++)
        if (a->frames[i].start_s == start_s)
            rc = dy_err_set(err, DY_EINVAL, "start", "frame %zu already starts at %g s", i,
                            start_s);
    if (rc == 0 && a->nframes >= STORY_MAX_FRAMES)
        rc = dy_err_set(err, DY_ELIMIT, "actor", "already has %d frames", STORY_MAX_FRAMES);
    if (rc == 0 && drawing) {
        for (size_t i = 0; rc == 0 && i < drawing->n; i++)
            rc = shape_check(&drawing->shapes[i], true, err);
        if (rc == 0 && story_drawing_copy(&e->u.frame.fr.drawing, drawing) < 0)
            rc = sedit_oom("drawing", err);
    }
    e->u.frame.fr.start_s = start_s;
    return edit_end(e, rc);
}

int story_edit_part_pivot(struct story_edit *e, const struct story *s, const char *actor_id,
                          const char *part_id, double pivot_x, double pivot_y,
                          struct dy_err *err)
{
    edit_begin(e, STORY_EDIT_PART_PIVOT);
    struct story_actor *a = NULL;
    int rc = id_copy(e->actor_id, actor_id, "actor_id", err);
    if (rc == 0)
        rc = id_copy(e->part_id, part_id, "part_id", err);
    if (rc == 0)
        rc = sedit_actor_kind(s, actor_id, STORY_ACTOR_CHARACTER, &a, err);
    if (rc == 0 && sedit_part(a, part_id) < 0)
        rc = dy_err_set(err, DY_ENOTFOUND, "part_id", "actor \"%s\" has no part \"%.64s\"",
                        actor_id, part_id);
    if (rc == 0)
        rc = check_num(pivot_x, -STORY_MAX_COORD, STORY_MAX_COORD, "pivot_x", err);
    if (rc == 0)
        rc = check_num(pivot_y, -STORY_MAX_COORD, STORY_MAX_COORD, "pivot_y", err);
    e->u.swap.v[0] = pivot_x;
    e->u.swap.v[1] = pivot_y;
    return edit_end(e, rc);
}

