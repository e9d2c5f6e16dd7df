// `tether bench codec-encode` (hidden): one encoder plugin encodes a .y4m
// file held in memory and writes its stream; prints one JSON object. `tether
// bench codecs` runs it as a child so that the CPU it reports is that
// encoder's alone.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_codec_encode_child(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
