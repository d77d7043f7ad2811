/* e2e_story.h: small stories the end-to-end tests write with storyio. */
#ifndef E2E_STORY_H
#define E2E_STORY_H

#include <stdbool.h>

/* Writes a one-scene story of dur_s seconds to path (".daryn": a zip via
 * storyio_save; ".json": canonical story.json text): white background, a
 * red square moving left to right across the middle, and when `caption`
 * is set one caption in kk, ru and en shown for the whole scene. 0 or -1. */
int e2e_story_write(const char *path, double dur_s, bool caption);

#endif
