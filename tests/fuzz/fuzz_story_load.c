/* fuzz_story_load.c: libFuzzer target for the story loader.
 *
 * Input that starts with '{' (after blanks) is story.json text, loaded with
 * media from tests/storyio/data (media/a.png, media/b.svg, media/c.wav), so
 * the fuzzer reaches the JSON without zip framing in the way; anything else
 * is a .daryn zip loaded from memory. Beyond "never crash", it checks:
 *   - a refusal has a negative code equal to err.code and a message;
 *   - a story that loads dumps, reloads and dumps to the same text (JSON),
 *     or saves, reloads and saves to the same bytes (zip).
 * The same function replays tests/corpus/story_load in ctest
 * (tests/storyio/storyio_corpus_test.c). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/storyio.h"

#define FUZZ_MAX_INPUT (1u << 20)
#define FUZZ_MEDIA_DIR DARYN_SOURCE_DIR "/tests/storyio/data"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a finding: abort so libFuzzer saves the input. */
static void fuzz_require(bool ok, const char *what, const struct dy_err *err)
{
    if (!ok) {
        fprintf(stderr, "fuzz_story_load: %s (%s: %s)\n", what,
                err ? err->where : "", err ? err->msg : "");
        abort();
    }
}

static void check_refusal(int rc, const struct dy_err *err, struct story *s)
{
    fuzz_require(rc < 0 && rc >= DY_EEXTERNAL, "bad return code", err);
    fuzz_require(err->code == rc, "err.code differs from the return", err);
    fuzz_require(err->msg[0] != 0, "refusal without a message", err);
    fuzz_require(s == NULL, "*out set on failure", err);
}

static void roundtrip_json(const struct story *s)
{
    struct dy_err err;
    char *j1 = NULL, *j2 = NULL;
    size_t n1 = 0, n2 = 0;
    struct story *s2 = NULL;
    fuzz_require(storyio_json_dump(s, &j1, &n1, &err) == 0, "dump", &err);
    fuzz_require(storyio_load_json_mem(j1, n1, "dump.json", FUZZ_MEDIA_DIR,
                                       &s2, &err) == 0,
                 "the dump of a loaded story does not load", &err);
    fuzz_require(storyio_json_dump(s2, &j2, &n2, &err) == 0, "dump 2", &err);
    fuzz_require(n1 == n2 && memcmp(j1, j2, n1) == 0,
                 "dump -> load -> dump changed the text", NULL);
    free(j1);
    free(j2);
    story_destroy(s2);
}

static void roundtrip_zip(const struct story *s)
{
    struct dy_err err;
    uint8_t *z1 = NULL, *z2 = NULL;
    size_t n1 = 0, n2 = 0;
    struct story *s2 = NULL;
    fuzz_require(storyio_save_mem(s, &z1, &n1, &err) == 0,
                 "a loaded story does not save", &err);
    fuzz_require(storyio_load_mem(z1, n1, "saved.daryn", &s2, &err) == 0,
                 "a saved story does not load", &err);
    fuzz_require(storyio_save_mem(s2, &z2, &n2, &err) == 0, "save 2", &err);
    fuzz_require(n1 == n2 && memcmp(z1, z2, n1) == 0,
                 "save -> load -> save changed the bytes", NULL);
    free(z1);
    free(z2);
    story_destroy(s2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    size_t i = 0;
    while (i < size && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' ||
                        data[i] == '\r')) {
        i++;
    }
    bool json = i < size && data[i] == '{';
    struct dy_err err;
    struct story *s = NULL;
    int rc = json ? storyio_load_json_mem((const char *)data, size, "fuzz.json",
                                          FUZZ_MEDIA_DIR, &s, &err)
                  : storyio_load_mem(data, size, "fuzz.daryn", &s, &err);
    if (rc < 0) {
        check_refusal(rc, &err, s);
        return 0;
    }
    fuzz_require(s != NULL, "success without a story", &err);
    if (json) {
        roundtrip_json(s);
    } else {
        roundtrip_zip(s);
    }
    story_destroy(s);
    return 0;
}
