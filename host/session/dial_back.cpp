#include "dial_back.h"
#include "punch_plan.h"
#include "relay_preface.h"
#include "tcp_punch.h"

#include "rendezvous/wire.h"
#include "security/key_text.h"

#include <spdlog/spdlog.h>

#include <set>

namespace tether::session {
namespace {

using namespace std::chrono_literals;

constexpr auto kDialBackTimeout = 5s;
// A viewer names its own addresses; dialing a stranger's whole list would make this host a scanner.
constexpr size_t kViewerAddressesDialed = 3;
// Dials under way at once: a flood of lookups cannot pile up threads here.
constexpr size_t kMaxDials = 32;
// Relay connections started within a relay's pairing time (10 s): each waits
// there for its viewer, and a relay takes 16 waiting ones from one address.
// Beyond it lookups by strangers would spend that quota for everyone behind
// this host's address; the host skips the relay for them instead.
constexpr size_t kRelayDialsPerWindow = 8;
// UDP punches started within one punch's time, so at most this many at
// once: each may probe a viewer's address two thousand times, or (on a host
// whose NAT varies) hold 256 sockets open.
constexpr size_t kPunchesAtOnce = 4;
constexpr auto kWindow = 10s;
constexpr auto kSkipReportEvery = 10s;

}  // namespace

DialBack::DialBack(std::shared_ptr<Transport> transport, HostServer& server, const security::Identity& identity,
                   RelayRoute relay)
    : transport_(std::move(transport)), server_(server), identity_(identity), relay_(std::move(relay)) {}

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
    const auto relay = relay_.pick(incoming.relay(), incoming.relay_websocket());
    if (relay && allowed(relay_dials_, kRelayDialsPerWindow, kWindow, "relay dials"))
        dial(relay->address, relay->open, relay_preface(incoming.relay_token(), true, identity_), relayed_peer);
    if (const auto mapping = udp_ != nullptr && incoming.has_viewer_udp() ? udp_->mapping() : std::nullopt)
        if (auto plan = punch_plan(*mapping, incoming.viewer_udp(), incoming.punch_token(), TETHER_PUNCH_ACCEPTOR))
            if (allowed(punches_, kPunchesAtOnce, kPunchTimeout, "UDP punches"))
                dial(plan->peer_address, [udp = udp_, plan = *plan] { return udp->punch(plan); }, std::nullopt,
                     plan->peer_address);
    std::set<std::string> dialed;
    for (const auto& addr : incoming.viewer_addrs()) {
        if (dialed.size() == kViewerAddressesDialed) break;
        if (!rendezvous::is_endpoint_text(addr) || !dialed.insert(addr).second) continue;
        dial(addr, {}, std::nullopt, addr);
        if (auto punch = tcp_punch(transport_, server_.address(), addr)) dial(addr, std::move(punch), std::nullopt, addr);
    }
}

bool DialBack::allowed(std::deque<std::chrono::steady_clock::time_point>& starts, size_t limit,
                       std::chrono::seconds window, const std::string& what) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    while (!starts.empty() && now - starts.front() >= window) starts.pop_front();
    if (starts.size() < limit) {
        starts.push_back(now);
        return true;
    }
    skipped(now, what + ": " + std::to_string(limit) + " in the last " + std::to_string(window.count()) + " s already");
    return false;
}

void DialBack::skipped(std::chrono::steady_clock::time_point now, const std::string& why) {
    // Summed up, not a line each: a flood of lookups must not flood the log.
    ++skipped_;
    if (now - skip_reported_ < kSkipReportEvery) return;
    spdlog::warn("skipped {} dial(s) for viewers since the last report ({})", skipped_, why);
    skipped_ = 0;
    skip_reported_ = now;
}

void DialBack::dial(const std::string& address, OpenFn open, std::optional<net::Preface> preface,
                    const std::string& peer) {
    std::lock_guard lock(mutex_);
    reap();
    if (dials_.size() >= kMaxDials) {
        skipped(std::chrono::steady_clock::now(), std::to_string(kMaxDials) + " dials under way");
        return;
    }
    auto done = std::make_shared<bool>(false);
    dials_.push_back({std::thread([this, address, open = std::move(open), preface = std::move(preface), peer,
                                   done]() mutable {
                          try {
                              server_.adopt(open ? open() : transport_->connect(address, kDialBackTimeout), peer,
                                            std::move(preface));
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
