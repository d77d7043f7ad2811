/* storyio.h: reading and writing story files (docs/story-format.md).
 *
 * A story is stored as a `.daryn` zip (story.json + media/ members), or,
 * for templates and the bundled samples, unpacked: a directory holding
 * story.json with media/ beside it, or a bare `.json` file whose media paths
 * are relative to its directory.
 *
 * Loading is strict and never trusts the input: every problem returns a
 * negative DY_E* code with err->where naming the file and the JSON path
 * ("fox.daryn: scenes[2].actors[0].tracks.x[5].time") or the line and column
 * of a syntax error ("fox.daryn: story.json:12:7"), and err->msg saying what
 * is wrong ("must be >= 0 (got -1.5)"). On failure *out is left untouched
 * and everything allocated is freed. Older schema versions are migrated.
 *
 * Saving is canonical: members in a fixed order with a fixed timestamp and
 * story.json written with a fixed key order and shortest round-tripping
 * numbers, so load -> save -> load -> save gives identical bytes. */
#ifndef DARYN_STORYIO_H
#define DARYN_STORYIO_H

#include <stddef.h>
#include <stdint.h>

#include "daryn/err.h"
#include "daryn/story.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Safety caps of the loader (see docs/story-format.md, "Limits"). */
#define STORYIO_MAX_MEMBER_BYTES (256u << 20)   /* one zip member or file */
#define STORYIO_MAX_TOTAL_BYTES (1024u << 20)   /* all members together */
#define STORYIO_MAX_JSON_BYTES (64u << 20)      /* story.json */
#define STORYIO_MAX_RATIO 1000u                 /* compression ratio ... */
#define STORYIO_RATIO_MIN_BYTES (1u << 20)      /* ... on members above 1 MiB */
#define STORYIO_MAX_MEMBERS 20000               /* entries in the archive */

/* Loads a story from `path`: a `.daryn` zip, a directory holding
 * story.json (media paths relative to the directory), or a file whose name
 * ends in `.json` (media paths relative to its directory).
 * out: OUT, a new story; caller frees with story_destroy().
 * Errors: DY_EIO (cannot read), DY_EFORMAT (not a zip, damaged, syntax,
 * wrong types), DY_ERANGE, DY_ENOTFOUND (missing story.json, media or id),
 * DY_EUNSUPPORTED (format, newer version), DY_ELIMIT (zip bomb, size caps),
 * DY_ENOMEM, or whatever story_validate() reports. */
int storyio_load(const char *path, struct story **out, struct dy_err *err);

/* Loads a `.daryn` zip held in memory. `data` is borrowed for the call only.
 * `name` is used in error messages (NULL: "<memory>"). */
int storyio_load_mem(const void *data, size_t size, const char *name,
                     struct story **out, struct dy_err *err);

/* Loads story.json text held in memory. `json` is borrowed and need not be
 * NUL-terminated. Media paths are read relative to `media_dir`; when
 * `media_dir` is NULL any media entry is refused (DY_ENOTFOUND). `name` is
 * the file name used in error messages (NULL: "story.json"). */
int storyio_load_json_mem(const char *json, size_t len, const char *name,
                          const char *media_dir, struct story **out,
                          struct dy_err *err);

/* Validates the story (story_validate()) and writes it as a `.daryn` zip to
 * `path` atomically: the bytes go to a temporary file in the same directory,
 * which is fsync'ed and renamed over `path`. On any error the temporary file
 * is removed and an existing file at `path` is untouched.
 * Errors: those of story_validate(), DY_EINVAL (a string is not UTF-8),
 * DY_EIO, DY_EEXTERNAL (libzip), DY_ENOMEM. */
int storyio_save(const struct story *s, const char *path, struct dy_err *err);

/* Like storyio_save() but into memory. out: OUT, malloc'ed zip bytes, caller
 * frees with free(); size: OUT, their count. */
int storyio_save_mem(const struct story *s, uint8_t **out, size_t *size,
                     struct dy_err *err);

/* The canonical story.json text of `s` (no validation). out_json: OUT,
 * malloc'ed NUL-terminated text, caller frees with free(); len: OUT (may be
 * NULL), its length without the NUL. */
int storyio_json_dump(const struct story *s, char **out_json, size_t *len,
                      struct dy_err *err);

#ifdef __cplusplus
}
#endif
#endif
