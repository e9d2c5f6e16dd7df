// The viewer's pinned host keys: trust on first use, as ssh does. The first connection to a
// peer ID records its key; later connections must present the same key. Unlike RustDesk,
// which trusts whatever key the rendezvous server vouches for, a changed key is noticed.
#pragma once

#include "identity.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace tether::security {

class KnownHosts {
public:
    // Reads <data_dir>/known_hosts: lines of "<peer id> <public key hex>", '#' comments and
    // blank lines allowed. A missing file is an empty list; anything else malformed is
    // refused with its line number (std::runtime_error).
    explicit KnownHosts(std::filesystem::path file);

    std::optional<PublicKey> find(const std::string& peer_id) const;
    // Adds or replaces the pin and saves the file atomically. Throws std::invalid_argument
    // for a malformed peer ID, so the file never holds a line it would refuse to read back.
    void pin(const std::string& peer_id, const PublicKey& key);

private:
    std::filesystem::path file_;
    std::map<std::string, PublicKey> pins_;
};

}  // namespace tether::security
