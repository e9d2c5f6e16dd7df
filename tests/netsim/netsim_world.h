// Tether on the simulated internet: `tether serve` on srv, `tether host` on
// a, `tether connect ID` on b, each a real process in its own namespace with
// its own data directory.
#pragma once

#include "child_process.h"
#include "netsim.h"
#include "temp_dir.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tether::test {

class NetsimWorld {
public:
    NetsimWorld(const std::string& mode_a, const std::string& mode_b);
    ~NetsimWorld();

    Netsim& net() { return net_; }
    // Drops what passes between the two NATs (`protocol` alone: "tcp", "udp";
    // empty: everything) before either NAT keeps state for it, or (`up`
    // false) lets it pass again.
    void wall_between_nats(bool up, const std::string& protocol = "");
    // `tether serve` on srv, with `extra` arguments; waits for its ready event.
    void start_server(const std::vector<std::string>& extra = {});
    void stop_server();  // SIGTERM, and its exit awaited
    // `tether host` on a, registered with the server; returns its ready event.
    nlohmann::json start_host();
    ChildProcess& host() { return *host_; }
    // The rendezvous server viewers ask (default: srv's address, over TCP).
    void set_viewer_rendezvous(const std::string& server) { viewer_rendezvous_ = server; }
    // `tether connect ID --headless --seconds N --json` on b; its summary and exit code.
    struct Viewed {
        int exit_code = -1;
        nlohmann::json summary;
        std::string log;
    };
    Viewed connect(double seconds, const std::vector<std::string>& extra = {});
    // The same, started now and collected later.
    std::unique_ptr<ChildProcess> start_viewer(double seconds, const std::vector<std::string>& extra = {});
    static Viewed collect(ChildProcess& viewer, std::chrono::milliseconds timeout);
    // Ctrl-C to `viewer` a second after `text` shows in its log (within
    // `timeout`): a test ends once it has seen what it asserts.
    static void end_after_log(ChildProcess& viewer, const std::string& text, std::chrono::milliseconds timeout);

    std::string id() const { return id_; }
    std::string password() const { return password_; }
    // The host's next one-time password, shown once the last one is used.
    void take_next_password();

private:
    std::vector<std::string> tether(const std::string& on, const std::filesystem::path& data_dir) const;

    Netsim net_;
    TempDir dir_;
    std::filesystem::path config_;
    std::unique_ptr<ChildProcess> server_;
    std::unique_ptr<ChildProcess> host_;
    std::string id_;
    std::string password_;
    std::string viewer_rendezvous_ = Netsim::address("srv");
};

}  // namespace tether::test
