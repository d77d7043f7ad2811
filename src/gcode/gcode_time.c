/* gcode_time.c: print-time estimate, a small look-ahead planner in the
 * style of Marlin's planner.cpp and Klipper's toolhead.py. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gcode_internal.h"

int planner_init(struct planner *p, const struct planner_limits *lim)
{
    memset(p, 0, sizeof(*p));
    p->lim = *lim;
    p->q = calloc(PLANNER_WINDOW, sizeof(*p->q));
    return p->q ? 0 : -1;
}

void planner_fini(struct planner *p)
{
    free(p->q);
    p->q = NULL;
    p->n = 0;
}

double planner_trapezoid_time(double len, double v0, double vc, double v1,
                              double a)
{
    if (len <= 0) {
        return 0;
    }
    if (vc <= 0 || a <= 0) {
        return vc > 0 ? len / vc : 0;
    }
    double da = (vc * vc - v0 * v0) / (2 * a);
    double dd = (vc * vc - v1 * v1) / (2 * a);
    if (da < 0) {
        da = 0;
    }
    if (dd < 0) {
        dd = 0;
    }
    if (da + dd <= len) {
        return (vc - v0) / a + (vc - v1) / a + (len - da - dd) / vc;
    }
    /* Triangle: the peak speed where acceleration meets deceleration. */
    double vp2 = (2 * a * len + v0 * v0 + v1 * v1) / 2;
    double vp = sqrt(vp2 > 0 ? vp2 : 0);
    if (vp < v0) {
        vp = v0;
    }
    if (vp < v1) {
        vp = v1;
    }
    return (vp - v0) / a + (vp - v1) / a;
}

/* Marlin's junction deviation: the speed at which a circle of radius R,
 * tangent to both moves and deviating `jd` from the corner, can be taken
 * with the acceleration limit. */
static double junction_speed(const struct planner_move *a,
                             const struct planner_move *b, double jd)
{
    if (a->stop || b->stop) {
        return 0;
    }
    double cos_theta = -(a->ux * b->ux + a->uy * b->uy + a->uz * b->uz);
    if (cos_theta > 0.999999) {
        return 0; /* full reversal */
    }
    double vmax = fmin(a->v_nom, b->v_nom);
    if (cos_theta < -0.999999) {
        return vmax; /* straight on */
    }
    double sin_half = sqrt(0.5 * (1.0 - cos_theta));
    double accel = fmin(a->accel, b->accel);
    double v2 = accel * jd * sin_half / (1.0 - sin_half);
    return fmin(sqrt(v2), vmax);
}

static double reach(double v, double a, double len)
{
    return sqrt(v * v + 2 * a * len);
}

/* Backward then forward pass over q[0..n), the last move ending at
 * `v_end`; then commits the first `commit` moves. */
static void plan_and_commit(struct planner *p, size_t commit, double v_end)
{
    struct planner_move *q = p->q;
    size_t n = p->n;
    double exit = v_end;
    for (size_t i = n; i-- > 0;) {
        q[i].entry = fmin(q[i].max_entry, reach(exit, q[i].accel, q[i].len));
        exit = q[i].entry;
    }
    double entry = fmin(q[0].entry, p->exit_prev);
    for (size_t i = 0; i < n; i++) {
        q[i].entry = fmin(q[i].entry, entry);
        double next = i + 1 < n ? q[i + 1].entry : v_end;
        entry = fmin(next, reach(q[i].entry, q[i].accel, q[i].len));
    }
    for (size_t i = 0; i < commit; i++) {
        double v1 = i + 1 < n ? q[i + 1].entry : v_end;
        double vc = fmax(q[i].v_nom, fmax(q[i].entry, v1));
        p->time_s += planner_trapezoid_time(q[i].len, q[i].entry, vc, v1,
                                            q[i].accel);
        p->exit_prev = v1;
    }
    if (commit > 0) {
        p->last_copy = q[commit - 1];
        p->have_last = 1;
    }
    memmove(q, q + commit, (n - commit) * sizeof(*q));
    p->n = n - commit;
}

void planner_push(struct planner *p, double dx, double dy, double dz,
                  double de, double speed, enum planner_kind kind)
{
    const struct planner_limits *l = &p->lim;
    struct planner_move m = {0};
    double len = sqrt(dx * dx + dy * dy + dz * dz);
    if (!(speed > 0) || !isfinite(len)) {
        return;
    }
    if (kind == PLAN_MOVE_E_ONLY || len < 1e-9) {
        if (fabs(de) < 1e-9) {
            return;
        }
        m.len = fabs(de);
        m.v_nom = fmin(speed, l->max_speed_e);
        m.accel = l->max_accel_e;
        m.stop = 1;
    } else {
        m.len = len;
        m.ux = dx / len;
        m.uy = dy / len;
        m.uz = dz / len;
        double v = speed;
        double a = kind == PLAN_MOVE_TRAVEL ? l->accel_travel : l->accel_print;
        double axy = fmax(fabs(m.ux), fabs(m.uy));
        if (axy > 1e-9) {
            v = fmin(v, l->max_speed_xy / axy);
            a = fmin(a, l->max_accel_xy / axy);
        }
        if (fabs(m.uz) > 1e-9) {
            v = fmin(v, l->max_speed_z / fabs(m.uz));
            a = fmin(a, l->max_accel_z / fabs(m.uz));
        }
        if (fabs(de) > 1e-12) {
            double ue = fabs(de) / len;
            v = fmin(v, l->max_speed_e / ue);
            a = fmin(a, l->max_accel_e / ue);
        }
        m.v_nom = v;
        m.accel = a;
    }
    const struct planner_move *prev = p->n ? &p->q[p->n - 1]
                                           : (p->have_last ? &p->last_copy
                                                           : NULL);
    m.max_entry = prev ? junction_speed(prev, &m, l->junction_deviation) : 0;
    if (p->n == 0 && !p->have_last) {
        m.max_entry = 0;
    }
    p->q[p->n++] = m;
    if (p->n == PLANNER_WINDOW) {
        plan_and_commit(p, PLANNER_WINDOW / 2, 0);
    }
}

void planner_flush(struct planner *p)
{
    if (p->n) {
        plan_and_commit(p, p->n, 0);
    }
    p->exit_prev = 0;
    p->have_last = 0;
}
