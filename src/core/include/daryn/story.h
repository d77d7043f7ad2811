/* story.h: the story model, pure C (libc + libm only).
 *
 * A story is a list of scenes played one after another. A scene has a
 * duration, a background (colour and optional image), camera keys, actors,
 * captions in several languages and audio clips. An actor is a character
 * (parts with pivots), a vector drawing (optionally frame-by-frame), an image
 * or a text / speech bubble, and carries keyframed properties.
 *
 * Units: story space is a canvas `story.width` x `story.height` units
 * (default 1920 x 1080), origin top-left, y down, angles in degrees
 * clockwise, times in seconds (double), relative to the scene start. The
 * renderer scales story units to any output size.
 *
 * Ownership: a `struct story` owns everything reachable from it (strings,
 * arrays, media bytes). Free with story_destroy(). All arrays are
 * (pointer, count, capacity) triples grown by the story_*_add functions;
 * pointers into arrays are invalidated by a later add to the same array.
 *
 * The model is plain data so that the studio's undo can be a stack of small
 * reversible edits and the renderer can draw any scene at any time t. */
#ifndef DARYN_STORY_H
#define DARYN_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Current schema version written by storyio; older versions are migrated on
 * load (see docs/story-format.md). */
#define STORY_SCHEMA_VERSION 1

/* Safety limits enforced by the loader (and by the editing functions). */
#define STORY_MAX_SCENES 1000
#define STORY_MAX_ACTORS 1000        /* per scene */
#define STORY_MAX_PARTS 256          /* per character */
#define STORY_MAX_KEYS 100000        /* per track */
#define STORY_MAX_SHAPES 100000      /* per drawing */
#define STORY_MAX_POINTS 1000000     /* per shape */
#define STORY_MAX_FRAMES 10000       /* frame-by-frame drawings per actor */
#define STORY_MAX_CAPTIONS 10000     /* per scene */
#define STORY_MAX_AUDIO 1000         /* per scene */
#define STORY_MAX_MEDIA 10000        /* media files per story */
#define STORY_MAX_DURATION_S 3600.0  /* per scene */
#define STORY_MAX_CANVAS 16384.0     /* canvas width/height, units */
#define STORY_MAX_COORD 1.0e6        /* |x|, |y| of anything, units */
#define STORY_MAX_SCALE 1000.0
#define STORY_MAX_TEXT 100000        /* bytes of one text */
#define STORY_MAX_ID 64              /* bytes of an id */

/* ---- languages --------------------------------------------------------- */

enum story_lang { STORY_LANG_KK, STORY_LANG_RU, STORY_LANG_EN, STORY_LANG_COUNT };

/* "kk", "ru", "en". */
const char *story_lang_code(enum story_lang lang);
/* Returns the language for a code, or -1. */
int story_lang_from_code(const char *code);

/* A text in several languages; any entry may be NULL (missing). */
struct story_text {
    char *s[STORY_LANG_COUNT]; /* UTF-8, owned */
};

/* Length in bytes of the valid UTF-8 sequence starting at s, or 0 when it
 * is invalid (overlongs, surrogates and code points above U+10FFFF are
 * invalid, as jansson decides on load). story_utf8_valid: the whole
 * NUL-terminated string is valid UTF-8. */
size_t story_utf8_len(const char *s);
bool story_utf8_valid(const char *s);

/* The text for `lang`, falling back to en, ru, kk in that order; "" if none. */
const char *story_text_get(const struct story_text *t, enum story_lang lang);

/* ---- colour ------------------------------------------------------------- */

struct story_color {
    float r, g, b, a; /* 0..1, not premultiplied */
};

/* ---- keyframes ---------------------------------------------------------- */

enum key_ease {
    KEY_EASE_LINEAR,
    KEY_EASE_IN,       /* cubic ease-in */
    KEY_EASE_OUT,      /* cubic ease-out */
    KEY_EASE_IN_OUT,   /* cubic ease-in-out */
    KEY_EASE_STEP,     /* hold the value until the next key */
    KEY_EASE_OVERSHOOT,/* back-out: passes the target by ~10 % and settles */
    KEY_EASE_COUNT
};

