#include "login_throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

namespace tether::security {

LoginThrottle::LoginThrottle(LoginLimits limits) : limits_(limits), host_tokens_(limits.host_wrong_per_minute) {}

void LoginThrottle::expire(Clock::time_point now) {
    while (!entries_.empty() && now - entries_.front().last_failure >= kIdleExpiry) {
        by_source_.erase(entries_.front().source);
        entries_.pop_front();
    }
    while (!trusted_.empty() && now - trusted_.front().since >= kTrustExpiry) {
        trusted_by_source_.erase(trusted_.front().source);
        trusted_.pop_front();
    }
}

bool LoginThrottle::trusted_locked(const std::string& source, Clock::time_point now) const {
    const auto it = trusted_by_source_.find(source);
    return it != trusted_by_source_.end() && now - it->second->since < kTrustExpiry;
}

bool LoginThrottle::trusted(const std::string& source, Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    return trusted_locked(source, now);
}

std::optional<std::chrono::milliseconds> LoginThrottle::take_host_token(Clock::time_point now) {
    const double budget = limits_.host_wrong_per_minute;
    const double per_second = budget / 60.0;
    if (host_refilled_ == Clock::time_point{}) host_refilled_ = now;
    const double elapsed = std::chrono::duration<double>(now - host_refilled_).count();
    host_tokens_ = std::min(budget, host_tokens_ + std::max(0.0, elapsed) * per_second);
    host_refilled_ = now;
    if (host_tokens_ < 1) {
        const auto wait = std::chrono::duration<double>((1 - host_tokens_) / per_second);
        return std::chrono::ceil<std::chrono::milliseconds>(wait);
    }
    host_tokens_ -= 1;
    return std::nullopt;
}

LoginThrottle::Entry* LoginThrottle::entry_for(const std::string& source, Clock::time_point now) {
    if (const auto found = by_source_.find(source); found != by_source_.end()) {
        entries_.splice(entries_.end(), entries_, found->second);  // now the most recent
        return &*found->second;
    }
    if (entries_.size() >= limits_.max_sources) {
        // Forgetting a source that is waiting out its punishment would let it
        // start over, and a flood of new addresses would do just that.
        const auto idle = std::ranges::find_if(entries_, [&](const Entry& e) { return e.blocked_until <= now; });
        if (idle == entries_.end()) return nullptr;
        by_source_.erase(idle->source);
        entries_.erase(idle);
    }
    entries_.push_back(Entry{.source = source, .failures = 0, .last_failure = now, .blocked_until = now});
    by_source_.emplace(source, std::prev(entries_.end()));
    return &entries_.back();
}

std::optional<LoginThrottle::Wait> LoginThrottle::begin(const std::string& source, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    expire(now);
    if (const auto wait = wait_locked(source, now)) return Wait{*wait, false};
    if (!trusted_locked(source, now)) {
        if (const auto wait = take_host_token(now)) return Wait{*wait, true};
    }
    Entry* entry = entry_for(source, now);
    if (entry == nullptr) return Wait{kFirstDelay, true};
    if (entry->failures < std::numeric_limits<int>::max()) ++entry->failures;
    entry->last_failure = now;
    if (entry->failures > kFreeFailures) {
        // 1 s doubles per failure; the shift stops growing long before it could overflow.
        const int doublings = std::min(entry->failures - kFreeFailures - 1, 20);
        entry->blocked_until = now + std::min(kFirstDelay * (1 << doublings), kMaxDelay);
    }
    return std::nullopt;
}

std::optional<std::chrono::milliseconds> LoginThrottle::retry_after(const std::string& source,
                                                                    Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    return wait_locked(source, now);
}

std::optional<std::chrono::milliseconds> LoginThrottle::wait_locked(const std::string& source,
                                                                    Clock::time_point now) const {
    const auto it = by_source_.find(source);
    if (it == by_source_.end() || now >= it->second->blocked_until) return std::nullopt;
    return std::chrono::ceil<std::chrono::milliseconds>(it->second->blocked_until - now);
}

void LoginThrottle::failed(const std::string& source) {
    std::lock_guard lock(mutex_);
    const auto it = by_source_.find(source);
    spdlog::warn("wrong password from {} ({} in a row)", source, it == by_source_.end() ? 1 : it->second->failures);
}

void LoginThrottle::succeeded(const std::string& source, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (const auto it = by_source_.find(source); it != by_source_.end()) {
        entries_.erase(it->second);
        by_source_.erase(it);
    }
    if (const auto it = trusted_by_source_.find(source); it != trusted_by_source_.end()) {
        trusted_.erase(it->second);
        trusted_by_source_.erase(it);
    } else {
        // Its attempt took one of the host's tokens, and it was no guess.
        host_tokens_ = std::min<double>(limits_.host_wrong_per_minute, host_tokens_ + 1);
        if (trusted_.size() >= kMaxTrusted) {
            trusted_by_source_.erase(trusted_.front().source);
            trusted_.pop_front();
        }
    }
    trusted_.push_back(Trust{source, now});
    trusted_by_source_.emplace(source, std::prev(trusted_.end()));
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
