// The simulated internet of netsim.sh (../shared/netsim): network namespaces
// srv, a and b, with a NAT of the given kind in front of a and of b. Up with
// this object, down when it is destroyed. It is one per machine: whoever runs
// it must keep any other user of the script waiting meanwhile.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tether::cli {

class NetsimNetwork {
public:
    // mode_a, mode_b: none, cone, sym or block-udp. Throws with the script's complaint when `up` fails.
    NetsimNetwork(std::filesystem::path script, const std::string& mode_a, const std::string& mode_b);
    ~NetsimNetwork();
    NetsimNetwork(const NetsimNetwork&) = delete;
    NetsimNetwork& operator=(const NetsimNetwork&) = delete;

    // The argv prefix that runs a program on `host` (srv, a, b).
    std::vector<std::string> on(const std::string& host) const;
    std::string address(const std::string& host) const;  // srv: 198.51.100.10, ...

private:
    std::string run(const std::vector<std::string>& args) const;

    std::filesystem::path script_;
};

}  // namespace tether::cli
