// "host:port" as users and the servers write an address, an IPv6 address in
// brackets: split, with a clear error, by peers and servers alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::rendezvous {

struct HostPort {
    std::string host;  // brackets of an IPv6 address removed
    uint16_t port = 0;
};

// Throws std::invalid_argument naming the text and what is wrong with it.
HostPort split_host_port(std::string_view text);

}  // namespace tether::rendezvous
