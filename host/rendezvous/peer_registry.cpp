#include "peer_registry.h"

#include <sqlite3.h>

#include <algorithm>

namespace tether::rendezvous {
namespace {

constexpr std::string_view kKeyChangeLabel = "tether key change";

}  // namespace

std::vector<uint8_t> key_change_message(const std::string& id, const security::PublicKey& new_key) {
    std::string message(kKeyChangeLabel);
    message += id;
    message.append(reinterpret_cast<const char*>(new_key.data()), new_key.size());
    return {message.begin(), message.end()};
}

PeerRegistry::PeerRegistry(const std::filesystem::path& file) : file_(file) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        const std::string why = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw error(why);
    }
    try {
        // WAL: a crash loses no committed pin, and readers never wait for the writer.
        execute("PRAGMA journal_mode = WAL");
        execute("PRAGMA synchronous = NORMAL");
        execute("CREATE TABLE IF NOT EXISTS peers (id TEXT PRIMARY KEY, key BLOB NOT NULL, "
                "first_seen INTEGER NOT NULL DEFAULT (unixepoch()))");
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

PeerRegistry::~PeerRegistry() { sqlite3_close(db_); }

void PeerRegistry::execute(const char* sql) const {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message != nullptr ? message : sqlite3_errmsg(db_);
        sqlite3_free(message);
        throw error(why);
    }
}

RegistryError PeerRegistry::error(const std::string& why) const {
    return RegistryError("peer registry " + file_.string() + ": " + why);
}

void PeerRegistry::Finalize::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

PeerRegistry::Statement PeerRegistry::prepare(const char* sql) const {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK)
        throw error(sqlite3_errmsg(db_));
    return Statement(statement);
}

std::optional<security::PublicKey> PeerRegistry::key_of(const std::string& id) const {
    const Statement statement = prepare("SELECT key FROM peers WHERE id = ?");
    sqlite3_stmt* raw = statement.get();
    sqlite3_bind_text(raw, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    const int step = sqlite3_step(raw);
    if (step == SQLITE_DONE) return std::nullopt;
    if (step != SQLITE_ROW) throw error(sqlite3_errmsg(db_));
    security::PublicKey key{};
    if (static_cast<size_t>(sqlite3_column_bytes(raw, 0)) != key.size())
        throw error("the key of " + id + " is not an Ed25519 key");
    const auto* bytes = static_cast<const uint8_t*>(sqlite3_column_blob(raw, 0));
    std::copy(bytes, bytes + key.size(), key.begin());
    return key;
}

void PeerRegistry::set_key(const std::string& id, const security::PublicKey& key, bool insert) {
    const Statement statement =
        prepare(insert ? "INSERT INTO peers (key, id) VALUES (?, ?)" : "UPDATE peers SET key = ? WHERE id = ?");
    sqlite3_stmt* raw = statement.get();
    sqlite3_bind_blob(raw, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(raw, 2, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(raw) != SQLITE_DONE) throw error(sqlite3_errmsg(db_));
}

PinResult PeerRegistry::pin(const std::string& id, const security::PublicKey& key) {
    if (const auto pinned = key_of(id)) return {*pinned == key ? Pin::Known : Pin::OtherKey, *pinned};
    if (security::peer_id_of(key) != id) return {Pin::NotItsId, key};
    set_key(id, key, true);
    return {Pin::New, key};
}

bool PeerRegistry::change_key(const std::string& id, const security::PublicKey& new_key, std::span<const uint8_t> signature) {
    const auto pinned = key_of(id);
    if (!pinned || !security::verify(*pinned, key_change_message(id, new_key), signature)) return false;
    set_key(id, new_key, false);
    return true;
}

size_t PeerRegistry::size() const {
    const Statement statement = prepare("SELECT count(*) FROM peers");
    sqlite3_stmt* raw = statement.get();
    if (sqlite3_step(raw) != SQLITE_ROW) throw error(sqlite3_errmsg(db_));
    return static_cast<size_t>(sqlite3_column_int64(raw, 0));
}

}  // namespace tether::rendezvous
