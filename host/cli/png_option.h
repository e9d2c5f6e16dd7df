// --png FILE: the last decoded picture as a PNG file, for the commands that decode.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace tether::cli {

// Adds --png to `command`, read into `file`. A build without PNG output
// refuses it as bad usage, before any plugin loads or connection opens.
void add_png_option(CLI::App& command, std::string& file);

}  // namespace tether::cli
