// `tether bench crypto`: what encryption costs. Sealing and opening speed per
// core for each cipher this machine offers, and the demo's CPU per frame with
// and without encryption, side by side in one run.
#pragma once

#include "context.h"

#include <CLI/CLI.hpp>

namespace tether::cli {

void add_crypto_bench(CLI::App& bench, const GlobalOptions& global, int& exit_code);

}  // namespace tether::cli
