// The installation's identity: created once, kept private, never silently replaced.
#include "private_files.h"
#include "security/identity.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace tether::test {
namespace {

namespace fs = std::filesystem;
using security::Identity;
using security::PublicKey;

std::vector<uint8_t> bytes_of(std::string_view text) {
    return {text.begin(), text.end()};
}

void expect_refused(const fs::path& data_dir, const std::string& expected_part) {
    try {
        security::load_or_create_identity(data_dir);
        FAIL() << "accepted; expected a refusal with '" << expected_part << "'";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find((data_dir / "identity").string()), std::string::npos) << message;
        EXPECT_NE(message.find(expected_part), std::string::npos) << message;
    }
}

TEST(Identity, CreatedOnceThenReloadedIdentical) {
    TempDir dir;
    const Identity created = security::load_or_create_identity(dir.path());
    ASSERT_TRUE(fs::exists(dir.path() / "identity"));
    const std::string file_before = read_text(dir.path() / "identity");
    const Identity loaded = security::load_or_create_identity(dir.path());
    EXPECT_EQ(loaded.public_key, created.public_key);
    EXPECT_EQ(loaded.secret_key, created.secret_key);
    EXPECT_EQ(loaded.peer_id, created.peer_id);
    EXPECT_EQ(read_text(dir.path() / "identity"), file_before);
    // Nothing left behind by the atomic write.
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);
}

TEST(Identity, EachInstallationGetsItsOwnKey) {
    TempDir a;
    TempDir b;
    EXPECT_NE(security::load_or_create_identity(a.path()).public_key,
              security::load_or_create_identity(b.path()).public_key);
}

TEST(Identity, FileIsOwnerOnly) {
    TempDir dir;
    security::load_or_create_identity(dir.path());
    EXPECT_EQ(mode_of(dir.path() / "identity"), 0600u);
}

TEST(Identity, ConcurrentFirstRunsAgreeOnOneIdentity) {
    TempDir dir;
    std::vector<PublicKey> keys(8);
    std::vector<std::thread> threads;
    for (auto& key : keys)
        threads.emplace_back([&dir, &key] { key = security::load_or_create_identity(dir.path()).public_key; });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(std::set<PublicKey>(keys.begin(), keys.end()).size(), 1u);
    EXPECT_EQ(security::load_or_create_identity(dir.path()).public_key, keys.front());
}

TEST(Identity, FileReadableByOthersIsRefusedWithTheFix) {
    TempDir dir;
    security::load_or_create_identity(dir.path());
    const fs::path file = dir.path() / "identity";
    const std::string before = read_text(file);
    for (const auto mode : {fs::perms::group_read, fs::perms::others_read, fs::perms::group_write}) {
        fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | mode);
        expect_refused(dir.path(), "chmod 600 " + file.string());
    }
    EXPECT_EQ(read_text(file), before);  // refused, not replaced
}

TEST(Identity, CorruptFileIsRefusedAndKept) {
    TempDir source;
    security::load_or_create_identity(source.path());
    const std::string good = read_text(source.path() / "identity");
    std::string flipped_seed = good;
    const size_t seed_at = good.find(' ') + 1;
    flipped_seed[seed_at] = flipped_seed[seed_at] == '0' ? '1' : '0';

    const std::vector<std::pair<std::string, std::string>> corrupt{
        {"", "expected"},
        {"garbage\n", "expected"},
        {good.substr(0, good.size() - 10), "hex digits"},  // cut short
        {"tether-identity-2" + good.substr(good.find(' ')), "expected"},
        {good.substr(0, good.size() - 1) + " extra\n", "expected"},
        {flipped_seed, "does not match"},
        {std::string(5000, 'a'), "more than"},
    };
    for (const auto& [contents, reason] : corrupt) {
        TempDir dir;
        const fs::path file = write_owner_only(dir, "identity", contents);
        expect_refused(dir.path(), reason);
        EXPECT_EQ(read_text(file), contents) << "the damaged file must be kept for recovery";
    }
}

TEST(Identity, PeerIdIsNineDigitsDerivedFromTheKey) {
    PublicKey counting{};
    for (size_t i = 0; i < counting.size(); ++i)
        counting[i] = static_cast<uint8_t>(i);
    // BLAKE2b-128 of the key, first 8 bytes little-endian, mod 900000000, plus 100000000
    // (computed independently with Python's hashlib).
    EXPECT_EQ(security::peer_id_of(counting), "306929907");

    for (int i = 0; i < 50; ++i) {
        TempDir dir;
        const Identity identity = security::load_or_create_identity(dir.path());
        EXPECT_TRUE(std::regex_match(identity.peer_id, std::regex("[1-9][0-9]{8}"))) << identity.peer_id;
        EXPECT_EQ(identity.peer_id, security::peer_id_of(identity.public_key));
    }
}

TEST(Identity, PeerIdSyntax) {
    EXPECT_TRUE(security::is_peer_id("123456789"));
    EXPECT_FALSE(security::is_peer_id("023456789"));
    EXPECT_FALSE(security::is_peer_id("12345678"));
    EXPECT_FALSE(security::is_peer_id("1234567890"));
    EXPECT_FALSE(security::is_peer_id("12345678a"));
    EXPECT_FALSE(security::is_peer_id(""));
    EXPECT_EQ(security::format_peer_id("123456789"), "123 456 789");
}

TEST(Identity, FingerprintIsEightGroupsOfFourHexDigits) {
    PublicKey counting{};
    for (size_t i = 0; i < counting.size(); ++i)
        counting[i] = static_cast<uint8_t>(i);
    EXPECT_EQ(security::fingerprint(counting), "cb2f-5160-fc1f-7e05-a55e-f49d-340b-48da");  // hashlib.blake2b, 32 bytes

    TempDir dir;
    const auto key = security::load_or_create_identity(dir.path()).public_key;
    EXPECT_TRUE(std::regex_match(security::fingerprint(key), std::regex("([0-9a-f]{4}-){7}[0-9a-f]{4}")));
    EXPECT_NE(security::fingerprint(key), security::fingerprint(counting));
}

TEST(Identity, SignaturesVerifyAndAnyFlippedBitFails) {
    TempDir dir;
    const Identity identity = security::load_or_create_identity(dir.path());
    const auto message = bytes_of("host 123456789 ephemeral key 0badc0de");
    const auto signature = security::sign(identity, message);
    ASSERT_EQ(signature.size(), crypto_sign_BYTES);
    EXPECT_TRUE(security::verify(identity.public_key, message, signature));

    auto altered_message = message;
    altered_message[5] ^= 0x01;
    EXPECT_FALSE(security::verify(identity.public_key, altered_message, signature));
    auto altered_signature = signature;
    altered_signature[40] ^= 0x80;
    EXPECT_FALSE(security::verify(identity.public_key, message, altered_signature));
    EXPECT_FALSE(security::verify(identity.public_key, message, std::span(signature).first(crypto_sign_BYTES - 1)));

    TempDir other_dir;
    EXPECT_FALSE(security::verify(security::load_or_create_identity(other_dir.path()).public_key, message, signature));
}

}  // namespace
}  // namespace tether::test
