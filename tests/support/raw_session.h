// A viewer built by hand on a RawPeer: the real handshake and record layer,
// but every byte under the test's control, so it can tamper, replay,
// reorder, or stop reading.
#pragma once

#include "net/handshake.h"
#include "raw_peer.h"
#include "session.pb.h"

#include <memory>
#include <optional>

namespace tether::test {

class RawSession {
public:
    // Connects and completes the handshake.
    explicit RawSession(const std::string& address, const PeerOptions& options = {});

    BufferRef seal(const proto::SessionMessage& message);  // the next record, not sent
    void send(const proto::SessionMessage& message) { peer.send_frame(seal(message).bytes()); }
    std::optional<proto::SessionMessage> receive(std::chrono::milliseconds timeout);

    // Hello and LoginRequest, then the host's LoginResponse (default: empty = no answer).
    proto::LoginResponse log_in(const std::string& password, uint32_t permissions, const std::vector<std::string>& decoders);

    RawPeer peer;
    net::ClientHandshake::Result host;

private:
    std::unique_ptr<net::RecordSealer> sealer_;
    std::unique_ptr<net::RecordOpener> opener_;
};

}  // namespace tether::test
