#include "relay_directory.h"

#include "endpoint_text.h"
#include "rendezvous/wire.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <stdexcept>

namespace tether::server {
namespace {

bool is_port_text(std::string_view text) {
    unsigned port = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    return !text.empty() && error == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

bool is_dns_name(std::string_view host) {
    return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
}

bool is_this_machine(std::string_view relay) { return relay.starts_with(':') && is_port_text(relay.substr(1)); }

}  // namespace

bool is_relay_address_text(std::string_view text) {
    if (text.size() > kMaxRelayAddress) return false;
    if (rendezvous::is_endpoint_text(text)) return text.find('%') == std::string_view::npos;
    const size_t colon = text.rfind(':');
    return colon != std::string_view::npos && is_dns_name(text.substr(0, colon)) && is_port_text(text.substr(colon + 1));
}

bool is_relay_announce_text(const proto::RelayAnnounce& announce) {
    return is_relay_address_text(announce.addr()) &&
           (announce.websocket_addr().empty() || is_relay_address_text(announce.websocket_addr()));
}

RelayDirectory::RelayDirectory(std::vector<std::string> configured, bool websocket_here)
    : configured_(std::move(configured)), websocket_here_(websocket_here) {
    for (const auto& relay : configured_)
        if (!is_this_machine(relay) && !is_relay_address_text(relay))
            throw std::invalid_argument("relay \"" + relay + "\" is neither host:port nor :PORT");
}

bool RelayDirectory::announce(const proto::RelayAnnounce& announce, Clock::time_point now) {
    auto it = announced_.find(announce.addr());
    if (it == announced_.end()) {
        expire(now);
        if (announced_.size() >= kMaxAnnouncedRelays) return false;
        it = announced_.emplace(announce.addr(), Load{}).first;
    }
    it->second = {announce.sessions(), announce.capacity(), now + kRelayAnnounceLifetime, announce.websocket_addr()};
    return true;
}

void RelayDirectory::withdraw(const std::string& addr) { announced_.erase(addr); }

void RelayDirectory::expire(Clock::time_point now) {
    std::erase_if(announced_, [&](const auto& entry) { return entry.second.expires <= now; });
}

size_t RelayDirectory::known() const {
    const auto announced_only = std::count_if(announced_.begin(), announced_.end(), [&](const auto& entry) {
        return std::find(configured_.begin(), configured_.end(), entry.first) == configured_.end();
    });
    return configured_.size() + static_cast<size_t>(announced_only);
}

AssignedRelay RelayDirectory::assign() const {
    std::string best;
    double best_load = std::numeric_limits<double>::infinity();
    const auto consider = [&](const std::string& relay, double load) {
        if (load < best_load) {
            best = relay;
            best_load = load;
        }
    };
    const auto load_of = [](const Load& l) {
        return l.sessions >= l.capacity ? std::numeric_limits<double>::infinity()
                                        : static_cast<double>(l.sessions) / static_cast<double>(l.capacity);
    };
    for (const auto& relay : configured_) {
        const auto it = announced_.find(relay);
        consider(relay, it == announced_.end() ? 0.0 : load_of(it->second));
    }
    for (const auto& [relay, load] : announced_) consider(relay, load_of(load));
    return {best, best.empty() ? std::string() : websocket_of(best)};
}

std::string RelayDirectory::websocket_of(const std::string& relay) const {
    const auto it = announced_.find(relay);
    if (it != announced_.end() && !it->second.websocket.empty()) return it->second.websocket + std::string(kRelayPath);
    return is_this_machine(relay) && websocket_here_ ? std::string(kRelayPath) : std::string();
}

std::string relay_address_for(const std::string& relay, const boost::asio::ip::address& local) {
    if (!is_this_machine(relay)) return relay;
    return endpoint_text(local, static_cast<uint16_t>(std::stoi(relay.substr(1))));
}

}  // namespace tether::server
