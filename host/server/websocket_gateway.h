// The WebSocket port of `tether serve` (docs/deployment.md, WebSocket): one
// listener whose connections each upgrade to a path and then belong to the
// server of that path — /relay to the relay, /rendezvous to the rendezvous
// server — which holds them to the limits of its own TCP port. Until then
// the gateway bounds them: a request header of 4 KiB at most, whole within
// upgrade_timeout (a slow or endless request costs a bounded wait), and
// upgrades under way capped per source address and in all (where the oldest
// makes way for a newcomer). Runs on the
// caller's io_context; each route is called there and may pass the socket
// to another.
#pragma once

#include "server_metrics.h"
#include "upgraded_socket.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace tether::server {

struct WebSocketGatewayOptions {
    std::string listen = "0.0.0.0:21119";
    std::chrono::milliseconds upgrade_timeout{10'000};
    size_t max_upgrading = 1024;
    size_t max_upgrading_per_source = 16;
};

class WebSocketGateway {
public:
    // By path ("/relay"): where an upgraded connection goes.
    using Routes = std::map<std::string, std::function<void(UpgradedSocket)>>;

    // Binds at once; throws std::runtime_error naming the address when it cannot.
    WebSocketGateway(boost::asio::io_context& io, WebSocketGatewayOptions options, Routes routes,
                     ServerMetrics& metrics);
    ~WebSocketGateway();
    WebSocketGateway(const WebSocketGateway&) = delete;
    WebSocketGateway& operator=(const WebSocketGateway&) = delete;

    std::string address() const;  // bound, "ip:port"
    size_t upgrading() const;     // connections whose upgrade is under way
    // Stops accepting and closes every upgrade under way: at once on the
    // io_context's thread, from another as soon as the io_context gets to it.
    void stop();

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace tether::server
