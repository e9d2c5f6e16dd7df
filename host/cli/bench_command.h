// `tether bench ...`: measurements with JSON output (docs/benchmarks.md).
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_bench_command(CLI::App& app, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
