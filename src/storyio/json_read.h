/* json_read.h: the strict story.json reader's field helpers (json_fields.c),
 * shared with the schema walk (json_read.c). Internal. */
#ifndef DARYN_STORYIO_JSON_READ_H
#define DARYN_STORYIO_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "daryn/err.h"
#include "daryn/story.h"
#include "storyio_internal.h"

struct jpath {
    char s[DY_ERR_WHERE_MAX];
    size_t n;
};

/* ---- id sets (hash of id -> index, with where it was first seen) -------- */

struct idset {
    const char **keys; /* borrowed from the JSON tree */
    char **where;      /* owned */
    int *val;
    size_t cap, n;
};

struct pctx {
    struct jpath path;
    struct dy_err *err;
    struct story *s;
    const struct sio_media_src *ms;
    struct idset media;   /* id -> index in s->media */
    struct idset paths;   /* media member paths */
    struct idset scenes;  /* scene ids */
    struct idset actors;  /* actor ids, story-wide */
};

/* Allowed interval of a number; lo_open makes the lower bound exclusive. */
struct range {
    double lo, hi;
    bool lo_open;
};

extern const struct range SIO_R_COORD; /* |v| <= STORY_MAX_COORD */
extern const struct range SIO_R_SIZE;  /* 0 < v <= STORY_MAX_COORD */
extern const struct range SIO_R_TIME;  /* 0 <= v <= STORY_MAX_DURATION_S */

/* Push a field or an index; the returned mark restores the path. */
size_t sio_jp_key(struct jpath *p, const char *k);

size_t sio_jp_idx(struct jpath *p, size_t i);

void sio_jp_pop(struct jpath *p, size_t mark);

void sio_idset_fini(struct idset *set);

long sio_idset_get(const struct idset *set, const char *k,
                   const char **where);

/* Adds k (must be absent). */
int sio_idset_put(struct idset *set, const char *k, int val,
                  const char *where);

int sio_perr(struct pctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int sio_oom(struct pctx *c);

/* JSON type name for messages ("number", "string", ...). */
const char *sio_jtype(const json_t *j);

/* Refuses any member of `o` not in the NULL-terminated `allowed` list. */
int sio_check_keys(struct pctx *c, json_t *o, const char *const *allowed);

/* Number value of j at the current path, range-checked. */
int sio_num_val(struct pctx *c, json_t *j, struct range r, double *out);

/* Optional-or-required number member `k` of o (default kept when absent). */
int sio_get_num(struct pctx *c, json_t *o, const char *k, bool required,
                struct range r, double *out);

int sio_get_int(struct pctx *c, json_t *o, const char *k, long lo, long hi,
                int *out);

int sio_get_bool(struct pctx *c, json_t *o, const char *k, bool *out);

/* String member; *out is borrowed from the JSON tree (NULL when absent). */
int sio_get_str(struct pctx *c, json_t *o, const char *k, bool required,
                size_t maxlen, const char **out);

/* Id member: required, well formed, and (when `set` is given) unique. */
int sio_get_id(struct pctx *c, json_t *o, const char *k,
               struct idset *set, int val, const char **out);

/* Enum member by name through a story_*_from_name function. */
int sio_get_enum(struct pctx *c, json_t *o, const char *k, bool required,
                 int (*from_name)(const char *), const char *choices,
                 int *out);

/* "#rrggbb" or "#rrggbbaa". */
int sio_get_color(struct pctx *c, json_t *o, const char *k,
                  struct story_color *out);

/* A text object {"kk": .., "ru": .., "en": ..}. */
int sio_get_text(struct pctx *c, json_t *o, const char *k,
                 struct story_text *out);

/* Array member: NULL *out when absent; error when not an array or longer
 * than max. */
int sio_get_array(struct pctx *c, json_t *o, const char *k, bool required,
                  size_t max, json_t **out);

/* A fixed-length array of numbers ("pivot": [x, y], "rect": [x, y, w, h]). */
int sio_get_vec(struct pctx *c, json_t *o, const char *k, bool required,
                size_t n, const struct range *r, double *out);

/* Media id reference; checks it exists and has one of the allowed kinds. */
int sio_get_media_ref(struct pctx *c, json_t *o, const char *k,
                      bool required, bool want_audio, char **out);

#endif
