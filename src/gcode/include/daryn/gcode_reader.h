/* gcode_reader.h: a tolerant G-code reader (PrusaSlicer's GCodeReader idea)
 * for tests and for previewing existing files.
 *
 * Lines become commands with absolute positions: G0/G1 (G2/G3 end points
 * as straight lines), G28, G90/G91, M82/M83, G92 are tracked; M104/M109/
 * M140/M190/M106/M107 and any other word (including Klipper macros such
 * as PRINT_START) are reported with their parameters. ;LAYER:N,
 * ;LAYER_CHANGE and ;TYPE: comments set the layer and feature of the moves
 * that follow. Garbage lines, line numbers (N..) and checksums (*..) are
 * skipped, never an error: only a callback can stop the walk. */
#ifndef DARYN_GCODE_READER_H
#define DARYN_GCODE_READER_H

#include <stddef.h>

#include "daryn/err.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GCODE_READER_MAX_LINES 50000000 /* longer inputs stop with DY_ELIMIT */

struct gcode_pos {
    double x, y, z, e; /* mm; e counts every E mm since the start, G92-proof */
};

struct gcode_line {
    unsigned long lineno;   /* 1-based */
    char letter;            /* 'G', 'M', 'T', or 0 (comment, macro, garbage) */
    int code;               /* the number after the letter */
    const char *word;       /* the first word (e.g. "PRINT_START"); not NUL-
                               terminated: word_len bytes; valid in the cb */
    size_t word_len;
    const char *args;       /* the rest of the line before ';' (macros) */
    size_t args_len;
    unsigned long have;     /* bit (c - 'A') set when parameter c is given */
    double param[26];       /* values of the given parameters */
    const char *comment;    /* text after ';' (NULL if none), comment_len */
    size_t comment_len;
    /* state */
    struct gcode_pos from, to; /* position before/after this line */
    int is_move;            /* G0/G1/G2/G3 */
    int extrudes;           /* a move with XY motion and positive E */
    double feed;            /* current feed rate, mm/min */
    int layer;              /* from ;LAYER:N, -1 before the first */
    int feature;            /* enum slice_feature from ;TYPE:, -1 unknown */
    int relative_xyz, relative_e;
};

#define GCODE_HAVE(l, c) (((l)->have >> ((c) - 'A')) & 1u)

/* Called for every non-empty line; a non-zero return stops the walk and
 * is returned by gcode_reader_parse. */
typedef int (*gcode_reader_cb)(void *user, const struct gcode_line *line);

/* Walks `len` bytes of G-code (need not be NUL-terminated). Returns 0,
 * the callback's non-zero value, or DY_ELIMIT (err filled) past
 * GCODE_READER_MAX_LINES lines. */
int gcode_reader_parse(const char *buf, size_t len, gcode_reader_cb cb,
                       void *user, struct dy_err *err);

/* Convenience: every move, in order. */
struct gcode_move {
    struct gcode_pos from, to;
    double feed;      /* mm/min */
    int layer, feature, extrudes;
    unsigned long lineno;
};
struct gcode_moves {
    struct gcode_move *v;
    size_t n, cap;
    int nlayers;      /* highest ;LAYER: index + 1 */
};
/* Fills `out` (caller-owned, zero-initialised; free with gcode_moves_fini).
 * DY_ENOMEM, DY_ELIMIT, or 0. */
int gcode_moves_read(const char *buf, size_t len, struct gcode_moves *out,
                     struct dy_err *err);
void gcode_moves_fini(struct gcode_moves *m);

#ifdef __cplusplus
}
#endif
#endif
