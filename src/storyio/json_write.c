/* json_write.c: struct story -> canonical story.json text.
 *
 * Written by hand rather than through jansson's dumper so that the output is
 * fully ours to pin down: fixed key order, 2-space indentation with small
 * objects on one line, and numbers in the shortest form that reads back to
 * the same double (jansson's JSON_REAL_PRECISION(17) prints 0.1 as
 * 0.10000000000000001). Together these make load -> save -> load -> save
 * byte-identical. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/storyio.h"
#include "storyio_internal.h"

#define JW_MAX_DEPTH 32

struct jw {
    char *buf;
    size_t n, cap;
    bool oom;
    bool bad_utf8;
    bool too_long;   /* a string the loader would refuse (> STORY_MAX_TEXT) */
    bool after_key;
    int depth;
    struct {
        bool inl;   /* items on one line, ", " between them */
        bool first; /* no item written yet */
    } st[JW_MAX_DEPTH];
};

static void jw_raw(struct jw *w, const char *s, size_t len)
{
    if (w->oom) {
        return;
    }
    if (w->n + len + 1 > w->cap) {
        size_t ncap = w->cap ? w->cap : 4096;
        while (ncap < w->n + len + 1) {
            ncap *= 2;
        }
        char *nb = realloc(w->buf, ncap);
        if (!nb) {
            w->oom = true;
            return;
        }
        w->buf = nb;
        w->cap = ncap;
    }
    memcpy(w->buf + w->n, s, len);
    w->n += len;
    w->buf[w->n] = 0;
}

static void jw_lit(struct jw *w, const char *s)
{
    jw_raw(w, s, strlen(s));
}

/* Separator and indentation before the next item of the open container. */
static void jw_next(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) {
        return;
    }
    bool inl = w->st[w->depth - 1].inl;
    bool first = w->st[w->depth - 1].first;
    w->st[w->depth - 1].first = false;
    if (!first) {
        jw_lit(w, inl ? ", " : ",");
    }
    if (!inl) {
        jw_lit(w, "\n");
        for (int i = 0; i < w->depth; i++) {
            jw_lit(w, "  ");
        }
    }
}

/* Opens '{' or '['; containers inside an inline one are inline too. */
static void jw_open(struct jw *w, char ch, bool inl)
{
    jw_next(w);
    char s[2] = {ch, 0};
    jw_lit(w, s);
    if (w->depth > 0 && w->st[w->depth - 1].inl) {
        inl = true;
    }
    if (w->depth < JW_MAX_DEPTH) {
        w->st[w->depth].inl = inl;
        w->st[w->depth].first = true;
    }
    w->depth++;
}

static void jw_close(struct jw *w, char ch)
{
    w->depth--;
    if (w->depth < JW_MAX_DEPTH && !w->st[w->depth].inl &&
        !w->st[w->depth].first) {
        jw_lit(w, "\n");
        for (int i = 0; i < w->depth; i++) {
            jw_lit(w, "  ");
        }
    }
    char s[2] = {ch, 0};
    jw_lit(w, s);
}

/* A quoted, escaped string (no separator). */
static void jw_strbody(struct jw *w, const char *s)
{
    if (strlen(s) > STORY_MAX_TEXT) {
        w->too_long = true;
    }
    jw_lit(w, "\"");
    const char *run = s;
    while (*s) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x80) {
            size_t n = story_utf8_len(s);
            if (n == 0) {
                w->bad_utf8 = true;
                return;
            }
            s += n;
            continue;
        }
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            s++;
            continue;
        }
        jw_raw(w, run, (size_t)(s - run));
        char esc[8];
        switch (ch) {
        case '"': jw_lit(w, "\\\""); break;
        case '\\': jw_lit(w, "\\\\"); break;
        case '\n': jw_lit(w, "\\n"); break;
        case '\t': jw_lit(w, "\\t"); break;
        case '\r': jw_lit(w, "\\r"); break;
        default:
            snprintf(esc, sizeof(esc), "\\u%04x", ch);
            jw_lit(w, esc);
        }
        run = ++s;
    }
    jw_raw(w, run, (size_t)(s - run));
    jw_lit(w, "\"");
}

static void jw_str(struct jw *w, const char *s)
{
    jw_next(w);
    jw_strbody(w, s);
}

static void jw_key(struct jw *w, const char *k)
{
    jw_next(w);
    jw_strbody(w, k);
    jw_lit(w, ": ");
    w->after_key = true;
}

/* Shortest decimal that reads back as exactly v. Integers print as such;
 * otherwise try 15, 16, then 17 significant digits (17 always round-trips;
 * %g trims trailing zeros, so 15 gives the short form of short decimals).
 * -0 prints as 0, which reads back as 0 and keeps the second save equal to
 * the first. The caller runs in the "C" locale. */
