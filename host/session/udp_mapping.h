// What a UDP port looks like from the internet: the rendezvous server's
// Binding answers, asked first at its rendezvous port and then at its NAT
// test port from the same socket. Two different ports seen means the NAT maps
// a new port per destination ("varies"), and only the address is worth
// telling a peer (docs/connectivity.md).
#pragma once

#include "core/plugin_objects.h"
#include "rendezvous.pb.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace tether::session {

// The rendezvous server's datagrams to a port, for the thread that waits for one.
class DatagramReplies {
public:
    // For Transport::open_port: keeps the last few that decode, from anyone.
    Transport::DatagramFn sink();
    // The first message from `from` that `wanted` accepts, taken; nullopt when none came in time.
    std::optional<proto::RendezvousMessage> wait(const std::string& from,
                                                 const std::function<bool(const proto::RendezvousMessage&)>& wanted,
                                                 std::chrono::milliseconds timeout);

private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::deque<std::pair<std::string, proto::RendezvousMessage>> kept_;
};

struct UdpMapping {
    std::string observed;  // "ip:port" as the rendezvous server saw the port
    bool varies = false;
};

// "ip:port" of a server given as "host[:port]", resolved for UDP; throws
// std::runtime_error, or std::invalid_argument for text that is no address.
std::string udp_server_address(const std::string& server);

// Sends `message` padded to at least `size` encoded bytes (the server answers
// nothing larger than what asked) and waits for the answer `wanted` accepts,
// asking again a few times; nullopt when none came.
std::optional<proto::RendezvousMessage> ask_over_udp(Port& port, DatagramReplies& replies, const std::string& server,
                                                     proto::RendezvousMessage message,
                                                     const std::function<bool(const proto::RendezvousMessage&)>& wanted);

// nullopt when the server does not answer (UDP blocked on the way, or no NAT
// test port: then `varies` cannot be told and the port is taken as keeping).
std::optional<UdpMapping> learn_mapping(Port& port, DatagramReplies& replies, const std::string& server);

}  // namespace tether::session
