/* json_read.c: story.json -> struct story, strictly.
 *
 * Every field is checked for type and range before it reaches the model, and
 * every error names its JSON path ("scenes[2].actors[0].tracks.x[5].time"),
 * which the callers prefix with the file name. Unknown fields are refused so
 * that a typo ("duraton") is reported instead of silently defaulted. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/storyio.h"
#include "json_read.h"

/* ---- keys, drawings ----------------------------------------------------- */

static int ease_from_name(const char *n)
{
    return key_ease_from_name(n);
}

static const char *const KEY_FIELDS[] = {"time", "value", "ease", NULL};

/* A track: keys with strictly increasing times, values in `vr`. The keys
 * array is filled directly (not key_track_set) to keep loading linear and to
 * refuse unsorted input rather than sort it. */
static int parse_track(struct pctx *c, json_t *arr, struct range vr,
                       struct key_track *tr)
{
    size_t n = json_array_size(arr);
    if (n > STORY_MAX_KEYS) {
        return sio_perr(c, DY_ELIMIT, "has %zu keys (max %d)", n, STORY_MAX_KEYS);
    }
    key_track_fini(tr);
    if (n == 0) {
        return 0;
    }
    tr->keys = calloc(n, sizeof(*tr->keys));
    if (!tr->keys) {
        return sio_oom(c);
    }
    tr->cap = n;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t m = sio_jp_idx(&c->path, i);
        json_t *kj = json_array_get(arr, i);
        struct key k = {0, 0, KEY_EASE_LINEAR};
        int ease = KEY_EASE_LINEAR;
        if (!json_is_object(kj)) {
            rc = sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(kj));
        }
        if (rc == 0) {
            rc = sio_check_keys(c, kj, KEY_FIELDS);
        }
        if (rc == 0) {
            rc = sio_get_num(c, kj, "time", true, SIO_R_TIME, &k.time_s);
        }
        if (rc == 0 && i > 0 && !(k.time_s > tr->keys[i - 1].time_s)) {
            size_t m2 = sio_jp_key(&c->path, "time");
            rc = sio_perr(c, DY_EINVAL, "must be > the previous key's time "
                          "(got %g after %g)", k.time_s, tr->keys[i - 1].time_s);
            sio_jp_pop(&c->path, m2);
        }
        if (rc == 0) {
            rc = sio_get_num(c, kj, "value", true, vr, &k.value);
        }
        if (rc == 0) {
            rc = sio_get_enum(c, kj, "ease", false, ease_from_name,
                              "linear, in, out, in-out, step, overshoot", &ease);
        }
        k.ease = (enum key_ease)ease;
        tr->keys[i] = k;
        tr->n = i + 1;
        sio_jp_pop(&c->path, m);
    }
    return rc;
}

/* Track member `k` of object o (absent: stays empty). */
static int get_track(struct pctx *c, json_t *o, const char *k, struct range vr,
                     struct key_track *tr)
{
    json_t *a;
    int rc = sio_get_array(c, o, k, false, STORY_MAX_KEYS, &a);
    if (rc < 0 || !a) {
        return rc;
    }
    size_t m = sio_jp_key(&c->path, k);
    rc = parse_track(c, a, vr, tr);
    sio_jp_pop(&c->path, m);
    return rc;
}

static int parse_points(struct pctx *c, json_t *arr, bool stroke,
                        struct story_shape *sh)
{
    size_t n = json_array_size(arr);
    if (n == 0) {
        return 0;
    }
    sh->pts = calloc(n, sizeof(*sh->pts));
    if (!sh->pts) {
        return sio_oom(c);
    }
    sh->cap = n;
    /* Widths: the editor may leave 0 (story_validate() allows it), so the
     * loader must too or a saved story would not load back. */
    static const struct range rw = {0, 10000, false};
    for (size_t i = 0; i < n; i++) {
        size_t m = sio_jp_idx(&c->path, i);
        json_t *p = json_array_get(arr, i);
        size_t pn = json_is_array(p) ? json_array_size(p) : 0;
        int rc = 0;
        double v[3] = {0, 0, 0};
        if (pn != 3 && (stroke || pn != 2)) {
            rc = sio_perr(c, DY_EFORMAT, "must be %s", stroke ? "[x, y, width]"
                          : "[x, y] or [x, y, width]");
        }
        for (size_t j = 0; rc == 0 && j < pn; j++) {
            size_t m2 = sio_jp_idx(&c->path, j);
            struct range r = j < 2 ? SIO_R_COORD : stroke ? rw : SIO_R_COORD;
            rc = sio_num_val(c, json_array_get(p, j), r, &v[j]);
            sio_jp_pop(&c->path, m2);
        }
        sio_jp_pop(&c->path, m);
        if (rc < 0) {
            return rc;
        }
        /* A fill's width is documented as ignored; store 0 so the model
         * does not depend on it. */
        sh->pts[i] = (struct story_point){v[0], v[1], stroke ? v[2] : 0};
        sh->n = i + 1;
    }
    return 0;
}

