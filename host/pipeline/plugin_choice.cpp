#include "plugin_choice.h"

#include "core/message_text.h"

#include <algorithm>
#include <iterator>

namespace tether {
namespace {

tether_encoder_config encoder_config(const Config& config) {
    tether_encoder_config c{};
    c.struct_size = sizeof(c);
    c.fps = static_cast<uint32_t>(config.capture.fps.value);
    c.bitrate_kbps = static_cast<uint32_t>(config.video.bitrate_kbps.value);
    c.threads = static_cast<uint32_t>(config.video.threads.value);
    c.speed = static_cast<int32_t>(config.video.speed.value);
    return c;
}

tether_capture_config capture_config(const Config& config) {
    tether_capture_config c{};
    c.struct_size = sizeof(c);
    // Unset, each capturer uses its source's own size (a file's, a screen's).
    const bool size_set =
        config.capture.width.source.str() != kBuiltInSource || config.capture.height.source.str() != kBuiltInSource;
    c.width = size_set ? static_cast<uint32_t>(config.capture.width.value) : 0;
    c.height = size_set ? static_cast<uint32_t>(config.capture.height.value) : 0;
    c.fps = static_cast<uint32_t>(config.capture.fps.value);
    return c;
}

Fit fits_capture(const Config& config, const PluginChooser& chooser, const Factory& capture) {
    const tether_capture_config size = capture_config(config);
    return both(encodes_from(capture, size.width, size.height), device_encodes(chooser, size.width, size.height));
}

}  // namespace

const Factory& choose_capture(const Config& config, const PluginChooser& chooser) {
    return chooser.first(TETHER_KIND_CAPTURE, Names{config.capture.plugin});
}

const Factory& choose_encoder(const Config& config, const PluginChooser& chooser, const Factory& capture,
                              const std::string& wanted) {
    const Fit fit = fits_capture(config, chooser, capture);
    if (wanted.empty()) return chooser.first(TETHER_KIND_ENCODER, config.video.encoders, fit);
    const Source asked{"--codec " + wanted};
    if (chooser.registry().find(TETHER_KIND_ENCODER, wanted)) return chooser.first(TETHER_KIND_ENCODER, {{wanted, asked}}, fit);
    // A codec: the configured encoders of it first, then any other of it (the list
    // entry `wanted` stands for every encoder of that codec, highest rank first).
    const Names asked_codec{{wanted, asked}};
    if (chooser.candidates(TETHER_KIND_ENCODER, asked_codec).empty()) {
        std::vector<std::string> known;
        for (const Factory* f : chooser.registry().of_kind(TETHER_KIND_ENCODER))
            known.push_back(codec_of(*f) + " (" + f->name + ")");
        throw ConfigError(asked, "no encoder here offers it; known: " + join_names(known));
    }
    Names candidates = config.video.encoders;
    candidates.push_back(asked_codec.front());
    return chooser.first(TETHER_KIND_ENCODER, candidates, both(encodes(wanted), fit));
}

std::vector<const Factory*> usable_decoders(const Config& config, const PluginChooser& chooser) {
    return chooser.all(TETHER_KIND_DECODER, config.video.decoders);
}

const Factory& choose_transport(const Config& config, const PluginChooser& chooser) {
    return chooser.first(TETHER_KIND_TRANSPORT, config.network.transports, carries_sessions());
}

const Factory* choose_punching_transport(const Config& config, const PluginChooser& chooser) {
    for (const Factory* factory : chooser.candidates(TETHER_KIND_TRANSPORT, config.network.transports))
        if (punches()(*factory).empty() && carries_sessions()(*factory).empty() && chooser.probe(*factory).ok)
            return factory;
    return nullptr;
}

VideoServiceOptions video_service_options(const Config& config, const PluginChooser& chooser,
                                          const std::string& wanted_encoder) {
    VideoServiceOptions options;
    options.capture = &choose_capture(config, chooser);
    options.capture_config = capture_config(config);
    options.capture_source = config.capture.source.value;
    options.encoder = &choose_encoder(config, chooser, *options.capture, wanted_encoder);
    // Unless --codec pinned one, viewers that cannot decode the first get the next codec they can.
    if (wanted_encoder.empty()) {
        // VideoService serves each codec with the first of its encoders given.
        std::vector<const Factory*> usable =
            chooser.all(TETHER_KIND_ENCODER, config.video.encoders, fits_capture(config, chooser, *options.capture));
        std::ranges::copy_if(usable, std::back_inserter(options.other_encoders),
                             [&](const Factory* f) { return f != options.encoder; });
    }
    options.encoder_config = encoder_config(config);
    options.preset = congestion::preset_named(config.video.preset.value).value_or(congestion::Preset::Balanced);
    return options;
}

}  // namespace tether
