/* story.c: building and freeing the story model. */
#include <stdlib.h>
#include <string.h>

#include "daryn/story.h"

static const char *const lang_codes[STORY_LANG_COUNT] = {"kk", "ru", "en"};

const char *story_lang_code(enum story_lang lang)
{
    return (unsigned)lang < STORY_LANG_COUNT ? lang_codes[lang] : "?";
}

int story_lang_from_code(const char *code)
{
    if (!code)
        return -1;
    for (int i = 0; i < STORY_LANG_COUNT; i++)
        if (strcmp(code, lang_codes[i]) == 0)
            return i;
    return -1;
}

size_t story_utf8_len(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0], cp;
    size_t n;
    if (c < 0x80)
        return 1;
    if ((c & 0xe0) == 0xc0) {
        n = 2;
        cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0; /* also stops at the NUL */
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

bool story_utf8_valid(const char *s)
{
    while (*s) {
        size_t n = story_utf8_len(s);
        if (n == 0)
            return false;
        s += n;
    }
    return true;
}

const char *story_text_get(const struct story_text *t, enum story_lang lang)
{
    if ((unsigned)lang < STORY_LANG_COUNT && t->s[lang] && t->s[lang][0])
        return t->s[lang];
    static const enum story_lang fallback[] = {STORY_LANG_EN, STORY_LANG_RU, STORY_LANG_KK};
    for (size_t i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++)
        if (t->s[fallback[i]] && t->s[fallback[i]][0])
            return t->s[fallback[i]];
    return "";
}

int story_text_set(struct story_text *t, enum story_lang lang, const char *s)
{
    if ((unsigned)lang >= STORY_LANG_COUNT)
        return DY_EINVAL;
    char *copy = NULL;
    if (s) {
        copy = strdup(s);
        if (!copy)
            return DY_ENOMEM;
    }
    free(t->s[lang]);
    t->s[lang] = copy;
    return 0;
}

static void story_text_fini(struct story_text *t)
{
    for (int i = 0; i < STORY_LANG_COUNT; i++) {
        free(t->s[i]);
        t->s[i] = NULL;
    }
}

static const char *const prop_names[STORY_PROP_COUNT] = {
    "x", "y", "rotation", "scale_x", "scale_y", "opacity", "visible", "z",
};
static const double prop_defaults[STORY_PROP_COUNT] = {0, 0, 0, 1, 1, 1, 1, 0};

const char *story_prop_name(enum story_prop p)
{
    return (unsigned)p < STORY_PROP_COUNT ? prop_names[p] : "?";
}

int story_prop_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < STORY_PROP_COUNT; i++)
        if (strcmp(name, prop_names[i]) == 0)
            return i;
    return -1;
}

double story_prop_default(enum story_prop p)
{
    return (unsigned)p < STORY_PROP_COUNT ? prop_defaults[p] : 0.0;
}

/* Grows a (ptr, n, cap) array by one zeroed element; returns it or NULL. */
static void *grow(void **ptr, size_t *n, size_t *cap, size_t elem, size_t max)
{
    if (*n >= max)
        return NULL;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        if (ncap > max)
            ncap = max;
        void *p = realloc(*ptr, ncap * elem);
        if (!p)
            return NULL;
        *ptr = p;
        *cap = ncap;
    }
    void *e = (char *)*ptr + (*n) * elem;
    memset(e, 0, elem);
    (*n)++;
    return e;
}

#define GROW(arr, n, cap, max) grow((void **)&(arr), &(n), &(cap), sizeof(*(arr)), (max))

struct story *story_create(void)
{
    struct story *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->version = STORY_SCHEMA_VERSION;
    s->width = 1920;
    s->height = 1080;
    return s;
}

void story_drawing_fini(struct story_drawing *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->shapes[i].pts);
    free(d->shapes);
    *d = (struct story_drawing){0};
}

