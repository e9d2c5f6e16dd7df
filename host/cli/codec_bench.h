// `tether bench codecs`: each encoder plugin against ffmpeg's own encoder for
// its codec, set alike, on the same frames of a clip (docs/benchmarks.md).
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_codec_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
