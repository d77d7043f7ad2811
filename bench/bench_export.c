/* bench_export.c: encode speed and size of a story export.
 *
 *     bench_export [format] [preset] [seconds] [size: 480|720|1080] [threads]
 *
 * Renders a cartoon-like story made in code (flat-coloured blobs with black
 * outlines moving over white, a red square crossing the screen) and prints
 * frames per second (render + encode) and the output size. Defaults: mp4
 * veryfast 10 s 720p, automatic threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "daryn/export.h"
/* The story builder shared with tests/export. */
#include "ex_story.h"

int main(int argc, char **argv)
{
    const char *format = argc > 1 ? argv[1] : "mp4";
    const char *preset = argc > 2 ? argv[2] : "veryfast";
    double secs = argc > 3 ? atof(argv[3]) : 10.0;
    int size = argc > 4 ? atoi(argv[4]) : 720;
    int threads = argc > 5 ? atoi(argv[5]) : 0;
    struct story *s = ex_story_moving_square(secs, 12);
    if (!s || ex_story_add_tone(s, "tone", 48000, 2, secs, 0.5, 0) < 0) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    struct export_opts o;
    export_opts_default(&o);
    o.size = size == 480 ? EXPORT_SIZE_480P
                         : size == 1080 ? EXPORT_SIZE_1080P : EXPORT_SIZE_720P;
    o.fps = 24;
    o.format = format;
    o.preset = preset;
    o.threads = threads;
    char path[256];
    snprintf(path, sizeof(path), "bench_export_out.%s",
             strcmp(format, "png") == 0 ? "d" : format);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct dy_err err = {0};
    int rc = export_story(s, &o, path, NULL, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc < 0) {
        char buf[1200];
        fprintf(stderr, "%s\n", dy_err_format(&err, buf, sizeof(buf)));
        story_destroy(s);
        return 1;
    }
    double el = (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    long frames = export_frame_count(secs, o.fps);
    struct stat sb;
    stat(path, &sb);
    printf("%s %s %dp %.0f s: %ld frames in %.2f s = %.1f fps (%.2fx real "
           "time), %.0f KiB\n", format, preset, size, secs, frames, el,
           frames / el, secs / el, (double)sb.st_size / 1024);
    story_destroy(s);
    return 0;
}
