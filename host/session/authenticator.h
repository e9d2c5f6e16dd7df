// The host's login policy: which passwords open a session, how wrong ones
// are throttled, and which permissions a session may have. Whether someone
// at the host must also say yes is the Confirmer's (confirmer.h).
#pragma once

#include "permissions.h"
#include "security/login_throttle.h"
#include "security/password_store.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace tether::session {

enum class AccessMode {
    Attended,    // the one-time or the permanent password, and a local "yes" when a confirmer is set
    Unattended,  // the permanent password only; nobody is there to read a one-time password
};

struct LoginAttempt {
    std::string source;  // the peer address, port removed by the throttle
    std::string password;
    uint32_t requested = 0;
    // Called once the password holds, before a one-time password is spent: false refuses the
    // login (LoginDecision::no_place) and spends nothing. Unset: there is always a place.
    std::function<bool()> take_place;
};

struct LoginDecision {
    bool ok = false;
    uint32_t granted = 0;
    std::string reason;
    uint32_t retry_after_ms = 0;
    bool no_place = false;  // the password held, but take_place found none
};

class Authenticator {
public:
    Authenticator(AccessMode mode, std::optional<security::PasswordStore> permanent, uint32_t allowed_permissions);

    // [thread-safe] Logins are checked in parallel: the bookkeeping takes a
    // lock, the Argon2id verification of the permanent password does not.
    LoginDecision check(const LoginAttempt& attempt);
    // [thread-safe] Whether the peer's source logged in before (it then keeps
    // its tries when strangers have spent the host's budget).
    bool trusted(const std::string& peer_address) const;
    std::string one_time_password() const;  // empty in unattended mode
    // Called, with no lock held, each time a login spends the one-time password and a new one is made.
    void on_new_password(std::function<void()> notify);
    AccessMode mode() const { return mode_; }

private:
    const AccessMode mode_;
    const std::optional<security::PasswordStore> permanent_;
    const uint32_t allowed_;
    mutable std::mutex mutex_;  // the one-time password
    security::OneTimePassword one_time_;
    std::function<void()> on_new_password_;  // under mutex_
    security::LoginThrottle throttle_;
    std::atomic<std::chrono::steady_clock::duration> last_budget_warning_{std::chrono::steady_clock::duration::min() / 2};
};

}  // namespace tether::session