static const char *const STROKE_FIELDS[] = {"type", "color", "closed",
                                             "smooth", "points", NULL};
static const char *const FILL_FIELDS[] = {"type", "color", "line",
                                          "line_width", "smooth", "points",
                                          NULL};

static int shape_kind_from_name(const char *n)
{
    return strcmp(n, "stroke") == 0 ? STORY_SHAPE_STROKE
         : strcmp(n, "fill") == 0   ? STORY_SHAPE_FILL
                                    : -1;
}

static int parse_shape(struct pctx *c, json_t *o, struct story_drawing *d)
{
    if (!json_is_object(o)) {
        return sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(o));
    }
    int kind = 0;
    int rc = sio_get_enum(c, o, "type", true, shape_kind_from_name, "stroke, fill",
                          &kind);
    if (rc < 0) {
        return rc;
    }
    bool stroke = kind == STORY_SHAPE_STROKE;
    rc = sio_check_keys(c, o, stroke ? STROKE_FIELDS : FILL_FIELDS);
    if (rc < 0) {
        return rc;
    }
    struct story_shape *sh = story_drawing_add(d, (enum story_shape_kind)kind);
    if (!sh) {
        return sio_perr(c, DY_ELIMIT, "cannot add a shape (out of memory or more "
                        "than %d shapes)", STORY_MAX_SHAPES);
    }
    sh->color = (struct story_color){0, 0, 0, 1};
    sh->line = (struct story_color){0, 0, 0, 0};
    sh->line_w = 0;
    sh->closed = !stroke;
    sh->smooth = false;
    static const struct range rlw = {0, 10000, false};
    json_t *pts;
    if ((rc = sio_get_color(c, o, "color", &sh->color)) < 0 ||
        (rc = sio_get_bool(c, o, "smooth", &sh->smooth)) < 0 ||
        (stroke && (rc = sio_get_bool(c, o, "closed", &sh->closed)) < 0) ||
        (!stroke && (rc = sio_get_color(c, o, "line", &sh->line)) < 0) ||
        (!stroke && (rc = sio_get_num(c, o, "line_width", false, rlw,
                                  &sh->line_w)) < 0) ||
        (rc = sio_get_array(c, o, "points", true, STORY_MAX_POINTS, &pts)) < 0) {
        return rc;
    }
    size_t m = sio_jp_key(&c->path, "points");
    rc = parse_points(c, pts, stroke, sh);
    sio_jp_pop(&c->path, m);
    return rc;
}

