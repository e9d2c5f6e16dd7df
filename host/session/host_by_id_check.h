// What a viewer that reached a host by its ID demands of the key it meets in
// the handshake, before its own pins are consulted: the key the rendezvous
// server vouched for that ID, and an ID the key derives — a server that lies
// can then at worst fail the connection, never introduce another machine
// (unless the user accepts that key's fingerprint on purpose, as for a host
// that moved its ID to a new key).
#pragma once

#include "net/handshake.h"
#include "security/identity.h"

#include <optional>
#include <string>

namespace tether::session {

// Throws net::HandshakeError saying why the key is refused.
void check_host_by_id(const std::string& id, const std::optional<security::PublicKey>& vouched,
                      const std::string& accepted_fingerprint, const std::string& peer_id,
                      const security::PublicKey& key);

}  // namespace tether::session
