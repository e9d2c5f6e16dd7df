// `tether host` and `tether connect` as separate processes, the way two
// people would use them: one-time passwords, key pinning, refusals.
#include "build_parts.h"
#include "raw_host.h"
#include "running_host.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

class HostConnect : public ::testing::Test {
protected:
    void SetUp() override {
        TETHER_REQUIRE_BUILT(kStreamingPlugins);
        host = std::make_unique<RunningHost>(dir);
        ready = host->ready;
        password = host->password;
    }

    TempDir dir;
    std::unique_ptr<RunningHost> host;
    nlohmann::json ready;
    std::string password;

    std::string pins() const {
        std::ifstream in(dir.path() / "viewer" / "known_hosts");
        return {std::istreambuf_iterator<char>(in), {}};
    }
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(HostConnect, OneTimePasswordOpensOneSession) {
    const auto first = connect(dir, ready["address"], password);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    const auto s = nlohmann::json::parse(first.out);
    EXPECT_TRUE(s["logged_in"].get<bool>());
    EXPECT_GT(s["frames"].get<int>(), 5);
    EXPECT_EQ(s["width"], 320);
    EXPECT_EQ(s["permissions"], "view");
    EXPECT_NE(s["cipher"].get<std::string>().find("-"), std::string::npos);
    // The host showed a new one; the old one is spent.
    EXPECT_NE(host->next_password(), password);
    const auto again = connect(dir, ready["address"], password);
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("wrong password"), std::string::npos) << again.err;
}

TEST_F(HostConnect, ChangedHostKeyIsRefusedWithBothFingerprints) {
    const auto viewer_dir = dir.path() / "viewer";
    std::filesystem::create_directories(viewer_dir);
    std::filesystem::permissions(viewer_dir, std::filesystem::perms::owner_all);
    const std::string impostor_key(64, 'a');
    {
        std::ofstream pins(viewer_dir / "known_hosts");
        pins << ready["id"].get<std::string>() << " " << impostor_key << "\n";
    }
    chmod((viewer_dir / "known_hosts").c_str(), 0600);
    const auto r = connect(dir, ready["address"], password);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HOST KEY CHANGED"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(ready["fingerprint"].get<std::string>()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--accept-key"), std::string::npos) << r.err;
    // Refused before login: the one-time password was not used.
    const auto accepted = connect(dir, ready["address"], password, {"--accept-key", ready["fingerprint"]});
    EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
}

TEST_F(HostConnect, FirstUsePinsAddressAndIdAndShowsTheFingerprintToCompare) {
    const std::string address = ready["address"];
    const auto first = connect(dir, address, password);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_TRUE(contains(first.err, ready["fingerprint"])) << first.err;
    EXPECT_TRUE(contains(first.err, "`tether host` or `tether id`")) << first.err;
    EXPECT_TRUE(contains(pins(), "\n" + address + " ")) << pins();
    EXPECT_TRUE(contains(pins(), "\n" + ready["id"].get<std::string>() + " ")) << pins();

    // The same key at another spelling of the address: the same host, pinned without a word.
    const std::string same_host = "localhost:" + address.substr(address.rfind(':') + 1);
    const auto again = connect(dir, same_host, host->next_password());
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_FALSE(contains(again.err, "first connection")) << again.err;
    EXPECT_TRUE(contains(pins(), "\n" + same_host + " ")) << pins();
}

// Another machine takes over a pinned host's address with a key of its own, so its peer ID
// is new too: the viewer must refuse it before sending anything, not pin a "new" host.
TEST_F(HostConnect, ImpostorAtAPinnedAddressIsRefusedBeforeLogin) {
    const std::string address = host->address;
    const std::string real_fingerprint = ready["fingerprint"];
    ASSERT_EQ(connect(dir, address, password).exit_code, 0);
    host.reset();

    const TempDir impostor_home;
    {
        RawHost impostor(address, impostor_home.path());
        const auto refused = connect(dir, address, password);
        EXPECT_EQ(refused.exit_code, 1) << refused.err;
        EXPECT_TRUE(contains(refused.err, "HOST KEY CHANGED for " + address)) << refused.err;
        EXPECT_TRUE(contains(refused.err, real_fingerprint)) << refused.err;
        EXPECT_TRUE(contains(refused.err, impostor.fingerprint())) << refused.err;
        EXPECT_TRUE(contains(refused.err, "impersonating")) << refused.err;
        EXPECT_TRUE(contains(refused.err, "tether connect " + address + " --accept-key " + impostor.fingerprint()))
            << refused.err;
        const auto heard = impostor.conversation(10s);
        EXPECT_TRUE(heard.answered);
        EXPECT_EQ(heard.frames_after_hello.size(), 0u);  // no Hello, no LoginRequest, no password
    }
    {
        RawHost impostor(address, impostor_home.path());
        const auto refused = connect(dir, address, password, {"--accept-key", real_fingerprint});
        EXPECT_EQ(refused.exit_code, 1);
        EXPECT_TRUE(contains(refused.err, "not the " + real_fingerprint + " you accepted")) << refused.err;
        EXPECT_EQ(impostor.conversation(10s).frames_after_hello.size(), 0u);
    }
    {
        // Accepting the new key on purpose lets the viewer go ahead...
        RawHost impostor(address, impostor_home.path());
        const auto accepted = connect(dir, address, password, {"--accept-key", impostor.fingerprint()});
        EXPECT_FALSE(contains(accepted.err, "HOST KEY CHANGED")) << accepted.err;
        EXPECT_FALSE(impostor.conversation(10s).frames_after_hello.empty()) << accepted.err;
    }
    {
        // ...and pins it, so the next connection needs no --accept-key.
        RawHost impostor(address, impostor_home.path());
        const auto again = connect(dir, address, password);
        EXPECT_FALSE(contains(again.err, "HOST KEY CHANGED")) << again.err;
        EXPECT_FALSE(impostor.conversation(10s).frames_after_hello.empty()) << again.err;
    }
}

TEST_F(HostConnect, AViewerWhoseHostVanishesExitsWithAFailure) {
    ChildProcess viewer(host->connect_argv("60", password), host->environment());
    ASSERT_FALSE(host->process->wait_for_event("one_time_password").empty());  // a new one: the login used the old
    std::this_thread::sleep_for(500ms);                                           // pictures flow
    ASSERT_EQ(::kill(host->process->pid(), SIGKILL), 0);                          // no goodbye
    EXPECT_EQ(viewer.wait_exit(20s), 1);
    EXPECT_TRUE(contains(viewer.stderr_text(), "session ended early")) << viewer.stderr_text();
    host->process->wait_exit(5s);
}

}  // namespace
}  // namespace tether::test
