#include "relay_pairing.h"

#include "relay_newcomer.h"
#include "relay_session.h"
#include "rendezvous/signatures.h"

namespace tether::server {

void pair_or_wait(const std::shared_ptr<RelayState>& state, const std::shared_ptr<RelayNewcomer>& newcomer,
                  const proto::RelayHello& hello) {
    const proto::RelayToken& token = hello.token();
    const int64_t now = rendezvous::unix_now();
    if (state->spent.contains(token.session_nonce(), now)) return newcomer->refuse({"token already used", true});
    const auto found = state->waiting.find(token.session_nonce());
    if (found != state->waiting.end()) {
        const std::shared_ptr<RelayNewcomer> waiting = found->second;
        if (waiting->is_host() != hello.host()) {
            if (state->session_count >= state->options.max_sessions) return newcomer->refuse({"relay full", true});
            state->spent.add(token.session_nonce(), token.expiry_unix(), now);
            const auto& host = hello.host() ? newcomer : waiting;
            const auto& viewer = hello.host() ? waiting : newcomer;
            return RelaySession::start(state, host->take_peer(), viewer->take_peer());
        }
        if (waiting->still_connected()) return newcomer->refuse({"peer already waiting for this token", true});
        waiting->close();  // it has left, unnoticed so far: the newcomer takes its place
    }
    state->waiting.emplace(token.session_nonce(), newcomer);
    newcomer->wait_for_peer(token.session_nonce(), hello.host());
}

}  // namespace tether::server
