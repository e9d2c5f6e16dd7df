#include "relay_test_peer.h"

#include "rendezvous/wire.h"
#include "server/endpoint_text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace tether::server::test {
namespace {

bool wait_readable(int fd, std::chrono::milliseconds patience) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, static_cast<int>(patience.count())) == 1;
}

sockaddr_in ipv4(const boost::asio::ip::address& address, uint16_t port) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    in.sin_addr.s_addr = htonl(address.to_v4().to_uint());
    return in;
}

}  // namespace

TestPeer::TestPeer(const std::string& address, const std::string& source) {
    const auto endpoint = parse_endpoint(address);
    const sockaddr_in to = ipv4(endpoint.address(), endpoint.port());
    const sockaddr_in from = ipv4(boost::asio::ip::make_address(source), 0);
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<const sockaddr*>(&from), sizeof from) != 0 ||
        connect(fd_, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0)
        throw std::runtime_error("cannot connect to the relay at " + address);
}

TestPeer::~TestPeer() {
    if (fd_ >= 0) close(fd_);
}

void TestPeer::send(std::span<const uint8_t> bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send to the relay failed");
        bytes = bytes.subspan(static_cast<size_t>(n));
    }
}

void TestPeer::send_hello(const proto::RelayHello& hello) {
    proto::RendezvousMessage message;
    *message.mutable_relay_hello() = hello;
    send(rendezvous::encode_frame(message));
}

bool TestPeer::receive_exactly(uint8_t* into, size_t size) {
    while (size > 0) {
        if (!wait_readable(fd_, kPatience)) return false;
        const ssize_t n = recv(fd_, into, size, 0);
        if (n <= 0) return false;
        into += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

std::optional<proto::RendezvousMessage> TestPeer::read_message() {
    return rendezvous::read_frame(
        [this](std::span<uint8_t> into) { return receive_exactly(into.data(), into.size()); });
}

std::optional<proto::RelayAnswer> TestPeer::read_answer() {
    const auto message = read_message();
    if (!message || !message->has_relay_answer()) return std::nullopt;
    return message->relay_answer();
}

std::vector<uint8_t> TestPeer::receive(size_t max, std::chrono::milliseconds patience) {
    std::vector<uint8_t> bytes(max);
    if (!wait_readable(fd_, patience)) return {};
    const ssize_t n = recv(fd_, bytes.data(), bytes.size(), 0);
    bytes.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return bytes;
}

bool TestPeer::closed_within(std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    uint8_t sink[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !wait_readable(fd_, left)) return false;
        const ssize_t n = recv(fd_, sink, sizeof sink, 0);
        if (n == 0 || (n < 0 && errno != EINTR)) return true;
    }
}

void TestPeer::shutdown_sending() { shutdown(fd_, SHUT_WR); }

void TestPeer::reset() {
    const linger abort{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    close(fd_);
    fd_ = -1;
}

void Checksum::add(std::span<const uint8_t> bytes) {
    for (const uint8_t b : bytes) value = (value ^ b) * 1099511628211ull;
}

std::vector<uint8_t> test_bytes(size_t size, uint32_t seed) {
    std::vector<uint8_t> bytes(size);
    uint32_t x = seed * 2654435761u + 1;
    for (auto& b : bytes) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        b = static_cast<uint8_t>(x);
    }
    return bytes;
}

}  // namespace tether::server::test
