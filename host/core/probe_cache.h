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
// identity (device, inode, size, modification and change times), the state
// of the factory's declared probe inputs (ABI 1.3: a small file's content,
// else its identity, or its absence) and the `conditions` it ran under (its
// time limit: a probe that timed out gets another chance with a longer one).
std::string probe_fingerprint(const Factory& factory, const std::string& conditions);

class ProbeCache {
public:
    // Reads `file`; one that is missing, unreadable, too large or not ours is an
    // empty cache. An empty path keeps answers for this run only.
    ProbeCache(std::filesystem::path file, std::string conditions);
    // The kept answer, when the fingerprint still matches.
    std::optional<ProbeResult> find(const Factory& factory) const;
    // Keeps the answer and rewrites the file (atomically: a reader sees the
    // old or the new file). A cache that cannot be written is logged, not fatal.
    void store(const Factory& factory, const ProbeResult& result);

private:
    std::filesystem::path file_;
    std::string conditions_;
    nlohmann::json entries_ = nlohmann::json::object();
    bool unwritable_ = false;  // said once; not tried again
};

}  // namespace tether
