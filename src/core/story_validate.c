/* story_validate.c: the model's invariants, reported with the JSON path of
 * the offending field (the same path the file format uses). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/story.h"

#define PATH_MAX_LEN 256

/* A set of ids (borrowed strings) with a value each: open addressing,
 * FNV-1a. Uniqueness and lookups stay linear in the story's size, so a
 * hostile file with a million actors can't make validation quadratic. */
struct idset {
    const char **keys;
    long *vals;
    size_t cap;
};

static uint64_t id_hash(const char *k)
{
    uint64_t h = 1469598103934665603ull;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ull;
    return h;
}

static int idset_init(struct idset *set, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 1)
        cap *= 2;
    set->keys = calloc(cap, sizeof(*set->keys));
    set->vals = calloc(cap, sizeof(*set->vals));
    set->cap = cap;
    if (!set->keys || !set->vals) {
        free(set->keys);
        free(set->vals);
        set->keys = NULL;
        set->vals = NULL;
        return DY_ENOMEM;
    }
    return 0;
}

static void idset_fini(struct idset *set)
{
    free(set->keys);
    free(set->vals);
}

/* The value stored for k, or -1. */
static long idset_find(const struct idset *set, const char *k)
{
    if (!k || !set->keys)
        return -1;
    for (size_t i = id_hash(k) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->keys[i])
            return -1;
        if (strcmp(set->keys[i], k) == 0)
            return set->vals[i];
    }
}

/* Adds k -> v; returns the existing value when k is already there (the
 * set is sized for every id up front, so it never fills). */
static long idset_add(struct idset *set, const char *k, long v)
{
    for (size_t i = id_hash(k) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
        if (!set->keys[i]) {
            set->keys[i] = k;
            set->vals[i] = v;
            return -1;
        }
        if (strcmp(set->keys[i], k) == 0)
            return set->vals[i];
    }
}

/* Keeps the validation walk small: every check appends to one path. */
struct vctx {
    const struct story *s;
    struct dy_err *err;
    struct idset media;  /* media id -> index */
    struct idset actors; /* actor ids seen so far */
};

static int fail(struct vctx *v, int code, const char *path, const char *fmt, double got)
{
    char msg[160];
    snprintf(msg, sizeof(msg), fmt, got);
    return dy_err_set(v->err, code, path, "%s", msg);
}

bool story_id_valid(const char *id)
{
    if (!id)
        return 0;
    size_t n = strlen(id);
    if (n == 0 || n > STORY_MAX_ID)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return 0;
    }
    return 1;
}

static int check_id(struct vctx *v, const char *id, const char *path)
{
    if (!story_id_valid(id))
        return dy_err_set(v->err, DY_EINVAL, path,
                          "id must be 1-%d characters of A-Z a-z 0-9 _ . - (got \"%.40s\")",
                          STORY_MAX_ID, id ? id : "");
    return 0;
}

static int check_num(struct vctx *v, double x, double lo, double hi, const char *path)
{
    if (!isfinite(x))
        return dy_err_set(v->err, DY_EINVAL, path, "must be a finite number");
    if (x < lo)
        return dy_err_set(v->err, DY_ERANGE, path, "must be >= %g (got %g)", lo, x);
    if (x > hi)
        return dy_err_set(v->err, DY_ERANGE, path, "must be <= %g (got %g)", hi, x);
    return 0;
}

static int check_color(struct vctx *v, const struct story_color *c, const char *path)
{
    float ch[4] = {c->r, c->g, c->b, c->a};
    for (int i = 0; i < 4; i++)
        if (!(ch[i] >= 0.0f && ch[i] <= 1.0f))
            return dy_err_set(v->err, DY_ERANGE, path, "colour channel out of 0..1");
    return 0;
}

static int check_text(struct vctx *v, const struct story_text *t, const char *path)
{
    for (int l = 0; l < STORY_LANG_COUNT; l++)
        if (t->s[l] && strlen(t->s[l]) > STORY_MAX_TEXT) {
            char p[PATH_MAX_LEN];
            snprintf(p, sizeof(p), "%s.%s", path, story_lang_code(l));
            return dy_err_set(v->err, DY_ELIMIT, p, "text longer than %d bytes", STORY_MAX_TEXT);
        }
    return 0;
}

