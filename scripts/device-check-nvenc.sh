#!/usr/bin/env bash
# The NVENC plugin on a machine with an NVIDIA GPU and its driver, as one
# command. It builds nothing: run it in a tree built already (make build).
#   1. `tether plugins --reprobe --json`: nvenc-h264 and nvenc-hevc probe ok
#      (their probe opens a session and encodes a picture); nvenc-av1's
#      answer is printed (these NVENC 11.1 headers cannot configure AV1).
#   2. hw_encode_device_test for nvenc-h264 and nvenc-hevc: N frames of the
#      terminal-scroll workload through each, decoded by ffmpeg, every frame
#      at 35 dB luma PSNR or more; a bitrate change without a keyframe and a
#      size change with one, as ffprobe decodes them.
# Usage: scripts/device-check-nvenc.sh [BUILD_DIR]   (default: build)
# Environment: TETHER_DEVICE_FRAMES (frames to encode, 10-150; 120),
#   TETHER_WORKLOADS_DIR (the workload clips; default: where the build found them).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
for tool in ffmpeg ffprobe python3; do
  command -v "$tool" > /dev/null || { echo "device-check-nvenc: $tool is needed" >&2; exit 2; }
done
[[ -x $build/bin/tether && -x $build/bin/hw_encode_device_test ]] ||
  { echo "device-check-nvenc: build $build first (make build)" >&2; exit 2; }
export TETHER_PLUGIN_PATH="$PWD/$build/lib/tether/plugins"
export TETHER_DEVICE_FRAMES=${TETHER_DEVICE_FRAMES:-120}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2> /dev/null || echo "(no nvidia-smi)"
"$build/bin/tether" plugins --reprobe --json --data-dir "$scratch" > "$scratch/plugins.json"
python3 - "$scratch/plugins.json" << 'PY'
import json, sys
probes = {f["name"]: f["probe"] for p in json.load(open(sys.argv[1]))["plugins"] for f in p["factories"]}
failed = False
for name in ("nvenc-h264", "nvenc-hevc", "nvenc-av1"):
    answer = probes.get(name, "not listed")
    print(f"probe {name}: {answer}")
    failed |= name != "nvenc-av1" and answer != "ok"
sys.exit(1 if failed else 0)
PY

TETHER_REQUIRE_HARDWARE=nvenc "$build/bin/hw_encode_device_test" \
  --gtest_filter='*/nvenc_h264:*/nvenc_hevc' --gtest_output="json:$scratch/encode.json"
python3 - "$scratch/encode.json" << 'PY'
import json, sys
for suite in json.load(open(sys.argv[1]))["testsuites"]:
    for case in suite["testsuite"]:
        extras = {k: case[k] for k in ("ms_per_frame", "mean_luma_psnr_db") if k in case}
        print(f'{case["name"]}: {case.get("result", "")} {extras}')
PY
echo "device-check-nvenc: ok"
