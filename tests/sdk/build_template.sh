#!/usr/bin/env bash
# The plugin template builds against the installed SDK, outside this tree,
# and the host loads the result with probe "ok".
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$work/prefix/share/tether/plugin-template" -B "$work/plugin" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/plugin" >/dev/null
listing=$(TETHER_PLUGIN_PATH="$work/plugin/plugins" XDG_CONFIG_HOME="$work" "$work/prefix/bin/tether" plugins --json)
echo "$listing" | grep -q '"name":"capture-solid"' || { echo "capture-solid not listed: $listing"; exit 1; }
echo "$listing" | grep -q '"refused":\[\]' || { echo "a plugin was refused: $listing"; exit 1; }
echo "template plugin built against the installed SDK and loaded"
