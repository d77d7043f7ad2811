/* gcode_internal.h: shared between the files of daryn_gcode only. */
#ifndef DARYN_GCODE_INTERNAL_H
#define DARYN_GCODE_INTERNAL_H

#include <stddef.h>

/* 1 when `name` (len bytes, no braces) is a placeholder the writer expands
 * in start/end G-code. The list lives in gcode_script.c and is documented
 * in gcode/README.md. */
int gcode_placeholder_known(const char *name, size_t len);


struct gcode_writer;
/* Counts one layer in the writer's stats (gcode_export.c). */
void gcode_writer_count_layer(struct gcode_writer *w);

/* ---- time estimate (gcode_time.c) ----------------------------------------
 * An acceleration-aware planner like Marlin's and Klipper's: each move is
 * a trapezoid (accelerate, cruise, decelerate) whose entry speed is limited
 * by the junction with the previous move (junction deviation model), and a
 * backward then forward pass over a window of queued moves makes the
 * speeds reachable. Moves are committed in halves of the window; the
 * window ends at rest, so a very long run of tiny moves is estimated a
 * little slow at each window edge (1024 moves). */
#define PLANNER_WINDOW 1024

enum planner_kind { PLAN_MOVE_PRINT, PLAN_MOVE_TRAVEL, PLAN_MOVE_E_ONLY };

struct planner_move {
    double len;        /* mm (XYZ length, or |E| for E-only moves) */
    double ux, uy, uz; /* unit direction (0 for E-only) */
    double v_nom;      /* mm/s after axis limits */
    double accel;      /* mm/s^2 after axis limits */
    double max_entry;  /* junction limit, mm/s */
    double entry;      /* planned entry speed */
    int stop;          /* E-only: starts and ends at rest */
};

struct planner_limits {
    double max_speed_xy, max_speed_z, max_speed_e;
    double max_accel_xy, max_accel_z, max_accel_e;
    double accel_print, accel_travel;
    double junction_deviation;
};

struct planner {
    struct planner_limits lim;
    struct planner_move *q; /* PLANNER_WINDOW entries */
    size_t n;
    double exit_prev;       /* exit speed of the last committed move */
    struct planner_move last_copy; /* direction of the last committed move */
    int have_last;
    double time_s;          /* committed time */
};

int planner_init(struct planner *p, const struct planner_limits *lim);
void planner_fini(struct planner *p);
/* Queues a move; dx..de in mm, speed mm/s. */
void planner_push(struct planner *p, double dx, double dy, double dz,
                  double de, double speed, enum planner_kind kind);
/* Plans and commits everything queued, ending at rest. */
void planner_flush(struct planner *p);
/* Time of one trapezoid (exposed for tests of the formula). */
double planner_trapezoid_time(double len, double v0, double vc, double v1,
                              double accel);

#endif
