// What a peer says to a relay before the handshake (docs/rendezvous.md): its
// RelayHello, and the check of the relay's answer, as a SecureChannel preface.
#pragma once

#include "net/secure_channel.h"
#include "rendezvous.pb.h"
#include "security/identity.h"

namespace tether::session {

net::Preface relay_preface(const proto::RelayToken& token, bool host, const security::Identity& presenter);

}  // namespace tether::session