/* "linear", "in", "out", "in-out", "step", "overshoot". */
const char *key_ease_name(enum key_ease ease);
/* Returns the ease for a name, or -1. */
int key_ease_from_name(const char *name);

/* The eased progress for linear progress u in [0, 1]; exact at 0 and 1
 * (ease(0) == 0, ease(1) == 1); STEP gives 0 for u < 1. */
double key_ease_apply(enum key_ease ease, double u);

/* One key: at `time_s` the property is `value`; `ease` shapes the segment
 * from this key to the next one. */
struct key {
    double time_s;
    double value;
    enum key_ease ease;
};

/* Keys sorted by strictly increasing time. */
struct key_track {
    struct key *keys;
    size_t n, cap;
};

/* Value at time t: `def` when the track is empty, the first key's value
 * before it, the last key's value after it, eased interpolation between. */
double key_track_eval(const struct key_track *tr, double t, double def);

/* Inserts a key, or replaces the value and ease of the key at exactly the
 * same time. Keeps the track sorted. Returns 0 or DY_ENOMEM / DY_ELIMIT /
 * DY_EINVAL (non-finite). */
int key_track_set(struct key_track *tr, double time_s, double value,
                  enum key_ease ease);
/* Removes the key at index i (no-op when out of range). */
void key_track_remove(struct key_track *tr, size_t i);
/* Index of the key at exactly time_s, or -1. */
long key_track_find(const struct key_track *tr, double time_s);
void key_track_fini(struct key_track *tr);
/* Deep copy; dst must be empty/zeroed. */
int key_track_copy(struct key_track *dst, const struct key_track *src);

/* ---- vector drawings ---------------------------------------------------- */

/* A point of a stroke or outline; `w` is the stroke width at that point in
 * units (ignored for fills). */
struct story_point {
    double x, y, w;
};

enum story_shape_kind {
    STORY_SHAPE_STROKE, /* open or closed line with per-point width */
    STORY_SHAPE_FILL,   /* closed filled outline, optional outline stroke */
};

struct story_shape {
    enum story_shape_kind kind;
    struct story_point *pts;
    size_t n, cap;
    bool closed;              /* strokes: join last to first; fills: always */
    bool smooth;              /* draw a smooth curve through the points */
    struct story_color color; /* stroke colour, or fill colour */
    struct story_color line;  /* fills: outline colour (a = 0: none) */
    double line_w;            /* fills: outline width, units */
};

struct story_drawing {
    struct story_shape *shapes;
    size_t n, cap;
};

/* ---- media -------------------------------------------------------------- */

enum story_media_kind {
    STORY_MEDIA_IMAGE, /* raster (PNG, JPEG, ...), decoded through FFmpeg */
    STORY_MEDIA_SVG,   /* vector, drawn with librsvg */
    STORY_MEDIA_AUDIO, /* any audio FFmpeg decodes (WAV, OGG, MP3, ...) */
};

/* A media file held in the story (a member of the .daryn zip). */
struct story_media {
    char *id;                  /* unique in the story */
    char *path;                /* member name in the zip, e.g. "media/x.png" */
    enum story_media_kind kind;
    uint8_t *data;             /* file bytes, owned */
    size_t size;
};

/* ---- actors ------------------------------------------------------------- */

/* What a character part or an image actor shows: a vector drawing, or a
 * media file (image or SVG) placed with its top-left at (x, y) and scaled to
 * w x h units. */
struct story_visual {
    struct story_drawing drawing;
    char *media_id;       /* NULL: use `drawing` */
    double x, y, w, h;    /* media placement, part-local units */
};

/* A part of a character (head, arm, ...). Parts form a tree through
 * `parent`; a part is drawn in its parent's frame translated to `pivot`
 * (the joint, in the parent's coordinates) and rotated by its rotation
 * track; its visual is given in coordinates where (0, 0) is the pivot. */
struct story_part {
    char *id;                 /* unique in the character, e.g. "arm_l" */
    int parent;               /* index of the parent part, -1 for the root */
    double pivot_x, pivot_y;  /* joint position in the parent's frame */
    double rest_rotation;     /* degrees, added to the track value */
    int z;                    /* draw order among parts (ties: list order) */
    struct story_visual visual;
};

