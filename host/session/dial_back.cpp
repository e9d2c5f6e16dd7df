#include "dial_back.h"
#include "relay_preface.h"

#include "rendezvous/wire.h"
#include "security/key_text.h"

#include <spdlog/spdlog.h>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

constexpr auto kDialTimeout = 5s;
// A viewer names its own addresses; dialing a stranger's whole list would make this host a scanner.
constexpr int kViewerAddressesDialed = 3;
// Dials under way at once: a flood of lookups cannot pile up threads here.
constexpr size_t kMaxDials = 32;

}  // namespace

DialBack::DialBack(std::shared_ptr<Transport> transport, HostServer& server, const security::Identity& identity)
    : transport_(std::move(transport)), server_(server), identity_(identity) {}

DialBack::~DialBack() {
    std::vector<Dial> dials;
    {
        std::lock_guard lock(mutex_);
        dials.swap(dials_);
    }
    // Outside the lock, which each dial takes as it ends.
    for (auto& d : dials) d.thread.join();
}

void DialBack::on_incoming(const proto::Incoming& incoming) {
    // Relayed viewers all come from the relay's address: each is its own source, named by its one-off key.
    const std::string relayed_peer =
        "relayed-" + security::to_hex({reinterpret_cast<const uint8_t*>(incoming.relay_token().viewer_key().data()),
                                       std::min<size_t>(8, incoming.relay_token().viewer_key().size())});
    if (!incoming.relay().empty())
        dial(incoming.relay(), relay_preface(incoming.relay_token(), true, identity_), relayed_peer);
    int dialed = 0;
    for (const auto& addr : incoming.viewer_addrs()) {
        if (dialed == kViewerAddressesDialed) break;
        if (!rendezvous::is_endpoint_text(addr)) continue;
        dial(addr, std::nullopt, addr);
        ++dialed;
    }
}

void DialBack::dial(const std::string& address, std::optional<net::Preface> preface, const std::string& peer) {
    std::lock_guard lock(mutex_);
    reap();
    if (dials_.size() >= kMaxDials) {
        spdlog::warn("not dialing {}: {} dials under way already", address, kMaxDials);
        return;
    }
    auto done = std::make_shared<bool>(false);
    dials_.push_back({std::thread([this, address, preface = std::move(preface), peer, done]() mutable {
                          try {
                              server_.adopt(transport_->connect(address, kDialTimeout), peer, std::move(preface));
                          } catch (const std::exception& e) {
                              spdlog::debug("dialing {} for a viewer: {}", address, e.what());
                          }
                          std::lock_guard lock(mutex_);
                          *done = true;
                      }),
                      done});
}

void DialBack::reap() {
    for (auto it = dials_.begin(); it != dials_.end();) {
        if (!*it->done) {
            ++it;
            continue;
        }
        it->thread.join();
        it = dials_.erase(it);
    }
}

}  // namespace tether::session
