// The rendezvous server's registry on a real SQLite file: an ID is pinned to
// the key it derives from, kept across a restart, refused to another key, and
// moved to a new key only with the old key's signature.
#include "rendezvous/peer_registry.h"
#include "security/identity.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

namespace tether::rendezvous {
namespace {

class PeerRegistryTest : public ::testing::Test {
protected:
    std::filesystem::path file() const { return dir_.path() / "rendezvous.db"; }
    security::Identity identity(const std::string& name) const {
        std::filesystem::create_directories(dir_.path() / name);
        return security::load_or_create_identity(dir_.path() / name);
    }
    test::TempDir dir_;
};

TEST_F(PeerRegistryTest, AnIdIsPinnedToItsKeyAndKeptAcrossARestart) {
    const auto host = identity("host");
    const auto stranger = identity("stranger");
    {
        PeerRegistry registry(file());
        EXPECT_EQ(registry.pin(host.peer_id, host.public_key).outcome, Pin::New);
        EXPECT_EQ(registry.pin(host.peer_id, host.public_key).outcome, Pin::Known);
    }
    PeerRegistry again(file());
    EXPECT_EQ(again.size(), 1u);
    EXPECT_EQ(again.pin(host.peer_id, host.public_key).outcome, Pin::Known);
    const PinResult taken = again.pin(host.peer_id, stranger.public_key);
    EXPECT_EQ(taken.outcome, Pin::OtherKey);
    EXPECT_EQ(taken.pinned, host.public_key);
    EXPECT_EQ(again.key_of(host.peer_id), host.public_key);
}

TEST_F(PeerRegistryTest, ANewIdIsTakenOnlyByTheKeyItDerivesFrom) {
    const auto host = identity("host");
    const auto stranger = identity("stranger");
    PeerRegistry registry(file());
    EXPECT_EQ(registry.pin(host.peer_id, stranger.public_key).outcome, Pin::NotItsId);
    EXPECT_EQ(registry.size(), 0u);
    EXPECT_FALSE(registry.key_of(host.peer_id));
}

TEST_F(PeerRegistryTest, AnIdMovesToANewKeyOnlyWithTheOldKeysSignature) {
    const auto host = identity("host");
    const auto renewed = identity("renewed");
    const auto stranger = identity("stranger");
    PeerRegistry registry(file());
    ASSERT_EQ(registry.pin(host.peer_id, host.public_key).outcome, Pin::New);
    const auto message = key_change_message(host.peer_id, renewed.public_key);
    EXPECT_FALSE(registry.change_key(host.peer_id, renewed.public_key, security::sign(stranger, message)));
    EXPECT_FALSE(registry.change_key(host.peer_id, renewed.public_key, security::sign(renewed, message)));
    // Signed for another key: not this one.
    EXPECT_FALSE(registry.change_key(host.peer_id, renewed.public_key,
                                     security::sign(host, key_change_message(host.peer_id, stranger.public_key))));
    EXPECT_FALSE(registry.change_key(stranger.peer_id, renewed.public_key, security::sign(stranger, message)));
    EXPECT_EQ(registry.key_of(host.peer_id), host.public_key);
    EXPECT_TRUE(registry.change_key(host.peer_id, renewed.public_key, security::sign(host, message)));
    EXPECT_EQ(registry.pin(host.peer_id, renewed.public_key).outcome, Pin::Known);
    EXPECT_EQ(registry.pin(host.peer_id, host.public_key).outcome, Pin::OtherKey);
}

TEST_F(PeerRegistryTest, TheFileIsWriteAheadLogged) {
    { PeerRegistry registry(file()); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
    sqlite3_finalize(statement);
    sqlite3_close(db);
}

TEST_F(PeerRegistryTest, AFileThatIsNoDatabaseIsRefusedWithItsName) {
    std::ofstream(file()) << std::string(4096, 'x');
    try {
        PeerRegistry registry(file());
        FAIL() << "opened";
    } catch (const RegistryError& e) {
        EXPECT_NE(std::string(e.what()).find(file().string()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("not a database"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tether::rendezvous
