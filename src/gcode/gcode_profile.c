/* gcode_profile.c: the one table-driven key=value parser for printer and
 * material profiles (mpv's demux_conf idea: rows of {key, type, offset,
 * min, max} plus a defaults literal, parsed generically). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daryn/gcode_profile.h"
#include "gcode_internal.h"

enum opt_type {
    OPT_DOUBLE,
    OPT_INT,
    OPT_BOOL,
    OPT_NAME,    /* one-line string, char[GCODE_NAME_MAX] */
    OPT_SCRIPT,  /* multi-line G-code, char[GCODE_SCRIPT_MAX] */
    OPT_FLAVOR,  /* enum gcode_flavor_id */
    OPT_THUMBS,  /* "WxH, WxH": struct gcode_thumb_size[4] + count after it */
};

struct opt_row {
    const char *key;
    enum opt_type type;
    size_t offset;
    double min, max;
};

struct opt_conf {
    const struct opt_row *rows; /* terminated by a row with key == NULL */
    size_t size;                /* sizeof the target struct */
    const void *defaults;
    int (*check)(const void *obj, const char *file, struct dy_err *err);
};

#define ROW(st, field, type, lo, hi) \
    {#field, type, offsetof(struct st, field), lo, hi}
#define P(field, type, lo, hi) ROW(gcode_printer, field, type, lo, hi)
#define M(field, type, lo, hi) ROW(gcode_material, field, type, lo, hi)

const struct gcode_printer gcode_printer_defaults = {
    .name = "",
    .flavor = GCODE_FLAVOR_MARLIN,
    .bed_x_mm = 220, .bed_y_mm = 220, .max_z_mm = 250,
    .nozzle_mm = 0.4,
    .relative_e = 1,
    .max_speed_xy = 300, .max_speed_z = 5, .max_speed_e = 25,
    .max_accel_xy = 3000, .max_accel_z = 100, .max_accel_e = 5000,
    .accel_print = 1000, .accel_travel = 1500,
    .junction_deviation_mm = 0.013,
    .speed_wall_outer = 30, .speed_wall_inner = 45, .speed_infill = 60,
    .speed_solid = 50, .speed_top = 30, .speed_support = 50,
    .speed_skirt = 30, .speed_travel = 150, .speed_first_layer = 20,
    .speed_z_travel = 5,
    .retract_mm = 5, .retract_speed = 40, .deretract_speed = 40,
    .zhop_mm = 0,
    .start_gcode = "G90 ; absolute XYZ\n"
                   "M140 S{first_layer_bed_temp}\n"
                   "M104 S{first_layer_nozzle_temp}\n"
                   "G28 ; home\n"
                   "M190 S{first_layer_bed_temp}\n"
                   "M109 S{first_layer_nozzle_temp}\n",
    .end_gcode = "M104 S0\nM140 S0\nM107\nG91\nG1 Z5 F300\nG90\nM84\n",
};

static const struct opt_row printer_rows[] = {
    P(name, OPT_NAME, 0, 0),
    P(flavor, OPT_FLAVOR, 0, 0),
    P(bed_x_mm, OPT_DOUBLE, 50, 2000),
    P(bed_y_mm, OPT_DOUBLE, 50, 2000),
    P(max_z_mm, OPT_DOUBLE, 20, 2000),
    P(origin_x_mm, OPT_DOUBLE, -1000, 1000),
    P(origin_y_mm, OPT_DOUBLE, -1000, 1000),
    P(nozzle_mm, OPT_DOUBLE, 0.1, 2.0),
    P(relative_e, OPT_BOOL, 0, 1),
    P(max_speed_xy, OPT_DOUBLE, 10, 2000),
    P(max_speed_z, OPT_DOUBLE, 0.5, 200),
    P(max_speed_e, OPT_DOUBLE, 1, 500),
    P(max_accel_xy, OPT_DOUBLE, 50, 100000),
    P(max_accel_z, OPT_DOUBLE, 5, 10000),
    P(max_accel_e, OPT_DOUBLE, 50, 100000),
    P(accel_print, OPT_DOUBLE, 50, 100000),
    P(accel_travel, OPT_DOUBLE, 50, 100000),
    P(junction_deviation_mm, OPT_DOUBLE, 0.0001, 1),
    P(speed_wall_outer, OPT_DOUBLE, 1, 1000),
    P(speed_wall_inner, OPT_DOUBLE, 1, 1000),
    P(speed_infill, OPT_DOUBLE, 1, 1000),
    P(speed_solid, OPT_DOUBLE, 1, 1000),
    P(speed_top, OPT_DOUBLE, 1, 1000),
    P(speed_support, OPT_DOUBLE, 1, 1000),
    P(speed_skirt, OPT_DOUBLE, 1, 1000),
    P(speed_travel, OPT_DOUBLE, 5, 2000),
    P(speed_first_layer, OPT_DOUBLE, 1, 500),
    P(speed_z_travel, OPT_DOUBLE, 0.5, 200),
    P(retract_mm, OPT_DOUBLE, 0, 20),
    P(retract_speed, OPT_DOUBLE, 1, 200),
    P(deretract_speed, OPT_DOUBLE, 1, 200),
    P(zhop_mm, OPT_DOUBLE, 0, 5),
    P(start_gcode, OPT_SCRIPT, 0, 0),
    P(end_gcode, OPT_SCRIPT, 0, 0),
    P(thumbs, OPT_THUMBS, 8, 1024),
    {0},
};

const struct gcode_material gcode_material_defaults = {
    .name = "",
    .nozzle_temp = 210, .first_layer_nozzle_temp = 215,
    .bed_temp = 60, .first_layer_bed_temp = 60,
    .filament_diameter_mm = 1.75,
    .density_g_cm3 = 1.24,
    .flow = 1.0,
    .fan_always_on = 1,
    .fan_min_pct = 100, .fan_max_pct = 100,
    .fan_disable_first_layers = 1,
    .fan_below_layer_time_s = 60,
    .slowdown_below_layer_time_s = 10,
    .min_print_speed = 15,
    .max_speed = 300,
    .max_volumetric_speed = 0,
    .retract_mm = -1, .retract_speed = -1, .zhop_mm = -1,
};

static const struct opt_row material_rows[] = {
    M(name, OPT_NAME, 0, 0),
    M(nozzle_temp, OPT_DOUBLE, 150, 300),
    M(first_layer_nozzle_temp, OPT_DOUBLE, 150, 300),
    M(bed_temp, OPT_DOUBLE, 0, 120),
    M(first_layer_bed_temp, OPT_DOUBLE, 0, 120),
    M(filament_diameter_mm, OPT_DOUBLE, 1.0, 3.5),
    M(density_g_cm3, OPT_DOUBLE, 0.5, 3.0),
    M(flow, OPT_DOUBLE, 0.5, 1.5),
    M(fan_always_on, OPT_BOOL, 0, 1),
    M(fan_min_pct, OPT_DOUBLE, 0, 100),
    M(fan_max_pct, OPT_DOUBLE, 0, 100),
    M(fan_disable_first_layers, OPT_INT, 0, 1000),
    M(fan_below_layer_time_s, OPT_DOUBLE, 0, 1000),
    M(slowdown_below_layer_time_s, OPT_DOUBLE, 0, 1000),
    M(min_print_speed, OPT_DOUBLE, 1, 100),
    M(max_speed, OPT_DOUBLE, 1, 1000),
    M(max_volumetric_speed, OPT_DOUBLE, 0, 100),
    M(retract_mm, OPT_DOUBLE, -1, 20),
    M(retract_speed, OPT_DOUBLE, -1, 200),
    M(zhop_mm, OPT_DOUBLE, -1, 5),
    {0},
};

static int material_check(const void *obj, const char *file,
                          struct dy_err *err)
{
    const struct gcode_material *m = obj;
    char where[DY_ERR_WHERE_MAX];
    if (m->fan_min_pct > m->fan_max_pct) {
        snprintf(where, sizeof(where), "%s: fan_min_pct", file);
        return dy_err_set(err, DY_ERANGE, where,
                          "%g is above fan_max_pct %g", m->fan_min_pct,
                          m->fan_max_pct);
    }
    if (m->slowdown_below_layer_time_s > m->fan_below_layer_time_s) {
        snprintf(where, sizeof(where), "%s: slowdown_below_layer_time_s", file);
        return dy_err_set(err, DY_ERANGE, where,
                          "%g is above fan_below_layer_time_s %g",
                          m->slowdown_below_layer_time_s,
                          m->fan_below_layer_time_s);
    }
    return 0;
}

static const struct opt_conf printer_conf = {
    printer_rows, sizeof(struct gcode_printer), &gcode_printer_defaults, NULL,
};
static const struct opt_conf material_conf = {
    material_rows, sizeof(struct gcode_material), &gcode_material_defaults,
    material_check,
};

const char *gcode_flavor_id_name(enum gcode_flavor_id id)
{
    switch (id) {
    case GCODE_FLAVOR_MARLIN: return "marlin";
    case GCODE_FLAVOR_KLIPPER: return "klipper";
    default: return "?";
    }
}

/* ---- one line's value ---------------------------------------------------- */

struct parse_ctx {
    const char *file;
    unsigned line;
    const char *key;
    struct dy_err *err;
};

static int ctx_fail(const struct parse_ctx *c, int code, const char *fmt,
                    const char *a)
{
    char where[DY_ERR_WHERE_MAX];
    if (c->key) {
        snprintf(where, sizeof(where), "%s:%u: %s", c->file, c->line, c->key);
    } else {
        snprintf(where, sizeof(where), "%s:%u", c->file, c->line);
    }
    return dy_err_set(c->err, code, where, fmt, a);
}

/* Strict number: the whole value, finite, C locale digits. */
static int parse_number(const struct parse_ctx *c, const char *v, double *out)
{
    if (!*v) {
        return ctx_fail(c, DY_EFORMAT, "expected a number%s", "");
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno == ERANGE || !isfinite(d)) {
        return ctx_fail(c, DY_EFORMAT, "expected a number (got \"%s\")", v);
    }
    *out = d;
    return 0;
}

static int check_range(const struct parse_ctx *c, const struct opt_row *r,
                        double d)
{
    char buf[128];
    if (d < r->min) {
        snprintf(buf, sizeof(buf), "%g is below min %g", d, r->min);
        return ctx_fail(c, DY_ERANGE, "%s", buf);
    }
    if (d > r->max) {
        snprintf(buf, sizeof(buf), "%g is above max %g", d, r->max);
        return ctx_fail(c, DY_ERANGE, "%s", buf);
    }
    return 0;
}

static int parse_thumbs(const struct parse_ctx *c, const struct opt_row *r,
                        const char *v, struct gcode_printer *p)
{
    int n = 0;
    const char *s = v;
    if (!strcmp(v, "none") || !*v) {
        p->nthumbs = 0;
        return 0;
    }
    while (*s) {
        char *end;
        long w = strtol(s, &end, 10);
        if (end == s || (*end != 'x' && *end != 'X')) {
            return ctx_fail(c, DY_EFORMAT,
                            "expected WxH[, WxH...] (got \"%s\")", v);
        }
        s = end + 1;
        long h = strtol(s, &end, 10);
        if (end == s) {
            return ctx_fail(c, DY_EFORMAT,
                            "expected WxH[, WxH...] (got \"%s\")", v);
        }
        s = end;
        int rc = check_range(c, r, (double)w);
        if (rc == 0) {
            rc = check_range(c, r, (double)h);
        }
        if (rc) {
            return rc;
        }
        if (n == GCODE_THUMBS_MAX) {
            return ctx_fail(c, DY_ERANGE, "more than 4 sizes%s", "");
        }
        p->thumbs[n].w = (int)w;
        p->thumbs[n].h = (int)h;
        n++;
        while (*s == ' ' || *s == '\t') {
            s++;
        }
        if (*s == ',') {
            s++;
            while (*s == ' ' || *s == '\t') {
                s++;
            }
            if (!*s) {
                return ctx_fail(c, DY_EFORMAT, "trailing comma in \"%s\"", v);
            }
        } else if (*s) {
            return ctx_fail(c, DY_EFORMAT,
                            "expected WxH[, WxH...] (got \"%s\")", v);
        }
    }
    p->nthumbs = n;
    return 0;
}

/* Every {placeholder} in a script must be one the writer knows, so a typo
 * fails at load time instead of reaching the printer. */
static int check_script(const struct parse_ctx *c, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p != '{') {
            continue;
        }
        const char *q = strchr(p + 1, '}');
        const char *nl = strchr(p + 1, '\n');
        if (!q || (nl && nl < q)) {
            return ctx_fail(c, DY_EFORMAT, "unclosed '{' in G-code%s", "");
        }
        if (!gcode_placeholder_known(p + 1, (size_t)(q - p - 1))) {
            char name[64];
            size_t n = (size_t)(q - p - 1);
            if (n >= sizeof(name)) {
                n = sizeof(name) - 1;
            }
            memcpy(name, p + 1, n);
            name[n] = 0;
            return ctx_fail(c, DY_EFORMAT, "unknown placeholder {%s}", name);
        }
        p = q;
    }
    return 0;
}

