/* cmd_render.c: `daryn render STORY... -o OUT`: one story to one video, or a
 * class's batch into a folder, both cores busy (one process per story). */
#include <errno.h>
#include <getopt.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daryn/export.h"
#include "daryn/story.h"
#include "daryn/storyio.h"

#include "batch.h"
#include "cli.h"
#include "i18n.h"

struct render_job {
    char **stories;
    size_t nstories;
    const char *out;          /* file (one story) or folder (batch) */
    int out_is_dir;
    const char *format;       /* mp4, webm, gif or png, once resolved */
    char **outs;              /* per story: the file (or PNG folder) to write */
    struct export_opts eo;
    size_t scene;             /* 1-based; 0 = all */
    int quiet;
    int vtt;                  /* also write OUT-without-ext.LANG.vtt */
};

static void usage(FILE *out)
{
    fprintf(out, _(
        "Usage: daryn render STORY... -o OUT [OPTIONS]\n"
        "Exports stories (.daryn files, story folders or story.json files) to video.\n"
        "With several stories, OUT is a folder and each story becomes OUT/NAME.EXT;\n"
        "they are exported in parallel (--jobs).\n"
        "\n"
        "  -o, --output OUT        output file, or folder for several stories\n"
        "      --format F          mp4 (H.264+AAC, plays everywhere), webm (VP9+Opus),\n"
        "                          gif (no sound), png (a folder of frames);\n"
        "                          default: from OUT's extension, else mp4\n"
        "      --size S            480p, 720p (default) or 1080p\n"
        "      --aspect A          16:9 (default, TV), 4:3 or 9:16 (phone, portrait)\n"
        "      --fps N             12, 24 (default), 25 or 30\n"
        "      --captions L        kk (default), ru, en or none: caption language,\n"
        "                          written as a subtitle track (mp4, webm)\n"
        "      --burn-captions     also draw the captions into the picture\n"
        "      --vtt               also write the captions as NAME.LANG.vtt for web pages\n"
        "      --scene N           export only scene N (1 = the first)\n"
        "      --frames A-B        export only frames A to B (0 = the first frame)\n"
        "      --jobs N            stories exported at once (default: number of cores)\n"
        "      --crf N, --preset P encoder quality and speed (advanced)\n"
        "  -q, --quiet             no progress display\n"
        "  -h, --help              this help\n"
        "\n"
        "Exit codes: 0 done, 1 a story can't be read, 2 bad options, 3 can't write\n"
        "the output, 4 encoder failure, 5 some stories of a batch failed, 130 stopped.\n"
        "An interrupted or failed export leaves no partial file.\n"));
}

static int parse_frames(const char *s, long *a, long *b)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end != '-' || x < 0)
        return -1;
    const char *s2 = end + 1;
    long y = strtol(s2, &end, 10);
    if (errno || end == s2 || *end || y < x)
        return -1;
    *a = x;
    *b = y;
    return 0;
}

/* "class/ali.daryn" -> "ali"; "templates/stories/aldar-kose/" -> "aldar-kose". */
static void story_stem(const char *path, char *buf, size_t size)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", path);
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        tmp[--n] = '\0';
    const char *base = strrchr(tmp, '/');
    base = base ? base + 1 : tmp;
    if (strcmp(base, "story.json") == 0 && base != tmp) {
        /* ".../NAME/story.json" -> NAME */
        tmp[base - tmp - 1] = '\0';
        story_stem(tmp, buf, size);
        return;
    }
    snprintf(buf, size, "%s", base);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf && (strcmp(dot, ".daryn") == 0 || strcmp(dot, ".json") == 0))
        *dot = '\0';
}

static void on_progress(void *ud, long done, long total)
{
    batch_report_progress(ud, (double)done, (double)total);
}

