/* bench_video: the story-to-video benchmark (docs/performance.md).
 *
 *     bench_video [WORKDIR] [LONG_S] [SHORT_S]
 *
 * A LONG_S (60) second 720p / 24 fps story with 10 characters from
 * templates/characters walking along keyed paths (heads, arms and legs
 * turning) and one burned caption line is exported to MP4 by `export_story`
 * (render + encode, what `daryn render` does). The floor is the same frames,
 * rendered beforehand into WORKDIR/frames.raw, pushed alone through the same
 * encoder wrapper with the same settings. Each measurement runs in its own
 * child process so its peak RSS (getrusage ru_maxrss) is its own:
 *
 *   render  - rendering alone (frames -> raw file), fps
 *   floor   - encoding the pre-rendered frames alone: fps, peak RSS
 *   daryn   - export_story of the LONG_S story: fps, peak RSS
 *   daryn10 - export_story of a SHORT_S (10) second story: peak RSS
 *
 * and prints the ratio daryn/floor time (target <= 1.3), daryn's peak
 * minus the encoder's (target <= 64 MB) and LONG/SHORT peak (flat: <= 1.15). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daryn/export.h"
#include "daryn/render.h"
#include "daryn/story.h"
#include "daryn/storyio.h"
#include "daryn/vexport.h"

#define W 1280
#define H 720
#define FPS 24
#define NCHAR 10

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct dy_err *err)
{
    char buf[1200];
    fprintf(stderr, "bench_video: %s: %s\n", what, err ? dy_err_format(err, buf, sizeof(buf)) : "");
    exit(1);
}

/* Loads the character templates and places NCHAR of them walking across a
 * scene of `secs` seconds along keyed paths, limbs swinging. */
static struct story *make_story(double secs)
{
    const char *dir = DARYN_SOURCE_DIR "/templates/characters";
    struct story *tpl[16];
    size_t ntpl = 0;
    DIR *d = opendir(dir);
    if (!d)
        die("no templates/characters folder", NULL);
    struct dirent *e;
    char names[16][256];
    while ((e = readdir(d)) && ntpl < 16) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0)
            snprintf(names[ntpl++], sizeof(names[0]), "%s", e->d_name);
    }
    closedir(d);
    qsort(names, ntpl, sizeof(names[0]), (int (*)(const void *, const void *))strcmp);
    for (size_t i = 0; i < ntpl; i++) {
        char path[600];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        struct dy_err err;
        if (storyio_load(path, &tpl[i], &err) < 0)
            die("loading a template", &err);
    }
    if (ntpl == 0)
        die("no templates found", NULL);

    struct story *s = story_create();
    struct story_scene *sc = story_scene_add(s, "bench");
    sc->duration_s = secs;
    sc->background = (struct story_color){0.62f, 0.83f, 0.94f, 1};
    /* ground */
    struct story_actor *g = story_actor_add(sc, "ground", STORY_ACTOR_DRAWING);
    struct story_shape *sh = story_drawing_add(&g->drawing, STORY_SHAPE_FILL);
    sh->color = (struct story_color){0.55f, 0.75f, 0.35f, 1};
    story_shape_add_point(sh, 0, 760, 0);
    story_shape_add_point(sh, 1920, 700, 0);
    story_shape_add_point(sh, 1920, 1080, 0);
    story_shape_add_point(sh, 0, 1080, 0);
    key_track_set(&g->props[STORY_PROP_Z], 0, -10, KEY_EASE_STEP);
    for (int i = 0; i < NCHAR; i++) {
        const struct story_scene *tsc = &tpl[i % ntpl]->scenes[0];
        const struct story_actor *src = NULL;
        for (size_t k = 0; k < tsc->nactors && !src; k++)
            if (tsc->actors[k].kind == STORY_ACTOR_CHARACTER)
                src = &tsc->actors[k];
        if (!src)
            die("a template without a character", NULL);
        char id[32];
        snprintf(id, sizeof(id), "c%d", i);
        struct story_actor *a = story_actor_copy(sc, src, id);
        if (!a)
            die("out of memory", NULL);
        for (int p = 0; p < STORY_PROP_COUNT; p++)
            key_track_fini(&a->props[p]);
        /* Walk back and forth across the screen, each at its own pace. */
        double y = 560 + 40 * (i % 4), period = 8 + i;
        for (double t = 0; t <= secs + 1e-9; t += period / 2) {
            int leg = (int)(t / (period / 2)) % 2;
            key_track_set(&a->props[STORY_PROP_X], t, leg ? 1700 - 60 * i : 200 + 60 * i,
                          KEY_EASE_IN_OUT);
        }
        key_track_set(&a->props[STORY_PROP_Y], 0, y, KEY_EASE_LINEAR);
        key_track_set(&a->props[STORY_PROP_SCALE_X], 0, 0.5, KEY_EASE_LINEAR);
        key_track_set(&a->props[STORY_PROP_SCALE_Y], 0, 0.5, KEY_EASE_LINEAR);
        key_track_set(&a->props[STORY_PROP_Z], 0, i, KEY_EASE_STEP);
        /* Swing every non-root part: a walk cycle of 1 s. */
        for (size_t p = 0; p < a->nparts; p++) {
            if (a->parts[p].parent < 0)
                continue;
            key_track_fini(&a->part_rot[p]);
            double amp = 10 + 3 * (double)(p % 4);
            for (double t = 0; t <= secs + 1e-9; t += 0.5)
                key_track_set(&a->part_rot[p], t, ((int)(t * 2) % 2 ? amp : -amp) * (p % 2 ? 1 : -1),
                              KEY_EASE_IN_OUT);
        }
    }
    struct story_caption *c = story_caption_add(sc, 0, secs);
    story_text_set(&c->text, STORY_LANG_KK, "Алдар Көсе мен қасқыр: ертегі басталады!");
    story_text_set(&c->text, STORY_LANG_RU, "Алдар Косе и волк: сказка начинается!");
    story_text_set(&c->text, STORY_LANG_EN, "Aldar Kose and the wolf: the tale begins!");
    for (size_t i = 0; i < ntpl; i++)
        story_destroy(tpl[i]);
    struct dy_err err;
    if (story_validate(s, &err) < 0)
        die("bench story invalid", &err);
    return s;
}

