/* story_edit_internal.h: helpers shared by story_edit.c (constructors),
 * story_edit_apply.c (apply, revert, fini) and story_history.c. Not public. */
#ifndef DARYN_STORY_EDIT_INTERNAL_H
#define DARYN_STORY_EDIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "daryn/story_edit.h"

/* Grows *arr (capacity *cap elements of `elem` bytes) to hold `need`.
 * The old pointer is dead on success. Returns 0 or DY_ENOMEM. */
int sedit_reserve(void **arr, size_t *cap, size_t elem, size_t need);
#define SEDIT_RESERVE(arr, cap, need) \
    sedit_reserve((void **)&(arr), &(cap), sizeof(*(arr)), (need))
/* Inserts *item at `at` <= *n (capacity reserved by the caller). */
void sedit_insert(void *arr, size_t *n, size_t elem, size_t at, const void *item);
/* Moves element `at` < *n out to *out; the capacity is kept. */
void sedit_take(void *arr, size_t *n, size_t elem, size_t at, void *out);

/* Lookups by id (NULL / -1 when missing); they return mutable pointers into
 * a const story, as strchr does: constructors only read through them. */
struct story_scene *sedit_scene(const struct story *s, const char *id, size_t *index);
long sedit_scene_actor(const struct story_scene *sc, const char *id);
struct story_actor *sedit_actor(const struct story *s, const char *id,
                                struct story_scene **scene);
long sedit_part(const struct story_actor *a, const char *id);
/* The actor `id`, which must be of `kind`; 0 or DY_ENOTFOUND / DY_EINVAL. */
int sedit_actor_kind(const struct story *s, const char *id, enum story_actor_kind kind,
                     struct story_actor **out, struct dy_err *err);

/* The key track / drawing an edit's address fields name. */
int sedit_track(const struct story *s, const struct story_edit *e, struct key_track **out,
                double *lo, double *hi, struct dy_err *err);
int sedit_drawing(const struct story *s, const struct story_edit *e,
                  struct story_drawing **out, struct dy_err *err);

/* A private story holding an actor (for_actor: in scenes[0], room for one
 * reserved) or a scene (room for one in scenes) while it is out of the
 * story; story_destroy() frees whatever it holds. NULL on OOM. */
struct story *sedit_holder_new(bool for_actor);

int sedit_no_scene(const char *id, struct dy_err *err);
int sedit_no_actor(const char *id, struct dy_err *err);
int sedit_oom(const char *what, struct dy_err *err);

#endif
