// A viewer's way to a host it found by ID (docs/rendezvous.md, Connecting
// and racing): every candidate path at once — direct TCP to each address,
// the relay a little later so a direct path that works wins without costing
// the relay, and the host dialing back to a listener here — each running the
// whole secure handshake; the first to finish wins and the rest are closed.
#pragma once

#include "net/secure_channel.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tether::session {

struct PathCandidate {
    std::string path;     // "tcp", "udp", "relay" or "relay-websocket", as the summary reports it
    std::string address;  // "ip:port"
    std::optional<net::Preface> preface;
    std::chrono::milliseconds delay{0};
    // How the connection opens (a dial from a given port, a punch); empty:
    // the race's transport connects to `address`.
    std::function<std::unique_ptr<Connection>()> open;
};

struct RaceWinner {
    std::unique_ptr<net::SecureChannel> channel;
    std::string path;
    std::string address;
};

class PathRace {
public:
    PathRace(std::shared_ptr<Transport> transport, net::SecureChannel::HostCheck check,
             net::ChannelOptions options = {});
    // Closes the listener and what lost, and waits for attempts still connecting.
    ~PathRace();
    PathRace(const PathRace&) = delete;
    PathRace& operator=(const PathRace&) = delete;

    // Accepts the host dialing back at `address` ("0.0.0.0:0"); returns the bound address.
    std::string listen_for_host(const std::string& address);
    void dial(PathCandidate candidate);
    // Ends attempts still under way that a close of the listener would not (a
    // port's punches); the race runs each before it waits for its attempts.
    void add_closer(std::function<void()> close);
    // The first path through the handshake; throws std::runtime_error listing
    // why each failed when none is left, or when `timeout` passes.
    RaceWinner wait(std::chrono::milliseconds timeout);
    // After wait() returned the relay: a direct path that finished its
    // handshake later, once (the session moves to it); nullopt until then.
    // `notify` runs on an attempt's thread when it is there; set before wait().
    void on_upgrade(std::function<void()> notify) { on_upgrade_ = std::move(notify); }
    bool upgrade_ready() const;
    std::optional<RaceWinner> take_upgrade();

private:
    void attempt(PathCandidate candidate, std::unique_ptr<Connection> accepted);  // its own thread

    const std::shared_ptr<Transport> transport_;
    const net::SecureChannel::HostCheck check_;
    const net::ChannelOptions options_;
    std::mutex check_mutex_;  // the check may pin a key: one at a time
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<RaceWinner> winner_;
    std::string won_path_;                  // the winner's
    std::optional<RaceWinner> upgrade_;
    bool upgraded_ = false;                 // one upgrade per race
    std::function<void()> on_upgrade_;
    bool over_ = false;       // won, or given up: late finishers are closed
    size_t running_ = 0;      // attempts under way
    size_t accepted_ = 0;     // connections the listener took
    std::vector<std::string> failures_;
    std::vector<std::thread> threads_;
    std::unique_ptr<Listener> listener_;
    std::vector<std::function<void()>> closers_;
};

}  // namespace tether::session
