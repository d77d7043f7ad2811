#!/usr/bin/env bash
# Installs every build, test and run-time dependency of Daryn from Debian 12
# packages. Safe to run again; needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
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
  libassimp-dev libexpat1-dev libgeos-dev libpolyclipping-dev
  # tests
  libcmocka-dev xvfb xauth
)
if [ "${DARYN_TEST_DEPS:-0}" = 1 ]; then
  # the browser playback test: Debian's Chromium, driven from Node.js
  PKGS+=(chromium)
  command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
  command -v npm >/dev/null 2>&1 || PKGS+=(npm)
fi
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

if [ "${DARYN_TEST_DEPS:-0}" = 1 ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
  # playwright-core from the npm registry (its own browser download is not
  # used: the test drives /usr/bin/chromium). Without network the browser
  # test reports itself skipped instead of failing the build.
  (cd tests/browser && npm install --no-audit --no-fund --loglevel=error) ||
    echo "install-deps: npm install failed; the browser playback test will be skipped" >&2
fi