static int check_track(struct vctx *v, const struct key_track *tr, double lo, double hi,
                       const char *path)
{
    char p[PATH_MAX_LEN];
    if (tr->n > STORY_MAX_KEYS)
        return dy_err_set(v->err, DY_ELIMIT, path, "more than %d keys", STORY_MAX_KEYS);
    for (size_t k = 0; k < tr->n; k++) {
        const struct key *key = &tr->keys[k];
        snprintf(p, sizeof(p), "%s[%zu].time", path, k);
        int rc = check_num(v, key->time_s, 0, STORY_MAX_DURATION_S, p);
        if (rc)
            return rc;
        if (k > 0 && !(key->time_s > tr->keys[k - 1].time_s))
            return fail(v, DY_EINVAL, p, "keys must have strictly increasing times (got %g after a key at or after it)",
                        key->time_s);
        snprintf(p, sizeof(p), "%s[%zu].value", path, k);
        if ((rc = check_num(v, key->value, lo, hi, p)))
            return rc;
        if ((unsigned)key->ease >= KEY_EASE_COUNT) {
            snprintf(p, sizeof(p), "%s[%zu].ease", path, k);
            return dy_err_set(v->err, DY_EINVAL, p, "unknown ease");
        }
    }
    return 0;
}

static int check_drawing(struct vctx *v, const struct story_drawing *d, const char *path)
{
    char p[PATH_MAX_LEN];
    if (d->n > STORY_MAX_SHAPES)
        return dy_err_set(v->err, DY_ELIMIT, path, "more than %d shapes", STORY_MAX_SHAPES);
    for (size_t i = 0; i < d->n; i++) {
        const struct story_shape *sh = &d->shapes[i];
        int rc;
        if (sh->kind != STORY_SHAPE_STROKE && sh->kind != STORY_SHAPE_FILL) {
            snprintf(p, sizeof(p), "%s[%zu].type", path, i);
            return dy_err_set(v->err, DY_EINVAL, p, "unknown shape type");
        }
        if (sh->n > STORY_MAX_POINTS) {
            snprintf(p, sizeof(p), "%s[%zu].points", path, i);
            return dy_err_set(v->err, DY_ELIMIT, p, "more than %d points", STORY_MAX_POINTS);
        }
        snprintf(p, sizeof(p), "%s[%zu].color", path, i);
        if ((rc = check_color(v, &sh->color, p)))
            return rc;
        if (sh->kind == STORY_SHAPE_FILL) {
            snprintf(p, sizeof(p), "%s[%zu].line", path, i);
            if ((rc = check_color(v, &sh->line, p)))
                return rc;
            snprintf(p, sizeof(p), "%s[%zu].line_width", path, i);
            if ((rc = check_num(v, sh->line_w, 0, 10000, p)))
                return rc;
        }
        for (size_t k = 0; k < sh->n; k++) {
            const struct story_point *pt = &sh->pts[k];
            snprintf(p, sizeof(p), "%s[%zu].points[%zu]", path, i, k);
            if ((rc = check_num(v, pt->x, -STORY_MAX_COORD, STORY_MAX_COORD, p)) ||
                (rc = check_num(v, pt->y, -STORY_MAX_COORD, STORY_MAX_COORD, p)))
                return rc;
            if (sh->kind == STORY_SHAPE_STROKE &&
                (rc = check_num(v, pt->w, 0, 10000, p)))
                return rc;
        }
    }
    return 0;
}

static int check_media_ref(struct vctx *v, const char *id, int want_visual, const char *path)
{
    long mi = idset_find(&v->media, id);
    const struct story_media *m = mi >= 0 ? &v->s->media[mi] : NULL;
    if (!m)
        return dy_err_set(v->err, DY_ENOTFOUND, path, "no media with id \"%.64s\"", id ? id : "");
    int visual = m->kind == STORY_MEDIA_IMAGE || m->kind == STORY_MEDIA_SVG;
    if (want_visual && !visual)
        return dy_err_set(v->err, DY_EINVAL, path, "media \"%.64s\" is audio, an image or svg is needed", id);
    if (!want_visual && m->kind != STORY_MEDIA_AUDIO)
        return dy_err_set(v->err, DY_EINVAL, path, "media \"%.64s\" is not audio", id);
    return 0;
}

