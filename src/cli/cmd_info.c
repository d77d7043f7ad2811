/* cmd_info.c: `daryn info STORY...`: what a story holds and what looks
 * wrong in it, for instructors checking a child's work before export. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "daryn/story.h"
#include "daryn/storyio.h"

#include "cli.h"
#include "i18n.h"

static const char *kind_name(enum story_actor_kind k)
{
    switch (k) {
    case STORY_ACTOR_CHARACTER: return _("character");
    case STORY_ACTOR_DRAWING: return _("drawing");
    case STORY_ACTOR_IMAGE: return _("image");
    case STORY_ACTOR_TEXT: return _("text");
    }
    return "?";
}

static int track_keys(const struct story_actor *a)
{
    int n = 0;
    for (int p = 0; p < STORY_PROP_COUNT; p++)
        n += (int)a->props[p].n;
    for (size_t i = 0; i < a->nparts; i++)
        n += (int)a->part_rot[i].n;
    return n;
}

static double track_last(const struct key_track *t)
{
    return t->n ? t->keys[t->n - 1].time_s : 0;
}

/* Problems that are legal in the file but probably not what the child
 * meant; printed as warnings, counted in the summary. */
static int report_problems(const struct story *s)
{
    int problems = 0;
    for (size_t i = 0; i < s->nscenes; i++) {
        const struct story_scene *sc = &s->scenes[i];
        for (size_t j = 0; j < sc->nactors; j++) {
            const struct story_actor *a = &sc->actors[j];
            double last = 0;
            for (int p = 0; p < STORY_PROP_COUNT; p++)
                last = fmax(last, track_last(&a->props[p]));
            for (size_t k = 0; k < a->nparts; k++)
                last = fmax(last, track_last(&a->part_rot[k]));
            if (last > sc->duration_s) {
                printf(_("  problem: scene %zu (%s): actor '%s' has keys at %.2f s, after the scene "
                         "ends (%.2f s)\n"), i + 1, sc->id, a->id, last, sc->duration_s);
                problems++;
            }
            if (a->kind == STORY_ACTOR_TEXT)
                for (int l = 0; l < STORY_LANG_COUNT; l++)
                    if (!a->text.s[l] || !a->text.s[l][0]) {
                        printf(_("  problem: scene %zu (%s): text '%s' has no %s version\n"), i + 1,
                               sc->id, a->id, story_lang_code(l));
                        problems++;
                    }
        }
        for (size_t c = 0; c < sc->ncaptions; c++) {
            const struct story_caption *cap = &sc->captions[c];
            if (cap->start_s >= sc->duration_s) {
                printf(_("  problem: scene %zu (%s): caption %zu starts after the scene ends\n"),
                       i + 1, sc->id, c + 1);
                problems++;
            }
            for (int l = 0; l < STORY_LANG_COUNT; l++)
                if (!cap->text.s[l] || !cap->text.s[l][0]) {
                    printf(_("  problem: scene %zu (%s): caption %zu has no %s text\n"), i + 1,
                           sc->id, c + 1, story_lang_code(l));
                    problems++;
                }
        }
        for (size_t k = 0; k < sc->naudio; k++)
            if (story_scene_start(s, i) + sc->audio[k].start_s >= story_duration(s)) {
                printf(_("  problem: scene %zu (%s): sound %zu starts after the story ends\n"),
                       i + 1, sc->id, k + 1);
                problems++;
            }
    }
    return problems;
}

static void print_story(const char *path, const struct story *s)
{
    const char *title = story_text_get(&s->title, (enum story_lang)cli_ui_lang());
    if (title[0])
        printf(_("%s: \"%s\"\n"), path, title);
    else
        printf(_("%s: (no title)\n"), path);
    for (int l = 0; l < STORY_LANG_COUNT; l++)
        if (s->title.s[l])
            printf(_("  title (%s): %s\n"), story_lang_code(l), s->title.s[l]);
    printf(_("  canvas %.0f x %.0f, %zu scene(s), %.2f s, %zu media file(s)\n"), s->width,
           s->height, s->nscenes, story_duration(s), s->nmedia);
    for (size_t i = 0; i < s->nscenes; i++) {
        const struct story_scene *sc = &s->scenes[i];
        printf(_("  scene %zu '%s': %.2f s from %.2f s, %zu actor(s), %zu caption(s), %zu "
                 "sound(s)\n"),
               i + 1, sc->id, sc->duration_s, story_scene_start(s, i), sc->nactors,
               sc->ncaptions, sc->naudio);
        for (size_t j = 0; j < sc->nactors; j++) {
            const struct story_actor *a = &sc->actors[j];
            printf(_("    %-10s %-16s %3zu part(s) %4d key(s)\n"), kind_name(a->kind), a->id,
                   a->nparts, track_keys(a));
        }
    }
}

static void usage(FILE *out)
{
    fprintf(out, _("Usage: daryn info STORY...\n"
                   "Describes each story (a .daryn file, a story folder or a story.json):\n"
                   "scenes, actors, duration, and problems found.\n"
                   "Exit code 1 when a story can't be loaded.\n"));
}

int cmd_info(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            usage(stdout);
            return CLI_EXIT_OK;
        }
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (optind >= argc) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    int rc = CLI_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        struct story *s = NULL;
        struct dy_err err;
        dy_err_clear(&err);
        if (storyio_load(argv[i], &s, &err) < 0) {
            cli_print_err(&err);
            rc = CLI_EXIT_INPUT;
            continue;
        }
        print_story(argv[i], s);
        int n = report_problems(s);
        if (n == 0)
            printf(_("  no problems found\n"));
        else
            printf(ngettext("  %d problem found\n", "  %d problems found\n", n), n);
        story_destroy(s);
    }
    return rc;
}