int story_drawing_copy(struct story_drawing *dst, const struct story_drawing *src)
{
    *dst = (struct story_drawing){0};
    if (src->n == 0)
        return 0;
    dst->shapes = calloc(src->n, sizeof(*dst->shapes));
    if (!dst->shapes)
        return DY_ENOMEM;
    dst->cap = src->n;
    for (size_t i = 0; i < src->n; i++) {
        struct story_shape *d = &dst->shapes[i];
        *d = src->shapes[i];
        d->pts = NULL;
        d->n = d->cap = 0;
        dst->n = i + 1;
        if (src->shapes[i].n) {
            d->pts = malloc(src->shapes[i].n * sizeof(*d->pts));
            if (!d->pts) {
                story_drawing_fini(dst);
                return DY_ENOMEM;
            }
            memcpy(d->pts, src->shapes[i].pts, src->shapes[i].n * sizeof(*d->pts));
            d->n = d->cap = src->shapes[i].n;
        }
    }
    return 0;
}

static void story_visual_fini(struct story_visual *v)
{
    story_drawing_fini(&v->drawing);
    free(v->media_id);
    v->media_id = NULL;
}

static void story_actor_fini(struct story_actor *a)
{
    free(a->id);
    free(a->name);
    free(a->template_name);
    for (int p = 0; p < STORY_PROP_COUNT; p++)
        key_track_fini(&a->props[p]);
    for (size_t i = 0; i < a->nparts; i++) {
        free(a->parts[i].id);
        story_visual_fini(&a->parts[i].visual);
        key_track_fini(&a->part_rot[i]);
    }
    free(a->parts);
    free(a->part_rot);
    story_drawing_fini(&a->drawing);
    for (size_t i = 0; i < a->nframes; i++)
        story_drawing_fini(&a->frames[i].drawing);
    free(a->frames);
    story_visual_fini(&a->image);
    story_text_fini(&a->text);
}

static void story_scene_fini(struct story_scene *sc)
{
    free(sc->id);
    story_text_fini(&sc->title);
    free(sc->background_media);
    for (int c = 0; c < STORY_CAM_COUNT; c++)
        key_track_fini(&sc->camera[c]);
    for (size_t i = 0; i < sc->nactors; i++)
        story_actor_fini(&sc->actors[i]);
    free(sc->actors);
    for (size_t i = 0; i < sc->ncaptions; i++)
        story_text_fini(&sc->captions[i].text);
    free(sc->captions);
    for (size_t i = 0; i < sc->naudio; i++)
        free(sc->audio[i].media_id);
    free(sc->audio);
}

void story_destroy(struct story *s)
{
    if (!s)
        return;
    story_text_fini(&s->title);
    free(s->author);
    for (size_t i = 0; i < s->nscenes; i++)
        story_scene_fini(&s->scenes[i]);
    free(s->scenes);
    for (size_t i = 0; i < s->nmedia; i++) {
        free(s->media[i].id);
        free(s->media[i].path);
        free(s->media[i].data);
    }
    free(s->media);
    free(s);
}

struct story_scene *story_scene_add(struct story *s, const char *id)
{
    char *idc = strdup(id ? id : "");
    if (!idc)
        return NULL;
    struct story_scene *sc = GROW(s->scenes, s->nscenes, s->scenes_cap, STORY_MAX_SCENES);
    if (!sc) {
        free(idc);
        return NULL;
    }
    sc->id = idc;
    sc->duration_s = 5.0;
    sc->background = (struct story_color){1, 1, 1, 1};
    return sc;
}

struct story_actor *story_actor_add(struct story_scene *sc, const char *id,
                                    enum story_actor_kind kind)
{
    char *idc = strdup(id ? id : "");
    if (!idc)
        return NULL;
    struct story_actor *a = GROW(sc->actors, sc->nactors, sc->actors_cap, STORY_MAX_ACTORS);
    if (!a) {
        free(idc);
        return NULL;
    }
    a->id = idc;
    a->kind = kind;
    a->font_size = 48;
    a->text_color = (struct story_color){0.1f, 0.1f, 0.1f, 1};
    a->bubble_color = (struct story_color){1, 1, 1, 1};
    return a;
}

