// Resumption (docs/rendezvous.md, Resume): a logged-in session holds a
// ticket; when its path drops, the viewer comes back on a new channel with
// the ticket and a proof that it holds the old session's secret, bound to the
// new channel, and is admitted with the old permissions without a password.
// A ticket is good once, and only within the window after its session ended
// without a goodbye; an orderly end revokes it.
#pragma once

#include "net/secure_channel.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

namespace tether::session {

using ResumeKey = std::array<uint8_t, 32>;

// The key a ticket stands for: only the two ends of the issuing channel know it.
ResumeKey resume_key(const net::SecureChannel& issuing, const std::string& ticket_id);
// What the viewer presents on the new channel.
std::array<uint8_t, 32> resume_proof(const ResumeKey& key, const net::SecureChannel& presenting);

class ResumeTickets {
public:
    // `moving`: the viewer leaves a working path, and the holder ends once it
    // read the viewer's last message there (PathMove).
    using EndFn = std::function<void(const std::string& reason, bool moving)>;

    explicit ResumeTickets(std::chrono::milliseconds window, size_t capacity = 4096);
    std::chrono::milliseconds window() const { return window_; }

    // A fresh ticket for session number `session` logged in on `channel`;
    // `end_holder` ends that session when the ticket is redeemed while it still runs.
    std::string issue(const net::SecureChannel& channel, uint32_t permissions, uint64_t session, EndFn end_holder);
    // Its session ended without a goodbye: the window starts now.
    void holder_lost(const std::string& ticket_id);
    void revoke(const std::string& ticket_id);
    // Sessions lost within their window, whose viewers may still come back.
    size_t awaited();
    struct Redeemed {
        uint32_t permissions;
        uint64_t session;  // the session it carries on: services know it by this number
    };
    // What the ticket carries when the proof holds on `channel` and the ticket
    // is live; it is spent either way once it was found.
    std::optional<Redeemed> redeem(const std::string& ticket_id, std::span<const uint8_t> proof,
                                   const net::SecureChannel& channel, bool moving);

private:
    using Clock = std::chrono::steady_clock;
    struct Ticket {
        ResumeKey key;
        uint32_t permissions;
        uint64_t session;
        EndFn end_holder;
        std::optional<Clock::time_point> expires;  // set when its session is lost
    };
    void prune(Clock::time_point now);  // holds mutex_

    const std::chrono::milliseconds window_;
    const size_t capacity_;
    std::mutex mutex_;
    std::unordered_map<std::string, Ticket> tickets_;
};

}  // namespace tether::session
