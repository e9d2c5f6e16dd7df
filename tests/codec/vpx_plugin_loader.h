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

// A realtime configuration for the given size; the encoder picks threads and speed.
tether_encoder_config encoder_config(uint32_t width, uint32_t height, uint32_t bitrate_kbps);

}  // namespace tether::test
