// The host's login policy: which passwords open a session, how wrong ones
// are throttled, whether someone at the host must confirm, and which
// permissions a session may have.
#pragma once

#include "permissions.h"
#include "security/login_throttle.h"
#include "security/password_store.h"

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
};

struct LoginDecision {
    bool ok = false;
    uint32_t granted = 0;
    std::string reason;
    uint32_t retry_after_ms = 0;
};

class Authenticator {
public:
    // Asks the person at the host; true to let the viewer in.
    using ConfirmFn = std::function<bool(const std::string& source, uint32_t permissions)>;

    Authenticator(AccessMode mode, std::optional<security::PasswordStore> permanent, uint32_t allowed_permissions,
                  ConfirmFn confirm = {});

    LoginDecision login(const LoginAttempt& attempt);
    std::string one_time_password() const;  // empty in unattended mode
    AccessMode mode() const { return mode_; }

private:
    const AccessMode mode_;
    const std::optional<security::PasswordStore> permanent_;
    const uint32_t allowed_;
    const ConfirmFn confirm_;
    mutable std::mutex mutex_;
    security::OneTimePassword one_time_;
    security::LoginThrottle throttle_;
};

}  // namespace tether::session
