#include "host_key_check.h"

#include <spdlog/spdlog.h>

namespace tether::cli {

net::SecureChannel::HostCheck pinned_host_check(security::KnownHosts& known_hosts,
                                                std::optional<std::string> accept_fingerprint, const std::string& address) {
    return [&known_hosts, accept = std::move(accept_fingerprint), address](const std::string& peer_id,
                                                                            const security::PublicKey& key) {
        const std::string offered = security::fingerprint(key);
        const std::string who = security::format_peer_id(peer_id);
        const auto pinned = known_hosts.find(peer_id);
        if (accept && *accept != offered)
            throw net::HandshakeError("host " + who + " offers key " + offered + ", not the " + *accept + " you accepted");
        if (pinned && *pinned == key) return;
        if (pinned && !accept)
            throw net::HandshakeError("HOST KEY CHANGED for " + who + ": pinned " + security::fingerprint(*pinned) +
                                      ", offered " + offered +
                                      ". Someone may be impersonating the host. If the host really has a new key, "
                                      "accept it with: tether connect " + address + " --accept-key " + offered);
        known_hosts.pin(peer_id, key);
        spdlog::info("{} host {} with key {}", pinned ? "re-pinned" : "pinned new", who, offered);
    };
}

}  // namespace tether::cli
