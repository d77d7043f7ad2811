# Mesh import + repair (see fuzz_mesh_load.c). Assimp runs in the child
# process, so its own crashes come back as errors, not fuzzer findings.
daryn_fuzz_target(fuzz_mesh_load ${CMAKE_CURRENT_LIST_DIR}/fuzz_mesh_load.c
  daryn::mesh)
