#!/bin/sh
# make_voice.sh: regenerates the sample story's voice line (Aldar Kose, in
# Kazakh) with espeak-ng, as a small mono 22050 Hz 16-bit WAV.
#   tools/templates/make_voice.sh [OUT.wav]
# Needs espeak-ng (with the kk voice) and ffmpeg.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../templates/stories/aldar-kose/media/aldar_voice.wav}
text="Менің шапаным сиқырлы! Жел бір тесіктен кіріп, екіншісінен шығып кетеді."
espeak-ng --voices=kk | grep -q ' kk ' || { echo "make_voice.sh: espeak-ng has no kk voice" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# -s words per minute, -p pitch: a quick, bright voice for the trickster
espeak-ng -v kk -s 150 -p 62 -w "$tmp/raw.wav" "$text"
ffmpeg -loglevel error -y -i "$tmp/raw.wav" -ac 1 -ar 22050 -sample_fmt s16 \
  -map_metadata -1 -bitexact -flags +bitexact "$tmp/out.wav"
mv "$tmp/out.wav" "$out"
echo "wrote $out"
