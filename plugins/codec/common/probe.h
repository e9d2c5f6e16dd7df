// What the codec plugins' probes do: open the real thing, small, and say why not.
#pragma once

#include <tether/plugin.h>

#include <exception>
#include <string>

namespace tether::codec {

// TETHER_OK when `open()` returns, otherwise TETHER_UNAVAILABLE and what it threw.
template <typename Open>
int probe_by(std::string& why, Open&& open) {
    try {
        open();
        return TETHER_OK;
    } catch (const std::exception& e) {
        why = e.what();
        return TETHER_UNAVAILABLE;
    }
}

// What an encoder's probe opens: 64x64, one thread, the defaults.
inline constexpr tether_encoder_config probe_config{
    .struct_size = sizeof(tether_encoder_config),
    .width = 64,
    .height = 64,
    .fps = 30,
    .bitrate_kbps = 0,
    .threads = 1,
    .speed = -1,
};

}  // namespace tether::codec
