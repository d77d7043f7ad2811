/* gcode_writer.c: formatting only (PrusaSlicer's GCodeWriter): one call,
 * one G-code line, the position and E tracked here, every move fed to the
 * time planner. Numbers are written with trailing zeros stripped
 * (X12.5, not X12.500): XYZ to 3 decimals (1 um), E to 5. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/gcode.h"
#include "gcode_internal.h"

struct gcode_writer {
    struct gcode_printer printer;
    struct gcode_material material;
    struct gcode_sink *sink;   /* borrowed; NULL: dry run */
    struct planner planner;
    double x, y, z;            /* current position, mm */
    double f;                  /* last F written, mm/s (0: none yet) */
    int relative_e;
    double e_exact;            /* exact E since the last G92 E0 */
    double e_out;              /* sum of the E values actually written */
    double lift;               /* current Z-hop, mm */
    int retracted;
    double fan_pct;            /* -1: never set */
    double filament_area;      /* mm^2 */
    struct gcode_stats stats;
};

/* Writes v rounded to `decimals` places (0..9) at p, trailing zeros (and a
 * trailing '.') removed, -0 as 0; returns the end (no NUL). p needs 32
 * bytes. The digits are those of llround(v * 10^decimals), which is what
 * "%.*f" printed of round(v * scale) / scale: printf took a third of
 * `daryn slice` on a figurine, this is ~10x faster. */
