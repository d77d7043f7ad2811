/* gcode_profile.h: printer and material profiles (gcode/printers/NAME.ini,
 * gcode/materials/NAME.ini), read by one table-driven parser.
 *
 * A profile is a plain key=value file: `# comment` lines, optional
 * `[section]` headers (ignored, for grouping only), and multi-line values
 * between triple quotes:
 *
 *     start_gcode = """
 *     G28 ; home
 *     M190 S{first_layer_bed_temp}
 *     """
 *
 * Every key is declared once in a table row {key, type, offset, min, max}
 * with the defaults in one designated-initializer literal (mpv's
 * demux_conf). Unknown keys, duplicate keys, bad types and out-of-range
 * values are errors naming the file and line, e.g.
 *     where = "ender3v2.ini:14: nozzle_temp", msg = "400 is above max 300".
 * gcode/README.md documents every key, its unit, range and default.
 *
 * Units: lengths mm, speeds mm/s, accelerations mm/s^2, temperatures
 * degrees C, fan percent 0..100, times s. Both structs are plain values
 * (fixed-size strings, no heap): copy them freely. */
#ifndef DARYN_GCODE_PROFILE_H
#define DARYN_GCODE_PROFILE_H

#include <stddef.h>

#include "daryn/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCODE_NAME_MAX 64       /* bytes of a name, with the NUL */
#define GCODE_SCRIPT_MAX 4096   /* bytes of a start/end G-code script */
#define GCODE_THUMBS_MAX 4      /* thumbnail sizes per printer */
#define GCODE_PROFILE_MAX_BYTES (1 << 20) /* larger files are rejected */

enum gcode_flavor_id {
    GCODE_FLAVOR_MARLIN,   /* Marlin 2 and Prusa firmware */
    GCODE_FLAVOR_KLIPPER,  /* Klipper: start/end through macros */
    GCODE_FLAVOR_COUNT
};

struct gcode_thumb_size {
    int w, h; /* pixels */
};

struct gcode_printer {
    char id[GCODE_NAME_MAX];       /* file stem ("ender3v2"); set by the loader */
    char name[GCODE_NAME_MAX];     /* display name ("Creality Ender-3 V2") */
    enum gcode_flavor_id flavor;
    /* geometry */
    double bed_x_mm, bed_y_mm, max_z_mm; /* printable volume */
    double origin_x_mm, origin_y_mm;     /* G-code coordinates of the bed's
                                            front-left corner (plan 0,0) */
    double nozzle_mm;
    int relative_e;                /* 1: M83, 0: M82 with G92 E0 per layer */
    /* machine limits, used for the time estimate and speed capping */
    double max_speed_xy, max_speed_z, max_speed_e;    /* mm/s */
    double max_accel_xy, max_accel_z, max_accel_e;    /* mm/s^2 */
    double accel_print, accel_travel;                 /* mm/s^2 */
    double junction_deviation_mm;  /* cornering model (Marlin JD; Klipper:
                                      scv^2 * (sqrt(2)-1) / accel) */
    /* default feature speeds, mm/s */
    double speed_wall_outer, speed_wall_inner, speed_infill, speed_solid,
           speed_top, speed_support, speed_skirt, speed_travel,
           speed_first_layer, speed_z_travel;
    /* retraction */
    double retract_mm, retract_speed, deretract_speed, zhop_mm;
    /* scripts with {placeholders}, expanded by the writer */
    char start_gcode[GCODE_SCRIPT_MAX];
    char end_gcode[GCODE_SCRIPT_MAX];
    struct gcode_thumb_size thumbs[GCODE_THUMBS_MAX]; /* sizes the printer's
                                                        screen/host shows */
    int nthumbs;
};

struct gcode_material {
    char id[GCODE_NAME_MAX];       /* file stem ("pla"); set by the loader */
    char name[GCODE_NAME_MAX];     /* display name ("PLA") */
    double nozzle_temp, first_layer_nozzle_temp; /* C */
    double bed_temp, first_layer_bed_temp;       /* C */
    double filament_diameter_mm;
    double density_g_cm3;
    double flow;                   /* extrusion multiplier, 1.0 = nominal */
    /* cooling (PrusaSlicer's rules) */
    int fan_always_on;             /* 1: run at fan_min_pct on fast layers */
    double fan_min_pct, fan_max_pct;
    int fan_disable_first_layers;  /* fan off for this many layers */
    double fan_below_layer_time_s; /* below: fan ramps from min towards max */
    double slowdown_below_layer_time_s; /* below: max fan, slow the layer */
    double min_print_speed;        /* slowdown never goes below, mm/s */
    /* caps */
    double max_speed;              /* cap on every extrusion speed, mm/s */
    double max_volumetric_speed;   /* mm^3/s, 0 = none */
    /* retraction overrides; < 0 = use the printer's */
    double retract_mm, retract_speed, zhop_mm;
};

/* Defaults as documented in gcode/README.md (the `.defaults` literals). */
extern const struct gcode_printer gcode_printer_defaults;
extern const struct gcode_material gcode_material_defaults;

/* "marlin" / "klipper". */
const char *gcode_flavor_id_name(enum gcode_flavor_id id);

/* Loads a printer profile: starts from the defaults, applies every key of
 * the file. `out` is written only on success. Errors: DY_EIO / DY_ENOTFOUND
 * (file), DY_EFORMAT (syntax, unknown or duplicate key, bad type, unknown
 * placeholder), DY_ERANGE (value out of range), DY_ELIMIT (file too big). */
int gcode_printer_load(const char *path, struct gcode_printer *out,
                       struct dy_err *err);
int gcode_material_load(const char *path, struct gcode_material *out,
                        struct dy_err *err);

/* The same parsers on a memory buffer; `name` is used in error messages
 * (e.g. "ender3v2.ini") and `len` must be <= GCODE_PROFILE_MAX_BYTES. */
int gcode_printer_parse(const char *name, const char *buf, size_t len,
                        struct gcode_printer *out, struct dy_err *err);
int gcode_material_parse(const char *name, const char *buf, size_t len,
                         struct gcode_material *out, struct dy_err *err);

/* The profile kinds, naming the sub-directory of the profile dir. */
enum gcode_profile_kind { GCODE_PROFILE_PRINTER, GCODE_PROFILE_MATERIAL };

/* Builds "<dir>/printers/<name>.ini" (or materials/) into `path` (size
 * bytes) after checking that `name` is a plain stem ([a-z0-9_-]) and the
 * file exists. DY_ENOTFOUND when it does not, DY_EINVAL for a bad name. */
int gcode_profile_find(const char *dir, enum gcode_profile_kind kind,
                       const char *name, char *path, size_t size,
                       struct dy_err *err);

/* Calls `cb(user, id, path)` for every `*.ini` of that kind in `dir`,
 * sorted by id (for `daryn printers`). A non-zero return from cb stops the
 * walk and is returned. DY_ENOTFOUND when the directory is missing. */
typedef int (*gcode_profile_list_cb)(void *user, const char *id,
                                     const char *path);
int gcode_profile_list(const char *dir, enum gcode_profile_kind kind,
                       gcode_profile_list_cb cb, void *user,
                       struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
