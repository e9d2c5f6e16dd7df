#include "raw_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace tether::test {

sockaddr_in ipv4_address(const std::string& address) {
    const auto colon = address.rfind(':');
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    if (colon == std::string::npos || inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr) != 1)
        throw std::runtime_error("bad address " + address);
    sa.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
    return sa;
}

RawPeer::RawPeer(const std::string& address, const PeerOptions& options) {
    sockaddr_in sa = ipv4_address(address);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("cannot make a socket");
    if (options.receive_buffer > 0)
        setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof options.receive_buffer);
    if (!options.source.empty()) {
        sockaddr_in local = ipv4_address(options.source + ":0");
        if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
            close(fd_);
            throw std::runtime_error("cannot bind to " + options.source);
        }
    }
    if (connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
        close(fd_);
        throw std::runtime_error("cannot connect to " + address);
    }
}

RawPeer::~RawPeer() {
    if (fd_ >= 0) close(fd_);
}

void RawPeer::send_bytes(std::span<const uint8_t> bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) throw std::runtime_error("send failed");
        sent += static_cast<size_t>(n);
    }
}

void RawPeer::send_length(uint32_t length) {
    const std::array<uint8_t, 4> header{uint8_t(length), uint8_t(length >> 8), uint8_t(length >> 16), uint8_t(length >> 24)};
    send_bytes(header);
}

void RawPeer::send_frame(std::span<const uint8_t> message) {
    send_length(static_cast<uint32_t>(message.size()));
    send_bytes(message);
}

void RawPeer::shutdown_write() { shutdown(fd_, SHUT_WR); }

bool RawPeer::read_until(size_t size, std::chrono::steady_clock::time_point deadline) {
    while (received_.size() < size) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd pfd{fd_, POLLIN, 0};
        if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
        std::array<uint8_t, 65536> chunk{};
        const ssize_t n = recv(fd_, chunk.data(), std::min(chunk.size(), size - received_.size()), 0);
        if (n <= 0) return false;
        received_.insert(received_.end(), chunk.begin(), chunk.begin() + n);
    }
    return true;
}

// A frame cut by the deadline stays in received_ for the next call: the stream never loses its place.
std::optional<std::vector<uint8_t>> RawPeer::receive_frame(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (!read_until(4, deadline)) return std::nullopt;
    const uint32_t length = uint32_t{received_[0]} | uint32_t{received_[1]} << 8 | uint32_t{received_[2]} << 16 |
                            uint32_t{received_[3]} << 24;
    if (!read_until(size_t{4} + length, deadline)) return std::nullopt;
    std::vector<uint8_t> body(received_.begin() + 4, received_.end());
    received_.clear();
    return body;
}

bool RawPeer::wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<uint8_t, 65536> sink{};
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd pfd{fd_, POLLIN, 0};
        if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) return false;
        if (recv(fd_, sink.data(), sink.size(), 0) <= 0) return true;
    }
}

}  // namespace tether::test
