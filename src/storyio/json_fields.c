/* json_fields.c: typed, range-checked access to story.json fields. Each
 * helper extends the JSON path while it works, so an error names the exact
 * field ("scenes[0].actors[1].tracks.x[2].time"). */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

/* ---- JSON path ---------------------------------------------------------- */


static void sio_jp_append(struct jpath *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void sio_jp_append(struct jpath *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(p->s + p->n, sizeof(p->s) - p->n, fmt, ap);
    va_end(ap);
    if (w > 0) {
        p->n += (size_t)w;
        if (p->n >= sizeof(p->s)) {
            p->n = sizeof(p->s) - 1;
        }
    }
}

/* Push a field or an index; the returned mark restores the path. */
size_t sio_jp_key(struct jpath *p, const char *k)
{
    size_t mark = p->n;
    sio_jp_append(p, p->n ? ".%s" : "%s", k);
    return mark;
}

size_t sio_jp_idx(struct jpath *p, size_t i)
{
    size_t mark = p->n;
    sio_jp_append(p, "[%zu]", i);
    return mark;
}

void sio_jp_pop(struct jpath *p, size_t mark)
{
    p->n = mark;
    p->s[mark] = 0;
}


static uint64_t sio_id_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h;
}

void sio_idset_fini(struct idset *set)
{
    for (size_t i = 0; i < set->cap; i++) {
        free(set->where ? set->where[i] : NULL);
    }
    free(set->keys);
    free(set->where);
    free(set->val);
    memset(set, 0, sizeof(*set));
}

/* Slot of `k`, or of the empty slot where it would go. */
static size_t sio_idset_slot(const struct idset *set, const char *k)
{
    size_t i = (size_t)sio_id_hash(k) & (set->cap - 1);
    while (set->keys[i] && strcmp(set->keys[i], k) != 0) {
        i = (i + 1) & (set->cap - 1);
    }
    return i;
}

long sio_idset_get(const struct idset *set, const char *k,
                   const char **where)
{
    if (!set->cap) {
        return -1;
    }
    size_t i = sio_idset_slot(set, k);
    if (!set->keys[i]) {
        return -1;
    }
    if (where) {
        *where = set->where[i];
    }
    return set->val[i];
}

static int sio_idset_grow(struct idset *set)
{
    size_t ncap = set->cap ? set->cap * 2 : 64;
    struct idset n = {0};
    n.keys = calloc(ncap, sizeof(*n.keys));
    n.where = calloc(ncap, sizeof(*n.where));
    n.val = calloc(ncap, sizeof(*n.val));
    n.cap = ncap;
    if (!n.keys || !n.where || !n.val) {
        sio_idset_fini(&n);
        return DY_ENOMEM;
    }
    for (size_t i = 0; i < set->cap; i++) {
        if (set->keys[i]) {
            size_t j = sio_idset_slot(&n, set->keys[i]);
            n.keys[j] = set->keys[i];
            n.where[j] = set->where[i];
            n.val[j] = set->val[i];
            set->where[i] = NULL;
        }
    }
    n.n = set->n;
    sio_idset_fini(set);
    *set = n;
    return 0;
}

/* Adds k (must be absent). */
int sio_idset_put(struct idset *set, const char *k, int val,
                  const char *where)
{
    if ((set->n + 1) * 2 > set->cap && sio_idset_grow(set) < 0) {
        return DY_ENOMEM;
    }
    char *w = strdup(where);
    if (!w) {
        return DY_ENOMEM;
    }
    size_t i = sio_idset_slot(set, k);
    set->keys[i] = k;
    set->where[i] = w;
    set->val[i] = val;
    set->n++;
    return 0;
}

void sio_err_prefix(struct dy_err *err, const char *file)
{
    if (!err || !file) {
        return;
    }
    if (err->where[0]) {
        dy_err_prefix(err, file);
    } else {
        snprintf(err->where, sizeof(err->where), "%s", file);
    }
}

/* ---- parse context and field helpers ------------------------------------ */


