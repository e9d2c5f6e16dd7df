// The rendezvous server's peers (docs/rendezvous.md): each ID pinned to the
// key it first registered with, in one SQLite file (WAL) that outlives the
// server. A new ID is taken only by the key it derives from; a pinned ID moves
// to another key only with the old key's signature, so a stranger holding a
// new key cannot take over a known machine's ID.
#pragma once

#include "security/identity.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace tether::rendezvous {

class RegistryError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Pin {
    New,        // pinned now
    Known,      // pinned before, to this key
    OtherKey,   // pinned before, to another key: refused
    NotItsId,   // a new ID the key does not derive: refused
};

struct PinResult {
    Pin outcome;
    security::PublicKey pinned;  // the key the ID is pinned to (for OtherKey: the one kept)
};

// What the old key signs to move its ID to `new_key`.
std::vector<uint8_t> key_change_message(const std::string& id, const security::PublicKey& new_key);

class PeerRegistry {
public:
    // Opens the file, or creates it; RegistryError with the file and SQLite's reason.
    explicit PeerRegistry(const std::filesystem::path& file);
    ~PeerRegistry();
    PeerRegistry(const PeerRegistry&) = delete;
    PeerRegistry& operator=(const PeerRegistry&) = delete;

    PinResult pin(const std::string& id, const security::PublicKey& key);
    // Moves a pinned ID to `new_key` when `signature` is the pinned key's over
    // key_change_message(); false, changing nothing, otherwise.
    bool change_key(const std::string& id, const security::PublicKey& new_key, std::span<const uint8_t> signature);
    std::optional<security::PublicKey> key_of(const std::string& id) const;
    size_t size() const;

private:
    struct Finalize {
        void operator()(sqlite3_stmt* statement) const;
    };
    using Statement = std::unique_ptr<sqlite3_stmt, Finalize>;

    RegistryError error(const std::string& why) const;  // names the file
    Statement prepare(const char* sql) const;
    void execute(const char* sql) const;
    void set_key(const std::string& id, const security::PublicKey& key, bool insert);

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
};

}  // namespace tether::rendezvous
