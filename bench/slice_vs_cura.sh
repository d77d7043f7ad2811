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

"$GEN" "$WORK" >/dev/null   # writes sphere-1m.stl, cube20.stl
MESHES=("assets/models/fox-figurine.stl" "$WORK/cube20.stl" "$WORK/sphere-1m.stl")
# BENCH_MESHES="a.stl b.stl" runs other (binary STL) meshes instead.
if [ -n "${BENCH_MESHES:-}" ]; then read -ra MESHES <<<"$BENCH_MESHES"; fi

# The two command lines, as arrays: /usr/bin/time runs programs, not shell
# functions. Cura's command line takes each setting's default_value and never
# evaluates the definition's formulas, so every setting that differs from
# its default_value is given: initial_bottom_layers defaults to 6 and
# skirt_brim_minimal_length to 250 mm (which adds skirt loops), whatever
# bottom_layers and skirt_line_count say.
cura_cmd() {
  CMD=(env "CURA_ENGINE_SEARCH_PATH=$DEFS:$DEFS/../extruders" CuraEngine slice
    -j "$DEFS/fdmprinter.def.json"
    -s machine_width=220 -s machine_depth=220 -s machine_height=250 -s machine_heated_bed=true
    -s machine_nozzle_size=0.4 -s line_width=0.4 -s layer_height=0.2 -s layer_height_0=0.2
    -s wall_line_count=2 -s top_layers=4 -s bottom_layers=4 -s initial_bottom_layers=4
    -s infill_sparse_density=20 -s infill_line_distance=4 -s infill_pattern=grid
    -s infill_sparse_thickness=0.2 -s support_enable=false -s center_object=true
    -s adhesion_type=skirt -s skirt_line_count=1 -s skirt_gap=6 -s skirt_brim_minimal_length=0
    -s meshfix_union_all=true
    -e0 -s material_diameter=1.75 -l "$1" -o "$2")
}
daryn_cmd() {
  CMD=("$DARYN" slice "$1" -o "$2" --printer generic-marlin --material pla --layer 0.2
    --first-layer 0.2 --line-width 0.4 --walls 2 --top 4 --bottom 4 --infill 20 --pattern grid
    --supports off --skirt 1 --skirt-distance 6 --quiet)
}

# Runs "$@" under /usr/bin/time; prints "elapsed_s cpu_s maxrss_kb".
measure() {
  local log=$WORK/time.log
  if ! /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >"$WORK/run.log" 2>&1; then
    echo "FAILED: $*" >&2
    tail -5 "$WORK/run.log" >&2
    return 1
  fi
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$log"
}

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'; }

SUMMARY=()
printf '%-20s %9s %7s %7s %6s %7s %7s %6s %7s %7s %6s\n' mesh triangles cura_s daryn_s ratio \
  cura_cpu dar_cpu ratio cura_MB dar_MB mem
for m in "${MESHES[@]}"; do
  name=$(basename "$m" .stl)
  ntris=$(( ($(stat -c %s "$m") - 84) / 50 ))   # binary STL: 84-byte header, 50 per triangle
  bc=999999; bd=999999; uc=999999; ud=999999; mc=0; md=0
  for i in $(seq "$REPEAT"); do
    # Alternate the order so neither tool always runs on a warmer cache.
    cura_cmd "$m" "$WORK/$name.cura.gcode"; C=("${CMD[@]}")
    daryn_cmd "$m" "$WORK/$name.daryn.gcode"; D=("${CMD[@]}")
    if (( i % 2 )); then
      read -r tc cc kc < <(measure "${C[@]}"); read -r td cd kd < <(measure "${D[@]}")
    else
      read -r td cd kd < <(measure "${D[@]}"); read -r tc cc kc < <(measure "${C[@]}")
    fi
    bc=$(min "$tc" "$bc"); bd=$(min "$td" "$bd"); uc=$(min "$cc" "$uc"); ud=$(min "$cd" "$ud")
    mc=$(max "$kc" "$mc"); md=$(max "$kd" "$md")
  done
  awk -v m="$name" -v n="$ntris" -v c="$bc" -v d="$bd" -v uc="$uc" -v ud="$ud" -v mc="$mc" \
    -v md="$md" 'BEGIN { printf "%-20s %9d %7.2f %7.2f %5.2fx %7.2f %7.2f %5.2fx %7.1f %7.1f %5.2fx\n",
      m, n, c, d, d / c, uc, ud, ud / uc, mc / 1024, md / 1024, md / mc }'
  SUMMARY+=("$name cura:  $(awk -f bench/gcode_summary.awk "$WORK/$name.cura.gcode")"
            "$name daryn: $(awk -f bench/gcode_summary.awk "$WORK/$name.daryn.gcode")")
done
echo "(best of $REPEAT runs each; ratio = daryn/cura (wall clock, then user+sys CPU), target <= 0.5;"
echo " mem = daryn/cura max RSS, target <= 1)"
echo
echo "G-code check (filament in m, E of moves with X/Y; walls_mid = wall sections on the layer a third up):"
printf '  %s\n' "${SUMMARY[@]}"
