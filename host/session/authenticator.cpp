#include "authenticator.h"

#include <spdlog/spdlog.h>

namespace tether::session {

Authenticator::Authenticator(AccessMode mode, std::optional<security::PasswordStore> permanent,
                             uint32_t allowed_permissions)
    : mode_(mode), permanent_(std::move(permanent)), allowed_(allowed_permissions) {
    if (mode_ == AccessMode::Unattended && !(permanent_ && permanent_->has_password()))
        throw std::runtime_error("unattended access needs a permanent password: set one with `tether passwd`");
}

void Authenticator::on_new_password(std::function<void()> notify) {
    std::lock_guard lock(mutex_);
    on_new_password_ = std::move(notify);
}

std::string Authenticator::one_time_password() const {
    std::lock_guard lock(mutex_);
    return mode_ == AccessMode::Attended ? one_time_.current() : std::string();
}

bool Authenticator::trusted(const std::string& peer_address) const {
    return throttle_.trusted(security::source_of(peer_address));
}

LoginDecision Authenticator::check(const LoginAttempt& attempt) {
    const std::string source = security::source_of(attempt.source);
    if (const auto wait = throttle_.begin(source)) {
        const auto ms = static_cast<uint32_t>(wait->wait.count());
        if (wait->host_wide) {
            // Said once a minute: an attack with many addresses would otherwise write a line per try.
            const auto now = std::chrono::steady_clock::now().time_since_epoch();
            auto last = last_budget_warning_.load();
            if (now - last >= std::chrono::minutes(1) && last_budget_warning_.compare_exchange_strong(last, now))
                spdlog::warn("too many wrong passwords on this host: logins from sources that never logged in "
                             "are refused for now");
            spdlog::debug("login from {} refused: too many wrong passwords on this host, {} ms to wait", source, ms);
            return {false, 0, "too many wrong passwords on this host; try again later", ms};
        }
        spdlog::debug("login from {} refused: too many wrong passwords, {} ms to wait", source, ms);
        return {false, 0, "too many wrong passwords; try again later", ms};
    }
    bool used_one_time = false;
    std::function<void()> notify;
    if (mode_ == AccessMode::Attended) {
        std::lock_guard lock(mutex_);
        used_one_time = one_time_.verify(attempt.password);
        if (used_one_time && attempt.take_place && !attempt.take_place()) return {false, 0, {}, 0, true};
        // A one-time password opens one session only.
        if (used_one_time) {
            one_time_.rotate();
            notify = on_new_password_;
        }
    }
    if (notify) notify();
    if (!used_one_time && !(permanent_ && permanent_->verify(attempt.password))) {
        throttle_.failed(source);
        const auto wait = throttle_.retry_after(source);  // tells the viewer when it may try again
        return {false, 0, "wrong password", wait ? static_cast<uint32_t>(wait->count()) : 0u};
    }
    if (!used_one_time && attempt.take_place && !attempt.take_place()) return {false, 0, {}, 0, true};
    throttle_.succeeded(source);
    const uint32_t granted = attempt.requested & allowed_;
    if (granted == 0) return {false, 0, "none of the requested permissions is allowed on this host", 0};
    spdlog::info("login from {} with the {} password; permissions: {}", source, used_one_time ? "one-time" : "permanent",
                 format_permissions(granted));
    return {true, granted, {}, 0};
}

}  // namespace tether::session
