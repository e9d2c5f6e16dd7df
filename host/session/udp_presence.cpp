#include "udp_presence.h"

#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

#include <spdlog/spdlog.h>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

// Well inside the 30 s a Linux NAT keeps a UDP mapping that saw no reply.
constexpr auto kRefresh = 10s;
constexpr auto kRetry = 3s;

}  // namespace

UdpPresence::UdpPresence(std::shared_ptr<Transport> transport, const security::Identity& identity, std::string server)
    : identity_(identity),
      server_(std::move(server)),
      port_(transport->open_port("0.0.0.0:0", replies_.sink())),
      thread_(&UdpPresence::run, this) {}

UdpPresence::~UdpPresence() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    stop_.notify_all();
    thread_.join();
    port_->close();
}

std::optional<UdpMapping> UdpPresence::mapping() const {
    std::lock_guard lock(mutex_);
    return mapping_;
}

void UdpPresence::refresh(std::function<void()> done) {
    {
        std::lock_guard lock(mutex_);
        refresh_ = true;
        if (done) after_refresh_.push_back(std::move(done));
    }
    stop_.notify_all();
}

std::unique_ptr<Connection> UdpPresence::punch(const PunchPlan& plan) { return port_->punch(plan); }

void UdpPresence::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        refresh_ = false;
        auto after = std::exchange(after_refresh_, {});
        lock.unlock();
        std::optional<UdpMapping> mapping;
        try {
            const std::string server = udp_server_address(server_);
            mapping = learn_mapping(*port_, replies_, server);
            if (mapping && !register_once(server, *mapping)) mapping.reset();
        } catch (const std::exception& e) {
            spdlog::debug("rendezvous over UDP: {}", e.what());
        }
        lock.lock();
        if (mapping && (!mapping_ || mapping_->observed != mapping->observed || mapping_->varies != mapping->varies))
            spdlog::info("UDP port {} seen as {} ({})", port_->address(), mapping->observed,
                         mapping->varies ? "the NAT maps a new port per destination" : "one port for every destination");
        mapping_ = mapping;
        lock.unlock();
        for (const auto& done : after) done();
        lock.lock();
        stop_.wait_for(lock, mapping ? kRefresh : kRetry, [&] { return stopping_ || refresh_; });
    }
}

bool UdpPresence::register_once(const std::string& server, const UdpMapping& mapping) {
    proto::RendezvousMessage request;
    auto& reg = *request.mutable_register_();
    reg.set_id(identity_.peer_id);
    reg.set_key(rendezvous::key_bytes(identity_.public_key));
    reg.set_udp_varies(mapping.varies);
    const auto challenge = ask_over_udp(*port_, replies_, server, request,
                                        [](const proto::RendezvousMessage& m) { return m.has_challenge(); });
    if (!challenge) return false;
    const std::string& cookie = challenge->challenge().nonce();
    const auto proof = security::sign(
        identity_, rendezvous::register_proof_message(
                       identity_.peer_id, {reinterpret_cast<const uint8_t*>(cookie.data()), cookie.size()}));
    reg.set_cookie(cookie);
    reg.set_proof(std::string(proof.begin(), proof.end()));
    return ask_over_udp(*port_, replies_, server, request,
                        [](const proto::RendezvousMessage& m) { return m.has_registered(); })
        .has_value();
}

}  // namespace tether::session
