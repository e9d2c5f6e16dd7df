#include "netsim_world.h"
#include "process.h"

#include "cli/netsim_config.h"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <thread>

namespace tether::test {

using namespace std::chrono_literals;

NetsimWorld::NetsimWorld(const std::string& mode_a, const std::string& mode_b) : net_(mode_a, mode_b) {
    config_ = dir_.write("netsim.toml", cli::kNetsimConfig);
    for (const char* who : {"srv", "a", "b"}) std::filesystem::create_directories(dir_.path() / who);
}

NetsimWorld::~NetsimWorld() {
    host_.reset();
    server_.reset();
}

std::vector<std::string> NetsimWorld::tether(const std::string& on, const std::filesystem::path& data_dir) const {
    auto argv = Netsim::exec_prefix(on);
    argv.insert(argv.end(), {tether_binary(), "--json", "--config", config_.string(), "--data-dir", data_dir.string()});
    return argv;
}

void NetsimWorld::start_server(const std::vector<std::string>& extra) {
    auto argv = tether("srv", dir_.path() / "srv");
    argv.push_back("serve");
    argv.insert(argv.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ChildProcess>(argv);
    const auto ready = server_->wait_for_event("ready");
    ASSERT_FALSE(ready.empty()) << server_->stderr_text();
}

void NetsimWorld::stop_server() {
    server_->signal(SIGTERM);
    const auto status = server_->wait_exit(10s);
    EXPECT_EQ(status, 0) << server_->stderr_text();
    server_.reset();
}

nlohmann::json NetsimWorld::start_host() {
    auto argv = tether("a", dir_.path() / "a");
    argv.insert(argv.end(), {"host", "--rendezvous", Netsim::address("srv")});
    host_ = std::make_unique<ChildProcess>(argv);
    const auto ready = host_->wait_for_event("ready");
    EXPECT_FALSE(ready.empty()) << host_->stderr_text();
    id_ = ready.value("id", "");
    password_ = host_->wait_for_event("one_time_password").value("password", "");
    const auto registered = host_->wait_for_event("registered");
    EXPECT_FALSE(registered.empty()) << host_->stderr_text();
    return ready;
}

void NetsimWorld::wall_between_nats(bool up, const std::string& protocol) {
    for (const auto& [nat, other] : {std::pair{"nat-a", "nat-b"}, {"nat-b", "nat-a"}}) {
        std::vector<std::string> rule = {"iptables", "-t", "raw", up ? "-I" : "-D", "PREROUTING", "-s", Netsim::address(other)};
        if (!protocol.empty()) rule.insert(rule.end(), {"-p", protocol});
        rule.insert(rule.end(), {"-j", "DROP"});
        net_.exec(nat, rule);
    }
}

void NetsimWorld::take_next_password() {
    const auto shown = host_->wait_for_event("one_time_password");
    ASSERT_FALSE(shown.empty()) << host_->stderr_text();
    password_ = shown.value("password", "");
}

std::unique_ptr<ChildProcess> NetsimWorld::start_viewer(double seconds, const std::vector<std::string>& extra) {
    auto argv = tether("b", dir_.path() / "b");
    std::ostringstream span;
    span << seconds;
    argv.insert(argv.end(), {"connect", id_, "--rendezvous", viewer_rendezvous_, "--password", password_,
                             "--headless", "--seconds", span.str()});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ChildProcess>(argv);
}

NetsimWorld::Viewed NetsimWorld::collect(ChildProcess& viewer, std::chrono::milliseconds timeout) {
    Viewed viewed;
    viewed.exit_code = viewer.wait_exit(timeout).value_or(-1);
    std::istringstream lines(viewer.rest_of_stdout(1s));
    for (std::string line; std::getline(lines, line);)
        if (!line.empty() && line.front() == '{') viewed.summary = nlohmann::json::parse(line, nullptr, false);
    viewed.log = viewer.stderr_text();
    return viewed;
}

void NetsimWorld::end_after_log(ChildProcess& viewer, const std::string& text, std::chrono::milliseconds timeout) {
    if (!viewer.wait_for_log(text, timeout)) return;
    std::this_thread::sleep_for(1s);
    viewer.signal(SIGINT);
}

NetsimWorld::Viewed NetsimWorld::connect(double seconds, const std::vector<std::string>& extra) {
    const auto viewer = start_viewer(seconds, extra);
    return collect(*viewer, std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)) + 40s);
}

}  // namespace tether::test