static int fmt_num(char *b, size_t size, double v)
{
    if (v == 0) {
        return snprintf(b, size, "0");
    }
    if (fabs(v) < 1e15 && v == floor(v)) {
        return snprintf(b, size, "%lld", (long long)v);
    }
    int n = 0;
    for (int p = 15; p <= 17; p++) {
        n = snprintf(b, size, "%.*g", p, v);
        if (strtod(b, NULL) == v) {
            break;
        }
    }
    return n;
}

static void jw_num(struct jw *w, double v)
{
    char b[40];
    jw_next(w);
    int n = fmt_num(b, sizeof(b), v);
    jw_raw(w, b, (size_t)n);
}

static void jw_int(struct jw *w, long long v)
{
    char b[32];
    jw_next(w);
    int n = snprintf(b, sizeof(b), "%lld", v);
    jw_raw(w, b, (size_t)n);
}

static void jw_bool(struct jw *w, bool v)
{
    jw_next(w);
    jw_lit(w, v ? "true" : "false");
}

static void jw_null(struct jw *w)
{
    jw_next(w);
    jw_lit(w, "null");
}

static int color_byte(float c)
{
    double v = c < 0 ? 0 : c > 1 ? 1 : (double)c;
    return (int)lround(v * 255.0);
}

static void jw_color(struct jw *w, struct story_color c)
{
    char b[16];
    int a = color_byte(c.a);
    if (a == 255) {
        snprintf(b, sizeof(b), "#%02x%02x%02x", color_byte(c.r),
                 color_byte(c.g), color_byte(c.b));
    } else {
        snprintf(b, sizeof(b), "#%02x%02x%02x%02x", color_byte(c.r),
                 color_byte(c.g), color_byte(c.b), a);
    }
    jw_str(w, b);
}

/* ---- story parts -------------------------------------------------------- */

static void put_text(struct jw *w, const char *key, const struct story_text *t)
{
    bool any = false;
    for (int l = 0; l < STORY_LANG_COUNT; l++) {
        any = any || t->s[l];
    }
    if (!any) {
        return;
    }
    jw_key(w, key);
    jw_open(w, '{', true);
    for (int l = 0; l < STORY_LANG_COUNT; l++) {
        if (t->s[l]) {
            jw_key(w, story_lang_code((enum story_lang)l));
            jw_str(w, t->s[l]);
        }
    }
    jw_close(w, '}');
}

