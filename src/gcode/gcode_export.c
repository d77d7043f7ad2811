/* gcode_export.c: a slice_plan through a gcode_writer, layer by layer.
 *
 * The header needs totals (time, filament, bounding box) before the first
 * move, so the plan is walked three times, all through the same code:
 *   1. a dry run per layer at full speed: layer times for cooling (fan
 *      percentage and slowdown factor, PrusaSlicer's CoolingBuffer rules);
 *   2. a dry run with those factors: the totals and each layer's start
 *      time (for the progress hook);
 *   3. the real run into the sink.
 * The writer is deterministic, so run 3 reports exactly run 2's totals. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daryn/atomic_file.h"
#include "daryn/gcode.h"
#include "gcode_internal.h"

struct export_ctx {
    const struct slice_plan *plan;
    const struct gcode_printer *pr;
    const struct gcode_material *mat;
    const struct gcode_flavor *fl;
    const volatile int *cancel;
    double *factor;   /* per layer: extrusion speed factor (<= 1) */
    double *fan;      /* per layer: fan percent */
    double *start_s;  /* per layer: estimated time before the layer */
    double total_s;
};

static double feature_speed(const struct gcode_printer *pr,
                            enum slice_feature f)
{
    switch (f) {
    case SLICE_FEAT_SKIRT:
    case SLICE_FEAT_BRIM: return pr->speed_skirt;
    case SLICE_FEAT_WALL_OUTER: return pr->speed_wall_outer;
    case SLICE_FEAT_WALL_INNER: return pr->speed_wall_inner;
    case SLICE_FEAT_TOP: return pr->speed_top;
    case SLICE_FEAT_BOTTOM: return pr->speed_solid;
    case SLICE_FEAT_INFILL: return pr->speed_infill;
    case SLICE_FEAT_SUPPORT:
    case SLICE_FEAT_SUPPORT_INTERFACE: return pr->speed_support;
    default: return pr->speed_wall_outer;
    }
}

/* The extrusion speed of a path: feature speed, first-layer rule,
 * material caps, then the cooling slowdown (never below min_print_speed
 * unless the speed was already lower). */
static double path_speed(const struct export_ctx *c, size_t layer,
                         const struct slice_path *path, double height_mm)
{
    double v = feature_speed(c->pr, path->feature);
    if (layer == 0) {
        v = fmin(v, c->pr->speed_first_layer);
    }
    v = fmin(v, c->mat->max_speed);
    double section = path->width_um / 1000.0 * height_mm;
    if (c->mat->max_volumetric_speed > 0 && section > 0) {
        v = fmin(v, c->mat->max_volumetric_speed / section);
    }
    double slow = v * c->factor[layer];
    if (slow < v) {
        v = fmax(slow, fmin(v, c->mat->min_print_speed));
    }
    return v;
}

static int plan_check(const struct slice_plan *plan,
                      const struct gcode_printer *pr, struct dy_err *err)
{
    char where[128];
    double bx = pr->bed_x_mm * 1000.0, by = pr->bed_y_mm * 1000.0;
    for (size_t i = 0; i < plan->nlayers; i++) {
        const struct slice_plan_layer *l = &plan->layers[i];
        snprintf(where, sizeof(where), "plan: layer %zu", i);
        if (l->height_um <= 0 || l->height_um > 10000) {
            return dy_err_set(err, DY_ERANGE, where,
                              "layer height %d um is not in 1..10000",
                              (int)l->height_um);
        }
        if (l->z_um <= 0 || l->z_um > pr->max_z_mm * 1000.0) {
            return dy_err_set(err, DY_ERANGE, where,
                              "z %.3f mm is outside 0..%g (the printer's "
                              "max_z_mm)", l->z_um / 1000.0, pr->max_z_mm);
        }
        for (size_t j = 0; j < l->npaths; j++) {
            const struct slice_path *p = &l->paths[j];
            snprintf(where, sizeof(where), "plan: layer %zu path %zu", i, j);
            if ((unsigned)p->feature >= SLICE_FEAT_COUNT) {
                return dy_err_set(err, DY_ERANGE, where, "bad feature %d",
                                  (int)p->feature);
            }
            if (p->width_um <= 0 || p->width_um > 10000) {
                return dy_err_set(err, DY_ERANGE, where,
                                  "width %d um is not in 1..10000",
                                  (int)p->width_um);
            }
            if (p->nvia && !p->via) {
                return dy_err_set(err, DY_EINVAL, where,
                                  "%zu travel via points but no array",
                                  p->nvia);
            }
            /* Travel waypoints first (k < nvia), then the path's points. */
            for (size_t k = 0; k < p->nvia + p->n; k++) {
                const struct slice_pt *q =
                    k < p->nvia ? &p->via[k] : &p->pts[k - p->nvia];
                double x = q->x, y = q->y;
                if (x < 0 || y < 0 || x > bx || y > by) {
                    if (k < p->nvia) {
                        snprintf(where, sizeof(where),
                                 "plan: layer %zu path %zu via %zu", i, j, k);
                    } else {
                        snprintf(where, sizeof(where),
                                 "plan: layer %zu path %zu point %zu", i, j,
                                 k - p->nvia);
                    }
                    return dy_err_set(err, DY_ERANGE, where,
                                      "(%.3f, %.3f) mm is outside the "
                                      "%gx%g mm bed of %s", x / 1000,
                                      y / 1000, pr->bed_x_mm, pr->bed_y_mm,
                                      pr->name);
                }
            }
        }
    }
    return 0;
}

