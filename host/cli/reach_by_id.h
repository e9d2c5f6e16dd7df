// `tether connect ID`: ask the rendezvous server where the host is, check the
// server's voucher for its key, then race every path to it (docs/rendezvous.md).
#pragma once

#include "net/secure_channel.h"
#include "session/path_race.h"
#include "time_left.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace tether::cli {

struct ReachOptions {
    std::string id;                    // 9 digits
    std::string server;                // "host[:port]", or "ws://host[:port][/path]"
    std::string server_key;            // hex, from `tether serve --print-key`; empty: pinned on first use
    net::SecureChannel::HostCheck host_check;  // the known_hosts pinning, after the voucher's check
    std::filesystem::path data_dir;
    std::string accept_key;  // --accept-key: a host whose key no longer derives the ID, accepted on purpose
    std::shared_ptr<Transport> punching;  // punches UDP beside the other paths (choose_punching_transport); null: none
    // transport-websocket, for the relay of a server reached over WebSocket; null otherwise.
    std::shared_ptr<Transport> websocket = nullptr;
    Deadline deadline = kNoDeadline;  // no lookup or race waits past it
};

struct Reached {
    std::unique_ptr<net::SecureChannel> channel;
    std::string path;     // "tcp", "udp", "relay" or "relay-websocket"
    std::string address;  // of the host, or of the relay
    // Kept until the session ends: paths that lost finish closing meanwhile.
    std::unique_ptr<session::PathRace> race;
};

// Throws std::runtime_error (or net::HandshakeError) with the reason when no path works.
Reached reach_by_id(std::shared_ptr<Transport> transport, const ReachOptions& options);

}  // namespace tether::cli
