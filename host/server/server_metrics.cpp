#include "server_metrics.h"

namespace tether::server {
namespace {

prometheus::Gauge& gauge(prometheus::Registry& registry, const std::string& name, const std::string& help) {
    return prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({});
}

prometheus::Counter& counter(prometheus::Registry& registry, const std::string& name, const std::string& help) {
    return prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

ServerMetrics::ServerMetrics()
    : peers_online(gauge(*registry, "tether_peers_online", "Hosts registered with the rendezvous server now")),
      registrations(counter(*registry, "tether_registrations_total", "Registrations accepted, renewals included")),
      lookups(counter(*registry, "tether_lookups_total", "Lookups answered, found or not")),
      relay_sessions(gauge(*registry, "tether_relay_sessions", "Relayed sessions paired now")),
      relay_unpaired(gauge(*registry, "tether_relay_unpaired", "Relay connections waiting for their peer")),
      relayed_bytes(counter(*registry, "tether_relayed_bytes_total", "Bytes copied by the relay, both directions")),
      relays_known(gauge(*registry, "tether_relays_known", "Relays the rendezvous server assigns")),
      websocket_upgrading(gauge(*registry, "tether_websocket_upgrading", "WebSocket connections whose upgrade is under way")),
      websocket_upgrades(counter(*registry, "tether_websocket_upgrades_total",
                                 "WebSocket upgrades answered and handed to the relay or the rendezvous server")),
      refusals_(prometheus::BuildCounter()
                    .Name("tether_refusals_total")
                    .Help("Requests and connections refused, by reason")
                    .Register(*registry)) {}

void ServerMetrics::refuse(std::string_view reason) {
    prometheus::Counter* c;
    {
        std::lock_guard lock(mutex_);
        auto& slot = by_reason_[std::string(reason)];
        if (!slot) slot = &refusals_.Add({{"reason", std::string(reason)}});
        c = slot;
    }
    c->Increment();
}

double ServerMetrics::refusals(std::string_view reason) {
    std::lock_guard lock(mutex_);
    const auto it = by_reason_.find(std::string(reason));
    return it == by_reason_.end() ? 0 : it->second->Value();
}

}  // namespace tether::server
