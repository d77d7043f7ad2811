/* Fuzzes the profile parser (printer and material tables), then checks a
 * successful parse gives values inside the declared ranges. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "daryn/gcode_profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) {
        return 0;
    }
    struct gcode_printer p;
    struct gcode_material m;
    struct dy_err err = {0};
    if (gcode_printer_parse("fuzz.ini", (const char *)data, size, &p, &err) == 0) {
        if (p.bed_x_mm < 50 || p.nthumbs > GCODE_THUMBS_MAX ||
            memchr(p.start_gcode, 0, sizeof(p.start_gcode)) == NULL) {
            __builtin_trap();
        }
    } else if (!err.msg[0]) {
        __builtin_trap(); /* every failure explains itself */
    }
    if (gcode_material_parse("fuzz.ini", (const char *)data, size, &m, &err) == 0) {
        if (m.fan_min_pct > m.fan_max_pct || m.nozzle_temp > 300) {
            __builtin_trap();
        }
    }
    return 0;
}