static void opts_for_export(struct export_opts *o)
{
    export_opts_default(o);
    o->size = EXPORT_SIZE_720P;
    o->aspect = EXPORT_ASPECT_16_9;
    o->fps = FPS;
    o->format = "mp4";
    o->caption_lang = STORY_LANG_KK;
    o->burn_captions = true;
    o->subtitles = false;
}

static const struct render_opts ropts = {.caption_lang = STORY_LANG_KK, .burn_captions = 1};

/* child: renders every frame into raw; prints render fps. */
static int run_render(const char *raw, double secs)
{
    struct story *s = make_story(secs);
    struct render_ctx *rc;
    struct render_image img;
    struct dy_err err;
    if (render_create(s, &rc, &err) < 0)
        die("render_create", &err);
    if (render_image_init(&img, W, H) < 0)
        die("render_image_init", NULL);
    FILE *f = fopen(raw, "wb");
    if (!f)
        die("cannot write the raw frames file", NULL);
    long n = export_frame_count(secs, FPS);
    double t0 = now_s(), tr = 0;
    for (long i = 0; i < n; i++) {
        double a = now_s();
        if (render_scene_at(rc, 0, (double)i / FPS, &ropts, &img, &err) < 0)
            die("render_scene_at", &err);
        tr += now_s() - a;
        for (int y = 0; y < H; y++)
            fwrite(img.data + (size_t)y * img.stride, 4, W, f);
    }
    fclose(f);
    printf("render   %5ld frames: %6.1f fps rendering alone (%.1f s incl. writing %.1f s)\n", n,
           n / tr, now_s() - t0, now_s() - t0 - tr);
    render_image_fini(&img);
    render_destroy(rc);
    story_destroy(s);
    return 0;
}

/* child: the floor: pre-rendered frames through the same encoder wrapper
 * with the settings export_story uses. */
static int run_floor(const char *raw, double secs, const char *out)
{
    struct vexport_opts vo;
    vexport_opts_default(&vo);
    vo.format = "mp4";
    vo.width = W;
    vo.height = H;
    vo.fps = FPS;
    vo.audio_rate = 0;
    struct render_image img;
    if (render_image_init(&img, W, H) < 0)
        die("render_image_init", NULL);
    int fd = open(raw, O_RDONLY);
    if (fd < 0)
        die("cannot read the raw frames file", NULL);
    long n = export_frame_count(secs, FPS);
    struct vexport *vx;
    struct dy_err err;
    double t0 = now_s();
    if (vexport_open(&vo, out, &vx, &err) < 0)
        die("vexport_open", &err);
    for (long i = 0; i < n; i++) {
        for (int y = 0; y < H; y++)
            if (read(fd, img.data + (size_t)y * img.stride, (size_t)W * 4) != (ssize_t)W * 4)
                die("short read of raw frames", NULL);
        if (vexport_push_video(vx, &img) < 0)
            break;
    }
    if (vexport_close(vx, &err) < 0)
        die("vexport_close", &err);
    double el = now_s() - t0;
    close(fd);
    render_image_fini(&img);
    printf("floor    %5ld frames: %6.1f fps encoding alone, %.2f s\n", n, n / el, el);
    FILE *f = fopen(DARYN_BENCH_TIMES, "a");
    if (f) {
        fprintf(f, "floor %.6f\n", el);
        fclose(f);
    }
    return 0;
}

