#include "preset_option.h"

namespace tether::cli {

void add_preset_option(CLI::App& command, std::string& preset) {
    command
        .add_option("--preset", preset,
                    "How each session's rate follows its path: balanced (the default), best-quality (keeps every "
                    "pixel, fewer frames), low-bandwidth (at most 1 Mbit/s and 15 frames a second); docs/congestion.md")
        ->check(CLI::IsMember({"balanced", "best-quality", "low-bandwidth"}));
}

}  // namespace tether::cli
