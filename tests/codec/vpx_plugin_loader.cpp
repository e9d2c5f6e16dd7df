#include "vpx_plugin_loader.h"

#include <stdexcept>

namespace tether::test {

VpxPluginLoader::VpxPluginLoader() {
    registry_.load_search_path(plugin_search_path({}));
}

const Factory& VpxPluginLoader::encoder(const std::string& codec) const {
    return find(TETHER_KIND_ENCODER, codec);
}

const Factory& VpxPluginLoader::decoder(const std::string& codec) const {
    return find(TETHER_KIND_DECODER, codec);
}

const Factory& VpxPluginLoader::find(tether_kind kind, const std::string& codec) const {
    if (const Factory* factory = registry_.find(kind, "vpx-" + codec)) return *factory;
    std::string why = std::string("no ") + kind_name(kind) + " named vpx-" + codec + " was loaded";
    for (const LoadFailure& failure : registry_.failures()) {
        why += "; " + failure.file.string() + ": " + failure.reason;
    }
    throw std::runtime_error(why);
}

tether_encoder_config encoder_config(uint32_t width, uint32_t height, uint32_t bitrate_kbps) {
    return tether_encoder_config{
        .struct_size = sizeof(tether_encoder_config),
        .width = width,
        .height = height,
        .fps = 30,
        .bitrate_kbps = bitrate_kbps,
        .threads = 0,
        .speed = -1,
    };
}

}  // namespace tether::test
