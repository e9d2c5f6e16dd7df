// The PNG writer of a build without PNG output (-DTETHER_PNG_OUTPUT=OFF).
#include "png_writer.h"

#include <stdexcept>
#include <string>

namespace tether {

std::string_view png_output_missing() { return "this build has no PNG output (built with -DTETHER_PNG_OUTPUT=OFF)"; }

void write_png(const VideoFrame&, const std::filesystem::path& file) {
    throw std::runtime_error("cannot write " + file.string() + ": " + std::string(png_output_missing()));
}

}  // namespace tether
