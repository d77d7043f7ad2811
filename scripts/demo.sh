#!/usr/bin/env bash
# The main job, on a new Debian 12 machine as root, no display needed:
# installs everything, builds, renders the bundled sample story to a video
# and slices the bundled figurine, then says where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
mkdir -p out
./build/src/cli/daryn render templates/stories/aldar-kose -o out/aldar-kose.mp4 --size 720p --fps 24 --captions kk
./build/src/cli/daryn slice assets/models/fox-figurine.stl -o out/fox-figurine.gcode \
    --printer generic-marlin --material pla --height 60 --supports auto --preview out/fox-figurine-preview.png
echo
echo "Done:"
echo "  video:    $(pwd)/out/aldar-kose.mp4"
echo "  G-code:   $(pwd)/out/fox-figurine.gcode"
echo "  preview:  $(pwd)/out/fox-figurine-preview.png"