static int parse_drawing(struct pctx *c, json_t *arr, struct story_drawing *d)
{
    for (size_t i = 0; i < json_array_size(arr); i++) {
        size_t m = sio_jp_idx(&c->path, i);
        int rc = parse_shape(c, json_array_get(arr, i), d);
        sio_jp_pop(&c->path, m);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

static int get_drawing(struct pctx *c, json_t *o, const char *k,
                       struct story_drawing *d)
{
    json_t *a;
    int rc = sio_get_array(c, o, k, false, STORY_MAX_SHAPES, &a);
    if (rc < 0 || !a) {
        return rc;
    }
    size_t m = sio_jp_key(&c->path, k);
    rc = parse_drawing(c, a, d);
    sio_jp_pop(&c->path, m);
    return rc;
}

/* ---- actors ------------------------------------------------------------- */

/* A visual: either "drawing" or "media" placed in "rect". */
static int parse_visual(struct pctx *c, json_t *o, bool need_media,
                        struct story_visual *v)
{
    bool has_media = json_object_get(o, "media") != NULL;
    if (has_media && json_object_get(o, "drawing")) {
        return sio_perr(c, DY_EFORMAT, "has both \"drawing\" and \"media\"");
    }
    if (json_object_get(o, "rect") && !has_media) {
        size_t m = sio_jp_key(&c->path, "rect");
        int rc = sio_perr(c, DY_EFORMAT, "is only allowed with \"media\"");
        sio_jp_pop(&c->path, m);
        return rc;
    }
    if (!has_media && !need_media) {
        return get_drawing(c, o, "drawing", &v->drawing);
    }
    double r[4];
    const struct range rr[4] = {SIO_R_COORD, SIO_R_COORD, SIO_R_SIZE, SIO_R_SIZE};
    int rc = sio_get_media_ref(c, o, "media", true, false, &v->media_id);
    if (rc == 0) {
        rc = sio_get_vec(c, o, "rect", true, 4, rr, r);
    }
    if (rc == 0) {
        v->x = r[0];
        v->y = r[1];
        v->w = r[2];
        v->h = r[3];
    }
    return rc;
}

static const char *const PART_FIELDS[] = {"id", "parent", "pivot",
                                          "rest_rotation", "z", "drawing",
                                          "media", "rect", NULL};

static int parse_part(struct pctx *c, json_t *o, struct story_actor *a)
{
    if (!json_is_object(o)) {
        return sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(o));
    }
    const char *id;
    int rc = sio_check_keys(c, o, PART_FIELDS);
    if (rc == 0) {
        rc = sio_get_id(c, o, "id", NULL, 0, &id);
    }
    if (rc < 0) {
        return rc;
    }
    for (size_t i = 0; i < a->nparts; i++) {
        if (strcmp(a->parts[i].id, id) == 0) {
            size_t m = sio_jp_key(&c->path, "id");
            rc = sio_perr(c, DY_EINVAL, "duplicate part id \"%s\" (first used at "
                          "parts[%zu])", id, i);
            sio_jp_pop(&c->path, m);
            return rc;
        }
    }
    int parent = -1;
    json_t *pj = json_object_get(o, "parent");
    if (pj && !json_is_null(pj)) {
        size_t m = sio_jp_key(&c->path, "parent");
        if (!json_is_string(pj)) {
            rc = sio_perr(c, DY_EFORMAT, "must be a part id or null (got %s)",
                          sio_jtype(pj));
        } else {
            for (size_t i = 0; i < a->nparts && parent < 0; i++) {
                if (strcmp(a->parts[i].id, json_string_value(pj)) == 0) {
                    parent = (int)i;
                }
            }
            if (parent < 0) {
                rc = sio_perr(c, DY_ENOTFOUND, "\"%.80s\" is not an earlier part "
                              "of this character", json_string_value(pj));
            }
        }
        sio_jp_pop(&c->path, m);
        if (rc < 0) {
            return rc;
        }
    }
    struct story_part *p = story_part_add(a, id, parent);
    if (!p) {
        return sio_perr(c, DY_ELIMIT, "cannot add a part (out of memory or more "
                        "than %d parts)", STORY_MAX_PARTS);
    }
    const struct range rp[2] = {SIO_R_COORD, SIO_R_COORD};
    double pv[2] = {0, 0};
    p->rest_rotation = 0;
    p->z = 0;
    if ((rc = sio_get_vec(c, o, "pivot", false, 2, rp, pv)) < 0 ||
        (rc = sio_get_num(c, o, "rest_rotation", false, SIO_R_COORD,
                      &p->rest_rotation)) < 0 ||
        (rc = sio_get_int(c, o, "z", INT_MIN, INT_MAX, &p->z)) < 0) {
        return rc;
    }
    p->pivot_x = pv[0];
    p->pivot_y = pv[1];
    return parse_visual(c, o, false, &p->visual);
}

static int parse_character(struct pctx *c, json_t *o, struct story_actor *a)
{
    json_t *parts;
    int rc = sio_get_array(c, o, "parts", false, STORY_MAX_PARTS, &parts);
    if (rc < 0) {
        return rc;
    }
    for (size_t i = 0; parts && i < json_array_size(parts); i++) {
        size_t m = sio_jp_key(&c->path, "parts");
        sio_jp_idx(&c->path, i);
        rc = parse_part(c, json_array_get(parts, i), a);
        sio_jp_pop(&c->path, m);
        if (rc < 0) {
            return rc;
        }
    }
    json_t *pt = json_object_get(o, "part_tracks");
    if (!pt) {
        return 0;
    }
    size_t m = sio_jp_key(&c->path, "part_tracks");
    if (!json_is_object(pt)) {
        rc = sio_perr(c, DY_EFORMAT, "must be an object of part id -> keys");
    }
    const char *k;
    json_t *v;
    json_object_foreach(pt, k, v) {
        if (rc < 0) {
            break;
        }
        size_t i = 0;
        while (i < a->nparts && strcmp(a->parts[i].id, k) != 0) {
            i++;
        }
        if (i == a->nparts) {
            size_t m2 = sio_jp_key(&c->path, k);
            rc = sio_perr(c, DY_ENOTFOUND, "no part with this id");
            sio_jp_pop(&c->path, m2);
        } else {
            rc = get_track(c, pt, k, SIO_R_COORD, &a->part_rot[i]);
        }
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

static const char *const FRAME_FIELDS[] = {"start", "drawing", NULL};

static int parse_frames(struct pctx *c, json_t *arr, struct story_actor *a)
{
    double prev = -1;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        size_t m = sio_jp_idx(&c->path, i);
        json_t *f = json_array_get(arr, i);
        double start = 0;
        int rc = 0;
        if (!json_is_object(f)) {
            rc = sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(f));
        }
        if (rc == 0) {
            rc = sio_check_keys(c, f, FRAME_FIELDS);
        }
        if (rc == 0) {
            rc = sio_get_num(c, f, "start", true, SIO_R_TIME, &start);
        }
        if (rc == 0 && i > 0 && !(start > prev)) {
            size_t m2 = sio_jp_key(&c->path, "start");
            rc = sio_perr(c, DY_EINVAL, "must be > the previous frame's start "
                          "(got %g after %g)", start, prev);
            sio_jp_pop(&c->path, m2);
        }
        struct story_frame *fr = NULL;
        if (rc == 0 && !(fr = story_frame_add(a, start))) {
            rc = sio_perr(c, DY_ELIMIT, "cannot add a frame (out of memory or "
                          "more than %d frames)", STORY_MAX_FRAMES);
        }
        if (rc == 0) {
            rc = get_drawing(c, f, "drawing", &fr->drawing);
        }
        sio_jp_pop(&c->path, m);
        if (rc < 0) {
            return rc;
        }
        prev = start;
    }
    return 0;
}

static int bubble_from_name(const char *n)
{
    return strcmp(n, "none") == 0      ? STORY_BUBBLE_NONE
         : strcmp(n, "speech") == 0    ? STORY_BUBBLE_SPEECH
         : strcmp(n, "thought") == 0   ? STORY_BUBBLE_THOUGHT
                                       : -1;
}

static int parse_text_actor(struct pctx *c, json_t *o, struct story_actor *a)
{
    static const struct range rfont = {1, 2000, false};
    static const struct range rbox = {0, STORY_MAX_COORD, false};
    const struct range rt[2] = {SIO_R_COORD, SIO_R_COORD};
    double tail[2] = {a->tail_x, a->tail_y};
    int bubble = (int)a->bubble;
    int rc;
    if ((rc = sio_get_text(c, o, "text", &a->text)) < 0 ||
        (rc = sio_get_num(c, o, "font_size", false, rfont, &a->font_size)) < 0 ||
        (rc = sio_get_num(c, o, "box_width", false, rbox, &a->box_w)) < 0 ||
        (rc = sio_get_color(c, o, "color", &a->text_color)) < 0 ||
        (rc = sio_get_enum(c, o, "bubble", false, bubble_from_name,
                       "none, speech, thought", &bubble)) < 0 ||
        (rc = sio_get_color(c, o, "bubble_color", &a->bubble_color)) < 0 ||
        (rc = sio_get_vec(c, o, "tail", false, 2, rt, tail)) < 0) {
        return rc;
    }
    a->bubble = (enum story_bubble)bubble;
    a->tail_x = tail[0];
    a->tail_y = tail[1];
    return 0;
}

static int actor_kind_from_name(const char *n)
{
    return strcmp(n, "character") == 0 ? STORY_ACTOR_CHARACTER
         : strcmp(n, "drawing") == 0   ? STORY_ACTOR_DRAWING
         : strcmp(n, "image") == 0     ? STORY_ACTOR_IMAGE
         : strcmp(n, "text") == 0      ? STORY_ACTOR_TEXT
                                       : -1;
}

#define ACTOR_COMMON "id", "name", "template", "kind", "tracks"
static const char *const ACTOR_FIELDS[][16] = {
    [STORY_ACTOR_CHARACTER] = {ACTOR_COMMON, "parts", "part_tracks", NULL},
    [STORY_ACTOR_DRAWING] = {ACTOR_COMMON, "drawing", "frames", NULL},
    [STORY_ACTOR_IMAGE] = {ACTOR_COMMON, "media", "rect", NULL},
    [STORY_ACTOR_TEXT] = {ACTOR_COMMON, "text", "font_size", "box_width",
                          "color", "bubble", "bubble_color", "tail", NULL},
};

/* Value range of each property track. */
static struct range prop_range(enum story_prop p)
{
    switch (p) {
    case STORY_PROP_SCALE_X:
    case STORY_PROP_SCALE_Y:
        return (struct range){-STORY_MAX_SCALE, STORY_MAX_SCALE, false};
    case STORY_PROP_OPACITY:
    case STORY_PROP_VISIBLE:
        return (struct range){0, 1, false};
    default:
        return SIO_R_COORD;
    }
}

static const char *const TRACK_FIELDS[] = {"x", "y", "rotation", "scale_x",
                                           "scale_y", "opacity", "visible",
                                           "z", NULL};

static int parse_tracks(struct pctx *c, json_t *o, struct story_actor *a)
{
    json_t *t = json_object_get(o, "tracks");
    if (!t) {
        return 0;
    }
    size_t m = sio_jp_key(&c->path, "tracks");
    int rc = 0;
    if (!json_is_object(t)) {
        rc = sio_perr(c, DY_EFORMAT, "must be an object of property -> keys "
                      "(got %s)", sio_jtype(t));
    }
    if (rc == 0) {
        rc = sio_check_keys(c, t, TRACK_FIELDS);
    }
    for (int p = 0; rc == 0 && p < STORY_PROP_COUNT; p++) {
        rc = get_track(c, t, story_prop_name((enum story_prop)p),
                       prop_range((enum story_prop)p), &a->props[p]);
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

static int parse_actor(struct pctx *c, json_t *o, struct story_scene *sc)
{
    if (!json_is_object(o)) {
        return sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(o));
    }
    const char *id, *name, *tmpl;
    int kind = 0;
    int rc;
    if ((rc = sio_get_id(c, o, "id", &c->actors, 0, &id)) < 0 ||
        (rc = sio_get_enum(c, o, "kind", true, actor_kind_from_name,
                       "character, drawing, image, text", &kind)) < 0 ||
        (rc = sio_check_keys(c, o, ACTOR_FIELDS[kind])) < 0 ||
        (rc = sio_get_str(c, o, "name", false, STORY_MAX_TEXT, &name)) < 0 ||
        (rc = sio_get_str(c, o, "template", false, STORY_MAX_TEXT, &tmpl)) < 0) {
        return rc;
    }
    struct story_actor *a = story_actor_add(sc, id,
                                            (enum story_actor_kind)kind);
    if (!a) {
        return sio_perr(c, DY_ELIMIT, "cannot add an actor (out of memory or "
                        "more than %d actors)", STORY_MAX_ACTORS);
    }
    if ((name && !(a->name = strdup(name))) ||
        (tmpl && !(a->template_name = strdup(tmpl)))) {
        return sio_oom(c);
    }
    rc = parse_tracks(c, o, a);
    if (rc < 0) {
        return rc;
    }
    switch (a->kind) {
    case STORY_ACTOR_CHARACTER:
        return parse_character(c, o, a);
    case STORY_ACTOR_DRAWING: {
        json_t *fr;
        if (json_object_get(o, "drawing") && json_object_get(o, "frames")) {
            return sio_perr(c, DY_EFORMAT, "has both \"drawing\" and \"frames\"");
        }
        rc = sio_get_array(c, o, "frames", false, STORY_MAX_FRAMES, &fr);
        if (rc == 0 && fr) {
            size_t m = sio_jp_key(&c->path, "frames");
            rc = parse_frames(c, fr, a);
            sio_jp_pop(&c->path, m);
            return rc;
        }
        return rc < 0 ? rc : get_drawing(c, o, "drawing", &a->drawing);
    }
    case STORY_ACTOR_IMAGE:
        return parse_visual(c, o, true, &a->image);
    case STORY_ACTOR_TEXT:
        return parse_text_actor(c, o, a);
    }
    return 0;
}

/* ---- scenes ------------------------------------------------------------- */

static const char *const CAPTION_FIELDS[] = {"start", "end", "text", NULL};
static const char *const AUDIO_FIELDS[] = {"media", "start", "volume", "trim",
                                           NULL};

static int parse_caption(struct pctx *c, json_t *o, struct story_scene *sc)
{
    if (!json_is_object(o)) {
        return sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(o));
    }
    double start = 0, end = 0;
    int rc;
    if ((rc = sio_check_keys(c, o, CAPTION_FIELDS)) < 0 ||
        (rc = sio_get_num(c, o, "start", true, SIO_R_TIME, &start)) < 0 ||
        (rc = sio_get_num(c, o, "end", true, SIO_R_TIME, &end)) < 0) {
        return rc;
    }
    if (!(end > start)) {
        size_t m = sio_jp_key(&c->path, "end");
        rc = sio_perr(c, DY_ERANGE, "must be > start (got %g, start %g)", end,
                      start);
        sio_jp_pop(&c->path, m);
        return rc;
    }
    struct story_caption *cap = story_caption_add(sc, start, end);
    if (!cap) {
        return sio_perr(c, DY_ELIMIT, "cannot add a caption (out of memory or "
                        "more than %d captions)", STORY_MAX_CAPTIONS);
    }
    return sio_get_text(c, o, "text", &cap->text);
}

static int parse_audio(struct pctx *c, json_t *o, struct story_scene *sc)
{
    if (!json_is_object(o)) {
        return sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(o));
    }
    static const struct range rvol = {0, 4, false};
    static const struct range rtrim = {0, 7200, false};
    char *media = NULL;
    double start = 0, volume = 1, trim = 0;
    int rc;
    if ((rc = sio_check_keys(c, o, AUDIO_FIELDS)) < 0 ||
        (rc = sio_get_media_ref(c, o, "media", true, true, &media)) < 0 ||
        (rc = sio_get_num(c, o, "start", false, SIO_R_TIME, &start)) < 0 ||
        (rc = sio_get_num(c, o, "volume", false, rvol, &volume)) < 0 ||
        (rc = sio_get_num(c, o, "trim", false, rtrim, &trim)) < 0) {
        free(media);
        return rc;
    }
    struct story_audio *au = story_audio_add(sc, media, start, volume);
    free(media);
    if (!au) {
        return sio_perr(c, DY_ELIMIT, "cannot add an audio clip (out of memory or "
                        "more than %d clips)", STORY_MAX_AUDIO);
    }
    au->trim_s = trim;
    return 0;
}