int sio_perr(struct pctx *c, int code, const char *fmt, ...)
{
    char msg[DY_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return dy_err_set(c->err, code, c->path.s, "%s", msg);
}

int sio_oom(struct pctx *c)
{
    return sio_perr(c, DY_ENOMEM, "out of memory");
}

const char *sio_jtype(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "object";
    case JSON_ARRAY: return "array";
    case JSON_STRING: return "string";
    case JSON_INTEGER:
    case JSON_REAL: return "number";
    case JSON_TRUE:
    case JSON_FALSE: return "boolean";
    default: return "null";
    }
}

/* Refuses any member of `o` not in the NULL-terminated `allowed` list. */
int sio_check_keys(struct pctx *c, json_t *o, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++) {
            ok = strcmp(*a, k) == 0;
        }
        if (!ok) {
            size_t m = sio_jp_key(&c->path, k);
            int rc = sio_perr(c, DY_EFORMAT, "unknown field");
            sio_jp_pop(&c->path, m);
            return rc;
        }
    }
    return 0;
}


static int sio_check_num(struct pctx *c, double v, struct range r)
{
    if (r.lo_open ? !(v > r.lo) : !(v >= r.lo)) {
        return sio_perr(c, DY_ERANGE, "must be %s %g (got %g)",
                        r.lo_open ? ">" : ">=", r.lo, v);
    }
    if (!(v <= r.hi)) {
        return sio_perr(c, DY_ERANGE, "must be <= %g (got %g)", r.hi, v);
    }
    return 0;
}

/* Number value of j at the current path, range-checked. */
int sio_num_val(struct pctx *c, json_t *j, struct range r, double *out)
{
    if (!json_is_number(j)) {
        return sio_perr(c, DY_EFORMAT, "must be a number (got %s)", sio_jtype(j));
    }
    double v = json_number_value(j);
    /* jansson refuses NaN/Infinity in syntax; this guards the model. */
    if (!isfinite(v)) {
        return sio_perr(c, DY_ERANGE, "must be a finite number");
    }
    int rc = sio_check_num(c, v, r);
    if (rc == 0) {
        *out = v;
    }
    return rc;
}

