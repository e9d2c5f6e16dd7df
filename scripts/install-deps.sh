#!/usr/bin/env bash
# Installs the Debian 12 packages Tether builds and tests with, only those missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libspdlog-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  libprotobuf-dev protobuf-compiler
  libsodium-dev zlib1g-dev libzstd-dev libsqlite3-dev prometheus-cpp-dev
  libvpx-dev libyuv-dev libpng-dev
  libaom-dev libdav1d-dev libx264-dev libavcodec-dev libavutil-dev libvpl-dev libffmpeg-nvenc-dev
  libxcb1-dev libxcb-shm0-dev libxcb-damage0-dev libxcb-xfixes0-dev libxcb-randr0-dev libxcb-xtest0-dev
  libsdl2-dev libsdl2-ttf-dev libx11-dev fonts-dejavu-core
  libgtest-dev libgmock-dev
  ffmpeg xvfb x11-xserver-utils xclip x11-apps xterm xdotool x11-utils x11-xkb-utils imagemagick
  tigervnc-standalone-server x11vnc tigervnc-viewer
  clang-14 libclang-rt-14-dev
  libenet-dev
  iproute2 iptables socat
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
