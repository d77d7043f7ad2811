/* gcode_reader.c: tolerant line-by-line G-code reader. Numbers are parsed
 * by hand over (pointer, end) ranges, so no line is ever copied or needs
 * a NUL, and nothing can read past the buffer (it is fuzzed). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/gcode.h"
#include "daryn/gcode_reader.h"

/* Larger magnitudes are garbage, not coordinates. */
#define READER_MAX_ABS 1e7

/* Parses [+-]digits[.digits] at *p; returns 1 and advances on success. */
static int parse_num(const char **p, const char *end, double *out)
{
    const char *s = *p;
    int neg = 0, digits = 0;
    double v = 0, scale = 1;
    if (s < end && (*s == '-' || *s == '+')) {
        neg = *s == '-';
        s++;
    }
    while (s < end && isdigit((unsigned char)*s)) {
        if (v < 1e300) { /* huge values stay finite; callers reject them */
            v = v * 10 + (*s - '0');
        }
        s++;
        digits++;
    }
    if (s < end && *s == '.') {
        s++;
        while (s < end && isdigit((unsigned char)*s)) {
            if (scale > 1e-15) {
                scale /= 10;
                v += (*s - '0') * scale;
            }
            s++;
            digits++;
        }
    }
    if (!digits) {
        return 0;
    }
    *out = neg ? -v : v;
    *p = s;
    return 1;
}

struct reader {
    struct gcode_pos pos;     /* absolute position, e G92-proof */
    double e_axis;            /* the firmware's E register (for G92/M82) */
    double feed;
    int layer, feature;
    int rel_xyz, rel_e;
};

static void comment_state(struct reader *r, const char *c, size_t n)
{
    while (n && (*c == ' ' || *c == '\t')) {
        c++;
        n--;
    }
    while (n && (c[n - 1] == ' ' || c[n - 1] == '\t' || c[n - 1] == '\r')) {
        n--;
    }
    if (n > 6 && !memcmp(c, "LAYER:", 6)) {
        const char *p = c + 6;
        double v;
        if (parse_num(&p, c + n, &v) && v >= 0 && v < 1e7 && v == floor(v)) {
            r->layer = (int)v;
        }
    } else if (n > 5 && !memcmp(c, "TYPE:", 5)) {
        r->feature = gcode_feature_from_name(c + 5, n - 5);
    }
}

/* Applies the move/positioning semantics of one parsed line. */
static void exec_line(struct reader *r, struct gcode_line *l)
{
    static const char axes[4] = {'X', 'Y', 'Z', 'E'};
    double *pos[3] = {&r->pos.x, &r->pos.y, &r->pos.z};
    l->from = r->pos;
    if (l->letter == 'G' && (l->code >= 0 && l->code <= 3)) {
        l->is_move = 1;
        for (int i = 0; i < 3; i++) {
            if (GCODE_HAVE(l, axes[i])) {
                double v = l->param[axes[i] - 'A'];
                *pos[i] = r->rel_xyz ? *pos[i] + v : v;
            }
        }
        if (GCODE_HAVE(l, 'E')) {
            double v = l->param['E' - 'A'];
            double de = r->rel_e ? v : v - r->e_axis;
            r->e_axis = r->rel_e ? r->e_axis + v : v;
            r->pos.e += de;
        }
        if (GCODE_HAVE(l, 'F') && l->param['F' - 'A'] > 0) {
            r->feed = l->param['F' - 'A'];
        }
        double dx = r->pos.x - l->from.x, dy = r->pos.y - l->from.y;
        l->extrudes = r->pos.e - l->from.e > 1e-9 &&
                      (fabs(dx) > 1e-9 || fabs(dy) > 1e-9);
    } else if (l->letter == 'G' && l->code == 28) {
        int any = GCODE_HAVE(l, 'X') || GCODE_HAVE(l, 'Y') || GCODE_HAVE(l, 'Z');
        for (int i = 0; i < 3; i++) {
            if (!any || GCODE_HAVE(l, axes[i])) {
                *pos[i] = 0;
            }
        }
    } else if (l->letter == 'G' && l->code == 90) {
        r->rel_xyz = 0;
        r->rel_e = 0;
    } else if (l->letter == 'G' && l->code == 91) {
        r->rel_xyz = 1;
        r->rel_e = 1;
    } else if (l->letter == 'M' && l->code == 82) {
        r->rel_e = 0;
    } else if (l->letter == 'M' && l->code == 83) {
        r->rel_e = 1;
    } else if (l->letter == 'G' && l->code == 92) {
        int any = GCODE_HAVE(l, 'X') || GCODE_HAVE(l, 'Y') ||
                  GCODE_HAVE(l, 'Z') || GCODE_HAVE(l, 'E');
        /* G92 renames coordinates; our positions stay physical except E,
         * whose register restarts (e stays a running total). */
        if (!any || GCODE_HAVE(l, 'E')) {
            r->e_axis = any ? l->param['E' - 'A'] : 0;
        }
        for (int i = 0; i < 3; i++) {
            if (GCODE_HAVE(l, axes[i])) {
                *pos[i] = l->param[axes[i] - 'A'];
            }
        }
    }
    l->to = r->pos;
    l->feed = r->feed;
    l->layer = r->layer;
    l->feature = r->feature;
    l->relative_xyz = r->rel_xyz;
    l->relative_e = r->rel_e;
}

