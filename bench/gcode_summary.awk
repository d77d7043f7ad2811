# gcode_summary.awk: a rough summary of a G-code file, to check that two
# slicers were given the same settings: layers (";LAYER:" comments),
# filament extruded (positive E, absolute M82 or relative M83, G92 resets)
# and filament per feature class (";TYPE:" comments of Cura and of
# PrusaSlicer/Daryn mapped to wall/skin/infill/skirt/other), and the number
# of wall sections in the layer at a third of the height (one per wall loop
# per island for both slicers).
#
#   awk -f bench/gcode_summary.awk OUT.gcode
#   -> layers=261 filament_m=1.497 wall_m=.. skin_m=.. infill_m=.. skirt_m=.. walls_mid=..
function cls(t) {
    if (t ~ /^WALL-|[Pp]erimeter/) return "wall"
    if (t ~ /^SKIN|[Ss]olid infill/) return "skin"
    if (t ~ /^FILL|[Ii]nfill/) return "infill"
    if (t ~ /^SKIRT|[Ss]kirt|[Bb]rim/) return "skirt"
    return "other"
}
BEGIN { rel = 0; e = 0; layers = 0; cur = "other"; nwall_sections = 0 }
/^M82/ { rel = 0 }
/^M83/ { rel = 1 }
/^;LAYER:/ { layers++; layer_of[layers] = 0 }
/^;TYPE:/ {
    t = substr($0, 7); sub(/\r$/, "", t); cur = cls(t)
    if (cur == "wall") wall_sections[layers]++
}
/^G92/ { for (i = 2; i <= NF; i++) if ($i ~ /^E/) e = substr($i, 2) + 0 }
# Moves with E but no X/Y are retractions and their undoing: skipped (they
# cancel out), though absolute E still has to follow them.
/^G[01] / {
    xy = 0; d = 0
    for (i = 2; i <= NF; i++) {
        if ($i ~ /^;/) break
        if ($i ~ /^[XY]/) xy = 1
        if ($i ~ /^E/) {
            v = substr($i, 2) + 0
            d = rel ? v : v - e
            if (!rel) e = v
        }
    }
    if (xy && d > 0 && layers > 0) { total += d; by[cur] += d }
}
END {
    mid = int(layers / 3); if (mid < 1) mid = 1
    printf "layers=%d filament_m=%.3f wall_m=%.3f skin_m=%.3f infill_m=%.3f skirt_m=%.3f walls_mid=%d\n",
        layers, total / 1000, by["wall"] / 1000, by["skin"] / 1000, by["infill"] / 1000,
        by["skirt"] / 1000, wall_sections[mid]
}