/* Runs `fn` on every element of array member `k` with the path extended. */
static int each(struct pctx *c, json_t *o, const char *k, size_t max,
                int (*fn)(struct pctx *, json_t *, struct story_scene *),
                struct story_scene *sc)
{
    json_t *a;
    int rc = sio_get_array(c, o, k, false, max, &a);
    for (size_t i = 0; rc == 0 && a && i < json_array_size(a); i++) {
        size_t m = sio_jp_key(&c->path, k);
        sio_jp_idx(&c->path, i);
        rc = fn(c, json_array_get(a, i), sc);
        sio_jp_pop(&c->path, m);
    }
    return rc;
}

static const char *const SCENE_FIELDS[] = {"id", "title", "duration",
                                           "background", "background_media",
                                           "camera", "actors", "captions",
                                           "audio", NULL};
static const char *const CAMERA_FIELDS[] = {"x", "y", "zoom", NULL};

static int parse_camera(struct pctx *c, json_t *o, struct story_scene *sc)
{
    json_t *cam = json_object_get(o, "camera");
    if (!cam) {
        return 0;
    }
    size_t m = sio_jp_key(&c->path, "camera");
    int rc = 0;
    static const struct range rzoom = {0.01, 100, false};
    if (!json_is_object(cam)) {
        rc = sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(cam));
    }
    if (rc == 0) {
        rc = sio_check_keys(c, cam, CAMERA_FIELDS);
    }
    if (rc == 0) {
        rc = get_track(c, cam, "x", SIO_R_COORD, &sc->camera[STORY_CAM_X]);
    }
    if (rc == 0) {
        rc = get_track(c, cam, "y", SIO_R_COORD, &sc->camera[STORY_CAM_Y]);
    }
    if (rc == 0) {
        rc = get_track(c, cam, "zoom", rzoom, &sc->camera[STORY_CAM_ZOOM]);
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

static int parse_scene(struct pctx *c, json_t *o)
{
    if (!json_is_object(o)) {
        return sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(o));
    }
    static const struct range rdur = {0, STORY_MAX_DURATION_S, true};
    const char *id;
    int rc;
    if ((rc = sio_check_keys(c, o, SCENE_FIELDS)) < 0 ||
        (rc = sio_get_id(c, o, "id", &c->scenes, 0, &id)) < 0) {
        return rc;
    }
    struct story_scene *sc = story_scene_add(c->s, id);
    if (!sc) {
        return sio_perr(c, DY_ELIMIT, "cannot add a scene (out of memory or more "
                        "than %d scenes)", STORY_MAX_SCENES);
    }
    if ((rc = sio_get_text(c, o, "title", &sc->title)) < 0 ||
        (rc = sio_get_num(c, o, "duration", true, rdur, &sc->duration_s)) < 0 ||
        (rc = sio_get_color(c, o, "background", &sc->background)) < 0 ||
        (rc = sio_get_media_ref(c, o, "background_media", false, false,
                            &sc->background_media)) < 0 ||
        (rc = parse_camera(c, o, sc)) < 0 ||
        (rc = each(c, o, "actors", STORY_MAX_ACTORS, parse_actor, sc)) < 0 ||
        (rc = each(c, o, "captions", STORY_MAX_CAPTIONS, parse_caption,
                   sc)) < 0 ||
        (rc = each(c, o, "audio", STORY_MAX_AUDIO, parse_audio, sc)) < 0) {
        return rc;
    }
    return 0;
}