static int render_one(size_t i, void *arg, struct batch_report *rep)
{
    struct render_job *job = arg;
    const char *in = job->stories[i];
    const char *out = job->outs[i];
    struct dy_err err;
    dy_err_clear(&err);
    struct story *s = NULL;
    if (storyio_load(in, &s, &err) < 0) {
        cli_print_err(&err);
        return CLI_EXIT_INPUT;
    }
    struct export_opts eo = job->eo;
    size_t scene_idx = 0;
    if (job->scene) {
        if (job->scene > s->nscenes) {
            fprintf(stderr, _("daryn: %s: --scene %zu: the story has %zu scene(s)\n"), in,
                    job->scene, s->nscenes);
            story_destroy(s);
            return CLI_EXIT_USAGE;
        }
        scene_idx = job->scene - 1;
        eo.scenes = &scene_idx;
        eo.nscenes = 1;
    }
    /* A --frames range past the end is a mistake on the command line, not
     * in the story: say so with the story's real range (exit 2). */
    double dur = job->scene ? s->scenes[scene_idx].duration_s : story_duration(s);
    long nframes = export_frame_count(dur, eo.fps);
    if (eo.frame_first >= nframes) {
        fprintf(stderr, _("daryn: %s: --frames %ld-%ld: the export has frames 0-%ld at %d fps\n"),
                in, eo.frame_first, eo.frame_last, nframes - 1, eo.fps);
        story_destroy(s);
        return CLI_EXIT_USAGE;
    }
    eo.cancel = (volatile int *)&cli_interrupted;
    struct export_progress cb = {.fn = on_progress, .ud = rep};
    int rc = export_story(s, &eo, out, &cb, &err);
    batch_report_finish(rep);
    if (rc < 0) {
        story_destroy(s);
        if (rc == DY_ECANCELED) {
            fprintf(stderr, _("daryn: %s: stopped; no file was written\n"), out);
            return CLI_EXIT_INTERRUPT;
        }
        dy_err_prefix(&err, in);
        cli_print_err(&err);
        return cli_exit_for(rc, rc == DY_EIO);
    }
    if (!job->quiet)
        fprintf(stderr, _("daryn: wrote %s\n"), out);
    if (job->vtt && eo.caption_lang >= 0) {
        /* "class/ali.mp4" -> "class/ali.kk.vtt" */
        char vtt[4096];
        snprintf(vtt, sizeof(vtt), "%s", out);
        char *dot = strrchr(vtt, '.'), *slash = strrchr(vtt, '/');
        if (dot && (!slash || dot > slash))
            *dot = '\0';
        size_t n = strlen(vtt);
        snprintf(vtt + n, sizeof(vtt) - n, ".%s.vtt", story_lang_code(eo.caption_lang));
        if (export_write_vtt(s, &eo, vtt, &err) < 0) {
            cli_print_err(&err);
            story_destroy(s);
            return CLI_EXIT_OUTPUT;
        }
        if (!job->quiet)
            fprintf(stderr, _("daryn: wrote %s\n"), vtt);
    }
    story_destroy(s);
    return CLI_EXIT_OK;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The format an output name asks for: "mp4", "webm", "gif", "png", "" when
 * it has no extension, NULL when the extension is unknown. */
static const char *format_of_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return "";
    if (!strcasecmp(dot, ".mp4") || !strcasecmp(dot, ".m4v"))
        return "mp4";
    if (!strcasecmp(dot, ".webm"))
        return "webm";
    if (!strcasecmp(dot, ".gif"))
        return "gif";
    if (!strcasecmp(dot, ".png"))
        return "png";
    return NULL;
}

/* Works out what -o OUT means (see usage()). One story: OUT is the file, or
 * with PNG the frames folder ("shots.png" -> "shots"; an existing folder
 * of frames is replaced, never nested into), or, when OUT is an existing
 * folder or ends in '/', OUT/NAME.EXT. Several stories: OUT is a folder.
 * Without --format the extension decides, and no extension means mp4, as
 * the help says. Fills job->format, job->out_is_dir, job->outs. Returns
 * CLI_EXIT_OK or an exit code after printing why. */
