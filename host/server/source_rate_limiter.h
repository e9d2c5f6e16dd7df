// Token buckets per source address, in a table of bounded size: a source that
// has been quiet long enough to refill is forgotten first, so the table never
// grows past max_sources whatever the number of addresses a flood comes from.
// IPv6 sources count per /64, the block one subscriber is usually given.
#pragma once

#include "token_bucket.h"

#include <boost/asio/ip/address.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace tether::server {

class SourceRateLimiter {
public:
    SourceRateLimiter(Rate rate, size_t max_sources);

    // Spends one of the source's tokens; false when it has none left.
    bool allow(const boost::asio::ip::address& source, TokenBucket::Clock::time_point now);
    size_t sources() const { return buckets_.size(); }

private:
    using Key = std::array<uint8_t, 16>;
    struct KeyHash {
        size_t operator()(const Key& key) const;
    };

    static Key key_of(const boost::asio::ip::address& source);
    void make_room(TokenBucket::Clock::time_point now);

    Rate rate_;
    size_t max_sources_;
    TokenBucket::Clock::time_point last_sweep_{};
    std::unordered_map<Key, TokenBucket, KeyHash> buckets_;
};

}  // namespace tether::server
