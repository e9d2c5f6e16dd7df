// Probe answers kept across runs, so that a vendor's probe runs once per
// plugin file and environment, not on every start: a probe may load a driver,
// open a device, or crash or hang (each of which is kept too).
#pragma once

#include "plugin_objects.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tether {

// What a probe's answer depends on: this host's version, the plugin file's
// identity (device, inode, size, modification time) and the state of the
// factory's declared probe inputs (ABI 1.3): a small file's content, else its
// identity, or its absence.
std::string probe_fingerprint(const Factory& factory);

class ProbeCache {
public:
    // Reads `file`; one that is missing, unreadable, too large or not ours is an
    // empty cache. An empty path keeps answers for this run only.
    explicit ProbeCache(std::filesystem::path file);
    // The kept answer, when the fingerprint still matches.
    std::optional<ProbeResult> find(const Factory& factory) const;
    // Keeps the answer and rewrites the file (atomically: a reader sees the
    // old or the new file). A cache that cannot be written is logged, not fatal.
    void store(const Factory& factory, const ProbeResult& result);

private:
    std::filesystem::path file_;
    nlohmann::json entries_ = nlohmann::json::object();
};

}  // namespace tether
