/* render_internal.h: what the render_*.c files share (not installed).
 *
 * The renderer draws in story units: render.c sets up the Cairo transform
 * (fit + camera + actor + part) and the helpers here draw in the current
 * user space, so nothing below depends on the output size. */
#ifndef DARYN_RENDER_INTERNAL_H
#define DARYN_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include "daryn/render.h"

/* Families tried in order; both carry the Kazakh letters. */
#define RENDER_FONT_FAMILY "DejaVu Sans,Noto Sans"

/* Decoded raster image with lazily built half-size levels (mipmaps): a
 * large picture drawn small is sampled from the nearest larger level with a
 * cheap bilinear filter instead of Cairo's slow per-frame downscaling
 * convolution. */
#define RENDER_MIP_LEVELS 8
/* SVG rasters kept per SVG (one per on-screen size in use). */
#define RENDER_SVG_RASTERS 4

struct render_raster {
    cairo_surface_t *s;   /* owned, NULL: empty slot */
    int w, h;             /* pixels */
    unsigned long used;   /* frame stamp of the last use */
};

struct render_media {
    const struct story_media *sm; /* borrowed from the story, NULL: unloaded */
    const uint8_t *data;          /* sm->data when loaded (detects edits) */
    cairo_surface_t *mip[RENDER_MIP_LEVELS]; /* [0]: full size, owned */
    int nmip;                     /* levels built so far */
    RsvgHandle *svg;              /* SVG media, owned */
    struct render_raster raster[RENDER_SVG_RASTERS];
    int failed;                   /* decoding failed once: don't retry */
};

/* A laid-out text, kept between frames: shaping is the costly part of
 * text drawing and the same bubble is drawn in every frame. */
struct render_layout {
    char *text;          /* owned copy, NULL: empty slot */
    double size;         /* font size, units */
    double wrap;         /* wrap width, units (0: none) */
    PangoLayout *layout; /* owned */
    unsigned long used;  /* frame stamp of the last use (eviction) */
};

#define RENDER_LAYOUT_CACHE 64

/* An entry of a draw order: sort key, then list index for stable ties. */
struct order_item {
    double z;
    size_t i;
};

/* The burned caption as drawn on the last frame, in device pixels: the
 * outlined glyph paths cost more than all the rest of a typical frame, and
 * a caption stays for seconds. Keyed by the text and the exact device
 * transform, so a hit gives the same pixels as drawing anew. */
struct render_caption_cache {
    char *text;             /* owned, NULL: empty */
    cairo_matrix_t m;       /* user (canvas) -> device at the time */
    cairo_surface_t *surf;  /* owned */
    int x, y;               /* device position of surf's top-left */
};

/* A character part's drawing rendered once (render_sprite.c). The key is
 * the drawing's address, its content hash and the quantised device scale
 * of the part's axes; the pixels depend on nothing else. */
struct render_sprite {
    const struct story_drawing *d; /* key (borrowed), NULL: empty slot */
    uint64_t hash;                 /* key: content of the drawing */
    int qx, qy;                    /* key: quantised x / y scales */
    cairo_pattern_t *pat;          /* owned: the raster, its matrix maps
                                      part-local units to its pixels */
    size_t bytes;                  /* pixel memory */
    unsigned long used;            /* frame stamp of the last use */
};

/* Set-associative sprite cache: a key maps to one set of WAYS slots. */
#define RENDER_SPRITE_SLOTS 1024
#define RENDER_SPRITE_WAYS 4

struct render_ctx {
    const struct story *story;  /* borrowed */

    struct render_media *media; /* one per story media entry, same index */
    size_t nmedia;

    PangoFontMap *fontmap;      /* owned: one per renderer, no global state */
    PangoContext *pango;        /* owned */
    struct render_layout layouts[RENDER_LAYOUT_CACHE];
    unsigned long frame;        /* frame stamp */
    struct render_caption_cache caption;

    /* Scratch arrays reused between frames (no per-frame allocation). */
    struct order_item *order;   /* actor draw order */
    struct story_actor_state *states; /* per actor, same index as the scene */
    size_t order_cap;           /* capacity of both */
    struct order_item *porder;  /* part draw order */
    size_t porder_cap;
    cairo_matrix_t *pmat;       /* per-part accumulated transforms */
    unsigned char *pstate;      /* per-part visit state */
    size_t pmat_cap;            /* capacity of both */
    double *pts;                /* flattened stroke samples (x, y, r) */
    size_t pts_cap;

    struct render_sprite sprites[RENDER_SPRITE_SLOTS];
    size_t sprite_bytes;        /* pixel memory of all sprites */
};

/* ---- render_shape.c ---- */

/* Draws a vector drawing in the current user space. */
void render_drawing_draw(struct render_ctx *rc, cairo_t *cr,
                         const struct story_drawing *d);

/* ---- render_sprite.c ---- */

/* Draws a character part's drawing in the current user space through its
 * cached sprite (built on a miss). Returns false, having drawn nothing,
 * when a sprite does not suit (degenerate or huge on the device, Cairo
 * failure): the caller then draws directly. */
bool render_sprite_draw(struct render_ctx *rc, cairo_t *cr,
                        const struct story_drawing *d);
/* Frees all sprites. */
void render_sprite_clear(struct render_ctx *rc);

/* ---- render_media.c ---- */

/* Draws media `id` scaled into the rect (x, y, w, h) of the current user
 * space. Returns 0 or a negative code (unknown id, undecodable file). */
int render_media_draw(struct render_ctx *rc, cairo_t *cr, const char *id,
                      double x, double y, double w, double h,
                      struct dy_err *err);
/* Frees all cached media (the array stays allocated). */
void render_media_clear(struct render_ctx *rc);

/* ---- render_text.c ---- */

int render_text_init(struct render_ctx *rc, struct dy_err *err);
void render_text_fini(struct render_ctx *rc);
/* A cached layout of `text` at `size` units, wrapped at `wrap` units
 * (0: none), centred lines. Owned by the cache; NULL on OOM. */
PangoLayout *render_layout_get(struct render_ctx *rc, const char *text,
                               double size, double wrap);
/* Draws a text actor (with its bubble) centred on the user-space origin. */
void render_text_actor_draw(struct render_ctx *rc, cairo_t *cr,
                            const struct story_actor *a,
                            enum story_lang lang);
/* Draws `text` as a burned caption at the bottom of the canvas
 * (canvas_w x canvas_h user units; the current transform maps canvas units
 * to device pixels without rotation). */
void render_caption_draw(struct render_ctx *rc, cairo_t *cr, const char *text,
                         double canvas_w, double canvas_h);

/* Frees the cached caption raster. */
void render_caption_cache_clear(struct render_ctx *rc);

#endif
