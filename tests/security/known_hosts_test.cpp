// The viewer's pinned host keys: what was pinned comes back under every name, what is
// hostile is refused.
#include "private_files.h"
#include "security/known_hosts.h"
#include "security/pin_name.h"

#include <gtest/gtest.h>

namespace tether::test {
namespace {

namespace fs = std::filesystem;
using security::KnownHosts;
using security::pin_name_of;
using security::PublicKey;

PublicKey key_filled_with(uint8_t value) {
    PublicKey key{};
    key.fill(value);
    return key;
}

const std::string kHexKey(64, 'a');

TEST(KnownHosts, MissingFileIsEmpty) {
    TempDir dir;
    const KnownHosts hosts(dir.path() / "known_hosts");
    EXPECT_FALSE(hosts.find("123456789"));
    EXPECT_FALSE(fs::exists(dir.path() / "known_hosts"));
}

TEST(KnownHosts, PinsSurviveReloadAndCanBeReplaced) {
    TempDir dir;
    const fs::path file = dir.path() / "known_hosts";
    {
        KnownHosts hosts(file);
        hosts.pin({"123456789"}, key_filled_with(1));
        hosts.pin({"987654321"}, key_filled_with(2));
        EXPECT_EQ(hosts.find("123456789"), key_filled_with(1));
    }
    EXPECT_EQ(mode_of(file), 0600u);
    {
        KnownHosts hosts(file);
        EXPECT_EQ(hosts.find("123456789"), key_filled_with(1));
        EXPECT_EQ(hosts.find("987654321"), key_filled_with(2));
        EXPECT_FALSE(hosts.find("111111111"));
        hosts.pin({"123456789"}, key_filled_with(3));
    }
    const KnownHosts reloaded(file);
    EXPECT_EQ(reloaded.find("123456789"), key_filled_with(3));
    EXPECT_EQ(reloaded.find("987654321"), key_filled_with(2));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);  // no temporary left
}

TEST(KnownHosts, AcceptsCommentsAndBlankLines) {
    TempDir dir;
    const auto file = write_owner_only(dir, "known_hosts", "# pinned by hand\n\n123456789 " + kHexKey + "\n# end");
    EXPECT_EQ(KnownHosts(file).find("123456789"), key_filled_with(0xaa));
}

TEST(KnownHosts, AnAddressAndAnIdPinOneKeyTogether) {
    TempDir dir;
    const fs::path file = dir.path() / "known_hosts";
    KnownHosts(file).pin({"127.0.0.1:40123", "123456789"}, key_filled_with(0xaa));
    const std::string text = read_text(file);
    EXPECT_NE(text.find("\n127.0.0.1:40123 " + kHexKey + "\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\n123456789 " + kHexKey + "\n"), std::string::npos) << text;
    const KnownHosts reloaded(file);
    EXPECT_EQ(reloaded.find("127.0.0.1:40123"), key_filled_with(0xaa));
    EXPECT_EQ(reloaded.find("123456789"), key_filled_with(0xaa));
    EXPECT_FALSE(reloaded.find("127.0.0.1:40124"));
}

TEST(KnownHosts, FilesWithOnlyPeerIdsStillLoad) {
    TempDir dir;
    const auto file = write_owner_only(dir, "known_hosts",
                                       "# Tether known hosts: the key each peer ID presented on first connection.\n"
                                       "123456789 " + kHexKey + "\n987654321 " + std::string(64, 'b') + "\n");
    KnownHosts hosts(file);
    EXPECT_EQ(hosts.find("123456789"), key_filled_with(0xaa));
    EXPECT_EQ(hosts.find("987654321"), key_filled_with(0xbb));
    hosts.pin({"desk.example:40123", "123456789"}, key_filled_with(0xaa));
    const KnownHosts reloaded(file);
    EXPECT_EQ(reloaded.find("desk.example:40123"), key_filled_with(0xaa));
    EXPECT_EQ(reloaded.find("987654321"), key_filled_with(0xbb));
}

TEST(KnownHosts, RefusesAMalformedNameToPin) {
    TempDir dir;
    KnownHosts hosts(dir.path() / "known_hosts");
    EXPECT_THROW(hosts.pin({"12345"}, key_filled_with(1)), std::invalid_argument);
    EXPECT_THROW(hosts.pin({"123456789 999999999"}, key_filled_with(1)), std::invalid_argument);
    EXPECT_THROW(hosts.pin({"Desk.example:40123"}, key_filled_with(1)), std::invalid_argument);
    // One bad name pins none of them.
    EXPECT_THROW(hosts.pin({"127.0.0.1:40123", "desk\tname:1"}, key_filled_with(1)), std::invalid_argument);
    EXPECT_FALSE(hosts.find("127.0.0.1:40123"));
    EXPECT_FALSE(fs::exists(dir.path() / "known_hosts"));
}

TEST(KnownHosts, TypedAddressesAreNamedAsTheyReachTheHost) {
    EXPECT_EQ(pin_name_of("127.0.0.1:40123"), "127.0.0.1:40123");
    EXPECT_EQ(pin_name_of("tcp://Desk.Example:40123"), "desk.example:40123");
    EXPECT_EQ(pin_name_of("TCP://127.0.0.1:40123"), "127.0.0.1:40123");
    EXPECT_EQ(pin_name_of("[FE80::1%Eth0]:40123"), "[fe80::1%Eth0]:40123");  // the zone is an interface name
    EXPECT_EQ(pin_name_of("123456789"), "123456789");
    EXPECT_NE(pin_name_of("desk.example:40123"), pin_name_of("desk.example.:40123"));  // only safe rewrites
    for (const std::string bad : {"", "tcp://", "12345", "012345678", "desk example:1", "d\xc3\xa9sk:1", "desk\x01:1"})
        EXPECT_THROW(pin_name_of(bad), std::invalid_argument) << bad;
    EXPECT_NO_THROW(pin_name_of(std::string(250, 'a') + ":1"));
    EXPECT_THROW(pin_name_of(std::string(255, 'a') + ":1"), std::invalid_argument);
}

TEST(KnownHosts, HostileFilesAreRefusedWithTheLine) {
    const std::string good = "123456789 " + kHexKey + "\n";
    const std::vector<std::pair<std::string, std::string>> hostile{
        {good + "987654321\n", ":2: expected"},
        {good + "987654321 " + kHexKey + " extra\n", ":2: expected"},
        {good + "987654321  " + kHexKey + "\n", ":2: expected"},
        {"# comment\n012345678 " + kHexKey + "\n", ":2: the peer ID"},
        {"12345678 " + kHexKey + "\n", ":1: the peer ID"},
        {" " + kHexKey + "\n", ":1: the name is empty"},
        {"Desk.example:40123 " + kHexKey + "\n", ":1: the address is not as Tether writes it"},
        {"tcp://127.0.0.1:40123 " + kHexKey + "\n", ":1: the address is not as Tether writes it"},
        {"desk\x1b[2J:1 " + kHexKey + "\n", ":1: the name has a character"},
        {"d\xc3\xa9sk:1 " + kHexKey + "\n", ":1: the name has a character"},
        {std::string(300, 'a') + ":1 " + kHexKey + "\n", ":1: the name is longer than 255"},
        {"123456789 " + kHexKey.substr(2) + "\n", ":1: the public key"},
        {"123456789 " + kHexKey + "\r\n", ":1: the public key"},
        {"123456789 " + std::string(63, 'a') + "g\n", ":1: the public key"},
        {good + "\n" + good, ":3: 123456789 is pinned twice (also on line 1)"},
        {"127.0.0.1:1 " + kHexKey + "\n" + good + "127.0.0.1:1 " + kHexKey + "\n",
         ":3: 127.0.0.1:1 is pinned twice (also on line 1)"},
        {std::string(std::string("\0\0\0", 3)), ":1: expected"},
    };
    for (const auto& [contents, reason] : hostile) {
        TempDir dir;
        const auto file = write_owner_only(dir, "known_hosts", contents);
        try {
            KnownHosts hosts(file);
            ADD_FAILURE() << "accepted: " << contents;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(file.string() + reason), std::string::npos) << e.what();
        }
    }
}

TEST(KnownHosts, RefusesAnOversizedOrExposedFile) {
    TempDir dir;
    const auto huge = write_owner_only(dir, "known_hosts", std::string((1 << 20) + 1, '#'));
    EXPECT_THROW(KnownHosts{huge}, std::runtime_error);

    TempDir other;
    const auto exposed = other.write("known_hosts", "123456789 " + kHexKey + "\n");
    fs::permissions(exposed, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_write);
    EXPECT_THROW(KnownHosts{exposed}, std::runtime_error);
}

}  // namespace
}  // namespace tether::test
