// A host's answer to a viewer the rendezvous server announces (Incoming):
// dial the viewer where it listens (and from this host's own listening port,
// which the viewer dials at once: a TCP punch), and meet it at the relay with the token,
// handing each connection to the HostServer as if it had been accepted. The
// viewer keeps the first path whose handshake finishes and closes the rest.
#pragma once

#include "host_server.h"
#include "relay_route.h"
#include "udp_presence.h"
#include "rendezvous.pb.h"

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace tether::session {

class DialBack {
public:
    // `relay`: how the relay is dialed (relay_route.h).
    DialBack(std::shared_ptr<Transport> transport, HostServer& server, const security::Identity& identity,
             RelayRoute relay = {});
    // Waits for dials under way (each gives up within its timeout).
    ~DialBack();
    DialBack(const DialBack&) = delete;
    DialBack& operator=(const DialBack&) = delete;

    void on_incoming(const proto::Incoming& incoming);  // [thread-safe], returns at once
    // The registered UDP port that punches to viewers announced with one of
    // theirs; null: none. Set before the first on_incoming, outliving this.
    void punch_from(UdpPresence* udp) { udp_ = udp; }

private:
    using OpenFn = std::function<std::unique_ptr<Connection>()>;
    void dial(const std::string& address, OpenFn open, std::optional<net::Preface> preface, const std::string& peer);
    void reap();  // holds mutex_: joins dials that are done
    // Within `limit` starts in the last `window` (a stranger's lookups must not
    // spend what real viewers need); false, counted as skipped, otherwise.
    bool allowed(std::deque<std::chrono::steady_clock::time_point>& starts, size_t limit, std::chrono::seconds window,
                 const std::string& what);
    void skipped(std::chrono::steady_clock::time_point now, const std::string& why);  // holds mutex_

    struct Dial {
        std::thread thread;
        std::shared_ptr<bool> done;
    };
    const std::shared_ptr<Transport> transport_;
    HostServer& server_;
    const security::Identity& identity_;
    const RelayRoute relay_;
    std::mutex mutex_;
    std::vector<Dial> dials_;
    std::deque<std::chrono::steady_clock::time_point> relay_dials_;  // started within the window
    std::deque<std::chrono::steady_clock::time_point> punches_;      // started within the window
    UdpPresence* udp_ = nullptr;
    uint64_t skipped_ = 0;
    std::chrono::steady_clock::time_point skip_reported_{};
};

}  // namespace tether::session