static char *put_num(char *p, double v, int decimals)
{
    static const double scale_d[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    double scaled = v * scale_d[decimals];
    if (!(fabs(scaled) < 1e15)) {
        /* Out of range for the integer path (or not finite): libc. */
        int n = snprintf(p, 32, "%.*f", decimals, round(scaled) / scale_d[decimals]);
        return p + (n < 0 ? 0 : n < 32 ? n : 31);
    }
    long long n = llround(scaled);
    if (n < 0) {
        *p++ = '-';
        n = -n;
    }
    unsigned long long u = (unsigned long long)n, unit = (unsigned long long)scale_d[decimals];
    unsigned long long ip = u / unit, fp = u % unit;
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (k) {
        *p++ = tmp[--k];
    }
    if (fp) {
        int d = decimals;
        while (fp % 10 == 0) { /* strip trailing zeros */
            fp /= 10;
            d--;
        }
        *p++ = '.';
        for (int i = d - 1; i >= 0; i--) {
            p[i] = (char)('0' + fp % 10);
            fp /= 10;
        }
        p += d;
    }
    return p;
}

/* put_num into buf as a NUL-terminated string (size >= 32). */
static const char *fmt_num(char *buf, size_t size, double v, int decimals)
{
    (void)size;
    *put_num(buf, v, decimals) = 0;
    return buf;
}

/* Appends a NUL-terminated string at p; returns the end (no NUL). */
static char *put_str(char *p, const char *s)
{
    size_t n = strlen(s);
    memcpy(p, s, n);
    return p + n;
}

static double round_to(double v, int decimals)
{
    double scale = pow(10, decimals);
    return round(v * scale) / scale;
}

int gcode_writer_create(const struct gcode_printer *printer,
                        const struct gcode_material *material,
                        struct gcode_sink *sink, struct gcode_writer **out)
{
    struct gcode_writer *w = calloc(1, sizeof(*w));
    if (!w) {
        return DY_ENOMEM;
    }
    w->printer = *printer;
    w->material = *material;
    w->sink = sink;
    const struct planner_limits lim = {
        .max_speed_xy = printer->max_speed_xy,
        .max_speed_z = printer->max_speed_z,
        .max_speed_e = printer->max_speed_e,
        .max_accel_xy = printer->max_accel_xy,
        .max_accel_z = printer->max_accel_z,
        .max_accel_e = printer->max_accel_e,
        .accel_print = printer->accel_print,
        .accel_travel = printer->accel_travel,
        .junction_deviation = printer->junction_deviation_mm,
    };
    if (planner_init(&w->planner, &lim)) {
        free(w);
        return DY_ENOMEM;
    }
    w->relative_e = printer->relative_e;
    w->fan_pct = -1;
    double r = material->filament_diameter_mm / 2;
    w->filament_area = M_PI * r * r;
    for (int i = 0; i < 3; i++) {
        w->stats.min[i] = INFINITY;
        w->stats.max[i] = -INFINITY;
    }
    *out = w;
    return 0;
}

void gcode_writer_destroy(struct gcode_writer *w)
{
    if (!w) {
        return;
    }
    planner_fini(&w->planner);
    free(w);
}

static void emit(struct gcode_writer *w, const char *s)
{
    if (w->sink) {
        gcode_sink_puts(w->sink, s);
    }
}

void gcode_writer_raw(struct gcode_writer *w, const char *line)
{
    emit(w, line);
    emit(w, "\n");
}

void gcode_writer_comment(struct gcode_writer *w, const char *fmt, ...)
{
    if (!w->sink) {
        return;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    gcode_sink_printf(w->sink, ";%s\n", buf);
}

void gcode_writer_set_relative_e(struct gcode_writer *w, int relative)
{
    w->relative_e = relative;
    emit(w, relative ? "M83 ; relative E\n" : "M82 ; absolute E\n");
}

void gcode_writer_reset_e(struct gcode_writer *w)
{
    w->e_exact = 0;
    w->e_out = 0;
    emit(w, "G92 E0\n");
}

void gcode_writer_set_position(struct gcode_writer *w, double x, double y,
                               double z)
{
    w->x = x;
    w->y = y;
    w->z = z;
    w->lift = 0;
}

void gcode_writer_get_position(const struct gcode_writer *w, double *x,
                               double *y, double *z)
{
    *x = w->x;
    *y = w->y;
    *z = w->z;
}

/* " F<mm/min>" when the feed rate changes, else "". */
static void feed_word(struct gcode_writer *w, double speed, char *buf,
                      size_t size)
{
    double f = round(speed * 60);
    if (f == w->f) {
        buf[0] = 0;
        return;
    }
    w->f = f;
    buf[0] = ' ';
    buf[1] = 'F';
    *put_num(buf + 2, f, 0) = 0;
    (void)size;
}

/* Appends the E word and advances the E bookkeeping by `de` (mm). In
 * relative mode the rounding error is carried to the next move so that
 * the written values add up to the exact total. Returns the written E. */
static double e_word(struct gcode_writer *w, double de, char *buf, size_t size)
{
    double written, shown;
    w->e_exact += de;
    if (w->relative_e) {
        written = round_to(w->e_exact - w->e_out, 5);
        w->e_out += written;
        shown = written;
    } else {
        double abs_e = round_to(w->e_exact, 5);
        written = abs_e - w->e_out;
        w->e_out = abs_e;
        shown = abs_e;
    }
    /* The exporter's dry runs (no sink) only need the numbers. */
    if (w->sink) {
        buf[0] = ' ';
        buf[1] = 'E';
        *put_num(buf + 2, shown, 5) = 0;
    } else {
        buf[0] = 0;
    }
    (void)size;
    return written;
}

void gcode_writer_travel_to(struct gcode_writer *w, double x, double y,
                            double speed)
{
    char fw[32];
    double dx = x - w->x, dy = y - w->y;
    if (fabs(dx) < 5e-4 && fabs(dy) < 5e-4) {
        return;
    }
    planner_push(&w->planner, dx, dy, 0, 0, speed, PLAN_MOVE_TRAVEL);
    w->x = x;
    w->y = y;
    feed_word(w, speed, fw, sizeof(fw));
    if (w->sink) {
        char line[128], *p = put_str(line, "G0 X");
        p = put_num(p, x, 3);
        p = put_str(p, " Y");
        p = put_num(p, y, 3);
        p = put_str(p, fw);
        *p++ = '\n';
        gcode_sink_write(w->sink, line, (size_t)(p - line));
    }
}

void gcode_writer_move_z(struct gcode_writer *w, double z, double speed)
{
    char bz[32], fw[32];
    double cur = w->z + w->lift;
    w->lift = 0;
    if (fabs(z - cur) < 5e-4) {
        w->z = z;
        return;
    }
    planner_push(&w->planner, 0, 0, z - cur, 0, speed, PLAN_MOVE_TRAVEL);
    w->z = z;
    feed_word(w, speed, fw, sizeof(fw));
    if (w->sink) {
        gcode_sink_printf(w->sink, "G1 Z%s%s\n", fmt_num(bz, sizeof(bz), z, 3),
                          fw);
    }
}

double gcode_writer_extrude_to(struct gcode_writer *w, double x, double y,
                               double width, double height, double speed)
{
    char ew[64], fw[32];
    double dx = x - w->x, dy = y - w->y;
    double len = sqrt(dx * dx + dy * dy);
    if (len < 5e-4) {
        return 0;
    }
    /* Rectangular cross-section, as the plan's width x layer height. */
    double de = width * height * len / w->filament_area * w->material.flow;
    feed_word(w, speed, fw, sizeof(fw));
    double written = e_word(w, de, ew, sizeof(ew));
    planner_push(&w->planner, dx, dy, 0, de, speed, PLAN_MOVE_PRINT);
    w->x = x;
    w->y = y;
    w->stats.filament_mm += written;
    double pt[3] = {x, y, w->z};
    double from[3] = {x - dx, y - dy, w->z};
    for (int i = 0; i < 3; i++) {
        w->stats.min[i] = fmin(w->stats.min[i], fmin(pt[i], from[i]));
        w->stats.max[i] = fmax(w->stats.max[i], fmax(pt[i], from[i]));
    }
    if (w->sink) {
        char line[160], *p = put_str(line, "G1 X");
        p = put_num(p, x, 3);
        p = put_str(p, " Y");
        p = put_num(p, y, 3);
        p = put_str(p, ew);
        p = put_str(p, fw);
        *p++ = '\n';
        gcode_sink_write(w->sink, line, (size_t)(p - line));
    }
    return written;
}

static double retract_len(const struct gcode_writer *w)
{
    return w->material.retract_mm >= 0 ? w->material.retract_mm
                                       : w->printer.retract_mm;
}

static double retract_speed(const struct gcode_writer *w)
{
    return w->material.retract_speed >= 0 ? w->material.retract_speed
                                          : w->printer.retract_speed;
}

static void e_move(struct gcode_writer *w, double de, double speed,
                   const char *why)
{
    char ew[64], fw[32];
    feed_word(w, speed, fw, sizeof(fw));
    e_word(w, de, ew, sizeof(ew));
    planner_push(&w->planner, 0, 0, 0, de, speed, PLAN_MOVE_E_ONLY);
    if (w->sink) {
        gcode_sink_printf(w->sink, "G1%s%s ; %s\n", ew, fw, why);
    }
}

void gcode_writer_retract(struct gcode_writer *w)
{
    double len = retract_len(w);
    if (w->retracted || len <= 0) {
        return;
    }
    w->retracted = 1;
    e_move(w, -len, retract_speed(w), "retract");
}

void gcode_writer_deretract(struct gcode_writer *w)
{
    double len = retract_len(w);
    if (!w->retracted) {
        return;
    }
    w->retracted = 0;
    double speed = w->material.retract_speed >= 0 ? w->material.retract_speed
                                                  : w->printer.deretract_speed;
    e_move(w, len, speed, "unretract");
}

static double zhop(const struct gcode_writer *w)
{
    return w->material.zhop_mm >= 0 ? w->material.zhop_mm : w->printer.zhop_mm;
}

void gcode_writer_lift(struct gcode_writer *w)
{
    double h = zhop(w);
    char bz[32], fw[32];
    if (h <= 0 || w->lift > 0) {
        return;
    }
    /* Never lift above the machine's reach. */
    if (w->z + h > w->printer.max_z_mm) {
        h = w->printer.max_z_mm - w->z;
        if (h <= 0) {
            return;
        }
    }
    w->lift = h;
    planner_push(&w->planner, 0, 0, h, 0, w->printer.speed_z_travel,
                 PLAN_MOVE_TRAVEL);
    feed_word(w, w->printer.speed_z_travel, fw, sizeof(fw));
    if (w->sink) {
        gcode_sink_printf(w->sink, "G1 Z%s%s ; lift\n",
                          fmt_num(bz, sizeof(bz), w->z + h, 3), fw);
    }
}

void gcode_writer_unlift(struct gcode_writer *w)
{
    char bz[32], fw[32];
    if (w->lift <= 0) {
        return;
    }
    planner_push(&w->planner, 0, 0, -w->lift, 0, w->printer.speed_z_travel,
                 PLAN_MOVE_TRAVEL);
    w->lift = 0;
    feed_word(w, w->printer.speed_z_travel, fw, sizeof(fw));
    if (w->sink) {
        gcode_sink_printf(w->sink, "G1 Z%s%s ; unlift\n",
                          fmt_num(bz, sizeof(bz), w->z, 3), fw);
    }
}

void gcode_writer_set_nozzle_temp(struct gcode_writer *w, double c, int wait)
{
    if (w->sink) {
        gcode_sink_printf(w->sink, "%s S%.0f ; %s nozzle temperature\n",
                          wait ? "M109" : "M104", c,
                          wait ? "wait for" : "set");
    }
}

void gcode_writer_set_bed_temp(struct gcode_writer *w, double c, int wait)
{
    if (w->sink) {
        gcode_sink_printf(w->sink, "%s S%.0f ; %s bed temperature\n",
                          wait ? "M190" : "M140", c,
                          wait ? "wait for" : "set");
    }
}

void gcode_writer_set_fan(struct gcode_writer *w, double pct)
{
    int s = (int)lround(fmin(fmax(pct, 0), 100) * 255.0 / 100.0);
    int old = w->fan_pct < 0 ? -1 : (int)lround(w->fan_pct * 255.0 / 100.0);
    w->fan_pct = fmin(fmax(pct, 0), 100);
    if (s == old) {
        return;
    }
    if (!w->sink) {
        return;
    }
    if (s == 0) {
        gcode_sink_puts(w->sink, "M107\n");
    } else {
        gcode_sink_printf(w->sink, "M106 S%d\n", s);
    }
}

const struct gcode_stats *gcode_writer_stats(struct gcode_writer *w)
{
    planner_flush(&w->planner);
    w->stats.time_s = w->planner.time_s;
    w->stats.filament_g = w->stats.filament_mm * w->filament_area / 1000.0 *
                          w->material.density_g_cm3;
    return &w->stats;
}

void gcode_writer_count_layer(struct gcode_writer *w)
{
    w->stats.layers++;
}