static int check_visual(struct vctx *v, const struct story_visual *vis, const char *path)
{
    char p[PATH_MAX_LEN];
    int rc;
    if (vis->media_id) {
        snprintf(p, sizeof(p), "%s.media", path);
        if ((rc = check_media_ref(v, vis->media_id, 1, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.rect", path);
        if ((rc = check_num(v, vis->x, -STORY_MAX_COORD, STORY_MAX_COORD, p)) ||
            (rc = check_num(v, vis->y, -STORY_MAX_COORD, STORY_MAX_COORD, p)) ||
            (rc = check_num(v, vis->w, 1e-6, STORY_MAX_COORD, p)) ||
            (rc = check_num(v, vis->h, 1e-6, STORY_MAX_COORD, p)))
            return rc;
    }
    snprintf(p, sizeof(p), "%s.drawing", path);
    return check_drawing(v, &vis->drawing, p);
}

static const double prop_lo[STORY_PROP_COUNT] = {
    -STORY_MAX_COORD, -STORY_MAX_COORD, -STORY_MAX_ROTATION, -STORY_MAX_SCALE, -STORY_MAX_SCALE,
    0, 0, -1e6};
static const double prop_hi[STORY_PROP_COUNT] = {
    STORY_MAX_COORD, STORY_MAX_COORD, STORY_MAX_ROTATION, STORY_MAX_SCALE, STORY_MAX_SCALE,
    1, 1, 1e6};

void story_prop_range(enum story_prop p, double *lo, double *hi)
{
    int ok = (unsigned)p < STORY_PROP_COUNT;
    *lo = ok ? prop_lo[p] : 0;
    *hi = ok ? prop_hi[p] : 0;
}

void story_cam_range(enum story_cam c, double *lo, double *hi)
{
    *lo = c == STORY_CAM_ZOOM ? 0.01 : -STORY_MAX_COORD;
    *hi = c == STORY_CAM_ZOOM ? 100 : STORY_MAX_COORD;
}

static int check_actor(struct vctx *v, const struct story_actor *a, const char *path)
{
    char p[PATH_MAX_LEN];
    int rc;
    snprintf(p, sizeof(p), "%s.id", path);
    if ((rc = check_id(v, a->id, p)))
        return rc;
    for (int k = 0; k < STORY_PROP_COUNT; k++) {
        snprintf(p, sizeof(p), "%s.tracks.%s", path, story_prop_name(k));
        if ((rc = check_track(v, &a->props[k], prop_lo[k], prop_hi[k], p)))
            return rc;
    }
    switch (a->kind) {
    case STORY_ACTOR_CHARACTER:
        if (a->nparts == 0) {
            snprintf(p, sizeof(p), "%s.parts", path);
            return dy_err_set(v->err, DY_EINVAL, p, "a character needs at least one part");
        }
        for (size_t i = 0; i < a->nparts; i++) {
            const struct story_part *pt = &a->parts[i];
            snprintf(p, sizeof(p), "%s.parts[%zu].id", path, i);
            if ((rc = check_id(v, pt->id, p)))
                return rc;
            for (size_t j = 0; j < i; j++)
                if (strcmp(a->parts[j].id, pt->id) == 0)
                    return dy_err_set(v->err, DY_EINVAL, p, "duplicate part id \"%s\"", pt->id);
            /* A parent must come earlier in the list: this makes the tree
             * acyclic by construction and lets the renderer walk it in one
             * pass. */
            if (pt->parent < -1 || pt->parent >= (int)i) {
                snprintf(p, sizeof(p), "%s.parts[%zu].parent", path, i);
                return dy_err_set(v->err, DY_EINVAL, p,
                                  "parent must be an earlier part (cycle or unknown part)");
            }
            snprintf(p, sizeof(p), "%s.parts[%zu].pivot", path, i);
            if ((rc = check_num(v, pt->pivot_x, -STORY_MAX_COORD, STORY_MAX_COORD, p)) ||
                (rc = check_num(v, pt->pivot_y, -STORY_MAX_COORD, STORY_MAX_COORD, p)))
                return rc;
            snprintf(p, sizeof(p), "%s.parts[%zu].rest_rotation", path, i);
            if ((rc = check_num(v, pt->rest_rotation, -STORY_MAX_ROTATION, STORY_MAX_ROTATION, p)))
                return rc;
            snprintf(p, sizeof(p), "%s.parts[%zu]", path, i);
            if ((rc = check_visual(v, &pt->visual, p)))
                return rc;
            snprintf(p, sizeof(p), "%s.part_tracks.%s", path, pt->id);
            if ((rc = check_track(v, &a->part_rot[i], -STORY_MAX_ROTATION, STORY_MAX_ROTATION, p)))
                return rc;
        }
        break;
    case STORY_ACTOR_DRAWING:
        snprintf(p, sizeof(p), "%s.drawing", path);
        if ((rc = check_drawing(v, &a->drawing, p)))
            return rc;
        for (size_t i = 0; i < a->nframes; i++) {
            snprintf(p, sizeof(p), "%s.frames[%zu].start", path, i);
            if ((rc = check_num(v, a->frames[i].start_s, 0, STORY_MAX_DURATION_S, p)))
                return rc;
            if (i > 0 && !(a->frames[i].start_s > a->frames[i - 1].start_s))
                return fail(v, DY_EINVAL, p, "frame starts must strictly increase (got %g)",
                            a->frames[i].start_s);
            snprintf(p, sizeof(p), "%s.frames[%zu].drawing", path, i);
            if ((rc = check_drawing(v, &a->frames[i].drawing, p)))
                return rc;
        }
        break;
    case STORY_ACTOR_IMAGE:
        if (!a->image.media_id) {
            snprintf(p, sizeof(p), "%s.media", path);
            return dy_err_set(v->err, DY_EINVAL, p, "an image actor needs a media id");
        }
        if ((rc = check_visual(v, &a->image, path)))
            return rc;
        break;
    case STORY_ACTOR_TEXT:
        snprintf(p, sizeof(p), "%s.text", path);
        if ((rc = check_text(v, &a->text, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.font_size", path);
        if ((rc = check_num(v, a->font_size, 1, 2000, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.box_width", path);
        if ((rc = check_num(v, a->box_w, 0, STORY_MAX_COORD, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.tail", path);
        if ((rc = check_num(v, a->tail_x, -STORY_MAX_COORD, STORY_MAX_COORD, p)) ||
            (rc = check_num(v, a->tail_y, -STORY_MAX_COORD, STORY_MAX_COORD, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.color", path);
        if ((rc = check_color(v, &a->text_color, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.bubble_color", path);
        if ((rc = check_color(v, &a->bubble_color, p)))
            return rc;
        if ((unsigned)a->bubble > STORY_BUBBLE_THOUGHT) {
            snprintf(p, sizeof(p), "%s.bubble", path);
            return dy_err_set(v->err, DY_EINVAL, p, "unknown bubble kind");
        }
        break;
    default:
        snprintf(p, sizeof(p), "%s.kind", path);
        return dy_err_set(v->err, DY_EINVAL, p, "unknown actor kind");
    }
    return 0;
}

static int check_scene(struct vctx *v, size_t si)
{
    const struct story_scene *sc = &v->s->scenes[si];
    char p[PATH_MAX_LEN], base[64];
    int rc;
    snprintf(base, sizeof(base), "scenes[%zu]", si);
    snprintf(p, sizeof(p), "%s.id", base);
    if ((rc = check_id(v, sc->id, p)))
        return rc;
    for (size_t j = 0; j < si; j++)
        if (strcmp(v->s->scenes[j].id, sc->id) == 0)
            return dy_err_set(v->err, DY_EINVAL, p, "duplicate scene id \"%s\"", sc->id);
    snprintf(p, sizeof(p), "%s.title", base);
    if ((rc = check_text(v, &sc->title, p)))
        return rc;
    snprintf(p, sizeof(p), "%s.duration", base);
    if ((rc = check_num(v, sc->duration_s, 0, STORY_MAX_DURATION_S, p)))
        return rc;
    if (!(sc->duration_s > 0))
        return dy_err_set(v->err, DY_ERANGE, p, "must be > 0 (got %g)", sc->duration_s);
    snprintf(p, sizeof(p), "%s.background", base);
    if ((rc = check_color(v, &sc->background, p)))
        return rc;
    if (sc->background_media) {
        snprintf(p, sizeof(p), "%s.background_media", base);
        if ((rc = check_media_ref(v, sc->background_media, 1, p)))
            return rc;
    }
    static const char *const cam_names[STORY_CAM_COUNT] = {"x", "y", "zoom"};
    for (int c = 0; c < STORY_CAM_COUNT; c++) {
        snprintf(p, sizeof(p), "%s.camera.%s", base, cam_names[c]);
        double lo, hi;
        story_cam_range(c, &lo, &hi);
        if ((rc = check_track(v, &sc->camera[c], lo, hi, p)))
            return rc;
    }
    if (sc->nactors > STORY_MAX_ACTORS) {
        snprintf(p, sizeof(p), "%s.actors", base);
        return dy_err_set(v->err, DY_ELIMIT, p, "more than %d actors", STORY_MAX_ACTORS);
    }
    for (size_t i = 0; i < sc->nactors; i++) {
        snprintf(p, sizeof(p), "%s.actors[%zu]", base, i);
        if ((rc = check_actor(v, &sc->actors[i], p)))
            return rc;
        /* Actor ids are unique across the whole story. */
        if (idset_add(&v->actors, sc->actors[i].id, 0) >= 0) {
            snprintf(p, sizeof(p), "%s.actors[%zu].id", base, i);
            return dy_err_set(v->err, DY_EINVAL, p, "duplicate actor id \"%s\"",
                              sc->actors[i].id);
        }
    }
    for (size_t i = 0; i < sc->ncaptions; i++) {
        const struct story_caption *c = &sc->captions[i];
        snprintf(p, sizeof(p), "%s.captions[%zu].start", base, i);
        if ((rc = check_num(v, c->start_s, 0, STORY_MAX_DURATION_S, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.captions[%zu].end", base, i);
        if ((rc = check_num(v, c->end_s, 0, STORY_MAX_DURATION_S, p)))
            return rc;
        if (!(c->end_s > c->start_s))
            return dy_err_set(v->err, DY_ERANGE, p, "must be after start (%g <= %g)", c->end_s,
                              c->start_s);
        snprintf(p, sizeof(p), "%s.captions[%zu].text", base, i);
        if ((rc = check_text(v, &c->text, p)))
            return rc;
    }
    for (size_t i = 0; i < sc->naudio; i++) {
        const struct story_audio *au = &sc->audio[i];
        snprintf(p, sizeof(p), "%s.audio[%zu].media", base, i);
        if ((rc = check_media_ref(v, au->media_id, 0, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.audio[%zu].start", base, i);
        if ((rc = check_num(v, au->start_s, 0, STORY_MAX_DURATION_S, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.audio[%zu].volume", base, i);
        if ((rc = check_num(v, au->volume, 0, 4, p)))
            return rc;
        snprintf(p, sizeof(p), "%s.audio[%zu].trim", base, i);
        if ((rc = check_num(v, au->trim_s, 0, 7200, p)))
            return rc;
    }
    return 0;
}

static int path_safe(const char *path)
{
    if (!path || !*path || path[0] == '/' || strchr(path, '\\') || strlen(path) > 255)
        return 0;
    if (strchr(path, ':'))
        return 0; /* drive letters, URLs */
    const char *p = path;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += n;
        if (*p == '/')
            p++;
    }
    return 1;
}

static int validate(struct vctx *vp);

int story_validate(const struct story *s, struct dy_err *err)
{
    struct vctx v = {.s = s, .err = err};
    size_t nactors = 0;
    for (size_t i = 0; i < s->nscenes; i++)
        nactors += s->scenes[i].nactors;
    if (idset_init(&v.media, s->nmedia) < 0 || idset_init(&v.actors, nactors) < 0) {
        idset_fini(&v.media);
        return dy_err_set(err, DY_ENOMEM, NULL, "out of memory while validating");
    }
    int rc = validate(&v);
    idset_fini(&v.media);
    idset_fini(&v.actors);
    return rc;
}

static int validate(struct vctx *vp)
{
    struct vctx v = *vp; /* the id sets share their arrays with *vp */
    const struct story *s = v.s;
    struct dy_err *err = v.err;
    char p[PATH_MAX_LEN];
    int rc;
    if ((rc = check_num(&v, s->width, 16, STORY_MAX_CANVAS, "width")) ||
        (rc = check_num(&v, s->height, 16, STORY_MAX_CANVAS, "height")))
        return rc;
    if ((rc = check_text(&v, &s->title, "title")))
        return rc;
    if (s->nmedia > STORY_MAX_MEDIA)
        return dy_err_set(err, DY_ELIMIT, "media", "more than %d media files", STORY_MAX_MEDIA);
    for (size_t i = 0; i < s->nmedia; i++) {
        const struct story_media *m = &s->media[i];
        snprintf(p, sizeof(p), "media[%zu].id", i);
        if ((rc = check_id(&v, m->id, p)))
            return rc;
        if (idset_add(&v.media, m->id, (long)i) >= 0)
            return dy_err_set(err, DY_EINVAL, p, "duplicate media id \"%s\"", m->id);
        snprintf(p, sizeof(p), "media[%zu].path", i);
        if (!path_safe(m->path))
            return dy_err_set(err, DY_EINVAL, p, "unsafe or empty path \"%.80s\"",
                              m->path ? m->path : "");
        if ((unsigned)m->kind > STORY_MEDIA_AUDIO) {
            snprintf(p, sizeof(p), "media[%zu].kind", i);
            return dy_err_set(err, DY_EINVAL, p, "unknown media kind");
        }
    }
    if (s->nscenes == 0)
        return dy_err_set(err, DY_EINVAL, "scenes", "a story needs at least one scene");
    if (s->nscenes > STORY_MAX_SCENES)
        return dy_err_set(err, DY_ELIMIT, "scenes", "more than %d scenes", STORY_MAX_SCENES);
    for (size_t i = 0; i < s->nscenes; i++)
        if ((rc = check_scene(&v, i)))
            return rc;
    return 0;
}