static int set_value(const struct parse_ctx *c, const struct opt_row *r,
                     const char *v, void *obj)
{
    char *field = (char *)obj + r->offset;
    double d = 0;
    int rc = 0;
    switch (r->type) {
    case OPT_DOUBLE:
        if ((rc = parse_number(c, v, &d)) || (rc = check_range(c, r, d))) {
            return rc;
        }
        *(double *)field = d;
        return 0;
    case OPT_INT:
        if ((rc = parse_number(c, v, &d))) {
            return rc;
        }
        if (d != floor(d)) {
            return ctx_fail(c, DY_EFORMAT, "expected a whole number (got %s)",
                            v);
        }
        if ((rc = check_range(c, r, d))) {
            return rc;
        }
        *(int *)field = (int)d;
        return 0;
    case OPT_BOOL:
        if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes")) {
            *(int *)field = 1;
        } else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no")) {
            *(int *)field = 0;
        } else {
            return ctx_fail(c, DY_EFORMAT,
                            "expected 0/1/true/false/yes/no (got \"%s\")", v);
        }
        return 0;
    case OPT_NAME:
        if (strlen(v) >= GCODE_NAME_MAX) {
            return ctx_fail(c, DY_ERANGE, "longer than 63 bytes%s", "");
        }
        strcpy(field, v);
        return 0;
    case OPT_SCRIPT:
        if (strlen(v) >= GCODE_SCRIPT_MAX) {
            return ctx_fail(c, DY_ELIMIT, "longer than 4095 bytes%s", "");
        }
        if ((rc = check_script(c, v))) {
            return rc;
        }
        strcpy(field, v);
        return 0;
    case OPT_FLAVOR:
        for (int i = 0; i < GCODE_FLAVOR_COUNT; i++) {
            if (!strcmp(v, gcode_flavor_id_name(i))) {
                *(enum gcode_flavor_id *)field = i;
                return 0;
            }
        }
        return ctx_fail(c, DY_EFORMAT, "expected marlin or klipper (got \"%s\")",
                        v);
    case OPT_THUMBS:
        return parse_thumbs(c, r, v, obj);
    }
    return ctx_fail(c, DY_EINVAL, "bad option type%s", "");
}

