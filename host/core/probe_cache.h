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

// An encoder's sizes as JSON (probe-plugin's answer, the cache) and back; nullopt from JSON
// that is not four sizes from 1 to 65536, each minimum at most its maximum (a cache file or a
// child's answer is trusted no further).
nlohmann::json sizes_json(const PictureSizes& sizes);
std::optional<PictureSizes> sizes_from_json(const nlohmann::json& json);

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
