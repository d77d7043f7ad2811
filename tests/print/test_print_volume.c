/* Extruded volume: slicing a 20 mm cube and reading the G-code back, the
 * plastic laid down matches what the settings imply (walls, solid top and
 * bottom layers, sparse infill at its density), computed here from the
 * geometry alone, not from the slicer's own numbers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "daryn/gcode.h"
#include "daryn/gcode_profile.h"
#include "daryn/gcode_reader.h"
#include "daryn/mesh.h"
#include "daryn/slice.h"
#include "testmesh.h"

struct volumes {
    double total_mm3;                   /* every extrusion but the skirt */
    double by_feature[SLICE_FEAT_COUNT];
    int layers;
};

static void slice_cube(double density, int walls, int top, int bottom, struct volumes *out)
{
    struct mesh_tris m = {0};
    assert_int_equal(testmesh_cube(&m, 20.0), 0);
    struct dy_err err = {0};
    struct mesh_place_opts po = {.bed_mm = {220, 220, 250}};
    assert_int_equal(mesh_place(&m, &po, NULL, &err), 0);
    struct slice_params sp = slice_params_default();
    sp.layer_h_mm = sp.first_layer_h_mm = 0.2;
    sp.line_w_mm = 0.4;
    sp.walls = walls;
    sp.top_layers = top;
    sp.bottom_layers = bottom;
    sp.infill_pattern = SLICE_INFILL_GRID;
    sp.infill_density = density;
    sp.supports = 0;
    sp.skirt_loops = 0;
    sp.brim_width_mm = 0;
    sp.bed_x_mm = sp.bed_y_mm = 220;
    sp.bed_z_mm = 250;
    struct slice_plan plan = {0};
    assert_int_equal(slice_run(&m, &sp, NULL, &plan, &err), 0);
    mesh_tris_fini(&m);

    struct gcode_printer pr;
    struct gcode_material mat;
    char path[1024];
    snprintf(path, sizeof(path), "%s/gcode/printers/generic-marlin.ini", DARYN_SOURCE_DIR);
    assert_int_equal(gcode_printer_load(path, &pr, &err), 0);
    snprintf(path, sizeof(path), "%s/gcode/materials/pla.ini", DARYN_SOURCE_DIR);
    assert_int_equal(gcode_material_load(path, &mat, &err), 0);
    struct gcode_sink *sink = gcode_sink_create_mem();
    assert_non_null(sink);
    assert_int_equal(gcode_write_plan(&plan, &pr, &mat, NULL, sink, &err), 0);
    assert_int_equal(gcode_sink_close(sink, &err), 0);
    size_t len = 0;
    const char *g = gcode_sink_data(sink, &len);
    struct gcode_moves mv = {0};
    assert_int_equal(gcode_moves_read(g, len, &mv, &err), 0);

    double r = mat.filament_diameter_mm / 2, area = M_PI * r * r;
    *out = (struct volumes){.layers = mv.nlayers};
    for (size_t i = 0; i < mv.n; i++) {
        const struct gcode_move *v = &mv.v[i];
        double de = v->to.e - v->from.e;
        if (!v->extrudes || de <= 0 || v->feature < 0 || v->feature == SLICE_FEAT_SKIRT)
            continue;
        double vol = de * area / mat.flow;
        out->total_mm3 += vol;
        out->by_feature[v->feature] += vol;
    }
    gcode_moves_fini(&mv);
    gcode_sink_destroy(sink);
    slice_plan_fini(&plan);
}

/* What the settings imply for the 20 mm cube in 100 layers of 0.2 mm. */
static double expected_mm3(double density, int walls, int top, int bottom)
{
    const double side = 20, w = 0.4, h = 0.2;
    const int layers = 100;
    double inner_side = side - 2 * walls * w;
    double ring = side * side - inner_side * inner_side, inner = inner_side * inner_side;
    int solid = top + bottom;
    return h * (layers * ring + solid * inner + (layers - solid) * density * inner);
}

static void check(double density, int walls, int top, int bottom, double tol)
{
    struct volumes v;
    slice_cube(density, walls, top, bottom, &v);
    double want = expected_mm3(density, walls, top, bottom);
    print_message("density %.0f%%, %d walls, %d top, %d bottom: %.1f mm3 extruded, %.1f implied "
                  "(%+.1f%%); walls %.1f, skin %.1f, infill %.1f\n",
                  density * 100, walls, top, bottom, v.total_mm3, want,
                  (v.total_mm3 / want - 1) * 100,
                  v.by_feature[SLICE_FEAT_WALL_OUTER] + v.by_feature[SLICE_FEAT_WALL_INNER],
                  v.by_feature[SLICE_FEAT_TOP] + v.by_feature[SLICE_FEAT_BOTTOM],
                  v.by_feature[SLICE_FEAT_INFILL]);
    assert_int_equal(v.layers, 100);
    assert_true(fabs(v.total_mm3 / want - 1) <= tol);
    /* The walls alone: N loops of width w around a 20 mm square. */
    double ring = 400 - pow(20 - 2 * walls * 0.4, 2);
    double walls_mm3 = v.by_feature[SLICE_FEAT_WALL_OUTER] + v.by_feature[SLICE_FEAT_WALL_INNER];
    assert_true(fabs(walls_mm3 / (100 * 0.2 * ring) - 1) <= 0.03);
}

static void test_solid_cube(void **state)
{
    /* 100 % infill: the cube's own volume, 8000 mm3. */
    check(1.0, 2, 4, 4, 0.03);
    assert_true(fabs(expected_mm3(1.0, 2, 4, 4) - 8000) < 1e-6);
}

static void test_sparse_cube(void **state)
{
    check(0.20, 2, 4, 4, 0.05);
    check(0.15, 3, 3, 3, 0.05);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_solid_cube),
        cmocka_unit_test(test_sparse_cube),
    };
    return cmocka_run_group_tests_name("print_volume", tests, NULL, NULL);
}