/* ---- the line scanner ----------------------------------------------------- */

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Trims [*b, *e) in place of the pointers. */
static void trim(const char **b, const char **e)
{
    while (*b < *e && is_blank(**b)) {
        (*b)++;
    }
    while (*e > *b && is_blank((*e)[-1])) {
        (*e)--;
    }
}

struct text {
    char *s;
    size_t n, cap;
};

static int text_put(struct text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        while (cap < t->n + n + 1) {
            cap *= 2;
        }
        char *p = realloc(t->s, cap);
        if (!p) {
            return DY_ENOMEM;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = 0;
    return 0;
}

static const char *line_end(const char *p, const char *end)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl : end;
}

static int parse_conf(const struct opt_conf *conf, const char *file,
                      const char *buf, size_t len, void *out,
                      struct dy_err *err)
{
    struct parse_ctx c = {.file = file, .line = 0, .key = NULL, .err = err};
    unsigned seen[64] = {0}; /* line each row was set on; tables < 64 rows */
    struct text val = {0};
    int rc = 0;
    void *obj = malloc(conf->size);
    if (!obj) {
        return dy_err_set(err, DY_ENOMEM, file, "out of memory");
    }
    memcpy(obj, conf->defaults, conf->size);
    if (len > GCODE_PROFILE_MAX_BYTES) {
        rc = dy_err_set(err, DY_ELIMIT, file, "larger than %d bytes",
                        GCODE_PROFILE_MAX_BYTES);
        goto fail;
    }
    if (memchr(buf, 0, len)) {
        rc = dy_err_set(err, DY_EFORMAT, file, "contains a NUL byte");
        goto fail;
    }
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *le = line_end(p, end);
        const char *b = p, *e = le;
        c.line++;
        c.key = NULL;
        p = le < end ? le + 1 : end;
        trim(&b, &e);
        if (b == e || *b == '#' || *b == ';') {
            continue;
        }
        if (*b == '[') {
            if (e[-1] != ']' || e - b < 3) {
                rc = ctx_fail(&c, DY_EFORMAT, "expected [section]%s", "");
                goto fail;
            }
            continue;
        }
        const char *eq = memchr(b, '=', (size_t)(e - b));
        if (!eq) {
            rc = ctx_fail(&c, DY_EFORMAT, "expected key = value%s", "");
            goto fail;
        }
        const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
        trim(&kb, &ke);
        trim(&vb, &ve);
        char key[64];
        if (ke == kb || (size_t)(ke - kb) >= sizeof(key)) {
            rc = ctx_fail(&c, DY_EFORMAT, "bad key%s", "");
            goto fail;
        }
        memcpy(key, kb, (size_t)(ke - kb));
        key[ke - kb] = 0;
        size_t ri = 0;
        while (conf->rows[ri].key && strcmp(conf->rows[ri].key, key)) {
            ri++;
        }
        if (!conf->rows[ri].key) {
            rc = ctx_fail(&c, DY_EFORMAT, "unknown key \"%s\"", key);
            goto fail;
        }
        c.key = conf->rows[ri].key;
        if (ri < 64 && seen[ri]) {
            snprintf(key, sizeof(key), "%u", seen[ri]);
            rc = ctx_fail(&c, DY_EFORMAT, "set twice (first on line %s)", key);
            goto fail;
        }
        if (ri < 64) {
            seen[ri] = c.line;
        }
        unsigned key_line = c.line;
        val.n = 0;
        if ((rc = text_put(&val, "", 0))) {
            goto fail_oom;
        }
        if (ve - vb >= 3 && !memcmp(vb, "\"\"\"", 3)) {
            /* Triple-quoted: the rest of this line, then whole lines up to
             * a line that ends with """ (its text before the quotes kept). */
            const char *s = vb + 3;
            int closed = 0;
            if (ve - s >= 3 && !memcmp(ve - 3, "\"\"\"", 3)) {
                if ((rc = text_put(&val, s, (size_t)(ve - 3 - s)))) {
                    goto fail_oom;
                }
                closed = 1;
            } else if (s < ve) {
                if ((rc = text_put(&val, s, (size_t)(ve - s))) ||
                    (rc = text_put(&val, "\n", 1))) {
                    goto fail_oom;
                }
            }
            while (!closed && p < end) {
                const char *le2 = line_end(p, end);
                const char *b2 = p, *e2 = le2;
                c.line++;
                p = le2 < end ? le2 + 1 : end;
                trim(&b2, &e2);
                if (e2 - b2 >= 3 && !memcmp(e2 - 3, "\"\"\"", 3)) {
                    e2 -= 3;
                    trim(&b2, &e2);
                    closed = 1;
                }
                if (b2 < e2 && ((rc = text_put(&val, b2, (size_t)(e2 - b2))) ||
                                (rc = text_put(&val, "\n", 1)))) {
                    goto fail_oom;
                }
            }
            if (!closed) {
                c.line = key_line;
                rc = ctx_fail(&c, DY_EFORMAT, "no closing \"\"\"%s", "");
                goto fail;
            }
            if (conf->rows[ri].type != OPT_SCRIPT) {
                c.line = key_line;
                rc = ctx_fail(&c, DY_EFORMAT,
                              "only G-code scripts take \"\"\" values%s", "");
                goto fail;
            }
        } else {
            /* One-line value; "# ..." after it is a comment except in
             * names and scripts, where '#' may be meant. */
            if (conf->rows[ri].type != OPT_NAME &&
                conf->rows[ri].type != OPT_SCRIPT) {
                const char *h = memchr(vb, '#', (size_t)(ve - vb));
                if (h) {
                    ve = h;
                    trim(&vb, &ve);
                }
            }
            if ((rc = text_put(&val, vb, (size_t)(ve - vb)))) {
                goto fail_oom;
            }
            if (conf->rows[ri].type == OPT_SCRIPT && val.n) {
                if ((rc = text_put(&val, "\n", 1))) {
                    goto fail_oom;
                }
            }
        }
        unsigned last_line = c.line;
        c.line = key_line;
        if ((rc = set_value(&c, &conf->rows[ri], val.s, obj))) {
            goto fail;
        }
        c.line = last_line;
    }
    if (conf->check && (rc = conf->check(obj, file, err))) {
        goto fail;
    }
    memcpy(out, obj, conf->size);
    free(val.s);
    free(obj);
    return 0;
