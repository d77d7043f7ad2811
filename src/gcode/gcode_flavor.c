/* gcode_flavor.c: the firmware dialects, one const descriptor each, in one
 * NULL-terminated list (mpv's demuxer_list[]).
 *
 * ;TYPE: convention: both flavors write PrusaSlicer's feature names. They
 * are read by PrusaSlicer's G-code viewer, OctoPrint's PrettyGCode,
 * Mainsail's and Fluidd's viewers (which are what Klipper users see), and
 * our own reader; Cura's names (WALL-OUTER, ...) are only read back. */
#include <math.h>
#include <string.h>

#include "daryn/gcode.h"

static const char *const prusa_feature_names[SLICE_FEAT_COUNT] = {
    [SLICE_FEAT_SKIRT] = "Skirt/Brim",
    [SLICE_FEAT_BRIM] = "Skirt/Brim",
    [SLICE_FEAT_WALL_OUTER] = "External perimeter",
    [SLICE_FEAT_WALL_INNER] = "Perimeter",
    [SLICE_FEAT_TOP] = "Top solid infill",
    [SLICE_FEAT_BOTTOM] = "Solid infill",
    [SLICE_FEAT_INFILL] = "Internal infill",
    [SLICE_FEAT_SUPPORT] = "Support material",
    [SLICE_FEAT_SUPPORT_INTERFACE] = "Support material interface",
};

/* Read-only aliases: Cura's names and our own slice_feature_name()s. */
static const struct {
    const char *name;
    enum slice_feature feat;
} feature_aliases[] = {
    {"SKIRT", SLICE_FEAT_SKIRT},
    {"WALL-OUTER", SLICE_FEAT_WALL_OUTER},
    {"WALL-INNER", SLICE_FEAT_WALL_INNER},
    {"SKIN", SLICE_FEAT_TOP},
    {"FILL", SLICE_FEAT_INFILL},
    {"SUPPORT", SLICE_FEAT_SUPPORT},
    {"SUPPORT-INTERFACE", SLICE_FEAT_SUPPORT_INTERFACE},
    {"Bridge infill", SLICE_FEAT_BOTTOM},
    {"Overhang perimeter", SLICE_FEAT_WALL_OUTER},
    {"skirt", SLICE_FEAT_SKIRT},
    {"brim", SLICE_FEAT_BRIM},
    {"wall-outer", SLICE_FEAT_WALL_OUTER},
    {"wall-inner", SLICE_FEAT_WALL_INNER},
    {"top", SLICE_FEAT_TOP},
    {"bottom", SLICE_FEAT_BOTTOM},
    {"infill", SLICE_FEAT_INFILL},
    {"support", SLICE_FEAT_SUPPORT},
    {"support-interface", SLICE_FEAT_SUPPORT_INTERFACE},
};

static int name_eq(const char *a, size_t alen, const char *b)
{
    return strlen(b) == alen && !memcmp(a, b, alen);
}

int gcode_feature_from_name(const char *name, size_t len)
{
    for (int f = 0; f < SLICE_FEAT_COUNT; f++) {
        if (name_eq(name, len, prusa_feature_names[f])) {
            return f;
        }
    }
    for (size_t i = 0; i < sizeof(feature_aliases) / sizeof(*feature_aliases);
         i++) {
        if (name_eq(name, len, feature_aliases[i].name)) {
            return (int)feature_aliases[i].feat;
        }
    }
    return -1;
}

/* Marlin: M73 P<percent> R<minutes left> drives the progress bar of Prusa
 * and Marlin 2 screens (LCD_SET_PROGRESS_MANUALLY); others ignore it. */
static void marlin_layer_begin(struct gcode_sink *s,
                               const struct gcode_progress *p)
{
    double pct = p->total_s > 0 ? 100.0 * p->elapsed_s / p->total_s : 0;
    double left_min = (p->total_s - p->elapsed_s) / 60.0;
    if (left_min < 0) {
        left_min = 0;
    }
    gcode_sink_printf(s, "M73 P%d R%d\n", (int)floor(pct),
                      (int)ceil(left_min - 1e-9));
}

/* Klipper: print_stats knows layers natively (Mainsail/Fluidd show them). */
static void klipper_print_begin(struct gcode_sink *s, size_t nlayers)
{
    gcode_sink_printf(s, "SET_PRINT_STATS_INFO TOTAL_LAYER=%zu\n", nlayers);
}

static void klipper_layer_begin(struct gcode_sink *s,
                                const struct gcode_progress *p)
{
    gcode_sink_printf(s, "SET_PRINT_STATS_INFO CURRENT_LAYER=%zu\n",
                      p->layer + 1);
}

static const struct gcode_flavor flavor_marlin = {
    .name = "marlin",
    .id = GCODE_FLAVOR_MARLIN,
    .start_script_heats = 0,
    .feature_names = prusa_feature_names,
    .print_begin = NULL,
    .layer_begin = marlin_layer_begin,
};

static const struct gcode_flavor flavor_klipper = {
    .name = "klipper",
    .id = GCODE_FLAVOR_KLIPPER,
    .start_script_heats = 1,
    .feature_names = prusa_feature_names,
    .print_begin = klipper_print_begin,
    .layer_begin = klipper_layer_begin,
};

const struct gcode_flavor *const gcode_flavors[] = {
    &flavor_marlin,
    &flavor_klipper,
    NULL,
};

const struct gcode_flavor *gcode_flavor_get(enum gcode_flavor_id id)
{
    for (size_t i = 0; gcode_flavors[i]; i++) {
        if (gcode_flavors[i]->id == id) {
            return gcode_flavors[i];
        }
    }
    return gcode_flavors[0];
}
