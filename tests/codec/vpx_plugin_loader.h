// The real codec-vpx plugin, loaded through the plugin registry the way the
// host loads it.
#pragma once

#include <core/plugin_registry.h>

#include <tether/plugin.h>

#include <string>

namespace tether::test {

class VpxPluginLoader {
public:
    VpxPluginLoader();  // loads the plugin search path ($TETHER_PLUGIN_PATH first)
    // "vp8" or "vp9"; throws naming every load failure when the factory is missing.
    const Factory& encoder(const std::string& codec) const;
    const Factory& decoder(const std::string& codec) const;

private:
    const Factory& find(tether_kind kind, const std::string& codec) const;
    PluginRegistry registry_;
};

// What a 640x360 screen share at 30 fps typically gets: small text stays
// readable even in keyframes, which rate control keeps to a few frames' budget.
inline constexpr uint32_t screen_share_kbps = 1000;

// A realtime configuration for the given size; the encoder picks threads and speed.
tether_encoder_config encoder_config(uint32_t width, uint32_t height, uint32_t bitrate_kbps);

}  // namespace tether::test