static int resolve_outputs(struct render_job *job, char *out_buf, size_t out_size)
{
    size_t n = strlen(job->out);
    int slash_end = n > 1 && job->out[n - 1] == '/';
    const char *by_name = format_of_name(job->out);
    if (!job->format) {
        if (!by_name && !is_dir(job->out) && job->nstories == 1) {
            const char *dot = strrchr(job->out, '.');
            fprintf(stderr, _("daryn: %s: unknown extension '%s': use .mp4, .webm, .gif or "
                              ".png, or give --format\n"), job->out, dot ? dot : "");
            return CLI_EXIT_USAGE;
        }
        job->format = by_name && by_name[0] ? by_name : "mp4";
    }
    int png = strcmp(job->format, "png") == 0;
    snprintf(out_buf, out_size, "%s", job->out);
    if (job->nstories == 1 && !slash_end && png && by_name && !strcmp(by_name, "png"))
        out_buf[strlen(out_buf) - 4] = '\0'; /* "shots.png" -> folder "shots" */
    job->out = out_buf;
    job->out_is_dir = job->nstories > 1 || slash_end || (!png && is_dir(job->out));
    if (job->out_is_dir && !is_dir(job->out) && mkdir(job->out, 0777) < 0) {
        fprintf(stderr, _("daryn: %s: cannot create the output folder: %s\n"), job->out,
                strerror(errno));
        return CLI_EXIT_OUTPUT;
    }
    job->outs = calloc(job->nstories, sizeof(*job->outs));
    if (!job->outs)
        return CLI_EXIT_INTERNAL;
    for (size_t i = 0; i < job->nstories; i++) {
        char path[4096 + 64];
        if (!job->out_is_dir) {
            snprintf(path, sizeof(path), "%s", job->out);
        } else {
            /* Two children's stories may share a name (class1/ali.daryn,
             * class2/ali.daryn): the later ones get -2, -3, ... instead of
             * overwriting the first. */
            char stem[1024];
            story_stem(job->stories[i], stem, sizeof(stem));
            const char *sep = job->out[strlen(job->out) - 1] == '/' ? "" : "/";
            for (int k = 1;; k++) {
                char suffix[16] = "";
                if (k > 1)
                    snprintf(suffix, sizeof(suffix), "-%d", k);
                snprintf(path, sizeof(path), "%s%s%s%s%s%s", job->out, sep, stem, suffix,
                         png ? "" : ".", png ? "" : job->format);
                size_t j = 0;
                while (j < i && strcmp(job->outs[j], path) != 0)
                    j++;
                if (j == i)
                    break;
            }
        }
        job->outs[i] = strdup(path);
        if (!job->outs[i])
            return CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

static void free_outputs(struct render_job *job)
{
    for (size_t i = 0; job->outs && i < job->nstories; i++)
        free(job->outs[i]);
    free(job->outs);
    job->outs = NULL;
}

int cmd_render(int argc, char **argv)
{
    enum { O_FORMAT = 256, O_SIZE, O_ASPECT, O_FPS, O_CAPTIONS, O_BURN, O_SCENE, O_FRAMES,
           O_JOBS, O_CRF, O_PRESET, O_VTT };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"format", required_argument, NULL, O_FORMAT},
        {"size", required_argument, NULL, O_SIZE}, {"aspect", required_argument, NULL, O_ASPECT},
        {"fps", required_argument, NULL, O_FPS},   {"captions", required_argument, NULL, O_CAPTIONS},
        {"burn-captions", no_argument, NULL, O_BURN},
        {"vtt", no_argument, NULL, O_VTT},
        {"scene", required_argument, NULL, O_SCENE},
        {"frames", required_argument, NULL, O_FRAMES},
        {"jobs", required_argument, NULL, O_JOBS}, {"crf", required_argument, NULL, O_CRF},
        {"preset", required_argument, NULL, O_PRESET},
        {"quiet", no_argument, NULL, 'q'},         {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct render_job job;
    memset(&job, 0, sizeof(job));
    export_opts_default(&job.eo);
    job.eo.caption_lang = STORY_LANG_KK;
    job.eo.subtitles = true;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = ncpu > 0 ? (int)ncpu : 1;
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': job.out = optarg; break;
        case 'q': job.quiet = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        case O_FORMAT:
            if (strcmp(optarg, "mp4") && strcmp(optarg, "webm") && strcmp(optarg, "gif") &&
                strcmp(optarg, "png")) {
                fprintf(stderr, _("daryn: --format: '%s' is not one of mp4, webm, gif, png\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            job.format = optarg;
            break;
        case O_SIZE:
            if (!strcmp(optarg, "480p")) job.eo.size = EXPORT_SIZE_480P;
            else if (!strcmp(optarg, "720p")) job.eo.size = EXPORT_SIZE_720P;
            else if (!strcmp(optarg, "1080p")) job.eo.size = EXPORT_SIZE_1080P;
            else {
                fprintf(stderr, _("daryn: --size: '%s' is not one of 480p, 720p, 1080p\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_ASPECT:
            if (!strcmp(optarg, "16:9")) job.eo.aspect = EXPORT_ASPECT_16_9;
            else if (!strcmp(optarg, "4:3")) job.eo.aspect = EXPORT_ASPECT_4_3;
            else if (!strcmp(optarg, "9:16")) job.eo.aspect = EXPORT_ASPECT_9_16;
            else {
                fprintf(stderr, _("daryn: --aspect: '%s' is not one of 16:9, 4:3, 9:16\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_FPS: {
            long f = strtol(optarg, &end, 10);
            if (*end || (f != 12 && f != 24 && f != 25 && f != 30)) {
                fprintf(stderr, _("daryn: --fps: '%s' is not one of 12, 24, 25, 30\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            job.eo.fps = (int)f;
            break;
        }
        case O_CAPTIONS:
            if (!strcmp(optarg, "none")) {
                job.eo.caption_lang = -1;
            } else {
                int l = story_lang_from_code(optarg);
                if (l < 0) {
                    fprintf(stderr, _("daryn: --captions: '%s' is not one of kk, ru, en, none\n"),
                            optarg);
                    return CLI_EXIT_USAGE;
                }
                job.eo.caption_lang = l;
            }
            break;
        case O_BURN: job.eo.burn_captions = true; break;
        case O_VTT: job.vtt = 1; break;
        case O_SCENE: {
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > STORY_MAX_SCENES) {
                fprintf(stderr, _("daryn: --scene: '%s' is not a scene number (1, 2, ...)\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            job.scene = (size_t)n;
            break;
        }
        case O_FRAMES:
            if (parse_frames(optarg, &job.eo.frame_first, &job.eo.frame_last) < 0) {
                fprintf(stderr, _("daryn: --frames: '%s' is not a range like 0-47\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case O_JOBS: {
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64) {
                fprintf(stderr, _("daryn: --jobs: '%s' is not a number from 1 to 64\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            jobs = (int)n;
            break;
        }
        case O_CRF: {
            long n = strtol(optarg, &end, 10);
            if (*end || n < 0 || n > 63) {
                fprintf(stderr, _("daryn: --crf: '%s' is not a number from 0 to 63\n"), optarg);
                return CLI_EXIT_USAGE;
            }
            job.eo.crf = (int)n;
            break;
        }
        case O_PRESET: {
            /* x264's presets; checked here so a typo is a usage error
             * (exit 2) and not an encoder failure found mid-export. */
            static const char *const presets[] = {"ultrafast", "superfast", "veryfast",
                "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo", NULL};
            size_t k = 0;
            while (presets[k] && strcmp(presets[k], optarg) != 0)
                k++;
            if (!presets[k]) {
                fprintf(stderr, _("daryn: --preset: '%s' is not one of ultrafast, superfast, "
                                  "veryfast, faster, fast, medium, slow, slower, veryslow\n"),
                        optarg);
                return CLI_EXIT_USAGE;
            }
            job.eo.preset = optarg;
            break;
        }
        default: cli_usage_hint("render"); return CLI_EXIT_USAGE;
        }
    }
    job.stories = argv + optind;
    job.nstories = (size_t)(argc - optind);
    if (job.nstories == 0 || !job.out) {
        fprintf(stderr, job.out ? _("daryn render: no story given\n")
                                : _("daryn render: -o OUT is required\n"));
        cli_usage_hint("render");
        return CLI_EXIT_USAGE;
    }
    char out_buf[4096];
    int rc = resolve_outputs(&job, out_buf, sizeof(out_buf));
    if (rc != CLI_EXIT_OK) {
        free_outputs(&job);
        return rc;
    }
    job.eo.format = job.format;
    /* H.264's quality scale stops at 51 (VP9's at 63). */
    if (!strcmp(job.format, "mp4") && job.eo.crf > 51) {
        fprintf(stderr, _("daryn: --crf: %d is over 51, the highest for mp4 (H.264)\n"),
                job.eo.crf);
        free_outputs(&job);
        return CLI_EXIT_USAGE;
    }
    if (jobs > (int)job.nstories)
        jobs = (int)job.nstories;
    /* Two stories on two cores: one encoder thread each is faster than
     * two encoders fighting over both cores with threads of their own. */
    if (jobs > 1 && job.eo.threads == 0)
        job.eo.threads = ncpu > jobs ? (int)(ncpu / jobs) : 1;
    struct batch_result *res = calloc(job.nstories, sizeof(*res));
    if (!res) {
        free_outputs(&job);
        return CLI_EXIT_INTERNAL;
    }
    size_t failed = batch_run(job.nstories, jobs, render_one, &job,
                              job.nstories > 1 ? _("render batch") : _("render"), job.quiet, res);
    if (job.nstories == 1) {
        rc = res[0].exit_code;
    } else {
        for (size_t i = 0; i < job.nstories; i++)
            if (res[i].signal)
                fprintf(stderr, _("daryn: %s: the export crashed (signal %d)\n"), job.stories[i],
                        res[i].signal);
        if (cli_interrupted)
            rc = CLI_EXIT_INTERRUPT;
        else if (failed)
            rc = CLI_EXIT_PARTIAL;
        if (!job.quiet)
            fprintf(stderr, _("daryn: %zu of %zu stories exported to %s\n"),
                    job.nstories - failed, job.nstories, job.out);
    }
    free(res);
    free_outputs(&job);
    return rc;
}
