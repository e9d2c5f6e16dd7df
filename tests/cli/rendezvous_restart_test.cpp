// A rendezvous server restarted under a registered host: the host registers
// again within 10 s and viewers reach it by ID as before, and the registry on
// disk kept its pins — another key under the host's ID is refused, naming both
// fingerprints. Real processes on loopback.
#include "build_parts.h"
#include "child_process.h"
#include "process.h"
#include "security/identity.h"
#include "server/rendezvous_probe.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>
#include <sstream>

namespace tether::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string server_config(const std::string& rendezvous_listen) {
    return "[server]\nrendezvous_listen = \"" + rendezvous_listen +
           "\"\nrelay_listen = \"127.0.0.1:0\"\nrelays = []\nmetrics_listen = \"\"\n"
           "websocket_port = 0\n"  // no fixed port on a machine other runs share
           "[capture]\nplugin = \"synthetic\"\nwidth = 320\nheight = 240\n"
           "[video]\nencoders = [\"vpx-vp8\"]\ndecoders = [\"vpx-vp8\"]\n";
}

class RendezvousRestart : public ::testing::Test {
protected:
    std::unique_ptr<ChildProcess> serve(const std::string& listen) {
        const auto config = dir_.write("server.toml", server_config(listen));
        auto server = std::make_unique<ChildProcess>(std::vector<std::string>{
            tether_binary(), "--json", "--config", config.string(), "--data-dir", (dir_.path() / "srv").string(), "serve"});
        ready_ = server->wait_for_event("ready");
        EXPECT_FALSE(ready_.empty()) << server->stderr_text();
        return server;
    }
    std::vector<std::string> tether(const std::string& who) const {
        return {tether_binary(), "--json", "--config", (dir_.path() / "server.toml").string(), "--data-dir",
                (dir_.path() / who).string()};
    }
    TempDir dir_;
    nlohmann::json ready_;
};

TEST_F(RendezvousRestart, TheHostRegistersAgainAndThePinsOutliveTheServer) {
    TETHER_REQUIRE_BUILT(kStreamingPlugins);
    auto server = serve("127.0.0.1:0");
    const std::string rendezvous = ready_.value("rendezvous", "");
    ASSERT_FALSE(rendezvous.empty());

    auto host_argv = tether("host");
    host_argv.insert(host_argv.end(), {"host", "--rendezvous", rendezvous});
    ChildProcess host(host_argv);
    const auto host_ready = host.wait_for_event("ready");
    const std::string id = host_ready.value("id", "");
    const std::string password = host.wait_for_event("one_time_password").value("password", "");
    ASSERT_FALSE(host.wait_for_event("registered").empty()) << host.stderr_text();

    // Killed outright, then stopped cleanly: each time the host is back within 10 s.
    for (const int how : {SIGKILL, SIGTERM}) {
        server->signal(how);
        const auto status = server->wait_exit(10s);
        if (how == SIGTERM) {
            EXPECT_EQ(status, 0) << server->stderr_text();
        }
        EXPECT_FALSE(host.wait_for_event("registration_lost").empty());
        server = serve(rendezvous);
        const auto restarted = Clock::now();
        ASSERT_FALSE(host.wait_for_event("registered", 10s).empty()) << host.stderr_text();
        EXPECT_LT(Clock::now() - restarted, 10s);
    }
    // Past the heartbeats the lost connections had due: the host still runs.
    std::this_thread::sleep_for(6s);
    ASSERT_FALSE(host.wait_exit(0ms)) << host.stderr_text();

    auto viewer_argv = tether("viewer");
    viewer_argv.insert(viewer_argv.end(), {"connect", id, "--rendezvous", rendezvous, "--password", password,
                                           "--headless", "--seconds", "1"});
    ChildProcess viewer(viewer_argv);
    EXPECT_EQ(viewer.wait_exit(30s), 0) << viewer.stderr_text();
    const auto summary = nlohmann::json::parse(viewer.rest_of_stdout(1s), nullptr, false);
    EXPECT_GT(summary.value("frames", 0), 0) << summary.dump();

    // The pin came back from the file: another key under this ID is refused with both fingerprints.
    const auto impostor = security::fresh_identity();
    auto request = server::register_request(impostor, 21118);
    request.mutable_register_()->set_id(id);
    server::ProbeConnection connection(rendezvous, 5s);
    const auto answer = server::register_host(connection, request, impostor);
    ASSERT_TRUE(answer && answer->has_register_refused()) << (answer ? answer->DebugString() : "no answer");
    const std::string& reason = answer->register_refused().reason();
    EXPECT_NE(reason.find(host_ready.value("fingerprint", "?")), std::string::npos) << reason;
    EXPECT_NE(reason.find(security::fingerprint(impostor.public_key)), std::string::npos) << reason;
}

}  // namespace
}  // namespace tether::test
