/* story_edit.h: edits as small reversible operations on the story model,
 * and an undo/redo history of them (the studio's undo).
 *
 * An edit (`struct story_edit`) is plain data describing one studio gesture
 * (set a key, add an actor, draw a stroke, ...) plus whatever it needs to
 * undo it: the old key, the removed actor, the replaced text. It is built by
 * a constructor `story_edit_<what>(e, story, ...)` that checks its arguments
 * against the story and refuses (0 / negative DY_E*, err naming the field)
 * anything that would break story_validate(): unknown ids, duplicate ids,
 * non-finite numbers, times or values out of range, limits. Then:
 *
 *     story_edit_apply(s, e, err)   the story becomes "after"
 *     story_edit_revert(s, e, err)  the story is "before" again, exactly
 *                                   (byte-identical canonical JSON)
 *
 * and apply again gives "after" exactly. A failed apply or revert leaves the
 * story untouched. Edits address things by id (scene, actor, part) and, where
 * the model has no ids, by key time or index (shape, caption, audio clip,
 * frame); an edit is meant to be applied and reverted in history order, as
 * `struct story_history` does, so indices saved by an edit are valid when it
 * is reverted (an undone actor removal goes back at its old index).
 *
 * Ownership: an edit owns everything it saves (a removed actor or scene, a
 * new actor not yet inserted, the strings and shapes it swaps in and out);
 * story_edit_fini() frees it in whichever state the edit is (an applied
 * "add" leaves what it added to the story). Data moves between the edit and
 * the story by value (no copies in apply/revert). Edits keep no pointers
 * into the story, only ids, key times and indices, so the story may be
 * edited, or destroyed, in between. Arguments of the constructors (strings,
 * shapes, texts, template stories) are borrowed for the call and copied.
 *
 * Time is scene time in seconds; coordinates are story units. Pure C, no
 * global state; a history is used from one thread. */
#ifndef DARYN_STORY_EDIT_H
#define DARYN_STORY_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"
#include "daryn/story.h"

