// The viewer's pinned host keys: trust on first use, as ssh does. The first connection
// pins the host's key under both names that identify it (pin_name.h): what the user typed
// and the peer ID. Later connections must present the same key under either name. Unlike
// RustDesk, which trusts whatever key the rendezvous server vouches for, a changed key is
// noticed.
#pragma once

#include "identity.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tether::security {

class KnownHosts {
public:
    // Reads <data_dir>/known_hosts: lines of "<name> <public key hex>", where the name is a
    // 9-digit peer ID or an address ("127.0.0.1:40123", "[::1]:40123", "desk.example:40123"),
    // '#' comments and blank lines allowed. Files from before address pins hold IDs only and
    // read the same. A missing file is an empty list; anything else malformed (a bad name, a
    // name pinned twice) is refused with its line number (std::runtime_error).
    explicit KnownHosts(std::filesystem::path file);

    std::optional<PublicKey> find(const std::string& name) const;
    // Adds or replaces the pins and saves the file atomically, once for all names. Throws
    // std::invalid_argument for a malformed name, so the file never holds a line it would
    // refuse to read back.
    void pin(const std::vector<std::string>& names, const PublicKey& key);

private:
    std::filesystem::path file_;
    std::map<std::string, PublicKey> pins_;
};

}  // namespace tether::security