/* Splits one line (without its '\n') into a gcode_line. Returns 0 when the
 * line holds nothing at all. */
static int parse_line(struct reader *r, const char *b, const char *e,
                      struct gcode_line *l)
{
    const char *semi = memchr(b, ';', (size_t)(e - b));
    if (semi) {
        l->comment = semi + 1;
        l->comment_len = (size_t)(e - semi - 1);
        comment_state(r, l->comment, l->comment_len);
        if (l->comment_len >= 12 && !memcmp(l->comment, "LAYER_CHANGE", 12)) {
            /* PrusaSlicer files without ;LAYER:N still count layers. */
            r->layer = r->layer < 0 ? 0 : r->layer + 1;
            l->layer = r->layer;
        }
        e = semi;
    }
    const char *star = memchr(b, '*', (size_t)(e - b));
    if (star) {
        e = star; /* checksum */
    }
    while (b < e && isspace((unsigned char)*b)) {
        b++;
    }
    while (e > b && isspace((unsigned char)e[-1])) {
        e--;
    }
    if (b < e && (*b == 'N' || *b == 'n')) {
        const char *p = b + 1;
        double v;
        if (parse_num(&p, e, &v)) {
            b = p;
            while (b < e && isspace((unsigned char)*b)) {
                b++;
            }
        }
    }
    if (b == e) {
        return semi != NULL;
    }
    const char *we = b;
    while (we < e && !isspace((unsigned char)*we)) {
        we++;
    }
    l->word = b;
    l->word_len = (size_t)(we - b);
    l->args = we;
    l->args_len = (size_t)(e - we);
    char c = (char)toupper((unsigned char)*b);
    const char *p = b + 1;
    double code;
    /* "G1", "M862.3", or "G1X5Y5" with the parameters glued on. */
    if ((c == 'G' || c == 'M' || c == 'T') && parse_num(&p, we, &code) &&
        (p == we || isalpha((unsigned char)*p)) && code >= 0 &&
        code < 100000) {
        l->letter = c;
        l->code = (int)code;
    } else {
        return 1; /* a macro or garbage: reported, not executed */
    }
    /* Parameters: letter + number, separated by spaces (or not). */
    while (p < e) {
        while (p < e && isspace((unsigned char)*p)) {
            p++;
        }
        if (p >= e) {
            break;
        }
        char pc = (char)toupper((unsigned char)*p);
        p++;
        double v = 0;
        if (pc >= 'A' && pc <= 'Z') {
            if (parse_num(&p, e, &v) && fabs(v) <= READER_MAX_ABS) {
                l->have |= 1ul << (pc - 'A');
                l->param[pc - 'A'] = v;
            } else if (p < e && !isspace((unsigned char)*p)) {
                /* a word we can't read: skip it whole */
                while (p < e && !isspace((unsigned char)*p)) {
                    p++;
                }
            }
        } else {
            while (p < e && !isspace((unsigned char)*p)) {
                p++;
            }
        }
    }
    return 1;
}

int gcode_reader_parse(const char *buf, size_t len, gcode_reader_cb cb,
                       void *user, struct dy_err *err)
{
    struct reader r = {.layer = -1, .feature = -1};
    const char *p = buf, *end = buf + len;
    unsigned long lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        if (lineno > GCODE_READER_MAX_LINES) {
            return dy_err_set(err, DY_ELIMIT, "gcode reader",
                              "more than %d lines", GCODE_READER_MAX_LINES);
        }
        struct gcode_line l;
        memset(&l, 0, sizeof(l));
        l.lineno = lineno;
        if (parse_line(&r, p, le, &l)) {
            exec_line(&r, &l);
            int rc = cb ? cb(user, &l) : 0;
            if (rc) {
                return rc;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}

static int moves_cb(void *user, const struct gcode_line *l)
{
    struct gcode_moves *m = user;
    if (l->layer + 1 > m->nlayers) {
        m->nlayers = l->layer + 1;
    }
    if (!l->is_move) {
        return 0;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        struct gcode_move *v = realloc(m->v, cap * sizeof(*v));
        if (!v) {
            return DY_ENOMEM;
        }
        m->v = v;
        m->cap = cap;
    }
    m->v[m->n++] = (struct gcode_move){
        .from = l->from, .to = l->to, .feed = l->feed, .layer = l->layer,
        .feature = l->feature, .extrudes = l->extrudes, .lineno = l->lineno,
    };
    return 0;
}

int gcode_moves_read(const char *buf, size_t len, struct gcode_moves *out,
                     struct dy_err *err)
{
    int rc = gcode_reader_parse(buf, len, moves_cb, out, err);
    if (rc == DY_ENOMEM) {
        return dy_err_set(err, DY_ENOMEM, "gcode reader", "out of memory");
    }
    return rc;
}

void gcode_moves_fini(struct gcode_moves *m)
{
    free(m->v);
    memset(m, 0, sizeof(*m));
}
