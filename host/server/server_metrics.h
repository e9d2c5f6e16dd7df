// What `tether serve` counts, in one prometheus-cpp registry that the
// /metrics endpoint exposes (docs/deployment.md lists every series).
// Counters and gauges are atomic: any thread may touch them.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tether::server {

class ServerMetrics {
public:
    ServerMetrics();
    ServerMetrics(const ServerMetrics&) = delete;
    ServerMetrics& operator=(const ServerMetrics&) = delete;

    // Counts one refusal under its reason ("rate", "forged token", ...); reasons are a short fixed set.
    void refuse(std::string_view reason);
    double refusals(std::string_view reason);  // for tests and benches

    const std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    prometheus::Gauge& peers_online;       // hosts registered now
    prometheus::Counter& registrations;    // accepted registrations, re-registrations included
    prometheus::Counter& lookups;          // answered lookups, found or not
    prometheus::Gauge& relay_sessions;     // paired relay sessions now
    prometheus::Gauge& relay_unpaired;     // relay connections waiting for their peer
    prometheus::Counter& relayed_bytes;    // bytes copied by the relay, both directions
    prometheus::Gauge& relays_known;       // relays the rendezvous server can assign
    prometheus::Gauge& websocket_upgrading;    // WebSocket connections whose upgrade is under way
    prometheus::Counter& websocket_upgrades;   // upgrades answered and handed to their path's server

private:
    prometheus::Family<prometheus::Counter>& refusals_;
    std::mutex mutex_;
    std::unordered_map<std::string, prometheus::Counter*> by_reason_;
};

}  // namespace tether::server
