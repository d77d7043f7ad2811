/* cmd_slice.c: `daryn slice MODEL -o OUT.gcode`: the print pipeline as
 * explicit stages (import -> repair -> place -> slice -> G-code), each a
 * library call with plain data between them; this file only wires options
 * to parameters and reports progress. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daryn/gcode.h"
#include "daryn/gcode_profile.h"
#include "daryn/mesh.h"
#include "daryn/preview.h"
#include "daryn/slice.h"
#include "daryn/slice_infill.h"

#include "cli.h"
#include "i18n.h"
#include "progress.h"

struct slice_cli {
    const char *model, *out, *preview;
    const char *printer, *material;
    struct mesh_import_opts io;
    struct mesh_place_opts po;
    struct slice_params sp;
    double first_layer_mm;   /* < 0: default */
    double line_w_mm;        /* < 0: nozzle */
    int brim;
    int quiet;
};

static void usage(FILE *out)
{
    fprintf(out, _(
        "Usage: daryn slice MODEL -o OUT.gcode [OPTIONS]\n"
        "Turns a 3D model (STL, OBJ, PLY, OFF, 3MF, glTF/GLB, FBX, DAE, 3DS) into G-code.\n"
        "\n"
        "Printer and material ('daryn printers' lists them):\n"
        "      --printer ID        printer profile (default generic-marlin)\n"
        "      --material ID       pla (default), petg or tpu\n"
        "Model placement:\n"
        "      --units U           mm (default; glTF: m), cm, m or inch\n"
        "      --scale F           scale by F (1 = as is)\n"
        "      --height MM         scale so the model is MM tall (a figure: --height 60)\n"
        "      --rotate X,Y,Z      turn by degrees about X, then Y, then Z\n"
        "      --auto-orient       rest the model on its largest flat face\n"
        "      --fit               scale down to fit the printer instead of refusing\n"
        "Print settings:\n"
        "      --layer MM          layer height (default 0.2)\n"
        "      --first-layer MM    first layer height (default 0.2)\n"
        "      --line-width MM     extrusion width (default: the nozzle size)\n"
        "      --walls N           perimeters (default 2)\n"
        "      --top N, --bottom N solid layers on top and bottom (default 4)\n"
        "      --infill PCT        sparse infill density, 0-100 (default 15)\n"
        "      --pattern P         grid (default), lines, triangles or gyroid\n"
        "      --supports S        auto (default: under overhangs) or off\n"
        "      --support-angle DEG overhangs steeper than this get support (default 50)\n"
        "      --brim              add a brim (better bed grip for thin feet)\n"
        "      --brim-width MM     brim width (default 5)\n"
        "      --skirt N           skirt loops (default 1; 0 = none)\n"
        "      --skirt-distance MM gap between skirt and model (default 6)\n"
        "      --seam S            aligned (default) or rear\n"
        "Output:\n"
        "  -o, --output FILE       the G-code file (written whole or not at all)\n"
        "      --preview FILE.png  also draw the toolpaths to look at before printing\n"
        "  -q, --quiet             no progress display\n"
        "\n"
        "Exit codes: 0 done, 1 the model can't be read or doesn't fit, 2 bad options,\n"
        "3 can't write the output, 4 internal failure, 130 stopped.\n"));
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, _("daryn: %s: '%s' is not a number from %g to %g\n"), opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_int(const char *opt, const char *s, int lo, int hi, int *out)
{
    double v;
    if (parse_double(opt, s, lo, hi, &v) < 0)
        return -1;
    if (v != floor(v)) {
        fprintf(stderr, _("daryn: %s: '%s' is not a whole number\n"), opt, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int parse_args(int argc, char **argv, struct slice_cli *c)
{
    enum { O_PRINTER = 256, O_MATERIAL, O_UNITS, O_SCALE, O_HEIGHT, O_ROTATE, O_AUTO, O_FIT,
           O_LAYER, O_FIRST, O_LINEW, O_WALLS, O_TOP, O_BOTTOM, O_INFILL, O_PATTERN, O_SUPPORTS,
           O_SANGLE, O_BRIM, O_BRIMW, O_SKIRT, O_SKIRTD, O_SEAM, O_PREVIEW };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"printer", required_argument, NULL, O_PRINTER},
        {"material", required_argument, NULL, O_MATERIAL},
        {"units", required_argument, NULL, O_UNITS},
        {"scale", required_argument, NULL, O_SCALE},
        {"height", required_argument, NULL, O_HEIGHT},
        {"rotate", required_argument, NULL, O_ROTATE},
        {"auto-orient", no_argument, NULL, O_AUTO},
        {"fit", no_argument, NULL, O_FIT},
        {"layer", required_argument, NULL, O_LAYER},
        {"first-layer", required_argument, NULL, O_FIRST},
        {"line-width", required_argument, NULL, O_LINEW},
        {"walls", required_argument, NULL, O_WALLS},
        {"top", required_argument, NULL, O_TOP},
        {"bottom", required_argument, NULL, O_BOTTOM},
        {"infill", required_argument, NULL, O_INFILL},
        {"pattern", required_argument, NULL, O_PATTERN},
        {"supports", required_argument, NULL, O_SUPPORTS},
        {"support-angle", required_argument, NULL, O_SANGLE},
        {"brim", no_argument, NULL, O_BRIM},
        {"brim-width", required_argument, NULL, O_BRIMW},
        {"skirt", required_argument, NULL, O_SKIRT},
        {"skirt-distance", required_argument, NULL, O_SKIRTD},
        {"seam", required_argument, NULL, O_SEAM},
        {"preview", required_argument, NULL, O_PREVIEW},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct dy_err err;
    double brim_w = 5, pct;
    int o;
    while ((o = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        int bad = 0;
        switch (o) {
        case 'o': c->out = optarg; break;
        case 'q': c->quiet = 1; break;
        case 'h': usage(stdout); return 1;
        case O_PRINTER: c->printer = optarg; break;
        case O_MATERIAL: c->material = optarg; break;
        case O_UNITS:
            if (mesh_unit_parse(optarg, &c->io.units, &err) < 0) {
                fprintf(stderr, _("daryn: --units: '%s' is not one of mm, cm, m, inch\n"), optarg);
                bad = 1;
            }
            break;
        case O_SCALE: bad = parse_double("--scale", optarg, 1e-4, 1e4, &c->po.scale); break;
        case O_HEIGHT: bad = parse_double("--height", optarg, 0.1, 10000, &c->po.height_mm); break;
        case O_ROTATE: {
            double *r = c->po.rotate_deg;
            char tail;
            if (sscanf(optarg, "%lf,%lf,%lf%c", &r[0], &r[1], &r[2], &tail) != 3 ||
                !isfinite(r[0] + r[1] + r[2])) {
                fprintf(stderr, _("daryn: --rotate: '%s' is not X,Y,Z in degrees (e.g. 90,0,0)\n"),
                        optarg);
                bad = 1;
            }
            break;
        }
        case O_AUTO: c->po.auto_orient = true; break;
        case O_FIT: c->po.fit = true; break;
        case O_LAYER: bad = parse_double("--layer", optarg, 0.04, 1.0, &c->sp.layer_h_mm); break;
        case O_FIRST: bad = parse_double("--first-layer", optarg, 0.04, 1.0, &c->first_layer_mm); break;
        case O_LINEW: bad = parse_double("--line-width", optarg, 0.1, 2.0, &c->line_w_mm); break;
        case O_WALLS: bad = parse_int("--walls", optarg, 1, 20, &c->sp.walls); break;
        case O_TOP: bad = parse_int("--top", optarg, 0, 100, &c->sp.top_layers); break;
        case O_BOTTOM: bad = parse_int("--bottom", optarg, 0, 100, &c->sp.bottom_layers); break;
        case O_INFILL:
            bad = parse_double("--infill", optarg, 0, 100, &pct);
            c->sp.infill_density = pct / 100.0;
            break;
        case O_PATTERN: {
            if (slice_infill_pattern_from_name(optarg, &c->sp.infill_pattern, &err) < 0) {
                fprintf(stderr, _("daryn: --pattern: '%s' is not one of grid, lines, triangles, "
                                  "gyroid\n"), optarg);
                bad = 1;
            }
            break;
        }
        case O_SUPPORTS:
            if (!strcmp(optarg, "auto"))
                c->sp.supports = 1;
            else if (!strcmp(optarg, "off"))
                c->sp.supports = 0;
            else {
                fprintf(stderr, _("daryn: --supports: '%s' is not auto or off\n"), optarg);
                bad = 1;
            }
            break;
        case O_SANGLE:
            bad = parse_double("--support-angle", optarg, 0, 89, &c->sp.support_angle_deg);
            break;
        case O_BRIM: c->brim = 1; break;
        case O_BRIMW:
            bad = parse_double("--brim-width", optarg, 0, 50, &brim_w);
            c->brim = brim_w > 0;
            break;
        case O_SKIRT: bad = parse_int("--skirt", optarg, 0, 20, &c->sp.skirt_loops); break;
        case O_SKIRTD:
            bad = parse_double("--skirt-distance", optarg, 0, 50, &c->sp.skirt_distance_mm);
            break;
        case O_SEAM:
            if (!strcmp(optarg, "aligned"))
                c->sp.seam = SLICE_SEAM_ALIGNED;
            else if (!strcmp(optarg, "rear"))
                c->sp.seam = SLICE_SEAM_REAR;
            else {
                fprintf(stderr, _("daryn: --seam: '%s' is not aligned or rear\n"), optarg);
                bad = 1;
            }
            break;
        case O_PREVIEW: c->preview = optarg; break;
        default: bad = 1; break;
        }
        if (bad)
            return -1;
    }
    c->sp.brim_width_mm = c->brim ? brim_w : 0;
    if (optind + 1 != argc || !c->out) {
        fprintf(stderr, !c->out ? _("daryn slice: -o OUT.gcode is required\n")
                                : _("daryn slice: give exactly one model\n"));
        return -1;
    }
    c->model = argv[optind];
    return 0;
}

/* Overall progress: import/repair/place 10 %, slicing 75 % (by stage
 * weights), G-code 15 %. */
struct slice_progress {
    struct progress bar;
    atomic_int cancel;
    double base, span;
};

static void on_stage(void *user, enum slice_stage stage, double frac)
{
    struct slice_progress *sp = user;
    if (cli_interrupted)
        atomic_store(&sp->cancel, 1);
    double before = 0, total = 0;
    for (int s = 0; s < SLICE_STAGE_COUNT; s++) {
        total += slice_stage_weight(s);
        if (s < (int)stage)
            before += slice_stage_weight(s);
    }
    double f = total > 0 ? (before + frac * slice_stage_weight(stage)) / total : 0;
    progress_update(&sp->bar, (sp->base + sp->span * f) * 100, 100);
}

/* How far the skirt and brim reach beyond the model's footprint, per
 * side (slice_adhesion.c: brim loops of one line width, then the skirt
 * distance and the skirt loops), plus one line width of slack. */
static double adhesion_margin_mm(const struct slice_params *sp)
{
    double w = sp->line_w_mm > 0 ? sp->line_w_mm : 0.4;
    double brim = sp->brim_width_mm > 0 ? ceil(sp->brim_width_mm / w) * w : 0;
    double skirt = sp->skirt_loops > 0 ? sp->skirt_distance_mm + sp->skirt_loops * w : 0;
    return brim + skirt + w;
}

static int load_profiles(const struct slice_cli *c, struct gcode_printer *pr,
                         struct gcode_material *mat, struct dy_err *err)
{
    char path[4096];
    if (gcode_profile_find(cli_profile_dir(), GCODE_PROFILE_PRINTER, c->printer, path,
                           sizeof(path), err) < 0 ||
        gcode_printer_load(path, pr, err) < 0)
        return err->code;
    if (gcode_profile_find(cli_profile_dir(), GCODE_PROFILE_MATERIAL, c->material, path,
                           sizeof(path), err) < 0 ||
        gcode_material_load(path, mat, err) < 0)
        return err->code;
    return 0;
}

static void print_summary(const struct slice_cli *c, const struct gcode_printer *pr,
                          const struct gcode_material *mat, const struct mesh_place_result *pl,
                          const struct gcode_stats *st)
{
    char dur[64];
    progress_format_duration(st->time_s, dur, sizeof(dur));
    fprintf(stderr, _("daryn: wrote %s\n"), c->out);
    fprintf(stderr, _("  %s, %s; model %.1f x %.1f x %.1f mm (scale %.3g)\n"), pr->name, mat->name,
            pl->size[0], pl->size[1], pl->size[2], pl->scale_applied);
    fprintf(stderr, _("  %zu layers, about %s of printing, %.2f m of filament (%.1f g)\n"),
            st->layers, dur, st->filament_mm / 1000.0, st->filament_g);
    if (c->preview)
        fprintf(stderr, _("  preview: %s\n"), c->preview);
}

int cmd_slice(int argc, char **argv)
{
    struct slice_cli c;
    memset(&c, 0, sizeof(c));
    c.printer = "generic-marlin";
    c.material = "pla";
    c.sp = slice_params_default();
    c.sp.infill_density = 0.15;
    c.sp.supports = 1;
    /* The defaults `daryn slice --help` promises, where the library's
     * differ (it has 3 bottom layers and a 3 mm skirt gap). */
    c.sp.bottom_layers = 4;
    c.sp.skirt_distance_mm = 6;
    c.first_layer_mm = -1;
    c.line_w_mm = -1;
    int pa = parse_args(argc, argv, &c);
    if (pa != 0) {
        if (pa < 0)
            fprintf(stderr, _("Run 'daryn slice --help' for the options.\n"));
        return pa > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }

    struct dy_err err;
    dy_err_clear(&err);
    struct gcode_printer printer;
    struct gcode_material material;
    if (load_profiles(&c, &printer, &material, &err) < 0) {
        cli_print_err(&err);
        return err.code == DY_ENOTFOUND || err.code == DY_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_INPUT;
    }
    c.sp.first_layer_h_mm = c.first_layer_mm > 0 ? c.first_layer_mm : fmax(c.sp.layer_h_mm, 0.2);
    c.sp.line_w_mm = c.line_w_mm > 0 ? c.line_w_mm : printer.nozzle_mm;
    c.sp.bed_x_mm = printer.bed_x_mm;
    c.sp.bed_y_mm = printer.bed_y_mm;
    c.sp.bed_z_mm = printer.max_z_mm;
    /* The model must leave room for the skirt and brim around it, or a
     * model that "fits" (--fit scales it to the whole bed) fails later
     * with the skirt off the bed. Placement checks against the bed less
     * that margin, then the model is centred on the whole bed. */
    double margin = adhesion_margin_mm(&c.sp);
    c.po.bed_mm[0] = fmax(printer.bed_x_mm - 2 * margin, 1);
    c.po.bed_mm[1] = fmax(printer.bed_y_mm - 2 * margin, 1);
    c.po.bed_mm[2] = printer.max_z_mm;

    struct slice_progress prog;
    memset(&prog, 0, sizeof(prog));
    atomic_init(&prog.cancel, 0);
    progress_begin(&prog.bar, stderr, _("slice"), "%", c.quiet);

    int rc = CLI_EXIT_OK;
    double margin_note = 0;
    int wrote_gcode = 0, wrote_preview = 0;
    struct mesh_tris mesh = {0};
    struct slice_plan plan = {0};
    struct mesh_place_result placed = {0};
    unsigned char *thumb_png[GCODE_THUMBS_MAX] = {0};
    struct gcode_thumbnail thumbs[GCODE_THUMBS_MAX];
    size_t nthumbs = 0;

    /* 1. import, 2. repair, 3. place */
    if (mesh_import(c.model, &c.io, &mesh, NULL, &err) < 0 ||
        mesh_repair(&mesh, NULL, NULL, &err) < 0) {
        rc = cli_exit_for(err.code, 0);
        goto fail;
    }
    progress_update(&prog.bar, 7, 100);
    struct mesh_place_opts centre = {.scale = 1,
                                     .bed_mm = {printer.bed_x_mm, printer.bed_y_mm,
                                                printer.max_z_mm}};
    if (mesh_place(&mesh, &c.po, &placed, &err) < 0 ||
        (margin > 0 && mesh_place(&mesh, &centre, NULL, &err) < 0)) {
        dy_err_prefix(&err, c.model);
        rc = cli_exit_for(err.code, 0);
        if (err.code == DY_ERANGE && margin > 0)
            margin_note = margin;
        goto fail;
    }
    progress_update(&prog.bar, 10, 100);
    if (cli_interrupted) {
        rc = CLI_EXIT_INTERRUPT;
        goto fail;
    }

    /* 4. slice */
    prog.base = 0.10;
    prog.span = 0.75;
    struct slice_ctl ctl = {.cancel = &prog.cancel, .progress = on_stage, .user = &prog};
    if (slice_run(&mesh, &c.sp, &ctl, &plan, &err) < 0) {
        if (err.code != DY_ECANCELED)
            dy_err_prefix(&err, c.model);
        rc = cli_exit_for(err.code, 0);
        goto fail;
    }
    mesh_tris_fini(&mesh);

    /* 5. thumbnails for the printer's screen, then the G-code itself */
    for (int i = 0; i < printer.nthumbs && i < GCODE_THUMBS_MAX; i++) {
        size_t len = 0;
        if (preview_thumbnail_png(&plan, printer.thumbs[i].w, printer.thumbs[i].h,
                                  &thumb_png[nthumbs], &len, &err) < 0) {
            rc = cli_exit_for(err.code, 1);
            goto fail;
        }
        thumbs[nthumbs] = (struct gcode_thumbnail){
            .w = printer.thumbs[i].w, .h = printer.thumbs[i].h, .png = thumb_png[nthumbs], .len = len};
        nthumbs++;
    }
    progress_update(&prog.bar, 88, 100);
    struct gcode_stats stats;
    memset(&stats, 0, sizeof(stats));
    struct gcode_opts go = {.thumbs = thumbs, .nthumbs = nthumbs,
                            .cancel = (const volatile int *)&cli_interrupted, .stats = &stats};
    if (gcode_write_file(&plan, &printer, &material, &go, c.out, &err) < 0) {
        rc = cli_exit_for(err.code, 1);
        goto fail;
    }
    wrote_gcode = 1;
    if (c.preview) {
        /* The overview plus the first layer (bed contact, brim), one a
         * third up (supports, if any) and one two thirds up. */
        size_t layers[3] = {0, plan.nlayers / 3, plan.nlayers * 2 / 3};
        struct preview_bed bed = {.x_mm = printer.bed_x_mm, .y_mm = printer.bed_y_mm};
        struct preview_opts popt = {.width = 1600, .height = 1000, .overview = 1,
                                    .layers = layers, .nlayers = plan.nlayers >= 3 ? 3 : 1};
        if (preview_plan_png(&plan, &bed, &popt, c.preview, &err) < 0) {
            rc = cli_exit_for(err.code, 1);
            goto fail;
        }
        wrote_preview = 1;
    }
    /* Ctrl-C during the preview: the promise is "stopped, nothing left",
     * not a G-code file and exit 0. */
    if (cli_interrupted) {
        rc = CLI_EXIT_INTERRUPT;
        goto fail;
    }
    progress_update(&prog.bar, 100, 100);
    progress_end(&prog.bar, true);
    if (!c.quiet)
        print_summary(&c, &printer, &material, &placed, &stats);
    goto done;

fail:
    progress_end(&prog.bar, false);
    /* A failed or stopped run leaves no output: the G-code may already be
     * written when the preview fails or Ctrl-C comes. */
    if (wrote_gcode)
        unlink(c.out);
    if (wrote_preview)
        unlink(c.preview);
    if (err.code == DY_ECANCELED || rc == CLI_EXIT_INTERRUPT) {
        fprintf(stderr, _("daryn: stopped; no G-code file was written\n"));
        rc = CLI_EXIT_INTERRUPT;
    } else {
        cli_print_err(&err);
        if (margin_note > 0)
            fprintf(stderr, _("daryn: (%.1f mm on each side of the bed are kept free for the "
                              "skirt and brim)\n"), margin_note);
    }
done:
    for (size_t i = 0; i < nthumbs; i++)
        free(thumb_png[i]);
    slice_plan_fini(&plan);
    mesh_tris_fini(&mesh);
    return rc;
}
