#include "raw_session.h"

#include "session/protocol.h"

#include <stdexcept>

namespace tether::test {

using namespace std::chrono_literals;

RawSession::RawSession(const std::string& address, const PeerOptions& options) : peer(address, options) {
    net::ClientHandshake handshake;
    peer.send_frame(handshake.hello().bytes());
    const auto reply = peer.receive_frame(5s);
    if (!reply) throw std::runtime_error("no handshake reply");
    host = handshake.finish(*reply);
    sealer_ = std::make_unique<net::RecordSealer>(host.keys.cipher, host.keys.send);
    opener_ = std::make_unique<net::RecordOpener>(host.keys.cipher, host.keys.receive);
}

BufferRef RawSession::seal(const proto::SessionMessage& message) {
    const BufferRef plain = session::encode(message);
    return sealer_->seal(plain.bytes());
}

std::optional<proto::SessionMessage> RawSession::receive(std::chrono::milliseconds timeout) {
    const auto record = peer.receive_frame(timeout);
    if (!record) return std::nullopt;
    const std::vector<uint8_t> plain = opener_->open(*record);
    std::string error;
    return session::decode(plain, error);
}

proto::LoginResponse RawSession::log_in(const std::string& password, uint32_t permissions,
                                        const std::vector<std::string>& decoders) {
    proto::SessionMessage hello;
    hello.mutable_hello()->set_protocol_version(session::kProtocolVersion);
    for (const auto& d : decoders) hello.mutable_hello()->add_decoders(d);
    send(hello);
    proto::SessionMessage login;
    login.mutable_login_request()->set_password(password);
    login.mutable_login_request()->set_permissions(permissions);
    send(login);
    // Longer than the host's login deadline (10 s): the host's answer decides, not how busy the machine is.
    for (auto m = receive(15s); m; m = receive(15s))
        if (m->has_login_response()) return m->login_response();
    return {};
}

}  // namespace tether::test