static void extrude_path(struct gcode_writer *w, const struct export_ctx *c,
                         const struct slice_path *p, double h, double speed)
{
    double ox = c->pr->origin_x_mm, oy = c->pr->origin_y_mm;
    double wd = p->width_um / 1000.0;
    for (size_t k = 1; k < p->n; k++) {
        gcode_writer_extrude_to(w, ox + p->pts[k].x / 1000.0,
                                oy + p->pts[k].y / 1000.0, wd, h, speed);
    }
    if (p->closed && p->n > 2) {
        gcode_writer_extrude_to(w, ox + p->pts[0].x / 1000.0,
                                oy + p->pts[0].y / 1000.0, wd, h, speed);
    }
}

/* The travel's waypoints (a route inside the part round a hole or a
 * notch, from the planner), each a G0 move; the caller then travels to the
 * path's first point. */
static void travel_via(struct gcode_writer *w, const struct export_ctx *c,
                       const struct slice_path *p)
{
    double ox = c->pr->origin_x_mm, oy = c->pr->origin_y_mm;
    for (size_t k = 0; k < p->nvia; k++) {
        gcode_writer_travel_to(w, ox + p->via[k].x / 1000.0,
                               oy + p->via[k].y / 1000.0, c->pr->speed_travel);
    }
}

/* One layer. `sink` is NULL for dry runs (the writer is dry too). */
static void emit_layer(struct gcode_writer *w, struct gcode_sink *sink,
                       const struct export_ctx *c, size_t i)
{
    const struct slice_plan_layer *l = &c->plan->layers[i];
    const struct gcode_printer *pr = c->pr;
    double z = l->z_um / 1000.0, h = l->height_um / 1000.0;
    gcode_writer_raw(w, ";LAYER_CHANGE");
    gcode_writer_comment(w, "Z:%g", z);
    gcode_writer_comment(w, "HEIGHT:%g", h);
    gcode_writer_comment(w, "LAYER:%zu", i);
    if (sink && c->fl->layer_begin) {
        struct gcode_progress prog = {i, c->plan->nlayers, c->start_s[i],
                                      c->total_s};
        c->fl->layer_begin(sink, &prog);
    }
    if (!pr->relative_e) {
        gcode_writer_reset_e(w);
    }
    gcode_writer_move_z(w, z, pr->speed_z_travel);
    if (i == 1) {
        if (c->mat->nozzle_temp != c->mat->first_layer_nozzle_temp) {
            gcode_writer_set_nozzle_temp(w, c->mat->nozzle_temp, 0);
        }
        if (c->mat->bed_temp != c->mat->first_layer_bed_temp) {
            gcode_writer_set_bed_temp(w, c->mat->bed_temp, 0);
        }
    }
    gcode_writer_set_fan(w, c->fan[i]);
    int feat = -1;
    int32_t width = -1;
    for (size_t j = 0; j < l->npaths; j++) {
        const struct slice_path *p = &l->paths[j];
        if (p->n == 0) {
            continue;
        }
        double sx = pr->origin_x_mm + p->pts[0].x / 1000.0;
        double sy = pr->origin_y_mm + p->pts[0].y / 1000.0;
        double cx, cy, cz;
        gcode_writer_get_position(w, &cx, &cy, &cz);
        int moves = !(fabs(cx - sx) < 5e-4 && fabs(cy - sy) < 5e-4);
        if (moves && p->retract_before) {
            gcode_writer_retract(w);
            gcode_writer_lift(w);
            travel_via(w, c, p);
            gcode_writer_travel_to(w, sx, sy, pr->speed_travel);
            gcode_writer_unlift(w);
        } else if (moves) {
            travel_via(w, c, p);
            gcode_writer_travel_to(w, sx, sy, pr->speed_travel);
        }
        gcode_writer_deretract(w);
        if ((int)p->feature != feat) {
            feat = (int)p->feature;
            gcode_writer_comment(w, "TYPE:%s", c->fl->feature_names[feat]);
        }
        if (p->width_um != width) {
            width = p->width_um;
            gcode_writer_comment(w, "WIDTH:%g", width / 1000.0);
        }
        extrude_path(w, c, p, h, path_speed(c, i, p, h));
    }
    gcode_writer_count_layer(w);
}