/* ---- media and top level ------------------------------------------------ */

static const char *const MEDIA_FIELDS[] = {"id", "path", "kind", NULL};

static int media_kind_from_name(const char *n)
{
    return strcmp(n, "image") == 0 ? STORY_MEDIA_IMAGE
         : strcmp(n, "svg") == 0   ? STORY_MEDIA_SVG
         : strcmp(n, "audio") == 0 ? STORY_MEDIA_AUDIO
                                   : -1;
}

static int parse_media(struct pctx *c, json_t *o)
{
    if (!json_is_object(o)) {
        return sio_perr(c, DY_EFORMAT, "must be an object (got %s)", sio_jtype(o));
    }
    const char *id, *path;
    int kind = 0;
    int rc;
    if ((rc = sio_check_keys(c, o, MEDIA_FIELDS)) < 0 ||
        (rc = sio_get_id(c, o, "id", &c->media, (int)c->s->nmedia, &id)) < 0 ||
        (rc = sio_get_str(c, o, "path", true, 1024, &path)) < 0 ||
        (rc = sio_get_enum(c, o, "kind", true, media_kind_from_name,
                       "image, svg, audio", &kind)) < 0) {
        return rc;
    }
    size_t m = sio_jp_key(&c->path, "path");
    const char *first = NULL;
    if (!sio_media_path_ok(path)) {
        rc = sio_perr(c, DY_EFORMAT, "\"%.200s\" must be a file under media/ "
                      "(relative, no \"..\", \"\\\" or \":\")", path);
    } else if (sio_idset_get(&c->paths, path, &first) >= 0) {
        rc = sio_perr(c, DY_EINVAL, "duplicate path \"%.200s\" (first used at %s)",
                      path, first);
    } else if (sio_idset_put(&c->paths, path, 0, c->path.s) < 0) {
        rc = sio_oom(c);
    }
    uint8_t *data = NULL;
    size_t size = 0;
    if (rc == 0 && !c->ms) {
        rc = sio_perr(c, DY_ENOTFOUND, "\"%.200s\": no media can be read here "
                      "(story.json given without a directory)", path);
    } else if (rc == 0) {
        rc = c->ms->read(c->ms->ctx, path, &data, &size, c->err);
        if (rc < 0) {
            /* The reader said what is wrong; this says where. */
            char msg[DY_ERR_MSG_MAX];
            snprintf(msg, sizeof(msg), "%s", c->err->msg);
            sio_perr(c, rc, "%s", msg);
        }
    }
    sio_jp_pop(&c->path, m);
    if (rc < 0) {
        return rc;
    }
    struct story_media *me = story_media_add(c->s, id, path,
                                             (enum story_media_kind)kind, data,
                                             size);
    free(data);
    if (!me) {
        return sio_perr(c, DY_ELIMIT, "cannot add media (out of memory or more "
                        "than %d files)", STORY_MAX_MEDIA);
    }
    return 0;
}

