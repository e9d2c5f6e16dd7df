#include "connect_cookie.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace tether::udp {
namespace {

using namespace std::chrono_literals;

// A cookie holds for the period it was made in and the next.
constexpr auto kCookiePeriod = 30s;
// How long a verified address's connects are taken, and how many are kept.
constexpr auto kVerifiedFor = 60s;
constexpr size_t kMostVerified = 256;

uint64_t period_of(Clock::time_point now) {
    return static_cast<uint64_t>(now.time_since_epoch() / kCookiePeriod);
}

}  // namespace

ConnectCookies::ConnectCookies() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
    randombytes_buf(key_.data(), key_.size());
}

Token ConnectCookies::cookie_for(const Address& source, uint64_t period) const {
    std::array<uint8_t, sizeof source.ip + sizeof source.port + sizeof period> input{};
    std::memcpy(input.data(), &source.ip, sizeof source.ip);
    std::memcpy(input.data() + sizeof source.ip, &source.port, sizeof source.port);
    std::memcpy(input.data() + sizeof source.ip + sizeof source.port, &period, sizeof period);
    Token cookie{};
    crypto_generichash(cookie.data(), cookie.size(), input.data(), input.size(), key_.data(), key_.size());
    return cookie;
}

Token ConnectCookies::cookie_for(const Address& source, Clock::time_point now) const {
    return cookie_for(source, period_of(now));
}

bool ConnectCookies::take_echo(const Address& source, const Token& cookie, Clock::time_point now) {
    const uint64_t period = period_of(now);
    if (!same_token(cookie, cookie_for(source, period)) && !same_token(cookie, cookie_for(source, period - 1)))
        return false;
    std::erase_if(verified_, [&](const Verified& v) { return v.source == source || v.until <= now; });
    if (verified_.size() >= kMostVerified) verified_.pop_front();
    verified_.push_back({source, now + kVerifiedFor});
    return true;
}

bool ConnectCookies::answers(const Address& source, Clock::time_point now) const {
    return std::ranges::any_of(verified_, [&](const Verified& v) { return v.source == source && v.until > now; });
}

}  // namespace tether::udp
