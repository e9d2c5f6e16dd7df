// `tether bench relay`: one relayed stream's throughput beside socat's, with
// splice and without, and the relay's memory with many sessions open.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_relay_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
