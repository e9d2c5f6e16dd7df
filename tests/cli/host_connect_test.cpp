// `tether host` and `tether connect` as separate processes, the way two
// people would use them: one-time passwords, key pinning, refusals.
#include "process.h"
#include "raw_host.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

namespace tether::test {
namespace {

using namespace std::chrono_literals;

// `tether host --json` in the background, read line by line.
class HostProcess {
public:
    explicit HostProcess(const TempDir& dir) {
        int out[2];
        if (pipe(out) != 0) throw std::runtime_error("pipe");
        pid_ = fork();
        if (pid_ == 0) {
            dup2(out[1], STDOUT_FILENO);
            const int null_fd = open("/dev/null", O_RDWR);
            dup2(null_fd, STDIN_FILENO);
            dup2(null_fd, STDERR_FILENO);
            setenv("XDG_CONFIG_HOME", dir.path().c_str(), 1);
            const std::string data = (dir.path() / "host").string();
            execl(tether_binary().c_str(), "tether", "host", "--json", "--data-dir", data.c_str(), "--listen",
                  "127.0.0.1:0", nullptr);
            _exit(127);
        }
        close(out[1]);
        out_ = out[0];
    }
    ~HostProcess() {
        kill(pid_, SIGINT);
        int status = 0;
        waitpid(pid_, &status, 0);
        close(out_);
    }
    // The next event line, or an empty object when none came in time.
    nlohmann::json next_event(std::chrono::milliseconds timeout = 20s) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
                const std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return nlohmann::json::parse(line);
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            pollfd pfd{out_, POLLIN, 0};
            if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return nlohmann::json::object();
            char chunk[4096];
            const ssize_t n = read(out_, chunk, sizeof chunk);
            if (n <= 0) return nlohmann::json::object();
            buffer_.append(chunk, static_cast<size_t>(n));
        }
    }

private:
    pid_t pid_ = -1;
    int out_ = -1;
    std::string buffer_;
};

CommandResult connect(const TempDir& dir, const std::string& address, const std::string& password,
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{tether_binary(), "connect", address, "--json", "--seconds", "2", "--password", password,
                                  "--data-dir", (dir.path() / "viewer").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv, 60s, {{"XDG_CONFIG_HOME", dir.path().string()}});
}

class HostConnect : public ::testing::Test {
protected:
    TempDir dir;
    std::unique_ptr<HostProcess> host;
    nlohmann::json ready;
    std::string password;

    void SetUp() override {
        // A small desktop keeps the test quick: the user config layer ($XDG_CONFIG_HOME/tether/tether.toml).
        std::filesystem::create_directories(dir.path() / "tether");
        dir.write("tether/tether.toml", "[capture]\nwidth = 320\nheight = 240\n");
        host = std::make_unique<HostProcess>(dir);
        ready = host->next_event();
        ASSERT_EQ(ready["event"], "ready") << ready.dump();
        const auto otp = host->next_event();
        ASSERT_EQ(otp["event"], "one_time_password") << otp.dump();
        password = otp["password"];
    }

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
    const auto rotated = host->next_event();
    EXPECT_EQ(rotated["event"], "one_time_password");
    EXPECT_NE(rotated["password"], password);
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
    const auto again = connect(dir, same_host, host->next_event()["password"]);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_FALSE(contains(again.err, "first connection")) << again.err;
    EXPECT_TRUE(contains(pins(), "\n" + same_host + " ")) << pins();
}

// Another machine takes over a pinned host's address with a key of its own, so its peer ID
// is new too: the viewer must refuse it before sending anything, not pin a "new" host.
TEST_F(HostConnect, ImpostorAtAPinnedAddressIsRefusedBeforeLogin) {
    const std::string address = ready["address"];
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

}  // namespace
}  // namespace tether::test
