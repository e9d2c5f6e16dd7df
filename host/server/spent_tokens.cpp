#include "spent_tokens.h"

namespace tether::server {

bool SpentTokens::contains(const std::string& session_nonce, int64_t now_unix) {
    forget_expired(now_unix);
    return nonces_.contains(session_nonce);
}

void SpentTokens::add(const std::string& session_nonce, int64_t expiry_unix, int64_t now_unix) {
    forget_expired(now_unix);
    if (nonces_.insert(session_nonce).second) by_expiry_.emplace(expiry_unix, session_nonce);
}

void SpentTokens::forget_expired(int64_t now_unix) {
    // check_relay_token refuses a token only once expiry < now: keep it through its last second.
    while (!by_expiry_.empty() && by_expiry_.top().first < now_unix) {
        nonces_.erase(by_expiry_.top().second);
        by_expiry_.pop();
    }
}

}  // namespace tether::server