static const char *const TOP_FIELDS[] = {"format", "version", "title",
                                         "author", "width", "height", "media",
                                         "scenes", NULL};

static int parse_top(struct pctx *c, json_t *root)
{
    const char *author;
    json_t *scenes;
    static const struct range rcanvas = {16, STORY_MAX_CANVAS, false};
    int rc;
    if ((rc = sio_check_keys(c, root, TOP_FIELDS)) < 0 ||
        (rc = sio_get_text(c, root, "title", &c->s->title)) < 0 ||
        (rc = sio_get_str(c, root, "author", false, STORY_MAX_TEXT, &author)) < 0 ||
        (rc = sio_get_num(c, root, "width", false, rcanvas, &c->s->width)) < 0 ||
        (rc = sio_get_num(c, root, "height", false, rcanvas, &c->s->height)) < 0) {
        return rc;
    }
    if (author && !(c->s->author = strdup(author))) {
        return sio_oom(c);
    }
    json_t *media;
    rc = sio_get_array(c, root, "media", false, STORY_MAX_MEDIA, &media);
    for (size_t i = 0; rc == 0 && media && i < json_array_size(media); i++) {
        size_t m = sio_jp_key(&c->path, "media");
        sio_jp_idx(&c->path, i);
        rc = parse_media(c, json_array_get(media, i));
        sio_jp_pop(&c->path, m);
    }
    if (rc == 0) {
        rc = sio_get_array(c, root, "scenes", true, STORY_MAX_SCENES, &scenes);
    }
    if (rc == 0 && json_array_size(scenes) == 0) {
        size_t m = sio_jp_key(&c->path, "scenes");
        rc = sio_perr(c, DY_EFORMAT, "must hold at least one scene");
        sio_jp_pop(&c->path, m);
    }
    for (size_t i = 0; rc == 0 && i < json_array_size(scenes); i++) {
        size_t m = sio_jp_key(&c->path, "scenes");
        sio_jp_idx(&c->path, i);
        rc = parse_scene(c, json_array_get(scenes, i));
        sio_jp_pop(&c->path, m);
    }
    return rc;
}

