/* Fuzzes the G-code reader: any bytes, every move finite. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "daryn/gcode_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20) {
        return 0;
    }
    struct gcode_moves m = {0};
    struct dy_err err = {0};
    gcode_moves_read((const char *)data, size, &m, &err);
    for (size_t i = 0; i < m.n; i++) {
        if (!isfinite(m.v[i].to.x) || !isfinite(m.v[i].to.y) ||
            !isfinite(m.v[i].to.z) || !isfinite(m.v[i].to.e)) {
            __builtin_trap();
        }
    }
    gcode_moves_fini(&m);
    return 0;
}
