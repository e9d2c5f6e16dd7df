// Which NAT kinds of netsim.sh to put in front of the host and of the viewer:
// `--pairs all` or `--pairs cone:sym,none:block-udp` (host's kind first).
#pragma once

#include <string>
#include <vector>

namespace tether::cli {

struct NatPair {
    std::string host;    // none, cone, sym or block-udp
    std::string viewer;
    std::string name() const { return host + ":" + viewer; }
};

// "all": each of the 16, the host's kind changing slowest. Throws UsageError naming what it does not know.
std::vector<NatPair> parse_nat_pairs(const std::string& text);

}  // namespace tether::cli