struct story_part *story_part_add(struct story_actor *a, const char *id, int parent)
{
    if (a->nparts >= STORY_MAX_PARTS)
        return NULL;
    char *idc = strdup(id ? id : "");
    if (!idc)
        return NULL;
    /* parts and part_rot grow together: same index, same capacity. */
    if (a->nparts == a->parts_cap) {
        size_t cap = a->parts_cap ? a->parts_cap * 2 : 8;
        struct story_part *p = realloc(a->parts, cap * sizeof(*p));
        if (!p) {
            free(idc);
            return NULL;
        }
        a->parts = p;
        struct key_track *r = realloc(a->part_rot, cap * sizeof(*r));
        if (!r) {
            free(idc);
            return NULL;
        }
        a->part_rot = r;
        a->parts_cap = cap;
    }
    struct story_part *p = &a->parts[a->nparts];
    memset(p, 0, sizeof(*p));
    a->part_rot[a->nparts] = (struct key_track){0};
    a->nparts++;
    p->id = idc;
    p->parent = parent;
    return p;
}

struct story_shape *story_drawing_add(struct story_drawing *d, enum story_shape_kind kind)
{
    struct story_shape *sh = GROW(d->shapes, d->n, d->cap, STORY_MAX_SHAPES);
    if (!sh)
        return NULL;
    sh->kind = kind;
    sh->closed = kind == STORY_SHAPE_FILL;
    sh->color = (struct story_color){0, 0, 0, 1};
    return sh;
}

int story_shape_add_point(struct story_shape *sh, double x, double y, double w)
{
    struct story_point *p = GROW(sh->pts, sh->n, sh->cap, STORY_MAX_POINTS);
    if (!p)
        return sh->n >= STORY_MAX_POINTS ? DY_ELIMIT : DY_ENOMEM;
    *p = (struct story_point){x, y, w};
    return 0;
}

struct story_frame *story_frame_add(struct story_actor *a, double start_s)
{
    struct story_frame *f = GROW(a->frames, a->nframes, a->frames_cap, STORY_MAX_FRAMES);
    if (f)
        f->start_s = start_s;
    return f;
}

struct story_caption *story_caption_add(struct story_scene *sc, double start_s, double end_s)
{
    struct story_caption *c = GROW(sc->captions, sc->ncaptions, sc->captions_cap, STORY_MAX_CAPTIONS);
    if (c) {
        c->start_s = start_s;
        c->end_s = end_s;
    }
    return c;
}

struct story_audio *story_audio_add(struct story_scene *sc, const char *media_id,
                                    double start_s, double volume)
{
    char *idc = strdup(media_id ? media_id : "");
    if (!idc)
        return NULL;
    struct story_audio *au = GROW(sc->audio, sc->naudio, sc->audio_cap, STORY_MAX_AUDIO);
    if (!au) {
        free(idc);
        return NULL;
    }
    au->media_id = idc;
    au->start_s = start_s;
    au->volume = volume;
    return au;
}

struct story_media *story_media_add(struct story *s, const char *id, const char *path,
                                    enum story_media_kind kind, const void *data, size_t size)
{
    char *idc = strdup(id ? id : "");
    char *pathc = strdup(path ? path : "");
    uint8_t *copy = malloc(size ? size : 1);
    if (!idc || !pathc || !copy)
        goto fail;
    if (size)
        memcpy(copy, data, size);
    struct story_media *m = GROW(s->media, s->nmedia, s->media_cap, STORY_MAX_MEDIA);
    if (!m)
        goto fail;
    *m = (struct story_media){.id = idc, .path = pathc, .kind = kind, .data = copy, .size = size};
    return m;
fail:
    free(idc);
    free(pathc);
    free(copy);
    return NULL;
}

