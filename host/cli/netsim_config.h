// What Tether runs with on the simulated internet, in `tether bench connect
// --netsim` and in the netsim tests alike: small pictures, so that the paths
// are measured rather than the encoder (and the machine is shared); the host
// listening on every address, so that it can be dialed from outside.
#pragma once

#include <string_view>

namespace tether::cli {

constexpr std::string_view kNetsimConfig = R"([capture]
plugin = "synthetic"
width = 320
height = 240
fps = 30

[video]
encoders = ["vpx-vp8"]
decoders = ["vpx-vp8"]

[network]
listen = "0.0.0.0:21118"
)";

}  // namespace tether::cli
