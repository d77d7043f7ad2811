# Valid-but-absurd stories through the renderer and the audio decoder
# (fuzz_story_render.c). Seeds: tests/corpus/story_render/ (story.json
# texts); the corpus is replayed by scripts/test.sh's fuzz stage.
daryn_fuzz_target(fuzz_story_render ${CMAKE_CURRENT_LIST_DIR}/fuzz_story_render.c
  daryn::storyio daryn::render daryn::media)
