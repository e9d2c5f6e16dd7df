#include "plugin_choice.h"

#include "core/message_text.h"
#include "core/plugin_objects.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

namespace tether::cli {
namespace {

// Walks `names` in order; `fits` filters before probing. Every rejection is
// collected so the final error says why nothing qualified.
const Factory& first_usable(const Context& context, tether_kind kind, const Names& names,
                            const std::function<std::string(const Factory&)>& fits) {
    std::string reasons;
    for (const auto& name : names) {
        const Factory* factory = context.registry.find(kind, name.value);
        if (factory == nullptr) continue;  // validate_plugin_names already refused unknown names
        std::string why = fits(*factory);
        if (why.empty()) {
            const ProbeResult probe_result = probe(*factory);
            if (probe_result.ok) return *factory;
            why = "unavailable: " + probe_result.reason;
        }
        reasons += (reasons.empty() ? "" : "; ") + name.value + " (" + why + ")";
    }
    throw ConfigError(names.empty() ? Source{"built-in"} : names.front().source,
                      std::string("no usable ") + kind_name(kind) + (reasons.empty() ? "" : ": " + reasons));
}

// The named factories of `kind` that probe ok, in the order named; why others are not is logged.
std::vector<const Factory*> usable_of(const Context& context, tether_kind kind, const Names& names) {
    std::vector<const Factory*> usable;
    for (const auto& name : names) {
        const Factory* factory = context.registry.find(kind, name.value);
        if (factory == nullptr) continue;
        if (const ProbeResult r = probe(*factory); r.ok)
            usable.push_back(factory);
        else
            spdlog::info("{} {} unavailable: {}", kind_name(kind), name.value, r.reason);
    }
    return usable;
}

}  // namespace

const Factory& choose_capture(const Context& context) {
    return first_usable(context, TETHER_KIND_CAPTURE, Names{context.config.capture.plugin},
                        [](const Factory&) { return std::string(); });
}

const Factory& choose_encoder(const Context& context, const std::string& wanted) {
    Names candidates = context.config.video.encoders;
    if (wanted.empty()) return first_usable(context, TETHER_KIND_ENCODER, candidates, [](const Factory&) { return std::string(); });
    // Asked for by name: that encoder alone. Asked for by codec: the configured
    // order first, then any other encoder of that codec, the highest rank first.
    if (context.registry.find(TETHER_KIND_ENCODER, wanted)) {
        candidates = {{wanted, Source{"--codec"}}};
    } else {
        std::vector<std::string> known;
        bool offered = false;
        for (const Factory* f : context.registry.of_kind(TETHER_KIND_ENCODER)) {
            const std::string codec = f->table<tether_encoder_vtable>().codec;
            known.push_back(codec + " (" + f->name + ")");
            if (codec != wanted) continue;
            offered = true;
            candidates.push_back({f->name, Source{"--codec"}});
        }
        if (!offered) throw UsageError("--codec " + wanted + ": no encoder here offers it; known: " + join_names(known));
    }
    return first_usable(context, TETHER_KIND_ENCODER, candidates, [&](const Factory& f) {
        const std::string has = f.table<tether_encoder_vtable>().codec;
        return has == wanted || f.name == wanted ? std::string() : "encodes " + has + ", not " + wanted;
    });
}

std::vector<const Factory*> usable_decoders(const Context& context) {
    return usable_of(context, TETHER_KIND_DECODER, context.config.video.decoders);
}

const Factory& choose_transport(const Context& context) {
    return first_usable(context, TETHER_KIND_TRANSPORT, context.config.network.transports,
                        [](const Factory&) { return std::string(); });
}

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

}  // namespace

VideoServiceOptions video_service_options(const Context& context, const std::string& wanted_encoder) {
    VideoServiceOptions options;
    options.capture = &choose_capture(context);
    options.capture_config = capture_config(context.config);
    options.capture_source = context.config.capture.source.value;
    options.encoder = &choose_encoder(context, wanted_encoder);
    // Unless --codec pinned one, viewers that cannot decode the first get the next codec they can.
    if (wanted_encoder.empty()) {
        // VideoService serves each codec with the first of its encoders given.
        Names others;
        std::ranges::copy_if(context.config.video.encoders, std::back_inserter(others),
                             [&](const auto& name) { return name.value != options.encoder->name; });
        options.other_encoders = usable_of(context, TETHER_KIND_ENCODER, others);
    }
    options.encoder_config = encoder_config(context.config);
    return options;
}

}  // namespace tether::cli
