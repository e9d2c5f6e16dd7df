#include "source_rate_limiter.h"

#include <algorithm>
#include <functional>
#include <string_view>

namespace tether::server {
namespace {

// Sweeping the whole table is linear, so a flood of new sources sweeps at most this often.
constexpr auto kSourceSweepInterval = std::chrono::seconds(1);

}  // namespace

SourceRateLimiter::SourceRateLimiter(Rate rate, size_t max_sources) : rate_(rate), max_sources_(std::max<size_t>(max_sources, 1)) {}

size_t SourceRateLimiter::KeyHash::operator()(const Key& key) const {
    return std::hash<std::string_view>()(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

SourceRateLimiter::Key SourceRateLimiter::key_of(const boost::asio::ip::address& source) {
    if (source.is_v4()) return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, source.to_v4()).to_bytes();
    Key key = source.to_v6().to_bytes();
    if (!source.to_v6().is_v4_mapped()) std::fill(key.begin() + 8, key.end(), uint8_t{0});
    return key;
}

void SourceRateLimiter::make_room(TokenBucket::Clock::time_point now) {
    if (now - last_sweep_ >= kSourceSweepInterval) {
        last_sweep_ = now;
        std::erase_if(buckets_, [&](const auto& entry) { return entry.second.full(rate_, now); });
    }
    // Every source is busy: one of them loses its history (and gets a full burst back).
    if (buckets_.size() >= max_sources_) buckets_.erase(buckets_.begin());
}

bool SourceRateLimiter::allow(const boost::asio::ip::address& source, TokenBucket::Clock::time_point now) {
    const Key key = key_of(source);
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_sources_) make_room(now);
        it = buckets_.emplace(key, TokenBucket(rate_, now)).first;
    }
    return it->second.take(rate_, now);
}

}  // namespace tether::server