/* Checks "format" and "version", migrating older documents in place. */
static int parse_header(struct pctx *c, json_t *root, int *version)
{
    const char *fmt;
    int rc = sio_get_str(c, root, "format", true, 64, &fmt);
    if (rc < 0) {
        return rc;
    }
    if (strcmp(fmt, "daryn-story") != 0) {
        size_t m = sio_jp_key(&c->path, "format");
        rc = sio_perr(c, DY_EUNSUPPORTED, "unknown format \"%.64s\" (expected "
                      "\"daryn-story\")", fmt);
        sio_jp_pop(&c->path, m);
        return rc;
    }
    json_t *vj = json_object_get(root, "version");
    size_t m = sio_jp_key(&c->path, "version");
    if (!vj) {
        rc = sio_perr(c, DY_EFORMAT, "is required");
    } else if (!json_is_integer(vj)) {
        rc = sio_perr(c, DY_EFORMAT, "must be an integer (got %s)", sio_jtype(vj));
    } else if (json_integer_value(vj) < 0) {
        rc = sio_perr(c, DY_ERANGE, "must be >= 0 (got %lld)",
                      (long long)json_integer_value(vj));
    } else if (json_integer_value(vj) > STORY_SCHEMA_VERSION) {
        rc = sio_perr(c, DY_EUNSUPPORTED, "was made by a newer Daryn (version %lld; "
                      "this one reads up to %d)",
                      (long long)json_integer_value(vj), STORY_SCHEMA_VERSION);
    } else {
        *version = (int)json_integer_value(vj);
    }
    sio_jp_pop(&c->path, m);
    if (rc == 0 && *version < STORY_SCHEMA_VERSION) {
        rc = sio_migrate(root, *version, c->err);
    }
    return rc;
}

