#!/usr/bin/env bash
# Runs every fuzz target (fuzz/*_fuzz.cpp) for SECONDS each, starting from a
# scratch copy of its seeds so the repository is never written to. Fails when
# any target crashes; the input that did it is kept under BUILD/fuzz-findings.
# Usage: fuzz/run_fuzzers.sh BUILD SECONDS
set -euo pipefail

build=$(realpath "$1")
seconds=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
findings="$build/fuzz-findings"
logs="$build/fuzz-logs"
mkdir -p "$findings" "$logs"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

failed=()
for source in "$repo"/fuzz/*_fuzz.cpp; do
  name=$(basename "$source" _fuzz.cpp)
  # A target whose library the build lacks (punch_packet without ENet) is not built.
  if [ ! -x "$build/bin/${name}_fuzz" ]; then
    echo "fuzz $name: not built"
    continue
  fi
  corpus="$scratch/$name"
  mkdir -p "$corpus"
  cp "$repo/fuzz/corpus/$name"/* "$corpus"/
  # The shipped example configurations are seeds too.
  [ "$name" = config ] && cp "$repo"/config/*.toml "$corpus"/
  log="$logs/$name.log"
  if "$build/bin/${name}_fuzz" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$findings/$name-" "$corpus" >"$log" 2>&1; then
    echo "fuzz $name: ok, $(grep -m1 -o 'stat::number_of_executed_units: [0-9]*' "$log" | cut -d' ' -f2) runs," \
         "$(grep -o 'cov: [0-9]*' "$log" | tail -n1)"
  else
    failed+=("$name")
    echo "fuzz $name: FAILED (full log: $log)"
    tail -n 40 "$log"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz targets that failed: ${failed[*]}; reproduce with $build/bin/<name>_fuzz $findings/<file>"
  exit 1
fi
