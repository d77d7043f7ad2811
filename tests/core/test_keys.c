/* Easing curves and keyframe tracks. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "daryn/story.h"

static void test_ease_endpoints_exact(void **state)
{
    for (int e = 0; e < KEY_EASE_COUNT; e++) {
        assert_true(key_ease_apply(e, 0.0) == 0.0);
        assert_true(key_ease_apply(e, 1.0) == 1.0);
        assert_true(key_ease_apply(e, -0.5) == 0.0);
        assert_true(key_ease_apply(e, 1.5) == 1.0);
        assert_true(key_ease_apply(e, NAN) == 0.0);
    }
}

static void test_ease_midpoints(void **state)
{
    assert_true(key_ease_apply(KEY_EASE_LINEAR, 0.25) == 0.25);
    assert_true(key_ease_apply(KEY_EASE_LINEAR, 0.5) == 0.5);
    assert_true(key_ease_apply(KEY_EASE_IN, 0.5) == 0.125);
    assert_true(key_ease_apply(KEY_EASE_OUT, 0.5) == 0.875);
    assert_true(key_ease_apply(KEY_EASE_IN_OUT, 0.5) == 0.5);
    assert_true(key_ease_apply(KEY_EASE_IN_OUT, 0.25) == 0.0625);
    assert_true(key_ease_apply(KEY_EASE_IN_OUT, 0.75) == 0.9375);
    assert_true(key_ease_apply(KEY_EASE_STEP, 0.999) == 0.0);
    /* back-out: s=1.70158, at u=0.5: v=-0.5 -> 0.25*(2.70158*-0.5+1.70158)+1 */
    double expect = 0.25 * (2.70158 * -0.5 + 1.70158) + 1.0;
    assert_float_equal(key_ease_apply(KEY_EASE_OVERSHOOT, 0.5), expect, 1e-12);
    /* overshoot really passes the target somewhere in (0,1) */
    double peak = 0;
    for (int i = 1; i < 100; i++)
        peak = fmax(peak, key_ease_apply(KEY_EASE_OVERSHOOT, i / 100.0));
    assert_true(peak > 1.05 && peak < 1.15);
    /* monotonic curves stay monotonic */
    for (int e = KEY_EASE_LINEAR; e <= KEY_EASE_IN_OUT; e++)
        for (int i = 1; i <= 100; i++)
            assert_true(key_ease_apply(e, i / 100.0) >= key_ease_apply(e, (i - 1) / 100.0));
}

static void test_ease_names(void **state)
{
    for (int e = 0; e < KEY_EASE_COUNT; e++)
        assert_int_equal(key_ease_from_name(key_ease_name(e)), e);
    assert_int_equal(key_ease_from_name("bounce"), -1);
    assert_int_equal(key_ease_from_name(NULL), -1);
}

static void test_track_eval(void **state)
{
    struct key_track tr = {0};
    assert_true(key_track_eval(&tr, 1.0, 7.0) == 7.0);
    assert_int_equal(key_track_set(&tr, 2.0, 300, KEY_EASE_LINEAR), 0);
    assert_int_equal(key_track_set(&tr, 0.0, 100, KEY_EASE_LINEAR), 0);
    assert_int_equal(key_track_set(&tr, 4.0, 0, KEY_EASE_STEP), 0);
    assert_int_equal(tr.n, 3);
    assert_true(tr.keys[0].time_s == 0.0 && tr.keys[1].time_s == 2.0 && tr.keys[2].time_s == 4.0);
    assert_true(key_track_eval(&tr, -1.0, 0) == 100);
    assert_true(key_track_eval(&tr, 0.0, 0) == 100);
    assert_true(key_track_eval(&tr, 1.0, 0) == 200);
    assert_true(key_track_eval(&tr, 0.5, 0) == 150);
    assert_true(key_track_eval(&tr, 2.0, 0) == 300);
    assert_true(key_track_eval(&tr, 3.0, 0) == 150); /* linear on key 1 */
    assert_true(key_track_eval(&tr, 9.0, 0) == 0);
    /* ease of the segment's first key applies */
    assert_int_equal(key_track_set(&tr, 2.0, 300, KEY_EASE_STEP), 0); /* replace */
    assert_int_equal(tr.n, 3);
    assert_true(key_track_eval(&tr, 3.999, 0) == 300);
    assert_true(key_track_eval(&tr, 4.0, 0) == 0);
    assert_int_equal(key_track_set(&tr, 0.0, 100, KEY_EASE_IN), 0);
    assert_true(key_track_eval(&tr, 1.0, 0) == 100 + 200 * 0.125);
    assert_int_equal(key_track_find(&tr, 2.0), 1);
    assert_int_equal(key_track_find(&tr, 2.5), -1);
    key_track_remove(&tr, 1);
    assert_int_equal(tr.n, 2);
    assert_true(key_track_eval(&tr, 2.0, 0) == 100 - 100 * 0.125);
    assert_int_equal(key_track_set(&tr, NAN, 1, KEY_EASE_LINEAR), DY_EINVAL);
    assert_int_equal(key_track_set(&tr, 1, INFINITY, KEY_EASE_LINEAR), DY_EINVAL);
    struct key_track cp;
    assert_int_equal(key_track_copy(&cp, &tr), 0);
    assert_int_equal(cp.n, 2);
    assert_true(cp.keys[1].value == 0);
    key_track_fini(&cp);
    key_track_fini(&tr);
}

static void test_track_every_ease_interpolates(void **state)
{
    for (int e = 0; e < KEY_EASE_COUNT; e++) {
        struct key_track tr = {0};
        key_track_set(&tr, 1.0, 10, e);
        key_track_set(&tr, 3.0, 30, KEY_EASE_LINEAR);
        for (int i = 0; i <= 20; i++) {
            double u = i / 20.0;
            double want = 10 + 20 * key_ease_apply(e, u);
            assert_float_equal(key_track_eval(&tr, 1.0 + 2.0 * u, 0), want, 1e-9);
        }
        key_track_fini(&tr);
    }
}

int run_key_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ease_endpoints_exact),
        cmocka_unit_test(test_ease_midpoints),
        cmocka_unit_test(test_ease_names),
        cmocka_unit_test(test_track_eval),
        cmocka_unit_test(test_track_every_ease_interpolates),
    };
    return cmocka_run_group_tests_name("keys", tests, NULL, NULL);
}
