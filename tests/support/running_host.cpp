#include "running_host.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>
#include <stdexcept>

namespace tether::test {

using namespace std::chrono_literals;

RunningHost::RunningHost(const TempDir& dir_, const std::vector<std::string>& extra) : dir(dir_) {
    // A small test desktop keeps tests quick, and the same whatever display the test runs
    // under; no services unless a test asks: the user config layer ($XDG_CONFIG_HOME/tether/tether.toml).
    std::filesystem::create_directories(dir.path() / "tether");
    // A host that vanishes is given up on after 3 s rather than the default 30 s of resumption.
    dir.write("tether/tether.toml",
              "[capture]\nplugin = \"synthetic\"\nwidth = 320\nheight = 240\n[services]\nplugins = []\n"
              "[network]\nresume_window = 3\n");
    std::vector<std::string> argv{tether_binary(), "host", "--json", "--data-dir", (dir.path() / "host").string(),
                                  "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process = std::make_unique<ChildProcess>(argv, environment());
    ready = process->wait_for_event("ready");
    if (ready.empty()) throw std::runtime_error("the host did not start: " + process->stderr_text());
    address = ready["address"];
    next_password();
}

RunningHost::~RunningHost() {
    if (process->wait_exit(0ms)) return;
    process->signal(SIGTERM);
    process->wait_exit(10s);
}

std::map<std::string, std::string> environment_of(const TempDir& dir) {
    return {{"XDG_CONFIG_HOME", dir.path().string()}};
}

std::map<std::string, std::string> RunningHost::environment() const { return environment_of(dir); }

const std::string& RunningHost::next_password() {
    const auto shown = process->wait_for_event("one_time_password");
    if (shown.empty()) throw std::runtime_error("no one-time password shown: " + process->stderr_text());
    password = shown["password"];
    return password;
}

std::vector<std::string> connect_argv(const TempDir& dir, const std::string& address, const std::string& password,
                                      const std::string& seconds, const std::vector<std::string>& extra) {
    std::vector<std::string> argv{tether_binary(), "connect", address, "--headless", "--json", "--seconds", seconds,
                                  "--password", password, "--data-dir", (dir.path() / "viewer").string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

CommandResult connect(const TempDir& dir, const std::string& address, const std::string& password,
                      const std::vector<std::string>& extra) {
    return run_command(connect_argv(dir, address, password, "2", extra), 60s, environment_of(dir));
}

std::vector<std::string> RunningHost::connect_argv(const std::string& seconds, const std::string& with_password) const {
    return test::connect_argv(dir, address, with_password, seconds);
}

CommandResult RunningHost::connect(const std::string& seconds) const {
    return run_command(connect_argv(seconds, password), 60s, environment());
}

std::optional<std::chrono::milliseconds> RunningHost::terminate() {
    const auto start = std::chrono::steady_clock::now();
    process->signal(SIGTERM);
    const auto status = process->wait_exit(10s);
    if (!status) return std::nullopt;
    EXPECT_EQ(*status, 0) << process->stderr_text();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

nlohmann::json summary_of(const CommandResult& result) {
    auto s = nlohmann::json::parse(result.out, nullptr, false);
    return s.is_discarded() ? nlohmann::json::object() : s;
}

}  // namespace tether::test