enum story_actor_kind {
    STORY_ACTOR_CHARACTER,
    STORY_ACTOR_DRAWING,
    STORY_ACTOR_IMAGE,
    STORY_ACTOR_TEXT,
};

enum story_bubble {
    STORY_BUBBLE_NONE,   /* plain text */
    STORY_BUBBLE_SPEECH, /* rounded box with a tail towards (tail_x, tail_y) */
    STORY_BUBBLE_THOUGHT,/* cloud with small circles towards the tail */
};

/* One drawing of a frame-by-frame actor: shown from start_s until the next
 * frame's start (or the scene end). */
struct story_frame {
    double start_s;
    struct story_drawing drawing;
};

/* Keyframed property tracks of an actor. Defaults when a track is empty:
 * x, y 0; rotation 0; scale 1; opacity 1; visible 1; z 0. `visible` is
 * true when the value is >= 0.5 (use KEY_EASE_STEP keys). */
enum story_prop {
    STORY_PROP_X,
    STORY_PROP_Y,
    STORY_PROP_ROTATION,
    STORY_PROP_SCALE_X,
    STORY_PROP_SCALE_Y,
    STORY_PROP_OPACITY,
    STORY_PROP_VISIBLE,
    STORY_PROP_Z,
    STORY_PROP_COUNT
};

/* "x", "y", "rotation", "scale_x", "scale_y", "opacity", "visible", "z". */
const char *story_prop_name(enum story_prop p);
int story_prop_from_name(const char *name);
double story_prop_default(enum story_prop p);

struct story_actor {
    char *id;                  /* unique in the story */
    char *name;                /* shown in the studio; may be NULL */
    char *template_name;       /* template it came from; may be NULL */
    enum story_actor_kind kind;
    struct key_track props[STORY_PROP_COUNT];

    /* CHARACTER: parts, and one rotation track per part (same index). */
    struct story_part *parts;
    struct key_track *part_rot;
    size_t nparts, parts_cap;

    /* DRAWING: the drawing, or frames when nframes > 0 (frames sorted by
     * strictly increasing start_s). */
    struct story_drawing drawing;
    struct story_frame *frames;
    size_t nframes, frames_cap;

    /* IMAGE: the visual (media_id set). */
    struct story_visual image;

    /* TEXT: text per language, font size (units), colours, bubble, box
     * width for wrapping (units, 0: no wrap), tail target (actor-local). */
    struct story_text text;
    double font_size;
    double box_w;
    struct story_color text_color;
    struct story_color bubble_color;
    enum story_bubble bubble;
    double tail_x, tail_y;
};

/* ---- scenes ------------------------------------------------------------- */

struct story_caption {
    double start_s, end_s;   /* shown for start_s <= t < end_s */
    struct story_text text;
};

struct story_audio {
    char *media_id;          /* STORY_MEDIA_AUDIO */
    double start_s;          /* relative to the scene start; may run past the
                                scene end into later scenes */
    double volume;           /* linear gain, 0..4 */
    double trim_s;           /* skip this much of the clip's start */
};

/* The camera looks at (x, y) (story units, centre of the view) with zoom z
 * (1 = the whole canvas). Defaults: canvas centre, zoom 1. */
enum story_cam { STORY_CAM_X, STORY_CAM_Y, STORY_CAM_ZOOM, STORY_CAM_COUNT };

struct story_scene {
    char *id;                     /* unique in the story */
    struct story_text title;
    double duration_s;            /* > 0 */
    struct story_color background;
    char *background_media;       /* image/SVG filling the canvas; may be NULL */
    struct key_track camera[STORY_CAM_COUNT];

    struct story_actor *actors;   /* list order = draw order for equal z */
    size_t nactors, actors_cap;
    struct story_caption *captions;
    size_t ncaptions, captions_cap;
    struct story_audio *audio;
    size_t naudio, audio_cap;
};

/* ---- story -------------------------------------------------------------- */

struct story {
    int version;                  /* schema version it was loaded from */
    struct story_text title;
    char *author;                 /* may be NULL */
    double width, height;         /* canvas, units (> 0) */
    struct story_scene *scenes;
    size_t nscenes, scenes_cap;
    struct story_media *media;
    size_t nmedia, media_cap;
};

