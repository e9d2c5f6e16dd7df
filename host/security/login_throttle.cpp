#include "login_throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

namespace tether::security {

void LoginThrottle::expire(Clock::time_point now) {
    while (!entries_.empty() && now - entries_.front().last_failure >= kIdleExpiry) {
        by_source_.erase(entries_.front().source);
        entries_.pop_front();
    }
}

std::optional<std::chrono::milliseconds> LoginThrottle::retry_after(const std::string& source, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    expire(now);
    const auto it = by_source_.find(source);
    if (it == by_source_.end() || now >= it->second->blocked_until) return std::nullopt;
    return std::chrono::ceil<std::chrono::milliseconds>(it->second->blocked_until - now);
}

void LoginThrottle::failed(const std::string& source, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    expire(now);
    auto found = by_source_.find(source);
    if (found == by_source_.end()) {
        if (entries_.size() >= kMaxSources) {
            by_source_.erase(entries_.front().source);
            entries_.pop_front();
        }
        entries_.push_back(Entry{.source = source, .failures = 0, .last_failure = now, .blocked_until = now});
        found = by_source_.emplace(source, std::prev(entries_.end())).first;
    } else {
        entries_.splice(entries_.end(), entries_, found->second);  // now the most recent
    }
    Entry& entry = *found->second;
    if (entry.failures < std::numeric_limits<int>::max()) ++entry.failures;
    entry.last_failure = now;
    if (entry.failures > kFreeFailures) {
        // 1 s doubles per failure; the shift stops growing long before it could overflow.
        const int doublings = std::min(entry.failures - kFreeFailures - 1, 20);
        entry.blocked_until = now + std::min(kFirstDelay * (1 << doublings), kMaxDelay);
    }
    spdlog::warn("wrong password from {} ({} in a row)", source, entry.failures);
}

void LoginThrottle::succeeded(const std::string& source) {
    std::lock_guard lock(mutex_);
    const auto it = by_source_.find(source);
    if (it == by_source_.end()) return;
    entries_.erase(it->second);
    by_source_.erase(it);
}

namespace {

// One IPv6 subscriber usually holds a whole /64, so a source is its /64:
// otherwise each of its 2^64 addresses would get tries of its own.
std::string ipv6_source(const std::string& address) {
    in6_addr a{};
    if (inet_pton(AF_INET6, address.substr(0, address.find('%')).c_str(), &a) != 1) return address;
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
        char v4[INET_ADDRSTRLEN];
        return inet_ntop(AF_INET, &a.s6_addr[12], v4, sizeof v4) ? std::string(v4) : address;
    }
    std::memset(&a.s6_addr[8], 0, 8);
    char text[INET6_ADDRSTRLEN];
    return inet_ntop(AF_INET6, &a, text, sizeof text) ? std::string(text) + "/64" : address;
}

}  // namespace

std::string source_of(const std::string& peer_address) {
    if (peer_address.starts_with('[')) {
        const size_t close = peer_address.find(']');
        return ipv6_source(close == std::string::npos ? peer_address : peer_address.substr(1, close - 1));
    }
    const size_t colon = peer_address.find(':');
    if (colon == std::string::npos) return peer_address;
    // More than one colon: a bare IPv6 address, which has no port.
    if (peer_address.find(':', colon + 1) != std::string::npos) return ipv6_source(peer_address);
    return peer_address.substr(0, colon);
}

}  // namespace tether::security
