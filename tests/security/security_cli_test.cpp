// `tether id` and `tether passwd` as a user runs them: real processes, a temporary data folder.
#include "private_files.h"
#include "process.h"
#include "security/identity.h"
#include "security/password_store.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// Keeps the user's own files out of every run.
std::map<std::string, std::string> isolated_env(const TempDir& home) {
    return {{"HOME", home.path().string()},
            {"XDG_CONFIG_HOME", (home.path() / "config").string()},
            {"XDG_DATA_HOME", (home.path() / "data").string()}};
}

CommandResult tether(const std::vector<std::string>& args, const TempDir& home) {
    std::vector<std::string> argv{tether_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, 60s, isolated_env(home));
}

// `tether passwd` with `input` on its standard input, through a shell pipe.
CommandResult passwd_from_stdin(const std::string& input, const fs::path& data_dir, const TempDir& home) {
    return run_command(
        {"sh", "-c", "printf '%s' \"$2\" | \"$0\" passwd --data-dir \"$1\"", tether_binary(), data_dir.string(), input},
        60s, isolated_env(home));
}

TEST(SecurityCli, IdCreatesTheIdentityOnceAndPrintsIt) {
    TempDir home;
    const fs::path data_dir = home.path() / "tether-data";
    const auto first = tether({"id", "--data-dir", data_dir.string()}, home);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    std::smatch parts;
    ASSERT_TRUE(std::regex_match(first.out, parts,
                                 std::regex("ID: ([1-9][0-9]{2} [0-9]{3} [0-9]{3})\n"
                                            "Fingerprint: (([0-9a-f]{4}-){7}[0-9a-f]{4})\n")))
        << first.out;
    EXPECT_EQ(mode_of(data_dir), 0700u);
    EXPECT_EQ(mode_of(data_dir / "identity"), 0600u);

    const auto again = tether({"--data-dir", data_dir.string(), "id"}, home);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, first.out);

    const auto identity = security::load_or_create_identity(data_dir);
    EXPECT_EQ(parts[1].str(), security::format_peer_id(identity.peer_id));
    EXPECT_EQ(parts[2].str(), security::fingerprint(identity.public_key));
}

TEST(SecurityCli, IdAsJson) {
    TempDir home;
    const fs::path data_dir = home.path() / "tether-data";
    const auto r = tether({"id", "--json", "--data-dir", data_dir.string()}, home);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto json = nlohmann::json::parse(r.out);
    const auto identity = security::load_or_create_identity(data_dir);
    EXPECT_EQ(json.at("id"), identity.peer_id);
    EXPECT_EQ(json.at("fingerprint"), security::fingerprint(identity.public_key));
    const std::string hex = json.at("public_key");
    ASSERT_EQ(hex.size(), 64u);
    for (size_t i = 0; i < identity.public_key.size(); ++i)
        EXPECT_EQ(std::stoi(hex.substr(2 * i, 2), nullptr, 16), identity.public_key[i]) << "byte " << i;
}

TEST(SecurityCli, IdUsesTheXdgDataFolderByDefault) {
    TempDir home;
    const auto r = tether({"id"}, home);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(home.path() / "data" / "tether" / "identity"));
    EXPECT_EQ(mode_of(home.path() / "data" / "tether"), 0700u);
}

TEST(SecurityCli, IdRefusesAnExposedIdentityWithTheFix) {
    TempDir home;
    const fs::path data_dir = home.path() / "tether-data";
    ASSERT_EQ(tether({"id", "--data-dir", data_dir.string()}, home).exit_code, 0);
    fs::permissions(data_dir / "identity", fs::perms::group_read, fs::perm_options::add);
    const auto r = tether({"id", "--data-dir", data_dir.string()}, home);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("chmod 600 " + (data_dir / "identity").string()), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(SecurityCli, PasswdReadsOneLineFromStdinAndPrintsNothingSecret) {
    TempDir home;
    const fs::path data_dir = home.path() / "tether-data";
    const auto r = passwd_from_stdin("correct horse battery\n", data_dir, home);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("correct"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("correct"), std::string::npos) << r.err;
    const security::PasswordStore store(data_dir / "password");
    EXPECT_TRUE(store.verify("correct horse battery"));
    EXPECT_FALSE(store.verify("correct horse battery\n"));

    // Without a final newline, and with a CRLF line ending, it is the same line.
    ASSERT_EQ(passwd_from_stdin("second passphrase", data_dir, home).exit_code, 0);
    EXPECT_TRUE(store.verify("second passphrase"));
    ASSERT_EQ(passwd_from_stdin("third passphrase\r\nignored\n", data_dir, home).exit_code, 0);
    EXPECT_TRUE(store.verify("third passphrase"));
}

TEST(SecurityCli, PasswdRefusesBadInputAndKeepsTheOldPassword) {
    TempDir home;
    const fs::path data_dir = home.path() / "tether-data";
    ASSERT_EQ(passwd_from_stdin("correct horse battery\n", data_dir, home).exit_code, 0);

    const auto too_short = passwd_from_stdin("short\n", data_dir, home);
    EXPECT_EQ(too_short.exit_code, 2);
    EXPECT_NE(too_short.err.find("8 to 128 characters"), std::string::npos) << too_short.err;

    const auto nothing = tether({"passwd", "--data-dir", data_dir.string()}, home);  // stdin is /dev/null
    EXPECT_EQ(nothing.exit_code, 2);
    EXPECT_NE(nothing.err.find("no password"), std::string::npos) << nothing.err;

    const auto too_long = passwd_from_stdin(std::string(5000, 'x') + "\n", data_dir, home);
    EXPECT_EQ(too_long.exit_code, 2);

    EXPECT_TRUE(security::PasswordStore(data_dir / "password").verify("correct horse battery"));
}

TEST(SecurityCli, PasswdClearRemovesThePassword) {
    TempDir home;
    const fs::path data_dir = home.path() / "tether-data";
    ASSERT_EQ(passwd_from_stdin("correct horse battery\n", data_dir, home).exit_code, 0);
    const auto r = tether({"passwd", "--clear", "--data-dir", data_dir.string()}, home);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(security::PasswordStore(data_dir / "password").has_password());
}

}  // namespace
}  // namespace tether::test
