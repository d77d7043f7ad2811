#!/usr/bin/env bash
# Slices the same meshes with CuraEngine (Debian cura-engine) and `daryn slice`
# at matching settings, side by side in one run, and reports the time ratio
# and peak memory (max RSS). Settings: 0.4 nozzle, 0.2 mm layers, 2 walls,
# 4 top/bottom layers, 20 % grid infill, no supports, one skirt loop 6 mm out,
# 220x220x250 bed, PLA 1.75 mm (shared/BENCHMARKS.md).
#
#   DARYN_BENCH=1 bash scripts/install-deps.sh   # ffmpeg, cura-engine, time
#   bash bench/slice_vs_cura.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
DARYN=$BUILD/src/cli/daryn
GEN=$BUILD/bench/bench_make_meshes
WORK=${BENCH_WORK:-$BUILD/bench-work}
mkdir -p "$WORK"
REPEAT=${REPEAT:-3}

# Cura's printer definitions come from the Debian `cura` package, unpacked
# (not installed: the GUI isn't needed).
DEFS=$WORK/cura/usr/share/cura/resources/definitions
if [ ! -f "$DEFS/fdmprinter.def.json" ]; then
  (cd "$WORK" && apt-get download cura >/dev/null && dpkg-deb -x cura_*.deb cura)
fi

"$GEN" "$WORK"   # writes sphere-1m.stl, cube20.stl
MESHES=("assets/models/fox-figurine.stl" "$WORK/cube20.stl" "$WORK/sphere-1m.stl")

cura() {
  CURA_ENGINE_SEARCH_PATH=$DEFS:$DEFS/../extruders CuraEngine slice -j "$DEFS/fdmprinter.def.json" \
    -s machine_width=220 -s machine_depth=220 -s machine_height=250 -s machine_heated_bed=true \
    -s machine_nozzle_size=0.4 -s layer_height=0.2 -s layer_height_0=0.2 -s wall_line_count=2 \
    -s top_layers=4 -s bottom_layers=4 -s infill_sparse_density=20 -s infill_line_distance=4 \
    -s infill_pattern=grid -s infill_sparse_thickness=0.2 -s support_enable=false -s center_object=true \
    -s adhesion_type=skirt -s skirt_line_count=1 -s skirt_gap=6 -s meshfix_union_all=true \
    -e0 -s material_diameter=1.75 -l "$1" -o "$2"
}
daryn() {
  "$DARYN" slice "$1" -o "$2" --printer generic-marlin --material pla --layer 0.2 --first-layer 0.2 \
    --walls 2 --top 4 --bottom 4 --infill 20 --pattern grid --supports off --skirt 1 --skirt-distance 6 \
    --quiet
}

# Runs "$@" under /usr/bin/time; prints "seconds maxrss_kb".
measure() {
  local log=$WORK/time.log
  /usr/bin/time -f "%e %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; return 1; }
  cat "$log"
}

printf '%-28s %10s %10s %8s %10s %10s %8s\n' mesh cura_s daryn_s ratio cura_MB daryn_MB mem
for m in "${MESHES[@]}"; do
  best_c=999999; best_d=999999; mem_c=0; mem_d=0
  for i in $(seq "$REPEAT"); do
    # Alternate the order so neither tool always runs on a warmer cache.
    read -r tc mc < <(measure cura "$m" "$WORK/cura.gcode")
    read -r td md < <(measure daryn "$m" "$WORK/daryn.gcode")
    best_c=$(echo "$tc $best_c" | awk '{print ($1<$2)?$1:$2}')
    best_d=$(echo "$td $best_d" | awk '{print ($1<$2)?$1:$2}')
    mem_c=$(echo "$mc $mem_c" | awk '{print ($1>$2)?$1:$2}')
    mem_d=$(echo "$md $mem_d" | awk '{print ($1>$2)?$1:$2}')
  done
  awk -v m="$(basename "$m")" -v c="$best_c" -v d="$best_d" -v mc="$mem_c" -v md="$mem_d" 'BEGIN {
    printf "%-28s %10.2f %10.2f %7.2fx %10.1f %10.1f %7.2fx\n", m, c, d, d/c, mc/1024, md/1024, md/mc }'
done
echo "(best of $REPEAT runs each; ratio = daryn/cura time, target <= 0.5; mem = daryn/cura max RSS, target <= 1)"