/* Run 1: per-layer times at full speed -> fan and slowdown per layer. */
static int plan_cooling(struct export_ctx *c, struct dy_err *err)
{
    const struct gcode_material *m = c->mat;
    struct gcode_writer *w = NULL;
    if (gcode_writer_create(c->pr, c->mat, NULL, &w)) {
        return dy_err_set(err, DY_ENOMEM, "gcode", "out of memory");
    }
    gcode_writer_set_position(w, NAN, NAN, NAN);
    double before = 0;
    for (size_t i = 0; i < c->plan->nlayers; i++) {
        if (c->cancel && *c->cancel) {
            gcode_writer_destroy(w);
            return dy_err_set(err, DY_ECANCELED, "gcode", "canceled");
        }
        c->factor[i] = 1;
        c->fan[i] = 0;
        emit_layer(w, NULL, c, i);
        double after = gcode_writer_stats(w)->time_s;
        double t = after - before;
        before = after;
        if (t > 0 && t < m->slowdown_below_layer_time_s) {
            c->factor[i] = t / m->slowdown_below_layer_time_s;
        }
        if ((int)i < m->fan_disable_first_layers) {
            c->fan[i] = 0;
        } else if (t < m->slowdown_below_layer_time_s) {
            c->fan[i] = m->fan_max_pct;
        } else if (t < m->fan_below_layer_time_s) {
            double span = m->fan_below_layer_time_s -
                          m->slowdown_below_layer_time_s;
            double k = span > 0 ? (t - m->slowdown_below_layer_time_s) / span
                                : 1;
            c->fan[i] = m->fan_max_pct - (m->fan_max_pct - m->fan_min_pct) * k;
        } else {
            c->fan[i] = m->fan_always_on ? m->fan_min_pct : 0;
        }
    }
    gcode_writer_destroy(w);
    return 0;
}

/* Everything after the header, for runs 2 and 3. */
static int emit_body(struct gcode_writer *w, struct gcode_sink *sink,
                     struct export_ctx *c, struct dy_err *err)
{
    const struct gcode_printer *pr = c->pr;
    const struct gcode_material *m = c->mat;
    const struct slice_plan *plan = c->plan;
    struct gcode_script_vars vars = {
        .first_layer_nozzle_temp = m->first_layer_nozzle_temp,
        .nozzle_temp = m->nozzle_temp,
        .first_layer_bed_temp = m->first_layer_bed_temp,
        .bed_temp = m->bed_temp,
        .max_layer_z = plan->nlayers
                           ? plan->layers[plan->nlayers - 1].z_um / 1000.0
                           : 0,
        .layer_count = plan->nlayers,
    };
    if (sink) {
        if (!c->fl->start_script_heats) {
            /* Heat and wait before the script unless it does so itself
             * (PrusaSlicer's rule), so the first extrusion is never cold. */
            if (!strstr(pr->start_gcode, "M190")) {
                gcode_writer_set_bed_temp(w, m->first_layer_bed_temp, 0);
                gcode_writer_set_bed_temp(w, m->first_layer_bed_temp, 1);
            }
            if (!strstr(pr->start_gcode, "M109")) {
                gcode_writer_set_nozzle_temp(w, m->first_layer_nozzle_temp, 0);
                gcode_writer_set_nozzle_temp(w, m->first_layer_nozzle_temp, 1);
            }
        }
        gcode_sink_puts(sink, "; start G-code\n");
        gcode_script_expand(sink, pr->start_gcode, pr, m, &vars);
        gcode_sink_puts(sink, "; end of start G-code\n");
    }
    gcode_writer_raw(w, "G21 ; millimetres");
    gcode_writer_raw(w, "G90 ; absolute XYZ");
    gcode_writer_set_relative_e(w, pr->relative_e);
    gcode_writer_reset_e(w);
    gcode_writer_set_position(w, NAN, NAN, NAN);
    if (sink && c->fl->print_begin) {
        c->fl->print_begin(sink, plan->nlayers);
    }
    for (size_t i = 0; i < plan->nlayers; i++) {
        if (c->cancel && *c->cancel) {
            return dy_err_set(err, DY_ECANCELED, "gcode", "canceled");
        }
        /* Flushing the planner at each layer start makes the per-layer
         * start times exact and both dry and real runs identical. */
        c->start_s[i] = gcode_writer_stats(w)->time_s;
        emit_layer(w, sink, c, i);
    }
    gcode_writer_retract(w);
    gcode_writer_set_fan(w, 0);
    if (sink) {
        gcode_sink_puts(sink, "; end G-code\n");
        gcode_script_expand(sink, pr->end_gcode, pr, m, &vars);
    }
    gcode_writer_stats(w);
    return 0;
}