/* Creates an empty story with a 1920 x 1080 canvas. Returns NULL on OOM. */
struct story *story_create(void);
/* Frees the story and everything it owns; NULL is a no-op. */
void story_destroy(struct story *s);

/* Adds a zero-initialised scene / actor / ... with defaults and returns a
 * pointer to it (valid until the next add to the same array), or NULL on
 * OOM or when a STORY_MAX_* limit is reached. Ids are copied. */
struct story_scene *story_scene_add(struct story *s, const char *id);
struct story_actor *story_actor_add(struct story_scene *sc, const char *id,
                                    enum story_actor_kind kind);
struct story_part *story_part_add(struct story_actor *a, const char *id,
                                  int parent);
struct story_shape *story_drawing_add(struct story_drawing *d,
                                      enum story_shape_kind kind);
int story_shape_add_point(struct story_shape *sh, double x, double y, double w);
struct story_frame *story_frame_add(struct story_actor *a, double start_s);
struct story_caption *story_caption_add(struct story_scene *sc, double start_s,
                                        double end_s);
struct story_audio *story_audio_add(struct story_scene *sc, const char *media_id,
                                    double start_s, double volume);
/* Adds a media file; `data` is copied. */
struct story_media *story_media_add(struct story *s, const char *id,
                                    const char *path, enum story_media_kind kind,
                                    const void *data, size_t size);
/* Sets one language of a text (copied; NULL clears). Returns 0/DY_ENOMEM. */
int story_text_set(struct story_text *t, enum story_lang lang, const char *s);

/* Lookups (NULL / -1 when not found). */
const struct story_media *story_media_find(const struct story *s, const char *id);
long story_scene_find(const struct story *s, const char *id);

/* Start time of scene i in the whole story, and the total duration. */
double story_scene_start(const struct story *s, size_t scene);
double story_duration(const struct story *s);

/* Appends a deep copy of `src` (which may belong to another story, e.g. a
 * template) to scene `dst` under the id `new_id` (copied). Media ids are
 * copied as they are: the caller copies the media too when the source is
 * another story. Returns the new actor (valid until the next add) or NULL
 * on OOM / limit. */
struct story_actor *story_actor_copy(struct story_scene *dst, const struct story_actor *src,
                                     const char *new_id);

/* Deep-copies a drawing into an empty one. */
int story_drawing_copy(struct story_drawing *dst, const struct story_drawing *src);
void story_drawing_fini(struct story_drawing *d);

/* ---- evaluation at time t ------------------------------------------------ */

/* An actor's evaluated state at scene time t. */
struct story_actor_state {
    double x, y, rotation, scale_x, scale_y, opacity, z;
    bool visible;
    int frame; /* frame-by-frame: index of the frame shown, -1 if none */
};

void story_actor_eval(const struct story_actor *a, double t,
                      struct story_actor_state *out);
/* Rotation (degrees, rest_rotation included) of part i at time t. */
double story_part_rotation(const struct story_actor *a, size_t part, double t);

struct story_camera_state {
    double x, y, zoom;
};
void story_camera_eval(const struct story *s, const struct story_scene *sc,
                       double t, struct story_camera_state *out);

/* The caption shown at scene time t, or NULL. */
const struct story_caption *story_caption_at(const struct story_scene *sc,
                                             double t);

/* The rules story_validate() applies, for editors that check before they
 * change anything: an id is 1..STORY_MAX_ID bytes of [A-Za-z0-9_.-]; the
 * allowed value range of a property track, a camera track and a part
 * rotation track (degrees). */
bool story_id_valid(const char *id);
void story_prop_range(enum story_prop p, double *lo, double *hi);
void story_cam_range(enum story_cam c, double *lo, double *hi);
#define STORY_MAX_ROTATION 1.0e6 /* |degrees| of a rotation key or rest_rotation */

/* Checks the model's invariants (ids unique and well formed, parents valid
 * and acyclic, tracks sorted and finite, sizes and times in range, media
 * referenced by id exist and have the right kind). On the first problem
 * fills *err with the JSON path of the field (e.g.
 * "scenes[1].actors[0].tracks.x[3].time") and returns a negative code.
 * Used by the loader after parsing and by the editor before saving. */
int story_validate(const struct story *s, struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
