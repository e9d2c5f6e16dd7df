#include "authenticator.h"

#include <spdlog/spdlog.h>

namespace tether::session {

Authenticator::Authenticator(AccessMode mode, std::optional<security::PasswordStore> permanent,
                             uint32_t allowed_permissions, ConfirmFn confirm)
    : mode_(mode), permanent_(std::move(permanent)), allowed_(allowed_permissions), confirm_(std::move(confirm)) {
    if (mode_ == AccessMode::Unattended && !(permanent_ && permanent_->has_password()))
        throw std::runtime_error("unattended access needs a permanent password: set one with `tether passwd`");
}

std::string Authenticator::one_time_password() const {
    std::lock_guard lock(mutex_);
    return mode_ == AccessMode::Attended ? one_time_.current() : std::string();
}

LoginDecision Authenticator::login(const LoginAttempt& attempt) {
    const std::string source = security::source_of(attempt.source);
    bool used_one_time = false;
    {
        std::lock_guard lock(mutex_);
        if (const auto wait = throttle_.retry_after(source)) {
            spdlog::warn("login from {} refused: too many wrong passwords, {} ms to wait", source, wait->count());
            return {false, 0, "too many wrong passwords; try again later", static_cast<uint32_t>(wait->count())};
        }
        used_one_time = mode_ == AccessMode::Attended && one_time_.verify(attempt.password);
        const bool used_permanent = !used_one_time && permanent_ && permanent_->verify(attempt.password);
        if (!used_one_time && !used_permanent) {
            throttle_.failed(source);
            const auto wait = throttle_.retry_after(source);
            return {false, 0, "wrong password", wait ? static_cast<uint32_t>(wait->count()) : 0u};
        }
        throttle_.succeeded(source);
        // A one-time password opens one session only.
        if (used_one_time) one_time_.rotate();
    }
    const uint32_t granted = attempt.requested & allowed_;
    if (granted == 0) return {false, 0, "none of the requested permissions is allowed on this host", 0};
    if (mode_ == AccessMode::Attended && confirm_ && !confirm_(source, granted)) {
        spdlog::info("login from {} declined at the host", source);
        return {false, 0, "declined at the host", 0};
    }
    spdlog::info("login from {} with the {} password; permissions: {}", source, used_one_time ? "one-time" : "permanent",
                 format_permissions(granted));
    return {true, granted, {}, 0};
}

}  // namespace tether::session
