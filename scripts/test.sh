#!/usr/bin/env bash
# Sets up a new Debian 12 machine (as root), builds Daryn and runs every
# test: the whole suite in a normal build, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
DARYN_TEST_DEPS=1 bash scripts/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 900

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDARYN_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 1200 -LE 'e2e|slow'

# The parsers' fuzz targets (libFuzzer, clang): build them and fuzz each for
# a short while from its seed corpus, so a regression in a parser shows up
# here, not in a library's hands. Longer runs: see README "Developing".
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDARYN_FUZZ=ON \
  -DDARYN_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs"
fuzz_secs=${DARYN_FUZZ_SECONDS:-20}
# fontconfig keeps process-lifetime caches: not our leaks.
export LSAN_OPTIONS=suppressions=$PWD/tests/render/lsan.supp:print_suppressions=0
for t in story_load:story_load story_render:story_render mesh_load:mesh_load gcode_profile:gcode_profile \
         gcode_reader:gcode_reader; do
  target=fuzz_${t%%:*}
  corpus=tests/corpus/${t##*:}
  work=$(mktemp -d)
  cp -r "$corpus"/. "$work"/
  echo "fuzz: $target for ${fuzz_secs}s"
  if ! (cd "$work" && "$OLDPWD/build-fuzz/tests/fuzz/$target" -max_total_time="$fuzz_secs" \
         -rss_limit_mb=2048 -timeout=30 "$work" >"$work.log" 2>&1); then
    tail -n 60 "$work.log"
    echo "fuzz: $target found a problem; the input is in $work" >&2
    exit 1
  fi
  grep -E "^#[0-9]+.*(DONE|pulse)" "$work.log" | tail -n 1
  rm -rf "$work" "$work.log"
done
echo "fuzz: no crashes"
