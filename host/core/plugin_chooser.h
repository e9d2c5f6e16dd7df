// Chooses factories from preference lists: the one chooser the host, the demo
// and the benchmarks use. A list names factories, or for encoders and
// decoders a codec, which stands for every factory of that codec, the highest
// rank first (hardware ranks above software). A candidate must fit what the
// run needs (its declared capabilities) and pass its probe.
#pragma once

#include "config.h"
#include "plugin_objects.h"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tether {

// Why a factory cannot serve this run, or "" when it can.
using Fit = std::function<std::string(const Factory&)>;
using Prober = std::function<ProbeResult(const Factory&)>;

class PluginChooser {
public:
    // `prober` answers for a factory once per chooser (`tether` runs each probe
    // in a child and caches the answer; tests may probe in process).
    PluginChooser(const PluginRegistry& registry, Prober prober);

    // The factories a list stands for, in order, each once.
    std::vector<const Factory*> candidates(tether_kind kind, const Names& names) const;
    // The first candidate that fits and probes ok. ConfigError, at the list's
    // position, saying why each candidate is not usable.
    const Factory& first(tether_kind kind, const Names& names, const Fit& fit = {}) const;
    // Every candidate that fits and probes ok, in order; why the others are not is logged.
    std::vector<const Factory*> all(tether_kind kind, const Names& names, const Fit& fit = {}) const;
    ProbeResult probe(const Factory& factory) const;
    const PluginRegistry& registry() const { return registry_; }

private:
    // Why `factory` cannot serve, "" when it can.
    std::string unusable(const Factory& factory, const Fit& fit) const;

    const PluginRegistry& registry_;
    Prober prober_;
    mutable std::mutex mutex_;
    mutable std::map<const Factory*, ProbeResult> probed_;
};

// Fits from declared capabilities.
// An encoder of `codec` (a codec's name, "vp9").
Fit encodes(const std::string& codec);
// An encoder taking a pixel format `capture` delivers, at `width`x`height` (0: any size).
Fit encodes_from(const Factory& capture, uint32_t width, uint32_t height);
// An encoder whose probe found a device that takes `width`x`height` (0: any size): its
// limits (ABI 1.6) as the probe's answer keeps them. Probes the encoder (once, as the chooser does).
Fit device_encodes(const PluginChooser& chooser, uint32_t width, uint32_t height);
// A transport that delivers messages reliably and in order, as sessions need.
Fit carries_sessions();
// A transport that punches through NATs (ABI 1.5 ports).
Fit punches();
// Both fits.
Fit both(Fit a, Fit b);

// The codec an encoder or decoder factory handles; "" for other kinds.
std::string codec_of(const Factory& factory);
// "i420", "bgra" for each TETHER_PIXEL_BIT set in `mask`.
std::vector<std::string> pixel_format_names(uint32_t mask);

}  // namespace tether
