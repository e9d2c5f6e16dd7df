#include "probe_cache.h"

#include "version.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>

namespace tether {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxCacheBytes = 1 << 20;   // a few hundred entries at most
constexpr size_t kMaxInputBytes = 64 << 10;  // a driver's version file is a few lines
constexpr int kFormat = 1;

std::string identity(const struct stat& st) {
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

// A regular file by content (files under /proc report neither size nor a
// meaningful time); anything else by identity.
std::string input_state(const std::string& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return "absent";
    if (!S_ISREG(st.st_mode)) return "node " + identity(st) + ":" + std::to_string(st.st_rdev);
    std::ifstream in(path, std::ios::binary);
    std::string content(kMaxInputBytes, '\0');
    in.read(content.data(), static_cast<std::streamsize>(content.size()));
    content.resize(static_cast<size_t>(in.gcount()));
    return "file " + std::to_string(std::hash<std::string>{}(content)) + ":" + std::to_string(content.size());
}

std::string key_of(const Factory& factory) {
    return std::string(kind_name(factory.kind)) + "/" + factory.name + "@" + factory.plugin_file().string();
}

}  // namespace

std::string probe_fingerprint(const Factory& factory) {
    nlohmann::json fingerprint = {{"host", kAppVersion}, {"abi", factory.abi_version()}};
    struct stat st {};
    fingerprint["file"] = stat(factory.plugin_file().c_str(), &st) == 0 ? identity(st) : "absent";
    for (const auto& input : factory.probe_inputs) fingerprint["inputs"][input] = input_state(input);
    return fingerprint.dump();
}

ProbeCache::ProbeCache(fs::path file) : file_(std::move(file)) {
    std::ifstream in(file_, std::ios::binary);
    if (!in) return;
    std::string text(kMaxCacheBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxCacheBytes) return;
    const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_object() && document.value("format", 0) == kFormat && document.contains("probes") &&
        document["probes"].is_object())
        entries_ = document["probes"];
}

std::optional<ProbeResult> ProbeCache::find(const Factory& factory) const {
    const auto entry = entries_.find(key_of(factory));
    if (entry == entries_.end() || !entry->is_object()) return std::nullopt;
    const auto fingerprint = entry->find("fingerprint");
    const auto ok = entry->find("ok");
    const auto reason = entry->find("reason");
    if (fingerprint == entry->end() || ok == entry->end() || reason == entry->end() || !ok->is_boolean() ||
        !reason->is_string() || *fingerprint != probe_fingerprint(factory))
        return std::nullopt;
    return ProbeResult{ok->get<bool>(), reason->get<std::string>()};
}

void ProbeCache::store(const Factory& factory, const ProbeResult& result) {
    entries_[key_of(factory)] = {{"fingerprint", probe_fingerprint(factory)}, {"ok", result.ok}, {"reason", result.reason}};
    if (file_.empty()) return;
    const std::string text = nlohmann::json{{"format", kFormat}, {"probes", entries_}}.dump(1) + "\n";
    std::error_code ec;
    // The folder is the user's private data folder: only its owner may enter it.
    if (fs::create_directories(file_.parent_path(), ec))
        fs::permissions(file_.parent_path(), fs::perms::owner_all, fs::perm_options::replace, ec);
    const fs::path temporary = file_.string() + "." + std::to_string(getpid()) + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            spdlog::warn("probe cache {} not written: cannot write {}", file_.string(), temporary.string());
            fs::remove(temporary, ec);
            return;
        }
    }
    fs::rename(temporary, file_, ec);
    if (ec) {
        spdlog::warn("probe cache {} not written: {}", file_.string(), ec.message());
        fs::remove(temporary, ec);
    }
}

}  // namespace tether