#ifdef __cplusplus
extern "C" {
#endif

enum story_edit_kind {
    STORY_EDIT_NONE,           /* zeroed / moved-from edit: fini is a no-op */
    STORY_EDIT_KEY_SET,
    STORY_EDIT_KEY_REMOVE,
    STORY_EDIT_KEY_MOVE,
    STORY_EDIT_ACTOR_ADD,
    STORY_EDIT_ACTOR_REMOVE,
    STORY_EDIT_ACTOR_REORDER,
    STORY_EDIT_TEXT_SET,
    STORY_EDIT_CAPTION_ADD,
    STORY_EDIT_CAPTION_REMOVE,
    STORY_EDIT_CAPTION_EDIT,
    STORY_EDIT_SCENE_ADD,
    STORY_EDIT_SCENE_REMOVE,
    STORY_EDIT_SCENE_REORDER,
    STORY_EDIT_SCENE_DURATION,
    STORY_EDIT_SHAPE_ADD,
    STORY_EDIT_SHAPE_REMOVE,
    STORY_EDIT_FRAME_ADD,
    STORY_EDIT_PART_PIVOT,
    STORY_EDIT_AUDIO_ADD,
    STORY_EDIT_AUDIO_REMOVE,
    STORY_EDIT_AUDIO_MOVE,
    STORY_EDIT_KIND_COUNT
};

/* Which key track an edit works on. */
enum story_track_kind {
    STORY_TRACK_PROP,   /* actor property track: id = actor, channel = enum story_prop */
    STORY_TRACK_PART,   /* character part rotation: id = actor, part_id = part */
    STORY_TRACK_CAMERA, /* scene camera: id = scene, channel = enum story_cam */
};

/* Arguments naming a track (strings borrowed for the call). */
struct story_track_ref {
    enum story_track_kind kind;
    const char *id;      /* actor id (PROP, PART) or scene id (CAMERA) */
    const char *part_id; /* PART only */
    int channel;         /* PROP: enum story_prop; CAMERA: enum story_cam */
};

/* Arguments naming a drawing (strings borrowed for the call):
 * - a DRAWING actor without frames: actor_id, part_id NULL, frame -1;
 * - one frame of a frame-by-frame DRAWING actor: frame = its index;
 * - a CHARACTER part drawn as vectors (not a media part): part_id. */
struct story_drawing_ref {
    const char *actor_id;
    const char *part_id;
    long frame;
};

#define STORY_EDIT_ID_SIZE (STORY_MAX_ID + 1)

/* One reversible edit. Fill it only through the constructors; the fields
 * are the op's saved state, read by apply/revert (callers may read `kind`
 * and `applied`). Which union member is live depends on `kind`. */
struct story_edit {
    enum story_edit_kind kind;
    bool applied;                      /* the story is in the "after" state */
    char scene_id[STORY_EDIT_ID_SIZE]; /* addresses; "" when unused */
    char actor_id[STORY_EDIT_ID_SIZE];
    char part_id[STORY_EDIT_ID_SIZE];
    int track_kind, channel;           /* key edits: enum story_track_kind, channel */
    long frame;                        /* drawing edits: frame index or -1 */
    union {
        struct { struct key key; bool had_old; struct key old; } key_set;
        struct { struct key key; } key_remove;        /* key.time_s addresses */
        struct { double from_s, to_s; } key_move;
        /* ACTOR_ADD / ACTOR_REMOVE: the actor lives in held->scenes[0] while
         * it is out of the story; ACTOR_ADD also holds the media it brings
         * (held->media) until applied. `held` is a private story owned by
         * the edit. `nmedia` is how many media ACTOR_ADD appends. */
        struct { long index; struct story *held; size_t nmedia; } actor;
        struct { long from, to; } reorder;            /* ACTOR_ / SCENE_REORDER */
        struct { enum story_lang lang; char *s; } text; /* swapped in and out */
        struct { long index; struct story_caption cap; } caption; /* held or swapped */
        struct { long index; struct story *held; } scene; /* held->scenes[0] */
        struct { long index; double v[2]; } swap;     /* DURATION, PIVOT, AUDIO_MOVE */
        struct { long index; struct story_shape shape; } shape;
        struct { long index; struct story_frame fr; bool converted; } frame;
        struct { long index; struct story_audio clip; } audio;
    } u;
};

/* Frees what the edit owns (in any state) and zeroes it. NULL and zeroed
 * edits are no-ops. An applied edit can be freed: what it inserted stays in
 * the story. */
void story_edit_fini(struct story_edit *e);

/* Applies / reverts. Errors (the story is then untouched): DY_EINVAL when
 * called in the wrong state or when the story no longer matches the edit
 * (applied out of history order), DY_ENOTFOUND for an id that is gone,
 * DY_ENOMEM, DY_ELIMIT. */
int story_edit_apply(struct story *s, struct story_edit *e, struct dy_err *err);
int story_edit_revert(struct story *s, struct story_edit *e, struct dy_err *err);

/* Bytes the edit holds (its struct and saved data), for the history cap. */
size_t story_edit_bytes(const struct story_edit *e);

/* ---- constructors -------------------------------------------------------
 * Each fills *e (OUT; any previous content is overwritten, not freed) with
 * an unapplied edit and returns 0, or returns a negative DY_E* with err
 * naming the argument and *e zeroed. Nothing is changed in the story. */

/* Sets the key at time_s of a track: inserts it, or replaces the value and
 * ease of the key at exactly that time (revert restores it or removes the
 * new key). time_s in [0, STORY_MAX_DURATION_S]; value within the channel's
 * range (x/y +-1e6, scale +-1000, opacity and visible 0..1, zoom
 * 0.01..100, rotations and z +-1e6). */
int story_edit_key_set(struct story_edit *e, const struct story *s,
                       const struct story_track_ref *track, double time_s,
                       double value, enum key_ease ease, struct dy_err *err);
/* Removes the key at index `key` of the track. */
int story_edit_key_remove(struct story_edit *e, const struct story *s,
                          const struct story_track_ref *track, size_t key,
                          struct dy_err *err);
/* Moves the key at index `key` to time to_s (a timeline drag), keeping its
 * value and ease. Refused when another key sits at to_s. */
int story_edit_key_move(struct story_edit *e, const struct story *s,
                        const struct story_track_ref *track, size_t key,
                        double to_s, struct dy_err *err);

/* Adds an empty DRAWING or TEXT actor `actor_id` (unique in the story) to
 * the scene at list position `index` (0 = bottom of the draw order; -1 =
 * top). CHARACTER and IMAGE actors need parts or media: add them with
 * story_edit_actor_add_copy(). */
int story_edit_actor_add(struct story_edit *e, const struct story *s,
                         const char *scene_id, long index, const char *actor_id,
                         enum story_actor_kind kind, struct dy_err *err);
/* Adds a deep copy of actor `src_id` of story `tpl` (a template, or `s`
 * itself to duplicate an actor) under the id `new_id`. Media the actor
 * refers to are copied into the story with it when the story has no media
 * with the same kind and bytes (else the copy refers to that one); a media
 * id or path already used in `s` gets a fresh id ("<id>-2") and path, and
 * the copy's references follow. `tpl` is validated first and
 * only borrowed for the call. */
int story_edit_actor_add_copy(struct story_edit *e, const struct story *s,
                              const char *scene_id, long index,
                              const struct story *tpl, const char *src_id,
                              const char *new_id, struct dy_err *err);
/* Removes an actor (wherever it is); revert puts it back at its index. Its
 * media stay in the story. */
int story_edit_actor_remove(struct story_edit *e, const struct story *s,
                            const char *actor_id, struct dy_err *err);
/* Moves an actor to list position `to` in its scene (z order among equal z). */
int story_edit_actor_reorder(struct story_edit *e, const struct story *s,
                             const char *actor_id, size_t to, struct dy_err *err);

/* Sets one language of a TEXT actor's text (`text` UTF-8, copied; NULL
 * clears that language). */
int story_edit_text_set(struct story_edit *e, const struct story *s,
                        const char *actor_id, enum story_lang lang,
                        const char *text, struct dy_err *err);

/* Captions of a scene, by index. 0 <= start_s < end_s <= STORY_MAX_DURATION_S.
 * `text` is copied (NULL: empty for add, unchanged for edit); `index` -1 on
 * add appends. */
int story_edit_caption_add(struct story_edit *e, const struct story *s,
                           const char *scene_id, long index, double start_s,
                           double end_s, const struct story_text *text,
                           struct dy_err *err);
int story_edit_caption_remove(struct story_edit *e, const struct story *s,
                              const char *scene_id, size_t index,
                              struct dy_err *err);
int story_edit_caption_edit(struct story_edit *e, const struct story *s,
                            const char *scene_id, size_t index, double start_s,
                            double end_s, const struct story_text *text,
                            struct dy_err *err);

/* Scenes. A new scene is empty with story_scene_add()'s defaults (5 s,
 * white) at position `index` (-1: last). The last scene can't be removed. */
int story_edit_scene_add(struct story_edit *e, const struct story *s,
                         long index, const char *scene_id, struct dy_err *err);
int story_edit_scene_remove(struct story_edit *e, const struct story *s,
                            const char *scene_id, struct dy_err *err);
int story_edit_scene_reorder(struct story_edit *e, const struct story *s,
                             const char *scene_id, size_t to, struct dy_err *err);
/* duration_s in (0, STORY_MAX_DURATION_S]. Keys past the new end are kept. */
int story_edit_scene_duration(struct story_edit *e, const struct story *s,
                              const char *scene_id, double duration_s,
                              struct dy_err *err);

/* Appends one whole shape (the brush's stroke, or a filled outline) to a
 * drawing; `shape` and its points are copied. At least one point; points
 * finite within +-1e6 and widths 0..10000; colours in 0..1. */
int story_edit_shape_add(struct story_edit *e, const struct story *s,
                         const struct story_drawing_ref *where,
                         const struct story_shape *shape, struct dy_err *err);
/* Removes shape `index` of a drawing; revert puts it back there. */
int story_edit_shape_remove(struct story_edit *e, const struct story *s,
                            const struct story_drawing_ref *where, size_t index,
                            struct dy_err *err);

/* Adds a frame starting at start_s to a DRAWING actor (frame-by-frame),
 * holding a copy of `drawing` (NULL: empty; e.g. the previous frame for
 * onion-skin drawing). Refused when a frame already starts at start_s. When
 * the actor has no frames yet its plain drawing becomes the first frame (at
 * 0) and start_s must be > 0; revert turns it back. */
int story_edit_frame_add(struct story_edit *e, const struct story *s,
                         const char *actor_id, double start_s,
                         const struct story_drawing *drawing, struct dy_err *err);

/* Moves a part's joint (pivot, in its parent's frame, +-1e6). */
int story_edit_part_pivot(struct story_edit *e, const struct story *s,
                          const char *actor_id, const char *part_id,
                          double pivot_x, double pivot_y, struct dy_err *err);

/* Audio clips of a scene (by index). media_id must name AUDIO media of the
 * story; start_s 0..3600, volume 0..4, trim_s 0..7200. Add appends. */
int story_edit_audio_add(struct story_edit *e, const struct story *s,
                         const char *scene_id, const char *media_id,
                         double start_s, double volume, double trim_s,
                         struct dy_err *err);
int story_edit_audio_remove(struct story_edit *e, const struct story *s,
                            const char *scene_id, size_t index,
                            struct dy_err *err);
int story_edit_audio_move(struct story_edit *e, const struct story *s,
                          const char *scene_id, size_t index, double start_s,
                          struct dy_err *err);

/* ---- history ------------------------------------------------------------ */

/* One undo step: edits applied in order (several when merged). */
struct story_history_step {
    struct story_edit *edits;
    size_t n, cap;
    uint64_t merge_key; /* 0: closed to merging */
    size_t bytes;       /* story_edit_bytes() of its edits */
};

/* Undo and redo stacks (index n-1 is the top). Caller-owned struct:
 * story_history_init() then story_history_fini(). Not tied to one story,
 * but every call must pass the story the history's edits were applied to. */
struct story_history {
    struct story_history_step *undo, *redo;
    size_t nundo, undo_cap, nredo, redo_cap;
    size_t max_steps;   /* undo steps kept; older ones are dropped (>= 1) */
    size_t max_bytes;   /* bytes of saved data kept (the newest step is
                           always kept whatever its size) */
    size_t bytes;       /* current total of both stacks */
};

/* max_steps 0 means 100; max_bytes 0 means 64 MiB. */
void story_history_init(struct story_history *h, size_t max_steps, size_t max_bytes);
/* Frees every saved edit; the story keeps its current state. */
void story_history_fini(struct story_history *h);

/* Applies `e` (built, unapplied) and pushes it as a new undo step; clears
 * the redo stack; drops the oldest steps beyond the caps. On success the
 * history takes over the edit: *e is moved in and zeroed (its fini is then
 * a no-op). On failure the story is untouched and *e stays the caller's. */
int story_history_do(struct story_history *h, struct story *s,
                     struct story_edit *e, struct dy_err *err);
/* Like story_history_do(), but when the top undo step was made by a
 * do_merge with the same merge_key (and no undo/redo/do happened since), `e`
 * joins that step, so one undo undoes the whole continuous gesture (a drag
 * makes many key sets on the same keys). Repeated sets of the same key,
 * moves of the same key, and repeated swaps of the same field (duration,
 * pivot, text, caption, audio start) collapse into one saved edit, so a
 * long drag keeps constant memory. merge_key 0 never merges; use a new key
 * per gesture (e.g. a touch-down counter). */
int story_history_do_merge(struct story_history *h, struct story *s,
                           struct story_edit *e, uint64_t merge_key,
                           struct dy_err *err);
/* Closes the top step to merging (finger lifted). */
void story_history_seal(struct story_history *h);

/* Reverts the top undo step and moves it to the redo stack (or re-applies
 * the top redo step). On error the story and both stacks are as before.
 * Undo with nothing to undo returns DY_EINVAL. */
int story_history_undo(struct story_history *h, struct story *s, struct dy_err *err);
int story_history_redo(struct story_history *h, struct story *s, struct dy_err *err);
bool story_history_can_undo(const struct story_history *h);
bool story_history_can_redo(const struct story_history *h);

#ifdef __cplusplus
}
#endif
#endif
