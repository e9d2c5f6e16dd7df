#include "known_hosts.h"

#include "key_text.h"
#include "pin_name.h"
#include "private_file.h"

#include <stdexcept>

namespace tether::security {
namespace fs = std::filesystem;
namespace {

// About 6000 hosts, each pinned by ID and address: far more than anyone connects to, small
// enough to read at once.
constexpr size_t kMaxKnownHostsSize = 1 << 20;
constexpr std::string_view kHeader =
    "# Tether known hosts: \"<peer ID or address> <public key>\", the key each name presented\n"
    "# first or that was accepted with --accept-key.\n";

[[noreturn]] void refuse_line(const fs::path& file, size_t line, const std::string& reason) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": " + reason);
}

void save(const fs::path& file, const std::map<std::string, PublicKey>& pins) {
    std::string text(kHeader);
    for (const auto& [name, key] : pins)
        text += name + " " + to_hex(key) + "\n";
    // Never write a file that the next read would refuse as too large.
    if (text.size() > kMaxKnownHostsSize)
        throw std::runtime_error(file.string() + ": cannot pin more than " + std::to_string(pins.size() - 1) +
                                 " names");
    replace_private_file(file, text);
}

}  // namespace

KnownHosts::KnownHosts(fs::path file) : file_(std::move(file)) {
    const auto text = read_private_file(file_, kMaxKnownHostsSize);
    if (!text) return;
    std::map<std::string, size_t> line_of;
    std::string_view rest = *text;
    for (size_t number = 1; !rest.empty(); ++number) {
        const size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (line.empty() || line.front() == '#') continue;

        const auto fields = split_fields(line);
        if (fields.size() != 2) refuse_line(file_, number, "expected '<peer id or address> <public key in hex>'");
        if (const auto problem = pin_name_problem(fields[0])) refuse_line(file_, number, *problem);
        PublicKey key{};
        if (!parse_hex(fields[1], key))
            refuse_line(file_, number, "the public key is not " + std::to_string(key.size() * 2) + " hex digits");
        const std::string name(fields[0]);
        if (const auto [earlier, added] = line_of.emplace(name, number); !added)
            refuse_line(file_, number, name + " is pinned twice (also on line " + std::to_string(earlier->second) + ")");
        pins_.emplace(name, key);
    }
}

std::optional<PublicKey> KnownHosts::find(const std::string& name) const {
    const auto it = pins_.find(name);
    if (it == pins_.end()) return std::nullopt;
    return it->second;
}

void KnownHosts::pin(const std::vector<std::string>& names, const PublicKey& key) {
    // Saved before it is kept, so memory never holds a pin the file lost.
    auto updated = pins_;
    for (const auto& name : names) {
        if (const auto problem = pin_name_problem(name)) throw std::invalid_argument("cannot pin a key: " + *problem);
        updated.insert_or_assign(name, key);
    }
    save(file_, updated);
    pins_ = std::move(updated);
}

}  // namespace tether::security
