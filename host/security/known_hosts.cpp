#include "known_hosts.h"

#include "key_text.h"
#include "private_file.h"

#include <stdexcept>

namespace tether::security {
namespace fs = std::filesystem;
namespace {

// About 13000 pins; far more than anyone connects to, small enough to read at once.
constexpr size_t kMaxFileSize = 1 << 20;
constexpr std::string_view kHeader = "# Tether known hosts: the key each peer ID presented on first connection.\n";

[[noreturn]] void refuse_line(const fs::path& file, size_t line, const std::string& reason) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": " + reason);
}

void save(const fs::path& file, const std::map<std::string, PublicKey>& pins) {
    std::string text(kHeader);
    for (const auto& [peer_id, key] : pins)
        text += peer_id + " " + to_hex(key) + "\n";
    // Never write a file that the next read would refuse as too large.
    if (text.size() > kMaxFileSize)
        throw std::runtime_error(file.string() + ": cannot pin more than " + std::to_string(pins.size() - 1) +
                                 " hosts");
    replace_private_file(file, text);
}

}  // namespace

KnownHosts::KnownHosts(fs::path file) : file_(std::move(file)) {
    const auto text = read_private_file(file_, kMaxFileSize);
    if (!text) return;
    std::map<std::string, size_t> line_of;
    std::string_view rest = *text;
    for (size_t number = 1; !rest.empty(); ++number) {
        const size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (line.empty() || line.front() == '#') continue;

        const auto fields = split_fields(line);
        if (fields.size() != 2) refuse_line(file_, number, "expected '<peer id> <public key in hex>'");
        if (!is_peer_id(fields[0])) refuse_line(file_, number, "the peer ID is not 9 digits");
        PublicKey key{};
        if (!parse_hex(fields[1], key))
            refuse_line(file_, number, "the public key is not " + std::to_string(key.size() * 2) + " hex digits");
        const std::string peer_id(fields[0]);
        if (const auto [earlier, added] = line_of.emplace(peer_id, number); !added)
            refuse_line(file_, number,
                        "peer " + peer_id + " is pinned twice (also on line " + std::to_string(earlier->second) + ")");
        pins_.emplace(peer_id, key);
    }
}

std::optional<PublicKey> KnownHosts::find(const std::string& peer_id) const {
    const auto it = pins_.find(peer_id);
    if (it == pins_.end()) return std::nullopt;
    return it->second;
}

void KnownHosts::pin(const std::string& peer_id, const PublicKey& key) {
    if (!is_peer_id(peer_id)) throw std::invalid_argument("cannot pin a key to a peer ID that is not 9 digits");
    // Saved before it is kept, so memory never holds a pin the file lost.
    auto updated = pins_;
    updated.insert_or_assign(peer_id, key);
    save(file_, updated);
    pins_ = std::move(updated);
}

}  // namespace tether::security
