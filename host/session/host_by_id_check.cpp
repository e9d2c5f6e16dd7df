#include "host_by_id_check.h"

namespace tether::session {

void check_host_by_id(const std::string& id, const std::optional<security::PublicKey>& vouched,
                      const std::string& accepted_fingerprint, const std::string& peer_id,
                      const security::PublicKey& key) {
    const std::string shown_id = "ID " + security::format_peer_id(id);
    const std::string offered = security::fingerprint(key);
    if (peer_id != id && offered != accepted_fingerprint)
        throw net::HandshakeError("the host answering for " + shown_id + " is ID " + security::format_peer_id(peer_id) +
                                  " (key " + offered +
                                  "): IDs come from keys, so this is another machine. If that host really moved " +
                                  shown_id + " to a new key, check its fingerprint with it and connect with "
                                  "--accept-key " + offered);
    if (!vouched || key != *vouched)
        throw net::HandshakeError("the host answering for " + shown_id + " offers key " + offered +
                                  ", not the one the rendezvous server vouches for" +
                                  (vouched ? " (" + security::fingerprint(*vouched) + ")" : ""));
}

}  // namespace tether::session
