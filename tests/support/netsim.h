// The simulated internet of ../shared/netsim/netsim.sh: network namespaces
// with NATs of several kinds, torn down with this object. Processes run in
// its hosts through exec_prefix(); `cut` takes a host's link down for a while.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tether::test {

class Netsim {
public:
    // Why netsim cannot run here (not root, script or tools missing), or nullopt.
    static std::optional<std::string> unavailable();

    Netsim(const std::string& mode_a, const std::string& mode_b);  // throws when `up` fails
    ~Netsim();
    Netsim(const Netsim&) = delete;
    Netsim& operator=(const Netsim&) = delete;

    // argv prefix that runs a program on `host` (srv, a, b, nat-a, nat-b, wan).
    static std::vector<std::string> exec_prefix(const std::string& host);
    static std::string address(const std::string& host);  // srv: 198.51.100.10, a: 10.1.0.2, ...
    // Takes `host`'s link down for `seconds`, then back up; returns at once.
    void cut(const std::string& host, int seconds);
    // Drops `percent` % of the packets arriving at `host` (0: none).
    void loss(const std::string& host, int percent);
    // Runs `command` on `host` (an iptables rule on a NAT); throws when it fails.
    void exec(const std::string& host, const std::vector<std::string>& command);

private:
    std::vector<int> cuts_;  // pids of cuts under way, awaited on teardown
};

}  // namespace tether::test