fail_oom:
    rc = dy_err_set(err, DY_ENOMEM, file, "out of memory");
fail:
    free(val.s);
    free(obj);
    return rc;
}

/* ---- files ----------------------------------------------------------------- */

static const char *path_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The file stem: "dir/ender3v2.ini" -> "ender3v2". */
static void path_stem(const char *path, char *out, size_t size)
{
    const char *b = path_base(path);
    size_t n = strlen(b);
    if (n > 4 && !strcmp(b + n - 4, ".ini")) {
        n -= 4;
    }
    if (n >= size) {
        n = size - 1;
    }
    memcpy(out, b, n);
    out[n] = 0;
}

static int read_file(const char *path, char **buf, size_t *len,
                     struct dy_err *err)
{
    const char *name = path_base(path);
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    if (!f) {
        return dy_err_set(err, errno == ENOENT ? DY_ENOTFOUND : DY_EIO, name,
                          "cannot open: %s", strerror(errno));
    }
    int rc = 0;
    size_t n = 0, cap = 4096;
    data = malloc(cap);
    if (!data) {
        rc = dy_err_set(err, DY_ENOMEM, name, "out of memory");
        goto fail;
    }
    for (;;) {
        if (n == cap) {
            if (cap > GCODE_PROFILE_MAX_BYTES) {
                rc = dy_err_set(err, DY_ELIMIT, name, "larger than %d bytes",
                                GCODE_PROFILE_MAX_BYTES);
                goto fail;
            }
            char *d = realloc(data, cap * 2);
            if (!d) {
                rc = dy_err_set(err, DY_ENOMEM, name, "out of memory");
                goto fail;
            }
            data = d;
            cap *= 2;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        rc = dy_err_set(err, DY_EIO, name, "read error");
        goto fail;
    }
    fclose(f);
    *buf = data;
    *len = n;
    return 0;
fail:
    free(data);
    fclose(f);
    return rc;
}

int gcode_printer_parse(const char *name, const char *buf, size_t len,
                        struct gcode_printer *out, struct dy_err *err)
{
    return parse_conf(&printer_conf, name, buf, len, out, err);
}

int gcode_material_parse(const char *name, const char *buf, size_t len,
                         struct gcode_material *out, struct dy_err *err)
{
    return parse_conf(&material_conf, name, buf, len, out, err);
}

int gcode_printer_load(const char *path, struct gcode_printer *out,
                       struct dy_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    struct gcode_printer p;
    int rc = read_file(path, &buf, &len, err);
    if (rc) {
        return rc;
    }
    rc = gcode_printer_parse(path_base(path), buf, len, &p, err);
    free(buf);
    if (rc) {
        return rc;
    }
    path_stem(path, p.id, sizeof(p.id));
    if (!p.name[0]) {
        strcpy(p.name, p.id);
    }
    *out = p;
    return 0;
}

int gcode_material_load(const char *path, struct gcode_material *out,
                        struct dy_err *err)
{
    char *buf = NULL;
    size_t len = 0;
    struct gcode_material m;
    int rc = read_file(path, &buf, &len, err);
    if (rc) {
        return rc;
    }
    rc = gcode_material_parse(path_base(path), buf, len, &m, err);
    free(buf);
    if (rc) {
        return rc;
    }
    path_stem(path, m.id, sizeof(m.id));
    if (!m.name[0]) {
        strcpy(m.name, m.id);
    }
    *out = m;
    return 0;
}

static const char *kind_dir(enum gcode_profile_kind kind)
{
    return kind == GCODE_PROFILE_PRINTER ? "printers" : "materials";
}

int gcode_profile_find(const char *dir, enum gcode_profile_kind kind,
                       const char *name, char *path, size_t size,
                       struct dy_err *err)
{
    size_t n = strlen(name);
    if (n == 0 || n >= GCODE_NAME_MAX) {
        return dy_err_set(err, DY_EINVAL, name, "bad profile name");
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (!(islower(ch) || isdigit(ch) || ch == '-' || ch == '_')) {
            return dy_err_set(err, DY_EINVAL, name,
                              "profile names use a-z, 0-9, - and _ only");
        }
    }
    int w = snprintf(path, size, "%s/%s/%s.ini", dir, kind_dir(kind), name);
    if (w < 0 || (size_t)w >= size) {
        return dy_err_set(err, DY_EINVAL, name, "path too long");
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return dy_err_set(err, DY_ENOTFOUND, name, "no %s profile in %s/%s",
                          kind == GCODE_PROFILE_PRINTER ? "printer"
                                                        : "material",
                          dir, kind_dir(kind));
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int gcode_profile_list(const char *dir, enum gcode_profile_kind kind,
                       gcode_profile_list_cb cb, void *user,
                       struct dy_err *err)
{
    char sub[4096];
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    snprintf(sub, sizeof(sub), "%s/%s", dir, kind_dir(kind));
    DIR *d = opendir(sub);
    if (!d) {
        return dy_err_set(err, DY_ENOTFOUND, sub, "cannot open: %s",
                          strerror(errno));
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l <= 4 || strcmp(de->d_name + l - 4, ".ini") ||
            de->d_name[0] == '.') {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nn = realloc(names, cap * sizeof(*names));
            if (!nn) {
                rc = dy_err_set(err, DY_ENOMEM, sub, "out of memory");
                goto fail;
            }
            names = nn;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) {
            rc = dy_err_set(err, DY_ENOMEM, sub, "out of memory");
            goto fail;
        }
        n++;
    }
    qsort(names, n, sizeof(*names), cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char id[GCODE_NAME_MAX], path[4096 + 300];
        path_stem(names[i], id, sizeof(id));
        snprintf(path, sizeof(path), "%s/%s", sub, names[i]);
        rc = cb(user, id, path);
    }
fail:
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
    closedir(d);
    return rc;
}
