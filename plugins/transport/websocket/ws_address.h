// The addresses this transport takes: "host:port[/path]", "[v6]:port[/path]",
// with an optional "ws://" prefix; the path is "/" when left out.
#pragma once

#include "host_port.h"

#include <string>
#include <string_view>

namespace tether::ws {

struct WsAddress {
    transport::HostPort where;
    std::string path = "/";
};

// Throws std::invalid_argument naming the address and what is wrong with it.
WsAddress parse_ws_address(std::string_view address);

// The Host header for `where`: "host:port", an IPv6 address in brackets.
std::string host_header(const transport::HostPort& where);

}  // namespace tether::ws
