#include "probe_cache.h"

#include "version.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

namespace tether {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxCacheBytes = 1 << 20;   // a few hundred entries at most
constexpr size_t kMaxInputBytes = 64 << 10;  // a driver's version file is a few lines
constexpr int kFormat = 1;

// The change time too: a file replaced in place with its old modification time restored still differs.
std::string identity(const struct stat& st) {
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + ":" +
           std::to_string(st.st_ctim.tv_sec) + "." + std::to_string(st.st_ctim.tv_nsec);
}

// At most `limit` bytes from the start of a file (fewer when it is shorter or unreadable).
std::string first_bytes(const fs::path& path, size_t limit) {
    std::ifstream in(path, std::ios::binary);
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
}

// An environment variable ("$DISPLAY", ABI 1.4) by value; a regular file by
// content (files under /proc report neither size nor a meaningful time);
// anything else by identity.
std::string input_state(const std::string& path) {
    if (path.starts_with('$')) {
        const char* value = std::getenv(path.c_str() + 1);
        return value ? "env " + std::string(value) : "unset";
    }
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return "absent";
    if (!S_ISREG(st.st_mode)) return "node " + identity(st) + ":" + std::to_string(st.st_rdev);
    const std::string content = first_bytes(path, kMaxInputBytes);
    // Past what is read, a real file's identity tells a change (files under /proc have size 0).
    return "file " + std::to_string(std::hash<std::string>{}(content)) + ":" + std::to_string(content.size()) +
           (st.st_size > 0 ? ":" + identity(st) : "");
}

std::string key_of(const Factory& factory) {
    return std::string(kind_name(factory.kind)) + "/" + factory.name + "@" + factory.plugin_file().string();
}

}  // namespace

std::string probe_fingerprint(const Factory& factory, const std::string& conditions) {
    nlohmann::json fingerprint = {{"host", kAppVersion}, {"abi", factory.abi_version()}, {"conditions", conditions}};
    struct stat st {};
    fingerprint["file"] = stat(factory.plugin_file().c_str(), &st) == 0 ? identity(st) : "absent";
    for (const auto& input : factory.probe_inputs) fingerprint["inputs"][input] = input_state(input);
    return fingerprint.dump();
}

ProbeCache::ProbeCache(fs::path file, std::string conditions) : file_(std::move(file)), conditions_(std::move(conditions)) {
    std::error_code ec;
    if (!fs::is_regular_file(file_, ec)) return;  // a FIFO or device would block or never end
    const std::string text = first_bytes(file_, kMaxCacheBytes + 1);
    if (text.size() > kMaxCacheBytes) return;
    const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_object() && document.value("format", 0) == kFormat && document.contains("probes") &&
        document["probes"].is_object())
        entries_ = document["probes"];
}

nlohmann::json sizes_json(const PictureSizes& sizes) {
    return {{"min_width", sizes.min_width},
            {"min_height", sizes.min_height},
            {"max_width", sizes.max_width},
            {"max_height", sizes.max_height}};
}

std::optional<PictureSizes> sizes_from_json(const nlohmann::json& json) {
    if (!json.is_object()) return std::nullopt;
    const auto side = [&](const char* key) -> std::optional<uint32_t> {
        const auto found = json.find(key);
        if (found == json.end() || !found->is_number_unsigned()) return std::nullopt;
        const auto value = found->get<uint64_t>();
        if (value < 1 || value > 65536) return std::nullopt;
        return static_cast<uint32_t>(value);
    };
    const auto min_w = side("min_width"), min_h = side("min_height"), max_w = side("max_width"), max_h = side("max_height");
    if (!min_w || !min_h || !max_w || !max_h || *min_w > *max_w || *min_h > *max_h) return std::nullopt;
    return PictureSizes{*min_w, *min_h, *max_w, *max_h};
}

std::optional<ProbeResult> ProbeCache::find(const Factory& factory) const {
    const auto entry = entries_.find(key_of(factory));
    if (entry == entries_.end() || !entry->is_object()) return std::nullopt;
    const auto fingerprint = entry->find("fingerprint");
    const auto ok = entry->find("ok");
    const auto reason = entry->find("reason");
    if (fingerprint == entry->end() || ok == entry->end() || reason == entry->end() || !ok->is_boolean() ||
        !reason->is_string() || *fingerprint != probe_fingerprint(factory, conditions_))
        return std::nullopt;
    ProbeResult kept{ok->get<bool>(), reason->get<std::string>(), {}};
    if (const auto sizes = entry->find("sizes"); sizes != entry->end()) {
        kept.sizes = sizes_from_json(*sizes);
        if (!kept.sizes) return std::nullopt;  // damaged: probe again
    }
    return kept;
}

void ProbeCache::store(const Factory& factory, const ProbeResult& result) {
    auto& entry = entries_[key_of(factory)];
    entry = {{"fingerprint", probe_fingerprint(factory, conditions_)}, {"ok", result.ok}, {"reason", result.reason}};
    if (result.sizes) entry["sizes"] = sizes_json(*result.sizes);
    if (file_.empty() || unwritable_) return;
    const std::string text = nlohmann::json{{"format", kFormat}, {"probes", entries_}}.dump(1) + "\n";
    std::error_code ec;
    // The folder is the user's private data folder: only its owner may enter it.
    if (fs::create_directories(file_.parent_path(), ec))
        fs::permissions(file_.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
    const fs::path temporary = file_.string() + "." + std::to_string(getpid()) + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) ec = std::error_code(errno, std::generic_category());
    }
    if (!ec) fs::rename(temporary, file_, ec);
    if (ec) {
        // Once: the answers still serve this run.
        spdlog::warn("probe answers are not kept: cannot write {}: {}", file_.string(), ec.message());
        unwritable_ = true;
        fs::remove(temporary, ec);
    }
}

}  // namespace tether
