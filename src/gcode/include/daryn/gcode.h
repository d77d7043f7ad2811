/* gcode.h: the G-code stage. A slice_plan (slice_plan.h) plus a printer and
 * a material profile (gcode_profile.h) become a G-code file.
 *
 * Three layers, each usable alone:
 *   - gcode_sink: a buffered byte sink into a FILE * or a growing memory
 *     buffer, with a sticky error (the caller checks once, at close).
 *   - gcode_writer: a small formatter (PrusaSlicer's GCodeWriter): travel,
 *     extrude, retract, lift, temperatures, fan, comments. It tracks the
 *     position and E, and feeds every move to the time estimator.
 *   - gcode_write_plan / gcode_write_file: walk a plan layer by layer
 *     (speeds, cooling, layer comments, header, thumbnails, start/end
 *     scripts) through a writer.
 *
 * Units: mm, mm/s, seconds, degrees C. Plan coordinates (integer microns,
 * bed front-left = 0,0) become G-code coordinates by adding the printer's
 * origin_x_mm / origin_y_mm. Output conventions (comments, flavors) are
 * documented in gcode/README.md. */
#ifndef DARYN_GCODE_H
#define DARYN_GCODE_H

#include <stddef.h>
#include <stdio.h>

#include "daryn/err.h"
#include "daryn/gcode_profile.h"
#include "daryn/slice_plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sink ------------------------------------------------------------------ */

struct gcode_sink;

/* A sink writing to `f` (borrowed: the caller closes it after
 * gcode_sink_close). Returns NULL when out of memory. */
struct gcode_sink *gcode_sink_create_file(FILE *f);
/* A sink collecting into memory; read it with gcode_sink_data. */
struct gcode_sink *gcode_sink_create_mem(void);
/* Appends bytes / formatted text. After the first failure (write error,
 * out of memory) every call does nothing; gcode_sink_close reports it. */
