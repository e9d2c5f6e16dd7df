// Slows down password guessing (DESIGN.md §6, docs/security.md). Per source:
// each wrong password past the second doubles the wait before the next try, so
// a guesser gets a few hundred tries a day instead of thousands a second, while
// a user who mistypes twice waits not at all. For the whole host: sources that
// never logged in share a budget of wrong passwords per minute, so an attacker
// with many addresses gains no more tries than one with a few. Sources that
// logged in before keep their own tries when that budget is spent.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace tether::security {

struct LoginLimits {
    size_t max_sources = 10000;  // sources tracked: bounds memory under a flood of addresses
    int host_wrong_per_minute = 30;
};

class LoginThrottle {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr int kFreeFailures = 2;
    static constexpr std::chrono::milliseconds kFirstDelay{1000};
    static constexpr std::chrono::milliseconds kMaxDelay{5 * 60 * 1000};
    static constexpr std::chrono::hours kIdleExpiry{1};
    static constexpr size_t kMaxTrusted = 4096;
    static constexpr std::chrono::hours kTrustExpiry{24 * 30};

    explicit LoginThrottle(LoginLimits limits = {});

    struct Wait {
        std::chrono::milliseconds wait;
        bool host_wide = false;  // the host's budget, not the source's own
    };

    // Before a password is checked. Returns how long to wait instead when the
    // source, or the host for a source that never logged in, has spent its
    // tries: then the attempt is refused without looking at the password.
    // Otherwise the attempt counts as a wrong password until succeeded() says
    // it was right, so parallel attempts from one source cannot outrun the count.
    std::optional<Wait> begin(const std::string& source, Clock::time_point now = Clock::now());
    // How long the source must wait before its next try, by its own count.
    std::optional<std::chrono::milliseconds> retry_after(const std::string& source,
                                                         Clock::time_point now = Clock::now()) const;
    // The attempt was wrong: logs a warning with the source and the count.
    void failed(const std::string& source);
    // The attempt was right: forgets the source's failures and trusts it.
    void succeeded(const std::string& source, Clock::time_point now = Clock::now());
    // Logged in within kTrustExpiry (at most kMaxTrusted sources are remembered).
    bool trusted(const std::string& source, Clock::time_point now = Clock::now()) const;

private:
    struct Entry {
        std::string source;
        int failures = 0;
        Clock::time_point last_failure;
        Clock::time_point blocked_until;
    };
    using Entries = std::list<Entry>;  // least recently failed first
    struct Trust {
        std::string source;
        Clock::time_point since;
    };
    using Trusted = std::list<Trust>;  // least recently logged in first

    void expire(Clock::time_point now);
    std::optional<std::chrono::milliseconds> wait_locked(const std::string& source, Clock::time_point now) const;
    bool trusted_locked(const std::string& source, Clock::time_point now) const;
    // The host's budget: a token per wrong password, refilled over a minute.
    std::optional<std::chrono::milliseconds> take_host_token(Clock::time_point now);
    // The source's entry, made room for by forgetting a source that is not
    // being punished now; null when every tracked source is.
    Entry* entry_for(const std::string& source, Clock::time_point now);

    const LoginLimits limits_;
    mutable std::mutex mutex_;  // sessions on several threads share one throttle
    Entries entries_;
    std::unordered_map<std::string, Entries::iterator> by_source_;
    Trusted trusted_;
    std::unordered_map<std::string, Trusted::iterator> trusted_by_source_;
    double host_tokens_;
    Clock::time_point host_refilled_{};
};

// The address part of "1.2.3.4:5678", or the /64 of "[2001:db8::7]:5"; the
// port changes with every connection and an IPv6 user holds a whole /64, so
// throttling by either would throttle nothing.
std::string source_of(const std::string& peer_address);

}  // namespace tether::security
