/* keys.c: easing curves and keyframe tracks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/story.h"

static const char *const ease_names[KEY_EASE_COUNT] = {
    [KEY_EASE_LINEAR] = "linear",   [KEY_EASE_IN] = "in",
    [KEY_EASE_OUT] = "out",         [KEY_EASE_IN_OUT] = "in-out",
    [KEY_EASE_STEP] = "step",       [KEY_EASE_OVERSHOOT] = "overshoot",
};

const char *key_ease_name(enum key_ease ease)
{
    return (unsigned)ease < KEY_EASE_COUNT ? ease_names[ease] : "?";
}

int key_ease_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < KEY_EASE_COUNT; i++)
        if (strcmp(name, ease_names[i]) == 0)
            return i;
    return -1;
}

/* Back-out with the classic constant s = 1.70158: peaks ~10 % past the
 * target at u ~ 0.6, then settles. Written so that u = 1 gives exactly 1. */
static double ease_overshoot(double u)
{
    const double s = 1.70158;
    double v = u - 1.0;
    return v * v * ((s + 1.0) * v + s) + 1.0;
}

double key_ease_apply(enum key_ease ease, double u)
{
    if (!(u > 0.0))
        return 0.0;  /* also catches NaN */
    if (u >= 1.0)
        return 1.0;
    switch (ease) {
    case KEY_EASE_LINEAR:
        return u;
    case KEY_EASE_IN:
        return u * u * u;
    case KEY_EASE_OUT: {
        double v = 1.0 - u;
        return 1.0 - v * v * v;
    }
    case KEY_EASE_IN_OUT:
        if (u < 0.5)
            return 4.0 * u * u * u;
        else {
            double v = -2.0 * u + 2.0;
            return 1.0 - v * v * v / 2.0;
        }
    case KEY_EASE_STEP:
        return 0.0;
    case KEY_EASE_OVERSHOOT:
        return ease_overshoot(u);
    case KEY_EASE_COUNT:
        break;
    }
    return u;
}

/* Index of the last key with time <= t, or -1 when t is before the first. */
static long key_track_seek(const struct key_track *tr, double t)
{
    long lo = 0, hi = (long)tr->n - 1, ans = -1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (tr->keys[mid].time_s <= t) {
            ans = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return ans;
}

double key_track_eval(const struct key_track *tr, double t, double def)
{
    if (!tr || tr->n == 0)
        return def;
    long i = key_track_seek(tr, t);
    if (i < 0)
        return tr->keys[0].value;
    if ((size_t)i + 1 >= tr->n)
        return tr->keys[tr->n - 1].value;
    const struct key *a = &tr->keys[i], *b = &tr->keys[i + 1];
    if (t <= a->time_s)
        return a->value;
    double u = (t - a->time_s) / (b->time_s - a->time_s);
    double e = key_ease_apply(a->ease, u);
    if (e == 0.0)
        return a->value;
    if (e == 1.0)
        return b->value;
    return a->value + (b->value - a->value) * e;
}

long key_track_find(const struct key_track *tr, double time_s)
{
    long i = key_track_seek(tr, time_s);
    if (i >= 0 && tr->keys[i].time_s == time_s)
        return i;
    return -1;
}

int key_track_set(struct key_track *tr, double time_s, double value,
                  enum key_ease ease)
{
    if (!isfinite(time_s) || !isfinite(value) || (unsigned)ease >= KEY_EASE_COUNT)
        return DY_EINVAL;
    long i = key_track_seek(tr, time_s);
    if (i >= 0 && tr->keys[i].time_s == time_s) {
        tr->keys[i].value = value;
        tr->keys[i].ease = ease;
        return 0;
    }
    if (tr->n >= STORY_MAX_KEYS)
        return DY_ELIMIT;
    if (tr->n == tr->cap) {
        size_t cap = tr->cap ? tr->cap * 2 : 4;
        struct key *k = realloc(tr->keys, cap * sizeof(*k));
        if (!k)
            return DY_ENOMEM;
        tr->keys = k;
        tr->cap = cap;
    }
    size_t at = (size_t)(i + 1);
    memmove(&tr->keys[at + 1], &tr->keys[at], (tr->n - at) * sizeof(*tr->keys));
    tr->keys[at] = (struct key){.time_s = time_s, .value = value, .ease = ease};
    tr->n++;
    return 0;
}

void key_track_remove(struct key_track *tr, size_t i)
{
    if (i >= tr->n)
        return;
    memmove(&tr->keys[i], &tr->keys[i + 1], (tr->n - i - 1) * sizeof(*tr->keys));
    tr->n--;
}

void key_track_fini(struct key_track *tr)
{
    if (!tr)
        return;
    free(tr->keys);
    *tr = (struct key_track){0};
}

int key_track_copy(struct key_track *dst, const struct key_track *src)
{
    *dst = (struct key_track){0};
    if (src->n == 0)
        return 0;
    dst->keys = malloc(src->n * sizeof(*dst->keys));
    if (!dst->keys)
        return DY_ENOMEM;
    memcpy(dst->keys, src->keys, src->n * sizeof(*dst->keys));
    dst->n = dst->cap = src->n;
    return 0;
}
