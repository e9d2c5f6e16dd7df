#include "plugin_chooser.h"

#include "message_text.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace tether {

PluginChooser::PluginChooser(const PluginRegistry& registry, Prober prober)
    : registry_(registry), prober_(std::move(prober)) {}

std::vector<const Factory*> PluginChooser::candidates(tether_kind kind, const Names& names) const {
    std::vector<const Factory*> found;
    std::set<const Factory*> seen;
    auto add = [&](const Factory* factory) {
        if (seen.insert(factory).second) found.push_back(factory);
    };
    for (const auto& name : names) {
        if (const Factory* factory = registry_.find(kind, name.value)) {
            add(factory);
            continue;
        }
        // Not a factory: a codec, for every factory of it, highest rank first (of_kind's order).
        for (const Factory* factory : registry_.of_kind(kind))
            if (codec_of(*factory) == name.value) add(factory);
    }
    return found;
}

ProbeResult PluginChooser::probe(const Factory& factory) const {
    {
        const std::lock_guard lock(mutex_);
        if (const auto known = probed_.find(&factory); known != probed_.end()) return known->second;
    }
    const ProbeResult result = prober_(factory);
    const std::lock_guard lock(mutex_);
    return probed_.try_emplace(&factory, result).first->second;
}

std::string PluginChooser::unusable(const Factory& factory, const Fit& fit) const {
    if (fit)
        if (std::string why = fit(factory); !why.empty()) return why;
    const ProbeResult result = probe(factory);
    return result.ok ? std::string() : result.reason;
}

const Factory& PluginChooser::first(tether_kind kind, const Names& names, const Fit& fit) const {
    std::vector<std::string> reasons;
    for (const Factory* factory : candidates(kind, names)) {
        const std::string why = unusable(*factory, fit);
        if (why.empty()) return *factory;
        reasons.push_back(factory->name + " (" + why + ")");
    }
    std::vector<std::string> listed;
    for (const auto& name : names) listed.push_back(name.value);
    throw ConfigError(names.empty() ? Source{kBuiltInSource} : names.front().source,
                      std::string("no usable ") + kind_name(kind) + " among " + join_names(listed) +
                          (reasons.empty() ? ": none is loaded" : ": " + join_names(reasons)));
}

std::vector<const Factory*> PluginChooser::all(tether_kind kind, const Names& names, const Fit& fit) const {
    std::vector<const Factory*> usable;
    for (const Factory* factory : candidates(kind, names)) {
        if (const std::string why = unusable(*factory, fit); why.empty())
            usable.push_back(factory);
        else
            spdlog::info("{} {} not used: {}", kind_name(kind), factory->name, why);
    }
    return usable;
}

std::string codec_of(const Factory& factory) {
    if (factory.kind == TETHER_KIND_ENCODER) return factory.table<tether_encoder_vtable>().codec;
    if (factory.kind == TETHER_KIND_DECODER) return factory.table<tether_decoder_vtable>().codec;
    return {};
}

std::vector<std::string> pixel_format_names(uint32_t mask) {
    std::vector<std::string> names;
    if (mask & TETHER_PIXEL_BIT(TETHER_PIXEL_I420)) names.emplace_back("i420");
    if (mask & TETHER_PIXEL_BIT(TETHER_PIXEL_BGRA)) names.emplace_back("bgra");
    return names;
}

Fit encodes(const std::string& codec) {
    return [codec](const Factory& encoder) {
        const std::string has = codec_of(encoder);
        return has == codec ? std::string() : "encodes " + has + ", not " + codec;
    };
}

Fit encodes_from(const Factory& capture, uint32_t width, uint32_t height) {
    const uint32_t delivered = capture.table<tether_capture_vtable>().formats;
    return [delivered, width, height, capture_name = capture.name](const Factory& encoder) -> std::string {
        const auto& vt = encoder.table<tether_encoder_vtable>();
        if ((vt.formats & delivered) == 0)
            return "takes " + join_names(pixel_format_names(vt.formats)) + " pictures; " + capture_name + " delivers " +
                   join_names(pixel_format_names(delivered));
        if (width > vt.max_width || height > vt.max_height)
            return "encodes at most " + std::to_string(vt.max_width) + "x" + std::to_string(vt.max_height) + ", not " +
                   std::to_string(width) + "x" + std::to_string(height);
        return {};
    };
}

Fit device_encodes(const PluginChooser& chooser, uint32_t width, uint32_t height) {
    return [&chooser, width, height](const Factory& encoder) -> std::string {
        if (width == 0 || height == 0) return {};
        const ProbeResult probed = chooser.probe(encoder);
        if (!probed.sizes || probed.sizes->takes(width, height)) return {};  // a failed probe says why itself
        return "this machine's device encodes " + probed.sizes->text() + ", not " + std::to_string(width) + "x" +
               std::to_string(height);
    };
}

Fit carries_sessions() {
    return [](const Factory& transport) -> std::string {
        constexpr uint32_t needed = TETHER_TRANSPORT_RELIABLE | TETHER_TRANSPORT_ORDERED;
        if ((transport.table<tether_transport_vtable>().flags & needed) == needed) return {};
        return "does not deliver messages reliably and in order, as sessions need";
    };
}

Fit punches() {
    return [](const Factory& transport) -> std::string {
        if (transport.table<tether_transport_vtable>().flags & TETHER_TRANSPORT_PUNCH) return {};
        return "does not punch through NATs";
    };
}

Fit both(Fit a, Fit b) {
    return [a = std::move(a), b = std::move(b)](const Factory& factory) {
        std::string why = a(factory);
        return why.empty() ? b(factory) : why;
    };
}

}  // namespace tether
