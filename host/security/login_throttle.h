// Slows down password guessing per source address (DESIGN.md §6). Each wrong password
// past the second doubles the wait before the next try, so a guesser gets a few hundred
// tries a day instead of thousands a second, while a user who mistypes twice waits not at all.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace tether::security {

class LoginThrottle {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr int kFreeFailures = 2;
    static constexpr std::chrono::milliseconds kFirstDelay{1000};
    static constexpr std::chrono::milliseconds kMaxDelay{5 * 60 * 1000};
    static constexpr std::chrono::hours kIdleExpiry{1};
    static constexpr size_t kMaxSources = 10000;  // bounds memory under a flood of addresses

    // How long `source` must still wait; nullopt when it may try now.
    std::optional<std::chrono::milliseconds> retry_after(const std::string& source,
                                                         Clock::time_point now = Clock::now());
    // Counts a wrong password and logs a warning with the source and the count.
    void failed(const std::string& source, Clock::time_point now = Clock::now());
    // Forgets the source.
    void succeeded(const std::string& source);

private:
    struct Entry {
        std::string source;
        int failures = 0;
        Clock::time_point last_failure;
        Clock::time_point blocked_until;
    };
    using Entries = std::list<Entry>;  // least recently failed first

    void expire(Clock::time_point now);

    std::mutex mutex_;  // sessions on several network threads share one throttle
    Entries entries_;
    std::unordered_map<std::string, Entries::iterator> by_source_;
};

// The address part of "1.2.3.4:5678", or the /64 of "[2001:db8::7]:5"; the
// port changes with every connection and an IPv6 user holds a whole /64, so
// throttling by either would throttle nothing.
std::string source_of(const std::string& peer_address);

}  // namespace tether::security