const struct story_media *story_media_find(const struct story *s, const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < s->nmedia; i++)
        if (strcmp(s->media[i].id, id) == 0)
            return &s->media[i];
    return NULL;
}

long story_scene_find(const struct story *s, const char *id)
{
    if (!id)
        return -1;
    for (size_t i = 0; i < s->nscenes; i++)
        if (strcmp(s->scenes[i].id, id) == 0)
            return (long)i;
    return -1;
}

double story_scene_start(const struct story *s, size_t scene)
{
    double t = 0;
    for (size_t i = 0; i < scene && i < s->nscenes; i++)
        t += s->scenes[i].duration_s;
    return t;
}

double story_duration(const struct story *s)
{
    return story_scene_start(s, s->nscenes);
}

static char *dup_or_null(const char *s, int *oom)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *oom = 1;
    return c;
}

static int text_copy(struct story_text *dst, const struct story_text *src)
{
    int oom = 0;
    for (int l = 0; l < STORY_LANG_COUNT; l++)
        dst->s[l] = dup_or_null(src->s[l], &oom);
    return oom ? DY_ENOMEM : 0;
}

static int visual_copy(struct story_visual *dst, const struct story_visual *src)
{
    int oom = 0;
    *dst = *src;
    dst->media_id = dup_or_null(src->media_id, &oom);
    dst->drawing = (struct story_drawing){0};
    if (oom || story_drawing_copy(&dst->drawing, &src->drawing) < 0)
        return DY_ENOMEM;
    return 0;
}

struct story_actor *story_actor_copy(struct story_scene *dst, const struct story_actor *src,
                                     const char *new_id)
{
    struct story_actor *a = story_actor_add(dst, new_id, src->kind);
    if (!a)
        return NULL;
    char *keep_id = a->id;
    /* Start from a shallow copy for the scalar fields, then replace every
     * owned pointer with a copy; on failure the partial copy is freed by
     * story_actor_fini (fields not yet copied are zeroed first). */
    *a = *src;
    a->id = keep_id;
    a->name = a->template_name = NULL;
    memset(a->props, 0, sizeof(a->props));
    a->parts = NULL;
    a->part_rot = NULL;
    a->nparts = a->parts_cap = 0;
    a->drawing = (struct story_drawing){0};
    a->frames = NULL;
    a->nframes = a->frames_cap = 0;
    a->image = (struct story_visual){0};
    a->text = (struct story_text){0};
    int oom = 0;
    a->name = dup_or_null(src->name, &oom);
    a->template_name = dup_or_null(src->template_name, &oom);
    for (int p = 0; p < STORY_PROP_COUNT && !oom; p++)
        oom = key_track_copy(&a->props[p], &src->props[p]) < 0;
    for (size_t i = 0; i < src->nparts && !oom; i++) {
        struct story_part *p = story_part_add(a, src->parts[i].id, src->parts[i].parent);
        if (!p) {
            oom = 1;
            break;
        }
        char *pid = p->id;
        *p = src->parts[i];
        p->id = pid;
        p->visual = (struct story_visual){0};
        oom = visual_copy(&p->visual, &src->parts[i].visual) < 0 ||
              key_track_copy(&a->part_rot[i], &src->part_rot[i]) < 0;
    }
    if (!oom)
        oom = story_drawing_copy(&a->drawing, &src->drawing) < 0;
    for (size_t i = 0; i < src->nframes && !oom; i++) {
        struct story_frame *f = story_frame_add(a, src->frames[i].start_s);
        oom = !f || story_drawing_copy(&f->drawing, &src->frames[i].drawing) < 0;
    }
    if (!oom)
        oom = visual_copy(&a->image, &src->image) < 0;
    if (!oom)
        oom = text_copy(&a->text, &src->text) < 0;
    if (oom) {
        story_actor_fini(a);
        dst->nactors--;
        return NULL;
    }
    return a;
}
