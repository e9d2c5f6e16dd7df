#include "screen_capture.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace tether::cli {
namespace {

constexpr const char* kScreenCapture = "x11";

// Why the X11 screen cannot be shared here, in words a user acts on.
std::string why_no_screen(const Context& context) {
    const Factory* x11 = context.registry.find(TETHER_KIND_CAPTURE, kScreenCapture);
    if (x11 == nullptr) return "this build has no X11 capture (capture-x11)";
    const ProbeResult probe = context.chooser->probe(*x11);
    if (probe.ok) return {};
    if (std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") != nullptr)
        return "this is a Wayland session, and Tether captures X11 screens only (docs/capture.md)";
    return "x11 capture " + probe.reason;
}

}  // namespace

void prefer_screen_capture(Context& context) {
    Setting<std::string>& plugin = context.config.capture.plugin;
    if (plugin.source.str() != kBuiltInSource) return;
    if (const std::string why = why_no_screen(context); !why.empty()) {
        spdlog::warn("not sharing a screen: {}; sending the {} test desktop instead (--capture chooses)", why,
                     plugin.value);
        return;
    }
    plugin = {kScreenCapture, Source{"the X11 screen ($DISPLAY)"}};
}

}  // namespace tether::cli
