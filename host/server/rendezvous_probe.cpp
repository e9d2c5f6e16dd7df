#include "rendezvous_probe.h"

#include "endpoint_text.h"
#include "rendezvous/signatures.h"
#include "rendezvous/wire.h"

#include <boost/asio/ip/tcp.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tether::server {
namespace {

using boost::asio::ip::tcp;

tcp::endpoint endpoint_of(const std::string& text) {
    try {
        return parse_endpoint(text);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(e.what());  // what the constructor promises
    }
}

void set_timeout(int fd, int option, std::chrono::milliseconds timeout) {
    timeval tv{.tv_sec = static_cast<time_t>(timeout.count() / 1000),
               .tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
    setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

}  // namespace

ProbeConnection::ProbeConnection(const std::string& server, std::chrono::milliseconds timeout, const std::string& source) {
    const tcp::endpoint to = endpoint_of(server);
    fd_ = ::socket(to.protocol().family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    set_timeout(fd_, SO_RCVTIMEO, timeout);
    set_timeout(fd_, SO_SNDTIMEO, timeout);
    if (!source.empty()) {
        // The port is chosen at connect, per destination: many sources need not share one port range.
        const int on = 1;
        setsockopt(fd_, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
        const tcp::endpoint from(boost::asio::ip::make_address(source), 0);
        if (::bind(fd_, from.data(), static_cast<socklen_t>(from.size())) != 0) {
            const std::string why = std::strerror(errno);
            ::close(fd_);
            throw std::runtime_error("bind " + source + ": " + why);
        }
    }
    if (::connect(fd_, to.data(), static_cast<socklen_t>(to.size())) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        throw std::runtime_error("connect " + server + ": " + why);
    }
}

ProbeConnection::~ProbeConnection() {
    if (fd_ >= 0) ::close(fd_);
}

ProbeConnection::ProbeConnection(ProbeConnection&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

bool ProbeConnection::send_bytes(std::span<const uint8_t> bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent <= 0) return false;
        bytes = bytes.subspan(static_cast<size_t>(sent));
    }
    return true;
}

bool ProbeConnection::send(const proto::RendezvousMessage& message) { return send_bytes(rendezvous::encode_frame(message)); }

bool ProbeConnection::read_exactly(uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t got = ::recv(fd_, data, size, 0);
        if (got <= 0) return false;
        data += got;
        size -= static_cast<size_t>(got);
    }
    return true;
}

std::optional<proto::RendezvousMessage> ProbeConnection::receive() {
    return rendezvous::read_frame([this](std::span<uint8_t> into) { return read_exactly(into.data(), into.size()); });
}

bool ProbeConnection::closed_by_server() {
    uint8_t sink[256];
    for (;;) {
        const ssize_t got = ::recv(fd_, sink, sizeof sink, 0);
        if (got == 0) return true;
        if (got < 0) return errno == ECONNRESET;
    }
}

std::string ProbeConnection::local_address() const {
    tcp::endpoint local;
    socklen_t size = static_cast<socklen_t>(local.capacity());
    if (::getsockname(fd_, local.data(), &size) != 0) return {};
    local.resize(size);
    return endpoint_text(local.address(), local.port());
}

proto::RendezvousMessage register_request(const security::Identity& host, uint32_t listen_port,
                                          const std::vector<std::string>& lan_addrs) {
    proto::RendezvousMessage message;
    auto& request = *message.mutable_register_();
    request.set_id(host.peer_id);
    request.set_key(rendezvous::key_bytes(host.public_key));
    request.set_listen_port(listen_port);
    for (const auto& address : lan_addrs) *request.add_lan_addrs() = address;
    return message;
}

std::optional<proto::RendezvousMessage> register_host(ProbeConnection& connection,
                                                      const proto::RendezvousMessage& request,
                                                      const security::Identity& key) {
    if (!connection.send(request)) return std::nullopt;
    const auto challenge = connection.receive();
    if (!challenge || !challenge->has_challenge()) return challenge;
    const std::string& nonce = challenge->challenge().nonce();
    const auto signature = security::sign(
        key, rendezvous::register_proof_message(request.register_().id(),
                                                {reinterpret_cast<const uint8_t*>(nonce.data()), nonce.size()}));
    proto::RendezvousMessage proof;
    proof.mutable_proof()->set_signature(std::string(signature.begin(), signature.end()));
    if (!connection.send(proof)) return std::nullopt;
    return connection.receive();
}

proto::RendezvousMessage lookup_request(const std::string& id, const security::PublicKey& viewer_key,
                                        uint32_t listen_port, const std::vector<std::string>& viewer_addrs) {
    proto::RendezvousMessage message;
    auto& lookup = *message.mutable_lookup();
    lookup.set_id(id);
    lookup.set_viewer_key(rendezvous::key_bytes(viewer_key));
    lookup.set_listen_port(listen_port);
    for (const auto& address : viewer_addrs) *lookup.add_viewer_addrs() = address;
    return message;
}

}  // namespace tether::server