static void fmt_duration(char *buf, size_t size, double s)
{
    long t = lround(s);
    long d = t / 86400, h = t / 3600 % 24, mi = t / 60 % 60, sec = t % 60;
    if (d) {
        snprintf(buf, size, "%ldd %ldh %ldm %lds", d, h, mi, sec);
    } else if (h) {
        snprintf(buf, size, "%ldh %ldm %lds", h, mi, sec);
    } else if (mi) {
        snprintf(buf, size, "%ldm %lds", mi, sec);
    } else {
        snprintf(buf, size, "%lds", sec);
    }
}

static void write_base64_block(struct gcode_sink *s,
                               const struct gcode_thumbnail *t)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t b64len = (t->len + 2) / 3 * 4;
    char line[80];
    size_t col = 0;
    gcode_sink_printf(s, ";\n; thumbnail begin %dx%d %zu\n", t->w, t->h,
                      b64len);
    for (size_t i = 0; i < t->len; i += 3) {
        unsigned v = (unsigned)t->png[i] << 16;
        size_t n = t->len - i;
        if (n > 1) {
            v |= (unsigned)t->png[i + 1] << 8;
        }
        if (n > 2) {
            v |= t->png[i + 2];
        }
        char q[4] = {tab[(v >> 18) & 63], tab[(v >> 12) & 63],
                     n > 1 ? tab[(v >> 6) & 63] : '=',
                     n > 2 ? tab[v & 63] : '='};
        for (int k = 0; k < 4; k++) {
            line[col++] = q[k];
            if (col == 78) {
                gcode_sink_printf(s, "; %.*s\n", (int)col, line);
                col = 0;
            }
        }
    }
    if (col) {
        gcode_sink_printf(s, "; %.*s\n", (int)col, line);
    }
    gcode_sink_puts(s, "; thumbnail end\n;\n");
}

static void write_header(struct gcode_sink *s, const struct export_ctx *c,
                         const struct gcode_stats *st,
                         const struct gcode_opts *opts)
{
    const struct slice_plan *plan = c->plan;
    char dur[64];
    fmt_duration(dur, sizeof(dur), st->time_s);
    double lh = plan->nlayers > 1 ? plan->layers[1].height_um / 1000.0
                : plan->nlayers ? plan->layers[0].height_um / 1000.0 : 0;
    int any = st->min[0] <= st->max[0];
    gcode_sink_puts(s, "; generated by Daryn 0.1 (daryn_gcode)\n");
    gcode_sink_printf(s, ";FLAVOR:%s\n",
                      c->fl->id == GCODE_FLAVOR_KLIPPER ? "Klipper" : "Marlin");
    gcode_sink_printf(s, ";TIME:%ld\n", lround(st->time_s));
    gcode_sink_printf(s, ";Filament used: %.5fm\n", st->filament_mm / 1000.0);
    gcode_sink_printf(s, ";Layer height: %g\n", lh);
    const char *axis = "XYZ";
    for (int i = 0; i < 3; i++) {
        gcode_sink_printf(s, ";MIN%c:%.3f\n", axis[i], any ? st->min[i] : 0);
    }
    for (int i = 0; i < 3; i++) {
        gcode_sink_printf(s, ";MAX%c:%.3f\n", axis[i], any ? st->max[i] : 0);
    }
    gcode_sink_printf(s, ";LAYER_COUNT:%zu\n", plan->nlayers);
    gcode_sink_printf(s, "; printer = %s\n; material = %s\n", c->pr->name,
                      c->mat->name);
    gcode_sink_printf(s, "; estimated printing time (normal mode) = %s\n",
                      dur);
    gcode_sink_printf(s, "; filament used [mm] = %.2f\n", st->filament_mm);
    gcode_sink_printf(s, "; filament used [g] = %.2f\n", st->filament_g);
    gcode_sink_printf(s, "; total layers count = %zu\n", plan->nlayers);
    for (size_t i = 0; opts && i < opts->nthumbs; i++) {
        if (opts->thumbs[i].png && opts->thumbs[i].len) {
            write_base64_block(s, &opts->thumbs[i]);
        }
    }
}

