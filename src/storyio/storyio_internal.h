/* storyio_internal.h: pieces shared by the storyio source files. Not
 * installed; nothing outside src/storyio and its tests includes it. */
#ifndef DARYN_STORYIO_INTERNAL_H
#define DARYN_STORYIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "daryn/err.h"
#include "daryn/story.h"

/* Where media bytes come from while story.json is parsed: zip members or
 * files beside story.json. `read` fills *data (malloc'ed, caller frees) and
 * *size, or returns a negative code with err->msg set (the parser then
 * replaces err->where with the JSON path of the media entry). */
struct sio_media_src {
    int (*read)(void *ctx, const char *path, uint8_t **data, size_t *size,
                struct dy_err *err);
    void *ctx;
};

/* Names used in errors: `file` prefixes errors found in the parsed content
 * ("fox.daryn", giving "fox.daryn: scenes[0].id"); `json_label` prefixes the
 * line:column of syntax errors ("fox.daryn: story.json" -> "fox.daryn:
 * story.json:3:7"). */
struct sio_names {
    const char *file;
    const char *json_label;
};

/* Parses story.json text (borrowed) into a new story, migrating older
 * versions and running story_validate(). ms may be NULL (no media
 * available). On error *out is untouched. (json_read.c) */
int sio_json_parse(const char *text, size_t len, const struct sio_names *nm,
                   const struct sio_media_src *ms, struct story **out,
                   struct dy_err *err);

/* Migrates a parsed document of schema `from` (< STORY_SCHEMA_VERSION) to
 * the current schema in place. Errors name the JSON path. (migrate.c) */
int sio_migrate(json_t *root, int from, struct dy_err *err);

/* Canonical story.json text. (json_write.c) */
int sio_json_write(const struct story *s, char **out, size_t *len,
                   struct dy_err *err);

/* True when `name` is a safe relative member name: not empty, no leading
 * '/', no '\\' or ':' (drive letters, NTFS streams), no control bytes, no
 * empty, "." or ".." components (a trailing '/' marks a directory).
 * (zipio.c) */
bool sio_name_safe(const char *name);

/* The rule for media paths in story.json and member names when saving:
 * "media/<safe relative name>", at most 255 bytes. (zipio.c) */
bool sio_media_path_ok(const char *path);

/* Prefixes err->where with `file` ("fox.daryn: scenes[0]"), or sets it to
 * `file` when where is empty. No-op when err is NULL. (json_read.c) */
void sio_err_prefix(struct dy_err *err, const char *file);

/* In-memory .daryn writer. (zipio.c) */
int sio_zip_build(const struct story *s, const char *json, size_t jlen,
                  uint8_t **out, size_t *size, struct dy_err *err);

/* An opened .daryn archive that has passed the name and size checks. */
struct sio_zip;
int sio_zip_open_file(const char *path, const char *name, struct sio_zip **out,
                      struct dy_err *err);
int sio_zip_open_mem(const void *data, size_t size, const char *name,
                     struct sio_zip **out, struct dy_err *err);
/* Reads a member fully, at most `cap` bytes (and within the archive's total
 * budget), counting inflated bytes against the declared size. */
int sio_zip_read(struct sio_zip *z, const char *member, size_t cap,
                 uint8_t **data, size_t *size, struct dy_err *err);
void sio_zip_close(struct sio_zip *z);

#endif
