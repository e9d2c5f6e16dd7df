// `tether bench connect --netsim`: for each pair of NAT kinds on the simulated
// internet of netsim.sh, how long `tether connect ID` takes to its first
// picture and to a direct path.
#pragma once

#include "context.h"
#include "nat_pairs.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace tether::cli {

struct NetsimConnectOptions {
    std::filesystem::path script;  // netsim.sh
    std::vector<NatPair> pairs;
    int runs = 3;                   // a pair
    std::optional<double> seconds;  // each session; by default as long as its pair needs
};

int run_netsim_connect_bench(const GlobalOptions& global, const NetsimConnectOptions& o);

}  // namespace tether::cli