static int run_daryn(double secs, const char *out, const char *tag)
{
    struct story *s = make_story(secs);
    struct export_opts o;
    opts_for_export(&o);
    struct dy_err err;
    double t0 = now_s();
    if (export_story(s, &o, out, NULL, &err) < 0)
        die("export_story", &err);
    double el = now_s() - t0;
    long n = export_frame_count(secs, FPS);
    printf("%-8s %5ld frames: %6.1f fps render + encode, %.2f s\n", tag, n, n / el, el);
    FILE *f = fopen(DARYN_BENCH_TIMES, "a");
    if (f) {
        fprintf(f, "%s %.6f\n", tag, el);
        fclose(f);
    }
    story_destroy(s);
    return 0;
}

/* Runs fn in a child; returns its peak RSS in MB. */
static double in_child(int (*fn)(void *), void *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
    {
        int r = fn(arg);
        fflush(NULL);
        _exit(r);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_video: a measurement failed\n");
        exit(1);
    }
    return ru.ru_maxrss / 1024.0;
}

struct args {
    const char *raw, *out;
    double secs;
    const char *tag;
};
static int c_render(void *p) { struct args *a = p; return run_render(a->raw, a->secs); }
static int c_floor(void *p) { struct args *a = p; return run_floor(a->raw, a->secs, a->out); }
static int c_daryn(void *p) { struct args *a = p; return run_daryn(a->secs, a->out, a->tag); }

/* The best (lowest) time recorded under `tag`: the machine is shared, so
 * each measurement is repeated, alternating floor and export, and the best
 * of each is compared. */
static double read_time(const char *tag)
{
    FILE *f = fopen(DARYN_BENCH_TIMES, "r");
    double v = -1, x;
    char t[32];
    while (f && fscanf(f, "%31s %lf", t, &x) == 2)
        if (strcmp(t, tag) == 0 && (v < 0 || x < v))
            v = x;
    if (f)
        fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    const char *work = argc > 1 ? argv[1] : "bench-work";
    double long_s = argc > 2 ? atof(argv[2]) : 60;
    double short_s = argc > 3 ? atof(argv[3]) : 10;
    mkdir(work, 0777);
    char raw[1024], out_floor[1024], out_long[1024], out_short[1024];
    snprintf(raw, sizeof(raw), "%s/frames.raw", work);
    snprintf(out_floor, sizeof(out_floor), "%s/floor.mp4", work);
    snprintf(out_long, sizeof(out_long), "%s/daryn-%gs.mp4", work, long_s);
    snprintf(out_short, sizeof(out_short), "%s/daryn-%gs.mp4", work, short_s);
    unlink(DARYN_BENCH_TIMES);
    printf("bench_video: %g s story, %dx%d, %d fps, %d characters, MP4 (vexport defaults)\n",
           long_s, W, H, FPS, NCHAR);
    int reps = getenv("BENCH_REPEAT") ? atoi(getenv("BENCH_REPEAT")) : 2;
    struct args a = {.raw = raw, .secs = long_s};
    double rss_render = in_child(c_render, &a);
    a.out = out_floor;
    struct args b = {.out = out_long, .secs = long_s, .tag = "daryn"};
    double rss_floor = 0, rss_long = 0;
    for (int r = 0; r < (reps > 0 ? reps : 1); r++) {
        double m = in_child(c_floor, &a);
        rss_floor = m > rss_floor ? m : rss_floor;
        m = in_child(c_daryn, &b);
        rss_long = m > rss_long ? m : rss_long;
    }
    unlink(raw);
    struct args c = {.out = out_short, .secs = short_s, .tag = "daryn10"};
    double rss_short = in_child(c_daryn, &c);
    double tf = read_time("floor"), td = read_time("daryn");
    printf("\nexport time / encode-only floor: %.2fx   (best of %d each; target <= 1.30)\n", td / tf,
           reps);
    printf("peak RSS: render alone %.0f MB, encoder alone (floor) %.0f MB, daryn %g s %.0f MB, "
           "daryn %g s %.0f MB\n", rss_render, rss_floor, long_s, rss_long, short_s, rss_short);
    printf("daryn peak - encoder peak: %+.0f MB   (target <= +64 MB)\n", rss_long - rss_floor);
    printf("daryn %g s / %g s peak: %.2fx   (flat: target <= 1.15)\n", long_s, short_s,
           rss_long / rss_short);
    unlink(DARYN_BENCH_TIMES);
    return 0;
}