/* Optional-or-required number member `k` of o (default kept when absent). */
int sio_get_num(struct pctx *c, json_t *o, const char *k, bool required,
                struct range r, double *out)
{
    size_t m = sio_jp_key(&c->path, k);
    json_t *j = json_object_get(o, k);
    int rc = 0;
    if (!j) {
        if (required) {
            rc = sio_perr(c, DY_EFORMAT, "is required");
        }
    } else {
        rc = sio_num_val(c, j, r, out);
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

int sio_get_int(struct pctx *c, json_t *o, const char *k, long lo, long hi,
                int *out)
{
    size_t m = sio_jp_key(&c->path, k);
    json_t *j = json_object_get(o, k);
    int rc = 0;
    if (j && !json_is_integer(j)) {
        rc = sio_perr(c, DY_EFORMAT, "must be an integer (got %s)", sio_jtype(j));
    } else if (j) {
        json_int_t v = json_integer_value(j);
        if (v < lo || v > hi) {
            rc = sio_perr(c, DY_ERANGE, "must be in %ld..%ld (got %lld)", lo, hi,
                          (long long)v);
        } else {
            *out = (int)v;
        }
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

int sio_get_bool(struct pctx *c, json_t *o, const char *k, bool *out)
{
    size_t m = sio_jp_key(&c->path, k);
    json_t *j = json_object_get(o, k);
    int rc = 0;
    if (j && !json_is_boolean(j)) {
        rc = sio_perr(c, DY_EFORMAT, "must be true or false (got %s)", sio_jtype(j));
    } else if (j) {
        *out = json_is_true(j);
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

/* String member; *out is borrowed from the JSON tree (NULL when absent). */
int sio_get_str(struct pctx *c, json_t *o, const char *k, bool required,
                size_t maxlen, const char **out)
{
    size_t m = sio_jp_key(&c->path, k);
    json_t *j = json_object_get(o, k);
    int rc = 0;
    *out = NULL;
    if (!j) {
        if (required) {
            rc = sio_perr(c, DY_EFORMAT, "is required");
        }
    } else if (!json_is_string(j)) {
        rc = sio_perr(c, DY_EFORMAT, "must be a string (got %s)", sio_jtype(j));
    } else if (json_string_length(j) > maxlen) {
        rc = sio_perr(c, DY_ELIMIT, "is %zu bytes long (max %zu)",
                      json_string_length(j), maxlen);
    } else {
        *out = json_string_value(j);
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

/* Id member: required, well formed, and (when `set` is given) unique. */
int sio_get_id(struct pctx *c, json_t *o, const char *k,
               struct idset *set, int val, const char **out)
{
    int rc = sio_get_str(c, o, k, true, 1024, out);
    if (rc < 0) {
        return rc;
    }
    size_t m = sio_jp_key(&c->path, k);
    const char *first = NULL;
    if (!story_id_valid(*out)) { /* the validator's rule */
        rc = sio_perr(c, DY_EFORMAT,
                      "invalid id \"%.80s\": use 1..%d of A-Z a-z 0-9 _ . -",
                      *out, STORY_MAX_ID);
    } else if (set && sio_idset_get(set, *out, &first) >= 0) {
        rc = sio_perr(c, DY_EINVAL, "duplicate id \"%s\" (first used at %s)",
                      *out, first);
    } else if (set) {
        char where[DY_ERR_WHERE_MAX];
        snprintf(where, sizeof(where), "%.*s", (int)m, c->path.s);
        if (sio_idset_put(set, *out, val, where) < 0) {
            rc = sio_oom(c);
        }
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

/* Enum member by name through a story_*_from_name function. */
int sio_get_enum(struct pctx *c, json_t *o, const char *k, bool required,
                 int (*from_name)(const char *), const char *choices,
                 int *out)
{
    const char *v;
    int rc = sio_get_str(c, o, k, required, 64, &v);
    if (rc < 0 || !v) {
        return rc;
    }
    int e = from_name(v);
    if (e < 0) {
        size_t m = sio_jp_key(&c->path, k);
        rc = sio_perr(c, DY_EFORMAT, "unknown value \"%.64s\" (use %s)", v, choices);
        sio_jp_pop(&c->path, m);
        return rc;
    }
    *out = e;
    return 0;
}

static int sio_hexval(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* "#rrggbb" or "#rrggbbaa". */
int sio_get_color(struct pctx *c, json_t *o, const char *k,
                  struct story_color *out)
{
    const char *v;
    int rc = sio_get_str(c, o, k, false, 64, &v);
    if (rc < 0 || !v) {
        return rc;
    }
    size_t n = strlen(v);
    int b[4] = {0, 0, 0, 255};
    bool ok = v[0] == '#' && (n == 7 || n == 9);
    for (size_t i = 0; ok && i < (n - 1) / 2; i++) {
        int hi = sio_hexval(v[1 + 2 * i]), lo = sio_hexval(v[2 + 2 * i]);
        ok = hi >= 0 && lo >= 0;
        b[i] = hi * 16 + lo;
    }
    if (!ok) {
        size_t m = sio_jp_key(&c->path, k);
        rc = sio_perr(c, DY_EFORMAT,
                      "must be a colour \"#rrggbb\" or \"#rrggbbaa\" (got \"%.64s\")",
                      v);
        sio_jp_pop(&c->path, m);
        return rc;
    }
    out->r = (float)(b[0] / 255.0);
    out->g = (float)(b[1] / 255.0);
    out->b = (float)(b[2] / 255.0);
    out->a = (float)(b[3] / 255.0);
    return 0;
}

static int sio_lang_from_code(const char *code)
{
    return story_lang_from_code(code);
}

/* A text object {"kk": .., "ru": .., "en": ..}. */
int sio_get_text(struct pctx *c, json_t *o, const char *k,
                 struct story_text *out)
{
    json_t *j = json_object_get(o, k);
    if (!j) {
        return 0;
    }
    size_t m = sio_jp_key(&c->path, k);
    int rc = 0;
    if (!json_is_object(j)) {
        rc = sio_perr(c, DY_EFORMAT, "must be an object of kk/ru/en strings "
                      "(got %s)", sio_jtype(j));
        goto out;
    }
    const char *lk;
    json_t *lv;
    json_object_foreach(j, lk, lv) {
        int lang = sio_lang_from_code(lk);
        if (lang < 0) {
            size_t m2 = sio_jp_key(&c->path, lk);
            rc = sio_perr(c, DY_EFORMAT, "unknown language (use kk, ru, en)");
            sio_jp_pop(&c->path, m2);
            goto out;
        }
        const char *sv;
        rc = sio_get_str(c, j, lk, true, STORY_MAX_TEXT, &sv);
        if (rc < 0) {
            goto out;
        }
        if (story_text_set(out, (enum story_lang)lang, sv) < 0) {
            rc = sio_oom(c);
            goto out;
        }
    }
out:
    sio_jp_pop(&c->path, m);
    return rc;
}

/* Array member: NULL *out when absent; error when not an array or longer
 * than max. */
int sio_get_array(struct pctx *c, json_t *o, const char *k, bool required,
                  size_t max, json_t **out)
{
    size_t m = sio_jp_key(&c->path, k);
    json_t *j = json_object_get(o, k);
    int rc = 0;
    *out = NULL;
    if (!j) {
        if (required) {
            rc = sio_perr(c, DY_EFORMAT, "is required");
        }
    } else if (!json_is_array(j)) {
        rc = sio_perr(c, DY_EFORMAT, "must be an array (got %s)", sio_jtype(j));
    } else if (json_array_size(j) > max) {
        rc = sio_perr(c, DY_ELIMIT, "has %zu entries (max %zu)",
                      json_array_size(j), max);
    } else {
        *out = j;
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

/* A fixed-length array of numbers ("pivot": [x, y], "rect": [x, y, w, h]). */
int sio_get_vec(struct pctx *c, json_t *o, const char *k, bool required,
                size_t n, const struct range *r, double *out)
{
    json_t *a;
    int rc = sio_get_array(c, o, k, required, 16, &a);
    if (rc < 0 || !a) {
        return rc;
    }
    size_t m = sio_jp_key(&c->path, k);
    if (json_array_size(a) != n) {
        rc = sio_perr(c, DY_EFORMAT, "must hold %zu numbers (got %zu)", n,
                      json_array_size(a));
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        size_t m2 = sio_jp_idx(&c->path, i);
        rc = sio_num_val(c, json_array_get(a, i), r[i], &out[i]);
        sio_jp_pop(&c->path, m2);
    }
    sio_jp_pop(&c->path, m);
    return rc;
}

const struct range SIO_R_COORD = {-STORY_MAX_COORD, STORY_MAX_COORD, false};
const struct range SIO_R_SIZE = {0, STORY_MAX_COORD, true};
const struct range SIO_R_TIME = {0, STORY_MAX_DURATION_S, false};

/* Media id reference; checks it exists and has one of the allowed kinds. */
int sio_get_media_ref(struct pctx *c, json_t *o, const char *k,
                      bool required, bool want_audio, char **out)
{
    const char *v;
    int rc = sio_get_str(c, o, k, required, 1024, &v);
    if (rc < 0 || !v) {
        return rc;
    }
    size_t m = sio_jp_key(&c->path, k);
    long idx = sio_idset_get(&c->media, v, NULL);
    if (idx < 0) {
        rc = sio_perr(c, DY_ENOTFOUND, "unknown media id \"%.80s\"", v);
    } else {
        enum story_media_kind kind = c->s->media[idx].kind;
        bool is_audio = kind == STORY_MEDIA_AUDIO;
        if (is_audio != want_audio) {
            rc = sio_perr(c, DY_EINVAL, "media \"%s\" is %s, %s is needed", v,
                          is_audio ? "audio" : "an image",
                          want_audio ? "audio" : "an image or svg");
        } else {
            free(*out);
            *out = strdup(v);
            if (!*out) {
                rc = sio_oom(c);
            }
        }
    }
    sio_jp_pop(&c->path, m);
    return rc;
}