int gcode_write_plan(const struct slice_plan *plan,
                     const struct gcode_printer *printer,
                     const struct gcode_material *material,
                     const struct gcode_opts *opts, struct gcode_sink *sink,
                     struct dy_err *err)
{
    struct export_ctx c = {
        .plan = plan, .pr = printer, .mat = material,
        .fl = gcode_flavor_get(printer->flavor),
        .cancel = opts ? opts->cancel : NULL,
    };
    struct gcode_writer *w = NULL;
    struct gcode_stats total;
    int rc = plan_check(plan, printer, err);
    if (rc) {
        return rc;
    }
    size_t n = plan->nlayers ? plan->nlayers : 1;
    c.factor = calloc(n, sizeof(double));
    c.fan = calloc(n, sizeof(double));
    c.start_s = calloc(n, sizeof(double));
    if (!c.factor || !c.fan || !c.start_s) {
        rc = dy_err_set(err, DY_ENOMEM, "gcode", "out of memory");
        goto fail;
    }
    if ((rc = plan_cooling(&c, err))) {
        goto fail;
    }
    if (gcode_writer_create(printer, material, NULL, &w)) {
        rc = dy_err_set(err, DY_ENOMEM, "gcode", "out of memory");
        goto fail;
    }
    if ((rc = emit_body(w, NULL, &c, err))) {
        goto fail;
    }
    total = *gcode_writer_stats(w);
    c.total_s = total.time_s;
    gcode_writer_destroy(w);
    w = NULL;

    write_header(sink, &c, &total, opts);
    if (gcode_writer_create(printer, material, sink, &w)) {
        rc = dy_err_set(err, DY_ENOMEM, "gcode", "out of memory");
        goto fail;
    }
    if ((rc = emit_body(w, sink, &c, err))) {
        goto fail;
    }
    const struct gcode_stats *st = gcode_writer_stats(w);
    /* PrusaSlicer puts these at the end too; Moonraker reads them there. */
    char dur[64];
    fmt_duration(dur, sizeof(dur), st->time_s);
    gcode_sink_printf(sink, "; filament used [mm] = %.2f\n", st->filament_mm);
    gcode_sink_printf(sink, "; filament used [g] = %.2f\n", st->filament_g);
    gcode_sink_printf(sink, "; estimated printing time (normal mode) = %s\n",
                      dur);
    if (opts && opts->stats) {
        *opts->stats = *st;
    }
fail:
    gcode_writer_destroy(w);
    free(c.factor);
    free(c.fan);
    free(c.start_s);
    return rc;
}

int gcode_write_file(const struct slice_plan *plan,
                     const struct gcode_printer *printer,
                     const struct gcode_material *material,
                     const struct gcode_opts *opts, const char *path,
                     struct dy_err *err)
{
    struct dy_atomic out;
    struct gcode_sink *sink = NULL;
    int rc = dy_atomic_begin(&out, path, 0, err);
    if (rc < 0) {
        return rc;
    }
    FILE *f = dy_atomic_file(&out, "w");
    if (!f) {
        rc = dy_err_set(err, DY_EIO, path, "fdopen: %s", strerror(errno));
        goto fail;
    }
    sink = gcode_sink_create_file(f);
    if (!sink) {
        rc = dy_err_set(err, DY_ENOMEM, path, "out of memory");
        goto fail;
    }
    if ((rc = gcode_write_plan(plan, printer, material, opts, sink, err)) ||
        (rc = gcode_sink_close(sink, err))) {
        dy_err_prefix(err, path);
        goto fail;
    }
    gcode_sink_destroy(sink);
    return dy_atomic_commit(&out, err);
fail:
    gcode_sink_destroy(sink);
    dy_atomic_abort(&out);
    return rc;
}
