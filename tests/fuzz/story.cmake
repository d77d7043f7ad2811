# The story loader: .daryn zips, and story.json text when the input starts
# with '{'. Seeds and past crashers: tests/corpus/story_load (replayed by
# the storyio_corpus ctest). Dictionary: story_load.dict.
daryn_fuzz_target(fuzz_story_load ${CMAKE_CURRENT_LIST_DIR}/fuzz_story_load.c daryn::storyio)
