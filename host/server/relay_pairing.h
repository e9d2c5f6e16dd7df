// Pairs the host and the viewer that present one token: the second to come
// meets the first in the waiting room; a token pairs once.
#pragma once

#include "relay_state.h"
#include "rendezvous.pb.h"

#include <memory>

namespace tether::server {

class RelayNewcomer;

// `newcomer`'s hello has checked out: pair it, refuse it, or let it wait.
void pair_or_wait(const std::shared_ptr<RelayState>& state, const std::shared_ptr<RelayNewcomer>& newcomer,
                  const proto::RelayHello& hello);

}  // namespace tether::server
