// Relay tokens already used to pair, kept until they expire (after which the
// token check refuses them anyway), so memory follows the pairing rate.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tether::server {

class SpentTokens {
public:
    bool contains(const std::string& session_nonce, int64_t now_unix);
    void add(const std::string& session_nonce, int64_t expiry_unix, int64_t now_unix);
    size_t size() const { return nonces_.size(); }

private:
    void forget_expired(int64_t now_unix);

    using Entry = std::pair<int64_t, std::string>;  // expiry, nonce
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> by_expiry_;
    std::unordered_set<std::string> nonces_;
};

}  // namespace tether::server