static void put_track(struct jw *w, const char *key,
                      const struct key_track *tr)
{
    if (tr->n == 0) {
        return;
    }
    jw_key(w, key);
    jw_open(w, '[', false);
    for (size_t i = 0; i < tr->n; i++) {
        jw_open(w, '{', true);
        jw_key(w, "time");
        jw_num(w, tr->keys[i].time_s);
        jw_key(w, "value");
        jw_num(w, tr->keys[i].value);
        jw_key(w, "ease");
        jw_str(w, key_ease_name(tr->keys[i].ease));
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void put_drawing(struct jw *w, const char *key,
                        const struct story_drawing *d)
{
    jw_key(w, key);
    jw_open(w, '[', false);
    for (size_t i = 0; i < d->n; i++) {
        const struct story_shape *sh = &d->shapes[i];
        bool stroke = sh->kind == STORY_SHAPE_STROKE;
        jw_open(w, '{', false);
        jw_key(w, "type");
        jw_str(w, stroke ? "stroke" : "fill");
        jw_key(w, "color");
        jw_color(w, sh->color);
        if (stroke) {
            jw_key(w, "closed");
            jw_bool(w, sh->closed);
        } else {
            jw_key(w, "line");
            jw_color(w, sh->line);
            jw_key(w, "line_width");
            jw_num(w, sh->line_w);
        }
        jw_key(w, "smooth");
        jw_bool(w, sh->smooth);
        jw_key(w, "points");
        jw_open(w, '[', true);
        for (size_t p = 0; p < sh->n; p++) {
            jw_open(w, '[', true);
            jw_num(w, sh->pts[p].x);
            jw_num(w, sh->pts[p].y);
            if (stroke) {
                jw_num(w, sh->pts[p].w);
            }
            jw_close(w, ']');
        }
        jw_close(w, ']');
        jw_close(w, '}');
    }
    jw_close(w, ']');
}

static void put_vec(struct jw *w, const char *key, const double *v, size_t n)
{
    jw_key(w, key);
    jw_open(w, '[', true);
    for (size_t i = 0; i < n; i++) {
        jw_num(w, v[i]);
    }
    jw_close(w, ']');
}

static void put_visual(struct jw *w, const struct story_visual *v)
{
    if (v->media_id) {
        jw_key(w, "media");
        jw_str(w, v->media_id);
        put_vec(w, "rect", (const double[]){v->x, v->y, v->w, v->h}, 4);
    } else {
        put_drawing(w, "drawing", &v->drawing);
    }
}

static void put_parts(struct jw *w, const struct story_actor *a)
{
    jw_key(w, "parts");
    jw_open(w, '[', false);
    for (size_t i = 0; i < a->nparts; i++) {
        const struct story_part *p = &a->parts[i];
        jw_open(w, '{', false);
        jw_key(w, "id");
        jw_str(w, p->id);
        jw_key(w, "parent");
        if (p->parent >= 0 && (size_t)p->parent < a->nparts) {
            jw_str(w, a->parts[p->parent].id);
        } else {
            jw_null(w);
        }
        put_vec(w, "pivot", (const double[]){p->pivot_x, p->pivot_y}, 2);
        jw_key(w, "rest_rotation");
        jw_num(w, p->rest_rotation);
        jw_key(w, "z");
        jw_int(w, p->z);
        put_visual(w, &p->visual);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    bool any = false;
    for (size_t i = 0; i < a->nparts; i++) {
        any = any || a->part_rot[i].n > 0;
    }
    if (any) {
        jw_key(w, "part_tracks");
        jw_open(w, '{', false);
        for (size_t i = 0; i < a->nparts; i++) {
            put_track(w, a->parts[i].id, &a->part_rot[i]);
        }
        jw_close(w, '}');
    }
}

static const char *const ACTOR_KIND[] = {"character", "drawing", "image",
                                         "text"};
static const char *const BUBBLE[] = {"none", "speech", "thought"};

static void put_actor(struct jw *w, const struct story_actor *a)
{
    jw_open(w, '{', false);
    jw_key(w, "id");
    jw_str(w, a->id);
    if (a->name) {
        jw_key(w, "name");
        jw_str(w, a->name);
    }
    if (a->template_name) {
        jw_key(w, "template");
        jw_str(w, a->template_name);
    }
    jw_key(w, "kind");
    jw_str(w, ACTOR_KIND[a->kind]);
    bool any = false;
    for (int p = 0; p < STORY_PROP_COUNT; p++) {
        any = any || a->props[p].n > 0;
    }
    if (any) {
        jw_key(w, "tracks");
        jw_open(w, '{', false);
        for (int p = 0; p < STORY_PROP_COUNT; p++) {
            put_track(w, story_prop_name((enum story_prop)p), &a->props[p]);
        }
        jw_close(w, '}');
    }
    switch (a->kind) {
    case STORY_ACTOR_CHARACTER:
        put_parts(w, a);
        break;
    case STORY_ACTOR_DRAWING:
        if (a->nframes == 0) {
            put_drawing(w, "drawing", &a->drawing);
            break;
        }
        jw_key(w, "frames");
        jw_open(w, '[', false);
        for (size_t i = 0; i < a->nframes; i++) {
            jw_open(w, '{', false);
            jw_key(w, "start");
            jw_num(w, a->frames[i].start_s);
            put_drawing(w, "drawing", &a->frames[i].drawing);
            jw_close(w, '}');
        }
        jw_close(w, ']');
        break;
    case STORY_ACTOR_IMAGE:
        put_visual(w, &a->image);
        break;
    case STORY_ACTOR_TEXT:
        put_text(w, "text", &a->text);
        jw_key(w, "font_size");
        jw_num(w, a->font_size);
        jw_key(w, "box_width");
        jw_num(w, a->box_w);
        jw_key(w, "color");
        jw_color(w, a->text_color);
        jw_key(w, "bubble");
        jw_str(w, BUBBLE[a->bubble]);
        jw_key(w, "bubble_color");
        jw_color(w, a->bubble_color);
        put_vec(w, "tail", (const double[]){a->tail_x, a->tail_y}, 2);
        break;
    }
    jw_close(w, '}');
}

static void put_scene(struct jw *w, const struct story_scene *sc)
{
    jw_open(w, '{', false);
    jw_key(w, "id");
    jw_str(w, sc->id);
    put_text(w, "title", &sc->title);
    jw_key(w, "duration");
    jw_num(w, sc->duration_s);
    jw_key(w, "background");
    jw_color(w, sc->background);
    if (sc->background_media) {
        jw_key(w, "background_media");
        jw_str(w, sc->background_media);
    }
    static const char *const cam[STORY_CAM_COUNT] = {"x", "y", "zoom"};
    bool any = false;
    for (int i = 0; i < STORY_CAM_COUNT; i++) {
        any = any || sc->camera[i].n > 0;
    }
    if (any) {
        jw_key(w, "camera");
        jw_open(w, '{', false);
        for (int i = 0; i < STORY_CAM_COUNT; i++) {
            put_track(w, cam[i], &sc->camera[i]);
        }
        jw_close(w, '}');
    }
    jw_key(w, "actors");
    jw_open(w, '[', false);
    for (size_t i = 0; i < sc->nactors; i++) {
        put_actor(w, &sc->actors[i]);
    }
    jw_close(w, ']');
    jw_key(w, "captions");
    jw_open(w, '[', false);
    for (size_t i = 0; i < sc->ncaptions; i++) {
        jw_open(w, '{', true);
        jw_key(w, "start");
        jw_num(w, sc->captions[i].start_s);
        jw_key(w, "end");
        jw_num(w, sc->captions[i].end_s);
        put_text(w, "text", &sc->captions[i].text);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_key(w, "audio");
    jw_open(w, '[', false);
    for (size_t i = 0; i < sc->naudio; i++) {
        const struct story_audio *au = &sc->audio[i];
        jw_open(w, '{', true);
        jw_key(w, "media");
        jw_str(w, au->media_id ? au->media_id : "");
        jw_key(w, "start");
        jw_num(w, au->start_s);
        jw_key(w, "volume");
        jw_num(w, au->volume);
        jw_key(w, "trim");
        jw_num(w, au->trim_s);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

static const char *const MEDIA_KIND[] = {"image", "svg", "audio"};

static void put_story(struct jw *w, const struct story *s)
{
    jw_open(w, '{', false);
    jw_key(w, "format");
    jw_str(w, "daryn-story");
    jw_key(w, "version");
    jw_int(w, STORY_SCHEMA_VERSION);
    put_text(w, "title", &s->title);
    if (s->author) {
        jw_key(w, "author");
        jw_str(w, s->author);
    }
    jw_key(w, "width");
    jw_num(w, s->width);
    jw_key(w, "height");
    jw_num(w, s->height);
    jw_key(w, "media");
    jw_open(w, '[', false);
    for (size_t i = 0; i < s->nmedia; i++) {
        jw_open(w, '{', true);
        jw_key(w, "id");
        jw_str(w, s->media[i].id);
        jw_key(w, "path");
        jw_str(w, s->media[i].path);
        jw_key(w, "kind");
        jw_str(w, MEDIA_KIND[s->media[i].kind]);
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_key(w, "scenes");
    jw_open(w, '[', false);
    for (size_t i = 0; i < s->nscenes; i++) {
        put_scene(w, &s->scenes[i]);
    }
    jw_close(w, ']');
    jw_close(w, '}');
    jw_lit(w, "\n");
}

/* Enums are indexes into name tables above; a corrupt model must not make
 * the writer read past them. */
static bool enums_in_range(const struct story *s)
{
    for (size_t i = 0; i < s->nmedia; i++) {
        if ((unsigned)s->media[i].kind > STORY_MEDIA_AUDIO || !s->media[i].id ||
            !s->media[i].path) {
            return false;
        }
    }
    for (size_t i = 0; i < s->nscenes; i++) {
        const struct story_scene *sc = &s->scenes[i];
        if (!sc->id) {
            return false;
        }
        for (size_t j = 0; j < sc->nactors; j++) {
            const struct story_actor *a = &sc->actors[j];
            if (!a->id || (unsigned)a->kind > STORY_ACTOR_TEXT ||
                (unsigned)a->bubble > STORY_BUBBLE_THOUGHT) {
                return false;
            }
            for (size_t p = 0; p < a->nparts; p++) {
                if (!a->parts[p].id) {
                    return false;
                }
            }
        }
    }
    return true;
}

int sio_json_write(const struct story *s, char **out, size_t *len,
                   struct dy_err *err)
{
    if (!enums_in_range(s)) {
        return dy_err_set(err, DY_EINVAL, NULL, "the story has a missing id "
                          "or an unknown kind (run story_validate())");
    }
    /* Numbers must use '.', whatever locale the studio set for its UI. */
    locale_t cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!cloc) {
        return dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
    }
    locale_t old = uselocale(cloc);
    struct jw w = {0};
    put_story(&w, s);
    uselocale(old);
    freelocale(cloc);
    if (w.oom || w.bad_utf8 || w.too_long) {
        free(w.buf);
        if (w.oom) {
            return dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
        }
        return dy_err_set(err, DY_EINVAL, NULL, w.bad_utf8
                          ? "a text is not valid UTF-8"
                          : "a text is longer than %d bytes", STORY_MAX_TEXT);
    }
    *out = w.buf;
    if (len) {
        *len = w.n;
    }
    return 0;
}

int storyio_json_dump(const struct story *s, char **out_json, size_t *len,
                      struct dy_err *err)
{
    return sio_json_write(s, out_json, len, err);
}
