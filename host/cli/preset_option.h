// --preset NAME: how each session's rate follows its path, for the commands that host.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace tether::cli {

// Adds --preset to `command`, read into `preset` ("": the config's [video] preset).
void add_preset_option(CLI::App& command, std::string& preset);

}  // namespace tether::cli
