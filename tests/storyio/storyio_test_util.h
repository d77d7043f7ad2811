/* storyio_test_util.h: shared helpers of the storyio tests. */
#ifndef DARYN_STORYIO_TEST_UTIL_H
#define DARYN_STORYIO_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "daryn/story.h"

/* Directory with media/a.png, media/b.svg, media/c.wav (source tree). */
#define TEST_DATA_DIR DARYN_SOURCE_DIR "/tests/storyio/data"

/* A story using every actor kind, a part tree, every track and ease, frames,
 * captions in kk/ru/en, audio and all three media kinds. Colours are k/255
 * so they survive the "#rrggbb" form exactly. Caller frees with
 * story_destroy(). Fails the test on OOM. */
struct story *test_story_full(void);

/* Asserts every field of a and b is equal (doubles exactly). */
void test_assert_story_equal(const struct story *a, const struct story *b);

/* Whole-file read (malloc'ed, caller frees); NULL when it cannot. */
uint8_t *test_file_read(const char *path, size_t *size);
/* Writes bytes; fails the test on error. */
void test_file_write(const char *path, const void *data, size_t size);

/* One member of a zip made by test_zip_make(). */
struct test_member {
    const char *name;
    const void *data;
    size_t size;
    int deflate; /* 1: ZIP_CM_DEFLATE, 0: ZIP_CM_STORE */
};

/* Builds a zip in memory with libzip (any names, even "../evil"). Caller
 * frees *out with free(). */
void test_zip_make(const struct test_member *m, size_t n, uint8_t **out,
                   size_t *size);

/* Output directory for files the tests write (the build tree). */
const char *test_out_dir(void);

#endif