void gcode_sink_write(struct gcode_sink *s, const char *buf, size_t len);
void gcode_sink_puts(struct gcode_sink *s, const char *str);
void gcode_sink_printf(struct gcode_sink *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Memory sinks: the bytes so far, NUL-terminated (valid until the next
 * write or destroy); NULL for file sinks or after a failure. */
const char *gcode_sink_data(const struct gcode_sink *s, size_t *len);
/* Flushes (file sinks) and returns the sticky error: 0, DY_EIO or
 * DY_ENOMEM (err filled). The sink stays readable (memory) until destroy. */
int gcode_sink_close(struct gcode_sink *s, struct dy_err *err);
/* Frees the sink (NULL is a no-op). Does not close a borrowed FILE. */
void gcode_sink_destroy(struct gcode_sink *s);

/* ---- flavors ----------------------------------------------------------------- */

/* Progress passed to the per-layer hook. */
struct gcode_progress {
    size_t layer, nlayers;   /* 0-based layer index, layer count */
    double elapsed_s, total_s; /* estimated time before this layer, total */
};

/* A firmware dialect: const descriptor, registered in gcode_flavors[]. */
struct gcode_flavor {
    const char *name;            /* "marlin", "klipper" */
    enum gcode_flavor_id id;
    /* 1: the start script heats and waits (Klipper's PRINT_START macro
     * gets the temperatures as parameters), so the writer adds no
     * M190/M109; 0: the writer adds M190/M109 before the start script
     * when the script has none. */
    int start_script_heats;
    /* ;TYPE: names per enum slice_feature (SLICE_FEAT_COUNT entries). */
    const char *const *feature_names;
    /* After the start script, before layer 0 (may be NULL). */
    void (*print_begin)(struct gcode_sink *s, size_t nlayers);
    /* After each layer's comments (progress report; may be NULL). */
    void (*layer_begin)(struct gcode_sink *s, const struct gcode_progress *p);
};

/* NULL-terminated list of every flavor. */
extern const struct gcode_flavor *const gcode_flavors[];
/* The descriptor for an id (never NULL for a valid id). */
const struct gcode_flavor *gcode_flavor_get(enum gcode_flavor_id id);
/* Maps a ;TYPE: name (ours, PrusaSlicer's or Cura's) back to a feature;
 * -1 when unknown. `name` need not be NUL-terminated. */
int gcode_feature_from_name(const char *name, size_t len);

/* ---- writer ------------------------------------------------------------------ */

struct gcode_writer;

/* Statistics a writer accumulates (also the header's values). */
struct gcode_stats {
    double time_s;          /* estimated motion time, heating excluded */
    double filament_mm;     /* net E of extrusion moves (mm of filament) */
    double filament_g;      /* filament_mm as grams via the density */
    size_t layers;          /* layers written */
    double min[3], max[3];  /* bounding box of extrusion endpoints, G-code
                               coordinates, mm; min > max when none */
};

/* Creates a formatter for a printer/material pair. `sink` is borrowed and
 * may be NULL: a dry run that only estimates time and counts filament.
 * Both profiles are copied. Returns DY_ENOMEM or 0. */
int gcode_writer_create(const struct gcode_printer *printer,
                        const struct gcode_material *material,
                        struct gcode_sink *sink, struct gcode_writer **out);
void gcode_writer_destroy(struct gcode_writer *w);

/* Mode and position. set_relative_e emits M83 / M82; reset_e emits G92 E0;
 * set_position emits nothing (for a known position after a script). */
void gcode_writer_set_relative_e(struct gcode_writer *w, int relative);
void gcode_writer_reset_e(struct gcode_writer *w);
void gcode_writer_set_position(struct gcode_writer *w, double x, double y,
                               double z);
void gcode_writer_get_position(const struct gcode_writer *w, double *x,
                               double *y, double *z);

/* G0 X Y F (F in mm/s, written as mm/min only when it changes). */
void gcode_writer_travel_to(struct gcode_writer *w, double x, double y,
                            double speed);
/* G1 Z F (travel speed for Z). A pending lift is dropped. */
void gcode_writer_move_z(struct gcode_writer *w, double z, double speed);
/* G1 X Y E F extruding a line of width x height (mm) at `speed`; E from
 * the cross-section, the filament diameter and the flow. Returns the E
 * (mm of filament) of the move. Zero-length moves write nothing. */
double gcode_writer_extrude_to(struct gcode_writer *w, double x, double y,
                               double width, double height, double speed);
/* Retract / deretract by the material's (or printer's) length; nothing
 * when already (de)retracted or the length is 0. */
void gcode_writer_retract(struct gcode_writer *w);
void gcode_writer_deretract(struct gcode_writer *w);
/* Z-hop up by the lift height / back down; nothing when the height is 0. */
void gcode_writer_lift(struct gcode_writer *w);
void gcode_writer_unlift(struct gcode_writer *w);
/* M104/M109 (nozzle) or M140/M190 (bed), `wait` picks the waiting form. */
void gcode_writer_set_nozzle_temp(struct gcode_writer *w, double c, int wait);
void gcode_writer_set_bed_temp(struct gcode_writer *w, double c, int wait);
/* Fan in percent: M106 S0..255, or M107 for 0. Only when it changes. */
void gcode_writer_set_fan(struct gcode_writer *w, double pct);
/* Writes "line\n" verbatim / a ";"-comment. Also through the sink only. */
void gcode_writer_raw(struct gcode_writer *w, const char *line);
void gcode_writer_comment(struct gcode_writer *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Completes the time estimate of the queued moves (ends at rest) and
 * returns the statistics so far. */
const struct gcode_stats *gcode_writer_stats(struct gcode_writer *w);

/* ---- whole plans ----------------------------------------------------------- */

/* A PNG thumbnail for the G-code header (PrusaSlicer block format). */
struct gcode_thumbnail {
    int w, h;                  /* pixels, as written in "thumbnail begin" */
    const unsigned char *png;  /* borrowed PNG bytes */
    size_t len;
};

struct gcode_opts {
    const struct gcode_thumbnail *thumbs; /* borrowed, may be NULL */
    size_t nthumbs;
    const volatile int *cancel; /* checked per layer; may be NULL */
    struct gcode_stats *stats;  /* OUT, optional: the header's values */
};

/* Writes the whole print into `sink`: header (estimated time, filament,
 * layer count, bounding box, thumbnails), the start script with
 * temperatures set and waited, every layer, the end script.
 * Errors: DY_ERANGE (a point outside the bed, z above max_z, bad width or
 * height; where names layer/path/point), DY_ECANCELED, DY_ENOMEM, and the
 * sink's error. `opts` may be NULL. */
int gcode_write_plan(const struct slice_plan *plan,
                     const struct gcode_printer *printer,
                     const struct gcode_material *material,
                     const struct gcode_opts *opts, struct gcode_sink *sink,
                     struct dy_err *err);

/* gcode_write_plan into a temporary file next to `path`, renamed to `path`
 * at the end; on any error or cancel no file is left. DY_EIO for file
 * errors. */
int gcode_write_file(const struct slice_plan *plan,
                     const struct gcode_printer *printer,
                     const struct gcode_material *material,
                     const struct gcode_opts *opts, const char *path,
                     struct dy_err *err);

/* Expands {placeholders} of a start/end script (see gcode/README.md) into
 * `sink`, one line at a time. Unknown names are kept verbatim (profiles
 * are checked at load time). */
struct gcode_script_vars {
    double first_layer_nozzle_temp, nozzle_temp;
    double first_layer_bed_temp, bed_temp;
    double max_layer_z;    /* top of the print, mm */
    size_t layer_count;
};
void gcode_script_expand(struct gcode_sink *sink, const char *script,
                         const struct gcode_printer *printer,
                         const struct gcode_material *material,
                         const struct gcode_script_vars *vars);

#ifdef __cplusplus
}
#endif
#endif
