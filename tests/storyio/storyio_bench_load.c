/* storyio_bench_load.c: how long loading and saving a large story takes.
 * Not a test (timing belongs to benchmarks): run it by hand,
 *     build/tests/storyio/storyio_bench_load [scenes]
 * It builds a story of `scenes` x 50 drawing actors (a 400-point stroke and
 * 8 tracks of 100 keys each), then times json dump, json load, zip save and
 * zip load. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "daryn/storyio.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static struct story *make_story(int nscenes)
{
    struct story *s = story_create();
    for (int i = 0; s && i < nscenes; i++) {
        char id[32];
        snprintf(id, sizeof(id), "s%d", i);
        struct story_scene *sc = story_scene_add(s, id);
        sc->duration_s = 60;
        for (int a = 0; a < 50; a++) {
            snprintf(id, sizeof(id), "a%d_%d", i, a);
            struct story_actor *ac = story_actor_add(sc, id, STORY_ACTOR_DRAWING);
            struct story_shape *sh = story_drawing_add(&ac->drawing,
                                                       STORY_SHAPE_STROKE);
            for (int p = 0; p < 400; p++) {
                story_shape_add_point(sh, p * 1.37, (p % 17) * 3.1 - 20,
                                      2 + (p % 5) * 0.25);
            }
            for (int k = 0; k < STORY_PROP_COUNT; k++) {
                for (int t = 0; t < 100; t++) {
                    double v = k == STORY_PROP_OPACITY || k == STORY_PROP_VISIBLE
                                   ? (t % 10) / 10.0 : t * 0.7 - 3;
                    key_track_set(&ac->props[k], t * 0.5, v,
                                  (enum key_ease)(t % KEY_EASE_COUNT));
                }
            }
        }
    }
    return s;
}

int main(int argc, char **argv)
{
    int nscenes = argc > 1 ? atoi(argv[1]) : 4;
    struct dy_err err;
    struct story *s = make_story(nscenes);
    char *json = NULL;
    size_t len = 0;
    double t0 = now_s();
    if (storyio_json_dump(s, &json, &len, &err) != 0) {
        fprintf(stderr, "dump: %s: %s\n", err.where, err.msg);
        return 1;
    }
    double t1 = now_s();
    struct story *l = NULL;
    if (storyio_load_json_mem(json, len, "bench.json", NULL, &l, &err) != 0) {
        fprintf(stderr, "load: %s: %s\n", err.where, err.msg);
        return 1;
    }
    double t2 = now_s();
    uint8_t *zip = NULL;
    size_t zlen = 0;
    if (storyio_save_mem(l, &zip, &zlen, &err) != 0) {
        fprintf(stderr, "save: %s: %s\n", err.where, err.msg);
        return 1;
    }
    double t3 = now_s();
    struct story *l2 = NULL;
    if (storyio_load_mem(zip, zlen, "bench.daryn", &l2, &err) != 0) {
        fprintf(stderr, "zip load: %s: %s\n", err.where, err.msg);
        return 1;
    }
    double t4 = now_s();
    printf("story.json %.2f MB (%d scenes x 50 actors)\n", len / 1e6, nscenes);
    printf("json dump   %7.1f ms\n", (t1 - t0) * 1e3);
    printf("json load   %7.1f ms (incl. story_validate)\n", (t2 - t1) * 1e3);
    printf("zip save    %7.1f ms (%.2f MB)\n", (t3 - t2) * 1e3, zlen / 1e6);
    printf("zip load    %7.1f ms\n", (t4 - t3) * 1e3);
    free(json);
    free(zip);
    story_destroy(s);
    story_destroy(l);
    story_destroy(l2);
    return 0;
}
