// The ABI table of the TCP transport.
#include "plugin_log.h"
#include "tcp_transport.h"
#include "transport_vtable.h"

#include <tether/plugin.hpp>

namespace {

constexpr tether_transport_vtable tcp_vtable = tether::transport::transport_vtable<tether::tcp::TcpTransport>("tcp");

constexpr tether_factory tcp_factory = tether::factory(
    TETHER_KIND_TRANSPORT, "tcp", "Direct TCP connections with length-prefixed messages", 0, &tcp_vtable);

}  // namespace

TETHER_PLUGIN("transport-tcp", "0.1.0", "TCP transport", &tcp_factory)
