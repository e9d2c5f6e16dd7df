// `tether bench desktop`: bytes on the wire for everyday desktop work, Tether
// beside x11vnc and TigerVNC's viewer (Tight) on the same X workload.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_desktop_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
