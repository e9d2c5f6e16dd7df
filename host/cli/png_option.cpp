#include "png_option.h"

#include "media/png_writer.h"

namespace tether::cli {

void add_png_option(CLI::App& command, std::string& file) {
    command.add_option("--png", file, "Write the last decoded frame to this PNG file")
        ->check([](const std::string&) { return std::string(png_output_missing()); });
}

}  // namespace tether::cli
