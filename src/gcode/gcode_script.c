/* gcode_script.c: {placeholder} expansion in start/end G-code scripts.
 * The names are listed once here (the loader rejects any other) and
 * documented in gcode/README.md. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "daryn/gcode.h"
#include "gcode_internal.h"

enum ph {
    PH_FIRST_LAYER_NOZZLE_TEMP,
    PH_NOZZLE_TEMP,
    PH_FIRST_LAYER_BED_TEMP,
    PH_BED_TEMP,
    PH_NOZZLE_DIAMETER,
    PH_FILAMENT_DIAMETER,
    PH_BED_X,
    PH_BED_Y,
    PH_MAX_Z,
    PH_MAX_LAYER_Z,
    PH_PARK_Z,
    PH_LAYER_COUNT,
    PH_PRINTER_NAME,
    PH_MATERIAL_NAME,
    PH_COUNT
};

static const char *const ph_names[PH_COUNT] = {
    [PH_FIRST_LAYER_NOZZLE_TEMP] = "first_layer_nozzle_temp",
    [PH_NOZZLE_TEMP] = "nozzle_temp",
    [PH_FIRST_LAYER_BED_TEMP] = "first_layer_bed_temp",
    [PH_BED_TEMP] = "bed_temp",
    [PH_NOZZLE_DIAMETER] = "nozzle_diameter",
    [PH_FILAMENT_DIAMETER] = "filament_diameter",
    [PH_BED_X] = "bed_x",
    [PH_BED_Y] = "bed_y",
    [PH_MAX_Z] = "max_z",
    [PH_MAX_LAYER_Z] = "max_layer_z",
    [PH_PARK_Z] = "park_z",
    [PH_LAYER_COUNT] = "layer_count",
    [PH_PRINTER_NAME] = "printer_name",
    [PH_MATERIAL_NAME] = "material_name",
};

static int ph_find(const char *name, size_t len)
{
    for (int i = 0; i < PH_COUNT; i++) {
        if (strlen(ph_names[i]) == len && !memcmp(ph_names[i], name, len)) {
            return i;
        }
    }
    return -1;
}

int gcode_placeholder_known(const char *name, size_t len)
{
    return ph_find(name, len) >= 0;
}

/* Shortest decimal form to 3 places: 0.2 -> "0.2", 215 -> "215". */
static void put_num(struct gcode_sink *s, double v)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.3f", round(v * 1000) / 1000);
    char *e = buf + strlen(buf);
    while (e[-1] == '0') {
        *--e = 0;
    }
    if (e[-1] == '.') {
        *--e = 0;
    }
    gcode_sink_puts(s, strcmp(buf, "-0") ? buf : "0");
}

void gcode_script_expand(struct gcode_sink *sink, const char *script,
                         const struct gcode_printer *printer,
                         const struct gcode_material *material,
                         const struct gcode_script_vars *vars)
{
    const char *p = script;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open) {
            gcode_sink_puts(sink, p);
            break;
        }
        gcode_sink_write(sink, p, (size_t)(open - p));
        const char *close = strchr(open + 1, '}');
        int ph = close ? ph_find(open + 1, (size_t)(close - open - 1)) : -1;
        if (ph < 0) {
            gcode_sink_write(sink, open, 1);
            p = open + 1;
            continue;
        }
        double park = fmin(vars->max_layer_z + 10, printer->max_z_mm);
        switch ((enum ph)ph) {
        case PH_FIRST_LAYER_NOZZLE_TEMP:
            put_num(sink, vars->first_layer_nozzle_temp);
            break;
        case PH_NOZZLE_TEMP: put_num(sink, vars->nozzle_temp); break;
        case PH_FIRST_LAYER_BED_TEMP:
            put_num(sink, vars->first_layer_bed_temp);
            break;
        case PH_BED_TEMP: put_num(sink, vars->bed_temp); break;
        case PH_NOZZLE_DIAMETER: put_num(sink, printer->nozzle_mm); break;
        case PH_FILAMENT_DIAMETER:
            put_num(sink, material->filament_diameter_mm);
            break;
        case PH_BED_X: put_num(sink, printer->bed_x_mm); break;
        case PH_BED_Y: put_num(sink, printer->bed_y_mm); break;
        case PH_MAX_Z: put_num(sink, printer->max_z_mm); break;
        case PH_MAX_LAYER_Z: put_num(sink, vars->max_layer_z); break;
        case PH_PARK_Z: put_num(sink, park); break;
        case PH_LAYER_COUNT:
            gcode_sink_printf(sink, "%zu", vars->layer_count);
            break;
        case PH_PRINTER_NAME: gcode_sink_puts(sink, printer->name); break;
        case PH_MATERIAL_NAME: gcode_sink_puts(sink, material->name); break;
        case PH_COUNT: break;
        }
        p = close + 1;
    }
}
