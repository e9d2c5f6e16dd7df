#include "host_key_check.h"

#include "context.h"
#include "security/pin_name.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <vector>

namespace tether::cli {
namespace {

// What known_hosts says about one key under all the names of the host offering it.
struct PinState {
    std::string changed;  // "NAME (pinned FINGERPRINT)" for each name pinned to another key
    bool all_match = true;
    bool none_pinned = true;
};

std::string shown(const std::string& name) {
    return security::is_peer_id(name) ? "ID " + security::format_peer_id(name) : name;
}

PinState compare_pins(const security::KnownHosts& known_hosts, const std::vector<std::string>& names,
                      const security::PublicKey& key) {
    PinState state;
    for (const auto& name : names) {
        const auto pinned = known_hosts.find(name);
        if (pinned) state.none_pinned = false;
        if (pinned == key) continue;
        state.all_match = false;
        if (!pinned) continue;
        if (!state.changed.empty()) state.changed += " and ";
        state.changed += shown(name) + " (pinned " + security::fingerprint(*pinned) + ")";
    }
    return state;
}

std::string typed_pin_name(const std::string& address) {
    try {
        return security::pin_name_of(address);
    } catch (const std::invalid_argument& e) {
        throw UsageError(address + ": " + e.what());
    }
}

}  // namespace

net::SecureChannel::HostCheck pinned_host_check(security::KnownHosts& known_hosts,
                                                std::optional<std::string> accept_fingerprint, const std::string& address) {
    return [&known_hosts, accept = std::move(accept_fingerprint), address, typed = typed_pin_name(address)](
               const std::string& peer_id, const security::PublicKey& key) {
        const std::string offered = security::fingerprint(key);
        const std::string who = "host " + security::format_peer_id(peer_id) + " at " + address;
        if (accept && *accept != offered)
            throw net::HandshakeError(who + " offers key " + offered + ", not the " + *accept + " you accepted");
        // The typed name is what catches an impostor: its new key comes with a new peer ID.
        std::vector<std::string> names{typed};
        if (peer_id != typed) names.push_back(peer_id);
        const PinState pins = compare_pins(known_hosts, names, key);
        if (pins.all_match) return;
        if (!pins.changed.empty() && !accept)
            throw net::HandshakeError("HOST KEY CHANGED for " + pins.changed + ": " + who + " offers " + offered +
                                      ". Someone may be impersonating the host. If the host really has a new key, "
                                      "accept it with: tether connect " + address + " --accept-key " + offered);
        known_hosts.pin(names, key);
        if (accept)
            spdlog::info("pinned the key you accepted, {}, for {}", offered, who);
        else if (pins.none_pinned)
            spdlog::info("first connection to {}: pinned its key {}. Check that `tether host` or `tether id` on that "
                         "machine shows this fingerprint; until then any machine could be answering",
                         who, offered);
        // Otherwise one name already holds this very key: the same host reached at a new address.
    };
}

}  // namespace tether::cli