int sio_json_parse(const char *text, size_t len, const struct sio_names *nm,
                   const struct sio_media_src *ms, struct story **out,
                   struct dy_err *err)
{
    struct pctx c = {.err = err, .ms = ms};
    json_error_t je;
    int rc = 0;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        char where[DY_ERR_WHERE_MAX];
        snprintf(where, sizeof(where), "%.400s:%d:%d", nm->json_label, je.line,
                 je.column);
        return dy_err_set(err,
                          json_error_code(&je) == json_error_out_of_memory
                              ? DY_ENOMEM : DY_EFORMAT,
                          where, "syntax error: %s", je.text);
    }
    if (!json_is_object(root)) {
        rc = dy_err_set(err, DY_EFORMAT, "", "the top level must be an "
                        "object (got %s)", sio_jtype(root));
        goto fail;
    }
    int version = STORY_SCHEMA_VERSION;
    c.s = story_create();
    if (!c.s) {
        rc = sio_oom(&c);
        goto fail;
    }
    if ((rc = parse_header(&c, root, &version)) < 0 ||
        (rc = parse_top(&c, root)) < 0) {
        goto fail;
    }
    c.s->version = version;
    rc = story_validate(c.s, err);
    if (rc < 0) {
        goto fail;
    }
    sio_idset_fini(&c.media);
    sio_idset_fini(&c.paths);
    sio_idset_fini(&c.scenes);
    sio_idset_fini(&c.actors);
    json_decref(root);
    *out = c.s;
    return 0;
fail:
    if (nm->file) {
        sio_err_prefix(err, nm->file);
    }
    sio_idset_fini(&c.media);
    sio_idset_fini(&c.paths);
    sio_idset_fini(&c.scenes);
    sio_idset_fini(&c.actors);
    story_destroy(c.s);
    json_decref(root);
    return rc;
}
