/* ex_story.h: stories built in code for the export tests and bench. */
#ifndef EX_STORY_H
#define EX_STORY_H

#include "daryn/story.h"

/* A 1920x1080 story: one scene of `dur_s` on a white background, a red
 * 200x200 square (drawing actor) keyed linearly from x = 200 to x = 1720
 * at y = 540, plus `extra` bouncing coloured blobs for a cartoon-like load.
 * NULL on OOM. */
struct story *ex_story_moving_square(double dur_s, int extra);

/* Adds a WAV media (16-bit PCM: silence, then a 440 Hz tone of amplitude
 * 0.5 from onset_s to len_s) and places it in scene 0 at start_s. */
int ex_story_add_tone(struct story *s, const char *id, int rate,
                      int channels, double len_s, double onset_s,
                      double start_s);

/* Adds a mono 16-bit WAV media of len_s at `rate`: silence except a
 * 1000 Hz burst of amplitude 0.5 over [burst_s, burst_s + 0.25) followed by
 * a 500 Hz one over [burst_s + 0.25, burst_s + 0.5), placed in scene 0 at
 * start_s. 10 minutes at 8 kHz is 9.6 MB. */
int ex_story_add_burst(struct story *s, const char *id, int rate,
                       double len_s, double burst_s, double start_s);

#endif
