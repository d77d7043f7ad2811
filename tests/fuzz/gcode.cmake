# Fuzz targets of daryn_gcode: the profile parser and the G-code reader.
# Seeds: tests/corpus/gcode_profile/, tests/corpus/gcode_reader/ (replayed
# by the gcode_reader unit test on every ctest run).
daryn_fuzz_target(fuzz_gcode_profile ${CMAKE_CURRENT_LIST_DIR}/fuzz_gcode_profile.c daryn::gcode)
daryn_fuzz_target(fuzz_gcode_reader ${CMAKE_CURRENT_LIST_DIR}/fuzz_gcode_reader.c daryn::gcode)
