// `tether bench input-latency`: from a key sent by the viewer to its effect
// decoded at the viewer, on an X server of the bench's own.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_input_latency_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
