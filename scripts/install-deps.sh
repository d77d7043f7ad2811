#!/usr/bin/env bash
# Installs every build, test and run-time dependency of Daryn from Debian 12
# packages. Safe to run again; needs root (or sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

PKGS=(
  # toolchain
  build-essential cmake pkg-config git clang lld libclang-rt-14-dev llvm
  # story, render, export
  libzip-dev zipcmp zip unzip libjansson-dev libcairo2-dev libpango1.0-dev librsvg2-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
  libsdl2-dev
  # fonts with the Kazakh letters
  fonts-dejavu-core fonts-noto-core fontconfig
  # voice lines, translations
  espeak-ng libespeak-ng-dev gettext
  # meshes and slicing
  libassimp-dev libgeos-dev libpolyclipping-dev
  # tests
  libcmocka-dev xvfb xauth
)
if [ "${DARYN_BENCH:-0}" = 1 ]; then
  PKGS+=(ffmpeg cura-engine time)
fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
