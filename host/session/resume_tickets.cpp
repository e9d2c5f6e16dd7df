#include "resume_tickets.h"
#include "protocol.h"

#include <sodium.h>

namespace tether::session {

ResumeKey resume_key(const net::SecureChannel& issuing, const std::string& ticket_id) {
    return issuing.exporter("tether resume", {reinterpret_cast<const uint8_t*>(ticket_id.data()), ticket_id.size()});
}

std::array<uint8_t, 32> resume_proof(const ResumeKey& key, const net::SecureChannel& presenting) {
    const auto binding = presenting.exporter("tether resume binding");
    std::array<uint8_t, 32> proof{};
    crypto_generichash(proof.data(), proof.size(), binding.data(), binding.size(), key.data(), key.size());
    return proof;
}

ResumeTickets::ResumeTickets(std::chrono::milliseconds window, size_t capacity) : window_(window), capacity_(capacity) {}

std::string ResumeTickets::issue(const net::SecureChannel& channel, uint32_t permissions, uint64_t session,
                                 EndFn end_holder) {
    std::string id(kResumeTicketBytes, '\0');
    randombytes_buf(id.data(), id.size());
    std::lock_guard lock(mutex_);
    prune(Clock::now());
    // Full of live sessions' tickets: the newest session goes without one rather than evict another's.
    if (tickets_.size() >= capacity_) return {};
    tickets_[id] = Ticket{resume_key(channel, id), permissions, session, std::move(end_holder), std::nullopt};
    return id;
}

void ResumeTickets::holder_lost(const std::string& ticket_id) {
    std::lock_guard lock(mutex_);
    if (const auto it = tickets_.find(ticket_id); it != tickets_.end()) {
        it->second.expires = Clock::now() + window_;
        it->second.end_holder = nullptr;
    }
}

size_t ResumeTickets::awaited() {
    std::lock_guard lock(mutex_);
    prune(Clock::now());
    return static_cast<size_t>(std::ranges::count_if(tickets_, [](const auto& entry) { return entry.second.expires.has_value(); }));
}

void ResumeTickets::revoke(const std::string& ticket_id) {
    std::lock_guard lock(mutex_);
    tickets_.erase(ticket_id);
}

std::optional<ResumeTickets::Redeemed> ResumeTickets::redeem(const std::string& ticket_id,
                                                             std::span<const uint8_t> proof,
                                                             const net::SecureChannel& channel, bool moving) {
    Ticket ticket;
    {
        std::lock_guard lock(mutex_);
        prune(Clock::now());
        const auto it = tickets_.find(ticket_id);
        if (it == tickets_.end()) return std::nullopt;
        ticket = std::move(it->second);
        tickets_.erase(it);  // single use, whatever the proof
    }
    const auto expected = resume_proof(ticket.key, channel);
    if (proof.size() != expected.size() || sodium_memcmp(proof.data(), expected.data(), expected.size()) != 0)
        return std::nullopt;
    // The old path may not have noticed it is gone: it ends now, outside the lock.
    if (ticket.end_holder) ticket.end_holder(moving ? "the viewer moved to another path" : "the viewer resumed on another path", moving);
    return Redeemed{ticket.permissions, ticket.session};
}

void ResumeTickets::prune(Clock::time_point now) {
    std::erase_if(tickets_, [now](const auto& entry) { return entry.second.expires && *entry.second.expires <= now; });
}

}  // namespace tether::session
